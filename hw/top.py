"""Top level: AXI4-Lite slave, register file, control unit and datapath, and the interrupt
(docs/spec.md; golden: model/golden.py for inference, spinaps/regmap.py for the bus)."""

from amaranth import Module
from amaranth.lib import wiring
from amaranth.lib.wiring import In, Out, connect

from spinaps.config import Config
from spinaps.regmap import ADDRESS_BITS

from .axi_lite import AxiLiteSignature, AxiLiteSlave
from .control import ControlUnit
from .datapath import Datapath, with_trace
from .regfile import RegisterFile

__all__ = ["Accelerator", "bus_front_end"]


def bus_front_end(m: Module, s_axil, registers):
    """Add the AXI4-Lite slave in front of a register file (``registers``, with a ``bus`` member taking
    RegisterBusSignature) to ``m``, as submodules ``axi`` and ``registers``; ``s_axil`` is the top level's
    slave port. Returns the register file."""
    m.submodules.axi = axi = AxiLiteSlave(addr_width=ADDRESS_BITS)
    m.submodules.registers = registers
    connect(m, wiring.flipped(s_axil), axi.bus)
    connect(m, axi.reg, registers.bus)
    return registers


class Accelerator(wiring.Component):
    """The SpinAPS-style accelerator.

    Arguments
    ---------
    config : Config
    mapping : tuple of tuples of int
        The inputs of each tile, in local order (``spinaps.contract.tile_map``).
    macro_init : list of lists of int, or None
        Each tile's initial macro rows (``spinaps.contract.macro_contents``); None: erased macros.
    bias_init : list of int or None
        Reset values of the BIAS registers; None: zeros.
    trace : bool
        Add the per-step ``trace`` port (verification builds; hw/datapath.py's TraceSignature).

    Members
    -------
    s_axil : In(AxiLiteSignature)
        AXI4-Lite slave, 16-bit byte addresses, 32-bit data; registers: ``spinaps.regmap.register_map``.
    irq : Out(1)
        High while STATUS.DONE and IRQ_ENABLE.
    trace : Out(TraceSignature), only with ``trace``
    """

    def __init__(self, *, config: Config, mapping, macro_init=None, bias_init=None, trace: bool = False):
        self.config, self.mapping = config, tuple(tuple(inputs) for inputs in mapping)
        self.macro_init, self.bias_init, self.has_trace = macro_init, bias_init, trace
        super().__init__(with_trace({"s_axil": In(AxiLiteSignature(addr_width=ADDRESS_BITS)), "irq": Out(1)},
                                    config=config, trace=trace))

    def elaborate(self, platform):
        c = self.config
        m = Module()
        registers = bus_front_end(m, self.s_axil, RegisterFile(config=c, bias_init=self.bias_init))
        m.submodules.control = control = ControlUnit(config=c)
        m.submodules.datapath = datapath = Datapath(config=c, mapping=self.mapping, macro_init=self.macro_init,
                                                    trace=self.has_trace)
        connect(m, control.datapath, datapath.control)
        connect(m, registers.settings, datapath.settings)
        connect(m, registers.program, datapath.program)
        connect(m, registers.pixels, datapath.pixels)
        if self.has_trace:
            connect(m, datapath.trace, wiring.flipped(self.trace))
        connect(m, registers.commands, control.commands)
        m.d.comb += self.irq.eq(control.commands.done & registers.irq_enable)
        return m
