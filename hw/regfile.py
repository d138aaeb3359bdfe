"""Register file: decodes the register table of spinaps/regmap.py (docs/spec.md section 9), and the
decoder every register table shares (:func:`decode_registers`)."""

from amaranth import Array, Cat, Module, Mux, Signal, signed
from amaranth.lib import wiring
from amaranth.lib.wiring import In, Out

from spinaps.config import Config
from spinaps.regmap import ADDRESS_BITS, CTRL_BITS, STATUS_BITS, register_map

from .axi_lite import RegisterBusSignature
from .control import COUNTER_WIDTH, CommandSignature
from .datapath import HostPixelSignature, HostProgramSignature, SettingsSignature

__all__ = ["RegisterFile", "decode_registers"]


class RegisterFile(wiring.Component):
    """The accelerator's registers, decoded from the register table.

    A read of an RW or RO register answers its value; a write to an RW or WO register is
    performed when every bit outside the register's fields is zero and every field is in its
    range. Anything else — an address not in the table, a misaligned address, a partial write
    strobe, a read of a WO or a write of an RO register, a value out of range — answers SLVERR
    and changes nothing. While an inference or a row program runs, writes to the registers marked
    ``locked`` and a CTRL.START are refused with SLVERR and counted in REFUSED_WRITES; with two pixel
    banks, a PIXEL write only while it goes to the bank the inference reads.

    Arguments
    ---------
    config : Config
    bias_init : list of int or None
        Reset values of the BIAS registers (trained biases); None: zeros.

    Members
    -------
    bus : In(RegisterBusSignature)
    commands : Out(CommandSignature)
        Performed CTRL.START / CLEAR_DONE writes and T_MAX, to the control unit; its status and results.
    irq_enable : Out(1)
    settings : Out(SettingsSignature)
    program : Out(HostProgramSignature)
    pixels : Out(HostPixelSignature)
    """

    def __init__(self, *, config: Config, bias_init=None):
        self.config = c = config
        self.registers = register_map(c)
        self.bias_init = [0] * c.n_outputs if bias_init is None else [int(b) for b in bias_init]
        super().__init__({
            "bus": In(RegisterBusSignature(addr_width=ADDRESS_BITS)), "commands": Out(CommandSignature(config=c)),
            "irq_enable": Out(1), "settings": Out(SettingsSignature(config=c)),
            "program": Out(HostProgramSignature(config=c)), "pixels": Out(HostPixelSignature(config=c)),
        })

    def elaborate(self, platform):
        c = self.config
        m = Module()
        bus, settings, program, cmd = self.bus, self.settings, self.program, self.commands
        reg = {r.name: r for r in self.registers}

        # -- storage
        t_max = Signal(8, init=c.t_max)
        policy = Signal(2, init=reg["POLICY"].reset)
        seed_encoder = Signal(c.lfsr_width, init=c.seed_encoder)
        seed_spike = Signal(c.lfsr_width, init=c.seed_spike)
        bias = Array(Signal(signed(c.bias_bits), init=self.bias_init[i], name=f"bias{i}") for i in range(c.n_outputs))
        row_data = Signal(c.row_bits)
        prog_busy, prog_ok, prog_start, prog_read_back = Signal(), Signal(), Signal(), Signal()
        prog_tile, prog_row = Signal.like(program.tile), Signal.like(program.row)
        retries, failures, refused = Signal(COUNTER_WIDTH), Signal(COUNTER_WIDTH), Signal(COUNTER_WIDTH)
        # With two pixel banks: the bank PIXEL writes go to, and the one the running inference reads
        # (PIXEL_BANK as it was at START).
        pixel_bank, read_bank = Signal(), Signal()
        if c.pixel_banks == 2:
            m.d.comb += [self.pixels.bank.eq(pixel_bank), self.pixels.read_bank.eq(read_bank)]
            with m.If(cmd.start):
                m.d.sync += read_bank.eq(pixel_bank)
        m.d.comb += [
            cmd.t_max.eq(t_max), settings.seed_encoder.eq(seed_encoder), settings.seed_spike.eq(seed_spike),
            settings.tie_max_potential.eq(policy[0]), settings.timeout_argmax.eq(policy[1]),
            program.start.eq(prog_start), program.read_back.eq(prog_read_back), program.tile.eq(prog_tile),
            program.row.eq(prog_row), program.data.eq(row_data),
        ]
        m.d.comb += [settings.bias[i].eq(bias[i]) for i in range(c.n_outputs)]

        # -- programming: one row program or read-back at a time
        m.d.sync += prog_start.eq(0)
        with m.If(prog_busy & ~prog_start):
            with m.If(program.done):
                m.d.sync += [prog_busy.eq(0), prog_ok.eq(program.ok)]
            with m.If(program.rb_valid):
                m.d.sync += [prog_busy.eq(0), row_data.eq(program.rb_data)]
        m.d.sync += [retries.eq(retries + program.retries), failures.eq(failures + program.failures)]

        # -- what each register reads as, and what a performed write does
        flags = {"BUSY": cmd.busy, "DONE": cmd.done, "TIMED_OUT": cmd.timed_out,
                 "WRITE_ERROR": program.write_error, "PROG_BUSY": prog_busy, "PROG_OK": prog_ok}
        status = Cat(*(flags[name] for name in sorted(STATUS_BITS, key=STATUS_BITS.get)))
        words = reg["ROW_DATA"].count
        word_bits = c.weights_per_word * c.weight_bits
        row_words = Array(row_data[m_ * word_bits:(m_ + 1) * word_bits] for m_ in range(words))
        values = {"STATUS": status, "IRQ_ENABLE": self.irq_enable, "SEED_ENCODER": seed_encoder,
                  "SEED_SPIKE": seed_spike, "T_MAX": t_max, "POLICY": policy, "RESULT_CLASS": cmd.result_class,
                  "RESULT_STEP": cmd.result_step, "CYCLES": cmd.cycles, "EVENTS": cmd.events,
                  "WRITE_RETRIES": retries, "WRITE_FAILURES": failures, "REFUSED_WRITES": refused,
                  "PIXEL_BANK": pixel_bank}

        def read_value(r, index):
            if r.name in values:
                return values[r.name]
            if r.name == "BIAS":
                return bias[index].as_signed()
            if r.name == "ROW_DATA":
                return row_words[index]
            return r.reset                                   # ID, PARAMS*: constants

        def perform_write(r, index, wdata):
            stored = {"IRQ_ENABLE": self.irq_enable, "SEED_ENCODER": seed_encoder, "SEED_SPIKE": seed_spike,
                      "T_MAX": t_max, "POLICY": policy, "PIXEL_BANK": pixel_bank}
            if r.name in stored:
                m.d.sync += stored[r.name].eq(wdata)
            elif r.name == "CTRL":
                m.d.comb += [cmd.start.eq(wdata[CTRL_BITS["START"]]),
                             cmd.clear_done.eq(wdata[CTRL_BITS["CLEAR_DONE"]]),
                             program.clear_error.eq(wdata[CTRL_BITS["CLEAR_ERROR"]])]
            elif r.name == "BIAS":
                m.d.sync += bias[index].eq(wdata)
            elif r.name == "ROW_DATA":
                m.d.sync += row_words[index].eq(wdata)
            elif r.name == "PROG_ROW":
                fields = {f.name: f for f in r.fields}
                m.d.sync += [prog_busy.eq(1), prog_start.eq(1),
                             prog_row.eq(wdata[fields["row"].lsb:][:fields["row"].width]),
                             prog_tile.eq(wdata[fields["tile"].lsb:][:fields["tile"].width]),
                             prog_read_back.eq(wdata[fields["read_back"].lsb])]
            elif r.name.startswith("PIXEL"):
                m.d.comb += [self.pixels.en.eq(1), self.pixels.tile.eq(int(r.name[len("PIXEL"):])),
                             self.pixels.addr.eq(index), self.pixels.data.eq(wdata)]
            else:  # pragma: no cover - every writable register of the table is handled above
                raise AssertionError(f"no write action for {r.name}")

        # -- decode, in the cycle of the strobe
        decode_registers(m, bus, self.registers, locked=cmd.busy | prog_busy, read_value=read_value,
                         perform_write=perform_write, refused=refused,
                         bank_locked=(cmd.busy & (pixel_bank == read_bank)) | prog_busy)
        return m


def decode_registers(m: Module, bus, registers, *, locked, read_value, perform_write, refused,
                     bank_locked=None) -> None:
    """Decode a register table (:class:`spinaps.regmap.Register`, placed) on a register bus, in the cycle of
    the strobe: the rules of docs/spec.md section 9, for every register map.

    A read of an RW or RO register answers ``read_value(register, index)``; a write to an RW or WO register
    whose value has no bit outside the register's fields and every field in range calls
    ``perform_write(register, index, wdata)`` (which adds the statements). Anything else — an address not in
    the table, a misaligned address, a partial write strobe, a read of a WO or a write of an RO register, a
    value out of range — answers SLVERR and changes nothing. While ``locked``, a write to a register marked
    ``locked``, or one that sets the START field of a register that is not, is refused with SLVERR and
    counted in ``refused``; a register marked ``bank_locked`` is refused while ``bank_locked`` instead.
    Arrays are aligned to their size (a power of two): the high address bits select,
    the low ones index.
    """
    addr, wdata = bus.addr, bus.wdata
    err = Signal()
    m.d.comb += bus.err.eq(err)

    def index_of(r):
        return addr[2:r.size.bit_length() - 1] if r.count > 1 else 0

    def hit(r):
        selected = (addr >> (r.size.bit_length() - 1)) == (r.offset >> (r.size.bit_length() - 1))
        return selected & (index_of(r) < r.count) if r.count > 1 and r.count < r.size // 4 else selected

    def fields_ok(r):
        ok = [(wdata & r.unused_bits) == 0]
        for f in r.fields:
            value = wdata[f.lsb:f.lsb + f.width]
            value = value.as_signed() if f.signed else value
            if f.lo > (-(1 << (f.width - 1)) if f.signed else 0):
                ok.append(value >= f.lo)
            if f.hi < ((1 << (f.width - 1)) - 1 if f.signed else (1 << f.width) - 1):
                ok.append(value <= f.hi)
        return Cat(*ok).all()

    def refusal(r):
        if r.bank_locked:
            return bank_locked
        if r.locked:
            return locked
        start = next((f for f in r.fields if f.name == "START"), None)
        return locked & wdata[start.lsb] if start is not None else 0

    misaligned = addr[:2] != 0
    with m.If(bus.re):
        with m.If(misaligned):
            m.d.comb += err.eq(1)
        for r in registers:
            with m.Elif(hit(r)):
                if r.access == "WO":
                    m.d.comb += err.eq(1)
                else:
                    m.d.comb += bus.rdata.eq(read_value(r, index_of(r)))
        with m.Else():
            m.d.comb += err.eq(1)

    with m.If(bus.we):
        with m.If(misaligned | (bus.wstrb != 0b1111)):
            m.d.comb += err.eq(1)
        for r in registers:
            with m.Elif(hit(r)):
                if r.access == "RO":
                    m.d.comb += err.eq(1)
                    continue
                with m.If(~fields_ok(r)):
                    m.d.comb += err.eq(1)
                with m.Elif(refusal(r)):
                    m.d.comb += err.eq(1)
                    m.d.sync += refused.eq(refused + 1)
                with m.Else():
                    perform_write(r, index_of(r), wdata)
        with m.Else():
            m.d.comb += err.eq(1)
