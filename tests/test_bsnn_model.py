"""The bsnn_if golden model, its network files, data and training: behaviour derived by hand from the spec."""

import numpy as np
import pytest

from model.bsnn import BsnnNetwork, NetworkError, encode_bsnn, load_network, random_network, run_bsnn, save_network
from model.bsnn_train import fold_batch_norm
from model.if_neuron import NeuronParams, if_step
from model.imc_macro import column_sums, combine_subarrays, read_columns
from spinaps.bsnn_contract import bsnn_params, encoder_seed, pixel_words, prog_row, row_word
from spinaps.config import Config, ConfigError
from spinaps.contract import SEED_SALT


def small(**changes):
    base = dict(architecture="bsnn_if", dataset="random", tiles=1, n_inputs=5, n_outputs=2, hidden=3,
                subarray_rows=2, time_steps=4, pixel_bits=4, lfsr_width=16, membrane_frac_bits=1)
    base.update(changes)
    return Config(**base)


def test_column_sums_readout_and_combination_by_hand():
    """5 inputs in subarrays of 2 rows: {0,1}, {2,3}, {4}. Column 0 holds +1,-1,+1,+1,-1; x = 1,1,0,1,1:
    subarray sums 1-1 = 0, +1 = 1, -1 -> exact current 0; bits (>= 0) 1,1,0 -> 1-bit current 2."""
    layer = bsnn_params(small()).hidden
    bits = np.zeros((5, 3), dtype=np.uint8)
    bits[:, 0] = [1, 0, 1, 1, 0]
    x = np.array([[1, 1, 0, 1, 1]], dtype=bool)
    sums = column_sums(x, bits, layer)
    assert sums[0, :, 0].tolist() == [0, 1, -1]
    assert sums[0, :, 1].tolist() == [-2, -1, -1]               # erased columns: every weight -1
    assert combine_subarrays(read_columns(sums, layer))[0].tolist() == [0, -4, -4]
    one_bit = bsnn_params(small(readout="sense_amp_1bit")).hidden
    assert combine_subarrays(read_columns(sums, one_bit))[0].tolist() == [2, 0, 0]
    assert combine_subarrays(read_columns(sums, one_bit, reference=-1))[0].tolist() == [3, 2, 2]


def test_folded_neuron_spikes_like_batch_norm_then_if():
    """gamma 0.5, var + eps 1, mean 1, beta 0.25: a = 0.5, threshold 1/a = 2, bias 0.25/0.5 - 1 = -0.5;
    with F = 1 both are exact, so the integer neuron spikes exactly when the float one does."""
    for gamma, beta in ((0.5, 0.25), (-0.5, 0.25)):
        neurons = fold_batch_norm(mean=np.array([1.0]), var=np.array([1.0 - 1e-5]), gamma=np.array([gamma]),
                                  beta=np.array([beta]), eps=1e-5, frac_bits=1, threshold_max=255, bias_min=-128,
                                  bias_max=127)
        sign = 1 if gamma > 0 else -1
        assert (neurons.threshold.tolist(), neurons.negate.tolist()) == ([4], [gamma < 0])
        assert neurons.bias.tolist() == [round((0.5 - sign * 1.0) * 2)]      # (beta/|a| - sign*mean) * 2**F
        v_float, v_int = 0.0, np.zeros(1, dtype=np.int64)
        for current in (3, 0, 2, 5, -1, 4, 4, 1):
            v_float += gamma * (current - 1.0) + beta
            fired = v_float >= 1.0
            if fired:
                v_float -= 1.0
            v_int, spike, _ = if_step(v_int, [current], neurons, frac_bits=1, reset_mode="subtract")
            assert bool(spike[0]) == fired


def test_network_file_round_trip_and_refusals(tmp_path):
    config = small()
    network = random_network(config, 1)
    save_network(tmp_path / "n.npz", network, config)
    loaded = load_network(tmp_path / "n.npz", config)
    assert all(np.array_equal(a, b) for a, b in zip(network.bits, loaded.bits))
    assert np.array_equal(network.neurons[1].bias, loaded.neurons[1].bias)
    with pytest.raises(NetworkError, match=r"n.npz: trained for hidden = 3, the configuration has 4$"):
        load_network(tmp_path / "n.npz", config.replace(hidden=4))
    bad = BsnnNetwork(bits=network.bits, neurons=(NeuronParams([0, 1, 1], [0, 0, 0], [0, 0, 0]), network.neurons[1]))
    with pytest.raises(NetworkError, match=r"^network: hidden threshold\[0\] = 0 is out of range \(allowed: 1..4095\)$"):
        save_network(tmp_path / "bad.npz", bad, config)
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    with pytest.raises(NetworkError, match=r"junk.npz: cannot read a network file"):
        load_network(tmp_path / "junk.npz", config)


def test_encoder_rates_follow_the_pixels():
    config = small(n_inputs=4, subarray_rows=4, time_steps=200)
    x = encode_bsnn(np.array([[0, 4, 8, 15]]), 0xACE1, config)
    rates = x[0].mean(axis=0)
    assert rates[0] == 0.0
    assert np.allclose(rates[1:], [4 / 16, 8 / 16, 15 / 16], atol=0.07)


def test_decision_rules_by_hand():
    """Output 0's weights are all +1 with threshold 1 (2**-F units... F = 1: 0.5) and no bias; output 1 is
    identical: equal counts and potentials -> the lowest index. Raising output 1's bias makes its
    potential larger at equal counts -> class 1. First-to-spike stops at the first output spike."""
    config = small(n_outputs=2, hidden=2, subarray_rows=8, n_inputs=3)
    hidden = NeuronParams([1, 1], [0, 0], [False, False])
    output = NeuronParams([2, 2], [0, 0], [False, False])
    bits = (np.ones((3, 2), dtype=np.uint8), np.ones((2, 2), dtype=np.uint8))
    pixels = np.full((1, 3), 15)
    result = run_bsnn(config, BsnnNetwork(bits=bits, neurons=(hidden, output)), pixels, seed_encoder=7)
    assert result.count[0, 0] == result.count[0, 1] > 0 and result.decision[0] == 0
    biased = NeuronParams([2, 2], [0, 1], [False, False])
    result = run_bsnn(config, BsnnNetwork(bits=bits, neurons=(hidden, biased)), pixels, seed_encoder=7)
    assert result.count[0, 0] == result.count[0, 1] and result.decision[0] == 1
    fts = config.replace(output_decode="first_to_spike")
    result = run_bsnn(fts, BsnnNetwork(bits=bits, neurons=(hidden, output)), pixels, seed_encoder=7)
    first = int(np.argmax(result.spike[1][0].any(axis=1))) + 1
    assert result.steps[0] == first and result.cycles[0] == bsnn_params(fts).inference_cycles(first)


def test_golden_model_refuses_what_the_bus_refuses():
    config = small()
    network = random_network(config, 1)
    with pytest.raises(ConfigError, match=r"^pixel = 16 is out of range \(allowed: 0..15\)$"):
        run_bsnn(config, network, np.full((1, 5), 16), seed_encoder=1)
    with pytest.raises(ConfigError, match=r"^seed_encoder = 65536 is out of range \(allowed: 0..65535\)$"):
        run_bsnn(config, network, np.zeros((1, 5), dtype=int), seed_encoder=1 << 16)


def test_glm_configuration_is_refused():
    with pytest.raises(ConfigError, match=r"^architecture = 'glm_first_to_spike' is not allowed here"):
        bsnn_params(Config())


def test_contract_layouts_by_hand():
    """Row words: bit c = column c. PIXEL words: 4-bit pixels, 8 a word. PROG_ROW: hidden rows first.
    Encoder seeds: subarray 1 of SEED_ENCODER 5 in 16 bits is 5 xor (SEED_SALT mod 2**16)."""
    assert row_word([1, 0, 1, 1]) == 0b1101
    assert pixel_words(small(n_inputs=9, subarray_rows=4), [1] * 8 + [15]) == [0x11111111, 0xF]
    p = bsnn_params(small())
    assert (prog_row(p, 0, 4), prog_row(p, 1, 0), prog_row(p, 1, 2)) == (4, 5, 7)
    assert encoder_seed(5, 0, 16) == 5 and encoder_seed(5, 1, 16) == 5 ^ (SEED_SALT & 0xFFFF)
    assert encoder_seed(SEED_SALT & 0xFFFF, 1, 16) == 1                         # 0 loads 1


def test_training_improves_on_chance_and_folds_into_the_hardware_format():
    pytest.importorskip("torch")
    pytest.importorskip("snntorch")
    from model.bsnn_train import train_bsnn

    config = Config(architecture="bsnn_if", hidden=24, subarray_rows=16, time_steps=4, bsnn_epochs=2,
                    bsnn_finetune_epochs=2, readout="sense_amp_1bit", batch_size=128)
    result = train_bsnn(config, progress=False)
    result.network.check(config)
    assert result.history["phases"] == ["exact", "sense_amp_1bit_no_finetune", "sense_amp_1bit_finetuned"]
    assert result.history["exact"] > 0.4 and result.history["sense_amp_1bit_finetuned"] > 0.2
