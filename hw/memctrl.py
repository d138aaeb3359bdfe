"""Memory controller: write-verify with bounded retries around one STT-RAM macro
(docs/spec.md, section 8; golden: model/memctrl.py)."""

from amaranth import Module, Mux, Signal
from amaranth.lib import wiring
from amaranth.lib.wiring import In, Out

from .params import check_range
from .sttram import SttRamMacro, check_macro_parameters

__all__ = ["MemoryController"]


class MemoryController(wiring.Component):
    """Programs and reads back the rows of its :class:`~hw.sttram.SttRamMacro`
    (``self.macro``) for the host, and passes inference reads straight through.

    The inference read port and the host side (programming, read-back) must not
    be used at the same time: the top level starts a program or read-back only
    when no inference read is in flight, and issues none while ``prog_busy`` is
    high. ``rd_en`` is ignored while ``prog_busy`` is high, and ``rd_valid``
    stays low then (the controller's own reads do not show on it). If
    ``prog_en`` and ``rb_en`` are high together, the program is started.

    Timing, with cycle 0 the cycle ``prog_en`` is accepted, T the macro's
    ``write_cycles`` and L = ``read_latency``. One *attempt* takes
    A = :attr:`attempt_cycles` = T + L + 2 cycles: write request (1), macro
    write (T, up to ``wr_done``), verify read request (1), read latency (L).
    Attempt k (k = 0 .. retries) runs in cycles k·A + 1 .. (k+1)·A and compares
    in its last cycle. On a match, ``prog_done`` and ``prog_ok`` are high in that
    cycle; on a mismatch with retries left, ``retry`` pulses and the next attempt
    starts in the following cycle; on a mismatch after ``write_retries``
    retries, ``failed``, ``prog_done`` are high, ``prog_ok`` low, and
    ``sticky_error`` is set from the next cycle. A program with n retries thus
    ends in cycle (n+1)·A, and ``prog_busy`` is high in cycles 1 .. (n+1)·A.

    Read-back: ``rb_en`` accepted in cycle 0 reads the macro in that cycle;
    ``rb_valid`` is high and ``rb_data`` holds the row in cycle L, and
    ``prog_busy`` is high in cycles 1 .. L.

    Arguments
    ---------
    rows, row_bits, read_latency, write_latency, write_error_rate, seed, lfsr_width, init
        Those of the macro (:class:`hw.sttram.SttRamMacro`).
    write_retries : int
        Writes after the first before a program fails (0..15).

    Members
    -------
    rd_en : In(1)
    rd_addr : In(ceil_log2(rows) or 1)
    rd_data : Out(row_bits)
    rd_valid : Out(1)
        The macro's inference read port (same timing).
    prog_en : In(1)
        Start programming ``prog_data`` into row ``prog_addr``; ignored while ``prog_busy``.
    prog_addr : In(ceil_log2(rows) or 1)
    prog_data : In(row_bits)
    prog_busy : Out(1)
        A program or read-back is in progress.
    prog_done : Out(1)
        One-cycle pulse when a program ends.
    prog_ok : Out(1)
        With ``prog_done``: the row verified (else it is still wrong). Low otherwise.
    rb_en : In(1)
        Read back row ``rb_addr``; ignored while ``prog_busy``.
    rb_addr : In(ceil_log2(rows) or 1)
    rb_data : Out(row_bits)
    rb_valid : Out(1)
    retry : Out(1)
        One-cycle pulse per retry.
    failed : Out(1)
        One-cycle pulse when a program fails (with ``prog_done``).
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
        addr_bits = len(self.macro.rd_addr)
        super().__init__({
            "rd_en": In(1), "rd_addr": In(addr_bits), "rd_data": Out(row_bits), "rd_valid": Out(1),
            "prog_en": In(1), "prog_addr": In(addr_bits), "prog_data": In(row_bits),
            "prog_busy": Out(1), "prog_done": Out(1), "prog_ok": Out(1),
            "rb_en": In(1), "rb_addr": In(addr_bits), "rb_data": Out(row_bits), "rb_valid": Out(1),
            "retry": Out(1), "failed": Out(1), "sticky_error": Out(1), "clear_error": In(1),
        })

    def elaborate(self, platform):
        m = Module()
        m.submodules.macro = macro = self.macro
        read_latency = self.macro.read_latency

        address = Signal.like(self.prog_addr)
        data = Signal.like(self.prog_data)
        retries = Signal(range(self.write_retries + 1))  # retries made; no logic when write_retries = 0
        # Counts the read latency down to 1, the cycle of the data: the controller's
        # own reads are told apart from stray inference reads by timing, not rd_valid.
        wait = Signal(range(read_latency + 1))
        m.d.comb += [self.rd_data.eq(macro.rd_data), self.rb_data.eq(macro.rd_data),
                     macro.wr_addr.eq(address), macro.wr_data.eq(data)]

        with m.FSM() as fsm:
            with m.State("IDLE"):
                m.d.comb += [macro.rd_en.eq(self.rd_en | self.rb_en),
                             macro.rd_addr.eq(Mux(self.rb_en, self.rb_addr, self.rd_addr))]
                with m.If(self.prog_en):
                    m.d.sync += [address.eq(self.prog_addr), data.eq(self.prog_data)]
                    if self.write_retries:
                        m.d.sync += retries.eq(0)
                    m.next = "WRITE"
                with m.Elif(self.rb_en):
                    m.d.sync += wait.eq(read_latency)
                    m.next = "READ_BACK"
            with m.State("WRITE"):
                # The macro is idle: its last write ended (wr_done) at least a cycle ago.
                m.d.comb += macro.wr_en.eq(1)
                m.next = "WAIT_WRITE"
            with m.State("WAIT_WRITE"):
                with m.If(macro.wr_done):
                    m.next = "VERIFY"
            with m.State("VERIFY"):
                m.d.comb += [macro.rd_en.eq(1), macro.rd_addr.eq(address)]
                m.d.sync += wait.eq(read_latency)
                m.next = "WAIT_READ"
            with m.State("WAIT_READ"):
                m.d.sync += wait.eq(wait - 1)
                with m.If(wait == 1):
                    with m.If(macro.rd_data == data):
                        m.d.comb += [self.prog_done.eq(1), self.prog_ok.eq(1)]
                        m.next = "IDLE"
                    if self.write_retries:
                        with m.Elif(retries < self.write_retries):
                            m.d.comb += self.retry.eq(1)
                            m.d.sync += retries.eq(retries + 1)
                            m.next = "WRITE"
                    with m.Else():
                        m.d.comb += [self.prog_done.eq(1), self.failed.eq(1)]
                        m.next = "IDLE"
            with m.State("READ_BACK"):
                m.d.sync += wait.eq(wait - 1)
                with m.If(wait == 1):
                    m.d.comb += self.rb_valid.eq(1)
                    m.next = "IDLE"

        m.d.comb += [self.prog_busy.eq(~fsm.ongoing("IDLE")), self.rd_valid.eq(macro.rd_valid & ~self.prog_busy)]
        with m.If(self.failed):
            m.d.sync += self.sticky_error.eq(1)
        with m.Elif(self.clear_error):
            m.d.sync += self.sticky_error.eq(0)
        return m
