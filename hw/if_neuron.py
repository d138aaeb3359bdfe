"""Integrate-and-fire neurons with a dynamic threshold, one layer updated in one cycle
(docs/spec.md section 13.4; golden: model/if_neuron.py)."""

from amaranth import Cat, Module, Mux, signed, unsigned
from amaranth.lib import data, wiring
from amaranth.lib.wiring import In, Out

from spinaps.bsnn_contract import RESET_MODES, LayerParams

from .params import _refuse, check_choice, check_range

__all__ = ["IfNeuronArray"]


class IfNeuronArray(wiring.Component):
    """The ``layer.columns`` IF neurons of one layer.

    In a cycle with ``update`` high every neuron c computes
    ``v' = v + (-I if negate[c] else I) * 2**frac_bits + bias[c]`` from its current I = ``current[c]``,
    fires iff ``v' >= threshold[c]`` (``fire``, combinational) and at the clock edge stores
    ``spike`` = fire and ``potential`` = ``v' - threshold[c]`` (subtract) or 0 (zero) if it fired, else
    ``v'``. ``clear`` sets every potential and spike to 0 (start of an inference). Widths come from
    ``layer`` (spinaps.bsnn_contract): no value can overflow.

    Arguments
    ---------
    layer : LayerParams
    frac_bits : int
        F, fraction bits of potentials, thresholds and biases (0..8).
    threshold_bits, bias_bits : int
        Widths of the threshold (unsigned) and bias (signed) inputs (2..24).
    reset_mode : {"subtract", "zero"}

    Members
    -------
    current : In(ArrayLayout(signed(layer.current_width), C))
    threshold : In(ArrayLayout(unsigned(threshold_bits), C))
    bias : In(ArrayLayout(signed(bias_bits), C))
    negate : In(C)
    update, clear : In(1)
    fire : Out(C)
        The spikes this update produces (meaningful while ``update`` is high).
    spike : Out(C)
        The spikes of the last update.
    potential : Out(ArrayLayout(signed(layer.membrane_width), C))
    """

    def __init__(self, *, layer: LayerParams, frac_bits: int, threshold_bits: int, bias_bits: int, reset_mode: str):
        if not isinstance(layer, LayerParams):
            _refuse(self, f"layer = {layer!r} is not a LayerParams")
        check_range(self, "frac_bits", frac_bits, 0, 8)
        check_range(self, "threshold_bits", threshold_bits, 2, 24)
        check_range(self, "bias_bits", bias_bits, 2, 24)
        check_choice(self, "reset_mode", reset_mode, RESET_MODES)
        self.layer, self.frac_bits, self.reset_mode = layer, frac_bits, reset_mode
        self.threshold_bits, self.bias_bits = threshold_bits, bias_bits
        n = layer.columns
        super().__init__({
            "current": In(data.ArrayLayout(signed(layer.current_width), n)),
            "threshold": In(data.ArrayLayout(unsigned(threshold_bits), n)),
            "bias": In(data.ArrayLayout(signed(bias_bits), n)), "negate": In(n),
            "update": In(1), "clear": In(1), "fire": Out(n), "spike": Out(n),
            "potential": Out(data.ArrayLayout(signed(layer.membrane_width), n)),
        })

    def elaborate(self, platform):
        m = Module()
        width = self.layer.membrane_width
        fires, updated = [], []
        for c in range(self.layer.columns):
            current = self.current[c]
            scaled = Mux(self.negate[c], -current, current) << self.frac_bits
            pre_reset = (self.potential[c] + scaled + self.bias[c])
            fire = pre_reset >= self.threshold[c]
            after = pre_reset - self.threshold[c] if self.reset_mode == "subtract" else 0
            fires.append(fire)
            updated.append(Mux(fire, after, pre_reset)[:width])
        m.d.comb += self.fire.eq(Cat(*fires))
        with m.If(self.clear):
            m.d.sync += [self.potential.eq(0), self.spike.eq(0)]
        with m.Elif(self.update):
            m.d.sync += [self.potential[c].eq(v) for c, v in enumerate(updated)]
            m.d.sync += self.spike.eq(self.fire)
        return m
