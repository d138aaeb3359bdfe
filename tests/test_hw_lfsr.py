"""hw.lfsr.Lfsr against model.lfsr (ref_* vs rtl_*), in Amaranth's simulator.

The hardware takes several draws a cycle through GF(2) maps; the model steps bit by bit
(``lfsr_step``/``lfsr_draw``). Every cycle, each of the hardware's ``draws`` outputs is compared
with the model's next draws of the stream (draw k is the k-th next draw, whether or not it is consumed).
"""

import random

import pytest
from amaranth_sim import simulate

from hw.lfsr import Lfsr, advanced_bits
from model.lfsr import lfsr_draw, lfsr_step
from spinaps.contract import LFSR_TAPS, nonzero_seed


def random_commands(rng, width, salt, cycles):
    """Per cycle ``(load, seed, next, short)``: mostly ``next`` with random ``short``, some idle
    cycles, some reloads (among them seeds that give 0 after the salt: they must load 1)."""
    commands = [(1, rng.getrandbits(width), 0, 0)]
    for _ in range(cycles):
        roll = rng.random()
        if roll < 0.06:
            seed = rng.choice([salt, 0, rng.getrandbits(width)])     # salt ^ salt = 0 loads 1
            commands.append((1, seed, rng.getrandbits(1), rng.getrandbits(1)))   # load wins over next
        elif roll < 0.2:
            commands.append((0, rng.getrandbits(width), 0, rng.getrandbits(1)))  # hold
        else:
            commands.append((0, rng.getrandbits(width), 1, rng.getrandbits(1)))
    return commands


def ref_draws(commands, *, width, draw_bits, draws, short_draws, salt):
    """The draws on the outputs in each cycle after the first load, from the bit-by-bit model."""
    out, state = [], None
    for load, seed, advance, short in commands:
        if state is not None:
            peek, s = [], state
            for _ in range(draws):
                value, s = lfsr_draw(s, width, draw_bits)
                peek.append(value)
            out.append(peek)
        if load:
            state = nonzero_seed(seed ^ salt, width)
        elif advance and state is not None:
            for _ in range(short_draws if short else draws):
                _, state = lfsr_draw(state, width, draw_bits)
    return out


def rtl_draws(commands, *, width, draw_bits, draws, short_draws, salt):
    dut = Lfsr(width=width, draw_bits=draw_bits, draws=draws, short_draws=short_draws, salt=salt)
    out = []

    async def testbench(ctx):
        for cycle, (load, seed, advance, short) in enumerate(commands):
            if cycle:
                out.append([ctx.get(dut.draw[k]) for k in range(draws)])
            ctx.set(dut.load, load)
            ctx.set(dut.seed, seed)
            ctx.set(dut.next, advance)
            ctx.set(dut.short, short)
            await ctx.tick()

    simulate(dut, testbench)
    return out


@pytest.mark.parametrize("width, draw_bits, draws, short_draws, salt", [
    (16, 8, 1, 1, 0),
    (16, 16, 2, 1, 0x1234),
    (24, 5, 6, 4, 0x9E3779 & 0xFFFFFF),
    (32, 8, 4, 3, 0x9E3779B9),
    (32, 1, 3, 1, 0),
    (32, 32, 2, 2, 0xFFFFFFFF),
    (32, 4, 8, 5, (3 * 0x9E3779B9) & 0xFFFFFFFF),
])
def test_lfsr_draws_match_bit_by_bit_model(width, draw_bits, draws, short_draws, salt):
    params = dict(width=width, draw_bits=draw_bits, draws=draws, short_draws=short_draws, salt=salt)
    commands = random_commands(random.Random(width * draws + draw_bits), width, salt, 120)
    assert sum(c[2] and c[3] and not c[0] for c in commands) > 5          # short draws happen
    assert rtl_draws(commands, **params) == ref_draws(commands, **params)


def test_lfsr_zero_after_salt_loads_one():
    commands = [(1, 0x5A5A, 0, 0), (0, 0, 0, 0)]
    out = rtl_draws(commands, width=16, draw_bits=16, draws=1, short_draws=1, salt=0x5A5A)
    # State 1: the first 16-bit draw is the state after 16 steps from 1.
    state = 1
    for _ in range(16):
        state = lfsr_step(state, 16)
    assert out == [[state]]


@pytest.mark.parametrize("width", sorted(LFSR_TAPS))
@pytest.mark.parametrize("steps", [0, 1, 7, 32, 100])
def test_advanced_bits_equal_repeated_steps(width, steps):
    masks = advanced_bits(width, steps)
    rng = random.Random(width + steps)
    for state in [1, (1 << width) - 1] + [rng.getrandbits(width) for _ in range(20)]:
        stepped = state
        for _ in range(steps):
            stepped = lfsr_step(stepped, width)
        linear = sum(((state & mask).bit_count() & 1) << i for i, mask in enumerate(masks))
        assert linear == stepped


@pytest.mark.parametrize("kwargs, message", [
    (dict(width=20, draw_bits=4), "width = 20 is not allowed (allowed: 16, 24, 32)"),
    (dict(width=16, draw_bits=17), "draw_bits = 17 is out of range (allowed: 1..16)"),
    (dict(width=16, draw_bits=0), "draw_bits = 0 is out of range (allowed: 1..16)"),
    (dict(width=16, draw_bits=4, draws=257), "draws = 257 is out of range (allowed: 1..256)"),
    (dict(width=16, draw_bits=4, draws=3, short_draws=4), "short_draws = 4 is out of range (allowed: 1..3)"),
    (dict(width=16, draw_bits=4, draws=3, short_draws=0), "short_draws = 0 is out of range (allowed: 1..3)"),
    (dict(width=16, draw_bits=4, salt=1 << 16), "salt = 65536 is out of range (allowed: 0..65535)"),
    (dict(width=16, draw_bits=4.0), "draw_bits = 4.0 is not an integer (allowed: 1..16)"),
])
def test_lfsr_parameter_errors(kwargs, message):
    with pytest.raises(ValueError) as info:
        Lfsr(**kwargs)
    assert str(info.value) == message
