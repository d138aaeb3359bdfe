"""Build a generated bsnn_if design and run its cocotb tests (verif/test_bsnn.py) on Icarus or Verilator.

    python -m verif.bsnn_runner --config configs/bsnn.yaml --weights NETWORK.npz [--sim verilator] [--n 100]

One build directory per (name, simulator). A failing comparison fails the run: besides cocotb's own
status, the results XML is read and any failed, errored or missing test raises :class:`SimulationFailed`.
"""

from __future__ import annotations

import json
import os
import sys
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from spinaps.atomic import atomic_write_text
from spinaps.cli import ArgumentParser, run_cli
from spinaps.config import Config, ConfigError, load_config

from .runner import SIMULATORS
from .tools import verilator_env

__all__ = ["run_bsnn_cocotb", "check_results_xml", "SimulationFailed", "TESTCASES"]

ROOT = Path(__file__).resolve().parents[1]
PROG = "python -m verif.bsnn_runner"
#: The cocotb tests of verif/test_bsnn.py.
TESTCASES = ("images_match_golden", "reset_mid_inference", "bus_errors")


class SimulationFailed(RuntimeError):
    """A cocotb test failed, errored or did not run. The message is one line."""


def check_results_xml(path: str | Path, expected: list[str]) -> None:
    """Raise :class:`SimulationFailed` unless every expected test ran and passed in a cocotb results XML."""
    path = Path(path)
    try:
        root = ElementTree.parse(path).getroot()
    except (OSError, ElementTree.ParseError) as e:
        raise SimulationFailed(f"{path}: no cocotb results ({type(e).__name__}: {e})") from None
    ran = {}
    for case in root.iter("testcase"):
        bad = [child for child in case if child.tag in ("failure", "error")]
        ran[case.get("name")] = bad
    missing = [name for name in expected if name not in ran]
    if missing:
        raise SimulationFailed(f"{path}: tests did not run: {', '.join(missing)}")
    failed = [name for name, bad in ran.items() if bad]
    if failed:
        first = ran[failed[0]][0]
        detail = (first.get("message") or first.text or "").strip().splitlines()
        raise SimulationFailed(f"{path}: failed: {', '.join(failed)}" + (f" ({detail[0][:300]})" if detail else ""))


def run_bsnn_cocotb(*, sim: str, config: Config, name: str | None = None, testcase=None, weights=None,
                    images: int = 3, seed: int = 1, waves: bool = False, out_root: str | Path = "build/verif_bsnn",
                    gen_dir: Path | None = None, program: bool = True) -> Path:
    """Generate ``config`` (unless ``gen_dir`` holds a design), build it for ``sim`` and run the tests.

    Parameters
    ----------
    sim : {"icarus", "verilator"}
    config : Config
        ``architecture: bsnn_if``.
    name : str, optional
        Subdirectory of ``out_root`` (one per parametrisation, so runs can be parallel).
    testcase : str or list of str, optional
        Tests of verif/test_bsnn.py (default: all).
    weights : path, optional
        Network file programmed over the bus (default: a random network from ``seed``).
    images, seed, waves :
        Test images (the first of the configured data set's test split), seed, waveform dump.
    gen_dir : path, optional
        Run the design generated there instead of generating one.
    program : bool
        Program the network over the bus (default). False: ``gen_dir`` holds a design generated with
        ``weights``, which it holds from reset (much quicker on Icarus, which is slow on wide designs).

    Returns
    -------
    Path
        The work directory (``results.json``, ``results.xml``, ``gen/``).

    Raises
    ------
    SimulationFailed
        If any test failed, errored or did not run.
    """
    from cocotb_tools.runner import get_runner

    from gen.bsnn import generate_bsnn

    if sim not in SIMULATORS:
        raise ConfigError(f"sim = {sim!r} is not allowed (allowed: {', '.join(SIMULATORS)})")
    if sim == "verilator":
        os.environ.update(verilator_env())
    work = (ROOT / out_root / (name or "") / sim).resolve()
    if gen_dir is None:
        gen_dir = work / "gen"
        manifest = generate_bsnn(config, gen_dir)
    else:
        manifest = json.loads((Path(gen_dir) / "manifest.json").read_text())
    runner = get_runner(sim)
    build_args = ["-Wno-fatal", "-O2"] if sim == "verilator" else []
    runner.build(sources=[Path(gen_dir) / f"{config.top_name}.v"], hdl_toplevel=manifest["top"],
                 build_dir=work / "build", timescale=("1ns", "1ps"), waves=waves, build_args=build_args,
                 log_file=work / "build.log")
    env = {"SPINAPS_MANIFEST": str(Path(gen_dir) / "manifest.json"),
           "SPINAPS_WEIGHTS": "" if weights is None else str(Path(weights).resolve()),
           "SPINAPS_IMAGES": str(images), "SPINAPS_RESULTS": str(work / "results.json"), "SPINAPS_SEED": str(seed),
           "SPINAPS_PROGRAM": "1" if program else "0"}
    # The simulator runs in the work directory with PYTHONPATH = this process's sys.path: the tests
    # import spinaps's packages from ROOT.
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    (work / "results.json").unlink(missing_ok=True)
    (work / "results.xml").unlink(missing_ok=True)
    try:
        runner.test(test_module="verif.test_bsnn", hdl_toplevel=manifest["top"], build_dir=work / "build",
                    test_dir=work, testcase=testcase, extra_env=env, waves=waves,
                    results_xml=str(work / "results.xml"), timescale=("1ns", "1ps"))
    except (Exception, SystemExit) as e:   # cocotb raises (or exits) on failures; the XML says which
        if not (work / "results.xml").exists():
            raise SimulationFailed(f"{sim}: the simulation did not run ({type(e).__name__}: {e})") from None
    expected = [testcase] if isinstance(testcase, str) else list(testcase or TESTCASES)
    check_results_xml(work / "results.xml", expected)
    return work


def _main(argv=None):
    parser = ArgumentParser(prog=PROG, description="Simulate test images on a generated bsnn_if accelerator "
                            "(cocotb, programmed over AXI4-Lite) and compare every step of every neuron with "
                            "the golden model.")
    parser.add_argument("--config", metavar="FILE", required=True, help="YAML configuration (architecture: bsnn_if)")
    parser.add_argument("--weights", metavar="FILE", help="network file (default: a random network)")
    parser.add_argument("--sim", choices=SIMULATORS, default="verilator", help="simulator (default: verilator)")
    parser.add_argument("--n", type=int, default=100, metavar="N", help="test images (default: 100)")
    parser.add_argument("--all", action="store_true", help="also run the reset and bus-error tests")
    parser.add_argument("--out", metavar="DIR", default="build/sim_bsnn", help="output root (default: build/sim_bsnn)")
    args = parser.parse_args(argv)
    if not 1 <= args.n <= 10000:
        raise ConfigError(f"--n = {args.n} is out of range (allowed: 1..10000)")
    config = load_config(args.config)
    if args.weights:
        from model.bsnn import load_network

        load_network(args.weights, config)        # a bad network file fails here, before any build
    started = time.perf_counter()
    testcase = None if args.all else "images_match_golden"
    try:
        work = run_bsnn_cocotb(sim=args.sim, config=config, name=None, testcase=testcase, weights=args.weights,
                               images=args.n, out_root=args.out)
    except SimulationFailed as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 1
    results = json.loads((work / "results.json").read_text())
    results.update(simulator=args.sim, wall_seconds=time.perf_counter() - started)
    atomic_write_text(work / "results.json", json.dumps(results, indent=2) + "\n")
    for key in ("samples", "mismatches", "accuracy", "golden_accuracy", "cycles_per_inference"):
        print(f"{key}: {results[key]}")
    print(f"wrote {work / 'results.json'}")
    return 0


def main(argv=None):
    return run_cli(_main, prog=PROG, argv=argv)


if __name__ == "__main__":
    sys.exit(main())
