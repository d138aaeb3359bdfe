"""The register map of the bsnn_if accelerator: one table that hw/bsnn_top.py decodes and gen/bsnn.py
writes into manifest.json, regmap.md and the C header (docs/spec_bsnn.md section 8).

Modelled on hw/regmap.py (and uses its :class:`~hw.regmap.Register`): scalar registers at fixed
offsets, then the arrays, each placed at the next multiple of its size rounded up to a power of two,
so that no two registers overlap (:func:`check_register_map`) and array decoding is a range compare.
"""

from __future__ import annotations

from spinaps.config import Config, ConfigError

from model.bsnn_params import bsnn_params

from .regmap import Register

__all__ = ["register_map", "check_register_map", "BSNN_ID", "CTRL_START", "CTRL_CLEAR_DONE", "STATUS_BITS",
           "PROG_READ_BACK", "PROG_LAYER_SHIFT", "ADDR_WIDTH", "ARRAYS_BASE"]

BSNN_ID = 0x42534E4E            # "BSNN"
CTRL_START, CTRL_CLEAR_DONE = 1 << 0, 1 << 2
STATUS_BITS = {"BUSY": 0, "DONE": 1, "PROG_BUSY": 2}
PROG_READ_BACK = 1 << 31
PROG_LAYER_SHIFT = 16
ADDR_WIDTH = 16
#: Where the arrays start (after the scalar registers).
ARRAYS_BASE = 0x100


def _params_words(config: Config) -> tuple[int, int]:
    c = config
    params0 = c.n_inputs | c.hidden << 16
    params1 = (c.n_outputs | c.time_steps << 8 | int(c.readout == "sense_amp_1bit") << 16
               | int(c.output_decode == "first_to_spike") << 17 | int(c.reset_mode == "zero") << 18)
    return params0, params1


def register_map(config: Config) -> list[Register]:
    """All registers of a bsnn_if design. Every access to an address not listed answers SLVERR."""
    c = config
    p = bsnn_params(config)
    params0, params1 = _params_words(config)
    status = ", ".join(f"bit {b} {n}" for n, b in STATUS_BITS.items())
    scalars = [
        Register("ID", 0x000, "RO", BSNN_ID, "Identifies a spinaps bsnn_if accelerator ('BSNN')."),
        Register("PARAMS0", 0x004, "RO", params0, "n_inputs in bits 15:0, hidden in bits 31:16."),
        Register("PARAMS1", 0x008, "RO", params1,
                 "n_outputs in 7:0, time_steps in 15:8, bit 16 readout (1: sense_amp_1bit), bit 17 output "
                 "decode (1: first_to_spike), bit 18 reset mode (1: zero)."),
        Register("CTRL", 0x00C, "WO", 0, "bit 0 START an inference; bit 2 CLEAR_DONE (also lowers the interrupt). "
                 "START while BUSY or PROG_BUSY is refused (SLVERR)."),
        Register("STATUS", 0x010, "RO", 0, f"{status}."),
        Register("IRQ_ENABLE", 0x014, "RW", 0, "bit 0: raise irq while DONE."),
        Register("SEED_ENCODER", 0x018, "RW", c.seed_encoder,
                 f"Encoder LFSR seed ({c.lfsr_width} bits; 0 loads 1); wider values are refused."),
        Register("T_STEPS", 0x01C, "RW", c.time_steps, f"Time steps of an inference, 1..{c.time_steps}."),
        Register("RESULT_CLASS", 0x020, "RO", 0, "Decision of the last inference."),
        Register("RESULT_STEPS", 0x024, "RO", 0, "Time steps the last inference ran."),
        Register("CYCLES", 0x028, "RO", 0, "Clock cycles of the last inference, START to DONE."),
        Register("REFUSED_WRITES", 0x02C, "RO", 0,
                 "Bus writes refused with SLVERR because an inference or a row write was running."),
        Register("PROG_ROW", 0x030, "WO", 0,
                 "Write: program ROW_DATA into row (input) bits 15:0 of layer bit 16 (0 hidden, 1 output), or "
                 "with bit 31 set read that row back into ROW_DATA. Refused while BUSY or PROG_BUSY, or for a "
                 "row out of range."),
    ]
    if c.readout == "sense_amp_1bit":
        scalars += [Register(f"REF_{layer.name.upper()}", 0x034 + 4 * i, "RW", 0,
                             f"Sense-amplifier reference of the {layer.name} layer (signed, "
                             f"-{layer.rows}..{layer.rows}): a column's bit is 1 iff its sum >= REF.")
                    for i, layer in enumerate(p.layers)]
    arrays = [
        ("COUNT", "RO", f"Output spikes of neuron i in the last inference (0..{c.time_steps}).", c.n_outputs),
        ("ROW_DATA", "RW", "Bit c of word w: the weight bit of column 32 w + c of the row to program or read back "
                           "(1: +1, 0: -1); bits above the layer's columns are not stored.", p.row_words),
    ]
    for layer in p.layers:
        name = layer.name.upper()
        arrays += [
            (f"THRESHOLD_{name}", "RW", f"Threshold of {layer.name} neuron i, 1..{p.threshold_max} (units "
                                        f"2^-{c.membrane_frac_bits}).", layer.columns),
            (f"BIAS_{name}", "RW", f"Per-step bias of {layer.name} neuron i, {p.bias_min}..{p.bias_max} (signed, "
                                   "sign-extended on read).", layer.columns),
            (f"NEGATE_{name}", "RW", f"Bit i of word w: {layer.name} neuron 32 w + i integrates -current "
                                     "(negative folded batch-norm scale); bits above the layer are refused.",
             -(-layer.columns // 32)),
        ]
    arrays.append(("PIXEL", "RW", f"{p.pixels_per_word} pixels of {c.pixel_bits} bits a word: pixel "
                                  f"{p.pixels_per_word} w + i in bits [{c.pixel_bits} i, {c.pixel_bits} (i + 1)); "
                                  "bits of pixels that do not exist are refused.", p.pixel_words))
    registers = list(scalars)
    offset = ARRAYS_BASE
    for name, access, description, count in arrays:
        size = 1 << max(2, (4 * count - 1).bit_length())
        offset = -(-offset // size) * size
        registers.append(Register(name, offset, access, 0, description, count=count))
        offset += size
    check_register_map(registers)
    return registers


def check_register_map(registers: list[Register]) -> None:
    """Refuse a map with overlapping or misaligned registers, or one beyond the address space.

    Raises
    ------
    ConfigError
        Naming the two registers that overlap, or the one that does not fit.
    """
    spans = sorted((r.offset, r.offset + 4 * r.count, r.name) for r in registers)
    for (start, end, name), (next_start, _, next_name) in zip(spans, spans[1:]):
        if next_start < end:
            raise ConfigError(f"registers {name} and {next_name} overlap at 0x{next_start:04X}")
    for start, end, name in spans:
        if start % 4:
            raise ConfigError(f"register {name} at 0x{start:04X} is not word-aligned")
        if end > 1 << ADDR_WIDTH:
            raise ConfigError(f"register {name} ends at 0x{end:X}, beyond the {ADDR_WIDTH}-bit address space")
