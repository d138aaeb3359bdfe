"""``python -m flow.explore``: design-space exploration on Dask, with Pareto fronts.

    python -m flow.explore SPACE.yaml [--scheduler tcp://HOST:PORT] [--workers N] [--out DIR]
                           [--cache DIR] [--resume/--no-resume] [--retry-failed] [--limit N]

Every point of the SPACE file (:mod:`flow.space`) runs the flow it needs (:func:`flow.point.evaluate_point`)
as a task on a Dask cluster: a ``LocalCluster`` of ``--workers`` processes by default, or the cluster
of ``--scheduler``. Results are appended to ``OUT/results.jsonl`` (rewritten atomically) as points
finish, so an interrupted sweep resumes with the missing points only; then ``pareto.json``, the
PNG plots and ``summary.md`` are written (:mod:`flow.summary`).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import sys
import time
import traceback
import uuid
from dataclasses import dataclass
from pathlib import Path

from spinaps.atomic import atomic_write_text
from spinaps.cli import ArgumentParser, run_cli
from spinaps.config import ConfigError

from .point import code_digest, evaluate_point, stage_key
from .space import Point, Space, load_space
from .summary import write_outputs

__all__ = ["ExploreError", "ResultsTable", "Sweep", "run_space", "dask_client", "main"]

PROG = "python -m flow.explore"
ROOT = Path(__file__).resolve().parents[1]
#: Where sweeps write (OUT = DEFAULT_BUILD/<space name>) and the stage cache they share.
DEFAULT_BUILD = ROOT / "build" / "explore"
DEFAULT_CACHE = DEFAULT_BUILD / "cache"
#: The longest error text a row keeps.
MAX_ERROR_CHARS = 2000


class ExploreError(ConfigError):
    """A sweep that cannot start (a bad option, table or scheduler). The message is one line."""


class ResultsTable:
    """The JSON-lines table of a sweep: one row per finished point, keyed by the point's hash.

    Every :meth:`put` rewrites the whole file atomically, so it never holds half a row.

    Parameters
    ----------
    path : Path
    resume : bool
        Keep the rows already in the file (else start empty; the file is replaced at the first put).

    Raises
    ------
    ExploreError
        If a line of an existing file is not a row.
    """

    def __init__(self, path: Path, *, resume: bool = True):
        self.path = Path(path)
        self.rows: dict[str, dict] = {}
        if resume and self.path.is_file():
            for number, line in enumerate(self.path.read_text().splitlines(), 1):
                try:
                    row = json.loads(line)
                    self.rows[row["hash"]] = row
                except (ValueError, KeyError, TypeError) as e:
                    raise ExploreError(f"{self.path}:{number}: not a row of a sweep ({type(e).__name__}); "
                                       "remove the line or run with --no-resume") from None

    def put(self, row: dict) -> None:
        """Add (or replace) the row of a point and rewrite the file."""
        self.rows[row["hash"]] = row
        atomic_write_text(self.path, "".join(json.dumps(r, sort_keys=True) + "\n" for r in self.rows.values()))


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    if not isinstance(error, ConfigError):
        text = f"{type(error).__name__}: {text}" if text else type(error).__name__
    return text[:MAX_ERROR_CHARS]


def _evaluate_task(config, *, stages, workdir: Path, cache: Path, options, after=None) -> dict:
    """One point as a Dask task (or in this process): its outcome, never an exception.

    ``after`` is the training task this one waits for (Dask passes its outcome; it is not used).
    """
    start = time.perf_counter()
    try:
        outcome = evaluate_point(config, stages=stages, workdir=workdir, cache=cache, options=options)
        status, error = "ok", None
    except Exception as e:                   # recorded in the row; the traceback goes to the point's log
        Path(workdir).mkdir(parents=True, exist_ok=True)
        with open(Path(workdir) / "log.txt", "a") as log:
            traceback.print_exc(file=log)
        outcome, status, error = {"figures": {}, "stages": {}}, "failed", _one_line(e)
    return {"status": status, "error": error, "figures": outcome["figures"], "stages": outcome["stages"],
            "wall_seconds": round(time.perf_counter() - start, 2)}


@dataclass(frozen=True)
class _Task:
    point: Point
    workdir: Path


@contextlib.contextmanager
def dask_client(*, scheduler: str | None, workers: int):
    """A Dask client: of the cluster at ``scheduler``, or of a new ``LocalCluster`` of ``workers``
    single-threaded processes (closed afterwards). Dask logs only warnings and errors."""
    from dask.distributed import Client, LocalCluster

    logging.getLogger("distributed").setLevel(logging.WARNING)
    if scheduler:
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError, ValueError) as e:
            raise ExploreError(f"--scheduler {scheduler}: cannot connect ({_one_line(e)})") from None
        with client:
            yield client
        return
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.WARNING) as cluster, Client(cluster) as client:
        yield client


def _on_dask(tasks: list[_Task], space: Space, cache: Path, *, scheduler: str | None, workers: int):
    """Yield (task, outcome) as points finish on Dask. Points that share their training wait for one
    training task (per training key), so workers never train the same weights twice at once; those
    tasks are yielded too, as (None, outcome)."""
    from dask.distributed import as_completed

    run = uuid.uuid4().hex[:8]               # task keys of this run only (a shared cluster may hold others)
    with dask_client(scheduler=scheduler, workers=workers) as client:
        trainings, futures = {}, {}
        for task in tasks:
            common = dict(cache=cache, options=space.options, workdir=task.workdir)
            key = stage_key("train", task.point.config, space.options)
            if key not in trainings:
                trainings[key] = client.submit(_evaluate_task, task.point.config, stages=("train",), **common,
                                               key=f"explore-{run}-train-{key}")
            future = client.submit(_evaluate_task, task.point.config, stages=space.stages, after=trainings[key],
                                   **common, key=f"explore-{run}-point-{task.point.hash}")
            futures[future] = task
        for future in as_completed([*trainings.values(), *futures]):
            try:
                outcome = future.result()
            except Exception as e:           # the worker died or the task was lost
                outcome = {"status": "failed", "error": _one_line(e), "figures": {}, "stages": {},
                           "wall_seconds": None}
            yield futures.get(future), outcome


def _in_process(tasks: list[_Task], space: Space, cache: Path):
    """Yield (task, outcome) computing the points one by one in this process (``--workers 0``)."""
    for task in tasks:
        yield task, _evaluate_task(task.point.config, stages=space.stages, workdir=task.workdir, cache=cache,
                                   options=space.options)


@dataclass(frozen=True)
class Sweep:
    """What :func:`run_space` did.

    Members
    -------
    rows : list of dict
        The table's rows of this space's points (done before or now), in the space's order.
    points : int
        Points in the space.
    computed : int
        Points finished by this run (ok or failed).
    outputs : list of Path
        Files written (table, fronts, plots, summary).
    stale : int
        Rows reused from the table that other code computed (rerun them with ``resume=False``).
    """
    rows: list
    points: int
    computed: int
    outputs: list
    stale: int


def run_space(space: Space, *, out: Path, cache: Path = DEFAULT_CACHE, scheduler: str | None = None,
              workers: int = 2, resume: bool = True, retry_failed: bool = False, limit: int | None = None,
              progress: bool | None = None, log=print) -> Sweep:
    """Evaluate every point of ``space`` not already in ``OUT/results.jsonl``, then write the outputs.

    Parameters
    ----------
    space : Space
    out : Path
        Output directory: ``results.jsonl``, ``pareto.json``, ``pareto_*.png``, ``summary.md``,
        ``points/<hash>/log.txt``.
    cache : Path
        Stage cache (:mod:`flow.point`); on a cluster, a directory every worker sees at this path.
    scheduler : str, optional
        Address of a running Dask scheduler (``tcp://HOST:PORT``); default: a new ``LocalCluster``.
    workers : int
        Processes of the ``LocalCluster`` (0: every point in this process, without Dask).
    resume : bool
        Skip points already in the table (else compute every point again; stages still come from
        the cache).
    retry_failed : bool
        Compute again the points the table records as failed.
    limit : int, optional
        Compute at most this many points (the rest are left for the next run).
    progress : bool, optional
        Show a progress bar (None: only on a terminal).
    log : callable
        Progress lines (None: silent).

    Returns
    -------
    Sweep
    """
    from tqdm import tqdm

    log = log or (lambda *_: None)
    out, cache = Path(out).resolve(), Path(cache).resolve()
    points = space.points()
    table = ResultsTable(out / "results.jsonl", resume=resume)
    done = {h for h, r in table.rows.items() if r["status"] == "ok" or not retry_failed}
    todo = [p for p in points if p.hash not in done]
    code = code_digest(space.stages)
    start = time.perf_counter()
    computed = 0
    stage_runs = set()          # (stage, key) computed by this run

    def count(outcome: dict):
        stage_runs.update((stage, run["key"]) for stage, run in outcome["stages"].items() if not run["cached"])

    def record(point: Point, outcome: dict):
        nonlocal computed
        computed += 1
        count(outcome)
        table.put({"hash": point.hash, "status": outcome["status"], "error": outcome["error"],
                   "axes": point.overrides, "config": point.fields, "stages": list(space.stages),
                   "options": space.options.to_dict(), "figures": outcome["figures"],
                   "cache": {s: {"key": r["key"], "cached": r["cached"]} for s, r in outcome["stages"].items()},
                   "seconds": {s: r["seconds"] for s, r in outcome["stages"].items()},
                   "wall_seconds": outcome["wall_seconds"], "log": str(out / "points" / point.hash / "log.txt"),
                   "code": code, "finished": time.strftime("%Y-%m-%dT%H:%M:%S")})

    invalid = [p for p in todo if p.config is None]
    for point in invalid:
        record(point, {"status": "failed", "error": point.error, "figures": {}, "stages": {},
                       "wall_seconds": 0.0})
    tasks = [_Task(p, out / "points" / p.hash) for p in todo if p.config is not None][:limit]
    log(f"{PROG}: {space.name}: {len(points)} points, {len(points) - len(todo)} already in {table.path}, "
        f"{len(invalid)} invalid, {len(tasks)} to compute"
        + (f" on {scheduler}" if scheduler else f" on {workers} local workers" if workers else " in this process"))
    if space.path is not None:
        atomic_write_text(out / "space.yaml", space.path.read_text())
    if tasks:
        finished = (_on_dask(tasks, space, cache, scheduler=scheduler, workers=workers) if scheduler or workers
                    else _in_process(tasks, space, cache))
        bar = tqdm(total=len(tasks), desc=space.name, unit="point", disable=None if progress is None else not progress)
        with contextlib.closing(finished), bar:
            for task, outcome in finished:
                if task is None:
                    count(outcome)
                    continue
                record(task.point, outcome)
                bar.set_postfix(failed=sum(r["status"] != "ok" for r in table.rows.values()))
                bar.update()
    rows = [table.rows[p.hash] for p in points if p.hash in table.rows]
    stale = sum(r.get("code") != code for r in rows)
    run = {"computed": computed, "seconds": time.perf_counter() - start,
           "stages_computed": {stage: sum(s == stage for s, _ in stage_runs) for stage in space.stages}}
    outputs = [table.path, *write_outputs(space, rows, out, points=len(points), run=run)]
    return Sweep(rows=rows, points=len(points), computed=computed, outputs=outputs, stale=stale)


def _parser() -> ArgumentParser:
    parser = ArgumentParser(prog=PROG, description="Design-space exploration: evaluate every configuration of a "
                            "SPACE file (training, golden accuracy, generation, simulation, synthesis) on a Dask "
                            "cluster, cache every stage, and write the results table, Pareto fronts, plots and a "
                            "summary.")
    parser.add_argument("space", metavar="SPACE.yaml", help="the SPACE file (see the README)")
    parser.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                        help="use the Dask cluster of this scheduler (default: a local cluster)")
    parser.add_argument("--workers", type=int, metavar="N",
                        help="processes of the local cluster (default: 2; 0: no Dask, one point after another)")
    parser.add_argument("--out", metavar="DIR", help="output directory (default: build/explore/<space name>)")
    parser.add_argument("--cache", metavar="DIR", help="stage cache (default: build/explore/cache)")
    parser.add_argument("--resume", action=argparse.BooleanOptionalAction, default=True,
                        help="skip points already in the table (default); --no-resume computes every point again")
    parser.add_argument("--retry-failed", action="store_true", help="compute the failed points again")
    parser.add_argument("--limit", type=int, metavar="N",
                        help="compute at most N points this run (the rest are left for the next)")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="show a progress bar (default: only on a terminal)")
    return parser


def _main(argv=None) -> int:
    args = _parser().parse_args(argv)
    if args.scheduler and args.workers is not None:
        raise ExploreError("--workers is for the local cluster: give --workers or --scheduler, not both")
    workers = 2 if args.workers is None else args.workers
    if not 0 <= workers <= 64:
        raise ExploreError(f"--workers = {workers} is out of range (allowed: 0..64)")
    if args.limit is not None and args.limit < 1:
        raise ExploreError(f"--limit = {args.limit} is out of range (allowed: 1 or more)")
    space = load_space(args.space)
    out = Path(args.out) if args.out else DEFAULT_BUILD / space.name
    try:
        sweep = run_space(space, out=out, cache=Path(args.cache) if args.cache else DEFAULT_CACHE,
                          scheduler=args.scheduler, workers=workers, resume=args.resume,
                          retry_failed=args.retry_failed, limit=args.limit, progress=args.progress)
    except KeyboardInterrupt:
        rows = ResultsTable(out / "results.jsonl").rows
        print(f"{PROG}: interrupted with {len(rows)} points in {out / 'results.jsonl'}: "
              "run the same command again to compute the rest", file=sys.stderr)
        return 130
    ok = sum(r["status"] == "ok" for r in sweep.rows)
    print(f"{PROG}: {len(sweep.rows)} of {sweep.points} points done ({ok} ok, {len(sweep.rows) - ok} failed); "
          f"{sweep.computed} computed by this run")
    if sweep.stale:
        print(f"{PROG}: {sweep.stale} rows were computed by other code: --no-resume computes them again")
    for path in sweep.outputs:
        print(f"{PROG}: wrote {path}")
    return 0


def main(argv=None) -> int:
    return run_cli(_main, prog=PROG, argv=argv)


if __name__ == "__main__":
    sys.exit(main())
