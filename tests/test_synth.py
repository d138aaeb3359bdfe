"""synth/: the macro model and the node projection against hand-computed values, the liberty reader,
static timing (in-house and OpenSTA) and switching activity on a netlist small enough to do by hand,
the report's internal consistency, and one real synthesis of a small design through Yosys against
the OSU018 liberty (timed by both timers, simulated gate by gate for its activity, and synthesised
again elsewhere to show the netlist does not depend on where or with which weights)."""

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

from spinaps.config import FIELDS, PRESETS, Config, ConfigError
from synth.macro_model import covered_nodes, load_technology, macro_figures, node_factors, pixel_buffer_figures
from synth.opensta import opensta_binary
from synth.report import DEFAULT_LIBERTY, build_report, unmodelled_note

REPO = Path(__file__).resolve().parents[1]
needs_opensta = pytest.mark.skipif(opensta_binary() is None, reason="OpenSTA (sta) absent: run scripts/setup.sh")

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
    # Factors at 90 nm, by hand: area 0.2; delay (0.5 x 1.0) / 2.0 = 0.25; energy (1.0 x 1.0^2) / 4.0 = 0.25;
    # leakage (90 / 180)^-2 = 4.
    "node_scaling": {"source": "test values", "nodes": {
        180: {"vdd": 2.0, "area": 1.0, "delay": [0, 0, 0, 2.0], "energy": [0, 0, 4.0]},
        90: {"vdd": 1.0, "area": 0.2, "delay": [0, 0, 0.5, 0], "energy": [1.0, 0, 0]}},
        "leakage": {"exponent": -2, "assumption": "test value"}},
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


def test_pixel_buffers_are_small_srams_by_hand():
    buffers = pixel_buffer_figures(Config(), tech=TEST_TECH)        # 8 tiles x 2 words of 4 x 8-bit pixels
    assert (buffers.technology, buffers.rows, buffers.row_bits, buffers.macros) == ("sram", 2, 32, 8)
    assert buffers.area_um2 == pytest.approx(8 * 64 * 150 * 0.0324 * 1.5)
    assert buffers.read_energy_row_pj == pytest.approx(0.1 * 32 + 1.0)
    mnist = pixel_buffer_figures(Config(dataset="random", n_inputs=784, tiles=16), tech=TEST_TECH)
    assert (mnist.rows, mnist.macros) == (13, 16)                     # 49 inputs a tile, 4 a word
    paired = pixel_buffer_figures(Config(dataset="random", n_inputs=784, tiles=16, encoder_words=2), tech=TEST_TECH)
    assert (paired.rows, paired.row_bits) == (7, 64)                  # 13 words, 2 a row
    one_row = pixel_buffer_figures(Config(tiles=2, encoder_words=8), tech=TEST_TECH)
    assert (one_row.rows, one_row.row_bits) == (1, 256)               # 32 pixels of 8 bits in one row
    partial = pixel_buffer_figures(Config(dataset="random", n_inputs=26, tiles=2, encoder_words=4), tech=TEST_TECH)
    assert (partial.rows, partial.row_bits) == (1, 104)               # 13 pixels: 4 words, the last with 1
    narrow = pixel_buffer_figures(Config(dataset="random", n_inputs=6, tiles=2), tech=TEST_TECH)
    assert (narrow.rows, narrow.row_bits) == (1, 24)                  # 3 pixels: one word of 3
    banked = pixel_buffer_figures(Config(pixel_banks=2), tech=TEST_TECH)
    assert (banked.rows, banked.row_bits, banked.macros) == (4, 32, 8)  # two images of 2 words


def test_macro_model_scales_with_the_node():
    stt = macro_figures(Config(), technology="stt", tech=TEST_TECH, node_nm=90)   # node ratio 1/2
    # The array shrinks with F^2 = (0.09 um)^2; the periphery (1.0 x the 180 nm array) with the area factor 0.2.
    assert stt.area_per_macro_um2 == pytest.approx(2560 * 50 * 0.09 ** 2 + 1.0 * 2560 * 50 * 0.18 ** 2 * 0.2)
    assert stt.read_energy_row_pj == pytest.approx((0.1 + 0.2 / 4) * 40 + 2.0 / 4)  # 6.5 pJ
    assert stt.read_latency_ns == pytest.approx(1.5)
    assert stt.write_energy_row_pj == pytest.approx(1.5 * 40 + 0.5)
    sram = macro_figures(Config(), technology="sram", tech=TEST_TECH, node_nm=90)
    assert sram.leakage_w == pytest.approx(0.4e-9 * 2560 * 8)                     # 0.1 nW x (1/2)^-2
    named = json.loads(json.dumps(TEST_TECH))
    named["technologies"]["stt"]["read_latency_ns"]["scales"] = "delay"
    named["technologies"]["sram"]["leakage_nw_per_bit"]["scales"] = "leakage"
    assert macro_figures(Config(), technology="stt", tech=named, node_nm=90).read_latency_ns == pytest.approx(3.0 * 0.25)
    assert macro_figures(Config(), technology="sram", tech=named, node_nm=90).leakage_w == pytest.approx(
        0.1e-9 * 4 * 2560 * 8)
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
        area_mm2 = (report["logic_at_node"]["logic_area_um2"] + report["macro_area_um2"][t]
                    + report["pixel_buffer_area_um2"]) / 1e6
        assert tech["area_mm2"] == pytest.approx(area_mm2)
        power = report["power_w"][t]
        assert power["total"] == pytest.approx(sum(v for k, v in power.items() if k != "total"))
        gsops = (report["sops_per_inference"] * tech["clock_mhz"] * 1e6 / report["cycles_per_inference"] / 1e9
                 * (1 - report["idle_fraction"]))
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


def _hand_report(blackboxes: dict | None = None, **options) -> dict:
    """A report from hand-made figures: 320 um^2 of logic at 100 MHz, 150 pJ a cycle, 1 uW of leakage,
    200 cycles and 1000 SOPs an inference."""
    synth = {"top": "spinaps_top", "liberty": "x.lib", "yosys_version": "Yosys test",
             "area_by_block_um2": {"tile0": 100.0, "tile1": 110.0, "neurons": 50.0, "arbiter": 10.0, "axi": 20.0,
                                   "top": 30.0},
             "sequential_area_by_block_um2": {}, "cells_by_block": {}, "flip_flops": 10, "cell_types": {},
             "blackbox_cells": blackboxes or {}, "yosys_area_um2": 320.0}
    timing = {"method": "test", "fmax_mhz": 100.0, "critical_path_ns": 10.0}
    power = {"clock_energy_pj_per_cycle": 100.0, "data_energy_pj_per_cycle": 50.0, "leakage_w": 1e-6}
    inference = {"cycles_per_inference": 200.0, "sops_per_inference": 1000.0, "utilization": 0.0625,
                 "cycles_source": "test"}
    return build_report(config=Config(), synth=synth, timing=timing, logic_power=power, inference=inference,
                        tech=TEST_TECH, **options)


def test_report_figures_are_consistent_with_hand_values():
    config = Config()
    report = _hand_report()
    _check_consistency(report, config)
    assert report["logic_area_um2"] == 320.0
    assert report["area_by_kind_um2"]["tiles"] == 210.0
    # 100 MHz / 200 cycles = 5e5 inferences/s x 1000 SOPs = 0.5 GSOPS; 5e7 row reads/s.
    assert report["gsops"] == pytest.approx(0.5)
    stt = report["power_w"]["stt"]
    assert stt["logic_dynamic"] == pytest.approx(150e-12 * 100e6)                 # 15 mW
    assert stt["macro_read"] == pytest.approx(14e-12 * 5e7)                       # 0.7 mW
    # Pixel buffers (SRAM, 8 tiles x 2 words x 32 bits): every step started (T_max = 16 without a decision
    # step given, + 1) reads the 16 words at 0.1 x 32 + 1 = 4.2 pJ, the image writes them at 0.3 x 32 + 1
    # = 10.6 pJ: 1312 pJ an inference x 5e5/s, plus 0.1 nW x 512 bits of leakage.
    assert stt["pixel_buffers"] == pytest.approx((17 * 16 * 4.2 + 16 * 10.6) * 1e-12 * 5e5 + 0.1e-9 * 512)
    assert stt["total"] == pytest.approx(15e-3 + 1e-6 + 0.7e-3 + stt["pixel_buffers"])
    area = (320.0 + 8 * 8294.4 + 8 * 64 * 150 * 0.0324 * 1.5) / 1e6
    assert report["gsops_per_w_per_mm2"]["stt"] == pytest.approx(0.5 / (stt["total"] * area))
    # The STT-RAM macro (3 ns, 1 read-latency cycle) allows 333 MHz: the logic limits the clock.
    assert report["technologies"]["stt"]["clock_mhz"] == 100.0
    assert report["technologies"]["stt"]["clock_limited_by"] == "logic"


def test_report_states_what_is_measured_and_what_is_projected():
    report = _hand_report()
    assert report["unmodelled_blackboxes"] == []
    assert report["node_nm"] == 180 and report["power_activity_source"] == "vectorless"
    assert report["fmax_mhz_opensta"] is None
    assert report["figure_sources"]["logic_area_um2"].startswith("measured")
    assert report["figure_sources"]["logic_power"].startswith("estimated: vectorless")
    projected = _hand_report(node_nm=90)
    assert projected["figure_sources"]["logic_at_node"].startswith("projected from 180 nm to 90 nm")
    # A black box the macro model does not stand for (e.g. a pixel buffer) is named, not silently left out.
    other = _hand_report(blackboxes={"spinaps_top.tile0.memctrl.macro": 1, "spinaps_top.tile0.pixels.memory": 1})
    assert other["unmodelled_blackboxes"] == ["spinaps_top.tile0.pixels.memory"]
    assert unmodelled_note(other)[0].startswith(
        "**Black boxes without a model** (not in any area or power figure): `spinaps_top.tile0.pixels.memory`;")
    assert unmodelled_note(report) == []


# -- node projection


def test_node_factors_follow_the_published_fits():
    tech = load_technology()
    # Stillmaker & Baas (2017), Table 5, at the nodes' nominal supplies (180 nm: 1.8 V, 65 nm: 1.1 V).
    delay_180 = 97.09 * 1.8 ** 2 - 356.7 * 1.8 + 406.5
    energy_180 = 24.64 * 1.8 - 17.98
    f65 = node_factors(tech, 65)
    assert f65["delay"] == pytest.approx((-53.3 * 1.1 ** 3 + 230.4 * 1.1 ** 2 - 333.9 * 1.1 + 178.6) / delay_180)
    assert f65["energy"] == pytest.approx((3.755 * 1.1 ** 2 - 4.398 * 1.1 + 1.975) / energy_180)
    assert f65["area"] == pytest.approx(0.08)                                  # Table 4, from 180 nm
    # The paper's corrigendum evaluates the HP 32 nm energy fit at 0.9 V: 0.4571.
    assert node_factors(tech, 32)["energy"] * energy_180 == pytest.approx(0.4571, abs=5e-5)
    assert node_factors(tech, 45)["leakage"] == pytest.approx(32.0)            # (45 / 180)^-2.5
    assert node_factors(tech, 180) == {"area": 1.0, "delay": 1.0, "energy": 1.0, "leakage": 1.0}
    node_field = next(f for f in FIELDS if f.name == "node_nm")
    assert covered_nodes(tech) == (180, 130, 90, 65, 45, 32) == node_field.choices
    with pytest.raises(ConfigError, match=r"^node = 22 nm is not covered by the scaling model "
                                          r"\(allowed: 180, 130, 90, 65, 45, 32\)$"):
        node_factors(tech, 22)


def test_projection_to_another_node_by_hand():
    # TEST_TECH at 90 nm: area x 0.2, delay x 0.25, energy x 0.25, leakage x 4.
    report = _hand_report(node_nm=90)
    _check_consistency(report, Config())
    assert (report["node_nm"], report["logic_area_um2"], report["fmax_mhz"]) == (90, 320.0, 100.0)  # measured
    logic = report["logic_at_node"]
    assert logic["logic_area_um2"] == pytest.approx(64.0)
    assert logic["fmax_mhz"] == pytest.approx(400.0)
    # 400 MHz (the STT-RAM macro reads in 3 ns x 1/2 = 1.5 ns: 667 MHz) / 200 cycles x 1000 SOPs = 2 GSOPS,
    # 2e8 row reads a second.
    assert report["gsops"] == pytest.approx(2.0)
    stt = report["power_w"]["stt"]
    assert stt["logic_dynamic"] == pytest.approx(150e-12 * 0.25 * 400e6)           # 15 mW
    assert stt["logic_leakage"] == pytest.approx(4e-6)
    assert stt["macro_read"] == pytest.approx(((0.1 + 0.2 / 4) * 40 + 2.0 / 4) * 1e-12 * 2e8)   # 6.5 pJ: 1.3 mW
    macro = 2560 * 50 * 0.09 ** 2 + 1.0 * 2560 * 50 * 0.18 ** 2 * 0.2           # array (F^2) + periphery (area)
    buffers = 512 * 150 * 0.09 ** 2 + 0.5 * 512 * 150 * 0.18 ** 2 * 0.2          # the SRAM pixel buffers
    area = (64.0 + 8 * macro + buffers) / 1e6
    assert report["total_area_mm2"]["stt"] == pytest.approx(area)
    # Pixel-buffer words: read 0.1 / 4 x 32 + 1 / 4 = 1.05 pJ, written 0.3 / 4 x 32 + 1 / 4 = 2.65 pJ;
    # 272 reads and 16 writes an inference, 2e6 inferences a second; leakage 0.4 nW x 512 bits.
    assert stt["pixel_buffers"] == pytest.approx((272 * 1.05 + 16 * 2.65) * 1e-12 * 2e6 + 0.4e-9 * 512)
    total = 15e-3 + 4e-6 + 1.3e-3 + stt["pixel_buffers"]
    assert report["gsops_per_w_per_mm2"]["stt"] == pytest.approx(2.0 / (total * area))
    sram = report["power_w"]["sram"]
    assert sram["macro_read"] == pytest.approx(((0.05 + 0.05) / 4 * 40 + 1.0 / 4) * 1e-12 * 2e8)
    assert sram["macro_leakage"] == pytest.approx(0.1e-9 * 4 * 2560 * 8)
    assert report["stt_over_sram_at_reference_node"] == pytest.approx(_hand_report()["stt_over_sram"])
    assert [row["node_nm"] for row in report["by_node"]] == [180, 90]
    assert report["by_node"][1]["stt_over_sram"] == pytest.approx(report["stt_over_sram"])


def test_idle_time_power_gates_stt_ram_but_not_sram():
    report = _hand_report(idle_fraction=0.5)
    _check_consistency(report, Config())
    stt, sram = report["power_w"]["stt"], report["power_w"]["sram"]
    # Active half the time: 0.25 GSOPS on average; dynamic power halves, leakage does not.
    assert report["gsops"] == pytest.approx(0.25)
    buffers = 0.5 * 1312e-12 * 5e5 + 0.1e-9 * 512                                 # pixel buffers: SRAM, leak
    assert stt["pixel_buffers"] == pytest.approx(buffers)
    assert stt["total"] == pytest.approx(0.5 * (15e-3 + 14e-12 * 5e7) + 1e-6 + buffers)  # STT-RAM macros do not leak
    assert sram["macro_leakage"] == pytest.approx(0.1e-9 * 2560 * 8)              # SRAM leaks all the time
    assert sram["total"] == pytest.approx(0.5 * (15e-3 + 5e-12 * 5e7) + 1e-6 + 2.048e-6 + buffers)
    assert [row["idle_fraction"] for row in report["by_idle_fraction"]] == [0.0, 0.5, 0.9, 0.99]
    with pytest.raises(ConfigError, match=r"^idle fraction = 1 is out of range \(allowed: 0 <= d < 1\)$"):
        _hand_report(idle_fraction=1.0)


def test_macro_patterns_are_a_parameter():
    from synth.yosys import MACRO_PATTERNS, design_blocks

    rtlil = "\n".join(["module \\t.tile0.memctrl.macro", "end", "module \\t.tile0.pixels.memory", "end",
                       "module \\t.tile0", "end", "module \\t.neurons", "end", "module \\t",
                       "  cell \\t.tile0 \\tile0", "  end", "  cell \\t.neurons \\neurons", "  end", "end", ""])
    blocks, macros = design_blocks(rtlil, "t")
    assert blocks == {"tile0": "t.tile0", "neurons": "t.neurons"}
    assert macros == ["t.tile0.memctrl.macro"]
    _, macros = design_blocks(rtlil, "t", MACRO_PATTERNS + ("*.pixels.memory",))
    assert macros == ["t.tile0.memctrl.macro", "t.tile0.pixels.memory"]


def test_published_accelerators_have_sources_and_the_comparison_renders():
    from synth.comparison import comparison_markdown, load_published, nearest_node

    published = load_published()
    names = {e["name"]: e for e in published["accelerators"]}
    assert {"ODIN", "ReckOn", "STT-BSNN", "ADC-less IMC", "Loihi", "TrueNorth"} <= set(names)
    assert any(name.startswith("GPU") for name in names)
    assert (names["ODIN"]["pj_per_sop"], names["ODIN"]["node_nm"], names["ODIN"]["area_mm2"]) == (12.7, 28, 0.086)
    assert names["STT-BSNN"]["pj_per_sop"] == pytest.approx(1 / 176.6, rel=1e-3)        # 176.6 TOPS/W
    assert all(e["source"] for e in published["accelerators"])
    covered = (180, 130, 90, 65, 45, 32)
    assert [nearest_node(n, covered) for n in (28, 65, 14, 100, 180)] == [32, 65, 32, 90, 180]
    text = comparison_markdown(_hand_report(), published)
    assert "| **this design** (measured) | 180 |" in text and "| ODIN | 28 |" in text


def test_sensitivity_points_by_hand():
    from synth.sensitivity import evaluate, idle_limit, leakage_for_target

    report = _hand_report()
    report["logic_power"] |= {"activity": 0.1}
    same = evaluate(report, TEST_TECH, node_nm=180, activity=None, idle_fraction=0.0)
    assert same["stt_over_sram"] == pytest.approx(report["stt_over_sram"])
    # Twice the activity doubles the data energy: (100 + 100) pJ a cycle at 100 MHz = 20 mW of logic.
    doubled = evaluate(report, TEST_TECH, node_nm=180, activity=0.2, idle_fraction=0.0)
    buffers_area, buffers_leakage = 8 * 64 * 150 * 0.0324 * 1.5, 0.1e-9 * 512     # the SRAM pixel buffers
    buffers_power = 1312e-12 * 5e5 + buffers_leakage                             # see the hand report above
    area = (320.0 + 8 * 8294.4 + buffers_area) / 1e6
    assert doubled["stt_gsops_per_w_per_mm2"] == pytest.approx(
        0.5 / ((20e-3 + 1e-6 + 0.7e-3 + buffers_power) * area))
    # Idle for ever: only leakage, 1 uW of logic and the buffers' against that + 2.048 uW of SRAM synapses,
    # times the area ratio.
    sram_area = (320.0 + 8 * 2560 * 150 * 0.0324 * 1.5 + buffers_area) / 1e6
    shared = 1e-6 + buffers_leakage
    assert idle_limit(report, TEST_TECH, 180) == pytest.approx((shared + 2.048e-6) / shared * sram_area / area)
    # The SRAM leakage per bit that would make that ceiling 4x: (4 / area ratio - 1) x shared / 20480 bits.
    need = leakage_for_target(report, TEST_TECH, 180, 4.0)
    assert need["bits"] == 20480 and need["assumed_w_per_bit"] == pytest.approx(0.1e-9)
    assert need["required_w_per_bit"] == pytest.approx((4 / (sram_area / area) - 1) * shared / 20480)


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
  slew_lower_threshold_pct_rise : 20;
  slew_upper_threshold_pct_rise : 80;
  slew_lower_threshold_pct_fall : 20;
  slew_upper_threshold_pct_fall : 80;
  input_threshold_pct_rise : 50;
  input_threshold_pct_fall : 50;
  output_threshold_pct_rise : 50;
  output_threshold_pct_fall : 50;
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


@needs_opensta
def test_opensta_times_the_hand_netlist(test_liberty, tmp_path):
    from synth.opensta import opensta_timing

    result = opensta_timing(TEST_NETLIST, top="t", liberty_path=test_liberty, tech=TEST_TECH, work=tmp_path)
    # OpenSTA follows each transition: ff1's Q falls (0.3), inv1 rises (0.1 + 10 x 0.01 + 0.1 x 0.1 = 0.21),
    # inv2 falls (0.16), ff2's falling setup 0.04: 0.71 ns (Q rising: 0.2 + 0.16 + 0.21 + 0.05 = 0.62). The
    # in-house timer takes the worse of rise and fall at every arc: 0.77 ns.
    assert result.critical_path_ns == pytest.approx(0.71, abs=1e-3)
    assert result.fmax_mhz == pytest.approx(1000 / 0.71, rel=2e-3)
    assert "ff1" in result.startpoint and "ff2" in result.endpoint


HAND_VCD = """$timescale 1ns $end
$scope module t $end
$var wire 1 ! clk $end
$var wire 1 " irq $end
$var wire 1 # s_axil_wvalid $end
$var wire 1 $ s_axil_wready $end
$var wire 1 % r1 $end
$var wire 1 & n5 $end
$upscope $end
$enddefinitions $end
#0
1!
0"
0#
0$
0%
0&
#5
0!
1%
#10
1!
#15
0!
1#
1$
1&
#20
1!
#25
0!
0#
0$
0%
#30
1!
#35
0!
1%
#40
1!
#45
0!
0%
#50
1!
#55
0!
0&
#60
1!
1"
#65
0!
#70
1!
#75
0!
1%
#80
1!
"""


def test_toggle_rates_and_power_from_a_hand_waveform(tmp_path, test_liberty):
    from synth.activity import toggle_rates
    from synth.yosys import logic_power

    path = tmp_path / "hand.vcd"
    path.write_text(HAND_VCD)
    result = toggle_rates(path, TEST_NETLIST, top="t")
    # One window: the write handshake seen at the rising edge at 20 ns, the interrupt rising at 60 ns: 4 cycles.
    # Inside it clk toggles 8 times, r1 3 times (25, 35, 45), n5 once (55); r1 at 5 and 75 and n5 at 15 are outside.
    assert result.windows == [(20, 60)] and result.cycles == 4
    assert result.rates == {2: 2.0, 4: 0.75, 5: 0.25}
    power = logic_power(TEST_NETLIST, top="t", liberty_path=test_liberty, tech=TEST_TECH, toggle_rates=result.rates)
    # d (0.01 pF), n6 (0.01) and q (0.05) are not in the waveform: the vectorless 0.1; r1 and n5 as measured.
    assert power.activity_source == "simulation" and power.nets_without_activity == 3
    assert power.data_energy_pj_per_cycle == pytest.approx(
        (0.1 * 0.01 + 0.75 * 0.01 + 0.25 * 0.01 + 0.1 * 0.01 + 0.1 * 0.05) * 1.8 ** 2 / 2)
    assert power.clock_energy_pj_per_cycle == pytest.approx(0.04 * 1.8 ** 2)


def test_cli_errors_are_one_line(capsys, tmp_path):
    from synth.__main__ import main

    assert main(["--tiles", "0", "--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err == "python -m synth: error: tiles = 0 is out of range (allowed: 1..64)\n"
    assert main(["--liberty", str(tmp_path / "none.lib"), "--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"python -m synth: error: --liberty {tmp_path / 'none.lib'}: no such file\n"
    assert main(["--node", "22", "--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err == ("python -m synth: error: --node = 22 is not allowed "
                                       "(allowed: 180, 130, 90, 65, 45, 32)\n")
    assert main(["--idle-fraction", "1", "--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err == ("python -m synth: error: --idle-fraction = 1 is out of range "
                                       "(allowed: 0 <= D < 1)\n")
    assert not any(tmp_path.iterdir())


@pytest.mark.skipif(not DEFAULT_LIBERTY.is_file(), reason="OSU018 liberty absent: run scripts/get_liberty.sh")
def test_a_design_with_weights_in_its_reset_values_is_refused(tmp_path):
    from synth.report import run

    config = PRESETS["tiny"]
    gen = tmp_path / "gen"
    gen.mkdir()
    (gen / "manifest.json").write_text(json.dumps({"config": config.to_dict(), "weights": "trained.npz"}))
    (gen / f"{config.top_name}.il").write_text("")
    with pytest.raises(ConfigError, match=r"manifest\.json: the design was generated with weights trained\.npz in "
                                          r"its reset values, so its area would depend on them; synthesise one "
                                          r"generated without --weights$"):
        run(config, out=tmp_path / "out", gen_dir=gen, log=None)
    assert not (tmp_path / "out").exists()


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
    report = run(config, out=out, weights=out / "weights.npz", cycles_from="golden", activity="simulate",
                 activity_images=1, log=None)
    return config, out, report, weights


@pytest.mark.skipif(not DEFAULT_LIBERTY.is_file(), reason="OSU018 liberty absent: run scripts/get_liberty.sh")
def test_real_synthesis_of_a_small_design(tiny_run):
    from synth.yosys import Liberty

    config, out, report, _ = tiny_run
    assert report["logic_area_um2"] > 0 and report["yosys_version"].startswith("Yosys ")
    blocks = report["area_by_block_um2"]
    assert set(blocks) == {"axi", "registers", "control", "datapath", "datapath.tile0", "datapath.tile1",
                           "datapath.accumulator", "datapath.neurons", "datapath.arbiter", "top"}
    assert all(area > 0 for area in blocks.values())
    assert report["logic_area_um2"] == pytest.approx(sum(blocks.values()))
    assert report["logic_area_um2"] == pytest.approx(report["yosys_area_um2"])      # Yosys's own total agrees
    # The macros and pixel buffers are black boxes: one of each per tile, and not one of their cells is a
    # flip-flop here.
    assert report["blackbox_cells"] == {f"{config.top_name}.datapath.tile{k}.{macro}": 1 for k in range(2)
                                        for macro in ("memctrl.macro", "pixels")}
    assert report["unmodelled_blackboxes"] == []
    lib = Liberty(DEFAULT_LIBERTY)
    dff_area = lib.reference_flip_flop().area
    bits = config.rows_per_tile * config.row_bits                                   # 64 rows x 30 cells
    for k in range(2):
        assert report["sequential_area_by_block_um2"][f"datapath.tile{k}"] < 0.5 * bits * dff_area
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
    assert "DFFPOSX1" in netlist and f"module \\{config.top_name}.datapath.tile0.memctrl.macro" in netlist


@pytest.mark.skipif(not DEFAULT_LIBERTY.is_file(), reason="OSU018 liberty absent: run scripts/get_liberty.sh")
def test_logic_power_from_the_gate_level_simulation(tiny_run):
    from model.cycles import inference_cycles
    from model.data import load_dataset
    from model.golden import run_golden
    from spinaps.contract import image_seeds

    config, out, report, weights = tiny_run
    assert report["power_activity_source"] == "simulation"
    power = report["logic_power"]
    assert power["nets_without_activity"] == 0 and power["data_nets"] > 1000
    measured = power["activity_measurement"]
    # One image, one window: as many cycles as the golden model's inference of the first test image.
    data = load_dataset(config)
    golden = run_golden(config, weights.alpha, weights.bias, data.test_x[:1],
                        seed_encoder=image_seeds(config.seed_encoder, 1, width=config.lfsr_width),
                        seed_spike=image_seeds(config.seed_spike, 1, width=config.lfsr_width))
    assert len(measured["windows"]) == 1
    assert abs(measured["cycles"] - int(inference_cycles(config, golden)[0])) <= 2
    assert 0 < power["activity"] < 0.5
    assert (out / "activity.json").is_file()


@pytest.mark.skipif(not DEFAULT_LIBERTY.is_file(), reason="OSU018 liberty absent: run scripts/get_liberty.sh")
def test_the_activity_cache_is_reused_only_for_the_same_stimulus(tiny_run, monkeypatch, tmp_path):
    """The toggle rates of a netlist depend on what it simulated: another image count or other weights
    measure again (here: would simulate), the same ones reuse the file."""
    import synth.activity
    from model.weights import Weights, save_weights
    from synth.report import _activity
    from synth.yosys import synthesize

    config, out, _, weights = tiny_run

    class Simulated(Exception):
        pass

    def simulate(*args, **kwargs):
        raise Simulated

    monkeypatch.setattr(synth.activity, "simulate", simulate)
    rtlil = (out / "gen" / f"{config.top_name}.il").read_text()
    flat = synthesize(rtlil_text=rtlil, top=config.top_name, liberty_path=DEFAULT_LIBERTY).flat_netlist
    stages = []
    common = dict(mode="auto", waveform=None, out=out, cell_models=DEFAULT_LIBERTY.with_suffix(".v"),
                  stage=stages.append)
    found = _activity(config, flat, images=1, weights=out / "weights.npz", **common)
    assert found.stimulus.endswith(", 1 image(s)") and "this very netlist" in stages[-1]
    with pytest.raises(Simulated):
        _activity(config, flat, images=2, weights=out / "weights.npz", **common)
    other = tmp_path / "other.npz"
    save_weights(other, Weights(alpha=weights.alpha, bias=weights.bias + 1, config=config))
    with pytest.raises(Simulated):
        _activity(config, flat, images=1, weights=other, **common)


@needs_opensta
@pytest.mark.skipif(not DEFAULT_LIBERTY.is_file(), reason="OSU018 liberty absent: run scripts/get_liberty.sh")
def test_opensta_and_the_in_house_timer_agree(tiny_run):
    _, _, report, _ = tiny_run
    # The stated tolerance (README, synth/report.md): the in-house timer takes the worse of rise and fall at
    # every arc, so its f_max is at most 2 % above OpenSTA's and at most 15 % below it.
    ratio = report["fmax_mhz"] / report["fmax_mhz_opensta"]
    assert 0.85 <= ratio <= 1.02
    assert report["opensta"]["macro_ports_as"] == "DFFPOSX1"


@pytest.mark.skipif(not DEFAULT_LIBERTY.is_file(), reason="OSU018 liberty absent: run scripts/get_liberty.sh")
def test_the_netlist_depends_neither_on_the_directory_nor_on_the_weights(tiny_run, tmp_path):
    from model.weights import Weights, save_weights

    config, out, report, _ = tiny_run
    # Another directory (another working directory, output path and Python hash seed) and other weights.
    other = tmp_path / "another checkout, a longer directory name"
    other.mkdir()
    (other / "config.yaml").write_text(yaml.safe_dump(config.to_dict()))
    rng = np.random.default_rng(7)
    save_weights(other / "weights.npz", Weights(
        alpha=rng.integers(config.weight_min, config.weight_max + 1, (config.n_inputs, config.tau, config.n_outputs)),
        bias=np.full(config.n_outputs, config.bias_min + 1), config=config))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONHASHSEED"} | {"PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, "-m", "synth", "--config", "config.yaml", "--weights", "weights.npz",
                    "--cycles-from", "golden", "--activity", "vectorless", "--out", "out"],
                   cwd=other, env=env, check=True, capture_output=True)
    assert (other / "out/netlist.v").read_bytes() == (out / "netlist.v").read_bytes()
    again = json.loads((other / "out/report.json").read_text())
    assert again["logic_area_um2"] == report["logic_area_um2"]
    assert again["fmax_mhz"] == report["fmax_mhz"]


# -- a block's netlist depends on its own RTL only

def test_local_names_number_each_module_on_its_own():
    from synth.yosys import local_names

    def design(n):
        # The same two modules, named by a design-wide counter that starts at n (as Amaranth's does);
        # the child's module name (an unnamed submodule's U$3) is the design's, never renumbered.
        return (f"module \\t.U$3\n  wire width 2 input 1 \\port${n}$0\n  wire output 2 \\y\n"
                f"  wire \\load${n + 1}\n  cell $and ${n + 2}\n    connect \\A \\port${n}$0 [0]\n"
                f"    connect \\B \\load${n + 1}\n    connect \\Y \\y\n  end\nend\n"
                f"module \\t\n  wire width 2 input 1 \\in$5\n  wire output 2 \\out\n  wire width 2 \\mid${n + 7}\n"
                f"  cell \\t.U$3 \\child${n + 8}\n    connect \\port${n}$0 \\mid${n + 7}\n    connect \\y \\out\n"
                f"  end\n  connect \\mid${n + 7} \\in$5\nend\n")

    first, second = local_names(design(4692), "t"), local_names(design(93), "t")
    assert first == second
    # Numbered in order of appearance within each module; a child's ports renamed alike where the
    # parent connects them; module names and the top module's ports (the design's interface) kept.
    assert first == ("module \\t.U$3\n  wire width 2 input 1 \\port$L1$L2\n  wire output 2 \\y\n"
                     "  wire \\load$L3\n  cell $and $L4\n    connect \\A \\port$L1$L2 [0]\n"
                     "    connect \\B \\load$L3\n    connect \\Y \\y\n  end\nend\n"
                     "module \\t\n  wire width 2 input 1 \\in$5\n  wire output 2 \\out\n  wire width 2 \\mid$L1\n"
                     "  cell \\t.U$3 \\child$L3\n    connect \\port$L1$L2 \\mid$L1\n    connect \\y \\out\n"
                     "  end\n  connect \\mid$L1 \\in$5\nend\n")


@pytest.mark.skipif(not DEFAULT_LIBERTY.is_file(), reason="OSU018 liberty absent: run scripts/get_liberty.sh")
def test_changing_one_block_leaves_the_others_netlists_alone(tiny_run, monkeypatch):
    """A smaller AXI4-Lite response queue changes the axi block (and Amaranth's design-wide name
    numbering); every other block synthesises to the same cells."""
    from gen.generate import elaborate
    from hw.axi_lite import AxiLiteSlave
    from model.golden import tile_mapping
    from synth.yosys import synthesize

    config, _, report, _ = tiny_run
    monkeypatch.setattr(AxiLiteSlave, "RESPONSES", 1)
    _, rtlil, _ = elaborate(config, mapping=tile_mapping(config))
    changed = synthesize(rtlil_text=rtlil, top=config.top_name, liberty_path=DEFAULT_LIBERTY)
    before, after = report["area_by_block_um2"], changed.area_by_block_um2
    assert after["axi"] < before["axi"]
    assert {b: a for b, a in after.items() if b != "axi"} == {b: a for b, a in before.items() if b != "axi"}
    assert changed.cells_by_block["datapath.neurons"] == report["cells_by_block"]["datapath.neurons"]


@pytest.mark.skipif(not DEFAULT_LIBERTY.is_file(), reason="OSU018 liberty absent: run scripts/get_liberty.sh")
def test_the_netlist_does_not_depend_on_how_amaranth_numbered_the_names(tiny_run):
    """The same design with every number in its names changed (as adding a signal anywhere does to
    Amaranth's design-wide counters) synthesises to the same cells in every block."""
    import re

    from synth.yosys import synthesize

    config, out, report, _ = tiny_run
    rtlil = (out / "gen" / f"{config.top_name}.il").read_text()
    renumbered = re.sub(r"\$(\d+)", lambda m: f"${7 * int(m.group(1)) + 100000}", rtlil)
    assert renumbered != rtlil
    again = synthesize(rtlil_text=renumbered, top=config.top_name, liberty_path=DEFAULT_LIBERTY)
    assert again.area_by_block_um2 == report["area_by_block_um2"]
    assert again.cells_by_block == report["cells_by_block"]


@pytest.mark.skipif(not DEFAULT_LIBERTY.is_file(), reason="OSU018 liberty absent: run scripts/get_liberty.sh")
def test_a_block_that_fails_to_synthesise_fails_the_synthesis(tiny_run, monkeypatch):
    """One block's Yosys process failing (here the arbiter's, injected) fails the whole synthesis with
    Yosys's message; no netlist is assembled from the others."""
    import gen.generate
    from synth.yosys import synthesize

    config, out, _, _ = tiny_run
    real = gen.generate.run_yosys
    assembled = []

    def run_yosys(commands, files, outputs):
        if any(c.startswith("hierarchy -top") and c.endswith(".datapath.arbiter") for c in commands):
            raise RuntimeError("yosys failed: injected")
        if "flat.json" in outputs:
            assembled.append(True)
        return real(commands, files, outputs)

    monkeypatch.setattr(gen.generate, "run_yosys", run_yosys)
    rtlil = (out / "gen" / f"{config.top_name}.il").read_text()
    with pytest.raises(RuntimeError, match="^yosys failed: injected$"):
        synthesize(rtlil_text=rtlil, top=config.top_name, liberty_path=DEFAULT_LIBERTY)
    assert not assembled
