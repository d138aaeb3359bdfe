"""Top level: AXI4-Lite registers, control, tiles, neuron stage, arbiter and interrupt
(docs/spec.md; golden: model/golden.py for inference, hw/regmap.py for the bus)."""

from amaranth import Array, Cat, Module, Signal, signed
from amaranth.lib import data, wiring
from amaranth.lib.wiring import In, Out

from model.tile import tile_rows
from spinaps.config import Config

from .arbiter import FirstToSpikeArbiter
from .axi_lite import AxiLiteSlave
from .neuron import NeuronStage
from .regmap import CTRL_CLEAR_DONE, CTRL_CLEAR_ERROR, CTRL_START, PROG_READ_BACK, STATUS_BITS, register_map
from .tile import Tile

__all__ = ["Accelerator", "ADDR_WIDTH", "AXI_INPUTS", "AXI_OUTPUTS", "timing_constants"]

ADDR_WIDTH = 16
AXI_INPUTS = ("awaddr", "awprot", "awvalid", "wdata", "wstrb", "wvalid", "bready", "araddr", "arprot",
              "arvalid", "rready")
AXI_OUTPUTS = ("awready", "wready", "bresp", "bvalid", "arready", "rdata", "rresp", "rvalid")
COUNTER_WIDTH = 32


def timing_constants(config: Config) -> dict:
    """The cycle counts the design promises (docs/spec.md section 9; model/cycles.py).

    A time step whose busiest tile has E events takes exactly
    ``max(E + read_latency, L) + N_Y + 3`` cycles (L = inputs_per_tile: the
    encoder's cycles, overlapped with accumulation; N_Y: one neuron per cycle;
    3: step start, accumulator drain, decision). An inference of S steps takes
    ``2 + sum over its steps`` cycles as CYCLES counts them: the cycle the START
    write is performed, one cycle loading the LFSRs, then the steps.
    """
    return {
        "encode_cycles": config.inputs_per_tile,
        "read_latency": config.read_latency,
        "neuron_cycles": config.n_outputs,
        "step_fixed_cycles": config.n_outputs + 3,
        "inference_fixed_cycles": 2,
        "step_bound_constant": config.read_latency + config.inputs_per_tile + config.n_outputs + 3,
        "cycles_per_step": "max(E + read_latency, encode_cycles) + step_fixed_cycles",
    }


class Accelerator(wiring.Component):
    """The SpinAPS-style accelerator.

    Arguments
    ---------
    config : Config
    alpha, bias : int arrays or None
        Trained weights: the macros start with ``alpha`` and the BIAS registers
        reset to ``bias`` (for simulation); None: erased macros, zero biases.

    Members
    -------
    s_axil_* :
        AXI4-Lite slave (16-bit byte addresses, 32-bit data); the register map is
        :func:`hw.regmap.register_map`.
    irq : Out(1)
        High while STATUS.DONE and IRQ_ENABLE bit 0.
    trace_* : Out
        Debug trace for testbenches (leave unconnected in an SoC):
        ``trace_step_start`` pulses when a time step begins; while ``trace_valid``,
        neuron ``trace_neuron`` of step ``trace_step`` has ``trace_potential``,
        ``trace_prob``, ``trace_draw``, ``trace_spike``, its tile partial sums
        ``trace_tile_acc`` and the step's events per tile ``trace_events``.
    """

    def __init__(self, *, config: Config, alpha=None, bias=None):
        c = self.config = config
        self.alpha, self.bias = alpha, bias
        self.registers = register_map(config)
        ports = {f"s_axil_{n}": In(w) for n, w in (("awaddr", ADDR_WIDTH), ("awprot", 3), ("awvalid", 1),
                                                  ("wdata", 32), ("wstrb", 4), ("wvalid", 1), ("bready", 1),
                                                  ("araddr", ADDR_WIDTH), ("arprot", 3), ("arvalid", 1),
                                                  ("rready", 1))}
        ports.update({f"s_axil_{n}": Out(w) for n, w in (("awready", 1), ("wready", 1), ("bresp", 2),
                                                        ("bvalid", 1), ("arready", 1), ("rdata", 32),
                                                        ("rresp", 2), ("rvalid", 1))})
        ports.update({
            "irq": Out(1),
            "trace_step_start": Out(1), "trace_valid": Out(1), "trace_step": Out(8),
            "trace_neuron": Out(range(c.n_outputs)), "trace_potential": Out(signed(c.acc_width)),
            "trace_prob": Out(c.prob_bits), "trace_draw": Out(c.prob_bits), "trace_spike": Out(1),
            "trace_tile_acc": Out(data.ArrayLayout(signed(c.tile_acc_width), c.tiles)),
            "trace_events": Out(data.ArrayLayout(range(c.rows_per_tile + 1), c.tiles)),
        })
        super().__init__(ports)

    def elaborate(self, platform):
        c = self.config
        m = Module()
        reg = {r.name: r for r in self.registers}

        # -- bus
        m.submodules.axi = axi = AxiLiteSlave(addr_width=ADDR_WIDTH)
        m.d.comb += [getattr(axi, n).eq(getattr(self, f"s_axil_{n}")) for n in AXI_INPUTS]
        m.d.comb += [getattr(self, f"s_axil_{n}").eq(getattr(axi, n)) for n in AXI_OUTPUTS]

        # -- registers
        seed_encoder = Signal(c.lfsr_width, init=c.seed_encoder)
        seed_spike = Signal(c.lfsr_width, init=c.seed_spike)
        t_max = Signal(8, init=c.t_max)
        policy = Signal(2, init=reg["POLICY"].reset)
        irq_enable = Signal()
        bias_init = [0] * c.n_outputs if self.bias is None else [int(b) for b in self.bias]
        bias = Array(Signal(signed(c.bias_bits), init=bias_init[i], name=f"bias{i}") for i in range(c.n_outputs))
        row_data = Array(Signal(signed(c.weight_bits), name=f"row_data{i}") for i in range(c.n_outputs))
        pixels = Array(Signal(c.pixel_bits, name=f"pixel{j}") for j in range(c.n_inputs))
        running, done, timed_out = Signal(), Signal(), Signal()
        result_class = Signal(range(c.n_outputs + 1))
        step = Signal(8)
        result_step = Signal(8)
        cycles, events = Signal(COUNTER_WIDTH), Signal(COUNTER_WIDTH)
        retries, failures, refused = Signal(COUNTER_WIDTH), Signal(COUNTER_WIDTH), Signal(COUNTER_WIDTH)
        prog_busy, prog_ok, prog_start, prog_read_back = Signal(), Signal(), Signal(), Signal()
        prog_tile = Signal(range(c.tiles))
        prog_row = Signal(range(c.rows_per_tile))
        start, clear_error = Signal(), Signal()

        # -- datapath
        tiles = []
        for k in range(c.tiles):
            init = None if self.alpha is None else tile_rows(c, self.alpha, k)
            tile = Tile(config=c, tile=k, init=init)
            m.submodules[f"tile{k}"] = tile
            tiles.append(tile)
            m.d.comb += [tile.pixels[local].eq(pixels[j]) for local, j in enumerate(c.tile_inputs(k))]
            m.d.comb += [tile.seed.eq(seed_encoder), tile.clear_error.eq(clear_error),
                         tile.prog_en.eq(prog_start & ~prog_read_back & (prog_tile == k)),
                         tile.rb_en.eq(prog_start & prog_read_back & (prog_tile == k)),
                         tile.prog_addr.eq(prog_row), tile.rb_addr.eq(prog_row),
                         tile.prog_data.eq(Cat(*row_data))]
        m.submodules.neurons = neurons = NeuronStage(config=c)
        m.submodules.arbiter = arbiter = FirstToSpikeArbiter(n_outputs=c.n_outputs, potential_width=c.acc_width)
        m.d.comb += [neurons.tile_acc[k].eq(t.acc) for k, t in enumerate(tiles)]
        m.d.comb += [neurons.bias[i].eq(bias[i]) for i in range(c.n_outputs)]
        m.d.comb += [
            neurons.seed.eq(seed_spike),
            arbiter.valid.eq(neurons.valid), arbiter.neuron.eq(neurons.neuron),
            arbiter.potential.eq(neurons.potential), arbiter.spike.eq(neurons.spike),
            arbiter.tie_max_potential.eq(policy[0]), arbiter.timeout_argmax.eq(policy[1]),
            arbiter.last_step.eq(step == t_max),
            self.trace_valid.eq(neurons.valid), self.trace_step.eq(step), self.trace_neuron.eq(neurons.neuron),
            self.trace_potential.eq(neurons.potential), self.trace_prob.eq(neurons.prob),
            self.trace_draw.eq(neurons.draw), self.trace_spike.eq(neurons.spike),
            self.trace_tile_acc.eq(neurons.tile_partial),
            self.irq.eq(done & irq_enable),
        ]
        m.d.comb += [self.trace_events[k].eq(t.events) for k, t in enumerate(tiles)]

        # -- control
        tiles_busy = Cat(*(t.busy for t in tiles)).any()
        with m.If(running):
            m.d.sync += [cycles.eq(cycles + 1), events.eq(events + sum(t.event for t in tiles))]
        with m.FSM():
            with m.State("IDLE"):
                with m.If(start):
                    m.d.sync += [running.eq(1), done.eq(0), cycles.eq(1), events.eq(0), step.eq(1)]
                    m.next = "LOAD"
            with m.State("LOAD"):
                m.d.comb += [t.load.eq(1) for t in tiles] + [neurons.load.eq(1)]
                m.next = "STEP"
            with m.State("STEP"):
                m.d.comb += [t.step_start.eq(1) for t in tiles] + [arbiter.clear.eq(1), self.trace_step_start.eq(1)]
                m.next = "ACCUMULATE"
            with m.State("ACCUMULATE"):
                with m.If(~tiles_busy):
                    m.d.comb += neurons.start.eq(1)
                    m.next = "NEURONS"
            with m.State("NEURONS"):
                with m.If(neurons.valid & (neurons.neuron == c.n_outputs - 1)):
                    m.next = "DECIDE"
            with m.State("DECIDE"):
                with m.If(arbiter.decided):
                    m.d.sync += [running.eq(0), done.eq(1), timed_out.eq(arbiter.timed_out),
                                 result_class.eq(arbiter.decision), result_step.eq(step)]
                    m.next = "IDLE"
                with m.Else():
                    m.d.comb += [t.shift.eq(1) for t in tiles]
                    m.d.sync += step.eq(step + 1)
                    m.next = "STEP"

        # -- programming: one row write (write-verify) or read-back at a time
        m.d.sync += prog_start.eq(0)
        sel = Array(tiles)[prog_tile]
        with m.If(prog_busy & ~prog_start):
            with m.If(sel.prog_done):
                m.d.sync += [prog_busy.eq(0), prog_ok.eq(sel.prog_ok)]
            with m.If(sel.rb_valid):
                m.d.sync += prog_busy.eq(0)
                m.d.sync += [row_data[i].eq(sel.rb_data[i * c.weight_bits:(i + 1) * c.weight_bits])
                             for i in range(c.n_outputs)]
        m.d.sync += [retries.eq(retries + sum(t.retry for t in tiles)),
                     failures.eq(failures + sum(t.failed for t in tiles))]
        write_error = Cat(*(t.sticky_error for t in tiles)).any()

        # -- register access (combinational decode, in the cycle of reg_we / reg_re)
        addr, wdata = axi.reg_addr, axi.reg_wdata
        we, re = axi.reg_we, axi.reg_re
        locked = running | prog_busy
        wsigned = wdata.as_signed()
        err = Signal()
        rdata = Signal(32)
        m.d.comb += [axi.reg_err.eq(err), axi.reg_rdata.eq(rdata)]

        def hit(name):
            r = reg[name]
            if r.count == 1:
                return addr == r.offset
            return (addr >= r.offset) & (addr < r.offset + 4 * r.count)

        def index(name):
            return (addr - reg[name].offset)[2:]

        flags = {"BUSY": running, "DONE": done, "TIMED_OUT": timed_out, "WRITE_ERROR": write_error,
                 "PROG_BUSY": prog_busy, "PROG_OK": prog_ok}
        status = Cat(*(flags[name] for name in sorted(STATUS_BITS, key=STATUS_BITS.get)))
        assert sorted(STATUS_BITS.values()) == list(range(len(flags)))

        def refuse_when_locked():
            m.d.comb += err.eq(1)
            m.d.sync += refused.eq(refused + 1)

        readable = {"ID": reg["ID"].reset, "PARAMS0": reg["PARAMS0"].reset, "PARAMS1": reg["PARAMS1"].reset,
                    "STATUS": status, "IRQ_ENABLE": irq_enable, "SEED_ENCODER": seed_encoder,
                    "SEED_SPIKE": seed_spike, "T_MAX": t_max, "POLICY": policy, "RESULT_CLASS": result_class,
                    "RESULT_STEP": result_step, "CYCLES": cycles, "EVENTS": events, "WRITE_RETRIES": retries,
                    "WRITE_FAILURES": failures, "REFUSED_WRITES": refused}
        with m.If(re):
            with m.If(addr[:2] != 0):
                m.d.comb += err.eq(1)
            for name, value in readable.items():
                with m.Elif(hit(name)):
                    m.d.comb += rdata.eq(value)
            with m.Elif(hit("BIAS")):
                m.d.comb += rdata.eq(bias[index("BIAS")].as_signed())
            with m.Elif(hit("ROW_DATA")):
                m.d.comb += rdata.eq(row_data[index("ROW_DATA")].as_signed())
            with m.Elif(hit("PIXEL")):
                m.d.comb += rdata.eq(pixels[index("PIXEL")])
            with m.Else():
                m.d.comb += err.eq(1)

        def in_signed_range(bits):
            return (wsigned >= -(1 << (bits - 1))) & (wsigned < (1 << (bits - 1)))

        seed_ok = (wdata >> c.lfsr_width) == 0 if c.lfsr_width < 32 else True
        with m.If(we):
            with m.If((addr[:2] != 0) | (axi.reg_wstrb != 0b1111)):
                m.d.comb += err.eq(1)
            with m.Elif(hit("CTRL")):
                with m.If((wdata & ~(CTRL_START | CTRL_CLEAR_ERROR | CTRL_CLEAR_DONE)) != 0):
                    m.d.comb += err.eq(1)
                with m.Elif((wdata & CTRL_START).any() & locked):
                    refuse_when_locked()
                with m.Else():
                    m.d.comb += [start.eq(wdata[0]), clear_error.eq(wdata[1])]
                    with m.If(wdata[2]):
                        m.d.sync += done.eq(0)
            with m.Elif(hit("IRQ_ENABLE")):
                with m.If(wdata > 1):
                    m.d.comb += err.eq(1)
                with m.Else():
                    m.d.sync += irq_enable.eq(wdata[0])
            with m.Elif(hit("SEED_ENCODER") | hit("SEED_SPIKE") | hit("T_MAX") | hit("POLICY")
                        | hit("BIAS") | hit("ROW_DATA") | hit("PIXEL") | hit("PROG_ROW")):
                with m.If(locked):
                    refuse_when_locked()
                with m.Elif(hit("SEED_ENCODER") & seed_ok):
                    m.d.sync += seed_encoder.eq(wdata)
                with m.Elif(hit("SEED_SPIKE") & seed_ok):
                    m.d.sync += seed_spike.eq(wdata)
                with m.Elif(hit("T_MAX") & (wdata >= 1) & (wdata <= 255)):
                    m.d.sync += t_max.eq(wdata)
                with m.Elif(hit("POLICY") & (wdata <= 3)):
                    m.d.sync += policy.eq(wdata)
                with m.Elif(hit("BIAS") & in_signed_range(c.bias_bits)):
                    m.d.sync += bias[index("BIAS")].eq(wdata)
                with m.Elif(hit("ROW_DATA") & in_signed_range(c.weight_bits)):
                    m.d.sync += row_data[index("ROW_DATA")].eq(wdata)
                with m.Elif(hit("PIXEL") & (wdata < (1 << c.pixel_bits))):
                    m.d.sync += pixels[index("PIXEL")].eq(wdata)
                with m.Elif(hit("PROG_ROW") & (wdata[:16] < c.rows_per_tile) & (wdata[16:24] < c.tiles)
                            & (wdata[24:31] == 0)):
                    m.d.sync += [prog_row.eq(wdata[:16]), prog_tile.eq(wdata[16:24]),
                                 prog_read_back.eq((wdata & PROG_READ_BACK) != 0), prog_busy.eq(1),
                                 prog_start.eq(1)]
                with m.Else():
                    m.d.comb += err.eq(1)
            with m.Else():                       # read-only or unmapped
                m.d.comb += err.eq(1)
        return m
