"""``python -m synth.sweep``: area, f_max and GSOPS/W/mm^2 against the number of tiles.

    python -m synth.sweep [--tiles 1,2,4,8,16] [--config FILE] [--weights FILE] [--liberty PATH]
                          [--node NM] [--activity MODE] [--jobs N] --out build/synth/sweep

Runs the flow of ``python -m synth`` for every tile count (OUT/tiles<N>/: report.json, report.md,
area.png, netlist.v, gen/) and writes OUT/sweep.json and OUT/sweep.png atomically.
"""

from __future__ import annotations

import io
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from spinaps.atomic import atomic_write_bytes, atomic_write_text
from spinaps.cli import ArgumentParser, check_count, command
from spinaps.config import ConfigError, load_config

PROG = "python -m synth.sweep"
DEFAULT_TILES = (1, 2, 4, 8, 16)
#: The figures of each point that go into sweep.json.
POINT_KEYS = ("logic_area_um2", "macro_area_um2", "total_area_mm2", "area_by_kind_um2", "fmax_mhz", "fmax_mhz_opensta",
              "critical_path_ns", "power_activity_source",
              "cycles_per_inference", "sops_per_inference", "utilization", "gsops", "power_w", "gsops_per_w",
              "gsops_per_w_per_mm2", "stt_over_sram", "cycles_source")


def _point(args: dict) -> dict:
    """One tile count (runs in a worker process)."""
    from .report import run

    tiles = args["config"].tiles

    def log(line):
        print(f"{PROG}: tiles={tiles}: {line}", flush=True)

    report = run(args["config"], out=args["out"], weights=args["weights"], liberty=args["liberty"],
                 node_nm=args["node"], cycles_from=args["cycles_from"], activity=args["activity"], log=log)
    point = {"tiles": tiles} | {k: report[k] for k in POINT_KEYS}
    point["report"] = str(Path(args["out"]) / "report.json")
    return point | {"_meta": {k: report[k] for k in ("liberty", "yosys_version", "node_nm", "weights")}}


def plot_sweep(points: list[dict], path: str | Path, *, title: str) -> None:
    """PNG: area (logic, + STT-RAM macros, + SRAM macros) and GSOPS/W/mm^2 of both against tiles."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    tiles = [p["tiles"] for p in points]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4), dpi=120)
    ax1.plot(tiles, [p["logic_area_um2"] / 1e6 for p in points], "o-", color="grey", label="logic only")
    ax1.plot(tiles, [p["total_area_mm2"]["stt"] for p in points], "s-", label="logic + STT-RAM macros")
    ax1.plot(tiles, [p["total_area_mm2"]["sram"] for p in points], "^--", label="logic + SRAM macros")
    ax1.set_ylabel("area (mm²)")
    ax2.plot(tiles, [p["gsops_per_w_per_mm2"]["stt"] for p in points], "s-", label="STT-RAM")
    ax2.plot(tiles, [p["gsops_per_w_per_mm2"]["sram"] for p in points], "^--", label="SRAM twin")
    for x, p in zip(tiles, points):
        ax2.annotate(f"{p['stt_over_sram']:.2f}×", (x, p["gsops_per_w_per_mm2"]["stt"]), textcoords="offset points",
                     xytext=(0, 6), ha="center", fontsize=7)
    ax2.set_ylabel("GSOPS/W/mm² (label: STT/SRAM)")
    for ax in (ax1, ax2):
        ax.set_xscale("log", base=2)
        ax.set_xticks(tiles, [str(t) for t in tiles])
        ax.set_xlabel("tiles")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    atomic_write_bytes(path, buffer.getvalue())


def _tiles(text: str) -> list[int]:
    try:
        values = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise ConfigError(f"--tiles {text!r} is not a comma-separated list of integers") from None
    if not values:
        raise ConfigError("--tiles is empty")
    return sorted(set(values))


@command(PROG)
def main(argv=None):
    parser = ArgumentParser(prog=PROG, description="Synthesise the accelerator for several tile counts and plot "
                            "area and GSOPS/W/mm^2 (STT-RAM and SRAM twin) against tiles.")
    parser.add_argument("--tiles", default=",".join(map(str, DEFAULT_TILES)), metavar="LIST",
                        help="tile counts (default: 1,2,4,8,16)")
    parser.add_argument("--config", metavar="FILE", help="YAML configuration (default: built-in default)")
    parser.add_argument("--weights", metavar="FILE", help="trained weights (default: as python -m synth)")
    parser.add_argument("--liberty", metavar="PATH", help="liberty file (default: OSU 0.18 um)")
    parser.add_argument("--node", type=int, metavar="NM", help="node in nm the figures are projected to (default: "
                        "the configuration's node_nm)")
    parser.add_argument("--activity", choices=("auto", "simulate", "vectorless"), default="vectorless",
                        help="switching activity of the logic power (as python -m synth); default vectorless, so "
                             "that the points compare like with like without a gate-level simulation each")
    parser.add_argument("--cycles-from", choices=("auto", "sim", "golden"), default="golden",
                        help="cycles per inference from the golden model (default, the same source for every "
                             "point), a simulation (sim) or either (auto)")
    parser.add_argument("--jobs", type=int, metavar="N", default=min(2, os.cpu_count() or 1),
                        help="syntheses run at once (default: min(2, cores))")
    parser.add_argument("--out", metavar="DIR", required=True, help="output directory (created if needed)")
    args = parser.parse_args(argv)
    check_count("--jobs", args.jobs, 1, 64)
    base = load_config(args.config)
    configs = [load_config(args.config, tiles=t) for t in _tiles(args.tiles)]   # every value checked first
    from .report import find_liberty

    liberty = find_liberty(args.liberty)
    from .yosys import read_liberty

    read_liberty(liberty)                     # a bad liberty fails here, before any synthesis
    if args.weights:
        from model.weights import load_weights

        load_weights(args.weights, base)
    out = Path(args.out)
    start = time.perf_counter()
    jobs = [{"config": c, "out": out / f"tiles{c.tiles}", "weights": args.weights, "liberty": liberty,
             "node": args.node, "cycles_from": args.cycles_from, "activity": args.activity} for c in configs]
    print(f"{PROG}: {len(jobs)} designs ({args.tiles} tiles), {args.jobs} at a time", flush=True)
    if args.jobs == 1:
        points = [_point(j) for j in jobs]
    else:
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            points = list(pool.map(_point, jobs))
    meta = points[0].pop("_meta")
    for p in points[1:]:
        p.pop("_meta")
    data = {"config": base.to_dict() | {"tiles": None}, **meta, "tiles": [p["tiles"] for p in points],
            "points": points, "wall_seconds": round(time.perf_counter() - start, 1)}
    title = (f"{base.top_name}: N_X = {base.n_inputs}, N_Y = {base.n_outputs}, τ = {base.tau}; logic "
             f"{Path(meta['liberty']).stem} ({meta['yosys_version'].split(' (')[0]}), figures at {meta['node_nm']:g} nm")
    plot_sweep(points, out / "sweep.png", title=title)
    atomic_write_text(out / "sweep.json", json.dumps(data, indent=2) + "\n")
    print(f"{PROG}: {'tiles':>5} {'logic um^2':>12} {'f_max MHz':>10} {'GSOPS':>8} {'STT GSOPS/W/mm^2':>17} "
          f"{'SRAM':>8} {'STT/SRAM':>9}")
    for p in points:
        g = p["gsops_per_w_per_mm2"]
        print(f"{PROG}: {p['tiles']:>5} {p['logic_area_um2']:>12,.0f} {p['fmax_mhz']:>10.1f} {p['gsops']:>8.3f} "
              f"{g['stt']:>17.3f} {g['sram']:>8.3f} {p['stt_over_sram']:>9.3f}")
    print(f"{PROG}: wrote {out / 'sweep.json'} and {out / 'sweep.png'} ({data['wall_seconds']:.0f} s)")
    return 0



if __name__ == "__main__":
    sys.exit(main())
