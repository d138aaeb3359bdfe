"""hw.datapath.Datapath with hw.control.ControlUnit against model.golden.run_golden, in Amaranth's simulator.

The blocks are tested one by one in the other test_hw_* files; this checks their wiring and their
hand-offs. Inferences run back to back: an image is inferred twice with different seeds, the second
START in the cycle after the first one's decision (the earliest the register file performs it; the
pixels stay), then the next image is written and inferred twice likewise. Every step's trace
(potentials, probabilities, draws, spikes, events per tile) and every result must be the golden
model's, and the decision cycles, CYCLES and EVENTS the contract's. The whole accelerator behind its bus
is the cocotb testbenches' (verif/).
"""

import numpy as np
import pytest
from amaranth import Elaboratable, Module
from amaranth.lib import wiring
from amaranth_sim import simulate

from hw.control import ControlUnit
from hw.datapath import Datapath
from model.golden import run_golden
from spinaps.config import Config
from spinaps.contract import decision_cycles, image_seeds, macro_contents, pixel_words, tile_map
from verif.stimulus import random_network


class Core(Elaboratable):
    def __init__(self, config, mapping, macro_init):
        self.control = ControlUnit(config=config)
        self.datapath = Datapath(config=config, mapping=mapping, macro_init=macro_init, trace=True)

    def elaborate(self, platform):
        m = Module()
        m.submodules.control, m.submodules.datapath = self.control, self.datapath
        wiring.connect(m, self.control.datapath, self.datapath.control)
        return m


CONFIGS = [
    # W = 12 encoder words outlast the decision: the next inference's load comes while the tiles' encoders
    # are still encoding the step started speculatively.
    Config(dataset="random", n_inputs=48, n_outputs=4, tiles=2, tau=2, n_basis=2, pixel_bits=16, neuron_lanes=2,
           read_latency=2, t_max=6, tile_map="interleaved", weight_bits=5, weight_frac_bits=2, bias_bits=9),
    # 3 tiles of unequal size, one lane per neuron, the max-potential and abstain policies
    Config(dataset="random", n_inputs=14, n_outputs=3, tiles=3, tau=3, n_basis=3, pixel_bits=8, neuron_lanes=1,
           read_latency=1, t_max=5, tile_map="blocked", tie_policy="max_potential", timeout_policy="abstain"),
    # 2 tiles of 22 inputs, 11 words read 2 a cycle: W = 6 cycles (the last row half full) set the pace
    Config(dataset="random", n_inputs=44, n_outputs=5, tiles=2, tau=3, n_basis=3, pixel_bits=16, neuron_lanes=5,
           t_max=6, tile_map="interleaved", encoder_words=2),
]


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: f"tiles{c.tiles}-W{c.encoder_cycles}")
def test_datapath_and_control_match_golden_back_to_back(config):
    mapping = tile_map(config)
    alpha, bias = random_network(config, 3)
    images = 4
    rng = np.random.default_rng(5)
    distinct = rng.integers(0, 1 << config.pixel_bits, (images // 2, config.n_inputs))
    pixels = np.repeat(distinct, 2, axis=0)                  # each image twice
    seeds_e = image_seeds(1, images, width=config.lfsr_width)
    seeds_s = image_seeds(2, images, width=config.lfsr_width)
    golden = run_golden(config, alpha, bias, pixels, seed_encoder=seeds_e, seed_spike=seeds_s, mapping=mapping)
    dut = Core(config, mapping, macro_contents(config, mapping, alpha))
    control, dp = dut.control, dut.datapath
    runs = []

    async def load_pixels(ctx, n):
        for k, words in enumerate(pixel_words(config, mapping, pixels[n])):
            for addr, word in enumerate(words):
                ctx.set(dp.pixels.en, 1)
                ctx.set(dp.pixels.tile, k)
                ctx.set(dp.pixels.addr, addr)
                ctx.set(dp.pixels.data, word)
                await ctx.tick()
        ctx.set(dp.pixels.en, 0)
        await ctx.tick()

    async def testbench(ctx):
        s = dp.settings
        ctx.set(s.tie_max_potential, config.tie_policy == "max_potential")
        ctx.set(s.timeout_argmax, config.timeout_policy == "argmax_potential")
        for i, b in enumerate(bias):
            ctx.set(s.bias[i], int(b))
        ctx.set(control.commands.t_max, config.t_max)
        for n in range(images):
            if n % 2 == 0:
                await load_pixels(ctx, n)
            ctx.set(s.seed_encoder, int(seeds_e[n]))
            ctx.set(s.seed_spike, int(seeds_s[n]))
            ctx.set(control.commands.start, 1)                       # cycle 0
            trace, cycle = {}, 0
            while True:
                await ctx.tick()
                ctx.set(control.commands.start, 0)
                cycle += 1
                t = dp.trace
                if ctx.get(t.valid):
                    trace[ctx.get(t.step)] = {
                        "potential": [ctx.get(t.potential[i]) for i in range(config.n_outputs)],
                        "prob": [ctx.get(t.prob[i]) for i in range(config.n_outputs)],
                        "draw": [ctx.get(t.draw[i]) for i in range(config.n_outputs)],
                        "spike": [ctx.get(t.spike) >> i & 1 for i in range(config.n_outputs)],
                        "events": [ctx.get(t.events[k]) for k in range(config.tiles)], "cycle": cycle}
                if ctx.get(control.commands.done):                   # the cycle after the decision
                    break
                assert cycle < 2000, "no decision"
            commands = control.commands
            runs.append({"trace": trace, "class": ctx.get(commands.result_class), "step": ctx.get(commands.result_step),
                         "timed_out": bool(ctx.get(commands.timed_out)), "cycles": ctx.get(commands.cycles),
                         "events": ctx.get(control.commands.events), "done_cycle": cycle})

    simulate(dut, testbench)
    busiest = golden.events.max(axis=2)
    for n, run in enumerate(runs):
        T = int(golden.decision_step[n])
        assert sorted(run["trace"]) == list(range(1, T + 1)), n
        for t in range(1, T + 1):
            want = {"potential": golden.potential[n, t - 1].tolist(), "prob": golden.prob[n, t - 1].tolist(),
                    "draw": golden.draw[n, t - 1].tolist(), "spike": golden.spike[n, t - 1].astype(int).tolist(),
                    "events": golden.events[n, t - 1].tolist()}
            got = {key: run["trace"][t][key] for key in want}
            assert got == want, f"image {n} step {t}"
        decisions = decision_cycles(config, busiest[n, :T].tolist())
        assert [run["trace"][t]["cycle"] for t in range(1, T + 1)] == decisions, n
        assert (run["class"], run["step"], run["timed_out"]) == (int(golden.decision[n]), T, bool(golden.timed_out[n]))
        assert run["cycles"] == decisions[-1] + 1 and run["done_cycle"] == decisions[-1] + 1
        assert run["events"] == int(golden.events[n, :T].sum())
    assert golden.decision_step.max() >= 3 and golden.events[:, 1:].sum() > 0
