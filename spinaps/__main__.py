"""``python -m spinaps``: the end-to-end flow, and README maintenance.

    python -m spinaps run --weights WEIGHTS [--config FILE] [--tiles N] [--n 100] [--sim verilator] [--out DIR]
    python -m spinaps readme      regenerate the README's configuration reference
"""

import re
import sys
from pathlib import Path

from .atomic import atomic_write_text
from .cli import ArgumentParser, run_cli
from .config import ConfigError, load_config, reference_markdown

PROG = "python -m spinaps"
README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- config-reference:start -->", "<!-- config-reference:end -->"


def readme_with_reference(text: str) -> str:
    block = f"{START}\n{reference_markdown()}{END}"
    return re.sub(re.escape(START) + r".*?" + re.escape(END), lambda _: block, text, flags=re.S)


def _main(argv=None):
    parser = ArgumentParser(prog=PROG, description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=ArgumentParser)
    run = commands.add_parser("run", help="evaluate, generate, simulate, synthesise, report",
                              description="Golden-model evaluation, generation, cocotb simulation against the "
                                          "golden model, synthesis, and one report (index.md, summary.json, PNGs).")
    run.add_argument("--weights", required=True, metavar="FILE", help="trained weights (python -m model train)")
    run.add_argument("--config", metavar="FILE", help="YAML configuration (default: built-in default)")
    run.add_argument("--tiles", type=int, metavar="N", help="tiles (default: the configuration's)")
    run.add_argument("--n", type=int, default=100, metavar="N", help="test digits to simulate (default: 100)")
    run.add_argument("--sim", choices=("icarus", "verilator"), default="verilator")
    run.add_argument("--out", default="build/report", metavar="DIR", help="report directory (default: build/report)")
    commands.add_parser("readme", help="regenerate the README's configuration reference")
    args = parser.parse_args(argv)

    if args.command == "readme":
        atomic_write_text(README, readme_with_reference(README.read_text()))
        print(f"updated the configuration reference in {README}")
        return 0
    from .flow import run_flow

    if not 1 <= args.n <= 10000:
        raise ConfigError(f"--n = {args.n} is out of range (allowed: 1..10000)")
    config = load_config(args.config, **({} if args.tiles is None else {"tiles": args.tiles}))
    summary = run_flow(config, weights=Path(args.weights), out=Path(args.out), n=args.n, sim=args.sim)
    print(f"\naccuracy golden {summary['accuracy_golden']:.1%}, RTL {summary['accuracy_rtl']:.1%} "
          f"({summary['mismatches']} mismatches), STT-RAM/SRAM {summary['stt_over_sram']:.2f}x")
    print(f"report: {Path(args.out) / 'index.md'}  summary: {Path(args.out) / 'summary.json'}")
    return 0


def main(argv=None):
    return run_cli(_main, prog=PROG, argv=argv)


if __name__ == "__main__":
    sys.exit(main())
