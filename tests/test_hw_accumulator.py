"""hw.accumulator.Accumulator against model.accumulator.potentials (ref_* vs rtl_*), in Amaranth's simulator.

The tiles' row streams are random (rows valid in random cycles, garbage on ``data`` otherwise), with
random hand-offs and restarts. The docstring's timing: a row valid in cycle c is in the adder tree's
register in c + 1 and in the accumulators from c + 2; a hand-off in cycle h shows the finished step's
sums and events, and the rows valid from cycle h - 1 on belong to the next step; a ``start`` in cycle s
loads the biases and drops everything valid up to s, so an inference's first step holds the rows
valid from s + 1 on.
"""

import random

import pytest
from amaranth_sim import simulate

from hw.accumulator import Accumulator
from model.accumulator import potentials
from spinaps.config import Config
from spinaps.contract import pack_fields, tile_map


def random_run(config, rng, cycles, *, extreme=None):
    """Per cycle: ``(start, handoff, bias, rows)``, rows a list over tiles of packed rows or None.

    Inferences start at cycle 0 and at a few random cycles; hand-offs come 1 to 8 cycles apart. No tile
    has more valid rows in a step than it has (input, lag) pairs. ``extreme`` = "min" or "max": every
    tile valid in every cycle of the first step with all weights at that end, the bias too."""
    sizes = [len(inputs) * config.tau for inputs in tile_map(config)]
    lo, hi = config.weight_min, config.weight_max
    out, bias, since_handoff, counts = [], None, 0, [0] * config.tiles
    first = max(sizes) + 2 if extreme else 0          # the hand-off of the extreme step
    for cycle in range(cycles):
        start = cycle == 0 or (cycle > first and rng.random() < 0.03)
        if start:
            bias = [rng.randint(config.bias_min, config.bias_max) for _ in range(config.n_outputs)]
            if extreme:
                bias = [config.bias_min if extreme == "min" else config.bias_max] * config.n_outputs
        handoff = not start and (since_handoff >= rng.randint(1, 8))
        since_handoff = 0 if start or handoff else since_handoff + 1
        if start or handoff:
            counts = [0] * config.tiles       # approximately the step's rows: keeps each tile's count small
        rows = []
        for k in range(config.tiles):
            valid = counts[k] < sizes[k] - 1 and rng.random() < 0.6
            if cycle < first:
                valid = 1 <= cycle <= sizes[k]
                weights = [lo if extreme == "min" else hi] * config.n_outputs
            else:
                weights = [rng.choice([lo, hi, rng.randint(lo, hi)]) for _ in range(config.n_outputs)]
            counts[k] += valid
            rows.append(pack_fields(weights, config.weight_bits) if valid else -1 - rng.getrandbits(config.row_bits))
        if cycle <= first:
            handoff, since_handoff = cycle == first, 0
        out.append((start, handoff, bias, rows))
    return out


def ref_handoffs(config, run):
    """``(cycle, sums, events)`` at every hand-off, from the windows of the docstring's timing."""
    out, window_start = [], None
    for cycle, (start, handoff, bias, _) in enumerate(run):
        if start:
            window_start = cycle + 1
        elif handoff:
            window = [rows for _, _, _, rows in run[window_start:cycle - 1]]
            valid = [row for rows in window for row in rows if row >= 0]
            events = [sum(rows[k] >= 0 for rows in window) for k in range(config.tiles)]
            out.append((cycle, potentials(config, bias, valid), events))
            window_start = cycle - 1
    return out


def rtl_handoffs(config, run):
    dut = Accumulator(config=config)
    out = []

    async def testbench(ctx):
        for cycle, (start, handoff, bias, rows) in enumerate(run):
            ctx.set(dut.start, start)
            ctx.set(dut.handoff, handoff)
            for i, b in enumerate(bias):
                ctx.set(dut.bias[i], b)
            for k, row in enumerate(rows):
                ctx.set(dut.rows[k].valid, row >= 0)
                ctx.set(dut.rows[k].data, row & ((1 << config.row_bits) - 1))
            if handoff and not start:
                out.append((cycle, [ctx.get(dut.sums[i]) for i in range(config.n_outputs)],
                            [ctx.get(dut.events[k]) for k in range(config.tiles)]))
            await ctx.tick()

    simulate(dut, testbench)
    return out


CONFIGS = [
    Config(dataset="random", n_inputs=7, n_outputs=3, tiles=3, tau=2, n_basis=2, tile_map="interleaved"),
    Config(dataset="random", n_inputs=9, n_outputs=2, tiles=5, tau=3, n_basis=3, weight_bits=6, bias_bits=5,
           tile_map="interleaved"),
    Config(dataset="random", n_inputs=4, n_outputs=5, tiles=1, tau=4, n_basis=4, weight_bits=2, bias_bits=12,
           tile_map="interleaved"),
    Config(dataset="random", n_inputs=16, n_outputs=2, tiles=8, tau=1, n_basis=1, weight_bits=16, bias_bits=24,
           tile_map="blocked"),
]


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: f"tiles{c.tiles}-B{c.weight_bits}")
def test_accumulator_matches_model(config):
    run = random_run(config, random.Random(config.tiles), 400)
    ref = ref_handoffs(config, run)
    assert rtl_handoffs(config, run) == ref
    assert len(ref) > 40 and sum(start for start, *_ in run) > 3
    # Rows in the cycle before a hand-off and in a start cycle happen (the boundaries are exercised).
    assert sum(1 for c, (_, handoff, _, _) in enumerate(run) if handoff and any(r >= 0 for r in run[c - 1][3]))
    assert sum(1 for start, _, _, rows in run if start and any(r >= 0 for r in rows))


@pytest.mark.parametrize("extreme", ["min", "max"])
@pytest.mark.parametrize("config", CONFIGS[:2], ids=lambda c: f"tiles{c.tiles}")
def test_accumulator_extreme_sums_do_not_wrap(config, extreme):
    """Every (input, lag) pair active with the extreme weight and bias: the extreme potential exactly."""
    run = random_run(config, random.Random(1), 60, extreme=extreme)
    ref = ref_handoffs(config, run)
    rows = config.n_inputs * config.tau
    edge = (rows * config.weight_min + config.bias_min) if extreme == "min" else \
        (rows * config.weight_max + config.bias_max)
    assert ref[0][1] == [edge] * config.n_outputs
    assert rtl_handoffs(config, run) == ref
