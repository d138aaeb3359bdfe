"""Weights files: the quantised per-lag kernel and biases, checked on load.

A weights file is a NumPy ``.npz`` (no pickles) holding ``alpha`` (n_inputs,
tau, n_outputs) and ``bias`` (n_outputs,) as integers in weight LSB units
(2**-weight_frac_bits), plus ``config``: the JSON of the configuration it was
trained for. Loading checks shapes, integer type and ranges against the
configuration in use, so a file trained for another network is refused with a
message that says which field differs.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from spinaps.atomic import atomic_write_bytes
from spinaps.config import Config, ConfigError

__all__ = ["Weights", "WeightsError", "load_weights", "save_weights"]

FORMAT = "spinaps-weights-1"

#: Fields a weights file must agree on with the configuration that loads it.
SHAPE_FIELDS = ("n_inputs", "n_outputs", "tau", "weight_bits", "weight_frac_bits", "bias_bits")


class WeightsError(ConfigError):
    """A weights file that cannot be used. The message is one line and names the file."""


@dataclass(frozen=True)
class Weights:
    alpha: np.ndarray   # (n_inputs, tau, n_outputs) int
    bias: np.ndarray    # (n_outputs,) int
    config: Config


def save_weights(path: str | Path, weights: Weights) -> None:
    """Write a weights file atomically."""
    buffer = io.BytesIO()
    np.savez(buffer, alpha=weights.alpha.astype(np.int32), bias=weights.bias.astype(np.int32),
             format=np.array(FORMAT), config=np.array(json.dumps(weights.config.to_dict())))
    atomic_write_bytes(path, buffer.getvalue())


def _check_range(path, name, array, lo, hi, field):
    bad = np.argwhere((array < lo) | (array > hi))
    if bad.size:
        where = tuple(int(i) for i in bad[0])
        raise WeightsError(f"{path}: {name}{list(where)} = {int(array[where])} is outside "
                           f"{field} (allowed: {lo}..{hi})")


def load_weights(path: str | Path, config: Config) -> Weights:
    """Read and check a weights file against ``config``.

    Raises
    ------
    WeightsError
        If the file is unreadable, not a weights file, or disagrees with ``config``.
    """
    path = Path(path)
    try:
        with open(path, "rb") as f, np.load(f, allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
    except FileNotFoundError:
        raise WeightsError(f"{path}: no such file") from None
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as e:
        raise WeightsError(f"{path}: not a weights file ({type(e).__name__}: {e})") from None
    missing = [k for k in ("format", "alpha", "bias", "config") if k not in arrays]
    if missing or str(arrays["format"]) != FORMAT:
        raise WeightsError(f"{path}: not a {FORMAT} file"
                           + (f" (missing {', '.join(missing)})" if missing else ""))
    try:
        trained = json.loads(str(arrays["config"]))
    except json.JSONDecodeError:
        raise WeightsError(f"{path}: its config entry is not JSON") from None
    for field in SHAPE_FIELDS:
        if trained.get(field) != getattr(config, field):
            raise WeightsError(f"{path}: trained for {field} = {trained.get(field)!r}, "
                               f"but the configuration has {field} = {getattr(config, field)!r}")
    alpha, bias = arrays["alpha"], arrays["bias"]
    for name, array, shape in (("alpha", alpha, (config.n_inputs, config.tau, config.n_outputs)),
                               ("bias", bias, (config.n_outputs,))):
        if not np.issubdtype(array.dtype, np.integer):
            raise WeightsError(f"{path}: {name} has dtype {array.dtype}, not an integer type")
        if array.shape != shape:
            raise WeightsError(f"{path}: {name} has shape {array.shape}, the configuration needs {shape}")
    _check_range(path, "alpha", alpha, config.weight_min, config.weight_max,
                 f"weight_bits = {config.weight_bits}")
    _check_range(path, "bias", bias, config.bias_min, config.bias_max, f"bias_bits = {config.bias_bits}")
    return Weights(alpha=alpha.astype(np.int64), bias=bias.astype(np.int64), config=config)
