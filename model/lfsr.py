"""Golden model of the LFSRs (docs/spec.md, section "Random number generators").

Every LFSR in spinaps is a W-bit Fibonacci LFSR with the maximal-length taps
of :data:`spinaps.contract.LFSR_TAPS`. One *step* shifts the state left by one
bit and shifts in the XOR of the tapped bits. A *b-bit draw* takes b steps and
returns the b newest bits (``state & (2**b - 1)``), so no bit of a draw was
used by the previous draw. This model steps bit by bit; the hardware takes
whole draws a cycle through precomputed GF(2) maps (hw/lfsr.py).
"""

from __future__ import annotations

import numpy as np

from spinaps.contract import LFSR_TAPS, nonzero_seed

__all__ = ["lfsr_step", "lfsr_draw", "LfsrArray"]


def _mask(width: int) -> int:
    return (1 << width) - 1


def lfsr_step(state: int, width: int) -> int:
    """One step of the reference LFSR (scalar)."""
    feedback = 0
    for tap in LFSR_TAPS[width]:
        feedback ^= (state >> (tap - 1)) & 1
    return ((state << 1) | feedback) & _mask(width)


def lfsr_draw(state: int, width: int, bits: int) -> tuple[int, int]:
    """A ``bits``-bit draw (scalar): returns ``(draw, new_state)``."""
    for _ in range(bits):
        state = lfsr_step(state, width)
    return state & _mask(bits), state


class LfsrArray:
    """Many independent LFSRs of one width, stepped together (vectorised).

    Arguments
    ---------
    seeds : array of int
        Seed register values, any shape; each is loaded as ``nonzero_seed`` (0 loads 1).
    width : int
        W, a key of :data:`LFSR_TAPS`.
    """

    def __init__(self, seeds, *, width: int):
        if width not in LFSR_TAPS:
            raise ValueError(f"width = {width!r} is not allowed (allowed: {', '.join(map(str, LFSR_TAPS))})")
        self.width = width
        flat = [nonzero_seed(int(s), width) for s in np.asarray(seeds).ravel()]
        self.state = np.array(flat, dtype=np.uint64).reshape(np.shape(seeds))

    def draw(self, bits: int, *, where=None) -> np.ndarray:
        """One ``bits``-bit draw from every LFSR; with ``where`` (a boolean mask broadcast to the
        state's shape) only those LFSRs draw and the others keep their state."""
        mask = np.uint64(_mask(self.width))
        taps = [np.uint64(t - 1) for t in LFSR_TAPS[self.width]]
        one = np.uint64(1)
        s = self.state
        for _ in range(bits):
            feedback = (s >> taps[0]) & one
            for tap in taps[1:]:
                feedback ^= (s >> tap) & one
            s = ((s << one) | feedback) & mask
        self.state = s if where is None else np.where(where, s, self.state)
        return (s & np.uint64(_mask(bits))).astype(np.int64)
