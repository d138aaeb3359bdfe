"""flow/: design-space exploration. Tiny spaces (the tiny preset, a few epochs, cheap stages; one
test generates Verilog) on two-worker Dask clusters against the same points run one by one; caching,
resume after an interruption, failing points, the Pareto function and SPACE-file errors."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from flow.explore import ResultsTable, run_space
from flow.pareto import fronts, pareto_front
from flow.point import GOLDEN_INDEPENDENT_FIELDS, TRAINING_FIELDS, evaluate_point, stage_key
from flow.space import Options, SpaceError, load_space
from spinaps.config import FIELDS, PRESETS, ConfigError

ROOT = Path(__file__).resolve().parents[1]

TINY = """\
preset: tiny
config: {train_epochs: 2, qat_epochs: 1}
"""


def write_space(directory: Path, text: str, name: str = "space") -> Path:
    path = directory / f"{name}.yaml"
    path.write_text(text)
    return path


def comparable(rows):
    """What must not depend on where or when a point ran."""
    return {r["hash"]: (r["status"], r["error"], r["config"], r["figures"]) for r in rows}


@pytest.fixture(scope="module")
def cluster():
    """One two-worker LocalCluster for the tests that pass its address as the scheduler."""
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


# -- the Pareto function


def test_pareto_front_on_hand_made_points():
    points = [
        {"acc": 0.90, "eff": 10.0, "area": 1.0},    # 0: on the front
        {"acc": 0.95, "eff": 5.0, "area": 1.0},     # 1: on the front (best accuracy)
        {"acc": 0.90, "eff": 9.0, "area": 1.0},     # 2: dominated by 0 (less efficient, same otherwise)
        {"acc": 0.80, "eff": 20.0, "area": 2.0},    # 3: on the front (best efficiency)
        {"acc": 0.80, "eff": 4.0, "area": 0.5},     # 4: on the front (smallest)
        {"acc": 0.79, "eff": 4.0, "area": 0.5},     # 5: dominated by 4
        {"acc": 0.90, "eff": 10.0, "area": 1.0},    # 6: equal to 0: neither dominates, both kept
        {"acc": 0.99, "eff": None, "area": 0.1},    # 7: lacks a figure: never on the front
        {"acc": float("nan"), "eff": 99.0, "area": 0.1},   # 8: NaN: never on the front
    ]
    objectives = {"acc": "max", "eff": "max", "area": "min"}
    assert pareto_front(points, objectives=objectives) == [0, 1, 3, 4, 6]
    # One objective: the best points, ties kept; point 7 lacks "eff" but that is not an objective here.
    assert pareto_front(points, objectives={"acc": "max"}) == [7]
    assert pareto_front([{"a": 1}, {"a": 2}, {"a": 2}], objectives={"a": "max"}) == [1, 2]
    assert pareto_front([{"a": 1}, {"a": 2}, {"a": 2}], objectives={"a": "min"}) == [0]
    # Point 7 is the smallest and the most accurate.
    assert pareto_front(points, objectives={"area": "min", "acc": "max"}) == [7]
    assert pareto_front([], objectives=objectives) == []
    with pytest.raises(ValueError, match="^objective 'acc' has sense 'up'"):
        pareto_front(points, objectives={"acc": "up"})


def test_fronts_follow_the_stages():
    assert [f.name for f in fronts(("train", "golden", "gen", "sim", "synth"))] == ["efficiency", "latency"]
    assert fronts(("train", "golden"))[0].objectives == {"accuracy": "max", "mean_decision_step": "min"}
    assert fronts(("train", "golden", "gen", "sim"))[0].objectives == {"accuracy": "max",
                                                                         "cycles_per_inference": "min"}
    assert fronts(("train", "gen")) == []


# -- SPACE files


@pytest.mark.parametrize("text, message", [
    ("axis:\n  tiles: [1]\n", "unknown key 'axis'; did you mean 'axes'?"),
    ("axes:\n  tile: [1, 2]\n", "axes: unknown configuration key 'tile'; did you mean 'tiles'?"),
    ("axes:\n  tiles: 3\n", "axes.tiles = 3 is not a non-empty list of values (a fixed value belongs in config:)"),
    ("axes:\n  tiles: []\n", "axes.tiles = [] is not a non-empty list of values"),
    ("axes: [tiles]\n", "axes must be a mapping, not list"),
    ("axes:\n  learning_rate: {min: 0.01, max: 0.1}\n",
     "axes.learning_rate is a range, which needs sample: (a grid takes a list of values)"),
    ("sample: {count: 3}\naxes:\n  tiles: {min: 1, max: 2.5}\n",
     "axes.tiles: tiles takes integers, not min = 1, max = 2.5"),
    ("sample: {count: 3}\naxes:\n  tiles: {min: 4, max: 2}\n", "axes.tiles needs numbers min <= max"),
    ("sample: {count: 3}\naxes:\n  learning_rate: {min: 0, max: 1, log: true}\n",
     "axes.learning_rate.log = True needs true or false, and min > 0 when true"),
    ("sample: {seed: 1}\n", "sample.count is missing"),
    ("sample: {count: 0}\n", "sample.count = 0 is not an integer in 1..100000"),
    ("sample: {count: 2, sed: 1}\n", "sample: unknown key 'sed'; did you mean 'seed'?"),
    ("stages: [train, synthesis]\n", "stages: 'synthesis' is not a stage (allowed: train, golden, gen, sim, synth)"),
    ("stages: []\n", "stages = [] is not a non-empty list"),
    ("options: {seed: 3}\n", "options: unknown key 'seed'; did you mean 'seeds'?"),
    ("options: {simulator: modelsim}\n", "options.simulator = 'modelsim' is not allowed"),
    ("options: {sim_images: 0}\n", "options.sim_images = 0 is not an integer in 1..10000"),
    ("options: {node_nm: -5}\n", "options.node_nm = -5 is not a positive number"),
    ("preset: huge\n", "preset = 'huge' is not allowed"),
    ("preset: tiny\nconfig: {preset: tiny}\n", "preset is given twice"),
    ("config: {tiles: 0}\n", "config: tiles = 0 is out of range (allowed: 1..64)"),
    ("config: {tilez: 3}\n", "config: unknown configuration key 'tilez'; did you mean 'tiles'?"),
    ("name: 'a b'\n", "name = 'a b' is not a directory name"),
    ("[1, 2]\n", "the SPACE file must be a mapping, not list"),
    ("axes: {tiles: [1\n", "invalid YAML at line"),
])
def test_invalid_space_files_give_one_line_errors_naming_the_key(tmp_path, text, message):
    path = write_space(tmp_path, text)
    with pytest.raises(SpaceError) as info:
        load_space(path)
    error = str(info.value)
    assert message in error and error.startswith(f"{path}: ") and "\n" not in error


def test_a_configuration_file_as_base_reports_its_own_errors(tmp_path):
    (tmp_path / "base.yaml").write_text("tiles: 0\n")
    with pytest.raises(ConfigError, match=r"base\.yaml: tiles = 0 is out of range"):
        load_space(write_space(tmp_path, "config: base.yaml\n"))
    (tmp_path / "base.yaml").write_text("preset: tiny\ntiles: 2\n")
    assert load_space(write_space(tmp_path, "config: base.yaml\n")).base == PRESETS["tiny"].replace(tiles=2)


def test_grid_points_are_validated_one_by_one(tmp_path):
    space = load_space(write_space(tmp_path, TINY + "axes:\n  tiles: [1, 2, 3]\n  tau: [1, 2]\n"))
    points = space.points()
    assert [(p.overrides["tiles"], p.overrides["tau"]) for p in points] == [
        (1, 1), (1, 2), (2, 1), (2, 2), (3, 1), (3, 2)]
    assert len({p.hash for p in points}) == 6
    for p in points:
        if p.overrides["tau"] == 1:      # the tiny preset has n_basis = 2 > tau
            assert p.config is None and p.error == "n_basis = 2 is out of range (allowed: 1..1)"
        else:
            assert p.error is None and p.config == PRESETS["tiny"].replace(train_epochs=2, qat_epochs=1,
                                                                           **p.overrides)
    # The identity of a point does not depend on how a float field was written.
    a = load_space(write_space(tmp_path, "axes: {write_error_rate: [0]}\n", "a")).points()
    b = load_space(write_space(tmp_path, "axes: {write_error_rate: [0.0]}\n", "b")).points()
    assert a[0].hash == b[0].hash and a[0].config.write_error_rate == 0.0


def test_random_sampling_draws_distinct_reproducible_points(tmp_path):
    text = TINY + ("sample: {count: 8, seed: SEED}\naxes:\n  tiles: [1, 2, 3]\n"
                   "  learning_rate: {min: 0.001, max: 0.1, log: true}\n  train_seed: {min: 0, max: 1000}\n")
    points = load_space(write_space(tmp_path, text.replace("SEED", "7"))).points()
    again = load_space(write_space(tmp_path, text.replace("SEED", "7"), "again")).points()
    other = load_space(write_space(tmp_path, text.replace("SEED", "8"), "other")).points()
    assert len(points) == 8 and len({p.hash for p in points}) == 8
    assert [p.hash for p in points] == [p.hash for p in again] != [p.hash for p in other]
    for p in points:
        assert p.overrides["tiles"] in (1, 2, 3) and 0.001 <= p.overrides["learning_rate"] <= 0.1
        assert isinstance(p.overrides["train_seed"], int) and 0 <= p.overrides["train_seed"] <= 1000
    # A space with fewer distinct points than asked for gives all of them, once.
    few = load_space(write_space(tmp_path, TINY + "sample: {count: 50, seed: 1}\naxes: {tiles: [1, 2, 3]}\n", "few"))
    assert sorted(p.overrides["tiles"] for p in few.points()) == [1, 2, 3]


def test_the_example_space_has_24_valid_points_sharing_4_trainings():
    space = load_space(ROOT / "configs" / "explore_digits.yaml")
    points = space.points()
    assert len(points) >= 24 and all(p.config is not None for p in points)
    assert space.stages == ("train", "golden", "gen", "sim", "synth")
    assert len({stage_key("train", p.config, space.options) for p in points}) == 4


@pytest.mark.parametrize("path", sorted((ROOT / "configs").glob("explore_*.yaml")), ids=lambda p: p.stem)
def test_every_shipped_space_loads_with_valid_points(path):
    space = load_space(path)
    points = space.points()
    assert points and all(p.config is not None for p in points)
    assert len({p.hash for p in points}) == len(points)


# -- what each stage's cache key covers


def other_value(config, field):
    """``config`` with ``field`` changed to another valid value."""
    current = getattr(config, field.name)
    if field.choices:
        candidates = [c for c in field.choices if c != current]
    elif field.kind is str:
        candidates = [current + "x"]
    elif field.kind is int:
        candidates = [current + 1, current - 1, field.lo, field.hi]
    else:
        candidates = [(current + field.hi) / 2, field.lo]
    for value in candidates:
        try:
            return config.replace(**{field.name: value})
        except ConfigError:
            continue
    raise AssertionError(f"no other valid value of {field.name}")


def test_fields_outside_the_training_key_do_not_change_the_weights():
    from model.data import load_dataset
    from model.train import train

    base = PRESETS["tiny"].replace(train_epochs=1, qat_epochs=1)
    data = load_dataset(base)
    trained = train(base, data, progress=False)
    hardware = [f for f in FIELDS if f.name not in TRAINING_FIELDS]
    assert {"tiles", "tile_map", "neuron_lanes", "prob_bits", "lut_addr_bits", "top_name"} <= {
        f.name for f in hardware}
    for field in hardware:
        variant = other_value(base, field)
        assert stage_key("train", variant, Options()) == stage_key("train", base, Options())
        assert stage_key("gen", variant, Options()) != stage_key("gen", base, Options())
        again = train(variant, data, progress=False)
        assert (again.alpha == trained.alpha).all() and (again.bias == trained.bias).all(), field.name


def test_fields_outside_the_golden_key_do_not_change_the_accuracy(monkeypatch):
    import model.evaluate
    from model.data import load_dataset
    from model.train import train

    monkeypatch.setattr(model.evaluate, "ann_baseline", lambda config, data: 0.5)   # same data: same ANN
    base = PRESETS["tiny"].replace(train_epochs=1, qat_epochs=1)
    data = load_dataset(base)
    weights = train(base, data, progress=False)
    reference = model.evaluate.evaluate(base, weights, data, seeds=1)
    for name in GOLDEN_INDEPENDENT_FIELDS:
        variant = other_value(base, next(f for f in FIELDS if f.name == name))
        assert stage_key("golden", variant, Options()) == stage_key("golden", base, Options())
        assert model.evaluate.evaluate(variant, weights, data, seeds=1) == reference, name
    assert stage_key("golden", base.replace(tiles=2), Options()) != stage_key("golden", base, Options())
    assert stage_key("golden", base, Options(seeds=2)) != stage_key("golden", base, Options())


# -- sweeps


@pytest.fixture(scope="module")
def generated_sweep(tmp_path_factory):
    """Four points through training, golden accuracy and generation, on a two-worker LocalCluster."""
    work = tmp_path_factory.mktemp("explore")
    space = load_space(write_space(work, TINY + "axes:\n  tiles: [1, 3]\n  prob_bits: [6, 8]\n"
                                   "stages: [train, golden, gen]\noptions: {seeds: 1}\n"))
    sweep = run_space(space, out=work / "out", cache=work / "cache", workers=2, log=None, progress=False)
    return space, work, sweep


def test_a_sweep_on_two_workers_equals_the_points_one_by_one(generated_sweep):
    space, work, sweep = generated_sweep
    assert sweep.points == sweep.computed == len(sweep.rows) == 4
    expected, computed = {}, set()
    for point in space.points():
        result = evaluate_point(point.config, stages=space.stages, workdir=work / "one-by-one" / point.hash,
                                cache=work / "one-by-one-cache", options=space.options)
        expected[point.hash] = ("ok", None, point.fields, result["figures"])
        computed |= {(stage, run["key"]) for stage, run in result["stages"].items() if not run["cached"]}
    assert comparable(sweep.rows) == expected
    # ... and one by one, every stage the sweep ran was computed again (its own cache), under the same keys.
    assert computed == {(stage, run["key"]) for row in sweep.rows for stage, run in row["cache"].items()}
    row = sweep.rows[0]
    assert row["figures"]["verilog_lines"] > 100 and 0 <= row["figures"]["accuracy"] <= 1
    assert Path(row["cache"]["gen"]["key"]) and (work / "cache" / "gen" / row["cache"]["gen"]["key"]
                                                 / "spinaps_top.v").is_file()
    # Training depends on neither tiles nor prob_bits: one training serves the four points.
    assert len({r["cache"]["train"]["key"] for r in sweep.rows}) == 1
    assert len({r["cache"]["gen"]["key"] for r in sweep.rows}) == 4
    assert (work / "out" / "points" / row["hash"] / "log.txt").is_file()


def test_rerunning_a_sweep_computes_nothing(generated_sweep):
    space, work, sweep = generated_sweep
    table = (work / "out" / "results.jsonl").read_bytes()
    again = run_space(space, out=work / "out", cache=work / "cache", workers=2, log=None, progress=False)
    assert again.computed == 0 and (work / "out" / "results.jsonl").read_bytes() == table
    # A new table on the same cache: every point is evaluated, every stage comes from the cache.
    fresh = run_space(space, out=work / "fresh", cache=work / "cache", workers=0, log=None, progress=False)
    assert fresh.computed == 4
    assert all(run["cached"] for row in fresh.rows for run in row["cache"].values())
    assert comparable(fresh.rows) == comparable(sweep.rows)
    assert "stages computed train 0, golden 0, gen 0" in (work / "fresh" / "summary.md").read_text()


CHEAP = TINY + "axes:\n  tiles: [1, 2, 3]\n  prob_bits: [6, 8]\nstages: [train, golden]\noptions: {seeds: 1}\n"


def test_an_interrupted_sweep_resumes_with_the_missing_points(tmp_path, cluster):
    space = load_space(write_space(tmp_path, CHEAP))
    run = dict(cache=tmp_path / "cache", scheduler=cluster, log=None, progress=False)
    first = run_space(space, out=tmp_path / "out", limit=2, **run)       # stops after 2 of 6 points
    assert first.computed == 2 and len(first.rows) == 2
    done = {r["hash"]: r["finished"] for r in first.rows}
    second = run_space(space, out=tmp_path / "out", **run)
    assert second.computed == 4 and len(second.rows) == 6
    assert {r["hash"]: r["finished"] for r in second.rows if r["hash"] in done} == done   # not recomputed
    whole = run_space(space, out=tmp_path / "whole", **run)
    assert comparable(second.rows) == comparable(whole.rows)
    lines = (tmp_path / "out" / "results.jsonl").read_text().splitlines()
    assert sorted(json.loads(line)["hash"] for line in lines) == sorted(p.hash for p in space.points())


def test_failing_points_are_recorded_and_the_sweep_goes_on(tmp_path, cluster):
    text = TINY.replace("}", ", data_dir: /nonexistent/spinaps}") + (
        "axes:\n  dataset: [digits, idx]\n  tau: [1, 2]\nstages: [train, golden]\noptions: {seeds: 1}\n")
    space = load_space(write_space(tmp_path, text))
    sweep = run_space(space, out=tmp_path / "out", cache=tmp_path / "cache", scheduler=cluster, log=None,
                      progress=False)
    by_axes = {(r["axes"]["dataset"], r["axes"]["tau"]): r for r in sweep.rows}
    assert by_axes["digits", 2]["status"] == "ok" and by_axes["digits", 2]["figures"]["accuracy"] > 0
    for dataset in ("digits", "idx"):              # invalid combination: the configuration's message
        assert by_axes[dataset, 1]["status"] == "failed"
        assert by_axes[dataset, 1]["error"] == "n_basis = 2 is out of range (allowed: 1..1)"
    failed = by_axes["idx", 2]                     # fails while running: the stage's message
    assert failed["status"] == "failed" and failed["figures"] == {}
    assert failed["error"] == "/nonexistent/spinaps: no train-images-idx3-ubyte (or train-images-idx3-ubyte.gz)"
    assert "Traceback" in Path(failed["log"]).read_text()
    summary = (tmp_path / "out" / "summary.md").read_text()
    assert "4 of 4 points done: 1 ok, 3 failed" in summary and failed["error"] in summary
    # Failed points stay failed on a rerun, unless asked to retry them.
    assert run_space(space, out=tmp_path / "out", cache=tmp_path / "cache", scheduler=cluster, log=None,
                     progress=False).computed == 0
    assert run_space(space, out=tmp_path / "out", cache=tmp_path / "cache", scheduler=cluster, log=None,
                     progress=False, retry_failed=True).computed == 3


def test_outputs_name_the_pareto_optimal_configurations(tmp_path, cluster):
    space = load_space(write_space(tmp_path, CHEAP))
    sweep = run_space(space, out=tmp_path / "out", cache=tmp_path / "cache", scheduler=cluster, log=None,
                      progress=False)
    pareto = json.loads((tmp_path / "out" / "pareto.json").read_text())
    front = pareto["latency"]
    assert front["objectives"] == {"accuracy": "max", "mean_decision_step": "min"}
    figures = [r["figures"] for r in sweep.rows]
    assert sorted(p["hash"] for p in front["points"]) == sorted(
        sweep.rows[i]["hash"] for i in pareto_front(figures, objectives=front["objectives"]))
    summary = (tmp_path / "out" / "summary.md").read_text()
    for point in front["points"]:
        assert f"`{point['hash']}`" in summary
    assert (tmp_path / "out" / "pareto_latency.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_broken_table_is_a_one_line_error(tmp_path):
    (tmp_path / "results.jsonl").write_text('{"hash": "a", "status": "ok"}\n{"hash": \n')
    with pytest.raises(ConfigError, match=r"results\.jsonl:2: not a row of a sweep \(JSONDecodeError\); "
                                          r"remove the line or run with --no-resume$"):
        ResultsTable(tmp_path / "results.jsonl")
    assert ResultsTable(tmp_path / "results.jsonl", resume=False).rows == {}


# -- the command line


def explore(*args, cwd):
    return subprocess.run([sys.executable, "-m", "spinaps.explore", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


def test_command_line_runs_a_space_and_writes_the_outputs(tmp_path):
    write_space(tmp_path, TINY + "axes: {prob_bits: [6, 8]}\nstages: [golden]\noptions: {seeds: 1}\n")
    result = explore("space.yaml", "--workers", "0", "--out", "out", "--cache", "cache", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "2 of 2 points done (2 ok, 0 failed); 2 computed by this run" in result.stdout
    for name in ("results.jsonl", "pareto.json", "pareto_latency.png", "summary.md", "space.yaml"):
        assert (tmp_path / "out" / name).is_file(), name
    assert len((tmp_path / "out" / "results.jsonl").read_text().splitlines()) == 2


@pytest.mark.parametrize("args, message", [
    (["missing.yaml"], "missing.yaml: cannot read: No such file or directory"),
    (["space.yaml", "--workers", "1", "--scheduler", "tcp://127.0.0.1:8786"],
     "--workers is for the local cluster: give --workers or --scheduler, not both"),
    (["space.yaml", "--workers", "-1"], "--workers = -1 is out of range (allowed: 0..64)"),
    (["space.yaml", "--limit", "0"], "--limit = 0 is out of range (allowed: 1 or more)"),
])
def test_command_line_errors_are_one_line(tmp_path, args, message):
    write_space(tmp_path, TINY)
    result = explore(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == f"python -m flow.explore: error: {message}\n"
    assert not (tmp_path / "build").exists()
