"""The vectorised golden model against the loop-by-loop reading of the spec."""

import numpy as np
import pytest
from reference import reference_inference, reference_lut

from reference import reference_decision_cycles

from model.cycles import decision_cycle_table, inference_cycles
from model.golden import GoldenInputError, decide, run_golden, tile_mapping
from model.sigmoid_lut import lut_lookup
from spinaps.config import PRESETS, Config
from spinaps.contract import image_seeds, sigmoid_lut, tile_map

VARIANTS = {
    "default": {},
    "tiny": dict(PRESETS["tiny"].to_dict()),
    "one_tile": dict(tiles=1),
    "five_tiles_uneven_blocked": dict(tiles=5, tau=3, n_basis=3, tile_map="blocked"),
    "sixty_four_tiles": dict(tiles=64, tau=2, n_basis=2, tile_map="interleaved"),
    "max_potential_abstain": dict(tie_policy="max_potential", timeout_policy="abstain", t_max=5, neuron_lanes=3),
    "lut_shift_narrow": dict(lut_shift=2, lut_addr_bits=5, prob_bits=4, lfsr_width=16, pixel_bits=4),
    "wide_weights": dict(weight_bits=7, weight_frac_bits=4, bias_bits=12, lfsr_width=24, tau=4, n_basis=2,
                         read_latency=3, neuron_lanes=1),
    "odd_inputs_random": dict(dataset="random", n_inputs=37, n_outputs=3, tiles=4, pixel_bits=5),
}


def random_problem(config, rng, images):
    alpha = rng.integers(config.weight_min, config.weight_max + 1,
                         (config.n_inputs, config.tau, config.n_outputs))
    # Biases low enough that some inferences run several steps, high enough that some spike early.
    bias = rng.integers(max(config.bias_min, -6 << config.weight_frac_bits),
                        min(config.bias_max, 1 << config.weight_frac_bits), config.n_outputs)
    pixels = rng.integers(0, 1 << config.pixel_bits, (images, config.n_inputs))
    return alpha, bias, pixels


@pytest.mark.parametrize("variant", VARIANTS)
def test_golden_matches_reference_per_step_and_neuron(variant):
    config = Config.from_dict(VARIANTS[variant])
    rng = np.random.default_rng(7)
    alpha, bias, pixels = random_problem(config, rng, images=6)
    seeds_e = image_seeds(11, 6, width=config.lfsr_width)
    seeds_s = image_seeds(12, 6, width=config.lfsr_width)
    mapping = tile_mapping(config)
    golden = run_golden(config, alpha, bias, pixels, seed_encoder=seeds_e, seed_spike=seeds_s, mapping=mapping)
    cycles = inference_cycles(config, golden)
    for n in range(6):
        decision, step, timed_out, steps, ref_cycles = reference_inference(
            config, alpha.tolist(), bias.tolist(), pixels[n].tolist(), int(seeds_e[n]), int(seeds_s[n]), mapping)
        for t, ref in enumerate(steps):
            for key in ("events", "potential", "prob", "draw", "spike"):
                got = getattr(golden, key)[n, t].tolist()
                assert got == ref[key], f"image {n}, step {t + 1}, {key}: golden {got} != reference {ref[key]}"
        assert (golden.decision[n], golden.decision_step[n], golden.timed_out[n]) == (decision, step, timed_out)
        assert cycles[n] == ref_cycles


def test_steps_taken_vary():
    """The random problems above exercise both early decisions and long runs."""
    config = Config()
    alpha, bias, pixels = random_problem(config, np.random.default_rng(7), images=40)
    golden = run_golden(config, alpha, bias, pixels, seed_encoder=image_seeds(1, 40), seed_spike=image_seeds(2, 40))
    assert golden.decision_step.min() <= 2 and golden.decision_step.max() >= 4


@pytest.mark.parametrize("config", [Config(read_latency=2, neuron_lanes=3),
                                    Config(tiles=2, tile_map="interleaved", neuron_lanes=10, encoder_words=2)],
                         ids=["default_R2_lanes3", "tiles2_2words"])
def test_decision_cycles_follow_the_spec_on_every_step(config):
    alpha, bias, pixels = random_problem(config, np.random.default_rng(8), images=10)
    golden = run_golden(config, alpha, bias, pixels, seed_encoder=image_seeds(3, 10), seed_spike=image_seeds(4, 10))
    table = decision_cycle_table(config, golden)
    for n in range(10):
        assert table[n].tolist() == reference_decision_cycles(config, golden.events[n].max(axis=1).tolist())


@pytest.mark.parametrize("kind", ["interleaved", "blocked", "balanced"])
def test_tile_maps_partition_the_inputs(kind):
    config = Config(dataset="random", n_inputs=29, tiles=4, tile_map=kind)
    mapping = tile_mapping(config)
    assert sorted(j for inputs in mapping for j in inputs) == list(range(29))
    assert all(1 <= len(inputs) <= config.inputs_per_tile for inputs in mapping)
    assert all(list(inputs) == sorted(inputs) for inputs in mapping)


def test_tile_maps_by_their_definition():
    config = Config(dataset="random", n_inputs=10, tiles=3)
    assert tile_map(config.replace(tile_map="interleaved")) == ((0, 3, 6, 9), (1, 4, 7), (2, 5, 8))
    assert tile_map(config.replace(tile_map="blocked")) == ((0, 1, 2), (3, 4, 5), (6, 7, 8, 9))


def test_balanced_map_evens_the_expected_events():
    """Four busy inputs (0..3) and four idle ones on two tiles: interleaving puts the busy ones on tile 0
    and 1 evenly only by luck of the order; balancing gives each tile two busy inputs whatever the order."""
    config = Config(dataset="random", n_inputs=8, tiles=2, tile_map="balanced")
    activity = np.zeros((5, 8))
    activity[:, [0, 1, 2, 3]] = [0.9, 0.8, 0.7, 0.6]
    mapping = tile_map(config, activity=activity)
    loads = [activity[:, list(inputs)].sum() for inputs in mapping]
    assert abs(loads[0] - loads[1]) <= activity[:, 0].sum() - activity[:, 1].sum() + 1e-9
    assert [sum(j < 4 for j in inputs) for inputs in mapping] == [2, 2]


def test_balanced_map_spreads_inputs_that_peak_together():
    """Inputs 0, 1 are busy on even images, 2, 3 on odd ones: the squared-load rule puts one of each pair on
    each tile, so no tile peaks."""
    config = Config(dataset="random", n_inputs=4, tiles=2, tile_map="balanced")
    activity = np.array([[1, 1, 0, 0], [0, 0, 1, 1]] * 3, dtype=float)
    mapping = tile_map(config, activity=activity)
    assert sorted(sorted(j // 2 for j in inputs) for inputs in mapping) == [[0, 1], [0, 1]]


@pytest.mark.parametrize("field, value, message", [
    ("pixels", 256, "pixels[0, 0] = 256 is out of range (allowed: 0..255, pixel_bits = 8)"),
    ("alpha", 8, "alpha[0, 0, 0] = 8 is out of range (allowed: -8..7, weight_bits = 4)"),
    ("bias", -513, "bias[0] = -513 is out of range (allowed: -512..511, bias_bits = 10)"),
    ("seed_spike", 1 << 32, "seed_spike[0] = 4294967296 is out of range (allowed: 0..4294967295, lfsr_width = 32)"),
])
def test_run_golden_rejects_values_the_hardware_cannot_hold(field, value, message):
    config = Config()
    alpha, bias, pixels = random_problem(config, np.random.default_rng(1), images=1)
    arguments = dict(alpha=alpha, bias=bias, pixels=pixels, seed_spike=5)
    if field in ("alpha", "bias", "pixels"):
        arguments[field].flat[0] = value
    else:
        arguments[field] = value
    with pytest.raises(GoldenInputError) as info:
        run_golden(config, arguments["alpha"], arguments["bias"], arguments["pixels"],
                   seed_spike=arguments["seed_spike"])
    assert str(info.value) == message


@pytest.mark.parametrize("variant", ["default", "lut_shift_narrow", "wide_weights"])
def test_lut_matches_reference(variant):
    config = Config.from_dict(VARIANTS[variant])
    assert sigmoid_lut(config) == reference_lut(config)


def test_lut_shape_and_saturation():
    config = Config()
    lut = sigmoid_lut(config)
    assert np.all(np.diff(lut) >= 0)
    assert lut[0] == 0 and lut[-1] == (1 << config.prob_bits) - 1
    # u = 0 is the centre of bin 0 when S = 0: sigmoid(0) = 1/2.
    assert lut_lookup(0, config) == 1 << (config.prob_bits - 1)
    # Potentials beyond the LUT's range saturate to its end entries.
    assert lut_lookup(10**6, config) == lut[-1] and lut_lookup(-10**6, config) == lut[0]


def test_decide_tie_and_timeout_policies():
    # Image 0: outputs 1 and 3 spike first at step 2; 3 has the larger potential.
    # Image 1: nobody spikes; at the deadline output 2 has the largest potential.
    spike = np.zeros((2, 3, 4), dtype=bool)
    spike[0, 1, [1, 3]] = True
    spike[0, 2, 0] = True
    potential = np.zeros((2, 3, 4), dtype=np.int64)
    potential[0, 1] = [0, 5, 9, 7]
    potential[1, 2] = [1, 4, 8, 8]
    abstain = 4
    d, step, out = decide(spike, potential, deadline=3, tie_policy="lowest_index", timeout_policy="abstain",
                          abstain=abstain)
    assert d.tolist() == [1, abstain] and step.tolist() == [2, 3] and out.tolist() == [False, True]
    d, _, _ = decide(spike, potential, deadline=3, tie_policy="max_potential", timeout_policy="argmax_potential",
                     abstain=abstain)
    assert d.tolist() == [3, 2]
    # A deadline of 1 step: nobody has spiked yet in image 0 either.
    d, step, out = decide(spike, potential, deadline=1, tie_policy="lowest_index", timeout_policy="abstain",
                          abstain=abstain)
    assert d.tolist() == [abstain, abstain] and step.tolist() == [1, 1] and out.all()


def test_images_are_independent_of_the_batch():
    """Each inference reloads its LFSRs: an image's result does not depend on its neighbours."""
    config = Config()
    alpha, bias, pixels = random_problem(config, np.random.default_rng(3), images=5)
    seeds_e, seeds_s = image_seeds(5, 5), image_seeds(6, 5)
    whole = run_golden(config, alpha, bias, pixels, seed_encoder=seeds_e, seed_spike=seeds_s)
    alone = run_golden(config, alpha, bias, pixels[3:4], seed_encoder=seeds_e[3:4], seed_spike=seeds_s[3:4])
    assert np.array_equal(whole.potential[3], alone.potential[0])
    assert np.array_equal(whole.draw[3], alone.draw[0])


def test_sops_count_events_of_steps_run():
    config = Config()
    alpha, bias, pixels = random_problem(config, np.random.default_rng(4), images=8)
    r = run_golden(config, alpha, bias, pixels, seed_encoder=image_seeds(1, 8), seed_spike=image_seeds(2, 8))
    for n in range(8):
        expected = sum(int(r.events[n, t].sum()) for t in range(r.decision_step[n])) * config.n_outputs
        assert r.sops(config.n_outputs)[n] == expected
