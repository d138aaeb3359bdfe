"""The bsnn_if hardware blocks against their golden twins, in Amaranth's simulator.

hw.imc_macro.ImcController (with its ImcMacro) against model.imc_macro, hw.if_neuron.IfNeuronArray
against model.if_neuron.if_step, hw.bsnn_encoder against model.bsnn.encode_bsnn, and the whole
hw.bsnn_top.BsnnAccelerator (AXI4-Lite, register file, datapath) against model.bsnn.run_bsnn per step
and per neuron, and against the register table's rules (spinaps.bsnn_regmap).
"""

import numpy as np
import pytest
from amaranth import Module, ResetInserter, Signal, Value
from amaranth_sim import simulate

from hw.axi_lite import RESP_OKAY as OKAY
from hw.axi_lite import RESP_SLVERR as SLVERR
from hw.bsnn_encoder import SubarrayRateEncoder
from hw.bsnn_top import BsnnAccelerator
from hw.if_neuron import IfNeuronArray
from hw.imc_macro import ImcController
from hw.params import ParameterError
from model.bsnn import encode_bsnn, network_init, random_network, run_bsnn
from model.if_neuron import NeuronParams, if_step
from model.imc_macro import ImcMacro as GoldenMacro
from spinaps.bsnn_contract import bsnn_params, pixel_words, prog_row, row_word
from spinaps.bsnn_regmap import CTRL_BITS, PROG_READ_BACK, STATUS_BITS, register_map
from spinaps.config import Config
from verif.bsnn_bench import TRACED, unpack

CTRL_START = 1 << CTRL_BITS["START"]


class Bus:
    """A minimal AXI4-Lite master on the top level's ``s_axil`` (one transaction at a time)."""

    def __init__(self, dut, ctx):
        self.bus, self.ctx = dut.s_axil, ctx

    async def _handshake(self, pairs):
        ctx, pending = self.ctx, list(pairs)
        while pending:
            done = [(valid, ready) for valid, ready in pending if ctx.get(valid) and ctx.get(ready)]
            await ctx.tick()
            for valid, ready in done:
                ctx.set(valid, 0)
                pending.remove((valid, ready))

    async def write(self, addr, value):
        ctx, bus = self.ctx, self.bus
        ctx.set(bus.awaddr, addr)
        ctx.set(bus.wdata, value & 0xFFFFFFFF)
        ctx.set(bus.wstrb, 0xF)
        ctx.set(bus.awvalid, 1)
        ctx.set(bus.wvalid, 1)
        await self._handshake([(bus.awvalid, bus.awready), (bus.wvalid, bus.wready)])
        while not ctx.get(bus.bvalid):
            await ctx.tick()
        resp = ctx.get(bus.bresp)
        ctx.set(bus.bready, 1)
        await ctx.tick()
        ctx.set(bus.bready, 0)
        return resp

    async def read(self, addr):
        ctx, bus = self.ctx, self.bus
        ctx.set(bus.araddr, addr)
        ctx.set(bus.arvalid, 1)
        await self._handshake([(bus.arvalid, bus.arready)])
        while not ctx.get(bus.rvalid):
            await ctx.tick()
        value, resp = ctx.get(bus.rdata), ctx.get(bus.rresp)
        ctx.set(bus.rready, 1)
        await ctx.tick()
        ctx.set(bus.rready, 0)
        return value, resp


def small(**changes):
    """A bsnn_if configuration small enough for the Amaranth simulator."""
    base = dict(architecture="bsnn_if", dataset="random", tiles=1, n_inputs=20, n_outputs=3, hidden=6, subarray_rows=8,
                time_steps=3, pixel_bits=4, lfsr_width=16, membrane_frac_bits=2, threshold_bits=8,
                neuron_bias_bits=8, adc_columns_per_adc=2, write_latency=2)
    base.update(changes)
    return Config(**base)


@pytest.mark.parametrize("readout", ["exact", "sense_amp_1bit"])
def test_macro_matches_golden(readout):
    config = small(readout=readout)
    layer = bsnn_params(config).hidden
    rng = np.random.default_rng(1)
    bits = rng.integers(0, 2, (layer.inputs, layer.columns))
    golden = GoldenMacro(layer)
    rst = Signal()
    dut = ImcController(layer=layer, write_latency=3, trace=True)
    top = Module()
    top.submodules.dut = ResetInserter(rst)(dut)
    vectors = rng.integers(0, 2, (4, layer.inputs)).astype(bool)
    references = [0, 2, -3, 1]

    async def bench(ctx):
        for j in range(layer.inputs):                                  # program every row
            golden.program_row(j, bits[j])
            ctx.set(dut.port.prog_row, j)
            ctx.set(dut.port.prog_data, row_word(bits[j]))
            ctx.set(dut.port.prog_en, 1)
            await ctx.tick()
            ctx.set(dut.port.prog_en, 0)
            busy = 0
            while not ctx.get(dut.port.done):
                assert ctx.get(dut.port.busy)
                busy += 1
                await ctx.tick()
            assert busy == 2                                           # cycles 1 .. 3, done in 3
            await ctx.tick()
        ctx.set(rst, 1)                                                # non-volatile: survives reset
        await ctx.tick()
        ctx.set(rst, 0)
        for j in (0, layer.inputs - 1):
            ctx.set(dut.port.prog_row, j)
            ctx.set(dut.port.rb_en, 1)
            await ctx.tick()
            ctx.set(dut.port.rb_en, 0)
            assert ctx.get(dut.port.rb_valid) and ctx.get(dut.port.busy)
            assert ctx.get(dut.port.rb_data) == row_word(golden.read_row(j))
            await ctx.tick()
        for x, reference in zip(vectors, references):
            sums, readout_want = golden.sense(x[None], reference=reference)
            ctx.set(dut.port.x, int("".join("1" if v else "0" for v in reversed(x)), 2))
            if readout == "sense_amp_1bit":
                ctx.set(dut.port.reference, reference)
            ctx.set(dut.port.sense, 1)
            await ctx.tick()
            ctx.set(dut.port.sense, 0)
            ctx.set(dut.port.x, 0)                                          # sampled in the sense cycle only
            for cycle in range(1, layer.sense_cycles + 1):
                assert ctx.get(dut.port.valid) == (cycle == layer.sense_cycles)
                if cycle < layer.sense_cycles:
                    await ctx.tick()
            got_sums = [ctx.get(dut.port.trace_sums[i]) for i in range(layer.subarrays * layer.columns)]
            got_readout = [ctx.get(dut.port.readout[i]) for i in range(layer.subarrays * layer.columns)]
            assert got_sums == sums[0].ravel().tolist()
            assert got_readout == readout_want[0].ravel().tolist()
            await ctx.tick()

    simulate(top, bench)


def test_macro_latency_and_widths():
    """Hand-derived from the spec: R = 8 rows -> sums in -8..8 (5 bits); 6 columns, 2 a SAR ADC -> 3 ADCs
    of 2 conversions of 5 bits: 1 + 10 cycles; 20 inputs -> 3 subarrays, the last with 4 rows."""
    layer = bsnn_params(small(readout="exact")).hidden
    assert (layer.subarrays, layer.last_rows, layer.sum_width, layer.sense_cycles) == (3, 4, 5, 11)
    assert (layer.current_min, layer.current_max) == (-20, 20)
    one_bit = bsnn_params(small(readout="sense_amp_1bit"))
    assert one_bit.hidden.sense_cycles == 1 and (one_bit.hidden.current_min, one_bit.hidden.current_max) == (0, 3)
    assert one_bit.output.subarrays == 1 and one_bit.output.rows == 6       # 6 hidden inputs < R
    # 16-bit LFSR, 4-bit pixels: 4 draws a cycle, 8 rows -> 2 encode cycles;
    # step = 2 + (1 + 2) + (1 + 2) + 1; inference = 2 + 3 outputs + steps.
    assert (one_bit.draws_per_cycle, one_bit.encode_cycles, one_bit.step_cycles) == (4, 2, 9)
    assert one_bit.inference_cycles(3) == 5 + 27


def test_macro_refuses_bad_parameters():
    layer = bsnn_params(small()).hidden
    with pytest.raises(ParameterError, match=r"^write_latency = 0 is out of range \(allowed: 1..64\)$"):
        ImcController(layer=layer, write_latency=0)
    with pytest.raises(ParameterError, match=r"^init_bits has 2 rows \(allowed: 20\)$"):
        ImcController(layer=layer, write_latency=1, init_bits=[0, 0])


@pytest.mark.parametrize("reset_mode", ["subtract", "zero"])
def test_if_neurons_match_golden(reset_mode):
    config = small(reset_mode=reset_mode, readout="exact")
    p = bsnn_params(config)
    layer = p.hidden
    rng = np.random.default_rng(2)
    neurons = NeuronParams(rng.integers(1, 40, layer.columns), rng.integers(-20, 20, layer.columns),
                           rng.integers(0, 2, layer.columns) == 1)
    currents = rng.integers(layer.current_min, layer.current_max + 1, (6, layer.columns))
    dut = IfNeuronArray(layer=layer, frac_bits=2, threshold_bits=8, bias_bits=8, reset_mode=reset_mode)

    async def bench(ctx):
        for c in range(layer.columns):
            ctx.set(dut.threshold[c], int(neurons.threshold[c]))
            ctx.set(dut.bias[c], int(neurons.bias[c]))
        ctx.set(dut.negate, sum(int(v) << c for c, v in enumerate(neurons.negate)))
        ctx.set(dut.clear, 1)
        await ctx.tick()
        ctx.set(dut.clear, 0)
        potential = np.zeros(layer.columns, dtype=np.int64)
        for current in currents:
            potential, spike, _ = if_step(potential, current, neurons, frac_bits=2, reset_mode=reset_mode)
            for c in range(layer.columns):
                ctx.set(dut.current[c], int(current[c]))
            ctx.set(dut.update, 1)
            assert [ctx.get(dut.fire) >> c & 1 for c in range(layer.columns)] == spike.astype(int).tolist()
            await ctx.tick()
            ctx.set(dut.update, 0)
            assert [ctx.get(dut.potential[c]) for c in range(layer.columns)] == potential.tolist()
            assert [ctx.get(dut.spike) >> c & 1 for c in range(layer.columns)] == spike.astype(int).tolist()

    simulate(dut, bench)


def test_if_neuron_by_hand():
    """One neuron, F = 2, threshold 6 (1.5), bias -1, currents 1, 1, -1, 3 (subtract reset):
    v' = 3 -> 3; 3 + 3 = 6 >= 6 spikes -> 0; 0 - 4 - 1 = -5; -5 + 12 - 1 = 6 spikes -> 0."""
    neurons = NeuronParams([6], [-1], [False])
    potential, spikes = np.zeros(1, dtype=np.int64), []
    for current in (1, 1, -1, 3):
        potential, spike, _ = if_step(potential, [current], neurons, frac_bits=2, reset_mode="subtract")
        spikes.append(bool(spike[0]))
    assert spikes == [False, True, False, True] and potential.tolist() == [0]
    potential, spike, _ = if_step(np.array([0]), [2], NeuronParams([6], [0], [True]), frac_bits=2,
                                  reset_mode="zero")
    assert potential.tolist() == [-8] and not spike[0]                 # negated: -2 * 4


def test_encoder_matches_golden():
    config = small()
    p = bsnn_params(config)
    rng = np.random.default_rng(3)
    pixels = rng.integers(0, 1 << config.pixel_bits, (1, config.n_inputs))
    want = encode_bsnn(pixels, 0x1234, config, steps=3)[0]
    dut = SubarrayRateEncoder(layer=p.hidden, pixel_bits=config.pixel_bits, lfsr_width=config.lfsr_width,
                              draws_per_cycle=p.draws_per_cycle)

    async def bench(ctx):
        for j in range(config.n_inputs):
            ctx.set(dut.pixels[j], int(pixels[0, j]))
        ctx.set(dut.seed, 0x1234)
        ctx.set(dut.load, 1)
        await ctx.tick()
        ctx.set(dut.load, 0)
        for t in range(3):
            for g in range(p.encode_cycles):
                ctx.set(dut.encode, 1)
                ctx.set(dut.group, g)
                await ctx.tick()
            ctx.set(dut.encode, 0)
            got = ctx.get(dut.x)
            assert [got >> j & 1 for j in range(config.n_inputs)] == want[t].astype(int).tolist(), f"step {t + 1}"

    simulate(dut, bench)


def test_encoder_draw_order_by_hand():
    """A 16-bit LFSR seeded 1 (taps 16, 15, 13, 4) shifts in 0 for 3 steps then 1: with 1-bit pixels of 1
    an input spikes iff its draw is 0. Steps 1..4 shift in 0, 0, 0, 1 (bit 0 is the only one set until
    the taps see it), so one subarray's first four rows spike, spike, spike, and not."""
    config = small(pixel_bits=1, n_inputs=4, hidden=2, subarray_rows=4)
    x = encode_bsnn(np.ones((1, 4), dtype=int), 1, config, steps=1)
    assert x[0, 0].astype(int).tolist() == [1, 1, 1, 0]


def inference_bench(config, network, pixels, seeds, *, results):
    """Run images on the top level through the bus, recording each step's trace."""
    reg = {r.name: r.offset for r in register_map(config)}
    p = bsnn_params(config)

    async def bench(ctx):
        bus = Bus(dut, ctx)
        for n, image in enumerate(pixels):
            for w, word in enumerate(pixel_words(config, image)):
                assert await bus.write(reg["PIXEL"] + 4 * w, word) == OKAY
            assert await bus.write(reg["SEED_ENCODER"], int(seeds[n])) == OKAY
            assert await bus.write(reg["IRQ_ENABLE"], 1) == OKAY
            assert await bus.write(reg["CTRL"], CTRL_START) == OKAY
            steps = []
            for _ in range(20000):
                if ctx.get(dut.trace.step):
                    steps.append({name: ctx.get(Value.cast(getattr(dut.trace, name))) for name in TRACED} | {
                        "t": ctx.get(dut.trace.t)})
                if ctx.get(dut.irq):
                    break
                await ctx.tick()
            record = {"steps": steps}
            for name in ("RESULT_CLASS", "RESULT_STEPS", "CYCLES"):
                record[name] = (await bus.read(reg[name]))[0]
            record["COUNT"] = [(await bus.read(reg["COUNT"] + 4 * i))[0] for i in range(config.n_outputs)]
            results.append(record)
            assert await bus.write(reg["CTRL"], 1 << 2) == OKAY

    dut = BsnnAccelerator(config=config, init=network_init(network), trace=True)
    return dut, bench


@pytest.mark.parametrize("changes", [dict(readout="exact"),
                                     dict(readout="sense_amp_1bit", reset_mode="zero",
                                          output_decode="first_to_spike")])
def test_top_matches_golden(changes):
    config = small(**changes)
    p = bsnn_params(config)
    network = random_network(config, 5)
    rng = np.random.default_rng(6)
    pixels = rng.integers(0, 1 << config.pixel_bits, (2, config.n_inputs))
    seeds = [0x2222, 0x0BAD]
    golden = run_bsnn(config, network, pixels, seed_encoder=seeds)
    results = []
    dut, bench = inference_bench(config, network, pixels, seeds, results=results)
    simulate(dut, bench)
    for n, record in enumerate(results):
        steps = int(golden.steps[n])
        assert [s["t"] for s in record["steps"]] == list(range(1, steps + 1))
        for t, got in enumerate(record["steps"]):
            assert unpack(got["x"], 1, config.n_inputs, signed=False) == golden.x[n, t].astype(int).tolist()
            for index, layer in enumerate(p.layers):
                cells = layer.subarrays * layer.columns
                name = layer.name
                assert unpack(got[f"{name}_sums"], layer.sum_width, cells, signed=True) == \
                    golden.sums[index][n, t].ravel().tolist(), (n, t, name)
                assert unpack(got[f"{name}_readout"], layer.readout_width, cells,
                              signed=layer.readout == "exact") == golden.readout[index][n, t].ravel().tolist()
                assert unpack(got[f"{name}_current"], layer.current_width, layer.columns, signed=True) == \
                    golden.current[index][n, t].tolist()
                assert unpack(got[f"{name}_potential"], layer.membrane_width, layer.columns, signed=True) == \
                    golden.potential[index][n, t].tolist(), (n, t, name)
                assert unpack(got[f"{name}_spike"], 1, layer.columns, signed=False) == \
                    golden.spike[index][n, t].astype(int).tolist()
        assert record["COUNT"] == golden.count[n].tolist()
        assert record["RESULT_CLASS"] == golden.decision[n]
        assert record["RESULT_STEPS"] == steps
        assert record["CYCLES"] == golden.cycles[n] == p.inference_cycles(steps)


def test_top_programming_and_bus_errors():
    config = small(readout="sense_amp_1bit")
    reg = {r.name: r.offset for r in register_map(config)}
    p = bsnn_params(config)
    dut = BsnnAccelerator(config=config, trace=False)

    async def bench(ctx):
        bus = Bus(dut, ctx)
        row = [1, 0, 1, 1, 0, 1]
        assert await bus.write(reg["ROW_DATA"], row_word(row)) == OKAY
        assert await bus.write(reg["PROG_ROW"], 7) == OKAY                         # hidden row 7
        while (await bus.read(reg["STATUS"]))[0] >> STATUS_BITS["PROG_BUSY"] & 1:
            pass
        assert await bus.write(reg["ROW_DATA"], 0) == OKAY
        assert await bus.write(reg["PROG_ROW"], 7 | PROG_READ_BACK) == OKAY
        while (await bus.read(reg["STATUS"]))[0] >> STATUS_BITS["PROG_BUSY"] & 1:
            pass
        assert (await bus.read(reg["ROW_DATA"]))[0] == row_word(row)
        # output row 2 (PROG_ROW 22): written, read back; out of range: row 26 = 20 + 6, bits 16..30
        output_row = [1, 1, 0]
        assert await bus.write(reg["ROW_DATA"], row_word(output_row)) == OKAY
        assert await bus.write(reg["PROG_ROW"], prog_row(p, 1, 2)) == OKAY
        while (await bus.read(reg["STATUS"]))[0] >> STATUS_BITS["PROG_BUSY"] & 1:
            pass
        assert await bus.write(reg["PROG_ROW"], 7 | PROG_READ_BACK) == OKAY
        while (await bus.read(reg["STATUS"]))[0] >> STATUS_BITS["PROG_BUSY"] & 1:
            pass
        assert await bus.write(reg["PROG_ROW"], 22 | PROG_READ_BACK) == OKAY
        while (await bus.read(reg["STATUS"]))[0] >> STATUS_BITS["PROG_BUSY"] & 1:
            pass
        assert (await bus.read(reg["ROW_DATA"]))[0] == row_word(output_row)
        for value in (26, 1 << 16, 1 << 30):
            assert await bus.write(reg["PROG_ROW"], value) == SLVERR
        assert await bus.write(reg["THRESHOLD_HIDDEN"], 0) == SLVERR
        assert await bus.write(reg["THRESHOLD_HIDDEN"], p.threshold_max + 1) == SLVERR
        assert await bus.write(reg["BIAS_OUTPUT"] + 8, p.bias_min - 1) == SLVERR
        assert await bus.write(reg["BIAS_OUTPUT"] + 8, p.bias_min) == OKAY
        assert (await bus.read(reg["BIAS_OUTPUT"] + 8))[0] == p.bias_min & 0xFFFFFFFF
        assert await bus.write(reg["NEGATE_HIDDEN"], 1 << 6) == SLVERR              # only 6 neurons
        assert await bus.write(reg["NEGATE_HIDDEN"], 0b101) == OKAY
        assert (await bus.read(reg["NEGATE_HIDDEN"]))[0] == 0b101
        assert await bus.write(reg["REF_HIDDEN"], 9) == SLVERR                      # R = 8
        assert await bus.write(reg["REF_HIDDEN"], -8) == OKAY
        assert (await bus.read(reg["REF_HIDDEN"]))[0] == -8 & 0xFFFFFFFF
        assert await bus.write(reg["T_STEPS"], config.time_steps + 1) == SLVERR
        last = p.pixel_words - 1                     # 20 pixels, 8 a word: 4 in the last, its other slots ignored
        assert await bus.write(reg["PIXEL"] + 4 * last, 0xFFFFFFFF) == OKAY
        assert (await bus.read(reg["PIXEL"]))[1] == SLVERR                          # write-only
        assert (await bus.read(0x0FFC))[1] == SLVERR
        assert await bus.write(reg["ID"], 0) == SLVERR
        assert (await bus.read(reg["ID"]))[0] == 0x42534E4E

    simulate(dut, bench)


def test_every_write_is_answered_as_the_register_table_says():
    """For every writable register of the table (its first and last word), values in and out of its
    fields: OKAY exactly when spinaps.regmap.Register.write_ok says so (the decoder the GLM map uses)."""
    config = small(readout="sense_amp_1bit", n_outputs=3, hidden=33)       # NEGATE_HIDDEN: two words
    registers = [r for r in register_map(config) if r.access != "RO" and r.name not in ("CTRL", "PROG_ROW")]
    rng = np.random.default_rng(4)
    cases = []
    for r in registers:
        for index in sorted({0, r.count - 1}):
            values = [0, 1, 0xFFFFFFFF, int(rng.integers(0, 1 << 32))]
            values += [(f.hi & ((1 << f.width) - 1)) << f.lsb for f in r.fields]
            values += [((f.lo - 1) & ((1 << f.width) - 1)) << f.lsb for f in r.fields if f.lo > 0 or f.signed]
            cases += [(r, index, v) for v in values]
    dut = BsnnAccelerator(config=config, trace=False)

    async def bench(ctx):
        bus = Bus(dut, ctx)
        for r, index, value in cases:
            want = OKAY if r.write_ok(value) else SLVERR
            assert await bus.write(r.offset + 4 * index, value) == want, (r.name, index, hex(value))

    simulate(dut, bench)
