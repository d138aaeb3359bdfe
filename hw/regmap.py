"""The register map of the accelerator: one table that the top level decodes and the
generator writes into manifest.json, regmap.md and the C header."""

from dataclasses import asdict, dataclass

from spinaps.config import Config

__all__ = ["Register", "register_map", "ID_VALUE", "BIAS_BASE", "ROW_DATA_BASE", "PIXEL_BASE",
           "CTRL_START", "CTRL_CLEAR_ERROR", "CTRL_CLEAR_DONE", "STATUS_BITS", "PROG_READ_BACK"]

ID_VALUE = 0x53504E41          # "SPNA"
BIAS_BASE = 0x100
ROW_DATA_BASE = 0x400
PIXEL_BASE = 0x2000

CTRL_START, CTRL_CLEAR_ERROR, CTRL_CLEAR_DONE = 1 << 0, 1 << 1, 1 << 2
STATUS_BITS = {"BUSY": 0, "DONE": 1, "TIMED_OUT": 2, "WRITE_ERROR": 3, "PROG_BUSY": 4, "PROG_OK": 5}
PROG_READ_BACK = 1 << 31


@dataclass(frozen=True)
class Register:
    name: str
    offset: int          # byte address of the first (or only) word
    access: str          # "RW", "RO" or "WO"
    reset: int
    description: str
    count: int = 1       # > 1: an array of words, 4 bytes apart

    def to_dict(self):
        return asdict(self)


def register_map(config: Config) -> list[Register]:
    """All registers for ``config``. Every access to an address not listed answers SLVERR."""
    c = config
    status = ", ".join(f"bit {b} {n}" for n, b in STATUS_BITS.items())
    return [
        Register("ID", 0x000, "RO", ID_VALUE, "Identifies a spinaps accelerator ('SPNA')."),
        Register("PARAMS0", 0x004, "RO", c.n_inputs | c.n_outputs << 16, "N_X in bits 15:0, N_Y in bits 31:16."),
        Register("PARAMS1", 0x008, "RO", c.tiles | c.tau << 8 | c.weight_bits << 16 | c.prob_bits << 24,
                 "tiles in 7:0, tau in 15:8, weight_bits in 23:16, prob_bits in 31:24."),
        Register("CTRL", 0x00C, "WO", 0,
                 "bit 0 START an inference; bit 1 CLEAR_ERROR (sticky write error); bit 2 CLEAR_DONE "
                 "(also lowers the interrupt). START while BUSY or PROG_BUSY is refused (SLVERR)."),
        Register("STATUS", 0x010, "RO", 0, f"{status}."),
        Register("IRQ_ENABLE", 0x014, "RW", 0, "bit 0: raise irq while DONE."),
        Register("SEED_ENCODER", 0x018, "RW", c.seed_encoder,
                 f"Encoder LFSR seed ({c.lfsr_width} bits; 0 loads 1); wider values are refused."),
        Register("SEED_SPIKE", 0x01C, "RW", c.seed_spike,
                 f"Spike LFSR seed ({c.lfsr_width} bits; 0 loads 1); wider values are refused."),
        Register("T_MAX", 0x020, "RW", c.t_max, "Decision deadline in time steps, 1..255 (0 or more is refused)."),
        Register("POLICY", 0x024, "RW",
                 int(c.tie_policy == "max_potential") | int(c.timeout_policy == "argmax_potential") << 1,
                 "bit 0: tie policy (0 lowest_index, 1 max_potential); "
                 "bit 1: timeout policy (0 abstain, 1 argmax_potential)."),
        Register("RESULT_CLASS", 0x028, "RO", 0, f"Decision of the last inference; {c.n_outputs} = abstained."),
        Register("RESULT_STEP", 0x02C, "RO", 0, "Decision step of the last inference."),
        Register("CYCLES", 0x030, "RO", 0, "Clock cycles of the last inference, START to DONE."),
        Register("EVENTS", 0x034, "RO", 0,
                 f"Events (active input-lag pairs) of the last inference; SOPs = EVENTS x {c.n_outputs}."),
        Register("WRITE_RETRIES", 0x038, "RO", 0, "Write-verify retries since reset."),
        Register("WRITE_FAILURES", 0x03C, "RO", 0, "Row writes still wrong after all retries, since reset."),
        Register("REFUSED_WRITES", 0x040, "RO", 0,
                 "Bus writes refused with SLVERR because an inference or a row write was running."),
        Register("PROG_ROW", 0x044, "WO", 0,
                 "Write: program ROW_DATA into macro row bits 15:0 of tile bits 23:16 (write-verify), or "
                 "with bit 31 set read that row back into ROW_DATA. Input j, lag d is tile j % tiles, "
                 "row (j // tiles) * tau + d. Refused while BUSY or PROG_BUSY, or for a row or tile "
                 "out of range."),
        Register("BIAS", BIAS_BASE, "RW", 0,
                 f"Bias of output i ({c.bias_bits}-bit signed, sign-extended on read; out-of-range "
                 "values are refused). Reset value 0, or the trained bias when generated with --weights.",
                 count=c.n_outputs),
        Register("ROW_DATA", ROW_DATA_BASE, "RW", 0,
                 f"Weight i of the row to program or read back ({c.weight_bits}-bit signed).",
                 count=c.n_outputs),
        Register("PIXEL", PIXEL_BASE, "RW", 0, f"Pixel of input j ({c.pixel_bits} bits unsigned).",
                 count=c.n_inputs),
    ]
