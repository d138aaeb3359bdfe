"""Stimulus shared by the Amaranth-simulator tests and the cocotb testbenches."""

import numpy as np

from spinaps.config import Config

__all__ = ["random_network"]


def random_network(config: Config, seed: int):
    """Sparse full-range weights and biases around -4 (real units): inferences run several
    steps and accumulate many events, so every part of the datapath is exercised."""
    rng = np.random.default_rng(seed)
    shape = (config.n_inputs, config.tau, config.n_outputs)
    alpha = rng.integers(config.weight_min, config.weight_max + 1, shape) * (rng.random(shape) < 0.05)
    lo = max(config.bias_min, -5 << config.weight_frac_bits)
    bias = rng.integers(lo, max(lo + 1, min(config.bias_max + 1, -3 << config.weight_frac_bits)), config.n_outputs)
    return alpha, bias
