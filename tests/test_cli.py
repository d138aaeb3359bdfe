"""``python -m model``: end to end, and one-line errors that write nothing."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(*args, cwd):
    return subprocess.run([sys.executable, "-m", "model", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A quick training (few epochs) of the tiny preset: the CLI's plumbing, not accuracy."""
    work = tmp_path_factory.mktemp("cli")
    (work / "quick.yaml").write_text("preset: tiny\ntrain_epochs: 2\nqat_epochs: 1\n")
    result = run("train", "--config", "quick.yaml", "--out", "w.npz", cwd=work)
    assert result.returncode == 0, result.stderr
    return work


def test_train_writes_weights(trained):
    assert (trained / "w.npz").stat().st_size > 0


def test_eval_writes_report_and_plot(trained):
    result = run("eval", "--config", "quick.yaml", "--weights", "w.npz", "--json", "r.json", "--plot", "a.png",
                 "--seeds", "2", cwd=trained)
    assert result.returncode == 0, result.stderr
    report = json.loads((trained / "r.json").read_text())
    assert len(report["accuracy_by_deadline"]) == report["t_max"] == 6
    assert report["accuracy"] == report["accuracy_by_deadline"][-1]
    assert 0 <= report["ann_accuracy"] <= 1 and 1 <= report["mean_decision_step"] <= 6
    assert "accuracy_at_deadline_4" in report and report["seeds"] == 2
    assert (trained / "a.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "| deadline T | forced | abstain |" in result.stdout


@pytest.mark.parametrize("yaml_text, message", [
    ("tiles: [\n", "invalid YAML"),
    ("tilez: 3\n", "unknown configuration key 'tilez'; did you mean 'tiles'?"),
    ("tau: 0\n", "tau = 0 is out of range (allowed: 1..32)"),
])
def test_bad_config_is_one_line_and_writes_nothing(tmp_path, yaml_text, message):
    (tmp_path / "bad.yaml").write_text(yaml_text)
    result = run("train", "--config", "bad.yaml", "--out", "w.npz", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert result.stderr.startswith("python -m model: error: bad.yaml: ")
    assert not (tmp_path / "w.npz").exists()


def test_malformed_weights_file_is_one_line_and_writes_nothing(tmp_path):
    (tmp_path / "w.npz").write_bytes(b"not a zip")
    result = run("eval", "--weights", "w.npz", "--json", "r.json", cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "w.npz: not a weights file" in result.stderr
    assert not (tmp_path / "r.json").exists()


def test_weights_for_another_configuration(trained):
    result = run("eval", "--weights", "w.npz", "--json", "r2.json", cwd=trained)
    assert result.returncode == 2 and "trained for tau = 2, but the configuration has tau = 8" in result.stderr
    assert not (trained / "r2.json").exists()


def test_usage_errors_are_one_line(tmp_path):
    result = run("train", cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "the following arguments are required: --out" in result.stderr
    result = run("eval", "--weights", "w.npz", "--seeds", "0", cwd=tmp_path)
    assert result.returncode == 2 and "--seeds = 0 is out of range (allowed: 1..1000)" in result.stderr
