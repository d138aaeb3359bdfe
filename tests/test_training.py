"""First-to-spike training on real digits reaches the accuracy the project promises; the
evaluation's batching changes no figure."""

import numpy as np
import pytest

from model.data import Dataset, load_dataset
from model.evaluate import evaluate, golden_decisions
from model.golden import run_golden, tile_mapping
from model.snn import basis_functions, kernel_from_basis
from model.train import softmax_initialisation, train
from model.weights import Weights
from spinaps.config import Config
from spinaps.contract import image_seeds


def test_default_training_reaches_ninety_percent_hardware_exact():
    config = Config()
    data = load_dataset(config)
    weights = train(config, data, progress=False)
    assert weights.alpha.min() >= config.weight_min and weights.alpha.max() <= config.weight_max
    report = evaluate(config, weights, data, seeds=5)
    assert report["accuracy"] >= 0.90, report["accuracy"]
    # Accuracy grows with the deadline: a 4-step deadline is worse than T_max, better than chance.
    assert 0.2 < report["accuracy_at_deadline_4"] < report["accuracy"] + 0.01
    assert report["accuracy_at_deadline_4_abstain"] <= report["accuracy_at_deadline_4"]
    assert np.isclose(report["latency_fraction_abstain_4"],
                      report["accuracy_by_deadline_abstain"][3] / report["accuracy"])
    assert np.isclose(report["latency_fraction_forced_4"], report["accuracy_by_deadline"][3] / report["accuracy"])
    # The SNN is in the ANN's league (DESIGN: "comparable to an equivalent ANN").
    assert report["ann_accuracy"] - report["accuracy"] < 0.05


def test_training_is_deterministic():
    config = Config(train_epochs=2, qat_epochs=1)
    data = load_dataset(config)
    a, b = train(config, data, progress=False), train(config, data, progress=False)
    assert np.array_equal(a.alpha, b.alpha) and np.array_equal(a.bias, b.bias)


def test_softmax_initialisation_gives_the_regression_logits():
    """Once the kernel window is full, the expected potential is init_gain x logit + init_offset."""
    from sklearn.linear_model import LogisticRegression

    config = Config(init_gain=2.0, init_offset=-3.0, basis="identity", n_basis=8)
    data = load_dataset(config)
    params = softmax_initialisation(config, data, basis_functions(config))
    alpha = kernel_from_basis(params["w"], basis_functions(config))
    prob = data.test_x[:20] / 256.0
    model = LogisticRegression(max_iter=2000).fit(data.train_x / 256.0, data.train_y)
    expected = 2.0 * model.decision_function(prob) - 3.0
    assert np.allclose(prob @ alpha.sum(axis=1) + params["gamma"], expected, atol=1e-6)


@pytest.mark.parametrize("batch", [1, 7, 64])
def test_batched_golden_run_equals_one_run(batch):
    """Batching is invisible: every image keeps its own seeds, so spikes and decisions are the same."""
    config = Config(dataset="random", t_max=6)
    data = load_dataset(config)
    rng = np.random.default_rng(0)
    alpha = rng.integers(config.weight_min, config.weight_max + 1, (config.n_inputs, config.tau, config.n_outputs))
    weights = Weights(alpha=alpha, bias=np.full(config.n_outputs, -12), config=config)
    pixels = data.test_x[:20]
    mapping = tile_mapping(config, data)
    batched = golden_decisions(config, weights, pixels, mapping=mapping, run=2, batch=batch)
    whole = run_golden(config, alpha, weights.bias, pixels, mapping=mapping,
                       seed_encoder=image_seeds(config.seed_encoder, 20, run=2, width=config.lfsr_width),
                       seed_spike=image_seeds(config.seed_spike, 20, run=2, width=config.lfsr_width))
    assert np.array_equal(batched["spike"], whole.spike) and np.array_equal(batched["potential"], whole.potential)
    assert np.array_equal(batched["decision_step"], whole.decision_step)
    assert np.array_equal(batched["sops"], whole.sops(config.n_outputs))
    small = Dataset("random", data.train_x, data.train_y, pixels, data.test_y[:20])
    assert evaluate(config, weights, small, seeds=2, batch=batch) == evaluate(config, weights, small, seeds=2,
                                                                               batch=256)
