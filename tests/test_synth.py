"""synth/: the macro model against hand-computed values, the liberty reader and static timing on a
netlist small enough to time by hand, the report's internal consistency, and one real synthesis of a
small design through Yosys against the OSU018 liberty."""

import json
import math

import numpy as np
import pytest
import yaml

from spinaps.config import PRESETS, Config, ConfigError
from synth.macro_model import load_technology, macro_figures
from synth.report import DEFAULT_LIBERTY, build_report

# -- the macro model


def _constant(value, scales=0):
    return {"value": value, "unit": "test", "scales": scales, "assumption": "test value"}


TEST_TECH = {
    "reference_node_nm": 180,
    "default_node_nm": 180,
    "technologies": {
        "stt": {"name": "STT", **{k: _constant(v, s) for k, (v, s) in {
            "cell_area_f2": (50, 0), "periphery_area_overhead": (1.0, 0), "read_energy_cell_pj_per_bit": (0.1, 0),
            "read_energy_sense_pj_per_bit": (0.2, 2), "write_energy_cell_pj_per_bit": (1.0, 0),
            "write_energy_driver_pj_per_bit": (0.5, 0), "access_energy_pj_per_row": (2.0, 2),
            "read_latency_ns": (3.0, 1), "write_latency_ns": (10.0, 0), "leakage_nw_per_bit": (0.0, 0)}.items()}},
        "sram": {"name": "SRAM", **{k: _constant(v, s) for k, (v, s) in {
            "cell_area_f2": (150, 0), "periphery_area_overhead": (0.5, 0), "read_energy_cell_pj_per_bit": (0.05, 2),
            "read_energy_sense_pj_per_bit": (0.05, 2), "write_energy_cell_pj_per_bit": (0.2, 2),
            "write_energy_driver_pj_per_bit": (0.1, 2), "access_energy_pj_per_row": (1.0, 2),
            "read_latency_ns": (1.5, 1), "write_latency_ns": (1.5, 1), "leakage_nw_per_bit": (0.1, -2)}.items()}},
    },
    "logic": {k: _constant(v) for k, v in {"activity": 0.1, "wire_cap_pf_per_fanout": 0.0, "input_slew_ns": 0.1,
                                          "clock_slew_ns": 0.1, "output_load_pf": 0.05}.items()},
}


def test_macro_model_matches_hand_computation_at_the_reference_node():
    # Default configuration: 8 tiles, 64 inputs -> 8 a tile, tau 8 -> 64 rows; 10 outputs x 4 bits = 40 cells.
    stt = macro_figures(Config(), technology="stt", tech=TEST_TECH)
    assert (stt.rows, stt.row_bits, stt.bits_per_macro, stt.macros) == (64, 40, 2560, 8)
    # 2560 cells x 50 F^2 x (0.18 um)^2 x (1 + 1.0)
    assert stt.area_per_macro_um2 == pytest.approx(2560 * 50 * 0.0324 * 2)          # 8294.4
    assert stt.area_um2 == pytest.approx(8 * 8294.4)
    assert stt.read_energy_row_pj == pytest.approx((0.1 + 0.2) * 40 + 2.0)        # 14 pJ
    assert stt.write_energy_row_pj == pytest.approx((1.0 + 0.5) * 40 + 2.0)       # 62 pJ
    assert (stt.read_latency_ns, stt.write_latency_ns, stt.leakage_w) == (3.0, 10.0, 0.0)
    sram = macro_figures(Config(), technology="sram", tech=TEST_TECH)
    assert sram.area_um2 == pytest.approx(8 * 2560 * 150 * 0.0324 * 1.5)          # 149299.2
    assert sram.read_energy_row_pj == pytest.approx(0.1 * 40 + 1.0)               # 5 pJ
    assert sram.leakage_w == pytest.approx(0.1e-9 * 2560 * 8)                     # 2.048 uW


def test_macro_model_scales_with_the_node():
    stt = macro_figures(Config(), technology="stt", tech=TEST_TECH, node_nm=90)   # node ratio 1/2
    assert stt.area_per_macro_um2 == pytest.approx(2560 * 50 * 0.09 ** 2 * 2)    # F^2 = (0.09 um)^2
    assert stt.read_energy_row_pj == pytest.approx((0.1 + 0.2 / 4) * 40 + 2.0 / 4)  # 6.5 pJ
    assert stt.read_latency_ns == pytest.approx(1.5)
    assert stt.write_energy_row_pj == pytest.approx(1.5 * 40 + 0.5)
    sram = macro_figures(Config(), technology="sram", tech=TEST_TECH, node_nm=90)
    assert sram.leakage_w == pytest.approx(0.4e-9 * 2560 * 8)                     # 0.1 nW x (1/2)^-2
    tiny = PRESETS["tiny"]                                                        # 3 tiles: 22 inputs, tau 2
    m = macro_figures(tiny, technology="stt", tech=TEST_TECH)
    assert (m.rows, m.row_bits, m.macros) == (44, 30, 3)
    assert m.area_um2 == pytest.approx(3 * 44 * 30 * 50 * 0.0324 * 2)


def test_technology_file_has_a_source_or_assumption_for_every_constant(tmp_path):
    tech = load_technology()
    assert tech["technologies"]["stt"]["cell_area_f2"]["value"] == 54         # NVSim sample_STTRAM.cell
    assert tech["technologies"]["stt"]["leakage_nw_per_bit"]["value"] == 0    # non-volatile
    assert tech["technologies"]["sram"]["leakage_nw_per_bit"]["value"] > 0
    assert 120 <= tech["technologies"]["sram"]["cell_area_f2"]["value"] <= 150
    broken = json.loads(json.dumps(TEST_TECH))
    del broken["technologies"]["sram"]["read_latency_ns"]["assumption"]
    path = tmp_path / "tech.yaml"
    path.write_text(yaml.safe_dump(broken))
    with pytest.raises(ConfigError, match=r"technologies\.sram\.read_latency_ns has neither a source nor an "
                                          r"assumption$"):
        load_technology(path)


# -- the report's figures


def _check_consistency(report: dict, config: Config):
    blocks = report["area_by_block_um2"]
    assert report["logic_area_um2"] == pytest.approx(sum(blocks.values()))
    assert report["logic_area_um2"] == pytest.approx(sum(report["area_by_kind_um2"].values()))
    for t, tech in report["technologies"].items():
        area_mm2 = (report["logic_area_um2"] + report["macro_area_um2"][t]) / 1e6
        assert tech["area_mm2"] == pytest.approx(area_mm2)
        power = report["power_w"][t]
        assert power["total"] == pytest.approx(sum(v for k, v in power.items() if k != "total"))
        gsops = report["sops_per_inference"] * tech["clock_mhz"] * 1e6 / report["cycles_per_inference"] / 1e9
        assert tech["gsops"] == pytest.approx(gsops)
        reads = gsops * 1e9 / config.n_outputs
        assert power["macro_read"] == pytest.approx(tech["macro"]["read_energy_row_pj"] * 1e-12 * reads)
        assert report["gsops_per_w_per_mm2"][t] == pytest.approx(tech["gsops"] / (power["total"] * area_mm2))
        assert report["gsops_per_w"][t] == pytest.approx(tech["gsops"] / power["total"])
    g = report["gsops_per_w_per_mm2"]
    assert report["stt_over_sram"] == pytest.approx(g["stt"] / g["sram"])
    f = report["ratio_factors"]
    assert report["stt_over_sram"] == pytest.approx(f["power_sram_over_stt"] * f["area_sram_over_stt"]
                                                    * f["gsops_stt_over_sram"])
    assert report["gsops"] == report["technologies"]["stt"]["gsops"]


def test_report_figures_are_consistent_with_hand_values():
    config = Config()
    synth = {"top": "spinaps_top", "liberty": "x.lib", "yosys_version": "Yosys test",
             "area_by_block_um2": {"tile0": 100.0, "tile1": 110.0, "neurons": 50.0, "arbiter": 10.0, "axi": 20.0,
                                   "top": 30.0},
             "sequential_area_by_block_um2": {}, "cells_by_block": {}, "flip_flops": 10, "cell_types": {},
             "blackbox_cells": {}, "yosys_area_um2": 320.0}
    timing = {"method": "test", "fmax_mhz": 100.0, "critical_path_ns": 10.0}
    power = {"clock_energy_pj_per_cycle": 100.0, "data_energy_pj_per_cycle": 50.0, "leakage_w": 1e-6}
    inference = {"cycles_per_inference": 200.0, "sops_per_inference": 1000.0, "utilization": 0.0625,
                 "cycles_source": "test"}
    report = build_report(config=config, synth=synth, timing=timing, logic_power=power, inference=inference,
                          tech=TEST_TECH)
    _check_consistency(report, config)
    assert report["logic_area_um2"] == 320.0
    assert report["area_by_kind_um2"]["tiles"] == 210.0
    # 100 MHz / 200 cycles = 5e5 inferences/s x 1000 SOPs = 0.5 GSOPS; 5e7 row reads/s.
    assert report["gsops"] == pytest.approx(0.5)
    stt = report["power_w"]["stt"]
    assert stt["logic_dynamic"] == pytest.approx(150e-12 * 100e6)                 # 15 mW
    assert stt["macro_read"] == pytest.approx(14e-12 * 5e7)                       # 0.7 mW
    assert stt["total"] == pytest.approx(15e-3 + 1e-6 + 0.7e-3)
    area = (320.0 + 8 * 8294.4) / 1e6
    assert report["gsops_per_w_per_mm2"]["stt"] == pytest.approx(0.5 / (stt["total"] * area))
    # The STT-RAM macro (3 ns, 1 read-latency cycle) allows 333 MHz: the logic limits the clock.
    assert report["technologies"]["stt"]["clock_mhz"] == 100.0
    assert report["technologies"]["stt"]["clock_limited_by"] == "logic"


def test_cycles_come_from_a_simulation_of_this_configuration(tmp_path):
    from synth.report import inference_figures

    config = Config()
    sim = {"samples": 4, "mismatches": 0, "cycles_per_inference": 150.0, "utilization": 0.2}
    (tmp_path / "verilator/gen").mkdir(parents=True)
    (tmp_path / "verilator/results.json").write_text(json.dumps(sim))
    (tmp_path / "verilator/gen/manifest.json").write_text(json.dumps({"config": config.to_dict()}))
    (tmp_path / "icarus").mkdir()                       # another tile count: not used
    (tmp_path / "icarus/results.json").write_text(json.dumps(sim | {"tiles": 4, "cycles_per_inference": 1.0}))
    figures = inference_figures(config, sim_dir=tmp_path, source="sim")
    assert figures["cycles_per_inference"] == 150.0
    assert figures["sops_per_inference"] == pytest.approx(0.2 * 150 * 8 * 10)   # utilisation x cycles x lanes
    assert figures["cycles_source"].startswith("RTL simulation: ")
    with pytest.raises(ConfigError, match="no bit-exact"):
        inference_figures(config.replace(tiles=2), sim_dir=tmp_path, source="sim")
    assert inference_figures(config.replace(tiles=4), sim_dir=tmp_path)["cycles_per_inference"] == 1.0


# -- the liberty reader and static timing, by hand

TEST_LIBERTY = r"""
/* a two-cell library whose delays are easy to compute by hand */
library (testlib) {
  delay_model : table_lookup;
  time_unit : "1ns";
  voltage_unit : "1V";
  leakage_power_unit : "1nW";
  capacitive_load_unit (1, pf);
  nom_voltage : 1.8;
  lu_table_template (t2) {
    variable_1 : total_output_net_capacitance;
    variable_2 : input_net_transition;
    index_1 ("0.0, 0.1");
    index_2 ("0.0, 1.0");
  }
  lu_table_template (c2) {
    variable_1 : related_pin_transition;
    variable_2 : constrained_pin_transition;
    index_1 ("0.0, 1.0");
    index_2 ("0.0, 1.0");
  }
  cell (INV) {
    area : 10;
    cell_leakage_power : 1.0;
    pin (A) { direction : input; capacitance : 0.01; }
    pin (Y) {
      direction : output;
      function : "!A";
      timing () {
        related_pin : "A";
        cell_rise (t2) { values ("0.1, 0.2", \
                                 "1.1, 1.2"); }
        cell_fall (t2) { values ("0.05, 0.15", "1.05, 1.15"); }
        rise_transition (t2) { values ("0.1, 0.1", "0.1, 0.1"); }
        fall_transition (t2) { values ("0.1, 0.1", "0.1, 0.1"); }
      }
    }
  }
  cell (DFF) {
    area : 40;
    cell_leakage_power : 2.0;
    ff (IQ, IQN) { next_state : "D"; clocked_on : "CLK"; }
    pin (CLK) { direction : input; capacitance : 0.02; clock : true; }
    pin (D) {
      direction : input;
      capacitance : 0.01;
      timing () {
        related_pin : "CLK";
        timing_type : setup_rising;
        rise_constraint (c2) { values ("0.05, 0.05", "0.05, 0.05"); }
        fall_constraint (c2) { values ("0.04, 0.04", "0.04, 0.04"); }
      }
    }
    pin (Q) {
      direction : output;
      function : "IQ";
      timing () {
        related_pin : "CLK";
        timing_type : rising_edge;
        cell_rise (t2) { values ("0.2, 0.2", "0.2, 0.2"); }
        cell_fall (t2) { values ("0.3, 0.3", "0.3, 0.3"); }
        rise_transition (t2) { values ("0.1, 0.1", "0.1, 0.1"); }
        fall_transition (t2) { values ("0.1, 0.1", "0.1, 0.1"); }
      }
    }
  }
}
"""

# d -> ff1 -> inv1 -> inv2 -> ff2 -> q, as Yosys's write_json writes a flat netlist.
TEST_NETLIST = {"modules": {"t": {
    "ports": {"clk": {"direction": "input", "bits": [2]}, "d": {"direction": "input", "bits": [3]},
              "q": {"direction": "output", "bits": [7]}},
    "cells": {"ff1": {"type": "DFF", "connections": {"CLK": [2], "D": [3], "Q": [4]}},
              "inv1": {"type": "INV", "connections": {"A": [4], "Y": [5]}},
              "inv2": {"type": "INV", "connections": {"A": [5], "Y": [6]}},
              "ff2": {"type": "DFF", "connections": {"CLK": [2], "D": [6], "Q": [7]}}},
    "netnames": {"clk": {"bits": [2]}, "d": {"bits": [3]}, "r1": {"bits": [4]}, "n5": {"bits": [5]},
                 "n6": {"bits": [6]}, "q": {"bits": [7]}}}}}


@pytest.fixture
def test_liberty(tmp_path):
    path = tmp_path / "test.lib"
    path.write_text(TEST_LIBERTY)
    return path


def test_liberty_reader_and_table_interpolation(test_liberty):
    from synth.yosys import Liberty

    lib = Liberty(test_liberty)
    assert lib.name == "testlib" and lib.voltage == 1.8 and set(lib.cells) == {"INV", "DFF"}
    inv, dff = lib.cells["INV"], lib.cells["DFF"]
    assert (inv.area, inv.inputs, inv.outputs, inv.sequential) == (10.0, {"A": 0.01}, ["Y"], False)
    assert dff.sequential and dff.flip_flop and dff.clocks == {"CLK"}
    # cell_rise = 0.1 + 10 x load + 0.1 x slew (bilinear over the 2x2 table); fall is 0.05 lower.
    arc = inv.arcs["Y"][0]
    assert arc.delay(0.05, 0.5) == pytest.approx((0.1 + 0.5 + 0.05, 0.1))
    assert arc.delay(0.2, 2.0) == pytest.approx((0.1 + 2.0 + 0.2, 0.1))      # extrapolated beyond the table
    assert lib.reference_flip_flop() is dff
    assert lib.setup_time(dff, "D", clock_slew=0.1, slew=0.1) == pytest.approx(0.05)


def test_static_timing_and_power_by_hand(test_liberty):
    from synth.yosys import logic_power, static_timing

    timing = static_timing(TEST_NETLIST, top="t", liberty_path=test_liberty, tech=TEST_TECH)
    # ff1 clock-to-Q 0.3 (worse of 0.2/0.3); each inverter drives 0.01 pF at slew 0.1:
    # 0.1 + 10 x 0.01 + 0.1 x 0.1 = 0.21; ff2 setup 0.05 (worse of 0.05/0.04).
    assert timing.critical_path_ns == pytest.approx(0.3 + 0.21 + 0.21 + 0.05)
    assert timing.fmax_mhz == pytest.approx(1000 / 0.77)
    assert timing.path_group == "reg2reg" and timing.logic_depth == 2
    assert [p["cell"] for p in timing.path] == ["ff1", "inv1", "inv2"]
    assert timing.worst_by_group_ns == pytest.approx({"reg2reg": 0.77, "in2reg": 0.05, "reg2out": 0.3})
    power = logic_power(TEST_NETLIST, top="t", liberty_path=test_liberty, tech=TEST_TECH)
    # No internal-power tables here: the clock net (2 x 0.02 pF) charges every cycle, C V^2; every data
    # net (d 0.01, r1 0.01, n5 0.01, n6 0.01 pF and q's 0.05 pF output load) toggles 0.1 a cycle, C V^2 / 2.
    assert power.clock_energy_pj_per_cycle == pytest.approx(0.04 * 1.8 ** 2)
    assert power.data_energy_pj_per_cycle == pytest.approx(0.1 * (0.04 + 0.05) * 1.8 ** 2 / 2)
    assert power.leakage_w == pytest.approx((2 * 1.0 + 2 * 2.0) * 1e-9)
    assert power.power_w(1e8) == pytest.approx((0.1296 + 0.01458) * 1e-12 * 1e8 + 6e-9)


def test_cli_errors_are_one_line(capsys, tmp_path):
    from synth.__main__ import main

    assert main(["--tiles", "0", "--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err == "python -m synth: error: tiles = 0 is out of range (allowed: 1..64)\n"
    assert main(["--liberty", str(tmp_path / "none.lib"), "--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"python -m synth: error: --liberty {tmp_path / 'none.lib'}: no such file\n"
    assert not any(tmp_path.iterdir())


# -- one real synthesis


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    from model.weights import Weights, save_weights
    from synth.report import run

    config = PRESETS["tiny"].replace(tiles=2)
    out = tmp_path_factory.mktemp("synth")
    rng = np.random.default_rng(0)
    weights = Weights(alpha=rng.integers(config.weight_min, config.weight_max + 1,
                                         (config.n_inputs, config.tau, config.n_outputs)),
                      bias=np.full(config.n_outputs, config.bias_min), config=config)   # no early decision
    save_weights(out / "weights.npz", weights)
    report = run(config, out=out, weights=out / "weights.npz", cycles_from="golden", log=None)
    return config, out, report


@pytest.mark.skipif(not DEFAULT_LIBERTY.is_file(), reason="OSU018 liberty absent: run scripts/get_liberty.sh")
def test_real_synthesis_of_a_small_design(tiny_run):
    from synth.yosys import Liberty

    config, out, report = tiny_run
    assert report["logic_area_um2"] > 0 and report["yosys_version"].startswith("Yosys ")
    blocks = report["area_by_block_um2"]
    assert set(blocks) == {"tile0", "tile1", "neurons", "arbiter", "axi", "top"}
    assert all(area > 0 for area in blocks.values())
    assert report["logic_area_um2"] == pytest.approx(sum(blocks.values()))
    assert report["logic_area_um2"] == pytest.approx(report["yosys_area_um2"])      # Yosys's own total agrees
    # The macros are black boxes: one instance per tile, and not one of their cells is a flip-flop here.
    assert report["blackbox_cells"] == {f"{config.top_name}.tile{k}.memctrl.macro": 1 for k in range(2)}
    lib = Liberty(DEFAULT_LIBERTY)
    dff_area = lib.reference_flip_flop().area
    bits = config.rows_per_tile * config.row_bits                                   # 64 rows x 30 cells
    for k in range(2):
        assert report["sequential_area_by_block_um2"][f"tile{k}"] < 0.5 * bits * dff_area
    assert report["flip_flops"] < 2 * bits
    _check_consistency(report, config)
    assert 10 < report["fmax_mhz"] < 1000 and report["timing"]["logic_depth"] > 0
    assert report["timing"]["path"][-1]["arrival_ns"] <= report["critical_path_ns"]
    assert report["cycles_source"].startswith("golden model")
    assert math.isfinite(report["stt_over_sram"]) and report["stt_over_sram"] > 0
    on_disk = json.loads((out / "report.json").read_text())
    assert on_disk["stt_over_sram"] == report["stt_over_sram"]
    assert (out / "area.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "GSOPS/W/mm²" in (out / "report.md").read_text()
    netlist = (out / "netlist.v").read_text()
    assert "DFFPOSX1" in netlist and f"module \\{config.top_name}.tile0.memctrl.macro" in netlist
