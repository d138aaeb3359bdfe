"""The cocotb side of the testbench: bus master, per-step trace, and comparison with the golden model.

Runs inside the simulator. Everything it knows about the design comes from the
generator's ``manifest.json`` (path in the SPINAPS_MANIFEST environment variable).
Python sleeps while the hardware computes: the clock toggles in the simulator, an
inference costs a few wake-ups per time step (the trace build latches each step's
values and pulses ``trace_valid``) or one in all (the interrupt), plus the bus
transactions, which are issued back to back without waiting for each other, a run
of consecutive registers as one cocotbext-axi transfer.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import random
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import cocotb
import numpy as np
from cocotb.clock import Clock
from cocotb.triggers import ClockCycles, ReadOnly, RisingEdge, SimTimeoutError, with_timeout
from cocotb.utils import get_sim_time
from cocotbext.axi import AxiLiteBus, AxiLiteMaster, AxiResp

from spinaps.config import Config
from spinaps.contract import decision_cycles, pack_fields, pixel_words, unpack_fields
from spinaps.regmap import CTRL_BITS, PROG_READ_BACK, STATUS_BITS

__all__ = ["Bench", "InferenceRecord", "compare_inference", "cycle_limit", "image_results", "CLOCK_NS"]

CLOCK_NS = 10

# cocotbext-axi 0.1.28 still calls APIs that cocotb 2.1 deprecates (setimmediatevalue, the read
# response's data field): its warnings, not ours, so they stay warnings under PYTHONWARNINGS=error.
warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"cocotbext\.axi\.")


def _runs(addresses: list[int]) -> list[tuple[int, int]]:
    """``(first, end)`` index ranges of the runs of consecutive word addresses, in order."""
    starts = [k for k in range(len(addresses)) if k == 0 or addresses[k] != addresses[k - 1] + 4]
    return list(zip(starts, starts[1:] + [len(addresses)]))


@dataclass
class InferenceRecord:
    """What the RTL did in one inference, as seen on the trace port and the registers."""
    trace: dict = field(default_factory=dict)       # step -> {"potential": [...], ..., "events": [...], "time": ns}
    result_class: int = -1
    result_step: int = 0
    timed_out: bool = False
    cycles: int = 0
    events: int = 0

    def decision_cycles(self) -> dict[int, int]:
        """Cycle (after START) of each traced step's decision: CYCLES - 1 is the last one's."""
        if not self.trace:
            return {}
        last = self.trace[max(self.trace)]["time"]
        return {t: self.cycles - 1 - round((last - v["time"]) / CLOCK_NS) for t, v in self.trace.items()}


def cycle_limit(config: Config, golden, n: int) -> int:
    """Cycles after START within which image n must interrupt, else the design is called hung:
    twice the contract's count for its events, plus room for bus stalls."""
    steps = int(golden.decision_step[n])
    return 2 * decision_cycles(config, golden.events[n, :steps].max(axis=1).tolist())[-1] + 2000


def image_results(*, classes, labels, cycles, steps, problems: list, bad: int, traced: bool) -> dict:
    """The results.json figures every testbench reports of a run of images (either family): samples,
    mismatches (images with any), the first messages, accuracy and cycles per inference and per step."""
    cycles, steps = np.asarray(cycles), np.asarray(steps)
    return {"samples": len(cycles), "mismatches": bad, "mismatch_messages": problems[:50], "traced": traced,
            "accuracy": float(np.mean(np.asarray(classes) == np.asarray(labels))),
            "cycles_per_inference": float(cycles.mean()), "cycles_per_step": float(cycles.sum() / steps.sum()),
            "steps_per_inference": float(steps.mean())}


class Bench:
    """Drives one generated accelerator: clock, reset, AXI4-Lite (cocotbext-axi), trace.

    The clock, reset and register access are those of either family (verif/bsnn_bench.py's
    ``BsnnBench`` derives from this class); programming and inference are the GLM family's."""

    #: STATUS bits of the register map the bench drives.
    STATUS_BITS = STATUS_BITS

    def __init__(self, dut, *, manifest_path: str | None = None, verbose: bool = False):
        self.dut = dut
        path = Path(manifest_path or os.environ["SPINAPS_MANIFEST"])
        self.manifest = json.loads(path.read_text())
        self.config = Config.from_dict(self.manifest["config"])
        self.mapping = [tuple(inputs) for inputs in self.manifest.get("tile_map", [])]
        self.has_trace = bool(self.manifest["trace"])
        self.regs = {r["name"]: r for r in self.manifest["registers"]}
        if not verbose:   # cocotbext-axi logs every transaction at INFO
            logging.getLogger(f"cocotb.{dut._name}").setLevel(logging.WARNING)
        self.axil: AxiLiteMaster | None = None      # made by start(), once the design is out of X
        self._row_data = None          # what ROW_DATA holds (words), to skip rewriting it
        self._pixel_bank = 0           # the bank PIXEL_BANK names (two pixel banks only)
        self._preloaded = None         # the image written into that bank during the last inference
        #: Wall seconds of the phases of :meth:`infer` (the speed benchmark says where the time goes).
        self.phase_seconds = {"load_image": 0.0, "run_to_interrupt": 0.0, "read_results": 0.0}
        self.phase_cycles = dict.fromkeys(self.phase_seconds, 0)

    async def start(self):
        """Clock, reset, and the bus model; call first."""
        # The clock toggles in the simulator, not in a Python task (twice a cycle: ~1.4x the speed).
        Clock(self.dut.clk, CLOCK_NS, unit="ns", impl="gpi").start()
        # The bus model samples READY from its first edge on: start it once reset has defined it.
        self.dut.rst.value = 1
        await ClockCycles(self.dut.clk, 2)
        self.axil = AxiLiteMaster(AxiLiteBus.from_prefix(self.dut, "s_axil"), self.dut.clk, self.dut.rst)
        await self.reset()

    @property
    def cycle(self) -> int:
        return int(get_sim_time(unit="ns")) // CLOCK_NS

    async def reset(self, cycles: int = 3):
        self._row_data = None
        self._pixel_bank, self._preloaded = 0, None
        self.dut.rst.value = 1
        await ClockCycles(self.dut.clk, cycles)
        self.dut.rst.value = 0
        await RisingEdge(self.dut.clk)

    def stall(self, seed: int, *, probability: float = 0.3):
        """Random ready/valid stalls on every AXI channel (valid on AW/W/AR, ready on B/R);
        ``probability`` 0 turns them off."""
        rng = random.Random(seed)
        channels = (self.axil.write_if.aw_channel, self.axil.write_if.w_channel, self.axil.write_if.b_channel,
                    self.axil.read_if.ar_channel, self.axil.read_if.r_channel)
        for channel in channels:
            if probability > 0:
                channel.set_pause_generator(rng.random() < probability for _ in itertools.count())
            else:
                channel.set_pause_generator(None)
                channel.pause = False

    # -- registers

    def address(self, name: str, index: int = 0) -> int:
        return self.regs[name]["offset"] + 4 * index

    async def write_many(self, writes, *, expect=AxiResp.OKAY) -> list[AxiResp]:
        """Writes ``(name, index, value)`` issued back to back; their responses in order.

        ``expect``: the response every write must get (None: any), or a list of them, one a write.
        When every write must be OKAY, each run of consecutive addresses is one cocotbext-axi
        transfer (the same bus cycles, a fraction of the Python: the bus model's cost is per transfer)."""
        addresses = [self.address(name, index) for name, index, _ in writes]
        data = [(int(value) & 0xFFFFFFFF).to_bytes(4, "little") for _, _, value in writes]
        if expect is AxiResp.OKAY:
            runs = _runs(addresses)
            tasks = [cocotb.start_soon(self.axil.write(addresses[a], b"".join(data[a:b]))) for a, b in runs]
            for (a, b), task in zip(runs, tasks):
                resp = (await task).resp
                if resp != AxiResp.OKAY:
                    names = ", ".join(f"{name}[{index}]" for name, index, _ in writes[a:b])
                    raise AssertionError(f"write {names}: {resp.name}, expected OKAY")
            return [AxiResp.OKAY] * len(writes)
        tasks = [cocotb.start_soon(self.axil.write(address, word)) for address, word in zip(addresses, data)]
        expected = list(expect) if isinstance(expect, (list, tuple)) else [expect] * len(writes)
        responses = []
        for (name, index, value), task, want in zip(writes, tasks, expected):
            resp = (await task).resp
            if want is not None and resp != want:
                raise AssertionError(f"write {name}[{index}] = {value:#x}: {resp.name}, expected {want.name}")
            responses.append(resp)
        return responses

    async def write(self, name: str, value: int, index: int = 0, *, expect: AxiResp | None = AxiResp.OKAY) -> AxiResp:
        return (await self.write_many([(name, index, value)], expect=expect))[0]

    async def write_address(self, address: int, value: int) -> AxiResp:
        return (await self.axil.write(address, (value & 0xFFFFFFFF).to_bytes(4, "little"))).resp

    async def read_many(self, reads) -> list[int]:
        """Reads ``(name, index)`` issued back to back, a run of consecutive addresses in one
        transfer; their values (an error response fails)."""
        addresses = [self.address(name, index) for name, index in reads]
        runs = _runs(addresses)
        tasks = [cocotb.start_soon(self.axil.read(addresses[a], 4 * (b - a))) for a, b in runs]
        values = []
        for (a, b), task in zip(runs, tasks):
            result = await task
            if result.resp != AxiResp.OKAY:
                raise AssertionError(f"read {', '.join(f'{n}[{i}]' for n, i in reads[a:b])}: {result.resp.name}")
            values += [int.from_bytes(result.data[4 * k:4 * k + 4], "little") for k in range(b - a)]
        return values

    async def read(self, name: str, index: int = 0, *, signed: bool = False) -> int:
        value = (await self.read_many([(name, index)]))[0]
        return value - (1 << 32) if signed and value >> 31 else value

    async def read_address(self, address: int) -> tuple[int, AxiResp]:
        result = await self.axil.read(address, 4)
        return int.from_bytes(result.data, "little"), result.resp

    async def status(self, bit: str) -> bool:
        return bool(await self.read("STATUS") >> self.STATUS_BITS[bit] & 1)

    # -- weights

    def row_words(self, weights) -> list[int]:
        c = self.config
        per = c.weights_per_word
        return [pack_fields(weights[m * per:(m + 1) * per], c.weight_bits)
                for m in range(self.regs["ROW_DATA"]["count"])]

    async def _wait_programmed(self):
        while await self.status("PROG_BUSY"):
            pass

    async def program_row(self, tile: int, row: int, weights, *, refused=()) -> bool:
        """Program one macro row (write-verify); whether it verified (STATUS.PROG_OK).

        ``refused``: writes ``(name, index, value)`` issued right after PROG_ROW, while the program
        runs; each must answer SLVERR (locked registers)."""
        words = self.row_words(weights)
        writes = [("ROW_DATA", m, w) for m, w in enumerate(words) if self._row_data is None or self._row_data[m] != w]
        refused = list(refused)
        await self.write_many(writes + [("PROG_ROW", 0, row | tile << 16)] + refused,
                              expect=[AxiResp.OKAY] * (len(writes) + 1) + [AxiResp.SLVERR] * len(refused))
        self._row_data = words
        await self._wait_programmed()
        return await self.status("PROG_OK")

    async def read_row(self, tile: int, row: int) -> list[int]:
        await self.write("PROG_ROW", row | tile << 16 | PROG_READ_BACK)
        await self._wait_programmed()
        words = await self.read_many([("ROW_DATA", m) for m in range(self.regs["ROW_DATA"]["count"])])
        self._row_data = words
        c = self.config
        weights = [w for word in words for w in unpack_fields(word, c.weight_bits, c.weights_per_word, signed=True)]
        return weights[:c.n_outputs]

    def rows(self):
        """Every (input, lag) as (j, lag, tile, macro row), in input order."""
        for k, inputs in enumerate(self.mapping):
            for local, j in enumerate(inputs):
                for lag in range(self.config.tau):
                    yield j, lag, k, local * self.config.tau + lag

    async def program_weights(self, alpha, bias) -> int:
        """Program every (input, lag) row and every bias over the bus; returns rows not verified."""
        failed = 0
        for j, lag, tile, row in sorted(self.rows()):
            failed += not await self.program_row(tile, row, alpha[j, lag])
        await self.program_biases(bias)
        return failed

    async def program_biases(self, bias):
        await self.write_many([("BIAS", i, int(b)) for i, b in enumerate(bias)])

    # -- inference

    def _pixel_writes(self, pixels) -> list[tuple[str, int, int]]:
        words = pixel_words(self.config, self.mapping, [int(p) for p in pixels])
        return [(f"PIXEL{k}", m, w) for k, tile_words in enumerate(words) for m, w in enumerate(tile_words)]

    async def load_image(self, pixels, seed_encoder: int, seed_spike: int):
        """The image's pixels (unless the last inference preloaded them, two pixel banks) and seeds."""
        pixels = [int(p) for p in pixels]
        preloaded, self._preloaded = self._preloaded, None
        if preloaded is not None and preloaded != pixels:
            raise ValueError("the image preloaded during the last inference is not the one to run")
        writes = [] if preloaded is not None else self._pixel_writes(pixels)
        await self.write_many(writes + [("SEED_ENCODER", 0, seed_encoder), ("SEED_SPIKE", 0, seed_spike)])

    async def _preload(self, start_write, pixels):
        """While an inference runs: point PIXEL_BANK at the other bank and write the next image there."""
        await start_write                 # START has taken the bank PIXEL_BANK named
        self._pixel_bank ^= 1
        await self.write_many([("PIXEL_BANK", 0, self._pixel_bank)] + self._pixel_writes(pixels))
        self._preloaded = [int(p) for p in pixels]

    def _read_trace(self) -> dict:
        dut, c = self.dut, self.config

        def fields(signal, bits, count, signed=False):
            return unpack_fields(int(signal.value), bits, count, signed=signed)

        events_bits = len(dut.trace_events) // c.tiles
        return {"potential": fields(dut.trace_potential, c.acc_width, c.n_outputs, signed=True),
                "prob": fields(dut.trace_prob, c.prob_bits, c.n_outputs),
                "draw": fields(dut.trace_draw, c.prob_bits, c.n_outputs),
                "spike": fields(dut.trace_spike, 1, c.n_outputs),
                "events": fields(dut.trace_events, events_bits, c.tiles),
                "step": int(dut.trace_step.value), "time": get_sim_time(unit="ns")}

    async def _collect_trace(self, record: InferenceRecord):
        """Until the interrupt: each step's trace, read at ``trace_valid`` (the step's decision cycle).

        The interrupt rises the cycle after the last decision, so one look at the next cycle tells
        whether another step follows: plain edges, not a race of triggers, per step (a third of
        the cost)."""
        dut = self.dut
        if not self.has_trace:
            await RisingEdge(dut.irq)
            return
        await RisingEdge(dut.trace_valid)
        while True:
            await ReadOnly()
            if dut.irq.value:
                return
            if dut.trace_valid.value:
                values = self._read_trace()
                record.trace[values.pop("step")] = values
                await RisingEdge(dut.clk)
            else:
                await RisingEdge(dut.trace_valid)

    async def infer(self, pixels, seed_encoder: int, seed_spike: int, *, limit_cycles: int = 1_000_000,
                    refused=(), next_pixels=None) -> InferenceRecord:
        """Load an image, START, collect the trace step by step until the interrupt, read the results.

        IRQ_ENABLE must be set. ``refused``: writes ``(name, index, value)`` issued right after
        START, while the inference runs; each must answer SLVERR (locked registers, a second START).
        They are queued behind START, so without stalls they are performed within a few cycles of it.
        ``next_pixels`` (two pixel banks only): the next image, written into the other bank while this
        one runs; the next call must run it."""
        if next_pixels is not None and self.config.pixel_banks != 2:
            raise ValueError("next_pixels needs a design with two pixel banks")
        began, began_cycle = time.perf_counter(), self.cycle
        await self.load_image(pixels, seed_encoder, seed_spike)
        loaded, loaded_cycle = time.perf_counter(), self.cycle
        record = InferenceRecord()
        start = 1 << CTRL_BITS["START"] | 1 << CTRL_BITS["CLEAR_DONE"]
        # The trace is awaited as soon as START is issued: with a stalled B channel the write's
        # response can come back after the inference has begun.
        write = cocotb.start_soon(self.axil.write(self.address("CTRL"), start.to_bytes(4, "little")))
        during = cocotb.start_soon(self.write_many(list(refused), expect=AxiResp.SLVERR)) if refused else None
        preload = cocotb.start_soon(self._preload(write, next_pixels)) if next_pixels is not None else None
        try:
            await with_timeout(self._collect_trace(record), limit_cycles * CLOCK_NS, "ns")
        except SimTimeoutError:
            raise AssertionError(f"no interrupt within {limit_cycles} cycles") from None
        interrupted, interrupted_cycle = time.perf_counter(), self.cycle
        resp = (await write).resp
        if resp != AxiResp.OKAY:
            raise AssertionError(f"START: {resp.name}")
        if during is not None:
            await during
        status, record.result_class, record.result_step, record.cycles, record.events = await self.read_many(
            [("STATUS", 0), ("RESULT_CLASS", 0), ("RESULT_STEP", 0), ("CYCLES", 0), ("EVENTS", 0)])
        if preload is not None:
            await preload
        record.timed_out = bool(status >> STATUS_BITS["TIMED_OUT"] & 1)
        for phase, seconds, cycles in zip(self.phase_seconds, (loaded - began, interrupted - loaded,
                                                               time.perf_counter() - interrupted),
                                          (loaded_cycle - began_cycle, interrupted_cycle - loaded_cycle,
                                           self.cycle - interrupted_cycle)):
            self.phase_seconds[phase] += seconds
            self.phase_cycles[phase] += cycles
        return record


def compare_inference(config: Config, golden, n: int, record: InferenceRecord, *, traced: bool) -> list[str]:
    """Every difference between the RTL and the golden model for image n, as messages that
    name the image, step, tile and neuron. An empty list means bit-exact.

    ``golden`` is a :class:`model.golden.GoldenResult`; with ``traced`` every step 1 .. decision step
    is compared neuron by neuron and tile by tile, and each step's decision cycle with the spec's."""
    problems = []
    steps = int(golden.decision_step[n])
    busiest = golden.events[n].max(axis=1).tolist()
    promised = decision_cycles(config, busiest)
    if traced:
        seen = sorted(record.trace)
        if seen != list(range(1, steps + 1)):
            problems.append(f"image {n}: RTL traced steps {seen}, golden model 1..{steps}")
        cycles = record.decision_cycles()
        for t in range(1, steps + 1):
            got = record.trace.get(t)
            if got is None:
                continue
            for k in range(config.tiles):
                want = int(golden.events[n, t - 1, k])
                if got["events"][k] != want:
                    problems.append(f"image {n}, step {t}, tile {k}: events RTL {got['events'][k]} != golden {want}")
            for i in range(config.n_outputs):
                for key, array in (("potential", golden.potential), ("prob", golden.prob), ("draw", golden.draw),
                                   ("spike", golden.spike)):
                    want = int(array[n, t - 1, i])
                    if got[key][i] != want:
                        problems.append(f"image {n}, step {t}, neuron {i}: {key} RTL {got[key][i]} != golden {want}")
            if cycles[t] != promised[t - 1]:
                problems.append(f"image {n}, step {t}: decided in cycle {cycles[t]}, the spec promises "
                                f"{promised[t - 1]}")
    for name, got, want in (("class", record.result_class, int(golden.decision[n])),
                            ("decision step", record.result_step, steps),
                            ("timed out", record.timed_out, bool(golden.timed_out[n])),
                            ("events", record.events, int(golden.events[n, :steps].sum())),
                            ("CYCLES", record.cycles, promised[steps - 1] + 1)):
        if got != want:
            problems.append(f"image {n}: {name} RTL {got} != golden {want}")
    return problems


def utilization(config: Config, records) -> float:
    """SOPs / (cycles x tiles x N_Y) over inferences, from the RTL's counters."""
    events = np.array([r.events for r in records])
    cycles = np.array([r.cycles for r in records])
    return float(events.sum() / (cycles.sum() * config.tiles))
