"""Data sets: scikit-learn's digits (offline) and MNIST-format IDX files.

Pixels are returned as integers in ``0 .. 2**pixel_bits - 1``, the format the
hardware's image registers take.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from spinaps.config import Config, ConfigError

__all__ = ["Dataset", "load_dataset", "read_idx", "write_idx", "DataError", "quantise_pixels"]

#: Fixed split of the digits: 20 % test, stratified, random_state 0 (1437 train / 360 test).
DIGITS_TEST_FRACTION = 0.2
DIGITS_SPLIT_SEED = 0

#: IDX element types (the third magic byte) and their big-endian NumPy types.
IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}

#: File names of an IDX data set directory (MNIST's names; ``.gz`` is accepted too).
IDX_FILES = {"train_images": "train-images-idx3-ubyte", "train_labels": "train-labels-idx1-ubyte",
             "test_images": "t10k-images-idx3-ubyte", "test_labels": "t10k-labels-idx1-ubyte"}


class DataError(ConfigError):
    """A data file that cannot be used. The message is one line and names the file."""


@dataclass(frozen=True)
class Dataset:
    name: str
    train_x: np.ndarray   # (n, n_inputs) int pixels
    train_y: np.ndarray   # (n,) int labels
    test_x: np.ndarray
    test_y: np.ndarray


def quantise_pixels(values: np.ndarray, full_scale: float, pixel_bits: int) -> np.ndarray:
    """Map ``0 .. full_scale`` to ``0 .. 2**pixel_bits - 1``, rounding half up."""
    top = (1 << pixel_bits) - 1
    scaled = np.floor(np.asarray(values, dtype=np.float64) * top / full_scale + 0.5)
    return np.clip(scaled, 0, top).astype(np.int64)


def read_idx(path: str | Path) -> np.ndarray:
    """Read one IDX file (optionally gzip-compressed)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise DataError(f"{path}: cannot read: {e.strerror}") from None
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as e:
            raise DataError(f"{path}: broken gzip data: {e}") from None
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in IDX_TYPES or raw[3] == 0:
        raise DataError(f"{path}: not an IDX file (bad magic number {raw[:4].hex() or 'empty'})")
    ndim = raw[3]
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise DataError(f"{path}: truncated IDX header")
    shape = tuple(int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    dtype = np.dtype(IDX_TYPES[raw[2]])
    expected = int(np.prod(shape)) * dtype.itemsize
    if len(raw) - header != expected:
        raise DataError(f"{path}: IDX shape {shape} needs {expected} data bytes, file has {len(raw) - header}")
    return np.frombuffer(raw, dtype=dtype, offset=header).reshape(shape).astype(dtype.newbyteorder("="))


def write_idx(path: str | Path, array: np.ndarray) -> None:
    """Write an IDX file (used by tests and to convert data sets)."""
    array = np.asarray(array)
    codes = {np.dtype(v).newbyteorder("="): k for k, v in IDX_TYPES.items()}
    code = codes.get(array.dtype)
    if code is None:
        raise DataError(f"{path}: IDX cannot store dtype {array.dtype}")
    header = bytes([0, 0, code, array.ndim]) + b"".join(d.to_bytes(4, "big") for d in array.shape)
    Path(path).write_bytes(header + array.astype(array.dtype.newbyteorder(">")).tobytes())


def _load_digits(config: Config) -> Dataset:
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    train_x, test_x, train_y, test_y = train_test_split(
        digits.data, digits.target, test_size=DIGITS_TEST_FRACTION,
        random_state=DIGITS_SPLIT_SEED, stratify=digits.target)
    q = lambda v: quantise_pixels(v, 16.0, config.pixel_bits)  # noqa: E731 - digits are 0..16
    return Dataset("digits", q(train_x), train_y.astype(np.int64), q(test_x), test_y.astype(np.int64))


def _find_idx(directory: Path, name: str) -> Path:
    for candidate in (directory / name, directory / (name + ".gz")):
        if candidate.exists():
            return candidate
    raise DataError(f"{directory}: no {name} (or {name}.gz)")


def _load_idx(config: Config) -> Dataset:
    directory = Path(config.data_dir)
    arrays = {key: read_idx(_find_idx(directory, name)) for key, name in IDX_FILES.items()}
    images = {}
    for split in ("train", "test"):
        x, y = arrays[f"{split}_images"], arrays[f"{split}_labels"]
        if x.shape[0] != y.shape[0]:
            raise DataError(f"{directory}: {split} has {x.shape[0]} images but {y.shape[0]} labels")
        images[split] = x.reshape(x.shape[0], -1)
    if images["train"].dtype == np.uint8:
        scale = lambda v: quantise_pixels(v, 255.0, config.pixel_bits)  # noqa: E731
    else:  # real-valued features (e.g. UCI-HAR): min-max scaled with the training set's range
        lo, hi = images["train"].min(axis=0), images["train"].max(axis=0)
        span = np.where(hi > lo, hi - lo, 1.0)
        scale = lambda v: quantise_pixels(np.clip((v - lo) / span, 0, 1), 1.0, config.pixel_bits)  # noqa: E731
    return Dataset(directory.name, scale(images["train"]), arrays["train_labels"].astype(np.int64),
                   scale(images["test"]), arrays["test_labels"].astype(np.int64))


#: Size and seed of the ``random`` data set (uniform pixels, uniform labels: no signal to learn).
RANDOM_SIZES, RANDOM_SEED = (256, 64), 0x5EED


def _load_random(config: Config) -> Dataset:
    rng = np.random.default_rng(RANDOM_SEED)
    x = rng.integers(0, 1 << config.pixel_bits, (sum(RANDOM_SIZES), config.n_inputs))
    y = rng.integers(0, config.n_outputs, sum(RANDOM_SIZES))
    n = RANDOM_SIZES[0]
    return Dataset("random", x[:n], y[:n], x[n:], y[n:])


_LOADERS = {"digits": _load_digits, "idx": _load_idx, "random": _load_random}


def load_dataset(config: Config) -> Dataset:
    """The data set the configuration names, checked against n_inputs and n_outputs."""
    if config.dataset not in _LOADERS:
        raise DataError(f"dataset = {config.dataset!r} has no loader yet")
    data = _LOADERS[config.dataset](config)
    if data.train_x.shape[1] != config.n_inputs:
        raise DataError(f"data set {data.name!r} has {data.train_x.shape[1]} inputs but "
                        f"n_inputs = {config.n_inputs}")
    labels = np.concatenate([data.train_y, data.test_y])
    if labels.min() < 0 or labels.max() >= config.n_outputs:
        raise DataError(f"data set {data.name!r} has labels {labels.min()}..{labels.max()} but "
                        f"n_outputs = {config.n_outputs} (allowed: 0..{config.n_outputs - 1})")
    return data
