"""``python -m flow run``: the end-to-end flow behind ``make run`` (either family: the configuration's
``architecture`` picks flow/run.py or flow/bsnn.py); ``python -m flow compare``: the families side by side.

    python -m flow run --weights WEIGHTS [--config FILE] [--tiles N] [--n 100] [--sim verilator] [--work DIR] [--out DIR]
    python -m flow compare REPORT.json [REPORT.json ...] --out COMPARISON.md
"""

import sys
from pathlib import Path

from spinaps.cli import ArgumentParser, add_options, check_count, command, config_from_args

PROG = "python -m flow"


@command(PROG)
def main(argv=None):
    parser = ArgumentParser(prog=PROG, description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=ArgumentParser)
    run = commands.add_parser("run", help="evaluate, generate, simulate, synthesise, report",
                              description="Golden-model evaluation, generation, cocotb simulation against the "
                                          "golden model, synthesis, and one report (index.md, summary.json, PNGs).")
    add_options(run, weights="required", out="build/report", n=100)
    run.add_argument("--sim", choices=("icarus", "verilator"), default="verilator")
    run.add_argument("--work", metavar="DIR", default="build",
                     help="where the simulation and synthesis artefacts go: DIR/sim, DIR/synth (default: build)")
    compare = commands.add_parser("compare", help="put GLM synthesis reports and bsnn_if summaries side by side",
                                  description="A Markdown table of the designs' accuracy, latency, energy, "
                                              "efficiency and area, each figure labelled, with the published ones.")
    compare.add_argument("reports", nargs="+", metavar="REPORT.json")
    compare.add_argument("--out", metavar="FILE", required=True, help="Markdown file to write")
    args = parser.parse_args(argv)
    if args.command == "compare":
        from .compare import compare as write_comparison

        print(write_comparison(args.reports, args.out), end="")
        print(f"wrote {args.out}")
        return 0

    check_count("--n", args.n, 1, 100000)
    config = config_from_args(args)
    if config.architecture == "bsnn_if":
        from .bsnn import run_bsnn_flow

        summary = run_bsnn_flow(config, weights=Path(args.weights), out=Path(args.out), n=args.n, sim=args.sim)
        print(f"\naccuracy golden {summary['accuracy_golden']:.1%}, RTL {summary['accuracy_rtl']:.1%} "
              f"({summary['mismatches']} mismatches), {summary['energy_pj_per_inference'] / 1e3:.2f} nJ and "
              f"{summary['latency_us']:.3f} us per inference")
        print(f"report: {Path(args.out) / 'index.md'}  summary: {Path(args.out) / 'summary.json'}")
        return 0
    from .run import run_flow

    summary = run_flow(config, weights=Path(args.weights), out=Path(args.out), n=args.n, sim=args.sim,
                       build=Path(args.work).resolve())
    print(f"\naccuracy golden {summary['accuracy_golden']:.1%}, RTL {summary['accuracy_rtl']:.1%} "
          f"({summary['mismatches']} mismatches), STT-RAM/SRAM {summary['stt_over_sram']:.2f}x")
    print(f"report: {Path(args.out) / 'index.md'}  summary: {Path(args.out) / 'summary.json'}")
    return 0



if __name__ == "__main__":
    sys.exit(main())
