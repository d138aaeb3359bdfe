"""The register map: one table that the hardware decodes, the generator documents (manifest.json,
regmap.md, the C header, docs/spec.md) and the testbenches drive.

A register is a word (or an array of words, 4 bytes apart) with an access (RW, RO, WO), a reset
value and its fields. A write is performed only if every bit outside the register's fields is zero
and every field holds a value in its range; otherwise it answers SLVERR and changes nothing
(docs/spec.md section 9). Addresses are assigned by :func:`allocate` from the table's order —
scalars first, then each array aligned to its size rounded up to a power of two — and checked for
overlaps and against the 16-bit address space, so no configuration can make two registers collide.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from .config import Config, ConfigError

__all__ = ["Field", "Register", "allocate", "register_map", "registers_markdown", "regmap_markdown", "unsigned_field", "ADDRESS_BITS", "ID_VALUE", "STATUS_BITS",
           "CTRL_BITS", "PROG_READ_BACK"]

#: Byte-address width of the AXI4-Lite slave.
ADDRESS_BITS = 16
ID_VALUE = 0x53504E41          # "SPNA"
CTRL_BITS = {"START": 0, "CLEAR_ERROR": 1, "CLEAR_DONE": 2}
STATUS_BITS = {"BUSY": 0, "DONE": 1, "TIMED_OUT": 2, "WRITE_ERROR": 3, "PROG_BUSY": 4, "PROG_OK": 5}
PROG_READ_BACK = 1 << 31


@dataclass(frozen=True)
class Field:
    """Bits ``[lsb, lsb + width)`` of a register; a write needs ``lo <= value <= hi`` (two's complement
    when ``signed``)."""
    name: str
    lsb: int
    width: int
    lo: int
    hi: int
    signed: bool = False

    def describe(self) -> str:
        bits = f"{self.lsb + self.width - 1}:{self.lsb}" if self.width > 1 else f"{self.lsb}"
        kind = "signed " if self.signed else ""
        return f"[{bits}] {self.name} ({kind}{self.lo}..{self.hi})"


@dataclass(frozen=True)
class Register:
    name: str
    access: str                      # "RW", "RO" or "WO"
    reset: int
    description: str
    fields: tuple[Field, ...] = ()   # writable fields (RW, WO); RO registers list none
    count: int = 1                   # > 1: an array of words, 4 bytes apart
    locked: bool = False             # writes refused (SLVERR, counted) while an inference or a row program runs
    bank_locked: bool = False        # with locked: refused while an inference runs only if PIXEL_BANK is its bank
    offset: int = -1                 # byte address of word 0, assigned by register_map

    @property
    def unused_bits(self) -> int:
        """The bits of a written value that must be zero: those outside every field."""
        used = sum(((1 << f.width) - 1) << f.lsb for f in self.fields)
        return 0xFFFFFFFF & ~used

    @property
    def size(self) -> int:
        """Bytes the register occupies in the address map (arrays: rounded up to a power of two)."""
        return 4 if self.count == 1 else 4 << (self.count - 1).bit_length()

    def to_dict(self) -> dict:
        """The register as JSON data (fields as a list of mappings)."""
        data = asdict(self)
        data["fields"] = [asdict(f) for f in self.fields]
        return data

    def write_ok(self, value: int) -> bool:
        """Whether a write of the 32-bit ``value`` is performed (the hardware's rule, for hosts and tests)."""
        for f in self.fields:
            raw = (value >> f.lsb) & ((1 << f.width) - 1)
            number = raw - (1 << f.width) if f.signed and raw >> (f.width - 1) else raw
            if not f.lo <= number <= f.hi:
                return False
        return value & self.unused_bits == 0


def unsigned_field(name, lsb, width, lo=0, hi=None):
    """An unsigned field of ``width`` bits at ``lsb``, ``lo .. hi`` (default: every value of its width)."""
    return Field(name, lsb, width, lo, (1 << width) - 1 if hi is None else hi)


def _table(c: Config) -> list[Register]:
    status = ", ".join(f"bit {b} {n}" for n, b in STATUS_BITS.items())
    weights_word = [Field(f"weight{i}", i * c.weight_bits, c.weight_bits, c.weight_min, c.weight_max, signed=True)
                    for i in range(c.weights_per_word)]
    pixels_word = [unsigned_field(f"pixel{i}", i * c.pixel_bits, c.pixel_bits) for i in range(c.pixels_per_word)]
    row_bits = max(1, (c.rows_per_tile - 1).bit_length())
    table = [
        Register("ID", "RO", ID_VALUE, "Identifies a spinaps accelerator ('SPNA')."),
        Register("PARAMS0", "RO", c.n_inputs | c.n_outputs << 16, "N_X in bits 15:0, N_Y in bits 31:16."),
        Register("PARAMS1", "RO", c.tiles | c.tau << 8 | c.weight_bits << 16 | c.prob_bits << 24,
                 "tiles in 7:0, tau in 15:8, weight_bits in 23:16, prob_bits in 31:24."),
        Register("PARAMS2", "RO", c.pixel_bits | c.pixels_per_word << 8 | c.pixel_words_per_tile << 16,
                 "pixel_bits in 7:0, pixels per PIXEL word in 15:8, PIXEL words per tile in 31:16."),
        Register("CTRL", "WO", 0,
                 "START an inference; CLEAR_ERROR (the sticky write error); CLEAR_DONE (also lowers the "
                 "interrupt). START while BUSY or PROG_BUSY is refused.",
                 tuple(unsigned_field(name, bit, 1) for name, bit in CTRL_BITS.items())),
        Register("STATUS", "RO", 0, f"{status}."),
        Register("IRQ_ENABLE", "RW", 0, "Raise irq while DONE.", (unsigned_field("enable", 0, 1),)),
        Register("SEED_ENCODER", "RW", c.seed_encoder, "Encoder LFSR seed (0 loads 1).",
                 (unsigned_field("seed", 0, c.lfsr_width),), locked=True),
        Register("SEED_SPIKE", "RW", c.seed_spike, "Spike LFSR seed (0 loads 1).",
                 (unsigned_field("seed", 0, c.lfsr_width),), locked=True),
        Register("T_MAX", "RW", c.t_max, "Decision deadline in time steps.", (unsigned_field("t_max", 0, 8, lo=1),),
                 locked=True),
        Register("POLICY", "RW",
                 int(c.tie_policy == "max_potential") | int(c.timeout_policy == "argmax_potential") << 1,
                 "tie policy (0 lowest_index, 1 max_potential); timeout policy (0 abstain, 1 argmax_potential).",
                 (unsigned_field("tie_max_potential", 0, 1), unsigned_field("timeout_argmax", 1, 1)), locked=True),
        Register("RESULT_CLASS", "RO", 0, f"Decision of the last inference; {c.n_outputs} = abstained."),
        Register("RESULT_STEP", "RO", 0, "Decision step of the last inference."),
        Register("CYCLES", "RO", 0, "Clock cycles of the last inference, the START write to the decision."),
        Register("EVENTS", "RO", 0,
                 "Events (active input-lag pairs) of the steps the last inference ran; "
                 f"SOPs = EVENTS x {c.n_outputs}."),
        Register("WRITE_RETRIES", "RO", 0, "Write-verify retries since reset."),
        Register("WRITE_FAILURES", "RO", 0, "Row programs still wrong after all retries, since reset."),
        Register("REFUSED_WRITES", "RO", 0,
                 "Bus writes refused with SLVERR because an inference or a row program was running."),
        Register("PROG_ROW", "WO", 0,
                 "Program the row in ROW_DATA into macro row `row` of tile `tile` (write-verify), or with "
                 "read_back read that row into ROW_DATA. Input j (tile k, local index l), lag d is row l * tau + d.",
                 (unsigned_field("row", 0, row_bits, hi=c.rows_per_tile - 1),
                  unsigned_field("tile", 16, 8, hi=c.tiles - 1), unsigned_field("read_back", 31, 1)), locked=True),
        Register("BIAS", "RW", 0,
                 "Bias of output i (sign-extended). Reset value 0, or the trained bias when generated with weights.",
                 (Field("bias", 0, 32, c.bias_min, c.bias_max, signed=True),), count=c.n_outputs, locked=True),
        Register("ROW_DATA", "RW", 0,
                 f"Word m holds weights m*{c.weights_per_word} .. of the row to program or read back "
                 f"({c.weight_bits}-bit signed, weight m*{c.weights_per_word}+i in bits i*{c.weight_bits} up); "
                 "fields past weight N_Y-1 are ignored and read back as 0.",
                 tuple(weights_word), count=-(-c.n_outputs // c.weights_per_word), locked=True),
    ]
    if c.pixel_banks == 2:
        table.append(Register(
            "PIXEL_BANK", "RW", 0,
            "The pixel bank PIXEL writes go to; START's inference reads the bank named here at START. While "
            "BUSY, PIXEL writes to the bank being read are refused; the other bank takes the next image.",
            (unsigned_field("bank", 0, 1),)))
    table += [Register(f"PIXEL{k}", "WO", 0,
                       f"Pixel words of tile {k}: word m holds the pixels of its local inputs m*{c.pixels_per_word} "
                       f".. (pixel m*{c.pixels_per_word}+i in bits i*{c.pixel_bits} up; slots past the tile's "
                       "inputs are ignored).", tuple(pixels_word), count=c.pixel_words_per_tile, locked=True,
                       bank_locked=c.pixel_banks == 2)
              for k in range(c.tiles)]
    return table


def allocate(table: list[Register]) -> list[Register]:
    """Addresses for a register table, in its order: each register at the next multiple of its size
    (scalars: 4 bytes; arrays: their size rounded up to a power of two), then checked for overlaps and
    against the 16-bit address space. The one allocator of every register map (GLM and bsnn_if).

    Raises
    ------
    ConfigError
        If two registers overlap or the map does not fit the address space.
    """
    placed, address = [], 0
    for register in table:
        address = -(-address // register.size) * register.size        # align to the register's own size
        placed.append(replace(register, offset=address))
        address += register.size
    spans = sorted((r.offset, r.offset + r.size, r.name) for r in placed)
    for (_, end, name), (start, _, other) in zip(spans, spans[1:]):
        if start < end:   # pragma: no cover - the allocator above never overlaps; kept as the invariant's check
            raise ConfigError(f"registers {name} and {other} overlap at 0x{start:04X}")
    if spans[-1][1] > 1 << ADDRESS_BITS:
        raise ConfigError(f"the register map needs {spans[-1][1]} bytes, more than the {ADDRESS_BITS}-bit "
                          "address space")
    return placed


def register_map(config: Config) -> list[Register]:
    """Every register of ``config`` with its address (:func:`allocate`). Every access to an address not listed
    answers SLVERR.

    Raises
    ------
    ConfigError
        If the registers do not fit the 16-bit address space (cannot happen within the configuration's
        limits; checked so that a change to those limits cannot silently overlap registers).
    """
    return allocate(_table(config))


def registers_markdown(registers: list[Register]) -> str:
    """A register map as a Markdown table."""
    lines = ["| offset | name | access | reset | fields (a write outside them, or out of range, is refused) | "
             "description |", "|---|---|---|---|---|---|"]
    for r in registers:
        where = f"0x{r.offset:04X}" if r.count == 1 else f"0x{r.offset:04X} + 4·i, i < {r.count}"
        fields = "; ".join(f.describe() for f in r.fields) or "—"
        lock = (" Locked while PROG_BUSY, and while BUSY if PIXEL_BANK is the bank being read." if r.bank_locked
                else " Locked while BUSY or PROG_BUSY." if r.locked else "")
        lines.append(f"| {where} | {r.name} | {r.access} | 0x{r.reset & 0xFFFFFFFF:X} | {fields} | "
                     f"{r.description}{lock} |")
    return "\n".join(lines) + "\n"


def regmap_markdown(config: Config) -> str:
    """The register map as a Markdown table (regmap.md of a generated design; docs/spec.md carries the default's)."""
    return registers_markdown(register_map(config))
