"""LFSRs: maximal length proven from the step function, vectorised == scalar."""

import numpy as np
import pytest

from model.lfsr import LfsrArray, lfsr_draw, lfsr_step
from spinaps.contract import LFSR_TAPS, SEED_SALT, nonzero_seed, stream_seed


def prime_factors(n):
    factors, p = set(), 2
    while p * p <= n:
        while n % p == 0:
            factors.add(p)
            n //= p
        p += 1
    return factors | ({n} if n > 1 else set())


def step_matrix(width):
    """The GF(2) matrix of one step, read off lfsr_step itself (column c = step(1 << c))."""
    m = np.zeros((width, width), dtype=np.int64)
    for c in range(width):
        out = lfsr_step(1 << c, width)
        m[:, c] = [(out >> r) & 1 for r in range(width)]
    return m


def matrix_power(m, e):
    result = np.eye(len(m), dtype=np.int64)
    while e:
        if e & 1:
            result = (result @ m) & 1
        m = (m @ m) & 1
        e >>= 1
    return result


@pytest.mark.parametrize("width", sorted(LFSR_TAPS))
def test_lfsr_is_maximal_length(width):
    """Period 2**W - 1 exactly: M**(2**W-1) = I and M**((2**W-1)/q) != I for every prime q."""
    m, period, eye = step_matrix(width), (1 << width) - 1, np.eye(width, dtype=np.int64)
    assert np.array_equal(matrix_power(m, period), eye)
    for q in prime_factors(period):
        assert not np.array_equal(matrix_power(m, period // q), eye), f"order divides {period // q}"


def test_lfsr16_period_by_walking():
    state, seen = 1, 0
    while True:
        state = lfsr_step(state, 16)
        seen += 1
        if state == 1:
            break
    assert seen == (1 << 16) - 1


@pytest.mark.parametrize("width", sorted(LFSR_TAPS))
@pytest.mark.parametrize("bits", [1, 4, 8, 13])
def test_vectorised_draws_match_scalar(width, bits):
    seeds = [1, 0xACE1, (1 << width) - 1, 12345]
    lfsrs = LfsrArray(seeds, width=width)
    states = list(seeds)
    for _ in range(20):
        got = lfsrs.draw(bits)
        for n, seed in enumerate(states):
            expected, states[n] = lfsr_draw(seed, width, bits)
            assert got[n] == expected


def test_masked_draw_steps_only_the_selected_lfsrs():
    lfsrs = LfsrArray([[3, 5, 7], [9, 11, 13]], width=16)
    lfsrs.draw(8, where=np.array([True, False, True])[None, :])     # broadcast over the first axis
    assert lfsrs.state.tolist() == [[lfsr_draw(3, 16, 8)[1], 5, lfsr_draw(7, 16, 8)[1]],
                                    [lfsr_draw(9, 16, 8)[1], 11, lfsr_draw(13, 16, 8)[1]]]
    lfsrs.draw(3)                                                   # no mask: every LFSR
    assert lfsrs.state[0, 1] == lfsr_draw(5, 16, 3)[1]


def test_draw_bits_are_fresh():
    """A b-bit draw after b steps shares no bit with the previous draw: the b newest bits."""
    state = 0xACE1
    for _ in range(8):
        state = lfsr_step(state, 16)
    assert lfsr_draw(0xACE1, 16, 8) == (state & 0xFF, state)


def test_zero_seed_loads_one_and_stream_seeds_differ():
    assert nonzero_seed(0, 16) == 1 and nonzero_seed(1 << 16, 16) == 1
    assert LfsrArray([0], width=32).state[0] == 1
    seeds = {stream_seed(0xACE1, k, 32) for k in range(64)}
    assert len(seeds) == 64 and 0 not in seeds
    assert stream_seed(0xACE1, 0, 32) == 0xACE1
    # The spec's formula (section 5.2): nz(seed xor (k * 0x9E3779B9 mod 2**W)).
    assert SEED_SALT == 0x9E3779B9
    assert stream_seed(0xACE1, 3, 16) == 0xACE1 ^ (3 * 0x9E3779B9 & 0xFFFF)
    assert stream_seed(3 * 0x9E3779B9 & 0xFFFF, 3, 16) == 1


def test_draws_of_one_lfsr_are_close_to_uniform():
    lfsrs = LfsrArray([0xACE1], width=32)
    draws = np.concatenate([lfsrs.draw(4) for _ in range(1600)])
    counts = np.bincount(draws, minlength=16)
    assert counts.min() > 60 and counts.max() < 140
