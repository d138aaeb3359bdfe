"""Rate encoder of the bsnn_if family: one LFSR per hidden-layer subarray, k pixels a cycle
(docs/spec.md section 13.6; golden: model.bsnn.encode_bsnn)."""

from amaranth import Array, Module, Signal, unsigned
from amaranth.lib import data, wiring
from amaranth.lib.wiring import In, Out

from spinaps.bsnn_contract import LayerParams
from spinaps.contract import LFSR_TAPS, SEED_SALT

from .lfsr import Lfsr
from .params import _refuse, check_choice, check_range

__all__ = ["SubarrayRateEncoder"]


class SubarrayRateEncoder(wiring.Component):
    """The input spikes of one time step, ``draws_per_cycle`` (k) rows of every subarray a cycle.

    Subarray s's LFSR is loaded with ``nz(seed xor (s * SEED_SALT mod 2**W))``. In a cycle with
    ``encode`` high and group g, each LFSR gives k consecutive ``pixel_bits``-bit draws
    (:class:`hw.lfsr.Lfsr` with ``draws = k``); draw i (i = 0..k-1) is for local row ``g * k + i`` and
    input ``j = s * R + g * k + i``, and ``x[j]`` becomes ``draw < pixel[j]`` at the clock edge. Rows
    that do not exist take their draw and discard it.

    Arguments
    ---------
    layer : LayerParams
        The hidden layer (its inputs, rows and subarrays).
    pixel_bits, lfsr_width, draws_per_cycle : int

    Members
    -------
    pixels : In(ArrayLayout(unsigned(pixel_bits), layer.inputs))
    seed : In(lfsr_width)
    load : In(1)
        Load every LFSR from ``seed``.
    encode : In(1)
    group : In(range(ceil(R / k)))
    x : Out(layer.inputs)
    """

    def __init__(self, *, layer: LayerParams, pixel_bits: int, lfsr_width: int, draws_per_cycle: int):
        if not isinstance(layer, LayerParams):
            _refuse(self, f"layer = {layer!r} is not a LayerParams")
        check_choice(self, "lfsr_width", lfsr_width, sorted(LFSR_TAPS))
        check_range(self, "pixel_bits", pixel_bits, 1, lfsr_width)
        check_range(self, "draws_per_cycle", draws_per_cycle, 1, lfsr_width // pixel_bits)
        self.layer, self.pixel_bits, self.lfsr_width, self.draws = layer, pixel_bits, lfsr_width, draws_per_cycle
        self.groups = -(-layer.rows // draws_per_cycle)
        super().__init__({
            "pixels": In(data.ArrayLayout(unsigned(pixel_bits), layer.inputs)),
            "seed": In(lfsr_width), "load": In(1), "encode": In(1), "group": In(range(self.groups)),
            "x": Out(layer.inputs),
        })

    def elaborate(self, platform):
        layer, k, b = self.layer, self.draws, self.pixel_bits
        m = Module()
        mask = (1 << self.lfsr_width) - 1
        for s in range(layer.subarrays):
            lfsr = Lfsr(width=self.lfsr_width, draw_bits=b, draws=k, salt=(s * SEED_SALT) & mask)
            m.submodules[f"lfsr{s}"] = lfsr
            m.d.comb += [lfsr.seed.eq(self.seed), lfsr.load.eq(self.load), lfsr.next.eq(self.encode)]
            for i in range(k):
                inputs = [s * layer.rows + g * k + i for g in range(self.groups)]
                present = [j for j in inputs if j < min((s + 1) * layer.rows, layer.inputs)]
                if not present:
                    continue
                pixel = Array(self.pixels[j] for j in present)[self.group]
                spike = Signal(name=f"spike{s}_{i}")
                m.d.comb += spike.eq(lfsr.draw[i] < pixel)
                with m.If(self.encode):
                    for g, j in enumerate(present):
                        with m.If(self.group == g):
                            m.d.sync += self.x[j].eq(spike)
        return m
