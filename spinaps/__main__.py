"""``python -m spinaps readme``: regenerate the generated parts of the documentation — the README's
configuration reference (from the configuration object) and docs/spec.md's register map (from the
register table, for the default configuration). Tests fail when either is stale.

(The end-to-end flow is ``python -m flow run``.)
"""

import re
import sys
from pathlib import Path

from .atomic import atomic_write_text
from .cli import ArgumentParser, command
from .config import Config, reference_markdown
from .regmap import registers_markdown, regmap_markdown

PROG = "python -m spinaps"
ROOT = Path(__file__).resolve().parents[1]
README, SPEC = ROOT / "README.md", ROOT / "docs" / "spec.md"


def _replace_block(text: str, marker: str, body: str) -> str:
    start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    return re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _: f"{start}\n{body}{end}", text, flags=re.S)


def readme_with_reference(text: str) -> str:
    return _replace_block(text, "config-reference", reference_markdown())


#: The bsnn_if configuration whose register map docs/spec.md section 13.8 shows.
BSNN_SPEC_CONFIG = {"architecture": "bsnn_if", "readout": "sense_amp_1bit"}


def spec_with_register_map(text: str) -> str:
    from .bsnn_regmap import register_map as bsnn_register_map

    text = _replace_block(text, "register-map", regmap_markdown(Config()))
    return _replace_block(text, "bsnn-register-map",
                          registers_markdown(bsnn_register_map(Config(**BSNN_SPEC_CONFIG))))


@command(PROG)
def main(argv=None):
    parser = ArgumentParser(prog=PROG, description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=ArgumentParser)
    commands.add_parser("readme", help="regenerate the README's configuration reference")
    parser.parse_args(argv)
    atomic_write_text(README, readme_with_reference(README.read_text()))
    atomic_write_text(SPEC, spec_with_register_map(SPEC.read_text()))
    print(f"updated the configuration reference in {README} and the register map in {SPEC}")
    return 0



if __name__ == "__main__":
    sys.exit(main())
