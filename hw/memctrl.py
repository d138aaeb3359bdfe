"""Memory controller: write-verify with bounded retries around one STT-RAM macro
(docs/spec.md, section 8; golden: model/memctrl.py)."""

from amaranth import Module, Mux, Signal
from amaranth.lib import wiring
from amaranth.lib.wiring import In, Out

from .params import check_range
from .sttram import ReadPort, SttRamMacro, check_macro_parameters

__all__ = ["MemoryController", "ProgramPort"]


class ProgramPort(wiring.Signature):
    """The host side of a memory controller, as the requester sees it: ``start`` a program of
    ``data`` into row ``addr`` (write-verify), or with ``read_back`` a read of that row; ``busy``
    meanwhile; ``done`` and ``ok`` end a program, ``rb_valid`` with ``rb_data`` a read-back."""

    def __init__(self, *, addr_bits: int, row_bits: int):
        super().__init__({"start": Out(1), "read_back": Out(1), "addr": Out(addr_bits), "data": Out(row_bits),
                          "busy": In(1), "done": In(1), "ok": In(1), "rb_data": In(row_bits), "rb_valid": In(1)})


class MemoryController(wiring.Component):
    """Programs and reads back the rows of its :class:`~hw.sttram.SttRamMacro`
    (``self.macro``) for the host, and passes inference reads straight through.

    The inference read port and the host side (programming, read-back) are not
    used at the same time: the register file starts a program or read-back only
    while no inference runs, and the tiles issue no read while ``program.busy`` is
    high. ``read.en`` is ignored while ``program.busy`` is high, and ``read.valid``
    stays low then (the controller's own reads do not show on it).

    Timing, with cycle 0 the cycle ``program.start`` (without ``read_back``) is accepted, T the macro's
    ``write_cycles`` and L = ``read_latency``. One *attempt* takes
    A = :attr:`attempt_cycles` = T + L + 2 cycles: write request (1), macro
    write (T, up to ``wr_done``), verify read request (1), read latency (L).
    Attempt k (k = 0 .. retries) runs in cycles k·A + 1 .. (k+1)·A and compares
    in its last cycle. On a match, ``done`` and ``ok`` are high in that
    cycle; on a mismatch with retries left, ``retry`` pulses and the next attempt
    (a new write, taking fresh write-failure draws) starts in the following cycle;
    on a mismatch after ``write_retries`` retries, ``failed`` and ``done`` are high,
    ``ok`` low, and ``sticky_error`` is set from the next cycle. A program with n
    retries thus ends in cycle (n+1)·A, and ``busy`` is high in cycles 1 .. (n+1)·A.

    Read-back: ``start`` with ``read_back`` accepted in cycle 0 reads the macro in that
    cycle; ``rb_valid`` is high and ``rb_data`` holds the row in cycle L, and
    ``busy`` is high in cycles 1 .. L.

    Arguments
    ---------
    rows, row_bits, read_latency, write_latency, write_error_rate, seed, lfsr_width, init
        Those of the macro (:class:`hw.sttram.SttRamMacro`).
    write_retries : int
        Writes after the first before a program fails (0..15).

    Members
    -------
    read : In(ReadPort)
        The macro's inference read port, passed through (same timing).
    program : In(ProgramPort)
        Programming and read-back; ``start`` is ignored while ``busy``.
    retry : Out(1)
        One-cycle pulse per retry.
    failed : Out(1)
        One-cycle pulse when a program fails (with ``done``).
    sticky_error : Out(1)
        Set by ``failed``, cleared by ``clear_error`` (a failure in the same cycle wins).
    clear_error : In(1)
    """

    def __init__(self, *, rows: int, row_bits: int, read_latency: int, write_latency: int,
                 write_error_rate: float, seed: int, lfsr_width: int, write_retries: int, init=None):
        macro_parameters = dict(rows=rows, row_bits=row_bits, read_latency=read_latency,
                                write_latency=write_latency, write_error_rate=write_error_rate, seed=seed,
                                lfsr_width=lfsr_width, init=init)
        # Checked here first, so that a refused controller is silenced, not only its macro.
        check_macro_parameters(self, **macro_parameters)
        check_range(self, "write_retries", write_retries, 0, 15)
        self.write_retries = write_retries
        self.macro = SttRamMacro(**macro_parameters)
        self.attempt_cycles = self.macro.write_cycles + read_latency + 2
        ports = dict(addr_bits=len(self.macro.read.addr), row_bits=row_bits)
        super().__init__({"read": In(ReadPort(**ports)), "program": In(ProgramPort(**ports)),
                          "retry": Out(1), "failed": Out(1), "sticky_error": Out(1), "clear_error": In(1)})

    def elaborate(self, platform):
        m = Module()
        m.submodules.macro = macro = self.macro
        read_latency = self.macro.read_latency

        program, read = self.program, self.read
        address = Signal.like(program.addr)
        data = Signal.like(program.data)
        retries = Signal(range(self.write_retries + 1))  # retries made; no logic when write_retries = 0
        # Counts the read latency down to 1, the cycle of the data: the controller's
        # own reads are told apart from stray inference reads by timing, not rd_valid.
        wait = Signal(range(read_latency + 1))
        m.d.comb += [read.data.eq(macro.read.data), program.rb_data.eq(macro.read.data),
                     macro.write.addr.eq(address), macro.write.data.eq(data)]

        with m.FSM() as fsm:
            with m.State("IDLE"):
                reading_back = program.start & program.read_back
                m.d.comb += [macro.read.en.eq(read.en | reading_back),
                             macro.read.addr.eq(Mux(reading_back, program.addr, read.addr))]
                with m.If(program.start & ~program.read_back):
                    m.d.sync += [address.eq(program.addr), data.eq(program.data)]
                    if self.write_retries:
                        m.d.sync += retries.eq(0)
                    m.next = "WRITE"
                with m.Elif(reading_back):
                    m.d.sync += wait.eq(read_latency)
                    m.next = "READ_BACK"
            with m.State("WRITE"):
                # The macro is idle: its last write ended (wr_done) at least a cycle ago.
                m.d.comb += macro.write.en.eq(1)
                m.next = "WAIT_WRITE"
            with m.State("WAIT_WRITE"):
                with m.If(macro.write.done):
                    m.next = "VERIFY"
            with m.State("VERIFY"):
                m.d.comb += [macro.read.en.eq(1), macro.read.addr.eq(address)]
                m.d.sync += wait.eq(read_latency)
                m.next = "WAIT_READ"
            with m.State("WAIT_READ"):
                m.d.sync += wait.eq(wait - 1)
                with m.If(wait == 1):
                    with m.If(macro.read.data == data):
                        m.d.comb += [program.done.eq(1), program.ok.eq(1)]
                        m.next = "IDLE"
                    if self.write_retries:
                        with m.Elif(retries < self.write_retries):
                            m.d.comb += self.retry.eq(1)
                            m.d.sync += retries.eq(retries + 1)
                            m.next = "WRITE"
                    with m.Else():
                        m.d.comb += [program.done.eq(1), self.failed.eq(1)]
                        m.next = "IDLE"
            with m.State("READ_BACK"):
                m.d.sync += wait.eq(wait - 1)
                with m.If(wait == 1):
                    m.d.comb += program.rb_valid.eq(1)
                    m.next = "IDLE"

        m.d.comb += [program.busy.eq(~fsm.ongoing("IDLE")), read.valid.eq(macro.read.valid & ~program.busy)]
        with m.If(self.failed):
            m.d.sync += self.sticky_error.eq(1)
        with m.Elif(self.clear_error):
            m.d.sync += self.sticky_error.eq(0)
        return m
