"""The bsnn_if register file: decodes the table of spinaps/bsnn_regmap.py with the decoder every register
map shares (hw.regfile.decode_registers; docs/spec.md section 13.8)."""

from amaranth import Array, Cat, Const, Module, Signal, signed
from amaranth.lib import wiring
from amaranth.lib.wiring import In, Out

from spinaps.bsnn_contract import BsnnInit, bsnn_params, default_neurons
from spinaps.bsnn_regmap import CTRL_BITS, STATUS_BITS, register_map
from spinaps.config import Config
from spinaps.regmap import ADDRESS_BITS

from .axi_lite import RegisterBusSignature
from .bsnn_datapath import COUNTER_WIDTH, BsnnCommandSignature, BsnnProgramSignature, BsnnSettingsSignature
from .regfile import decode_registers

__all__ = ["BsnnRegisterFile"]


class BsnnRegisterFile(wiring.Component):
    """The bsnn_if accelerator's registers, decoded from its register table.

    Arguments
    ---------
    config : Config
    init : BsnnInit or None
        Reset values of the THRESHOLD, BIAS and NEGATE registers (a trained network); None: the defaults
        of :func:`spinaps.bsnn_contract.default_neurons`.

    Members
    -------
    bus : In(RegisterBusSignature)
    commands : Out(BsnnCommandSignature)
    settings : Out(BsnnSettingsSignature)
    program : Out(BsnnProgramSignature)
    irq_enable : Out(1)
    """

    def __init__(self, *, config: Config, init: BsnnInit | None = None):
        self.config, self.init = config, init
        self.params = bsnn_params(config)
        self.registers = register_map(config)
        super().__init__({"bus": In(RegisterBusSignature(addr_width=ADDRESS_BITS)),
                          "commands": Out(BsnnCommandSignature(config=config)),
                          "settings": Out(BsnnSettingsSignature(config=config)),
                          "program": Out(BsnnProgramSignature(config=config)), "irq_enable": Out(1)})

    def _neuron_resets(self, index: int):
        layer = self.params.layers[index]
        if self.init is None:
            return default_neurons(self.config, layer)
        return self.init.threshold[index], self.init.bias[index], self.init.negate[index]

    def elaborate(self, platform):
        c, p = self.config, self.params
        m = Module()
        cmd, settings, program = self.commands, self.settings, self.program

        # -- storage
        seed_encoder = Signal(c.lfsr_width, init=c.seed_encoder)
        t_steps = Signal(p.step_width, init=c.time_steps)
        refused = Signal(COUNTER_WIDTH)
        row_data = Array(Signal(32, name=f"row_data{w}") for w in range(p.row_words))
        pixel_words = Array(Signal(32, name=f"pixel_word{w}") for w in range(p.pixel_words))
        prog_busy, prog_start = Signal(), Signal()
        prog_row, prog_layer, prog_read_back = Signal.like(program.row), Signal(), Signal()
        stored = {"IRQ_ENABLE": self.irq_enable, "SEED_ENCODER": seed_encoder, "T_STEPS": t_steps}
        arrays = {"ROW_DATA": row_data, "PIXEL": pixel_words}
        for index, layer in enumerate(p.layers):
            name = layer.name.upper()
            if layer.readout == "sense_amp_1bit":
                ref = Signal(signed(layer.sum_width), name=f"ref_{layer.name}")
                stored[f"REF_{name}"] = ref
                m.d.comb += getattr(settings, f"ref_{layer.name}").eq(ref)
            thresholds, biases, negates = self._neuron_resets(index)
            arrays[f"THRESHOLD_{name}"] = Array(
                Signal(c.threshold_bits, init=thresholds[i], name=f"threshold_{layer.name}{i}")
                for i in range(layer.columns))
            arrays[f"BIAS_{name}"] = Array(Signal(signed(c.neuron_bias_bits), init=biases[i],
                                                  name=f"bias_{layer.name}{i}") for i in range(layer.columns))
            negate_init = sum(int(bit) << i for i, bit in enumerate(negates))
            arrays[f"NEGATE_{name}"] = Array(
                Signal(min(32, layer.columns - 32 * w), init=negate_init >> (32 * w) & 0xFFFFFFFF,
                       name=f"negate_{layer.name}{w}") for w in range(-(-layer.columns // 32)))
            m.d.comb += [getattr(settings, f"threshold_{layer.name}").eq(Cat(*arrays[f"THRESHOLD_{name}"])),
                         getattr(settings, f"bias_{layer.name}").eq(Cat(*arrays[f"BIAS_{name}"])),
                         getattr(settings, f"negate_{layer.name}").eq(Cat(*arrays[f"NEGATE_{name}"]))]
        pixel_bits = Cat(*pixel_words)
        per_word = 32 // c.pixel_bits
        m.d.comb += [settings.pixels[j].eq(pixel_bits[j // per_word * 32 + j % per_word * c.pixel_bits:]
                                           [:c.pixel_bits]) for j in range(c.n_inputs)]
        m.d.comb += [settings.seed_encoder.eq(seed_encoder), settings.t_steps.eq(t_steps),
                     program.start.eq(prog_start), program.read_back.eq(prog_read_back),
                     program.layer.eq(prog_layer), program.row.eq(prog_row), program.data.eq(Cat(*row_data))]

        # -- programming: one row write or read-back at a time
        m.d.sync += prog_start.eq(0)
        with m.If(prog_busy & ~prog_start):
            with m.If(program.done):
                m.d.sync += prog_busy.eq(0)
            with m.If(program.rb_valid):
                read_back = Cat(program.rb_data, Const(0, 32 * p.row_words - len(program.rb_data)))
                m.d.sync += [prog_busy.eq(0)] + [row_data[w].eq(read_back[32 * w:32 * (w + 1)])
                                                 for w in range(p.row_words)]

        # -- what each register reads as, and what a performed write does
        flags = {"BUSY": cmd.busy, "DONE": cmd.done, "PROG_BUSY": prog_busy}
        values = dict(stored, STATUS=Cat(*(flags[n] for n in sorted(STATUS_BITS, key=STATUS_BITS.get))),
                      RESULT_CLASS=cmd.result_class, RESULT_STEPS=cmd.result_steps, CYCLES=cmd.cycles,
                      REFUSED_WRITES=refused)
        readable = dict(arrays, COUNT=Array(cmd.count[i] for i in range(c.n_outputs)))

        def read_value(r, index):
            if r.name in values:
                value = values[r.name]
            elif r.name in readable:
                value = readable[r.name][index]
            else:
                return r.reset                               # ID, PARAMS*: constants
            return value.as_signed() if any(f.signed for f in r.fields) else value

        def perform_write(r, index, wdata):
            if r.name in stored:
                m.d.sync += stored[r.name].eq(wdata)
            elif r.name in arrays:
                m.d.sync += arrays[r.name][index].eq(wdata)
            elif r.name == "CTRL":
                m.d.comb += [cmd.start.eq(wdata[CTRL_BITS["START"]]),
                             cmd.clear_done.eq(wdata[CTRL_BITS["CLEAR_DONE"]])]
            elif r.name == "PROG_ROW":
                row = wdata[:16]
                output_layer = row >= p.hidden.inputs
                m.d.sync += [prog_busy.eq(1), prog_start.eq(1), prog_layer.eq(output_layer),
                             prog_row.eq(row - output_layer * p.hidden.inputs), prog_read_back.eq(wdata[31])]
            else:  # pragma: no cover - every writable register of the table is handled above
                raise AssertionError(f"no write action for {r.name}")

        decode_registers(m, self.bus, self.registers, locked=cmd.busy | prog_busy, read_value=read_value,
                         perform_write=perform_write, refused=refused)
        return m
