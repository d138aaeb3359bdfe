"""Float GLM-SNN and the first-to-spike log-likelihood (DESIGN section 3).

Model (inputs j, outputs i, steps t = 1..T, lags d = 0..tau-1)::

    alpha[j, d, i] = sum_k w[j, i, k] * a_k[d]            (per-lag kernel)
    u[i, t]        = sum_j sum_d alpha[j, d, i] * x[j, t-1-d] + gamma[i]
    y[i, t]        ~ Bernoulli(sigmoid(u[i, t]))

First-to-spike likelihood of class c, in log space. With
``log(1 - sigmoid(u)) = -softplus(u)`` and ``log sigmoid(u) - log(1 - sigmoid(u)) = u``::

    log P_t(c) = sum_{t' <= t} sum_i -softplus(u[i, t']) + u[c, t]
    l          = logsumexp_t log P_t(c)          (log P(c is the first to spike by T))

and with ``pi_t = softmax_t(log P_t)`` and ``R_t = sum_{t' >= t} pi_t'``::

    dl/du[i, t] = [i = c] * pi_t - sigmoid(u[i, t]) * R_t

tests/test_snn.py checks this gradient against finite differences.
"""

from __future__ import annotations

import numpy as np

from spinaps.config import Config

from .golden import spike_history

__all__ = ["basis_functions", "first_to_spike_loglik", "potentials", "kernel_from_basis",
           "basis_gradient"]


def basis_functions(config: Config) -> np.ndarray:
    """Temporal basis ``a[k, d]``, shape (n_basis, tau).

    ``raised_cosine``: Pillow et al. (2008) bumps, evenly spaced in log-time
    ``phi(d) = log(d + 1)``, each half a spacing wide either side of its centre,
    so consecutive bumps overlap and sum to a smooth profile. ``identity``:
    ``a = I`` (one free weight per lag).
    """
    tau, k = config.tau, config.n_basis
    if config.basis == "identity":
        return np.eye(tau)
    if k == 1:
        return np.ones((1, tau))
    phi = np.log(np.arange(tau) + 1.0)
    centres = np.linspace(phi[0], phi[-1], k)
    spacing = centres[1] - centres[0]
    arg = np.clip((phi[None, :] - centres[:, None]) * np.pi / (2 * spacing), -np.pi, np.pi)
    return 0.5 * (1 + np.cos(arg))


def kernel_from_basis(w: np.ndarray, basis: np.ndarray) -> np.ndarray:
    """``alpha[j, d, i] = sum_k w[j, i, k] a[k, d]``."""
    return np.einsum("jik,kd->jdi", w, basis)


def basis_gradient(grad_alpha: np.ndarray, basis: np.ndarray) -> np.ndarray:
    """Chain rule from alpha back to the basis weights w."""
    return np.einsum("jdi,kd->jik", grad_alpha, basis)


def potentials(history: np.ndarray, alpha: np.ndarray, gamma: np.ndarray) -> np.ndarray:
    """``u[n, t, i]`` from ``history[n, t, j, d]`` (see :func:`spike_history`)."""
    n, steps = history.shape[:2]
    flat = history.reshape(n * steps, -1).astype(np.float64)
    return (flat @ alpha.reshape(-1, alpha.shape[-1])).reshape(n, steps, -1) + gamma


def _softplus(u):
    return np.logaddexp(0.0, u)


def _sigmoid(u):
    return 0.5 * (1.0 + np.tanh(0.5 * u))


def first_to_spike_loglik(u: np.ndarray, labels: np.ndarray, *, with_grad: bool = True):
    """Log-likelihood that each labelled output is the first to spike within T steps.

    Arguments
    ---------
    u : float array, shape (n, T, N_Y)
    labels : int array, shape (n,)

    Returns
    -------
    loglik : (n,) array
    grad : (n, T, N_Y) array, ``d loglik / d u`` (only if ``with_grad``)
    """
    n = u.shape[0]
    rows = np.arange(n)
    no_spike = -_softplus(u).sum(axis=2)                  # (n, T): log P(nobody spikes at t)
    log_pt = np.cumsum(no_spike, axis=1) + u[rows, :, labels]
    peak = log_pt.max(axis=1, keepdims=True)
    weights = np.exp(log_pt - peak)
    total = weights.sum(axis=1, keepdims=True)
    loglik = (peak + np.log(total))[:, 0]
    if not with_grad:
        return loglik
    pi = weights / total                                    # posterior over the spike step
    remaining = np.cumsum(pi[:, ::-1], axis=1)[:, ::-1]     # R_t = sum_{t' >= t} pi_t'
    grad = -_sigmoid(u) * remaining[:, :, None]
    grad[rows, :, labels] += pi
    return loglik, grad


def sample_inputs(pixels: np.ndarray, config: Config, rng: np.random.Generator,
                  steps: int | None = None) -> np.ndarray:
    """Bernoulli rate code with the hardware's probability ``pixel / 2**pixel_bits``."""
    steps = config.t_max if steps is None else steps
    prob = pixels / float(1 << config.pixel_bits)
    return rng.random((pixels.shape[0], steps, pixels.shape[1])) < prob[:, None, :]


def history_of(pixels, config, rng, steps=None):
    return spike_history(sample_inputs(pixels, config, rng, steps), config.tau)
