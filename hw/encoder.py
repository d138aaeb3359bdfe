"""Rate encoder of one tile (docs/spec.md section 5.2; golden: model/encoder.py)."""

from amaranth import Module, Mux, Signal
from amaranth.lib import wiring
from amaranth.lib.wiring import In, Out
from amaranth.utils import ceil_log2

from .lfsr import Lfsr
from .params import check_range

__all__ = ["RateEncoder"]


class RateEncoder(wiring.Component):
    """Bernoulli rate encoder for the inputs of one tile, a pixel-buffer word (p inputs) per cycle.

    ``start`` encodes one time step: in the start cycle and the next ``words - 1`` cycles,
    word m of the pixel buffer is compared with p draws of the tile's LFSR (inputs m·p ..
    m·p + p - 1, one draw each in that order, the last word only the draws of the inputs it
    has): ``x[l] = draw < pixel[l]``. The encoder keeps the buffer's read address one word
    ahead, so word 0 is on ``word_data`` whenever it is idle (the start cycle needs it).

    Arguments
    ---------
    inputs : int
        n_k, inputs of this tile (1..4096).
    pixel_bits : int
    pixels_per_word : int
        p (1..32), with ``p · pixel_bits`` ≤ 32.
    lfsr_width : int
    salt : int
        XORed into the seed when the LFSR is loaded (the tile's stream; docs/spec.md section 5.2).

    Members
    -------
    seed : In(lfsr_width)
        SEED_ENCODER; ``load`` loads the LFSR, clears ``x`` and stops any encoding.
    load, start : In(1)
    word_addr : Out(ceil_log2(words) or 1)
        The pixel-buffer word to read this cycle (its data is needed in the next).
    word_data : In(min(p, inputs) · pixel_bits)
        The word read in the previous cycle (a tile with fewer inputs than p has a narrower word).
    busy : Out(1)
        Words of the step remain for the next cycle.
    x : Out(inputs)
        The spikes of the step being encoded (complete when ``busy`` is low).
    """

    def __init__(self, *, inputs: int, pixel_bits: int, pixels_per_word: int, lfsr_width: int, salt: int):
        check_range(self, "inputs", inputs, 1, 4096)
        check_range(self, "pixel_bits", pixel_bits, 1, 16)
        check_range(self, "pixels_per_word", pixels_per_word, 1, 32 // pixel_bits)
        self.inputs, self.pixel_bits, self.pixels_per_word = inputs, pixel_bits, pixels_per_word
        self.lfsr_width, self.salt = lfsr_width, salt
        self.words = -(-inputs // pixels_per_word)
        self.word_pixels = min(pixels_per_word, inputs)     # pixels (and draws) of the widest word
        super().__init__({
            "seed": In(lfsr_width), "load": In(1), "start": In(1),
            "word_addr": Out(ceil_log2(self.words) or 1), "word_data": In(self.word_pixels * pixel_bits),
            "busy": Out(1), "x": Out(inputs),
        })

    def elaborate(self, platform):
        m = Module()
        p, bits, last = self.pixels_per_word, self.pixel_bits, self.words - 1
        m.submodules.lfsr = lfsr = Lfsr(width=self.lfsr_width, draw_bits=bits, draws=self.word_pixels,
                                        short_draws=self.inputs - last * p, salt=self.salt)
        word = Signal(range(self.words))                 # the word compared in this cycle, when active
        current = Mux(self.start, 0, word)
        active = self.start | self.busy
        at_last = current == last
        m.d.comb += [lfsr.seed.eq(self.seed), lfsr.load.eq(self.load), lfsr.next.eq(active & ~self.load),
                     lfsr.short.eq(at_last),
                     self.word_addr.eq(Mux(active & ~at_last & ~self.load, current + 1, 0))]
        with m.If(self.load):
            m.d.sync += [self.busy.eq(0), self.x.eq(0)]
        with m.Elif(active):
            m.d.sync += [self.busy.eq(~at_last), word.eq(current + 1)]
            for w in range(self.words):
                with m.If(current == w):
                    for i in range(min(p, self.inputs - w * p)):
                        pixel = self.word_data[i * bits:(i + 1) * bits]
                        m.d.sync += self.x[w * p + i].eq(lfsr.draw[i] < pixel)
        return m
