"""synth.bsnn_report's macro model (by hand from the technology file) and the bsnn flow's command line."""

import subprocess
import sys
from pathlib import Path

import pytest

from spinaps.config import Config
from synth.bsnn_report import IMC_CONSTANTS, comparison_markdown, imc_macro_figures
from synth.macro_model import load_technology

ROOT = Path(__file__).resolve().parents[1]


def small(**changes):
    base = dict(architecture="bsnn_if", dataset="random", tiles=1, n_inputs=20, n_outputs=3, hidden=6,
                subarray_rows=8, time_steps=3, adc_columns_per_adc=2)
    base.update(changes)
    return Config(**base)


def test_every_imc_constant_has_a_source_or_an_assumption():
    imc = load_technology()["imc"]
    for name in IMC_CONSTANTS:
        assert imc[name].get("source") or imc[name].get("assumption"), name


def test_macro_figures_by_hand():
    """Hidden layer at 180 nm: 3 subarrays x 8 rows x 6 columns = 144 pairs x 108 F^2 x 1.5 x 0.0324 um^2;
    2 active rows per subarray: 6 rows x (6 x 0.15 + 1.0) pJ = 11.4 pJ of array energy per phase.
    1-bit readout: 18 columns x (0.10 + 0.075) pJ; exact: 5-bit sums, 18 x (20 fJ x 32 + 0.2 pJ)."""
    activity = {"hidden": {"active_rows_per_phase": [2, 2, 2], "phases_per_inference": 3.0},
                "output": {"active_rows_per_phase": [1], "phases_per_inference": 3.0}}
    one_bit = imc_macro_figures(small(readout="sense_amp_1bit"), activity)["layers"]["hidden"]
    assert one_bit["array_area_um2"] == pytest.approx(144 * 108 * 1.5 * 0.18 ** 2)
    assert one_bit["array_energy_pj_per_phase"] == pytest.approx(6 * (6 * 0.15 + 1.0))
    assert one_bit["readout_energy_pj_per_phase"] == pytest.approx(18 * 0.175)
    assert one_bit["readout_area_um2"] == pytest.approx(18 * (800 + 216) * 0.18 ** 2)
    exact = imc_macro_figures(small(readout="exact"), activity)["layers"]["hidden"]
    assert exact["readout_energy_pj_per_phase"] == pytest.approx(18 * (0.020 * 32 + 0.2))
    assert exact["readout_area_um2"] == pytest.approx(3 * 3 * 500000 * 0.18 ** 2)     # 3 ADCs a subarray
    assert exact["energy_pj_per_inference"] == pytest.approx(3 * (11.4 + 18 * 0.84))


def test_comparison_table_labels_every_row():
    report = {"config": {"readout": "exact"}, "accuracy": {"exact": 0.9}, "simulation": None,
              "cycles_per_inference": 100.0, "fmax_mhz": 100.0, "latency_us": 1.0, "logic_area_um2": 1.0,
              "macros": {"area_um2": 1.0, "readout_energy_pj_per_inference": 1.0},
              "macro_energy_pj_per_inference": 1.0, "logic_energy_pj_per_inference": 1.0,
              "energy_pj_per_inference": 2.0, "tops_per_w": 1.0, "macro_only_tops_per_w": 2.0, "gsops_per_w": 1.0}
    table = comparison_markdown([report, report | {"config": {"readout": "sense_amp_1bit"}}])
    for line in table.splitlines()[2:]:
        kind = line.split("|")[2].strip()
        assert kind.split()[0] in ("measured", "modelled", "simulated", "configuration"), line
    assert "90.00 %" in table and "97.92 %" in table and "176.6" in table


def test_flow_compare_refuses_a_bad_report(tmp_path):
    (tmp_path / "bad.json").write_text("{")
    result = subprocess.run([sys.executable, "-m", "flow", "compare", str(tmp_path / "bad.json"),
                             "--out", str(tmp_path / "c.md")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 2 and result.stderr.strip().endswith("bad.json: not a report (JSONDecodeError)")
    assert not (tmp_path / "c.md").exists()


def test_three_way_table_labels_every_row():
    from flow.compare import comparison_table, design_column

    summary = {"architecture": "bsnn_if", "readout": "sense_amp_1bit", "accuracy_golden": 0.9, "accuracy_rtl": 0.91,
               "simulated_digits": 100, "mismatches": 0, "node_nm": 180, "cycles_per_inference": 724.0,
               "latency_us": 7.0, "energy_pj_per_inference": 2000.0, "readout_energy_pj_per_inference": 100.0,
               "tops_per_w": 0.5, "total_area_um2": 2e6, "sops_per_inference": 1000.0,
               "config": {"dataset": "digits", "n_inputs": 64, "hidden": 64, "n_outputs": 10}}
    column = design_column(summary, "adcless")
    assert column["family"] == "ADC-less (1-bit sense amps)" and column["energy"] == "2.00 nJ (readout 0.10)"
    table = comparison_table([column])
    assert "176.6" in table and "2–7×" in table and "8.9–24.6×" in table and "97.92 %" in table
    for line in table.splitlines()[3:]:
        if line.split("|")[1].strip() not in ("data set and network", "node of the figures"):
            assert line.split("|")[2].strip(), line                  # every figure says how it was obtained
