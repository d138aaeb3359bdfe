"""Event scanner: the set bits of a tile's history, lowest row first, one per cycle
(docs/spec.md section 2; golden: model/scanner.py)."""

from amaranth import Module, Signal
from amaranth.lib import wiring
from amaranth.lib.wiring import In, Out
from amaranth.utils import ceil_log2

from .params import check_range

__all__ = ["EventScanner"]


class EventScanner(wiring.Component):
    """Finds active (input, lag) pairs, skipping silent ones.

    ``start`` copies ``bits`` into the pending set. While it is not empty,
    ``valid`` is high and ``row`` is its lowest set bit, which is removed at
    the clock edge: e events take e cycles after the start cycle.

    Members
    -------
    bits : In(rows)
    start : In(1)
    valid : Out(1)
    row : Out(ceil_log2(rows))
    """

    def __init__(self, *, rows: int):
        check_range(self, "rows", rows, 1, 131072)
        self.rows = rows
        super().__init__({"bits": In(rows), "start": In(1), "valid": Out(1),
                          "row": Out(max(1, ceil_log2(rows)))})

    def elaborate(self, platform):
        m = Module()
        pending = Signal(self.rows)
        lowest = Signal(self.rows)  # one-hot of the lowest set bit: x & -x
        m.d.comb += [lowest.eq(pending & (~pending + 1)), self.valid.eq(pending != 0)]
        # One-hot to binary: bit b of the row is set when the one-hot bit sits at an index with bit b set.
        for b in range(len(self.row)):
            mask = sum(1 << i for i in range(self.rows) if (i >> b) & 1)
            m.d.comb += self.row[b].eq((lowest & mask) != 0)
        with m.If(self.start):
            m.d.sync += pending.eq(self.bits)
        with m.Else():
            m.d.sync += pending.eq(pending & ~lowest)
        return m
