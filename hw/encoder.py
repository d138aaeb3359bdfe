"""Rate encoder of one tile (docs/spec.md section 5.2; golden: model/encoder.py)."""

from amaranth import Module, Mux, Signal
from amaranth.lib import wiring
from amaranth.lib.wiring import In, Out
from amaranth.utils import ceil_log2

from .lfsr import Lfsr
from .params import check_range

__all__ = ["RateEncoder"]


class RateEncoder(wiring.Component):
    """Bernoulli rate encoder for the inputs of one tile, a pixel-buffer row (q = e·p inputs) per cycle.

    ``start`` encodes one time step: in the start cycle and the next ``reads - 1`` cycles,
    row m of the pixel buffer (e words of p pixels) is compared with q draws of the tile's LFSR
    (inputs m·q .. m·q + q - 1, one draw each in that order, the last row only the draws of the
    inputs it has): ``x[l] = draw < pixel[l]``. The encoder keeps the buffer's read address one
    row ahead, so row 0 is on ``row_data`` whenever it is idle (the start cycle needs it).

    Arguments
    ---------
    inputs : int
        n_k, inputs of this tile (1..4096).
    pixel_bits : int
    pixels_per_word : int
        p (1..32), with ``p · pixel_bits`` ≤ 32.
    words_per_read : int
        e (1..8), words in a row of the pixel buffer.
    lfsr_width : int
    salt : int
        XORed into the seed when the LFSR is loaded (the tile's stream; docs/spec.md section 5.2).

    Members
    -------
    seed : In(lfsr_width)
        SEED_ENCODER; ``load`` loads the LFSR, clears ``x`` and stops any encoding.
    load, start : In(1)
    row_addr : Out(ceil_log2(reads) or 1)
        The pixel-buffer row to read this cycle (its data is needed in the next).
    row_data : In(min(q, inputs) · pixel_bits)
        The row read in the previous cycle (the pixels of a row's slots past the tile's inputs are not needed).
    busy : Out(1)
        Rows of the step remain for the next cycle.
    x : Out(inputs)
        The spikes of the step being encoded (complete when ``busy`` is low).
    """

    def __init__(self, *, inputs: int, pixel_bits: int, pixels_per_word: int, words_per_read: int = 1,
                 lfsr_width: int, salt: int):
        check_range(self, "inputs", inputs, 1, 4096)
        check_range(self, "pixel_bits", pixel_bits, 1, 16)
        check_range(self, "pixels_per_word", pixels_per_word, 1, 32 // pixel_bits)
        check_range(self, "words_per_read", words_per_read, 1, 8)
        self.inputs, self.pixel_bits = inputs, pixel_bits
        self.lfsr_width, self.salt = lfsr_width, salt
        self.pixels_per_read = pixels_per_word * words_per_read
        self.reads = -(-inputs // self.pixels_per_read)
        self.read_pixels = min(self.pixels_per_read, inputs)     # pixels (and draws) of the widest row
        super().__init__({
            "seed": In(lfsr_width), "load": In(1), "start": In(1),
            "row_addr": Out(ceil_log2(self.reads) or 1), "row_data": In(self.read_pixels * pixel_bits),
            "busy": Out(1), "x": Out(inputs),
        })

    def elaborate(self, platform):
        m = Module()
        q, bits, last = self.pixels_per_read, self.pixel_bits, self.reads - 1
        m.submodules.lfsr = lfsr = Lfsr(width=self.lfsr_width, draw_bits=bits, draws=self.read_pixels,
                                        short_draws=self.inputs - last * q, salt=self.salt)
        row = Signal(range(self.reads))                 # the row compared in this cycle, when active
        current = Mux(self.start, 0, row)
        active = self.start | self.busy
        at_last = current == last
        m.d.comb += [lfsr.seed.eq(self.seed), lfsr.load.eq(self.load), lfsr.next.eq(active & ~self.load),
                     lfsr.short.eq(at_last),
                     self.row_addr.eq(Mux(active & ~at_last & ~self.load, current + 1, 0))]
        with m.If(self.load):
            m.d.sync += [self.busy.eq(0), self.x.eq(0)]
        with m.Elif(active):
            m.d.sync += [self.busy.eq(~at_last), row.eq(current + 1)]
            for r in range(self.reads):
                with m.If(current == r):
                    for i in range(min(q, self.inputs - r * q)):
                        pixel = self.row_data[i * bits:(i + 1) * bits]
                        m.d.sync += self.x[r * q + i].eq(lfsr.draw[i] < pixel)
        return m
