"""The cocotb side of the testbench: bus master, trace monitor, and comparison with the golden model.

Runs inside the simulator. Everything it knows about the design comes from the
generator's ``manifest.json`` (path in the SPINAPS_MANIFEST environment variable).
"""

from __future__ import annotations

import itertools
import json
import os
import random
from dataclasses import dataclass, field
from pathlib import Path

import cocotb
import numpy as np
from cocotb.clock import Clock
from cocotb.triggers import ClockCycles, ReadOnly, RisingEdge
from cocotbext.axi import AxiLiteBus, AxiLiteMaster, AxiResp

from hw.regmap import CTRL_CLEAR_DONE, CTRL_START, PROG_READ_BACK, STATUS_BITS
from model.golden import GoldenResult
from model.tile import tile_and_row
from spinaps.config import Config

__all__ = ["Bench", "InferenceRecord", "compare_inference"]

CLOCK_NS = 10


@dataclass
class InferenceRecord:
    """What the RTL did in one inference, as seen on the trace port and the registers."""
    trace: dict = field(default_factory=dict)       # (step, neuron) -> values
    step_cycles: list = field(default_factory=list)
    result_class: int = -1
    result_step: int = 0
    timed_out: bool = False
    cycles: int = 0
    events: int = 0


class Bench:
    """Drives one generated accelerator: clock, reset, AXI4-Lite (cocotbext-axi), trace."""

    def __init__(self, dut, *, manifest_path: str | None = None):
        self.dut = dut
        path = Path(manifest_path or os.environ["SPINAPS_MANIFEST"])
        self.manifest = json.loads(path.read_text())
        self.config = Config.from_dict(self.manifest["config"])
        self.timing = self.manifest["timing"]
        self.regs = {r["name"]: r for r in self.manifest["registers"]}
        self.axil = AxiLiteMaster(AxiLiteBus.from_prefix(dut, "s_axil"), dut.clk, dut.rst)
        self.cycle = 0
        self._row_data = [None] * self.config.n_outputs   # what ROW_DATA holds: skip rewriting it

    async def start(self):
        Clock(self.dut.clk, CLOCK_NS, unit="ns").start()
        cocotb.start_soon(self._count_cycles())
        await self.reset()

    async def _count_cycles(self):
        while True:
            await RisingEdge(self.dut.clk)
            self.cycle += 1

    async def reset(self, cycles: int = 3):
        self._row_data = [0] * self.config.n_outputs
        self.dut.rst.value = 1
        await ClockCycles(self.dut.clk, cycles)
        self.dut.rst.value = 0
        await RisingEdge(self.dut.clk)

    def stall(self, seed: int, *, probability: float = 0.3):
        """Random ready/valid stalls on every AXI channel (valid on AW/W/AR, ready on B/R)."""
        rng = random.Random(seed)
        channels = (self.axil.write_if.aw_channel, self.axil.write_if.w_channel, self.axil.write_if.b_channel,
                    self.axil.read_if.ar_channel, self.axil.read_if.r_channel)
        for channel in channels:
            channel.set_pause_generator(rng.random() < probability for _ in itertools.count())

    # -- registers

    def address(self, name: str, index: int = 0) -> int:
        return self.regs[name]["offset"] + 4 * index

    async def write(self, name: str, value: int, index: int = 0, *, expect: AxiResp = AxiResp.OKAY) -> AxiResp:
        resp = (await self.axil.write(self.address(name, index), (value & 0xFFFFFFFF).to_bytes(4, "little"))).resp
        if expect is not None and resp != expect:
            raise AssertionError(f"write {name}[{index}] = {value}: {resp.name}, expected {expect.name}")
        return resp

    async def write_address(self, address: int, value: int) -> AxiResp:
        return (await self.axil.write(address, (value & 0xFFFFFFFF).to_bytes(4, "little"))).resp

    async def read(self, name: str, index: int = 0, *, signed: bool = False) -> int:
        result = await self.axil.read(self.address(name, index), 4)
        if result.resp != AxiResp.OKAY:
            raise AssertionError(f"read {name}[{index}]: {result.resp.name}")
        value = int.from_bytes(result.data, "little")
        return value - (1 << 32) if signed and value >> 31 else value

    async def read_address(self, address: int) -> tuple[int, AxiResp]:
        result = await self.axil.read(address, 4)
        return int.from_bytes(result.data, "little"), result.resp

    async def status(self, bit: str) -> bool:
        return bool(await self.read("STATUS") >> STATUS_BITS[bit] & 1)

    # -- weights

    async def _wait_programmed(self):
        while await self.status("PROG_BUSY"):
            pass

    async def program_row(self, tile: int, row: int, weights) -> bool:
        for i, w in enumerate(weights):
            if self._row_data[i] != int(w):
                await self.write("ROW_DATA", int(w), i)
                self._row_data[i] = int(w)
        await self.write("PROG_ROW", row | tile << 16)
        await self._wait_programmed()
        return await self.status("PROG_OK")

    async def read_row(self, tile: int, row: int) -> list[int]:
        await self.write("PROG_ROW", row | tile << 16 | PROG_READ_BACK)
        await self._wait_programmed()
        self._row_data = [await self.read("ROW_DATA", i, signed=True) for i in range(self.config.n_outputs)]
        return list(self._row_data)

    async def program_weights(self, alpha, bias) -> int:
        """Program every (input, lag) row and every bias over the bus; returns rows not verified."""
        failed = 0
        for j in range(self.config.n_inputs):
            for d in range(self.config.tau):
                tile, row = tile_and_row(self.config, j, d)
                failed += not await self.program_row(tile, row, alpha[j, d])
        await self.program_biases(bias)
        return failed

    async def program_biases(self, bias):
        for i, b in enumerate(bias):
            await self.write("BIAS", int(b), i)

    # -- inference

    def _sample_trace(self, record: InferenceRecord):
        dut, c = self.dut, self.config
        t, i = int(dut.trace_step.value), int(dut.trace_neuron.value)
        acc_bits, events_bits = int(dut.trace_tile_acc.value), int(dut.trace_events.value)
        w_acc = c.tile_acc_width
        w_events = len(dut.trace_events) // c.tiles
        tile_acc = []
        for k in range(c.tiles):
            v = acc_bits >> (k * w_acc) & ((1 << w_acc) - 1)
            tile_acc.append(v - (1 << w_acc) if v >> (w_acc - 1) else v)
        record.trace[(t, i)] = {
            "potential": dut.trace_potential.value.to_signed(), "prob": int(dut.trace_prob.value),
            "draw": int(dut.trace_draw.value), "spike": int(dut.trace_spike.value), "tile_acc": tile_acc,
            "events": [events_bits >> (k * w_events) & ((1 << w_events) - 1) for k in range(c.tiles)],
        }

    async def load_image(self, pixels, seed_encoder: int, seed_spike: int):
        for j, p in enumerate(pixels):
            await self.write("PIXEL", int(p), j)
        await self.write("SEED_ENCODER", int(seed_encoder))
        await self.write("SEED_SPIKE", int(seed_spike))

    async def _monitor(self, record: InferenceRecord, starts: list, limit: int):
        """Record the trace, cycle by cycle, until the interrupt."""
        dut = self.dut
        for cycle in range(limit):
            await ReadOnly()
            if dut.trace_step_start.value:
                starts.append(cycle)
            if dut.trace_valid.value:
                self._sample_trace(record)
            if dut.irq.value:
                starts.append(cycle)
                return
            await RisingEdge(dut.clk)
        raise AssertionError(f"no interrupt within {limit} cycles")

    async def infer(self, pixels, seed_encoder: int, seed_spike: int, *, limit: int = 200000) -> InferenceRecord:
        """Load an image, START, record the trace until the interrupt, read the results."""
        await self.load_image(pixels, seed_encoder, seed_spike)
        await self.write("CTRL", CTRL_CLEAR_DONE)        # a finished earlier inference leaves DONE set
        await self.write("IRQ_ENABLE", 1)
        record, starts = InferenceRecord(), []
        # The monitor runs before START is written: with a stalled B channel the write's
        # response can come back after the inference has begun.
        monitor = cocotb.start_soon(self._monitor(record, starts, limit))
        await self.write("CTRL", CTRL_START)
        await monitor
        await RisingEdge(self.dut.clk)
        record.step_cycles = np.diff(starts).tolist()
        record.result_class = await self.read("RESULT_CLASS")
        record.result_step = await self.read("RESULT_STEP")
        record.timed_out = await self.status("TIMED_OUT")
        record.cycles = await self.read("CYCLES")
        record.events = await self.read("EVENTS")
        await self.write("CTRL", CTRL_CLEAR_DONE)
        if self.dut.irq.value:
            raise AssertionError("irq still high after CLEAR_DONE")
        return record


def compare_inference(config: Config, timing: dict, golden: GoldenResult, n: int,
                      record: InferenceRecord) -> list[str]:
    """Every difference between the RTL and the golden model for image n, as messages that
    name the image, step, tile and neuron. An empty list means bit-exact."""
    problems = []
    steps = int(golden.decision_step[n])
    seen = sorted({t for t, _ in record.trace})
    if seen != list(range(1, steps + 1)):
        problems.append(f"image {n}: RTL ran steps {seen}, golden model 1..{steps}")
    for t in range(1, steps + 1):
        for i in range(config.n_outputs):
            got = record.trace.get((t, i))
            if got is None:
                problems.append(f"image {n}, step {t}, neuron {i}: no trace")
                continue
            for k in range(config.tiles):
                want_acc, want_events = int(golden.acc_tile[n, t - 1, k, i]), int(golden.events[n, t - 1, k])
                if got["tile_acc"][k] != want_acc:
                    problems.append(f"image {n}, step {t}, tile {k}, neuron {i}: accumulator RTL "
                                    f"{got['tile_acc'][k]} != golden {want_acc}")
                if got["events"][k] != want_events:
                    problems.append(f"image {n}, step {t}, tile {k}: events RTL {got['events'][k]} != golden "
                                    f"{want_events}")
            for key, array in (("potential", golden.potential), ("prob", golden.prob), ("draw", golden.draw),
                               ("spike", golden.spike)):
                want = int(array[n, t - 1, i])
                if got[key] != want:
                    problems.append(f"image {n}, step {t}, neuron {i}: {key} RTL {got[key]} != golden {want}")
    decision = int(golden.decision[n])
    want_class = config.n_outputs if decision < 0 else decision
    for name, got, want in (("class", record.result_class, want_class), ("decision step", record.result_step, steps),
                            ("timed out", record.timed_out, bool(golden.timed_out[n])),
                            ("events", record.events, int(golden.events[n, :steps].sum()))):
        if got != want:
            problems.append(f"image {n}: {name} RTL {got} != golden {want}")
    for t, cycles in enumerate(record.step_cycles[:steps], 1):
        busiest = int(golden.events[n, t - 1].max())
        promised = max(busiest + timing["read_latency"], timing["encode_cycles"]) + timing["step_fixed_cycles"]
        if cycles != promised or cycles > busiest + timing["step_bound_constant"]:
            problems.append(f"image {n}, step {t}: {cycles} cycles, the spec promises {promised}")
    if record.cycles != timing["inference_fixed_cycles"] + sum(record.step_cycles):
        problems.append(f"image {n}: CYCLES {record.cycles} != 2 + sum of step cycles {sum(record.step_cycles)}")
    return problems


