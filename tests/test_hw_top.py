"""hw.top.Accelerator against model.golden, per step and per neuron, in Amaranth's simulator.

The bus is driven by a minimal AXI4-Lite master written for this unit test; the
cocotb testbenches in verif/ drive the generated Verilog with cocotbext-axi.
"""

import numpy as np
import pytest
from amaranth_sim import simulate

from hw.regmap import CTRL_CLEAR_DONE, CTRL_START, PROG_READ_BACK, STATUS_BITS, register_map
from hw.top import Accelerator, timing_constants
from model.golden import image_seeds, run_golden
from model.tile import pack_row, tile_and_row
from spinaps.config import PRESETS
from verif.stimulus import random_network

OKAY, SLVERR = 0b00, 0b10


class Bus:
    """AXI4-Lite master for the simulator: one transaction at a time."""

    def __init__(self, dut, ctx):
        self.dut, self.ctx = dut, ctx

    def port(self, name):
        return getattr(self.dut, f"s_axil_{name}")

    async def write(self, addr, value):
        ctx, p = self.ctx, self.port
        ctx.set(p("awaddr"), addr)
        ctx.set(p("wdata"), value & 0xFFFFFFFF)
        ctx.set(p("wstrb"), 0xF)
        ctx.set(p("awvalid"), 1)
        ctx.set(p("wvalid"), 1)
        ctx.set(p("bready"), 1)
        aw = w = False
        while not (aw and w):
            aw |= bool(ctx.get(p("awready")))
            w |= bool(ctx.get(p("wready")))
            await ctx.tick()
            if aw:
                ctx.set(p("awvalid"), 0)
            if w:
                ctx.set(p("wvalid"), 0)
        while not ctx.get(p("bvalid")):
            await ctx.tick()
        resp = ctx.get(p("bresp"))
        await ctx.tick()
        ctx.set(p("bready"), 0)
        return resp

    async def read(self, addr):
        ctx, p = self.ctx, self.port
        ctx.set(p("araddr"), addr)
        ctx.set(p("arvalid"), 1)
        ctx.set(p("rready"), 1)
        while not ctx.get(p("arready")):
            await ctx.tick()
        await ctx.tick()
        ctx.set(p("arvalid"), 0)
        while not ctx.get(p("rvalid")):
            await ctx.tick()
        value, resp = ctx.get(p("rdata")), ctx.get(p("rresp"))
        await ctx.tick()
        ctx.set(p("rready"), 0)
        return value, resp


def offsets(config):
    return {r.name: r.offset for r in register_map(config)}


async def run_inference(dut, ctx, bus, config, pixels, seed_e, seed_s):
    """Load one image, start, and collect the trace until DONE. Returns (trace, cycles per step)."""
    reg = offsets(config)
    for j, value in enumerate(pixels):
        assert await bus.write(reg["PIXEL"] + 4 * j, int(value)) == OKAY
    assert await bus.write(reg["SEED_ENCODER"], int(seed_e)) == OKAY
    assert await bus.write(reg["SEED_SPIKE"], int(seed_s)) == OKAY
    assert await bus.write(reg["CTRL"], CTRL_START) == OKAY
    trace, step_starts, cycle = {}, [], 0
    while not ctx.get(dut.irq):
        if ctx.get(dut.trace_step_start):
            step_starts.append(cycle)
        if ctx.get(dut.trace_valid):
            t, i = ctx.get(dut.trace_step), ctx.get(dut.trace_neuron)
            trace[(t, i)] = dict(potential=ctx.get(dut.trace_potential), prob=ctx.get(dut.trace_prob),
                                 draw=ctx.get(dut.trace_draw), spike=ctx.get(dut.trace_spike),
                                 tile_acc=[ctx.get(dut.trace_tile_acc[k]) for k in range(config.tiles)],
                                 events=[ctx.get(dut.trace_events[k]) for k in range(config.tiles)])
        await ctx.tick()
        cycle += 1
        assert cycle < 20000, "no interrupt"
    step_starts.append(cycle)
    return trace, np.diff(step_starts)


def check_against_golden(config, golden, n, trace, step_cycles, results):
    steps = int(golden.decision_step[n])
    assert sorted({t for t, _ in trace}) == list(range(1, steps + 1))
    for t in range(1, steps + 1):
        for i in range(config.n_outputs):
            got = trace[(t, i)]
            want = dict(potential=int(golden.potential[n, t - 1, i]), prob=int(golden.prob[n, t - 1, i]),
                        draw=int(golden.draw[n, t - 1, i]), spike=int(golden.spike[n, t - 1, i]),
                        tile_acc=golden.acc_tile[n, t - 1, :, i].tolist(),
                        events=golden.events[n, t - 1].tolist())
            assert got == want, f"image {n}, step {t}, neuron {i}: rtl {got} != golden {want}"
    decision = int(golden.decision[n])
    assert results["class"] == (config.n_outputs if decision < 0 else decision)
    assert results["step"] == steps
    assert results["timed_out"] == bool(golden.timed_out[n])
    timing = timing_constants(config)
    for t in range(steps):
        busiest = int(golden.events[n, t].max())
        expected = max(busiest + timing["read_latency"], timing["encode_cycles"]) + timing["step_fixed_cycles"]
        assert step_cycles[t] == expected, f"image {n} step {t + 1}: {step_cycles[t]} cycles, spec {expected}"
    assert results["cycles"] == timing["inference_fixed_cycles"] + sum(step_cycles)
    assert results["events"] == int(golden.events[n, :steps].sum())


@pytest.mark.parametrize("name, changes", [
    ("tiny", {}),
    ("tiny", dict(tie_policy="max_potential", timeout_policy="abstain", t_max=3, read_latency=2)),
    ("default", dict(tiles=5, tau=3, n_basis=3, t_max=4)),
])
def test_accelerator_matches_golden(name, changes):
    config = PRESETS[name].replace(**changes)
    rng = np.random.default_rng(2)
    alpha, bias = random_network(config, 1)
    images = 3
    pixels = rng.integers(0, 1 << config.pixel_bits, (images, config.n_inputs))
    seeds_e = image_seeds(3, images, width=config.lfsr_width)
    seeds_s = image_seeds(4, images, width=config.lfsr_width)
    golden = run_golden(config, alpha, bias, pixels, seed_encoder=seeds_e, seed_spike=seeds_s)
    assert golden.decision_step.max() >= 3 and golden.events[:, 1].sum() > 0   # the datapath is exercised
    dut = Accelerator(config=config, alpha=alpha, bias=bias)
    reg = offsets(config)

    async def testbench(ctx):
        bus = Bus(dut, ctx)
        assert await bus.write(reg["IRQ_ENABLE"], 1) == OKAY
        for n in range(images):
            trace, step_cycles = await run_inference(dut, ctx, bus, config, pixels[n], seeds_e[n], seeds_s[n])
            status, _ = await bus.read(reg["STATUS"])
            results = {"class": (await bus.read(reg["RESULT_CLASS"]))[0],
                       "step": (await bus.read(reg["RESULT_STEP"]))[0],
                       "timed_out": bool(status >> STATUS_BITS["TIMED_OUT"] & 1),
                       "cycles": (await bus.read(reg["CYCLES"]))[0],
                       "events": (await bus.read(reg["EVENTS"]))[0]}
            check_against_golden(config, golden, n, trace, step_cycles, results)
            assert await bus.write(reg["CTRL"], CTRL_CLEAR_DONE) == OKAY
            assert not ctx.get(dut.irq)

    simulate(dut, testbench)


def test_programming_and_bus_errors():
    """Weights programmed over the bus reach the macro; bad accesses answer SLVERR and change nothing."""
    config = PRESETS["tiny"]
    reg = offsets(config)
    dut = Accelerator(config=config)
    rng = np.random.default_rng(2)
    weights = rng.integers(config.weight_min, config.weight_max + 1, config.n_outputs)

    async def testbench(ctx):
        bus = Bus(dut, ctx)
        assert (await bus.read(reg["ID"]))[0] == 0x53504E41
        # Program input j = 4, lag d = 1, then read the row back.
        tile, row = tile_and_row(config, 4, 1)
        for i, w in enumerate(weights):
            assert await bus.write(reg["ROW_DATA"] + 4 * i, int(w)) == OKAY
        assert await bus.write(reg["PROG_ROW"], row | tile << 16) == OKAY
        while (await bus.read(reg["STATUS"]))[0] >> STATUS_BITS["PROG_BUSY"] & 1:
            pass
        for i in range(config.n_outputs):
            assert await bus.write(reg["ROW_DATA"] + 4 * i, 0) == OKAY
        assert await bus.write(reg["PROG_ROW"], row | tile << 16 | PROG_READ_BACK) == OKAY
        while (await bus.read(reg["STATUS"]))[0] >> STATUS_BITS["PROG_BUSY"] & 1:
            pass
        back = [(await bus.read(reg["ROW_DATA"] + 4 * i))[0] for i in range(config.n_outputs)]
        assert [v - (1 << 32) if v >> 31 else v for v in back] == weights.tolist()
        assert pack_row(config, back) == pack_row(config, weights)
        # Refused: unmapped, misaligned, read-only, out-of-range values, write-only reads.
        for addr, value in ((0x0FFC, 1), (reg["T_MAX"] + 2, 1), (reg["ID"], 0), (reg["T_MAX"], 0),
                            (reg["T_MAX"], 256), (reg["POLICY"], 4), (reg["BIAS"], config.bias_max + 1),
                            (reg["PIXEL"], 1 << config.pixel_bits), (reg["PROG_ROW"], config.tiles << 16),
                            (reg["PROG_ROW"], config.rows_per_tile)):
            assert await bus.write(addr, value) == SLVERR, hex(addr)
        assert (await bus.read(reg["T_MAX"]))[0] == config.t_max
        assert (await bus.read(reg["CTRL"]))[1] == SLVERR
        assert (await bus.read(0x0FFC))[1] == SLVERR
        # During an inference: weights, pixels and a second START are refused and counted.
        assert await bus.write(reg["T_MAX"], 200) == OKAY
        assert await bus.write(reg["BIAS"], config.bias_min) == OKAY      # never spikes: runs 200 steps
        for i in range(1, config.n_outputs):
            assert await bus.write(reg["BIAS"] + 4 * i, config.bias_min) == OKAY
        assert await bus.write(reg["CTRL"], CTRL_START) == OKAY
        assert await bus.write(reg["PROG_ROW"], 0) == SLVERR
        assert await bus.write(reg["ROW_DATA"], 1) == SLVERR
        assert await bus.write(reg["PIXEL"], 1) == SLVERR
        assert await bus.write(reg["CTRL"], CTRL_START) == SLVERR
        assert (await bus.read(reg["REFUSED_WRITES"]))[0] == 4
        assert (await bus.read(reg["STATUS"]))[0] >> STATUS_BITS["BUSY"] & 1

    simulate(dut, testbench)
