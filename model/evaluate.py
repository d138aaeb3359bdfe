"""Hardware-exact evaluation: accuracy against the decision deadline, and the ANN baseline."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from spinaps.atomic import atomic_write_bytes
from spinaps.config import Config

from .data import Dataset
from spinaps.contract import image_seeds

from .golden import decide, run_golden, tile_mapping
from .weights import Weights

__all__ = ["evaluate", "ann_baseline", "accuracy_by_deadline", "format_table", "plot_accuracy"]

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


def evaluate(config: Config, weights: Weights, data: Dataset, *, seeds: int = 5) -> dict:
    """Accuracy of the bit-exact golden model on the test split, over ``seeds`` encoder seeds.

    For run r, image n gets SEED_ENCODER = image_seeds(seed_encoder, ..., run=r)[n] and
    SEED_SPIKE likewise from seed_spike. "forced" decides by argmax potential when nobody
    spiked by the deadline; "abstain" counts that as wrong.
    """
    labels = data.test_y
    n = len(labels)
    forced, abstain, timed_out, steps, sops = [], [], [], [], []
    mapping = tile_mapping(config, data)
    for run in range(seeds):
        result = run_golden(config, weights.alpha, weights.bias, data.test_x, mapping=mapping,
                            seed_encoder=image_seeds(config.seed_encoder, n, run=run, width=config.lfsr_width),
                            seed_spike=image_seeds(config.seed_spike, n, run=run, width=config.lfsr_width))
        for policy, curves in (("argmax_potential", forced), ("abstain", abstain)):
            curves.append(accuracy_by_deadline(result.spike, result.potential, labels,
                                               tie_policy=config.tie_policy, timeout_policy=policy))
        timed_out.append(float(result.timed_out.mean()))
        steps.append(float(result.decision_step.mean()))
        sops.append(float(result.sops(config.n_outputs).mean()))
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
        report[f"accuracy_at_deadline_{SHORT_DEADLINE}"] = report["accuracy_by_deadline"][SHORT_DEADLINE - 1]
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
    key = f"accuracy_at_deadline_{SHORT_DEADLINE}"
    if key in report:
        lines.append(f"| accuracy at a {SHORT_DEADLINE}-step deadline (forced) | {report[key]:.2%} |")
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
