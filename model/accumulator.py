"""Golden model of the accumulator (hw/accumulator.py): a step's potentials from the rows its tiles read."""

from __future__ import annotations

from spinaps.contract import unpack_fields

__all__ = ["potentials"]


def potentials(config, bias, rows) -> list[int]:
    """``bias[i]`` plus weight i of every row read in the step (rows as packed integers)."""
    total = [int(b) for b in bias]
    for row in rows:
        for i, weight in enumerate(unpack_fields(row, config.weight_bits, config.n_outputs, signed=True)):
            total[i] += weight
    return total
