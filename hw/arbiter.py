"""First-to-spike arbiter (docs/spec.md section 7; golden: model/arbiter.py)."""

from amaranth import Module, Mux, Signal, signed
from amaranth.lib import wiring
from amaranth.lib.wiring import In, Out

from .params import check_range

__all__ = ["FirstToSpikeArbiter"]


class FirstToSpikeArbiter(wiring.Component):
    """Watches the neurons of one step (in order 0 .. N_Y-1) and decides.

    Members
    -------
    clear : In(1)
        Start of a step: forget the previous step.
    valid, neuron, potential, spike : In
        One evaluated neuron per cycle, from the neuron stage.
    tie_max_potential : In(1)
        0: lowest index wins a tie; 1: the largest potential (lowest index among equals).
    timeout_argmax : In(1)
        On timeout, 0: abstain (decision N_Y); 1: the largest potential.
    last_step : In(1)
        This step is step T_MAX.
    decided : Out(1)
        After the step's neurons: the inference ends (someone spiked, or the last step).
    decision : Out(range(N_Y + 1))
    timed_out : Out(1)
    """

    def __init__(self, *, n_outputs: int, potential_width: int):
        check_range(self, "n_outputs", n_outputs, 2, 256)
        check_range(self, "potential_width", potential_width, 2, 64)
        self.n_outputs = n_outputs
        super().__init__({
            "clear": In(1), "valid": In(1), "neuron": In(range(n_outputs)),
            "potential": In(signed(potential_width)), "spike": In(1),
            "tie_max_potential": In(1), "timeout_argmax": In(1), "last_step": In(1),
            "decided": Out(1), "decision": Out(range(n_outputs + 1)), "timed_out": Out(1),
        })

    def elaborate(self, platform):
        m = Module()
        any_spike = Signal()
        winner = Signal(range(self.n_outputs))
        winner_potential = Signal.like(self.potential)
        best = Signal(range(self.n_outputs))
        best_potential = Signal.like(self.potential)

        with m.If(self.clear):
            m.d.sync += any_spike.eq(0)
        with m.Elif(self.valid):
            with m.If(self.spike & (~any_spike | (self.tie_max_potential & (self.potential > winner_potential)))):
                m.d.sync += [any_spike.eq(1), winner.eq(self.neuron), winner_potential.eq(self.potential)]
            # Strictly greater: the lowest index keeps a tie.
            with m.If((self.neuron == 0) | (self.potential > best_potential)):
                m.d.sync += [best.eq(self.neuron), best_potential.eq(self.potential)]

        m.d.comb += [
            self.decided.eq(any_spike | self.last_step),
            self.timed_out.eq(~any_spike & self.last_step),
            self.decision.eq(Mux(any_spike, winner, Mux(self.timeout_argmax, best, self.n_outputs))),
        ]
        return m
