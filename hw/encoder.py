"""Rate encoder of one tile (docs/spec.md section 5.2; golden: model/encoder.py)."""

from amaranth import Array, Cat, Module, Signal, unsigned
from amaranth.lib import data, wiring
from amaranth.lib.wiring import In, Out

from model.lfsr import TILE_SEED_SALT

from .lfsr import Lfsr
from .params import check_range

__all__ = ["RateEncoder"]


class RateEncoder(wiring.Component):
    """Bernoulli rate encoder for the inputs of one tile, one input per cycle.

    Holds the tile's encoder LFSR; the pixels are the top level's registers. ``start`` encodes
    one time step: for local inputs l = 0 .. inputs-1, one cycle each, a draw
    r is taken and ``x[l] = r < pixel[l]``.

    Arguments
    ---------
    inputs : int
        n_k, inputs of this tile.
    tile : int
        k, the tile index (salts the seed).
    pixel_bits, lfsr_width : int

    Members
    -------
    pixels : In(ArrayLayout(unsigned(pixel_bits), inputs))
        The pixels of this tile's inputs, by local index.
    seed : In(lfsr_width)
        SEED_ENCODER; ``load`` loads the LFSR with ``seed xor salt(tile)``.
    load : In(1)
    start : In(1)
        Encode one step; ``busy`` is high until the last input is encoded.
    busy : Out(1)
    x : Out(inputs)
        The spikes of the last encoded step.
    """

    def __init__(self, *, inputs: int, tile: int, pixel_bits: int, lfsr_width: int):
        check_range(self, "inputs", inputs, 1, 4096)
        check_range(self, "tile", tile, 0, 63)
        check_range(self, "pixel_bits", pixel_bits, 1, lfsr_width)
        self.inputs, self.tile, self.pixel_bits, self.lfsr_width = inputs, tile, pixel_bits, lfsr_width
        super().__init__({
            "pixels": In(data.ArrayLayout(unsigned(pixel_bits), inputs)),
            "seed": In(lfsr_width), "load": In(1), "start": In(1), "busy": Out(1), "x": Out(inputs),
        })

    def elaborate(self, platform):
        m = Module()
        salt = (self.tile * TILE_SEED_SALT) & ((1 << self.lfsr_width) - 1)
        m.submodules.lfsr = lfsr = Lfsr(width=self.lfsr_width, draw_bits=self.pixel_bits, salt=salt)
        spikes = Array(Signal(name=f"x{local}") for local in range(self.inputs))
        index = Signal(range(self.inputs))
        m.d.comb += [lfsr.seed.eq(self.seed), lfsr.load.eq(self.load)]
        m.d.comb += self.x.eq(Cat(*spikes))
        with m.If(self.start & ~self.busy):
            m.d.sync += [self.busy.eq(1), index.eq(0)]
        with m.If(self.busy):
            m.d.comb += lfsr.next.eq(1)
            m.d.sync += spikes[index].eq(lfsr.draw < self.pixels[index])
            with m.If(index == self.inputs - 1):
                m.d.sync += self.busy.eq(0)
            with m.Else():
                m.d.sync += index.eq(index + 1)
        with m.If(self.load):
            m.d.sync += self.busy.eq(0)
        return m
