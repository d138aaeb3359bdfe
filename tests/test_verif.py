"""cocotb on Icarus Verilog and Verilator: the generated Verilog against the golden model.

A fast subset of the regression (make verify runs the full set, make sim the 100-digit run).
Each parametrisation has its own build directory, so `pytest -n auto` is safe.
"""

import json

import pytest

from spinaps.config import PRESETS, Config
from verif.runner import SIMULATORS, run_cocotb

TINY = PRESETS["tiny"]

#: name -> (configuration, cocotb tests to run, images, random AXI stalls)
FAST = {
    "tiles1_w3_tau2_abstain": (TINY.replace(tiles=1, t_max=5, timeout_policy="abstain"),
                               ["images_match_golden", "bus_errors"], 2, False),
    "tiles3_w5_tau4_maxpot_argmax_stalls": (
        TINY.replace(weight_bits=5, weight_frac_bits=2, bias_bits=10, tau=4, n_basis=2,
                     tie_policy="max_potential", timeout_policy="argmax_potential", read_latency=2),
        ["images_match_golden", "reset_mid_inference"], 2, True),
    "tiles8_default": (Config(t_max=6), ["images_match_golden"], 2, False),
    "write_errors_retried": (TINY.replace(dataset="random", n_inputs=16, tiles=2, write_error_rate=0.25, write_retries=15),
                             ["write_failures"], 0, False),
    "write_errors_exhausted": (TINY.replace(dataset="random", n_inputs=16, tiles=2, write_error_rate=0.5, write_retries=0),
                               ["write_failures"], 0, True),
}


@pytest.mark.parametrize("sim", SIMULATORS)
@pytest.mark.parametrize("name", FAST)
def test_rtl_matches_golden(sim, name):
    config, tests, images, stalls = FAST[name]
    work = run_cocotb(sim=sim, config=config, name=f"fast_{name}", testcase=tests, images=images, stalls=stalls)
    results = json.loads((work / "results.json").read_text())
    if "images_match_golden" in tests:
        assert results["samples"] == images and results["mismatches"] == 0
        assert results["max_step_excess"] <= results["step_bound_constant"]
    if "write_failures" in tests:       # enough retries: every row exact; none: the sticky error path
        assert (results["write_failures"] > 0) == (config.write_retries == 0), results


def full_matrix():
    """Tiles {1, 3, 8, 16} x weight widths {3, 6} x kernel lengths {2, 5} x both tie and both
    timeout policies x stalls on/off, in 8 configurations that pair every value with every other."""
    rows = [(1, 3, 2, "lowest_index", "abstain", False), (1, 6, 5, "max_potential", "argmax_potential", True),
            (3, 3, 5, "max_potential", "abstain", True), (3, 6, 2, "lowest_index", "argmax_potential", False),
            (8, 3, 2, "max_potential", "argmax_potential", True), (8, 6, 5, "lowest_index", "abstain", False),
            (16, 3, 5, "lowest_index", "argmax_potential", True), (16, 6, 2, "max_potential", "abstain", False)]
    for tiles, bits, tau, tie, timeout, stalls in rows:
        config = Config(tiles=tiles, weight_bits=bits, weight_frac_bits=bits - 2, bias_bits=bits + 6, tau=tau,
                        n_basis=2, tie_policy=tie, timeout_policy=timeout, t_max=8)
        yield f"t{tiles}_w{bits}_tau{tau}_{tie}_{timeout}" + ("_stalls" if stalls else ""), config, stalls


FULL = {name: (config, stalls) for name, config, stalls in full_matrix()}


@pytest.mark.full
@pytest.mark.parametrize("sim", SIMULATORS)
@pytest.mark.parametrize("name", FULL)
def test_full_regression(sim, name):
    config, stalls = FULL[name]
    work = run_cocotb(sim=sim, config=config, name=f"full_{name}", images=5, stalls=stalls,
                      testcase=["images_match_golden", "reset_mid_inference", "bus_errors"])
    results = json.loads((work / "results.json").read_text())
    assert results["mismatches"] == 0 and results["max_step_excess"] <= results["step_bound_constant"]


@pytest.mark.full
@pytest.mark.parametrize("sim", SIMULATORS)
@pytest.mark.parametrize("rate, retries", [(0.1, 3), (0.3, 15), (0.5, 1)])
def test_full_write_failures(sim, rate, retries):
    config = TINY.replace(write_error_rate=rate, write_retries=retries)
    run_cocotb(sim=sim, config=config, name=f"full_write_{rate}_{retries}", testcase=["write_failures"],
               images=0, stalls=True)
