"""hw.tile.Tile against model.tile (with model.encoder and model.history for its inputs)."""

import numpy as np
import pytest
from amaranth_sim import simulate

from hw.tile import Tile
from model.encoder import encode
from model.history import history_bits
from model.tile import tile_rows, tile_step
from spinaps.config import Config


@pytest.mark.parametrize("changes, tile", [({}, 3), (dict(tiles=3, tau=3, n_basis=3, read_latency=3), 2),
                                           (dict(tiles=1, tau=2, n_basis=2), 0)])
def test_tile_matches_model(changes, tile):
    config = Config().replace(**changes)
    rng = np.random.default_rng(tile)
    alpha = rng.integers(config.weight_min, config.weight_max + 1, (config.n_inputs, config.tau, config.n_outputs))
    pixels = rng.integers(0, 256, config.n_inputs)
    seed, steps = 0x5EED, 5
    inputs = config.tile_inputs(tile)
    rows = tile_rows(config, alpha, tile)
    x = encode(pixels[None], seed, config.replace(t_max=steps))[0][:, inputs]
    history = [int("".join("1" if b else "0" for b in row[::-1]), 2) for row in history_bits(x, config.tau)]
    dut = Tile(config=config, tile=tile, init=rows)

    async def testbench(ctx):
        for local, j in enumerate(inputs):
            ctx.set(dut.pixels[local], int(pixels[j]))
        ctx.set(dut.seed, seed)
        ctx.set(dut.load, 1)
        await ctx.tick()
        ctx.set(dut.load, 0)
        for t in range(steps):
            acc, events = tile_step(config, rows, history[t])
            ctx.set(dut.step_start, 1)
            await ctx.tick()
            ctx.set(dut.step_start, 0)
            cycles = 1
            while ctx.get(dut.busy):
                await ctx.tick()
                cycles += 1
            assert [ctx.get(dut.acc[i]) for i in range(config.n_outputs)] == acc, f"step {t + 1}"
            assert ctx.get(dut.events) == events
            # One event per cycle, the last read's latency, the encoder overlapped, and the start cycle.
            assert cycles == max(events + config.read_latency, len(inputs)) + 1
            ctx.set(dut.shift, 1)
            await ctx.tick()
            ctx.set(dut.shift, 0)

    simulate(dut, testbench)
