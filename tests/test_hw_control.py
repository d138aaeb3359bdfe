"""hw.control.ControlUnit against the cycle contract (docs/spec.md section 9; spinaps.contract), with the
datapath's side modelled in the testbench, in Amaranth's simulator.

The expected cycles are computed here from the contract's text, not from its functions:

- START is performed in cycle 0, cycle 1 loads, step 1 starts in cycle 2;
- step t + 1 starts max(E_t, W, G + 2) cycles after step t (E_t: the busiest tile's events of step t,
  W: encoder words per tile, G: neuron groups), steps starting up to step T_MAX + 1;
- the hand-off of step t comes read_latency + 1 cycles after step t + 1 starts, its decision G + 2
  cycles after the hand-off; CYCLES = the decision cycle + 1; EVENTS = the events of the steps run.

The testbench plays the datapath: the tiles are idle max(E_t, W) cycles after step t starts (the
tile's contract, tests/test_hw_tile.py), the arbiter is done G + 2 cycles after each hand-off and has
decided when the script's step spikes or ``last_step`` is high; ``step_events`` and ``decided`` hold
garbage outside ``step_done``.
"""

import random
from dataclasses import dataclass

import pytest
from amaranth_sim import simulate

from hw.control import ControlUnit
from spinaps.config import Config
from spinaps.contract import decision_cycles, step_starts


def ceil_div(a, b):
    return -(-a // b)


def words(config):
    """W: a tile holds ceil(N_X / tiles) inputs, 32 // pixel_bits to a pixel word."""
    return ceil_div(ceil_div(config.n_inputs, config.tiles), 32 // config.pixel_bits)


def groups(config):
    """G: N_Y neurons, min(neuron_lanes, N_Y) a cycle."""
    return ceil_div(config.n_outputs, min(config.neuron_lanes, config.n_outputs))


@dataclass
class Inference:
    t_max: int
    busiest: list          # E_t of steps 1 .. t_max + 1
    events: list           # all tiles' events of steps 1 .. t_max + 1
    spike_step: int | None  # the first step with a spike (None: never)
    decision: int          # the class the arbiter reports

    def decided_step(self):
        return self.spike_step if self.spike_step is not None and self.spike_step <= self.t_max else self.t_max


def ref_timeline(config, inference):
    """The spec's cycles of one inference (cycle 0: START)."""
    floor = max(words(config), groups(config) + 2)
    starts = [None, 2]                                  # starts[t]: step t
    for t in range(1, inference.t_max + 1):
        starts.append(starts[t] + max(inference.busiest[t - 1], floor))
    T = inference.decided_step()
    handoffs = [starts[t + 1] + config.read_latency + 1 for t in range(1, T + 1)]
    decision = handoffs[-1] + groups(config) + 2
    return {"starts": [s for s in starts[1:] if s < decision], "all_starts": starts[1:T + 2],
            "handoffs": handoffs, "decision": decision,
            "cycles": decision + 1, "events": sum(inference.events[:T]), "step": T,
            "timed_out": inference.spike_step is None or inference.spike_step > inference.t_max,
            "class": inference.decision}


def rtl_timelines(config, inferences, *, gap=3):
    """Runs the inferences one after the other (START ``gap`` cycles after the previous DONE, then
    CLEAR_DONE); returns each one's observed timeline."""
    dut = ControlUnit(config=config)
    dp = dut.datapath
    W, G = words(config), groups(config)
    rng = random.Random(1)
    out = []

    async def testbench(ctx):
        for inference in inferences:
            ctx.set(dut.commands.t_max, inference.t_max)
            seen = {"starts": [], "handoffs": [], "flush": [], "last_step": [], "busy": [], "done": [],
                    "load": []}
            idle_from, done_at, step_events, started, handed = 0, {}, None, 0, 0
            decision_cycle = None
            cycle = 0
            while decision_cycle is None or cycle <= decision_cycle + gap:
                ctx.set(dut.commands.start, cycle == 0)
                ctx.set(dut.commands.clear_done, 0)
                ctx.set(dp.tiles_idle, cycle >= idle_from)
                step = done_at.get(cycle)
                ctx.set(dp.step_done, step is not None)
                if step is not None:
                    last = ctx.get(dp.last_step)
                    seen["last_step"].append(last)
                    spiked = inference.spike_step == step
                    ctx.set(dp.decided, spiked or last)
                    ctx.set(dp.timed_out, not spiked and last)
                    ctx.set(dp.decision, inference.decision if spiked or last else rng.randrange(config.n_outputs))
                    ctx.set(dp.step_events, inference.events[step - 1])
                else:                                   # garbage: only meaningful with step_done
                    ctx.set(dp.decided, rng.getrandbits(1))
                    ctx.set(dp.timed_out, rng.getrandbits(1))
                    ctx.set(dp.step_events, rng.randrange(config.n_inputs * config.tau + 1))
                if ctx.get(dp.start):
                    seen["load"].append(cycle)
                if ctx.get(dp.step_start):
                    seen["starts"].append(cycle)
                    started += 1
                    busiest = inference.busiest[started - 1] if started <= len(inference.busiest) else 0
                    idle_from = cycle + max(busiest, W)
                if ctx.get(dp.handoff):
                    seen["handoffs"].append(cycle)
                    handed += 1
                    done_at[cycle + G + 2] = handed
                if ctx.get(dp.flush):
                    seen["flush"].append(cycle)
                    decision_cycle = cycle
                seen["busy"].append(ctx.get(dut.commands.busy))
                seen["done"].append(ctx.get(dut.commands.done))
                await ctx.tick()
                cycle += 1
                assert cycle < 5000, "no decision"
            commands = dut.commands
            seen.update(cycles=ctx.get(commands.cycles), events=ctx.get(commands.events),
                        step=ctx.get(commands.result_step),
                        timed_out=bool(ctx.get(dut.commands.timed_out)), decision=decision_cycle,
                        **{"class": ctx.get(dut.commands.result_class)})
            ctx.set(dut.commands.clear_done, 1)
            await ctx.tick()
            ctx.set(dut.commands.clear_done, 0)
            seen["cleared"] = ctx.get(dut.commands.done)
            out.append(seen)

    simulate(dut, testbench)
    return out


def random_inference(config, rng, t_max):
    floor = max(words(config), groups(config) + 2)
    busiest = [rng.choice([0, 1, floor - 1, floor, floor + 1, rng.randrange(3 * floor + 2)]) for _ in range(t_max + 1)]
    events = [e + rng.randrange(3 * e + 1) for e in busiest]          # the tiles together: at least the busiest
    spike_step = rng.choice([None, 1, rng.randint(1, t_max), t_max, t_max + 1])
    return Inference(t_max=t_max, busiest=busiest, events=events, spike_step=spike_step,
                     decision=rng.randrange(config.n_outputs + 1))


CONFIGS = [
    # W = 8 words dominates G + 2 = 4
    Config(dataset="random", n_inputs=64, tiles=2, pixel_bits=8, n_outputs=10, neuron_lanes=5, read_latency=1),
    # G + 2 = 12 dominates W = 1, a slow macro
    Config(dataset="random", n_inputs=8, tiles=8, n_outputs=10, neuron_lanes=1, read_latency=3),
    # W = 2, G + 2 = 4, 1-bit pixels, 3 lanes for 7 outputs
    Config(dataset="random", n_inputs=70, tiles=1, pixel_bits=1, n_outputs=7, neuron_lanes=3, read_latency=2,
           tau=2, n_basis=2),
]


def config_id(c):
    return f"W{words(c)}-G{groups(c)}-R{c.read_latency}"


@pytest.mark.parametrize("config", CONFIGS, ids=config_id)
def test_control_unit_meets_the_cycle_contract(config):
    rng = random.Random(words(config) * 100 + groups(config))
    inferences = [random_inference(config, rng, t_max) for t_max in (1, 2, 5, 5, 8, 3, 6, 1)]
    inferences.append(Inference(t_max=4, busiest=[0] * 5, events=[0] * 5, spike_step=None, decision=3))
    observed = rtl_timelines(config, inferences)
    for n, (inference, seen) in enumerate(zip(inferences, observed)):
        ref = ref_timeline(config, inference)
        d = ref["decision"]
        assert seen["load"] == [1], n
        assert [s for s in seen["starts"] if s < d] == ref["starts"], n
        assert len(seen["starts"]) <= inference.t_max + 1 and not [s for s in seen["starts"] if s > d], n
        assert seen["handoffs"] == ref["handoffs"], n
        assert seen["flush"] == [d] and seen["decision"] == d, n
        # last_step is high at the done of step T_MAX only
        assert seen["last_step"] == [t == inference.t_max for t in range(1, ref["step"] + 1)], n
        assert seen["busy"][:d + 2] == [0] + [1] * d + [0], n
        assert seen["done"][:d + 2] == [0] * (d + 1) + [1] and seen["cleared"] == 0, n
        got = {key: seen[key] for key in ("cycles", "events", "step", "timed_out", "class")}
        assert got == {key: ref[key] for key in got}, n
    # The scripts exercise both bounds and both endings.
    assert {ref_timeline(config, i)["timed_out"] for i in inferences} == {False, True}


@pytest.mark.parametrize("config", CONFIGS, ids=config_id)
def test_contract_functions_agree_with_the_spec_text(config):
    """spinaps.contract.step_starts / decision_cycles (the generator's manifest and the model's cycle counts)
    give the cycles this file derives from the spec."""
    rng = random.Random(3)
    for _ in range(20):
        inference = random_inference(config, rng, rng.randint(1, 10))
        ref = ref_timeline(config, inference)
        T = ref["step"]
        assert step_starts(config, inference.busiest[:T]) == ref["all_starts"]
        assert decision_cycles(config, inference.busiest[:T])[T - 1] == ref["decision"]
