"""cocotb on Icarus Verilog and Verilator: the generated Verilog against the golden model.

A fast subset of the regression (make verify runs the full set, make sim the 100-image run,
make soak the random one). Each parametrisation has its own build directory, so
`pytest -n auto` is safe. The flows that simulate must fail when the RTL disagrees with the
golden model: the tests below break the hardware (in the test only) and check that they do.
"""

import json

import pytest

import hw.neuron
import hw.top
from spinaps.cli import VerificationError
from spinaps.config import PRESETS, Config
from verif.runner import SIMULATORS, check_results, run_cocotb

TINY = PRESETS["tiny"]
BOTH = ["images_match_golden", "bus_errors"]

#: name -> (configuration, cocotb tests to run, images, random AXI stalls, trace port)
FAST = {
    "tiles1_abstain_lanes1_notrace": (TINY.replace(tiles=1, t_max=5, timeout_policy="abstain", neuron_lanes=1),
                                      BOTH, 2, False, False),
    "tiles3_maxpot_lanes2_blocked_stalls": (
        TINY.replace(weight_bits=5, weight_frac_bits=2, bias_bits=10, tau=4, n_basis=2, neuron_lanes=2,
                     tie_policy="max_potential", timeout_policy="argmax_potential", read_latency=2,
                     tile_map="blocked"),
        ["images_match_golden", "reset_mid_inference"], 2, True, True),
    "tiles8_default_balanced": (Config(t_max=6), ["images_match_golden"], 3, False, True),
    "tiles5_interleaved_all_lanes_2words": (Config(tiles=5, tile_map="interleaved", neuron_lanes=10, t_max=6,
                                                   pixel_bits=5, encoder_words=2),
                                            ["images_match_golden"], 2, False, True),
    "tiles3_two_pixel_banks_stalls": (TINY.replace(tiles=3, pixel_banks=2, encoder_words=2, t_max=6),
                                      ["images_match_golden", "bus_errors"], 4, True, True),
    "write_errors_retried": (TINY.replace(dataset="random", n_inputs=16, tiles=2, write_error_rate=0.25,
                                          write_retries=15), ["write_failures"], 0, False, False),
    "write_errors_exhausted": (TINY.replace(dataset="random", n_inputs=16, tiles=2, write_error_rate=0.5,
                                            write_retries=0), ["write_failures"], 0, True, False),
}


@pytest.mark.parametrize("sim", SIMULATORS)
@pytest.mark.parametrize("name", FAST)
def test_rtl_matches_golden(sim, name):
    config, tests, images, stalls, trace = FAST[name]
    work = run_cocotb(sim=sim, config=config, name=f"fast_{name}", testcase=tests, images=images, stalls=stalls,
                      trace=trace)
    results = json.loads((work / "results.json").read_text())
    if "images_match_golden" in tests:
        assert results["samples"] == images and results["mismatches"] == 0 and results["traced"] == trace
    if "write_failures" in tests:       # enough retries: every row exact; none: the sticky error path
        assert (results["write_failures"] > 0) == (config.write_retries == 0), results


# -- honest failures: a broken design, a broken results file

def broken_lut(config):
    """The spec's LUT upside down: likely spikes become unlikely (for the hardware only, injected by these tests)."""
    from spinaps.contract import sigmoid_lut

    return sigmoid_lut(config)[::-1]


@pytest.fixture
def broken_hardware(monkeypatch):
    monkeypatch.setattr(hw.neuron, "sigmoid_lut", broken_lut)


def test_a_mismatch_fails_the_cocotb_run(broken_hardware):
    with pytest.raises(VerificationError, match=r"images_match_golden: .*mismatch the golden model; first: image"):
        run_cocotb(sim="icarus", config=TINY, name="broken_lut", testcase="images_match_golden", images=2)


@pytest.fixture
def hung_hardware(monkeypatch):
    """An accelerator whose interrupt never rises (for the hardware only, injected by this test)."""
    elaborate = hw.top.Accelerator.elaborate

    def without_interrupt(self, platform):
        m = elaborate(self, platform)
        m.d.comb += self.irq.eq(0)
        return m

    monkeypatch.setattr(hw.top.Accelerator, "elaborate", without_interrupt)


@pytest.mark.parametrize("trace", [True, False])
def test_a_hung_design_fails_the_cocotb_run(hung_hardware, trace):
    with pytest.raises(VerificationError, match=r"images_match_golden: no interrupt within \d+ cycles"):
        run_cocotb(sim="icarus", config=TINY, name=f"hung_trace{int(trace)}", testcase="images_match_golden",
                   images=1, trace=trace)


def test_results_checks(tmp_path):
    with pytest.raises(VerificationError, match="ended without results"):
        check_results(tmp_path / "none.xml", expected=1)
    xml = tmp_path / "r.xml"
    xml.write_text('<testsuites><testsuite><testcase name="a"/></testsuite></testsuites>')
    check_results(xml, expected=1)
    with pytest.raises(VerificationError, match="ended early: 1 of 2 cocotb tests ran"):
        check_results(xml, expected=2)
    xml.write_text('<testsuites><testsuite><testcase name="a"><failure message="boom"/></testcase>'
                   '</testsuite></testsuites>')
    with pytest.raises(VerificationError, match="1 of 1 cocotb tests failed; a: boom"):
        check_results(xml, expected=1)


@pytest.fixture(scope="module")
def tiny_weights(tmp_path_factory):
    from model.data import load_dataset
    from model.train import train
    from model.weights import save_weights

    config = TINY.replace(train_epochs=2, qat_epochs=1)
    path = tmp_path_factory.mktemp("weights") / "tiny.npz"
    save_weights(path, train(config, load_dataset(config), progress=False))
    return path, config


def write_config(tmp_path, config):
    import yaml

    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(config.to_dict()))
    return path


def test_sim_cli_exits_1_on_a_mismatch(broken_hardware, tiny_weights, tmp_path, capsys):
    from verif.sim import main

    weights, config = tiny_weights
    status = main(["--sim", "icarus", "--n", "3", "--weights", str(weights), "--config",
                   str(write_config(tmp_path, config)), "--out", str(tmp_path / "sim")])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 1 and err[-1].startswith("python -m verif.sim: FAILED: ")
    assert "mismatch the golden model" in err[-1]


def test_flow_exits_1_on_a_mismatch(broken_hardware, tiny_weights, tmp_path, capsys):
    from flow.__main__ import main

    weights, config = tiny_weights
    status = main(["run", "--sim", "icarus", "--n", "2", "--weights", str(weights), "--config",
                   str(write_config(tmp_path, config)), "--work", str(tmp_path / "work"),
                   "--out", str(tmp_path / "report")])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 1 and err[-1].startswith("python -m flow: FAILED: ") and "mismatch" in err[-1]
    assert not (tmp_path / "report" / "summary.json").exists()
    assert (tmp_path / "work" / "sim" / "icarus" / "results.json").is_file()      # the simulation went to --work


def test_gls_exits_1_on_a_mismatch(broken_hardware, tiny_weights, tmp_path, capsys):
    from verif.gls import main

    weights, config = tiny_weights
    status = main(["--n", "1", "--weights", str(weights), "--config", str(write_config(tmp_path, config)),
                   "--out", str(tmp_path / "gls")])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 1 and err[-1].startswith("python -m verif.gls: FAILED: ") and "mismatch" in err[-1]


# -- the full regression (make verify)

def full_matrix():
    """Tiles {1, 3, 8, 16} x weight widths {3, 6} x kernel lengths {2, 5} x both tie and both timeout
    policies x every tile map x lanes {1, 2, N_Y} x stalls and trace on/off, in configurations that pair
    every value with several others."""
    rows = [(1, 3, 2, "lowest_index", "abstain", "interleaved", 1, False, True),
            (1, 6, 5, "max_potential", "argmax_potential", "blocked", 2, True, False),
            (3, 3, 5, "max_potential", "abstain", "balanced", 10, True, True),
            (3, 6, 2, "lowest_index", "argmax_potential", "interleaved", 2, False, False),
            (8, 3, 2, "max_potential", "argmax_potential", "blocked", 10, True, True),
            (8, 6, 5, "lowest_index", "abstain", "balanced", 1, False, True),
            (16, 3, 5, "lowest_index", "argmax_potential", "balanced", 2, True, True),
            (16, 6, 2, "max_potential", "abstain", "interleaved", 3, False, False)]
    for tiles, bits, tau, tie, timeout, tile_map, lanes, stalls, trace in rows:
        config = Config(tiles=tiles, weight_bits=bits, weight_frac_bits=bits - 2, bias_bits=bits + 6, tau=tau,
                        n_basis=2, tie_policy=tie, timeout_policy=timeout, t_max=8, tile_map=tile_map,
                        neuron_lanes=lanes)
        name = f"t{tiles}_w{bits}_tau{tau}_{tie}_{timeout}_{tile_map}_l{lanes}" + ("_stalls" if stalls else "")
        yield name + ("" if trace else "_notrace"), config, stalls, trace


FULL = {name: (config, stalls, trace) for name, config, stalls, trace in full_matrix()}


@pytest.mark.full
@pytest.mark.parametrize("sim", SIMULATORS)
@pytest.mark.parametrize("name", FULL)
def test_full_regression(sim, name):
    config, stalls, trace = FULL[name]
    work = run_cocotb(sim=sim, config=config, name=f"full_{name}", images=5, stalls=stalls, trace=trace,
                      testcase=["images_match_golden", "reset_mid_inference", "bus_errors"])
    results = json.loads((work / "results.json").read_text())
    assert results["mismatches"] == 0 and results["samples"] == 5


@pytest.mark.full
@pytest.mark.parametrize("sim", SIMULATORS)
@pytest.mark.parametrize("rate, retries", [(0.1, 3), (0.3, 15), (0.5, 1)])
def test_full_write_failures(sim, rate, retries):
    config = TINY.replace(write_error_rate=rate, write_retries=retries)
    run_cocotb(sim=sim, config=config, name=f"full_write_{rate}_{retries}", testcase=["write_failures"],
               images=0, stalls=True, trace=False)
