"""Golden model of a tile's pixel buffer (hw/pixel_buffer.py): a word memory, read a cycle late."""

from __future__ import annotations

__all__ = ["PixelBuffer"]


class PixelBuffer:
    """``words`` words of ``word_bits`` bits; contents start undefined (None) and are not reset."""

    def __init__(self, *, words: int, word_bits: int):
        self.words, self.word_bits = words, word_bits
        self.contents: list[int | None] = [None] * words

    def write(self, addr: int, data: int):
        if not 0 <= addr < self.words:
            raise IndexError(f"word {addr} is out of range (allowed: 0..{self.words - 1})")
        self.contents[addr] = data & ((1 << self.word_bits) - 1)

    def read(self, addr: int) -> int | None:
        return self.contents[addr]
