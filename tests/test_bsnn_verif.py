"""gen.bsnn and verif.bsnn_runner: lint-clean Verilog, cocotb on Icarus and Verilator bit-exact against the
golden model, and a mismatch that fails the run."""

import json
import subprocess

import pytest

from gen.bsnn import generate_bsnn
from spinaps.config import Config, ConfigError
from verif.bsnn_runner import SimulationFailed, check_results_xml, run_bsnn_cocotb
from verif.tools import verilator_bin, verilator_env


def small(**changes):
    base = dict(architecture="bsnn_if", dataset="random", tiles=1, n_inputs=20, n_outputs=3, hidden=6,
                subarray_rows=8, time_steps=3, pixel_bits=4, lfsr_width=16, adc_columns_per_adc=3,
                top_name="bsnn_top")
    base.update(changes)
    return Config(**base)


@pytest.mark.parametrize("readout", ["exact", "sense_amp_1bit"])
def test_generated_verilog_is_lint_clean(tmp_path, readout):
    manifest = generate_bsnn(small(readout=readout), tmp_path)
    result = subprocess.run([verilator_bin(), "--lint-only", "-Wall", str(tmp_path / "bsnn_top.v")],
                            env=verilator_env(), capture_output=True, text=True)
    assert result.returncode == 0 and result.stderr == ""
    assert {p["name"] for p in manifest["ports"]} >= {"trace_step", "trace_hidden_sums", "s_axil_awaddr", "irq"}
    rtlil = (tmp_path / "bsnn_top.il").read_text()
    assert "trace_step" not in rtlil                                  # the synthesis build has no trace
    assert "module \\bsnn_top.hidden_imc.memctrl.macro" in rtlil     # the black box synthesis looks for
    on_disk = json.loads((tmp_path / "manifest.json").read_text())
    assert on_disk["derived"]["step_cycles"] == manifest["derived"]["step_cycles"]


def test_generate_refuses_the_glm_family(tmp_path):
    with pytest.raises(ConfigError, match=r"^architecture = 'glm_first_to_spike' is not allowed here"):
        generate_bsnn(Config(), tmp_path)
    assert not any(tmp_path.iterdir())


def test_icarus_all_tests_bit_exact(tmp_path):
    work = run_bsnn_cocotb(sim="icarus", config=small(readout="sense_amp_1bit", output_decode="first_to_spike"),
                           name="icarus_all", images=3, out_root=tmp_path)
    results = json.loads((work / "results.json").read_text())
    assert results["samples"] == 3 and results["mismatches"] == 0


def test_verilator_bit_exact(tmp_path):
    work = run_bsnn_cocotb(sim="verilator", config=small(readout="exact", reset_mode="zero"), name="verilator",
                           testcase="images_match_golden", images=4, out_root=tmp_path)
    results = json.loads((work / "results.json").read_text())
    assert results["samples"] == 4 and results["mismatches"] == 0


def test_a_mismatch_fails_the_run(tmp_path):
    """The RTL subtracts the threshold, the manifest tells the golden model it resets to zero."""
    config = small(readout="exact", reset_mode="subtract")
    gen = tmp_path / "gen"
    generate_bsnn(config, gen)
    manifest = json.loads((gen / "manifest.json").read_text())
    manifest["config"]["reset_mode"] = "zero"
    (gen / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(SimulationFailed, match=r"failed: images_match_golden"):
        run_bsnn_cocotb(sim="icarus", config=config, name="mismatch", testcase="images_match_golden", images=2,
                        out_root=tmp_path, gen_dir=gen)


def test_results_xml_is_checked(tmp_path):
    path = tmp_path / "results.xml"
    path.write_text('<testsuites><testsuite><testcase name="a"/><testcase name="b"><failure message="x != y"/>'
                    '</testcase></testsuite></testsuites>')
    with pytest.raises(SimulationFailed, match=r"failed: b \(x != y\)$"):
        check_results_xml(path, ["a", "b"])
    with pytest.raises(SimulationFailed, match=r"tests did not run: c$"):
        check_results_xml(path, ["a", "c"])
    path.write_text('<testsuites><testsuite><testcase name="a"/></testsuite></testsuites>')
    check_results_xml(path, ["a"])


def test_icarus_preloaded_network_is_bit_exact(tmp_path):
    """Generated with a network file, the design holds it from reset: no programming over the bus."""
    from model.bsnn import random_network, save_network

    config = small(readout="sense_amp_1bit")
    save_network(tmp_path / "n.npz", random_network(config, 3), config)
    generate_bsnn(config, tmp_path / "gen", weights_path=tmp_path / "n.npz")
    work = run_bsnn_cocotb(sim="icarus", config=config, name="preloaded", testcase="images_match_golden", images=2,
                           weights=tmp_path / "n.npz", out_root=tmp_path, gen_dir=tmp_path / "gen", program=False)
    assert json.loads((work / "results.json").read_text())["mismatches"] == 0
