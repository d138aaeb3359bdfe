"""A tile's image buffer: its pixels, several to a word (docs/spec.md section 2; golden: model/pixel_buffer.py)."""

from math import gcd

from amaranth import Module, Mux
from amaranth.lib import wiring
from amaranth.lib.memory import Memory
from amaranth.lib.wiring import In, Out
from amaranth.utils import ceil_log2, exact_log2

from .params import check_choice, check_range

__all__ = ["PixelBuffer"]


class PixelBuffer(wiring.Component):
    """A small SRAM of ``words`` words of ``word_bits`` bits: written a word at a time by the bus,
    read a row of ``row_words`` words at a time by the encoder; with two ``banks``, two such images,
    the bus writing one while the encoder reads the other.

    Synthesis treats it as a macro (black box, modelled like the STT-RAM macros), not as
    flip-flops. Word m holds the pixels of local inputs ``m·p .. m·p + p - 1``, the first in
    the lowest bits (p pixels a word); row r holds words ``r·row_words .. r·row_words + row_words - 1``,
    the first in the lowest bits, so a row's pixels are in local order too. Contents are not reset.

    Arguments
    ---------
    words : int
        Depth in words (1..4096).
    word_bits : int
        Width of a word (1..32).
    row_words : int
        Words in a row (1, 2, 4 or 8): the row is the unit of a read, the word the unit of a write.
    row_bits : int or None
        Width of a row: ``row_words · word_bits`` (None), or fewer when the buffer is one row
        whose last word is not full (the bits of the pixels it does not have are not stored).
    banks : int
        Images held (1 or 2); with 2, ``write_bank`` and ``read_bank`` choose the image.

    Members
    -------
    write_en : In(1)
    write_addr : In(ceil_log2(words) or 1)
    write_data : In(word_bits)
        A word write is performed at the clock edge of a cycle with ``write_en`` high.
    read_addr : In(ceil_log2(rows) or 1)
    read_data : Out(row_bits)
        The row at the ``read_addr`` of the previous cycle (synchronous read, always enabled).
        A read and a write of the same row in one cycle return the old row.
    write_bank, read_bank : In(1)
        With two banks only: the bank of a write, and of a read (taken with ``read_addr``).
    """

    def __init__(self, *, words: int, word_bits: int, row_words: int = 1, row_bits: int | None = None,
                 banks: int = 1):
        check_range(self, "words", words, 1, 4096)
        check_range(self, "word_bits", word_bits, 1, 32)
        check_choice(self, "row_words", row_words, (1, 2, 4, 8))
        check_choice(self, "banks", banks, (1, 2))
        self.words, self.word_bits, self.row_words, self.banks = words, word_bits, row_words, banks
        self.rows = -(-words // row_words)
        full = row_words * word_bits
        if row_bits is not None and self.rows == 1:
            check_range(self, "row_bits", row_bits, (words - 1) * word_bits + 1, full)
        elif row_bits is not None:
            check_range(self, "row_bits", row_bits, full, full)
        self.row_bits = full if row_bits is None else row_bits
        members = {"write_en": In(1), "write_addr": In(ceil_log2(words) or 1), "write_data": In(word_bits),
                   "read_addr": In(ceil_log2(self.rows) or 1), "read_data": Out(self.row_bits)}
        if banks == 2:
            members |= {"write_bank": In(1), "read_bank": In(1)}
        super().__init__(members)

    def elaborate(self, platform):
        m = Module()
        lane = gcd(self.word_bits, self.row_bits)            # write-enable granularity
        m.submodules.memory = memory = Memory(shape=self.row_bits, depth=self.rows * self.banks, init=[])
        write = memory.write_port(granularity=lane)
        read = memory.read_port(transparent_for=())
        slot_bits = exact_log2(self.row_words)
        slot = self.write_addr[:slot_bits]
        write_row, read_row = self.write_addr[slot_bits:], self.read_addr
        if self.banks == 2:                                  # bank 1 holds rows rows .. 2·rows - 1
            write_row = Mux(self.write_bank, write_row + self.rows, write_row)
            read_row = Mux(self.read_bank, read_row + self.rows, read_row)
        m.d.comb += [write.addr.eq(write_row),
                     write.data.eq(self.write_data.replicate(self.row_words)),
                     read.addr.eq(read_row), self.read_data.eq(read.data)]
        for i in range(self.row_bits // lane):
            m.d.comb += write.en[i].eq(self.write_en & (slot == i * lane // self.word_bits))
        return m
