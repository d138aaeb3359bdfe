"""Golden model of one layer's IMC macro: binary STT-RAM subarrays, their column sums, the exact or
1-bit readout and the digital combination of the subarrays (docs/spec.md sections 13.2-13.3;
hardware: hw/imc_macro.py).

Weights are +1/-1. Weight w[j, c] (input j, column c) is stored as one bit ``b = (w + 1) / 2`` in a
differential pair of MTJs (bit 1: the true cell parallel, low resistance, the complement cell
anti-parallel; bit 0 the other way round), so an erased macro (every bit 0) holds -1 everywhere.
Input j drives row ``j mod R`` of subarray ``j div R``; a sensing phase applies the binary input
vector to every row at once and every column of every subarray yields

    sum[s, c] = sum over the rows r of subarray s of x[r] * w[r, c]          (-R .. R)

read exactly (an ideal ADC) or by a sense amplifier, ``bit = 1 iff sum >= reference`` (one global
reference per layer, the REF register). The neuron's input current is the sum over subarrays of
the readouts: of the exact sums, or of the bits (a popcount, 0 .. S).
"""

from __future__ import annotations

import numpy as np

from spinaps.bsnn_contract import LayerParams

__all__ = ["ImcMacro", "column_sums", "read_columns", "combine_subarrays", "weights_from_bits"]


def weights_from_bits(bits) -> np.ndarray:
    """+1/-1 weights from stored bits (1 -> +1, 0 -> -1)."""
    return 2 * np.asarray(bits, dtype=np.int64) - 1


def column_sums(x, bits, layer: LayerParams) -> np.ndarray:
    """Exact column sums of every subarray, ``sum[n, s, c]``.

    Parameters
    ----------
    x : bool array, shape (batch, layer.inputs)
        The binary input vector (spikes) of one sensing phase.
    bits : array of 0/1, shape (layer.inputs, layer.columns)
        Stored weight bits.
    layer : LayerParams

    Returns
    -------
    int64 array, shape (batch, layer.subarrays, layer.columns)
    """
    x = np.asarray(x, dtype=np.int64)
    batch = x.shape[0]
    padded_rows = layer.subarrays * layer.rows
    xs = np.zeros((batch, padded_rows), dtype=np.int64)
    xs[:, :layer.inputs] = x
    w = np.zeros((padded_rows, layer.columns), dtype=np.int64)
    w[:layer.inputs] = weights_from_bits(bits)
    return np.einsum("nsr,src->nsc", xs.reshape(batch, layer.subarrays, layer.rows),
                     w.reshape(layer.subarrays, layer.rows, layer.columns))


def read_columns(sums, layer: LayerParams, *, reference: int = 0) -> np.ndarray:
    """The readout of every column: the exact sum, or the sense amplifier's bit ``sum >= reference``."""
    sums = np.asarray(sums, dtype=np.int64)
    if layer.readout == "exact":
        return sums
    return (sums >= reference).astype(np.int64)


def combine_subarrays(readout) -> np.ndarray:
    """The neurons' input currents: the readouts summed over the subarray axis (axis -2)."""
    return np.asarray(readout, dtype=np.int64).sum(axis=-2)


class ImcMacro:
    """The macro of one layer as a stateful object: programmed row by row, sensed with one input vector.

    Arguments
    ---------
    layer : LayerParams
    bits : array of 0/1, shape (layer.inputs, layer.columns), optional
        Initial contents; default erased (every bit 0, every weight -1).
    """

    def __init__(self, layer: LayerParams, bits=None):
        self.layer = layer
        self.bits = np.zeros((layer.inputs, layer.columns), dtype=np.uint8)
        if bits is not None:
            self.bits[:] = np.asarray(bits, dtype=np.uint8)

    def program_row(self, row: int, row_bits) -> None:
        """Write one row (input ``row``): ``row_bits[c]`` is column c's bit."""
        self.bits[row] = np.asarray(row_bits, dtype=np.uint8)

    def read_row(self, row: int) -> np.ndarray:
        return self.bits[row].copy()

    def sense(self, x, *, reference: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """One sensing phase for a batch of input vectors: ``(sums, readout)``, both (batch, S, C)."""
        sums = column_sums(x, self.bits, self.layer)
        return sums, read_columns(sums, self.layer, reference=reference)
