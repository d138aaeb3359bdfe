"""hw.history.SpikeHistory and hw.scanner.EventScanner against their models."""

import numpy as np
import pytest
from amaranth_sim import simulate

from hw.history import SpikeHistory
from hw.scanner import EventScanner
from model.history import history_bits
from model.scanner import scan


@pytest.mark.parametrize("inputs, tau", [(8, 8), (3, 2), (1, 1), (5, 4)])
def test_history_matches_model(inputs, tau):
    x = np.random.default_rng(inputs * tau).random((12, inputs)) < 0.5
    ref = [int("".join(map(str, row[::-1])), 2) for row in history_bits(x, tau)]
    dut = SpikeHistory(inputs=inputs, tau=tau)
    rtl = []

    async def testbench(ctx):
        ctx.set(dut.clear, 1)
        await ctx.tick()
        ctx.set(dut.clear, 0)
        for t in range(12):
            rtl.append(ctx.get(dut.bits))            # what step t + 1 scans
            ctx.set(dut.x, int("".join("1" if b else "0" for b in x[t][::-1]), 2))
            ctx.set(dut.shift, 1)
            await ctx.tick()
            ctx.set(dut.shift, 0)

    simulate(dut, testbench)
    assert rtl == ref


@pytest.mark.parametrize("rows", [1, 7, 64, 100])
def test_scanner_emits_set_bits_lowest_first_one_per_cycle(rows):
    rng = np.random.default_rng(rows)
    patterns = [0, (1 << rows) - 1, 1 << (rows - 1)] + [int(rng.integers(0, 1 << min(rows, 62))) for _ in range(5)]
    dut = EventScanner(rows=rows)

    async def testbench(ctx):
        for bits in patterns:
            ctx.set(dut.bits, bits)
            ctx.set(dut.start, 1)
            await ctx.tick()
            ctx.set(dut.start, 0)
            emitted = []
            while ctx.get(dut.valid):
                emitted.append(ctx.get(dut.row))
                await ctx.tick()
            assert emitted == scan(bits)

    simulate(dut, testbench)


def test_scanner_restart_discards_pending():
    dut = EventScanner(rows=16)

    async def testbench(ctx):
        ctx.set(dut.bits, 0b1011)
        ctx.set(dut.start, 1)
        await ctx.tick()
        ctx.set(dut.bits, 0b0100)
        await ctx.tick()                  # restarted before the first one was consumed
        ctx.set(dut.start, 0)
        assert ctx.get(dut.valid) and ctx.get(dut.row) == 2
        await ctx.tick()
        assert not ctx.get(dut.valid)

    simulate(dut, testbench)
