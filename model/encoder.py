"""Golden model of the rate encoders (docs/spec.md, section 5.2; hw/encoder.py).

Tile k holds the inputs ``mapping[k]`` in that (local) order and has its own
encoder LFSR, seeded with ``stream_seed(SEED_ENCODER, k)`` at the start of
every inference. In each time step t = 1..T the tile visits its inputs in
local order and takes one ``pixel_bits``-bit draw per input; input j spikes
at t when its draw is below its pixel value. Draws are taken whether or not
a pixel is zero, so the order never depends on the data.
"""

from __future__ import annotations

import numpy as np

from spinaps.config import Config
from spinaps.contract import stream_seed

from .lfsr import LfsrArray

__all__ = ["encode", "encode_streams"]


def encode(pixels, seed_encoder, config: Config, mapping, *, steps: int | None = None) -> np.ndarray:
    """Input spikes ``x[n, t-1, j]`` for t = 1..steps (default t_max).

    Arguments
    ---------
    pixels : int array, shape (batch, n_inputs)
        Intensities in ``0 .. 2**pixel_bits - 1``.
    seed_encoder : int array of shape (batch,)
        SEED_ENCODER of each inference.
    mapping : tuple of tuples
        The inputs of each tile, in local order.
    """
    seeds = [[stream_seed(int(s), k, config.lfsr_width) for k in range(len(mapping))] for s in seed_encoder]
    return encode_streams(pixels, np.array(seeds, dtype=np.uint64).reshape(-1, len(mapping)), config, mapping,
                          steps=steps)


def encode_streams(pixels, stream_seeds, config: Config, mapping, *, steps: int | None = None) -> np.ndarray:
    """:func:`encode` with the tiles' LFSR seeds given, shape (batch, len(mapping)): the spikes of the
    inputs of ``mapping`` (the others stay 0)."""
    pixels = np.asarray(pixels, dtype=np.int64)
    batch, tiles = pixels.shape[0], len(mapping)
    steps = config.t_max if steps is None else steps
    lfsrs = LfsrArray(stream_seeds, width=config.lfsr_width)
    longest = max(len(inputs) for inputs in mapping)
    # slot[k, l] = the l-th input of tile k, or -1 past its last input (no draw).
    slot = np.full((tiles, longest), -1)
    for k, inputs in enumerate(mapping):
        slot[k, :len(inputs)] = inputs
    x = np.zeros((batch, steps, config.n_inputs), dtype=bool)
    for t in range(steps):
        for local in range(longest):
            present = slot[:, local] >= 0
            draws = lfsrs.draw(config.pixel_bits, where=present[None, :])
            inputs = slot[present, local]
            x[:, t, inputs] = draws[:, present] < pixels[:, inputs]
    return x
