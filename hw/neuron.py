"""GLM neuron stage: sigmoid LUT, spike draws and comparators, ``neuron_lanes`` outputs a cycle
(docs/spec.md sections 4-6; golden: model/neuron.py)."""

from amaranth import Const, Module, Mux, Signal, signed, unsigned
from amaranth.lib import data, stream, wiring
from amaranth.lib.memory import Memory
from amaranth.lib.wiring import In, Out

from spinaps.config import Config
from spinaps.contract import sigmoid_lut

from .lfsr import Lfsr

__all__ = ["NeuronStage", "neuron_layout", "probe_layout"]


def neuron_layout(config: Config) -> data.StructLayout:
    """One beat of the neuron stream: ``neuron_lanes`` evaluated neurons (group ``group``, neuron
    ``group·lanes + l`` in lane l; lanes past N_Y - 1 in the last group are padding, with no spike)."""
    lane = data.StructLayout({"potential": signed(config.acc_width), "spike": unsigned(1)})
    return data.StructLayout({"lanes": data.ArrayLayout(lane, config.lanes), "group": range(config.neuron_groups),
                              "last": unsigned(1)})


def probe_layout(config: Config) -> data.StructLayout:
    """The probabilities and draws behind a beat's spikes (verification builds' trace)."""
    values = data.ArrayLayout(unsigned(config.prob_bits), config.lanes)
    return data.StructLayout({"prob": values, "draw": values})


class NeuronStage(wiring.Component):
    """Evaluates the N_Y output neurons of one time step, ``lanes`` neurons a cycle, in two stages.

    ``load`` (a hand-off) takes the step's potentials. In the next G = ceil(N_Y / lanes) cycles,
    stage 1 takes group g = 0 .. G-1 (neurons g·lanes ..): ``idx = clamp(u >> S)``, the LUT's
    probability, the group's draws from the spike LFSR (neuron order, only for real neurons) and
    ``spike = draw < prob``, registered; stage 2, a cycle later, sends the group on ``neurons``.
    The spike LFSR is the spike stream of docs/spec.md section 5.2.

    Members
    -------
    seed : In(lfsr_width)
        SEED_SPIKE, loaded into the spike LFSR by ``start``.
    start : In(1)
        Start of an inference.
    load : In(1)
        Take ``potentials`` (ignored while a step is being evaluated).
    potentials : In(ArrayLayout(signed(acc_width), N_Y))
    neurons : Out(stream.Signature(neuron_layout, always_ready=True))
    probe : Out(probe_layout), only with ``probe``
        The probabilities and draws of the beat on ``neurons``.
    """

    def __init__(self, *, config: Config, probe: bool = False):
        self.config = c = config
        members = {"seed": In(c.lfsr_width), "start": In(1), "load": In(1),
                   "potentials": In(data.ArrayLayout(signed(c.acc_width), c.n_outputs)),
                   "neurons": Out(stream.Signature(neuron_layout(c), always_ready=True))}
        if probe:
            members["probe"] = Out(probe_layout(c))
        super().__init__(members)

    def elaborate(self, platform):
        c = self.config
        m = Module()
        lanes, groups, half = c.lanes, c.neuron_groups, c.lut_size // 2
        short = c.n_outputs - (groups - 1) * lanes            # real neurons in the last group
        m.submodules.lfsr = lfsr = Lfsr(width=c.lfsr_width, draw_bits=c.prob_bits, draws=lanes, short_draws=short)
        # Stored at address = index mod 2**A (two's complement), so the index's bits are the address.
        table = sigmoid_lut(c)
        m.submodules.lut = lut = Memory(shape=unsigned(c.prob_bits), depth=c.lut_size, init=table[half:] + table[:half])

        # -- hold: the step's potentials, shifted down by `lanes` every cycle of stage 1
        hold = [Signal(signed(c.acc_width), name=f"hold{i}") for i in range(groups * lanes)]
        group = Signal(range(groups))
        evaluating = Signal()
        with m.If(self.load & ~evaluating):
            m.d.sync += [evaluating.eq(1), group.eq(0)]
            m.d.sync += [h.eq(self.potentials[i]) for i, h in enumerate(hold[:c.n_outputs])]
        with m.Elif(evaluating):
            m.d.sync += [h.eq(hold[i + lanes]) for i, h in enumerate(hold[:-lanes])]
            with m.If(group == groups - 1):
                m.d.sync += evaluating.eq(0)
            with m.Else():
                m.d.sync += group.eq(group + 1)

        # -- stage 1: LUT index, probability, draw and comparator, into the beat's registers
        beat = Signal(neuron_layout(c))
        beat_valid = Signal()
        last = group == groups - 1
        m.d.comb += [lfsr.seed.eq(self.seed), lfsr.load.eq(self.start), lfsr.next.eq(evaluating), lfsr.short.eq(last)]
        m.d.sync += [beat_valid.eq(evaluating), beat.group.eq(group), beat.last.eq(last)]
        probe = Signal(probe_layout(c))
        for lane in range(lanes):
            port = lut.read_port(domain="comb")
            shifted = Signal(signed(c.acc_width), name=f"shifted{lane}")
            # Unsigned on purpose: Verilog reads a memory at a *signed* negative index as X, and
            # Yosys would drop an as_unsigned() on the way to the address.
            index = Signal(c.lut_addr_bits, name=f"index{lane}")
            real = Const(1, 1) if lane < short else ~last       # padding lanes of the last group never spike
            m.d.comb += [shifted.eq(hold[lane] >> c.lut_shift),
                         index.eq(Mux(shifted < -half, -half, Mux(shifted > half - 1, half - 1, shifted))),
                         port.addr.eq(index)]
            m.d.sync += [beat.lanes[lane].potential.eq(hold[lane]),
                         beat.lanes[lane].spike.eq(real & (lfsr.draw[lane] < port.data))]
            if "probe" in self.signature.members:
                m.d.sync += [probe.prob[lane].eq(port.data), probe.draw[lane].eq(lfsr.draw[lane])]

        # -- stage 2: the beat, straight from registers
        m.d.comb += [self.neurons.valid.eq(beat_valid), self.neurons.payload.eq(beat)]
        if "probe" in self.signature.members:
            m.d.comb += self.probe.eq(probe)
        with m.If(self.start):
            m.d.sync += [evaluating.eq(0), beat_valid.eq(0)]
        return m
