"""First-to-spike likelihood: closed form vs the product formula, gradients vs finite differences."""

import numpy as np

from model.golden import spike_history
from model.snn import basis_functions, basis_gradient, first_to_spike_loglik, kernel_from_basis, potentials
from model.train import _loglik_and_grads
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
    config = Config(dataset="random", n_inputs=5, n_outputs=3, tau=4, n_basis=2, tiles=1, t_max=6)
    rng = np.random.default_rng(2)
    basis = basis_functions(config)
    history = spike_history(rng.random((4, 6, 5)) < 0.4, config.tau)
    labels = np.array([0, 2, 1, 1])
    w, gamma = rng.normal(0, 0.5, (5, 3, 2)), rng.normal(-1, 0.5, 3)

    def mean_loglik(w, gamma):
        u = potentials(history, kernel_from_basis(w, basis), gamma)
        return first_to_spike_loglik(u, labels, with_grad=False).mean()

    _, grad_alpha, grad_gamma = _loglik_and_grads(history, labels, kernel_from_basis(w, basis), gamma)
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
