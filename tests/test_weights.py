"""Weights files: round trip, and every way a file can be wrong."""

import numpy as np
import pytest

from model.weights import Weights, WeightsError, load_weights, save_weights
from spinaps.atomic import atomic_open
from spinaps.config import Config


def make_weights(config, value=1):
    return Weights(alpha=np.full((config.n_inputs, config.tau, config.n_outputs), value),
                   bias=np.arange(config.n_outputs) - 5, config=config)


def test_round_trip(tmp_path):
    config = Config()
    save_weights(tmp_path / "w.npz", make_weights(config))
    back = load_weights(tmp_path / "w.npz", config)
    assert np.array_equal(back.alpha, make_weights(config).alpha) and back.bias.tolist() == list(range(-5, 5))


def test_file_for_another_network_is_refused(tmp_path):
    save_weights(tmp_path / "w.npz", make_weights(Config()))
    with pytest.raises(WeightsError) as info:
        load_weights(tmp_path / "w.npz", Config(tau=4))
    assert str(info.value) == f"{tmp_path / 'w.npz'}: trained for tau = 8, but the configuration has tau = 4"


def test_out_of_range_weight_is_located(tmp_path):
    config = Config()
    w = make_weights(config)
    w.alpha[3, 1, 2] = 9
    save_weights(tmp_path / "w.npz", w)
    with pytest.raises(WeightsError) as info:
        load_weights(tmp_path / "w.npz", config)
    assert str(info.value) == f"{tmp_path / 'w.npz'}: alpha[3, 1, 2] = 9 is outside weight_bits = 4 (allowed: -8..7)"


def test_wrong_shape_and_dtype(tmp_path):
    config = Config()
    path = tmp_path / "w.npz"
    good = make_weights(config)
    np.savez(path, alpha=good.alpha[:, :4], bias=good.bias, format=np.array("spinaps-weights-1"),
             config=np.array('{"n_inputs": 64, "n_outputs": 10, "tau": 8, "weight_bits": 4, '
                             '"weight_frac_bits": 2, "bias_bits": 10}'))
    with pytest.raises(WeightsError, match=r"alpha has shape \(64, 4, 10\), the configuration needs \(64, 8, 10\)$"):
        load_weights(path, config)
    np.savez(path, alpha=good.alpha.astype(float), bias=good.bias, format=np.array("spinaps-weights-1"),
             config=np.array('{"n_inputs": 64, "n_outputs": 10, "tau": 8, "weight_bits": 4, '
                             '"weight_frac_bits": 2, "bias_bits": 10}'))
    with pytest.raises(WeightsError, match=r"alpha has dtype float64, not an integer type$"):
        load_weights(path, config)


@pytest.mark.parametrize("content", [b"", b"garbage", b"PK\x03\x04broken"])
def test_not_a_weights_file(tmp_path, content):
    path = tmp_path / "w.npz"
    path.write_bytes(content)
    with pytest.raises(WeightsError, match=r"w.npz: not a weights file"):
        load_weights(path, Config())


def test_npz_without_our_arrays(tmp_path):
    np.savez(tmp_path / "w.npz", something=np.zeros(3))
    with pytest.raises(WeightsError, match=r"not a spinaps-weights-1 file \(missing format, alpha, bias, config\)$"):
        load_weights(tmp_path / "w.npz", Config())


def test_failed_write_keeps_the_old_file(tmp_path):
    path = tmp_path / "out.txt"
    path.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_open(path) as f:
            f.write("half")
            raise RuntimeError("interrupted")
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
