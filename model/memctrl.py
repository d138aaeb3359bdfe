"""Golden model of the memory controller (docs/spec.md, section 8).

The controller programs a row by write-verify: write it, read it back, compare
with the wanted data; on a mismatch it writes again, at most ``write_retries``
times. When the row is still wrong after the last retry the program fails and
the sticky error flag is set; only the host clears it. This model is not
cycle-accurate: ``hw/memctrl.py`` documents the timing.
"""

from __future__ import annotations

from .sttram import SttRamMacro

__all__ = ["MemoryController"]


class MemoryController:
    """Write-verify with bounded retries around one macro.

    Arguments
    ---------
    macro : SttRamMacro
        The macro it programs (shared: reads go straight to it).
    write_retries : int
        Writes after the first one before a program fails.

    Members
    -------
    sticky_error : bool
        Set by a failed program, cleared by :meth:`clear_error`.
    retry_count, fail_count : int
        Retries and failed programs so far (the top level counts these).
    """

    def __init__(self, macro: SttRamMacro, *, write_retries: int):
        self.macro, self.write_retries = macro, write_retries
        self.sticky_error = False
        self.retry_count = self.fail_count = 0

    def program(self, row: int, data: int) -> tuple[bool, int]:
        """Write-verify ``data`` into ``row``; returns ``(ok, retries)``."""
        retries = 0
        while True:
            self.macro.write(row, data)
            if self.macro.read(row) == data:
                return True, retries
            if retries == self.write_retries:
                self.sticky_error = True
                self.fail_count += 1
                return False, retries
            retries += 1
            self.retry_count += 1

    def read_back(self, row: int) -> int:
        return self.macro.read(row)

    def clear_error(self):
        self.sticky_error = False
