"""Build the generated Verilog and run the cocotb tests on Icarus Verilog or Verilator.

One build directory per (name, simulator), so parametrised tests can run in parallel.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from gen.generate import generate
from spinaps.config import Config

from .tools import verilator_env

__all__ = ["SIMULATORS", "run_cocotb"]

SIMULATORS = ("icarus", "verilator")
ROOT = Path(__file__).resolve().parents[1]


def run_cocotb(*, sim: str, config: Config, name: str | None, testcase: str | list[str] | None = None,
               weights: str | Path | None = None, images: int = 3, stalls: bool = False, seed: int = 1,
               waves: bool = False, out_root: str | Path = "build/verif", gen_dir: Path | None = None,
               sources: list[Path] | None = None, build_args: list[str] | None = None) -> Path:
    """Generate ``config``, build it for ``sim`` and run ``verif/test_top.py``.

    The work directory is ``out_root/name/sim`` (``out_root/sim`` when ``name`` is None).
    ``gen_dir`` and ``sources`` run an existing design instead (e.g. a gate-level netlist
    with its cell models): the manifest is read from ``gen_dir``.
    Returns the directory the tests ran in (it holds ``results.json`` and, with
    ``waves``, the waveform). Raises if any cocotb test fails.
    """
    from cocotb_tools.runner import get_runner

    if sim not in SIMULATORS:
        raise ValueError(f"sim = {sim!r} is not allowed (allowed: {', '.join(SIMULATORS)})")
    if sim == "verilator":
        os.environ.update(verilator_env())
    work = (ROOT / out_root / (name or "") / sim).resolve()
    if gen_dir is None:
        gen_dir = work / "gen"
        manifest = generate(config, gen_dir)
    else:
        manifest = json.loads((Path(gen_dir) / "manifest.json").read_text())
    sources = sources or [Path(gen_dir) / f"{config.top_name}.v"]
    runner = get_runner(sim)
    if build_args is None:
        build_args = ["-Wno-fatal", "-O2"] if sim == "verilator" else []
    runner.build(sources=sources, hdl_toplevel=manifest["top"], build_dir=work / "build",
                 timescale=("1ns", "1ps"), waves=waves, build_args=build_args, log_file=work / "build.log")
    env = {"SPINAPS_MANIFEST": str(Path(gen_dir) / "manifest.json"),
           "SPINAPS_WEIGHTS": "" if weights is None else str(Path(weights).resolve()),
           "SPINAPS_IMAGES": str(images), "SPINAPS_STALLS": "1" if stalls else "0",
           "SPINAPS_RESULTS": str(work / "results.json"), "SPINAPS_SEED": str(seed)}
    (work / "results.json").unlink(missing_ok=True)
    runner.test(test_module="verif.test_top", hdl_toplevel=manifest["top"], build_dir=work / "build",
                 test_dir=work, testcase=testcase, extra_env=env, waves=waves,
                 results_xml=str(work / "results.xml"), timescale=("1ns", "1ps"))
    return work


def results(work: Path) -> dict:
    return json.loads((work / "results.json").read_text())
