"""Bit-exact golden model of the whole accelerator (docs/spec.md).

:func:`run_golden` computes, for a batch of images at once, everything the
hardware computes in every time step — input spikes, events per tile, tile
partial accumulators, potentials, LUT probabilities, spike draws and spikes —
and the first-to-spike decision. Every inference reloads its LFSRs from its
seeds, so images are independent and the whole batch is vectorised. Steps
after the decision are computed too (the hardware never runs them); the
testbenches compare steps ``1 .. decision_step``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from spinaps.config import Config

from .encoder import encode
from .lfsr import LfsrArray, nonzero_seed
from .sigmoid_lut import lut_index, sigmoid_lut

__all__ = ["GoldenResult", "run_golden", "spike_history", "decide", "image_seeds", "ABSTAIN"]

#: Decision value when nobody spiked by the deadline and the policy is ``abstain``.
ABSTAIN = -1


@dataclass(frozen=True)
class GoldenResult:
    """Per-step, per-neuron traces of a batch (axis order: image, step, ...)."""

    x: np.ndarray            # (n, T, N_X) bool: input spikes x[j, t]
    events: np.ndarray       # (n, T, tiles) int: active (input, lag) pairs per tile
    acc_tile: np.ndarray     # (n, T, tiles, N_Y) int: tile partial accumulators
    potential: np.ndarray    # (n, T, N_Y) int: sum of tiles + bias
    prob: np.ndarray         # (n, T, N_Y) int: LUT output, units of 2**-P
    draw: np.ndarray         # (n, T, N_Y) int: spike LFSR draws
    spike: np.ndarray        # (n, T, N_Y) bool
    decision: np.ndarray     # (n,) int: class, or ABSTAIN
    decision_step: np.ndarray  # (n,) int: step of the decision (t_max on timeout)
    timed_out: np.ndarray    # (n,) bool: nobody spiked by t_max

    def sops(self, n_outputs: int) -> np.ndarray:
        """Synaptic operations of each inference (events of the steps it ran x N_Y)."""
        steps = np.arange(1, self.events.shape[1] + 1)
        ran = steps[None, :] <= self.decision_step[:, None]
        return (self.events.sum(axis=2) * ran).sum(axis=1) * n_outputs


def image_seeds(base: int, count: int, *, run: int = 0, width: int = 32) -> np.ndarray:
    """Host-side choice of one seed per image: splitmix64 of (base, run, index).

    Not part of the hardware contract (the host writes any seed it likes); used
    by evaluation and the testbenches so that both pick the same seeds.
    """
    mask64 = (1 << 64) - 1
    seeds = []
    for index in range(count):
        z = (base * 0x9E3779B97F4A7C15 + (run << 32) + index + 1) & mask64
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask64
        seeds.append(nonzero_seed(z ^ (z >> 31), width))
    return np.array(seeds, dtype=np.int64)


def spike_history(x: np.ndarray, tau: int) -> np.ndarray:
    """``h[n, t-1, j, d] = x[n, t-2-d, j]``: the spikes step t sees at lag d (0 before t = 1)."""
    n, steps, n_inputs = x.shape
    padded = np.concatenate([np.zeros((n, tau, n_inputs), dtype=x.dtype), x], axis=1)
    return np.stack([padded[:, tau - 1 - d: tau - 1 - d + steps] for d in range(tau)], axis=-1)


def decide(spike: np.ndarray, potential: np.ndarray, *, deadline: int, tie_policy: str,
           timeout_policy: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """First-to-spike decision with a deadline (vectorised over images).

    Returns ``(decision, decision_step, timed_out)``; see docs/spec.md, "Decision".
    """
    spike = spike[:, :deadline]
    potential = potential[:, :deadline]
    n = spike.shape[0]
    any_spike = spike.any(axis=2)
    timed_out = ~any_spike.any(axis=1)
    step_index = np.where(timed_out, deadline - 1, any_spike.argmax(axis=1))
    rows = np.arange(n)
    spikes_then = spike[rows, step_index]            # (n, N_Y)
    potential_then = potential[rows, step_index]
    if tie_policy == "lowest_index":
        winner = spikes_then.argmax(axis=1)
    else:  # max_potential: the largest potential among the spikers, lowest index on ties
        masked = np.where(spikes_then, potential_then, np.iinfo(np.int64).min)
        winner = masked.argmax(axis=1)
    if timeout_policy == "argmax_potential":
        fallback = potential_then.argmax(axis=1)
    else:
        fallback = np.full(n, ABSTAIN)
    decision = np.where(timed_out, fallback, winner)
    return decision, step_index + 1, timed_out


def run_golden(config: Config, alpha, bias, pixels, *, seed_encoder=None, seed_spike=None,
               steps: int | None = None) -> GoldenResult:
    """Run the accelerator's bit-exact model on a batch of images.

    Arguments
    ---------
    alpha : int array, shape (n_inputs, tau, n_outputs)
        Per-lag kernel, weight LSB units.
    bias : int array, shape (n_outputs,)
    pixels : int array, shape (batch, n_inputs)
    seed_encoder, seed_spike : int or int array of shape (batch,)
        Register values of each inference (default: the configuration's).
    steps : int
        Steps to compute (default t_max); decisions use the deadline ``steps``.
    """
    steps = config.t_max if steps is None else steps
    alpha = np.asarray(alpha, dtype=np.int64)
    bias = np.asarray(bias, dtype=np.int64)
    pixels = np.asarray(pixels, dtype=np.int64)
    n = pixels.shape[0]
    seed_encoder = config.seed_encoder if seed_encoder is None else seed_encoder
    seed_spike = config.seed_spike if seed_spike is None else seed_spike
    tiles, n_out, tau = config.tiles, config.n_outputs, config.tau

    x = encode(pixels, seed_encoder, config, steps=steps)
    history = spike_history(x, tau)                                  # (n, T, N_X, tau)

    # Tile k holds inputs k, k + tiles, ...: pad N_X to tiles * inputs_per_tile and
    # fold to (local input, tile), so that each tile's rows are one contiguous block.
    per_tile = config.inputs_per_tile
    pad = per_tile * tiles - config.n_inputs
    hist_tiles = np.pad(history, ((0, 0), (0, 0), (0, pad), (0, 0)))
    hist_tiles = hist_tiles.reshape(n, steps, per_tile, tiles, tau).transpose(0, 1, 3, 2, 4)
    hist_tiles = hist_tiles.reshape(n, steps, tiles, per_tile * tau)
    alpha_tiles = np.pad(alpha, ((0, pad), (0, 0), (0, 0)))
    alpha_tiles = alpha_tiles.reshape(per_tile, tiles, tau, n_out).transpose(1, 0, 2, 3)
    alpha_tiles = alpha_tiles.reshape(tiles, per_tile * tau, n_out)

    events = hist_tiles.sum(axis=3, dtype=np.int64)
    # Float64 matmul is exact here: every partial sum is an integer far below 2**53.
    acc_tile = np.einsum("ntkr,kro->ntko", hist_tiles.astype(np.float64),
                         alpha_tiles.astype(np.float64), optimize=True)
    acc_tile = np.rint(acc_tile).astype(np.int64)
    potential = acc_tile.sum(axis=2) + bias
    lut = sigmoid_lut(config)
    prob = lut[lut_index(potential, config) + config.lut_size // 2]

    spike_lfsr = LfsrArray(np.broadcast_to(seed_spike, (n,)), width=config.lfsr_width)
    draw = np.empty((n, steps, n_out), dtype=np.int64)
    for t in range(steps):
        for i in range(n_out):
            draw[:, t, i] = spike_lfsr.draw(config.prob_bits)
    spike = draw < prob

    decision, decision_step, timed_out = decide(
        spike, potential, deadline=steps, tie_policy=config.tie_policy,
        timeout_policy=config.timeout_policy)
    return GoldenResult(x=x, events=events, acc_tile=acc_tile, potential=potential, prob=prob,
                        draw=draw, spike=spike, decision=decision, decision_step=decision_step,
                        timed_out=timed_out)
