"""LFSR with several b-bit draws in one cycle (docs/spec.md section 5.1; golden: model/lfsr.py)."""

from functools import cache

from amaranth import Cat, Const, Module, Mux, Signal
from amaranth.lib import data, wiring
from amaranth.lib.wiring import In, Out

from spinaps.contract import LFSR_TAPS

from .params import check_choice, check_range

__all__ = ["Lfsr", "advanced_bits"]


@cache
def advanced_bits(width: int, steps: int) -> tuple[int, ...]:
    """The state after ``steps`` steps as a linear function of the state before.

    Bit i of the result is the XOR of the state bits set in mask ``[i]``: an LFSR step is
    linear over GF(2), so any number of steps is one XOR per bit of at most ``width`` inputs
    (logarithmic depth), not a chain of ``steps`` feedbacks.
    """
    bits = [1 << i for i in range(width)]          # bit i of the state, as a mask of the initial bits
    for _ in range(steps):
        feedback = 0
        for tap in LFSR_TAPS[width]:
            feedback ^= bits[tap - 1]
        bits = [feedback] + bits[:-1]
    return tuple(bits)


def _linear(state, masks):
    """Signals of ``state`` combined by the GF(2) masks, one bit per mask."""
    return Cat(*(Cat(*(state[i] for i in range(len(state)) if mask >> i & 1)).xor() for mask in masks))


class Lfsr(wiring.Component):
    """A W-bit Fibonacci LFSR giving ``draws`` draws of ``draw_bits`` bits per cycle.

    Draw k (k = 0 .. draws-1) is the ``draw_bits`` newest state bits after (k+1)·b steps,
    i.e. the k-th next draw of the spec's stream. ``next`` consumes them: the state
    advances ``draws·b`` steps, or ``short_draws·b`` steps when ``short`` is high (a partial
    last group of inputs or neurons takes only the draws it uses).

    Arguments
    ---------
    width : int
        W, a key of :data:`spinaps.contract.LFSR_TAPS`.
    draw_bits : int
        b, bits of one draw (1..W).
    draws : int
        Draws per cycle (1..256).
    short_draws : int
        Draws consumed when ``short`` is high (1..draws); default ``draws``.
    salt : int
        Constant XORed into the seed when it is loaded (distinct streams from one seed register).

    Members
    -------
    seed : In(width)
        ``nz(seed xor salt)`` is loaded when ``load`` is high.
    load, next, short : In(1)
    draw : Out(ArrayLayout(draw_bits, draws))
        The next draws (combinational from the state).
    """

    def __init__(self, *, width: int, draw_bits: int, draws: int = 1, short_draws: int | None = None,
                 salt: int = 0):
        check_choice(self, "width", width, sorted(LFSR_TAPS))
        check_range(self, "draw_bits", draw_bits, 1, width)
        check_range(self, "draws", draws, 1, 256)
        short_draws = draws if short_draws is None else short_draws
        check_range(self, "short_draws", short_draws, 1, draws)
        check_range(self, "salt", salt, 0, (1 << width) - 1)
        self.width, self.draw_bits, self.draws, self.short_draws, self.salt = (
            width, draw_bits, draws, short_draws, salt)
        super().__init__({"seed": In(width), "load": In(1), "next": In(1), "short": In(1),
                          "draw": Out(data.ArrayLayout(draw_bits, draws))})

    def elaborate(self, platform):
        m = Module()
        w, b = self.width, self.draw_bits
        state = Signal(w, init=1)
        for k in range(self.draws):
            m.d.comb += self.draw[k].eq(_linear(state, advanced_bits(w, (k + 1) * b)[:b]))
        advanced = _linear(state, advanced_bits(w, self.draws * b))
        if self.short_draws != self.draws:
            advanced = Mux(self.short, _linear(state, advanced_bits(w, self.short_draws * b)), advanced)
        with m.If(self.load):
            salted = self.seed ^ self.salt
            m.d.sync += state.eq(Mux(salted == 0, Const(1, w), salted))
        with m.Elif(self.next):
            m.d.sync += state.eq(advanced)
        return m
