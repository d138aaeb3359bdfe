"""hw.tile.Tile against model.tile.tile_reads (ref_* vs rtl_*), in Amaranth's simulator.

The tile's pixels are written through its ``pixels`` port (``spinaps.contract.pixel_words``) and its
macro preloaded with ``spinaps.contract.macro_contents``. Per step, the rows on the ``rows`` stream
must be the model's rows in issue order (their macro contents), each ``read_latency`` cycles after it
was issued, the issues one a cycle from the step's start; ``idle`` rises max(E, W) cycles after
``step_start`` (E the step's events, W the encoder's cycles: its pixel words, ``encoder_words`` a
cycle when the tile has more than one word).
"""

import random

import numpy as np
import pytest
from amaranth_sim import simulate

from hw.tile import Tile
from model.tile import tile_reads
from spinaps.config import Config
from spinaps.contract import macro_contents, pixel_words, tile_map

CONFIGS = [  # (configuration, tile)
    # 3 interleaved tiles of 13 inputs: tile 1 holds 4 (W = 2 words of 2 16-bit pixels)
    (Config(dataset="random", n_inputs=13, n_outputs=3, tiles=3, tau=3, n_basis=3, pixel_bits=16,
            tile_map="interleaved", read_latency=1), 1),
    # 2 blocked tiles of 10 inputs, W = 3, a slow macro
    (Config(dataset="random", n_inputs=20, n_outputs=2, tiles=2, tau=2, n_basis=2, pixel_bits=8, weight_bits=5,
            tile_map="blocked", read_latency=3), 1),
    # one tile, 1-bit pixels: W = 1
    (Config(dataset="random", n_inputs=5, n_outputs=4, tiles=1, tau=4, n_basis=4, pixel_bits=1, weight_bits=3,
            tile_map="blocked", read_latency=2), 0),
    # the last of 4 interleaved tiles holds 2 of L = 3 inputs (rows of no input stay erased)
    (Config(dataset="random", n_inputs=10, n_outputs=2, tiles=4, tau=5, n_basis=5, pixel_bits=5,
            tile_map="interleaved", read_latency=2), 3),
    # 2 blocked tiles of 20 inputs, 5 words read 2 a cycle: W = 3
    (Config(dataset="random", n_inputs=40, n_outputs=3, tiles=2, tau=2, n_basis=2, pixel_bits=8,
            tile_map="blocked", encoder_words=2), 1),
    # tile 0 of 3 blocked holds 4 of L = 5 inputs: 2 of the 3 PIXEL words (the third is written and dropped)
    (Config(dataset="random", n_inputs=13, n_outputs=3, tiles=3, tau=3, n_basis=3, pixel_bits=16,
            tile_map="blocked"), 0),
    # tile 1 of 3 interleaved holds 4 of L = 5 inputs: 2 words in one row of 4, W = 1
    (Config(dataset="random", n_inputs=13, n_outputs=3, tiles=3, tau=3, n_basis=3, pixel_bits=16,
            tile_map="interleaved", encoder_words=4), 1),
    # two pixel banks: the image in bank 1, read from it while bank 0 is written every cycle
    (Config(dataset="random", n_inputs=40, n_outputs=3, tiles=2, tau=2, n_basis=2, pixel_bits=8,
            tile_map="interleaved", encoder_words=2, pixel_banks=2), 0),
]


def tile_case(config, tile):
    """The arguments ref_stream and rtl_stream share: config, mapping, tile, its macro contents, pixels, seed."""
    mapping = tile_map(config)
    alpha, pixels = network(config, tile)
    return config, mapping, tile, macro_contents(config, mapping, alpha)[tile], pixels, 0x5EED ^ tile


def network(config, seed):
    rng = np.random.default_rng(seed)
    alpha = rng.integers(config.weight_min, config.weight_max + 1,
                         (config.n_inputs, config.tau, config.n_outputs))
    pixels = rng.integers(0, 1 << config.pixel_bits, config.n_inputs)
    # Mostly bright pixels: many events, so that E exceeds W in some steps.
    pixels = np.maximum(pixels, (1 << config.pixel_bits) * 3 // 4 * (rng.random(config.n_inputs) < 0.7))
    return alpha, pixels


def ref_stream(config, mapping, tile, contents, pixels, seed, steps):
    """Per step: the macro rows read in issue order, and their contents."""
    reads = tile_reads(config, mapping[tile], pixels, seed, tile=tile, steps=steps)
    return reads, [[contents[row] for row in rows] for rows in reads]


def rtl_stream(config, mapping, tile, contents, pixels, seed, schedule, *, program=None, load_at=None,
               flush_at=None):
    """Runs the tile: a step starts when ``idle`` is high and at least the step's entry of ``schedule``
    cycles after the previous start. Returns the cycles of the starts, ``{cycle: row data}`` of the
    row stream and ``idle`` per cycle. ``program = (row, data)``: program that row first (through the
    ``program`` port; ``contents`` must already hold it). ``load_at = (step, offset)``: a load
    ``offset`` cycles after that step's start, after which the steps start again from step 1.
    ``flush_at = (step, offset)``: a flush ``offset`` cycles after that step's start."""
    dut = Tile(config=config, tile=tile, inputs=len(mapping[tile]), init=contents)
    words = pixel_words(config, mapping, pixels)[tile]
    starts, stream, idle = [], {}, []
    loads = []

    banked = config.pixel_banks == 2
    garbage = np.random.default_rng(seed)
    mask = (1 << len(dut.pixels.data)) - 1

    async def testbench(ctx):
        # Two banks: another image (every bit inverted) in bank 0, this one in bank 1, which is read.
        for bank in (0, 1) if banked else (0,):
            for addr, word in enumerate(words):
                if banked:
                    ctx.set(dut.pixels.bank, bank)
                ctx.set(dut.pixels.en, 1)
                ctx.set(dut.pixels.addr, addr)
                ctx.set(dut.pixels.data, word if bank or not banked else ~word & mask)
                await ctx.tick()
        ctx.set(dut.pixels.en, 0)
        if banked:
            ctx.set(dut.pixels.read_bank, 1)
            ctx.set(dut.pixels.bank, 0)
        if program:
            ctx.set(dut.program.start, 1)
            ctx.set(dut.program.addr, program[0])
            ctx.set(dut.program.data, program[1])
            await ctx.tick()
            ctx.set(dut.program.start, 0)
            while not ctx.get(dut.program.done):
                await ctx.tick()
            assert ctx.get(dut.program.ok)
            await ctx.tick()
        ctx.set(dut.seed, seed)
        ctx.set(dut.load, 1)
        await ctx.tick()
        ctx.set(dut.load, 0)
        cycle, last = 0, -10**9
        while len(starts) < len(schedule) or cycle <= starts[-1] + len(mapping[tile]) * config.tau + 12:
            is_idle = ctx.get(dut.idle)
            idle.append(is_idle)
            if ctx.get(dut.rows.valid):
                stream[cycle] = ctx.get(dut.rows.data)
            if load_at and not loads and len(starts) > load_at[0] and cycle == starts[load_at[0]] + load_at[1]:
                ctx.set(dut.load, 1)
                loads.append(cycle)
                start = False
            else:
                start = len(starts) < len(schedule) and bool(is_idle) and cycle - last >= schedule[len(starts)]
            flush = bool(flush_at) and len(starts) > flush_at[0] and cycle == starts[flush_at[0]] + flush_at[1]
            ctx.set(dut.flush, flush)
            ctx.set(dut.step_start, start)
            if banked:                     # the next image goes into bank 0 meanwhile
                ctx.set(dut.pixels.en, 1)
                ctx.set(dut.pixels.addr, int(garbage.integers(len(words))))
                ctx.set(dut.pixels.data, int(garbage.integers(mask + 1)))
            if start:
                starts.append(cycle)
                last = cycle
            await ctx.tick()
            ctx.set(dut.load, 0)
            cycle += 1

    simulate(dut, testbench)
    return starts, stream, idle, loads


def expected_stream(config, starts, contents_per_step):
    """``{cycle: data}``: the i-th row of step t is on the stream read_latency cycles after its issue in
    cycle start_t + i."""
    return {start + i + config.read_latency: data
            for start, datas in zip(starts, contents_per_step) for i, data in enumerate(datas)}


@pytest.mark.parametrize("config, tile", CONFIGS)
def test_tile_rows_and_idle_match_model(config, tile):
    case = tile_case(config, tile)
    mapping, steps = case[1], 10
    schedule = [1 + random.Random(tile).choice([0, 0, 0, 2]) for _ in range(steps)]
    reads, datas = ref_stream(*case, steps)
    starts, stream, idle, _ = rtl_stream(*case, schedule)
    assert stream == expected_stream(config, starts, datas)
    inputs, per_word = len(mapping[tile]), 32 // config.pixel_bits
    words = -(-inputs // per_word)
    if inputs > per_word:
        words = -(-words // config.encoder_words)
    for t, (start, rows) in enumerate(zip(starts, reads)):
        span = max(len(rows), words)
        assert idle[start + 1:start + span + 1] == [0] * (span - 1) + [1], f"step {t + 1}"
    # The test exercises both bounds of the step and distinct rows.
    events = [len(rows) for rows in reads]
    assert max(events) > words and min(events) < words
    assert len(set(stream.values())) > 3


def test_tile_programmed_row_is_read():
    """A row programmed through the tile's program port is what the inference reads afterwards."""
    config, tile = CONFIGS[0]
    mapping = tile_map(config)
    alpha, pixels = network(config, 7)
    contents = macro_contents(config, mapping, alpha)[tile]
    reads, _ = ref_stream(config, mapping, tile, contents, pixels, 0xACE1, 6)
    row = max(set(sum(reads, [])), key=lambda r: sum(rows.count(r) for rows in reads))   # the most read row
    new = contents[row] ^ ((1 << config.row_bits) - 1)
    programmed = list(contents)
    programmed[row] = new
    starts, stream, _, _ = rtl_stream(config, mapping, tile, contents, pixels, 0xACE1, [1] * 6,
                                      program=(row, new))
    assert stream == expected_stream(config, starts, [[programmed[r] for r in rows] for rows in reads])
    assert new in stream.values()


@pytest.mark.parametrize("offset", [1, 3])
def test_tile_load_drops_reads_in_flight_and_restarts(offset):
    """A load ``offset`` cycles after a step with events started: rows on the stream up to the load cycle
    are that step's, none after it until the new inference's own reads, which repeat the model from step 1."""
    config, tile = CONFIGS[1]                                   # read latency 3: reads are in flight
    case = tile_case(config, tile)
    reads, datas = ref_stream(*case, 6)
    busy_step = next(t for t in range(2, 6) if len(reads[t]) >= 3)
    schedule = [1] * (busy_step + 1) + [1] * 6
    starts, stream, _, loads = rtl_stream(*case, schedule, load_at=(busy_step, offset))
    (load,) = loads
    before, after = starts[:busy_step + 1], starts[busy_step + 1:]
    expected = {c: d for c, d in expected_stream(config, before, datas).items() if c <= load}
    expected.update(expected_stream(config, after, datas))
    assert stream == expected
    dropped = [c for c in expected_stream(config, before, datas) if c > load]
    assert len(dropped) >= 2


def test_tile_flush_forgets_the_events_not_yet_issued():
    """A flush 2 cycles after a busy step's start: its first 3 rows (issued up to the flush cycle) are
    read, the rest never; the next steps are the model's (history and encoder are untouched)."""
    config, tile = CONFIGS[0]
    case = tile_case(config, tile)
    reads, datas = ref_stream(*case, 8)
    busy_step = next(t for t in range(1, 7) if len(reads[t]) >= 5)
    starts, stream, _, _ = rtl_stream(*case, [1] * 8, flush_at=(busy_step, 2))
    datas = list(datas)
    datas[busy_step] = datas[busy_step][:3]
    assert stream == expected_stream(config, starts, datas)
    assert starts[busy_step + 1] == starts[busy_step] + 3     # idle after the flush: the step ends early


@pytest.mark.parametrize("kwargs, message", [
    (dict(tile=3), "tile = 3 is out of range (allowed: 0..2)"),
    (dict(inputs=0), "inputs = 0 is out of range (allowed: 1..5)"),
    (dict(inputs=6), "inputs = 6 is out of range (allowed: 1..5)"),
])
def test_tile_parameter_errors(kwargs, message):
    arguments = dict(config=Config(dataset="random", n_inputs=13, tiles=3), tile=0, inputs=5)
    arguments.update(kwargs)
    with pytest.raises(ValueError) as info:
        Tile(**arguments)
    assert str(info.value) == message
