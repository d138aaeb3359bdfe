"""Event scanner: the set bits of a tile's history, lowest row first, one per cycle
(docs/spec.md section 2; golden: model/scanner.py)."""

from amaranth import Cat, Const, Module, Mux, Signal
from amaranth.lib import wiring
from amaranth.lib.wiring import In, Out
from amaranth.utils import ceil_log2

from .params import check_range

__all__ = ["EventScanner"]


def _lowest(m, bits, name):
    """``(any, index)`` of the lowest set bit of ``bits``, by a balanced tree of 2:1 choices:
    logarithmic depth in the number of rows, not a carry chain through all of them."""
    if len(bits) == 1:
        return bits[0], Signal(0)
    half = 1 << (ceil_log2(len(bits)) - 1)
    low_any, low_index = _lowest(m, bits[:half], name + "l")
    high_any, high_index = _lowest(m, bits[half:], name + "h")
    found, index = Signal(name=f"{name}_any"), Signal(ceil_log2(half) + 1, name=f"{name}_index")
    m.d.comb += [found.eq(low_any | high_any),
                 index.eq(Mux(low_any, low_index, Cat(high_index, Const(0, ceil_log2(half) - len(high_index)),
                                                     Const(1, 1))))]
    return found, index


class EventScanner(wiring.Component):
    """Issues the active (input, lag) pairs of a step, lowest row first, one per cycle.

    In a ``start`` cycle the scanner takes ``bits`` (the step's history) and issues its lowest set
    row in that same cycle; it issues one remaining row in each following cycle. ``idle`` is high
    when no row is pending from earlier cycles (so none is issued in this cycle unless ``start``):
    after a ``start`` with E rows it is low until, and rises in, cycle max(E, 1) after the start
    (the cycle after the last row). ``flush`` forgets the remaining rows (the row of the flush cycle
    is still issued).

    Members
    -------
    bits : In(rows)
    start, flush : In(1)
    valid : Out(1)
        A row is issued this cycle.
    row : Out(ceil_log2(rows) or 1)
    idle : Out(1)
    """

    def __init__(self, *, rows: int):
        check_range(self, "rows", rows, 1, 65536)
        self.rows = rows
        super().__init__({"bits": In(rows), "start": In(1), "flush": In(1), "valid": Out(1),
                          "row": Out(ceil_log2(rows) or 1), "idle": Out(1)})

    def elaborate(self, platform):
        m = Module()
        pending = Signal(self.rows)
        source = Signal(self.rows)
        m.d.comb += source.eq(Mux(self.start, self.bits, pending))
        found, index = _lowest(m, source, "scan")
        m.d.comb += [self.valid.eq(found), self.row.eq(index), self.idle.eq(pending == 0)]
        # Clear the issued row: a two-level one-hot decode of its index (AND of a high and a low decoder).
        width = len(self.row)
        low_bits = width // 2
        high = [Signal(name=f"row_high{a}") for a in range(1 << (width - low_bits))]
        low = [Signal(name=f"row_low{b}") for b in range(1 << low_bits)]
        m.d.comb += [h.eq(self.row[low_bits:] == a) for a, h in enumerate(high)]
        m.d.comb += [lo.eq(self.row[:low_bits] == b) for b, lo in enumerate(low)]
        issued = Cat(*(high[r >> low_bits] & low[r & ((1 << low_bits) - 1)] for r in range(self.rows)))
        with m.If(self.flush):
            m.d.sync += pending.eq(0)
        with m.Else():
            m.d.sync += pending.eq(source & ~issued)
        return m
