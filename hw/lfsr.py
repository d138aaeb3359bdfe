"""LFSR with b-bit draws in one cycle (docs/spec.md section 5.1; golden: model/lfsr.py)."""

from amaranth import Cat, Const, Module, Mux, Signal
from amaranth.lib import wiring
from amaranth.lib.wiring import In, Out

from spinaps.config import LFSR_TAPS

from .params import check_choice, check_range

__all__ = ["Lfsr"]


def unrolled_step(m, state, width, steps, name="lfsr"):
    """The state after ``steps`` steps, one named feedback signal per step.

    Naming each feedback bit keeps every expression four XORs deep; without it
    the nested expressions grow exponentially with ``steps``.
    """
    bits = [state[i] for i in range(width)]
    for step in range(steps):
        feedback = Signal(name=f"{name}_fb{step}")
        m.d.comb += feedback.eq(Cat(*(bits[tap - 1] for tap in LFSR_TAPS[width])).xor())
        bits = [feedback] + bits[:-1]
    return Cat(*bits)


class Lfsr(wiring.Component):
    """A W-bit Fibonacci LFSR that takes ``draw_bits`` steps per draw, in one cycle.

    Arguments
    ---------
    width : int
        W, a key of :data:`spinaps.config.LFSR_TAPS`.
    draw_bits : int
        b, bits of one draw (1..W).
    salt : int
        Constant XORed into the seed when it is loaded (distinct streams from one seed register).

    Members
    -------
    seed : In(width)
        ``seed xor salt`` is loaded (0 loads 1) when ``load`` is high.
    load : In(1)
    next : In(1)
        Consume ``draw``: the state advances b steps at the clock edge.
    draw : Out(draw_bits)
        The next draw (combinational from the state): the b newest bits after b steps.
    """

    def __init__(self, *, width: int, draw_bits: int, salt: int = 0):
        check_choice(self, "width", width, sorted(LFSR_TAPS))
        check_range(self, "draw_bits", draw_bits, 1, width)
        check_range(self, "salt", salt, 0, (1 << width) - 1)
        self.width, self.draw_bits, self.salt = width, draw_bits, salt
        super().__init__({"seed": In(width), "load": In(1), "next": In(1), "draw": Out(draw_bits)})

    def elaborate(self, platform):
        m = Module()
        state = Signal(self.width, init=1)
        advanced = unrolled_step(m, state, self.width, self.draw_bits)
        m.d.comb += self.draw.eq(advanced[:self.draw_bits])
        with m.If(self.load):
            salted = self.seed ^ self.salt
            m.d.sync += state.eq(Mux(salted == 0, Const(1, self.width), salted))
        with m.Elif(self.next):
            m.d.sync += state.eq(advanced)
        return m
