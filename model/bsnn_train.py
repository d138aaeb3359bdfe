"""Surrogate-gradient training of the binary SNN, batch-norm folding and quantisation (bsnn_if family).

Why PyTorch (CPU) and snnTorch: backpropagation through T time steps, batch norm and two
straight-through estimators is what autograd is for; a hand-written NumPy backward pass would be
longer than this module and a new source of bugs. snnTorch (a maintained SNN library) provides the
surrogate gradient of the spike (``snntorch.surrogate.atan``); the IF neuron itself is written
here in five lines because its reset must be exactly the hardware's (snnTorch's ``Leaky`` delays
the reset by default and scales graded spikes). Both are optional extras (requirements-bsnn.txt,
installed by scripts/setup.sh); the golden model and the hardware do not need them.

The network (docs/spec.md section 13.1): inputs -> hidden IF layer -> output IF layer. Per layer:

1. binary weights ``sign(w)`` of latent real weights (straight-through estimator, latent clipped to
   [-1, 1]);
2. the subarrays' column sums over the binary inputs, read exactly, or by a sense amplifier
   (``sum >= 0``, a straight-through estimator with snnTorch's arctan surrogate); the neuron's
   current is the sum of the readouts over subarrays (spec section 3);
3. batch norm over batch and time (one set of statistics for every step, so that it folds into one
   threshold), then IF with threshold 1 and the configured reset.

The loss is the cross-entropy of the output spike counts. Training runs ``bsnn_epochs`` with exact
column sums; with ``readout: sense_amp_1bit`` it then fine-tunes ``bsnn_finetune_epochs`` with the
1-bit readout introduced progressively (the readout is ``(1 - l) * (sum / R + 1) / 2 + l * bit`` with
l rising linearly from 0 to 1 over the first half of the fine-tuning epochs, 1 after), as the
ADC-less IMC paper's hardware-aware training does. Finally the batch norm of each layer is folded
into the integer threshold, bias and sign of its IF neurons (:func:`fold_batch_norm`), and the
network is evaluated with the bit-exact golden model.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from spinaps.config import Config

from spinaps.bsnn_contract import LayerParams, bsnn_params
from spinaps.contract import image_seeds

from .bsnn import BsnnNetwork, run_bsnn
from .if_neuron import NeuronParams

__all__ = ["TrainResult", "train_bsnn", "fold_batch_norm", "evaluate_network", "round_half_up"]

#: Seeds of the golden-model evaluation (the SEED_ENCODER base of model.golden.image_seeds).
EVAL_RUN = 0
#: PyTorch's default batch-norm momentum, used while learning.
BATCH_NORM_MOMENTUM = 0.1


def round_half_up(values) -> np.ndarray:
    """``floor(v + 1/2)`` as int64 (the quantisation rule of docs/spec.md section 1)."""
    return np.floor(np.asarray(values, dtype=np.float64) + 0.5).astype(np.int64)


def fold_batch_norm(*, mean, var, gamma, beta, eps: float, frac_bits: int, threshold_max: int, bias_min: int,
                    bias_max: int) -> NeuronParams:
    """Fold ``y = gamma (I - mean) / sqrt(var + eps) + beta`` followed by IF with threshold 1 into an
    integer IF neuron on the raw current I (spec section 4).

    With ``a = gamma / sqrt(var + eps)``: the neuron integrating y and firing at 1 fires exactly when
    one integrating ``sign(a) I + (beta / |a| - sign(a) mean)`` fires at ``1 / |a|``. Threshold and
    bias are scaled by ``2**frac_bits`` and rounded half up; the threshold is clamped to
    ``1 .. threshold_max`` and the bias saturated to its register's range.
    """
    a = np.asarray(gamma, dtype=np.float64) / np.sqrt(np.asarray(var, dtype=np.float64) + eps)
    negate = a < 0
    magnitude = np.maximum(np.abs(a), 1e-12)
    sign = np.where(negate, -1.0, 1.0)
    threshold = np.clip(round_half_up(2.0 ** frac_bits / magnitude), 1, threshold_max)
    bias = np.clip(round_half_up((np.asarray(beta) / magnitude - sign * np.asarray(mean)) * 2.0 ** frac_bits),
                   bias_min, bias_max)
    return NeuronParams(threshold, bias, negate)


def evaluate_network(config: Config, network: BsnnNetwork, pixels, labels, *, run: int = EVAL_RUN) -> float:
    """Test accuracy of the golden model (image n gets SEED_ENCODER ``image_seeds(seed_encoder)[n]``)."""
    seeds = image_seeds(config.seed_encoder, len(pixels), run=run, width=config.lfsr_width)
    result = run_bsnn(config, network, pixels, seed_encoder=seeds)
    return float(np.mean(result.decision == np.asarray(labels)))


@dataclass
class TrainResult:
    """The trained network (for the configured readout) and what happened."""

    network: BsnnNetwork
    history: dict = field(default_factory=dict)


def _torch_model(config: Config, params, torch):
    """The trainable modules: latent weights and one batch norm per layer."""
    nn = torch.nn
    generator = torch.Generator().manual_seed(config.train_seed)

    class BinarySnn(nn.Module):
        def __init__(self):
            super().__init__()
            self.latent = nn.ParameterList(
                [nn.Parameter((torch.rand(layer.inputs, layer.columns, generator=generator) * 2 - 1) * 0.1)
                 for layer in params.layers])
            self.norms = nn.ModuleList([nn.BatchNorm1d(layer.columns) for layer in params.layers])

    return BinarySnn()


def _binarize(torch):
    class SignSte(torch.autograd.Function):
        """+1 where the latent weight is >= 0, else -1; gradient passed through where |w| <= 1."""

        @staticmethod
        def forward(ctx, w):
            ctx.save_for_backward(w)
            return torch.where(w >= 0, 1.0, -1.0)

        @staticmethod
        def backward(ctx, grad):
            (w,) = ctx.saved_tensors
            return grad * (w.abs() <= 1).to(grad.dtype)

    return SignSte.apply


class _Forward:
    """The network's forward pass in PyTorch, parametrised by the readout mix of the current phase."""

    def __init__(self, config: Config, torch):
        from snntorch import surrogate

        self.config, self.torch = config, torch
        self.params = bsnn_params(config)
        self.sign = _binarize(torch)
        self.spike = surrogate.atan()
        self.sense = surrogate.atan()

    def layer_current(self, x, latent, layer: LayerParams, mix: float):
        """Currents (rows, C) of a layer for binary inputs x (rows, N): exact sums, 1-bit or a mix."""
        torch = self.torch
        rows = x.shape[0]
        pad = layer.subarrays * layer.rows - layer.inputs
        w = self.sign(latent)
        if pad:
            x = torch.nn.functional.pad(x, (0, pad))
            w = torch.nn.functional.pad(w, (0, 0, 0, pad))
        sums = torch.einsum("nsr,src->nsc", x.reshape(rows, layer.subarrays, layer.rows),
                            w.reshape(layer.subarrays, layer.rows, layer.columns))
        if mix == 0.0 and self.config.readout == "exact":
            return sums.sum(dim=1)
        bits = self.sense((sums + 0.5) / math.sqrt(layer.rows))      # sum >= 0 (reference 0)
        if mix >= 1.0:
            return bits.sum(dim=1)
        return ((1.0 - mix) * (sums / layer.rows + 1.0) / 2.0 + mix * bits).sum(dim=1)

    def integrate(self, y):
        """IF neurons with threshold 1 over time: y (batch, T, C) -> spikes (batch, T, C)."""
        torch = self.torch
        v = torch.zeros_like(y[:, 0])
        spikes = []
        for t in range(y.shape[1]):
            v = v + y[:, t]
            s = self.spike(v - 1.0)
            reset = s.detach()
            v = v - reset if self.config.reset_mode == "subtract" else v * (1.0 - reset)
            spikes.append(s)
        return torch.stack(spikes, dim=1)

    def __call__(self, model, x, mix: float):
        """Output spike counts (batch, N_Y) for input spikes x (batch, T, N_X)."""
        batch, steps = x.shape[:2]
        layer_input = x.reshape(batch * steps, -1)
        for layer, latent, norm in zip(self.params.layers, model.latent, model.norms):
            current = self.layer_current(layer_input, latent, layer, mix)
            spikes = self.integrate(norm(current).reshape(batch, steps, -1))
            layer_input = spikes.reshape(batch * steps, -1)
        return spikes.sum(dim=1)


def _fold(config: Config, model, params) -> BsnnNetwork:
    bits, neurons = [], []
    for latent, norm in zip(model.latent, model.norms):
        bits.append((latent.detach().numpy() >= 0).astype(np.uint8))
        neurons.append(fold_batch_norm(mean=norm.running_mean.numpy(), var=norm.running_var.numpy(),
                                       gamma=norm.weight.detach().numpy(), beta=norm.bias.detach().numpy(),
                                       eps=norm.eps, frac_bits=config.membrane_frac_bits,
                                       threshold_max=params.threshold_max, bias_min=params.bias_min,
                                       bias_max=params.bias_max))
    return BsnnNetwork(bits=tuple(bits), neurons=tuple(neurons))


def train_bsnn(config: Config, *, data=None, progress: bool = True, log=None) -> TrainResult:
    """Train a bsnn_if network for ``config`` and fold it into the hardware format.

    Parameters
    ----------
    config : Config
        ``architecture: bsnn_if``; its readout decides whether the 1-bit fine-tuning runs.
    data : model.data.Dataset, optional
        Default: :func:`model.data.load_dataset`.
    progress : bool
        Show a tqdm progress bar over epochs.
    log : callable, optional
        Called with one line per phase.

    Returns
    -------
    TrainResult
        ``history`` holds the golden-model test accuracy of each phase: ``exact`` (the exact-readout
        network), and for the 1-bit readout ``sense_amp_1bit_no_finetune`` (the exact-trained weights,
        batch-norm statistics re-estimated on the 1-bit readout, no weight update) and
        ``sense_amp_1bit_finetuned``; plus the loss per epoch and the wall time.
    """
    import torch
    from tqdm import tqdm

    from .data import load_dataset

    log = log or (lambda line: None)
    torch.manual_seed(config.train_seed)
    started = time.perf_counter()
    data = load_dataset(config) if data is None else data
    params = bsnn_params(config)
    exact_config = config.replace(readout="exact")
    exact_forward = _Forward(exact_config, torch)
    model = _torch_model(config, params, torch)
    probability = torch.tensor(data.train_x / float(1 << config.pixel_bits), dtype=torch.float32)
    labels = torch.tensor(data.train_y)
    generator = torch.Generator().manual_seed(config.train_seed)
    history = {"loss": [], "phases": []}

    def epochs(forward, count: int, mix_of_epoch, *, learn: bool, name: str):
        optimizer = torch.optim.Adam(model.parameters(), lr=config.bsnn_learning_rate)
        bar = tqdm(range(count), desc=f"bsnn {name}", unit="epoch", disable=not progress, leave=False)
        if not learn:             # re-estimate the batch-norm statistics: a plain average over one epoch
            for norm in model.norms:
                norm.reset_running_stats()
                norm.momentum = None
        for epoch in bar:
            mix = mix_of_epoch(epoch)
            model.train()
            order = torch.randperm(len(labels), generator=generator)
            total, seen = 0.0, 0
            for start in range(0, len(order), config.batch_size):
                index = order[start:start + config.batch_size]
                if len(index) < 2:        # batch norm needs two samples
                    continue
                p = probability[index]
                x = (torch.rand((len(index), config.time_steps, p.shape[1]), generator=generator) < p[:, None]).float()
                with torch.set_grad_enabled(learn):
                    counts = forward(model, x, mix)
                    loss = torch.nn.functional.cross_entropy(counts, labels[index])
                if learn:
                    optimizer.zero_grad()
                    loss.backward()
                    optimizer.step()
                    with torch.no_grad():
                        for latent in model.latent:
                            latent.clamp_(-1.0, 1.0)
                total += float(loss.detach()) * len(index)
                seen += len(index)
            history["loss"].append({"phase": name, "epoch": epoch, "mix": mix, "loss": total / max(seen, 1)})
            bar.set_postfix(loss=f"{total / max(seen, 1):.3f}", mix=f"{mix:.2f}")
        for norm in model.norms:
            norm.momentum = BATCH_NORM_MOMENTUM

    def evaluate(name: str, phase_config: Config) -> BsnnNetwork:
        model.eval()
        network = _fold(phase_config, model, params)
        accuracy = evaluate_network(phase_config, network, data.test_x, data.test_y)
        history[name] = accuracy
        history["phases"].append(name)
        log(f"{name}: golden-model test accuracy {accuracy:.4f}")
        return network

    epochs(exact_forward, config.bsnn_epochs, lambda e: 0.0, learn=True, name="exact")
    network = evaluate("exact", exact_config)
    if config.readout == "sense_amp_1bit":
        one_bit = _Forward(config, torch)
        saved = {k: v.clone() for k, v in model.state_dict().items()}
        epochs(one_bit, 1, lambda e: 1.0, learn=False, name="recalibrate")
        evaluate("sense_amp_1bit_no_finetune", config)
        model.load_state_dict(saved)
        ramp = max(1, config.bsnn_finetune_epochs // 2)
        epochs(one_bit, config.bsnn_finetune_epochs, lambda e: min(1.0, (e + 1) / ramp), learn=True,
               name="finetune")
        if config.bsnn_finetune_epochs == 0:
            epochs(one_bit, 1, lambda e: 1.0, learn=False, name="recalibrate")
        network = evaluate("sense_amp_1bit_finetuned", config)
    history["train_seconds"] = time.perf_counter() - started
    return TrainResult(network=network, history=history)
