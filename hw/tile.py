"""One tile: encoder, history, event scanner, STT-RAM macro with its controller,
and N_Y partial accumulators (docs/spec.md sections 2-3; golden: model/tile.py)."""

from amaranth import Module, Signal, signed, unsigned
from amaranth.lib import data, wiring
from amaranth.lib.wiring import In, Out
from amaranth.utils import ceil_log2

from model.lfsr import tile_seed
from spinaps.config import Config

from .encoder import RateEncoder
from .history import SpikeHistory
from .memctrl import MemoryController
from .params import check_range
from .scanner import EventScanner

__all__ = ["Tile"]


class Tile(wiring.Component):
    """A tile of the accelerator: inputs k, k + tiles, ... of the network.

    A step (``step_start``) loads the scanner with the history, starts the
    encoder on the step's inputs, and clears the accumulators; every event
    reads one macro row (``read_latency`` cycles, pipelined, one per cycle)
    and adds its N_Y weights to the accumulators. ``busy`` falls when every
    event has been accumulated and the encoder is done. ``shift`` then moves
    the encoded spikes into the history.

    Arguments
    ---------
    config : Config
    tile : int
        k, the tile index.
    init : list of int or None
        Initial macro contents (``model.tile.tile_rows``); None: erased.

    Members
    -------
    load : In(1)
        Start of an inference: clear the history, load the encoder LFSR from ``seed``.
    seed : In(lfsr_width)
    pixels : In(ArrayLayout(unsigned(pixel_bits), inputs))
    step_start, shift : In(1)
    busy : Out(1)
    acc : Out(ArrayLayout(signed(tile_acc_width), N_Y))
    events : Out(events_width)
        Events of the current step so far.
    event : Out(1)
        An event is issued this cycle (for SOP counting).
    prog_*, rb_*, retry, failed, sticky_error, clear_error
        The memory controller's programming and read-back ports (hw/memctrl.py).
    """

    def __init__(self, *, config: Config, tile: int, init=None):
        check_range(self, "tile", tile, 0, config.tiles - 1)
        self.config, self.tile, self.init = config, tile, init
        self.inputs = len(config.tile_inputs(tile))
        rows, row_bits = config.rows_per_tile, config.row_bits
        addr = max(1, ceil_log2(rows))
        super().__init__({
            "load": In(1), "seed": In(config.lfsr_width),
            "pixels": In(data.ArrayLayout(unsigned(config.pixel_bits), self.inputs)),
            "step_start": In(1), "shift": In(1), "busy": Out(1),
            "acc": Out(data.ArrayLayout(signed(config.tile_acc_width), config.n_outputs)),
            "events": Out(range(rows + 1)), "event": Out(1),
            "prog_en": In(1), "prog_addr": In(addr), "prog_data": In(row_bits), "prog_busy": Out(1),
            "prog_done": Out(1), "prog_ok": Out(1),
            "rb_en": In(1), "rb_addr": In(addr), "rb_data": Out(row_bits), "rb_valid": Out(1),
            "retry": Out(1), "failed": Out(1), "sticky_error": Out(1), "clear_error": In(1),
        })

    def elaborate(self, platform):
        c = self.config
        m = Module()
        m.submodules.encoder = encoder = RateEncoder(inputs=self.inputs, tile=self.tile,
                                                     pixel_bits=c.pixel_bits, lfsr_width=c.lfsr_width)
        m.submodules.history = history = SpikeHistory(inputs=self.inputs, tau=c.tau)
        m.submodules.scanner = scanner = EventScanner(rows=self.inputs * c.tau)
        m.submodules.memctrl = memctrl = MemoryController(
            rows=c.rows_per_tile, row_bits=c.row_bits, read_latency=c.read_latency,
            write_latency=c.write_latency, write_error_rate=c.write_error_rate,
            seed=tile_seed(c.write_error_seed, self.tile, c.lfsr_width),
            lfsr_width=c.lfsr_width, init=self.init, write_retries=c.write_retries)

        for name in ("prog_en", "prog_addr", "prog_data", "rb_en", "rb_addr", "clear_error"):
            m.d.comb += getattr(memctrl, name).eq(getattr(self, name))
        for name in ("prog_busy", "prog_done", "prog_ok", "rb_data", "rb_valid", "retry", "failed",
                     "sticky_error"):
            m.d.comb += getattr(self, name).eq(getattr(memctrl, name))

        m.d.comb += [
            encoder.seed.eq(self.seed), encoder.load.eq(self.load), encoder.pixels.eq(self.pixels),
            encoder.start.eq(self.step_start),
            history.clear.eq(self.load), history.shift.eq(self.shift), history.x.eq(encoder.x),
            scanner.bits.eq(history.bits), scanner.start.eq(self.step_start),
        ]

        # One event per cycle: the scanner's row goes straight to the macro's read port.
        scanning = scanner.valid & ~self.step_start
        m.d.comb += [memctrl.rd_en.eq(scanning), memctrl.rd_addr.eq(scanner.row), self.event.eq(scanning)]
        in_flight = Signal(range(c.read_latency + 2))
        m.d.sync += in_flight.eq(in_flight + scanning - memctrl.rd_valid)
        m.d.comb += self.busy.eq(scanning | (in_flight != 0) | encoder.busy | self.step_start)

        with m.If(self.step_start):
            m.d.sync += [self.acc[i].eq(0) for i in range(c.n_outputs)] + [self.events.eq(0)]
        with m.Else():
            with m.If(scanning):
                m.d.sync += self.events.eq(self.events + 1)
            with m.If(memctrl.rd_valid):
                b = c.weight_bits
                for i in range(c.n_outputs):
                    weight = memctrl.rd_data[i * b:(i + 1) * b].as_signed()
                    m.d.sync += self.acc[i].eq(self.acc[i] + weight)
        return m
