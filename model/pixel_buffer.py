"""Golden model of a tile's pixel buffer (hw/pixel_buffer.py): words written one at a time, rows of
``row_words`` words read a cycle late, in one of ``banks`` banks (images)."""

from __future__ import annotations

__all__ = ["PixelBuffer"]


class PixelBuffer:
    """``banks`` banks of ``words`` words of ``word_bits`` bits in rows of ``row_words``, a row
    ``row_bits`` wide (default ``row_words · word_bits``; the bits past it are not stored); contents
    start undefined (None) and are not reset. Banks are independent images."""

    def __init__(self, *, words: int, word_bits: int, row_words: int = 1, row_bits: int | None = None,
                 banks: int = 1):
        self.words, self.word_bits, self.row_words, self.banks = words, word_bits, row_words, banks
        self.rows = -(-words // row_words)
        self.row_bits = row_words * word_bits if row_bits is None else row_bits
        self.contents: list[list[int | None]] = [[None] * words for _ in range(banks)]

    def _bank(self, bank: int) -> list[int | None]:
        if not 0 <= bank < self.banks:
            raise IndexError(f"bank {bank} is out of range (allowed: 0..{self.banks - 1})")
        return self.contents[bank]

    def write(self, addr: int, data: int, bank: int = 0):
        contents = self._bank(bank)
        if not 0 <= addr < self.words:
            raise IndexError(f"word {addr} is out of range (allowed: 0..{self.words - 1})")
        contents[addr] = data & ((1 << self.word_bits) - 1)

    def read(self, row: int, bank: int = 0) -> int | None:
        """Row ``row`` of ``bank``, word ``row·row_words + i`` in bits ``[i·word_bits, …)``; None if a
        word of it was never written (the slots of a last row past ``words`` read as 0)."""
        contents = self._bank(bank)
        if not 0 <= row < self.rows:
            raise IndexError(f"row {row} is out of range (allowed: 0..{self.rows - 1})")
        value = 0
        for i in range(self.row_words):
            addr = row * self.row_words + i
            if addr < self.words:
                if contents[addr] is None:
                    return None
                value |= contents[addr] << (i * self.word_bits)
        return value & ((1 << self.row_bits) - 1)
