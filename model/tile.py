"""Golden model of one tile (hw/tile.py): the rows it reads, step by step.

A tile holds the inputs of its slice of the tile map; its event scanner issues
the set bits of its history lowest row first (:mod:`model.scanner`), and every
event reads the macro row ``macro_row(l, d)``. This model returns, for each
step, the rows read in issue order, which the hardware test compares with the
tile's row stream.
"""

from __future__ import annotations

import numpy as np

from spinaps.config import Config
from spinaps.contract import stream_seed

from .encoder import encode_streams
from .history import history_bits
from .scanner import scan

__all__ = ["tile_reads"]


def tile_reads(config: Config, inputs, pixels, seed: int, *, tile: int, steps: int) -> list[list[int]]:
    """The macro rows tile ``tile`` (holding ``inputs``) reads in steps 1 .. steps, in issue order.

    Arguments
    ---------
    inputs : tuple of int
        The tile's inputs, in local order.
    pixels : int array (N_X,)
    seed : int
        SEED_ENCODER of the inference.
    """
    streams = np.array([[stream_seed(seed, tile, config.lfsr_width)]], dtype=np.uint64)
    x = encode_streams(np.asarray(pixels)[None], streams, config, (tuple(inputs),), steps=steps)[0]
    bits = history_bits(x[:, list(inputs)], config.tau)
    return [scan(sum(int(b) << i for i, b in enumerate(row))) for row in bits]
