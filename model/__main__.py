"""``python -m model``: train the network of the configuration's architecture and evaluate the bit-exact golden model.

    python -m model train [--config FILE] --out WEIGHTS
    python -m model eval --weights WEIGHTS [--config FILE] [--json OUT.json] [--plot OUT.png]

With ``architecture: bsnn_if`` the weights file is a bsnn network file (model/bsnn.py) trained by
model/bsnn_train.py, with its training history (the golden-model accuracy of each phase) beside it as
``WEIGHTS.history.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from spinaps.atomic import atomic_write_text
from spinaps.cli import ArgumentParser, run_cli
from spinaps.config import ConfigError, load_config

PROG = "python -m model"


def _parser() -> ArgumentParser:
    parser = ArgumentParser(prog=PROG, description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=ArgumentParser)

    train = commands.add_parser("train", help="train by the first-to-spike rule and quantise",
                                description="Train on the configured data set's training split, "
                                            "then write the quantised weights file atomically.")
    train.add_argument("--config", metavar="FILE", help="YAML configuration (default: built-in default)")
    train.add_argument("--out", metavar="WEIGHTS", required=True, help="weights file to write (.npz)")
    train.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                       help="show a progress bar (default: only on a terminal)")

    ev = commands.add_parser("eval", help="hardware-exact accuracy against the decision deadline",
                             description="Run the bit-exact golden model on the test split and "
                                         "report accuracy against deadline T = 1..T_max.")
    ev.add_argument("--weights", metavar="WEIGHTS", required=True, help="weights file from 'train'")
    ev.add_argument("--config", metavar="FILE", help="YAML configuration (default: built-in default)")
    ev.add_argument("--json", metavar="OUT", help="write the report as JSON")
    ev.add_argument("--plot", metavar="PNG", help="write accuracy against deadline as a PNG")
    ev.add_argument("--seeds", type=int, default=5, metavar="N",
                    help="encoder/spike seed sets to average over (default: 5)")
    return parser


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    config = load_config(args.config)
    # Imported here so that --help and config errors answer without loading scikit-learn.
    from .data import load_dataset

    data = load_dataset(config)
    if config.architecture == "bsnn_if":
        return _bsnn(args, config, data)
    if args.command == "train":
        from .train import train
        from .weights import save_weights

        start = time.perf_counter()
        weights = train(config, data, progress=args.progress)
        seconds = time.perf_counter() - start
        save_weights(args.out, weights)
        print(f"wrote {args.out}: alpha {weights.alpha.shape} in {weights.alpha.min()}..{weights.alpha.max()}, "
              f"bias in {weights.bias.min()}..{weights.bias.max()}; trained on {len(data.train_y)} "
              f"{data.name} samples in {seconds:.0f} s")
        return 0

    from .evaluate import evaluate, format_table, plot_accuracy
    from .weights import load_weights

    if args.seeds < 1:
        raise ConfigError(f"--seeds = {args.seeds} is out of range (allowed: 1..1000)")
    weights = load_weights(args.weights, config)
    report = evaluate(config, weights, data, seeds=args.seeds)
    report["weights"] = str(args.weights)
    print(format_table(report), end="")
    if args.json:
        atomic_write_text(args.json, json.dumps(report, indent=2) + "\n")
        print(f"wrote {args.json}")
    if args.plot:
        plot_accuracy(report, args.plot)
        print(f"wrote {args.plot}")
    return 0


def _bsnn(args, config, data) -> int:
    """``train`` and ``eval`` of the bsnn_if family."""
    from pathlib import Path

    from spinaps.contract import image_seeds

    from .bsnn import load_network, run_bsnn, save_network

    if args.command == "train":
        from .bsnn_train import train_bsnn

        result = train_bsnn(config, data=data, progress=args.progress if args.progress is not None
                            else sys.stderr.isatty(), log=lambda line: print(f"{PROG}: {line}", flush=True))
        save_network(args.out, result.network, config)
        history = dict(result.history, config=config.to_dict())
        atomic_write_text(Path(args.out).with_suffix(".history.json"), json.dumps(history, indent=2) + "\n")
        print(f"wrote {args.out} and its training history; trained on {len(data.train_y)} {data.name} samples in "
              f"{history['train_seconds']:.0f} s")
        return 0
    if not 1 <= args.seeds <= 1000:
        raise ConfigError(f"--seeds = {args.seeds} is out of range (allowed: 1..1000)")
    network = load_network(args.weights, config)
    n = len(data.test_y)
    accuracies = [float((run_bsnn(config, network, data.test_x, seed_encoder=image_seeds(
        config.seed_encoder, n, run=run, width=config.lfsr_width)).decision == data.test_y).mean())
        for run in range(args.seeds)]
    report = {"weights": str(args.weights), "test_samples": n, "seeds": args.seeds,
              "accuracy": sum(accuracies) / len(accuracies), "accuracy_by_seed": accuracies}
    print(f"golden-model test accuracy {report['accuracy']:.2%} ({n} {data.name} test images, {args.seeds} seeds)")
    if args.json:
        atomic_write_text(args.json, json.dumps(report, indent=2) + "\n")
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main, prog=PROG))
