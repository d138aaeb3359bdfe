"""Every configuration the checker accepts generates, lints and simulates bit-exactly.

The extremes of every range, each with the other fields chosen so that the configuration is valid
and cheap: generated with the trace port, ``verilator --lint-only -Wall`` clean, and one or two
inferences compared with the golden model step by step, neuron by neuron and tile by tile
(``verif/test_top.py``'s images_match_golden). The large ones (N_X = 4096, N_Y = 256, 64 tiles)
run under ``make verify`` (``-m full``). Then random valid configurations over every field's whole
range go through the generator: none may raise.
"""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

from gen.generate import generate
from model.weights import Weights, save_weights
from spinaps.config import Config
from verif.runner import run_cocotb
from verif.soak import random_config
from verif.stimulus import random_network
from verif.tools import lint

ROOT = Path(__file__).resolve().parents[1]
RUNTIME = ROOT / "build" / "verif" / "verilator-runtime"

#: Small and cheap: every extreme below changes a few fields of this.
BASE = Config(dataset="random", n_inputs=5, n_outputs=3, tiles=2, tau=2, n_basis=1, weight_bits=4, weight_frac_bits=1,
              bias_bits=8, lut_addr_bits=5, lut_shift=0, prob_bits=8, pixel_bits=8, t_max=4, neuron_lanes=2,
              tile_map="interleaved", lfsr_width=16, seed_encoder=0xACE1, seed_spike=0xBEEF, write_error_seed=0x5EED)

#: name -> (changes to BASE, options). Options: "full" (make verify only), "sim" (default icarus),
#: "program" (default bus: every row over AXI4-Lite; preloaded: generated into the macros),
#: "bias" ("min": every bias at its minimum, so that nobody spikes and every step up to T_max runs).
EXTREMES = {
    "n_inputs_1": (dict(n_inputs=1, tiles=1), {}),
    "n_inputs_4096": (dict(n_inputs=4096, tiles=16, tau=1, n_outputs=2, weight_bits=2, t_max=2),
                      dict(full=True, sim="verilator", program="preloaded")),
    "n_outputs_2": (dict(n_outputs=2), {}),
    "n_outputs_256": (dict(n_outputs=256, weight_bits=4, n_inputs=2, tiles=1, tau=1, neuron_lanes=16, t_max=2),
                      dict(full=True, sim="verilator")),
    "tiles_1": (dict(tiles=1), {}),
    "tiles_64": (dict(n_inputs=64, tiles=64, tau=1, n_outputs=2, weight_bits=2, pixel_bits=16, t_max=2),
                 dict(full=True, sim="verilator", program="preloaded")),
    "tau_1": (dict(tau=1), {}),
    "tau_32": (dict(tau=32, n_inputs=2, tiles=1), {}),
    "one_row_a_macro": (dict(tau=1, n_inputs=2, tiles=2), {}),
    "weight_bits_2": (dict(weight_bits=2, weight_frac_bits=0), {}),
    "weight_bits_16": (dict(weight_bits=16, weight_frac_bits=12, bias_bits=20, lut_addr_bits=8, lut_shift=10), {}),
    "weight_frac_bits_16": (dict(weight_frac_bits=16, bias_bits=24, lut_addr_bits=10, lut_shift=16), {}),
    "lfsr_16": (dict(lfsr_width=16), {}),
    "lfsr_24": (dict(lfsr_width=24, seed_encoder=0xABCDEF, seed_spike=0x800000), {}),
    "lfsr_32": (dict(lfsr_width=32, seed_encoder=0xFFFFFFFF, seed_spike=0x80000001), {}),
    "pixel_bits_1": (dict(pixel_bits=1), {}),
    "pixel_bits_16": (dict(pixel_bits=16), {}),
    "prob_bits_1": (dict(prob_bits=1), {}),
    "prob_bits_16": (dict(prob_bits=16), {}),
    "lut_addr_bits_2": (dict(lut_addr_bits=2, lut_shift=2), {}),
    "lut_addr_bits_12": (dict(lut_addr_bits=12), {}),
    "lut_shift_16": (dict(lut_shift=16, bias_bits=24, weight_frac_bits=12), {}),
    "t_max_1": (dict(t_max=1), {}),
    "t_max_255": (dict(t_max=255), dict(bias="min")),
    "read_latency_8": (dict(read_latency=8), {}),
    "write_latency_64": (dict(write_latency=64), {}),
    "bias_bits_2": (dict(bias_bits=2, weight_frac_bits=0), {}),
    "bias_bits_24": (dict(bias_bits=24), dict(bias="min")),
    "lanes_1": (dict(neuron_lanes=1, n_outputs=5), {}),
    "lanes_n_y": (dict(neuron_lanes=5, n_outputs=5), {}),
    "lanes_over_n_y": (dict(neuron_lanes=256, n_outputs=5), {}),
    # 40 pixel words read 8 a cycle: W = 5 cycles, more than the neuron stage's G + 2 = 4, set the pace
    "encoder_words_8": (dict(encoder_words=8, n_inputs=160, tiles=1, tau=1), {}),
}


def weights_file(path: Path, config: Config, bias: str | None) -> Path:
    alpha, biases = random_network(config, 1)
    if bias == "min":
        biases = np.full(config.n_outputs, config.bias_min)
    save_weights(path, Weights(alpha=np.asarray(alpha), bias=np.asarray(biases), config=config))
    return path


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.full) if o.get("full") else n
                                  for n, (_, o) in EXTREMES.items()])
def test_extreme_generates_lints_and_simulates(name, tmp_path):
    changes, options = EXTREMES[name]
    config = BASE.replace(**changes)
    sim, program = options.get("sim", "icarus"), options.get("program", "bus")
    weights = None
    if program == "preloaded" or options.get("bias"):
        # A weights file: programmed over the bus, or generated into the macros (SPINAPS_WEIGHTS).
        weights = weights_file(tmp_path / "w.npz", config, options.get("bias"))
    work = run_cocotb(sim=sim, config=config, name=f"extreme_{name}", testcase="images_match_golden", images=1,
                      weights=weights, program=program, trace=True, quick_build=True, runtime_cache=RUNTIME)
    results = json.loads((work / "results.json").read_text())
    assert results["samples"] == 1 and results["mismatches"] == 0 and results["traced"], results
    if options.get("bias") == "min" and config.t_max > 1:
        assert results["steps_per_inference"] == config.t_max, "the inference should have timed out at T_max"
    assert lint(work / "gen" / f"{config.top_name}.v") == ""


# -- random valid configurations through the generator

def random_configs(count: int, seed: int, *, cheap: bool = False):
    """``count`` random valid configurations over every field's whole range (``cheap``: only those
    that generate in seconds: ≤ 8 tiles, N_Y ≤ 64, ≤ 1024 rows a tile)."""
    rng = np.random.default_rng(seed)
    found = []
    while len(found) < count:
        config = random_config(rng, wide=True)
        if not cheap or (config.tiles <= 8 and config.n_outputs <= 64 and config.rows_per_tile <= 1024):
            found.append(config)
    return found


def _generate_without_error(config: Config, out: Path, trace: bool):
    manifest = generate(config, out, trace=trace)
    assert manifest["config"] == config.to_dict()
    assert (out / f"{config.top_name}.v").stat().st_size > 0


@pytest.mark.parametrize("index", range(4))
def test_random_configurations_generate_and_lint(index, tmp_path):
    """A handful of random configurations over the whole ranges, the ones that generate in seconds."""
    config = random_configs(4, seed=20, cheap=True)[index]
    _generate_without_error(config, tmp_path, trace=bool(index % 2))
    assert lint(tmp_path / f"{config.top_name}.v") == ""


@pytest.mark.full
@pytest.mark.parametrize("block", range(3))
def test_many_random_configurations_generate(block, tmp_path):
    """12 random configurations over the whole ranges, large ones included: the generator never raises."""
    for i, config in enumerate(random_configs(12, seed=21)[block::3]):
        _generate_without_error(config, tmp_path / str(i), trace=bool(i % 2))


def test_python_m_gen_on_a_random_configuration(tmp_path):
    """The command line, not only the function: exit 0, no traceback."""
    config = random_configs(1, seed=22, cheap=True)[0]
    (tmp_path / "c.yaml").write_text(yaml.safe_dump(config.to_dict()))
    result = subprocess.run([sys.executable, "-m", "gen", "--config", "c.yaml", "--out", "out"], cwd=tmp_path,
                            capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin",
                                                                 "AMARANTH_USE_YOSYS": "builtin"})
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert (tmp_path / "out" / "manifest.json").is_file()
