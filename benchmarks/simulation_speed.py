"""Benchmark: simulated clock cycles per second of the cocotb harness on Icarus and on Verilator.

Runs 100 test digits on the default design (trained weights, trace build, as ``make sim`` does)
three times (the median run is reported) with today's harness — weights preloaded (``make sim``)
and programmed over the bus — and, in the same run, the previous harness (the per-cycle monitor
of commit PREVIOUS_HARNESS, checked out from git into a temporary worktree) on its own design, so
that speeds are compared as ratios measured on one machine at one time.

    python benchmarks/simulation_speed.py [--images 100] [--repeats 3] [--skip-previous] [--json OUT.json]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from spinaps.atomic import atomic_write_text  # noqa: E402
from spinaps.config import Config  # noqa: E402
from verif.runner import SIMULATORS, run_cocotb  # noqa: E402

#: The last commit with the per-cycle trace monitor (before the fast harness).
PREVIOUS_HARNESS = "561a793"


def _speed(results: dict) -> dict:
    figures = {"simulated_cycles": results["simulated_cycles"], "test_seconds": round(results["test_wall_seconds"], 2),
               "cycles_per_second": round(results["simulated_cycles"] / results["test_wall_seconds"])}
    if "inference_wall_seconds" in results:       # the image loop alone (bus transfers of the images included)
        figures["image_loop_cycles_per_second"] = round(results["inference_cycles"] / results["inference_wall_seconds"])
    if "inference_wall_seconds_by_phase" in results:   # where the image loop's time goes
        phases = results["inference_wall_seconds_by_phase"]
        figures["image_loop_share_by_phase"] = {phase: round(seconds / results["inference_wall_seconds"], 3)
                                                for phase, seconds in phases.items()}
    return figures


def current(sim: str, images: int, weights: str, program: str, repeats: int) -> dict:
    """The run with the median speed of ``repeats`` (the machine is shared: one run can be 20 % off),
    and the range of all of them."""
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        work = run_cocotb(sim=sim, config=Config(), name=f"bench_{program}", testcase="images_match_golden",
                          weights=weights, program=program, images=images, out_root="build/bench/sim", optimize=True)
        figures = _speed(json.loads((work / "results.json").read_text()))
        figures["build_and_test_seconds"] = round(time.perf_counter() - start, 1)
        runs.append(figures)
    speeds = sorted(r["cycles_per_second"] for r in runs)
    median = next(r for r in runs if r["cycles_per_second"] == speeds[len(speeds) // 2])
    return median | {"repeats": repeats, "cycles_per_second_range": [speeds[0], speeds[-1]]}


def model_alone(*, all_signals_public: bool) -> int:
    """Cycles a second of the default design's Verilator model with Python asleep (verif/test_speed.py),
    built with the top-level ports alone visible to VPI, or every signal (cocotb's default)."""
    work = run_cocotb(sim="verilator", config=Config(), name=f"idle_public_{'all' if all_signals_public else 'ports'}",
                      testcase="idle_clock", test_module="verif.test_speed", images=0, out_root="build/bench/sim",
                      optimize=True, all_signals_public=all_signals_public)
    results = json.loads((work / "results.json").read_text())
    return round(results["idle_cycles"] / results["idle_wall_seconds"])


def previous(images: int, weights: str) -> dict:
    """The previous harness's own benchmark, run from a temporary git worktree of PREVIOUS_HARNESS."""
    with tempfile.TemporaryDirectory(prefix="spinaps-previous-") as tmp:
        tree = Path(tmp) / "tree"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(tree), PREVIOUS_HARNESS],
                       check=True)
        try:
            out = Path(tmp) / "previous.json"
            env = dict(os.environ, PYTHONPATH=str(tree))
            subprocess.run([sys.executable, "benchmarks/simulation_speed.py", "--skip-regression", "--images",
                            str(images), "--weights", weights, "--json", str(out)], cwd=tree, env=env, check=True,
                           stdout=subprocess.DEVNULL)
            data = json.loads(out.read_text())
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=True)
    return {sim: {"simulated_cycles": data[sim]["simulated_cycles"],
                  "test_seconds": round(data[sim]["test_seconds"], 2),
                  "cycles_per_second": round(data[sim]["cycles_per_second"])} for sim in SIMULATORS}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=100)
    parser.add_argument("--weights", default=str(ROOT / "build/weights/default.npz"))
    parser.add_argument("--repeats", type=int, default=3, help="runs of each measurement, the median reported")
    parser.add_argument("--skip-previous", action="store_true", help="do not run the previous harness")
    parser.add_argument("--json", metavar="OUT")
    args = parser.parse_args()
    result = {"benchmark": "simulation_speed", "images": args.images, "design": "default (8 tiles), trace build",
              "cpus": os.cpu_count(), "load_average_at_start": os.getloadavg()[0]}
    for sim in SIMULATORS:
        for program in ("preloaded", "bus"):
            result[f"{sim}_{program}"] = figures = current(sim, args.images, args.weights, program, args.repeats)
            print(f"{sim}, weights {program}: {figures['cycles_per_second']:,} simulated cycles/s over the test "
                  f"(median of {args.repeats}, range {figures['cycles_per_second_range'][0]:,}–"
                  f"{figures['cycles_per_second_range'][1]:,}; {figures['simulated_cycles']:,} cycles in "
                  f"{figures['test_seconds']} s; the image loop alone "
                  f"{figures['image_loop_cycles_per_second']:,} cycles/s; of its time "
                  + ", ".join(f"{phase} {share:.0%}" for phase, share in figures["image_loop_share_by_phase"].items())
                  + ")")
    if not args.skip_previous:
        result["previous_harness"] = {"commit": PREVIOUS_HARNESS, **previous(args.images, args.weights)}
        for sim in SIMULATORS:
            old = result["previous_harness"][sim]["cycles_per_second"]
            print(f"previous harness ({PREVIOUS_HARNESS}), {sim}: {old:,} cycles/s")
            for program in ("preloaded", "bus"):
                result[f"{sim}_{program}"]["speedup_over_previous"] = round(
                    result[f"{sim}_{program}"]["cycles_per_second"] / old, 2)
    model = {"ports_public": model_alone(all_signals_public=False),
             "all_signals_public": model_alone(all_signals_public=True)}
    model["ratio"] = round(model["ports_public"] / model["all_signals_public"], 2)
    result["verilator_model_alone_cycles_per_second"] = model
    print(f"Verilator model alone (Python asleep): {model['ports_public']:,} cycles/s with the ports public, "
          f"{model['all_signals_public']:,} with every signal public (cocotb's default): {model['ratio']}x")
    result["verilator_over_icarus"] = round(result["verilator_preloaded"]["cycles_per_second"]
                                            / result["icarus_preloaded"]["cycles_per_second"], 2)
    print(f"Verilator / Icarus (make sim): {result['verilator_over_icarus']}x")
    if args.json:
        atomic_write_text(args.json, json.dumps(result, indent=2) + "\n")
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
