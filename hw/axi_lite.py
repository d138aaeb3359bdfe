"""AXI4-Lite slave that turns bus transactions into register-access strobes (docs/spec.md section 9)."""

from amaranth import Cat, Module, Mux, Signal
from amaranth.lib import wiring
from amaranth.lib.wiring import In, Out

from .params import check_range

__all__ = ["AxiLiteSignature", "RegisterBusSignature", "AxiLiteSlave", "RESP_OKAY", "RESP_SLVERR"]

RESP_OKAY = 0b00
RESP_SLVERR = 0b10


class AxiLiteSignature(wiring.Signature):
    """An AXI4-Lite interface with 32-bit data, as the master sees it (a slave takes ``In(...)``)."""

    def __init__(self, *, addr_width: int):
        super().__init__({
            "awaddr": Out(addr_width), "awprot": Out(3), "awvalid": Out(1), "awready": In(1),
            "wdata": Out(32), "wstrb": Out(4), "wvalid": Out(1), "wready": In(1),
            "bresp": In(2), "bvalid": In(1), "bready": Out(1),
            "araddr": Out(addr_width), "arprot": Out(3), "arvalid": Out(1), "arready": In(1),
            "rdata": In(32), "rresp": In(2), "rvalid": In(1), "rready": Out(1),
        })


class RegisterBusSignature(wiring.Signature):
    """Register-access strobes, as the bus slave sees them: one access per cycle (``we`` or ``re``)
    at ``addr``, answered combinationally in that cycle with ``rdata`` and ``err`` (SLVERR)."""

    def __init__(self, *, addr_width: int):
        super().__init__({"addr": Out(addr_width), "wdata": Out(32), "wstrb": Out(4), "we": Out(1), "re": Out(1),
                          "rdata": In(32), "err": In(1)})


class AxiLiteSlave(wiring.Component):
    """An AXI4-Lite slave (32-bit data) in front of a register file.

    Every output is a register or a function of registers only, so there is no
    combinational path from any input to any output. Timing, counted in
    cycles of ``clk`` where a handshake is the cycle in which valid and ready
    are both high:

    - write: the cycle after the later of the AW and W handshakes has
      ``reg_we``; a read: the cycle after the AR handshake has ``reg_re``
      (unless deferred to the other direction, see below, or ``RESPONSES``
      responses of its channel are waiting for their handshake). The response
      (``bresp``; ``rdata``/``rresp``) is queued, and ``bvalid`` (``rvalid``)
      is high from the next cycle until every queued response has had its
      handshake, in order. A channel accepts its next beat in the cycle its held
      beat is performed, so back-to-back writes (reads) run at one a cycle
      while the master takes a response a cycle.

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
    bus : In(AxiLiteSignature)
        The AXI4-Lite slave port. ``awprot``/``arprot`` are ignored (accepted for interface
        completeness). ``awready``/``wready`` are high while no write address (data) is held or
        the held one is performed in this cycle, ``arready`` likewise for reads. ``bresp``/``rresp``
        are OKAY (0b00), or SLVERR (0b10) when the register file refused the access. ``rdata`` is
        ``reg.rdata`` as captured in the ``reg.re`` cycle (also when refused).
    reg : Out(RegisterBusSignature)
        ``addr`` is the byte address of the access: the read address in a ``re`` cycle, otherwise
        the last captured write address; ``wdata``/``wstrb`` are meaningful when ``we`` is high
        (the register file applies the byte enables); ``we``/``re`` are one-cycle pulses;
        ``rdata`` and ``err`` are driven combinationally by the register file in that cycle.
    """

    #: Responses the slave queues on each of B and R (performed accesses whose handshake is still
    #: to come). Two keep one access a cycle flowing while the master takes a response a cycle,
    #: with ``reg_we``/``reg_re`` gated by registers only.
    RESPONSES = 2

    def __init__(self, *, addr_width: int = 16):
        check_range(self, "addr_width", addr_width, 4, 32)
        self.addr_width = addr_width
        super().__init__({"bus": In(AxiLiteSignature(addr_width=addr_width)),
                          "reg": Out(RegisterBusSignature(addr_width=addr_width))})

    def _response_queue(self, m, *, push, value, valid, ready, head):
        """Responses in order: ``head`` (the bus's payload registers) and one entry behind it.
        ``valid`` is high while any is queued; returns the number queued (a register)."""
        queued = Signal(range(self.RESPONSES + 1))
        behind = Signal(len(head))
        popped = valid & ready
        m.d.comb += valid.eq(queued != 0)
        m.d.sync += queued.eq(queued + push - popped)
        with m.If(popped):
            m.d.sync += head.eq(behind)
        with m.If(push):
            # The new response goes to the head if the queue is empty after this cycle's pop.
            with m.If(queued - popped == 0):
                m.d.sync += head.eq(value)
            with m.Else():
                m.d.sync += behind.eq(value)
        return queued

    def elaborate(self, platform):
        m = Module()
        bus, reg = self.bus, self.reg

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
        read_ready = Signal()

        # The register file answers reg_err/reg_rdata in the strobe cycle: queue them now.
        response = Mux(reg.err, RESP_SLVERR, RESP_OKAY)
        writes_queued = self._response_queue(m, push=reg.we, value=response, valid=bus.bvalid,
                                             ready=bus.bready, head=bus.bresp)
        reads_queued = self._response_queue(m, push=reg.re, value=Cat(reg.rdata, response), valid=bus.rvalid,
                                            ready=bus.rready, head=Cat(bus.rdata, bus.rresp))

        # A read goes first unless a write is also ready and the last access was a read; an
        # access waits while its response queue is full.
        m.d.comb += [
            write_ready.eq(aw_held & w_held & (writes_queued < self.RESPONSES)),
            read_ready.eq(ar_held & (reads_queued < self.RESPONSES)),
            reg.re.eq(read_ready & (~write_ready | ~read_last)),
            reg.we.eq(write_ready & ~reg.re),
            reg.addr.eq(Mux(reg.re, raddr, waddr)),
        ]

        # Ready only from registers (reg.we and reg.re are functions of registers): no
        # input-to-output combinational path. A channel takes its next beat in the cycle its
        # held one is performed.
        m.d.comb += [
            bus.awready.eq(~aw_held | reg.we),
            bus.wready.eq(~w_held | reg.we),
            bus.arready.eq(~ar_held | reg.re),
        ]

        with m.If(reg.we):
            m.d.sync += [aw_held.eq(0), w_held.eq(0), read_last.eq(0)]
        with m.If(reg.re):
            m.d.sync += [ar_held.eq(0), read_last.eq(1)]
        with m.If(bus.awvalid & bus.awready):
            m.d.sync += [aw_held.eq(1), waddr.eq(bus.awaddr)]
        with m.If(bus.wvalid & bus.wready):
            m.d.sync += [w_held.eq(1), reg.wdata.eq(bus.wdata), reg.wstrb.eq(bus.wstrb)]
        with m.If(bus.arvalid & bus.arready):
            m.d.sync += [ar_held.eq(1), raddr.eq(bus.araddr)]
        return m
