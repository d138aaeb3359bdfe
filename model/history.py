"""Golden model of one tile's spike history (hw/history.py)."""

import numpy as np

from .golden import spike_history

__all__ = ["history_bits"]


def history_bits(x: np.ndarray, tau: int) -> np.ndarray:
    """The history bits (bit ``l*tau + d``) a tile holds in each step, for spikes ``x[t, l]``.

    Row t-1 is what step t scans: the spikes of steps t-1 .. t-tau.
    """
    return spike_history(x[None].astype(np.uint8), tau)[0].reshape(x.shape[0], -1)
