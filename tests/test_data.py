"""Data sets: the fixed digits split and the IDX loader on files the tests write."""

import gzip

import numpy as np
import pytest

from model.data import DataError, load_dataset, quantise_pixels, read_idx, write_idx
from spinaps.config import Config


def test_digits_split_is_fixed_and_stratified():
    data = load_dataset(Config())
    assert data.train_x.shape == (1437, 64) and data.test_x.shape == (360, 64)
    assert data.train_x.min() == 0 and data.train_x.max() == 255
    counts = np.bincount(data.test_y, minlength=10)
    assert counts.min() >= 35 and counts.max() <= 37
    again = load_dataset(Config())
    assert np.array_equal(again.test_x, data.test_x)


def test_pixel_quantisation():
    assert quantise_pixels(np.array([0, 8, 16]), 16, 8).tolist() == [0, 128, 255]
    assert quantise_pixels(np.array([0, 1, 16]), 16, 4).tolist() == [0, 1, 15]


@pytest.mark.parametrize("dtype", [np.uint8, np.int16, np.float32, np.float64])
@pytest.mark.parametrize("compress", [False, True])
def test_idx_round_trip(tmp_path, dtype, compress):
    array = (np.arange(2 * 3 * 4) % 7).astype(dtype).reshape(2, 3, 4)
    path = tmp_path / "a.idx"
    write_idx(path, array)
    if compress:
        path.write_bytes(gzip.compress(path.read_bytes()))
    back = read_idx(path)
    assert back.dtype == np.dtype(dtype) and np.array_equal(back, array)


def test_idx_header_is_the_standard_one(tmp_path):
    """The MNIST header: magic 0x00000803 for uint8 rank 3, then big-endian dimensions."""
    write_idx(tmp_path / "m", np.zeros((2, 28, 28), dtype=np.uint8))
    raw = (tmp_path / "m").read_bytes()
    assert raw[:16] == bytes.fromhex("00000803" "00000002" "0000001c" "0000001c")


@pytest.mark.parametrize("content, message", [
    (b"", "not an IDX file (bad magic number empty)"),
    (b"\x00\x00\x07\x01\x00\x00\x00\x01\x00", "not an IDX file (bad magic number 00000701)"),
    (b"\x00\x00\x08\x02\x00\x00", "truncated IDX header"),
    (b"\x00\x00\x08\x01\x00\x00\x00\x05\x01\x02", "IDX shape (5,) needs 5 data bytes, file has 2"),
])
def test_bad_idx_files(tmp_path, content, message):
    path = tmp_path / "bad"
    path.write_bytes(content)
    with pytest.raises(DataError) as info:
        read_idx(path)
    assert str(info.value) == f"{path}: {message}"


def write_mnist_like(directory, n_train=20, n_test=10, side=4, classes=10):
    rng = np.random.default_rng(0)
    directory.mkdir(exist_ok=True)
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        write_idx(directory / f"{prefix}-images-idx3-ubyte", rng.integers(0, 256, (n, side, side), dtype=np.uint8))
        write_idx(directory / f"{prefix}-labels-idx1-ubyte", rng.integers(0, classes, n, dtype=np.uint8))


def test_idx_dataset_loads(tmp_path):
    write_mnist_like(tmp_path / "mnist")
    config = Config(dataset="idx", data_dir=str(tmp_path / "mnist"), n_inputs=16, tiles=4)
    data = load_dataset(config)
    assert data.train_x.shape == (20, 16) and data.test_x.shape == (10, 16)
    assert data.train_x.max() <= 255


def test_idx_float_features_are_min_max_scaled(tmp_path):
    directory = tmp_path / "har"
    directory.mkdir()
    rng = np.random.default_rng(1)
    for prefix, n in (("train", 30), ("t10k", 10)):
        write_idx(directory / f"{prefix}-images-idx3-ubyte", rng.normal(0, 3, (n, 7)).astype(np.float32))
        write_idx(directory / f"{prefix}-labels-idx1-ubyte", rng.integers(0, 6, n).astype(np.uint8))
    data = load_dataset(Config(dataset="idx", data_dir=str(directory), n_inputs=7, n_outputs=6, tiles=2))
    assert data.train_x.min() == 0 and data.train_x.max() == 255


def test_dataset_mismatches_are_named(tmp_path):
    write_mnist_like(tmp_path / "m")
    with pytest.raises(DataError, match=r"^data set 'm' has 16 inputs but n_inputs = 64$"):
        load_dataset(Config(dataset="idx", data_dir=str(tmp_path / "m")))
    with pytest.raises(DataError, match=r"has labels 0\.\.9 but n_outputs = 5 \(allowed: 0\.\.4\)$"):
        load_dataset(Config(dataset="idx", data_dir=str(tmp_path / "m"), n_inputs=16, n_outputs=5, tiles=2))
    with pytest.raises(DataError, match=r"no train-images-idx3-ubyte \(or train-images-idx3-ubyte.gz\)$"):
        load_dataset(Config(dataset="idx", data_dir=str(tmp_path), n_inputs=16))
