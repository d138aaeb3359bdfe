"""The import graph: the hardware and the golden model share only spinaps/ (the contract), never each other."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("spinaps", "model", "hw", "gen", "verif", "synth", "flow")

#: package -> the project packages it must never import (directly, at any depth of its modules).
FORBIDDEN = {
    "hw": {"model", "gen", "verif", "synth", "flow"},
    "model": {"hw", "gen", "verif", "synth", "flow"},
    "spinaps": {"model", "hw", "gen", "verif", "synth", "flow"},
    "gen": {"verif", "synth", "flow"},
    "verif": {"flow"},            # verif.gls simulates what synth/ synthesised,
    "synth": {"flow"},            # and synth/ measures switching activity by a gate-level simulation
}
#: ``python -m spinaps.explore`` (the command issue #14 names) is a thin entry point into flow/.
ENTRY_POINTS = {ROOT / "spinaps" / "explore.py"}


def imported_packages(path: Path) -> set[str]:
    """Top-level project packages a module imports (absolute imports; relative ones stay inside)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {name.split(".")[0] for name in names if name.split(".")[0] in PACKAGES}
    return found


def imports_of(package: str) -> dict[Path, set[str]]:
    return {path: imported_packages(path) for path in sorted((ROOT / package).rglob("*.py"))
            if path not in ENTRY_POINTS}


@pytest.mark.parametrize("package", FORBIDDEN)
def test_package_does_not_import_what_it_must_not(package):
    bad = {str(path.relative_to(ROOT)): sorted(found & FORBIDDEN[package])
           for path, found in imports_of(package).items() if found & FORBIDDEN[package]}
    assert not bad, f"{package}/ imports {bad}"


def test_the_check_sees_a_forbidden_import(tmp_path):
    """The parser finds imports wherever they are, including inside functions."""
    module = tmp_path / "m.py"
    module.write_text("import os\n\ndef f():\n    from model.golden import run_golden\n    import hw.top as t\n")
    assert imported_packages(module) == {"model", "hw"}


def test_hw_and_model_share_the_contract():
    hw, model = set().union(*imports_of("hw").values()), set().union(*imports_of("model").values())
    assert "spinaps" in hw and "spinaps" in model
