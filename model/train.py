"""First-to-spike training of the GLM-SNN, then quantisation-aware fine-tuning.

Phase 1 trains the basis weights ``w`` and biases ``gamma`` of the float model
by maximising the first-to-spike log-likelihood (:mod:`model.snn`) with Adam.
Phase 2 fine-tunes the per-lag kernel ``alpha`` (what the hardware stores)
and the biases with the forward pass on their fixed-point values
(straight-through estimator), keeping them inside the representable range.
"""

from __future__ import annotations

import numpy as np
from tqdm import tqdm

from spinaps.config import Config

from .data import Dataset
from .snn import basis_functions, basis_gradient, first_to_spike_loglik, history_of, kernel_from_basis, potentials
from .weights import Weights

__all__ = ["train", "quantise"]


class Adam:
    """Adam for gradient *ascent* on a dict of arrays."""

    def __init__(self, params: dict, lr: float, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.m = {k: np.zeros_like(v) for k, v in params.items()}
        self.v = {k: np.zeros_like(v) for k, v in params.items()}
        self.t = 0

    def step(self, params: dict, grads: dict):
        self.t += 1
        for k, g in grads.items():
            self.m[k] = self.beta1 * self.m[k] + (1 - self.beta1) * g
            self.v[k] = self.beta2 * self.v[k] + (1 - self.beta2) * g * g
            m_hat = self.m[k] / (1 - self.beta1 ** self.t)
            v_hat = self.v[k] / (1 - self.beta2 ** self.t)
            params[k] += self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


def quantise(values: np.ndarray, *, frac_bits: int, lo: int, hi: int) -> np.ndarray:
    """Round half up to the grid 2**-frac_bits and clamp to ``lo..hi`` (integers)."""
    return np.clip(np.floor(values * (1 << frac_bits) + 0.5), lo, hi).astype(np.int64)


def _batches(n: int, size: int, rng: np.random.Generator):
    order = rng.permutation(n)
    for start in range(0, n, size):
        yield order[start:start + size]


def _loglik_and_grads(history, labels, alpha, gamma):
    u = potentials(history, alpha, gamma)
    loglik, grad_u = first_to_spike_loglik(u, labels)
    n, steps = history.shape[:2]
    flat_h = history.reshape(n * steps, -1).astype(np.float64)
    flat_g = grad_u.reshape(n * steps, -1)
    grad_alpha = (flat_h.T @ flat_g).reshape(alpha.shape) / n
    return loglik.mean(), grad_alpha, grad_u.sum(axis=(0, 1)) / n


def train(config: Config, data: Dataset, *, progress: bool | None = None) -> Weights:
    """Train on ``data.train_*`` and return the quantised weights.

    Arguments
    ---------
    progress : bool or None
        Show a progress bar (None: only on a terminal).
    """
    rng = np.random.default_rng(config.train_seed)
    basis = basis_functions(config)
    scale = 2.0 ** -config.weight_frac_bits
    alpha_lo, alpha_hi = config.weight_min * scale, config.weight_max * scale
    gamma_lo, gamma_hi = config.bias_min * scale, config.bias_max * scale
    params = {"w": rng.normal(0.0, 0.05, (config.n_inputs, config.n_outputs, basis.shape[0])),
              "gamma": np.full(config.n_outputs, -4.0)}
    x, y = data.train_x, data.train_y
    total = config.train_epochs + config.qat_epochs
    bar = tqdm(total=total, desc="train", unit="epoch", disable=None if progress is None else not progress)

    adam = Adam(params, config.learning_rate)
    for _ in range(config.train_epochs):
        losses = []
        for idx in _batches(len(y), config.batch_size, rng):
            history = history_of(x[idx], config, rng)
            alpha = kernel_from_basis(params["w"], basis)
            loglik, grad_alpha, grad_gamma = _loglik_and_grads(history, y[idx], alpha, params["gamma"])
            adam.step(params, {"w": basis_gradient(grad_alpha, basis), "gamma": grad_gamma})
            losses.append(-loglik)
        bar.set_postfix(phase="float", nll=f"{np.mean(losses):.3f}")
        bar.update()

    # Phase 2: alpha itself, forward pass on the fixed-point grid.
    q = {"alpha": np.clip(kernel_from_basis(params["w"], basis), alpha_lo, alpha_hi),
         "gamma": np.clip(params["gamma"], gamma_lo, gamma_hi)}
    to_grid = lambda v, lo, hi: quantise(v, frac_bits=config.weight_frac_bits, lo=lo, hi=hi) * scale  # noqa: E731
    adam = Adam(q, config.learning_rate * scale)
    for _ in range(config.qat_epochs):
        losses = []
        for idx in _batches(len(y), config.batch_size, rng):
            history = history_of(x[idx], config, rng)
            loglik, grad_alpha, grad_gamma = _loglik_and_grads(
                history, y[idx], to_grid(q["alpha"], config.weight_min, config.weight_max),
                to_grid(q["gamma"], config.bias_min, config.bias_max))
            adam.step(q, {"alpha": grad_alpha, "gamma": grad_gamma})
            np.clip(q["alpha"], alpha_lo, alpha_hi, out=q["alpha"])
            np.clip(q["gamma"], gamma_lo, gamma_hi, out=q["gamma"])
            losses.append(-loglik)
        bar.set_postfix(phase="qat", nll=f"{np.mean(losses):.3f}")
        bar.update()
    bar.close()

    return Weights(
        alpha=quantise(q["alpha"], frac_bits=config.weight_frac_bits,
                       lo=config.weight_min, hi=config.weight_max),
        bias=quantise(q["gamma"], frac_bits=config.weight_frac_bits,
                      lo=config.bias_min, hi=config.bias_max),
        config=config)
