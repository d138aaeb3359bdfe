"""A slow, loop-by-loop reading of docs/spec.md, independent of model/ and spinaps/contract.py.

It simulates one inference the way the spec describes it: per step, count each
tile's events, add the weights of every active (input, lag) to the bias, look up
the LUT, draw, compare, decide; then encode the step's inputs tile by tile and
shift them into the history. The LFSR, the seeds, the LUT and the cycle
schedule are written again here from the spec's text.
"""

import math

TAPS = {16: (16, 15, 13, 4), 24: (24, 23, 22, 17), 32: (32, 22, 2, 1)}   # docs/spec.md section 5.1


def reference_draw(state, width, bits):
    """One b-bit draw: b steps of the Fibonacci LFSR, then the b newest bits."""
    for _ in range(bits):
        feedback = 0
        for tap in TAPS[width]:
            feedback ^= (state >> (tap - 1)) & 1
        state = ((state << 1) | feedback) % (1 << width)
    return state % (1 << bits), state


def reference_seed(seed, index, width):
    salted = (seed ^ (index * 0x9E3779B9)) % (1 << width)
    return salted if salted else 1


def reference_lut(config):
    half = 1 << (config.lut_addr_bits - 1)
    step = 1 << config.lut_shift
    table = []
    for index in range(-half, half):
        centre = (index * step + (step - 1) / 2) / (1 << config.weight_frac_bits)
        p = 1 / (1 + math.exp(-centre)) if centre > -700 else 0.0
        table.append(min(max(math.floor(p * (1 << config.prob_bits) + 0.5), 0), (1 << config.prob_bits) - 1))
    return table


def reference_decision_cycles(config, busiest):
    """docs/spec.md section 9, read literally: step 1 starts in cycle 2; step t+1 starts
    max(E_t, Q, G + 2) cycles after step t (Q: the encoder's cycles); step t is decided
    read_latency + 1 + G + 2 cycles after step t + 1 starts."""
    inputs, pixels_per_word = -(-config.n_inputs // config.tiles), 32 // config.pixel_bits
    words = -(-inputs // pixels_per_word)
    if inputs > pixels_per_word:            # the encoder reads encoder_words words a cycle
        words = -(-words // config.encoder_words)
    groups = -(-config.n_outputs // min(config.neuron_lanes, config.n_outputs))
    start, decisions = 2, []
    for events in busiest:
        start += max(events, words, groups + 2)
        decisions.append(start + config.read_latency + 1 + groups + 2)
    return decisions


def reference_inference(config, alpha, bias, pixels, seed_encoder, seed_spike, mapping):
    """Decision, decision step, timed out, per-step values and CYCLES of one inference."""
    width, tau, n_out = config.lfsr_width, config.tau, config.n_outputs
    half = 1 << (config.lut_addr_bits - 1)
    lut = reference_lut(config)
    encoder_state = [reference_seed(seed_encoder, k, width) for k in range(len(mapping))]
    spike_state = reference_seed(seed_spike, 0, width)
    tile_of = {j: k for k, inputs in enumerate(mapping) for j in inputs}
    history = [[0] * tau for _ in range(config.n_inputs)]    # history[j][d] = x[j, t-1-d]
    steps = []

    def finish(decision, t, timed_out):
        cycles = reference_decision_cycles(config, [max(s["events"]) for s in steps])[t - 1] + 1
        return decision, t, timed_out, steps, cycles

    for t in range(1, config.t_max + 1):
        events = [0] * len(mapping)
        potential = [int(b) for b in bias]
        for j in range(config.n_inputs):
            for d in range(tau):
                if history[j][d]:
                    events[tile_of[j]] += 1
                    for i in range(n_out):
                        potential[i] += int(alpha[j][d][i])
        prob = [lut[min(max(u >> config.lut_shift, -half), half - 1) + half] for u in potential]
        draw = []
        for i in range(n_out):
            r, spike_state = reference_draw(spike_state, width, config.prob_bits)
            draw.append(r)
        spike = [draw[i] < prob[i] for i in range(n_out)]
        steps.append(dict(events=events, potential=potential, prob=prob, draw=draw, spike=spike))

        if any(spike):
            spikers = [i for i in range(n_out) if spike[i]]
            if config.tie_policy == "lowest_index":
                return finish(spikers[0], t, False)
            best = max(potential[i] for i in spikers)
            return finish([i for i in spikers if potential[i] == best][0], t, False)
        if t == config.t_max:
            if config.timeout_policy == "abstain":
                return finish(n_out, t, True)
            return finish(potential.index(max(potential)), t, True)

        x = [0] * config.n_inputs
        for k, inputs in enumerate(mapping):
            for j in inputs:
                r, encoder_state[k] = reference_draw(encoder_state[k], width, config.pixel_bits)
                x[j] = int(r < int(pixels[j]))
        for j in range(config.n_inputs):
            history[j] = [x[j]] + history[j][:-1]
