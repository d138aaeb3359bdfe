"""Build a generated design and run its cocotb tests on Icarus Verilog or Verilator.

One build directory per (name, simulator), so parametrised tests can run in parallel. Whatever
runs the tests — pytest, a command line — a failed or missing test raises :class:`VerificationError`.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from xml.etree import ElementTree

from gen.generate import generate
from spinaps.cli import VerificationError
from spinaps.config import Config

from .tools import verilator_env

__all__ = ["SIMULATORS", "run_cocotb", "check_results", "results"]

SIMULATORS = ("icarus", "verilator")
ROOT = Path(__file__).resolve().parents[1]


def check_results(results_xml: Path, *, expected: int) -> None:
    """Raise :class:`VerificationError` unless the JUnit file lists ``expected`` tests, none failed."""
    if not results_xml.is_file():
        raise VerificationError(f"the simulation ended without results ({results_xml} is missing)")
    cases = ElementTree.parse(results_xml).getroot().iter("testcase")
    ran, failed = 0, []
    for case in cases:
        ran += 1
        for problem in list(case.findall("failure")) + list(case.findall("error")):
            message = (problem.get("message") or problem.text or "").strip().splitlines()
            failed.append(f"{case.get('name')}: {message[0] if message else 'failed'}")
        if case.find("skipped") is not None:
            failed.append(f"{case.get('name')}: skipped")
    if failed:
        raise VerificationError(f"{len(failed)} of {ran} cocotb tests failed; " + "; ".join(failed)[:2000])
    if ran < expected:
        raise VerificationError(f"the simulation ended early: {ran} of {expected} cocotb tests ran")


@contextlib.contextmanager
def _outside_pytest():
    """cocotb's runner calls sys.exit on failures when it sees pytest; keep its results to check here."""
    saved = os.environ.pop("PYTEST_CURRENT_TEST", None)
    try:
        yield
    finally:
        if saved is not None:
            os.environ["PYTEST_CURRENT_TEST"] = saved


def _write_images(config: Config, count: int, path: Path) -> Path:
    """The first ``count`` test images and labels of the configuration's data set, for the simulator."""
    import numpy as np

    from model.data import load_dataset

    data = load_dataset(config)
    np.savez(path, pixels=data.test_x[:count], labels=data.test_y[:count])
    return path


def run_cocotb(*, sim: str, config: Config, name: str | None, testcase: str | list[str] | None = None,
               weights: str | Path | None = None, program: str = "bus", images: int = 3, stalls: bool = False,
               seed: int = 1, trace: bool = True, waves: bool = False, progress: bool = False,
               out_root: str | Path = "build/verif", gen_dir: Path | None = None, sources: list[Path] | None = None,
               build_args: list[str] | None = None, test_module: str = "verif.test_top",
               optimize: bool = False) -> Path:
    """Generate ``config`` (with ``weights`` preloaded when ``program`` is "preloaded", with the trace
    port when ``trace``), build it for ``sim`` and run ``test_module``'s cocotb tests (all, or ``testcase``).

    The work directory is ``out_root/name/sim`` (``out_root/sim`` when ``name`` is None).
    ``gen_dir`` and ``sources`` run an existing design instead (e.g. a gate-level netlist with its
    cell models): the manifest is read from ``gen_dir``. ``optimize`` builds the Verilator model with
    its default -Os (slower to build, faster to run: for speed benchmarks; see
    :func:`verif.tools.verilator_env`). Returns the directory the tests ran in (it holds
    ``results.json`` and, with ``waves``, the waveform).

    Raises
    ------
    VerificationError
        If a cocotb test failed or did not run, or the simulator ended early.
    """
    from cocotb_tools.runner import get_runner

    if sim not in SIMULATORS:
        raise ValueError(f"sim = {sim!r} is not allowed (allowed: {', '.join(SIMULATORS)})")
    if program not in ("bus", "preloaded"):
        raise ValueError(f"program = {program!r} is not allowed (allowed: 'bus', 'preloaded')")
    if sim == "verilator":
        os.environ.update(verilator_env(optimize=optimize))
    work = (ROOT / out_root / (name or "") / sim).resolve()
    if gen_dir is None:
        gen_dir = work / "gen"
        manifest = generate(config, gen_dir, weights_path=weights if program == "preloaded" else None, trace=trace)
    else:
        manifest = json.loads((Path(gen_dir) / "manifest.json").read_text())
    sources = sources or [Path(gen_dir) / f"{config.top_name}.v"]
    runner = get_runner(sim)
    if build_args is None:
        build_args = ["-Wno-fatal", "-O2"] if sim == "verilator" else []
    runner.build(sources=sources, hdl_toplevel=manifest["top"], build_dir=work / "build",
                 timescale=("1ns", "1ps"), waves=waves, build_args=build_args, log_file=work / "build.log")
    env = {"SPINAPS_MANIFEST": str(Path(gen_dir) / "manifest.json"),
           "SPINAPS_WEIGHTS": "" if weights is None else str(Path(weights).resolve()), "SPINAPS_PROGRAM": program,
           "SPINAPS_IMAGES": str(images), "SPINAPS_STALLS": "1" if stalls else "0",
           "SPINAPS_RESULTS": str(work / "results.json"), "SPINAPS_SEED": str(seed),
           "SPINAPS_PROGRESS": "1" if progress else "0",
           "COCOTB_LOG_LEVEL": os.environ.get("COCOTB_LOG_LEVEL", "WARNING"),
           "GPI_LOG_LEVEL": os.environ.get("GPI_LOG_LEVEL", "WARNING"),
           # cocotb rewrites the asserts of every module imported in the simulator by default (*.py: NumPy,
           # SciPy, scikit-learn... ~1,000 modules, tens of seconds a run): only the test modules need it.
           "COCOTB_REWRITE_ASSERTION_FILES": "test_*.py"}
    if images:
        env["SPINAPS_IMAGES_FILE"] = str(_write_images(config, images, work / "images.npz"))
    (work / "results.json").unlink(missing_ok=True)
    results_xml = work / "results.xml"
    results_xml.unlink(missing_ok=True)
    testcases = [testcase] if isinstance(testcase, str) else testcase
    with _outside_pytest():
        try:
            runner.test(test_module=test_module, hdl_toplevel=manifest["top"], build_dir=work / "build",
                        test_dir=work, testcase=testcases, extra_env=env, waves=waves,
                        results_xml=str(results_xml), timescale=("1ns", "1ps"))
        except SystemExit as e:   # the runner exits when the simulator does not return 0
            check_results(results_xml, expected=len(testcases or []) or 1)
            raise VerificationError(f"the simulator exited with status {e.code}") from None
    check_results(results_xml, expected=len(testcases or []) or 1)
    return work


def results(work: Path) -> dict:
    return json.loads((work / "results.json").read_text())
