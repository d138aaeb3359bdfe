"""hw.encoder.RateEncoder against model.encoder (ref_* vs rtl_*)."""

import numpy as np
import pytest
from amaranth_sim import simulate

from hw.encoder import RateEncoder
from model.encoder import encode
from spinaps.config import Config


def ref_spikes(config, tile, pixels, seed, steps):
    x = encode(pixels[None], seed, config.replace(t_max=steps))[0]          # (steps, N_X)
    return x[:, config.tile_inputs(tile)].astype(int).tolist()


def rtl_spikes(config, tile, pixels, seed, steps):
    inputs = config.tile_inputs(tile)
    dut = RateEncoder(inputs=len(inputs), tile=tile, pixel_bits=config.pixel_bits, lfsr_width=config.lfsr_width)
    out = []

    async def testbench(ctx):
        for local, j in enumerate(inputs):
            ctx.set(dut.pixels[local], int(pixels[j]))
        ctx.set(dut.seed, seed)
        ctx.set(dut.load, 1)
        await ctx.tick()
        ctx.set(dut.load, 0)
        for _ in range(steps):
            ctx.set(dut.start, 1)
            await ctx.tick()
            ctx.set(dut.start, 0)
            cycles = 0
            while ctx.get(dut.busy):
                await ctx.tick()
                cycles += 1
            assert cycles == len(inputs)       # one input per cycle
            x = ctx.get(dut.x)
            out.append([(x >> local) & 1 for local in range(len(inputs))])

    simulate(dut, testbench)
    return out


@pytest.mark.parametrize("tiles, tile", [(8, 0), (8, 5), (3, 2), (1, 0), (64, 63)])
@pytest.mark.parametrize("width", [16, 32])
def test_encoder_matches_model(tiles, tile, width):
    config = Config(tiles=tiles, lfsr_width=width, seed_encoder=1, seed_spike=1)
    pixels = np.random.default_rng(tile).integers(0, 256, config.n_inputs)
    seed = 0xBEEF ^ tile
    assert rtl_spikes(config, tile, pixels, seed, 5) == ref_spikes(config, tile, pixels, seed, 5)
