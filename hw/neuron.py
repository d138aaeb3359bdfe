"""GLM neuron stage: reduction across tiles, bias, sigmoid LUT, spike comparator
(docs/spec.md sections 3-5; golden: model/neuron.py)."""

from amaranth import Module, Mux, Signal, signed, unsigned
from amaranth.lib import data, wiring
from amaranth.lib.memory import Memory
from amaranth.lib.wiring import In, Out

from model.sigmoid_lut import sigmoid_lut
from spinaps.config import Config

from .lfsr import Lfsr

__all__ = ["NeuronStage"]


class NeuronStage(wiring.Component):
    """Evaluates the N_Y output neurons of one time step, one neuron per cycle.

    For neuron i: ``u = sum_k tile_acc[k][i] + bias[i]`` (exact, ``acc_width``
    bits), ``prob = LUT[clamp(u >> S)]``, a P-bit draw from the spike LFSR,
    ``spike = draw < prob``. Neurons are visited in order 0 .. N_Y-1, which is
    the spike stream's consumption order.

    Arguments
    ---------
    config : Config

    Members
    -------
    seed : In(lfsr_width)
        SEED_SPIKE, loaded into the spike LFSR by ``load``.
    load : In(1)
    start : In(1)
        Evaluate all neurons; ``busy`` is high while ``valid`` results stream out.
    tile_acc : In(ArrayLayout(ArrayLayout(signed(tile_acc_width), N_Y), tiles))
    bias : In(ArrayLayout(signed(bias_bits), N_Y))
    busy, valid : Out(1)
    neuron : Out(range(N_Y))
    potential : Out(signed(acc_width))
    prob, draw : Out(prob_bits)
    spike : Out(1)
    tile_partial : Out(ArrayLayout(signed(tile_acc_width), tiles))
        The tile partial sums of this neuron (for traces).
    """

    def __init__(self, *, config: Config):
        self.config = c = config
        tile_acc = signed(c.tile_acc_width)
        super().__init__({
            "seed": In(c.lfsr_width), "load": In(1), "start": In(1),
            "tile_acc": In(data.ArrayLayout(data.ArrayLayout(tile_acc, c.n_outputs), c.tiles)),
            "bias": In(data.ArrayLayout(signed(c.bias_bits), c.n_outputs)),
            "busy": Out(1), "valid": Out(1), "neuron": Out(range(c.n_outputs)),
            "potential": Out(signed(c.acc_width)), "prob": Out(c.prob_bits), "draw": Out(c.prob_bits),
            "spike": Out(1), "tile_partial": Out(data.ArrayLayout(tile_acc, c.tiles)),
        })

    def elaborate(self, platform):
        c = self.config
        m = Module()
        m.submodules.lfsr = lfsr = Lfsr(width=c.lfsr_width, draw_bits=c.prob_bits)
        # Stored at address = index mod 2**A (two's complement), so the index is the address.
        table = sigmoid_lut(c).tolist()
        half = c.lut_size // 2
        m.submodules.lut = lut = Memory(shape=unsigned(c.prob_bits), depth=c.lut_size,
                                        init=table[half:] + table[:half])
        lut_read = lut.read_port(domain="comb")

        for k in range(c.tiles):
            m.d.comb += self.tile_partial[k].eq(self.tile_acc[k][self.neuron])
        total = self.bias[self.neuron]
        for k in range(c.tiles):
            total = total + self.tile_partial[k]
        m.d.comb += self.potential.eq(total)

        shifted = Signal(signed(c.acc_width))
        # Unsigned on purpose: Verilog reads a memory at a *signed* negative index as X, and
        # Yosys would drop an as_unsigned() on the way to the address.
        index = Signal(c.lut_addr_bits)
        m.d.comb += [
            shifted.eq(self.potential >> c.lut_shift),
            index.eq(Mux(shifted < -half, -half, Mux(shifted > half - 1, half - 1, shifted))),
            lut_read.addr.eq(index),
            self.prob.eq(lut_read.data),
            self.draw.eq(lfsr.draw),
            self.spike.eq(self.draw < self.prob),
            self.valid.eq(self.busy),
            lfsr.seed.eq(self.seed),
            lfsr.load.eq(self.load),
            lfsr.next.eq(self.busy),
        ]
        with m.If(self.start & ~self.busy):
            m.d.sync += [self.busy.eq(1), self.neuron.eq(0)]
        with m.Elif(self.busy):
            with m.If(self.neuron == c.n_outputs - 1):
                m.d.sync += self.busy.eq(0)
            with m.Else():
                m.d.sync += self.neuron.eq(self.neuron + 1)
        return m
