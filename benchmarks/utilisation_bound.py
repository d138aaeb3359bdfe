"""Benchmark: how busy the synapse lanes can be, whatever the control, given the events each tile gets.

Utilisation is SOPs / (cycles x tiles x N_Y) = events / (cycles x tiles): a tile
reads one (input, lag) event a cycle. The events of each tile in each step come
from the golden model (trained weights, the test split, the contract's seeds), so
this separates what the cycle contract costs from what the workload allows:

- ``contract``: cycles of the hardware as built (``spinaps.contract.decision_cycles``);
- ``step_synchronous``: a step of every tile ends when its busiest tile has read
  its last event, with no other cycle at all (no encoder floor, no neuron stage,
  no start or drain): the best any design that sums the tiles once a step can do;
- ``free_running``: tiles never wait for each other (unbounded buffers between
  steps): an inference costs its busiest tile's events over all its steps;
- ``*_pairs``: the same two bounds if tiles 2k and 2k+1 each held the other's rows
  too (twice the weight storage), so that a pair reads any of its events on either
  tile, two a cycle: what moving events between tiles would buy;
- ``rows_everywhere``: the cycle contract as built, but with every tile holding every
  row (K times the weight storage) and a step's events dealt evenly, ceil(events / K)
  a tile: perfect balance with the encoder, neuron-stage and start/drain cycles kept;

for every tile map, printed as a table and written as JSON.

    python benchmarks/utilisation_bound.py [--config configs/mnist.yaml] [--weights W.npz] [--n 200]
                                           [--json OUT.json]
"""

import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):  # one core, before NumPy loads
    os.environ[var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from model.data import load_dataset  # noqa: E402
from model.golden import run_golden, tile_mapping  # noqa: E402
from model.weights import load_weights  # noqa: E402
from spinaps.atomic import atomic_write_text  # noqa: E402
from spinaps.config import load_config  # noqa: E402
from spinaps.contract import decision_cycles, image_seeds  # noqa: E402

TILE_MAPS = ("interleaved", "blocked", "balanced")


def _pairs(per_tile: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Events of each pair of tiles (2k, 2k+1) per step, and the pair's size (an odd last tile is alone)."""
    steps, tiles = per_tile.shape
    padded = np.pad(per_tile, ((0, 0), (0, tiles % 2)))
    return padded.reshape(steps, -1, 2).sum(axis=2), np.array([2] * (tiles // 2) + [1] * (tiles % 2))


def bounds(config, golden) -> dict:
    """The utilisations of one golden run (module docstring)."""
    events = cycles = synchronous = free_running = synchronous_pairs = free_running_pairs = everywhere = 0
    for n, steps in enumerate(golden.decision_step.tolist()):
        per_tile = golden.events[n, :steps]                      # (steps, tiles)
        events += int(per_tile.sum())
        cycles += decision_cycles(config, per_tile.max(axis=1).tolist())[-1] + 1
        everywhere += decision_cycles(config, (-(-per_tile.sum(axis=1) // config.tiles)).tolist())[-1] + 1
        synchronous += int(per_tile.max(axis=1).sum())
        free_running += int(per_tile.sum(axis=0).max())
        pairs, size = _pairs(per_tile)
        synchronous_pairs += int(np.ceil(pairs / size).max(axis=1).sum())
        free_running_pairs += int(np.ceil(pairs.sum(axis=0) / size).max())
    return {"events_per_tile_per_step": events / config.tiles / int(golden.decision_step.sum()),
            "decided_by_step_2": float((golden.decision_step <= 2).mean()),
            "contract": events / (cycles * config.tiles),
            "step_synchronous": events / (synchronous * config.tiles),
            "free_running": events / (free_running * config.tiles),
            "step_synchronous_pairs": events / (synchronous_pairs * config.tiles),
            "free_running_pairs": events / (free_running_pairs * config.tiles),
            "rows_everywhere": events / (everywhere * config.tiles)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", metavar="FILE", default=str(ROOT / "configs" / "mnist.yaml"),
                        help="configuration (default: configs/mnist.yaml)")
    parser.add_argument("--weights", metavar="W", help="trained weights (default: build/weights/<config name>.npz)")
    parser.add_argument("--n", type=int, default=200, help="test images (default 200)")
    parser.add_argument("--json", metavar="OUT")
    args = parser.parse_args()
    config = load_config(args.config)
    weights = load_weights(args.weights or ROOT / "build" / "weights" / f"{Path(args.config).stem}.npz", config)
    data = load_dataset(config)
    pixels = data.test_x[:args.n]
    seeds = {name: image_seeds(getattr(config, name), len(pixels), width=config.lfsr_width)
             for name in ("seed_encoder", "seed_spike")}
    rows = {}
    print(f"{data.name}, {config.tiles} tiles, {len(pixels)} test images: utilisation = events / (cycles x tiles)")
    print("| tile map | events a tile a step | decided by step 2 | contract | step-synchronous, no fixed cycles "
          "| free-running tiles | step-synchronous, pairs share rows | free-running, pairs share rows "
          "| contract, every tile holds every row |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for tile_map in TILE_MAPS:
        mapped = config.replace(tile_map=tile_map)
        golden = run_golden(mapped, weights.alpha, weights.bias, pixels, mapping=tile_mapping(mapped, data), **seeds)
        rows[tile_map] = bounds(mapped, golden)
        r = rows[tile_map]
        print(f"| {tile_map} | {r['events_per_tile_per_step']:.1f} | {r['decided_by_step_2']:.0%} | "
              f"{r['contract']:.3f} | {r['step_synchronous']:.3f} | {r['free_running']:.3f} | {r['step_synchronous_pairs']:.3f} | "
              f"{r['free_running_pairs']:.3f} | {r['rows_everywhere']:.3f} |", flush=True)
    if args.json:
        atomic_write_text(args.json, json.dumps({"benchmark": "utilisation_bound", "config": args.config,
                                                 "images": len(pixels), "tiles": config.tiles, "results": rows},
                                                indent=2) + "\n")


if __name__ == "__main__":
    main()
