"""The facts the hardware (``hw/``) and the golden model (``model/``) must share.

``docs/spec.md`` defines each of them in prose and names the function here that
computes it. Everything else — how an LFSR is stepped, how events are found and
accumulated, how a decision is made — is implemented twice, independently, by
``hw/`` and ``model/``, and compared by the tests: a fact placed here is one the
comparison cannot check, so it is kept small and each is tested against the
spec's formula in ``tests/reference.py``. ``hw/`` never imports ``model/`` and
``model/`` never imports ``hw/`` (``tests/test_architecture.py``).
"""

from __future__ import annotations

import math

import numpy as np

from .config import LFSR_TAPS, Config

__all__ = ["LFSR_TAPS", "SEED_SALT", "WRITE_FAILURE_DRAW_BITS", "nonzero_seed", "stream_seed",
           "failure_threshold", "sigmoid_lut", "TILE_MAPS", "tile_map", "input_slots", "macro_row", "macro_contents",
           "pixel_words", "pack_fields",
           "unpack_fields", "abstain_code", "handoff_lead", "step_starts", "decision_cycles", "timing_constants",
           "image_seeds"]

# -- randomness (spec section 5)

#: Odd constant that spreads stream indices (tiles, macros) over the seed space: 2**32 / golden ratio.
SEED_SALT = 0x9E3779B9
#: Bits of one write-failure draw (spec section 8).
WRITE_FAILURE_DRAW_BITS = 16


def nonzero_seed(seed: int, width: int) -> int:
    """The state an LFSR is loaded with for ``seed`` (its low ``width`` bits): 0 would lock it, so 0 loads 1."""
    seed &= (1 << width) - 1
    return seed if seed else 1


def stream_seed(seed: int, index: int, width: int) -> int:
    """Seed of stream ``index`` (a tile's encoder, a macro's write failures) from one seed register value:
    ``nz(seed xor (index * SEED_SALT mod 2**W))``."""
    return nonzero_seed(seed ^ ((index * SEED_SALT) & ((1 << width) - 1)), width)


def failure_threshold(write_error_rate: float) -> int:
    """A cell write fails when its 16-bit draw is below ``floor(write_error_rate * 2**16 + 1/2)``."""
    return math.floor(write_error_rate * (1 << WRITE_FAILURE_DRAW_BITS) + 0.5)


# -- sigmoid LUT (spec section 4)

def sigmoid_lut(config: Config) -> list[int]:
    """LUT contents, the entry of index ``-2**(A-1)`` first: the centre of each index's bin of
    potentials, through the logistic function, in units of ``2**-P``, rounded half up and clamped."""
    half = config.lut_size // 2
    step = 1 << config.lut_shift
    table = []
    for index in range(-half, half):
        centre = (index * step + (step - 1) / 2) * 2.0 ** -config.weight_frac_bits
        prob = 1.0 / (1.0 + math.exp(-centre)) if centre > -700 else 0.0
        table.append(min(max(math.floor(prob * (1 << config.prob_bits) + 0.5), 0), (1 << config.prob_bits) - 1))
    return table


# -- tiles, rows and words (spec section 2)

TILE_MAPS = ("interleaved", "blocked", "balanced")


def tile_map(config: Config, activity=None) -> tuple[tuple[int, ...], ...]:
    """The inputs of each tile, in the order the tile's encoder visits them (local index order).

    ``interleaved``: tile k holds inputs k, k + tiles, ...; ``blocked``: tile k holds the
    contiguous inputs floor(k·N_X/tiles) .. floor((k+1)·N_X/tiles) - 1; ``balanced``: a greedy
    partition of the inputs, taken in order of decreasing mean activity (ties: lower input
    first), each to the tile with room left (at most L = ``inputs_per_tile`` inputs) whose summed
    squared load over the training images grows least (ties: the tile with fewer inputs, then the
    lower tile), so that tiles expect equal events and do not peak on the same images; a tile's
    inputs are then sorted. Every map gives every tile at least one and at most L inputs.

    Arguments
    ---------
    activity : array (images, N_X) or None
        Spike probability of every input on the training images (``pixels / 2**pixel_bits``);
        needed for ``balanced`` only.
    """
    n, tiles, per_tile = config.n_inputs, config.tiles, config.inputs_per_tile
    if config.tile_map == "interleaved":
        return tuple(tuple(range(k, n, tiles)) for k in range(tiles))
    if config.tile_map == "blocked":
        return tuple(tuple(range(k * n // tiles, (k + 1) * n // tiles)) for k in range(tiles))
    if activity is None:
        raise ValueError("tile_map = 'balanced' needs the training set's activity")
    activity = np.asarray(activity, dtype=np.float64)
    if activity.ndim != 2 or activity.shape[1] != n:
        raise ValueError(f"activity has shape {activity.shape}, expected (images, {n})")
    order = sorted(range(n), key=lambda j: (-activity[:, j].mean(), j))
    loads = np.zeros((activity.shape[0], tiles))
    members = [[] for _ in range(tiles)]
    for j in order:
        column = activity[:, j]
        # Growth of sum(load**2) when j joins tile k: sum(2 * load * a + a**2); the a**2 term is the same for all k.
        growth = 2.0 * (column @ loads)
        open_tiles = [k for k in range(tiles) if len(members[k]) < per_tile]
        best = min(open_tiles, key=lambda k: (round(float(growth[k]), 6), len(members[k]), k))
        members[best].append(j)
        loads[:, best] += column
    return tuple(tuple(sorted(m)) for m in members)


def input_slots(mapping) -> dict[int, tuple[int, int]]:
    """``{input j: (tile, local index)}`` of a tile map."""
    return {j: (k, local) for k, inputs in enumerate(mapping) for local, j in enumerate(inputs)}


def macro_row(local: int, lag: int, tau: int) -> int:
    """Row of a tile's macro that holds the weights of its local input ``local`` at ``lag``."""
    return local * tau + lag


def macro_contents(config: Config, mapping, alpha) -> list[list[int]]:
    """Every tile's macro rows for the per-lag kernel ``alpha`` (N_X, tau, N_Y): row
    ``macro_row(l, d)`` of tile k holds the N_Y weights of its local input l at lag d
    (:func:`pack_fields`, B bits each); rows of no input are erased (0)."""
    rows = [[0] * config.rows_per_tile for _ in mapping]
    for k, inputs in enumerate(mapping):
        for local, j in enumerate(inputs):
            for lag in range(config.tau):
                rows[k][macro_row(local, lag, config.tau)] = pack_fields(alpha[j][lag], config.weight_bits)
    return rows


def pixel_words(config: Config, mapping, pixels) -> list[list[int]]:
    """The PIXEL words the host writes for one image: tile k's word m packs the pixels of its local
    inputs m·p .. m·p + p - 1 (p = ``pixels_per_word``, :func:`pack_fields`, ``pixel_bits`` each);
    slots past a tile's inputs are 0."""
    p = config.pixels_per_word
    return [[pack_fields([pixels[j] for j in inputs[w * p:(w + 1) * p]], config.pixel_bits)
             for w in range(config.pixel_words_per_tile)] for inputs in mapping]


def pack_fields(values, bits: int) -> int:
    """Integers (two's complement if negative) into one integer, value i in bits ``[i·bits, i·bits + bits)``.

    The layout of a macro row (N_Y weights of B cells), of a ROW_DATA word and of a PIXEL word."""
    mask = (1 << bits) - 1
    return sum((int(v) & mask) << (i * bits) for i, v in enumerate(values))


def unpack_fields(word: int, bits: int, count: int, *, signed: bool) -> list[int]:
    """Inverse of :func:`pack_fields`."""
    fields = [(word >> (i * bits)) & ((1 << bits) - 1) for i in range(count)]
    if signed:
        fields = [f - (1 << bits) if f >> (bits - 1) else f for f in fields]
    return fields


# -- decisions (spec section 7)

def abstain_code(config: Config) -> int:
    """The class reported when nobody spiked by T_max and the timeout policy is ``abstain``: N_Y."""
    return config.n_outputs


# -- cycles (spec section 9)

def handoff_lead(config: Config) -> int:
    """Cycles from the start of a step's event issue to the hand-off of the previous step's sums:
    the macro's read latency plus the reduction register."""
    return config.read_latency + 1


def step_starts(config: Config, busiest: list[int]) -> list[int]:
    """Cycle (after START) at which each step's event issue starts, for steps 1 .. len(busiest) + 1.

    ``busiest[t-1]`` is E_t, the events of the busiest tile in step t. Step 1 starts in cycle 2
    (START in cycle 0, LFSR load in cycle 1); step t + 1 starts ``max(E_t, Q, G + 2)`` cycles
    after step t (Q: the encoder's cycles a step; G + 2: the neuron stage's cycles per step)."""
    starts = [2]
    floor = max(config.encoder_cycles, config.neuron_groups + 2)
    for events in busiest:
        starts.append(starts[-1] + max(int(events), floor))
    return starts


def decision_cycles(config: Config, busiest: list[int]) -> list[int]:
    """Cycle (after START) in which the decision of each step t = 1 .. len(busiest) is taken:
    the hand-off ``handoff_lead`` cycles after step t + 1 starts, plus G + 2 cycles of the neuron stage.
    CYCLES of an inference decided at step T is ``decision_cycles(...)[T-1] + 1``."""
    starts = step_starts(config, busiest)
    tail = handoff_lead(config) + config.neuron_groups + 2
    return [start + tail for start in starts[1:]]


def timing_constants(config: Config) -> dict:
    """The cycle-level constants ``manifest.json`` carries (spec section 9)."""
    return {
        "first_step_start": 2,
        "encoder_cycles": config.encoder_cycles,
        "neuron_groups": config.neuron_groups,
        "min_step_cycles": max(config.encoder_cycles, config.neuron_groups + 2),
        "handoff_lead": handoff_lead(config),
        "decision_after_handoff": config.neuron_groups + 2,
        "formula": "start[1] = 2; start[t+1] = start[t] + max(E_t, encoder_cycles, neuron_groups + 2); "
                   "decision[t] = start[t+1] + handoff_lead + neuron_groups + 2; CYCLES = decision[T] + 1",
    }


# -- host-side seeds (spec section 10; not hardware)

def image_seeds(base: int, count: int, *, run: int = 0, width: int = 32) -> np.ndarray:
    """One LFSR seed per image for evaluation and testbenches: splitmix64 of
    ``base·0x9E3779B97F4A7C15 + run·2**32 + index + 1`` (mod 2**64), then made non-zero in ``width`` bits."""
    mask64 = (1 << 64) - 1
    seeds = []
    for index in range(count):
        z = (base * 0x9E3779B97F4A7C15 + (run << 32) + index + 1) & mask64
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask64
        seeds.append(nonzero_seed(z ^ (z >> 31), width))
    return np.array(seeds, dtype=np.int64)
