"""One IMC layer: the macro behind its memory controller, and the digital combination of the subarrays'
readouts into the neurons' input currents (docs/spec.md section 13.3; golden:
model/imc_macro.combine_subarrays)."""

from amaranth import Module, signed
from amaranth.lib import data, wiring
from amaranth.lib.wiring import In, Out, connect

from spinaps.bsnn_contract import LayerParams

from .imc_macro import ImcController, ImcPortSignature, balanced_sum, check_layer
from .params import check_range

__all__ = ["ImcLayer"]


class ImcLayer(wiring.Component):
    """The macro (behind ``memctrl``) and the adder trees that combine its subarrays.

    In the cycle the macro's ``valid`` is high, every column's readouts are summed over the subarrays
    (exact sums: a signed sum; 1-bit readouts: a popcount) and stored in ``current`` at the clock
    edge, where they stay until the next sensing phase is valid.

    Arguments
    ---------
    layer : LayerParams
    write_latency : int
    init_bits, trace :
        As for :class:`hw.imc_macro.ImcMacro`.

    Members
    -------
    port : In(ImcPortSignature(layer, trace=trace))
        Passed to the memory controller.
    current : Out(ArrayLayout(signed(layer.current_width), C))
    """

    def __init__(self, *, layer: LayerParams, write_latency: int, init_bits=None, trace: bool = False):
        check_layer(self, layer, init_bits)
        check_range(self, "write_latency", write_latency, 1, 64)
        self.layer, self.write_latency, self.init_bits, self.trace = layer, write_latency, init_bits, bool(trace)
        super().__init__({"port": In(ImcPortSignature(layer, trace=self.trace)),
                          "current": Out(data.ArrayLayout(signed(layer.current_width), layer.columns))})

    def elaborate(self, platform):
        layer = self.layer
        m = Module()
        m.submodules.memctrl = memctrl = ImcController(layer=layer, write_latency=self.write_latency,
                                                        init_bits=self.init_bits, trace=self.trace)
        connect(m, wiring.flipped(self.port), memctrl.port)
        with m.If(memctrl.port.valid):
            for c in range(layer.columns):
                column = (memctrl.port.readout[s * layer.columns + c] for s in range(layer.subarrays))
                m.d.sync += self.current[c].eq(balanced_sum(column))
        return m
