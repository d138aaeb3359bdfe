"""Golden model of the rate encoder (docs/spec.md, "Rate encoder").

Tile k owns inputs j = k, k + tiles, k + 2*tiles, ... and has its own encoder
LFSR, seeded with ``tile_seed(SEED_ENCODER, k)`` at the start of every
inference. In each time step t = 1..T the tile visits its inputs in that
order and takes one ``pixel_bits``-bit draw per input; input j spikes at t
when its draw is below its pixel value. Draws are taken whether or not a
pixel is zero, so the order never depends on the data.
"""

from __future__ import annotations

import numpy as np

from spinaps.config import Config

from .lfsr import LfsrArray, tile_seed

__all__ = ["tile_seeds", "encode"]


def tile_seeds(seed_encoder, config: Config) -> np.ndarray:
    """Encoder LFSR seeds, shape ``seed_encoder.shape + (tiles,)``."""
    seeds = np.asarray(seed_encoder, dtype=np.int64)
    table = np.array([[tile_seed(int(s), k, config.lfsr_width) for k in range(config.tiles)]
                      for s in seeds.ravel()], dtype=np.uint64)
    return table.reshape(seeds.shape + (config.tiles,))


def encode(pixels, seed_encoder, config: Config, *, steps: int | None = None) -> np.ndarray:
    """Input spikes ``x[n, t-1, j]`` for t = 1..steps (default t_max).

    Arguments
    ---------
    pixels : int array, shape (batch, n_inputs)
        Intensities in ``0 .. 2**pixel_bits - 1``.
    seed_encoder : int or int array of shape (batch,)
        SEED_ENCODER of each inference.
    """
    pixels = np.asarray(pixels, dtype=np.int64)
    batch = pixels.shape[0]
    steps = config.t_max if steps is None else steps
    lfsrs = LfsrArray(tile_seeds(np.broadcast_to(seed_encoder, (batch,)), config),
                      width=config.lfsr_width)
    x = np.zeros((batch, steps, config.n_inputs), dtype=bool)
    for t in range(steps):
        for local in range(config.inputs_per_tile):
            first_input = local * config.tiles
            active = min(config.tiles, config.n_inputs - first_input)  # tiles that own a local-th input
            draws = lfsrs.draw(config.pixel_bits, first=active)
            x[:, t, first_input:first_input + active] = draws < pixels[:, first_input:first_input + active]
    return x
