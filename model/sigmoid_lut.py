"""Golden model of the sigmoid look-up table (docs/spec.md, "Sigmoid LUT").

The potential u (an integer in units of 2**-F) addresses the LUT with
``index = clamp(u >> S, -2**(A-1), 2**(A-1) - 1)`` (arithmetic shift, i.e.
floor division). Entry ``index`` holds the spike probability of the centre
of its bin, in units of 2**-P, rounded half up and clamped to ``2**P - 1``.
The generator builds its ROM from :func:`sigmoid_lut`, so RTL and model share
the table by construction; the formula is in the spec for everyone else.
"""

from __future__ import annotations

import numpy as np

from spinaps.config import Config

__all__ = ["sigmoid_lut", "lut_index", "lut_lookup"]


def sigmoid_lut(config: Config) -> np.ndarray:
    """The LUT contents, entry for ``index = -2**(A-1)`` first (int64, length 2**A)."""
    half = config.lut_size // 2
    index = np.arange(-half, half, dtype=np.float64)
    step = float(1 << config.lut_shift)
    centre = (index * step + (step - 1) / 2) * 2.0 ** -config.weight_frac_bits
    prob = 1.0 / (1.0 + np.exp(-centre))
    scaled = np.floor(prob * (1 << config.prob_bits) + 0.5)
    return np.clip(scaled, 0, (1 << config.prob_bits) - 1).astype(np.int64)


def lut_index(potential, config: Config) -> np.ndarray:
    """Signed LUT index of each potential (saturating)."""
    half = config.lut_size // 2
    return np.clip(np.asarray(potential) >> config.lut_shift, -half, half - 1)


def lut_lookup(potential, config: Config, lut: np.ndarray | None = None) -> np.ndarray:
    """Spike probability (units of 2**-P) of each potential."""
    lut = sigmoid_lut(config) if lut is None else lut
    return lut[lut_index(potential, config) + config.lut_size // 2]
