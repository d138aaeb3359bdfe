"""``python -m spinaps.bsnn_flow``: the end-to-end flow of the bsnn_if family.

    python -m spinaps.bsnn_flow run --config configs/bsnn.yaml [--n 100] [--icarus 1] [--out DIR]
    python -m spinaps.bsnn_flow train --config configs/bsnn.yaml --out NETWORK.npz
    python -m spinaps.bsnn_flow compare REPORT.json REPORT.json --out COMPARISON.md

``run`` trains (or reuses ``DIR/network.npz`` when it was trained for the same configuration), generates
the design, simulates ``--n`` test images on Verilator and ``--icarus`` on Icarus Verilog bit for bit
against the golden model, synthesises it and writes ``DIR/report.md`` and ``report.json``
(synth/bsnn_report.py). DIR defaults to ``build/bsnn/<config name>``.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from .atomic import atomic_write_text
from .cli import ArgumentParser, run_cli
from .config import Config, ConfigError, load_config

__all__ = ["train_network", "run_flow", "main"]

PROG = "python -m spinaps.bsnn_flow"


def train_network(config: Config, out: str | Path, *, log=print) -> dict:
    """Train (model.bsnn_train), write the network file and ``<out>.history.json``; returns the history."""
    from model.bsnn import save_network
    from model.bsnn_train import train_bsnn

    result = train_bsnn(config, log=lambda line: log(f"train: {line}"))
    out = Path(out)
    save_network(out, result.network, config)
    history = dict(result.history, config=config.to_dict())
    atomic_write_text(out.with_suffix(".history.json"), json.dumps(history, indent=2) + "\n")
    return history


def _cached_history(network: Path, config: Config) -> dict | None:
    path = network.with_suffix(".history.json")
    if not (network.is_file() and path.is_file()):
        return None
    try:
        history = json.loads(path.read_text())
    except ValueError:
        return None
    return history if history.get("config") == config.to_dict() else None


def run_flow(config: Config, *, out: str | Path, images: int = 100, icarus_images: int = 1, retrain: bool = False,
             log=print) -> dict:
    """Train (or reuse), generate, simulate on Verilator and Icarus, synthesise and report.

    Returns
    -------
    dict
        The report (synth/bsnn_report.py), also written to ``out/report.json`` and ``out/report.md``.
    """
    from gen.bsnn import generate_bsnn
    from synth.bsnn_report import measure_bsnn
    from verif.bsnn_runner import run_bsnn_cocotb

    out = Path(out).resolve()
    network = out / "network.npz"
    started = time.perf_counter()
    history = None if retrain else _cached_history(network, config)
    if history is None:
        log(f"training {config.dataset} {config.n_inputs}-{config.hidden}-{config.n_outputs} ({config.readout})")
        history = train_network(config, network, log=log)
    else:
        log(f"reusing {network}")
    log("generating")
    generate_bsnn(config, out / "gen", weights_path=network)
    sim = {}

    def simulate(simulator: str, count: int):
        # Verilator programs the whole network over the bus; Icarus, slow on a design this wide, runs the
        # design generated with the network (weights and neuron registers from reset).
        log(f"simulating {count} test images on {simulator}")
        work = run_bsnn_cocotb(sim=simulator, config=config, name="sim", testcase="images_match_golden",
                               weights=network, images=count, out_root=out, gen_dir=out / "gen",
                               program=simulator == "verilator")
        sim[simulator] = json.loads((work / "results.json").read_text()) | {"simulator": simulator}
        log(f"{simulator}: {sim[simulator]['samples']} images, {sim[simulator]['mismatches']} mismatches, "
            f"RTL accuracy {sim[simulator]['accuracy']}")

    if images:
        simulate("verilator", images)
    log("synthesising and modelling")
    accuracy = {k: history[k] for k in history.get("phases", [])}
    report = measure_bsnn(config, out=out, gen_dir=out / "gen", weights=network, accuracy=accuracy,
                          sim_results=sim.get("verilator"), log=log)
    if icarus_images:                       # last: Icarus is the slow one
        simulate("icarus", icarus_images)
    report["simulations"] = sim
    report["flow_seconds"] = time.perf_counter() - started
    atomic_write_text(out / "report.json", json.dumps(report, indent=2) + "\n")
    log(f"report: {out / 'report.md'} ({report['flow_seconds']:.0f} s)")
    return report


def _main(argv=None):
    parser = ArgumentParser(prog=PROG, description="The bsnn_if (STT-BSNN-style) flow: train, generate, simulate "
                            "bit-exactly against the golden model, synthesise and report.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="the whole flow")
    run.add_argument("--config", metavar="FILE", required=True, help="YAML configuration (architecture: bsnn_if)")
    run.add_argument("--n", type=int, default=100, metavar="N", help="test images on Verilator (default: 100)")
    run.add_argument("--icarus", type=int, default=1, metavar="N", help="test images on Icarus (default: 1)")
    run.add_argument("--retrain", action="store_true", help="train even if a network for this configuration exists")
    run.add_argument("--out", metavar="DIR", help="output directory (default: build/bsnn/<config name>)")
    train = commands.add_parser("train", help="train and write a network file")
    train.add_argument("--config", metavar="FILE", required=True)
    train.add_argument("--out", metavar="FILE", required=True)
    compare = commands.add_parser("compare", help="put reports side by side (Markdown)")
    compare.add_argument("reports", nargs="+", metavar="REPORT.json")
    compare.add_argument("--out", metavar="FILE", required=True)
    args = parser.parse_args(argv)
    if args.command == "compare":
        from synth.bsnn_report import comparison_markdown

        reports = []
        for path in args.reports:
            try:
                reports.append(json.loads(Path(path).read_text()))
            except (OSError, ValueError) as e:
                raise ConfigError(f"{path}: not a bsnn report ({type(e).__name__})") from None
        atomic_write_text(args.out, comparison_markdown(reports) + "\n")
        print(f"{PROG}: wrote {args.out}")
        return 0
    config = load_config(args.config)
    if config.architecture != "bsnn_if":
        raise ConfigError(f"{args.config}: architecture = {config.architecture!r} is not allowed here "
                          "(allowed: 'bsnn_if')")
    if args.command == "train":
        train_network(config, args.out, log=lambda line: print(f"{PROG}: {line}", flush=True))
        return 0
    for name, value in (("--n", args.n), ("--icarus", args.icarus)):
        if not 0 <= value <= 10000:
            raise ConfigError(f"{name} = {value} is out of range (allowed: 0..10000)")
    out = args.out or f"build/bsnn/{Path(args.config).stem}"
    report = run_flow(config, out=out, images=args.n, icarus_images=args.icarus, retrain=args.retrain,
                      log=lambda line: print(f"{PROG}: {line}", flush=True))
    mismatches = [s["mismatches"] for s in report["simulations"].values()]
    return 1 if any(mismatches) else 0


def main(argv=None):
    return run_cli(_main, prog=PROG, argv=argv)


if __name__ == "__main__":
    sys.exit(main())
