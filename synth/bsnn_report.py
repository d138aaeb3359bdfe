"""Area, timing, energy, latency and efficiency of a bsnn_if design, and the exact-ADC vs 1-bit comparison.

:func:`measure_bsnn` is the measurement behind the bsnn_if flow (flow/bsnn.py): synthesise the weight-free
design (``<top>.il`` of ``python -m gen``) with :func:`synth.yosys.synthesize` — the IMC macros
``<top>.datapath.<layer>_imc.memctrl.macro`` match ``synth.yosys.MACRO_PATTERNS`` and become black boxes,
the datapath's blocks are reported one by one (``EXPANDED_BLOCKS``) — time it (in-house, and OpenSTA when
installed, as synth/report.py does), estimate its logic power from the liberty (vectorless: the gate-level
activity measurement of synth/activity.py drives the GLM testbench), project the logic to the
configuration's ``node_nm`` (:func:`synth.report.logic_at_node`, Stillmaker & Baas), model the macros
with the ``imc`` section of synth/technology.yaml at that node (:func:`imc_macro_figures`, constants by
:func:`synth.macro_model.constant`), take the switching activity of the arrays (spiking rows per sensing
phase) from the golden model and the cycles from the RTL simulation, and write ``report.json`` and
``report.md``. :func:`comparison_markdown` puts several reports side by side (exact vs 1-bit readout).

Every figure is labelled: **measured** (Yosys + liberty on the netlist, RTL simulation), **modelled** (the
analytic macro model, the vectorless logic-power estimate, the node projection) or **published** (the
seeds' abstracts).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from spinaps.atomic import atomic_write_text
from spinaps.config import Config, ConfigError

from .macro_model import _check_constant, constant, load_technology, node_factors

__all__ = ["IMC_CONSTANTS", "PUBLISHED", "imc_macro_figures", "activity_of", "measure_bsnn", "report_markdown",
           "comparison_markdown"]

#: Constants the ``imc`` section of the technology file must define.
IMC_CONSTANTS = ("cell_pair_area_f2", "array_area_overhead", "sense_amp_area_f2", "reference_area_f2", "adc_area_f2",
                 "cell_energy_pj_per_active_weight", "row_drive_energy_pj", "sense_amp_energy_pj",
                 "reference_energy_pj", "adc_walden_fom_fj", "adc_sample_energy_pj")

#: The seeds' published figures (abstracts of seeds 002 and 003), for the comparison rows.
PUBLISHED = {
    "stt_bsnn_mnist_accuracy": 0.9792,
    "stt_bsnn_tops_per_w": 176.6,
    "stt_bsnn_node_nm": 65,
    "stt_bsnn_subarray": "1 x 288",
    "adc_less_energy_gain": "2-7x",
    "adc_less_latency_gain": "8.9-24.6x",
}


def _imc_constants(tech: dict, *, node_nm: float) -> dict:
    section = tech.get("imc")
    if not isinstance(section, dict):
        raise ConfigError("technology file: imc must be a mapping (the bsnn_if macro constants)")
    values = {}
    for name in IMC_CONSTANTS:
        _check_constant("technology file", f"imc.{name}", section.get(name))
        values[name] = constant(tech, section[name], node_nm=node_nm)
    return values


def activity_of(config: Config, golden) -> dict:
    """Mean spiking rows per sensing phase, per layer and subarray, from a golden-model result."""
    from spinaps.bsnn_contract import bsnn_params

    p = bsnn_params(config)
    activity = {}
    ran = np.arange(golden.x.shape[1])[None, :] < golden.steps[:, None]          # (n, T) steps that ran
    for layer, rows in zip(p.layers, (golden.x, golden.spike[0])):
        padded = np.zeros(rows.shape[:2] + (layer.subarrays * layer.rows,), dtype=np.int64)
        padded[..., :layer.inputs] = rows
        per_subarray = padded.reshape(rows.shape[:2] + (layer.subarrays, layer.rows)).sum(axis=-1)
        activity[layer.name] = {
            "active_rows_per_phase": per_subarray[ran].mean(axis=0).tolist(),
            "phases_per_inference": float(ran.sum(axis=1).mean()),
        }
    return activity


def imc_macro_figures(config: Config, activity: dict, *, tech: dict | None = None, node_nm: float | None = None) -> dict:
    """Area of both layers' macros and their energy per inference (modelled).

    Area: cell pairs x ``cell_pair_area_f2`` x (1 + ``array_area_overhead``), plus per column a sense amplifier
    and a reference (1-bit readout) or, per subarray, ``adcs_per_subarray`` SAR ADCs (exact readout).
    Energy of one sensing phase of a subarray with ``a`` spiking rows: ``a x C x cell + a x row_drive`` plus,
    per column, ``sense_amp + reference`` (1-bit) or ``FOM x 2**sum_width + sample`` (exact). At ``node_nm``
    (default: the technology file's ``default_node_nm``) cells scale as F^2 and each constant as its
    ``scales`` says.
    """
    from spinaps.bsnn_contract import bsnn_params

    tech = load_technology() if tech is None else tech
    node_nm = float(tech["default_node_nm"] if node_nm is None else node_nm)
    k = _imc_constants(tech, node_nm=node_nm)
    p = bsnn_params(config)
    f2_um2 = (node_nm / 1000.0) ** 2
    layers = {}
    for layer in p.layers:
        cells = layer.subarrays * layer.rows * layer.columns
        array = cells * k["cell_pair_area_f2"] * (1.0 + k["array_area_overhead"]) * f2_um2
        columns = layer.subarrays * layer.columns
        if layer.readout == "exact":
            periphery = layer.subarrays * layer.adcs_per_subarray * k["adc_area_f2"] * f2_um2
            per_column_pj = k["adc_walden_fom_fj"] * 1e-3 * 2 ** layer.sum_width + k["adc_sample_energy_pj"]
        else:
            periphery = columns * (k["sense_amp_area_f2"] + k["reference_area_f2"]) * f2_um2
            per_column_pj = k["sense_amp_energy_pj"] + k["reference_energy_pj"]
        active = float(sum(activity[layer.name]["active_rows_per_phase"]))
        phases = activity[layer.name]["phases_per_inference"]
        array_pj = active * (layer.columns * k["cell_energy_pj_per_active_weight"] + k["row_drive_energy_pj"])
        readout_pj = columns * per_column_pj
        layers[layer.name] = {
            "subarrays": layer.subarrays, "rows": layer.rows, "columns": layer.columns, "readout": layer.readout,
            "array_area_um2": array, "readout_area_um2": periphery, "area_um2": array + periphery,
            "array_energy_pj_per_phase": array_pj, "readout_energy_pj_per_phase": readout_pj,
            "energy_pj_per_inference": phases * (array_pj + readout_pj), "phases_per_inference": phases,
        }
    return {"node_nm": node_nm, "layers": layers,
            "area_um2": sum(v["area_um2"] for v in layers.values()),
            "energy_pj_per_inference": sum(v["energy_pj_per_inference"] for v in layers.values()),
            "readout_energy_pj_per_inference": sum(v["readout_energy_pj_per_phase"] * v["phases_per_inference"]
                                                   for v in layers.values())}


def measure_bsnn(config: Config, *, out: str | Path, gen_dir: str | Path, weights: str | Path, accuracy: dict,
                 sim_results: dict | None = None, liberty: str | Path | None = None, images: int = 1000,
                 node_nm: float | None = None, log=None) -> dict:
    """Synthesise, time and model a generated bsnn_if design; write ``out/report.json`` and ``out/report.md``.

    Parameters
    ----------
    config : Config
    out : path
        Output directory.
    gen_dir : path
        Where ``python -m gen`` wrote the design without a network (its ``<top>.il`` is synthesised; a design
        generated with a network holds its thresholds as reset values, so its area would depend on them).
    weights : path
        The network file (the arrays' activity comes from the golden model running it on the test split).
    accuracy : dict
        Golden-model test accuracies (the training history of ``model.bsnn_train``).
    sim_results : dict, optional
        ``results.json`` of a Verilator run (mismatches, RTL accuracy, cycles).
    liberty : path, optional
        Default: the OSU 0.18 um liberty of scripts/get_liberty.sh.
    images : int
        Test images the activity is averaged over.
    node_nm : float, optional
        Node of the energy and efficiency figures (default ``config.node_nm``); the logic is measured at the
        liberty's node and projected.

    Returns
    -------
    dict
        The report (also written).
    """
    from model.bsnn import load_network, run_bsnn
    from model.data import load_dataset
    from spinaps.bsnn_contract import bsnn_params
    from spinaps.contract import image_seeds

    from .report import _opensta, find_liberty, logic_at_node
    from .yosys import logic_power, static_timing, synthesize

    log = log or (lambda line: None)
    p = bsnn_params(config)
    tech = load_technology()
    node_nm = float(config.node_nm if node_nm is None else node_nm)
    node_factors(tech, node_nm)                          # an uncovered node fails here
    liberty = find_liberty(liberty)
    manifest = json.loads((Path(gen_dir) / "manifest.json").read_text())
    if manifest.get("weights"):
        raise ConfigError(f"{gen_dir}/manifest.json: the design was generated with a network in its reset values; "
                          "synthesise one generated without --weights")
    rtlil = (Path(gen_dir) / f"{config.top_name}.il").read_text()
    log(f"synthesising {config.top_name} against {liberty.name}")
    synth = synthesize(rtlil_text=rtlil, top=config.top_name, liberty_path=liberty,
                       output_load_pf=float(tech["logic"]["output_load_pf"]["value"]))
    macros_found = sorted(m.removeprefix(f"{config.top_name}.") for m in synth.blackbox_cells)
    if macros_found != [f"datapath.{layer.name}_imc.memctrl.macro" for layer in p.layers]:
        raise ConfigError(f"{config.top_name}: the black boxes are {macros_found}, not the two IMC macros the model "
                          "stands for")
    out = Path(out)
    atomic_write_text(out / "netlist.v", synth.netlist_verilog)
    timing = static_timing(synth.flat_netlist, top=config.top_name, liberty_path=liberty, tech=tech)
    opensta = _opensta(synth, config, liberty, tech, out, log)
    power = logic_power(synth.flat_netlist, top=config.top_name, liberty_path=liberty, tech=tech)
    logic = logic_at_node(logic_area_um2=synth.logic_area_um2, fmax_mhz=timing.fmax_mhz,
                          logic_power=power.to_dict(), tech=tech, node_nm=node_nm)
    network = load_network(weights, config)
    data = load_dataset(config)
    pixels = data.test_x[:images]
    golden = run_bsnn(config, network, pixels, seed_encoder=image_seeds(config.seed_encoder, len(pixels),
                                                                          width=config.lfsr_width))
    activity = activity_of(config, golden)
    macros = imc_macro_figures(config, activity, tech=tech, node_nm=node_nm)
    cycles = float(golden.cycles.mean()) if sim_results is None else float(sim_results["cycles_per_inference"])
    f_hz = logic["fmax_mhz"] * 1e6
    latency_s = cycles / f_hz
    logic_pj = logic["energy_pj_per_cycle"] * cycles + logic["leakage_w"] * latency_s * 1e12
    energy_pj = logic_pj + macros["energy_pj_per_inference"]
    steps = float(golden.steps.mean())
    # Operations as IMC papers count them: every weight of every layer, one multiply and one add, each step.
    ops = 2.0 * steps * sum(layer.inputs * layer.columns for layer in p.layers)
    sops = float((golden.x.sum(axis=(1, 2)) * p.hidden.columns + golden.spike[0].sum(axis=(1, 2)) * p.output.columns)
                 .mean())
    area_um2 = logic["logic_area_um2"] + macros["area_um2"]
    reference = float(tech["reference_node_nm"])
    projected = "measured" if node_nm == reference else f"projected from {reference:g} nm (Stillmaker & Baas 2017)"
    report = {
        "config": {k: getattr(config, k) for k in ("dataset", "n_inputs", "hidden", "n_outputs", "subarray_rows",
                                                   "readout", "time_steps", "reset_mode", "output_decode",
                                                   "sense_latency", "adc_columns_per_adc", "node_nm")},
        "accuracy": accuracy, "published": PUBLISHED, "simulation": sim_results,
        "node_nm": node_nm, "reference_node_nm": reference,
        "logic_area_um2": synth.logic_area_um2, "area_by_block_um2": synth.area_by_block_um2,
        "flip_flops": synth.flip_flops, "blackbox_cells": synth.blackbox_cells, "liberty": str(liberty.name),
        "yosys_version": synth.yosys_version, "fmax_mhz": timing.fmax_mhz, "critical_path_ns": timing.critical_path_ns,
        "fmax_mhz_opensta": None if opensta is None else opensta.fmax_mhz,
        "logic_power": power.to_dict(), "logic_at_node": logic, "macros": macros, "activity": activity,
        "cycles_per_inference": cycles, "steps_per_inference": steps, "latency_us": latency_s * 1e6,
        "logic_energy_pj_per_inference": logic_pj, "macro_energy_pj_per_inference": macros["energy_pj_per_inference"],
        "energy_pj_per_inference": energy_pj, "ops_per_inference": ops, "sops_per_inference": sops,
        "tops_per_w": ops / energy_pj, "gsops_per_w": sops / energy_pj * 1e3,
        "gsops": sops / latency_s / 1e9, "gsops_per_w_per_mm2": sops / energy_pj * 1e3 / (area_um2 / 1e6),
        "macro_only_tops_per_w": ops / macros["energy_pj_per_inference"],
        "total_area_um2": area_um2,
        "figure_sources": {
            "logic_area_um2": f"measured: Yosys + liberty at {reference:g} nm",
            "fmax_mhz": f"measured: in-house static timing of the netlist at {reference:g} nm"
                        + ("" if opensta is None else "; OpenSTA beside it"),
            "cycles_per_inference": "simulated: RTL (Verilator)" if sim_results else "computed: golden model",
            "logic_energy": f"modelled: vectorless activity, liberty power tables; {projected}",
            "macros": f"modelled: synth/technology.yaml imc at {node_nm:g} nm, array activity from the golden model",
            "latency_us": f"cycles (simulated) / f_max ({projected})",
        },
    }
    atomic_write_text(out / "report.json", json.dumps(report, indent=2) + "\n")
    atomic_write_text(out / "report.md", report_markdown(report))
    return report


def _pct(value) -> str:
    return "n/a" if value is None else f"{100 * value:.2f} %"


def report_markdown(report: dict) -> str:
    """One design's report (Markdown)."""
    c = report["config"]
    sim = report.get("simulation") or {}
    lines = [f"# bsnn_if: {c['dataset']} {c['n_inputs']} → {c['hidden']} → {c['n_outputs']}, readout "
             f"`{c['readout']}`, R = {c['subarray_rows']}, T = {c['time_steps']}", "",
             comparison_markdown([report]), "",
             "Logic area by block (µm², " + report["liberty"] + "): " +
             ", ".join(f"{k} {v:,.0f}" for k, v in report["area_by_block_um2"].items()), ""]
    return "\n".join(lines) + (f"\nRTL: {sim.get('samples')} images on {sim.get('simulator')}, "
                               f"{sim.get('mismatches')} mismatches.\n" if sim else "")


def comparison_markdown(reports: list[dict]) -> str:
    """The measured / modelled / published table of one or more reports, one column each."""
    head = "| figure | kind | " + " | ".join(f"`{r['config']['readout']}`" for r in reports) + " | published |"
    rows = [head, "|---|---|" + "---|" * (len(reports) + 1)]

    def row(name, kind, values, published=""):
        rows.append(f"| {name} | {kind} | " + " | ".join(values) + f" | {published} |")

    acc = [r["accuracy"] for r in reports]
    row("accuracy, exact readout (golden = RTL)", "measured", [_pct(a.get("exact")) for a in acc],
        "97.92 % (STT-BSNN, full MNIST)")
    row("accuracy, 1-bit readout, no fine-tuning", "measured",
        [_pct(a.get("sense_amp_1bit_no_finetune")) for a in acc])
    row("accuracy, 1-bit readout, hardware-aware fine-tuning", "measured",
        [_pct(a.get("sense_amp_1bit_finetuned")) for a in acc])
    row("RTL accuracy on the simulated images (Verilator)", "measured",
        [_pct((r.get("simulation") or {}).get("accuracy")) for r in reports])
    row("RTL mismatches against the golden model", "measured",
        [str((r.get("simulation") or {}).get("mismatches", "n/a")) for r in reports])
    row("cycles per inference", "measured (RTL = golden)", [f"{r['cycles_per_inference']:.1f}" for r in reports])
    row("f_max at 180 nm", "measured (STA on the netlist)", [f"{r['fmax_mhz']:.1f} MHz" for r in reports])
    row("node of the figures below", "configuration (node_nm)", [f"{r.get('node_nm', 180):g} nm" for r in reports])
    row("latency per inference", "simulated cycles / clock", [f"{r['latency_us']:.3f} µs" for r in reports],
        "ADC-less: 8.9–24.6× lower than HP-ADC")
    row("logic area at 180 nm", "measured (Yosys + liberty)", [f"{r['logic_area_um2']:,.0f} µm²" for r in reports])
    row("macro area (cells + readout)", "modelled", [f"{r['macros']['area_um2']:,.0f} µm²" for r in reports])
    row("macro energy per inference", "modelled", [f"{r['macro_energy_pj_per_inference'] / 1e3:.2f} nJ"
                                                   for r in reports])
    row("  of which column readout (ADCs or sense amplifiers)", "modelled",
        [f"{r['macros']['readout_energy_pj_per_inference'] / 1e3:.2f} nJ" for r in reports])
    row("logic energy per inference", "modelled (liberty power tables)",
        [f"{r['logic_energy_pj_per_inference'] / 1e3:.2f} nJ" for r in reports])
    row("energy per inference", "modelled", [f"{r['energy_pj_per_inference'] / 1e3:.2f} nJ" for r in reports],
        "ADC-less: 2–7× lower than HP-ADC")
    row("TOPS/W (2 ops per weight per step)", "modelled", [f"{r['tops_per_w']:.3f}" for r in reports],
        "176.6 (STT-BSNN, 65 nm, subarray only)")
    row("TOPS/W, macros only", "modelled", [f"{r['macro_only_tops_per_w']:.2f}" for r in reports])
    row("GSOPS/W (spike-driven synaptic operations)", "modelled", [f"{r['gsops_per_w']:.2f}" for r in reports])
    return "\n".join(rows)
