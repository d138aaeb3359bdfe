"""One point of a design-space exploration: the flow it needs, every stage cached by what it depends on.

:func:`evaluate_point` is the only place that calls the rest of spinaps (training, the golden model,
the generator, the cocotb runner, synthesis); adapt it there when their interfaces change.

Caching. A stage's result is stored under ``CACHE/<stage>/<key>/`` (its artefacts, then
``result.json``, written last and atomically, which marks it complete) and is never computed again.
The key is :func:`flow.space.digest` of :func:`stage_inputs`: the configuration fields the stage depends on,
the options it uses, and a digest of the source it runs (:data:`STAGE_SOURCES`: changed code is never
served stale results):

=======  ======================================================================  ======================
stage    configuration fields                                                     options
=======  ======================================================================  ======================
train    :data:`TRAINING_FIELDS` (data set and network, the weight formats the    --
         training quantises to, ``t_max``, the training fields): points that
         differ only in hardware fields share their weights
golden   every field but :data:`GOLDEN_INDEPENDENT_FIELDS` (memory timing, write  ``seeds``
         errors, neuron lanes, module name)
gen      every field (the design holds the trained weights)                       --
sim      every field                                                              ``simulator``,
                                                                                  ``sim_images``
synth    every field                                                              ``liberty``,
                                                                                  ``node_nm``, and the
                                                                                  sim options when
                                                                                  cycles come from sim
=======  ======================================================================  ======================
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import sys
import time
from pathlib import Path
from typing import Callable

from spinaps.atomic import atomic_write_text
from spinaps.config import FIELDS, Config

from .space import STAGES, Options, digest, stages_to_run

__all__ = ["TRAINING_FIELDS", "GOLDEN_INDEPENDENT_FIELDS", "STAGE_SOURCES", "code_digest", "stage_inputs",
           "stage_key", "evaluate_point", "point_figures"]

ROOT = Path(__file__).resolve().parents[1]

#: Fields training depends on: the data set and network, the formats it quantises to, the deadline
#: it trains for, and the training fields themselves (tests/test_explore.py checks that no other
#: field changes the trained weights).
TRAINING_FIELDS = tuple(f.name for f in FIELDS if f.group in ("network", "training")
                        or f.name in ("weight_bits", "weight_frac_bits", "bias_bits", "t_max"))
#: Fields the hardware-exact accuracy does not depend on: the STT-RAM's timing and write errors
#: (inference never writes), how many neurons are evaluated a cycle, and the module's name.
GOLDEN_INDEPENDENT_FIELDS = ("read_latency", "write_latency", "write_error_rate", "write_retries",
                             "write_error_seed", "neuron_lanes", "top_name")
#: Source each stage runs (package directories, and this file, which calls them): its digest is
#: part of the stage's key.
STAGE_SOURCES = {"train": ("spinaps", "model"), "golden": ("spinaps", "model"),
                 "gen": ("spinaps", "model", "hw", "gen"), "sim": ("spinaps", "model", "hw", "gen", "verif"),
                 "synth": ("spinaps", "model", "hw", "gen", "synth")}
STAGE_SOURCES = {stage: sources + ("flow/point.py",) for stage, sources in STAGE_SOURCES.items()}


@functools.cache
def _source_digest(source: str) -> str:
    """Digest of a file, or of every file of a directory (source, Yosys scripts, technology file)."""
    path = ROOT / source
    files = [path] if path.is_file() else sorted(
        p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return digest({str(p.relative_to(ROOT)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files})


def code_digest(stages) -> str:
    """Digest of the source every stage runs (rows computed by other code differ)."""
    return digest({s: _source_digest(s) for stage in stages for s in STAGE_SOURCES[stage]})


def stage_inputs(stage: str, config: Config, options: Options, *, stages=STAGES) -> dict:
    """What the result of ``stage`` depends on (its cache key is the digest of this).

    Parameters
    ----------
    stage : str
        One of :data:`flow.space.STAGES`.
    config : Config
    options : Options
    stages : sequence of str
        The stages the point runs (synthesis takes its cycles from the simulation when it runs).
    """
    fields = config.to_dict()
    if stage == "train":
        fields = {k: fields[k] for k in TRAINING_FIELDS}
    elif stage == "golden":
        fields = {k: v for k, v in fields.items() if k not in GOLDEN_INDEPENDENT_FIELDS}
    chosen = {"golden": ("seeds",), "sim": ("simulator", "sim_images"),
              "synth": ("liberty", "node_nm", "activity") + (("simulator", "sim_images") if "sim" in stages else ())}
    return {"stage": stage, "fields": fields,
            "options": {k: getattr(options, k) for k in chosen.get(stage, ())},
            "cycles_from": ("sim" if "sim" in stages else "golden") if stage == "synth" else None,
            "code": {s: _source_digest(s) for s in STAGE_SOURCES[stage]}}


def stage_key(stage: str, config: Config, options: Options, *, stages=STAGES) -> str:
    """The cache key of ``stage`` for this configuration (:func:`stage_inputs`)."""
    return digest(stage_inputs(stage, config, options, stages=stages))


@contextlib.contextmanager
def _output_to(log: Path):
    """Send everything this process prints (Python, simulators, Yosys) to ``log`` meanwhile."""
    log.parent.mkdir(parents=True, exist_ok=True)
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    try:
        with open(log, "a") as f:
            os.dup2(f.fileno(), 1)
            os.dup2(f.fileno(), 2)
            yield f
            sys.stdout.flush()
            sys.stderr.flush()
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in saved:
            os.close(fd)


def _cached(cache: Path, stage: str, inputs: dict, compute: Callable[[Path], dict]) -> tuple[dict, Path, dict]:
    """The result of a stage from the cache, or computed into its directory and stored.

    Returns the result, the stage's directory and how it was obtained (key, cached, seconds, dir).
    """
    key = digest(inputs)
    directory = cache / stage / key
    marker = directory / "result.json"
    if marker.is_file():
        stored = json.loads(marker.read_text())
        return stored["result"], directory, {"key": key, "cached": True, "seconds": stored["seconds"],
                                             "dir": str(directory)}
    directory.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    result = compute(directory)
    seconds = round(time.perf_counter() - start, 2)
    atomic_write_text(marker, json.dumps({"inputs": inputs, "seconds": seconds, "result": result}, indent=1) + "\n")
    return result, directory, {"key": key, "cached": False, "seconds": seconds, "dir": str(directory)}


def evaluate_point(config: Config, *, stages, workdir: Path, cache: Path, options: Options) -> dict:
    """Run the flow one configuration needs, reusing every cached stage.

    Stages (each also runs those it needs, :data:`flow.space.STAGE_NEEDS`):

    - ``train``: ``model.train.train`` on ``model.data.load_dataset``, ``model.weights.save_weights``;
    - ``golden``: ``model.evaluate.evaluate`` (accuracy against the deadline, decision step, SOPs);
    - ``gen``: ``gen.generate.generate`` with the trained weights;
    - ``sim``: ``verif.runner.run_cocotb`` on the generated design (``images_match_golden``:
      cycles, utilisation, bit-exactness against the golden model);
    - ``synth``: ``synth.report.run`` on the generated design (area, f_max, power, GSOPS/W/mm² of
      the STT-RAM design and its SRAM twin), cycles from the simulation when it ran, else from the
      golden model.

    Parameters
    ----------
    config : Config
    stages : sequence of str
        Stages wanted (:data:`flow.space.STAGES`).
    workdir : Path
        The point's own directory: ``log.txt`` receives everything the stages print.
    cache : Path
        The stage cache (shared by points and sweeps; see the module's documentation).
    options : Options

    Returns
    -------
    dict
        ``results`` (stage -> its raw result), ``figures`` (:func:`point_figures`) and ``stages``
        (stage -> key, cached, seconds, dir).

    Raises
    ------
    Exception
        Whatever a stage raises; the caller records it.
    """
    stages = stages_to_run(stages)
    cache, workdir = Path(cache).resolve(), Path(workdir).resolve()
    results, runs, dirs = {}, {}, {}

    def run(stage: str, compute: Callable[[Path], dict]):
        inputs = stage_inputs(stage, config, options, stages=stages)
        results[stage], dirs[stage], runs[stage] = _cached(cache, stage, inputs, compute)

    def train(directory: Path) -> dict:
        from model.data import load_dataset
        from model.train import train
        from model.weights import save_weights

        weights = train(config, load_dataset(config), progress=False)
        save_weights(directory / "weights.npz", weights)
        return {"alpha_min": int(weights.alpha.min()), "alpha_max": int(weights.alpha.max()),
                "bias_min": int(weights.bias.min()), "bias_max": int(weights.bias.max())}

    def golden(directory: Path) -> dict:
        from model.data import load_dataset
        from model.evaluate import evaluate
        from model.weights import load_weights

        return evaluate(config, load_weights(dirs["train"] / "weights.npz", config), load_dataset(config),
                        seeds=options.seeds)

    def gen(directory: Path) -> dict:
        from gen.generate import generate

        os.environ.setdefault("AMARANTH_USE_YOSYS", "builtin")    # never a stray system Yosys (docs: toolchain)
        # The weight-free default build: what synthesis measures (its netlist must not depend on the weights);
        # the simulation programs the weights over the bus.
        manifest = generate(config, directory)
        lines = (directory / f"{config.top_name}.v").read_text().count("\n")
        return {"verilog_lines": lines, "registers": len(manifest["registers"]), "timing": manifest["timing"]}

    def sim(directory: Path) -> dict:
        from verif.runner import run_cocotb

        work = run_cocotb(sim=options.simulator, config=config, name=None, testcase="images_match_golden",
                          weights=dirs["train"] / "weights.npz", program="bus", images=options.sim_images,
                          out_root=directory, gen_dir=dirs["gen"])
        figures = json.loads((work / "results.json").read_text())
        # As python -m verif.sim does: synth.report finds the results of this design by its tiles.
        figures.update(simulator=options.simulator, tiles=config.tiles)
        atomic_write_text(work / "results.json", json.dumps(figures, indent=2) + "\n")
        return figures

    def synth(directory: Path) -> dict:
        from synth.report import run as synthesise

        return synthesise(config, out=directory, weights=dirs["train"] / "weights.npz", liberty=options.liberty,
                          gen_dir=dirs["gen"], node_nm=options.node_nm, sim_dir=dirs.get("sim"),
                          cycles_from="sim" if "sim" in stages else "golden", activity=options.activity, log=print)

    computes = {"train": train, "golden": golden, "gen": gen, "sim": sim, "synth": synth}
    with _output_to(workdir / "log.txt") as log:
        print(f"== {time.strftime('%Y-%m-%d %H:%M:%S')} stages {', '.join(stages)}", file=log, flush=True)
        for stage in stages:
            run(stage, computes[stage])
            print(f"   {stage}: {'cached' if runs[stage]['cached'] else 'computed'} in {runs[stage]['dir']}",
                  file=log, flush=True)
    return {"results": results, "figures": point_figures(results), "stages": runs}


#: Figures of a point (the table's ``figures``), by stage: name -> key in that stage's result.
FIGURES = {
    "golden": {"accuracy": "accuracy", "accuracy_std": "accuracy_std", "accuracy_abstain": "accuracy_abstain",
               "accuracy_at_deadline_4": "accuracy_at_deadline_4", "ann_accuracy": "ann_accuracy",
               "abstain_rate": "abstain_rate", "mean_decision_step": "mean_decision_step",
               "mean_sops_per_inference": "mean_sops_per_inference"},
    "gen": {"verilog_lines": "verilog_lines", "registers": "registers"},
    "sim": {"sim_images": "samples", "sim_mismatches": "mismatches", "sim_accuracy": "accuracy",
            "cycles_per_inference": "cycles_per_inference", "cycles_per_step": "cycles_per_step",
            "utilization": "utilization"},
    "synth": {"cycles_per_inference": "cycles_per_inference", "utilization": "utilization",
              "logic_area_um2": "logic_area_um2", "fmax_mhz": "fmax_mhz", "stt_over_sram": "stt_over_sram"},
}
#: Per-technology figures of synthesis (``report["technologies"][t]``): the STT-RAM design's under the
#: plain name, its SRAM twin's with ``_sram``.
TECHNOLOGY_FIGURES = ("area_mm2", "clock_mhz", "gsops", "gsops_per_w_per_mm2", "energy_per_inference_nj")


def point_figures(results: dict) -> dict:
    """The flat figures of a point from its stages' raw results (numbers only, the same on any machine)."""
    figures = {}
    for stage, names in FIGURES.items():
        for name, key in names.items():
            if stage in results and name not in figures and results[stage].get(key) is not None:
                figures[name] = results[stage][key]
    if "synth" in results:
        for technology, suffix in (("stt", ""), ("sram", "_sram")):
            figures_of = results["synth"]["technologies"][technology]
            figures |= {name + suffix: figures_of[name] for name in TECHNOLOGY_FIGURES}
            figures["power_mw" + suffix] = figures_of["power_w"]["total"] * 1e3
    return figures
