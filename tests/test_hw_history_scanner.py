"""hw.history.SpikeHistory and hw.scanner.EventScanner against model.history and model.scanner
(ref_* vs rtl_*), in Amaranth's simulator."""

import random
import sys

import numpy as np
import pytest
from amaranth_sim import simulate

from hw.history import SpikeHistory
from hw.scanner import EventScanner
from model.history import history_bits
from model.scanner import scan


def as_int(bits):
    return sum(int(b) << i for i, b in enumerate(bits))


# -- history

def ref_history(x, tau):
    """What step t = 1 .. T scans (bit l*tau + d), from the spikes x[t-1, l] of step t."""
    return [as_int(row) for row in history_bits(x, tau)]


def rtl_history(x, tau, *, clear_at=None):
    """Step t offers ``shifted`` (with the spikes of step t - 1 on ``x``) and shifts it in, as the tile does;
    returns ``shifted`` of every step and ``bits`` after every shift. With ``clear_at``, a clear comes
    just before step ``clear_at``, which then starts a new inference (its x of the previous step is 0)."""
    steps, inputs = x.shape
    dut = SpikeHistory(inputs=inputs, tau=tau)
    offered, kept = [], []

    async def testbench(ctx):
        ctx.set(dut.clear, 1)
        await ctx.tick()
        ctx.set(dut.clear, 0)
        for t in range(1, steps + 1):
            if t == clear_at:
                ctx.set(dut.clear, 1)
                ctx.set(dut.shift, 1)            # clear wins over a shift in the same cycle
                await ctx.tick()
                ctx.set(dut.clear, 0)
            previous = x[t - 2] if t > 1 and t != clear_at else np.zeros(inputs, dtype=bool)
            ctx.set(dut.x, as_int(previous))
            ctx.set(dut.shift, 1)
            offered.append(ctx.get(dut.shifted))
            await ctx.tick()
            ctx.set(dut.shift, 0)
            ctx.set(dut.x, (1 << inputs) - 1)      # ignored without a shift
            await ctx.tick()
            kept.append(ctx.get(dut.bits))

    simulate(dut, testbench)
    return offered, kept


@pytest.mark.parametrize("inputs, tau", [(8, 8), (3, 2), (1, 1), (5, 4), (2, 32)])
def test_history_matches_model(inputs, tau):
    x = np.random.default_rng(inputs * tau).random((40, inputs)) < 0.5
    offered, kept = rtl_history(x, tau)
    ref = ref_history(x, tau)
    assert offered == ref
    assert kept == ref                           # bits after the shift: what was offered, held
    assert len(set(ref)) == min(1 << (inputs * tau), 6) or len(set(ref)) > 5


def test_history_clear_forgets_everything():
    x = np.random.default_rng(3).random((12, 4)) < 0.6
    offered, _ = rtl_history(x, 3, clear_at=7)
    assert offered[:6] == ref_history(x[:6], 3)
    assert offered[6:] == ref_history(x[6:], 3)   # a fresh inference from step 7 on
    assert ref_history(x, 3)[6:] != offered[6:]


# -- scanner

def ref_scan(patterns):
    return [scan(bits) for bits in patterns]


def rtl_scan(rows, patterns, gaps):
    """Starts each pattern (after its gap of idle cycles) and records the rows issued, and ``idle`` in
    each cycle after the start until it is high (the next pattern starts in that cycle)."""
    dut = EventScanner(rows=rows)
    issued, idle_after = [], []

    async def testbench(ctx):
        ctx.set(dut.bits, (1 << rows) - 1)          # ignored without start
        for bits, gap in zip(patterns, gaps):
            for _ in range(gap):
                assert not ctx.get(dut.valid) and ctx.get(dut.idle)
                await ctx.tick()
            ctx.set(dut.bits, bits)
            ctx.set(dut.start, 1)
            out = [ctx.get(dut.row)] if ctx.get(dut.valid) else []
            await ctx.tick()
            ctx.set(dut.start, 0)
            ctx.set(dut.bits, (1 << rows) - 1)
            idles = [ctx.get(dut.idle)]
            while not idles[-1]:
                assert ctx.get(dut.valid)
                out.append(ctx.get(dut.row))
                await ctx.tick()
                idles.append(ctx.get(dut.idle))
            assert not ctx.get(dut.valid)             # idle: nothing is issued in this cycle
            issued.append(out)
            idle_after.append(idles)
        await ctx.tick()
        assert not ctx.get(dut.valid)

    simulate(dut, testbench)
    return issued, idle_after


def patterns_for(rows, rng, count):
    full = (1 << rows) - 1
    out = [0, full, 1 << (rows - 1), 1, 0]
    for _ in range(count):
        density = rng.choice([0.02, 0.2, 0.7])
        out.append(sum(1 << r for r in range(rows) if rng.random() < density))
    return out


@pytest.mark.parametrize("rows", [1, 2, 3, 7, 15, 64, 100])
def test_scanner_issues_set_bits_lowest_first_one_per_cycle(rows):
    rng = random.Random(rows)
    patterns = patterns_for(rows, rng, 8)
    gaps = [rng.choice([0, 0, 2]) for _ in patterns]
    issued, idle_after = rtl_scan(rows, patterns, gaps)
    assert issued == ref_scan(patterns)
    for bits, idles in zip(patterns, idle_after):
        # idle is low while rows remain to be issued and rises max(E, 1) cycles after the start
        # (the cycle after the last row), when the control unit may start the next step.
        events = len(scan(bits))
        assert idles == [0] * (max(events, 1) - 1) + [1], (bits, idles)


def test_scanner_4096_rows_sparse():
    # Amaranth's Python simulator compiles the 4096-wide Cat of the row decoder into one nested
    # expression, deeper than Python's default recursion limit allows.
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(100_000)
    try:
        _scanner_4096_rows_sparse()
    finally:
        sys.setrecursionlimit(limit)


def _scanner_4096_rows_sparse():
    rng = random.Random(4096)
    patterns = [sum(1 << r for r in rng.sample(range(4096), n)) for n in (17, 3)] + [1 << 4095, 0]
    issued, _ = rtl_scan(4096, patterns, [0] * len(patterns))
    assert issued == ref_scan(patterns)


def test_scanner_start_discards_pending_and_flush_forgets():
    dut = EventScanner(rows=16)
    seen = []

    async def testbench(ctx):
        ctx.set(dut.bits, 0b1011_0000_0000_1011)
        ctx.set(dut.start, 1)
        seen.append((ctx.get(dut.valid), ctx.get(dut.row)))
        await ctx.tick()
        ctx.set(dut.bits, 0b0000_0101_0000_0100)      # restarted while rows 1, 3, 12, 13, 15 are pending
        seen.append((ctx.get(dut.valid), ctx.get(dut.row)))
        await ctx.tick()
        ctx.set(dut.start, 0)
        seen.append((ctx.get(dut.valid), ctx.get(dut.row), ctx.get(dut.idle)))
        ctx.set(dut.flush, 1)                          # the row of the flush cycle is still issued
        await ctx.tick()
        ctx.set(dut.flush, 0)
        seen.append((ctx.get(dut.valid), ctx.get(dut.idle)))
        await ctx.tick()
        seen.append((ctx.get(dut.valid), ctx.get(dut.idle)))

    simulate(dut, testbench)
    assert seen == [(1, 0), (1, 2), (1, 8, 0), (0, 1), (0, 1)]


@pytest.mark.parametrize("component, kwargs, message", [
    (SpikeHistory, dict(inputs=0, tau=2), "inputs = 0 is out of range (allowed: 1..4096)"),
    (SpikeHistory, dict(inputs=3, tau=33), "tau = 33 is out of range (allowed: 1..32)"),
    (EventScanner, dict(rows=0), "rows = 0 is out of range (allowed: 1..65536)"),
    (EventScanner, dict(rows=65537), "rows = 65537 is out of range (allowed: 1..65536)"),
])
def test_parameter_errors(component, kwargs, message):
    with pytest.raises(ValueError) as info:
        component(**kwargs)
    assert str(info.value) == message
