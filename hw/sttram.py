"""Behavioural STT-RAM macro with injected write failures (docs/spec.md, section 8;
golden: model/sttram.py)."""

import math

from amaranth import Cat, Module, Mux, Signal, unsigned
from amaranth.lib import wiring
from amaranth.lib.memory import Memory
from amaranth.lib.wiring import In, Out
from amaranth.utils import ceil_log2

from spinaps.contract import LFSR_TAPS, WRITE_FAILURE_DRAW_BITS, failure_threshold

from .lfsr import Lfsr
from .params import _refuse, check_choice, check_range

__all__ = ["SttRamMacro", "ReadPort", "WritePort", "check_macro_parameters"]


class ReadPort(wiring.Signature):
    """A macro's pipelined read port, as the requester sees it: ``en``/``addr`` out, and
    ``read_latency`` cycles later ``valid`` with the row on ``data``."""

    def __init__(self, *, addr_bits: int, row_bits: int):
        super().__init__({"en": Out(1), "addr": Out(addr_bits), "data": In(row_bits), "valid": In(1)})


class WritePort(wiring.Signature):
    """A macro's row write port, as the requester sees it: ``en``/``addr``/``data`` out; ``busy``
    while the write runs and ``done`` in its last cycle."""

    def __init__(self, *, addr_bits: int, row_bits: int):
        super().__init__({"en": Out(1), "addr": Out(addr_bits), "data": Out(row_bits), "busy": In(1),
                          "done": In(1)})


def check_number(component, name, value, lo, hi):
    """Like :func:`check_range`, for a real-valued parameter (the messages of spinaps.config)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        _refuse(component, f"{name} = {value!r} is not a number (allowed: {lo}..{hi})")
    if not lo <= value <= hi:
        _refuse(component, f"{name} = {value!r} is out of range (allowed: {lo}..{hi})")


def check_macro_parameters(component, *, rows, row_bits, read_latency, write_latency, write_error_rate,
                           seed, lfsr_width, init):
    """The checks of :class:`SttRamMacro`, shared with the components that build one."""
    check_range(component, "rows", rows, 1, 65536)
    check_range(component, "row_bits", row_bits, 1, 1024)
    check_range(component, "read_latency", read_latency, 1, 8)
    check_range(component, "write_latency", write_latency, 1, 64)
    check_number(component, "write_error_rate", write_error_rate, 0.0, 0.5)
    check_choice(component, "lfsr_width", lfsr_width, sorted(LFSR_TAPS))
    check_range(component, "seed", seed, 1, 2**lfsr_width - 1)
    if init is not None:
        if not isinstance(init, (list, tuple)) or len(init) != rows:
            _refuse(component, f"init is not None or a list of {rows} integers")
        for row, value in enumerate(init):
            check_range(component, f"init[{row}]", value, 0, 2**row_bits - 1)


class SttRamMacro(wiring.Component):
    """One STT-RAM macro: ``rows`` rows of ``row_bits`` binary cells, one read
    port and one write port. The contents survive reset (they are never reset).

    Timing, with cycle 0 the cycle in which a request is accepted:

    - Read: accepted in every cycle with ``read.en`` high and ``write.busy`` low,
      one per cycle, pipelined. ``read.valid`` is high, and ``read.data`` holds the
      row, in cycle ``read_latency`` only; ``read.data`` is meaningless while
      ``read.valid`` is low. A read accepted in the cycle a write is accepted
      returns the old row. ``read.en`` is ignored while ``write.busy`` is high: no
      ``read.valid`` follows (the controller never does this).
    - Write: accepted when ``write.en`` is high and ``write.busy`` low (``write.en``
      is ignored while busy). ``write.busy`` is high in cycles 1 .. T and
      ``write.done`` in cycle T only, where T = :attr:`write_cycles` is
      ``write_latency`` when ``write_error_rate`` is 0 and
      ``max(write_latency, row_bits + 1)`` otherwise. A read accepted in
      cycle T + 1 or later returns the new row. The next write can be
      accepted in cycle T + 1.
    - Write failures (``write_error_rate`` > 0): in cycles 1 .. row_bits the
      write takes the 16-bit draw of cell 0 .. row_bits-1 from the
      write-failure LFSR; the cell fails (keeps its old value, read in cycle 1)
      iff the draw is below :attr:`threshold`. With rate 0 there is no LFSR.
    - Reset: the write-failure LFSR is loaded with ``seed`` in the first cycle
      after reset; a write reset before its ``write.done`` cycle is abandoned
      (its row is unchanged).

    Arguments
    ---------
    rows : int
        Rows (1..65536); addresses must be below ``rows``.
    row_bits : int
        Cells per row (1..1024).
    read_latency : int
        Cycles from an accepted read to its data (1..8).
    write_latency : int
        Cycles of a row write without failures (1..64).
    write_error_rate : float
        Probability that one cell write fails (0.0..0.5).
    seed : int
        Write-failure LFSR seed (1..2**lfsr_width - 1).
    lfsr_width : int
        W of the write-failure LFSR (16, 24 or 32).
    init : list of int or None
        Contents after configuration (a list of ``rows`` integers); None is erased, all zeros.

    Members
    -------
    read : In(ReadPort)
        ``read.en``, ``read.addr``; ``read.valid``, ``read.data`` (see Timing). Addresses are
        ceil(log2(rows)) bits: none for a one-row macro.
    write : In(WritePort)
        ``write.en``, ``write.addr``, ``write.data``; ``write.busy``, ``write.done`` (a one-cycle
        pulse in the last busy cycle of a write).
    """

    def __init__(self, *, rows: int, row_bits: int, read_latency: int, write_latency: int,
                 write_error_rate: float, seed: int, lfsr_width: int, init=None):
        check_macro_parameters(self, rows=rows, row_bits=row_bits, read_latency=read_latency,
                               write_latency=write_latency, write_error_rate=write_error_rate, seed=seed,
                               lfsr_width=lfsr_width, init=init)
        self.rows, self.row_bits = rows, row_bits
        self.read_latency, self.write_latency = read_latency, write_latency
        self.write_error_rate, self.seed, self.lfsr_width = write_error_rate, seed, lfsr_width
        self.init = None if init is None else list(init)
        self.threshold = failure_threshold(write_error_rate)
        # One draw per cycle in cycles 1 .. row_bits, the merged row is written in the next one.
        self.write_cycles = max(write_latency, row_bits + 1) if write_error_rate > 0 else write_latency
        addr_bits = ceil_log2(rows)             # 0: a one-row macro has no address
        super().__init__({"read": In(ReadPort(addr_bits=addr_bits, row_bits=row_bits)),
                          "write": In(WritePort(addr_bits=addr_bits, row_bits=row_bits))})

    def elaborate(self, platform):
        m = Module()
        m.submodules.memory = memory = Memory(shape=unsigned(self.row_bits), depth=self.rows,
                                              init=self.init or [])
        read = memory.read_port()
        write = memory.write_port()

        # -- write sequencer: elapsed counts the cycles since acceptance
        elapsed = Signal(range(self.write_cycles + 1))
        address = Signal.like(self.write.addr)
        data = Signal(self.row_bits)
        m.d.comb += self.write.done.eq(self.write.busy & (elapsed == self.write_cycles))
        with m.If(self.write.en & ~self.write.busy):
            m.d.sync += [self.write.busy.eq(1), elapsed.eq(1), address.eq(self.write.addr), data.eq(self.write.data)]
        with m.Elif(self.write.done):
            m.d.sync += self.write.busy.eq(0)
        with m.Elif(self.write.busy):
            m.d.sync += elapsed.eq(elapsed + 1)

        # -- read port, shared with the write path (which reads the old row in cycle 1)
        read_now = self.read.en & ~self.write.busy
        m.d.comb += read.addr.eq(Mux(self.write.busy, address, self.read.addr))
        valid = Signal(name="rd_valid1")
        m.d.sync += valid.eq(read_now)
        row = read.data
        for stage in range(2, self.read_latency + 1):
            next_valid, next_row = Signal(name=f"rd_valid{stage}"), Signal(self.row_bits, name=f"rd_data{stage}")
            m.d.sync += [next_valid.eq(valid), next_row.eq(row)]
            valid, row = next_valid, next_row
        m.d.comb += [self.read.valid.eq(valid), self.read.data.eq(row)]

        m.d.comb += [write.addr.eq(address), write.en.eq(self.write.done)]
        if self.write_error_rate > 0:
            m.submodules.lfsr = lfsr = Lfsr(width=self.lfsr_width, draw_bits=WRITE_FAILURE_DRAW_BITS)
            loaded = Signal()  # low only in the first cycle after reset
            m.d.sync += loaded.eq(1)
            drawing = self.write.busy & (elapsed <= self.row_bits)
            m.d.comb += [lfsr.seed.eq(self.seed), lfsr.load.eq(~loaded), lfsr.next.eq(drawing)]
            # The port is not enabled again until the write ends, so read.data keeps the old row.
            m.d.comb += read.en.eq(read_now | (self.write.busy & (elapsed == 1)))
            failing = Signal(self.row_bits)  # cell c's draw is shifted in at the top, ends at bit c
            with m.If(drawing):
                m.d.sync += failing.eq(Cat(failing[1:], lfsr.draw[0] < self.threshold))
            m.d.comb += write.data.eq((read.data & failing) | (data & ~failing))
        else:
            m.d.comb += [read.en.eq(read_now), write.data.eq(data)]
        return m
