"""``python -m spinaps readme``: regenerate the README's configuration reference from the configuration object.

(The end-to-end flow is ``python -m flow run``.)
"""

import re
import sys
from pathlib import Path

from .atomic import atomic_write_text
from .cli import ArgumentParser, run_cli
from .config import reference_markdown

PROG = "python -m spinaps"
README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- config-reference:start -->", "<!-- config-reference:end -->"


def readme_with_reference(text: str) -> str:
    block = f"{START}\n{reference_markdown()}{END}"
    return re.sub(re.escape(START) + r".*?" + re.escape(END), lambda _: block, text, flags=re.S)


def _main(argv=None):
    parser = ArgumentParser(prog=PROG, description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=ArgumentParser)
    commands.add_parser("readme", help="regenerate the README's configuration reference")
    parser.parse_args(argv)
    atomic_write_text(README, readme_with_reference(README.read_text()))
    print(f"updated the configuration reference in {README}")
    return 0


def main(argv=None):
    return run_cli(_main, prog=PROG, argv=argv)


if __name__ == "__main__":
    sys.exit(main())
