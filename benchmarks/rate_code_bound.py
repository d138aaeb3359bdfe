"""Benchmark: how much the rate code itself costs a linear classifier, per data set.

At step t the SNN's potential sees each input at most ``tau`` times (its kernel
window), as Bernoulli spikes with probability ``pixel / 2**pixel_bits``. This fits
the same-size softmax regression (the ANN baseline) on the training split and
scores it on the test split with each pixel replaced by the mean of k such spikes,
k = 1 .. 32 (the mean of ``--repeats`` draws), so that the SNN's hardware-exact
accuracy can be read against what a linear classifier of k samples achieves.

    python benchmarks/rate_code_bound.py [--config configs/mnist.yaml ...] [--json OUT.json]
"""

import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):  # one core, before NumPy loads
    os.environ[var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from model.data import load_dataset  # noqa: E402
from spinaps.atomic import atomic_write_text  # noqa: E402
from spinaps.config import load_config  # noqa: E402

SAMPLES = (1, 2, 3, 4, 8, 16, 32)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", nargs="+", metavar="FILE",
                        default=[None, str(ROOT / "configs" / "mnist.yaml"), str(ROOT / "configs" / "har.yaml")],
                        help="configurations (default: the built-in digits, configs/mnist.yaml, configs/har.yaml)")
    parser.add_argument("--repeats", type=int, default=3, help="draws of the test split a k (default 3)")
    parser.add_argument("--json", metavar="OUT")
    args = parser.parse_args()
    from sklearn.linear_model import LogisticRegression

    results = []
    for path in args.config:
        config = load_config(path)
        data = load_dataset(config)
        scale = float(1 << config.pixel_bits)
        model = LogisticRegression(max_iter=3000).fit(data.train_x / scale, data.train_y)
        rng = np.random.default_rng(0)
        row = {"dataset": data.name, "clean": float(model.score(data.test_x / scale, data.test_y))}
        for k in SAMPLES:
            scores = [model.score((rng.random((k,) + data.test_x.shape) < data.test_x / scale).mean(axis=0),
                                  data.test_y) for _ in range(args.repeats)]
            row[f"samples_{k}"] = float(np.mean(scores))
        results.append(row)
        print(f"{data.name}: softmax regression {row['clean']:.2%} on the pixels; on the mean of k spikes: "
              + ", ".join(f"k={k} {row[f'samples_{k}']:.2%}" for k in SAMPLES), flush=True)
    if args.json:
        atomic_write_text(args.json, json.dumps({"benchmark": "rate_code_bound", "results": results}, indent=2) + "\n")
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
