"""Golden model of the sigmoid look-up (docs/spec.md section 4).

The potential u (an integer in units of 2**-F) addresses the LUT with
``index = clamp(u >> S, -2**(A-1), 2**(A-1) - 1)`` (arithmetic shift, i.e.
floor division). The table itself is a contract fact both sides build from
``spinaps.contract.sigmoid_lut``; tests/reference.py recomputes it from the spec.
"""

from __future__ import annotations

import numpy as np

from spinaps.config import Config
from spinaps.contract import sigmoid_lut

__all__ = ["lut_index", "lut_lookup"]


def lut_index(potential, config: Config) -> np.ndarray:
    """Signed LUT index of each potential (saturating)."""
    half = config.lut_size // 2
    return np.clip(np.asarray(potential) >> config.lut_shift, -half, half - 1)


def lut_lookup(potential, config: Config) -> np.ndarray:
    """Spike probability (units of 2**-P) of each potential."""
    table = np.array(sigmoid_lut(config), dtype=np.int64)
    return table[lut_index(potential, config) + config.lut_size // 2]
