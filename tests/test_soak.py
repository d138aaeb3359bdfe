"""python -m verif.soak: random configurations, reproducible seeds, an honest exit.

``make soak`` runs the 10,000-trial regression; these tests run it in miniature on Icarus.
"""

import json
from collections import Counter

import numpy as np
import pytest

import hw.neuron
import spinaps.contract
from spinaps.config import Config
from verif.soak import BINS, config_bins, configuration_seeds, describe, main, random_config, soak_plan


def test_random_configurations_are_valid_and_cover_the_ranges():
    rng = np.random.default_rng(0)
    configs = [random_config(rng) for _ in range(1500)]
    assert all(isinstance(c, Config) and c == Config.from_dict(c.to_dict()) for c in configs)
    seen = lambda field: {getattr(c, field) for c in configs}  # noqa: E731
    assert seen("tile_map") == {"interleaved", "blocked", "balanced"}
    assert seen("lfsr_width") == {16, 24, 32}
    assert seen("tie_policy") == {"lowest_index", "max_potential"}
    assert seen("timeout_policy") == {"abstain", "argmax_potential"}
    assert seen("dataset") == {"random"}
    for field, lo, hi in [("n_inputs", 1, 40), ("n_outputs", 2, 16), ("tau", 1, 8), ("tiles", 1, 8),
                          ("weight_bits", 2, 8), ("weight_frac_bits", 0, 16), ("bias_bits", 2, 24),
                          ("lut_addr_bits", 2, 12), ("lut_shift", 0, 16), ("prob_bits", 1, 16), ("pixel_bits", 1, 16),
                          ("t_max", 1, 40), ("read_latency", 1, 8), ("write_retries", 0, 15)]:
        assert min(seen(field)) == lo and max(seen(field)) == hi, field
    hits = sum((config_bins(c) for c in configs), Counter())
    per_configuration = [name for name in BINS if name.startswith(("tile_map", "lanes", "lfsr", "tiles", "pixel_b"))]
    assert all(hits[name] for name in per_configuration), hits
    errors = [c for c in configs if c.write_error_rate > 0]
    assert {c.write_retries >= 6 for c in errors} == {True, False}          # enough retries, and too few
    assert max(c.write_error_rate for c in errors) > 0.45
    wide = [random_config(rng, wide=True) for _ in range(400)]
    assert max(c.n_inputs for c in wide) > 2048 and max(c.n_outputs for c in wide) > 128
    assert max(c.tiles for c in wide) > 32 and max(c.tau for c in wide) > 16 and max(c.weight_bits for c in wide) == 16


def test_a_seed_regenerates_its_configuration_and_stimulus():
    a, b = soak_plan(1234, 20), soak_plan(1234, 20)
    assert a.config == b.config and a.program == b.program and a.blocks[0].t_max == b.blocks[0].t_max
    for name in ("alpha", "bias", "pixels", "seeds_encoder", "seeds_spike"):
        assert np.array_equal(getattr(a, name), getattr(b, name))
    assert a.resets == b.resets and a.during == b.during and a.idle == b.idle and a.readback == b.readback
    assert soak_plan(1235, 20).config != a.config
    assert configuration_seeds(1, 3) == configuration_seeds(1, 3) != configuration_seeds(2, 3)


@pytest.fixture(scope="module")
def tiny_soak(tmp_path_factory):
    """2 configurations x 3 images on Icarus, in two worker processes."""
    out = tmp_path_factory.mktemp("soak")
    status = main(["--trials", "6", "--images", "3", "--seed", "5", "--workers", "2", "--sim", "icarus",
                   "--out", str(out)])
    return status, out, json.loads((out / "summary.json").read_text())


def test_a_tiny_soak_runs_and_writes_its_summary(tiny_soak):
    status, out, summary = tiny_soak
    assert summary["trials"] == 6 and summary["configurations"] == 2
    assert summary["mismatched_trials"] == 0 and summary["failed_configurations"] == 0, summary["failures"]
    assert sorted(c["seed"] for c in summary["per_configuration"]) == sorted(configuration_seeds(5, 2))
    assert set(summary["coverage"]) == set(BINS) and summary["coverage"]["reset_mid_inference"] >= 2
    # Two configurations cannot hit every bin: the soak says so, and fails.
    assert status == (1 if summary["unhit_bins"] else 0)
    assert "| `slverr_unmapped` |" in (out / "coverage.md").read_text()


def test_rerun_reproduces_a_configuration(tiny_soak, tmp_path, capsys):
    _, _, summary = tiny_soak
    first = summary["per_configuration"][0]
    assert first["rerun"] == f"python -m verif.soak --rerun {first['seed']} --images 3 --sim icarus"
    capsys.readouterr()
    status = main(["--rerun", str(first["seed"]), "--images", "3", "--sim", "icarus", "--out", str(tmp_path)])
    again = json.loads((tmp_path / f"rerun-{first['seed']}" / "summary.json").read_text())
    assert status == 0 and again["unhit_bins"] == []                  # a rerun checks its configuration only
    (only,) = again["per_configuration"]
    assert only["description"] == first["description"] == describe(soak_plan(first["seed"], 3).config)
    assert (only["trials"], only["steps"], only["coverage"]) == (first["trials"], first["steps"], first["coverage"])
    assert f"configuration: {first['description']}" in capsys.readouterr().out


def broken_lut(config):
    """The spec's LUT upside down (for the hardware only, injected by this test)."""
    return list(reversed(spinaps.contract.sigmoid_lut(config)))


def test_the_soak_fails_on_broken_hardware(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(hw.neuron, "sigmoid_lut", broken_lut)
    status = main(["--trials", "3", "--images", "3", "--seed", "5", "--workers", "1", "--sim", "icarus",
                   "--out", str(tmp_path)])
    summary = json.loads((tmp_path / "summary.json").read_text())
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 1 and summary["mismatched_trials"] > 0 and not summary["passed"]
    assert err[-1].startswith("python -m verif.soak: FAILED: ") and "mismatching trials" in err[-1]
    assert f"python -m verif.soak --rerun {configuration_seeds(5, 1)[0]} --images 3 --sim icarus" in err[-1]


@pytest.mark.parametrize("args, message", [
    (["--trials", "0"], "--trials = 0 is out of range (allowed: 1..10000000)"),
    (["--workers", "0"], "--workers = 0 is out of range (allowed: 1..64)"),
    (["--images", "0"], "--images = 0 is out of range (allowed: 1..100000)"),
])
def test_bad_arguments_exit_2(args, message, tmp_path, capsys):
    assert main(args + ["--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip() == f"python -m verif.soak: error: {message}"
    assert not (tmp_path / "summary.json").exists()


def test_bad_option_values_exit_2(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--sim", "modelsim"])
    assert e.value.code == 2 and "invalid choice: 'modelsim'" in capsys.readouterr().err
