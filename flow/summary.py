"""What a sweep shows: its Pareto fronts (``pareto.json``), their plots (PNG) and a Markdown summary."""

from __future__ import annotations

import io
import json
from pathlib import Path

from spinaps.atomic import atomic_write_bytes, atomic_write_text

from .pareto import Front, fronts, pareto_front
from .space import Space

__all__ = ["FIGURE_LABELS", "front_rows", "plot_front", "summary_markdown", "write_outputs"]

#: Axis labels and table headers of the figures the fronts use.
FIGURE_LABELS = {"accuracy": "accuracy (golden model, %)", "gsops_per_w_per_mm2": "GSOPS/W/mm² (STT-RAM)",
                 "area_mm2": "area (mm², STT-RAM design)", "cycles_per_inference": "cycles per inference",
                 "mean_decision_step": "mean decision step"}


def _format(name: str, value) -> str:
    if value is None:
        return "n/a"
    if name.startswith("accuracy"):
        return f"{value:.1%}"
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def front_rows(rows: list[dict], front: Front) -> list[dict]:
    """The rows (status ok) on ``front``, ordered by its last objective."""
    ok = [r for r in rows if r["status"] == "ok"]
    chosen = [ok[i] for i in pareto_front([r["figures"] for r in ok], objectives=front.objectives)]
    last = list(front.objectives)[-1]
    return sorted(chosen, key=lambda r: r["figures"][last])


def plot_front(rows: list[dict], front: Front, path: Path, *, title: str) -> None:
    """PNG: accuracy against every other objective of ``front``, one panel each; the Pareto-optimal
    points in colour, numbered as in the summary."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ok = [r for r in rows if r["status"] == "ok"]
    best = front_rows(rows, front)
    others = [name for name in front.objectives if name != "accuracy"]
    fig, axes = plt.subplots(1, len(others), figsize=(5.2 * len(others), 4), dpi=120, squeeze=False)
    for ax, name in zip(axes[0], others):
        xs = [r["figures"].get(name) for r in ok]
        ys = [r["figures"].get("accuracy") for r in ok]
        shown = [(x, y * 100) for x, y in zip(xs, ys) if x is not None and y is not None]
        if shown:
            ax.scatter(*zip(*shown), s=18, color="lightgrey", label="all points")
        bx = [r["figures"][name] for r in best]
        by = [r["figures"]["accuracy"] * 100 for r in best]
        ax.scatter(bx, by, s=36, color="tab:red", zorder=3, label="Pareto-optimal")
        if len(others) == 1 and best:
            ax.step(bx, by, where="post", color="tab:red", alpha=0.5)
        for number, (x, y) in enumerate(zip(bx, by), 1):
            ax.annotate(str(number), (x, y), textcoords="offset points", xytext=(4, 4), fontsize=7)
        ax.set_xlabel(FIGURE_LABELS.get(name, name))
        ax.set_ylabel(FIGURE_LABELS["accuracy"])
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="best")
    fig.suptitle(f"{title}: {front.title}", fontsize=9)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    atomic_write_bytes(path, buffer.getvalue())


def _table(rows: list[dict], axes: list[str], figures: list[str], *, numbered: bool, extra: str = "") -> list[str]:
    head = (["#"] if numbered else []) + axes + [FIGURE_LABELS.get(f, f) for f in figures] + (
        [extra] if extra else []) + ["hash"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for number, row in enumerate(rows, 1):
        cells = ([str(number)] if numbered else []) + [str(row["axes"].get(a, row["config"].get(a))) for a in axes]
        cells += [_format(f, row["figures"].get(f)) for f in figures]
        cells += [str(row.get(extra)).replace("|", "\\|")] if extra else []
        lines.append("| " + " | ".join(cells + [f"`{row['hash']}`"]) + " |")
    return lines


def summary_markdown(space: Space, rows: list[dict], *, points: int, run: dict) -> str:
    """The summary: what was swept, what is done, the Pareto-optimal configurations, the failures."""
    axes = list(space.axes)
    ok = [r for r in rows if r["status"] == "ok"]
    failed = [r for r in rows if r["status"] != "ok"]
    how = (f"{space.sample.count} random draws (seed {space.sample.seed})" if space.sample
           else "grid over " + (" × ".join(axes) or "nothing (one point)"))
    options = space.options
    lines = [f"# Design-space exploration `{space.name}`", "",
             f"SPACE `{space.path}`: {how}, {points} points; stages {', '.join(space.stages)}; "
             f"accuracy averaged over {options.seeds} seed set{'s' if options.seeds > 1 else ''}"
             + (f", {options.sim_images} images simulated on {options.simulator}" if "sim" in space.stages else "")
             + ".", "",
             f"**{len(rows)} of {points} points done: {len(ok)} ok, {len(failed)} failed.** This run computed "
             f"{run['computed']} points in {run['seconds'] / 60:.1f} min; stages computed "
             + ", ".join(f"{stage} {count}" for stage, count in run["stages_computed"].items())
             + ", the rest from the cache.", ""]
    for front in fronts(space.stages):
        best = front_rows(rows, front)
        senses = ", ".join(f"{'higher' if s == 'max' else 'lower'} {FIGURE_LABELS.get(n, n).split(' (')[0]}"
                           for n, s in front.objectives.items())
        lines += [f"## Pareto front: {front.title}", "",
                  f"{len(best)} of {len(ok)} points are Pareto-optimal ({senses}); no other point is as good in "
                  "every objective and better in one.", ""]
        lines += _table(best, axes, list(front.objectives), numbered=True)
        lines += ["", f"![{front.title}](pareto_{front.name}.png)", ""]
    if not fronts(space.stages):
        lines += ["No Pareto front: accuracy needs the golden stage.", ""]
    if failed:
        lines += ["## Failed points", ""] + _table(failed, axes, [], numbered=False, extra="error") + [""]
    lines += ["## Files", "", "- `results.jsonl`: one row per point (columns in the README, \"Design-space "
              "exploration\")", "- `pareto.json`: the Pareto-optimal points of every front",
              "- `points/<hash>/log.txt`: everything a point's stages printed", ""]
    return "\n".join(lines)


def write_outputs(space: Space, rows: list[dict], out: Path, *, points: int, run: dict) -> list[Path]:
    """Write ``pareto.json``, one ``pareto_<front>.png`` per front and ``summary.md``; return their paths."""
    written = []
    data = {}
    for front in fronts(space.stages):
        best = front_rows(rows, front)
        data[front.name] = {"title": front.title, "objectives": front.objectives,
                            "points": [{"hash": r["hash"], "axes": r["axes"],
                                        **{n: r["figures"][n] for n in front.objectives}} for r in best]}
        plot_front(rows, front, out / f"pareto_{front.name}.png", title=space.name)
        written.append(out / f"pareto_{front.name}.png")
    atomic_write_text(out / "pareto.json", json.dumps(data, indent=2) + "\n")
    atomic_write_text(out / "summary.md", summary_markdown(space, rows, points=points, run=run))
    return [out / "pareto.json", *written, out / "summary.md"]
