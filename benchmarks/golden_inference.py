"""Benchmark: batch inference of the whole digits test split in the golden model, on one core.

Prints the figures and writes them as JSON. Weights are random in the full range
(the time does not depend on their values, only on the configuration).

    python benchmarks/golden_inference.py [--repeats 5] [--json OUT.json]
"""

import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):  # one core, before NumPy loads
    os.environ[var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from model.data import load_dataset  # noqa: E402
from model.golden import run_golden, tile_mapping  # noqa: E402
from spinaps.contract import image_seeds  # noqa: E402
from spinaps.atomic import atomic_write_text  # noqa: E402
from spinaps.config import Config  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", metavar="OUT")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    config = Config()
    data = load_dataset(config)
    rng = np.random.default_rng(0)
    alpha = rng.integers(config.weight_min, config.weight_max + 1, (config.n_inputs, config.tau, config.n_outputs))
    bias = np.full(config.n_outputs, -24)
    n = len(data.test_y)
    seeds_e, seeds_s = image_seeds(1, n), image_seeds(2, n)
    mapping = tile_mapping(config, data)
    times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        run_golden(config, alpha, bias, data.test_x, seed_encoder=seeds_e, seed_spike=seeds_s, mapping=mapping)
        times.append(time.perf_counter() - start)
    result = {
        "benchmark": "golden_inference",
        "images": n,
        "t_max": config.t_max,
        "tiles": config.tiles,
        "cores": 1,
        "seconds_best": min(times),
        "seconds_median": float(np.median(times)),
        "images_per_second": n / min(times),
        "python": platform.python_version(),
        "numpy": np.__version__,
    }
    print(f"golden model, digits test split: {n} images x {config.t_max} steps, 1 core: "
          f"best {min(times):.3f} s, median {np.median(times):.3f} s ({n / min(times):.0f} images/s)")
    if args.json:
        atomic_write_text(args.json, json.dumps(result, indent=2) + "\n")
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
