"""``python -m verif.gls``: gate-level simulation — the top-level cocotb test on the synthesised
netlist (OSU018 cells, with their Verilog models) on Icarus, against the golden model.

    python -m verif.gls [--tiles N] [--config FILE] --weights FILE [--n 10] [--out build/gls]

Synthesises the design (python -m synth) into OUT/synth, then simulates N test digits and
writes OUT/icarus/results.json. The STT-RAM macros are black boxes in synthesis; the netlist
carries their behavioural Verilog.
"""

import json
import subprocess
import sys
from pathlib import Path

from spinaps.cli import ArgumentParser, run_cli
from spinaps.config import ConfigError, load_config

from .runner import ROOT, run_cocotb

PROG = "python -m verif.gls"


def cell_models() -> Path:
    """The OSU018 cells' Verilog models, beside the liberty scripts/get_liberty.sh fetched."""
    liberty = subprocess.run(["bash", str(ROOT / "scripts/get_liberty.sh")], capture_output=True, text=True,
                             check=True).stdout.strip()
    return Path(liberty).with_name("osu018_stdcells.v")


def _main(argv=None):
    parser = ArgumentParser(prog=PROG, description="Gate-level simulation of the synthesised accelerator "
                            "against the golden model (Icarus).")
    parser.add_argument("--tiles", type=int, metavar="N", help="tiles (default: the configuration's)")
    parser.add_argument("--config", metavar="FILE", help="YAML configuration (default: built-in default)")
    parser.add_argument("--weights", metavar="FILE", required=True, help="trained weights")
    parser.add_argument("--n", type=int, default=10, metavar="N", help="test digits (default: 10)")
    parser.add_argument("--out", metavar="DIR", default="build/gls", help="output directory (default: build/gls)")
    args = parser.parse_args(argv)
    if not 1 <= args.n <= 1000:
        raise ConfigError(f"--n = {args.n} is out of range (allowed: 1..1000)")
    config = load_config(args.config, **({} if args.tiles is None else {"tiles": args.tiles}))
    out = Path(args.out).resolve()
    # --activity vectorless: this run is itself the gate-level simulation; synth need not run another.
    synth_args = [sys.executable, "-m", "synth", "--weights", args.weights, "--out", str(out / "synth"),
                  "--cycles-from", "golden", "--activity", "vectorless"]
    if args.config:
        synth_args += ["--config", args.config]
    if args.tiles is not None:
        synth_args += ["--tiles", str(args.tiles)]
    subprocess.run(synth_args, cwd=ROOT, check=True)
    # -Ttyp: the cell models give min:typ:max delays; the typical ones are simulated.
    work = run_cocotb(sim="icarus", config=config, name=None, testcase="images_match_golden",
                      weights=args.weights, images=args.n, out_root=out, gen_dir=out / "synth" / "gen",
                      sources=[out / "synth" / "netlist.v", cell_models()], build_args=["-Ttyp"])
    results = json.loads((work / "results.json").read_text())
    for key in ("samples", "mismatches", "accuracy", "cycles_per_inference"):
        print(f"{key}: {results[key]}")
    print(f"wrote {work / 'results.json'}")
    return 0


def main(argv=None):
    return run_cli(_main, prog=PROG, argv=argv)


if __name__ == "__main__":
    sys.exit(main())
