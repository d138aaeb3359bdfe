"""python -m gen on a bsnn_if configuration and verif/runner.py with verif/test_bsnn.py: lint-clean Verilog
(with and without the trace port), cocotb on Icarus and Verilator bit-exact against the golden model, and a
mismatch that fails the run."""

import json
import subprocess

import pytest

from gen.bsnn import generate_bsnn
from gen.generate import generate
from spinaps.cli import VerificationError
from spinaps.config import Config, ConfigError
from verif.runner import run_cocotb
from verif.tools import verilator_bin, verilator_env


def small(**changes):
    base = dict(architecture="bsnn_if", dataset="random", tiles=1, n_inputs=20, n_outputs=3, hidden=6,
                subarray_rows=8, time_steps=3, pixel_bits=4, lfsr_width=16, adc_columns_per_adc=3,
                top_name="bsnn_top")
    base.update(changes)
    return Config(**base)


@pytest.mark.parametrize("readout, trace", [("exact", True), ("sense_amp_1bit", True), ("sense_amp_1bit", False)])
def test_generated_verilog_is_lint_clean(tmp_path, readout, trace):
    manifest = generate(small(readout=readout), tmp_path, trace=trace)       # dispatches on the architecture
    result = subprocess.run([verilator_bin(), "--lint-only", "-Wall", str(tmp_path / "bsnn_top.v")],
                            env=verilator_env(), capture_output=True, text=True)
    assert result.returncode == 0 and result.stderr == ""
    names = {p["name"] for p in manifest["ports"]}
    assert names >= {"s_axil_awaddr", "s_axil_rdata", "irq"}
    assert ("trace_step" in names) == trace and ("trace_hidden_sums" in names) == trace
    rtlil = (tmp_path / "bsnn_top.il").read_text()
    assert "module \\bsnn_top.datapath.hidden_imc.memctrl.macro" in rtlil     # the black box synthesis looks for
    on_disk = json.loads((tmp_path / "manifest.json").read_text())
    assert on_disk["architecture"] == "bsnn_if" and on_disk["trace"] == trace
    assert on_disk["derived"]["step_cycles"] == manifest["derived"]["step_cycles"]
    assert (tmp_path / "regmap.md").read_text().count("| PROG_ROW |") == 1
    assert "BSNN_TOP_PROG_ROW_VALUE" in (tmp_path / "bsnn_top_regs.h").read_text()


def test_generate_refuses_the_glm_family(tmp_path):
    with pytest.raises(ConfigError, match=r"^architecture = 'glm_first_to_spike' is not allowed here"):
        generate_bsnn(Config(), tmp_path)
    assert not any(tmp_path.iterdir())


def test_icarus_all_tests_bit_exact(tmp_path):
    work = run_cocotb(sim="icarus", config=small(readout="sense_amp_1bit", output_decode="first_to_spike"),
                      name="icarus_all", images=3, out_root=tmp_path, test_module="verif.test_bsnn")
    results = json.loads((work / "results.json").read_text())
    assert results["samples"] == 3 and results["mismatches"] == 0


def test_verilator_bit_exact(tmp_path):
    work = run_cocotb(sim="verilator", config=small(readout="exact", reset_mode="zero"), name="verilator",
                      testcase="images_match_golden", images=4, out_root=tmp_path, test_module="verif.test_bsnn")
    results = json.loads((work / "results.json").read_text())
    assert results["samples"] == 4 and results["mismatches"] == 0


def test_a_mismatch_fails_the_run(tmp_path):
    """The RTL subtracts the threshold, the manifest tells the golden model it resets to zero."""
    config = small(readout="exact", reset_mode="subtract")
    gen = tmp_path / "gen"
    generate(config, gen, trace=True)
    manifest = json.loads((gen / "manifest.json").read_text())
    manifest["config"]["reset_mode"] = "zero"
    (gen / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(VerificationError, match=r"images_match_golden"):
        run_cocotb(sim="icarus", config=config, name="mismatch", testcase="images_match_golden", images=2,
                   out_root=tmp_path, gen_dir=gen, test_module="verif.test_bsnn")


def test_icarus_preloaded_network_without_trace_is_bit_exact(tmp_path):
    """Generated with a network file, the design holds it from reset: no programming over the bus."""
    from model.bsnn import random_network, save_network

    config = small(readout="sense_amp_1bit")
    save_network(tmp_path / "n.npz", random_network(config, 3), config)
    work = run_cocotb(sim="icarus", config=config, name="preloaded", testcase="images_match_golden", images=2,
                      weights=tmp_path / "n.npz", program="preloaded", trace=False, out_root=tmp_path,
                      test_module="verif.test_bsnn")
    results = json.loads((work / "results.json").read_text())
    assert results["mismatches"] == 0 and results["traced"] is False


def test_flow_run_exits_1_on_a_mismatch(monkeypatch, tmp_path, capsys):
    """``python -m flow run`` on a bsnn_if configuration: hardware whose encoders are salted differently
    from the golden model's fails the run with one line, before any report is written."""
    import yaml

    import hw.bsnn_encoder
    from flow.__main__ import main
    from model.bsnn import random_network, save_network

    config = small(readout="sense_amp_1bit")
    save_network(tmp_path / "n.npz", random_network(config, 3), config)
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(config.to_dict()))
    monkeypatch.setattr(hw.bsnn_encoder, "SEED_SALT", hw.bsnn_encoder.SEED_SALT ^ 0x5)
    status = main(["run", "--sim", "icarus", "--n", "2", "--weights", str(tmp_path / "n.npz"), "--config",
                   str(tmp_path / "config.yaml"), "--out", str(tmp_path / "report")])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 1 and err[-1].startswith("python -m flow: FAILED: ") and "mismatch" in err[-1]
    assert not (tmp_path / "report" / "summary.json").exists()
