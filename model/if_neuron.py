"""Golden model of the integrate-and-fire neurons with a dynamic threshold (docs/spec.md section 13.4;
hardware: hw/if_neuron.py).

All quantities are integers in units of ``2**-F`` (F = ``membrane_frac_bits``). A neuron c has a
threshold ``theta[c]`` (1 .. 2**threshold_bits - 1), a per-step bias ``bias[c]`` and a sign
``negate[c]`` (the sign of its folded batch-norm scale). One time step with input current I[c]:

    v'    = v + (-1 if negate[c] else +1) * (I[c] * 2**F) + bias[c]
    spike = v' >= theta[c]
    v     = v' - theta[c]  (reset_mode subtract)  or  0  (reset_mode zero)    if spike, else v'

Membranes start at 0 at the start of every inference. No step can overflow (spinaps.bsnn_contract).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from spinaps.bsnn_contract import RESET_MODES
from spinaps.config import ConfigError

__all__ = ["NeuronParams", "if_step"]


@dataclass(frozen=True)
class NeuronParams:
    """The per-neuron constants of one layer (integers; the CMOS registers THRESHOLD, BIAS, NEGATE)."""

    threshold: np.ndarray    # (C,) int, >= 1
    bias: np.ndarray         # (C,) int
    negate: np.ndarray       # (C,) bool

    def __post_init__(self):
        for name in ("threshold", "bias", "negate"):
            object.__setattr__(self, name, np.asarray(getattr(self, name)).astype(bool if name == "negate"
                                                                                  else np.int64))
        if not self.threshold.shape == self.bias.shape == self.negate.shape or self.threshold.ndim != 1:
            raise ConfigError(f"neuron parameters have shapes {self.threshold.shape}, {self.bias.shape}, "
                              f"{self.negate.shape}; they must be one equal length")


def if_step(potential, current, neurons: NeuronParams, *, frac_bits: int, reset_mode: str):
    """One time step of every neuron (vectorised over leading axes).

    Parameters
    ----------
    potential : int array (..., C)
        Membranes before the step.
    current : int array (..., C)
        Input currents of the step (combined readouts of the layer's macro).
    neurons : NeuronParams
    frac_bits : int
        F.
    reset_mode : {"subtract", "zero"}

    Returns
    -------
    (potential, spike, pre_reset)
        Membranes after the step, spikes (bool) and the membranes before the reset (v').
    """
    if reset_mode not in RESET_MODES:
        raise ConfigError(f"reset_mode = {reset_mode!r} is not allowed (allowed: 'subtract', 'zero')")
    current = np.asarray(current, dtype=np.int64)
    signed = np.where(neurons.negate, -current, current) << frac_bits
    pre_reset = np.asarray(potential, dtype=np.int64) + signed + neurons.bias
    spike = pre_reset >= neurons.threshold
    after = pre_reset - neurons.threshold if reset_mode == "subtract" else np.zeros_like(pre_reset)
    return np.where(spike, after, pre_reset), spike, pre_reset
