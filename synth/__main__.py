"""``python -m synth``: synthesise a design and report area, f_max, GSOPS and GSOPS/W/mm^2.

    python -m synth --tiles 8 [--config FILE] [--weights FILE] [--liberty PATH] [--gen-dir DIR]
                    [--node NM] --out build/synth

Writes OUT/report.json, OUT/report.md, OUT/area.png and OUT/netlist.v atomically (and OUT/gen/,
the generated design, unless --gen-dir names one).
"""

from __future__ import annotations

import sys

from spinaps.cli import ArgumentParser, run_cli
from spinaps.config import Config, ConfigError, load_config

PROG = "python -m synth"


def _parser():
    parser = ArgumentParser(prog=PROG, description="Synthesise a spinaps accelerator with the pinned Yosys "
                            "against a liberty (STT-RAM macros as black boxes), time it, model its macros "
                            "(STT-RAM and an SRAM twin) and report area, f_max, GSOPS and GSOPS/W/mm^2.")
    parser.add_argument("--tiles", type=int, metavar="N", help="number of tiles (default: the configuration's)")
    parser.add_argument("--config", metavar="FILE", help="YAML configuration (default: built-in default)")
    parser.add_argument("--weights", metavar="FILE", help="trained weights (default: build/weights/default.npz "
                        "when it fits the configuration, else trained now)")
    parser.add_argument("--liberty", metavar="PATH", help="liberty file (default: OSU 0.18 um from "
                        "scripts/get_liberty.sh)")
    parser.add_argument("--gen-dir", metavar="DIR", help="synthesise the design python -m gen wrote there "
                        "(default: generate it into OUT/gen)")
    parser.add_argument("--node", type=float, metavar="NM", help="technology node of the macro model in nm "
                            "(default: synth/technology.yaml's, 180)")
    parser.add_argument("--sim-dir", metavar="DIR", help="where python -m verif.sim results are looked for "
                        "(default: build/sim)")
    parser.add_argument("--cycles-from", choices=("auto", "sim", "golden"), default="auto",
                        help="cycles and SOPs per inference from a simulation's results.json (sim), the golden "
                             "model on the test split (golden), or sim when one exists for this tile count (auto, "
                             "the default)")
    parser.add_argument("--out", metavar="DIR", required=True, help="output directory (created if needed)")
    return parser


def config_from_args(args) -> Config:
    """The configuration of --config/--tiles, or of --gen-dir's manifest when neither is given."""
    overrides = {} if args.tiles is None else {"tiles": args.tiles}
    if getattr(args, "gen_dir", None) and args.config is None and not overrides:
        from pathlib import Path

        return Config.from_manifest(Path(args.gen_dir) / "manifest.json")
    return load_config(args.config, **overrides)


def _main(argv=None):
    args = _parser().parse_args(argv)
    if args.node is not None and not 1 <= args.node <= 1000:
        raise ConfigError(f"--node = {args.node:g} is out of range (allowed: 1..1000 nm)")
    config = config_from_args(args)
    from .report import run

    report = run(config, out=args.out, weights=args.weights, liberty=args.liberty, gen_dir=args.gen_dir,
                 node_nm=args.node, sim_dir=args.sim_dir, cycles_from=args.cycles_from,
                 log=lambda line: print(f"{PROG}: {line}", flush=True))
    g = report["gsops_per_w_per_mm2"]
    print(f"{PROG}: logic {report['logic_area_um2']:,.0f} um^2, macros {report['macro_area_um2']['stt']:,.0f} "
          f"(STT-RAM) / {report['macro_area_um2']['sram']:,.0f} (SRAM) um^2, f_max {report['fmax_mhz']:.1f} MHz, "
          f"{report['gsops']:.3f} GSOPS, GSOPS/W/mm^2 {g['stt']:.3f} (STT-RAM) / {g['sram']:.3f} (SRAM), "
          f"STT/SRAM {report['stt_over_sram']:.3f}")
    print(f"{PROG}: report: {args.out}/report.md (figures: report.json, area: area.png, netlist: netlist.v)")
    return 0


def main(argv=None):
    return run_cli(_main, prog=PROG, argv=argv)


if __name__ == "__main__":
    sys.exit(main())
