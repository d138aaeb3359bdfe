"""cocotb tests of a generated bsnn_if accelerator against the golden model (model/bsnn.py).

Parameters come from the environment (set by verif/runner.py, ``run_cocotb(test_module="verif.test_bsnn")``):
SPINAPS_MANIFEST (manifest.json of the design), SPINAPS_WEIGHTS (network file, or empty for a random
network), SPINAPS_PROGRAM ("bus": program every row and neuron register over AXI4-Lite; "preloaded": the
design was generated with the network, which it holds from reset: check a few rows by read-back),
SPINAPS_IMAGES, SPINAPS_RESULTS (JSON file to write), SPINAPS_SEED.
"""

import json
import os
import time

import cocotb
import numpy as np
from cocotb.triggers import ClockCycles, RisingEdge
from cocotbext.axi import AxiResp

from model.bsnn import load_network, random_network, run_bsnn
from model.data import load_dataset
from spinaps.atomic import atomic_write_text
from spinaps.bsnn_contract import row_word
from spinaps.contract import image_seeds

from .bench import image_results
from .bsnn_bench import CTRL_START, BsnnBench, compare_bsnn_inference


def parameters():
    return {"weights": os.environ.get("SPINAPS_WEIGHTS", ""), "images": int(os.environ.get("SPINAPS_IMAGES", "3")),
            "results": os.environ.get("SPINAPS_RESULTS", ""), "seed": int(os.environ.get("SPINAPS_SEED", "1")),
            "program": os.environ.get("SPINAPS_PROGRAM", "bus")}


def network_of(bench, params):
    if params["weights"]:
        return load_network(params["weights"], bench.config)
    return random_network(bench.config, params["seed"])


def images(config, count, seed):
    """The first test images of the configured data set (uniform random pixels for ``random``)."""
    data = load_dataset(config)
    return data.test_x[:count], data.test_y[:count]


async def setup(dut, params):
    bench = BsnnBench(dut)
    await bench.start()
    network = network_of(bench, params)
    if params["program"] == "bus":
        await bench.program_network(network)
    else:
        for index, bits in enumerate(network.bits):
            for row in sorted({0, len(bits) // 2, len(bits) - 1}):
                got = await bench.read_row(index, row)
                assert got == row_word(bits[row]), f"layer {index} row {row}: preloaded {got:#x} != {row_word(bits[row]):#x}"
    return bench, network


@cocotb.test()
async def images_match_golden(dut):
    """Program the network over the bus, run images, compare every step of every neuron."""
    params = parameters()
    started = time.perf_counter()
    bench, network = await setup(dut, params)
    c = bench.config
    pixels, labels = images(c, params["images"], params["seed"])
    n = len(pixels)
    seeds = image_seeds(c.seed_encoder, n, width=c.lfsr_width)
    golden = run_bsnn(c, network, pixels, seed_encoder=seeds)
    problems, records, bad = [], [], 0
    for i in range(n):
        record = await bench.infer(pixels[i], seeds[i])
        records.append(record)
        found = compare_bsnn_inference(c, golden, i, record, traced=bench.has_trace)
        problems += found
        bad += bool(found)
        dut._log.info("image %d: class %d after %d steps, %d cycles%s", i, record.result_class, record.result_steps,
                      record.cycles, f", {len(found)} MISMATCHES" if found else ", bit-exact")
    cycles = np.array([r.cycles for r in records])
    steps = np.array([r.result_steps for r in records])
    result = image_results(classes=[r.result_class for r in records], labels=labels, cycles=cycles, steps=steps,
                           problems=problems, bad=bad, traced=bench.has_trace) | {
        "golden_accuracy": float(np.mean(golden.decision == labels)),
        "hidden_spikes_per_inference": float(golden.spike[0].sum(axis=(1, 2)).mean()),
        "input_spikes_per_inference": float(golden.x.sum(axis=(1, 2)).mean()),
        "test_wall_seconds": time.perf_counter() - started,
    }
    if params["results"]:
        atomic_write_text(params["results"], json.dumps(result, indent=2) + "\n")
    assert not problems, f"{len(problems)} mismatches, first: " + "; ".join(problems[:5])


@cocotb.test()
async def reset_mid_inference(dut):
    """A reset during an inference abandons it; the macros keep their weights (non-volatile), the
    neuron registers return to their reset values, and the next inference is exact."""
    params = parameters()
    bench, network = await setup(dut, params)
    c = bench.config
    pixels, _ = images(c, 1, params["seed"])
    await bench.load_image(pixels[0], 3)
    await bench.write("CTRL", CTRL_START)
    await ClockCycles(dut.clk, 5)
    assert await bench.status("BUSY")
    await bench.reset()
    assert not await bench.status("BUSY")
    assert await bench.read("T_STEPS") == c.time_steps and await bench.read("SEED_ENCODER") == c.seed_encoder
    for index, bits in enumerate(network.bits):                      # the STT-RAM kept every row
        for row in (0, len(bits) - 1):
            assert await bench.read_row(index, row) == row_word(bits[row]), f"layer {index} row {row} lost on reset"
    if params["program"] == "bus":                                    # CMOS registers: reprogrammed
        await bench.program_neurons(network)
    seeds = image_seeds(7, 1, width=c.lfsr_width)
    golden = run_bsnn(c, network, pixels, seed_encoder=seeds)
    record = await bench.infer(pixels[0], seeds[0])
    problems = compare_bsnn_inference(c, golden, 0, record, traced=bench.has_trace)
    assert not problems, "; ".join(problems[:5])


@cocotb.test()
async def bus_errors(dut):
    """Bad accesses answer SLVERR and change nothing; writes during an inference are refused and counted."""
    params = parameters()
    bench, network = await setup(dut, params)
    c, p = bench.config, bench.params
    for address in (0x0FFC, 0xFFFC, bench.address("T_STEPS") + 1):
        assert await bench.write_address(address, 1) == AxiResp.SLVERR
        assert (await bench.read_address(address))[1] == AxiResp.SLVERR
    await bench.write("ID", 0, expect=AxiResp.SLVERR)
    await bench.write("T_STEPS", 0, expect=AxiResp.SLVERR)
    await bench.write("THRESHOLD_HIDDEN", 0, expect=AxiResp.SLVERR)
    await bench.write("BIAS_OUTPUT", p.bias_max + 1, expect=AxiResp.SLVERR)
    await bench.write("PROG_ROW", p.hidden.inputs + p.output.inputs, expect=AxiResp.SLVERR)
    await bench.write("T_STEPS", c.time_steps + 1, expect=AxiResp.SLVERR)
    assert (await bench.read_address(bench.address("CTRL")))[1] == AxiResp.SLVERR
    assert (await bench.read_address(bench.address("PIXEL")))[1] == AxiResp.SLVERR
    pixels, _ = images(c, 1, params["seed"])
    await bench.load_image(pixels[0], 5)
    refused = await bench.read("REFUSED_WRITES")
    await bench.write("CTRL", CTRL_START)
    for name, value in (("PROG_ROW", 0), ("ROW_DATA", 1), ("THRESHOLD_OUTPUT", 1), ("PIXEL", 0),
                        ("CTRL", CTRL_START)):
        await bench.write(name, value, expect=AxiResp.SLVERR)
    assert await bench.read("REFUSED_WRITES") == refused + 5
    while await bench.status("BUSY"):
        pass
    assert await bench.read_row(0, 0) == row_word(network.bits[0][0])
    seeds = image_seeds(9, 1, width=c.lfsr_width)
    golden = run_bsnn(c, network, pixels, seed_encoder=seeds)
    record = await bench.infer(pixels[0], seeds[0])
    assert not compare_bsnn_inference(c, golden, 0, record, traced=bench.has_trace)
    await RisingEdge(dut.clk)
