"""``python -m verif.sim``: simulate test digits on the generated design and compare with the golden model.

    python -m verif.sim [--sim icarus|verilator] [--tiles 8] [--n 100] [--waves] [--config FILE]
                        [--weights FILE] [--out build/sim]

Writes OUT/<sim>/results.json: samples, mismatches, accuracy, cycles_per_inference,
cycles_per_step, utilization (and more).
"""

import json
import sys
import time

from spinaps.atomic import atomic_write_text
from spinaps.cli import ArgumentParser, run_cli
from spinaps.config import ConfigError, load_config

from .runner import SIMULATORS, run_cocotb

PROG = "python -m verif.sim"


def _main(argv=None):
    parser = ArgumentParser(prog=PROG, description="Simulate test digits on the generated accelerator (cocotb) "
                            "and compare every step of every neuron with the golden model.")
    parser.add_argument("--sim", choices=SIMULATORS, default="verilator", help="simulator (default: verilator)")
    parser.add_argument("--tiles", type=int, metavar="N", help="tiles (default: the configuration's)")
    parser.add_argument("--n", type=int, default=100, metavar="N", help="test digits to simulate (default: 100)")
    parser.add_argument("--config", metavar="FILE", help="YAML configuration (default: built-in default)")
    parser.add_argument("--weights", metavar="FILE", required=True, help="trained weights (python -m model train)")
    parser.add_argument("--waves", action="store_true", help="write a waveform (FST) of the run")
    parser.add_argument("--out", metavar="DIR", default="build/sim", help="output directory (default: build/sim)")
    args = parser.parse_args(argv)
    if not 1 <= args.n <= 10000:
        raise ConfigError(f"--n = {args.n} is out of range (allowed: 1..10000)")
    config = load_config(args.config, **({} if args.tiles is None else {"tiles": args.tiles}))
    from model.weights import load_weights
    load_weights(args.weights, config)          # a bad weights file fails here, before any build
    start = time.perf_counter()
    work = run_cocotb(sim=args.sim, config=config, name=None, testcase="images_match_golden",
                      weights=args.weights, images=args.n, waves=args.waves, out_root=args.out)
    results = json.loads((work / "results.json").read_text())
    results.update(simulator=args.sim, tiles=config.tiles, wall_seconds=time.perf_counter() - start)
    atomic_write_text(work / "results.json", json.dumps(results, indent=2) + "\n")
    for key in ("samples", "mismatches", "accuracy", "cycles_per_inference", "cycles_per_step", "utilization"):
        print(f"{key}: {results[key]}")
    print(f"wrote {work / 'results.json'}")
    if args.waves:
        waves = sorted(p for p in work.rglob("*") if p.suffix in (".fst", ".vcd"))
        print("waveform: " + (", ".join(map(str, waves)) or "none found"))
    return 0


def main(argv=None):
    return run_cli(_main, prog=PROG, argv=argv)


if __name__ == "__main__":
    sys.exit(main())
