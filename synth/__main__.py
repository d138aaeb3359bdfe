"""``python -m synth``: synthesise a design and report area, f_max, GSOPS and GSOPS/W/mm^2.

    python -m synth --tiles 8 [--config FILE] [--weights FILE] [--liberty PATH] [--gen-dir DIR]
                    [--node NM] [--idle-fraction D] [--activity auto|simulate|vectorless]
                    [--waveform FILE] [--activity-images N] --out build/synth

Writes OUT/report.json, OUT/report.md, OUT/area.png and OUT/netlist.v atomically (and OUT/gen/,
the generated design, unless --gen-dir names one; OUT/activity.json and OUT/activity/, the
gate-level simulation, when the activity is measured; OUT/opensta/ when OpenSTA is installed).
"""

from __future__ import annotations

import sys
from pathlib import Path

from spinaps.cli import ArgumentParser, add_options, check_count, command
from spinaps.cli import config_from_args as config_of_options
from spinaps.config import Config, ConfigError

PROG = "python -m synth"


def _parser():
    parser = ArgumentParser(prog=PROG, description="Synthesise a spinaps accelerator with the pinned Yosys "
                            "against a liberty (STT-RAM macros as black boxes), time it, model its macros "
                            "(STT-RAM and an SRAM twin) and report area, f_max, GSOPS and GSOPS/W/mm^2.")
    add_options(parser, weights="optional", out="required")
    parser.add_argument("--liberty", metavar="PATH", help="liberty file (default: OSU 0.18 um from "
                        "scripts/get_liberty.sh)")
    parser.add_argument("--gen-dir", metavar="DIR", help="synthesise the design python -m gen wrote there "
                        "(default: generate it into OUT/gen)")
    parser.add_argument("--node", type=int, metavar="NM", help="node in nm the figures are projected to, "
                        "logic and macros (default: the configuration's node_nm, 180; allowed: "
                        + ", ".join(map(str, _nodes())) + ")")
    parser.add_argument("--idle-fraction", type=float, default=0.0, metavar="D",
                        help="fraction of the time idle between inferences: STT-RAM macros power-gated, SRAM "
                             "leaking (default: 0, back to back)")
    parser.add_argument("--activity", choices=("auto", "simulate", "vectorless"), default="auto",
                        help="switching activity of the logic power: toggle rates from a gate-level simulation "
                             "of the netlist (simulate), a fixed vectorless rate (vectorless), or auto: --waveform "
                             "when given, else OUT/activity.json when measured on this netlist, else simulate when "
                             "Icarus is installed and the design has at most 1,024 macro rows, else vectorless "
                             "(default)")
    parser.add_argument("--waveform", metavar="FILE", help="VCD or FST of a gate-level simulation of this netlist "
                        "to take the toggle rates from")
    parser.add_argument("--activity-images", type=int, default=2, metavar="N",
                        help="test images the gate-level simulation runs for the toggle rates (default: 2)")
    parser.add_argument("--sim-dir", metavar="DIR", help="where python -m verif.sim results are looked for "
                        "(default: build/sim)")
    parser.add_argument("--cycles-from", choices=("auto", "sim", "golden"), default="auto",
                        help="cycles and SOPs per inference from a simulation's results.json (sim), the golden "
                             "model on the test split (golden), or sim when one exists for this tile count (auto, "
                             "the default)")
    return parser


def config_from_args(args) -> Config:
    """The configuration of --config/--tiles, or of --gen-dir's manifest when neither is given."""
    if getattr(args, "gen_dir", None) and args.config is None and args.tiles is None:
        return Config.from_manifest(Path(args.gen_dir) / "manifest.json")
    return config_of_options(args)


def _nodes() -> tuple[int, ...]:
    from .macro_model import covered_nodes, load_technology

    return covered_nodes(load_technology())


@command(PROG)
def main(argv=None):
    args = _parser().parse_args(argv)
    if args.node is not None and args.node not in _nodes():
        raise ConfigError(f"--node = {args.node} is not allowed (allowed: {', '.join(map(str, _nodes()))})")
    if not 0.0 <= args.idle_fraction < 1.0:
        raise ConfigError(f"--idle-fraction = {args.idle_fraction:g} is out of range (allowed: 0 <= D < 1)")
    check_count("--activity-images", args.activity_images, 1, 100)
    if args.waveform is not None and not Path(args.waveform).is_file():
        raise ConfigError(f"--waveform {args.waveform}: no such file")
    config = config_from_args(args)
    from .report import run

    report = run(config, out=args.out, weights=args.weights, liberty=args.liberty, gen_dir=args.gen_dir,
                 node_nm=args.node, sim_dir=args.sim_dir, cycles_from=args.cycles_from,
                 idle_fraction=args.idle_fraction, activity=args.activity, waveform=args.waveform,
                 activity_images=args.activity_images, log=lambda line: print(f"{PROG}: {line}", flush=True))
    g = report["gsops_per_w_per_mm2"]
    opensta = "not run" if report["fmax_mhz_opensta"] is None else f"{report['fmax_mhz_opensta']:.1f} MHz"
    print(f"{PROG}: at {report['reference_node_nm']:g} nm (measured): logic {report['logic_area_um2']:,.0f} um^2, "
          f"f_max {report['fmax_mhz']:.1f} MHz (OpenSTA: {opensta}), logic power from "
          f"{report['power_activity_source']} activity")
    print(f"{PROG}: at {report['node_nm']:g} nm: macros {report['macro_area_um2']['stt']:,.0f} (STT-RAM) / "
          f"{report['macro_area_um2']['sram']:,.0f} (SRAM) um^2, {report['gsops']:.3f} GSOPS, GSOPS/W/mm^2 "
          f"{g['stt']:.3f} (STT-RAM) / {g['sram']:.3f} (SRAM), STT/SRAM {report['stt_over_sram']:.3f}")
    print(f"{PROG}: report: {args.out}/report.md (figures: report.json, area: area.png, netlist: netlist.v)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
