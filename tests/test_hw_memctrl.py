"""hw.memctrl.MemoryController against model.memctrl (ref_* vs rtl_*), in Amaranth's simulator."""

import random

import pytest
from amaranth import ClockDomain, Module
from amaranth_sim import simulate

from hw.memctrl import MemoryController
from model.memctrl import MemoryController as ModelController
from model.sttram import SttRamMacro as ModelMacro

ROWS, ROW_BITS = 16, 12


def make(**changes):
    kwargs = dict(rows=ROWS, row_bits=ROW_BITS, read_latency=2, write_latency=4, write_error_rate=0.0,
                  seed=0xACE1, lfsr_width=16, write_retries=3)
    kwargs.update(changes)
    return MemoryController(**kwargs)


def make_model(dut):
    macro = dut.macro
    return ModelController(ModelMacro(rows=macro.rows, row_bits=macro.row_bits,
                                      write_error_rate=macro.write_error_rate, seed=macro.seed,
                                      lfsr_width=macro.lfsr_width, init=macro.init),
                           write_retries=dut.write_retries)


def random_programs(seed, count):
    rng = random.Random(seed)
    return [(rng.randrange(ROWS), rng.randrange(1 << ROW_BITS)) for _ in range(count)]


def mixed_programs(seed, count):
    """Rows 0..3 (erased) written with zero (always verifies), one set cell or random data."""
    rng = random.Random(seed)
    return [(rng.randrange(4), rng.choice([0, 1 << rng.randrange(ROW_BITS), rng.randrange(1 << ROW_BITS)]))
            for _ in range(count)]


async def rtl_program(ctx, dut, row, data, *, stray_reads=False):
    """One program, from program.start to the cycle after program.done: (ok, retry pulses, failed pulses,
    cycles). The retry pulses come at the end of each failed attempt, cycles k * attempt_cycles. With
    ``stray_reads``, read.en is held high meanwhile: ignored, read.valid stays low."""
    program = dut.program
    assert not ctx.get(program.busy)
    ctx.set(program.start, 1)
    ctx.set(program.read_back, 0)
    ctx.set(program.addr, row)
    ctx.set(program.data, data)
    await ctx.tick()
    ctx.set(program.start, 0)
    ctx.set(program.addr, (row + 1) % ROWS)           # taken in the start cycle only
    ctx.set(program.data, data ^ 1)
    ctx.set(dut.read.en, stray_reads)
    ctx.set(dut.read.addr, row)
    cycles, retries, failed = 1, 0, 0
    while True:
        assert ctx.get(program.busy)
        assert not ctx.get(dut.read.valid) and not ctx.get(program.rb_valid)  # the verify reads stay inside
        if ctx.get(dut.retry):
            assert cycles == (retries + 1) * dut.attempt_cycles
            retries += 1
        failed += ctx.get(dut.failed)
        if ctx.get(program.done):
            break
        assert not ctx.get(program.ok)
        await ctx.tick()
        cycles += 1
    ok = ctx.get(program.ok)
    assert not (ok and ctx.get(dut.failed))
    ctx.set(dut.read.en, 0)
    await ctx.tick()
    assert not ctx.get(program.busy)
    return bool(ok), retries, failed, cycles


async def rtl_read_back(ctx, dut, row):
    """One read-back: (data, cycles from program.start with read_back to rb_valid)."""
    program = dut.program
    ctx.set(program.start, 1)
    ctx.set(program.read_back, 1)
    ctx.set(program.addr, row)
    await ctx.tick()
    ctx.set(program.start, 0)
    ctx.set(program.read_back, 0)
    cycles = 1
    while not ctx.get(program.rb_valid):
        assert ctx.get(program.busy) and not ctx.get(program.done)
        await ctx.tick()
        cycles += 1
    assert ctx.get(program.busy) and not ctx.get(program.done)
    data = ctx.get(program.rb_data)
    await ctx.tick()
    assert not ctx.get(program.busy) and not ctx.get(program.rb_valid)
    return data, cycles


async def rtl_read_rows(ctx, dut, rows):
    """Inference reads, back to back, through the pass-through port."""
    out = []
    for cycle in range(len(rows) + dut.macro.read_latency):
        ctx.set(dut.read.en, cycle < len(rows))
        ctx.set(dut.read.addr, rows[cycle] if cycle < len(rows) else 0)
        if ctx.get(dut.read.valid):
            out.append(ctx.get(dut.read.data))
        await ctx.tick()
    ctx.set(dut.read.en, 0)
    return out


def ref_session(dut, programs):
    """Model results (ok, retries, failed pulses, cycles) of each program, and the final rows."""
    model = make_model(dut)
    results = []
    for row, data in programs:
        ok, retries = model.program(row, data)
        results.append((ok, retries, int(not ok), (retries + 1) * dut.attempt_cycles))
    return results, [model.read_back(row) for row in range(ROWS)], model


def rtl_session(dut, programs):
    results, sticky, read_back, read = [], [], [], []

    async def testbench(ctx):
        for index, (row, data) in enumerate(programs):
            results.append(await rtl_program(ctx, dut, row, data, stray_reads=index % 2))
            sticky.append(ctx.get(dut.sticky_error))
        for row in range(ROWS):
            data, cycles = await rtl_read_back(ctx, dut, row)
            assert cycles == dut.macro.read_latency
            read_back.append(data)
        read.extend(await rtl_read_rows(ctx, dut, list(range(ROWS))))

    simulate(dut, testbench)
    return results, read_back, read, sticky


def test_program_without_errors():
    dut = make(write_error_rate=0.0, write_latency=4, read_latency=2)
    assert dut.attempt_cycles == 4 + 2 + 2
    programs = random_programs(1, 30)
    results, read_back, read, sticky = rtl_session(dut, programs)
    ref_results, ref_rows, _ = ref_session(dut, programs)
    assert results == ref_results == [(True, 0, 0, 8)] * len(programs)
    assert read_back == read == ref_rows
    assert not any(sticky)


@pytest.mark.parametrize("read_latency, write_latency", [(1, 4), (3, 30)])
def test_retries_match_model(read_latency, write_latency):
    dut = make(write_error_rate=0.3, write_retries=15, read_latency=read_latency, write_latency=write_latency)
    assert dut.attempt_cycles == max(write_latency, ROW_BITS + 1) + read_latency + 2
    programs = random_programs(read_latency, 30)
    results, read_back, read, sticky = rtl_session(dut, programs)
    ref_results, ref_rows, model = ref_session(dut, programs)
    assert results == ref_results
    assert all(ok for ok, *_ in results) and not any(sticky)
    assert sum(retries for _, retries, _, _ in results) > 0  # the test can fail
    wanted = [0] * ROWS
    for row, data in programs:
        wanted[row] = data
    assert read_back == read == ref_rows == wanted


@pytest.mark.parametrize("write_retries", [0, 2])
def test_failure_sets_sticky_error_until_cleared(write_retries):
    """A program still wrong after its retries fails: done without ok, failed, sticky_error."""
    dut = make(write_error_rate=0.5, write_retries=write_retries, read_latency=1)
    programs = mixed_programs(3, 16)
    results, sticky, read_back, cleared = [], [], [], []

    async def testbench(ctx):
        for row, data in programs:
            results.append(await rtl_program(ctx, dut, row, data))
            sticky.append(ctx.get(dut.sticky_error))
        for _ in range(3):  # idle: it stays
            await ctx.tick()
        cleared.append(ctx.get(dut.sticky_error))
        ctx.set(dut.clear_error, 1)
        await ctx.tick()
        ctx.set(dut.clear_error, 0)
        cleared.append(ctx.get(dut.sticky_error))
        for row in range(ROWS):
            read_back.append((await rtl_read_back(ctx, dut, row))[0])

    simulate(dut, testbench)
    ref_results, ref_rows, model = ref_session(dut, programs)
    assert results == ref_results
    first_failure = next(i for i, (ok, *_) in enumerate(results) if not ok)
    assert any(ok for ok, *_ in results[first_failure:])  # successes after a failure keep the flag
    assert sticky == [0] * first_failure + [1] * (len(programs) - first_failure)
    assert cleared == [1, 0]
    assert read_back == ref_rows  # the wrong rows as the model stored them
    assert model.fail_count == sum(failed for _, _, failed, _ in results) > 0
    assert all(retries == write_retries for ok, retries, *_ in results if not ok)


def test_clear_error_loses_to_a_failure_in_the_same_cycle():
    dut = make(write_error_rate=0.5, write_retries=0, read_latency=1)
    programs = mixed_programs(3, 16)
    seen = []

    async def testbench(ctx):
        ctx.set(dut.clear_error, 1)  # held high throughout
        for row, data in programs:
            ok, *_ = await rtl_program(ctx, dut, row, data)
            seen.append(ctx.get(dut.sticky_error))
            if not ok:
                break
        await ctx.tick()
        seen.append(ctx.get(dut.sticky_error))

    simulate(dut, testbench)
    assert seen == [0] * (len(seen) - 2) + [1, 0]


def test_reset_abandons_a_program_and_clears_the_sticky_error():
    """Reset during a program's first write: busy falls, the row keeps its old value, the sticky error
    is cleared, the write-failure LFSR restarts from its seed; the contents survive."""
    dut = make(write_error_rate=0.5, write_retries=0, read_latency=2)
    top = Module()
    top.domains.sync = domain = ClockDomain()
    top.submodules.dut = dut
    before = mixed_programs(3, 16)
    after = random_programs(4, 6)
    results, rows, seen = [], [], {}

    async def testbench(ctx):
        for row, data in before:
            await rtl_program(ctx, dut, row, data)
        seen["sticky"] = ctx.get(dut.sticky_error)
        ctx.set(dut.program.start, 1)
        ctx.set(dut.program.addr, 5)
        ctx.set(dut.program.data, 0xABC)
        await ctx.tick()
        ctx.set(dut.program.start, 0)
        for _ in range(3):
            await ctx.tick()
        ctx.set(domain.rst, 1)
        await ctx.tick()
        ctx.set(domain.rst, 0)
        seen["after_reset"] = (ctx.get(dut.program.busy), ctx.get(dut.sticky_error))
        for row, data in after:
            results.append(await rtl_program(ctx, dut, row, data))
        for row in range(ROWS):
            rows.append((await rtl_read_back(ctx, dut, row))[0])

    simulate(top, testbench)
    model = make_model(dut)
    for row, data in before:
        model.program(row, data)
    assert seen["sticky"] and model.sticky_error         # there was an error to clear
    assert seen["after_reset"] == (0, 0)
    model.macro.reset()
    ref = []
    for row, data in after:
        ok, retries = model.program(row, data)
        ref.append((ok, retries, int(not ok), (retries + 1) * dut.attempt_cycles))
    assert results == ref
    assert rows == model.macro.contents
    assert 5 not in [row for row, _ in after] and rows[5] == 0


def test_inference_reads_pass_through():
    rng = random.Random(5)
    init = [rng.randrange(1 << ROW_BITS) for _ in range(ROWS)]
    dut = make(init=init, read_latency=3)
    trace = []
    requests = [1, 2, 3, None, 15, 0, None, None, 7]

    async def testbench(ctx):
        for row in requests + [None] * 3:
            ctx.set(dut.read.en, row is not None)
            ctx.set(dut.read.addr, 0 if row is None else row)
            trace.append(ctx.get(dut.read.data) if ctx.get(dut.read.valid) else None)
            await ctx.tick()

    simulate(dut, testbench)
    assert trace == [None] * 3 + [None if row is None else init[row] for row in requests]


@pytest.mark.parametrize("changes, message", [
    (dict(write_retries=16), "write_retries = 16 is out of range (allowed: 0..15)"),
    (dict(write_retries=-1), "write_retries = -1 is out of range (allowed: 0..15)"),
    (dict(write_retries=True), "write_retries = True is not an integer (allowed: 0..15)"),
    (dict(write_error_rate=0.6), "write_error_rate = 0.6 is out of range (allowed: 0.0..0.5)"),
    (dict(read_latency=9), "read_latency = 9 is out of range (allowed: 1..8)"),
    (dict(seed=0), "seed = 0 is out of range (allowed: 1..65535)"),
])
def test_controller_parameter_errors(changes, message):
    with pytest.raises(ValueError) as info:
        make(**changes)
    assert str(info.value) == message
