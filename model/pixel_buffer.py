"""Golden model of a tile's pixel buffer (hw/pixel_buffer.py): words written one at a time, rows of
``row_words`` words read a cycle late."""

from __future__ import annotations

__all__ = ["PixelBuffer"]


class PixelBuffer:
    """``words`` words of ``word_bits`` bits in rows of ``row_words``, a row ``row_bits`` wide (default
    ``row_words · word_bits``; the bits past it are not stored); contents start undefined (None) and
    are not reset."""

    def __init__(self, *, words: int, word_bits: int, row_words: int = 1, row_bits: int | None = None):
        self.words, self.word_bits, self.row_words = words, word_bits, row_words
        self.rows = -(-words // row_words)
        self.row_bits = row_words * word_bits if row_bits is None else row_bits
        self.contents: list[int | None] = [None] * words

    def write(self, addr: int, data: int):
        if not 0 <= addr < self.words:
            raise IndexError(f"word {addr} is out of range (allowed: 0..{self.words - 1})")
        self.contents[addr] = data & ((1 << self.word_bits) - 1)

    def read(self, row: int) -> int | None:
        """Row ``row``, word ``row·row_words + i`` in bits ``[i·word_bits, …)``; None if a word of it was
        never written (the slots of a last row past ``words`` read as 0)."""
        if not 0 <= row < self.rows:
            raise IndexError(f"row {row} is out of range (allowed: 0..{self.rows - 1})")
        value = 0
        for i in range(self.row_words):
            addr = row * self.row_words + i
            if addr < self.words:
                if self.contents[addr] is None:
                    return None
                value |= self.contents[addr] << (i * self.word_bits)
        return value & ((1 << self.row_bits) - 1)
