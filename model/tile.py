"""Golden model of one tile (hw/tile.py): macro contents and one step's accumulation."""

import numpy as np

from spinaps.config import Config

from .scanner import scan

__all__ = ["tile_rows", "tile_step", "pack_row", "unpack_row", "tile_and_row"]


def tile_and_row(config: Config, j: int, d: int) -> tuple[int, int]:
    """Where the weights of input j at lag d live: ``(tile, macro row)``."""
    return j % config.tiles, (j // config.tiles) * config.tau + d


def pack_row(config: Config, weights) -> int:
    """N_Y signed weights into one row: weight i in cells ``[i*B, i*B + B)``."""
    mask = (1 << config.weight_bits) - 1
    return sum((int(w) & mask) << (i * config.weight_bits) for i, w in enumerate(weights))


def unpack_row(config: Config, row: int) -> list[int]:
    """The N_Y signed weights of a row."""
    b = config.weight_bits
    fields = [(row >> (i * b)) & ((1 << b) - 1) for i in range(config.n_outputs)]
    return [f - (1 << b) if f >> (b - 1) else f for f in fields]


def tile_rows(config: Config, alpha, tile: int) -> list[int]:
    """The macro contents of ``tile`` for the per-lag kernel ``alpha`` (unused rows erased)."""
    rows = [0] * config.rows_per_tile
    alpha = np.asarray(alpha)
    for local, j in enumerate(config.tile_inputs(tile)):
        for d in range(config.tau):
            rows[local * config.tau + d] = pack_row(config, alpha[j, d])
    return rows


def tile_step(config: Config, rows: list[int], history: int) -> tuple[list[int], int]:
    """``(acc, events)`` of one step: the sum of the rows of the history's set bits."""
    acc = [0] * config.n_outputs
    events = scan(history)
    for row in events:
        for i, w in enumerate(unpack_row(config, rows[row])):
            acc[i] += w
    return acc, len(events)
