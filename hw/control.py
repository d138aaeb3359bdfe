"""Control unit: starts inferences and steps, times the hand-offs, ends an inference at its
decision, and counts its cycles and events (docs/spec.md sections 6, 7 and 9)."""

from amaranth import Cat, Module, Signal
from amaranth.lib import wiring
from amaranth.lib.wiring import In, Out

from spinaps.config import Config
from spinaps.contract import handoff_lead

from .datapath import ControlSignature

__all__ = ["ControlUnit", "CommandSignature", "COUNTER_WIDTH"]

COUNTER_WIDTH = 32


class CommandSignature(wiring.Signature):
    """Between the register file (which drives ``Out``: performed CTRL.START / CLEAR_DONE writes and
    T_MAX) and the control unit (its state and the last inference's results)."""

    def __init__(self, *, config: Config):
        super().__init__({
            "start": Out(1), "clear_done": Out(1), "t_max": Out(8),
            "busy": In(1), "done": In(1), "timed_out": In(1), "result_class": In(range(config.n_outputs + 1)),
            "result_step": In(8), "cycles": In(COUNTER_WIDTH), "events": In(COUNTER_WIDTH),
        })


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
    commands : In(CommandSignature)
        ``start``, ``clear_done``, ``t_max`` in; ``busy``, ``done``, ``timed_out``, ``result_class``,
        ``result_step``, ``cycles`` (the START write's cycle to the decision cycle, both counted) and
        ``events`` (of the steps the inference ran) of the last inference out.
    datapath : Out(ControlSignature)
    """

    def __init__(self, *, config: Config):
        self.config = c = config
        super().__init__({"commands": In(CommandSignature(config=c)), "datapath": Out(ControlSignature(config=c))})

    def elaborate(self, platform):
        c = self.config
        m = Module()
        dp, cmd = self.datapath, self.commands
        period = c.neuron_groups + 2                         # the neuron stage's cycles per step
        started = Signal(9)                                  # steps started in this inference
        since = Signal(range(period + 1))                    # cycles since the last step start, saturating
        evaluated = Signal(8)                                # the step in the neuron stage (hand-offs so far)
        boundaries = Signal(handoff_lead(c))                 # step starts on their way to their hand-off
        stopping = Signal()

        m.d.comb += [
            stopping.eq(dp.step_done & dp.decided),
            dp.handoff.eq(boundaries[-1] & cmd.busy & ~stopping),
            dp.last_step.eq(evaluated == cmd.t_max),
            dp.flush.eq(stopping),
        ]
        with m.If(cmd.busy):
            m.d.sync += cmd.cycles.eq(cmd.cycles + 1)
        with m.If(cmd.clear_done):
            m.d.sync += cmd.done.eq(0)

        with m.FSM():
            with m.State("IDLE"):
                with m.If(cmd.start):
                    m.d.sync += [cmd.busy.eq(1), cmd.done.eq(0), cmd.cycles.eq(1), cmd.events.eq(0)]
                    m.next = "LOAD"
            with m.State("LOAD"):
                m.d.comb += dp.start.eq(1)
                m.d.sync += [started.eq(0), since.eq(period), evaluated.eq(0), boundaries.eq(0)]
                m.next = "RUN"
            with m.State("RUN"):
                m.d.comb += dp.step_start.eq(dp.tiles_idle & (since == period) & (started <= cmd.t_max))
                m.d.sync += boundaries.eq(Cat(dp.step_start & (started != 0), boundaries[:-1]))
                with m.If(dp.step_start):
                    m.d.sync += [started.eq(started + 1), since.eq(1)]
                with m.Elif(since != period):
                    m.d.sync += since.eq(since + 1)
                with m.If(dp.handoff):
                    m.d.sync += evaluated.eq(evaluated + 1)
                with m.If(dp.step_done):
                    m.d.sync += cmd.events.eq(cmd.events + dp.step_events)
                with m.If(stopping):
                    m.d.sync += [cmd.busy.eq(0), cmd.done.eq(1), cmd.timed_out.eq(dp.timed_out),
                                 cmd.result_class.eq(dp.decision), cmd.result_step.eq(evaluated)]
                    m.next = "IDLE"
        return m
