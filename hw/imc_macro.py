"""Behavioural IMC macro of one layer and its memory controller (docs/spec.md sections 13.2, 13.3, 13.8;
golden: model/imc_macro.py).

:class:`ImcMacro` stands for the analog part: S subarrays of R rows x C columns of differential
STT-RAM cell pairs, their bit lines and the column readout (an ideal multi-bit ADC, or a sense
amplifier against a reference). Synthesis black-boxes it (the module ``<top>.datapath.<layer>_imc.memctrl.macro``,
matched by synth.yosys.MACRO_PATTERNS) and takes its area and energy from synth/technology.yaml (``imc``). Its contents are never reset (STT-RAM is
non-volatile).

:class:`ImcController` (``memctrl``) is the digital periphery of the macro: it times row writes
(``write_latency`` cycles, the STT-RAM write pulse) and read-backs, and passes sensing through.
"""

from amaranth import Array, Cat, Const, Module, Mux, Signal, signed, unsigned
from amaranth.lib import data, wiring
from amaranth.lib.wiring import In, Out

from spinaps.bsnn_contract import READOUTS, LayerParams

from .params import _refuse, check_choice, check_range

__all__ = ["ImcMacro", "ImcController", "ImcPortSignature", "balanced_sum", "check_layer", "readout_shape"]


def balanced_sum(terms):
    """The sum of Amaranth values as a balanced adder tree (depth log2(n), not n)."""
    terms = list(terms)
    if not terms:
        return 0
    while len(terms) > 1:
        paired = [terms[i] + terms[i + 1] for i in range(0, len(terms) - 1, 2)]
        terms = paired + ([terms[-1]] if len(terms) % 2 else [])
    return terms[0]


def column_popcounts(m, words, *, width: int, name: str) -> list:
    """Bit planes of the column-wise popcount of ``words`` (each ``width`` bits): plane k's bit c is bit k
    of the number of words whose bit c is set. Each word is added to every column at once by a ripple of
    ``width``-bit-wide half adders; every intermediate is a named signal, so expressions stay one gate deep
    (and elaboration stays linear in rows x log2(rows) wide operations, not rows x columns narrow ones)."""
    planes = [Const(0, width)] * len(words).bit_length()
    for index, word in enumerate(words):
        carry = word
        for k in range((index + 1).bit_length()):          # a count of index + 1 words needs no more planes
            total = Signal(width, name=f"{name}_w{index}_s{k}")
            carry_out = Signal(width, name=f"{name}_w{index}_c{k}")
            m.d.comb += [total.eq(planes[k] ^ carry), carry_out.eq(planes[k] & carry)]
            planes[k], carry = total, carry_out
    return planes


def check_layer(component, layer, init_bits):
    """Parameter checks shared by the macro and its controller."""
    if not isinstance(layer, LayerParams):
        _refuse(component, f"layer = {layer!r} is not a LayerParams")
    check_range(component, "layer.inputs", layer.inputs, 1, 65535)
    check_range(component, "layer.columns", layer.columns, 1, 1024)
    check_choice(component, "layer.readout", layer.readout, READOUTS)
    if init_bits is not None:
        rows = list(init_bits)
        if len(rows) != layer.inputs:
            _refuse(component, f"init_bits has {len(rows)} rows (allowed: {layer.inputs})")
        for row, value in enumerate(rows):
            check_range(component, f"init_bits[{row}]", value, 0, (1 << layer.columns) - 1)


def readout_shape(layer: LayerParams):
    return signed(layer.sum_width) if layer.readout == "exact" else unsigned(1)


def _sensing(layer: LayerParams, *, trace: bool) -> dict:
    """The sensing members, as the macro sees them."""
    cells = layer.subarrays * layer.columns
    members = {"x": In(layer.inputs), "sense": In(1), "valid": Out(1),
               "readout": Out(data.ArrayLayout(readout_shape(layer), cells))}
    if layer.readout == "sense_amp_1bit":
        members["reference"] = In(signed(layer.sum_width))
    if trace:
        members["trace_sums"] = Out(data.ArrayLayout(signed(layer.sum_width), cells))
    return members


class ImcPortSignature(wiring.Signature):
    """The port of a layer's macro behind its memory controller, as the user (the datapath) sees it:
    sensing (``x``, ``sense``, ``reference`` with the 1-bit readout; ``valid``, ``readout``, ``trace_sums``
    with ``trace``) and row programming (``prog_en``, ``rb_en``, ``prog_row``, ``prog_data``; ``busy``,
    ``done``, ``rb_valid``, ``rb_data``). :class:`ImcController` takes it ``In``."""

    def __init__(self, layer: LayerParams, *, trace: bool):
        members = {name: member.flip() for name, member in _sensing(layer, trace=trace).items()}
        members.update({"prog_en": Out(1), "rb_en": Out(1), "prog_row": Out(range(layer.inputs)),
                        "prog_data": Out(layer.columns), "busy": In(1), "done": In(1), "rb_valid": In(1),
                        "rb_data": In(layer.columns)})
        super().__init__(members)


class ImcMacro(wiring.Component):
    """The cell arrays, bit lines and column readout of one layer (behavioural).

    Input j of the layer drives row ``j mod R`` of subarray ``j div R``; row j's stored word has bit c
    = column c's weight bit (1: +1, 0: -1). Timing, cycle 0 being the cycle ``sense`` is high:

    - sensing: the input vector ``x`` of cycle 0 is applied to every row; ``valid`` is high in cycle
      ``layer.sense_cycles`` only; ``readout`` (and ``trace_sums``) hold that phase's values from
      then until the next sensing phase is valid. ``sense`` must not be raised again before.
    - write: ``wr_en`` stores ``wr_data`` into row ``wr_row`` at the clock edge (the controller
      times the write pulse).
    - read-back: ``rd_en`` puts row ``rd_row`` on ``rd_data`` in the next cycle (held after).

    Arguments
    ---------
    layer : LayerParams
    init_bits : list of int or None
        Row words after configuration (bit c of word j: input j, column c); None: erased (all 0).
    trace : bool
        Add ``trace_sums`` (the exact column sums, also under the 1-bit readout) for verification.

    Members
    -------
    x : In(layer.inputs)
    sense : In(1)
    reference : In(signed(sum_width))
        Only with the 1-bit readout: the sense amplifiers' reference (bit = sum >= reference).
    valid : Out(1)
    readout : Out(ArrayLayout(readout shape, S * C))
        Element ``s * C + c``: subarray s, column c: the exact sum (signed) or the sense amplifier's bit.
    trace_sums : Out(ArrayLayout(signed(sum_width), S * C))
        Only with ``trace``.
    wr_en, wr_row, wr_data, rd_en, rd_row : In
    rd_data : Out(layer.columns)
    """

    def __init__(self, *, layer: LayerParams, init_bits=None, trace: bool = False):
        check_layer(self, layer, init_bits)
        self.layer, self.trace = layer, bool(trace)
        self.init_bits = None if init_bits is None else [int(v) for v in init_bits]
        members = _sensing(layer, trace=self.trace)
        members.update({"wr_en": In(1), "wr_row": In(range(layer.inputs)), "wr_data": In(layer.columns),
                        "rd_en": In(1), "rd_row": In(range(layer.inputs)), "rd_data": Out(layer.columns)})
        super().__init__(members)

    def elaborate(self, platform):
        layer = self.layer
        m = Module()
        init = self.init_bits or [0] * layer.inputs
        # Non-volatile cells: reset_less, so a reset leaves them as they are.
        rows = Array(Signal(layer.columns, name=f"row{j}", init=init[j], reset_less=True)
                     for j in range(layer.inputs))
        for j in range(layer.inputs):        # one decoded enable a row (an Array-indexed write is quadratic)
            with m.If(self.wr_en & (self.wr_row == j)):
                m.d.sync += rows[j].eq(self.wr_data)
        with m.If(self.rd_en):
            m.d.sync += self.rd_data.eq(rows[self.rd_row])

        # One sensing phase: every column sum of every subarray, 2 * popcount(x & b) - popcount(x).
        # The per-column popcounts are bit-sliced: bit plane k holds bit k of every column's count, and
        # each driven row's word is added to all columns at once with C-bit-wide half adders.
        sums = Signal(data.ArrayLayout(signed(layer.sum_width), layer.subarrays * layer.columns))
        for s in range(layer.subarrays):
            inputs = range(s * layer.rows, min((s + 1) * layer.rows, layer.inputs))
            active = Signal(range(len(inputs) + 1), name=f"sub{s}_active")      # named: shared by every column
            m.d.comb += active.eq(balanced_sum(self.x[j] for j in inputs))
            planes = column_popcounts(m, [Mux(self.x[j], rows[j], 0) for j in inputs], width=layer.columns,
                                      name=f"sub{s}")
            for c in range(layer.columns):
                agreeing = Cat(*(plane[c] for plane in planes))
                m.d.comb += sums[s * layer.columns + c].eq(2 * agreeing - active)
        captured = Signal.like(sums)
        left = Signal(range(layer.sense_cycles + 1))
        with m.If(self.sense):
            m.d.sync += [captured.eq(sums), left.eq(layer.sense_cycles)]
        with m.Elif(left != 0):
            m.d.sync += left.eq(left - 1)
        m.d.comb += self.valid.eq(left == 1)
        if layer.readout == "exact":
            m.d.comb += self.readout.eq(captured)
        else:
            m.d.comb += self.readout.eq(Cat(captured[i] >= self.reference for i in range(len(captured))))
        if self.trace:
            m.d.comb += self.trace_sums.eq(captured)
        return m


class ImcController(wiring.Component):
    """The memory controller of one layer's macro: row writes, read-backs and sensing.

    - ``port.prog_en`` (while not ``busy``) starts writing ``prog_data`` into row ``prog_row``: ``busy``
      is high for ``write_latency`` cycles, the row is stored at the end of the last one, in which
      ``done`` pulses. A read accepted in the next cycle returns the new row.
    - ``port.rb_en`` (while not ``busy``) reads row ``prog_row`` back: ``rb_valid`` and ``rb_data`` in the
      next cycle, in which ``busy`` is high too.
    - the sensing members of ``port`` are the macro's.

    Arguments
    ---------
    layer : LayerParams
    write_latency : int
        Cycles of a row write (1..64).
    init_bits, trace :
        Passed to :class:`ImcMacro`.

    Members
    -------
    port : In(ImcPortSignature(layer, trace=trace))
    """

    def __init__(self, *, layer: LayerParams, write_latency: int, init_bits=None, trace: bool = False):
        check_layer(self, layer, init_bits)
        check_range(self, "write_latency", write_latency, 1, 64)
        self.layer, self.write_latency, self.trace = layer, write_latency, bool(trace)
        self.init_bits = init_bits
        super().__init__({"port": In(ImcPortSignature(layer, trace=self.trace))})

    def elaborate(self, platform):
        m = Module()
        port = self.port
        m.submodules.macro = macro = ImcMacro(layer=self.layer, init_bits=self.init_bits, trace=self.trace)
        m.d.comb += [macro.x.eq(port.x), macro.sense.eq(port.sense), port.valid.eq(macro.valid),
                     port.readout.eq(macro.readout), port.rb_data.eq(macro.rd_data)]
        if self.layer.readout == "sense_amp_1bit":
            m.d.comb += macro.reference.eq(port.reference)
        if self.trace:
            m.d.comb += port.trace_sums.eq(macro.trace_sums)

        row = Signal.like(port.prog_row)
        word = Signal.like(port.prog_data)
        elapsed = Signal(range(self.write_latency + 1))
        writing = Signal()
        m.d.comb += [macro.wr_row.eq(row), macro.wr_data.eq(word), macro.rd_row.eq(port.prog_row),
                     port.done.eq(writing & (elapsed == self.write_latency)), macro.wr_en.eq(port.done),
                     port.busy.eq(writing | port.rb_valid)]
        m.d.sync += port.rb_valid.eq(0)
        with m.If(~port.busy & port.prog_en):
            m.d.sync += [writing.eq(1), elapsed.eq(1), row.eq(port.prog_row), word.eq(port.prog_data)]
        with m.Elif(~port.busy & port.rb_en):
            m.d.comb += macro.rd_en.eq(1)
            m.d.sync += port.rb_valid.eq(1)
        with m.If(port.done):
            m.d.sync += writing.eq(0)
        with m.Elif(writing):
            m.d.sync += elapsed.eq(elapsed + 1)
        return m
