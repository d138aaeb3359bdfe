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
from spinaps.atomic import atomic_write_text
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


#: Make variables of a quick Verilator build: the C++ unoptimised and the design compiled as one unit
#: (a few seconds instead of half a minute; the testbench's Python, not the model, sets the pace).
QUICK_VERILATOR_MAKE = "OPT_FAST=-O0 OPT_SLOW=-O0 OPT_GLOBAL=-O0 VM_PARALLEL_BUILDS=0"


@contextlib.contextmanager
def _environment(**values):
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _public_ports(manifest: dict, work: Path) -> Path:
    """A Verilator control file that gives VPI (cocotb) the top-level ports and nothing else.

    cocotb builds with ``--public-flat-rw``, which keeps every signal of the design visible and
    unoptimised: the model of the default design then runs ~8x slower than with its ports alone
    public. The testbenches touch only ports, so the build turns it off and names them here."""
    work.mkdir(parents=True, exist_ok=True)
    lines = ["`verilator_config"] + [f'public_flat_rw -module "{manifest["top"]}" -var "{port["name"]}"'
                                    for port in manifest["ports"]]
    path = work / "public_ports.vlt"
    atomic_write_text(path, "\n".join(lines) + "\n")
    return path


def _quick_build_flags(cache: Path | None) -> tuple[str, bool]:
    """MAKEFLAGS of a quick Verilator build, and whether they link Verilator's runtime library
    (verilated*.o, the same for every design) from ``cache`` instead of compiling it."""
    flags = f"{os.environ.get('MAKEFLAGS', '')} {QUICK_VERILATOR_MAKE}".strip()
    if cache is None or not (cache / "stamp").is_file() or (cache / "stamp").read_text() != _runtime_stamp():
        return flags, False
    objects = sorted(cache.glob("*.o"))
    if not objects or any(" " in str(o) for o in objects):
        return flags, False
    # Verilator's makefile links $(VK_GLOBAL_OBJS) (from VM_GLOBAL_*) and $(LIBS): move the runtime over.
    return f"{flags} VM_GLOBAL_FAST= VM_GLOBAL_SLOW= LIBS=" + "\\ ".join(map(str, objects)), True


def _runtime_stamp() -> str:
    """What the runtime objects were built with: Verilator, the C++ compiler, the make flags."""
    import subprocess

    import verilator

    compiler = subprocess.run(["c++", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    return f"{getattr(verilator, '__version__', '?')} {Path(verilator.__file__).parent}; {compiler}; " \
           f"{QUICK_VERILATOR_MAKE}\n"


def _save_runtime(build: Path, cache: Path):
    """Keep the runtime objects of a quick build (the files VM_GLOBAL_* of Vtop_classes.mk name) in
    ``cache``, unless it exists: written aside and renamed, so concurrent builds can share it."""
    import re
    import shutil
    import tempfile

    text = (build / "Vtop_classes.mk").read_text()
    names = [n for block in re.findall(r"^VM_GLOBAL_(?:FAST|SLOW) \+= \\\n((?:  \S+ \\\n)*)", text, re.M)
             for n in block.split() if n != "\\"]
    if cache.exists() or not names or not all((build / f"{n}.o").is_file() for n in names):
        return
    cache.parent.mkdir(parents=True, exist_ok=True)
    aside = Path(tempfile.mkdtemp(prefix=cache.name + ".", dir=cache.parent))
    for n in names:
        shutil.copy2(build / f"{n}.o", aside / f"{n}.o")
    (aside / "stamp").write_text(_runtime_stamp())
    try:
        aside.rename(cache)
    except OSError:          # another build saved it first
        shutil.rmtree(aside, ignore_errors=True)


def run_cocotb(*, sim: str, config: Config, name: str | None, testcase: str | list[str] | None = None,
               weights: str | Path | None = None, program: str = "bus", images: int = 3, stalls: bool = False,
               seed: int = 1, trace: bool = True, waves: bool = False, progress: bool = False,
               out_root: str | Path = "build/verif", gen_dir: Path | None = None, sources: list[Path] | None = None,
               build_args: list[str] | None = None, test_module: str = "verif.test_top",
               optimize: bool = False, quick_build: bool = False, runtime_cache: Path | None = None,
               all_signals_public: bool = False) -> Path:
    """Generate ``config`` (with ``weights`` preloaded when ``program`` is "preloaded", with the trace
    port when ``trace``), build it for ``sim`` and run ``test_module``'s cocotb tests (all, or ``testcase``).

    The work directory is ``out_root/name/sim`` (``out_root/sim`` when ``name`` is None).
    ``gen_dir`` and ``sources`` run an existing design instead (e.g. a gate-level netlist with its
    cell models): the manifest is read from ``gen_dir``. ``optimize`` builds the Verilator model with
    its default -Os (slower to build, faster to run: for speed benchmarks; see
    :func:`verif.tools.verilator_env`). Returns the directory the tests ran in (it holds
    ``results.json`` and, with ``waves``, the waveform).

    ``quick_build`` (Verilator): compile the C++ without optimisation, the design as one unit; with
    ``runtime_cache`` (a directory), Verilator's runtime library is compiled once, kept there, and
    linked into later quick builds.

    Verilator builds give VPI the top-level ports only (:func:`_public_ports`);
    ``all_signals_public`` keeps cocotb's default, every signal (for the speed benchmark).

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
    if sim == "verilator" and "ports" in manifest and not all_signals_public:
        build_args = [*build_args, "--no-public-flat-rw", str(_public_ports(manifest, work))]
    quick = quick_build and sim == "verilator"
    cache = Path(runtime_cache) if quick and runtime_cache is not None and not waves else None
    flags, cached = _quick_build_flags(cache) if quick else (os.environ.get("MAKEFLAGS", ""), False)
    with _environment(MAKEFLAGS=flags):
        runner.build(sources=sources, hdl_toplevel=manifest["top"], build_dir=work / "build",
                     timescale=("1ns", "1ps"), waves=waves, build_args=build_args, log_file=work / "build.log")
    if cache is not None and not cached:
        _save_runtime(work / "build", cache)
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
