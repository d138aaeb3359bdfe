"""``python -m spinaps readme``: regenerate the README's configuration reference from the
configuration object, so the two cannot drift (tests/test_config.py checks it)."""

import re
import sys
from pathlib import Path

from .atomic import atomic_write_text
from .config import reference_markdown

README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- config-reference:start -->", "<!-- config-reference:end -->"


def readme_with_reference(text: str) -> str:
    block = f"{START}\n{reference_markdown()}{END}"
    return re.sub(re.escape(START) + r".*?" + re.escape(END), lambda _: block, text, flags=re.S)


def main(argv):
    if argv != ["readme"]:
        print("usage: python -m spinaps readme", file=sys.stderr)
        return 2
    atomic_write_text(README, readme_with_reference(README.read_text()))
    print(f"updated the configuration reference in {README}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
