"""Shared command-line plumbing: the common options, one-line errors and a non-zero exit for bad input."""

from __future__ import annotations

import argparse
import sys

from .config import Config, ConfigError, load_config

__all__ = ["ArgumentParser", "VerificationError", "run_cli", "command", "add_options", "config_from_args",
           "check_count"]


class VerificationError(Exception):
    """What a flow verifies does not hold (a failed test, a mismatch, a simulation that ended early).
    The message is one line; a command exits with status 1."""


class ArgumentParser(argparse.ArgumentParser):
    """An argparse parser whose usage errors are one line on stderr (exit 2)."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def add_options(parser: argparse.ArgumentParser, *, config: bool = True, tiles: bool = True,
                weights: str | None = None, out: str | None = None, n: int | None = None,
                n_help: str = "test images to simulate") -> None:
    """Add the options every spinaps command spells the same way.

    Arguments
    ---------
    weights : "required", "optional" or None
        Add ``--weights FILE``.
    out : str or None
        Add ``--out DIR``; the value is the default directory (``"required"``: no default).
    n : int or None
        Add ``--n N`` with this default.
    """
    if config:
        parser.add_argument("--config", metavar="FILE", help="YAML configuration (default: built-in default)")
    if tiles:
        parser.add_argument("--tiles", type=int, metavar="N", help="tiles (default: the configuration's)")
    if weights is not None:
        parser.add_argument("--weights", metavar="FILE", required=weights == "required",
                            help="trained weights file (python -m model train)")
    if out is not None:
        parser.add_argument("--out", metavar="DIR", required=out == "required",
                            default=None if out == "required" else out,
                            help="output directory" + ("" if out == "required" else f" (default: {out})"))
    if n is not None:
        parser.add_argument("--n", type=int, default=n, metavar="N", help=f"{n_help} (default: {n})")


def check_count(name: str, value: int, lo: int, hi: int) -> int:
    """A count option in range, or a ConfigError with the usual one-line message."""
    if not lo <= value <= hi:
        raise ConfigError(f"{name} = {value} is out of range (allowed: {lo}..{hi})")
    return value


def config_from_args(args) -> Config:
    """The configuration of ``--config`` with ``--tiles`` applied (one-line ConfigError otherwise)."""
    tiles = getattr(args, "tiles", None)
    return load_config(getattr(args, "config", None), **({} if tiles is None else {"tiles": tiles}))


def run_cli(main, *, prog: str, argv=None) -> int:
    """Run ``main(argv)``; a :class:`ConfigError` (bad config, weights or data) becomes
    ``prog: error: message`` on stderr and exit status 2, a :class:`VerificationError`
    ``prog: FAILED: message`` and exit status 1."""
    try:
        return main(argv) or 0
    except ConfigError as e:
        print(f"{prog}: error: {e}", file=sys.stderr)
        return 2
    except VerificationError as e:
        print(f"{prog}: FAILED: {e}", file=sys.stderr)
        return 1


def command(prog: str):
    """Decorator: ``main(argv)`` of a command-line tool, run by :func:`run_cli` (one-line errors, exit status).

    Use as ``@command(PROG) def main(argv=None): ...`` and ``if __name__ == "__main__": sys.exit(main())``.
    """
    def wrap(body):
        def main(argv=None):
            return run_cli(body, prog=prog, argv=argv)
        main.__doc__ = body.__doc__
        return main
    return wrap
