"""cocotb test of one soak configuration (``python -m verif.soak``).

Everything it does comes from the configuration's seed (SPINAPS_SEED) and its number of images
(SPINAPS_IMAGES) through :func:`verif.soak.soak_plan`: the network (programmed over the bus with
write-verify against the golden memory controller, or generated into the macros and spot-checked),
the images and their seeds, the register settings of each block of images (T_MAX, POLICY, BIAS),
AXI stalls, resets in the middle of inferences, writes that a busy core must refuse, and bad
accesses while idle. Every inference is compared with the golden model step by step, neuron by
neuron and tile by tile (:func:`verif.bench.compare_inference`); every bad access must answer
SLVERR and change nothing; REFUSED_WRITES must count exactly the refused valid writes.

Writes SPINAPS_RESULTS (JSON: trials, mismatching trials, other failed checks, coverage bins)
whatever happens, then fails if anything did not match.
"""

import json
import os
import time
from collections import Counter

import cocotb
import numpy as np
from cocotb.triggers import ClockCycles, RisingEdge, SimTimeoutError, with_timeout
from cocotbext.axi import AxiResp

from model.golden import run_golden
from model.memctrl import MemoryController
from model.sttram import SttRamMacro
from spinaps.atomic import atomic_write_text
from spinaps.contract import decision_cycles, pack_fields, stream_seed, unpack_fields
from spinaps.regmap import CTRL_BITS, STATUS_BITS

from .bench import CLOCK_NS, Bench, compare_inference, cycle_limit
from .soak import cycle_budget, soak_plan


START = 1 << CTRL_BITS["START"] | 1 << CTRL_BITS["CLEAR_DONE"]
MASK = 0xFFFFFFFF


class Soak:
    """One configuration's run: the bench, the plan, and what was seen."""

    def __init__(self, bench: Bench, plan):
        self.bench, self.plan, self.config = bench, plan, plan.config
        self.coverage = Counter()
        self.trials, self.steps, self.mismatched, self.problems = 0, 0, [], []
        self.refused = 0                   # REFUSED_WRITES the core must show (since the last reset)
        self.stall_round = 0
        self.stalled = False

    def check(self, ok: bool, message: str):
        if not ok:
            self.problems.append(message)

    # -- AXI stalls: on as planned, off where a test needs exact bus timing

    def stalls(self, on: bool):
        if self.plan.stall == 0:
            return
        self.stall_round += 1
        self.bench.stall(self.plan.seed + self.stall_round, probability=self.plan.stall if on else 0)
        self.stalled = on

    # -- registers

    def readable(self):
        return [(r["name"], i) for r in self.bench.regs.values() if r["access"] != "WO" for i in range(r["count"])]

    async def snapshot(self) -> dict:
        names = self.readable()
        return dict(zip(names, await self.bench.read_many(names)))

    def reset_values(self) -> dict:
        """Every readable register right after a reset (docs/spec.md section 9)."""
        bias = self.plan.bias if self.plan.program == "preloaded" else np.zeros(self.config.n_outputs, dtype=np.int64)
        return {(name, i): int(bias[i]) & MASK if name == "BIAS" else self.bench.regs[name]["reset"]
                for name, i in self.readable()}

    def compare(self, got: dict, want: dict, what: str):
        diff = [f"{name}[{i}] {got[(name, i)]:#x} != {want[(name, i)]:#x}" for name, i in want
                if got[(name, i)] != want[(name, i)]]
        self.check(not diff, f"{what}: " + "; ".join(diff[:6]))

    async def apply(self, block):
        """The block's register settings (and the interrupt enable)."""
        writes = [("T_MAX", 0, block.t_max), ("POLICY", 0, block.policy), ("IRQ_ENABLE", 0, 1)]
        await self.bench.write_many(writes + [("BIAS", i, int(b)) for i, b in enumerate(block.bias)])

    def settings(self, block, image: int) -> dict:
        """What the locked RW registers hold while image ``image`` of ``block`` runs."""
        bench, plan = self.bench, self.plan
        row_data = bench._row_data or [0] * bench.regs["ROW_DATA"]["count"]
        want = {("T_MAX", 0): block.t_max, ("POLICY", 0): block.policy,
                ("SEED_ENCODER", 0): int(plan.seeds_encoder[image]), ("SEED_SPIKE", 0): int(plan.seeds_spike[image])}
        want.update({("BIAS", i): int(b) & MASK for i, b in enumerate(block.bias)})
        want.update({("ROW_DATA", m): int(w) for m, w in enumerate(row_data)})
        return want

    async def check_refused_count(self, what: str):
        got = await self.bench.read("REFUSED_WRITES")
        self.check(got == self.refused, f"{what}: REFUSED_WRITES {got} != {self.refused}")
        if got == self.refused and self.refused:
            self.coverage["refused_writes_counted"] += 1

    def count_refused(self, writes):
        for *_, cause in writes:
            self.coverage[cause] += 1
            self.refused += cause != "slverr_invalid_busy"

    # -- programming

    async def program(self) -> np.ndarray:
        """Program (or spot-check) the network; the weights the macros really hold."""
        c, bench, plan = self.config, self.bench, self.plan
        rows = sorted(bench.rows())
        if plan.program == "preloaded":
            self.coverage["program_preloaded"] += 1
            for n in plan.readback:
                j, lag, tile, row = rows[n]
                got = await bench.read_row(tile, row)
                self.check(got == plan.alpha[j, lag].tolist(), f"input {j}, lag {lag}: preloaded row {got}")
            return plan.alpha
        self.coverage["program_bus"] += 1
        controllers = [MemoryController(SttRamMacro(rows=c.rows_per_tile, row_bits=c.row_bits,
                                                    write_error_rate=c.write_error_rate,
                                                    seed=stream_seed(c.write_error_seed, k, c.lfsr_width),
                                                    lfsr_width=c.lfsr_width), write_retries=c.write_retries)
                       for k in range(c.tiles)]
        for n, (j, lag, tile, row) in enumerate(rows):
            refused = [plan.program_refused[n]] if n in plan.program_refused else []
            if refused:
                self.stalls(False)
            ok = await bench.program_row(tile, row, plan.alpha[j, lag], refused=[w[:3] for w in refused])
            if refused:
                self.stalls(True)
                self.count_refused(refused)
            model_ok, _ = controllers[tile].program(row, pack_fields(plan.alpha[j, lag], c.weight_bits))
            self.check(ok == model_ok, f"input {j}, lag {lag}: PROG_OK {ok}, the golden controller {model_ok}")
        retries = sum(m.retry_count for m in controllers)
        failures = sum(m.fail_count for m in controllers)
        got_retries, got_failures, status = await bench.read_many([("WRITE_RETRIES", 0), ("WRITE_FAILURES", 0),
                                                                   ("STATUS", 0)])
        sticky = bool(status >> STATUS_BITS["WRITE_ERROR"] & 1)
        self.check((got_retries, got_failures, sticky) == (retries, failures, failures > 0),
                   f"after programming: WRITE_RETRIES {got_retries}, WRITE_FAILURES {got_failures}, WRITE_ERROR "
                   f"{sticky}; the golden controllers {retries}, {failures}, {failures > 0}")
        await self.check_refused_count("after programming")
        if retries and got_retries == retries:
            self.coverage["write_retries_used"] += 1
        if failures:
            await bench.write("CTRL", 1 << CTRL_BITS["CLEAR_ERROR"])
            cleared = not await bench.status("WRITE_ERROR")
            self.check(cleared, "CLEAR_ERROR did not clear WRITE_ERROR")
            if cleared and sticky and got_failures == failures:
                self.coverage["retries_exhausted"] += 1
        stored = np.zeros_like(plan.alpha)
        for j, lag, tile, row in rows:
            stored[j, lag] = unpack_fields(controllers[tile].read_back(row), c.weight_bits, c.n_outputs, signed=True)
        for n in plan.readback:
            j, lag, tile, row = rows[n]
            got = await bench.read_row(tile, row)
            self.check(got == stored[j, lag].tolist(), f"input {j}, lag {lag}: read back {got}, "
                                                       f"the golden macro {stored[j, lag].tolist()}")
        return stored

    # -- bad accesses

    async def bad_accesses(self, accesses):
        """Each must answer SLVERR; together they must change no readable register."""
        axil = self.bench.axil
        before = await self.snapshot()
        for a in accesses:
            if a.op == "read":
                resp = (await axil.read(a.address, 4 - a.address % 4)).resp
            else:
                resp = (await axil.write(a.address, a.data)).resp
            self.check(resp == AxiResp.SLVERR, f"{a.op} of {a.address:#06x} ({a.cause}"
                                               f"{', ' + a.data.hex() if a.data else ''}): {resp.name}")
            if resp == AxiResp.SLVERR:
                self.coverage[a.cause] += 1
        self.compare(await self.snapshot(), before, "registers changed by refused accesses")

    # -- a reset in the middle of an inference

    async def reset_during(self, block, golden, image: int, where: float):
        """START image ``image``, reset ``where`` of the way to its decision (golden), check that every
        register is back at its reset value, and restore the block's settings."""
        bench, dut, cb = self.bench, self.bench.dut, block.config(self.config)
        steps = int(golden.decision_step[image])
        last = decision_cycles(cb, golden.events[image, :steps].max(axis=1).tolist())[-1]
        wait = min(last - 1, int(where * last))
        await bench.load_image(self.plan.pixels[image], self.plan.seeds_encoder[image], self.plan.seeds_spike[image])
        response = RisingEdge(dut.s_axil_bvalid)         # cycle 1 of the inference (START performed in cycle 0)
        write = cocotb.start_soon(bench.axil.write(bench.address("CTRL"), START.to_bytes(4, "little")))
        await response
        if wait:
            await ClockCycles(dut.clk, wait)
        await bench.reset()                              # sampled in cycle wait + 1 <= the decision cycle
        await write                                      # answered, or flushed by the reset
        self.refused = 0
        self.compare(await self.snapshot(), self.reset_values(), f"after a reset in cycle {wait + 1} of {last}")
        await self.apply(block)

    # -- trials

    def trial_coverage(self, block, golden, image: int, record):
        c, cb = self.config, block.config(self.config)
        steps = int(golden.decision_step[image])
        timed_out = bool(golden.timed_out[image])
        cov = self.coverage
        if not timed_out and int(golden.spike[image, steps - 1].sum()) >= 2:
            cov[f"tie_{cb.tie_policy}"] += 1
        if timed_out:
            cov[f"timeout_{cb.timeout_policy}"] += 1
        cov["abstention"] += record.result_class == c.n_outputs
        cov["decision_step_1"] += steps == 1
        cov["decision_at_t_max"] += steps == cb.t_max
        cov["t_max_1"] += cb.t_max == 1
        index = golden.potential[image, :steps] >> c.lut_shift
        cov["lut_saturated_low"] += bool((index < -(c.lut_size // 2)).any())
        cov["lut_saturated_high"] += bool((index > c.lut_size // 2 - 1).any())
        cov["zero_image"] += not self.plan.pixels[image].any()
        cov["axi_stalls"] += self.stalled

    async def run(self):
        bench, plan, c = self.bench, self.plan, self.config
        await bench.start()
        self.stalls(True)
        alpha = await self.program()
        for block in plan.blocks:
            cb = block.config(c)
            await self.apply(block)
            golden = run_golden(cb, alpha, block.bias, plan.pixels, seed_encoder=plan.seeds_encoder,
                                seed_spike=plan.seeds_spike, mapping=bench.mapping)
            for image in range(block.start, block.stop):
                if image in plan.idle:
                    await self.bad_accesses(plan.idle[image])
                after_reset = image in plan.resets
                if after_reset:
                    await self.reset_during(block, golden, image, plan.resets[image])
                during = plan.during.get(image, [])
                if during:
                    self.stalls(False)
                steps = int(golden.decision_step[image])
                # Two pixel banks: the next image of the block is written while this one runs, unless
                # locked writes are tried during it (they would race the bank switch) or a reset
                # comes first.
                upcoming = image + 1
                ahead = (plan.pixels[upcoming] if cb.pixel_banks == 2 and upcoming < block.stop and not during
                         and upcoming not in plan.resets else None)
                record = await bench.infer(plan.pixels[image], int(plan.seeds_encoder[image]),
                                           int(plan.seeds_spike[image]), refused=[w[:3] for w in during],
                                           limit_cycles=cycle_limit(cb, golden, image), next_pixels=ahead)
                self.coverage["image_preloaded"] += ahead is not None
                if during:
                    self.count_refused(during)
                found = compare_inference(cb, golden, image, record, traced=True)
                self.trials += 1
                self.steps += steps
                self.trial_coverage(block, golden, image, record)
                if found:
                    self.mismatched.append({"image": image, "block": plan.blocks.index(block), "messages": found[:20]})
                elif after_reset:
                    self.coverage["reset_mid_inference"] += 1
                if during:
                    self.stalls(True)
                    got = await self.snapshot()
                    want = self.settings(block, image)
                    self.compare({k: got[k] for k in want}, want, f"image {image}: registers changed by writes "
                                                                  "refused during the inference")
                    await self.check_refused_count(f"image {image}")


@cocotb.test()
async def soak(dut):
    """One soak configuration: programming, bad accesses, resets and every image against the golden model."""
    env = os.environ.get
    started = time.perf_counter()
    plan = soak_plan(int(env("SPINAPS_SEED", "1")), int(env("SPINAPS_IMAGES", "10")))
    bench = Bench(dut)
    assert bench.config == plan.config, "the design was not generated for this seed's configuration"
    assert bench.has_trace, "the soak needs the trace build"
    run = Soak(bench, plan)
    error = None
    budget = cycle_budget(plan)
    try:   # a design or bus that hangs ends the test, with the trials so far
        await with_timeout(run.run(), budget * CLOCK_NS, "ns")
    except SimTimeoutError:
        error = f"the test did not end within {budget} cycles (the design or the bus hung) after {run.trials} trials"
        raise AssertionError(error) from None
    except Exception as e:
        error = f"{type(e).__name__}: {e}".splitlines()[0][:500]
        raise
    finally:
        result = {"seed": plan.seed, "trials": run.trials, "steps": run.steps, "mismatched": run.mismatched,
                  "problems": run.problems,
                  "coverage": dict(+run.coverage), "error": error, "simulated_cycles": bench.cycle,
                  "wall_seconds": time.perf_counter() - started}
        if env("SPINAPS_RESULTS"):
            atomic_write_text(env("SPINAPS_RESULTS"), json.dumps(result, indent=1) + "\n")
    assert not run.mismatched and not run.problems, (
        f"{len(run.mismatched)} of {run.trials} trials mismatch the golden model, {len(run.problems)} checks failed; "
        + "; ".join([m["messages"][0] for m in run.mismatched[:2]] + run.problems[:2]))
