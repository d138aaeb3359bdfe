"""The one configuration object of spinaps.

Every package (``model``, ``hw``, ``gen``, ``verif``, ``synth``) reads its
parameters from a :class:`Config`. It is frozen; variants are made with
:meth:`Config.replace`, which validates again. The generator writes
``Config.to_dict()`` into its manifest and :meth:`Config.from_manifest` reads it
back, so the golden model and the testbenches never re-derive a parameter.

Every field is declared once, with its documentation and its allowed values, in
:data:`FIELDS`; the validation messages and the README's configuration reference
are both generated from that table.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

__all__ = ["Config", "ConfigError", "FIELDS", "PRESETS", "LFSR_TAPS", "signed_width", "load_config",
           "reference_markdown"]

#: Maximal-length Fibonacci LFSR taps (Xilinx XAPP052, Table 3), numbered 1..W.
#: tests/test_lfsr.py proves each is maximal from the step function itself.
LFSR_TAPS: dict[int, tuple[int, ...]] = {
    16: (16, 15, 13, 4),
    24: (24, 23, 22, 17),
    32: (32, 22, 2, 1),
}


class ConfigError(ValueError):
    """An invalid configuration value, key or file. The message is one line."""


@dataclass(frozen=True)
class Field:
    """How one configuration field is checked and documented."""
    name: str
    kind: type           # int, float, str
    doc: str
    group: str
    lo: Any = None       # int/float fields: inclusive bounds; str: None
    hi: Any = None
    choices: tuple = ()  # str fields


def _int(name, doc, group, lo, hi):
    return Field(name, int, doc, group, lo, hi)


def _float(name, doc, group, lo, hi):
    return Field(name, float, doc, group, lo, hi)


def _choice(name, doc, group, choices):
    return Field(name, str, doc, group, choices=tuple(choices))


#: Every configuration field. Bounds that depend on other fields are the
#: loosest here and tightened in :meth:`Config._bounds`.
FIELDS: tuple[Field, ...] = (
    # -- network and data
    _choice("dataset", "Data set: scikit-learn's 8x8 digits, or MNIST-format IDX files in data_dir.",
            "network", ("digits", "idx")),
    Field("data_dir", str, "Directory with train/t10k IDX files (dataset: idx).", "network"),
    _int("n_inputs", "N_X, number of input neurons (pixels).", "network", 1, 4096),
    _int("n_outputs", "N_Y, number of output neurons (classes).", "network", 2, 256),
    _int("pixel_bits", "Bits of an input intensity; an input spikes when its draw is below it.",
         "network", 1, 16),
    _int("tau", "Kernel length: lags d = 0..tau-1 each input is remembered for.", "network", 1, 32),
    _choice("basis", "Temporal basis used in training (hardware stores the per-lag kernel alpha).",
            "network", ("raised_cosine", "identity")),
    _int("n_basis", "K, number of basis functions (equal to tau for the identity basis).",
         "network", 1, 32),
    # -- fixed-point formats
    _int("weight_bits", "B, bits of one per-lag weight alpha (two's complement) = STT-RAM cells a weight.",
         "fixed_point", 2, 16),
    _int("weight_frac_bits", "F, fraction bits: a weight or bias integer q means q * 2**-F.",
         "fixed_point", 0, 16),
    _int("bias_bits", "Bits of a bias (two's complement, same LSB as a weight).", "fixed_point", 2, 24),
    _int("lut_addr_bits", "A, address bits of the sigmoid LUT.", "fixed_point", 2, 12),
    _int("lut_shift", "S, potential is shifted right arithmetically by S before it addresses the LUT.",
         "fixed_point", 0, 16),
    _int("prob_bits", "P, bits of a spike probability and of its random draw.", "fixed_point", 1, 16),
    # -- randomness and decision
    Field("lfsr_width", int, "Width W of every LFSR (polynomials in docs/spec.md).", "decision",
          choices=tuple(sorted(LFSR_TAPS))),
    _int("seed_encoder", "Default encoder LFSR seed (the SEED_ENCODER register's reset value).",
         "decision", 1, 2**32 - 1),
    _int("seed_spike", "Default spike LFSR seed (the SEED_SPIKE register's reset value).",
         "decision", 1, 2**32 - 1),
    _int("t_max", "T_max, the decision deadline in algorithmic time steps.", "decision", 1, 255),
    _choice("tie_policy", "Which spiking output wins when several spike at the same first step.",
            "decision", ("lowest_index", "max_potential")),
    _choice("timeout_policy", "What is decided when nobody spiked by t_max.", "decision",
            ("abstain", "argmax_potential")),
    # -- architecture
    _int("tiles", "Number of tiles; input j belongs to tile j mod tiles.", "architecture", 1, 64),
    _int("read_latency", "STT-RAM read latency in cycles.", "architecture", 1, 8),
    _int("write_latency", "STT-RAM row write time in cycles.", "architecture", 1, 64),
    _float("write_error_rate", "Probability that one cell write fails (the cell keeps its old value).",
           "architecture", 0.0, 0.5),
    _int("write_retries", "Write-verify retries before the sticky error flag is raised.",
         "architecture", 0, 15),
    _int("write_error_seed", "Seed of the LFSR that injects STT-RAM write failures.", "architecture",
         1, 2**32 - 1),
    Field("top_name", str, "Name of the generated top-level Verilog module.", "architecture"),
    # -- training
    _int("train_epochs", "Epochs of float first-to-spike training.", "training", 1, 10000),
    _int("qat_epochs", "Epochs of quantisation-aware fine-tuning of alpha and bias.", "training", 0, 10000),
    _int("batch_size", "Training minibatch size.", "training", 1, 65536),
    _float("learning_rate", "Adam learning rate.", "training", 1e-6, 10.0),
    _int("train_seed", "Seed of training (initialisation, shuffling, input sampling).", "training",
         0, 2**32 - 1),
)

_FIELD_BY_NAME = {f.name: f for f in FIELDS}


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

    dataset: str = "digits"
    data_dir: str = ""
    n_inputs: int = 64
    n_outputs: int = 10
    pixel_bits: int = 8
    tau: int = 8
    basis: str = "raised_cosine"
    n_basis: int = 4
    weight_bits: int = 4
    weight_frac_bits: int = 2
    bias_bits: int = 10
    lut_addr_bits: int = 8
    lut_shift: int = 0
    prob_bits: int = 8
    lfsr_width: int = 32
    seed_encoder: int = 0xACE1
    seed_spike: int = 0xBEEF
    t_max: int = 16
    tie_policy: str = "lowest_index"
    timeout_policy: str = "argmax_potential"
    tiles: int = 8
    read_latency: int = 1
    write_latency: int = 4
    write_error_rate: float = 0.0
    write_retries: int = 3
    write_error_seed: int = 0x5EED
    top_name: str = "spinaps_top"
    train_epochs: int = 60
    qat_epochs: int = 20
    batch_size: int = 64
    learning_rate: float = 0.02
    train_seed: int = 1

    def __post_init__(self):
        for f in FIELDS:
            self._check(f, getattr(self, f.name))

    # -- validation

    def _bounds(self, f: Field):
        """Allowed bounds of a numeric field, tightened by the fields it depends on."""
        lo, hi = f.lo, f.hi
        if f.name == "tiles":
            hi = min(hi, self.n_inputs)
        elif f.name == "n_basis":
            hi = min(hi, self.tau)
            if self.basis == "identity":
                lo = hi = self.tau
        elif f.name in ("seed_encoder", "seed_spike", "write_error_seed"):
            hi = (1 << self.lfsr_width) - 1
        elif f.name in ("prob_bits", "pixel_bits"):
            hi = min(hi, self.lfsr_width)
        return lo, hi

    def _check(self, f: Field, value):
        if f.kind is str:
            if not isinstance(value, str):
                raise ConfigError(f"{f.name} = {value!r} is not a string")
            if f.choices and value not in f.choices:
                allowed = ", ".join(repr(c) for c in f.choices)
                raise ConfigError(f"{f.name} = {value!r} is not allowed (allowed: {allowed})")
            if f.name == "top_name" and not value.isidentifier():
                raise ConfigError(f"{f.name} = {value!r} is not a Verilog identifier "
                                  f"(allowed: letters, digits and '_', not starting with a digit)")
            if f.name == "data_dir" and self.dataset == "idx" and not value:
                raise ConfigError("data_dir = '' must name a directory when dataset is 'idx'")
            return
        if f.choices:
            if isinstance(value, bool) or value not in f.choices:
                allowed = ", ".join(repr(c) for c in f.choices)
                raise ConfigError(f"{f.name} = {value!r} is not allowed (allowed: {allowed})")
            return
        lo, hi = self._bounds(f)
        if f.kind is int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise ConfigError(f"{f.name} = {value!r} is not an integer (allowed: {lo}..{hi})")
        else:
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ConfigError(f"{f.name} = {value!r} is not a number (allowed: {lo}..{hi})")
        if not lo <= value <= hi:
            raise ConfigError(f"{f.name} = {value!r} is out of range (allowed: {lo}..{hi})")

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

    def tile_inputs(self, tile: int) -> list[int]:
        """The inputs j of a tile, in the order the tile's encoder visits them."""
        return list(range(tile, self.n_inputs, self.tiles))

    @property
    def inputs_per_tile(self) -> int:
        """The largest number of inputs of one tile (tile 0 has the most)."""
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
    def tile_acc_width(self) -> int:
        """Width of a tile's partial accumulator: it cannot overflow."""
        rows = self.rows_per_tile
        return signed_width(rows * self.weight_min, rows * self.weight_max)

    @property
    def acc_width(self) -> int:
        """Width of the potential (sum over tiles plus bias): it cannot overflow."""
        rows = self.n_inputs * self.tau
        return signed_width(rows * self.weight_min + self.bias_min,
                            rows * self.weight_max + self.bias_max)

    @property
    def lut_size(self) -> int:
        return 1 << self.lut_addr_bits

    @property
    def cycles_per_encode(self) -> int:
        """Cycles a tile's encoder needs for one step: one input per cycle."""
        return self.inputs_per_tile


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
    "tiny": Config(tau=2, n_basis=2, tiles=3, weight_bits=3, weight_frac_bits=1, bias_bits=8, t_max=6),
    "mnist": Config(dataset="idx", data_dir="data/mnist", n_inputs=784, tiles=16, train_epochs=20),
    "har": Config(dataset="idx", data_dir="data/har", n_inputs=561, n_outputs=6, tiles=16,
                  train_epochs=20),
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
    lines.append("Bounds that depend on other fields: `tiles` ≤ `n_inputs`; `n_basis` ≤ `tau` (= `tau` for the "
                 "identity basis); seeds < 2^`lfsr_width`; `prob_bits`, `pixel_bits` ≤ `lfsr_width`. "
                 "Presets: " + ", ".join(f"`{name}`" for name in PRESETS) + ".")
    return "\n".join(lines) + "\n"


def load_config(path: str | Path | None = None, **overrides) -> Config:
    """Load a YAML configuration file (or the default when ``path`` is None).

    Keyword ``overrides`` (e.g. ``tiles=3`` from a command line) are applied last.

    Raises
    ------
    ConfigError
        If the file cannot be read or parsed, has an unknown key or an invalid
        value. The message starts with the file name.
    """
    if path is None:
        data = {}
    else:
        path = Path(path)
        try:
            text = path.read_text()
        except OSError as e:
            raise ConfigError(f"{path}: cannot read: {e.strerror}") from None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            where = f" at line {mark.line + 1}" if mark else ""
            problem = getattr(e, "problem", None) or str(e).splitlines()[0]
            raise ConfigError(f"{path}: invalid YAML{where}: {problem}") from None
        data = {} if data is None else data
    try:
        config = Config.from_dict(data)
        return config.replace(**overrides) if overrides else config
    except ConfigError as e:
        raise ConfigError(f"{path}: {e}" if path else str(e)) from None
    except TypeError as e:  # pragma: no cover - defensive; from_dict checks keys first
        raise ConfigError(str(e)) from None
