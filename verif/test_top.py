"""cocotb tests of the generated accelerator against the golden model.

Parameters come from the environment (set by verif/runner.py):
SPINAPS_MANIFEST (manifest.json of the design), SPINAPS_WEIGHTS (weights file, or
empty for a random sparse network), SPINAPS_PROGRAM ("bus": program every row over
AXI4-Lite; "preloaded": the design was generated with these weights, check a few rows
by read-back), SPINAPS_IMAGES and SPINAPS_IMAGES_FILE (the test images and labels, an
.npz the runner writes, so the simulator need not load the data set), SPINAPS_STALLS
(1: random AXI stalls), SPINAPS_RESULTS (JSON file to write), SPINAPS_SEED,
SPINAPS_PROGRESS (1: a progress bar on stderr).
"""

import io
import json
import os
import random
import sys
import time
from pathlib import Path

import cocotb
import numpy as np
from cocotb.triggers import ClockCycles, RisingEdge
from cocotbext.axi import AxiResp

from model.golden import run_golden
from model.memctrl import MemoryController
from model.sttram import SttRamMacro
from model.weights import load_weights
from spinaps.atomic import atomic_write_bytes, atomic_write_text
from spinaps.contract import image_seeds, macro_contents, pack_fields, stream_seed
from spinaps.regmap import CTRL_BITS

from .bench import Bench, compare_inference, cycle_limit, image_results, utilization
from .stimulus import random_network


START = 1 << CTRL_BITS["START"]


def parameters():
    env = os.environ.get
    return {"weights": env("SPINAPS_WEIGHTS", ""), "program": env("SPINAPS_PROGRAM", "bus"),
            "images": int(env("SPINAPS_IMAGES", "3")), "images_file": env("SPINAPS_IMAGES_FILE", ""),
            "stalls": env("SPINAPS_STALLS", "0") == "1",
            "results": env("SPINAPS_RESULTS", ""), "seed": int(env("SPINAPS_SEED", "1")),
            "progress": env("SPINAPS_PROGRESS", "0") == "1"}


def network(bench, params):
    if params["weights"]:
        w = load_weights(params["weights"], bench.config)
        return w.alpha, w.bias
    return random_network(bench.config, params["seed"])


def images(params, count):
    """The first ``count`` test images and their labels (the runner's file of the data set's test split)."""
    with np.load(params["images_file"]) as data:
        return data["pixels"][:count], data["labels"][:count]


async def setup(dut, params):
    """Reset, stalls, and the network: programmed over the bus, or preloaded and spot-checked."""
    bench = Bench(dut)
    await bench.start()
    if params["stalls"]:
        bench.stall(params["seed"])
    alpha, bias = network(bench, params)
    if params["program"] == "bus":
        assert await bench.program_weights(alpha, bias) == 0, "some rows did not verify"
    else:
        rows = sorted(bench.rows())
        for j, lag, tile, row in random.Random(params["seed"]).sample(rows, min(4, len(rows))):
            got = await bench.read_row(tile, row)
            assert got == alpha[j, lag].tolist(), f"input {j}, lag {lag}: preloaded row {got} != {alpha[j, lag]}"
    await bench.write("IRQ_ENABLE", 1)
    return bench, alpha, bias


def _progress(total, enabled):
    from tqdm import tqdm

    return tqdm(total=total, desc="simulate", unit="image", file=sys.stderr, disable=not enabled, leave=False)


@cocotb.test()
async def images_match_golden(dut):
    """Run test images; compare every step of every neuron (trace builds) and every result with the golden model."""
    params = parameters()
    started = time.perf_counter()
    bench, alpha, bias = await setup(dut, params)
    c = bench.config
    pixels, labels = images(params, params["images"])
    n = len(pixels)
    seeds_e = image_seeds(c.seed_encoder, n, width=c.lfsr_width)
    seeds_s = image_seeds(c.seed_spike, n, width=c.lfsr_width)
    golden = run_golden(c, alpha, bias, pixels, seed_encoder=seeds_e, seed_spike=seeds_s, mapping=bench.mapping)
    problems, records, bad = [], [], 0
    first_cycle, loop_started = bench.cycle, time.perf_counter()
    with _progress(n, params["progress"]) as bar:
        for i in range(n):
            # With two pixel banks the next image is written while this one runs.
            ahead = pixels[i + 1] if c.pixel_banks == 2 and i + 1 < n else None
            record = await bench.infer(pixels[i], seeds_e[i], seeds_s[i], limit_cycles=cycle_limit(c, golden, i),
                                       next_pixels=ahead)
            records.append(record)
            found = compare_inference(c, golden, i, record, traced=bench.has_trace)
            problems += found
            bad += bool(found)
            bar.update()
    loop_seconds = time.perf_counter() - loop_started
    cycles = np.array([r.cycles for r in records])
    steps = np.array([r.result_step for r in records])
    events = np.array([r.events for r in records])
    result = image_results(classes=[r.result_class for r in records], labels=labels, cycles=cycles, steps=steps,
                           problems=problems, bad=bad, traced=bench.has_trace) | {
        "sops_per_inference": float(events.mean() * c.n_outputs),
        "utilization": utilization(c, records),
        "simulated_cycles": bench.cycle,
        "inference_cycles": bench.cycle - first_cycle,      # bus transfers of the images included
        "inference_wall_seconds": loop_seconds,
        "test_wall_seconds": time.perf_counter() - started,
        "inference_wall_seconds_by_phase": bench.phase_seconds,
        "inference_cycles_by_phase": bench.phase_cycles,
    }
    if params["results"]:
        atomic_write_text(params["results"], json.dumps(result, indent=2) + "\n")
        if bench.has_trace:
            save_rtl_trace(Path(params["results"]).with_name("rtl_trace.npz"), c, records, labels)
    assert not problems, f"{bad} of {n} images mismatch the golden model; first: " + "; ".join(problems[:3])


def save_rtl_trace(path, config, records, labels):
    """What the RTL showed, as arrays: potentials and spikes of the steps it ran (zero after),
    its decisions and decision steps, so accuracy against the deadline can be computed from
    the RTL itself (model.evaluate.accuracy_by_deadline)."""
    n, steps, outputs = len(records), config.t_max, config.n_outputs
    potential = np.zeros((n, steps, outputs), dtype=np.int64)
    spike = np.zeros((n, steps, outputs), dtype=bool)
    for i, record in enumerate(records):
        for t, values in record.trace.items():
            potential[i, t - 1], spike[i, t - 1] = values["potential"], values["spike"]
    buffer = io.BytesIO()
    np.savez(buffer, potential=potential, spike=spike, decision=np.array([r.result_class for r in records]),
             decision_step=np.array([r.result_step for r in records]), labels=np.asarray(labels))
    atomic_write_bytes(path, buffer.getvalue())


async def _long_inference(bench, pixels):
    """Start an inference that runs long: T_MAX 255 and biases so low that nobody spikes."""
    c = bench.config
    await bench.load_image(pixels, 3, 4)
    await bench.write("T_MAX", 255)
    await bench.program_biases([c.bias_min] * c.n_outputs)
    await bench.write("CTRL", START)


async def _check_one(bench, alpha, bias, pixels, seed):
    c = bench.config
    seeds_e, seeds_s = image_seeds(seed, 1, width=c.lfsr_width), image_seeds(seed + 1, 1, width=c.lfsr_width)
    golden = run_golden(c, alpha, bias, pixels[:1], seed_encoder=seeds_e, seed_spike=seeds_s, mapping=bench.mapping)
    record = await bench.infer(pixels[0], seeds_e[0], seeds_s[0])
    problems = compare_inference(c, golden, 0, record, traced=bench.has_trace)
    assert not problems, "; ".join(problems[:5])


@cocotb.test()
async def reset_mid_inference(dut):
    """A reset during an inference abandons it; the weights survive and the next inference is exact."""
    params = parameters()
    bench, alpha, bias = await setup(dut, params)
    c = bench.config
    pixels, _ = images(params, 1)
    await _long_inference(bench, pixels[0])
    await ClockCycles(dut.clk, 60)
    assert await bench.status("BUSY")
    await bench.reset()
    assert not await bench.status("BUSY")
    assert await bench.read("T_MAX") == c.t_max and await bench.read("SEED_ENCODER") == c.seed_encoder
    # Biases are CMOS registers (reset); the macros are STT-RAM: no weight is reprogrammed.
    await bench.program_biases(bias)
    await bench.write("IRQ_ENABLE", 1)
    await _check_one(bench, alpha, bias, pixels, 7)


@cocotb.test()
async def bus_errors(dut):
    """Bad accesses answer SLVERR, change nothing, and the core keeps working."""
    params = parameters()
    bench, alpha, bias = await setup(dut, params)
    c, regs = bench.config, bench.regs
    before = await bench.read("T_MAX")
    used = {r["offset"] + 4 * i for r in regs.values() for i in range(r["count"])}
    unmapped = [a for a in (0xFFFC, 0x7FFC, max(used) + 4) if a not in used]
    for address in unmapped + [bench.address("T_MAX") + 1]:
        assert await bench.write_address(address, 5) == AxiResp.SLVERR
        assert (await bench.read_address(address))[1] == AxiResp.SLVERR
    await bench.write("ID", 0, expect=AxiResp.SLVERR)                         # read-only
    assert (await bench.read_address(bench.address("CTRL")))[1] == AxiResp.SLVERR   # write-only
    assert (await bench.read_address(bench.address("PIXEL0")))[1] == AxiResp.SLVERR
    await bench.write("T_MAX", 0, expect=AxiResp.SLVERR)                      # field out of range
    await bench.write("T_MAX", 1 << 8, expect=AxiResp.SLVERR)                 # bits outside the fields
    await bench.write("BIAS", c.bias_max + 1, expect=AxiResp.SLVERR)
    await bench.write("PROG_ROW", c.tiles << 16, expect=AxiResp.SLVERR)
    await bench.write("CTRL", 1 << 3, expect=AxiResp.SLVERR)
    if c.lfsr_width < 32:
        await bench.write("SEED_SPIKE", 1 << c.lfsr_width, expect=AxiResp.SLVERR)
    assert await bench.read("T_MAX") == before
    # A partial write strobe.
    resp = (await bench.axil.write(bench.address("T_MAX"), b"\x05")).resp
    assert resp == AxiResp.SLVERR and await bench.read("T_MAX") == before
    # During an inference: locked registers and a second START are refused and counted.
    pixels, _ = images(params, 1)
    refused = await bench.read("REFUSED_WRITES")
    await _long_inference(bench, pixels[0])
    locked = [("PROG_ROW", 0), ("ROW_DATA", 1), ("BIAS", 0), ("PIXEL0", 1), ("SEED_SPIKE", 5), ("CTRL", START)]
    for name, value in locked:
        await bench.write(name, value, expect=AxiResp.SLVERR)
    if c.pixel_banks == 2:
        # Only the bank being read is locked: PIXEL_BANK is not, the other bank takes writes.
        await bench.write("PIXEL_BANK", 1)
        await bench.write("PIXEL0", 1)
        await bench.write("PIXEL_BANK", 0)
        await bench.write("PIXEL0", 1, expect=AxiResp.SLVERR)
        locked.append(("PIXEL0", 1))
    assert await bench.read("REFUSED_WRITES") == refused + len(locked)
    await bench.write("IRQ_ENABLE", 1)                                        # not locked
    while await bench.status("BUSY"):
        pass
    # Still exact afterwards, with the refused writes not applied.
    j, lag, tile, row = next(bench.rows())
    assert await bench.read_row(tile, row) == alpha[j, lag].tolist()
    await bench.write("T_MAX", c.t_max)
    await bench.program_biases(bias)
    await _check_one(bench, alpha, bias, pixels, 9)


@cocotb.test()
async def write_failures(dut):
    """STT-RAM write failures: write-verify retries exactly as the golden controller does; when
    retries run out the sticky error is raised, readable, and cleared by the host."""
    params = parameters()
    bench = Bench(dut)
    c = bench.config
    if c.write_error_rate == 0:
        return
    await bench.start()
    if params["stalls"]:
        bench.stall(params["seed"])
    alpha, _ = network(bench, params)
    controllers = [MemoryController(SttRamMacro(rows=c.rows_per_tile, row_bits=c.row_bits,
                                                write_error_rate=c.write_error_rate,
                                                seed=stream_seed(c.write_error_seed, k, c.lfsr_width),
                                                lfsr_width=c.lfsr_width), write_retries=c.write_retries)
                   for k in range(c.tiles)]
    wanted = macro_contents(c, bench.mapping, alpha)
    for j, lag, tile, row in sorted(bench.rows()):
        ok = await bench.program_row(tile, row, alpha[j, lag])
        model_ok, _ = controllers[tile].program(row, pack_fields(alpha[j, lag], c.weight_bits))
        assert ok == model_ok, f"input {j}, lag {lag}: RTL verify {ok}, model {model_ok}"
        stored = pack_fields(await bench.read_row(tile, row), c.weight_bits)
        assert stored == controllers[tile].read_back(row), f"input {j}, lag {lag}: stored rows differ"
    retries = sum(m.retry_count for m in controllers)
    failures = sum(m.fail_count for m in controllers)
    assert await bench.read("WRITE_RETRIES") == retries
    assert await bench.read("WRITE_FAILURES") == failures
    assert retries + failures > 0, "no write failure was injected"
    if params["results"]:
        atomic_write_text(params["results"], json.dumps({"write_retries": retries, "write_failures": failures}) + "\n")
    assert await bench.status("WRITE_ERROR") == (failures > 0)
    if failures == 0:
        assert all(controllers[k].read_back(r) == wanted[k][r] for k in range(c.tiles)
                   for r in range(len(bench.mapping[k]) * c.tau))
    else:
        await bench.write("CTRL", 1 << CTRL_BITS["CLEAR_ERROR"])
        assert not await bench.status("WRITE_ERROR")
    await RisingEdge(dut.clk)
