"""hw.regfile.RegisterFile against the register table of spinaps/regmap.py, in Amaranth's simulator.

The testbench drives the register strobes directly (one access a cycle; ``rdata`` and ``err`` are
combinational in the strobe cycle) and compares every answer with :class:`RefRegisters`, a model of
the register file written from the table alone (``register_map``, ``Register.write_ok``, ``Field``,
``STATUS_BITS``, ``CTRL_BITS``) and ``spinaps.contract.pack_fields``: nothing in it is read from the
hardware.
"""

import random

import pytest
from amaranth_sim import simulate

from hw.regfile import RegisterFile
from spinaps.config import Config
from spinaps.contract import pack_fields, unpack_fields
from spinaps.regmap import CTRL_BITS, STATUS_BITS, register_map

MASK32 = 0xFFFFFFFF

CONFIGS = [
    Config(),
    Config(dataset="random", n_inputs=64, n_outputs=3, weight_bits=16),
    Config(lfsr_width=16, tiles=1),
    Config(dataset="random", n_inputs=100, tiles=13, pixel_bits=5, bias_bits=20),
]


def config_id(c):
    return f"ny{c.n_outputs}-B{c.weight_bits}-W{c.lfsr_width}-tiles{c.tiles}"


def bias_init(config):
    rng = random.Random(config.n_outputs)
    return [rng.choice([config.bias_min, config.bias_max, -1, rng.randint(config.bias_min, config.bias_max)])
            for _ in range(config.n_outputs)]


class RefRegisters:
    """The register file as the table describes it."""

    def __init__(self, config, bias):
        self.config = config
        self.registers = {r.name: r for r in register_map(config)}
        self.at = {r.offset + 4 * i: (r, i) for r in self.registers.values() for i in range(r.count)}
        self.stored = {(r.name, i): r.reset for r in self.registers.values() if r.access == "RW"
                       for i in range(r.count)}
        for i, b in enumerate(bias):
            self.stored[("BIAS", i)] = b & MASK32              # read back sign-extended
        self.row = 0                                          # the row ROW_DATA holds (row_bits)
        self.inputs = dict(busy=0, done=0, timed_out=0, write_error=0, result_class=0, result_step=0,
                           cycles=0, events=0)
        self.prog_busy = self.prog_ok = 0
        self.retries = self.failures = self.refused = 0

    @property
    def word_bits(self):
        return self.config.weights_per_word * self.config.weight_bits

    def read(self, addr):
        """``(err, value)``; value None when refused."""
        if addr not in self.at:
            return 1, None
        r, i = self.at[addr]
        if r.access == "WO":
            return 1, None
        if r.name == "ROW_DATA":
            return 0, (self.row >> (i * self.word_bits)) & ((1 << self.word_bits) - 1)
        if r.access == "RW":
            return 0, self.stored[(r.name, i)]
        flags = dict(BUSY=self.inputs["busy"], DONE=self.inputs["done"], TIMED_OUT=self.inputs["timed_out"],
                     WRITE_ERROR=self.inputs["write_error"], PROG_BUSY=self.prog_busy, PROG_OK=self.prog_ok)
        live = {"STATUS": sum(v << STATUS_BITS[k] for k, v in flags.items()),
                "RESULT_CLASS": self.inputs["result_class"], "RESULT_STEP": self.inputs["result_step"],
                "CYCLES": self.inputs["cycles"], "EVENTS": self.inputs["events"],
                "WRITE_RETRIES": self.retries, "WRITE_FAILURES": self.failures, "REFUSED_WRITES": self.refused}
        return 0, live.get(r.name, r.reset)

    def write(self, addr, value, strb=0xF):
        """``(err, action)``: action is what a performed write of a WO register does, or None."""
        if addr not in self.at or strb != 0xF:
            return 1, None
        r, i = self.at[addr]
        if r.access == "RO" or not r.write_ok(value):
            return 1, None
        locked = self.inputs["busy"] or self.prog_busy
        if locked and (r.locked or (r.name == "CTRL" and value >> CTRL_BITS["START"] & 1)):
            self.refused += 1
            return 1, None
        if r.name == "ROW_DATA":
            mask = ((1 << self.word_bits) - 1) << (i * self.word_bits)
            self.row = (self.row & ~mask | value << (i * self.word_bits)) & ((1 << self.config.row_bits) - 1)
        elif r.access == "RW":
            self.stored[(r.name, i)] = value
        elif r.name == "CTRL":
            return 0, ("ctrl", {name: value >> bit & 1 for name, bit in CTRL_BITS.items()})
        elif r.name == "PROG_ROW":
            fields = {f.name: value >> f.lsb & ((1 << f.width) - 1) for f in r.fields}
            self.prog_busy = 1
            return 0, ("prog", fields)
        elif r.name.startswith("PIXEL"):
            return 0, ("pixel", int(r.name[len("PIXEL"):]), i, value)
        return 0, None


class Bus:
    """One register access a cycle on the RegisterFile's strobes; answers sampled in the strobe cycle."""

    def __init__(self, ctx, dut):
        self.ctx, self.dut = ctx, dut

    async def read(self, addr):
        ctx, bus = self.ctx, self.dut.bus
        ctx.set(bus.addr, addr)
        ctx.set(bus.re, 1)
        err, rdata = ctx.get(bus.err), ctx.get(bus.rdata)
        await ctx.tick()
        ctx.set(bus.re, 0)
        return err, (None if err else rdata)

    async def write(self, addr, value, strb=0xF):
        """``(err, action)`` in the terms of :meth:`RefRegisters.write`, from the strobes of that cycle;
        for a performed PROG_ROW, the program port's fields in the next cycle (the cycle after returns)."""
        ctx, dut = self.ctx, self.dut
        ctx.set(dut.bus.addr, addr)
        ctx.set(dut.bus.wdata, value)
        ctx.set(dut.bus.wstrb, strb)
        ctx.set(dut.bus.we, 1)
        err = ctx.get(dut.bus.err)
        ctrl = {"START": ctx.get(dut.commands.start), "CLEAR_DONE": ctx.get(dut.commands.clear_done),
                "CLEAR_ERROR": ctx.get(dut.program.clear_error)}
        pixel = (ctx.get(dut.pixels.en), ctx.get(dut.pixels.tile), ctx.get(dut.pixels.addr), ctx.get(dut.pixels.data))
        assert not ctx.get(dut.program.start)
        await ctx.tick()
        ctx.set(dut.bus.we, 0)
        ctx.set(dut.bus.wstrb, 0)
        action = None
        if any(ctrl.values()):
            action = ("ctrl", ctrl)
        if pixel[0]:
            assert action is None
            action = ("pixel",) + pixel[1:]
        if ctx.get(dut.program.start):
            assert action is None
            p = dut.program
            action = ("prog", {"row": ctx.get(p.row), "tile": ctx.get(p.tile), "read_back": ctx.get(p.read_back)})
        return err, action


async def finish_program(ctx, dut, ref, *, ok=1, rb_data=0, wait=0):
    """The datapath's side of a program started by a PROG_ROW write (program.start is high now):
    ``wait`` more cycles, then done/ok, or rb_valid with rb_data for a read-back, for one cycle."""
    program = dut.program
    read_back = ctx.get(program.read_back)
    await ctx.tick()
    assert not ctx.get(program.start)                  # a one-cycle pulse
    for _ in range(wait):
        await ctx.tick()
    ctx.set(program.rb_data if read_back else program.ok, rb_data if read_back else ok)
    ctx.set(program.rb_valid if read_back else program.done, 1)
    await ctx.tick()
    ctx.set(program.rb_valid, 0)
    ctx.set(program.done, 0)
    ref.prog_busy = 0
    if read_back:
        ref.row = rb_data
    else:
        ref.prog_ok = ok


def normalise(answer):
    """``(err, action)``; a CTRL write with no bit set does nothing visible."""
    err, action = answer
    if action and action[0] == "ctrl" and not any(action[1].values()):
        return err, None
    return err, action


def can_refuse(register):
    """Whether some 32-bit value is refused: a bit outside the fields, or a field narrower than its bits."""
    def full(f):
        if f.signed:
            return (f.lo, f.hi) == (-(1 << (f.width - 1)), (1 << (f.width - 1)) - 1)
        return (f.lo, f.hi) == (0, (1 << f.width) - 1)
    return register.unused_bits != 0 or not all(full(f) for f in register.fields)


def field_values(field, rng):
    """Values for one field: its bounds, one past them when the width allows, random ones inside."""
    width_lo = -(1 << (field.width - 1)) if field.signed else 0
    width_hi = (1 << (field.width - 1)) - 1 if field.signed else (1 << field.width) - 1
    values = [field.lo, field.hi, rng.randint(field.lo, field.hi), rng.randint(field.lo, field.hi)]
    values += [v for v in (field.lo - 1, field.hi + 1) if width_lo <= v <= width_hi]
    return values


def values_for(register, rng):
    """32-bit values for a register: each field at each of its interesting values (the others random in
    range), a random unused bit set, and fully random words."""
    fields = register.fields
    base = {f.name: rng.randint(f.lo, f.hi) for f in fields}

    def word(choice):
        return sum((choice[f.name] & ((1 << f.width) - 1)) << f.lsb for f in fields) & MASK32

    out = []
    for f in fields[:8]:                                  # PIXEL words have up to 32 fields: 8 are plenty
        for v in field_values(f, rng):
            out.append(word(base | {f.name: v}))
    if register.unused_bits:
        unused = [b for b in range(32) if register.unused_bits >> b & 1]
        out.append(word(base) | 1 << rng.choice(unused))
        out.append(word(base) | 1 << unused[-1])
    out += [rng.getrandbits(32) for _ in range(3)]
    return out


def run(config, testbench_body):
    dut = RegisterFile(config=config, bias_init=bias_init(config))
    ref = RefRegisters(config, bias_init(config))

    async def testbench(ctx):
        await testbench_body(ctx, dut, ref, Bus(ctx, dut))

    simulate(dut, testbench)
    return ref


def probe_addresses(ref, rng):
    """Every word address up to past the end of the map, misaligned ones near registers, and far ones."""
    end = max(ref.at) + 4
    addrs = list(range(0, end + 64, 4))
    addrs += [a + rng.randrange(1, 4) for a in rng.sample(sorted(ref.at), min(20, len(ref.at)))]
    addrs += [0xFFFC, 0x8000, 0x7FFC, end + 0x400] + [rng.randrange(end, 1 << 16) & ~3 for _ in range(10)]
    return addrs


@pytest.mark.parametrize("config", CONFIGS, ids=config_id)
def test_reset_values_and_address_decoding(config):
    """Every RW/RO register reads its reset value, WO reads answer SLVERR; every address not in the table
    (the holes of the arrays included) and every misaligned one answers SLVERR to reads and writes."""
    rng = random.Random(config.tiles)
    answers = []

    async def body(ctx, dut, ref, bus):
        for addr in probe_addresses(ref, rng):
            got = await bus.read(addr)
            answers.append(("read", addr, got, ref.read(addr)))
            if addr not in ref.at:
                answers.append(("write", addr, await bus.write(addr, 0), (1, None)))

    ref = run(config, body)
    mismatches = [a for a in answers if a[2] != a[3]]
    assert not mismatches, mismatches[:5]
    # The sweep covers every register, holes in arrays and misaligned addresses.
    assert set(ref.at) <= {a[1] for a in answers}
    holes = [a for a in range(0, max(ref.at), 4) if a not in ref.at]
    assert holes or config.tiles == 13


@pytest.mark.parametrize("config", CONFIGS, ids=config_id)
def test_field_ranges_accepted_and_refused_as_write_ok(config):
    """Each writable register's fields at their bounds, one past them, random values and stray bits:
    performed exactly when ``write_ok`` says so; a refused write changes nothing (read back); a performed
    one is read back, or shows its strobe (CTRL, PIXEL) or starts a program (PROG_ROW)."""
    rng = random.Random(config.n_outputs * 7 + config.tiles)
    log = []

    async def body(ctx, dut, ref, bus):
        writable = [r for r in ref.registers.values() if r.access != "RO"]
        for r in writable:
            for index in sorted({0, r.count - 1}):
                addr = r.offset + 4 * index
                for value in values_for(r, rng):
                    expected = ref.write(addr, value)
                    got = await bus.write(addr, value)
                    log.append((r.name, index, hex(value), normalise(got), normalise(expected)))
                    if got[1] and got[1][0] == "prog":
                        await finish_program(ctx, dut, ref, ok=rng.getrandbits(1), rb_data=0)
                    if r.access == "RW":
                        log.append((r.name, index, "read back", await bus.read(addr), ref.read(addr)))
        # Every RW register read at the end: nothing else changed.
        for addr, (r, index) in sorted(ref.at.items()):
            if r.access == "RW":
                log.append((r.name, index, "final", await bus.read(addr), ref.read(addr)))

    ref = run(config, body)
    mismatches = [entry for entry in log if entry[3] != entry[4]]
    assert not mismatches, mismatches[:5]
    outcomes = {(entry[0], entry[4][0]) for entry in log if entry[2] not in ("read back", "final")}
    performed = {name for name, err in outcomes if not err}
    refused = {name for name, err in outcomes if err}
    writable = {r.name for r in ref.registers.values() if r.access != "RO"}
    assert performed == writable
    assert refused == {r.name for r in ref.registers.values() if r.access != "RO" and can_refuse(r)}
    assert ref.refused == 0


@pytest.mark.parametrize("config", CONFIGS[:2], ids=config_id)
def test_partial_strobes_and_read_only_writes_refused(config):
    rng = random.Random(5)
    log = []

    async def body(ctx, dut, ref, bus):
        for addr, (r, index) in sorted(ref.at.items()):
            value = values_for(r, rng)[0] if r.fields else 0
            if r.access != "RO":
                for strb in (0b0111, 0b1110, 0b0001, 0b0000):
                    log.append((r.name, strb, await bus.write(addr, value, strb), (1, None)))
            else:
                log.append((r.name, "RO", await bus.write(addr, value), (1, None)))
        for addr, (r, index) in sorted(ref.at.items()):
            log.append((r.name, "after", await bus.read(addr), ref.read(addr)))

    run(config, body)
    mismatches = [entry for entry in log if entry[2] != entry[3]]
    assert not mismatches, mismatches[:5]


@pytest.mark.parametrize("config", CONFIGS, ids=config_id)
def test_locked_writes_refused_and_counted_while_busy(config):
    """With ``busy`` high, and while a row program runs: writes to ``locked`` registers and CTRL.START are
    refused with SLVERR and counted in REFUSED_WRITES; CLEAR_DONE, CLEAR_ERROR and IRQ_ENABLE are
    performed; an invalid value is refused for its value (not counted)."""
    rng = random.Random(11)
    log = []

    async def body(ctx, dut, ref, bus):
        valid = {r.name: next(v for v in values_for(r, rng) if r.write_ok(v))
                 for r in ref.registers.values() if r.access != "RO"}
        start, clear_done = 1 << CTRL_BITS["START"], 1 << CTRL_BITS["CLEAR_DONE"]
        clear_error = 1 << CTRL_BITS["CLEAR_ERROR"]

        async def attempts(tag):
            for r in ref.registers.values():
                if r.access == "RO":
                    continue
                values = [start, start | clear_done, clear_done, clear_error] if r.name == "CTRL" else [valid[r.name]]
                if r.name == "T_MAX":
                    values.append(0)                           # out of range: refused, not counted
                for value in values:
                    addr = r.offset + 4 * (r.count - 1)
                    got = await bus.write(addr, value)
                    log.append((tag, r.name, hex(value), normalise(got), normalise(ref.write(addr, value))))
                    if got[1] and got[1][0] == "prog":
                        await finish_program(ctx, dut, ref)
            log.append((tag, "REFUSED_WRITES", await bus.read(ref.registers["REFUSED_WRITES"].offset),
                        ref.read(ref.registers["REFUSED_WRITES"].offset)))

        ctx.set(dut.commands.busy, 1)
        ref.inputs["busy"] = 1
        await attempts("busy")
        ctx.set(dut.commands.busy, 0)
        ref.inputs["busy"] = 0
        # A row program running: start one, keep it running through the attempts, then finish it.
        prog = ref.registers["PROG_ROW"]
        log.append(("start program", await bus.write(prog.offset, 0), ref.write(prog.offset, 0)))
        assert ctx.get(dut.program.start)
        await ctx.tick()
        await attempts("programming")
        status = ref.registers["STATUS"].offset
        log.append(("status while programming", await bus.read(status), ref.read(status)))
        ctx.set(dut.program.done, 1)
        ctx.set(dut.program.ok, 1)
        await ctx.tick()
        ctx.set(dut.program.done, 0)
        ref.prog_busy, ref.prog_ok = 0, 1
        await attempts("idle")

    ref = run(config, body)
    mismatches = [entry for entry in log if entry[-2] != entry[-1]]
    assert not mismatches, mismatches[:5]
    locked = [r.name for r in ref.registers.values() if r.locked]
    assert ref.refused == 2 * (len(locked) + 2)          # each locked register and two STARTs, twice
    assert ref.read(ref.registers["STATUS"].offset)[1] >> STATUS_BITS["PROG_OK"] & 1


@pytest.mark.parametrize("config", CONFIGS, ids=config_id)
def test_row_programming_and_read_back(config):
    """ROW_DATA words pack the row as ``pack_fields``; PROG_ROW starts a program one cycle later with
    its tile, row and the row on ``program.data``; PROG_BUSY until ``done`` (PROG_OK = ``ok``) or
    ``rb_valid`` (the row read back replaces ROW_DATA); the retry and failure counters add up."""
    rng = random.Random(config.row_bits)
    prog = None
    log = []

    async def body(ctx, dut, ref, bus):
        nonlocal prog
        prog = ref.registers["PROG_ROW"]
        row_data, status = ref.registers["ROW_DATA"], ref.registers["STATUS"].offset
        wpw, b = config.weights_per_word, config.weight_bits
        for attempt in range(4):
            weights = [rng.randint(config.weight_min, config.weight_max) for _ in range(config.n_outputs)]
            for m in range(row_data.count):
                word = pack_fields(weights[m * wpw:(m + 1) * wpw], b)
                assert (await bus.write(row_data.offset + 4 * m, word)) == ref.write(row_data.offset + 4 * m, word)
            assert ctx.get(dut.program.data) == pack_fields(weights, b)
            tile, row = rng.randrange(config.tiles), rng.randrange(config.rows_per_tile)
            read_back = attempt % 2
            value = row | tile << 16 | read_back << 31
            err, action = await bus.write(prog.offset, value)
            assert (err, action) == (0, ("prog", {"row": row, "tile": tile, "read_back": read_back}))
            ref.write(prog.offset, value)
            assert ctx.get(dut.program.data) == pack_fields(weights, b)
            wait = rng.randrange(4)
            # PROG_BUSY reads 1 in the cycles before done / rb_valid; done in the start cycle is ignored.
            ctx.set(dut.program.done, 1)
            ctx.set(dut.program.rb_valid, 1)
            await ctx.tick()
            ctx.set(dut.program.done, 0)
            ctx.set(dut.program.rb_valid, 0)
            for _ in range(wait):
                log.append(("busy", await bus.read(status), ref.read(status)))
            new_row = [rng.randint(config.weight_min, config.weight_max) for _ in range(config.n_outputs)]
            ok = rng.getrandbits(1)
            retries = min(attempt, config.tiles)               # retry pulses this cycle, one a tile at most
            ctx.set(dut.program.retries, retries)
            ctx.set(dut.program.failures, attempt % 2)
            ctx.set(dut.program.write_error, attempt % 2)
            ref.retries += retries
            ref.failures += attempt % 2
            ref.inputs["write_error"] = attempt % 2
            ctx.set(dut.program.ok if not read_back else dut.program.rb_data,
                    ok if not read_back else pack_fields(new_row, b))
            ctx.set(dut.program.rb_valid if read_back else dut.program.done, 1)
            await ctx.tick()
            ctx.set(dut.program.rb_valid, 0)
            ctx.set(dut.program.done, 0)
            ctx.set(dut.program.retries, 0)
            ctx.set(dut.program.failures, 0)
            ref.prog_busy = 0
            if read_back:
                ref.row = pack_fields(new_row, b)
            else:
                ref.prog_ok = ok
            log.append(("status", await bus.read(status), ref.read(status)))
            words = [(await bus.read(row_data.offset + 4 * m))[1] for m in range(row_data.count)]
            log.append(("row data", words, [ref.read(row_data.offset + 4 * m)[1] for m in range(row_data.count)]))
            if read_back:
                fields = [f for m, w in enumerate(words) for f in unpack_fields(w, b, wpw, signed=True)]
                log.append(("read back", fields[:config.n_outputs], new_row))
            for name in ("WRITE_RETRIES", "WRITE_FAILURES"):
                offset = ref.registers[name].offset
                log.append((name, await bus.read(offset), ref.read(offset)))

    ref = run(config, body)
    mismatches = [entry for entry in log if entry[-2] != entry[-1]]
    assert not mismatches, mismatches[:5]
    assert ref.retries >= 3 and ref.failures == 2


@pytest.mark.parametrize("config", CONFIGS[::3], ids=config_id)
def test_status_results_and_settings_follow_their_sources(config):
    """STATUS, RESULT_*, CYCLES, EVENTS read the control unit's inputs; the settings, t_max and irq_enable
    outputs hold the registers written (BIAS as signed values, POLICY bits as the two policies)."""
    rng = random.Random(13)
    log = []

    async def body(ctx, dut, ref, bus):
        for _ in range(6):
            values = dict(busy=rng.getrandbits(1), done=rng.getrandbits(1), timed_out=rng.getrandbits(1),
                          write_error=rng.getrandbits(1), result_class=rng.randint(0, config.n_outputs),
                          result_step=rng.getrandbits(8), cycles=rng.getrandbits(32), events=rng.getrandbits(32))
            for name, value in values.items():
                ctx.set(dut.program.write_error if name == "write_error" else getattr(dut.commands, name), value)
            ref.inputs.update(values)
            for name in ("STATUS", "RESULT_CLASS", "RESULT_STEP", "CYCLES", "EVENTS"):
                offset = ref.registers[name].offset
                log.append((name, await bus.read(offset), ref.read(offset)))
        ctx.set(dut.commands.busy, 0)
        ref.inputs["busy"] = 0
        for _ in range(3):
            writes = {"SEED_ENCODER": rng.getrandbits(config.lfsr_width),
                      "SEED_SPIKE": rng.getrandbits(config.lfsr_width), "T_MAX": rng.randint(1, 255),
                      "POLICY": rng.getrandbits(2), "IRQ_ENABLE": rng.getrandbits(1)}
            biases = [rng.randint(config.bias_min, config.bias_max) for _ in range(config.n_outputs)]
            for name, value in writes.items():
                offset = ref.registers[name].offset
                assert await bus.write(offset, value) == ref.write(offset, value) == (0, None)
            for i, bias in enumerate(biases):
                offset = ref.registers["BIAS"].offset + 4 * i
                assert await bus.write(offset, bias & MASK32) == ref.write(offset, bias & MASK32) == (0, None)
            s = dut.settings
            log.append(("settings", [ctx.get(s.seed_encoder), ctx.get(s.seed_spike), ctx.get(dut.commands.t_max),
                                     ctx.get(s.tie_max_potential) | ctx.get(s.timeout_argmax) << 1,
                                     ctx.get(dut.irq_enable)], list(writes.values())))
            log.append(("bias", [ctx.get(s.bias[i]) for i in range(config.n_outputs)], biases))

    run(config, body)
    mismatches = [entry for entry in log if entry[-2] != entry[-1]]
    assert not mismatches, mismatches[:5]


def test_policy_bits_are_the_documented_policies():
    """POLICY's reset value encodes the configuration's policies as its description says."""
    config = Config(tie_policy="max_potential", timeout_policy="abstain")
    (policy,) = [r for r in register_map(config) if r.name == "POLICY"]
    fields = {f.name: f.lsb for f in policy.fields}
    assert policy.reset == 1 << fields["tie_max_potential"]
    dut = RegisterFile(config=config)
    seen = []

    async def testbench(ctx):
        seen.append((ctx.get(dut.settings.tie_max_potential), ctx.get(dut.settings.timeout_argmax)))

    simulate(dut, testbench)
    assert seen == [(1, 0)]


def test_pixel_bank_locks_only_the_bank_being_read():
    """Two pixel banks: PIXEL writes go to the bank PIXEL_BANK names; a performed START latches it as the
    bank being read. While BUSY only PIXEL writes to that bank are refused (and counted); PIXEL_BANK itself
    is not locked; while a row program runs every PIXEL write is refused (docs/spec.md section 9)."""
    config = Config(dataset="random", n_inputs=24, tiles=3, pixel_banks=2)
    regs = {r.name: r for r in register_map(config)}
    pixel_bank, pixel0, ctrl = regs["PIXEL_BANK"].offset, regs["PIXEL0"].offset, regs["CTRL"].offset
    refused_writes, start = regs["REFUSED_WRITES"].offset, 1 << CTRL_BITS["START"]
    seen = []

    async def body(ctx, dut, ref, bus):
        async def pixel_write(word):
            err, action = await bus.write(pixel0, word)
            return err, action and (action[3], ctx.get(dut.pixels.bank), ctx.get(dut.pixels.read_bank))

        seen.append(await bus.write(pixel_bank, 1))                      # idle: bank 1 takes the image
        seen.append(await pixel_write(0x11))
        seen.append((await bus.write(ctrl, start))[0])                   # START reads bank 1
        ctx.set(dut.commands.busy, 1)
        seen.append(await pixel_write(0x22))                             # the bank being read: refused
        seen.append(await bus.write(pixel_bank, 0))                      # not locked
        seen.append(await bus.read(pixel_bank))
        seen.append(await pixel_write(0x33))                             # the other bank: performed
        seen.append((await bus.write(ctrl, start))[0])                   # START while busy: refused
        ctx.set(dut.commands.busy, 0)
        seen.append(await bus.write(regs["PROG_ROW"].offset, 0))         # a row program runs
        await ctx.tick()
        seen.append(await pixel_write(0x44))                             # refused while PROG_BUSY
        seen.append(await bus.read(refused_writes))

    run(config, body)
    assert seen == [(0, None), (0, (0x11, 1, 0)), 0,
                    (1, None), (0, None), (0, 0), (0, (0x33, 0, 1)), 1,
                    (0, ("prog", {"row": 0, "tile": 0, "read_back": 0})), (1, None), (0, 3)]
