"""Bit-exact golden model of the bsnn_if accelerator (docs/spec.md section 13), vectorised over a batch.

One inference of an image: for t = 1 .. T (the T_STEPS register, default ``time_steps``), the
rate encoder turns the pixels into the binary input vector x[t]; the hidden layer's macro senses
x[t] and its IF neurons integrate the combined readouts; the output layer's macro senses the hidden
spikes of the same step and its IF neurons integrate; output spikes are counted. The class is
decided by spike count, or by the first output spike (``output_decode``).

A network file (:func:`save_network` / :func:`load_network`) holds the stored weight bits of both
macros and the neurons' integer thresholds, biases and signs, checked against the configuration.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from spinaps.atomic import atomic_write_bytes
from spinaps.bsnn_contract import BsnnInit, BsnnParams, bsnn_params, encoder_seed, row_word
from spinaps.config import Config, ConfigError

from .if_neuron import NeuronParams, if_step
from .imc_macro import column_sums, combine_subarrays, read_columns
from .lfsr import LfsrArray

__all__ = ["BsnnNetwork", "BsnnResult", "NetworkError", "save_network", "load_network", "encoder_seeds",
           "encode_bsnn", "run_bsnn", "decide_bsnn", "random_network", "SHAPE_FIELDS", "network_init"]

FORMAT = "spinaps-bsnn-network-1"
#: Fields a network file must agree on with the configuration that loads it.
SHAPE_FIELDS = ("n_inputs", "hidden", "n_outputs", "threshold_bits", "neuron_bias_bits", "membrane_frac_bits")


class NetworkError(ConfigError):
    """A network file that cannot be used. The message is one line and names the file."""


@dataclass(frozen=True)
class BsnnNetwork:
    """What the hardware stores: weight bits of both macros and the neurons' constants.

    Attributes
    ----------
    bits : tuple of two uint8 arrays
        ``(n_inputs, hidden)`` and ``(hidden, n_outputs)``; 1 is weight +1, 0 is -1.
    neurons : tuple of two NeuronParams
        Hidden then output layer.
    """

    bits: tuple
    neurons: tuple

    def check(self, config: Config, *, where: str = "network") -> None:
        """Refuse shapes or values that do not fit ``config``'s hardware (one-line :class:`NetworkError`)."""
        p = bsnn_params(config)
        for layer, bits, neurons in zip(p.layers, self.bits, self.neurons):
            want = (layer.inputs, layer.columns)
            if bits.shape != want:
                raise NetworkError(f"{where}: {layer.name} weight bits have shape {bits.shape}, the configuration "
                                   f"needs {want}")
            if bits.size and bits.max() > 1:
                raise NetworkError(f"{where}: {layer.name} weight bits are not 0/1")
            if neurons.threshold.shape != (layer.columns,):
                raise NetworkError(f"{where}: {layer.name} has {neurons.threshold.shape[0]} neurons, the "
                                   f"configuration needs {layer.columns}")
            for name, values, lo, hi in (("threshold", neurons.threshold, 1, p.threshold_max),
                                         ("bias", neurons.bias, p.bias_min, p.bias_max)):
                bad = np.flatnonzero((values < lo) | (values > hi))
                if bad.size:
                    raise NetworkError(f"{where}: {layer.name} {name}[{bad[0]}] = {values[bad[0]]} is out of "
                                       f"range (allowed: {lo}..{hi})")


def save_network(path: str | Path, network: BsnnNetwork, config: Config) -> None:
    """Write a network file (NumPy ``.npz``, no pickles) atomically."""
    network.check(config)
    arrays = {"format": np.array(FORMAT), "config": np.array(json.dumps(config.to_dict()))}
    for name, bits, neurons in zip(("hidden", "output"), network.bits, network.neurons):
        arrays[f"{name}_bits"] = bits.astype(np.uint8)
        arrays[f"{name}_threshold"] = neurons.threshold.astype(np.int64)
        arrays[f"{name}_bias"] = neurons.bias.astype(np.int64)
        arrays[f"{name}_negate"] = neurons.negate.astype(np.uint8)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    atomic_write_bytes(path, buffer.getvalue())


def load_network(path: str | Path, config: Config) -> BsnnNetwork:
    """Read a network file and check it against ``config``.

    Raises
    ------
    NetworkError
        If the file cannot be read, is not a network file, was trained for a configuration whose
        shape fields differ, or holds a value the hardware cannot store.
    """
    path = Path(path)
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
    except (OSError, ValueError) as e:
        raise NetworkError(f"{path}: cannot read a network file ({type(e).__name__}: {e})") from None
    if str(arrays.get("format", "")) != FORMAT:
        raise NetworkError(f"{path}: not a bsnn network file (format {str(arrays.get('format', 'missing'))!r})")
    trained = json.loads(str(arrays["config"]))
    for field in SHAPE_FIELDS:
        if trained.get(field) != getattr(config, field):
            raise NetworkError(f"{path}: trained for {field} = {trained.get(field)!r}, the configuration has "
                               f"{getattr(config, field)!r}")
    try:
        network = BsnnNetwork(
            bits=tuple(arrays[f"{n}_bits"].astype(np.uint8) for n in ("hidden", "output")),
            neurons=tuple(NeuronParams(arrays[f"{n}_threshold"], arrays[f"{n}_bias"], arrays[f"{n}_negate"] != 0)
                          for n in ("hidden", "output")))
    except KeyError as e:
        raise NetworkError(f"{path}: missing array {e.args[0]}") from None
    network.check(config, where=str(path))
    return network


def random_network(config: Config, seed: int) -> BsnnNetwork:
    """A random network that spikes: for hardware tests (not trained)."""
    p = bsnn_params(config)
    rng = np.random.default_rng(seed)
    bits, neurons = [], []
    for layer in p.layers:
        bits.append(rng.integers(0, 2, (layer.inputs, layer.columns)).astype(np.uint8))
        scale = max(1, (max(abs(layer.current_min), layer.current_max) << config.membrane_frac_bits) // 4)
        threshold = rng.integers(1, min(p.threshold_max, 4 * scale) + 1, layer.columns)
        bias = rng.integers(max(p.bias_min, -scale), min(p.bias_max, scale) + 1, layer.columns)
        neurons.append(NeuronParams(threshold, bias, rng.integers(0, 2, layer.columns) == 1))
    return BsnnNetwork(bits=tuple(bits), neurons=tuple(neurons))


def network_init(network: BsnnNetwork) -> BsnnInit:
    """What a design generated with ``network`` holds from reset (:class:`spinaps.bsnn_contract.BsnnInit`)."""
    return BsnnInit(rows=tuple(tuple(row_word(row) for row in bits) for bits in network.bits),
                    threshold=tuple(tuple(int(v) for v in n.threshold) for n in network.neurons),
                    bias=tuple(tuple(int(v) for v in n.bias) for n in network.neurons),
                    negate=tuple(tuple(int(v) for v in n.negate) for n in network.neurons))


def encoder_seeds(seed_encoder, config: Config) -> np.ndarray:
    """Encoder LFSR seeds ``(batch, S_hidden)``: subarray s gets ``encoder_seed(SEED_ENCODER, s)``."""
    seeds = np.atleast_1d(np.asarray(seed_encoder, dtype=np.int64))
    subarrays = bsnn_params(config).hidden.subarrays
    return np.array([[encoder_seed(int(seed), s, config.lfsr_width) for s in range(subarrays)] for seed in seeds],
                    dtype=np.uint64)


def encode_bsnn(pixels, seed_encoder, config: Config, *, steps: int | None = None) -> np.ndarray:
    """Input spikes ``x[n, t-1, j]`` of the rate encoder (spec section 6).

    Each hidden-layer subarray s has its own LFSR. Every step it takes E * k draws of ``pixel_bits``
    bits; draw i belongs to local row i and input ``j = s * R + i``, which spikes iff the draw is
    below its pixel; draws of rows beyond the layer's inputs are taken and discarded.
    """
    p = bsnn_params(config)
    layer = p.hidden
    pixels = np.asarray(pixels, dtype=np.int64)
    batch = pixels.shape[0]
    steps = config.time_steps if steps is None else steps
    lfsrs = LfsrArray(encoder_seeds(np.broadcast_to(seed_encoder, (batch,)), config), width=config.lfsr_width)
    padded = np.zeros((batch, layer.subarrays * layer.rows), dtype=np.int64)
    padded[:, :layer.inputs] = pixels
    padded = padded.reshape(batch, layer.subarrays, layer.rows)
    x = np.zeros((batch, steps, layer.subarrays, layer.rows), dtype=bool)
    for t in range(steps):
        for row in range(p.encode_cycles * p.draws_per_cycle):
            draws = lfsrs.draw(config.pixel_bits)
            if row < layer.rows:
                x[:, t, :, row] = draws < padded[:, :, row]
    return x.reshape(batch, steps, -1)[:, :, :layer.inputs]


@dataclass(frozen=True)
class BsnnResult:
    """Everything the hardware shows of a batch of inferences; per-step arrays have T steps
    (zero after an early first-to-spike decision).

    ``x`` (n, T, N_X); per layer l in (0 hidden, 1 output): ``sums[l]`` and ``readout[l]``
    (n, T, S_l, C_l), ``current[l]``, ``potential[l]`` (after reset), ``pre_reset[l]``, ``spike[l]``
    (n, T, C_l); ``count`` (n, N_Y) output spikes; ``decision`` (n,), ``steps`` (n,) steps run,
    ``cycles`` (n,) the CYCLES register.
    """

    x: np.ndarray
    sums: tuple
    readout: tuple
    current: tuple
    potential: tuple
    pre_reset: tuple
    spike: tuple
    count: np.ndarray
    decision: np.ndarray
    steps: np.ndarray
    cycles: np.ndarray


def decide_bsnn(score, potential) -> np.ndarray:
    """The class: the largest score (spike count, or the decision step's spikes), then the largest
    membrane potential, then the lowest index (spec section 7). Both arrays (n, N_Y)."""
    score = np.asarray(score, dtype=np.int64)
    potential = np.asarray(potential, dtype=np.int64)
    best_score = score.max(axis=1, keepdims=True)
    masked = np.where(score == best_score, potential, np.iinfo(np.int64).min)
    return masked.argmax(axis=1)


def _check_inputs(config: Config, pixels, seed_encoder) -> None:
    """Refuse what the bus would refuse (SLVERR): pixels or seeds out of their registers' range."""
    pixels = np.asarray(pixels)
    if pixels.ndim != 2 or pixels.shape[1] != config.n_inputs:
        raise ConfigError(f"pixels have shape {pixels.shape}, expected (images, {config.n_inputs})")
    for name, values, hi in (("pixel", pixels, (1 << config.pixel_bits) - 1),
                             ("seed_encoder", np.atleast_1d(np.asarray(seed_encoder)), (1 << config.lfsr_width) - 1)):
        bad = values[(values < 0) | (values > hi)]
        if bad.size:
            raise ConfigError(f"{name} = {int(bad.flat[0])} is out of range (allowed: 0..{hi})")


def run_bsnn(config: Config, network: BsnnNetwork, pixels, *, seed_encoder, steps: int | None = None,
             references=(0, 0)) -> BsnnResult:
    """Run the golden model on a batch of images.

    Parameters
    ----------
    config : Config
    network : BsnnNetwork
    pixels : int array, shape (batch, n_inputs)
    seed_encoder : int or int array (batch,)
        SEED_ENCODER of each inference.
    steps : int, optional
        The T_STEPS register (default ``time_steps``).
    references : pair of int
        The REF registers of the two layers (1-bit readout only).

    Returns
    -------
    BsnnResult
    """
    p: BsnnParams = bsnn_params(config)
    steps = config.time_steps if steps is None else steps
    if not 1 <= steps <= config.time_steps:
        raise ConfigError(f"steps = {steps} is out of range (allowed: 1..{config.time_steps})")
    network.check(config)
    _check_inputs(config, pixels, seed_encoder)
    x = encode_bsnn(pixels, seed_encoder, config, steps=steps)
    batch = x.shape[0]
    per_layer = {k: [] for k in ("sums", "readout", "current", "potential", "pre_reset", "spike")}
    for layer in p.layers:
        per_layer["sums"].append(np.zeros((batch, steps, layer.subarrays, layer.columns), dtype=np.int64))
        per_layer["readout"].append(np.zeros((batch, steps, layer.subarrays, layer.columns), dtype=np.int64))
        for k in ("current", "potential", "pre_reset"):
            per_layer[k].append(np.zeros((batch, steps, layer.columns), dtype=np.int64))
        per_layer["spike"].append(np.zeros((batch, steps, layer.columns), dtype=bool))
    membranes = [np.zeros((batch, layer.columns), dtype=np.int64) for layer in p.layers]
    count = np.zeros((batch, config.n_outputs), dtype=np.int64)
    running = np.ones(batch, dtype=bool)
    steps_run = np.zeros(batch, dtype=np.int64)
    score = np.zeros((batch, config.n_outputs), dtype=np.int64)
    for t in range(steps):
        layer_input = x[:, t]
        steps_run += running
        for index, (layer, bits, neurons) in enumerate(zip(p.layers, network.bits, network.neurons)):
            sums = column_sums(layer_input, bits, layer)
            readout = read_columns(sums, layer, reference=references[index])
            current = combine_subarrays(readout)
            membrane, spike, pre_reset = if_step(membranes[index], current, neurons,
                                                 frac_bits=config.membrane_frac_bits, reset_mode=config.reset_mode)
            membranes[index] = np.where(running[:, None], membrane, membranes[index])
            for key, value in (("sums", sums), ("readout", readout), ("current", current), ("pre_reset", pre_reset),
                               ("spike", spike)):
                per_layer[key][index][running, t] = value[running]
            per_layer["potential"][index][running, t] = membrane[running]
            layer_input = spike
        out_spike = per_layer["spike"][1][:, t]
        count += out_spike & running[:, None]
        if config.output_decode == "first_to_spike":
            deciding = running & out_spike.any(axis=1)
            score[deciding] = out_spike[deciding]
            running &= ~deciding
    if config.output_decode == "spike_count":
        score = count
    decision = decide_bsnn(score, membranes[1])
    cycles = np.array([p.inference_cycles(int(s)) for s in steps_run], dtype=np.int64)
    return BsnnResult(x=x, **{k: tuple(v) for k, v in per_layer.items()}, count=count, decision=decision,
                      steps=steps_run, cycles=cycles)
