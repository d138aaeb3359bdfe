"""First-to-spike training of the GLM-SNN, then quantisation-aware fine-tuning.

0. Initialisation (``init: softmax``): the same-size softmax regression is fitted
   on the spike probabilities ``pixel / 2**pixel_bits``; its weight ``W[j, i]`` is
   spread evenly over the lags (``sum_d alpha[j, d, i] = init_gain * W[j, i]``, so
   that once the kernel window is full the expected potential is ``init_gain``
   times the logit) and the biases are ``init_gain * b[i] + init_offset`` (quiet
   outputs at the start). ``init: random`` starts from small random weights.
1. Float phase: the basis weights ``w`` and biases ``gamma`` maximise the
   latency-aware first-to-spike objective (:func:`model.snn.latency_aware_objective`)
   with Adam, on freshly sampled input spikes every minibatch.
2. QAT phase: the per-lag kernel ``alpha`` (what the hardware stores) and the
   biases are fine-tuned with the forward pass on their fixed-point values
   (straight-through estimator), kept inside the representable range.

Each phase decays its learning rate by a cosine to 1 % (``lr_schedule``).
"""

from __future__ import annotations

import math

import numpy as np
from tqdm import tqdm

from spinaps.config import Config

from .data import Dataset
from .snn import (basis_functions, basis_gradient, kernel_from_basis, kernel_gradient, latency_aware_objective,
                  potentials_from_spikes, sample_inputs)
from .weights import Weights

__all__ = ["train", "quantise", "objective_and_gradients", "softmax_initialisation", "Adam"]

#: The cosine schedule ends at this fraction of the learning rate.
FINAL_LR_FRACTION = 0.01


class Adam:
    """Adam for gradient *ascent* on a dict of arrays; ``step`` takes this step's learning rate."""

    def __init__(self, params: dict, *, beta1=0.9, beta2=0.999, eps=1e-8):
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.m = {k: np.zeros_like(v) for k, v in params.items()}
        self.v = {k: np.zeros_like(v) for k, v in params.items()}
        self.t = 0

    def step(self, params: dict, grads: dict, lr: float):
        self.t += 1
        for k, g in grads.items():
            self.m[k] = self.beta1 * self.m[k] + (1 - self.beta1) * g
            self.v[k] = self.beta2 * self.v[k] + (1 - self.beta2) * g * g
            m_hat = self.m[k] / (1 - self.beta1 ** self.t)
            v_hat = self.v[k] / (1 - self.beta2 ** self.t)
            params[k] += lr * m_hat / (np.sqrt(v_hat) + self.eps)


def quantise(values: np.ndarray, *, frac_bits: int, lo: int, hi: int) -> np.ndarray:
    """Round half up to the grid 2**-frac_bits and clamp to ``lo..hi`` (integers)."""
    return np.clip(np.floor(values * (1 << frac_bits) + 0.5), lo, hi).astype(np.int64)


def _schedule(config: Config, base: float, total_steps: int):
    """Learning rate of step ``s`` (0-based) of a phase of ``total_steps``."""
    if config.lr_schedule == "constant" or total_steps <= 1:
        return lambda s: base
    return lambda s: base * (FINAL_LR_FRACTION + (1 - FINAL_LR_FRACTION)
                             * 0.5 * (1 + math.cos(math.pi * s / (total_steps - 1))))


def _batches(n: int, size: int, rng: np.random.Generator):
    order = rng.permutation(n)
    for start in range(0, n, size):
        yield order[start:start + size]


def objective_and_gradients(x: np.ndarray, labels: np.ndarray, alpha: np.ndarray, gamma: np.ndarray, *,
                            config: Config, dtype=np.float64) -> tuple[float, np.ndarray, np.ndarray]:
    """Mean latency-aware objective over a minibatch of input spikes, and its gradients.

    Arguments
    ---------
    x : bool array, shape (n, T, N_X)
        Input spikes ``x[n, t-1, j]``.
    labels : int array, shape (n,)
    alpha : float array, shape (N_X, tau, N_Y)
    gamma : float array, shape (N_Y,)
    dtype : NumPy float type
        Precision of the two matrix products (training uses float32).

    Returns
    -------
    objective, grad_alpha, grad_gamma
    """
    u = potentials_from_spikes(x, alpha.astype(dtype, copy=False), gamma)
    objective, grad_u = latency_aware_objective(u, labels, deadline=config.latency_deadline,
                                                weight=config.latency_weight,
                                                fallback=config.objective == "forced_decision",
                                                exponent=config.accuracy_exponent)
    n = len(labels)
    grad_alpha = kernel_gradient(x, grad_u, alpha.shape[1], dtype=dtype).astype(np.float64) / n
    return float(objective.mean()), grad_alpha, grad_u.sum(axis=(0, 1)) / n


def softmax_initialisation(config: Config, data: Dataset, basis: np.ndarray) -> dict:
    """Basis weights and biases from the softmax regression on spike probabilities (``init: softmax``).

    The basis coefficients ``c`` that best make ``sum_k c[k] a_k[d]`` constant over the
    lags are found by least squares; ``w[j, i, k] = init_gain * W[j, i] / tau * c[k]``.
    """
    from sklearn.linear_model import LogisticRegression

    prob = data.train_x / float(1 << config.pixel_bits)
    model = LogisticRegression(max_iter=2000)
    model.fit(prob, data.train_y)
    coef = np.zeros((config.n_outputs, config.n_inputs))
    intercept = np.full(config.n_outputs, -np.inf)
    coef[model.classes_], intercept[model.classes_] = model.coef_, model.intercept_
    intercept = np.where(np.isfinite(intercept), intercept, intercept[np.isfinite(intercept)].min() - 10)
    spread, *_ = np.linalg.lstsq(basis.T, np.full(config.tau, 1.0 / config.tau), rcond=None)
    w = config.init_gain * coef.T[:, :, None] * spread[None, None, :]
    return {"w": w, "gamma": config.init_gain * intercept + config.init_offset}


def train(config: Config, data: Dataset, *, progress: bool | None = None) -> Weights:
    """Train on ``data.train_*`` and return the quantised weights.

    Arguments
    ---------
    config : Config
        The network, its fixed-point formats and the training settings.
    data : Dataset
        Only the training split is used.
    progress : bool or None
        Show a progress bar (None: only on a terminal).
    """
    rng = np.random.default_rng(config.train_seed)
    basis = basis_functions(config)
    scale = 2.0 ** -config.weight_frac_bits
    alpha_lo, alpha_hi = config.weight_min * scale, config.weight_max * scale
    gamma_lo, gamma_hi = config.bias_min * scale, config.bias_max * scale
    if config.init == "softmax":
        params = softmax_initialisation(config, data, basis)
    else:
        params = {"w": rng.normal(0.0, 0.05, (config.n_inputs, config.n_outputs, basis.shape[0])),
                  "gamma": np.full(config.n_outputs, -4.0)}
    x, y = data.train_x, data.train_y
    steps_per_epoch = -(-len(y) // config.batch_size)
    bar = tqdm(total=config.train_epochs + config.qat_epochs, desc="train", unit="epoch",
               disable=None if progress is None else not progress)

    def run_phase(name, epochs, params, base_lr, gradients_of, clip):
        adam = Adam(params)
        lr = _schedule(config, base_lr, epochs * steps_per_epoch)
        for _ in range(epochs):
            objectives = []
            for idx in _batches(len(y), config.batch_size, rng):
                spikes = sample_inputs(x[idx], config, rng).astype(np.float32)
                objective, grads = gradients_of(spikes, y[idx], params)
                adam.step(params, grads, lr(adam.t))
                clip(params)
                objectives.append(objective)
            bar.set_postfix(phase=name, objective=f"{np.mean(objectives):.3f}")
            bar.update()

    def float_gradients(spikes, labels, params):
        objective, grad_alpha, grad_gamma = objective_and_gradients(
            spikes, labels, kernel_from_basis(params["w"], basis), params["gamma"], config=config, dtype=np.float32)
        return objective, {"w": basis_gradient(grad_alpha, basis), "gamma": grad_gamma}

    run_phase("float", config.train_epochs, params, config.learning_rate, float_gradients, lambda p: None)

    # Phase 2: alpha itself, forward pass on the fixed-point grid (straight-through).
    q = {"alpha": np.clip(kernel_from_basis(params["w"], basis), alpha_lo, alpha_hi),
         "gamma": np.clip(params["gamma"], gamma_lo, gamma_hi)}
    to_grid = lambda v, lo, hi: quantise(v, frac_bits=config.weight_frac_bits, lo=lo, hi=hi) * scale  # noqa: E731

    def qat_gradients(spikes, labels, q):
        objective, grad_alpha, grad_gamma = objective_and_gradients(
            spikes, labels, to_grid(q["alpha"], config.weight_min, config.weight_max),
            to_grid(q["gamma"], config.bias_min, config.bias_max), config=config, dtype=np.float32)
        return objective, {"alpha": grad_alpha, "gamma": grad_gamma}

    def clip(q):
        np.clip(q["alpha"], alpha_lo, alpha_hi, out=q["alpha"])
        np.clip(q["gamma"], gamma_lo, gamma_hi, out=q["gamma"])

    run_phase("qat", config.qat_epochs, q, config.learning_rate * scale, qat_gradients, clip)
    bar.close()

    return Weights(
        alpha=quantise(q["alpha"], frac_bits=config.weight_frac_bits,
                       lo=config.weight_min, hi=config.weight_max),
        bias=quantise(q["gamma"], frac_bits=config.weight_frac_bits,
                      lo=config.bias_min, hi=config.bias_max),
        config=config)
