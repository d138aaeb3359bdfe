"""Hardware-exact evaluation: accuracy against the decision deadline, and the ANN baseline."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from spinaps.atomic import atomic_write_bytes
from spinaps.config import Config

from spinaps.contract import image_seeds

from .data import Dataset
from .golden import decide, run_golden, tile_mapping
from .weights import Weights

__all__ = ["evaluate", "golden_decisions", "ann_baseline", "accuracy_by_deadline", "format_table", "plot_accuracy",
           "GOLDEN_BATCH", "SHORT_DEADLINE"]

#: The paper's headline deadline: "75 % of the test performance in as few as 4 time steps".
SHORT_DEADLINE = 4


def ann_baseline(config: Config, data: Dataset) -> float:
    """Test accuracy of a same-size ANN: softmax regression N_X -> N_Y on the same split."""
    from sklearn.linear_model import LogisticRegression

    full_scale = float((1 << config.pixel_bits) - 1)
    model = LogisticRegression(max_iter=5000)
    model.fit(data.train_x / full_scale, data.train_y)
    return float((model.predict(data.test_x / full_scale) == data.test_y).mean())


def accuracy_by_deadline(spike, potential, labels, *, tie_policy: str, timeout_policy: str) -> list[float]:
    """Accuracy for every deadline T = 1 .. steps, from per-step spikes and potentials.

    Works on the golden model's arrays and on what the RTL showed (steps after its
    decision left empty): a deadline before the first spike only needs the steps before it.
    """
    return [float((decide(spike, potential, deadline=t, tie_policy=tie_policy, timeout_policy=timeout_policy,
                          abstain=spike.shape[2])[0] == labels).mean())
            for t in range(1, spike.shape[1] + 1)]


#: Images the golden model runs at once: its (batch, T, N_X, tau) history stays a few hundred MB
#: at MNIST size (256 x 16 x 784 x 8 bytes = 26 MB a boolean array) whatever the test set's size.
GOLDEN_BATCH = 256


def golden_decisions(config: Config, weights: Weights, pixels: np.ndarray, *, mapping, run: int = 0,
                     batch: int = GOLDEN_BATCH) -> dict:
    """Spikes, potentials and decision figures of the golden model on ``pixels``, in batches.

    Image n gets SEED_ENCODER = ``image_seeds(seed_encoder, n_images, run=run)[n]`` and
    SEED_SPIKE likewise from seed_spike, so the batching does not change any result.

    Returns
    -------
    dict with ``spike`` and ``potential`` (n, T, N_Y), ``timed_out``, ``decision_step``
    and ``sops`` (n,): only what the accuracy figures need, not the per-tile traces.
    """
    n = pixels.shape[0]
    seeds_encoder = image_seeds(config.seed_encoder, n, run=run, width=config.lfsr_width)
    seeds_spike = image_seeds(config.seed_spike, n, run=run, width=config.lfsr_width)
    parts = []
    for start in range(0, n, batch):
        part = slice(start, min(start + batch, n))
        result = run_golden(config, weights.alpha, weights.bias, pixels[part], mapping=mapping,
                            seed_encoder=seeds_encoder[part], seed_spike=seeds_spike[part])
        parts.append({"spike": result.spike, "potential": result.potential, "timed_out": result.timed_out,
                      "decision_step": result.decision_step, "sops": result.sops(config.n_outputs)})
        del result                                   # free the batch's traces before the next one
    return {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}


def evaluate(config: Config, weights: Weights, data: Dataset, *, seeds: int = 5,
             batch: int = GOLDEN_BATCH) -> dict:
    """Accuracy of the bit-exact golden model on the test split, over ``seeds`` encoder seeds.

    For run r, image n gets SEED_ENCODER = image_seeds(seed_encoder, ..., run=r)[n] and
    SEED_SPIKE likewise from seed_spike. "forced" decides by argmax potential when nobody
    spiked by the deadline; "abstain" counts that as wrong. The golden model runs
    ``batch`` images at a time, so memory does not grow with the test set.

    The latency fractions are the accuracy at a ``SHORT_DEADLINE``-step deadline, forced
    and abstaining, divided by the forced accuracy at T_max (the paper's "75 % of the
    test performance in as few as 4 time steps").
    """
    labels = data.test_y
    n = len(labels)
    forced, abstain, timed_out, steps, sops = [], [], [], [], []
    mapping = tile_mapping(config, data)
    for run in range(seeds):
        result = golden_decisions(config, weights, data.test_x, mapping=mapping, run=run, batch=batch)
        for policy, curves in (("argmax_potential", forced), ("abstain", abstain)):
            curves.append(accuracy_by_deadline(result["spike"], result["potential"], labels,
                                               tie_policy=config.tie_policy, timeout_policy=policy))
        timed_out.append(float(result["timed_out"].mean()))
        steps.append(float(result["decision_step"].mean()))
        sops.append(float(result["sops"].mean()))
    forced, abstain = np.array(forced), np.array(abstain)
    report = {
        "dataset": data.name,
        "test_samples": n,
        "seeds": seeds,
        "t_max": config.t_max,
        "tie_policy": config.tie_policy,
        "accuracy": float(forced[:, -1].mean()),
        "accuracy_std": float(forced[:, -1].std()),
        "accuracy_abstain": float(abstain[:, -1].mean()),
        "accuracy_by_deadline": forced.mean(axis=0).tolist(),
        "accuracy_by_deadline_abstain": abstain.mean(axis=0).tolist(),
        "accuracy_per_seed": forced[:, -1].tolist(),
        "abstain_rate": float(np.mean(timed_out)),
        "mean_decision_step": float(np.mean(steps)),
        "mean_sops_per_inference": float(np.mean(sops)),
        "ann_accuracy": ann_baseline(config, data),
    }
    if config.t_max >= SHORT_DEADLINE:
        d = SHORT_DEADLINE
        report[f"accuracy_at_deadline_{d}"] = report["accuracy_by_deadline"][d - 1]
        report[f"accuracy_at_deadline_{d}_abstain"] = report["accuracy_by_deadline_abstain"][d - 1]
        final = report["accuracy"]
        for reading, key in (("forced", f"accuracy_at_deadline_{d}"), ("abstain", f"accuracy_at_deadline_{d}_abstain")):
            report[f"latency_fraction_{reading}_{d}"] = report[key] / final if final > 0 else 0.0
    return report


def format_table(report: dict) -> str:
    """The report as Markdown: headline figures, then accuracy per deadline."""
    lines = [
        f"Hardware-exact golden model on {report['dataset']} ({report['test_samples']} test images, "
        f"mean of {report['seeds']} encoder seeds)",
        "",
        "| metric | value |",
        "|---|---|",
        f"| accuracy at T_max = {report['t_max']} (forced) | {report['accuracy']:.2%} "
        f"± {report['accuracy_std']:.2%} |",
        f"| accuracy at T_max (abstain counts as wrong) | {report['accuracy_abstain']:.2%} |",
    ]
    d = SHORT_DEADLINE
    if f"accuracy_at_deadline_{d}" in report:
        lines += [f"| accuracy at a {d}-step deadline (forced) | {report[f'accuracy_at_deadline_{d}']:.2%} "
                  f"({report[f'latency_fraction_forced_{d}']:.2f} of T_max) |",
                  f"| accuracy at a {d}-step deadline (abstain) | {report[f'accuracy_at_deadline_{d}_abstain']:.2%} "
                  f"({report[f'latency_fraction_abstain_{d}']:.2f} of T_max) |"]
    lines += [
        f"| ANN baseline (softmax regression) | {report['ann_accuracy']:.2%} |",
        f"| abstain rate at T_max | {report['abstain_rate']:.2%} |",
        f"| mean decision step | {report['mean_decision_step']:.2f} |",
        f"| mean SOPs per inference | {report['mean_sops_per_inference']:.0f} |",
        "",
        "| deadline T | forced | abstain |",
        "|---:|---:|---:|",
    ]
    for t, (f, a) in enumerate(zip(report["accuracy_by_deadline"], report["accuracy_by_deadline_abstain"]), 1):
        lines.append(f"| {t} | {f:.2%} | {a:.2%} |")
    return "\n".join(lines) + "\n"


def plot_accuracy(report: dict, path: str | Path) -> None:
    """PNG of accuracy against the decision deadline, with the ANN baseline."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    deadlines = np.arange(1, report["t_max"] + 1)
    fig, ax = plt.subplots(figsize=(6, 4), dpi=120)
    ax.plot(deadlines, np.array(report["accuracy_by_deadline"]) * 100, "o-", label="SNN, forced decision")
    ax.plot(deadlines, np.array(report["accuracy_by_deadline_abstain"]) * 100, "s--",
            label="SNN, abstain counts as wrong")
    ax.axhline(report["ann_accuracy"] * 100, color="gray", ls=":", label="ANN (softmax regression)")
    ax.set_xlabel("decision deadline T (algorithmic time steps)")
    ax.set_ylabel("test accuracy (%)")
    ax.set_title(f"Hardware-exact accuracy, {report['dataset']}")
    ax.set_ylim(0, 100)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(fig)
    atomic_write_bytes(path, buffer.getvalue())
