"""hw.neuron.NeuronStage and hw.arbiter.FirstToSpikeArbiter against model.neuron, model.arbiter and
model.golden.decide (ref_* vs rtl_*), in Amaranth's simulator.

Timing (the docstrings): a ``load`` in cycle h is evaluated in cycles h + 1 .. h + G (stage 1) and
group g is on the ``neurons`` stream in cycle h + 2 + g (stage 2); the arbiter is ``done`` in the
cycle after a step's last group, with the decision of the step.
"""

import itertools
import math
import random

import numpy as np
import pytest
from amaranth import Elaboratable, Module
from amaranth.lib import wiring
from amaranth_sim import simulate

from hw.arbiter import FirstToSpikeArbiter
from hw.neuron import NeuronStage
from model.arbiter import arbitrate
from model.golden import decide
from model.lfsr import lfsr_draw
from model.neuron import neuron_step
from spinaps.config import Config
from spinaps.contract import abstain_code, nonzero_seed

POLICIES = list(itertools.product(["lowest_index", "max_potential"], ["abstain", "argmax_potential"]))

CONFIGS = [
    # N_Y = 7 in 3 lanes: G = 3, the last group holds 1 neuron
    Config(dataset="random", n_inputs=6, n_outputs=7, tiles=2, tau=2, n_basis=2, neuron_lanes=3),
    # one lane: G = N_Y
    Config(dataset="random", n_inputs=4, n_outputs=4, tiles=1, tau=2, n_basis=2, neuron_lanes=1,
           lut_shift=2, lut_addr_bits=5, prob_bits=4, lfsr_width=16),
    # 2 lanes for 5 outputs, a 24-bit LFSR, wide weights
    Config(dataset="random", n_inputs=3, n_outputs=5, tiles=1, tau=1, n_basis=1, neuron_lanes=2,
           weight_bits=8, bias_bits=12, lfsr_width=24, prob_bits=12, lut_addr_bits=6, lut_shift=3),
    # as many lanes as outputs (more asked for): G = 1
    Config(dataset="random", n_inputs=5, n_outputs=3, tiles=1, tau=3, n_basis=3, neuron_lanes=8,
           prob_bits=16, lfsr_width=32),
    # N_Y = 10 in 4 lanes: the last group holds 2
    Config(dataset="random", n_inputs=8, n_outputs=10, tiles=2, tau=2, n_basis=2, neuron_lanes=4,
           lut_addr_bits=3),
]


def config_id(c):
    return f"ny{c.n_outputs}-lanes{c.lanes}"


# -- neuron stage

def lut_edges(config):
    """Potentials at and around both ends of the LUT's range, and the ends of acc_width."""
    half, s = config.lut_size // 2, config.lut_shift
    low, high = -half << s, ((half - 1) << s) + (1 << s) - 1
    widest = 1 << (config.acc_width - 1)
    return [low - 1, low, low + 1, high - 1, high, high + 1, -widest, widest - 1, 0, -1]


def random_potentials(config, rng, count):
    half, s = config.lut_size // 2, config.lut_shift
    edges = lut_edges(config)
    steps = []
    for _ in range(count):
        steps.append([rng.choice(edges) if rng.random() < 0.2 else rng.randint(-half << s, half << s)
                      for _ in range(config.n_outputs)])
    return steps


def ref_beats(config, seed, steps):
    """Per step, per neuron: (potential, prob, draw, spike), the spike stream continuing across steps."""
    state, out = nonzero_seed(seed, config.lfsr_width), []
    for potentials in steps:
        result = neuron_step(config, potentials, state)
        state = result["state"]
        out.append([(potentials[i], result["prob"][i], result["draw"][i], int(result["spike"][i]))
                    for i in range(config.n_outputs)])
    return out


def rtl_beats(config, seed, steps, gaps, *, ignored_loads=True):
    """Loads step n's potentials ``G + 1 + gaps[n]`` cycles after the previous load (the first in
    cycle 2 after the start in cycle 0); with ``ignored_loads``, a load with other potentials in a
    cycle of the evaluation too (ignored). Returns, per step, per neuron, what the stream showed in the
    cycle the docstring says, and every cycle in which the stream was valid."""
    dut = NeuronStage(config=config, probe=True)
    lanes, groups = config.lanes, config.neuron_groups
    loads, cycle = [], 2
    for gap in gaps:
        loads.append(cycle)
        cycle += groups + 1 + gap
    end = cycle + groups + 3
    rng = random.Random(len(steps))
    got = [[None] * config.n_outputs for _ in steps]
    valid_cycles = []

    async def testbench(ctx):
        ctx.set(dut.seed, seed)
        for cycle in range(end):
            ctx.set(dut.start, cycle == 0)
            step = loads.index(cycle) if cycle in loads else None
            stray = ignored_loads and step is None and any(h < cycle <= h + groups for h in loads)
            ctx.set(dut.load, step is not None or (stray and rng.random() < 0.5))
            potentials = steps[step] if step is not None else random_potentials(config, rng, 1)[0]
            for i, u in enumerate(potentials):
                ctx.set(dut.potentials[i], u)
            beat = dut.neurons.payload
            if ctx.get(dut.neurons.valid):
                valid_cycles.append(cycle)
                owner = max(n for n, h in enumerate(loads) if h < cycle)
                group = cycle - loads[owner] - 2
                assert ctx.get(beat.group) == group and ctx.get(beat.last) == (group == groups - 1)
                for lane in range(lanes):
                    i = group * lanes + lane
                    spike = ctx.get(beat.lanes[lane].spike)
                    if i < config.n_outputs:
                        got[owner][i] = (ctx.get(beat.lanes[lane].potential), ctx.get(dut.probe.prob[lane]),
                                         ctx.get(dut.probe.draw[lane]), spike)
                    else:
                        assert not spike, "a padding lane spiked"
            await ctx.tick()

    simulate(dut, testbench)
    expected_cycles = [h + 2 + g for h in loads for g in range(groups)]
    return got, valid_cycles, expected_cycles


@pytest.mark.parametrize("config", CONFIGS, ids=config_id)
def test_neuron_stage_matches_model(config):
    rng = random.Random(config.n_outputs * 10 + config.lanes)
    steps = random_potentials(config, rng, 12)
    gaps = [rng.choice([0, 1, 0, 3]) for _ in steps]
    seed = rng.getrandbits(config.lfsr_width)
    got, valid_cycles, expected_cycles = rtl_beats(config, seed, steps, gaps)
    assert got == ref_beats(config, seed, steps)
    assert valid_cycles == expected_cycles
    spikes = [beat[3] for step in got for beat in step]
    assert 0 < sum(spikes) < len(spikes)


@pytest.mark.parametrize("config", CONFIGS[:2], ids=config_id)
def test_neuron_stage_saturates_at_both_ends_of_the_lut(config):
    """Potentials far beyond the LUT and at its edges read its first and last entries."""
    edges = lut_edges(config)
    steps = [[edges[(n + i) % len(edges)] for i in range(config.n_outputs)] for n in range(len(edges))]
    got, _, _ = rtl_beats(config, 0xACE1, steps, [1] * len(steps), ignored_loads=False)
    ref = ref_beats(config, 0xACE1, steps)
    assert got == ref
    probs = {beat[1] for step in ref for beat in step}
    assert min(probs) == 0 or min(probs) < (1 << config.prob_bits) // 8
    assert max(probs) >= (1 << config.prob_bits) * 7 // 8


def test_neuron_stage_seed_zero_loads_one_and_start_reloads():
    config = CONFIGS[0]
    steps = random_potentials(config, random.Random(3), 3)
    first, _, _ = rtl_beats(config, 0, steps, [0] * 3, ignored_loads=False)
    assert first == ref_beats(config, 1, steps)
    # The same seed twice: every inference's draws start from the seed again.
    again, _, _ = rtl_beats(config, 0, steps[:1], [0], ignored_loads=False)
    assert again == first[:1]
    draws = [beat[2] for beat in first[0]]
    state, expected = 1, []
    for _ in range(config.n_outputs):
        value, state = lfsr_draw(state, config.lfsr_width, config.prob_bits)
        expected.append(value)
    assert draws == expected


# -- arbiter

def random_arbiter_steps(config, rng, count):
    for _ in range(count):
        spike = [int(rng.random() < rng.choice([0.0, 0.1, 0.4])) for _ in range(config.n_outputs)]
        potential = [rng.randint(-3, 3) for _ in range(config.n_outputs)]       # a small range: many ties
        if rng.random() < 0.3:
            potential = [rng.choice([-(1 << (config.acc_width - 1)), (1 << (config.acc_width - 1)) - 1])
                         for _ in range(config.n_outputs)]
        yield spike, potential, rng.random() < 0.4


def rtl_arbiter(config, steps, *, tie_policy, timeout_policy, rng):
    """Each step: clear in cycle h, its groups in neuron order from h + 1 + a random delay, with random
    gaps; padding lanes carry the largest potential (no spike). Returns (done cycles, decisions) and
    the expected done cycles (the cycle after each step's last group)."""
    dut = FirstToSpikeArbiter(config=config)
    lanes, groups = config.lanes, config.neuron_groups
    schedule, cycle = [], 0
    for step in steps:
        beats = []
        cycle_of_beat = cycle + 1 + rng.choice([0, 1])
        for g in range(groups):
            beats.append(cycle_of_beat)
            cycle_of_beat += 1 + rng.choice([0, 0, 0, 2])
        schedule.append((cycle, beats))
        cycle = beats[-1] + 2 + rng.choice([0, 0, 3])
    end = cycle + 2
    done, decisions = [], []

    async def testbench(ctx):
        ctx.set(dut.tie_max_potential, tie_policy == "max_potential")
        ctx.set(dut.timeout_argmax, timeout_policy == "argmax_potential")
        beat = dut.neurons.payload
        for cycle in range(end):
            current = max((n for n, (h, _) in enumerate(schedule) if h <= cycle), default=None)
            h, beats = schedule[current]
            spike, potential, last = steps[current]
            ctx.set(dut.clear, cycle == h)
            ctx.set(dut.last_step, last)
            group = beats.index(cycle) if cycle in beats else None
            ctx.set(dut.neurons.valid, group is not None)
            g = group if group is not None else rng.randrange(groups)    # garbage when not valid
            ctx.set(beat.group, g)
            ctx.set(beat.last, g == groups - 1)
            for lane in range(lanes):
                i = g * lanes + lane
                real = i < config.n_outputs
                ctx.set(beat.lanes[lane].spike, spike[i] if real else 0)
                ctx.set(beat.lanes[lane].potential, potential[i] if real else (1 << (config.acc_width - 1)) - 1)
            if ctx.get(dut.done):
                done.append(cycle)
                decided = bool(ctx.get(dut.decided))
                decisions.append((decided, ctx.get(dut.decision) if decided else None, bool(ctx.get(dut.timed_out))))
            await ctx.tick()

    simulate(dut, testbench)
    return done, decisions, [beats[-1] + 1 for _, beats in schedule]


@pytest.mark.parametrize("tie_policy, timeout_policy", POLICIES)
@pytest.mark.parametrize("config", CONFIGS, ids=config_id)
def test_arbiter_matches_model(config, tie_policy, timeout_policy):
    rng = random.Random(config.n_outputs + config.lanes)
    steps = list(random_arbiter_steps(config, rng, 50))
    done, decisions, expected_done = rtl_arbiter(config, steps, tie_policy=tie_policy,
                                                 timeout_policy=timeout_policy, rng=rng)
    assert done == expected_done
    ref = [arbitrate(spike, potential, last_step=last, tie_policy=tie_policy, timeout_policy=timeout_policy,
                     abstain=abstain_code(config)) for spike, potential, last in steps]
    assert decisions == ref
    assert {d[2] for d in ref} == {False, True} and not all(d[0] for d in ref)


@pytest.mark.parametrize("tie_policy, timeout_policy", POLICIES)
def test_arbiter_model_agrees_with_golden_decide(tie_policy, timeout_policy):
    rng = np.random.default_rng(9)
    spike = rng.random((50, 4, 5)) < 0.08
    potential = rng.integers(-3, 3, (50, 4, 5))
    decision, step, timed_out = decide(spike, potential, deadline=4, tie_policy=tie_policy,
                                       timeout_policy=timeout_policy, abstain=5)
    for n in range(50):
        for t in range(4):
            decided, d, out = arbitrate(spike[n, t].tolist(), potential[n, t].tolist(), last_step=t == 3,
                                        tie_policy=tie_policy, timeout_policy=timeout_policy, abstain=5)
            if decided:
                break
        assert (t + 1, out, d) == (step[n], timed_out[n], decision[n])
    assert timed_out.any() and not timed_out.all()


# -- the neuron stage feeding the arbiter, as in the datapath

class Chain(Elaboratable):
    def __init__(self, config):
        self.neurons = NeuronStage(config=config)
        self.arbiter = FirstToSpikeArbiter(config=config)

    def elaborate(self, platform):
        m = Module()
        m.submodules.neurons, m.submodules.arbiter = self.neurons, self.arbiter
        wiring.connect(m, self.neurons.neurons, self.arbiter.neurons)
        return m


@pytest.mark.parametrize("tie_policy, timeout_policy", POLICIES)
@pytest.mark.parametrize("config", [CONFIGS[0], CONFIGS[3]], ids=config_id)
def test_neuron_stage_and_arbiter_decide_as_golden(config, tie_policy, timeout_policy):
    """Inferences of up to T steps, one after the other (start reloads the spike LFSR), a hand-off every
    G + 2 cycles (load and clear), last_step on step T: the first ``done`` with ``decided`` gives golden
    ``decide``'s class, step and time-out."""
    rng = random.Random(7)
    period, t_max = config.neuron_groups + 2, 5
    inferences, ref = [], []
    for _ in range(12):
        # Never spikes (times out), about one spike in four steps, or spikes at once.
        rare = round(-math.log(4 * config.n_outputs - 1) * (1 << config.weight_frac_bits))
        bias = rng.choice([-(config.lut_size // 2 << config.lut_shift), rare, rare, 0])
        steps = [[rng.randint(bias - 4, bias + 4) for _ in range(config.n_outputs)] for _ in range(t_max)]
        seed = rng.getrandbits(config.lfsr_width)
        beats = ref_beats(config, seed, steps)
        spike = np.array([[[b[3] for b in step] for step in beats]], dtype=bool)
        decision, step, timed_out = decide(spike, np.array([steps]), deadline=t_max, tie_policy=tie_policy,
                                           timeout_policy=timeout_policy, abstain=abstain_code(config))
        ref.append((int(decision[0]), int(step[0]), bool(timed_out[0])))
        inferences.append((seed, steps))
    dut = Chain(config)
    results = []

    async def testbench(ctx):
        n, arb = dut.neurons, dut.arbiter
        ctx.set(arb.tie_max_potential, tie_policy == "max_potential")
        ctx.set(arb.timeout_argmax, timeout_policy == "argmax_potential")
        for seed, steps in inferences:
            ctx.set(n.seed, seed)
            ctx.set(n.start, 1)
            await ctx.tick()
            ctx.set(n.start, 0)
            evaluated = 0
            for cycle in range(period * (t_max + 1)):
                # As the control unit: last_step compares the hand-offs made before this cycle with
                # T; the next hand-off may come in the cycle of the previous step's done.
                ctx.set(arb.last_step, evaluated == t_max)
                if ctx.get(arb.done):
                    assert cycle % period == 0                 # G + 2 cycles after its hand-off
                    if ctx.get(arb.decided):
                        results.append((ctx.get(arb.decision), evaluated, bool(ctx.get(arb.timed_out))))
                        break
                handoff = cycle % period == 0 and evaluated < t_max
                ctx.set(n.load, handoff)
                ctx.set(arb.clear, handoff)
                if handoff:
                    for i, u in enumerate(steps[evaluated]):
                        ctx.set(n.potentials[i], u)
                    evaluated += 1
                await ctx.tick()
            ctx.set(n.load, 0)
            ctx.set(arb.clear, 0)
            await ctx.tick()

    simulate(dut, testbench)
    assert results == ref
    assert {r[2] for r in ref} == {False, True} and len({r[1] for r in ref}) > 2
