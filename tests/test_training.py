"""First-to-spike training on real digits reaches the accuracy the project promises."""

import numpy as np

from model.data import load_dataset
from model.evaluate import evaluate
from model.train import train
from spinaps.config import Config


def test_default_training_reaches_ninety_percent_hardware_exact():
    config = Config()
    data = load_dataset(config)
    weights = train(config, data, progress=False)
    assert weights.alpha.min() >= config.weight_min and weights.alpha.max() <= config.weight_max
    report = evaluate(config, weights, data, seeds=5)
    assert report["accuracy"] >= 0.90, report["accuracy"]
    # Accuracy grows with the deadline: a 4-step deadline is worse than T_max, better than chance.
    assert 0.2 < report["accuracy_at_deadline_4"] < report["accuracy"] + 0.01
    # The SNN is in the ANN's league (DESIGN: "comparable to an equivalent ANN").
    assert report["ann_accuracy"] - report["accuracy"] < 0.08


def test_training_is_deterministic():
    config = Config(train_epochs=2, qat_epochs=1)
    data = load_dataset(config)
    a, b = train(config, data, progress=False), train(config, data, progress=False)
    assert np.array_equal(a.alpha, b.alpha) and np.array_equal(a.bias, b.bias)
