"""``python -m verif.sim``: simulate test images on the generated design and compare with the golden model
(either family: the configuration's ``architecture`` picks the testbench, verif/test_top.py or verif/test_bsnn.py).

    python -m verif.sim [--sim icarus|verilator] [--tiles 8] [--n 100] [--waves] [--no-trace]
                        [--program preloaded|bus] [--config FILE] --weights FILE [--out build/sim]

Writes OUT/<sim>/results.json: samples, mismatches, accuracy, cycles_per_inference,
cycles_per_step, utilization (and more). Exits 1, with the reason, when any image
mismatches the golden model, a cocotb test fails, or the simulation ends early.
"""

import json
import sys
import time

from spinaps.atomic import atomic_write_text
from spinaps.cli import ArgumentParser, VerificationError, add_options, check_count, command, config_from_args

from .runner import SIMULATORS, run_cocotb

PROG = "python -m verif.sim"


def simulate_images(config, *, sim: str, weights, n: int, out, trace: bool = True, program: str = "preloaded",
                    waves: bool = False, progress: bool = False) -> tuple:
    """Run ``n`` test images on the generated design; ``(work directory, results)``.

    Raises
    ------
    VerificationError
        If the results are missing, hold fewer than ``n`` images, or any mismatch.
    """
    if config.architecture == "bsnn_if":
        from model.bsnn import load_network as load_weights
    else:
        from model.weights import load_weights

    load_weights(weights, config)          # a bad weights file fails here, before any build
    start = time.perf_counter()
    test_module = "verif.test_bsnn" if config.architecture == "bsnn_if" else "verif.test_top"
    work = run_cocotb(sim=sim, config=config, name=None, testcase="images_match_golden", weights=weights,
                      program=program, images=n, trace=trace, waves=waves, progress=progress, out_root=out,
                      test_module=test_module)
    path = work / "results.json"
    if not path.is_file():
        raise VerificationError(f"the simulation wrote no results ({path})")
    results = json.loads(path.read_text())
    if results.get("samples") != n:
        raise VerificationError(f"the simulation ended early: {results.get('samples')} of {n} images")
    if results.get("mismatches"):
        raise VerificationError(f"{results['mismatches']} of {n} images mismatch the golden model")
    results.update(simulator=sim, tiles=config.tiles, wall_seconds=time.perf_counter() - start)
    atomic_write_text(path, json.dumps(results, indent=2) + "\n")
    return work, results


@command(PROG)
def main(argv=None):
    parser = ArgumentParser(prog=PROG, description="Simulate test images on the generated accelerator (cocotb) "
                            "and compare every step of every neuron with the golden model.")
    add_options(parser, weights="required", out="build/sim", n=100)
    parser.add_argument("--sim", choices=SIMULATORS, default="verilator", help="simulator (default: verilator)")
    parser.add_argument("--no-trace", dest="trace", action="store_false",
                        help="simulate the build without the trace port (results and cycles only)")
    parser.add_argument("--program", choices=("preloaded", "bus"), default="preloaded",
                        help="weights preloaded into the generated macros (default) or programmed over the bus")
    parser.add_argument("--waves", action="store_true", help="write a waveform (FST on Icarus, VCD on Verilator)")
    args = parser.parse_args(argv)
    check_count("--n", args.n, 1, 100000)
    config = config_from_args(args)
    work, results = simulate_images(config, sim=args.sim, weights=args.weights, n=args.n, out=args.out,
                                    trace=args.trace, program=args.program, waves=args.waves,
                                    progress=sys.stderr.isatty())
    for key in ("samples", "mismatches", "accuracy", "cycles_per_inference", "cycles_per_step", "utilization"):
        if key in results:
            print(f"{key}: {results[key]}")
    print(f"wrote {work / 'results.json'}")
    if args.waves:
        waves = sorted(p for p in work.rglob("*") if p.suffix in (".fst", ".vcd"))
        print("waveform: " + (", ".join(map(str, waves)) or "none found"))
    return 0



if __name__ == "__main__":
    sys.exit(main())
