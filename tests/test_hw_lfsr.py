"""hw.lfsr.Lfsr against model.lfsr (ref_* vs rtl_*), in Amaranth's simulator."""

import pytest
from amaranth.sim import Simulator

from hw.lfsr import Lfsr
from model.lfsr import lfsr_draw, nonzero_seed


def ref_draws(seed, width, bits, count):
    state, out = nonzero_seed(seed, width), []
    for _ in range(count):
        value, state = lfsr_draw(state, width, bits)
        out.append(value)
    return out


def rtl_draws(seed, width, bits, count):
    dut = Lfsr(width=width, draw_bits=bits)
    out = []

    async def testbench(ctx):
        ctx.set(dut.seed, seed)
        ctx.set(dut.load, 1)
        await ctx.tick()
        ctx.set(dut.load, 0)
        ctx.set(dut.next, 1)
        for _ in range(count):
            out.append(ctx.get(dut.draw))
            await ctx.tick()

    sim = Simulator(dut)
    sim.add_clock(1e-6)
    sim.add_testbench(testbench)
    sim.run()
    return out


@pytest.mark.parametrize("width, bits, seed", [(16, 8, 0xACE1), (24, 5, 0x123456), (32, 8, 0xDEADBEEF),
                                               (32, 1, 7), (16, 16, 0), (32, 32, 0xFFFFFFFF)])
def test_lfsr_matches_model(width, bits, seed):
    assert rtl_draws(seed, width, bits, 40) == ref_draws(seed, width, bits, 40)


def test_lfsr_holds_without_next():
    dut = Lfsr(width=16, draw_bits=4)
    seen = []

    async def testbench(ctx):
        ctx.set(dut.seed, 0x1234)
        ctx.set(dut.load, 1)
        await ctx.tick()
        ctx.set(dut.load, 0)
        for _ in range(3):
            seen.append(ctx.get(dut.draw))
            await ctx.tick()

    sim = Simulator(dut)
    sim.add_clock(1e-6)
    sim.add_testbench(testbench)
    sim.run()
    assert seen == [ref_draws(0x1234, 16, 4, 1)[0]] * 3


@pytest.mark.parametrize("kwargs, message", [
    (dict(width=20, draw_bits=4), "width = 20 is not allowed (allowed: 16, 24, 32)"),
    (dict(width=16, draw_bits=17), "draw_bits = 17 is out of range (allowed: 1..16)"),
])
def test_lfsr_parameter_errors(kwargs, message):
    with pytest.raises(ValueError) as info:
        Lfsr(**kwargs)
    assert str(info.value) == message
