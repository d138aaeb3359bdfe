"""hw.encoder.RateEncoder, fed from a hw.pixel_buffer.PixelBuffer, against model.encoder (ref_* vs rtl_*).

The encoder of tile k is built with the salt ``(k * SEED_SALT) mod 2**W``; its model stream is seeded
with ``spinaps.contract.stream_seed(SEED_ENCODER, k, W)``. Steps are started back to back (in the
cycle ``busy`` falls) or after idle gaps; ``x`` is compared when ``busy`` is low.
"""

import random

import numpy as np
import pytest
from amaranth import Elaboratable, Module
from amaranth_sim import simulate

from hw.encoder import RateEncoder
from hw.pixel_buffer import PixelBuffer
from model.encoder import encode_streams
from spinaps.config import Config
from spinaps.contract import SEED_SALT, pack_fields, stream_seed


class Harness(Elaboratable):
    """A tile's pixel buffer and its encoder, wired as in hw/tile.py: rows of ``row_words`` words."""

    def __init__(self, *, inputs, pixel_bits, lfsr_width, tile, row_words=1):
        p = 32 // pixel_bits
        self.encoder = RateEncoder(inputs=inputs, pixel_bits=pixel_bits, pixels_per_word=p, words_per_read=row_words,
                                   lfsr_width=lfsr_width, salt=(tile * SEED_SALT) & ((1 << lfsr_width) - 1))
        words = -(-inputs // p)
        row_bits = inputs * pixel_bits if words <= row_words else None     # one row stores only its pixels
        self.buffer = PixelBuffer(words=words, word_bits=min(p, inputs) * pixel_bits, row_words=row_words,
                                  row_bits=row_bits)

    def elaborate(self, platform):
        m = Module()
        m.submodules.encoder, m.submodules.buffer = self.encoder, self.buffer
        m.d.comb += [self.buffer.read_addr.eq(self.encoder.row_addr),
                     self.encoder.row_data.eq(self.buffer.read_data)]
        return m


def pixel_words(pixels, pixel_bits, garbage):
    """The buffer's words: p pixels each, the first in the lowest bits; the unused slots of the last
    word hold ``garbage`` (the encoder must ignore them)."""
    p = 32 // pixel_bits
    words = []
    for w in range(-(-len(pixels) // p)):
        chunk = [int(v) for v in pixels[w * p:(w + 1) * p]]
        chunk += [garbage] * (p - len(chunk))
        words.append(pack_fields(chunk, pixel_bits))
    return words


async def fill_and_load(ctx, dut, words, seed):
    """Write the pixel words into the harness's buffer, one a cycle, then load the encoder's seed."""
    for addr, word in enumerate(words):
        ctx.set(dut.buffer.write_en, 1)
        ctx.set(dut.buffer.write_addr, addr)
        ctx.set(dut.buffer.write_data, word)
        await ctx.tick()
    ctx.set(dut.buffer.write_en, 0)
    ctx.set(dut.encoder.seed, seed)
    ctx.set(dut.encoder.load, 1)
    await ctx.tick()
    ctx.set(dut.encoder.load, 0)


def ref_spikes(pixels, *, pixel_bits, lfsr_width, tile, seed, steps):
    config = Config(dataset="random", n_inputs=len(pixels), tiles=1, tau=1, n_basis=1, pixel_bits=pixel_bits,
                    lfsr_width=lfsr_width)
    streams = np.array([[stream_seed(seed, tile, lfsr_width)]], dtype=np.uint64)
    x = encode_streams(np.asarray(pixels)[None], streams, config, (tuple(range(len(pixels))),), steps=steps)[0]
    return x.astype(int).tolist()


def rtl_spikes(pixels, *, pixel_bits, lfsr_width, tile, seed, steps, gaps, row_words=1):
    """Spikes of each step, and the cycles ``busy`` stayed high after each start."""
    dut = Harness(inputs=len(pixels), pixel_bits=pixel_bits, lfsr_width=lfsr_width, tile=tile,
                  row_words=row_words)
    enc = dut.encoder
    words = pixel_words(pixels, pixel_bits, garbage=(1 << pixel_bits) - 1)
    out, busy_cycles = [], []

    async def testbench(ctx):
        await fill_and_load(ctx, dut, words, seed)
        assert not ctx.get(enc.busy) and ctx.get(enc.x) == 0
        for step in range(steps):
            for _ in range(gaps[step]):
                await ctx.tick()
            ctx.set(enc.start, 1)
            await ctx.tick()
            ctx.set(enc.start, 0)
            cycles = 0
            while ctx.get(enc.busy):
                await ctx.tick()
                cycles += 1
            busy_cycles.append(cycles)
            x = ctx.get(enc.x)
            out.append([(x >> i) & 1 for i in range(len(pixels))])

    simulate(dut, testbench)
    return out, busy_cycles


CASES = [  # (inputs, pixel_bits, lfsr_width, tile, words a row)
    (13, 8, 32, 0, 1),      # 4 pixels a word: 4 words, the last holds 1 input
    (7, 5, 16, 3, 1),       # 6 pixels a word: 2 words, the last holds 1
    (4, 8, 24, 5, 1),       # exactly one word
    (3, 16, 32, 1, 1),      # 2 pixels a word, the last word holds 1
    (40, 1, 32, 2, 1),      # 32 pixels a word, the last holds 8
    (2, 16, 16, 0, 1),      # one word of 16-bit pixels
    (1, 1, 16, 7, 1),       # one input
    (64, 8, 32, 6, 1),      # a multiple of the word
    (13, 8, 32, 0, 2),      # rows of 8 pixels: 2 reads, the last holds 5 (a word and 1)
    (49, 4, 32, 1, 2),      # the MNIST preset's tile: 7 words, 4 reads of 16 pixels, the last holds 1
    (64, 8, 32, 6, 4),      # rows of 16 pixels, a multiple of the row
    (7, 5, 16, 3, 8),       # one row of 48 pixel slots holds the 7 inputs (6 words never written)
    (40, 1, 32, 2, 2),      # one row of 64 slots holds 40 inputs
]


@pytest.mark.parametrize("inputs, pixel_bits, lfsr_width, tile, row_words", CASES)
def test_encoder_matches_model(inputs, pixel_bits, lfsr_width, tile, row_words):
    rng = random.Random(inputs * pixel_bits + tile)
    top = (1 << pixel_bits) - 1
    pixels = [rng.choice([0, top, rng.randrange(top + 1), rng.randrange(top + 1)]) for _ in range(inputs)]
    seed, steps = rng.getrandbits(lfsr_width), 6
    gaps = [0, 0, 3, 0, 1, 0]
    rtl, busy = rtl_spikes(pixels, pixel_bits=pixel_bits, lfsr_width=lfsr_width, tile=tile, seed=seed,
                           steps=steps, gaps=gaps, row_words=row_words)
    ref = ref_spikes(pixels, pixel_bits=pixel_bits, lfsr_width=lfsr_width, tile=tile, seed=seed, steps=steps)
    assert rtl == ref
    reads = -(-inputs // ((32 // pixel_bits) * row_words))
    assert busy == [reads - 1] * steps          # one row a cycle, the start cycle included


def test_encoder_seed_zero_after_salt_loads_one():
    """Tile 3's seed register equal to its salt: the stream is nz(0) = 1."""
    salt = (3 * SEED_SALT) & 0xFFFF
    pixels = [100, 7, 250, 31, 0, 255]
    rtl, _ = rtl_spikes(pixels, pixel_bits=8, lfsr_width=16, tile=3, seed=salt, steps=4, gaps=[0] * 4)
    assert rtl == ref_spikes(pixels, pixel_bits=8, lfsr_width=16, tile=3, seed=salt, steps=4)
    assert stream_seed(salt, 3, 16) == 1


def test_encoder_load_clears_and_restarts_the_stream():
    """A load in the middle of a step stops it (busy falls, x cleared); the next steps repeat the
    stream from its seed."""
    pixels = [200, 13, 77, 180, 255, 3, 96, 140, 60]      # 3 words of 4, the last holds 1
    dut = Harness(inputs=len(pixels), pixel_bits=8, lfsr_width=32, tile=2)
    enc = dut.encoder
    seed = 0x12345678
    seen = {}

    async def step(ctx):
        ctx.set(enc.start, 1)
        await ctx.tick()
        ctx.set(enc.start, 0)
        while ctx.get(enc.busy):
            await ctx.tick()
        x = ctx.get(enc.x)
        return [(x >> i) & 1 for i in range(len(pixels))]

    async def testbench(ctx):
        await fill_and_load(ctx, dut, pixel_words(pixels, 8, 0), seed)
        seen["first"] = [await step(ctx), await step(ctx)]
        ctx.set(enc.start, 1)
        await ctx.tick()
        ctx.set(enc.start, 0)
        assert ctx.get(enc.busy)
        ctx.set(enc.load, 1)                    # mid-step
        await ctx.tick()
        ctx.set(enc.load, 0)
        seen["after_load"] = (ctx.get(enc.busy), ctx.get(enc.x))
        seen["again"] = [await step(ctx), await step(ctx)]

    simulate(dut, testbench)
    ref = ref_spikes(pixels, pixel_bits=8, lfsr_width=32, tile=2, seed=seed, steps=2)
    assert seen["first"] == ref and any(map(any, ref))
    assert seen["after_load"] == (0, 0)
    assert seen["again"] == ref


@pytest.mark.parametrize("kwargs, message", [
    (dict(inputs=0), "inputs = 0 is out of range (allowed: 1..4096)"),
    (dict(inputs=4097), "inputs = 4097 is out of range (allowed: 1..4096)"),
    (dict(pixel_bits=17, pixels_per_word=1), "pixel_bits = 17 is out of range (allowed: 1..16)"),
    (dict(pixel_bits=8, pixels_per_word=5), "pixels_per_word = 5 is out of range (allowed: 1..4)"),
    (dict(pixel_bits=5, pixels_per_word=0), "pixels_per_word = 0 is out of range (allowed: 1..6)"),
    (dict(words_per_read=9), "words_per_read = 9 is out of range (allowed: 1..8)"),
])
def test_encoder_parameter_errors(kwargs, message):
    arguments = dict(inputs=8, pixel_bits=8, pixels_per_word=4, lfsr_width=16, salt=0)
    arguments.update(kwargs)
    with pytest.raises(ValueError) as info:
        RateEncoder(**arguments)
    assert str(info.value) == message
