"""Golden model of the neuron stage (hw/neuron.py): one time step of the output neurons."""

import numpy as np

from spinaps.config import Config

from .lfsr import lfsr_draw
from .sigmoid_lut import lut_lookup

__all__ = ["neuron_step"]


def neuron_step(config: Config, tile_acc, bias, spike_state: int):
    """Potentials, probabilities, draws and spikes of one step.

    Arguments
    ---------
    tile_acc : int array (tiles, N_Y)
    bias : int array (N_Y,)
    spike_state : int
        Spike LFSR state before the step.

    Returns
    -------
    dict with ``potential``, ``prob``, ``draw``, ``spike`` (lists over neurons) and ``state``.
    """
    potential = (np.asarray(tile_acc, dtype=np.int64).sum(axis=0) + np.asarray(bias)).tolist()
    prob = lut_lookup(np.array(potential), config).tolist()
    draw = []
    for _ in range(config.n_outputs):
        value, spike_state = lfsr_draw(spike_state, config.lfsr_width, config.prob_bits)
        draw.append(value)
    return {"potential": potential, "prob": prob, "draw": draw,
            "spike": [d < p for d, p in zip(draw, prob)], "state": spike_state}
