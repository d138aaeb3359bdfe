"""The arithmetic of the benchmarks that state a bound (their figures are in the README)."""

import importlib.util
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from spinaps.config import Config

ROOT = Path(__file__).resolve().parents[1]


def _benchmark(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_utilisation_bounds_on_hand_counted_events():
    bounds = _benchmark("utilisation_bound").bounds
    # 32 inputs a tile, 4 pixels a word: 8 encoder words; G = 2; hand-off lead = read latency 1 + 1.
    config = Config(tiles=2, neuron_lanes=5, read_latency=1)
    # One image decided at step 2 (step 3 never ran); events of tiles 0 and 1 in steps 1, 2, 3.
    golden = SimpleNamespace(events=np.array([[[4, 2], [1, 3], [50, 50]]]), decision_step=np.array([2]))
    figures = bounds(config, golden)
    # 10 events. Contract: step 1 starts in cycle 2, steps last max(E_t, 8 words, G + 2 = 4) = 8 cycles,
    # so step 3 would start in cycle 18; the decision of step 2 is 2 (hand-off) + 4 cycles later, in
    # cycle 24, and CYCLES = 25.
    assert figures["contract"] == pytest.approx(10 / (25 * 2))
    assert figures["rows_everywhere"] == pytest.approx(10 / (25 * 2))     # the encoder's 8 cycles dominate
    assert figures["step_synchronous"] == pytest.approx(10 / ((4 + 3) * 2))
    assert figures["free_running"] == pytest.approx(10 / (5 * 2))      # both tiles read 5 events
    assert figures["events_per_tile_per_step"] == pytest.approx(10 / 2 / 2)
    assert figures["decided_by_step_2"] == 1.0
    late = bounds(config, SimpleNamespace(events=golden.events[[0, 0]], decision_step=np.array([2, 3])))
    assert late["decided_by_step_2"] == 0.5


def test_utilisation_bounds_when_pairs_of_tiles_share_rows():
    bounds = _benchmark("utilisation_bound").bounds
    config = Config(tiles=5, neuron_lanes=5, read_latency=1)
    # Tiles 0-4 in steps 1 and 2 (decided at step 2); pairs (0, 1), (2, 3) and tile 4 alone. 17 events.
    golden = SimpleNamespace(events=np.array([[[6, 0, 1, 0, 2], [0, 0, 4, 2, 2]]]), decision_step=np.array([2]))
    figures = bounds(config, golden)
    # Alone: steps take 6 and 4 cycles (10); tiles read 6, 0, 5, 2, 4 events in all (6).
    assert figures["step_synchronous"] == pytest.approx(17 / (10 * 5))
    assert figures["free_running"] == pytest.approx(17 / (6 * 5))
    # Pairs, two events a cycle: step 1 has 6, 1, 2 -> 3, 1, 2 cycles; step 2 has 0, 6, 2 -> 0, 3, 2 (6 in
    # all); over the inference the pairs read 6, 7, 4 -> 3, 4, 4 cycles (4).
    assert figures["step_synchronous_pairs"] == pytest.approx(17 / (6 * 5))
    assert figures["free_running_pairs"] == pytest.approx(17 / (4 * 5))
    # Contract (13 inputs a tile: W = 4 words; G + 2 = 4): steps cost max(6, 4) and 4 cycles, step 3
    # would start in cycle 12 and step 2 is decided in cycle 18. Every row in every tile: 9 and 10 events
    # dealt 2 a tile, steps cost 4 and 4, decided in cycle 16.
    assert figures["contract"] == pytest.approx(17 / (19 * 5))
    assert figures["rows_everywhere"] == pytest.approx(17 / (17 * 5))
