"""``python -m verif.soak``: a random regression of the generated accelerator against the golden model.

    python -m verif.soak [--trials 10000] [--images 100] [--seed S] [--workers 2] [--out build/soak]
                         [--sim verilator|icarus] [--rerun SEED]

Draws configurations at random within the validated ranges (:func:`random_config`), each with
its own seed; the seed alone regenerates the configuration and all of its stimulus
(:func:`soak_plan`: weights, images, register settings, AXI stalls, resets in the middle of
inferences, bad bus accesses). Each configuration is generated with the trace port, built and
run through the cocotb module ``verif/test_soak.py``, which compares every (image, configuration)
trial with the golden model step by step, neuron by neuron and tile by tile (``verif.bench``) and
records what it exercised (the coverage bins of :data:`BINS`). Configurations run in parallel
(a process pool); each worker reuses one build directory, so Verilator's runtime objects are
compiled once per worker.

Every design is also linted (``verilator --lint-only -Wall``; a warning fails its configuration).
Writes ``OUT/summary.json`` and ``OUT/coverage.md`` and exits 1 if a trial mismatched, a
configuration crashed or failed a check, or a coverage bin was never hit (``--rerun`` checks the
one configuration only). Every failure is listed with the one command that reruns it.
"""

from __future__ import annotations

import contextlib
import json
import math
import multiprocessing
import os
import resource
import shutil
import sys
import time
import traceback
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from spinaps.atomic import atomic_write_text
from spinaps.cli import ArgumentParser, VerificationError, check_count, run_cli
from spinaps.config import MAX_ROW_BITS, MAX_ROWS_PER_TILE, Config
from spinaps.contract import image_seeds, sigmoid_lut
from spinaps.regmap import CTRL_BITS, register_map

__all__ = ["BINS", "random_config", "soak_plan", "SoakPlan", "config_bins", "run_configuration", "main"]

PROG = "python -m verif.soak"
ROOT = Path(__file__).resolve().parents[1]

#: Coverage bins: name -> what hits it. Trial bins count (image, configuration) trials, bus bins
#: count accesses or events, configuration bins count configurations that ran.
BINS: dict[str, str] = {
    "tie_lowest_index": "≥ 2 outputs spike at the decision step, tie policy lowest_index (trials)",
    "tie_max_potential": "≥ 2 outputs spike at the decision step, tie policy max_potential (trials)",
    "timeout_abstain": "nobody spiked by T_max, timeout policy abstain (trials)",
    "timeout_argmax_potential": "nobody spiked by T_max, timeout policy argmax_potential (trials)",
    "abstention": "RESULT_CLASS = N_Y read from the hardware (trials)",
    "decision_step_1": "decided at step 1 (trials)",
    "decision_at_t_max": "decided at step T_max, by a spike or a timeout (trials)",
    "t_max_1": "T_MAX = 1 (trials)",
    "lut_saturated_low": "LUT index clamped to -2^(A-1) in an evaluated step (trials)",
    "lut_saturated_high": "LUT index clamped to 2^(A-1)-1 in an evaluated step (trials)",
    "zero_image": "an all-zero image: no events (trials)",
    "axi_stalls": "trials run with random AXI stalls (trials)",
    "write_retries_used": "WRITE_RETRIES > 0 after programming, equal to the model's (configurations)",
    "retries_exhausted": "a row failed after all retries: WRITE_FAILURES > 0 and the sticky WRITE_ERROR, "
                         "then cleared (configurations)",
    "program_bus": "weights programmed over AXI4-Lite with write-verify (configurations)",
    "program_preloaded": "weights generated into the macros, spot-checked by read-back (configurations)",
    "slverr_unmapped": "SLVERR: address not in the register map (accesses)",
    "slverr_misaligned": "SLVERR: misaligned address (accesses)",
    "slverr_partial_strobe": "SLVERR: write with a partial strobe (accesses)",
    "slverr_write_ro": "SLVERR: write to an RO register (accesses)",
    "slverr_read_wo": "SLVERR: read of a WO register (accesses)",
    "slverr_field_range": "SLVERR: a field out of its range (accesses)",
    "slverr_stray_bits": "SLVERR: bits outside every field (accesses)",
    "slverr_locked_busy": "SLVERR: locked register written while BUSY or PROG_BUSY (accesses)",
    "slverr_start_busy": "SLVERR: CTRL.START while BUSY or PROG_BUSY (accesses)",
    "slverr_invalid_busy": "SLVERR: invalid write while BUSY, not counted as refused (accesses)",
    "refused_writes_counted": "REFUSED_WRITES read back with the refused writes counted (checks)",
    "reset_mid_inference": "reset in the middle of an inference, then a bit-exact inference (resets)",
    "lint_clean": "the generated Verilog passes verilator --lint-only -Wall (configurations)",
    "tile_map_interleaved": "tile_map interleaved (configurations)",
    "tile_map_blocked": "tile_map blocked (configurations)",
    "tile_map_balanced": "tile_map balanced (configurations)",
    "lanes_1": "one neuron lane (configurations)",
    "lanes_all": "lanes = N_Y: one group (configurations)",
    "lanes_partial_group": "N_Y not a multiple of the lanes (configurations)",
    "lfsr_16": "16-bit LFSRs (configurations)",
    "lfsr_24": "24-bit LFSRs (configurations)",
    "lfsr_32": "32-bit LFSRs (configurations)",
    "tiles_not_dividing": "tiles do not divide N_X (configurations)",
    "tiles_1": "one tile (configurations)",
    "pixel_bits_16": "16-bit pixels, 2 a word (configurations)",
    "encoder_rows": "the encoder reads several pixel words a cycle (configurations)",
    "pixel_banks_2": "two pixel banks (configurations)",
    "image_preloaded": "the next image written into the other pixel bank while an inference ran (trials)",
}

#: Images a configuration runs by default; configurations = ceil(trials / images).
DEFAULT_IMAGES = 100


# -- configurations

def _pick(rng, values):
    return values[int(rng.integers(len(values)))]


def _log_uniform(rng, lo: int, hi: int) -> int:
    """An integer in lo..hi, uniform in log scale (small values as likely as large ones)."""
    return min(hi, max(lo, int(math.exp(rng.uniform(math.log(lo), math.log(hi + 1))))))


def random_config(rng: np.random.Generator, *, wide: bool = False) -> Config:
    """A random valid configuration (``dataset: random``).

    The default ranges keep designs small enough that a Verilator build takes seconds: N_X ≤ 40,
    N_Y ≤ 16, τ ≤ 8, tiles ≤ 8, B ≤ 8; every other field spans its whole range or the part that
    matters (T_max 1 … 40, write latency ≤ 16, write errors with enough and with too few retries).
    ``wide`` draws every field over its whole range (sizes log-uniform, bounded only by the
    configuration's own limits), for elaboration tests.
    """
    width = _pick(rng, (16, 24, 32))
    errors = rng.random() < 0.3
    if wide:
        n_outputs = _log_uniform(rng, 2, 256)
        n_inputs = _log_uniform(rng, 1, 4096)
        tau = _log_uniform(rng, 1, 32)
    elif errors:   # write-verify with failures costs N_Y·B + 1 cycles a write: smaller macros
        n_outputs, n_inputs, tau = int(rng.integers(2, 9)), int(rng.integers(1, 17)), int(rng.integers(1, 5))
    else:
        n_outputs, n_inputs, tau = int(rng.integers(2, 17)), int(rng.integers(1, 41)), int(rng.integers(1, 9))
    weight_bits = int(rng.integers(2, min(16 if wide else 6 if errors else 8, MAX_ROW_BITS // n_outputs) + 1))
    lo_tiles = -(-n_inputs // (MAX_ROWS_PER_TILE // tau))
    hi_tiles = min(64 if wide else 8, n_inputs)
    tiles = int(rng.integers(lo_tiles, hi_tiles + 1))
    odd = [k for k in range(lo_tiles, hi_tiles + 1) if n_inputs % k]
    if odd and rng.random() < 0.5:
        tiles = _pick(rng, odd)
    lanes = _pick(rng, (1, n_outputs, int(rng.integers(1, n_outputs + 1)),
                        min(256, n_outputs + int(rng.integers(1, 9)))))
    pixel_bits = int(rng.integers(1, 17))
    if errors:
        rate = float(np.round(rng.uniform(0.02, 0.5), 3))
        retries = int(rng.integers(6, 16)) if rng.random() < 0.5 else int(rng.integers(0, 3))
    else:
        rate, retries = 0.0, int(rng.integers(0, 16))
    t_max = 1 if rng.random() < 0.08 else int(rng.integers(2, 9)) if rng.random() < 0.4 else int(rng.integers(2, 41))
    if wide:
        t_max = int(rng.integers(1, 256))
    # The LUT spans potentials of ±2^(A-1+S-F) (real): mostly a useful span (±4 .. ±64, as trained
    # designs have), sometimes anything (all outputs certain to spike, or never).
    address, shift = int(rng.integers(2, 13)), int(rng.integers(0, 17) if rng.random() < 0.3 else rng.integers(0, 7))
    span = address - 1 + shift
    frac = int(rng.integers(min(16, max(0, span - 6)), min(16, max(0, span - 2)) + 1)) if rng.random() < 0.75 \
        else int(rng.integers(0, 17))
    # Biases mostly reach ±8 (real) or further, so that an output can be made unlikely to spike.
    bias_bits = int(rng.integers(min(24, frac + 4), 25)) if rng.random() < 0.8 else int(rng.integers(2, 25))
    seed = lambda: int(rng.integers(1, 1 << width))  # noqa: E731
    return Config(
        dataset="random", n_inputs=n_inputs, n_outputs=n_outputs, pixel_bits=pixel_bits, tau=tau,
        n_basis=int(rng.integers(1, tau + 1)), weight_bits=weight_bits,
        weight_frac_bits=frac, bias_bits=bias_bits, lut_addr_bits=address, lut_shift=shift,
        prob_bits=int(rng.integers(1, 17)),
        lfsr_width=width, seed_encoder=seed(), seed_spike=seed(), t_max=t_max,
        tie_policy=_pick(rng, ("lowest_index", "max_potential")),
        timeout_policy=_pick(rng, ("abstain", "argmax_potential")),
        tiles=tiles, tile_map=_pick(rng, ("interleaved", "blocked", "balanced")), neuron_lanes=lanes,
        read_latency=int(rng.integers(1, 9)), write_latency=int(rng.integers(1, (64 if wide else 16) + 1)),
        write_error_rate=rate, write_retries=retries, write_error_seed=seed(),
        encoder_words=_pick(rng, (1, 2, 4, 8)),      # drawn last: the fields above keep their earlier draws
        pixel_banks=_pick(rng, (1, 2)))


def config_bins(config: Config) -> Counter:
    """The configuration-level coverage bins a configuration hits."""
    hits = Counter({f"tile_map_{config.tile_map}": 1, f"lfsr_{config.lfsr_width}": 1})
    hits["lanes_1"] += config.lanes == 1
    hits["lanes_all"] += config.lanes == config.n_outputs
    hits["lanes_partial_group"] += config.n_outputs % config.lanes != 0
    hits["tiles_not_dividing"] += config.n_inputs % config.tiles != 0
    hits["tiles_1"] += config.tiles == 1
    hits["pixel_bits_16"] += config.pixel_bits == 16
    hits["encoder_rows"] += config.pixel_row_words > 1
    hits["pixel_banks_2"] += config.pixel_banks == 2
    return +hits


def describe(config: Config) -> str:
    """One line: the fields that shape a design."""
    c = config
    errors = f", write errors {c.write_error_rate} x{c.write_retries} retries" if c.write_error_rate else ""
    return (f"N_X {c.n_inputs}, N_Y {c.n_outputs}, {c.tiles} tiles {c.tile_map}, tau {c.tau}, "
            f"B {c.weight_bits}.{c.weight_frac_bits}, "
            f"bias {c.bias_bits}, LUT {c.lut_addr_bits}>>{c.lut_shift}, P {c.prob_bits}, pixels {c.pixel_bits}, "
            f"LFSR {c.lfsr_width}, T_max {c.t_max}, {c.tie_policy}/{c.timeout_policy}, lanes {c.lanes}, "
            f"R {c.read_latency}, encoder words {c.encoder_words}, pixel banks {c.pixel_banks}{errors}")


# -- stimulus

@dataclass
class Block:
    """Images start .. stop-1 run with these register settings (T_MAX, POLICY, BIAS)."""
    start: int
    stop: int
    t_max: int
    tie_policy: str
    timeout_policy: str
    bias: np.ndarray

    def config(self, config: Config) -> Config:
        return config.replace(t_max=self.t_max, tie_policy=self.tie_policy, timeout_policy=self.timeout_policy)

    @property
    def policy(self) -> int:
        return int(self.tie_policy == "max_potential") | int(self.timeout_policy == "argmax_potential") << 1


@dataclass
class BadAccess:
    """One access that must answer SLVERR. ``op`` is "read" or "write"; ``data`` the bytes written
    (fewer than 4: a partial strobe); ``cause`` the coverage bin it hits."""
    cause: str
    op: str
    address: int
    data: bytes = b""


@dataclass
class SoakPlan:
    """Everything one configuration of the soak runs, regenerated from its seed alone."""
    seed: int
    images: int
    config: Config
    program: str                       # "bus" or "preloaded"
    alpha: np.ndarray
    bias: np.ndarray
    stall: float                       # probability of a stall per AXI channel and cycle (0: none)
    pixels: np.ndarray
    seeds_encoder: np.ndarray
    seeds_spike: np.ndarray
    blocks: list[Block]
    resets: dict[int, float] = field(default_factory=dict)       # image -> where in the inference (0..1)
    during: dict[int, list] = field(default_factory=dict)        # image -> [(name, index, value, cause)]
    idle: dict[int, list] = field(default_factory=dict)          # image -> [BadAccess] before it
    program_refused: dict[int, tuple] = field(default_factory=dict)  # row number -> (name, index, value, cause)
    readback: list[int] = field(default_factory=list)            # row numbers read back after programming


def _network(config: Config, rng):
    """Random weights: sparse, dense or saturating (all-max / all-min rows and outputs), and biases."""
    c = config
    shape = (c.n_inputs, c.tau, c.n_outputs)
    style = _pick(rng, ("sparse", "dense", "saturating", "mixed"))
    density = rng.uniform(0.02, 0.25) if style == "sparse" else rng.uniform(0.3, 1.0)
    alpha = rng.integers(c.weight_min, c.weight_max + 1, shape) * (rng.random(shape) < density)
    if style in ("saturating", "mixed"):
        rows = rng.random(shape[:2])
        p = rng.uniform(0.05, 0.5)
        alpha[rows < p / 2] = c.weight_max
        alpha[(rows >= p / 2) & (rows < p)] = c.weight_min
        for i in range(c.n_outputs):
            if rng.random() < 0.2:
                alpha[:, :, i] = _pick(rng, (c.weight_min, c.weight_max))
    return alpha.astype(np.int64), _biases(config, rng)


def _quiet_bias(config: Config, rng) -> int:
    """A bias whose spike probability (the LUT at the bias alone: step 1) is at most a few per cent,
    so that the inputs, not the bias, decide when an output spikes."""
    c = config
    lut, half = sigmoid_lut(c), c.lut_size // 2
    target = rng.uniform(0, 0.02) * (1 << c.prob_bits)
    quiet = [k - half for k in range(c.lut_size) if lut[k] <= target]
    index = max(quiet) if quiet else -half
    lo = c.bias_min if index == -half else index << c.lut_shift
    hi = ((index + 1) << c.lut_shift) - 1
    lo, hi = max(lo, c.bias_min), min(hi, c.bias_max)
    return int(rng.integers(lo, hi + 1)) if lo <= hi else (c.bias_min if hi < c.bias_min else c.bias_max)


def _biases(config: Config, rng) -> np.ndarray:
    c = config
    one = 1 << c.weight_frac_bits
    style = _pick(rng, ("quiet",) * 10 + ("moderate", "low", "full", "extreme", "high"))
    if style == "quiet":
        return np.array([_quiet_bias(c, rng) for _ in range(c.n_outputs)], dtype=np.int64)
    if style == "moderate":
        lo, hi = max(c.bias_min, -4 * one), min(c.bias_max, one)
    elif style == "low":
        lo, hi = c.bias_min, min(c.bias_max, max(c.bias_min, -6 * one))
    elif style == "high":
        lo, hi = max(c.bias_min, min(c.bias_max, 2 * one)), c.bias_max
    else:
        lo, hi = c.bias_min, c.bias_max
    bias = rng.integers(lo, hi + 1, c.n_outputs)
    if style == "extreme":
        bias = np.array([_pick(rng, (c.bias_min, c.bias_max, 0, int(b))) for b in bias])
    return bias.astype(np.int64)


def _pixels(config: Config, rng, count: int) -> np.ndarray:
    c = config
    top = (1 << c.pixel_bits) - 1
    images = np.zeros((count, c.n_inputs), dtype=np.int64)
    for n in range(count):
        style = _pick(rng, ("uniform", "uniform", "sparse", "dim", "bright", "zero", "full"))
        if style == "uniform":
            images[n] = rng.integers(0, top + 1, c.n_inputs)
        elif style == "sparse":
            images[n] = np.where(rng.random(c.n_inputs) < 0.2, rng.integers(0, top + 1, c.n_inputs), 0)
        elif style == "dim":
            images[n] = rng.integers(0, max(1, top // 8) + 1, c.n_inputs)
        elif style == "bright":
            images[n] = rng.integers(top - top // 8, top + 1, c.n_inputs)
        elif style == "full":
            images[n] = top
    return images


def _field_value(f, rng) -> int:
    """A random in-range value of a field, as raw bits."""
    value = int(rng.integers(f.lo, f.hi + 1))
    return value & ((1 << f.width) - 1)


def _valid_word(register, rng, config: Config | None = None) -> int:
    """A random value every field of ``register`` accepts (PROG_ROW: a row that exists)."""
    word = 0
    for f in register.fields:
        value = _field_value(f, rng)
        if register.name == "PROG_ROW" and f.name == "row" and config is not None:
            value = int(rng.integers(0, config.rows_per_tile))
        word |= value << f.lsb
    return word


def _invalid_words(register, rng) -> list[tuple[str, int]]:
    """Values of ``register`` that break one rule: ``(cause, value)`` for a field out of its range
    (other fields valid) and for a stray bit outside every field."""
    found = []
    base = _valid_word(register, rng)
    for f in register.fields:
        raw_lo = -(1 << (f.width - 1)) if f.signed else 0
        raw_hi = (1 << (f.width - 1)) - 1 if f.signed else (1 << f.width) - 1
        bad = ([f.lo - 1] if f.lo > raw_lo else []) + ([f.hi + 1] if f.hi < raw_hi else [])
        if f.lo > raw_lo + 1:
            bad.append(int(rng.integers(raw_lo, f.lo)))
        if f.hi < raw_hi - 1:
            bad.append(int(rng.integers(f.hi + 1, raw_hi + 1)))
        for value in bad:
            cleared = base & ~(((1 << f.width) - 1) << f.lsb)
            found.append(("slverr_field_range", cleared | (value & ((1 << f.width) - 1)) << f.lsb))
    stray = [b for b in range(32) if register.unused_bits >> b & 1]
    if stray:
        found.append(("slverr_stray_bits", base | 1 << _pick(rng, stray)))
    return found


def _bad_accesses(config: Config, rng, count: int) -> list[BadAccess]:
    """``count`` accesses that must answer SLVERR while the core is idle, each for one cause."""
    regs = register_map(config)
    used = {r.offset + 4 * i for r in regs for i in range(r.count)}
    holes = [r.offset + 4 * i for r in regs if r.count > 1 for i in range(r.count, r.size // 4)]
    readable = [r for r in regs if r.access != "WO"]
    writable = [r for r in regs if r.access != "RO"]
    accesses = []
    while len(accesses) < count:
        cause = _pick(rng, ("slverr_unmapped", "slverr_misaligned", "slverr_partial_strobe", "slverr_write_ro",
                            "slverr_read_wo", "slverr_invalid"))
        op = _pick(rng, ("read", "write"))
        if cause == "slverr_unmapped":
            if holes and rng.random() < 0.4:
                address = _pick(rng, holes)
            else:
                address = 4 * int(rng.integers(0, 1 << 14))
                if address in used:
                    continue
            data = int(rng.integers(0, 1 << 32)).to_bytes(4, "little")
            accesses.append(BadAccess(cause, op, address, data if op == "write" else b""))
        elif cause == "slverr_misaligned":   # a read at a misaligned address (cocotbext-axi aligns write strobes)
            r = _pick(rng, readable)
            address = r.offset + 4 * int(rng.integers(0, r.count)) + int(rng.integers(1, 4))
            accesses.append(BadAccess(cause, "read", address))
        elif cause == "slverr_partial_strobe":
            r = _pick(rng, writable)
            nbytes = int(rng.integers(1, 4))
            value = _valid_word(r, rng, config) & ((1 << 8 * nbytes) - 1)
            if not r.write_ok(value) or (r.name == "PROG_ROW" and value & 0xFFFF >= config.rows_per_tile):
                continue
            address = r.offset + 4 * int(rng.integers(0, r.count))
            accesses.append(BadAccess(cause, "write", address, value.to_bytes(nbytes, "little")))
        elif cause == "slverr_write_ro":
            r = _pick(rng, [r for r in regs if r.access == "RO"])
            accesses.append(BadAccess(cause, "write", r.offset + 4 * int(rng.integers(0, r.count)),
                                      int(rng.integers(0, 1 << 32)).to_bytes(4, "little")))
        elif cause == "slverr_read_wo":
            r = _pick(rng, [r for r in regs if r.access == "WO"])
            accesses.append(BadAccess(cause, "read", r.offset + 4 * int(rng.integers(0, r.count))))
        else:
            r = _pick(rng, writable)
            options = _invalid_words(r, rng)
            if not options:
                continue
            why, value = _pick(rng, options)
            assert not r.write_ok(value), (r.name, hex(value))
            accesses.append(BadAccess(why, "write", r.offset + 4 * int(rng.integers(0, r.count)),
                                      value.to_bytes(4, "little")))
    return accesses


def _locked_writes(config: Config, rng, count: int, *, start: bool, invalid: bool) -> list[tuple]:
    """Writes ``(name, index, value, cause)`` that a busy core must refuse: valid values of locked
    registers (counted in REFUSED_WRITES), a CTRL.START (counted) and, with ``invalid``, an invalid
    value (SLVERR for its value, not counted)."""
    regs = register_map(config)
    locked = [r for r in regs if r.locked]
    writes = []
    for _ in range(count):
        kind = rng.random()
        if start and kind < 0.3:
            value = 1 << CTRL_BITS["START"] | int(rng.integers(0, 2)) << CTRL_BITS["CLEAR_DONE"]
            writes.append(("CTRL", 0, value, "slverr_start_busy"))
        elif invalid and kind < 0.45:
            r = _pick(rng, locked)
            options = _invalid_words(r, rng)
            if options:
                writes.append((r.name, int(rng.integers(0, r.count)), _pick(rng, options)[1], "slverr_invalid_busy"))
        else:
            r = _pick(rng, locked)
            writes.append((r.name, int(rng.integers(0, r.count)), _valid_word(r, rng, config), "slverr_locked_busy"))
    return writes


def soak_plan(seed: int, images: int) -> SoakPlan:
    """The configuration of ``seed`` and all of its stimulus, for ``images`` images."""
    rng = np.random.default_rng(seed)
    config = random_config(rng)
    c = config
    program = "bus" if c.write_error_rate > 0 or rng.random() < 0.5 else "preloaded"
    alpha, bias = _network(c, rng)
    stall = 0.0 if rng.random() < 0.4 else float(np.round(rng.uniform(0.1, 0.5), 2))
    pixels = _pixels(c, rng, images)
    seeds = []
    for _ in range(2):
        values = image_seeds(int(rng.integers(0, 1 << 32)), images, width=c.lfsr_width)
        values[rng.random(images) < 0.03] = 0          # a zero seed loads 1
        seeds.append(values)
    # Register settings: the configuration's for the first block, random ones after it.
    cuts = sorted({0, images, *(int(x) for x in rng.integers(1, max(2, images), int(rng.integers(0, 4))))})
    blocks = []
    for b, (start, stop) in enumerate(zip(cuts, cuts[1:])):
        if b == 0:
            blocks.append(Block(start, stop, c.t_max, c.tie_policy, c.timeout_policy, bias))
        else:
            t_max = 1 if rng.random() < 0.1 else int(rng.integers(1, 41))
            blocks.append(Block(start, stop, t_max, _pick(rng, ("lowest_index", "max_potential")),
                                _pick(rng, ("abstain", "argmax_potential")), _biases(c, rng)))
    plan = SoakPlan(seed=seed, images=images, config=c, program=program, alpha=alpha, bias=bias, stall=stall,
                    pixels=pixels, seeds_encoder=seeds[0], seeds_spike=seeds[1], blocks=blocks)
    for n in range(images):
        if rng.random() < 0.02:
            plan.resets[n] = float(rng.random())
        if rng.random() < 0.05:
            plan.during[n] = _locked_writes(c, rng, int(rng.integers(1, 3)), start=True, invalid=True)
        if n == 0 or rng.random() < 0.03:
            plan.idle[n] = _bad_accesses(c, rng, int(rng.integers(2, 7)))
    if images and not plan.resets:
        plan.resets[int(rng.integers(0, images))] = float(rng.random())
    rows = c.n_inputs * c.tau
    if program == "bus":
        # A refused write while PROG_BUSY needs a program long enough to be certainly still running.
        attempt = (max(c.write_latency, c.row_bits + 1) if c.write_error_rate else c.write_latency) + c.read_latency + 2
        if attempt >= 6:
            for row in rng.choice(rows, size=min(rows, 2), replace=False):
                plan.program_refused[int(row)] = _locked_writes(c, rng, 1, start=True, invalid=False)[0]
    plan.readback = sorted(int(r) for r in rng.choice(rows, size=min(rows, 3), replace=False))
    return plan


def cycle_budget(plan: SoakPlan) -> int:
    """Clock cycles the whole test of ``plan`` needs at most, generously (a hung design or bus must
    end the test, not the soak): every image at its block's T_max with the busiest tile full, every
    row programmed with every retry, every bus access stalled."""
    c = plan.config
    step = max(c.rows_per_tile, c.pixel_words_per_tile, c.neuron_groups + 2)
    tail = c.read_latency + c.neuron_groups + 16
    bus = 40 * (c.tiles * c.pixel_words_per_tile + c.n_outputs + 60)
    images = sum((b.stop - b.start) * (b.t_max * step + tail + bus) for b in plan.blocks)
    write = max(c.write_latency, c.row_bits + 1) if c.write_error_rate else c.write_latency
    rows = c.n_inputs * c.tau * ((c.write_retries + 1) * (write + c.read_latency + 2) + 400)
    resets = len(plan.resets) * (64 * step + bus + 400)
    return 4 * (images + rows + resets) + 200_000


# -- running one configuration

def _cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@contextlib.contextmanager
def _redirected(log: Path):
    """Send this process's stdout and stderr (and its simulators') to ``log``."""
    sys.stdout.flush(), sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with open(log, "a") as f:
        os.dup2(f.fileno(), 1), os.dup2(f.fileno(), 2)
    try:
        yield
    finally:
        sys.stdout.flush(), sys.stderr.flush()
        os.dup2(saved[0], 1), os.dup2(saved[1], 2)
        os.close(saved[0]), os.close(saved[1])


def rerun_command(seed: int, *, images: int, sim: str) -> str:
    extra = "" if images == DEFAULT_IMAGES else f" --images {images}"
    return f"{PROG} --rerun {seed}{extra} --sim {sim}"


def run_configuration(seed: int, *, images: int, sim: str, out: str | Path, slot: int = 0) -> dict:
    """Generate, build and run configuration ``seed`` (``verif/test_soak.py``); what happened, as JSON data.

    Never raises: a crash (generation, build, a failed check) is reported in ``error``."""
    from model.weights import Weights, save_weights

    from .runner import run_cocotb
    from .tools import lint

    started, cpu = time.perf_counter(), _cpu_seconds()
    out = Path(out).resolve()
    result = {"seed": seed, "config": None, "description": "", "trials": 0, "steps": 0, "mismatched": [],
              "problems": [], "coverage": {}, "error": None, "rerun": rerun_command(seed, images=images, sim=sim)}
    try:
        plan = soak_plan(seed, images)
        result["config"], result["description"] = plan.config.to_dict(), describe(plan.config)
        work = out / "work" / f"slot{slot}"
        work.mkdir(parents=True, exist_ok=True)
        weights = None
        if plan.program == "preloaded":
            weights = work / "weights.npz"
            save_weights(weights, Weights(alpha=plan.alpha, bias=plan.bias, config=plan.config))
        results = work / sim / "results.json"
        results.unlink(missing_ok=True)
        try:
            with _redirected(work / "log.txt"):
                run_cocotb(sim=sim, config=plan.config, name=f"slot{slot}", testcase="soak",
                           test_module="verif.test_soak", weights=weights, program=plan.program, images=images,
                           seed=seed, trace=True, out_root=out / "work", quick_build=True,
                           runtime_cache=work / "verilator-runtime")
        except VerificationError as e:
            result["error"] = str(e)
        if results.is_file():
            data = json.loads(results.read_text())
            for key in ("trials", "steps", "mismatched", "problems", "coverage"):
                result[key] = data[key]
            if data.get("error"):
                result["error"] = data["error"]
        elif result["error"] is None:
            result["error"] = "the cocotb test wrote no results"
        if result["error"] and not result["mismatched"] and not result["problems"]:
            result["problems"].append(result["error"])
        verilog = work / sim / "gen" / f"{plan.config.top_name}.v"
        complaints = lint(verilog) if verilog.is_file() else "no Verilog was generated"
        if complaints:
            result["problems"].append("verilator --lint-only -Wall: " + complaints.splitlines()[0][:300])
        if result["trials"]:
            result["coverage"] = dict(Counter(result["coverage"]) + config_bins(plan.config) +
                                      Counter({"lint_clean": int(not complaints)}))
    except Exception as e:   # a crash of this configuration is a result, not the end of the soak
        result["error"] = f"{type(e).__name__}: {e}".splitlines()[0]
        result["problems"].append(result["error"])
        result["traceback"] = traceback.format_exc()[-4000:]
    result["wall_seconds"] = time.perf_counter() - started
    result["cpu_seconds"] = _cpu_seconds() - cpu
    return result


_SLOT = None


def _init_worker(counter):
    """Pool worker: a slot of its own (its build directory)."""
    global _SLOT
    with counter.get_lock():
        _SLOT = counter.value
        counter.value += 1


def _run_in_worker(seed, images, sim, out):
    return run_configuration(seed, images=images, sim=sim, out=out, slot=_SLOT)


def configuration_seeds(seed: int, count: int) -> list[int]:
    """The seeds of the soak's configurations: a function of the soak's seed only."""
    return [int(s) for s in np.random.default_rng(seed).integers(1, 1 << 31, count)]


def _parallel(seeds, *, images, sim, out, workers):
    """Yield each configuration's result as it finishes."""
    if workers == 1:   # in this process (the tests inject faults into it)
        for seed in seeds:
            yield run_configuration(seed, images=images, sim=sim, out=out, slot=0)
        return
    context = multiprocessing.get_context("spawn")
    counter = context.Value("i", 0)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker,
                             initargs=(counter,)) as pool:
        futures = [pool.submit(_run_in_worker, seed, images, sim, str(out)) for seed in seeds]
        for future in as_completed(futures):
            yield future.result()


# -- the report

def coverage_markdown(coverage: Counter, configurations: Counter) -> str:
    lines = ["| bin | what | count | configurations |", "|---|---|---:|---:|"]
    for name, what in BINS.items():
        mark = "" if coverage[name] else " **never hit**"
        lines.append(f"| `{name}` | {what} | {coverage[name]}{mark} | {configurations[name]} |")
    return "\n".join(lines) + "\n"


def summarise(results: list[dict], *, seed, images, sim, workers, wall, cpu, rerun) -> dict:
    coverage, hit_by = Counter(), Counter()
    for r in results:
        coverage.update(r["coverage"])
        hit_by.update(name for name, count in r["coverage"].items() if count)
    mismatches = [{"seed": r["seed"], "image": m["image"], "messages": m["messages"][:5], "rerun": r["rerun"]}
                  for r in results for m in r["mismatched"]]
    crashes = [{"seed": r["seed"], "problems": r["problems"][:5], "rerun": r["rerun"],
                **({"traceback": r["traceback"]} if "traceback" in r else {})}
               for r in results if r["problems"]]
    unhit = [] if rerun else [name for name in BINS if not coverage[name]]
    return {
        "passed": not mismatches and not crashes and not unhit,
        "trials": sum(r["trials"] for r in results), "configurations": len(results),
        "steps_compared": sum(r["steps"] for r in results),
        "images_per_configuration": images, "seed": seed, "rerun": rerun, "simulator": sim, "workers": workers,
        "mismatched_trials": len(mismatches), "mismatches": mismatches[:200],
        "failed_configurations": len(crashes), "failures": crashes,
        "wall_seconds": round(wall, 1), "cpu_seconds": round(cpu, 1),
        "cpu_seconds_in_configurations": round(sum(r["cpu_seconds"] for r in results), 1),
        "coverage": {name: coverage[name] for name in BINS}, "configurations_hitting": {n: hit_by[n] for n in BINS},
        "unhit_bins": unhit,
        "per_configuration": [{"seed": r["seed"], "trials": r["trials"], "steps": r["steps"],
                               "description": r["description"], "wall_seconds": round(r["wall_seconds"], 1),
                               "cpu_seconds": round(r["cpu_seconds"], 1),
                               "ok": not r["problems"] and not r["mismatched"],
                               "coverage": r["coverage"], "rerun": r["rerun"]} for r in results],
    }, coverage, hit_by


# -- command line

def _parser():
    parser = ArgumentParser(prog=PROG, description="Random regression: random configurations and stimulus, every "
                            "trial compared with the golden model per step, neuron and tile; coverage bins; exit 1 "
                            "on a mismatch, a crash or a bin never hit.")
    parser.add_argument("--trials", type=int, default=10_000, metavar="N",
                        help="(image, configuration) trials (default: 10000)")
    parser.add_argument("--images", type=int, default=DEFAULT_IMAGES, metavar="N",
                        help=f"images per configuration; configurations = ceil(trials / images) "
                             f"(default: {DEFAULT_IMAGES})")
    parser.add_argument("--seed", type=int, default=1, metavar="S", help="seed of the configuration seeds (default: 1)")
    parser.add_argument("--workers", type=int, default=2, metavar="N",
                        help="configurations simulated at once (default: 2; 1 runs in this process)")
    parser.add_argument("--out", default="build/soak", metavar="DIR", help="output directory (default: build/soak)")
    parser.add_argument("--sim", choices=("verilator", "icarus"), default="verilator",
                        help="simulator (default: verilator)")
    parser.add_argument("--rerun", type=int, metavar="SEED",
                        help="run the one configuration of this seed (as printed) with its stimulus, and nothing else")
    return parser


def _main(argv=None):
    args = _parser().parse_args(argv)
    check_count("--trials", args.trials, 1, 10_000_000)
    check_count("--images", args.images, 1, 100_000)
    check_count("--workers", args.workers, 1, 64)
    check_count("--seed", args.seed, 0, 2**63 - 1)
    if args.rerun is not None:
        check_count("--rerun", args.rerun, 0, 2**63 - 1)
        seeds, workers = [args.rerun], 1
    else:
        seeds, workers = configuration_seeds(args.seed, -(-args.trials // args.images)), args.workers
    out = Path(args.out if args.rerun is None else Path(args.out) / f"rerun-{args.rerun}")
    shutil.rmtree(out / "work", ignore_errors=True)     # build directories and runtime objects of this run only
    out.mkdir(parents=True, exist_ok=True)
    from tqdm import tqdm

    started, cpu = time.perf_counter(), _cpu_seconds()
    results = []
    print(f"{PROG}: {len(seeds)} configuration(s) x {args.images} images on {args.sim}, {workers} worker(s), "
          f"seed {args.seed if args.rerun is None else args.rerun}; work in {out}", flush=True)
    with tqdm(total=len(seeds) * args.images, unit="trial", desc="soak", file=sys.stderr,
              disable=None if args.rerun is None else True) as bar:
        for r in _parallel(seeds, images=args.images, sim=args.sim, out=out, workers=workers):
            results.append(r)
            status = "ok" if not r["problems"] and not r["mismatched"] else \
                f"FAILED ({len(r['mismatched'])} mismatching trials; {'; '.join(r['problems'])[:300]})"
            bar.write(f"seed {r['seed']}: {r['trials']} trials {status} [{r['description']}] "
                      f"{r['wall_seconds']:.0f} s")
            bar.update(args.images)
            bar.set_postfix(failed=sum(bool(x["problems"] or x["mismatched"]) for x in results))
    summary, coverage, hit_by = summarise(results, seed=args.seed, images=args.images, sim=args.sim, workers=workers,
                                          wall=time.perf_counter() - started, cpu=_cpu_seconds() - cpu,
                                          rerun=args.rerun is not None)
    table = coverage_markdown(coverage, hit_by)
    atomic_write_text(out / "summary.json", json.dumps(summary, indent=2) + "\n")
    atomic_write_text(out / "coverage.md", f"# Soak coverage\n\n{summary['trials']} trials, "
                      f"{summary['configurations']} configurations, seed {args.seed}, {args.sim}\n\n" + table)
    print(table)
    if args.rerun is not None:
        for r in results:
            print(f"configuration: {r['description']}")
            for m in r["mismatched"]:
                print(f"image {m['image']}: " + "; ".join(m["messages"][:20]))
            for p in r["problems"]:
                print(f"problem: {p}")
    print(f"{PROG}: {summary['trials']} trials in {summary['configurations']} configurations, "
          f"{summary['mismatched_trials']} mismatching, {summary['failed_configurations']} failed configurations, "
          f"{len(summary['unhit_bins'])} bins never hit; {summary['wall_seconds']:.0f} s wall, "
          f"{summary['cpu_seconds']:.0f} s CPU; {out / 'summary.json'}")
    failures = [f"{m['rerun']} (image {m['image']}: {m['messages'][0]})" for m in summary["mismatches"][:5]]
    failures += [f"{f['rerun']} ({f['problems'][0] if f['problems'] else 'failed'})"
                 for f in summary["failures"][:5]]
    if summary["mismatched_trials"] or summary["failed_configurations"]:
        raise VerificationError(f"{summary['mismatched_trials']} mismatching trials, "
                                f"{summary['failed_configurations']} failed configurations; rerun: "
                                + "; ".join(failures)[:1500])
    if summary["unhit_bins"]:
        raise VerificationError(f"coverage bins never hit: {', '.join(summary['unhit_bins'])}")
    return 0


def main(argv=None):
    return run_cli(_main, prog=PROG, argv=argv)


if __name__ == "__main__":
    sys.exit(main())
