"""A slow, loop-by-loop reading of docs/spec.md, independent of model/golden.py.

It simulates one inference the way the spec describes the hardware: per step,
scan each tile's history, accumulate, add bias, look up the LUT, draw, compare,
decide; then encode the step's inputs and shift them into the history.
"""

import math

from model.lfsr import lfsr_draw, nonzero_seed, tile_seed


def reference_lut(config):
    half = 1 << (config.lut_addr_bits - 1)
    step = 1 << config.lut_shift
    table = []
    for index in range(-half, half):
        centre = (index * step + (step - 1) / 2) / (1 << config.weight_frac_bits)
        p = 1 / (1 + math.exp(-centre))
        table.append(min(max(math.floor(p * (1 << config.prob_bits) + 0.5), 0), (1 << config.prob_bits) - 1))
    return table


def reference_inference(config, alpha, bias, pixels, seed_encoder, seed_spike):
    width, tiles, tau, n_out = config.lfsr_width, config.tiles, config.tau, config.n_outputs
    half = 1 << (config.lut_addr_bits - 1)
    lut = reference_lut(config)
    encoder_state = [tile_seed(seed_encoder, k, width) for k in range(tiles)]
    spike_state = nonzero_seed(seed_spike, width)
    history = [[0] * tau for _ in range(config.n_inputs)]    # history[j][d] = x[j, t-1-d]
    steps = []
    for t in range(1, config.t_max + 1):
        acc = [[0] * n_out for _ in range(tiles)]
        events = [0] * tiles
        for j in range(config.n_inputs):
            for d in range(tau):
                if history[j][d]:
                    events[j % tiles] += 1
                    for i in range(n_out):
                        acc[j % tiles][i] += int(alpha[j][d][i])
        potential = [sum(acc[k][i] for k in range(tiles)) + int(bias[i]) for i in range(n_out)]
        prob = [lut[min(max(u >> config.lut_shift, -half), half - 1) + half] for u in potential]
        draw = []
        for i in range(n_out):
            r, spike_state = lfsr_draw(spike_state, width, config.prob_bits)
            draw.append(r)
        spike = [draw[i] < prob[i] for i in range(n_out)]
        steps.append(dict(events=events, acc_tile=acc, potential=potential, prob=prob, draw=draw, spike=spike))

        if any(spike):
            spikers = [i for i in range(n_out) if spike[i]]
            if config.tie_policy == "lowest_index":
                return spikers[0], t, False, steps
            best = max(potential[i] for i in spikers)
            return [i for i in spikers if potential[i] == best][0], t, False, steps
        if t == config.t_max:
            if config.timeout_policy == "abstain":
                return -1, t, True, steps
            return potential.index(max(potential)), t, True, steps

        x = [0] * config.n_inputs
        for k in range(tiles):
            for j in range(k, config.n_inputs, tiles):
                r, encoder_state[k] = lfsr_draw(encoder_state[k], width, config.pixel_bits)
                x[j] = int(r < int(pixels[j]))
        for j in range(config.n_inputs):
            history[j] = [x[j]] + history[j][:-1]
