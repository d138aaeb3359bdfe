"""Golden model of the LFSRs (docs/spec.md, section "Random number generators").

Every LFSR in spinaps is a W-bit Fibonacci LFSR with the maximal-length taps
of :data:`spinaps.config.LFSR_TAPS`. One *step* shifts the state left by one
bit and shifts in the XOR of the tapped bits. A *b-bit draw* takes b steps and
returns the b newest bits (``state & (2**b - 1)``), so no bit of a draw was
used by the previous draw. The hardware does the b steps in one clock cycle.
"""

from __future__ import annotations

import numpy as np

from spinaps.config import LFSR_TAPS

__all__ = ["lfsr_step", "lfsr_draw", "LfsrArray", "nonzero_seed", "tile_seed"]

#: Odd constant that spreads tile indices over the seed space (2**32 / golden ratio).
TILE_SEED_SALT = 0x9E3779B9


def _mask(width: int) -> int:
    return (1 << width) - 1


def nonzero_seed(seed: int, width: int) -> int:
    """The state an LFSR is loaded with for ``seed``: zero would lock it, so 0 loads 1."""
    seed &= _mask(width)
    return seed if seed else 1


def tile_seed(seed: int, tile: int, width: int) -> int:
    """Seed of tile ``tile``'s encoder LFSR from the SEED_ENCODER register value."""
    return nonzero_seed(seed ^ ((tile * TILE_SEED_SALT) & _mask(width)), width)


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
        Initial states, any shape; zeros are loaded as 1 (see :func:`nonzero_seed`).
    width : int
        W, a key of :data:`LFSR_TAPS`.
    """

    def __init__(self, seeds, *, width: int):
        if width not in LFSR_TAPS:
            raise ValueError(f"width = {width!r} is not allowed (allowed: {', '.join(map(str, LFSR_TAPS))})")
        self.width = width
        state = np.asarray(seeds, dtype=np.uint64) & np.uint64(_mask(width))
        self.state = np.where(state == 0, np.uint64(1), state)

    def draw(self, bits: int, *, first: int | None = None) -> np.ndarray:
        """One ``bits``-bit draw from every LFSR, or only from the ``first`` ones
        along the last axis (the others keep their state)."""
        mask = np.uint64(_mask(self.width))
        taps = [np.uint64(t - 1) for t in LFSR_TAPS[self.width]]
        one = np.uint64(1)
        s = self.state[..., :first]
        for _ in range(bits):
            feedback = (s >> taps[0]) & one
            for tap in taps[1:]:
                feedback ^= (s >> tap) & one
            s = ((s << one) | feedback) & mask
        self.state[..., :first] = s
        return (s & np.uint64(_mask(bits))).astype(np.int64)
