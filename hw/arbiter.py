"""First-to-spike arbiter (docs/spec.md section 7; golden: model/arbiter.py)."""

from amaranth import Const, Module, Mux, Signal
from amaranth.lib import stream, wiring
from amaranth.lib.wiring import In, Out

from spinaps.config import Config
from spinaps.contract import abstain_code

from .neuron import neuron_layout

__all__ = ["FirstToSpikeArbiter"]


class _Candidate:
    """A neuron (or the best of several) as the arbiter compares them: whether it counts, its index, its potential."""

    def __init__(self, present, index, potential):
        self.present, self.index, self.potential = present, index, potential


def _choose(m, first, second, prefer_second, name):
    """The candidate ``second`` if ``prefer_second`` else ``first``, as new named signals."""
    present = Signal(name=f"{name}_present")
    index = Signal.like(first.index, name=f"{name}_index")
    potential = Signal.like(first.potential, name=f"{name}_potential")
    m.d.comb += [present.eq(first.present | second.present),
                 index.eq(Mux(prefer_second, second.index, first.index)),
                 potential.eq(Mux(prefer_second, second.potential, first.potential))]
    return _Candidate(present, index, potential)


def _reduce(m, candidates, better, name):
    """The best of ``candidates`` (in index order; ``better(a, b)``: b beats a, which has the lower
    indices) by a balanced tree, so the depth grows with log2(lanes), not lanes."""
    if len(candidates) == 1:
        return candidates[0]
    half = len(candidates) // 2
    low = _reduce(m, candidates[:half], better, name + "l")
    high = _reduce(m, candidates[half:], better, name + "h")
    return _choose(m, low, high, better(low, high), name)


class FirstToSpikeArbiter(wiring.Component):
    """Watches the neurons of one step, group by group (neuron order), and decides.

    Keeps, for the step, the winner among the spiking neurons (the lowest index, or with
    ``tie_max_potential`` the largest potential, lowest index among equals) and the neuron of
    largest potential (lowest index among equals). In the cycle after the step's last group
    ``done`` is high with the decision: the inference ends if somebody spiked or this is the
    last step; a last step without a spike is ``timed_out`` and decides the largest potential
    (``timeout_argmax``) or abstains (class N_Y).

    Members
    -------
    neurons : In(stream.Signature(neuron_layout, always_ready=True))
    clear : In(1)
        Start of a step's evaluation: forget the previous step.
    tie_max_potential, timeout_argmax, last_step : In(1)
    done : Out(1)
    decided : Out(1)
    decision : Out(range(N_Y + 1))
    timed_out : Out(1)
    """

    def __init__(self, *, config: Config):
        self.config = c = config
        super().__init__({
            "neurons": In(stream.Signature(neuron_layout(c), always_ready=True)),
            "clear": In(1), "tie_max_potential": In(1), "timeout_argmax": In(1), "last_step": In(1),
            "done": Out(1), "decided": Out(1), "decision": Out(range(c.n_outputs + 1)), "timed_out": Out(1),
        })

    def elaborate(self, platform):
        c = self.config
        m = Module()
        beat = self.neurons.payload
        index_shape = range(c.neuron_groups * c.lanes)
        spiker = _Candidate(Signal(name="spiker_present"), Signal(index_shape, name="spiker_index"),
                            Signal(beat.lanes[0].potential.shape(), name="spiker_potential"))
        best = _Candidate(Signal(name="best_present"), Signal(index_shape, name="best_index"),
                          Signal(beat.lanes[0].potential.shape(), name="best_potential"))

        def lane(l, present):
            index = Signal(index_shape, name=f"lane{l}_index")
            m.d.comb += index.eq(beat.group * c.lanes + l)
            return _Candidate(present, index, beat.lanes[l].potential)

        real = [Const(1, 1) if l < c.n_outputs - (c.neuron_groups - 1) * c.lanes else ~beat.last
                for l in range(c.lanes)]
        # Spikers: a later (higher-index) one wins only on a strictly larger potential with max_potential.
        later_spiker_wins = lambda a, b: b.present & (~a.present | (self.tie_max_potential  # noqa: E731
                                                                    & (b.potential > a.potential)))
        # Largest potential: a later neuron wins only when strictly larger, or when nothing came before.
        later_is_larger = lambda a, b: b.present & (~a.present | (b.potential > a.potential))  # noqa: E731
        group_spiker = _reduce(m, [lane(l, beat.lanes[l].spike) for l in range(c.lanes)], later_spiker_wins, "spk")
        group_best = _reduce(m, [lane(l, real[l]) for l in range(c.lanes)], later_is_larger, "best")
        new_spiker = _choose(m, spiker, group_spiker, later_spiker_wins(spiker, group_spiker), "spiker_next")
        new_best = _choose(m, best, group_best, later_is_larger(best, group_best), "best_next")

        with m.If(self.clear):
            m.d.sync += [spiker.present.eq(0), best.present.eq(0)]
        with m.Elif(self.neurons.valid):
            for old, new in ((spiker, new_spiker), (best, new_best)):
                m.d.sync += [old.present.eq(new.present), old.index.eq(new.index), old.potential.eq(new.potential)]
        m.d.sync += self.done.eq(self.neurons.valid & beat.last & ~self.clear)

        m.d.comb += [
            self.decided.eq(spiker.present | self.last_step),
            self.timed_out.eq(~spiker.present & self.last_step),
            self.decision.eq(Mux(spiker.present, spiker.index,
                                 Mux(self.timeout_argmax, best.index, abstain_code(c)))),
        ]
        return m
