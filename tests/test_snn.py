"""First-to-spike likelihood and the latency-aware objective: closed form vs the product formula,
gradients vs finite differences; the fast potentials vs the history form."""

import numpy as np
import pytest

from model.golden import spike_history
from model.snn import (basis_functions, basis_gradient, first_to_spike_loglik, kernel_from_basis, kernel_gradient,
                       latency_aware_objective, potentials, potentials_from_spikes)
from model.train import objective_and_gradients
from spinaps.config import Config


def direct_loglik(u, c):
    """log sum_t prod_{t'<t} prod_i (1 - s[i,t']) * s[c,t] * prod_{i != c} (1 - s[i,t]) (DESIGN section 3)."""
    s = 1 / (1 + np.exp(-u))
    total = 0.0
    for t in range(u.shape[0]):
        p = np.prod(1 - s[:t])
        p *= s[t, c] * np.prod(np.delete(1 - s[t], c))
        total += p
    return np.log(total)


def test_loglik_matches_product_formula():
    rng = np.random.default_rng(0)
    u = rng.normal(-1, 2, (5, 6, 4))
    labels = np.array([0, 3, 1, 2, 3])
    ll = first_to_spike_loglik(u, labels, with_grad=False)
    for n in range(5):
        assert np.isclose(ll[n], direct_loglik(u[n], labels[n]), rtol=1e-10)


def test_loglik_is_stable_for_large_potentials():
    u = np.full((1, 4, 3), -400.0)
    u[0, 2, 1] = 300.0
    ll, grad = first_to_spike_loglik(u, np.array([1]))
    assert np.isfinite(ll).all() and np.isfinite(grad).all() and ll[0] > -1e-6


def test_gradient_wrt_potential_matches_finite_differences():
    rng = np.random.default_rng(1)
    u = rng.normal(-1, 2, (3, 5, 4))
    labels = np.array([2, 0, 3])
    _, grad = first_to_spike_loglik(u, labels)
    eps = 1e-6
    for idx in np.ndindex(u.shape):
        up, down = u.copy(), u.copy()
        up[idx] += eps
        down[idx] -= eps
        n = idx[0]
        numeric = (first_to_spike_loglik(up, labels, with_grad=False)[n]
                   - first_to_spike_loglik(down, labels, with_grad=False)[n]) / (2 * eps)
        assert np.isclose(grad[idx], numeric, rtol=1e-5, atol=1e-8), idx


def test_gradient_wrt_basis_weights_and_bias_matches_finite_differences():
    config = Config(dataset="random", n_inputs=5, n_outputs=3, tau=4, n_basis=2, tiles=1, t_max=6,
                    accuracy_exponent=0.0, latency_weight=0.0)     # the plain first-to-spike likelihood
    rng = np.random.default_rng(2)
    basis = basis_functions(config)
    spikes = rng.random((4, 6, 5)) < 0.4
    history = spike_history(spikes, config.tau)
    labels = np.array([0, 2, 1, 1])
    w, gamma = rng.normal(0, 0.5, (5, 3, 2)), rng.normal(-1, 0.5, 3)

    def mean_loglik(w, gamma):
        u = potentials(history, kernel_from_basis(w, basis), gamma)
        return first_to_spike_loglik(u, labels, with_grad=False).mean()

    _, grad_alpha, grad_gamma = objective_and_gradients(spikes, labels, kernel_from_basis(w, basis), gamma,
                                                        config=config)
    grad_w = basis_gradient(grad_alpha, basis)
    eps = 1e-6
    for idx in np.ndindex(w.shape):
        dw = np.zeros_like(w)
        dw[idx] = eps
        numeric = (mean_loglik(w + dw, gamma) - mean_loglik(w - dw, gamma)) / (2 * eps)
        assert np.isclose(grad_w[idx], numeric, rtol=1e-5, atol=1e-9), idx
    for i in range(3):
        dg = np.zeros(3)
        dg[i] = eps
        numeric = (mean_loglik(w, gamma + dg) - mean_loglik(w, gamma - dg)) / (2 * eps)
        assert np.isclose(grad_gamma[i], numeric, rtol=1e-5, atol=1e-9)


def test_basis_functions():
    config = Config()
    a = basis_functions(config)
    assert a.shape == (config.n_basis, config.tau)
    assert np.all(a >= 0) and np.all(a <= 1)
    assert a[0, 0] == 1 and a[-1, -1] == 1          # first bump at lag 0, last at lag tau-1
    assert np.array_equal(basis_functions(Config(basis="identity", n_basis=8)), np.eye(8))


def direct_loglik_by(u, c, deadline):
    """The product formula with only steps 1..deadline."""
    return direct_loglik(u[:deadline], c)


def test_latency_aware_objective_matches_product_formula():
    rng = np.random.default_rng(4)
    u = rng.normal(-1, 2, (4, 7, 3))
    labels = np.array([0, 2, 1, 2])
    for weight, deadline in ((0.0, 4), (0.3, 4), (1.0, 2), (0.5, 9)):
        objective, _ = latency_aware_objective(u, labels, deadline=deadline, weight=weight)
        for n in range(4):
            expected = (1 - weight) * direct_loglik(u[n], labels[n]) \
                + weight * direct_loglik_by(u[n], labels[n], min(deadline, 7))
            assert np.isclose(objective[n], expected, rtol=1e-10)


@pytest.mark.parametrize("weight, deadline, fallback, exponent", [
    (0.3, 4, False, 0.0), (1.0, 2, False, 0.0), (0.7, 6, False, 0.0), (0.5, 3, True, 0.0), (0.4, 3, False, 0.5),
    (0.0, 6, True, 1.0)])
def test_latency_aware_gradient_matches_finite_differences(weight, deadline, fallback, exponent):
    rng = np.random.default_rng(5)
    u = rng.normal(-1, 2, (3, 6, 4))
    labels = np.array([3, 0, 1])
    kw = dict(deadline=deadline, weight=weight, fallback=fallback, exponent=exponent)
    _, grad = latency_aware_objective(u, labels, **kw)
    eps = 1e-6
    for idx in np.ndindex(u.shape):
        up, down = u.copy(), u.copy()
        up[idx] += eps
        down[idx] -= eps
        f = lambda v: latency_aware_objective(v, labels, **kw)[0][idx[0]]  # noqa: E731
        assert np.isclose(grad[idx], (f(up) - f(down)) / (2 * eps), rtol=1e-5, atol=1e-8), idx
    if deadline < 6 and weight == 1.0:
        assert not grad[:, deadline:].any()          # the early term ignores steps after its deadline


def test_latency_term_gradient_wrt_kernel_matches_finite_differences():
    config = Config(dataset="random", n_inputs=4, n_outputs=3, tau=3, n_basis=2, tiles=1, t_max=7,
                    latency_weight=0.4, latency_deadline=3, accuracy_exponent=0.5)
    rng = np.random.default_rng(6)
    spikes = rng.random((5, 7, 4)) < 0.5
    labels = np.array([0, 1, 2, 2, 1])
    alpha, gamma = rng.normal(0, 0.7, (4, 3, 3)), rng.normal(-1, 0.5, 3)

    def mean_objective(alpha):
        u = potentials(spike_history(spikes, config.tau), alpha, gamma)
        return latency_aware_objective(u, labels, deadline=3, weight=0.4, exponent=0.5)[0].mean()

    _, grad_alpha, _ = objective_and_gradients(spikes, labels, alpha, gamma, config=config)
    eps = 1e-6
    for idx in np.ndindex(alpha.shape):
        step = np.zeros_like(alpha)
        step[idx] = eps
        numeric = (mean_objective(alpha + step) - mean_objective(alpha - step)) / (2 * eps)
        assert np.isclose(grad_alpha[idx], numeric, rtol=1e-5, atol=1e-9), idx


@pytest.mark.parametrize("tau, steps", [(4, 7), (8, 3), (1, 5)])
def test_fast_potentials_and_kernel_gradient_match_the_history_form(tau, steps):
    """u from x directly equals u from the (n, T, N_X, tau) history; so does the gradient's contraction."""
    rng = np.random.default_rng(7)
    x = rng.random((3, steps, 5)) < 0.4
    alpha, gamma = rng.normal(size=(5, tau, 2)), rng.normal(size=2)
    history = spike_history(x, tau)
    assert np.allclose(potentials_from_spikes(x, alpha, gamma), potentials(history, alpha, gamma), atol=1e-12)
    grad_u = rng.normal(size=(3, steps, 2))
    expected = np.einsum("ntjd,nti->jdi", history.astype(float), grad_u)
    assert np.allclose(kernel_gradient(x, grad_u, tau), expected, atol=1e-12)


def direct_decision_loglik(u, c):
    """log( P(c spikes first by T) + P(nobody spiked) * softmax(u[T])[c] ), by products."""
    s = 1 / (1 + np.exp(-u))
    silent = np.prod(1 - s)
    softmax = np.exp(u[-1]) / np.exp(u[-1]).sum()
    return np.log(np.exp(direct_loglik(u, c)) + silent * softmax[c])


def test_forced_decision_loglik_matches_product_formula_and_finite_differences():
    rng = np.random.default_rng(8)
    u = rng.normal(-2, 2, (3, 5, 4))
    labels = np.array([1, 3, 0])
    loglik, grad = first_to_spike_loglik(u, labels, fallback=True)
    for n in range(3):
        assert np.isclose(loglik[n], direct_decision_loglik(u[n], labels[n]), rtol=1e-10)
    eps = 1e-6
    for idx in np.ndindex(u.shape):
        up, down = u.copy(), u.copy()
        up[idx] += eps
        down[idx] -= eps
        f = lambda v: first_to_spike_loglik(v, labels, with_grad=False, fallback=True)[idx[0]]  # noqa: E731
        assert np.isclose(grad[idx], (f(up) - f(down)) / (2 * eps), rtol=1e-5, atol=1e-8), idx
    # A silent network still decides: the likelihood is finite and rewards the larger last potential.
    quiet = np.full((1, 4, 3), -300.0)
    quiet[0, -1, 2] = -290.0
    assert np.isclose(first_to_spike_loglik(quiet, np.array([2]), with_grad=False, fallback=True)[0], 0, atol=1e-4)


def test_accuracy_exponent_one_is_the_probability_of_a_correct_decision():
    """q = 1: the objective is P(correct) - 1; q = 0.5: (sqrt(P) - 1) / 0.5 (product formula)."""
    rng = np.random.default_rng(9)
    u = rng.normal(-1, 2, (3, 5, 4))
    labels = np.array([0, 3, 2])
    for exponent in (1.0, 0.5):
        objective, _ = latency_aware_objective(u, labels, deadline=2, weight=0.25, exponent=exponent)
        for n in range(3):
            late, early = np.exp(direct_loglik(u[n], labels[n])), np.exp(direct_loglik_by(u[n], labels[n], 2))
            expected = 0.75 * (late ** exponent - 1) / exponent + 0.25 * (early ** exponent - 1) / exponent
            assert np.isclose(objective[n], expected, rtol=1e-10)
