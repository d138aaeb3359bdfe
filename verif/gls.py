"""``python -m verif.gls``: gate-level simulation — the top-level cocotb test on the synthesised netlist
(OSU018 cells, with their Verilog models) on Icarus, against the golden model.

    python -m verif.gls [--tiles N] [--config FILE] --weights FILE [--n 10] [--out build/gls]

Synthesises the design (the default build: no trace port) into OUT/synth, then simulates N test
images and compares each decision, decision step, CYCLES and EVENTS with the golden model; writes
OUT/icarus/results.json. The macros are black boxes in synthesis; the netlist carries their
behavioural Verilog. Exits 1, with the reason, when anything differs or the simulation ends early.
"""

import json
import subprocess
import sys
from pathlib import Path

from spinaps.cli import ArgumentParser, VerificationError, add_options, check_count, command, config_from_args

from .runner import ROOT, run_cocotb

PROG = "python -m verif.gls"


def cell_models() -> Path:
    """The OSU018 cells' Verilog models, beside the liberty scripts/get_liberty.sh fetched."""
    liberty = subprocess.run(["bash", str(ROOT / "scripts/get_liberty.sh")], capture_output=True, text=True,
                             check=True).stdout.strip()
    return Path(liberty).with_name("osu018_stdcells.v")


def gate_level(config, *, weights, n: int, out: Path) -> dict:
    """Synthesise, then run ``n`` images on the netlist; the results (raises VerificationError on any difference)."""
    from synth.report import run as synthesise

    # activity="vectorless": this run is itself the gate-level simulation; synthesis need not run another.
    synthesise(config, out=out / "synth", weights=weights, cycles_from="golden", activity="vectorless",
               log=lambda line: print(f"{PROG}: {line}", flush=True))
    # -Ttyp: the cell models give min:typ:max delays; the typical ones are simulated.
    # Synthesis uses the weight-free design (its netlist must not depend on the weights): program them over the bus.
    work = run_cocotb(sim="icarus", config=config, name=None, testcase="images_match_golden", weights=weights,
                      program="bus", images=n, out_root=out, gen_dir=out / "synth" / "gen",
                      sources=[out / "synth" / "netlist.v", cell_models()], build_args=["-Ttyp"])
    results = json.loads((work / "results.json").read_text())
    if results.get("samples") != n or results.get("mismatches"):
        raise VerificationError(f"gate-level simulation: {results.get('mismatches')} mismatches in "
                                f"{results.get('samples')} of {n} images")
    return results


@command(PROG)
def main(argv=None):
    parser = ArgumentParser(prog=PROG, description="Gate-level simulation of the synthesised accelerator "
                            "against the golden model (Icarus).")
    add_options(parser, weights="required", out="build/gls", n=10, n_help="test images")
    args = parser.parse_args(argv)
    check_count("--n", args.n, 1, 1000)
    config = config_from_args(args)
    out = Path(args.out).resolve()
    results = gate_level(config, weights=args.weights, n=args.n, out=out)
    for key in ("samples", "mismatches", "accuracy", "cycles_per_inference"):
        print(f"{key}: {results[key]}")
    print(f"wrote {out / 'icarus' / 'results.json'}")
    return 0



if __name__ == "__main__":
    sys.exit(main())
