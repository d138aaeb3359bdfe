"""The register map of the bsnn_if accelerator: one table that hw/bsnn_regfile.py decodes, the generator
documents (manifest.json, regmap.md, the C header) and the testbenches drive (docs/spec.md section 13.8).

Built from :class:`spinaps.regmap.Register` and :class:`~spinaps.regmap.Field` and placed by
:func:`spinaps.regmap.allocate`, with the GLM map's rules: a write is performed only if every bit
outside the register's fields is zero and every field is in range; registers marked ``locked`` (and a
CTRL.START) are refused while an inference or a row write runs.
"""

from __future__ import annotations

from .bsnn_contract import bsnn_params, default_neurons
from .config import Config
from .regmap import Field, Register, allocate, unsigned_field

__all__ = ["register_map", "BSNN_ID", "CTRL_BITS", "STATUS_BITS", "PROG_READ_BACK"]

BSNN_ID = 0x42534E4E            # "BSNN"
CTRL_BITS = {"START": 0, "CLEAR_DONE": 2}
STATUS_BITS = {"BUSY": 0, "DONE": 1, "PROG_BUSY": 2}
#: PROG_ROW bit 31: read the row back into ROW_DATA instead of writing it.
PROG_READ_BACK = 1 << 31


def _table(config: Config) -> list[Register]:
    c = config
    p = bsnn_params(config)
    status = ", ".join(f"bit {b} {n}" for n, b in STATUS_BITS.items())
    rows = p.hidden.inputs + p.output.inputs
    params1 = (c.n_outputs | c.time_steps << 8 | int(c.readout == "sense_amp_1bit") << 16
               | int(c.output_decode == "first_to_spike") << 17 | int(c.reset_mode == "zero") << 18)
    table = [
        Register("ID", "RO", BSNN_ID, "Identifies a spinaps bsnn_if accelerator ('BSNN')."),
        Register("PARAMS0", "RO", c.n_inputs | c.hidden << 16, "n_inputs in bits 15:0, hidden in bits 31:16."),
        Register("PARAMS1", "RO", params1,
                 "n_outputs in 7:0, time_steps in 15:8, bit 16 readout (1: sense_amp_1bit), bit 17 output "
                 "decode (1: first_to_spike), bit 18 reset mode (1: zero)."),
        Register("CTRL", "WO", 0, "START an inference; CLEAR_DONE (also lowers the interrupt). START while BUSY or "
                 "PROG_BUSY is refused.", tuple(unsigned_field(name, bit, 1) for name, bit in CTRL_BITS.items())),
        Register("STATUS", "RO", 0, f"{status}."),
        Register("IRQ_ENABLE", "RW", 0, "Raise irq while DONE.", (unsigned_field("enable", 0, 1),)),
        Register("SEED_ENCODER", "RW", c.seed_encoder, "Encoder LFSR seed (0 loads 1).",
                 (unsigned_field("seed", 0, c.lfsr_width),), locked=True),
        Register("T_STEPS", "RW", c.time_steps, "Time steps of an inference.",
                 (unsigned_field("t_steps", 0, 8, lo=1, hi=c.time_steps),), locked=True),
        Register("RESULT_CLASS", "RO", 0, "Decision of the last inference."),
        Register("RESULT_STEPS", "RO", 0, "Time steps the last inference ran."),
        Register("CYCLES", "RO", 0, "Clock cycles of the last inference, the START write to the last decision cycle."),
        Register("REFUSED_WRITES", "RO", 0,
                 "Bus writes refused with SLVERR because an inference or a row write was running."),
        Register("PROG_ROW", "WO", 0,
                 f"Write ROW_DATA into macro row `row` (rows 0..{p.hidden.inputs - 1}: input `row` of the hidden "
                 f"layer; {p.hidden.inputs}..{rows - 1}: hidden neuron `row - {p.hidden.inputs}`, an input of the "
                 "output layer), or with read_back read that row into ROW_DATA.",
                 (unsigned_field("row", 0, 16, hi=rows - 1), unsigned_field("read_back", 31, 1)), locked=True),
    ]
    if c.readout == "sense_amp_1bit":
        table += [Register(f"REF_{layer.name.upper()}", "RW", 0,
                           f"Sense-amplifier reference of the {layer.name} layer (sign-extended): a column's bit is "
                           "1 iff its sum >= REF.",
                           (Field("ref", 0, 32, -layer.rows, layer.rows, signed=True),), locked=True)
                  for layer in p.layers]
    table += [
        Register("COUNT", "RO", 0, f"Output spikes of output neuron i in the last inference (0..{c.time_steps}).",
                 count=c.n_outputs),
        Register("ROW_DATA", "RW", 0,
                 "Bit c of word w: the weight bit of column 32 w + c of the row to program or read back (1: +1, "
                 "0: -1); bits past the layer's columns are not stored and read back as 0.",
                 (unsigned_field("bits", 0, 32),), count=p.row_words, locked=True),
    ]
    for layer in p.layers:
        name = layer.name.upper()
        words = -(-layer.columns // 32)
        table += [
            Register(f"THRESHOLD_{name}", "RW", default_neurons(c, layer)[0][0],
                     f"Threshold of {layer.name} neuron i (units 2^-{c.membrane_frac_bits}). Reset value "
                     f"2^{c.membrane_frac_bits}, or the trained threshold when generated with a network.",
                     (unsigned_field("threshold", 0, c.threshold_bits, lo=1),), count=layer.columns, locked=True),
            Register(f"BIAS_{name}", "RW", 0,
                     f"Per-step bias of {layer.name} neuron i (sign-extended; units 2^-{c.membrane_frac_bits}). Reset "
                     "value 0, or the trained bias when generated with a network.",
                     (Field("bias", 0, 32, p.bias_min, p.bias_max, signed=True),), count=layer.columns, locked=True),
            Register(f"NEGATE_{name}", "RW", 0,
                     f"Bit i of word w: {layer.name} neuron 32 w + i integrates -current (a negative folded batch-norm "
                     "scale); bits past the layer's neurons are not stored.",
                     (unsigned_field("negate", 0, min(32, layer.columns) if words == 1 else 32),), count=words,
                     locked=True),
        ]
    pixels = 32 // c.pixel_bits
    table.append(Register(
        "PIXEL", "WO", 0, f"Word w holds pixels {pixels} w .. (pixel {pixels} w + i in bits i*{c.pixel_bits} up); "
        "slots past the last input are ignored.",
        tuple(unsigned_field(f"pixel{i}", i * c.pixel_bits, c.pixel_bits) for i in range(pixels)),
        count=p.pixel_words, locked=True))
    return table


def register_map(config: Config) -> list[Register]:
    """Every register of a bsnn_if design with its address (:func:`spinaps.regmap.allocate`)."""
    return allocate(_table(config))
