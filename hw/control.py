"""Control unit: starts inferences and steps, times the hand-offs, ends an inference at its
decision, and counts its cycles and events (docs/spec.md sections 6, 7 and 9)."""

from amaranth import Cat, Module, Signal
from amaranth.lib import wiring
from amaranth.lib.wiring import In, Out

from spinaps.config import Config
from spinaps.contract import handoff_lead

from .datapath import ControlSignature

__all__ = ["ControlUnit", "COUNTER_WIDTH"]

COUNTER_WIDTH = 32


class ControlUnit(wiring.Component):
    """Runs one inference at a time.

    ``start`` (a performed CTRL.START write, cycle 0) sets BUSY; cycle 1 loads the LFSRs and
    clears the tiles; step 1 starts in cycle 2. A step starts whenever every tile is idle (its
    scanner has issued the previous step's events and its encoder has encoded the previous step)
    and at least G + 2 cycles have passed since the previous step started — the neuron stage's
    cycles per step, so it is free when the step's sums arrive. Steps start speculatively, up to
    step T_MAX + 1, before the previous decision is known. The hand-off of step t's sums to the
    neuron stage comes ``handoff_lead`` cycles after step t + 1 started (when the reads of step t
    have all been accumulated), unless the inference has just ended. When the arbiter is ``done``
    with step t, the inference ends if it ``decided``: DONE rises, BUSY falls, the tiles forget
    the events not yet issued.

    Members
    -------
    start, clear_done : In(1)
    t_max : In(8)
    datapath : Out(ControlSignature)
    busy, done, timed_out : Out(1)
    result_class : Out(range(N_Y + 1))
    result_step : Out(8)
    cycles, events : Out(32)
        CYCLES (the START write's cycle to the decision cycle, both counted) and EVENTS (the events
        of the steps the inference ran) of the last inference.
    """

    def __init__(self, *, config: Config):
        self.config = c = config
        super().__init__({
            "start": In(1), "clear_done": In(1), "t_max": In(8),
            "datapath": Out(ControlSignature(config=c)),
            "busy": Out(1), "done": Out(1), "timed_out": Out(1), "result_class": Out(range(c.n_outputs + 1)),
            "result_step": Out(8), "cycles": Out(COUNTER_WIDTH), "events": Out(COUNTER_WIDTH),
        })

    def elaborate(self, platform):
        c = self.config
        m = Module()
        dp = self.datapath
        period = c.neuron_groups + 2                         # the neuron stage's cycles per step
        started = Signal(9)                                  # steps started in this inference
        since = Signal(range(period + 1))                    # cycles since the last step start, saturating
        evaluated = Signal(8)                                # the step in the neuron stage (hand-offs so far)
        boundaries = Signal(handoff_lead(c))                 # step starts on their way to their hand-off
        stopping = Signal()

        m.d.comb += [
            stopping.eq(dp.step_done & dp.decided),
            dp.handoff.eq(boundaries[-1] & self.busy & ~stopping),
            dp.last_step.eq(evaluated == self.t_max),
            dp.flush.eq(stopping),
        ]
        with m.If(self.busy):
            m.d.sync += self.cycles.eq(self.cycles + 1)
        with m.If(self.clear_done):
            m.d.sync += self.done.eq(0)

        with m.FSM():
            with m.State("IDLE"):
                with m.If(self.start):
                    m.d.sync += [self.busy.eq(1), self.done.eq(0), self.cycles.eq(1), self.events.eq(0)]
                    m.next = "LOAD"
            with m.State("LOAD"):
                m.d.comb += dp.start.eq(1)
                m.d.sync += [started.eq(0), since.eq(period), evaluated.eq(0), boundaries.eq(0)]
                m.next = "RUN"
            with m.State("RUN"):
                m.d.comb += dp.step_start.eq(dp.tiles_idle & (since == period) & (started <= self.t_max))
                m.d.sync += boundaries.eq(Cat(dp.step_start & (started != 0), boundaries[:-1]))
                with m.If(dp.step_start):
                    m.d.sync += [started.eq(started + 1), since.eq(1)]
                with m.Elif(since != period):
                    m.d.sync += since.eq(since + 1)
                with m.If(dp.handoff):
                    m.d.sync += evaluated.eq(evaluated + 1)
                with m.If(dp.step_done):
                    m.d.sync += self.events.eq(self.events + dp.step_events)
                with m.If(stopping):
                    m.d.sync += [self.busy.eq(0), self.done.eq(1), self.timed_out.eq(dp.timed_out),
                                 self.result_class.eq(dp.decision), self.result_step.eq(evaluated)]
                    m.next = "IDLE"
        return m
