"""The vectorised golden model against the loop-by-loop reading of the spec."""

import numpy as np
import pytest
from reference import reference_inference, reference_lut

from model.golden import ABSTAIN, decide, image_seeds, run_golden
from model.sigmoid_lut import lut_lookup, sigmoid_lut
from spinaps.config import PRESETS, Config

VARIANTS = {
    "default": {},
    "tiny": dict(PRESETS["tiny"].to_dict()),
    "one_tile": dict(tiles=1),
    "five_tiles_uneven": dict(tiles=5, tau=3, n_basis=3),
    "sixty_four_tiles": dict(tiles=64, tau=2, n_basis=2),
    "max_potential_abstain": dict(tie_policy="max_potential", timeout_policy="abstain", t_max=5),
    "lut_shift_narrow": dict(lut_shift=2, lut_addr_bits=5, prob_bits=4, lfsr_width=16, pixel_bits=4),
    "wide_weights": dict(weight_bits=7, weight_frac_bits=4, bias_bits=12, lfsr_width=24, tau=4, n_basis=2),
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
    golden = run_golden(config, alpha, bias, pixels, seed_encoder=seeds_e, seed_spike=seeds_s)
    for n in range(6):
        decision, step, timed_out, steps = reference_inference(
            config, alpha.tolist(), bias.tolist(), pixels[n].tolist(), int(seeds_e[n]), int(seeds_s[n]))
        for t, ref in enumerate(steps):
            for key in ("events", "acc_tile", "potential", "prob", "draw", "spike"):
                got = getattr(golden, key)[n, t].tolist()
                assert got == ref[key], f"image {n}, step {t + 1}, {key}: golden {got} != reference {ref[key]}"
        assert (golden.decision[n], golden.decision_step[n], golden.timed_out[n]) == (decision, step, timed_out)


def test_steps_taken_vary():
    """The random problems above exercise both early decisions and long runs."""
    config = Config()
    alpha, bias, pixels = random_problem(config, np.random.default_rng(7), images=40)
    golden = run_golden(config, alpha, bias, pixels, seed_encoder=image_seeds(1, 40), seed_spike=image_seeds(2, 40))
    assert golden.decision_step.min() <= 2 and golden.decision_step.max() >= 4


@pytest.mark.parametrize("variant", ["default", "lut_shift_narrow", "wide_weights"])
def test_lut_matches_reference(variant):
    config = Config.from_dict(VARIANTS[variant])
    assert sigmoid_lut(config).tolist() == reference_lut(config)


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
    d, step, out = decide(spike, potential, deadline=3, tie_policy="lowest_index", timeout_policy="abstain")
    assert d.tolist() == [1, ABSTAIN] and step.tolist() == [2, 3] and out.tolist() == [False, True]
    d, _, _ = decide(spike, potential, deadline=3, tie_policy="max_potential", timeout_policy="argmax_potential")
    assert d.tolist() == [3, 2]
    # A deadline of 1 step: nobody has spiked yet in image 0 either.
    d, step, out = decide(spike, potential, deadline=1, tie_policy="lowest_index", timeout_policy="abstain")
    assert d.tolist() == [ABSTAIN, ABSTAIN] and step.tolist() == [1, 1] and out.all()


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
