"""AXI4-Lite slave that turns bus transactions into register-access strobes (docs/spec.md section 9)."""

from amaranth import Module, Mux, Signal
from amaranth.lib import wiring
from amaranth.lib.wiring import In, Out

from .params import check_range

__all__ = ["AxiLiteSlave", "RESP_OKAY", "RESP_SLVERR"]

RESP_OKAY = 0b00
RESP_SLVERR = 0b10


class AxiLiteSlave(wiring.Component):
    """An AXI4-Lite slave (32-bit data) in front of a register file.

    Every output is a register or a function of registers only, so there is no
    combinational path from any input to any output. Timing, counted in
    cycles of ``clk`` where a handshake is the cycle in which valid and ready
    are both high:

    - write: the cycle after the later of the AW and W handshakes has
      ``reg_we`` (if not deferred to a read, see below); ``bvalid`` rises the
      cycle after ``reg_we`` and holds until the B handshake. AW and W are
      accepted again the cycle after the B handshake.
    - read: the cycle after the AR handshake has ``reg_re`` (if not deferred
      to a write); ``rvalid`` rises the cycle after ``reg_re`` and holds,
      with ``rdata``/``rresp``, until the R handshake. AR is accepted again
      the cycle after the R handshake.

    One access is performed per cycle. When a read and a write are both ready,
    they alternate (round robin: the one not performed last goes first), so
    neither direction can starve the other; the loser waits exactly one cycle.

    Arguments
    ---------
    addr_width : int
        Width of the byte addresses (4..32). Unaligned addresses are passed
        through unchanged; the register file decides (``reg_err``).

    Members
    -------
    awaddr : In(addr_width)
    awprot : In(3)
        Ignored (accepted for interface completeness).
    awvalid : In(1)
    awready : Out(1)
        High while no write address is held and no write response is pending.
    wdata : In(32)
    wstrb : In(4)
    wvalid : In(1)
    wready : Out(1)
        High while no write data is held and no write response is pending.
    bresp : Out(2)
        OKAY (0b00), or SLVERR (0b10) when the register file refused the write.
    bvalid : Out(1)
    bready : In(1)
    araddr : In(addr_width)
    arprot : In(3)
        Ignored (accepted for interface completeness).
    arvalid : In(1)
    arready : Out(1)
        High while no read address is held and no read response is pending.
    rdata : Out(32)
        ``reg_rdata`` as captured in the ``reg_re`` cycle (also when refused).
    rresp : Out(2)
        OKAY (0b00), or SLVERR (0b10) when the register file refused the read.
    rvalid : Out(1)
    rready : In(1)
    reg_addr : Out(addr_width)
        Byte address of the access: the read address in a ``reg_re`` cycle,
        otherwise the last captured write address.
    reg_wdata : Out(32)
        Write data; meaningful when ``reg_we`` is high.
    reg_wstrb : Out(4)
        Byte enables (bit i: byte i of ``reg_wdata``); meaningful when ``reg_we``
        is high. The register file applies them.
    reg_we : Out(1)
        One-cycle pulse: perform this write.
    reg_re : Out(1)
        One-cycle pulse: perform this read.
    reg_rdata : In(32)
        Read data, driven combinationally by the register file in the
        ``reg_re`` cycle.
    reg_err : In(1)
        Driven combinationally by the register file in the ``reg_we``/``reg_re``
        cycle: 1 refuses the access (SLVERR).
    """

    def __init__(self, *, addr_width: int = 16):
        check_range(self, "addr_width", addr_width, 4, 32)
        self.addr_width = addr_width
        super().__init__({
            "awaddr": In(addr_width), "awprot": In(3), "awvalid": In(1), "awready": Out(1),
            "wdata": In(32), "wstrb": In(4), "wvalid": In(1), "wready": Out(1),
            "bresp": Out(2), "bvalid": Out(1), "bready": In(1),
            "araddr": In(addr_width), "arprot": In(3), "arvalid": In(1), "arready": Out(1),
            "rdata": Out(32), "rresp": Out(2), "rvalid": Out(1), "rready": In(1),
            "reg_addr": Out(addr_width), "reg_wdata": Out(32), "reg_wstrb": Out(4),
            "reg_we": Out(1), "reg_re": Out(1), "reg_rdata": In(32), "reg_err": In(1),
        })

    def elaborate(self, platform):
        m = Module()

        # Captured channels: each "held" flag stays set until the access is performed.
        # Ports are driven directly (no internal copies) so that the Verilog has no
        # unused alias wires.
        aw_held = Signal()
        w_held = Signal()
        ar_held = Signal()
        read_last = Signal()  # round robin: the last access performed was a read
        waddr = Signal(self.addr_width)
        raddr = Signal(self.addr_width)
        write_ready = Signal()

        # Ready only from registers: no input-to-output combinational path, and
        # no new write (read) is accepted until its B (R) handshake is done.
        m.d.comb += [
            self.awready.eq(~aw_held & ~self.bvalid),
            self.wready.eq(~w_held & ~self.bvalid),
            self.arready.eq(~ar_held & ~self.rvalid),
        ]

        # A read goes first unless a write is also ready and the last access was a read.
        m.d.comb += [
            write_ready.eq(aw_held & w_held),
            self.reg_re.eq(ar_held & (~write_ready | ~read_last)),
            self.reg_we.eq(write_ready & ~self.reg_re),
            self.reg_addr.eq(Mux(self.reg_re, raddr, waddr)),
        ]

        with m.If(self.awvalid & self.awready):
            m.d.sync += [aw_held.eq(1), waddr.eq(self.awaddr)]
        with m.If(self.wvalid & self.wready):
            m.d.sync += [w_held.eq(1), self.reg_wdata.eq(self.wdata), self.reg_wstrb.eq(self.wstrb)]
        with m.If(self.arvalid & self.arready):
            m.d.sync += [ar_held.eq(1), raddr.eq(self.araddr)]

        # The register file answers reg_err/reg_rdata in the strobe cycle: capture them now.
        # A write is never performed while bvalid is high (nor a read while rvalid is
        # high): the channels are not accepted again before the response handshake.
        with m.If(self.reg_we):
            m.d.sync += [aw_held.eq(0), w_held.eq(0), read_last.eq(0), self.bvalid.eq(1),
                         self.bresp.eq(Mux(self.reg_err, RESP_SLVERR, RESP_OKAY))]
        with m.Elif(self.bvalid & self.bready):
            m.d.sync += self.bvalid.eq(0)

        with m.If(self.reg_re):
            m.d.sync += [ar_held.eq(0), read_last.eq(1), self.rvalid.eq(1), self.rdata.eq(self.reg_rdata),
                         self.rresp.eq(Mux(self.reg_err, RESP_SLVERR, RESP_OKAY))]
        with m.Elif(self.rvalid & self.rready):
            m.d.sync += self.rvalid.eq(0)
        return m
