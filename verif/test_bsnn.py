"""cocotb tests of a generated bsnn_if accelerator against the golden model (model/bsnn.py).

Parameters come from the environment (set by verif/bsnn_runner.py): SPINAPS_MANIFEST (manifest.json
of the design), SPINAPS_WEIGHTS (network file, or empty for a random network), SPINAPS_IMAGES,
SPINAPS_RESULTS (JSON file to write), SPINAPS_SEED, SPINAPS_PROGRAM (0: the design was generated with the
network, whose weights and neuron registers it holds from reset: do not program it over the bus).
"""

import json
import os
import time
import warnings

import cocotb
import numpy as np
from cocotb.triggers import ClockCycles, RisingEdge
from cocotbext.axi import AxiResp

from hw.bsnn_regmap import CTRL_START
from hw.bsnn_top import row_words_of
from model.bsnn import load_network, random_network, run_bsnn
from model.bsnn_data import load_bsnn_dataset
from model.golden import image_seeds
from spinaps.atomic import atomic_write_text

from .bsnn_bench import BsnnBench, compare_bsnn_inference

# cocotbext-axi 0.1.28 still calls APIs that cocotb 2.1 deprecates: its warnings, not ours.
warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"cocotbext\.axi\.")


def parameters():
    return {"weights": os.environ.get("SPINAPS_WEIGHTS", ""), "images": int(os.environ.get("SPINAPS_IMAGES", "3")),
            "results": os.environ.get("SPINAPS_RESULTS", ""), "seed": int(os.environ.get("SPINAPS_SEED", "1")),
            "program": os.environ.get("SPINAPS_PROGRAM", "1") != "0"}


def network_of(bench, params):
    if params["weights"]:
        return load_network(params["weights"], bench.config)
    return random_network(bench.config, params["seed"])


def images(config, count, seed):
    """The first test images of the configured data set, or random pixels (``dataset: random``)."""
    if config.dataset != "random":
        data = load_bsnn_dataset(config)
        return data.test_x[:count], data.test_y[:count]
    rng = np.random.default_rng(seed)
    return rng.integers(0, 1 << config.pixel_bits, (count, config.n_inputs)), None


async def setup(dut, params):
    bench = BsnnBench(dut)
    await bench.start()
    network = network_of(bench, params)
    if params["program"]:
        await bench.program_network(network)
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
    problems, records = [], []
    for i in range(n):
        record = await bench.infer(pixels[i], seeds[i])
        records.append(record)
        found = compare_bsnn_inference(c, golden, i, record)
        problems += found
        dut._log.info("image %d: class %d after %d steps, %d cycles%s", i, record.result_class, record.result_steps,
                      record.cycles, f", {len(found)} MISMATCHES" if found else ", bit-exact")
    cycles = np.array([r.cycles for r in records])
    result = {
        "samples": n,
        "mismatches": sum(1 for i in range(n) if compare_bsnn_inference(c, golden, i, records[i])),
        "mismatch_messages": problems[:50],
        "accuracy": None if labels is None else float(np.mean([r.result_class == y for r, y in zip(records, labels)])),
        "golden_accuracy": None if labels is None else float(np.mean(golden.decision == labels)),
        "cycles_per_inference": float(cycles.mean()),
        "steps_per_inference": float(np.mean([r.result_steps for r in records])),
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
        words = row_words_of(bits)
        for row in (0, len(words) - 1):
            assert await bench.read_row(index, row) == words[row], f"layer {index} row {row} lost on reset"
    await bench.program_neurons(network)                              # CMOS registers: reprogrammed
    seeds = image_seeds(7, 1, width=c.lfsr_width)
    golden = run_bsnn(c, network, pixels, seed_encoder=seeds)
    record = await bench.infer(pixels[0], seeds[0])
    problems = compare_bsnn_inference(c, golden, 0, record)
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
    await bench.write("PROG_ROW", p.hidden.inputs, expect=AxiResp.SLVERR)
    assert (await bench.read_address(bench.address("CTRL")))[1] == AxiResp.SLVERR
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
    assert await bench.read_row(0, 0) == row_words_of(network.bits[0][:1])[0]
    seeds = image_seeds(9, 1, width=c.lfsr_width)
    golden = run_bsnn(c, network, pixels, seed_encoder=seeds)
    record = await bench.infer(pixels[0], seeds[0])
    assert not compare_bsnn_inference(c, golden, 0, record)
    await RisingEdge(dut.clk)
