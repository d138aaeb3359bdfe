"""hw.neuron.NeuronStage and hw.arbiter.FirstToSpikeArbiter against their models."""

import itertools

import numpy as np
import pytest
from amaranth_sim import simulate

from hw.arbiter import FirstToSpikeArbiter
from hw.neuron import NeuronStage
from model.arbiter import arbitrate
from model.golden import ABSTAIN, decide
from model.lfsr import nonzero_seed
from model.neuron import neuron_step
from spinaps.config import Config

POLICIES = list(itertools.product(["lowest_index", "max_potential"], ["abstain", "argmax_potential"]))


@pytest.mark.parametrize("changes", [{}, dict(tiles=3), dict(tiles=1, lut_shift=2, lut_addr_bits=5, prob_bits=4),
                                     dict(weight_bits=6, bias_bits=12, lfsr_width=16)])
def test_neuron_stage_matches_model(changes):
    config = Config().replace(**changes)
    rng = np.random.default_rng(len(changes))
    half_range = config.rows_per_tile * (1 << (config.weight_bits - 1)) // 4   # realistic sums
    steps = [(rng.integers(-half_range, half_range, (config.tiles, config.n_outputs)),
              rng.integers(config.bias_min, config.bias_max + 1, config.n_outputs)) for _ in range(4)]
    # Potentials beyond the LUT's range too, to exercise saturation.
    steps.append((np.full((config.tiles, config.n_outputs), config.rows_per_tile * config.weight_min),
                  np.full(config.n_outputs, config.bias_min)))
    dut = NeuronStage(config=config)
    seed = 0x1234

    async def testbench(ctx):
        ctx.set(dut.seed, seed)
        ctx.set(dut.load, 1)
        await ctx.tick()
        ctx.set(dut.load, 0)
        state = nonzero_seed(seed, config.lfsr_width)
        for tile_acc, bias in steps:
            ref = neuron_step(config, tile_acc, bias, state)
            state = ref["state"]
            for k in range(config.tiles):
                for i in range(config.n_outputs):
                    ctx.set(dut.tile_acc[k][i], int(tile_acc[k, i]))
            for i in range(config.n_outputs):
                ctx.set(dut.bias[i], int(bias[i]))
            ctx.set(dut.start, 1)
            await ctx.tick()
            ctx.set(dut.start, 0)
            for i in range(config.n_outputs):
                assert ctx.get(dut.valid) and ctx.get(dut.neuron) == i
                got = {key: ctx.get(getattr(dut, key)) for key in ("potential", "prob", "draw", "spike")}
                want = {key: int(ref[key][i]) for key in got}
                assert got == want, f"neuron {i}: rtl {got} != model {want}"
                assert [ctx.get(dut.tile_partial[k]) for k in range(config.tiles)] == tile_acc[:, i].tolist()
                await ctx.tick()
            assert not ctx.get(dut.busy)

    simulate(dut, testbench)


def random_steps(rng, n_outputs, count):
    for _ in range(count):
        spike = (rng.random(n_outputs) < rng.choice([0.0, 0.1, 0.4])).tolist()
        potential = rng.integers(-4, 4, n_outputs).tolist()          # small range: many ties
        yield spike, potential, bool(rng.random() < 0.3)


@pytest.mark.parametrize("tie_policy, timeout_policy",
                         POLICIES)
def test_arbiter_matches_model(tie_policy, timeout_policy):
    n_outputs = 6
    dut = FirstToSpikeArbiter(n_outputs=n_outputs, potential_width=8)
    cases = list(random_steps(np.random.default_rng(5), n_outputs, 60))

    async def testbench(ctx):
        ctx.set(dut.tie_max_potential, tie_policy == "max_potential")
        ctx.set(dut.timeout_argmax, timeout_policy == "argmax_potential")
        for spike, potential, last in cases:
            ctx.set(dut.clear, 1)
            await ctx.tick()
            ctx.set(dut.clear, 0)
            ctx.set(dut.valid, 1)
            for i in range(n_outputs):
                ctx.set(dut.neuron, i)
                ctx.set(dut.spike, spike[i])
                ctx.set(dut.potential, potential[i])
                await ctx.tick()
            ctx.set(dut.valid, 0)
            ctx.set(dut.last_step, last)
            decided, decision, timed_out = arbitrate(spike, potential, last_step=last, tie_policy=tie_policy,
                                                     timeout_policy=timeout_policy)
            assert ctx.get(dut.decided) == decided and ctx.get(dut.timed_out) == timed_out
            if decided:
                assert ctx.get(dut.decision) == decision

    simulate(dut, testbench)


@pytest.mark.parametrize("tie_policy, timeout_policy",
                         POLICIES)
def test_arbiter_model_agrees_with_golden_decide(tie_policy, timeout_policy):
    rng = np.random.default_rng(9)
    spike = rng.random((50, 4, 5)) < 0.08
    potential = rng.integers(-3, 3, (50, 4, 5))
    decision, step, timed_out = decide(spike, potential, deadline=4, tie_policy=tie_policy,
                                       timeout_policy=timeout_policy)
    for n in range(50):
        for t in range(4):
            decided, d, out = arbitrate(spike[n, t].tolist(), potential[n, t].tolist(), last_step=t == 3,
                                        tie_policy=tie_policy, timeout_policy=timeout_policy)
            if decided:
                break
        assert (t + 1, out) == (step[n], timed_out[n])
        assert d == (5 if decision[n] == ABSTAIN else decision[n])
