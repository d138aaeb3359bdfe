"""Top level of the bsnn_if accelerator: AXI4-Lite registers, rate encoder, two IMC layers with IF
neurons, spike counting and the decision (docs/spec_bsnn.md; golden: model/bsnn.py for inference,
hw/bsnn_regmap.py for the bus)."""

from amaranth import Array, Cat, Const, Module, Mux, Signal, signed, unsigned
from amaranth.lib import data, wiring
from amaranth.lib.wiring import In, Out

from model.bsnn import BsnnNetwork
from model.bsnn_params import bsnn_params
from spinaps.config import Config, ConfigError

from .axi_lite import AxiLiteSlave
from .bsnn_encoder import SubarrayRateEncoder
from .bsnn_regmap import (ADDR_WIDTH, CTRL_CLEAR_DONE, CTRL_START, PROG_LAYER_SHIFT, PROG_READ_BACK, STATUS_BITS,
                          register_map)
from .if_neuron import IfNeuronArray
from .imc_layer import ImcLayer

__all__ = ["BsnnAccelerator", "AXI_INPUTS", "AXI_OUTPUTS", "timing_constants", "row_words_of"]

AXI_INPUTS = ("awaddr", "awprot", "awvalid", "wdata", "wstrb", "wvalid", "bready", "araddr", "arprot",
              "arvalid", "rready")
AXI_OUTPUTS = ("awready", "wready", "bresp", "bvalid", "arready", "rdata", "rresp", "rvalid")
COUNTER_WIDTH = 32


def timing_constants(config: Config) -> dict:
    """The cycle counts the design promises (docs/spec_bsnn.md section 8), for the manifest."""
    p = bsnn_params(config)
    return {
        "encode_cycles": p.encode_cycles,
        "sense_cycles": {layer.name: layer.sense_cycles for layer in p.layers},
        "step_cycles": p.step_cycles,
        "inference_fixed_cycles": p.inference_fixed_cycles,
        "cycles_per_inference": "inference_fixed_cycles + steps * step_cycles",
        "step_cycles_formula": "encode_cycles + (sense_cycles.hidden + 2) + (sense_cycles.output + 2) + 1",
    }


def row_words_of(bits) -> list[int]:
    """The row words of a weight-bit matrix (N, C): bit c of word j is ``bits[j, c]``."""
    return [int("".join(str(int(b)) for b in reversed(row)), 2) if len(row) else 0 for row in bits]


class BsnnAccelerator(wiring.Component):
    """The STT-BSNN-style in-memory binary SNN accelerator.

    Arguments
    ---------
    config : Config
        ``architecture: bsnn_if``.
    network : BsnnNetwork or None
        Trained network: the macros start with its weights and the THRESHOLD/BIAS/NEGATE registers
        reset to its values (for simulation); None: erased macros (every weight -1), thresholds
        ``2**membrane_frac_bits`` (1.0), biases 0, no negation.
    trace : bool
        Verification build: add the ``trace_*`` ports. Synthesis builds leave them out.

    Members
    -------
    s_axil_* :
        AXI4-Lite slave (16-bit byte addresses, 32-bit data); the register map is
        :func:`hw.bsnn_regmap.register_map`.
    irq : Out(1)
        High while STATUS.DONE and IRQ_ENABLE bit 0.
    trace_* : Out
        With ``trace``: ``trace_step`` is high for one cycle at the end of every time step, while every
        other trace port holds that step's values: ``trace_t`` (the step, from 1), ``trace_x`` (input
        spikes), per layer L in (hidden, output) ``trace_L_sums`` (exact column sums, subarray-major),
        ``trace_L_readout``, ``trace_L_current``, ``trace_L_potential``, ``trace_L_spike``, and
        ``trace_count`` (output spike counts so far).
    """

    def __init__(self, *, config: Config, network: BsnnNetwork | None = None, trace: bool = False):
        self.config, self.network, self.trace = config, network, bool(trace)
        self.params = p = bsnn_params(config)
        if network is not None:
            network.check(config)
        self.registers = register_map(config)
        ports = {f"s_axil_{n}": In(w) for n, w in (("awaddr", ADDR_WIDTH), ("awprot", 3), ("awvalid", 1),
                                                  ("wdata", 32), ("wstrb", 4), ("wvalid", 1), ("bready", 1),
                                                  ("araddr", ADDR_WIDTH), ("arprot", 3), ("arvalid", 1),
                                                  ("rready", 1))}
        ports.update({f"s_axil_{n}": Out(w) for n, w in (("awready", 1), ("wready", 1), ("bresp", 2),
                                                        ("bvalid", 1), ("arready", 1), ("rdata", 32),
                                                        ("rresp", 2), ("rvalid", 1))})
        ports["irq"] = Out(1)
        if self.trace:
            ports.update({"trace_step": Out(1), "trace_t": Out(p.step_width), "trace_x": Out(config.n_inputs),
                          "trace_count": Out(data.ArrayLayout(unsigned(p.count_width), config.n_outputs))})
            for layer in p.layers:
                cells = layer.subarrays * layer.columns
                readout = signed(layer.sum_width) if layer.readout == "exact" else unsigned(1)
                ports.update({
                    f"trace_{layer.name}_sums": Out(data.ArrayLayout(signed(layer.sum_width), cells)),
                    f"trace_{layer.name}_readout": Out(data.ArrayLayout(readout, cells)),
                    f"trace_{layer.name}_current": Out(data.ArrayLayout(signed(layer.current_width), layer.columns)),
                    f"trace_{layer.name}_potential": Out(data.ArrayLayout(signed(layer.membrane_width),
                                                                          layer.columns)),
                    f"trace_{layer.name}_spike": Out(layer.columns),
                })
        super().__init__(ports)

    def _neuron_resets(self, index: int):
        """Reset values of a layer's THRESHOLD, BIAS and NEGATE registers."""
        layer = self.params.layers[index]
        if self.network is None:
            one = 1 << self.config.membrane_frac_bits
            return [min(one, self.params.threshold_max)] * layer.columns, [0] * layer.columns, [0] * layer.columns
        neurons = self.network.neurons[index]
        return ([int(v) for v in neurons.threshold], [int(v) for v in neurons.bias],
                [int(v) for v in neurons.negate])

    def elaborate(self, platform):
        c, p = self.config, self.params
        m = Module()
        reg = {r.name: r for r in self.registers}

        # -- bus
        m.submodules.axi = axi = AxiLiteSlave(addr_width=ADDR_WIDTH)
        m.d.comb += [getattr(axi, n).eq(getattr(self, f"s_axil_{n}")) for n in AXI_INPUTS]
        m.d.comb += [getattr(self, f"s_axil_{n}").eq(getattr(axi, n)) for n in AXI_OUTPUTS]

        # -- registers
        seed_encoder = Signal(c.lfsr_width, init=c.seed_encoder)
        t_steps = Signal(p.step_width, init=c.time_steps)
        irq_enable = Signal()
        references = [Signal(signed(layer.sum_width), name=f"ref_{layer.name}") for layer in p.layers]
        thresholds, biases, negates = [], [], []
        for index, layer in enumerate(p.layers):
            t_init, b_init, n_init = self._neuron_resets(index)
            thresholds.append(Array(Signal(c.threshold_bits, init=t_init[i], name=f"threshold_{layer.name}{i}")
                                    for i in range(layer.columns)))
            biases.append(Array(Signal(signed(c.neuron_bias_bits), init=b_init[i], name=f"bias_{layer.name}{i}")
                                for i in range(layer.columns)))
            negate_words = -(-layer.columns // 32)
            negate_init = sum(bit << i for i, bit in enumerate(n_init))
            negates.append(Array(Signal(min(32, layer.columns - 32 * w), name=f"negate_{layer.name}{w}",
                                        init=(negate_init >> (32 * w)) & 0xFFFFFFFF) for w in range(negate_words)))
        row_data = Array(Signal(32, name=f"row_data{w}") for w in range(p.row_words))
        pixel_words = Array(Signal(32, name=f"pixel_word{w}") for w in range(p.pixel_words))
        counts = Array(Signal(p.count_width, name=f"count{i}") for i in range(c.n_outputs))
        running, done = Signal(), Signal()
        result_class = Signal(range(c.n_outputs))
        step = Signal(p.step_width)
        result_steps = Signal(p.step_width)
        cycles, refused = Signal(COUNTER_WIDTH), Signal(COUNTER_WIDTH)
        prog_busy, prog_start, prog_read_back = Signal(), Signal(), Signal()
        prog_layer = Signal()
        prog_row = Signal(16)
        start = Signal()

        # -- datapath
        m.submodules.encoder = encoder = SubarrayRateEncoder(layer=p.hidden, pixel_bits=c.pixel_bits,
                                                             lfsr_width=c.lfsr_width, draws_per_cycle=p.draws_per_cycle)
        pixel_bits = Cat(*pixel_words)
        m.d.comb += [encoder.pixels[j].eq(pixel_bits[j // p.pixels_per_word * 32 + j % p.pixels_per_word * c.pixel_bits:]
                                          [:c.pixel_bits]) for j in range(c.n_inputs)]
        m.d.comb += encoder.seed.eq(seed_encoder)
        imcs, neurons = [], []
        row_bits = Cat(*row_data)
        for index, layer in enumerate(p.layers):
            init = None if self.network is None else row_words_of(self.network.bits[index])
            imc = ImcLayer(layer=layer, write_latency=c.write_latency, init_bits=init, trace=self.trace)
            array = IfNeuronArray(layer=layer, frac_bits=c.membrane_frac_bits, threshold_bits=c.threshold_bits,
                                  bias_bits=c.neuron_bias_bits, reset_mode=c.reset_mode)
            m.submodules[f"{layer.name}_imc"] = imc
            m.submodules[f"{layer.name}_neurons"] = array
            imcs.append(imc)
            neurons.append(array)
            if layer.readout == "sense_amp_1bit":
                m.d.comb += imc.reference.eq(references[index])
            m.d.comb += [array.current.eq(imc.current), imc.prog_row.eq(prog_row), imc.prog_data.eq(row_bits),
                         imc.prog_en.eq(prog_start & ~prog_read_back & (prog_layer == index)),
                         imc.rb_en.eq(prog_start & prog_read_back & (prog_layer == index))]
            m.d.comb += [array.threshold[i].eq(thresholds[index][i]) for i in range(layer.columns)]
            m.d.comb += [array.bias[i].eq(biases[index][i]) for i in range(layer.columns)]
            m.d.comb += array.negate.eq(Cat(*negates[index]))
        hidden_imc, output_imc = imcs
        hidden_neurons, output_neurons = neurons
        m.d.comb += [hidden_imc.x.eq(encoder.x), output_imc.x.eq(hidden_neurons.spike)]
        m.d.comb += self.irq.eq(done & irq_enable)

        # -- control
        group = Signal(range(p.encode_cycles))
        best, best_score, best_potential = (Signal(range(c.n_outputs)), Signal(p.count_width),
                                            Signal(signed(p.output.membrane_width)))
        scan = Signal(range(c.n_outputs))
        decide_scores = Array(counts[i] if c.output_decode == "spike_count" else output_neurons.spike[i]
                              for i in range(c.n_outputs))
        potentials = Array(output_neurons.potential[i] for i in range(c.n_outputs))
        with m.If(running):
            m.d.sync += cycles.eq(cycles + 1)
        with m.FSM():
            with m.State("IDLE"):
                with m.If(start):
                    m.d.sync += [running.eq(1), done.eq(0), cycles.eq(1), step.eq(1)]
                    m.next = "LOAD"
            with m.State("LOAD"):
                m.d.comb += [encoder.load.eq(1)] + [n.clear.eq(1) for n in neurons]
                m.d.sync += [counts[i].eq(0) for i in range(c.n_outputs)] + [group.eq(0)]
                m.next = "ENCODE"
            with m.State("ENCODE"):
                m.d.comb += [encoder.encode.eq(1), encoder.group.eq(group)]
                m.d.sync += group.eq(group + 1)
                with m.If(group == p.encode_cycles - 1):
                    m.d.sync += group.eq(0)
                    m.next = "SENSE_HIDDEN"
            for index, layer in enumerate(p.layers):
                name = layer.name.upper()
                following = "SENSE_OUTPUT" if index == 0 else "STEP_END"
                with m.State(f"SENSE_{name}"):
                    m.d.comb += imcs[index].sense.eq(1)
                    m.next = f"WAIT_{name}"
                with m.State(f"WAIT_{name}"):
                    with m.If(imcs[index].valid):
                        m.next = f"UPDATE_{name}"
                with m.State(f"UPDATE_{name}"):
                    m.d.comb += neurons[index].update.eq(1)
                    if index == 1:
                        m.d.sync += [counts[i].eq(counts[i] + output_neurons.fire[i]) for i in range(c.n_outputs)]
                    m.next = following
            with m.State("STEP_END"):
                if self.trace:
                    m.d.comb += self.trace_step.eq(1)
                finished = step == t_steps
                if c.output_decode == "first_to_spike":
                    finished |= output_neurons.spike.any()
                with m.If(finished):
                    m.d.sync += [result_steps.eq(step), scan.eq(0)]
                    m.next = "DECIDE"
                with m.Else():
                    m.d.sync += step.eq(step + 1)
                    m.next = "ENCODE"
            with m.State("DECIDE"):
                score, potential = decide_scores[scan], potentials[scan]
                better = (score > best_score) | ((score == best_score) & (potential > best_potential))
                with m.If((scan == 0) | better):
                    m.d.sync += [best.eq(scan), best_score.eq(score), best_potential.eq(potential)]
                m.d.sync += scan.eq(scan + 1)
                with m.If(scan == c.n_outputs - 1):
                    m.d.sync += [running.eq(0), done.eq(1),
                                 result_class.eq(Mux((scan == 0) | better, scan, best))]
                    m.next = "IDLE"
        if self.trace:
            m.d.comb += [self.trace_t.eq(step), self.trace_x.eq(encoder.x)]
            m.d.comb += [self.trace_count[i].eq(counts[i]) for i in range(c.n_outputs)]
            for layer, imc, array in zip(p.layers, imcs, neurons):
                m.d.comb += [getattr(self, f"trace_{layer.name}_sums").eq(imc.trace_sums),
                             getattr(self, f"trace_{layer.name}_readout").eq(imc.readout),
                             getattr(self, f"trace_{layer.name}_current").eq(imc.current),
                             getattr(self, f"trace_{layer.name}_potential").eq(array.potential),
                             getattr(self, f"trace_{layer.name}_spike").eq(array.spike)]

        # -- programming: one row write or read-back at a time
        m.d.sync += prog_start.eq(0)
        selected_done = Mux(prog_layer, output_imc.done, hidden_imc.done)
        selected_rb_valid = Mux(prog_layer, output_imc.rb_valid, hidden_imc.rb_valid)
        selected_rb_data = Mux(prog_layer, output_imc.rb_data, hidden_imc.rb_data)
        with m.If(prog_busy & ~prog_start):
            with m.If(selected_done):
                m.d.sync += prog_busy.eq(0)
            with m.If(selected_rb_valid):
                m.d.sync += prog_busy.eq(0)
                widest = max(layer.columns for layer in p.layers)
                read_back = Cat(selected_rb_data, Const(0, 32 * p.row_words - widest))
                m.d.sync += [row_data[w].eq(read_back[32 * w:32 * (w + 1)]) for w in range(p.row_words)]

        # -- register access (combinational decode, in the cycle of reg_we / reg_re)
        addr, wdata = axi.reg_addr, axi.reg_wdata
        we, re = axi.reg_we, axi.reg_re
        locked = running | prog_busy
        wsigned = wdata.as_signed()
        err = Signal()
        rdata = Signal(32)
        m.d.comb += [axi.reg_err.eq(err), axi.reg_rdata.eq(rdata)]

        def hit(name):
            r = reg.get(name)
            if r is None:
                return Const(0)
            if r.count == 1:
                return addr == r.offset
            return (addr >= r.offset) & (addr < r.offset + 4 * r.count)

        def index(name):
            return (addr - reg[name].offset)[2:]

        flags = {"BUSY": running, "DONE": done, "PROG_BUSY": prog_busy}
        status = Cat(*(flags[name] for name in sorted(STATUS_BITS, key=STATUS_BITS.get)))

        def refuse_when_locked():
            m.d.comb += err.eq(1)
            m.d.sync += refused.eq(refused + 1)

        readable = {"ID": reg["ID"].reset, "PARAMS0": reg["PARAMS0"].reset, "PARAMS1": reg["PARAMS1"].reset,
                    "STATUS": status, "IRQ_ENABLE": irq_enable, "SEED_ENCODER": seed_encoder, "T_STEPS": t_steps,
                    "RESULT_CLASS": result_class, "RESULT_STEPS": result_steps, "CYCLES": cycles,
                    "REFUSED_WRITES": refused}
        for i, layer in enumerate(p.layers):
            if f"REF_{layer.name.upper()}" in reg:
                readable[f"REF_{layer.name.upper()}"] = references[i].as_signed()
        arrays = {"COUNT": counts, "ROW_DATA": row_data, "PIXEL": pixel_words}
        for i, layer in enumerate(p.layers):
            name = layer.name.upper()
            arrays.update({f"THRESHOLD_{name}": thresholds[i], f"NEGATE_{name}": negates[i]})
        with m.If(re):
            with m.If(addr[:2] != 0):
                m.d.comb += err.eq(1)
            for name, value in readable.items():
                with m.Elif(hit(name)):
                    m.d.comb += rdata.eq(value)
            for name, values in arrays.items():
                with m.Elif(hit(name)):
                    m.d.comb += rdata.eq(values[index(name)])
            for i, layer in enumerate(p.layers):
                with m.Elif(hit(f"BIAS_{layer.name.upper()}")):
                    m.d.comb += rdata.eq(biases[i][index(f"BIAS_{layer.name.upper()}")].as_signed())
            with m.Else():
                m.d.comb += err.eq(1)

        def in_signed_range(lo, hi):
            return (wsigned >= lo) & (wsigned <= hi)

        def pixel_word_ok():
            full = (1 << (p.pixels_per_word * c.pixel_bits)) - 1
            last = (1 << ((c.n_inputs - (p.pixel_words - 1) * p.pixels_per_word) * c.pixel_bits)) - 1
            mask = Mux(index("PIXEL") == p.pixel_words - 1, last, full)
            return (wdata & ~mask) == 0

        def negate_ok(name, columns):
            last = (1 << (columns - 32 * (-(-columns // 32) - 1))) - 1
            mask = Mux(index(name) == -(-columns // 32) - 1, last, 0xFFFFFFFF)
            return (wdata & ~mask) == 0

        seed_ok = (wdata >> c.lfsr_width) == 0 if c.lfsr_width < 32 else True
        guarded = ["SEED_ENCODER", "T_STEPS", "ROW_DATA", "PIXEL", "PROG_ROW"]
        for layer in p.layers:
            guarded += [f"{kind}_{layer.name.upper()}" for kind in ("REF", "THRESHOLD", "BIAS", "NEGATE")]
        any_guarded = 0
        for name in guarded:
            any_guarded = any_guarded | hit(name)
        layer_rows = Mux(wdata[PROG_LAYER_SHIFT], p.output.inputs, p.hidden.inputs)
        with m.If(we):
            with m.If((addr[:2] != 0) | (axi.reg_wstrb != 0b1111)):
                m.d.comb += err.eq(1)
            with m.Elif(hit("CTRL")):
                with m.If((wdata & ~(CTRL_START | CTRL_CLEAR_DONE)) != 0):
                    m.d.comb += err.eq(1)
                with m.Elif((wdata & CTRL_START).any() & locked):
                    refuse_when_locked()
                with m.Else():
                    m.d.comb += start.eq(wdata[0])
                    with m.If(wdata[2]):
                        m.d.sync += done.eq(0)
            with m.Elif(hit("IRQ_ENABLE")):
                with m.If(wdata > 1):
                    m.d.comb += err.eq(1)
                with m.Else():
                    m.d.sync += irq_enable.eq(wdata[0])
            with m.Elif(any_guarded):
                with m.If(locked):
                    refuse_when_locked()
                with m.Elif(hit("SEED_ENCODER") & seed_ok):
                    m.d.sync += seed_encoder.eq(wdata)
                with m.Elif(hit("T_STEPS") & (wdata >= 1) & (wdata <= c.time_steps)):
                    m.d.sync += t_steps.eq(wdata)
                with m.Elif(hit("ROW_DATA")):
                    m.d.sync += row_data[index("ROW_DATA")].eq(wdata)
                with m.Elif(hit("PIXEL") & pixel_word_ok()):
                    m.d.sync += pixel_words[index("PIXEL")].eq(wdata)
                with m.Elif(hit("PROG_ROW") & (wdata[:16] < layer_rows) & (wdata[PROG_LAYER_SHIFT + 1:31] == 0)):
                    m.d.sync += [prog_row.eq(wdata[:16]), prog_layer.eq(wdata[PROG_LAYER_SHIFT]),
                                 prog_read_back.eq((wdata & PROG_READ_BACK) != 0), prog_busy.eq(1),
                                 prog_start.eq(1)]
                for i, layer in enumerate(p.layers):
                    name = layer.name.upper()
                    with m.Elif(hit(f"REF_{name}") & in_signed_range(-layer.rows, layer.rows)):
                        m.d.sync += references[i].eq(wdata)
                    with m.Elif(hit(f"THRESHOLD_{name}") & (wdata >= 1) & (wdata <= p.threshold_max)):
                        m.d.sync += thresholds[i][index(f"THRESHOLD_{name}")].eq(wdata)
                    with m.Elif(hit(f"BIAS_{name}") & in_signed_range(p.bias_min, p.bias_max)):
                        m.d.sync += biases[i][index(f"BIAS_{name}")].eq(wdata)
                    with m.Elif(hit(f"NEGATE_{name}") & negate_ok(f"NEGATE_{name}", layer.columns)):
                        m.d.sync += negates[i][index(f"NEGATE_{name}")].eq(wdata)
                with m.Else():
                    m.d.comb += err.eq(1)
            with m.Else():                       # read-only or unmapped
                m.d.comb += err.eq(1)
        return m
