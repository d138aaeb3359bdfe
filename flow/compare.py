"""``python -m flow compare``: the three accelerator families side by side, from their reports.

    python -m flow compare REPORT.json [REPORT.json ...] --out COMPARISON.md

Each REPORT is either a GLM synthesis report (``build/synth/report.json`` of ``make run``, or the
``report.json`` of ``python -m synth``) or a bsnn_if run's ``summary.json`` (``make run
CONFIG=configs/bsnn*.yaml``). Every figure is labelled measured, simulated, modelled or published; the
seeds' published figures stand in their own columns.
"""

from __future__ import annotations

import json
from pathlib import Path

from spinaps.config import ConfigError

__all__ = ["design_column", "comparison_table", "PUBLISHED_COLUMNS"]

#: The seeds' abstracts (seeds 002 and 003): published, not reproduced here.
PUBLISHED_COLUMNS = {
    "STT-BSNN (published, seed 002)": {"accuracy": "97.92 % (MNIST, full 70k)", "tops_per_w": "176.6 (1×288 subarray)",
                                       "node": "65 nm", "energy": "—", "latency": "—", "area": "—"},
    "ADC-less IMC (published, seed 003)": {"accuracy": "\"minimal accuracy degradation\" (optical flow, gestures)",
                                           "tops_per_w": "—", "node": "—",
                                           "energy": "2–7× lower than HP-ADC IMC",
                                           "latency": "8.9–24.6× lower than HP-ADC IMC", "area": "—"},
}


def design_column(report: dict, name: str, *, summary: dict | None = None) -> dict:
    """The figures of one design (formatted text, with their kind) from its report (and, for a GLM synthesis
    report, the ``summary.json`` of the same ``make run``, whose golden-model accuracy it shows)."""
    if "technologies" in report:                                   # GLM: synth report.json
        stt = report["technologies"]["stt"]
        cycles = report["cycles_per_inference"]
        accuracy = f"{report['accuracy']:.1%} (RTL = golden, {report['images']} test images)"
        if summary:
            accuracy = (f"{summary['accuracy_golden']:.1%} (golden, whole test split, 5 seeds; RTL "
                        f"{summary['accuracy_rtl']:.0%} on {summary['simulated_digits']}, {summary['mismatches']} "
                        "mismatches)")
        return {
            "name": name, "family": "SpinAPS-style GLM (STT-RAM)",
            "data": f"{report['config']['dataset']} {report['config']['n_inputs']} → {report['config']['n_outputs']}",
            "accuracy": accuracy,
            "node": f"{report['node_nm']:g} nm",
            "cycles": f"{cycles:.1f}",
            "latency": f"{cycles / stt['clock_mhz']:.3f} µs",
            "energy": f"{stt['energy_per_inference_nj']:.2f} nJ",
            "efficiency": f"{stt['gsops_per_w']:.2f} GSOPS/W ({stt['pj_per_sop']:.1f} pJ/SOP)",
            "area": f"{stt['area_mm2']:.3f} mm²",
        }
    if report.get("architecture") != "bsnn_if":
        raise ConfigError(f"{name}: neither a GLM synthesis report nor a bsnn_if summary")
    c = report["config"]
    return {
        "name": name, "family": "STT-BSNN-style" if report["readout"] == "exact" else "ADC-less (1-bit sense amps)",
        "data": f"{c['dataset']} {c['n_inputs']} → {c['hidden']} → {c['n_outputs']}",
        "accuracy": f"{report['accuracy_golden']:.1%} (golden, whole test split; RTL {report['accuracy_rtl']:.0%} "
                    f"on {report['simulated_digits']}, {report['mismatches']} mismatches)",
        "node": f"{report['node_nm']:g} nm",
        "cycles": f"{report['cycles_per_inference']:.1f}",
        "latency": f"{report['latency_us']:.3f} µs",
        "energy": f"{report['energy_pj_per_inference'] / 1e3:.2f} nJ (readout "
                  f"{report['readout_energy_pj_per_inference'] / 1e3:.2f})",
        "efficiency": f"{report['tops_per_w']:.3f} TOPS/W (binary MACs); "
                      f"{report['sops_per_inference'] / report['energy_pj_per_inference'] * 1e3:.2f} GSOPS/W",
        "area": f"{report['total_area_um2'] / 1e6:.3f} mm²",
    }


ROWS = (("family", "", "family"), ("data", "", "data set and network"),
        ("accuracy", "measured", "accuracy"), ("node", "", "node of the figures"),
        ("cycles", "simulated (RTL)", "cycles per inference"),
        ("latency", "simulated cycles / measured f_max", "latency per inference"),
        ("energy", "modelled (macros) + measured netlist × vectorless or measured activity", "energy per inference"),
        ("efficiency", "modelled", "efficiency"),
        ("area", "measured logic + modelled macros", "area"))


def comparison_table(columns: list[dict], *, published: bool = True) -> str:
    """The Markdown table: one column a design, then the published ones."""
    names = [c["name"] for c in columns] + (list(PUBLISHED_COLUMNS) if published else [])
    lines = ["| figure | kind | " + " | ".join(names) + " |", "|---|---|" + "---|" * len(names)]
    keys = {"accuracy": "accuracy", "node": "node", "energy": "energy", "latency": "latency", "area": "area",
            "efficiency": "tops_per_w"}
    for key, kind, label in ROWS:
        cells = [c[key] for c in columns]
        if published:
            cells += [PUBLISHED_COLUMNS[n].get(keys.get(key, ""), "published" if key == "family" else "—")
                      for n in PUBLISHED_COLUMNS]
        lines.append(f"| {label} | {kind} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _name(report: dict) -> str:
    c = report["config"]
    if "technologies" in report:
        return f"GLM, {c['dataset']}"
    return f"{'exact ADC' if c['readout'] == 'exact' else '1-bit'}, {c['dataset']}"


def compare(paths: list[str], out: str) -> str:
    from spinaps.atomic import atomic_write_text

    columns = []
    for path in paths:
        try:
            report = json.loads(Path(path).read_text())
        except (OSError, ValueError) as e:
            raise ConfigError(f"{path}: not a report ({type(e).__name__})") from None
        beside = Path(path).with_name("summary.json")
        summary = json.loads(beside.read_text()) if "technologies" in report and beside.is_file() else None
        columns.append(design_column(report, _name(report), summary=summary))
    text = comparison_table(columns)
    atomic_write_text(out, text)
    return text
