"""Golden model of the behavioural STT-RAM macro (docs/spec.md, section 8).

A macro holds ``rows`` rows of ``row_bits`` binary cells. Reads are exact. With
``write_error_rate`` > 0 every write takes one 16-bit draw per cell, cells
0 .. row_bits-1 in order, from the macro's write-failure LFSR; a cell whose
draw is below ``floor(write_error_rate * 2**16 + 1/2)`` fails and keeps its old
value. Draws are taken for every cell, changing or not (and afresh for every retry of a
write-verify), so the consumption
order never depends on the data. The LFSR is loaded from the seed when the
macro is built and at every reset (:meth:`SttRamMacro.reset`); the contents
survive reset. This model is not cycle-accurate: ``hw/sttram.py`` documents the
timing.
"""

from __future__ import annotations

from spinaps.contract import WRITE_FAILURE_DRAW_BITS, failure_threshold, nonzero_seed

from .lfsr import lfsr_draw

__all__ = ["SttRamMacro"]


class SttRamMacro:
    """One STT-RAM macro with injected write failures.

    Arguments
    ---------
    rows, row_bits : int
        Geometry.
    write_error_rate : float
        Probability that one cell write fails (0 disables failures and draws).
    seed : int
        Write-failure LFSR seed (0 loads 1).
    lfsr_width : int
        W, a key of :data:`spinaps.config.LFSR_TAPS`.
    init : list of int or None
        Initial contents; None is erased (all zeros).

    Members
    -------
    contents : list of int
        The stored rows.
    state : int
        The write-failure LFSR state.
    failed_cells : int
        Cells so far that had to switch and did not (a statistic, not hardware).
    """

    def __init__(self, *, rows: int, row_bits: int, write_error_rate: float, seed: int, lfsr_width: int,
                 init=None):
        if init is None:
            init = [0] * rows
        if len(init) != rows:
            raise ValueError(f"init has {len(init)} rows (expected {rows})")
        self.rows, self.row_bits = rows, row_bits
        self.write_error_rate, self.threshold = write_error_rate, failure_threshold(write_error_rate)
        self.seed, self.lfsr_width = seed, lfsr_width
        self.contents = []
        for value in init:
            self._check_data(int(value))
            self.contents.append(int(value))
        self.failed_cells = 0
        self.reset()

    def reset(self):
        """What the macro's reset does: reload the write-failure LFSR; the contents survive."""
        self.state = nonzero_seed(self.seed, self.lfsr_width)

    def _check_row(self, row):
        if not 0 <= row < self.rows:
            raise IndexError(f"row {row} is out of range (allowed: 0..{self.rows - 1})")

    def _check_data(self, data):
        if not 0 <= data < 1 << self.row_bits:
            raise ValueError(f"data {data:#x} does not fit in {self.row_bits} cells")

    def read(self, row: int) -> int:
        self._check_row(row)
        return self.contents[row]

    def write(self, row: int, data: int) -> int:
        """Write ``data`` to ``row``; returns what was stored, failures applied."""
        self._check_row(row)
        self._check_data(data)
        old = self.contents[row]
        if self.write_error_rate > 0:
            failing = 0
            for cell in range(self.row_bits):
                draw, self.state = lfsr_draw(self.state, self.lfsr_width, WRITE_FAILURE_DRAW_BITS)
                if draw < self.threshold:
                    failing |= 1 << cell
            self.failed_cells += ((old ^ data) & failing).bit_count()
            data = (old & failing) | (data & ~failing)
        self.contents[row] = data
        return data
