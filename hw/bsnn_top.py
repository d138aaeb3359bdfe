"""Top level of the bsnn_if accelerator: AXI4-Lite slave, register file and datapath, and the interrupt
(docs/spec.md section 13; golden: model/bsnn.py for inference, spinaps/bsnn_regmap.py for the bus)."""

from amaranth import Module
from amaranth.lib import wiring
from amaranth.lib.wiring import In, Out, connect

from spinaps.bsnn_contract import BsnnInit
from spinaps.config import Config
from spinaps.regmap import ADDRESS_BITS

from .axi_lite import AxiLiteSignature
from .bsnn_datapath import BsnnDatapath, BsnnTraceSignature
from .bsnn_regfile import BsnnRegisterFile
from .top import bus_front_end

__all__ = ["BsnnAccelerator"]


class BsnnAccelerator(wiring.Component):
    """The STT-BSNN-style in-memory binary SNN accelerator.

    Arguments
    ---------
    config : Config
        ``architecture: bsnn_if``.
    init : BsnnInit or None
        A trained network the design holds from reset: the macros' rows and the THRESHOLD, BIAS and NEGATE
        registers' reset values. None: erased macros (every weight -1) and the default neuron registers.
    trace : bool
        Verification build: add the per-step ``trace`` port (BsnnTraceSignature).

    Members
    -------
    s_axil : In(AxiLiteSignature)
        The bus (as hw/top.py's): the register table is ``spinaps.bsnn_regmap.register_map``.
    irq : Out(1)
        STATUS.DONE gated by IRQ_ENABLE.
    trace : Out(BsnnTraceSignature)
        Verification builds only.
    """

    def __init__(self, *, config: Config, init: BsnnInit | None = None, trace: bool = False):
        self.config, self.init, self.has_trace = config, init, bool(trace)
        members = {"s_axil": In(AxiLiteSignature(addr_width=ADDRESS_BITS)), "irq": Out(1)}
        if self.has_trace:
            members["trace"] = Out(BsnnTraceSignature(config=config))
        super().__init__(members)

    def elaborate(self, platform):
        m = Module()
        registers = bus_front_end(m, self.s_axil, BsnnRegisterFile(config=self.config, init=self.init))
        m.submodules.datapath = datapath = BsnnDatapath(config=self.config, init=self.init, trace=self.has_trace)
        connect(m, registers.settings, datapath.settings)
        connect(m, registers.commands, datapath.commands)
        connect(m, registers.program, datapath.program)
        if self.has_trace:
            connect(m, datapath.trace, wiring.flipped(self.trace))
        m.d.comb += self.irq.eq(registers.commands.done & registers.irq_enable)
        return m
