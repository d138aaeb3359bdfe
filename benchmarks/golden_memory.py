"""Benchmark: peak memory and time of evaluating the MNIST test split in the golden model, on one core.

``model.evaluate.evaluate`` runs the bit-exact golden model ``--batch`` images at a
time, so its peak memory is set by the batch, not by the test set. This prints the
peak of NumPy/Python allocations (tracemalloc), the process's peak resident set
(ru_maxrss) and the time, and writes them as JSON. Weights are random in the full
range unless ``--weights`` names a trained file (memory and time do not depend on
their values, only on the configuration).

    python benchmarks/golden_memory.py [--config configs/mnist.yaml] [--batch 256] [--seeds 1]
                                       [--weights W.npz] [--json OUT.json]
"""

import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):  # one core, before NumPy loads
    os.environ[var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from model.data import load_dataset  # noqa: E402
from model.evaluate import GOLDEN_BATCH, evaluate  # noqa: E402
from model.weights import Weights, load_weights  # noqa: E402
from spinaps.atomic import atomic_write_text  # noqa: E402
from spinaps.config import load_config  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default=str(ROOT / "configs" / "mnist.yaml"), metavar="FILE")
    parser.add_argument("--batch", type=int, default=GOLDEN_BATCH, help=f"images a golden run (default {GOLDEN_BATCH})")
    parser.add_argument("--seeds", type=int, default=1, help="encoder seeds to average over (default 1)")
    parser.add_argument("--weights", metavar="WEIGHTS", help="trained weights (default: random)")
    parser.add_argument("--json", metavar="OUT")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    config = load_config(args.config)
    data = load_dataset(config)
    if args.weights:
        weights = load_weights(args.weights, config)
    else:
        rng = np.random.default_rng(0)
        alpha = rng.integers(config.weight_min, config.weight_max + 1,
                             (config.n_inputs, config.tau, config.n_outputs))
        weights = Weights(alpha=alpha, bias=np.full(config.n_outputs, -24), config=config)
    n = len(data.test_y)
    unbatched_history = n * config.t_max * config.n_inputs * config.tau * 8  # the float64 copy of one batch

    tracemalloc.start()
    before, _ = tracemalloc.get_traced_memory()
    start = time.perf_counter()
    report = evaluate(config, weights, data, seeds=args.seeds, batch=args.batch)
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024      # Linux: KiB
    result = {
        "benchmark": "golden_memory",
        "dataset": data.name,
        "images": n,
        "seeds": args.seeds,
        "batch": args.batch,
        "t_max": config.t_max,
        "n_inputs": config.n_inputs,
        "tau": config.tau,
        "tiles": config.tiles,
        "cores": 1,
        "seconds": seconds,
        "images_per_second": n * args.seeds / seconds,
        "peak_traced_mib": (peak - before) / 2**20,
        "peak_rss_mib": rss_mib,
        "unbatched_float_history_mib": unbatched_history / 2**20,
        "accuracy": report["accuracy"],
        "weights": args.weights or "random",
        "python": platform.python_version(),
        "numpy": np.__version__,
    }
    print(f"golden evaluation, {data.name} test split: {n} images x {args.seeds} seed(s) x {config.t_max} steps "
          f"in batches of {args.batch}, 1 core: {seconds:.1f} s ({result['images_per_second']:.0f} images/s), "
          f"peak allocations {result['peak_traced_mib']:.0f} MiB, peak RSS {rss_mib:.0f} MiB "
          f"(one unbatched float64 history: {result['unbatched_float_history_mib']:.0f} MiB)")
    if args.json:
        atomic_write_text(args.json, json.dumps(result, indent=2) + "\n")
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
