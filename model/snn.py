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

Forced decision. The hardware decides by the largest last potential when nobody
spiked by T. With the softmax standing in for that argmax, the probability of a
correct decision is ``P = sum_t P_t(c) + P_0 * s_c`` with ``P_0 = prod_t prod_i
(1 - sigmoid(u[i, t]))`` and ``s = softmax_i(u[i, T])``. Its log is a logsumexp over
T + 1 terms; with pi over all of them (the last, pi_0, for the timeout) and R_t
now including pi_0::

    dl/du[i, t] = [i = c] * pi_t - sigmoid(u[i, t]) * R_t  + [t = T] * pi_0 * ([i = c] - s_i)

Latency-aware objective. ``l_D`` is the same log-likelihood with the deadline D
instead of T (only steps 1..D count): the probability that c is the first to spike
*by step D*. Its gradient is the formula above on ``u[:, :D]`` and zero after D
(P_t for t <= D does not depend on later potentials). Training maximises::

    J = (1 - lambda) * l_T + lambda * l_D

which rewards early correct first spikes (the paper's "75 % within 4 steps")
while keeping the first-to-spike likelihood at T as the core. Each term may be
passed through ``f(l) = (exp(q l) - 1) / q`` (:func:`latency_aware_objective`):
q = 0 keeps the log-likelihood, q = 1 makes the objective the expected accuracy.

tests/test_snn.py checks these gradients against finite differences.
"""

from __future__ import annotations

import numpy as np

from spinaps.config import Config

from .golden import spike_history

__all__ = ["basis_functions", "first_to_spike_loglik", "latency_aware_objective", "potentials",
           "potentials_from_spikes", "kernel_gradient", "kernel_from_basis", "basis_gradient", "sample_inputs",
           "history_of"]


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


def potentials_from_spikes(x: np.ndarray, alpha: np.ndarray, gamma: np.ndarray) -> np.ndarray:
    """``u[n, t, i]`` straight from the input spikes ``x[n, t-1, j]`` (same as :func:`potentials`).

    ``u[:, t] = gamma + sum_d x[:, t-1-d] @ alpha[:, d]``: one matrix product for all lags,
    then a shifted sum, without the (n, T, N_X, tau) history (tau times less memory).
    """
    n, steps, n_inputs = x.shape
    tau, n_out = alpha.shape[1], alpha.shape[2]
    # The product runs in alpha's precision (training passes float32: twice as fast, ample for SGD).
    per_lag = (x.reshape(n * steps, n_inputs).astype(alpha.dtype, copy=False)
               @ alpha.reshape(n_inputs, tau * n_out))
    per_lag = per_lag.reshape(n, steps, tau, n_out)
    u = np.broadcast_to(gamma, (n, steps, n_out)).astype(np.float64)
    for d in range(min(tau, steps - 1)):
        u[:, d + 1:] += per_lag[:, :steps - 1 - d, d]        # x at step s reaches u at step s + 1 + d
    return u


def kernel_gradient(x: np.ndarray, grad_u: np.ndarray, tau: int, *, dtype=np.float64) -> np.ndarray:
    """``sum_n sum_t x[n, t-1-d, j] * grad_u[n, t, i]``: the gradient w.r.t. ``alpha[j, d, i]``.

    ``dtype`` is the precision of the matrix product (float32 in training).
    """
    n, steps, n_inputs = x.shape
    n_out = grad_u.shape[2]
    shifted = np.zeros((n, steps, tau, n_out), dtype=dtype)
    for d in range(min(tau, steps - 1)):
        shifted[:, :steps - 1 - d, d] = grad_u[:, d + 1:]
    flat_x = x.reshape(n * steps, n_inputs).astype(dtype, copy=False)
    return (flat_x.T @ shifted.reshape(n * steps, tau * n_out)).reshape(n_inputs, tau, n_out)


def _softplus(u):
    return np.logaddexp(0.0, u)


def _sigmoid(u):
    return 0.5 * (1.0 + np.tanh(0.5 * u))


def first_to_spike_loglik(u: np.ndarray, labels: np.ndarray, *, with_grad: bool = True, fallback: bool = False):
    """Log-likelihood that each labelled output is the first to spike within T steps.

    Arguments
    ---------
    u : float array, shape (n, T, N_Y)
    labels : int array, shape (n,)
    with_grad : bool
        Also return the gradient.
    fallback : bool
        Add the forced decision on timeout: the likelihood of a correct *decision*,
        ``sum_t P_t(c) + P(nobody spiked by T) * softmax(u[:, T])[c]``, where the softmax
        stands in for the hardware's argmax of the last potentials (see the module notes).

    Returns
    -------
    loglik : (n,) array
    grad : (n, T, N_Y) array, ``d loglik / d u`` (only if ``with_grad``)
    """
    n = u.shape[0]
    rows = np.arange(n)
    no_spike = -_softplus(u).sum(axis=2)                  # (n, T): log P(nobody spikes at t)
    silent = np.cumsum(no_spike, axis=1)                  # log P(nobody spiked by t)
    log_pt = silent + u[rows, :, labels]
    if fallback:
        last = u[:, -1]
        log_softmax = last - np.logaddexp.reduce(last, axis=1, keepdims=True)
        log_pt = np.concatenate([log_pt, (silent[:, -1] + log_softmax[rows, labels])[:, None]], axis=1)
    peak = log_pt.max(axis=1, keepdims=True)
    weights = np.exp(log_pt - peak)
    total = weights.sum(axis=1, keepdims=True)
    loglik = (peak + np.log(total))[:, 0]
    if not with_grad:
        return loglik
    pi = weights / total                                    # posterior over the spike step (and timeout)
    remaining = np.cumsum(pi[:, ::-1], axis=1)[:, ::-1]     # R_t = sum_{t' >= t} pi_t'
    steps = u.shape[1]
    grad = -_sigmoid(u) * remaining[:, :steps, None]
    grad[rows, :, labels] += pi[:, :steps]
    if fallback:
        grad[:, -1] -= pi[:, steps:] * np.exp(log_softmax)
        grad[rows, -1, labels] += pi[:, steps]
    return loglik, grad


def _power_transform(loglik: np.ndarray, grad: np.ndarray, exponent: float):
    """``(P**q - 1) / q`` from ``l = log P`` (``l`` itself for q = 0), and the chain rule ``P**q * dl``."""
    if exponent == 0:
        return loglik, grad
    factor = np.exp(exponent * loglik)
    return (factor - 1) / exponent, grad * factor[:, None, None]


def latency_aware_objective(u: np.ndarray, labels: np.ndarray, *, deadline: int, weight: float,
                            fallback: bool = False, exponent: float = 0.0):
    """``(1 - weight) * f(l_T) + weight * f(l_D)`` per sample, and its gradient w.r.t. ``u``.

    ``f(l) = (exp(q l) - 1) / q`` with q = ``exponent``: the log-likelihood itself for
    q = 0, the probability of a correct decision (minus 1) for q = 1, so that the mean
    over a data set is the expected hardware accuracy; in between, the generalised
    cross-entropy of Zhang and Sabuncu (2018). Its gradient is ``P**q`` times the
    log-likelihood's: samples the network has no chance on stop dominating.

    Arguments
    ---------
    u : float array, shape (n, T, N_Y)
    labels : int array, shape (n,)
    deadline : int
        D, the early deadline (clipped to T).
    weight : float
        lambda in 0..1; 0 is the plain first-to-spike log-likelihood.
    fallback : bool
        ``l_T`` counts the forced decision on timeout (:func:`first_to_spike_loglik`);
        ``l_D`` always counts real first spikes only.
    exponent : float
        q in 0..1.

    Returns
    -------
    objective : (n,) array
    grad : (n, T, N_Y) array
    """
    objective, grad = _power_transform(*first_to_spike_loglik(u, labels, fallback=fallback), exponent)
    if weight == 0:
        return objective, grad
    deadline = min(deadline, u.shape[1])
    early, grad_early = _power_transform(*first_to_spike_loglik(u[:, :deadline], labels), exponent)
    grad = (1 - weight) * grad
    grad[:, :deadline] += weight * grad_early
    return (1 - weight) * objective + weight * early, grad


def sample_inputs(pixels: np.ndarray, config: Config, rng: np.random.Generator,
                  steps: int | None = None) -> np.ndarray:
    """Bernoulli rate code with the hardware's probability ``pixel / 2**pixel_bits``: ``x[n, t-1, j]``."""
    steps = config.t_max if steps is None else steps
    prob = pixels / float(1 << config.pixel_bits)
    return rng.random((pixels.shape[0], steps, pixels.shape[1])) < prob[:, None, :]


def history_of(pixels, config, rng, steps=None):
    """The (n, T, N_X, tau) history of freshly sampled input spikes (:func:`spike_history`)."""
    return spike_history(sample_inputs(pixels, config, rng, steps), config.tau)
