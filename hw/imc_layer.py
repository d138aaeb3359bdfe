"""One IMC layer: the macro and its memory controller, and the digital combination of the subarrays'
readouts into the neurons' input currents (docs/spec_bsnn.md section 3; golden:
model/imc_macro.combine_subarrays)."""

from amaranth import Module, signed
from amaranth.lib import data, wiring
from amaranth.lib.wiring import Out

from model.bsnn_params import LayerParams

from .imc_macro import ImcController, balanced_sum, check_layer, controller_members
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
    The controller's members (``x``, ``sense``, ``valid``, ``readout``, ``reference`` with the 1-bit
    readout, ``trace_sums`` with ``trace``, ``prog_*``, ``rb_*``, ``busy``, ``done``), and
    current : Out(ArrayLayout(signed(layer.current_width), C))
    """

    def __init__(self, *, layer: LayerParams, write_latency: int, init_bits=None, trace: bool = False):
        check_layer(self, layer, init_bits)
        check_range(self, "write_latency", write_latency, 1, 64)
        self.layer, self.write_latency, self.init_bits, self.trace = layer, write_latency, init_bits, bool(trace)
        members = controller_members(layer, trace=self.trace)
        self._controller_ports = list(members)
        members["current"] = Out(data.ArrayLayout(signed(layer.current_width), layer.columns))
        super().__init__(members)

    def elaborate(self, platform):
        layer = self.layer
        m = Module()
        m.submodules.memctrl = memctrl = ImcController(layer=layer, write_latency=self.write_latency,
                                                        init_bits=self.init_bits, trace=self.trace)
        for name in self._controller_ports:
            ours, theirs = getattr(self, name), getattr(memctrl, name)
            if self.signature.members[name].flow == wiring.In:
                m.d.comb += theirs.eq(ours)
            else:
                m.d.comb += ours.eq(theirs)
        with m.If(memctrl.valid):
            for c in range(layer.columns):
                column = (memctrl.readout[s * layer.columns + c] for s in range(layer.subarrays))
                m.d.sync += self.current[c].eq(balanced_sum(column))
        return m
