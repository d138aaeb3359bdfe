"""Golden model of the accelerator's timing (docs/spec.md section 9; hw/top.py's timing_constants)."""

import numpy as np

from spinaps.config import Config

from .golden import GoldenResult

__all__ = ["step_cycles", "inference_cycles", "utilization"]


def step_cycles(config: Config, result: GoldenResult) -> np.ndarray:
    """Cycles of every step, shape (n, T): ``max(E + read_latency, L) + N_Y + 3``."""
    busiest = result.events.max(axis=2)
    return np.maximum(busiest + config.read_latency, config.inputs_per_tile) + config.n_outputs + 3


def inference_cycles(config: Config, result: GoldenResult) -> np.ndarray:
    """CYCLES of every inference: 2 + the cycles of the steps it ran."""
    steps = np.arange(1, result.events.shape[1] + 1)
    ran = steps[None, :] <= result.decision_step[:, None]
    return 2 + (step_cycles(config, result) * ran).sum(axis=1)


def utilization(config: Config, result: GoldenResult) -> float:
    """SOPs / (cycles x tiles x N_Y lanes) over the batch."""
    sops = result.sops(config.n_outputs).sum()
    return float(sops / (inference_cycles(config, result).sum() * config.tiles * config.n_outputs))
