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
        ``bits`` becomes ``shifted``.
    x : In(inputs)
        The spikes of the step just encoded.
    bits : Out(inputs * tau)
        The history.
    shifted : Out(inputs * tau)
        The history with ``x`` shifted in at lag 0 and the oldest lag dropped (combinational):
        what ``bits`` becomes at a ``shift``, offered a cycle early to the event scanner.
    """

    def __init__(self, *, inputs: int, tau: int):
        check_range(self, "inputs", inputs, 1, 4096)
        check_range(self, "tau", tau, 1, 32)
        self.inputs, self.tau = inputs, tau
        super().__init__({"clear": In(1), "shift": In(1), "x": In(inputs), "bits": Out(inputs * tau),
                          "shifted": Out(inputs * tau)})

    def elaborate(self, platform):
        m = Module()
        tau = self.tau
        lanes = [self.bits[local * tau:(local + 1) * tau] for local in range(self.inputs)]
        m.d.comb += self.shifted.eq(Cat(*(Cat(self.x[local], lane[:-1]) for local, lane in enumerate(lanes))))
        with m.If(self.clear):
            m.d.sync += self.bits.eq(0)
        with m.Elif(self.shift):
            m.d.sync += self.bits.eq(self.shifted)
        return m
