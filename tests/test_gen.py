"""python -m gen: outputs, manifest, lint-clean Verilog, and errors that write nothing."""

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from gen.generate import generate
from hw.regmap import register_map
from model.weights import Weights, save_weights
from spinaps.config import PRESETS, Config
from verif.tools import verilator_bin, verilator_env

ROOT = Path(__file__).resolve().parents[1]


def lint(verilog: Path) -> str:
    result = subprocess.run([verilator_bin(), "--lint-only", "-Wall", str(verilog)], env=verilator_env(),
                            capture_output=True, text=True)
    return (result.stdout + result.stderr).strip() if result.returncode or result.stderr.strip() else ""


@pytest.mark.parametrize("config", [Config(), Config(tiles=1), Config(tiles=7), Config(tiles=16),
                                    PRESETS["tiny"].replace(write_error_rate=0.1, lfsr_width=16, read_latency=3)],
                         ids=["tiles8", "tiles1", "tiles7", "tiles16", "tiny_errors"])
def test_generated_verilog_is_lint_clean(tmp_path, config):
    generate(config, tmp_path)
    assert lint(tmp_path / f"{config.top_name}.v") == ""


def test_outputs_and_manifest(tmp_path):
    config = Config()
    manifest = generate(config, tmp_path)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["manifest.json", "regmap.md", "spinaps_top.il", "spinaps_top.v", "spinaps_top_regs.h"]
    assert json.loads((tmp_path / "manifest.json").read_text()) == manifest
    assert Config.from_manifest(tmp_path / "manifest.json") == config
    assert manifest["registers"] == [r.to_dict() for r in register_map(config)]
    ports = {p["name"]: p for p in manifest["ports"]}
    assert ports["s_axil_awaddr"] == {"name": "s_axil_awaddr", "direction": "input", "width": 16}
    assert ports["irq"]["direction"] == "output" and ports["clk"]["width"] == 1
    verilog = (tmp_path / "spinaps_top.v").read_text()
    port_list = re.search(r"^module spinaps_top\((.*?)\);", verilog, re.M | re.S).group(1)
    assert {name.strip() for name in port_list.split(",")} == set(ports)
    assert manifest["derived"]["tile_inputs"][1] == list(range(1, 64, 8))
    assert "| 0x0010 | STATUS | RO |" in (tmp_path / "regmap.md").read_text()


def test_c_header_compiles_and_matches(tmp_path):
    config = Config(tiles=3)
    generate(config, tmp_path)
    program = tmp_path / "check.c"
    program.write_text('#include "spinaps_top_regs.h"\n#include <stdio.h>\nint main(void) {\n'
                       '  printf("%u %u %u\\n", SPINAPS_TOP_STATUS_OFFSET, SPINAPS_TOP_PIXEL(5), '
                       'SPINAPS_TOP_PROG_ROW_VALUE(7, 2));\n  return 0;\n}\n')
    subprocess.run(["gcc", "-Wall", "-Werror", "-o", str(tmp_path / "check"), str(program), f"-I{tmp_path}"],
                   check=True)
    out = subprocess.run([str(tmp_path / "check")], capture_output=True, text=True, check=True).stdout.split()
    regs = {r.name: r.offset for r in register_map(config)}
    # Input 7 at lag 2 lives in tile 7 % 3 = 1, row (7 // 3) * tau + 2.
    assert list(map(int, out)) == [regs["STATUS"], regs["PIXEL"] + 20, (2 * config.tau + 2) | 1 << 16]


def test_weights_initialise_macros_and_biases(tmp_path):
    config = PRESETS["tiny"]
    rng = np.random.default_rng(0)
    alpha = rng.integers(config.weight_min, config.weight_max + 1, (config.n_inputs, config.tau, config.n_outputs))
    save_weights(tmp_path / "w.npz", Weights(alpha=alpha, bias=np.arange(config.n_outputs) - 7, config=config))
    generate(config, tmp_path / "out", weights_path=tmp_path / "w.npz")
    assert (json.loads((tmp_path / "out" / "manifest.json").read_text())["weights"]).endswith("w.npz")
    assert lint(tmp_path / "out" / "spinaps_top.v") == ""


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
    for option in ("--tiles", "--config", "--weights", "--out"):
        assert option in result.stdout
