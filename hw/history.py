"""Per-input tau-bit spike history of one tile (docs/spec.md section 2; golden: model/history.py)."""

from amaranth import Cat, Module, Signal
from amaranth.lib import wiring
from amaranth.lib.wiring import In, Out

from .params import check_range

__all__ = ["SpikeHistory"]


class SpikeHistory(wiring.Component):
    """Shift registers ``h[l][d] = x[l, t-1-d]``; bit ``l*tau + d`` of ``bits`` is ``h[l][d]``,
    which is also the macro row of the (input, lag) pair.

    Members
    -------
    clear : In(1)
        Forget everything (start of an inference).
    shift : In(1)
        Shift ``x`` in at lag 0; the oldest lag falls out.
    x : In(inputs)
    bits : Out(inputs * tau)
    """

    def __init__(self, *, inputs: int, tau: int):
        check_range(self, "inputs", inputs, 1, 4096)
        check_range(self, "tau", tau, 1, 32)
        self.inputs, self.tau = inputs, tau
        super().__init__({"clear": In(1), "shift": In(1), "x": In(inputs), "bits": Out(inputs * tau)})

    def elaborate(self, platform):
        m = Module()
        lanes = [Signal(self.tau, name=f"h{local}") for local in range(self.inputs)]
        m.d.comb += self.bits.eq(Cat(*lanes))
        with m.If(self.clear):
            m.d.sync += [lane.eq(0) for lane in lanes]
        with m.Elif(self.shift):
            m.d.sync += [lane.eq(Cat(self.x[local], lane[:-1])) for local, lane in enumerate(lanes)]
        return m
