"""Benchmark: utilisation, area and GSOPS/W/mm² of the default accelerator for every tile map and
neuron-lane count (issue 11), from the design-space exploration of configs/explore_datapath.yaml.

Runs (or reuses, from the exploration's cache) the 12 points — training once, the golden model's
exact cycles on the whole test split, generation and synthesis of each — then prints a table and
writes a PNG and JSON.

    python benchmarks/datapath_sweep.py [--workers 2] [--out build/bench/datapath_sweep]
"""

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flow.explore import run_space  # noqa: E402
from flow.space import load_space  # noqa: E402
from spinaps.atomic import atomic_write_bytes, atomic_write_text  # noqa: E402

SPACE = ROOT / "configs/explore_datapath.yaml"
FIGURES = ("utilization", "cycles_per_inference", "logic_area_um2", "area_mm2", "fmax_mhz", "gsops",
           "gsops_per_w_per_mm2", "gsops_per_w_per_mm2_sram", "accuracy")


def plot(points: list[dict], path: Path) -> None:
    import io

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = (("utilization", "utilisation (SOPs / cycles · tiles · N_Y)"),
              ("area_mm2", "area, STT-RAM design (mm²)"),
              ("gsops_per_w_per_mm2", "GSOPS/W/mm², STT-RAM design"))
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.8), dpi=120)
    for ax, (key, label) in zip(axes, panels):
        for tile_map in ("interleaved", "blocked", "balanced"):
            row = sorted((p for p in points if p["tile_map"] == tile_map), key=lambda p: p["neuron_lanes"])
            ax.plot([p["neuron_lanes"] for p in row], [p[key] for p in row], "o-", label=tile_map)
        ax.set_xlabel("neuron lanes")
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    fig.suptitle("Default accelerator (digits, 64 → 10, 8 tiles), 180 nm; cycles from the golden model (cycle-exact)")
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(fig)
    atomic_write_bytes(path, buffer.getvalue())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", default=str(ROOT / "build/bench/datapath_sweep"))
    args = parser.parse_args()
    out = Path(args.out)
    sweep = run_space(load_space(SPACE), out=out, workers=args.workers)
    points = []
    for row in sweep.rows:
        if row["status"] != "ok":
            raise SystemExit(f"point {row['config']['tile_map']}, {row['config']['neuron_lanes']} lanes failed: "
                             f"{row.get('error')}")
        points.append({"tile_map": row["config"]["tile_map"], "neuron_lanes": row["config"]["neuron_lanes"],
                       **{k: row["figures"][k] for k in FIGURES}})
    points.sort(key=lambda p: (p["tile_map"], p["neuron_lanes"]))
    print(f"{'tile map':>12} {'lanes':>5} {'util.':>6} {'cycles':>7} {'logic um^2':>11} {'f_max':>6} "
          f"{'GSOPS':>6} {'GSOPS/W/mm^2':>12} {'SRAM':>6} {'acc.':>6}")
    for p in points:
        print(f"{p['tile_map']:>12} {p['neuron_lanes']:>5} {p['utilization']:>6.3f} "
              f"{p['cycles_per_inference']:>7.1f} {p['logic_area_um2']:>11,.0f} {p['fmax_mhz']:>6.1f} "
              f"{p['gsops']:>6.2f} "
              f"{p['gsops_per_w_per_mm2']:>12.2f} {p['gsops_per_w_per_mm2_sram']:>6.2f} {p['accuracy']:>6.1%}")
    plot(points, out / "datapath_sweep.png")
    atomic_write_text(out / "datapath_sweep.json", json.dumps({"benchmark": "datapath_sweep", "space": str(SPACE),
                                                              "points": points}, indent=2) + "\n")
    print(f"wrote {out / 'datapath_sweep.png'} and {out / 'datapath_sweep.json'}")


if __name__ == "__main__":
    main()
