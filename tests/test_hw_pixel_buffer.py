"""hw.pixel_buffer.PixelBuffer against model.pixel_buffer (ref_* vs rtl_*), in Amaranth's simulator.

Every cycle a random word write (or none) and a random row read address; the row read in cycle c is
on ``read_data`` in cycle c + 1 and is the model's row before cycle c's write (read-during-write
returns the old row). Rows with a word never written are undefined in the model and not compared.
"""

import random

import pytest
from amaranth_sim import simulate

from hw.pixel_buffer import PixelBuffer
from model.pixel_buffer import PixelBuffer as ModelBuffer


def random_accesses(rng, words, word_bits, cycles, row_words=1):
    """Per cycle ``(write_en, write_addr, write_data, read_addr)``; reads often hit the row being written."""
    out, rows = [], -(-words // row_words)
    for _ in range(cycles):
        write_addr = rng.randrange(words)
        read_addr = write_addr // row_words if rng.random() < 0.3 else rng.randrange(rows)
        out.append((int(rng.random() < 0.5), write_addr, rng.getrandbits(word_bits), read_addr))
    return out


def ref_reads(accesses, *, words, word_bits, row_words=1, row_bits=None):
    """The row on ``read_data`` in cycles 1 .. len(accesses) (None: not written yet)."""
    model, out = ModelBuffer(words=words, word_bits=word_bits, row_words=row_words, row_bits=row_bits), []
    for write_en, write_addr, write_data, read_addr in accesses:
        out.append(model.read(read_addr))          # sampled at this cycle's edge, before the write
        if write_en:
            model.write(write_addr, write_data)
    return out


async def access(ctx, dut, write_en, write_addr, write_data, read_addr):
    """One cycle of the buffer's ports."""
    ctx.set(dut.write_en, write_en)
    ctx.set(dut.write_addr, write_addr)
    ctx.set(dut.write_data, write_data)
    ctx.set(dut.read_addr, read_addr)
    await ctx.tick()


def rtl_reads(accesses, *, words, word_bits, row_words=1, row_bits=None):
    dut = PixelBuffer(words=words, word_bits=word_bits, row_words=row_words, row_bits=row_bits)
    out = []

    async def testbench(ctx):
        for cycle, (write_en, write_addr, write_data, read_addr) in enumerate(accesses + [(0, 0, 0, 0)]):
            if cycle:
                out.append(ctx.get(dut.read_data))
            await access(ctx, dut, write_en, write_addr, write_data, read_addr)

    simulate(dut, testbench)
    return out


@pytest.mark.parametrize("words, word_bits, row_words, row_bits", [
    (1, 32, 1, None), (3, 8, 1, None), (16, 24, 1, None), (5, 1, 1, None), (200, 32, 1, None),
    (7, 32, 2, None), (16, 30, 4, None), (3, 8, 8, None), (13, 16, 8, None),
    (3, 32, 4, 68),         # one row of 3 words, the last with 4 of 32 bits (a tile of 17 4-bit pixels)
    (2, 30, 2, 35),         # one row, 7 pixels of 5 bits
])
def test_pixel_buffer_matches_model(words, word_bits, row_words, row_bits):
    accesses = random_accesses(random.Random(words * word_bits + row_words), words, word_bits, 300, row_words)
    ref = ref_reads(accesses, words=words, word_bits=word_bits, row_words=row_words, row_bits=row_bits)
    rtl = rtl_reads(accesses, words=words, word_bits=word_bits, row_words=row_words, row_bits=row_bits)
    compared = [(r, w) for r, w in zip(rtl, ref) if w is not None]
    assert len(compared) > 50 and [r for r, _ in compared] == [w for _, w in compared]
    # Read-during-write of a written row happened, and returned the old row (not the new one).
    collisions = [c for c, (en, wa, wd, ra) in enumerate(accesses)
                  if en and wa // row_words == ra and ref[c] is not None
                  and (ref[c] >> (wa % row_words * word_bits)) & ((1 << word_bits) - 1) != wd % (1 << word_bits)]
    assert collisions and all(rtl[c] == ref[c] for c in collisions)


@pytest.mark.parametrize("words, word_bits, row_words, row_bits", [
    (7, 32, 1, None), (7, 32, 2, None), (3, 32, 4, 68), (1, 32, 1, None)])
def test_pixel_buffer_two_banks_are_two_images(words, word_bits, row_words, row_bits):
    """With two banks each access names its bank: a write to one is never read from the other, also
    in the cycle the other bank's same row is read."""
    rng = random.Random(words + row_words)
    accesses = [(*a, rng.randrange(2), rng.randrange(2))
                for a in random_accesses(rng, words, word_bits, 400, row_words)]
    model, ref = ModelBuffer(words=words, word_bits=word_bits, row_words=row_words, row_bits=row_bits, banks=2), []
    for write_en, write_addr, write_data, read_addr, write_bank, read_bank in accesses:
        ref.append(model.read(read_addr, read_bank))
        if write_en:
            model.write(write_addr, write_data, write_bank)
    dut = PixelBuffer(words=words, word_bits=word_bits, row_words=row_words, row_bits=row_bits, banks=2)
    rtl = []

    async def testbench(ctx):
        for cycle, (*ports, write_bank, read_bank) in enumerate(accesses + [(0, 0, 0, 0, 0, 0)]):
            if cycle:
                rtl.append(ctx.get(dut.read_data))
            ctx.set(dut.write_bank, write_bank)
            ctx.set(dut.read_bank, read_bank)
            await access(ctx, dut, *ports)

    simulate(dut, testbench)
    compared = [(r, w) for r, w in zip(rtl, ref) if w is not None]
    assert len(compared) > 100 and [r for r, _ in compared] == [w for _, w in compared]
    assert model.contents[0] != model.contents[1]
    # The same row of the other bank was written in the cycle it was read: the read kept its bank.
    crossed = [c for c, (en, wa, _, ra, wb, rb) in enumerate(accesses) if en and wa // row_words == ra and wb != rb
               and ref[c] is not None]
    assert crossed and all(rtl[c] == ref[c] for c in crossed)


def test_pixel_buffer_row_is_its_words_in_order():
    """Directed: words 0..5 written into rows of 4 words; row 0 holds words 0..3, the first lowest, and
    row 1 words 4 and 5 (the slots past the last word read 0 in the simulator)."""
    dut = PixelBuffer(words=6, word_bits=8, row_words=4)
    seen = []

    async def testbench(ctx):
        for addr in range(6):
            await access(ctx, dut, 1, addr, 0x10 + addr, 0)
        for row in (0, 1, 0):
            await access(ctx, dut, 0, 0, 0, row)
            seen.append(ctx.get(dut.read_data))

    simulate(dut, testbench)
    assert seen == [0x13121110, 0x00001514, 0x13121110]


def test_pixel_buffer_read_is_one_cycle_late():
    """Directed: a word written in cycle 0 is read with address in cycle 1, and is on read_data in cycle 2 only."""
    dut = PixelBuffer(words=4, word_bits=16)
    seen = []

    async def testbench(ctx):
        for cycle, (en, addr, data, raddr) in enumerate([(1, 2, 0xBEEF, 2), (1, 1, 0x1234, 2), (0, 0, 0, 1),
                                                         (0, 0, 0, 0), (0, 0, 0, 0)]):
            seen.append(ctx.get(dut.read_data))
            await access(ctx, dut, en, addr, data, raddr)

    simulate(dut, testbench)
    # cycle 1 shows the old word 2 (erased in the simulator), cycle 2 the new word 2, cycle 3 word 1.
    assert seen[1:4] == [0, 0xBEEF, 0x1234]


@pytest.mark.parametrize("kwargs, message", [
    (dict(words=0, word_bits=8), "words = 0 is out of range (allowed: 1..4096)"),
    (dict(words=4097, word_bits=8), "words = 4097 is out of range (allowed: 1..4096)"),
    (dict(words=4, word_bits=33), "word_bits = 33 is out of range (allowed: 1..32)"),
    (dict(words=4, word_bits=0), "word_bits = 0 is out of range (allowed: 1..32)"),
    (dict(words="4", word_bits=8), "words = '4' is not an integer (allowed: 1..4096)"),
    (dict(words=4, word_bits=8, row_words=3), "row_words = 3 is not allowed (allowed: 1, 2, 4, 8)"),
    (dict(words=4, word_bits=8, banks=3), "banks = 3 is not allowed (allowed: 1, 2)"),
    (dict(words=3, word_bits=8, row_words=4, row_bits=16), "row_bits = 16 is out of range (allowed: 17..32)"),
    (dict(words=5, word_bits=8, row_words=4, row_bits=24), "row_bits = 24 is out of range (allowed: 32..32)"),
])
def test_pixel_buffer_parameter_errors(kwargs, message):
    with pytest.raises(ValueError) as info:
        PixelBuffer(**kwargs)
    assert str(info.value) == message
