"""Golden model of the neuron stage (hw/neuron.py): one time step of the output neurons."""

import numpy as np

from spinaps.config import Config

from .lfsr import lfsr_draw
from .sigmoid_lut import lut_lookup

__all__ = ["neuron_step"]


def neuron_step(config: Config, potentials, spike_state: int):
    """Probabilities, draws and spikes of one step's potentials.

    Arguments
    ---------
    potentials : int array (N_Y,)
    spike_state : int
        Spike LFSR state before the step.

    Returns
    -------
    dict with ``prob``, ``draw``, ``spike`` (lists over neurons) and ``state``.
    """
    prob = lut_lookup(np.asarray(potentials, dtype=np.int64), config).tolist()
    draw = []
    for _ in range(config.n_outputs):
        value, spike_state = lfsr_draw(spike_state, config.lfsr_width, config.prob_bits)
        draw.append(value)
    return {"prob": prob, "draw": draw, "spike": [d < p for d, p in zip(draw, prob)], "state": spike_state}
