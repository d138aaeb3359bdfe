"""Shared command-line plumbing: one-line errors and a non-zero exit for bad input."""

from __future__ import annotations

import argparse
import sys

from .config import ConfigError

__all__ = ["ArgumentParser", "run_cli"]


class ArgumentParser(argparse.ArgumentParser):
    """An argparse parser whose usage errors are one line on stderr (exit 2)."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def run_cli(main, *, prog: str, argv=None) -> int:
    """Run ``main(argv)``; a :class:`ConfigError` (bad config, weights or data) becomes
    ``prog: error: message`` on stderr and exit status 2."""
    try:
        return main(argv) or 0
    except ConfigError as e:
        print(f"{prog}: error: {e}", file=sys.stderr)
        return 2
