"""One tile: pixel buffer, rate encoder, history, event scanner, STT-RAM macro with its memory
controller (docs/spec.md sections 2, 5, 8; golden: model/tile.py)."""

from amaranth import Cat, Module, Signal
from amaranth.lib import wiring
from amaranth.lib.wiring import In, Out, connect
from amaranth.utils import ceil_log2

from spinaps.config import Config
from spinaps.contract import SEED_SALT, stream_seed

from .encoder import RateEncoder
from .history import SpikeHistory
from .memctrl import MemoryController, ProgramPort
from .params import check_range
from .pixel_buffer import PixelBuffer
from .scanner import EventScanner

__all__ = ["Tile", "PixelWriteSignature", "RowStreamSignature", "pixel_bank_members"]


def pixel_bank_members(config: Config) -> dict:
    """With two pixel banks, the members a pixel port adds: ``bank``, the bank of a write, and
    ``read_bank``, the bank the encoders read."""
    return {"bank": Out(1), "read_bank": Out(1)} if config.pixel_banks == 2 else {}


class PixelWriteSignature(wiring.Signature):
    """A word write into a tile's pixel buffer, as the register file drives it: ``data`` holds the
    pixels of ``word_pixels`` inputs (a PIXEL word's slots past the tile's inputs are not stored); with
    two pixel banks, ``bank`` is the write's bank and ``read_bank`` the bank the encoder reads."""

    def __init__(self, *, config: Config, word_pixels: int):
        super().__init__({"en": Out(1), "addr": Out(ceil_log2(config.pixel_words_per_tile) or 1),
                          "data": Out(word_pixels * config.pixel_bits)} | pixel_bank_members(config))


class RowStreamSignature(wiring.Signature):
    """The macro rows a tile read for its events, as the tile sends them: ``valid`` with the N_Y
    weights of one row on ``data`` (weight i in bits ``[i·B, i·B + B)``)."""

    def __init__(self, *, config: Config):
        super().__init__({"valid": Out(1), "data": Out(config.row_bits)})


class Tile(wiring.Component):
    """A tile of the accelerator: the inputs ``inputs`` (in local order) of the network.

    A step (``step_start``) shifts the encoded spikes into the history, hands the shifted history
    to the event scanner, which issues its lowest event in that same cycle and one more each
    following cycle, and starts the encoder on the step's inputs. Every event reads one macro row;
    its weights come out on ``rows`` ``read_latency`` cycles later. ``idle`` is high when the
    scanner has no event pending and the encoder has finished: after a ``step_start`` with E events
    it rises in cycle max(E, Q) after it (Q the encoder's cycles: pixel-buffer rows of ``encoder_words``
    words, one word if the tile's pixels fit one), the first cycle the next step may start.

    Arguments
    ---------
    config : Config
    tile : int
        k, the tile index (its encoder stream and write-failure stream).
    inputs : int
        n_k, the number of inputs it holds (1..inputs_per_tile).
    init : list of int or None
        Initial macro contents (rows_per_tile integers); None: erased.

    Members
    -------
    load : In(1)
        Start of an inference: load the encoder LFSR from ``seed``, clear history, scanner and reads in flight.
    seed : In(lfsr_width)
    step_start, flush : In(1)
        Start a step; forget the events not yet issued (the inference has ended).
    idle : Out(1)
    rows : Out(RowStreamSignature)
    pixels : In(PixelWriteSignature)
        Pixel words of min(p, n_k) pixels.
    program : In(ProgramPort)
        The memory controller's host side (hw/memctrl.py).
    retry, failed, sticky_error : Out(1)
    clear_error : In(1)
    """

    def __init__(self, *, config: Config, tile: int, inputs: int, init=None):
        check_range(self, "tile", tile, 0, config.tiles - 1)
        check_range(self, "inputs", inputs, 1, config.inputs_per_tile)
        self.config, self.tile, self.inputs, self.init = config, tile, inputs, init
        addr_bits = ceil_log2(config.rows_per_tile)
        super().__init__({
            "load": In(1), "seed": In(config.lfsr_width), "step_start": In(1), "flush": In(1), "idle": Out(1),
            "rows": Out(RowStreamSignature(config=config)),
            "pixels": In(PixelWriteSignature(config=config, word_pixels=min(config.pixels_per_word, inputs))),
            "program": In(ProgramPort(addr_bits=addr_bits, row_bits=config.row_bits)),
            "retry": Out(1), "failed": Out(1), "sticky_error": Out(1), "clear_error": In(1),
        })

    def elaborate(self, platform):
        c = self.config
        m = Module()
        words, word_bits, row_words, row_bits = c.pixel_buffer_shape(self.inputs)
        m.submodules.pixels = pixels = PixelBuffer(words=words, word_bits=word_bits, row_words=row_words,
                                                   row_bits=row_bits, banks=c.pixel_banks)
        if c.pixel_banks == 2:
            m.d.comb += [pixels.write_bank.eq(self.pixels.bank), pixels.read_bank.eq(self.pixels.read_bank)]
        m.submodules.encoder = encoder = RateEncoder(
            inputs=self.inputs, pixel_bits=c.pixel_bits, pixels_per_word=c.pixels_per_word, words_per_read=row_words,
            lfsr_width=c.lfsr_width, salt=(self.tile * SEED_SALT) & ((1 << c.lfsr_width) - 1))
        m.submodules.history = history = SpikeHistory(inputs=self.inputs, tau=c.tau)
        m.submodules.scanner = scanner = EventScanner(rows=self.inputs * c.tau)
        m.submodules.memctrl = memctrl = MemoryController(
            rows=c.rows_per_tile, row_bits=c.row_bits, read_latency=c.read_latency,
            write_latency=c.write_latency, write_error_rate=c.write_error_rate,
            seed=stream_seed(c.write_error_seed, self.tile, c.lfsr_width),
            lfsr_width=c.lfsr_width, init=self.init, write_retries=c.write_retries)

        connect(m, wiring.flipped(self.program), memctrl.program)
        # A tile with fewer words than the PIXEL array (the bus refuses addresses past it) drops the rest.
        write_en = self.pixels.en & (self.pixels.addr < words) if words < c.pixel_words_per_tile else self.pixels.en
        m.d.comb += [
            pixels.write_en.eq(write_en), pixels.write_addr.eq(self.pixels.addr),
            pixels.write_data.eq(self.pixels.data),
            pixels.read_addr.eq(encoder.row_addr), encoder.row_data.eq(pixels.read_data),
            encoder.seed.eq(self.seed), encoder.load.eq(self.load), encoder.start.eq(self.step_start),
            history.clear.eq(self.load), history.shift.eq(self.step_start), history.x.eq(encoder.x),
            scanner.bits.eq(history.shifted), scanner.start.eq(self.step_start),
            scanner.flush.eq(self.flush | self.load),
            memctrl.read.en.eq(scanner.valid), memctrl.read.addr.eq(scanner.row),
            memctrl.clear_error.eq(self.clear_error),
            self.retry.eq(memctrl.retry), self.failed.eq(memctrl.failed), self.sticky_error.eq(memctrl.sticky_error),
            self.idle.eq(scanner.idle & ~encoder.busy),
        ]
        # Reads in flight when an inference starts belong to the one before: a shift register of
        # this inference's issues, cleared by load, lets only its own rows out.
        issued = Signal(c.read_latency)
        with m.If(self.load):
            m.d.sync += issued.eq(0)
        with m.Else():
            m.d.sync += issued.eq(Cat(scanner.valid, issued[:-1]))
        m.d.comb += [self.rows.valid.eq(issued[-1] & memctrl.read.valid), self.rows.data.eq(memctrl.read.data)]
        return m
