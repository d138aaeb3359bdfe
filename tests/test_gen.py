"""python -m gen: outputs, manifest, lint-clean Verilog, and errors that write nothing."""

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from gen.generate import generate
from model.weights import Weights, save_weights
from spinaps.config import PRESETS, Config
from spinaps.contract import tile_map
from spinaps.regmap import register_map
from verif.tools import lint

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("config, trace", [
    (Config(), False), (Config(), True), (Config(tiles=1, neuron_lanes=1), False),
    (Config(tiles=7, tile_map="blocked", neuron_lanes=10), True), (Config(tiles=16, tile_map="interleaved"), False),
    (PRESETS["tiny"].replace(write_error_rate=0.1, lfsr_width=16, read_latency=3), True),
    # A PIXEL word of 30 bits (10 pixels of 3 bits), and tiles holding fewer inputs than a word.
    (PRESETS["tiny"].replace(pixel_bits=3), False),
    (Config(dataset="random", n_inputs=5, n_outputs=3, tiles=2, tau=2, n_basis=2, tile_map="blocked"), True),
    (Config(dataset="random", n_inputs=9, n_outputs=3, tiles=2, tau=2, n_basis=2, pixel_bits=6), False),
    # One row a macro: nothing to address.
    (Config(dataset="random", n_inputs=2, n_outputs=3, tiles=2, tau=1, n_basis=1), True),
    # The paper-size presets as make run builds them (about 25 s each: make verify).
    pytest.param(PRESETS["mnist"], False, marks=pytest.mark.full),
    pytest.param(PRESETS["har"], False, marks=pytest.mark.full)],
    ids=["tiles8", "tiles8_trace", "tiles1_lanes1", "tiles7_blocked_lanes10_trace", "tiles16_interleaved",
         "tiny_errors_trace", "pixel_bits3", "tiles_under_a_word_trace", "tile_under_a_word_pixel_bits6",
         "one_row_a_macro_trace", "preset_mnist", "preset_har"])
def test_generated_verilog_is_lint_clean(tmp_path, config, trace):
    generate(config, tmp_path, trace=trace)
    assert lint(tmp_path / f"{config.top_name}.v") == ""


def test_outputs_and_manifest(tmp_path):
    config = Config(tile_map="interleaved")
    manifest = generate(config, tmp_path)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["manifest.json", "regmap.md", "spinaps_top.il", "spinaps_top.v", "spinaps_top_regs.h"]
    assert json.loads((tmp_path / "manifest.json").read_text()) == manifest
    assert Config.from_manifest(tmp_path / "manifest.json") == config
    assert manifest["registers"] == [r.to_dict() for r in register_map(config)]
    assert manifest["tile_map"][1] == list(range(1, 64, 8)) and manifest["trace"] is False
    ports = {p["name"]: p for p in manifest["ports"]}
    assert ports["s_axil_awaddr"] == {"name": "s_axil_awaddr", "direction": "input", "width": 16}
    assert ports["irq"]["direction"] == "output" and ports["clk"]["width"] == 1
    assert not any(name.startswith("trace") for name in ports)
    verilog = (tmp_path / "spinaps_top.v").read_text()
    port_list = re.search(r"^module spinaps_top\((.*?)\);", verilog, re.M | re.S).group(1)
    assert {name.strip() for name in port_list.split(",")} == set(ports)
    assert "| 0x0014 | STATUS | RO |" in (tmp_path / "regmap.md").read_text()


def test_trace_build_has_the_trace_ports(tmp_path):
    manifest = generate(Config(), tmp_path, trace=True)
    ports = {p["name"]: p["width"] for p in manifest["ports"]}
    assert manifest["trace"] is True
    assert ports["trace_valid"] == 1 and ports["trace_potential"] == 10 * Config().acc_width


def test_c_header_compiles_and_matches(tmp_path):
    config = Config(tiles=3, tile_map="interleaved")
    generate(config, tmp_path)
    program = tmp_path / "check.c"
    program.write_text('#include "spinaps_top_regs.h"\n#include <stdio.h>\nint main(void) {\n'
                       '  printf("%u %u %u\\n", SPINAPS_TOP_STATUS_OFFSET, SPINAPS_TOP_PIXEL1(2), '
                       'SPINAPS_TOP_PROG_ROW_VALUE(7, 2));\n  return 0;\n}\n')
    subprocess.run(["gcc", "-Wall", "-Werror", "-o", str(tmp_path / "check"), str(program), f"-I{tmp_path}"],
                   check=True)
    out = subprocess.run([str(tmp_path / "check")], capture_output=True, text=True, check=True).stdout.split()
    regs = {r.name: r.offset for r in register_map(config)}
    # Input 7 (interleaved on 3 tiles) is local input 7 // 3 = 2 of tile 7 % 3 = 1: row 2 * tau + lag.
    assert list(map(int, out)) == [regs["STATUS"], regs["PIXEL1"] + 8, (2 * config.tau + 2) | 1 << 16]


def test_weights_initialise_macros_and_biases(tmp_path):
    config = PRESETS["tiny"]
    rng = np.random.default_rng(0)
    alpha = rng.integers(config.weight_min, config.weight_max + 1, (config.n_inputs, config.tau, config.n_outputs))
    save_weights(tmp_path / "w.npz", Weights(alpha=alpha, bias=np.arange(config.n_outputs) - 7, config=config))
    manifest = generate(config, tmp_path / "out", weights_path=tmp_path / "w.npz")
    assert manifest["weights"].endswith("w.npz") and len(manifest["weights_sha256"]) == 64
    assert lint(tmp_path / "out" / "spinaps_top.v") == ""


def test_balanced_map_comes_from_the_training_set(tmp_path):
    from model.data import load_dataset

    config = Config(tiles=4)
    manifest = generate(config, tmp_path)
    activity = load_dataset(config).train_x / 256.0
    assert manifest["tile_map"] == [list(t) for t in tile_map(config, activity=activity)]
    assert manifest["tile_map"] != [list(t) for t in tile_map(config.replace(tile_map="interleaved"))]


def run_gen(*args, cwd):
    return subprocess.run([sys.executable, "-m", "gen", *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


@pytest.mark.parametrize("args, message", [
    (["--tiles", "0"], "tiles = 0 is out of range (allowed: 1..64)"),
    (["--tiles", "65"], "tiles = 65 is out of range (allowed: 1..64)"),
    (["--tiles", "x"], "argument --tiles: invalid int value: 'x'"),
    (["--config", "missing.yaml"], "missing.yaml: cannot read: No such file or directory"),
    (["--weights", "missing.npz"], "missing.npz: no such file"),
    (["--frobnicate"], "unrecognized arguments: --frobnicate"),
])
def test_errors_are_one_line_and_write_nothing(tmp_path, args, message):
    result = run_gen(*args, "--out", "out", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()


def test_help_explains_every_option(tmp_path):
    result = run_gen("--help", cwd=tmp_path)
    assert result.returncode == 0
    for option in ("--tiles", "--config", "--weights", "--out", "--trace"):
        assert option in result.stdout
