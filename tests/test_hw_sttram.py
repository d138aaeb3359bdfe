"""hw.sttram.SttRamMacro against model.sttram (ref_* vs rtl_*), in Amaranth's simulator."""

import random

import pytest
from amaranth import ClockDomain, Module
from amaranth_sim import simulate

from hw.sttram import SttRamMacro
from model.lfsr import lfsr_draw
from model.sttram import SttRamMacro as ModelMacro
from spinaps.contract import failure_threshold, nonzero_seed

ROWS, ROW_BITS = 16, 12


def make(**changes):
    kwargs = dict(rows=ROWS, row_bits=ROW_BITS, read_latency=1, write_latency=4, write_error_rate=0.0,
                  seed=0xACE1, lfsr_width=16)
    kwargs.update(changes)
    return SttRamMacro(**kwargs)


def make_model(dut):
    return ModelMacro(rows=dut.rows, row_bits=dut.row_bits, write_error_rate=dut.write_error_rate,
                      seed=dut.seed, lfsr_width=dut.lfsr_width, init=dut.init)



async def rtl_write(ctx, dut, row, data):
    """One write, from acceptance to the cycle after write.done; returns its cycles (acceptance to write.done)."""
    assert not ctx.get(dut.write.busy)
    ctx.set(dut.write.en, 1)
    ctx.set(dut.write.addr, row)
    ctx.set(dut.write.data, data)
    await ctx.tick()
    ctx.set(dut.write.en, 0)
    cycles = 1
    while not ctx.get(dut.write.done):
        assert ctx.get(dut.write.busy)
        await ctx.tick()
        cycles += 1
    await ctx.tick()
    return cycles


async def rtl_read_rows(ctx, dut, rows):
    """Back-to-back pipelined reads of ``rows``; the data in the order it came back."""
    out = []
    for cycle in range(len(rows) + dut.read_latency):
        ctx.set(dut.read.en, cycle < len(rows))
        ctx.set(dut.read.addr, rows[cycle] if cycle < len(rows) else 0)
        if ctx.get(dut.read.valid):
            out.append(ctx.get(dut.read.data))
        await ctx.tick()
    ctx.set(dut.read.en, 0)
    return out


# -- reads

def ref_read_trace(init, latency, requests):
    trace = [None] * (len(requests) + latency)
    for cycle, row in enumerate(requests):
        if row is not None:
            trace[cycle + latency] = init[row]
    return trace


def rtl_read_trace(init, latency, requests):
    dut = make(read_latency=latency, init=init)
    trace = []

    async def testbench(ctx):
        for row in requests + [None] * latency:
            ctx.set(dut.read.en, row is not None)
            ctx.set(dut.read.addr, 0 if row is None else row)
            trace.append(ctx.get(dut.read.data) if ctx.get(dut.read.valid) else None)
            await ctx.tick()

    simulate(dut, testbench)
    return trace


@pytest.mark.parametrize("latency", [1, 2, 3])
def test_reads_arrive_after_read_latency(latency):
    rng = random.Random(latency)
    init = [rng.randrange(1 << ROW_BITS) for _ in range(ROWS)]
    # Back-to-back bursts, gaps, repeated rows.
    requests = [3, 4, 5, None, 7, None, None, 0, 15, 15, 2] + [rng.choice([None, *range(ROWS)]) for _ in range(30)]
    assert rtl_read_trace(init, latency, requests) == ref_read_trace(init, latency, requests)


def test_erased_by_default():
    dut = make(read_latency=2)
    seen = []

    async def testbench(ctx):
        seen.extend(await rtl_read_rows(ctx, dut, list(range(ROWS))))

    simulate(dut, testbench)
    assert seen == [0] * ROWS


# -- write timing

@pytest.mark.parametrize("write_latency, rate, cycles", [(1, 0.0, 1), (5, 0.0, 5), (3, 0.3, ROW_BITS + 1),
                                                           (20, 0.3, 20)])
@pytest.mark.parametrize("latency", [1, 3])
def test_write_timing(write_latency, rate, cycles, latency):
    """write.busy in cycles 1..T, write.done in T only; write.en and read.en are ignored while busy;
    a read in the acceptance cycle sees the old row, a read in T+1 the new one."""
    rng = random.Random(write_latency)
    init = [rng.randrange(1 << ROW_BITS) for _ in range(ROWS)]
    dut = make(read_latency=latency, write_latency=write_latency, write_error_rate=rate, init=init)
    assert dut.write_cycles == cycles
    new, ignored = init[5] ^ 0xFFF, init[6] ^ 0x5A5
    model = make_model(dut)
    assert dut.threshold == model.threshold
    stored = model.write(5, new)
    busy, done, reads = [], [], []

    async def testbench(ctx):
        for cycle in range(cycles + 3 + latency):
            ctx.set(dut.write.en, cycle <= cycles)  # held high: only the cycle-0 write is accepted
            ctx.set(dut.write.addr, 5 if cycle == 0 else 6)
            ctx.set(dut.write.data, new if cycle == 0 else ignored)
            ctx.set(dut.read.en, cycle <= cycles + 2)
            ctx.set(dut.read.addr, 6 if cycle == cycles + 2 else 5)
            busy.append(ctx.get(dut.write.busy))
            done.append(ctx.get(dut.write.done))
            reads.append(ctx.get(dut.read.data) if ctx.get(dut.read.valid) else None)
            await ctx.tick()

    simulate(dut, testbench)
    n = cycles + 3 + latency
    assert busy == [0] + [1] * cycles + [0] * (n - cycles - 1)
    assert done == [0] * cycles + [1] + [0] * (n - cycles - 1)
    expected = [None] * n
    expected[latency] = init[5]                   # read with the accepted write: old row
    expected[cycles + 1 + latency] = stored       # first read after write.done: new row
    expected[cycles + 2 + latency] = init[6]      # the write issued while busy never happened
    assert reads == expected
    if rate == 0:
        assert stored == new


# -- write failures, bit for bit

def ref_writes(dut, writes, *, reset_after=None):
    model = make_model(dut)
    cycles = []
    for index, (row, data) in enumerate(writes):
        if index == reset_after:
            model.reset()
        model.write(row, data)
        cycles.append(dut.write_cycles)
    return model, cycles


def rtl_writes(dut, writes, *, reset_after=None):
    """Writes back to back, optionally resetting the macro before write ``reset_after``;
    returns the rows read at the end and the cycles of each write."""
    top = Module()
    top.domains.sync = domain = ClockDomain()
    top.submodules.dut = dut
    cycles, rows = [], []

    async def testbench(ctx):
        for index, (row, data) in enumerate(writes):
            if index == reset_after:
                ctx.set(domain.rst, 1)
                await ctx.tick()
                ctx.set(domain.rst, 0)
            cycles.append(await rtl_write(ctx, dut, row, data))
        rows.extend(await rtl_read_rows(ctx, dut, list(range(dut.rows))))

    simulate(top, testbench)
    return rows, cycles


def random_writes(seed, count, rows=ROWS, row_bits=ROW_BITS):
    rng = random.Random(seed)
    return [(rng.randrange(rows), rng.randrange(1 << row_bits)) for _ in range(count)]


@pytest.mark.parametrize("lfsr_width, seed, write_latency", [(16, 0xACE1, 4), (24, 1, 20), (32, 0xDEADBEEF, 2)])
def test_write_failures_match_model(lfsr_width, seed, write_latency):
    dut = make(write_error_rate=0.3, lfsr_width=lfsr_width, seed=seed, write_latency=write_latency, read_latency=2)
    writes = random_writes(seed, 40)
    rows, cycles = rtl_writes(dut, writes)
    model, ref_cycles = ref_writes(dut, writes)
    assert rows == model.contents
    assert cycles == ref_cycles
    # The test can fail: some cells failed, and the contents differ from failure-free writes.
    assert model.failed_cells > 0
    perfect = [0] * ROWS
    for row, data in writes:
        perfect[row] = data
    assert rows != perfect


@pytest.mark.parametrize("rate, threshold", [(0.0, 0), (1e-6, 0), (1e-4, 7), (0.1, 6554), (0.3, 19661),
                                             (0.5, 32768)])
def test_failure_threshold(rate, threshold):
    """floor(rate * 2**16 + 1/2) (spec section 8), and the macros of both sides use it."""
    assert failure_threshold(rate) == threshold
    dut = make(write_error_rate=rate)
    dut._MustUse__silence = True                  # built for its threshold only, never simulated
    assert dut.threshold == make_model(dut).threshold == threshold


def test_draw_equal_to_threshold_does_not_fail():
    """The compare is strict: a rate whose threshold equals one of the first write's draws."""
    state, draws = nonzero_seed(0xACE1, 16), []
    for _ in range(ROW_BITS):
        draw, state = lfsr_draw(state, 16, 16)
        draws.append(draw)
    cell, threshold = next((c, d) for c, d in enumerate(draws) if 0 < d <= 1 << 15)
    dut = make(write_error_rate=threshold / 65536, seed=0xACE1, lfsr_width=16)
    assert dut.threshold == threshold
    rows, _ = rtl_writes(dut, [(0, (1 << ROW_BITS) - 1)])
    model, _ = ref_writes(dut, [(0, (1 << ROW_BITS) - 1)])
    assert rows == model.contents
    assert rows[0] >> cell & 1


def test_no_failures_at_rate_zero():
    dut = make(write_error_rate=0.0, write_latency=3)
    writes = random_writes(7, 60)
    rows, cycles = rtl_writes(dut, writes)
    model, _ = ref_writes(dut, writes)
    perfect = [0] * ROWS
    for row, data in writes:
        perfect[row] = data
    assert rows == model.contents == perfect
    assert cycles == [3] * len(writes)
    assert model.failed_cells == 0


# -- reset

def test_contents_survive_reset_and_lfsr_reloads():
    dut = make(write_error_rate=0.3, read_latency=2)
    first = random_writes(1, 20)
    second = random_writes(2, 10, rows=ROWS // 2)  # rows 8.. keep what the first writes left
    rows, _ = rtl_writes(dut, first + second, reset_after=len(first))
    model, _ = ref_writes(dut, first + second, reset_after=len(first))
    assert rows == model.contents
    # Both halves matter: the contents survived, and the LFSR was reloaded.
    survivor = ref_writes(dut, first)[0].contents
    assert rows[ROWS // 2:] == survivor[ROWS // 2:] and any(survivor[ROWS // 2:])
    assert rows != ref_writes(dut, first + second)[0].contents


@pytest.mark.parametrize("rate", [0.0, 0.3])
def test_reset_abandons_a_write_in_progress(rate):
    """A reset in cycle 2 of a write: the row keeps its old value, and the write-failure LFSR restarts
    from its seed (the writes after it match a model reset at that point)."""
    rng = random.Random(11)
    init = [rng.randrange(1 << ROW_BITS) for _ in range(ROWS)]
    dut = make(write_error_rate=rate, write_latency=6, read_latency=1, init=init)
    top = Module()
    top.domains.sync = domain = ClockDomain()
    top.submodules.dut = dut
    after = random_writes(12, 8)
    rows = []

    async def testbench(ctx):
        await rtl_write(ctx, dut, 9, init[9] ^ 0x0F0)      # draws taken before the reset
        ctx.set(dut.write.en, 1)
        ctx.set(dut.write.addr, 3)
        ctx.set(dut.write.data, init[3] ^ 0xFFF)
        await ctx.tick()
        ctx.set(dut.write.en, 0)
        await ctx.tick()
        assert ctx.get(dut.write.busy) and not ctx.get(dut.write.done)
        ctx.set(domain.rst, 1)
        await ctx.tick()
        ctx.set(domain.rst, 0)
        assert not ctx.get(dut.write.busy)
        for row, data in after:
            await rtl_write(ctx, dut, row, data)
        rows.extend(await rtl_read_rows(ctx, dut, list(range(ROWS))))

    simulate(top, testbench)
    model = make_model(dut)
    model.write(9, init[9] ^ 0x0F0)
    model.reset()
    for row, data in after:
        model.write(row, data)
    assert rows == model.contents
    assert 3 not in [row for row, _ in after] and rows[3] == init[3]


# -- parameters

@pytest.mark.parametrize("changes, message", [
    (dict(rows=0), "rows = 0 is out of range (allowed: 1..65536)"),
    (dict(rows=65537), "rows = 65537 is out of range (allowed: 1..65536)"),
    (dict(row_bits=1025), "row_bits = 1025 is out of range (allowed: 1..1024)"),
    (dict(read_latency=0), "read_latency = 0 is out of range (allowed: 1..8)"),
    (dict(read_latency=9), "read_latency = 9 is out of range (allowed: 1..8)"),
    (dict(write_latency=65), "write_latency = 65 is out of range (allowed: 1..64)"),
    (dict(write_latency=2.0), "write_latency = 2.0 is not an integer (allowed: 1..64)"),
    (dict(write_error_rate=0.6), "write_error_rate = 0.6 is out of range (allowed: 0.0..0.5)"),
    (dict(write_error_rate=-0.1), "write_error_rate = -0.1 is out of range (allowed: 0.0..0.5)"),
    (dict(write_error_rate="0.1"), "write_error_rate = '0.1' is not a number (allowed: 0.0..0.5)"),
    (dict(write_error_rate=float("nan")), "write_error_rate = nan is not a number (allowed: 0.0..0.5)"),
    (dict(lfsr_width=20), "lfsr_width = 20 is not allowed (allowed: 16, 24, 32)"),
    (dict(seed=0), "seed = 0 is out of range (allowed: 1..65535)"),
    (dict(seed=1 << 16), "seed = 65536 is out of range (allowed: 1..65535)"),
    (dict(init=[0] * 3), "init is not None or a list of 16 integers"),
    (dict(init=[0, 0, 4096] + [0] * 13), "init[2] = 4096 is out of range (allowed: 0..4095)"),
])
def test_macro_parameter_errors(changes, message):
    with pytest.raises(ValueError) as info:
        make(**changes)
    assert str(info.value) == message
