"""Bit-exact golden model of the whole accelerator (docs/spec.md).

:func:`run_golden` computes, for a batch of images at once, everything the
hardware computes in every time step — input spikes, events per tile,
potentials, LUT probabilities, spike draws and spikes — and the first-to-spike
decision. Every inference reloads its LFSRs from its seeds, so images are
independent and the whole batch is vectorised. Steps after the decision are
computed too (the hardware never evaluates them); the testbenches compare steps
``1 .. decision_step``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from spinaps.config import Config, ConfigError
from spinaps.contract import abstain_code, tile_map

from .encoder import encode
from .lfsr import LfsrArray
from .sigmoid_lut import lut_lookup

__all__ = ["GoldenResult", "GoldenInputError", "run_golden", "spike_history", "decide", "tile_mapping"]


class GoldenInputError(ConfigError):
    """Pixels, weights, biases or seeds outside what the hardware can hold. The message is one line."""


@dataclass(frozen=True)
class GoldenResult:
    """Per-step, per-neuron traces of a batch (axis order: image, step, ...)."""

    x: np.ndarray            # (n, T, N_X) bool: input spikes x[j, t]
    events: np.ndarray       # (n, T, tiles) int: active (input, lag) pairs per tile
    potential: np.ndarray    # (n, T, N_Y) int: bias plus the weights of the step's events
    prob: np.ndarray         # (n, T, N_Y) int: LUT output, units of 2**-P
    draw: np.ndarray         # (n, T, N_Y) int: spike LFSR draws
    spike: np.ndarray        # (n, T, N_Y) bool
    decision: np.ndarray     # (n,) int: class, or N_Y (abstained)
    decision_step: np.ndarray  # (n,) int: step of the decision (t_max on timeout)
    timed_out: np.ndarray    # (n,) bool: nobody spiked by t_max

    def sops(self, n_outputs: int) -> np.ndarray:
        """Synaptic operations of each inference (events of the steps it ran x N_Y)."""
        steps = np.arange(1, self.events.shape[1] + 1)
        ran = steps[None, :] <= self.decision_step[:, None]
        return (self.events.sum(axis=2) * ran).sum(axis=1) * n_outputs


def tile_mapping(config: Config, data=None) -> tuple[tuple[int, ...], ...]:
    """The tile map of ``config`` (``spinaps.contract.tile_map``); ``balanced`` reads the activity of
    the training images of ``data`` (default: the configuration's data set)."""
    if config.tile_map != "balanced":
        return tile_map(config)
    if data is None:
        from .data import load_dataset

        data = load_dataset(config)
    return tile_map(config, activity=data.train_x / float(1 << config.pixel_bits))


def spike_history(x: np.ndarray, tau: int) -> np.ndarray:
    """``h[n, t-1, j, d] = x[n, t-2-d, j]``: the spikes step t sees at lag d (0 before t = 1)."""
    n, steps, n_inputs = x.shape
    padded = np.concatenate([np.zeros((n, tau, n_inputs), dtype=x.dtype), x], axis=1)
    return np.stack([padded[:, tau - 1 - d: tau - 1 - d + steps] for d in range(tau)], axis=-1)


def decide(spike: np.ndarray, potential: np.ndarray, *, deadline: int, tie_policy: str, timeout_policy: str,
           abstain: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """First-to-spike decision with a deadline (vectorised over images).

    Returns ``(decision, decision_step, timed_out)``; ``abstain`` is the class of an abstention.
    See docs/spec.md, "Decision".
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
        fallback = np.full(n, abstain)
    decision = np.where(timed_out, fallback, winner)
    return decision, step_index + 1, timed_out


def _check(name: str, array: np.ndarray, lo: int, hi: int, what: str):
    bad = np.argwhere((array < lo) | (array > hi))
    if bad.size:
        where = tuple(int(i) for i in bad[0])
        raise GoldenInputError(f"{name}{list(where)} = {int(array[where])} is out of range "
                               f"(allowed: {lo}..{hi}, {what})")


def run_golden(config: Config, alpha, bias, pixels, *, seed_encoder=None, seed_spike=None,
               steps: int | None = None, mapping=None) -> GoldenResult:
    """Run the accelerator's bit-exact model on a batch of images.

    Arguments
    ---------
    alpha : int array, shape (n_inputs, tau, n_outputs)
        Per-lag kernel, weight LSB units.
    bias : int array, shape (n_outputs,)
    pixels : int array, shape (batch, n_inputs)
    seed_encoder, seed_spike : int or int array of shape (batch,)
        Register values of each inference (default: the configuration's), 0 .. 2**lfsr_width - 1.
    steps : int
        Steps to compute (default t_max); decisions use the deadline ``steps``.
    mapping : tuple of tuples
        The tile map (default: :func:`tile_mapping`).

    Raises
    ------
    GoldenInputError
        If a pixel, weight, bias or seed lies outside what the hardware's registers hold.
    """
    steps = config.t_max if steps is None else steps
    alpha = np.asarray(alpha, dtype=np.int64)
    bias = np.asarray(bias, dtype=np.int64)
    pixels = np.atleast_2d(np.asarray(pixels, dtype=np.int64))
    n = pixels.shape[0]
    seeds = {"seed_encoder": config.seed_encoder if seed_encoder is None else seed_encoder,
             "seed_spike": config.seed_spike if seed_spike is None else seed_spike}
    seeds = {k: np.broadcast_to(np.asarray(v, dtype=np.int64), (n,)) for k, v in seeds.items()}
    for name, array, shape in (("alpha", alpha, (config.n_inputs, config.tau, config.n_outputs)),
                               ("bias", bias, (config.n_outputs,)), ("pixels", pixels, (n, config.n_inputs))):
        if array.shape != shape:
            raise GoldenInputError(f"{name} has shape {array.shape}, expected {shape}")
    _check("alpha", alpha, config.weight_min, config.weight_max, f"weight_bits = {config.weight_bits}")
    _check("bias", bias, config.bias_min, config.bias_max, f"bias_bits = {config.bias_bits}")
    _check("pixels", pixels, 0, (1 << config.pixel_bits) - 1, f"pixel_bits = {config.pixel_bits}")
    for name, array in seeds.items():
        _check(name, array, 0, (1 << config.lfsr_width) - 1, f"lfsr_width = {config.lfsr_width}")
    mapping = tile_mapping(config) if mapping is None else mapping
    n_out, tau = config.n_outputs, config.tau

    x = encode(pixels, seeds["seed_encoder"], config, mapping, steps=steps)
    history = spike_history(x, tau)                                  # (n, T, N_X, tau)
    owner = np.empty(config.n_inputs, dtype=np.int64)
    for k, inputs in enumerate(mapping):
        owner[list(inputs)] = k
    per_input = history.sum(axis=3, dtype=np.int64)                  # (n, T, N_X)
    events = np.zeros((n, steps, len(mapping)), dtype=np.int64)
    np.add.at(events, (slice(None), slice(None), owner), per_input)  # events of each tile
    # Float64 matmul is exact here: every partial sum is an integer far below 2**53.
    flat = history.reshape(n * steps, config.n_inputs * tau).astype(np.float64)
    sums = flat @ alpha.reshape(config.n_inputs * tau, n_out).astype(np.float64)
    potential = np.rint(sums).astype(np.int64).reshape(n, steps, n_out) + bias
    prob = lut_lookup(potential, config)

    spike_lfsr = LfsrArray(seeds["seed_spike"], width=config.lfsr_width)
    draw = np.empty((n, steps, n_out), dtype=np.int64)
    for t in range(steps):
        for i in range(n_out):
            draw[:, t, i] = spike_lfsr.draw(config.prob_bits)
    spike = draw < prob

    decision, decision_step, timed_out = decide(
        spike, potential, deadline=steps, tie_policy=config.tie_policy, timeout_policy=config.timeout_policy,
        abstain=abstain_code(config))
    return GoldenResult(x=x, events=events, potential=potential, prob=prob, draw=draw, spike=spike,
                        decision=decision, decision_step=decision_step, timed_out=timed_out)
