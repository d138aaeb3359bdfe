"""The end-to-end flow of the bsnn_if family, behind ``python -m flow run`` (and ``make run``) when the
configuration says ``architecture: bsnn_if``.

Steps: golden-model evaluation of the trained network (``python -m model train`` wrote it and its training
history), generation of the design holding the network and simulation of ``n`` test images on it
against the golden model, step by step and neuron by neuron (verif/test_bsnn.py), synthesis of the
weight-free design with the IMC macro model (synth/bsnn_report.py), report. The simulation and synthesis
live under the report directory (``OUT/sim``, ``OUT/synth``). A mismatch stops the flow with
:class:`spinaps.cli.VerificationError`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from spinaps.atomic import atomic_write_text
from spinaps.config import Config

from .run import Steps

__all__ = ["run_bsnn_flow", "summary_markdown"]


def _history(weights: Path) -> dict:
    path = weights.with_suffix(".history.json")
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def run_bsnn_flow(config: Config, *, weights: Path, out: Path, n: int = 100, sim: str = "verilator") -> dict:
    """The bsnn_if flow (the module docstring): ``weights`` is the network file of ``python -m model train``,
    ``out`` the report directory; a mismatch of the ``n`` simulated images raises VerificationError."""
    from gen.generate import generate
    from synth.bsnn_report import measure_bsnn
    from verif.sim import simulate_images
    from model.bsnn import load_network, run_bsnn
    from model.data import load_dataset
    from spinaps.contract import image_seeds

    network = load_network(weights, config)           # a bad file fails before any work
    out.mkdir(parents=True, exist_ok=True)
    history = _history(weights)
    steps = Steps(4)

    steps.begin("evaluating the golden model on the test split")
    data = load_dataset(config)
    count = len(data.test_y)
    golden = run_bsnn(config, network, data.test_x,
                      seed_encoder=image_seeds(config.seed_encoder, count, width=config.lfsr_width))
    correct = golden.decision == data.test_y
    golden_report = {"test_samples": count, "accuracy": float(correct.mean()),
                     "accuracy_first_n": float(correct[:n].mean()),
                     "training": {k: history[k] for k in history.get("phases", [])},
                     "train_seconds": history.get("train_seconds")}
    atomic_write_text(out / "golden_report.json", json.dumps(golden_report, indent=2) + "\n")
    print(f"      golden model: {golden_report['accuracy']:.2%} on {count} {data.name} test images")
    steps.end(str(out / "golden_report.json"))

    steps.begin(f"generating the design with the network and simulating {n} test images on {sim} against the "
                "golden model, step by step")
    work, sim_results = simulate_images(config, sim=sim, weights=weights, n=n, out=out / "sim",
                                        progress=sys.stderr.isatty())
    steps.end(f"{sim_results['mismatches']} mismatches; {work / 'results.json'}")

    steps.begin("synthesising the weight-free design (Yosys, liberty) and modelling the IMC macros")
    gen_dir = out / "synth" / "gen"
    generate(config, gen_dir)
    accuracy = dict(golden_report["training"])
    accuracy.setdefault(config.readout if config.readout == "exact" else "sense_amp_1bit_finetuned",
                        golden_report["accuracy"])
    synth = measure_bsnn(config, out=out / "synth", gen_dir=gen_dir, weights=weights, accuracy=accuracy,
                         sim_results=sim_results | {"simulator": sim}, log=lambda line: print(f"      {line}", flush=True))
    steps.end(str(out / "synth" / "report.json"))

    steps.begin("writing the report")
    summary = {
        "config": config.to_dict(),
        "architecture": "bsnn_if",
        "readout": config.readout,
        "weights": str(weights),
        "accuracy_golden": golden_report["accuracy"],
        "accuracy_golden_by_phase": golden_report["training"],
        "accuracy_golden_simulated_digits": golden_report["accuracy_first_n"],
        "accuracy_rtl": sim_results["accuracy"],
        "simulated_digits": n,
        "simulator": sim,
        "mismatches": sim_results["mismatches"],
        "cycles_per_inference": sim_results["cycles_per_inference"],
        "cycles_per_step": sim_results["cycles_per_step"],
        "steps_per_inference": sim_results["steps_per_inference"],
        "sops_per_inference": synth["sops_per_inference"],
        "ops_per_inference": synth["ops_per_inference"],
        "logic_area_um2": synth["logic_area_um2"],
        "macro_area_um2": {"imc": synth["macros"]["area_um2"]},
        "fmax_mhz": synth["fmax_mhz"],
        "fmax_mhz_opensta": synth["fmax_mhz_opensta"],
        "node_nm": synth["node_nm"],
        "latency_us": synth["latency_us"],
        "energy_pj_per_inference": synth["energy_pj_per_inference"],
        "macro_energy_pj_per_inference": synth["macro_energy_pj_per_inference"],
        "readout_energy_pj_per_inference": synth["macros"]["readout_energy_pj_per_inference"],
        "logic_energy_pj_per_inference": synth["logic_energy_pj_per_inference"],
        "gsops": synth["gsops"],
        "gsops_per_w_per_mm2": {"imc": synth["gsops_per_w_per_mm2"]},
        "tops_per_w": synth["tops_per_w"],
        "total_area_um2": synth["total_area_um2"],
        "liberty": synth["liberty"],
        "yosys_version": synth["yosys_version"],
        "train_seconds": golden_report["train_seconds"],
        "figure_sources": synth["figure_sources"],
    }
    atomic_write_text(out / "summary.json", json.dumps(summary, indent=2) + "\n")
    atomic_write_text(out / "index.md", summary_markdown(summary, work, out / "synth"))
    steps.end(str(out / "index.md"))
    return summary


def summary_markdown(s: dict, work: Path, synth_dir: Path) -> str:
    """index.md of a bsnn_if run."""
    from synth.bsnn_report import report_markdown

    c = s["config"]
    pct = lambda v: "n/a" if v is None else f"{v:.2%}"  # noqa: E731
    synth = json.loads((synth_dir / "report.json").read_text())
    phases = "; ".join(f"{k} {pct(v)}" for k, v in s["accuracy_golden_by_phase"].items()) or "n/a"
    lines = [
        "# spinaps report: bsnn_if", "",
        f"Network {c['n_inputs']} → {c['hidden']} → {c['n_outputs']} ({c['dataset']}), readout `{c['readout']}`, "
        f"R = {c['subarray_rows']}, T = {c['time_steps']}; network `{s['weights']}`.", "",
        "| | value |", "|---|---|",
        f"| accuracy, golden model (whole test split) | {pct(s['accuracy_golden'])} |",
        f"| accuracy of the training phases (golden model) | {phases} |",
        f"| accuracy, RTL ({s['simulated_digits']} images, {s['simulator']}) | {pct(s['accuracy_rtl'])} "
        f"(golden on the same images: {pct(s['accuracy_golden_simulated_digits'])}) |",
        f"| bit-exact mismatches (every step, layer, subarray, neuron) | {s['mismatches']} |",
        f"| cycles per inference / per step | {s['cycles_per_inference']:.1f} / {s['cycles_per_step']:.1f} |",
        "", report_markdown(synth), "",
        "## Artefacts", "",
        f"- generated design (with the network, trace port): `{work / 'gen'}`",
        f"- simulation: `{work / 'results.json'}`",
        f"- synthesis: `{synth_dir / 'report.md'}`, `{synth_dir / 'report.json'}`, netlist "
        f"`{synth_dir / 'netlist.v'}`", "",
    ]
    return "\n".join(lines)
