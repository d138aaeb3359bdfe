"""The bsnn_if datapath and its control: rate encoder, two IMC layers with IF neurons, spike counting and
the decision (docs/spec.md section 13; golden: model/bsnn.py), and the signatures that connect it to the
register file (hw/bsnn_regfile.py) and the trace port."""

from amaranth import Array, Cat, Module, Mux, Signal, signed, unsigned
from amaranth.lib import data, wiring
from amaranth.lib.wiring import In, Out, connect

from spinaps.bsnn_contract import BsnnInit, bsnn_params
from spinaps.config import Config

from .bsnn_encoder import SubarrayRateEncoder
from .if_neuron import IfNeuronArray
from .imc_layer import ImcLayer
from .imc_macro import ImcPortSignature, readout_shape

__all__ = ["BsnnDatapath", "BsnnSettingsSignature", "BsnnCommandSignature", "BsnnProgramSignature",
           "BsnnTraceSignature", "COUNTER_WIDTH"]

COUNTER_WIDTH = 32


class BsnnSettingsSignature(wiring.Signature):
    """What the register file holds for the datapath (as the register file drives it): SEED_ENCODER,
    T_STEPS, the references (1-bit readout), each layer's thresholds, biases and negations, the pixels."""

    def __init__(self, *, config: Config):
        c, p = config, bsnn_params(config)
        members = {"seed_encoder": Out(c.lfsr_width), "t_steps": Out(p.step_width),
                   "pixels": Out(data.ArrayLayout(unsigned(c.pixel_bits), c.n_inputs))}
        for layer in p.layers:
            if layer.readout == "sense_amp_1bit":
                members[f"ref_{layer.name}"] = Out(signed(layer.sum_width))
            members[f"threshold_{layer.name}"] = Out(data.ArrayLayout(unsigned(c.threshold_bits), layer.columns))
            members[f"bias_{layer.name}"] = Out(data.ArrayLayout(signed(c.neuron_bias_bits), layer.columns))
            members[f"negate_{layer.name}"] = Out(layer.columns)
        super().__init__(members)


class BsnnCommandSignature(wiring.Signature):
    """Between the register file (``Out``: performed CTRL.START / CLEAR_DONE writes) and the datapath's
    control (its state and the last inference's results)."""

    def __init__(self, *, config: Config):
        p = bsnn_params(config)
        super().__init__({"start": Out(1), "clear_done": Out(1), "busy": In(1), "done": In(1),
                          "result_class": In(range(config.n_outputs)), "result_steps": In(p.step_width),
                          "cycles": In(COUNTER_WIDTH),
                          "count": In(data.ArrayLayout(unsigned(p.count_width), config.n_outputs))})


class BsnnProgramSignature(wiring.Signature):
    """A row write or read-back (register file ``Out``): ``start`` pulses with ``layer``, ``row`` (of that
    layer), ``read_back`` and ``data`` (the row's bits); ``done`` ends a write, ``rb_valid`` a read-back with
    its ``rb_data``."""

    def __init__(self, *, config: Config):
        p = bsnn_params(config)
        widest = max(layer.columns for layer in p.layers)
        super().__init__({"start": Out(1), "read_back": Out(1), "layer": Out(1),
                          "row": Out(range(max(layer.inputs for layer in p.layers))), "data": Out(widest),
                          "done": In(1), "rb_valid": In(1), "rb_data": In(widest)})


class BsnnTraceSignature(wiring.Signature):
    """The per-step trace of a verification build (docs/spec.md section 13.9), as the datapath drives it:
    ``step`` is high for one cycle at the end of every time step, while ``t`` (the step, from 1), ``x``
    (input spikes), per layer L ``L_sums`` (exact column sums, subarray-major), ``L_readout``, ``L_current``,
    ``L_potential``, ``L_spike`` and ``count`` (output spikes so far) hold that step's values."""

    def __init__(self, *, config: Config):
        c, p = config, bsnn_params(config)
        members = {"step": Out(1), "t": Out(p.step_width), "x": Out(c.n_inputs),
                   "count": Out(data.ArrayLayout(unsigned(p.count_width), c.n_outputs))}
        for layer in p.layers:
            cells = layer.subarrays * layer.columns
            members.update({
                f"{layer.name}_sums": Out(data.ArrayLayout(signed(layer.sum_width), cells)),
                f"{layer.name}_readout": Out(data.ArrayLayout(readout_shape(layer), cells)),
                f"{layer.name}_current": Out(data.ArrayLayout(signed(layer.current_width), layer.columns)),
                f"{layer.name}_potential": Out(data.ArrayLayout(signed(layer.membrane_width), layer.columns)),
                f"{layer.name}_spike": Out(layer.columns),
            })
        super().__init__(members)


class BsnnDatapath(wiring.Component):
    """Encoder, the two IMC layers and their IF neurons, spike counts, the decision and the control FSM.

    After ``commands.start`` (the cycle of the START write is cycle 0): cycle 1 loads the LFSRs and clears
    membranes, spikes and counts; every step encodes (E cycles), senses and updates the hidden layer
    (strobe, L_hidden cycles, update), then the output layer, then ends (one cycle, ``trace.step`` high);
    after the last step the N_Y decision cycles scan the outputs (docs/spec.md section 13.8).

    Arguments
    ---------
    config : Config
        ``architecture: bsnn_if``.
    init : BsnnInit or None
        The macros' contents from reset (None: erased).
    trace : bool
        Add the ``trace`` port.

    Members
    -------
    settings : In(BsnnSettingsSignature)
    commands : In(BsnnCommandSignature)
    program : In(BsnnProgramSignature)
    trace : Out(BsnnTraceSignature), only with ``trace``
    """

    def __init__(self, *, config: Config, init: BsnnInit | None = None, trace: bool = False):
        self.config, self.init, self.has_trace = config, init, bool(trace)
        self.params = bsnn_params(config)
        members = {"settings": In(BsnnSettingsSignature(config=config)),
                   "commands": In(BsnnCommandSignature(config=config)),
                   "program": In(BsnnProgramSignature(config=config))}
        if self.has_trace:
            members["trace"] = Out(BsnnTraceSignature(config=config))
        super().__init__(members)

    def elaborate(self, platform):
        c, p = self.config, self.params
        m = Module()
        settings, cmd, program = self.settings, self.commands, self.program

        # -- blocks
        m.submodules.encoder = encoder = SubarrayRateEncoder(layer=p.hidden, pixel_bits=c.pixel_bits,
                                                             lfsr_width=c.lfsr_width, draws_per_cycle=p.draws_per_cycle)
        m.d.comb += [encoder.pixels.eq(settings.pixels), encoder.seed.eq(settings.seed_encoder)]
        ports, imcs, neurons = [], [], []
        for index, layer in enumerate(p.layers):
            imc = ImcLayer(layer=layer, write_latency=c.write_latency, trace=self.has_trace,
                           init_bits=None if self.init is None else self.init.rows[index])
            array = IfNeuronArray(layer=layer, frac_bits=c.membrane_frac_bits, threshold_bits=c.threshold_bits,
                                  bias_bits=c.neuron_bias_bits, reset_mode=c.reset_mode)
            m.submodules[f"{layer.name}_imc"] = imc
            m.submodules[f"{layer.name}_neurons"] = array
            port = ImcPortSignature(layer, trace=self.has_trace).create(path=(f"{layer.name}_port",))
            connect(m, port, imc.port)
            ports.append(port)
            imcs.append(imc)
            neurons.append(array)
            if layer.readout == "sense_amp_1bit":
                m.d.comb += port.reference.eq(getattr(settings, f"ref_{layer.name}"))
            selected = program.start & (program.layer == index)
            m.d.comb += [array.current.eq(imc.current), port.prog_row.eq(program.row),
                         port.prog_data.eq(program.data[:layer.columns]),
                         port.prog_en.eq(selected & ~program.read_back), port.rb_en.eq(selected & program.read_back),
                         array.threshold.eq(getattr(settings, f"threshold_{layer.name}")),
                         array.bias.eq(getattr(settings, f"bias_{layer.name}")),
                         array.negate.eq(getattr(settings, f"negate_{layer.name}"))]
        hidden, output = ports
        hidden_neurons, output_neurons = neurons
        m.d.comb += [hidden.x.eq(encoder.x), output.x.eq(hidden_neurons.spike)]
        m.d.comb += [program.done.eq(Mux(program.layer, output.done, hidden.done)),
                     program.rb_valid.eq(Mux(program.layer, output.rb_valid, hidden.rb_valid)),
                     program.rb_data.eq(Mux(program.layer, output.rb_data, hidden.rb_data))]

        # -- control
        running, done = Signal(), Signal()
        step = Signal(p.step_width)
        group = Signal(range(p.encode_cycles))
        counts = Array(Signal(p.count_width, name=f"count{i}") for i in range(c.n_outputs))
        best, best_score, best_potential = (Signal(range(c.n_outputs)), Signal(p.count_width),
                                            Signal(signed(p.output.membrane_width)))
        scan = Signal(range(c.n_outputs))
        decide_scores = Array(counts[i] if c.output_decode == "spike_count" else output_neurons.spike[i]
                              for i in range(c.n_outputs))
        potentials = Array(output_neurons.potential[i] for i in range(c.n_outputs))
        m.d.comb += [cmd.busy.eq(running), cmd.done.eq(done)]
        m.d.comb += [cmd.count[i].eq(counts[i]) for i in range(c.n_outputs)]
        with m.If(cmd.clear_done):
            m.d.sync += done.eq(0)
        with m.If(running):
            m.d.sync += cmd.cycles.eq(cmd.cycles + 1)
        with m.FSM():
            with m.State("IDLE"):
                with m.If(cmd.start):
                    m.d.sync += [running.eq(1), done.eq(0), cmd.cycles.eq(1), step.eq(1)]
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
                with m.State(f"SENSE_{name}"):
                    m.d.comb += ports[index].sense.eq(1)
                    m.next = f"WAIT_{name}"
                with m.State(f"WAIT_{name}"):
                    with m.If(ports[index].valid):
                        m.next = f"UPDATE_{name}"
                with m.State(f"UPDATE_{name}"):
                    m.d.comb += neurons[index].update.eq(1)
                    if index == 1:
                        m.d.sync += [counts[i].eq(counts[i] + output_neurons.fire[i]) for i in range(c.n_outputs)]
                    m.next = "SENSE_OUTPUT" if index == 0 else "STEP_END"
            with m.State("STEP_END"):
                if self.has_trace:
                    m.d.comb += self.trace.step.eq(1)
                finished = step == settings.t_steps
                if c.output_decode == "first_to_spike":
                    finished |= output_neurons.spike.any()
                with m.If(finished):
                    m.d.sync += [cmd.result_steps.eq(step), scan.eq(0)]
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
                                 cmd.result_class.eq(Mux((scan == 0) | better, scan, best))]
                    m.next = "IDLE"

        if self.has_trace:
            trace = self.trace
            m.d.comb += [trace.t.eq(step), trace.x.eq(encoder.x), trace.count.eq(Cat(*counts))]
            for layer, port, imc, array in zip(p.layers, ports, imcs, neurons):
                m.d.comb += [getattr(trace, f"{layer.name}_sums").eq(port.trace_sums),
                             getattr(trace, f"{layer.name}_readout").eq(port.readout),
                             getattr(trace, f"{layer.name}_current").eq(imc.current),
                             getattr(trace, f"{layer.name}_potential").eq(array.potential),
                             getattr(trace, f"{layer.name}_spike").eq(array.spike)]
        return m
