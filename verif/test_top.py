"""cocotb tests of the generated accelerator against the golden model.

Parameters come from the environment (set by verif/runner.py):
SPINAPS_MANIFEST (manifest.json of the design), SPINAPS_WEIGHTS (weights file, or
empty for a random sparse network), SPINAPS_IMAGES, SPINAPS_STALLS (1: random AXI
stalls), SPINAPS_RESULTS (JSON file to write), SPINAPS_SEED.
"""

import io
import json
import os
import time
import warnings
from pathlib import Path

import cocotb
import numpy as np
from cocotb.triggers import ClockCycles, RisingEdge
from cocotbext.axi import AxiResp

from hw.regmap import CTRL_CLEAR_ERROR, CTRL_START
from model.data import load_dataset
from model.golden import image_seeds, run_golden
from model.lfsr import tile_seed
from model.memctrl import MemoryController
from model.sttram import SttRamMacro
from model.tile import pack_row, tile_and_row, tile_rows
from model.weights import load_weights
from spinaps.atomic import atomic_write_bytes, atomic_write_text

from .bench import Bench, compare_inference
from .stimulus import random_network

# cocotbext-axi 0.1.28 still calls APIs that cocotb 2.1 deprecates (setimmediatevalue, the read
# response's data field): its warnings, not ours, so they stay warnings under PYTHONWARNINGS=error.
warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"cocotbext\.axi\.")


def parameters():
    return {"weights": os.environ.get("SPINAPS_WEIGHTS", ""), "images": int(os.environ.get("SPINAPS_IMAGES", "3")),
            "stalls": os.environ.get("SPINAPS_STALLS", "0") == "1", "results": os.environ.get("SPINAPS_RESULTS", ""),
            "seed": int(os.environ.get("SPINAPS_SEED", "1"))}


def network(bench, params):
    if params["weights"]:
        w = load_weights(params["weights"], bench.config)
        return w.alpha, w.bias
    return random_network(bench.config, params["seed"])


def images(config, count, seed):
    """The first test digits when the design is the digits network, random pixels otherwise."""
    if config.dataset == "digits" and config.n_inputs == 64:
        data = load_dataset(config)
        return data.test_x[:count], data.test_y[:count]
    rng = np.random.default_rng(seed)
    return rng.integers(0, 1 << config.pixel_bits, (count, config.n_inputs)), None


async def setup(dut, params, *, program=True):
    bench = Bench(dut)
    await bench.start()
    if params["stalls"]:
        bench.stall(params["seed"])
    alpha, bias = network(bench, params)
    if program:
        assert await bench.program_weights(alpha, bias) == 0, "some rows did not verify"
    return bench, alpha, bias


@cocotb.test()
async def images_match_golden(dut):
    """Program the network over the bus, run images, compare every step of every neuron."""
    params = parameters()
    started = time.perf_counter()
    bench, alpha, bias = await setup(dut, params)
    c = bench.config
    pixels, labels = images(c, params["images"], params["seed"])
    n = len(pixels)
    seeds_e = image_seeds(c.seed_encoder, n, width=c.lfsr_width)
    seeds_s = image_seeds(c.seed_spike, n, width=c.lfsr_width)
    golden = run_golden(c, alpha, bias, pixels, seed_encoder=seeds_e, seed_spike=seeds_s)
    problems, records = [], []
    for i in range(n):
        record = await bench.infer(pixels[i], seeds_e[i], seeds_s[i])
        records.append(record)
        found = compare_inference(c, bench.timing, golden, i, record)
        problems += found
        dut._log.info("image %d: class %d at step %d, %d cycles%s", i, record.result_class, record.result_step,
                      record.cycles, f", {len(found)} MISMATCHES" if found else ", bit-exact")
    cycles = np.array([r.cycles for r in records])
    steps = np.array([r.result_step for r in records])
    events = np.array([r.events for r in records])
    step_cycles = [c_ for r in records for c_ in r.step_cycles]
    result = {
        "samples": n,
        "mismatches": sum(1 for i in range(n) if compare_inference(c, bench.timing, golden, i, records[i])),
        "mismatch_messages": problems[:50],
        "accuracy": None if labels is None else float(np.mean([
            (r.result_class == y) for r, y in zip(records, labels)])),
        "cycles_per_inference": float(cycles.mean()),
        "cycles_per_step": float(np.mean(step_cycles)),
        "steps_per_inference": float(steps.mean()),
        "sops_per_inference": float(events.mean() * c.n_outputs),
        "utilization": float((events * c.n_outputs).sum() / (cycles.sum() * c.tiles * c.n_outputs)),
        "step_bound_constant": bench.timing["step_bound_constant"],
        "max_step_excess": int(max(sc - int(golden.events[i, t].max()) for i, r in enumerate(records)
                                   for t, sc in enumerate(r.step_cycles))),
        "simulated_cycles": bench.cycle,
        "test_wall_seconds": time.perf_counter() - started,
    }
    if params["results"]:
        atomic_write_text(params["results"], json.dumps(result, indent=2) + "\n")
        save_rtl_trace(Path(params["results"]).with_name("rtl_trace.npz"), c, records, labels)
    assert not problems, f"{len(problems)} mismatches, first: " + "; ".join(problems[:5])


def save_rtl_trace(path, config, records, labels):
    """What the RTL showed, as arrays: potentials and spikes of the steps it ran (zero after),
    its decisions and decision steps, so accuracy against the deadline can be computed from
    the RTL itself (model.evaluate.accuracy_by_deadline)."""
    n, steps, outputs = len(records), config.t_max, config.n_outputs
    potential = np.zeros((n, steps, outputs), dtype=np.int64)
    spike = np.zeros((n, steps, outputs), dtype=bool)
    for i, record in enumerate(records):
        for (t, o), values in record.trace.items():
            potential[i, t - 1, o], spike[i, t - 1, o] = values["potential"], values["spike"]
    buffer = io.BytesIO()
    np.savez(buffer, potential=potential, spike=spike, decision=np.array([r.result_class for r in records]),
             decision_step=np.array([r.result_step for r in records]),
             labels=np.array([] if labels is None else labels))
    atomic_write_bytes(path, buffer.getvalue())


@cocotb.test()
async def reset_mid_inference(dut):
    """A reset during an inference abandons it; the weights survive and the next inference is exact."""
    params = parameters()
    bench, alpha, bias = await setup(dut, params)
    c = bench.config
    pixels, _ = images(c, 1, params["seed"])
    await bench.load_image(pixels[0], 1, 2)
    await bench.write("T_MAX", 255)
    await bench.program_biases([c.bias_min] * c.n_outputs)            # nobody spikes: a long inference
    await bench.write("CTRL", CTRL_START)
    await ClockCycles(dut.clk, 60)
    assert await bench.status("BUSY")
    await bench.reset()
    assert not await bench.status("BUSY")
    assert await bench.read("T_MAX") == c.t_max and await bench.read("SEED_ENCODER") == c.seed_encoder
    # Biases are CMOS registers (reset); the macros are STT-RAM: no weight is reprogrammed.
    await bench.program_biases(bias)
    seeds_e, seeds_s = image_seeds(7, 1, width=c.lfsr_width), image_seeds(8, 1, width=c.lfsr_width)
    golden = run_golden(c, alpha, bias, pixels, seed_encoder=seeds_e, seed_spike=seeds_s)
    record = await bench.infer(pixels[0], seeds_e[0], seeds_s[0])
    problems = compare_inference(c, bench.timing, golden, 0, record)
    assert not problems, "; ".join(problems[:5])


@cocotb.test()
async def bus_errors(dut):
    """Bad accesses answer SLVERR, change nothing, and the core keeps working."""
    params = parameters()
    bench, alpha, bias = await setup(dut, params)
    c = bench.config
    before = await bench.read("T_MAX")
    for address in (0x0FFC, 0x7FFC, bench.address("T_MAX") + 1):
        assert await bench.write_address(address, 5) == AxiResp.SLVERR
        assert (await bench.read_address(address))[1] == AxiResp.SLVERR
    await bench.write("ID", 0, expect=AxiResp.SLVERR)
    await bench.write("T_MAX", 0, expect=AxiResp.SLVERR)
    await bench.write("BIAS", c.bias_max + 1, expect=AxiResp.SLVERR)
    await bench.write("ROW_DATA", c.weight_max + 1, expect=AxiResp.SLVERR)
    await bench.write("PROG_ROW", c.tiles << 16, expect=AxiResp.SLVERR)
    assert (await bench.read_address(bench.address("CTRL")))[1] == AxiResp.SLVERR
    assert await bench.read("T_MAX") == before
    # During an inference: weight, bias and pixel writes and a second START are refused and counted.
    pixels, _ = images(c, 1, params["seed"])
    await bench.load_image(pixels[0], 3, 4)
    await bench.write("T_MAX", 200)
    await bench.program_biases([c.bias_min] * c.n_outputs)
    refused = await bench.read("REFUSED_WRITES")
    await bench.write("CTRL", CTRL_START)
    for name, value in (("PROG_ROW", 0), ("ROW_DATA", 1), ("BIAS", 0), ("PIXEL", 1), ("CTRL", CTRL_START)):
        await bench.write(name, value, expect=AxiResp.SLVERR)
    assert await bench.read("REFUSED_WRITES") == refused + 5
    while await bench.status("BUSY"):
        pass
    # Still exact afterwards, with the refused weight write not applied.
    tile, row = tile_and_row(c, 0, 0)
    assert await bench.read_row(tile, row) == alpha[0, 0].tolist()
    await bench.write("T_MAX", c.t_max)
    await bench.program_biases(bias)
    seeds_e, seeds_s = image_seeds(9, 1, width=c.lfsr_width), image_seeds(10, 1, width=c.lfsr_width)
    golden = run_golden(c, alpha, bias, pixels, seed_encoder=seeds_e, seed_spike=seeds_s)
    record = await bench.infer(pixels[0], seeds_e[0], seeds_s[0])
    assert not compare_inference(c, bench.timing, golden, 0, record)


@cocotb.test()
async def write_failures(dut):
    """STT-RAM write failures: write-verify retries exactly as the golden controller does; when
    retries run out the sticky error is raised, readable, and cleared by the host."""
    params = parameters()
    bench = Bench(dut)
    c = bench.config
    if c.write_error_rate == 0:
        dut._log.info("write_error_rate = 0: nothing to inject")
        return
    await bench.start()
    if params["stalls"]:
        bench.stall(params["seed"])
    alpha, _ = network(bench, params)
    controllers = [MemoryController(SttRamMacro(rows=c.rows_per_tile, row_bits=c.row_bits,
                                                write_error_rate=c.write_error_rate,
                                                seed=tile_seed(c.write_error_seed, k, c.lfsr_width),
                                                lfsr_width=c.lfsr_width), write_retries=c.write_retries)
                   for k in range(c.tiles)]
    wanted = [tile_rows(c, alpha, k) for k in range(c.tiles)]
    for j in range(c.n_inputs):
        for d in range(c.tau):
            tile, row = tile_and_row(c, j, d)
            ok = await bench.program_row(tile, row, alpha[j, d])
            model_ok, _ = controllers[tile].program(row, pack_row(c, alpha[j, d]))
            assert ok == model_ok, f"input {j}, lag {d}: RTL verify {ok}, model {model_ok}"
            stored = pack_row(c, await bench.read_row(tile, row))
            assert stored == controllers[tile].read_back(row), f"input {j}, lag {d}: stored rows differ"
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
                   for r in range(len(c.tile_inputs(k)) * c.tau))
    else:
        await bench.write("CTRL", CTRL_CLEAR_ERROR)
        assert not await bench.status("WRITE_ERROR")
    dut._log.info("write failures: %d retries, %d rows failed", retries, failures)
    await RisingEdge(dut.clk)
