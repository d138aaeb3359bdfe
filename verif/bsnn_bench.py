"""The cocotb side of the bsnn_if testbench: bus master, per-step trace capture, golden comparison.

Runs inside the simulator. Everything it knows about the design comes from the generator's
``manifest.json`` (path in SPINAPS_MANIFEST). The harness wakes Python once per time step: the
verification build holds every traced value in registers while ``trace_step`` is high, so the
monitor waits for that signal's rising edge (or the interrupt), not for every clock edge.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cocotb
from cocotb.triggers import First, ReadOnly, RisingEdge

from model.bsnn import BsnnNetwork, BsnnResult
from spinaps.bsnn_contract import BsnnParams, bsnn_params, pixel_words, prog_row, row_word
from spinaps.bsnn_regmap import CTRL_BITS, PROG_READ_BACK, STATUS_BITS
from spinaps.config import Config

from .bench import Bench

__all__ = ["BsnnBench", "InferenceRecord", "compare_bsnn_inference", "unpack", "TRACED", "CTRL_START",
           "CTRL_CLEAR_DONE"]

CLOCK_NS = 10
CTRL_START, CTRL_CLEAR_DONE = 1 << CTRL_BITS["START"], 1 << CTRL_BITS["CLEAR_DONE"]
#: Trace ports sampled each step (``trace_<name>``) besides ``trace_t``.
TRACED = ("x", "count") + tuple(f"{layer}_{what}" for layer in ("hidden", "output")
                                for what in ("sums", "readout", "current", "potential", "spike"))


@dataclass
class InferenceRecord:
    """What the RTL showed in one inference: the raw trace words of each step and the result registers."""
    steps: list = field(default_factory=list)      # [{"t": int, name: int for name in TRACED}]
    result_class: int = -1
    result_steps: int = 0
    cycles: int = 0
    counts: list = field(default_factory=list)


def unpack(value: int, width: int, count: int, *, signed: bool) -> list[int]:
    """The ``count`` fields of ``width`` bits of a packed trace word (element 0 in the low bits)."""
    mask = (1 << width) - 1
    out = []
    for i in range(count):
        v = value >> (i * width) & mask
        out.append(v - (1 << width) if signed and v >> (width - 1) else v)
    return out


class BsnnBench(Bench):
    """Drives one generated bsnn_if accelerator: clock, reset and registers as :class:`verif.bench.Bench`,
    and the bsnn_if family's programming, image loading and per-step trace."""

    STATUS_BITS = STATUS_BITS

    def __init__(self, dut, *, manifest_path: str | None = None):
        super().__init__(dut, manifest_path=manifest_path)
        self.params: BsnnParams = bsnn_params(self.config)

    # -- network

    async def _row_command(self, value: int):
        await self.write("PROG_ROW", value)
        while await self.status("PROG_BUSY"):
            pass

    async def program_row(self, layer: int, row: int, word: int):
        parts = [word >> (32 * w) & 0xFFFFFFFF for w in range(self.params.row_words)]
        writes = [("ROW_DATA", w, part) for w, part in enumerate(parts)
                  if self._row_data is None or self._row_data[w] != part]
        await self.write_many(writes)
        self._row_data = parts
        await self._row_command(prog_row(self.params, layer, row))

    async def read_row(self, layer: int, row: int) -> int:
        await self._row_command(prog_row(self.params, layer, row) | PROG_READ_BACK)
        self._row_data = await self.read_many([("ROW_DATA", w) for w in range(self.params.row_words)])
        return sum(part << (32 * w) for w, part in enumerate(self._row_data))

    async def program_neurons(self, network: BsnnNetwork):
        for layer, neurons in zip(self.params.layers, network.neurons):
            name = layer.name.upper()
            for i in range(layer.columns):
                await self.write(f"THRESHOLD_{name}", int(neurons.threshold[i]), i)
                await self.write(f"BIAS_{name}", int(neurons.bias[i]), i)
            mask = sum(int(v) << i for i, v in enumerate(neurons.negate))
            for w in range(-(-layer.columns // 32)):
                await self.write(f"NEGATE_{name}", mask >> (32 * w) & 0xFFFFFFFF, w)

    async def program_network(self, network: BsnnNetwork):
        """Every weight row of both macros and every neuron register, over the bus."""
        for index, bits in enumerate(network.bits):
            for row, bits_row in enumerate(bits):
                await self.program_row(index, row, row_word(bits_row))
        await self.program_neurons(network)

    # -- inference

    async def load_image(self, pixels, seed_encoder: int):
        await self.write_many([("PIXEL", w, word) for w, word in enumerate(pixel_words(self.config, pixels))]
                              + [("SEED_ENCODER", 0, int(seed_encoder))])

    async def _monitor(self, record: InferenceRecord, limit_steps: int):
        dut = self.dut
        if not self.has_trace:
            await RisingEdge(dut.irq)
            return
        for _ in range(limit_steps + 1):
            await First(RisingEdge(dut.trace_step), RisingEdge(dut.irq))
            await ReadOnly()
            if dut.irq.value:
                return
            step = {"t": int(dut.trace_t.value)}
            for name in TRACED:
                step[name] = int(getattr(dut, f"trace_{name}").value)
            record.steps.append(step)
        raise AssertionError(f"no interrupt after {limit_steps} steps")

    async def infer(self, pixels, seed_encoder: int) -> InferenceRecord:
        """Load an image, START, record each step's trace until the interrupt, read the results."""
        await self.load_image(pixels, seed_encoder)
        await self.write("CTRL", CTRL_CLEAR_DONE)
        await self.write("IRQ_ENABLE", 1)
        record = InferenceRecord()
        monitor = cocotb.start_soon(self._monitor(record, self.config.time_steps))
        await self.write("CTRL", CTRL_START)
        await monitor
        await RisingEdge(self.dut.clk)
        record.result_class, record.result_steps, record.cycles, *record.counts = await self.read_many(
            [("RESULT_CLASS", 0), ("RESULT_STEPS", 0), ("CYCLES", 0)]
            + [("COUNT", i) for i in range(self.config.n_outputs)])
        await self.write("CTRL", CTRL_CLEAR_DONE)
        if self.dut.irq.value:
            raise AssertionError("irq still high after CLEAR_DONE")
        return record


def compare_bsnn_inference(config: Config, golden: BsnnResult, n: int, record: InferenceRecord, *,
                           traced: bool = True) -> list[str]:
    """Every difference between the RTL and the golden model for image n, each naming the image, step,
    layer, subarray and neuron (with ``traced``; else the results only). An empty list means bit-exact."""
    p = bsnn_params(config)
    problems = []
    steps = int(golden.steps[n])
    seen = [s["t"] for s in record.steps]
    if traced and seen != list(range(1, steps + 1)):
        problems.append(f"image {n}: RTL traced steps {seen}, golden model 1..{steps}")
    for t, got in enumerate(record.steps[:steps]):
        where = f"image {n}, step {t + 1}"
        want_x = golden.x[n, t].astype(int).tolist()
        got_x = unpack(got["x"], 1, config.n_inputs, signed=False)
        if got_x != want_x:
            first = next(j for j in range(config.n_inputs) if got_x[j] != want_x[j])
            problems.append(f"{where}, input {first}: spike RTL {got_x[first]} != golden {want_x[first]}")
        for index, layer in enumerate(p.layers):
            cells = layer.subarrays * layer.columns
            fields = {
                "column sum": (unpack(got[f"{layer.name}_sums"], layer.sum_width, cells, signed=True),
                               golden.sums[index][n, t].ravel().tolist(), True),
                "readout": (unpack(got[f"{layer.name}_readout"], layer.readout_width, cells,
                                   signed=layer.readout == "exact"), golden.readout[index][n, t].ravel().tolist(), True),
                "current": (unpack(got[f"{layer.name}_current"], layer.current_width, layer.columns, signed=True),
                            golden.current[index][n, t].tolist(), False),
                "potential": (unpack(got[f"{layer.name}_potential"], layer.membrane_width, layer.columns,
                                     signed=True), golden.potential[index][n, t].tolist(), False),
                "spike": (unpack(got[f"{layer.name}_spike"], 1, layer.columns, signed=False),
                          golden.spike[index][n, t].astype(int).tolist(), False),
            }
            for what, (rtl, want, per_subarray) in fields.items():
                for i, (a, b) in enumerate(zip(rtl, want)):
                    if a != b:
                        place = (f"subarray {i // layer.columns}, column {i % layer.columns}" if per_subarray
                                 else f"neuron {i}")
                        problems.append(f"{where}, {layer.name} {place}: {what} RTL {a} != golden {b}")
        counts_t = golden.spike[1][n, :t + 1].sum(axis=0).tolist()
        got_counts = unpack(got["count"], p.count_width, config.n_outputs, signed=False)
        if got_counts != counts_t:
            problems.append(f"{where}: spike counts RTL {got_counts} != golden {counts_t}")
    for name, got, want in (("class", record.result_class, int(golden.decision[n])),
                            ("steps", record.result_steps, steps), ("CYCLES", record.cycles, int(golden.cycles[n])),
                            ("counts", record.counts, golden.count[n].tolist())):
        if got != want:
            problems.append(f"image {n}: {name} RTL {got} != golden {want}")
    return problems
