"""Golden model of the accelerator's timing (docs/spec.md section 9)."""

import numpy as np

from spinaps.config import Config
from spinaps.contract import decision_cycles

from .golden import GoldenResult

__all__ = ["decision_cycle_table", "inference_cycles", "utilization"]


def decision_cycle_table(config: Config, result: GoldenResult) -> np.ndarray:
    """Cycle (after START) of every step's decision, shape (n, T): from the busiest tile's events."""
    busiest = result.events.max(axis=2)
    return np.array([decision_cycles(config, row.tolist()) for row in busiest], dtype=np.int64)


def inference_cycles(config: Config, result: GoldenResult) -> np.ndarray:
    """CYCLES of every inference: its decision cycle + 1."""
    table = decision_cycle_table(config, result)
    return table[np.arange(len(table)), result.decision_step - 1] + 1


def utilization(config: Config, result: GoldenResult) -> float:
    """SOPs / (cycles x tiles x N_Y lanes) over the batch."""
    sops = result.sops(config.n_outputs).sum()
    return float(sops / (inference_cycles(config, result).sum() * config.tiles * config.n_outputs))
