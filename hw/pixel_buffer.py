"""A tile's image buffer: its pixels, several to a word (docs/spec.md section 2; golden: model/pixel_buffer.py)."""

from amaranth import Module
from amaranth.lib import wiring
from amaranth.lib.memory import Memory
from amaranth.lib.wiring import In, Out
from amaranth.utils import ceil_log2

from .params import check_range

__all__ = ["PixelBuffer"]


class PixelBuffer(wiring.Component):
    """A small SRAM of ``words`` words of ``word_bits`` bits: written by the bus, read by the encoder.

    Synthesis treats it as a macro (black box, modelled like the STT-RAM macros), not as
    flip-flops. Word m holds the pixels of local inputs ``m·p .. m·p + p - 1``, the first in
    the lowest bits (p pixels a word). Contents are not reset.

    Arguments
    ---------
    words : int
        Depth (1..4096).
    word_bits : int
        Width (1..32).

    Members
    -------
    write_en : In(1)
    write_addr : In(ceil_log2(words) or 1)
    write_data : In(word_bits)
        A write is performed at the clock edge of a cycle with ``write_en`` high.
    read_addr : In(ceil_log2(words) or 1)
    read_data : Out(word_bits)
        The word at the ``read_addr`` of the previous cycle (synchronous read, always enabled).
        A read and a write of the same word in one cycle return the old word.
    """

    def __init__(self, *, words: int, word_bits: int):
        check_range(self, "words", words, 1, 4096)
        check_range(self, "word_bits", word_bits, 1, 32)
        self.words, self.word_bits = words, word_bits
        addr_bits = ceil_log2(words) or 1
        super().__init__({"write_en": In(1), "write_addr": In(addr_bits), "write_data": In(word_bits),
                          "read_addr": In(addr_bits), "read_data": Out(word_bits)})

    def elaborate(self, platform):
        m = Module()
        m.submodules.memory = memory = Memory(shape=self.word_bits, depth=self.words, init=[])
        write = memory.write_port()
        read = memory.read_port(transparent_for=())
        m.d.comb += [write.en.eq(self.write_en), write.addr.eq(self.write_addr), write.data.eq(self.write_data),
                     read.addr.eq(self.read_addr), self.read_data.eq(read.data)]
        return m
