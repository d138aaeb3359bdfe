"""The facts the bsnn_if hardware (``hw/``) and golden model (``model/``) must share (docs/spec.md section 13).

The bsnn_if family's twin of :mod:`spinaps.contract`: neither ``hw/`` nor ``model/`` owns it, both
import it, and neither imports the other (``tests/test_architecture.py``). The configuration
(:class:`spinaps.config.Config`, group ``imc``) gives the free parameters; this module derives the
rest once — subarrays per layer, every width, the encoder's parallelism, the cycle counts
(:func:`bsnn_params`) — and holds the layouts both sides must agree on: the encoder's seeds
(:func:`encoder_seed`, via :func:`spinaps.contract.stream_seed`), how a row of weight bits and a
PIXEL word are packed (:func:`row_word`, :func:`pixel_words`), the PROG_ROW numbering of the rows
of both layers (:func:`prog_row`), the neuron registers' reset values (:func:`default_neurons`) and
the manifest's timing constants. How a column sum is formed, read and combined, how an IF neuron
integrates and fires and how the class is decided are implemented twice, independently, and compared
by the tests. The generator writes :meth:`BsnnParams.to_dict` into ``manifest.json``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .config import Config, ConfigError, signed_width
from .contract import pack_fields, stream_seed

__all__ = ["LayerParams", "BsnnParams", "BsnnInit", "bsnn_params", "LAYER_NAMES", "READOUTS", "RESET_MODES",
           "OUTPUT_DECODES", "ceil_div", "unsigned_width", "encoder_seed", "row_word", "pixel_words", "prog_row",
           "default_neurons", "timing_constants"]

#: The two layers, in order: inputs -> hidden -> output.
LAYER_NAMES = ("hidden", "output")
#: The readouts a subarray's column sums can be read with.
READOUTS = ("exact", "sense_amp_1bit")
#: What a spike does to the membrane: lose the threshold, or go to 0.
RESET_MODES = ("subtract", "zero")
#: How the class is read from the output layer.
OUTPUT_DECODES = ("spike_count", "first_to_spike")


def ceil_div(a: int, b: int) -> int:
    """``ceil(a / b)`` for positive integers."""
    return -(-a // b)


def unsigned_width(hi: int) -> int:
    """Bits of an unsigned integer holding ``0 .. hi``."""
    return max(1, int(hi).bit_length())


@dataclass(frozen=True, kw_only=True)
class LayerParams:
    """One IMC layer: ``inputs`` rows spread over ``subarrays`` subarrays of ``rows`` rows, ``columns``
    IF neurons.

    Attributes
    ----------
    name : str
        ``hidden`` or ``output``.
    inputs : int
        N, rows of the layer (its fan-in): input j is row ``j mod rows`` of subarray ``j div rows``.
    columns : int
        C, columns of every subarray = neurons of the layer.
    rows : int
        R, rows of one subarray (the last one may use fewer: ``last_rows``).
    subarrays : int
        S = ceil(N / R).
    last_rows : int
        Rows the last subarray uses.
    readout : str
        ``exact`` or ``sense_amp_1bit``.
    sum_width : int
        Bits of an exact column sum, a signed integer in ``-R .. R``.
    readout_width : int
        Bits of one read column: ``sum_width`` (exact) or 1.
    current_min, current_max : int
        Range of the combined input of a neuron: ``-N .. N`` (exact) or ``0 .. S`` (1-bit).
    current_width : int
        Signed bits of the combined input.
    adcs_per_subarray : int
        SAR ADCs of one subarray (exact readout; 0 for the 1-bit readout).
    conversions_per_adc : int
        Columns one ADC converts per sensing phase (exact readout; 0 for the 1-bit readout).
    sense_cycles : int
        L, cycles from the sense strobe to valid readouts: ``sense_latency`` (1-bit) or
        ``sense_latency + conversions_per_adc * sum_width`` (exact: a SAR ADC resolves a bit a cycle).
    membrane_min, membrane_max : int
        Every value a membrane potential can take in ``time_steps`` steps (spec section 5).
    membrane_width : int
        Signed bits of a membrane potential: it cannot overflow.
    """

    name: str
    inputs: int
    columns: int
    rows: int
    subarrays: int
    last_rows: int
    readout: str
    sum_width: int
    readout_width: int
    current_min: int
    current_max: int
    current_width: int
    adcs_per_subarray: int
    conversions_per_adc: int
    sense_cycles: int
    membrane_min: int
    membrane_max: int
    membrane_width: int

    def subarray_of(self, row: int) -> tuple[int, int]:
        """``(subarray, local row)`` of layer row (input) ``row``."""
        return divmod(row, self.rows)


@dataclass(frozen=True, kw_only=True)
class BsnnParams:
    """The derived parameters of one bsnn_if design (see the module docstring).

    Attributes
    ----------
    layers : tuple of LayerParams
        ``hidden`` (N_X -> H) then ``output`` (H -> N_Y).
    draws_per_cycle : int
        k, pixel draws each hidden-layer subarray's encoder takes per cycle: ``min(W // pixel_bits, R)``.
    encode_cycles : int
        E = ceil(R / k), cycles of encoding one time step.
    threshold_max : int
        Largest dynamic threshold, ``2**threshold_bits - 1`` (the smallest is 1).
    bias_min, bias_max : int
        Range of a neuron's per-step bias.
    count_width : int
        Bits of an output neuron's spike count (``0 .. time_steps``).
    step_width : int
        Bits of a time-step number (``0 .. time_steps``).
    row_words : int
        32-bit ROW_DATA words: one bit per column of the widest layer.
    pixels_per_word : int
        Pixels in one 32-bit PIXEL word.
    pixel_words : int
        PIXEL words of one image.
    step_cycles : int
        Cycles of one time step: ``E + (L_hidden + 2) + (L_output + 2) + 1``.
    inference_fixed_cycles : int
        Cycles of an inference besides its steps: START, LOAD and the N_Y decision cycles.
    """

    layers: tuple
    draws_per_cycle: int
    encode_cycles: int
    threshold_max: int
    bias_min: int
    bias_max: int
    count_width: int
    step_width: int
    row_words: int
    pixels_per_word: int
    pixel_words: int
    step_cycles: int
    inference_fixed_cycles: int

    @property
    def hidden(self) -> LayerParams:
        return self.layers[0]

    @property
    def output(self) -> LayerParams:
        return self.layers[1]

    def inference_cycles(self, steps: int) -> int:
        """CYCLES of an inference that ran ``steps`` time steps (spec section 8)."""
        return self.inference_fixed_cycles + steps * self.step_cycles

    def to_dict(self) -> dict:
        data = asdict(self)
        data["layers"] = [asdict(layer) for layer in self.layers]
        return data


def _layer(config: Config, *, name: str, inputs: int, columns: int, bias_min: int, bias_max: int) -> LayerParams:
    c = config
    rows = min(c.subarray_rows, inputs)
    subarrays = ceil_div(inputs, rows)
    sum_width = signed_width(-rows, rows)
    if c.readout == "exact":
        readout_width = sum_width
        current_min, current_max = -inputs, inputs
        adcs = ceil_div(columns, c.adc_columns_per_adc)
        conversions = ceil_div(columns, adcs)
        sense_cycles = c.sense_latency + conversions * sum_width
    else:
        readout_width = 1
        current_min, current_max = 0, subarrays
        adcs = conversions = 0
        sense_cycles = c.sense_latency
    largest_current = max(abs(current_min), abs(current_max)) << c.membrane_frac_bits
    step_min, step_max = -largest_current + bias_min, largest_current + bias_max
    membrane_min = c.time_steps * min(step_min, 0)
    membrane_max = c.time_steps * max(step_max, 0)
    return LayerParams(
        name=name, inputs=inputs, columns=columns, rows=rows, subarrays=subarrays,
        last_rows=inputs - (subarrays - 1) * rows, readout=c.readout, sum_width=sum_width,
        readout_width=readout_width, current_min=current_min, current_max=current_max,
        current_width=signed_width(current_min, current_max), adcs_per_subarray=adcs, conversions_per_adc=conversions,
        sense_cycles=sense_cycles, membrane_min=membrane_min, membrane_max=membrane_max,
        membrane_width=signed_width(membrane_min, membrane_max))


def bsnn_params(config: Config) -> BsnnParams:
    """The derived parameters of a bsnn_if configuration.

    Parameters
    ----------
    config : Config
        A configuration with ``architecture: bsnn_if``.

    Returns
    -------
    BsnnParams

    Raises
    ------
    ConfigError
        If the configuration is not of the bsnn_if family.
    """
    c = config
    if c.architecture != "bsnn_if":
        raise ConfigError(f"architecture = {c.architecture!r} is not allowed here (allowed: 'bsnn_if')")
    bias_min, bias_max = -(1 << (c.neuron_bias_bits - 1)), (1 << (c.neuron_bias_bits - 1)) - 1
    layers = (_layer(c, name="hidden", inputs=c.n_inputs, columns=c.hidden, bias_min=bias_min, bias_max=bias_max),
              _layer(c, name="output", inputs=c.hidden, columns=c.n_outputs, bias_min=bias_min, bias_max=bias_max))
    draws = min(c.lfsr_width // c.pixel_bits, layers[0].rows)
    encode_cycles = ceil_div(layers[0].rows, draws)
    pixels_per_word = 32 // c.pixel_bits
    return BsnnParams(
        layers=layers, draws_per_cycle=draws, encode_cycles=encode_cycles,
        threshold_max=(1 << c.threshold_bits) - 1, bias_min=bias_min, bias_max=bias_max,
        count_width=unsigned_width(c.time_steps), step_width=unsigned_width(c.time_steps),
        row_words=ceil_div(max(c.hidden, c.n_outputs), 32), pixels_per_word=pixels_per_word,
        pixel_words=ceil_div(c.n_inputs, pixels_per_word),
        step_cycles=encode_cycles + sum(layer.sense_cycles + 2 for layer in layers) + 1,
        inference_fixed_cycles=2 + c.n_outputs)


# -- layouts (spec section 13.8)

def encoder_seed(seed: int, subarray: int, width: int) -> int:
    """The state hidden-layer subarray ``subarray``'s encoder LFSR is loaded with for SEED_ENCODER = ``seed``:
    ``nz(seed xor (subarray * SEED_SALT mod 2**W))`` (:func:`spinaps.contract.stream_seed`)."""
    return stream_seed(seed, subarray, width)


def row_word(bits) -> int:
    """One macro row (input) as an integer: bit c is column c's weight bit (1: +1, 0: -1).

    The layout of an ``init`` row of the hardware and of the ROW_DATA words (word w: bits 32 w .. 32 w + 31)."""
    return pack_fields([int(b) for b in bits], 1)


def pixel_words(config: Config, pixels) -> list[int]:
    """The PIXEL words of one image: word w holds pixels ``p w .. p w + p - 1`` (p = ``32 // pixel_bits``),
    pixel ``p w + i`` in bits ``[i b, (i + 1) b)``; slots past the last input are 0."""
    p = 32 // config.pixel_bits
    values = [int(v) for v in pixels]
    return [pack_fields(values[w * p:(w + 1) * p], config.pixel_bits) for w in range(ceil_div(config.n_inputs, p))]


def prog_row(params: BsnnParams, layer: int, row: int) -> int:
    """The PROG_ROW row number of row (input) ``row`` of layer ``layer`` (0 hidden, 1 output): the hidden
    layer's rows first (0 .. N_X - 1), then the output layer's (N_X .. N_X + H - 1)."""
    return row + (params.hidden.inputs if layer else 0)


@dataclass(frozen=True)
class BsnnInit:
    """What a generated design holds from reset (a trained network; docs/spec.md section 13.8): per layer
    (hidden, output) the macro rows (:func:`row_word`, one integer per input) and the neurons'
    THRESHOLD, BIAS and NEGATE reset values (one integer per neuron; NEGATE 0 or 1)."""

    rows: tuple
    threshold: tuple
    bias: tuple
    negate: tuple


def default_neurons(config: Config, layer: LayerParams) -> tuple[list[int], list[int], list[int]]:
    """Reset values of a layer's THRESHOLD, BIAS and NEGATE registers in a design generated without a
    network: threshold ``2**membrane_frac_bits`` (1.0, clamped to the register), bias 0, no negation."""
    threshold = min(1 << config.membrane_frac_bits, (1 << config.threshold_bits) - 1)
    return [threshold] * layer.columns, [0] * layer.columns, [0] * layer.columns


# -- cycles (spec section 13.8)

def timing_constants(config: Config) -> dict:
    """The cycle counts the design promises, for the manifest."""
    p = bsnn_params(config)
    return {
        "encode_cycles": p.encode_cycles,
        "sense_cycles": {layer.name: layer.sense_cycles for layer in p.layers},
        "step_cycles": p.step_cycles,
        "inference_fixed_cycles": p.inference_fixed_cycles,
        "formula": "step_cycles = encode_cycles + (sense_cycles.hidden + 2) + (sense_cycles.output + 2) + 1; "
                   "CYCLES = inference_fixed_cycles + steps * step_cycles (inference_fixed_cycles = 2 + N_Y)",
    }
