"""Benchmark: simulated clock cycles per second on Icarus and on Verilator for the default
design (trained weights, test digits, cocotb with its per-cycle trace monitor and the AXI
bus-functional model), and the wall time of the full top-level regression (make verify).

    python benchmarks/simulation_speed.py [--images 20] [--skip-regression] [--json OUT.json]
"""

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from spinaps.atomic import atomic_write_text  # noqa: E402
from spinaps.config import Config  # noqa: E402
from verif.runner import SIMULATORS, run_cocotb  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=20)
    parser.add_argument("--weights", default=str(ROOT / "build/weights/default.npz"))
    parser.add_argument("--skip-regression", action="store_true")
    parser.add_argument("--json", metavar="OUT")
    args = parser.parse_args()
    result = {"benchmark": "simulation_speed", "images": args.images, "design": "default (8 tiles)"}
    for sim in SIMULATORS:
        start = time.perf_counter()
        work = run_cocotb(sim=sim, config=Config(), name=f"bench_{sim}", testcase="images_match_golden",
                          weights=args.weights, images=args.images)
        wall = time.perf_counter() - start
        sim_results = json.loads((work / "results.json").read_text())
        speed = sim_results["simulated_cycles"] / sim_results["test_wall_seconds"]
        result[sim] = {"simulated_cycles": sim_results["simulated_cycles"],
                       "test_seconds": sim_results["test_wall_seconds"], "build_and_test_seconds": wall,
                       "cycles_per_second": speed, "mismatches": sim_results["mismatches"]}
        print(f"{sim}: {speed:,.0f} simulated cycles/s ({sim_results['simulated_cycles']} cycles in "
              f"{sim_results['test_wall_seconds']:.1f} s; build + run {wall:.1f} s)")
    if not args.skip_regression:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "pytest", "-q", "-n", "auto", "-m", "full", "tests/test_verif.py"],
                       cwd=ROOT, check=True)
        result["full_regression_seconds"] = time.perf_counter() - start
        print(f"full top-level regression (make verify): {result['full_regression_seconds']:.0f} s")
    if args.json:
        atomic_write_text(args.json, json.dumps(result, indent=2) + "\n")
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
