"""The datapath: tiles, accumulator, neuron stage and arbiter, with the host's ports into the
macros and pixel buffers (docs/spec.md sections 2-9)."""

from amaranth import Array, Cat, Module, Signal, signed, unsigned
from amaranth.lib import data, wiring
from amaranth.lib.wiring import In, Out, connect
from amaranth.utils import ceil_log2

from spinaps.config import Config

from .accumulator import Accumulator
from .arbiter import FirstToSpikeArbiter
from .neuron import NeuronStage
from .tile import Tile, pixel_bank_members

__all__ = ["Datapath", "with_trace", "ControlSignature", "SettingsSignature", "HostProgramSignature",
           "HostPixelSignature",
           "TraceSignature"]


class ControlSignature(wiring.Signature):
    """Between the control unit (which drives ``Out``) and the datapath (hw/control.py)."""

    def __init__(self, *, config: Config):
        super().__init__({
            "start": Out(1), "step_start": Out(1), "flush": Out(1), "handoff": Out(1), "last_step": Out(1),
            "tiles_idle": In(1), "step_done": In(1), "decided": In(1), "decision": In(range(config.n_outputs + 1)),
            "timed_out": In(1), "step_events": In(range(config.n_inputs * config.tau + 1)),
        })


class SettingsSignature(wiring.Signature):
    """The register values the datapath computes with, as the register file drives them."""

    def __init__(self, *, config: Config):
        super().__init__({
            "seed_encoder": Out(config.lfsr_width), "seed_spike": Out(config.lfsr_width),
            "tie_max_potential": Out(1), "timeout_argmax": Out(1),
            "bias": Out(data.ArrayLayout(signed(config.bias_bits), config.n_outputs)),
        })


class HostProgramSignature(wiring.Signature):
    """Row programming and read-back of any tile's macro, as the register file drives it
    (``busy`` .. ``rb_valid`` are the selected tile's; hw/memctrl.py gives the timing)."""

    def __init__(self, *, config: Config):
        super().__init__({
            "start": Out(1), "read_back": Out(1), "tile": Out(range(config.tiles)),
            "row": Out(ceil_log2(config.rows_per_tile)), "data": Out(config.row_bits),
            "busy": In(1), "done": In(1), "ok": In(1), "rb_data": In(config.row_bits), "rb_valid": In(1),
            "retries": In(range(config.tiles + 1)), "failures": In(range(config.tiles + 1)),
            "write_error": In(1), "clear_error": Out(1),
        })


class HostPixelSignature(wiring.Signature):
    """A word write into tile ``tile``'s pixel buffer, as the register file drives it: ``data`` holds
    min(p, L) pixels, the most a tile's word stores (the PIXEL word's bits past them are not stored).
    With two pixel banks also ``bank``, the bank of the write, and ``read_bank``, the bank the
    encoders read."""

    def __init__(self, *, config: Config):
        word_pixels = min(config.pixels_per_word, config.inputs_per_tile)
        super().__init__({"en": Out(1), "tile": Out(range(config.tiles)),
                          "addr": Out(ceil_log2(config.pixel_words_per_tile) or 1),
                          "data": Out(word_pixels * config.pixel_bits)} | pixel_bank_members(config))


class TraceSignature(wiring.Signature):
    """Per-step trace of a verification build (``python -m gen --trace``): in the cycle ``valid`` is
    high (the decision cycle of step ``step``), every neuron's potential, probability, draw and spike
    of that step and every tile's events of that step. Constant until the next ``valid``."""

    def __init__(self, *, config: Config):
        c = config
        super().__init__({
            "valid": Out(1), "step": Out(8),
            "potential": Out(data.ArrayLayout(signed(c.acc_width), c.n_outputs)),
            "prob": Out(data.ArrayLayout(unsigned(c.prob_bits), c.n_outputs)),
            "draw": Out(data.ArrayLayout(unsigned(c.prob_bits), c.n_outputs)),
            "spike": Out(c.n_outputs),
            "events": Out(data.ArrayLayout(range(c.rows_per_tile + 1), c.tiles)),
        })


def with_trace(members: dict, *, config: Config, trace: bool) -> dict:
    """``members`` plus the ``trace`` port when ``trace`` (the datapath's and the top level's signatures)."""
    return {**members, "trace": Out(TraceSignature(config=config))} if trace else members


def _total(values):
    """Sum of many small counters as a balanced tree (the Python ``sum`` would chain them)."""
    values = list(values)
    while len(values) > 1:
        values = [values[i] + values[i + 1] if i + 1 < len(values) else values[i] for i in range(0, len(values), 2)]
    return values[0]


class Datapath(wiring.Component):
    """Tiles, accumulator, neuron stage and arbiter of the accelerator.

    Arguments
    ---------
    config : Config
    mapping : tuple of tuples of int
        The inputs of each tile (``spinaps.contract.tile_map``).
    macro_init : list of lists of int, or None
        Initial contents of each tile's macro; None: erased.
    trace : bool
        Add the ``trace`` port (verification builds).

    Members
    -------
    control : In(ControlSignature)
    settings : In(SettingsSignature)
    program : In(HostProgramSignature)
    pixels : In(HostPixelSignature)
    trace : Out(TraceSignature), only with ``trace``
    """

    def __init__(self, *, config: Config, mapping, macro_init=None, trace: bool = False):
        self.config, self.mapping, self.macro_init, self.has_trace = config, mapping, macro_init, trace
        super().__init__(with_trace({
            "control": In(ControlSignature(config=config)), "settings": In(SettingsSignature(config=config)),
            "program": In(HostProgramSignature(config=config)), "pixels": In(HostPixelSignature(config=config)),
        }, config=config, trace=trace))

    def elaborate(self, platform):
        c = self.config
        m = Module()
        control, settings, program = self.control, self.settings, self.program
        tiles = []
        for k, inputs in enumerate(self.mapping):
            init = None if self.macro_init is None else self.macro_init[k]
            tile = Tile(config=c, tile=k, inputs=len(inputs), init=init)
            m.submodules[f"tile{k}"] = tile
            tiles.append(tile)
            selected = program.tile == k
            m.d.comb += [
                tile.load.eq(control.start), tile.seed.eq(settings.seed_encoder),
                tile.step_start.eq(control.step_start), tile.flush.eq(control.flush),
                tile.pixels.en.eq(self.pixels.en & (self.pixels.tile == k)), tile.pixels.addr.eq(self.pixels.addr),
                tile.pixels.data.eq(self.pixels.data),
                tile.program.start.eq(program.start & selected), tile.program.read_back.eq(program.read_back),
                tile.program.addr.eq(program.row), tile.program.data.eq(program.data),
                tile.clear_error.eq(program.clear_error),
            ]
            if c.pixel_banks == 2:
                m.d.comb += [tile.pixels.bank.eq(self.pixels.bank), tile.pixels.read_bank.eq(self.pixels.read_bank)]
        m.submodules.accumulator = accumulator = Accumulator(config=c)
        m.submodules.neurons = neurons = NeuronStage(config=c, probe=self.has_trace)
        m.submodules.arbiter = arbiter = FirstToSpikeArbiter(config=c)
        for k, tile in enumerate(tiles):
            connect(m, tile.rows, accumulator.rows[k])
        connect(m, neurons.neurons, arbiter.neurons)
        m.d.comb += [
            accumulator.bias.eq(settings.bias), accumulator.start.eq(control.start),
            accumulator.handoff.eq(control.handoff),
            neurons.seed.eq(settings.seed_spike), neurons.start.eq(control.start), neurons.load.eq(control.handoff),
            neurons.potentials.eq(accumulator.sums),
            arbiter.clear.eq(control.handoff), arbiter.last_step.eq(control.last_step),
            arbiter.tie_max_potential.eq(settings.tie_max_potential),
            arbiter.timeout_argmax.eq(settings.timeout_argmax),
            control.tiles_idle.eq(Cat(*(t.idle for t in tiles)).all()),
            control.step_done.eq(arbiter.done), control.decided.eq(arbiter.decided),
            control.decision.eq(arbiter.decision), control.timed_out.eq(arbiter.timed_out),
        ]
        # The events of the step being evaluated travel with its potentials.
        step_events = Signal.like(control.step_events)
        with m.If(control.handoff):
            m.d.sync += step_events.eq(_total(accumulator.events[k] for k in range(c.tiles)))
        m.d.comb += control.step_events.eq(step_events)

        selected = Array(tiles)[program.tile]
        m.d.comb += [
            program.busy.eq(Cat(*(t.program.busy for t in tiles)).any()),
            program.done.eq(selected.program.done), program.ok.eq(selected.program.ok),
            program.rb_data.eq(selected.program.rb_data), program.rb_valid.eq(selected.program.rb_valid),
            program.retries.eq(_total(t.retry for t in tiles)), program.failures.eq(_total(t.failed for t in tiles)),
            program.write_error.eq(Cat(*(t.sticky_error for t in tiles)).any()),
        ]
        if self.has_trace:
            self._trace(m, accumulator, neurons)
        return m

    def _trace(self, m, accumulator, neurons):
        """Latch each neuron's values as its group streams past, and the step's events at its hand-off."""
        c, trace, control = self.config, self.trace, self.control
        beat, probe = neurons.neurons.payload, neurons.probe
        step = Signal(8)
        with m.If(control.start):
            m.d.sync += step.eq(0)
        with m.Elif(control.handoff):
            m.d.sync += [step.eq(step + 1), trace.events.eq(accumulator.events)]
        with m.If(neurons.neurons.valid):
            for g in range(c.neuron_groups):
                with m.If(beat.group == g):
                    for lane in range(c.lanes):
                        i = g * c.lanes + lane
                        if i < c.n_outputs:
                            m.d.sync += [trace.potential[i].eq(beat.lanes[lane].potential),
                                         trace.prob[i].eq(probe.prob[lane]), trace.draw[i].eq(probe.draw[lane]),
                                         trace.spike[i].eq(beat.lanes[lane].spike)]
        m.d.comb += [trace.valid.eq(control.step_done), trace.step.eq(step)]
