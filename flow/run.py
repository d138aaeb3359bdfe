"""The whole flow in one command: trained network -> generated, verified, synthesised accelerator -> one report.

    python -m flow run --weights WEIGHTS [--config FILE] [--tiles N] [--n 100] [--sim verilator]
                       [--out build/report]

Steps: golden-model evaluation, generation, cocotb simulation against the golden model,
synthesis (handed the simulation's cycles), report. Each step's artefacts stay in its own
folder under build/; the report (index.md, summary.json, PNGs) links them. A mismatch with
the golden model stops the flow with :class:`spinaps.cli.VerificationError`.
"""

from __future__ import annotations

import io
import json
import shutil
import sys
import time
from pathlib import Path

import numpy as np

from spinaps.atomic import atomic_write_bytes, atomic_write_text
from spinaps.config import Config

__all__ = ["run_flow"]

ROOT = Path(__file__).resolve().parents[1]


class Steps:
    """Numbered progress lines with the time each step took."""

    def __init__(self, total: int):
        self.total, self.done, self.start = total, 0, None

    def begin(self, what: str):
        self.done += 1
        self.start = time.perf_counter()
        print(f"[{self.done}/{self.total}] {what} ...", flush=True)

    def end(self, where: str = ""):
        print(f"      done in {time.perf_counter() - self.start:.1f} s" + (f": {where}" if where else ""), flush=True)


def _rtl_accuracy(config: Config, trace_path: Path, labels) -> dict:
    from model.evaluate import accuracy_by_deadline

    with np.load(trace_path) as trace:
        spike, potential = trace["spike"], trace["potential"]
    return {policy: accuracy_by_deadline(spike, potential, labels, tie_policy=config.tie_policy,
                                         timeout_policy=policy)
            for policy in ("argmax_potential", "abstain")}


def _plot_accuracy(path: Path, golden: dict, golden_same: dict, rtl: dict, ann: float, n: int):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    deadlines = np.arange(1, len(rtl["argmax_potential"]) + 1)
    fig, ax = plt.subplots(figsize=(6.5, 4.2), dpi=120)
    ax.plot(deadlines, np.array(golden["accuracy_by_deadline"]) * 100, "o-",
            label=f"golden model, {golden['test_samples']} test digits x {golden['seeds']} seeds")
    ax.plot(deadlines, np.array(golden_same) * 100, "s--", label=f"golden model, the {n} simulated digits")
    ax.plot(deadlines, np.array(rtl["argmax_potential"]) * 100, "x:", color="black", markersize=8,
            label=f"RTL (Verilog simulation), {n} digits")
    ax.axhline(ann * 100, color="gray", ls=":", label="ANN (softmax regression)")
    ax.set_xlabel("decision deadline T (algorithmic time steps)")
    ax.set_ylabel("test accuracy (%), forced decision on timeout")
    ax.set_ylim(0, 100)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right", fontsize=8)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(fig)
    atomic_write_bytes(path, buffer.getvalue())


def _plot_efficiency(path: Path, synth: dict):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(8, 3.6), dpi=120)
    techs = ["stt", "sram"]
    labels = ["STT-RAM", "SRAM"]
    logic_mm2 = synth["logic_area_um2"] / 1e6
    macro_mm2 = [synth["macro_area_um2"][t] / 1e6 for t in techs]
    axes[0].bar(labels, [logic_mm2] * 2, label="logic (synthesised)")
    axes[0].bar(labels, macro_mm2, bottom=[logic_mm2] * 2, label="macros (analytic model)")
    axes[0].set_ylabel("area (mm²)")
    axes[0].legend(fontsize=8, loc="lower center")
    axes[1].bar(labels, [synth["gsops_per_w_per_mm2"][t] for t in techs], color=["tab:green", "tab:red"])
    axes[1].set_ylabel("GSOPS/W/mm²")
    axes[1].set_title(f"STT-RAM / SRAM = {synth['stt_over_sram']:.2f}x")
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(fig)
    atomic_write_bytes(path, buffer.getvalue())


def run_flow(config: Config, *, weights: Path, out: Path, n: int = 100, sim: str = "verilator",
             build: Path = ROOT / "build") -> dict:
    """Evaluate, generate, simulate ``n`` test images bit-exactly, synthesise, and write the report.

    Raises
    ------
    VerificationError
        If the simulated design disagrees with the golden model or the simulation ends early.
    """
    from model.data import load_dataset
    from model.evaluate import accuracy_by_deadline, evaluate, format_table
    from model.golden import run_golden, tile_mapping
    from model.weights import load_weights
    from spinaps.contract import image_seeds
    from synth.report import run as synthesise
    from verif.sim import simulate_images

    weights_data = load_weights(weights, config)       # a bad file fails before any work
    out.mkdir(parents=True, exist_ok=True)
    steps = Steps(5)

    steps.begin("evaluating the golden model on the test split (5 seeds)")
    data = load_dataset(config)
    golden = evaluate(config, weights_data, data, seeds=5)
    atomic_write_text(out / "golden_report.json", json.dumps(golden, indent=2) + "\n")
    print(format_table(golden))
    steps.end(str(out / "golden_report.json"))

    steps.begin(f"generating the {config.tiles}-tile design and simulating {n} test images on {sim} "
                "against the golden model, step by step")
    work, sim_results = simulate_images(config, sim=sim, weights=weights, n=n, out=build / "sim",
                                        progress=sys.stderr.isatty())
    labels = data.test_y[:n]
    rtl = _rtl_accuracy(config, work / "rtl_trace.npz", labels)
    same = run_golden(config, weights_data.alpha, weights_data.bias, data.test_x[:n],
                      seed_encoder=image_seeds(config.seed_encoder, n, width=config.lfsr_width),
                      seed_spike=image_seeds(config.seed_spike, n, width=config.lfsr_width),
                      mapping=tile_mapping(config, data))
    golden_same = accuracy_by_deadline(same.spike, same.potential, labels, tie_policy=config.tie_policy,
                                       timeout_policy="argmax_potential")
    steps.end(f"{sim_results['mismatches']} mismatches; {work / 'results.json'}")

    steps.begin("synthesising the logic (Yosys, liberty) and modelling the macros")
    synth_dir = build / "synth"
    inference = {key: sim_results[key] for key in ("cycles_per_inference", "sops_per_inference", "utilization",
                                                   "steps_per_inference", "accuracy")}
    inference.update(images=n, cycles_source=f"RTL simulation: {work / 'results.json'} ({sim}, {n} images)")
    synth = synthesise(config, out=synth_dir, weights=weights, inference=inference,
                       log=lambda line: print(f"      {line}", flush=True))
    steps.end(str(synth_dir / "report.json"))

    steps.begin("plotting")
    _plot_accuracy(out / "accuracy_vs_deadline.png", golden, golden_same, rtl, golden["ann_accuracy"], n)
    _plot_efficiency(out / "efficiency.png", synth)
    if (synth_dir / "area.png").exists():
        shutil.copyfile(synth_dir / "area.png", out / "area_breakdown.png")
    shutil.copyfile(synth_dir / "report.json", out / "synth_report.json")    # kept per report (python -m flow compare)
    steps.end()

    steps.begin("writing the report")
    summary = {
        "config": config.to_dict(),
        "weights": str(weights),
        "accuracy_golden": golden["accuracy"],
        "accuracy_golden_abstain": golden["accuracy_abstain"],
        "accuracy_golden_at_deadline_4": golden.get("accuracy_at_deadline_4"),
        "accuracy_golden_abstain_at_deadline_4": (golden["accuracy_by_deadline_abstain"][3]
                                                  if config.t_max >= 4 else None),
        "accuracy_golden_simulated_digits": golden_same[-1],
        "accuracy_rtl": rtl["argmax_potential"][-1],
        "accuracy_rtl_by_deadline": rtl["argmax_potential"],
        "accuracy_rtl_abstain": rtl["abstain"][-1],
        "simulated_digits": n,
        "simulator": sim,
        "mismatches": sim_results["mismatches"],
        "ann_accuracy": golden["ann_accuracy"],
        "cycles_per_inference": sim_results["cycles_per_inference"],
        "cycles_per_step": sim_results["cycles_per_step"],
        "utilization": sim_results["utilization"],
        "sops_per_inference": sim_results["sops_per_inference"],
        "logic_area_um2": synth["logic_area_um2"],
        "macro_area_um2": synth["macro_area_um2"],
        "fmax_mhz": synth["fmax_mhz"],
        "gsops": synth["gsops"],
        # The testbench's host loop: an image's pixels and seeds written over AXI4-Lite, START, the
        # interrupt, five result registers read; the pixels overlap the inference with two pixel banks
        # (the next image), not with one (PIXEL is locked while BUSY).
        "host_loop_cycles_per_image": sim_results["inference_cycles"] / n,
        "host_loop_least_cycles_per_image": host_loop_least_cycles(config, sim_results["cycles_per_inference"]),
        "gsops_host_loop": synth["gsops"] * sim_results["cycles_per_inference"] / (sim_results["inference_cycles"] / n),
        "gsops_per_w_per_mm2": synth["gsops_per_w_per_mm2"],
        "stt_over_sram": synth["stt_over_sram"],
        "liberty": synth.get("liberty"),
        "yosys_version": synth.get("yosys_version"),
    }
    atomic_write_text(out / "summary.json", json.dumps(summary, indent=2) + "\n")
    atomic_write_text(out / "index.md", _markdown(summary, golden, synth, work, synth_dir))
    steps.end(str(out / "index.md"))
    return summary


#: The default configuration before the pipelined datapath (issue 11), measured at commit 561a793 with
#: ``make sim`` (100 digits) and ``make synth``: what the default run's "before and after" table compares with.
BEFORE_DATAPATH = {"commit": "561a793", "cycles_per_inference": 162.5, "cycles_per_step": 30.9, "utilization": 0.204,
                   "logic_area_um2": 1_066_106, "fmax_mhz": 133.7, "fmax_mhz_opensta": 143.5, "gsops": 2.13,
                   "gsops_per_mm2": 1.92, "gsops_per_w_per_mm2": {"stt": 14.0, "sram": 12.9}}


def _before_and_after(s: dict, synth: dict) -> list[str]:
    """The default configuration's figures against BEFORE_DATAPATH (other configurations have no before)."""
    b = BEFORE_DATAPATH
    per_mm2 = s["gsops"] / synth["total_area_mm2"]["stt"]
    opensta = synth.get("fmax_mhz_opensta")
    rows = [("cycles per inference / per step", f"{b['cycles_per_inference']} / {b['cycles_per_step']}",
             f"{s['cycles_per_inference']:.1f} / {s['cycles_per_step']:.1f}"),
            ("utilisation", f"{b['utilization']:.3f}", f"{s['utilization']:.3f}"),
            ("logic area (µm²)", f"{b['logic_area_um2']:,}", f"{s['logic_area_um2']:,.0f}"),
            ("f_max in-house / OpenSTA (MHz)", f"{b['fmax_mhz']} / {b['fmax_mhz_opensta']}",
             f"{s['fmax_mhz']:.1f} / " + ("n/a" if opensta is None else f"{opensta:.1f}")),
            ("GSOPS", f"{b['gsops']}", f"{s['gsops']:.3g}"),
            ("GSOPS per mm² of total area (logic, STT-RAM macros, pixel buffers)", f"{b['gsops_per_mm2']}",
             f"{per_mm2:.3g} ({per_mm2 / b['gsops_per_mm2']:.2f}×)"),
            ("GSOPS/W/mm² STT-RAM / SRAM", f"{b['gsops_per_w_per_mm2']['stt']} / {b['gsops_per_w_per_mm2']['sram']}",
             f"{s['gsops_per_w_per_mm2']['stt']:.3g} / {s['gsops_per_w_per_mm2']['sram']:.3g}")]
    return [f"## Before and after the pipelined datapath (commit {b['commit']} → this run)", "",
            "| | before | after |", "|---|---:|---:|", *(f"| {a} | {x} | {y} |" for a, x, y in rows), ""]


def host_loop_least_cycles(config: Config, cycles: float) -> float:
    """The fewest cycles a host needs for an image of ``cycles`` cycles (docs/spec.md section 9): the
    pixel words (and PIXEL_BANK) written one a cycle, before the inference or, with two pixel banks,
    during it; START (a cycle of latency, one write); RESULT_CLASS read (3 cycles: AR, the access, R)."""
    pixel_writes = config.tiles * config.pixel_words_per_tile
    loading = cycles + pixel_writes if config.pixel_banks == 1 else max(cycles, pixel_writes + 1)
    return loading + 1 + 1 + 3


def _markdown(s: dict, golden: dict, synth: dict, work: Path, synth_dir: Path) -> str:
    from model.evaluate import format_table

    c = s["config"]
    pct = lambda v: "n/a" if v is None else f"{v:.1%}"  # noqa: E731
    overlap = ("the next image written while one runs" if c.get("pixel_banks", 1) == 2
               else "nothing overlapped")
    lines = [
        "# spinaps report", "",
        f"Network {c['n_inputs']} → {c['n_outputs']} ({c['dataset']}), {c['tiles']} tiles, τ = {c['tau']}, "
        f"{c['weight_bits']}-bit weights, T_max = {c['t_max']}; weights `{s['weights']}`.", "",
        "| | value |", "|---|---|",
        f"| accuracy, golden model (test split, 5 seeds, forced) | {pct(s['accuracy_golden'])} |",
        f"| accuracy, golden model at a 4-step deadline | {pct(s['accuracy_golden_at_deadline_4'])} |",
        f"| accuracy, RTL ({s['simulated_digits']} digits, {s['simulator']}) | {pct(s['accuracy_rtl'])} "
        f"(golden on the same digits: {pct(s['accuracy_golden_simulated_digits'])}) |",
        f"| bit-exact mismatches (every step, tile, neuron) | {s['mismatches']} |",
        f"| ANN baseline (softmax regression) | {pct(s['ann_accuracy'])} |",
        f"| cycles per inference / per step | {s['cycles_per_inference']:.1f} / {s['cycles_per_step']:.1f} |",
        f"| utilisation (SOPs / cycles × tiles × N_Y) | {pct(s['utilization'])} |",
        f"| logic area ({Path(str(s['liberty'])).name}) | {s['logic_area_um2']:,.0f} µm² |",
        f"| macro area STT-RAM / SRAM (analytic) | {s['macro_area_um2']['stt']:,.0f} / "
        f"{s['macro_area_um2']['sram']:,.0f} µm² |",
        f"| f_max | {s['fmax_mhz']:.1f} MHz |",
        f"| GSOPS (images arriving in no time) | {s['gsops']:.3g} |",
        f"| host loop over AXI4-Lite, {overlap} (measured: pixels and seeds written, START, interrupt, "
        f"5 registers read; the least the bus allows) | {s['host_loop_cycles_per_image']:.1f} cycles an image "
        f"({s['host_loop_least_cycles_per_image']:.1f}), {s['gsops_host_loop']:.3g} GSOPS |",
        f"| GSOPS/W/mm² STT-RAM / SRAM | {s['gsops_per_w_per_mm2']['stt']:.3g} / "
        f"{s['gsops_per_w_per_mm2']['sram']:.3g} |",
        f"| STT-RAM over SRAM | {s['stt_over_sram']:.2f}× (the paper reports 4×) |", "",
        "![accuracy against deadline](accuracy_vs_deadline.png)", "",
        "![area and efficiency](efficiency.png)", "",
        *(_before_and_after(s, synth) if c == Config().to_dict() else []),
        "## Golden model", "", format_table(golden), "",
        "## Artefacts", "",
        f"- generated design: `{work / 'gen'}` (Verilog, manifest, register map, C header)",
        f"- simulation: `{work / 'results.json'}`, trace `{work / 'rtl_trace.npz'}`",
        f"- synthesis: `{synth_dir / 'report.md'}`, `{synth_dir / 'report.json'}`", "",
    ]
    return "\n".join(lines)
