"""Accumulation of the rows the tiles read: an adder tree across tiles and N_Y accumulators
(docs/spec.md sections 3 and 9; golden: model/accumulator.py)."""

from amaranth import Cat, Module, Mux, Signal, signed
from amaranth.lib import data, wiring
from amaranth.lib.wiring import In, Out
from amaranth.utils import ceil_log2

from spinaps.config import Config

from .tile import RowStreamSignature

__all__ = ["Accumulator"]


def _tree_sum(m, terms, name):
    """A balanced tree of adders over ``terms`` (depth ceil(log2(len(terms)))), widths growing a bit a level."""
    if len(terms) == 1:
        return terms[0]
    half = len(terms) // 2
    low, high = _tree_sum(m, terms[:half], name + "l"), _tree_sum(m, terms[half:], name + "h")
    total = Signal(signed(max(len(low), len(high)) + 1), name=name)
    m.d.comb += total.eq(low + high)
    return total


class Accumulator(wiring.Component):
    """Adds the weights of every row the tiles read into the step's potentials.

    Each cycle the rows valid on ``rows`` are summed output by output across tiles (a balanced
    adder tree) into a register, which the next cycle adds to the accumulators; per-tile event
    counts follow the same register. A ``handoff`` marks the first cycle of a new step on this
    side of the reads: in that cycle ``sums`` and ``events`` are the finished step's, and the
    accumulators restart from the biases (plus the new step's first rows). ``start`` (an
    inference's first cycle) loads the biases and drops anything in the register.

    Members
    -------
    rows : In(RowStreamSignature).array(tiles)
    bias : In(ArrayLayout(signed(bias_bits), N_Y))
    start, handoff : In(1)
    sums : Out(ArrayLayout(signed(acc_width), N_Y))
        Bias plus the weights of the step's events: the potentials of the step (no overflow by
        construction: acc_width holds every possible sum).
    events : Out(ArrayLayout(range(rows_per_tile + 1), tiles))
        The step's events per tile.
    """

    def __init__(self, *, config: Config):
        self.config = c = config
        super().__init__({
            "rows": In(RowStreamSignature(config=c)).array(c.tiles),
            "bias": In(data.ArrayLayout(signed(c.bias_bits), c.n_outputs)),
            "start": In(1), "handoff": In(1),
            "sums": Out(data.ArrayLayout(signed(c.acc_width), c.n_outputs)),
            "events": Out(data.ArrayLayout(range(c.rows_per_tile + 1), c.tiles)),
        })

    def elaborate(self, platform):
        c = self.config
        m = Module()
        b = c.weight_bits
        reduced_valid = Signal(c.tiles)
        reduced = [Signal(signed(b + ceil_log2(c.tiles)), name=f"reduced{i}") for i in range(c.n_outputs)]
        for i in range(c.n_outputs):
            terms = []
            for k, tile in enumerate(self.rows):
                weight = Signal(signed(b), name=f"weight{k}_{i}")
                m.d.comb += weight.eq(Mux(tile.valid, tile.data[i * b:(i + 1) * b].as_signed(), 0))
                terms.append(weight)
            m.d.sync += reduced[i].eq(_tree_sum(m, terms, f"tree{i}_"))
        m.d.sync += reduced_valid.eq(Cat(*(tile.valid for tile in self.rows)))

        with m.If(self.start):
            m.d.sync += [self.sums[i].eq(self.bias[i]) for i in range(c.n_outputs)]
            m.d.sync += [self.events[k].eq(0) for k in range(c.tiles)]
            m.d.sync += [r.eq(0) for r in reduced] + [reduced_valid.eq(0)]
        with m.Else():
            for i in range(c.n_outputs):
                m.d.sync += self.sums[i].eq(Mux(self.handoff, self.bias[i], self.sums[i]) + reduced[i])
            for k in range(c.tiles):
                m.d.sync += self.events[k].eq(Mux(self.handoff, 0, self.events[k]) + reduced_valid[k])
        return m
