"""Switching activity of the synthesised netlist, measured in a gate-level simulation.

The gate-level simulation (the top-level cocotb test on ``netlist.v`` with the liberty's cell
models, Icarus, as ``python -m verif.gls`` runs it) dumps every net of the netlist. Its nets are the
netlist's nets: ``synth_block.ys`` gives every private net an enumerated public name before the
hierarchical netlist and its flat twin are written, so ``<top>.<block>.<net>`` in the waveform is
``<block>.<net>`` in the flat netlist, bit for bit. :func:`toggle_rates` counts the 0/1 transitions
of every net inside the inference windows and divides by the clock cycles in them; the result feeds
:func:`synth.yosys.logic_power`.

An inference window runs from the last AXI4-Lite write handshake before the interrupt rises (the
host's START) to the interrupt's rising edge: only standard bus and interrupt ports are used
(:data:`WINDOW_PORTS`), never the register map or block names. Programming the weights and loading
images are outside the windows.
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import json
import os
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from spinaps.atomic import atomic_write_text
from spinaps.config import Config, ConfigError

__all__ = ["WINDOW_PORTS", "GLS_TESTCASE", "ActivityResult", "netlist_digest", "simulate", "toggle_rates", "save_activity",
           "load_activity"]

#: Top-level ports that delimit the inference windows.
WINDOW_PORTS = {"clock": "clk", "interrupt": "irq", "write_valid": "s_axil_wvalid", "write_ready": "s_axil_wready"}
#: The cocotb test (verif/test_top.py) the gate-level simulation runs: it programs the weights over
#: the bus and runs test images, each an inference window.
GLS_TESTCASE = "images_match_golden"


def stimulus(weights: str | Path, images: int) -> str:
    """What a gate-level simulation for the toggle rates runs: the weights (by content) and the image count."""
    return f"weights sha256 {hashlib.sha256(Path(weights).read_bytes()).hexdigest()}, {images} image(s)"


def netlist_digest(flat: dict) -> str:
    """SHA-256 of the flat netlist (Yosys JSON, keys sorted): which netlist a measurement belongs to."""
    return hashlib.sha256(json.dumps(flat, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True, kw_only=True)
class ActivityResult:
    """Toggle rates of the netlist's nets over the inference windows of a gate-level simulation."""

    waveform: str
    netlist_sha256: str
    windows: list                      # [(start, end)] in the waveform's time unit
    cycles: int                        # clock cycles inside the windows
    nets: int                          # netlist bits seen in the waveform
    mean_rate: float                   # mean toggles per net bit per cycle (clock nets included)
    rates: dict = field(repr=False)    # {net bit (int): toggles per cycle}
    stimulus: str = ""                 # what was simulated (:func:`stimulus`): a cached measurement must match

    def to_dict(self) -> dict:
        return asdict(self)


def simulate(config: Config, *, synth_dir: str | Path, weights: str | Path, images: int, out: str | Path,
             cell_models: str | Path) -> Path:
    """Run the top-level cocotb test on the synthesised netlist (Icarus) and return its waveform.

    Parameters
    ----------
    config : Config
        The configuration ``synth_dir`` was synthesised for.
    synth_dir : str or Path
        A ``python -m synth`` output directory (``netlist.v``, ``gen/``).
    weights : str or Path
        Weights programmed over the bus before the images run.
    images : int
        Test images to run (each is one inference window).
    out : str or Path
        Work directory of the simulation.
    cell_models : str or Path
        The liberty's Verilog cell models.

    Returns
    -------
    Path
        The waveform (FST: cocotb's Icarus runner dumps FST); the simulation's output is in
        ``out/simulation.log``.
    """
    from verif.runner import run_cocotb

    synth_dir, out = Path(synth_dir).resolve(), Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    with _output_to(out / "simulation.log"):
        work = run_cocotb(sim="icarus", config=config, name=None, testcase=GLS_TESTCASE, weights=weights,
                          images=images, out_root=out, gen_dir=synth_dir / "gen",
                          sources=[synth_dir / "netlist.v", Path(cell_models)], build_args=["-Ttyp"], waves=True)
    return work / "build" / f"{config.top_name}.fst"


@contextlib.contextmanager
def _output_to(path: Path):
    """Send this process's (and its children's) standard output and error to a file meanwhile: the
    simulation logs every bus transaction."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    with open(path, "wb") as log:
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        try:
            yield
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in saved:
                os.close(fd)


def _bits(value, width: int) -> str:
    """A waveform value as a string of width characters, most significant first."""
    if isinstance(value, int):
        return format(value, f"0{width}b")[-width:]
    return str(value).rjust(width, "x")[-width:]


def _flat_bits(flat: dict, top: str) -> dict:
    """``{net name: [bit ids, least significant first]}`` of the flat netlist, names as :func:`_normal`."""
    names = {}
    for name, net in flat["modules"][top]["netnames"].items():
        if net.get("upto"):
            continue                   # [lo:hi] vectors: not written by Yosys for mapped netlists
        names[_normal(name)] = net["bits"]
    return names


def _normal(path: str) -> str:
    """A waveform scope path with Verilog escapes removed (``\\\\name`` -> ``name``)."""
    return ".".join(part[1:] if part.startswith("\\") else part for part in path.split("."))


def toggle_rates(waveform: str | Path, flat: dict, *, top: str) -> ActivityResult:
    """Toggle rates of the flat netlist's nets over the inference windows of a waveform.

    Parameters
    ----------
    waveform : str or Path
        A VCD or FST of a gate-level simulation of this netlist (:func:`simulate`).
    flat : dict
        The flat netlist (Yosys JSON), whose nets the rates are keyed by.
    top : str
        The top module (the waveform's top scope).

    Returns
    -------
    ActivityResult

    Raises
    ------
    ConfigError
        If the waveform cannot be read, lacks a window port, or has no complete inference.
    """
    import pywellen

    try:
        wave = pywellen.Waveform(str(waveform))
    except Exception as e:          # pywellen raises its own exception types
        raise ConfigError(f"{waveform}: not a readable waveform ({e})") from None
    prefix = f"{top}."
    variables = list(wave.all_vars())
    ports = {}
    for var in variables:
        name = var.full_name
        if name.startswith(prefix) and name[len(prefix):] in WINDOW_PORTS.values():
            ports.setdefault(name[len(prefix):], var)
    missing = [p for p in WINDOW_PORTS.values() if p not in ports]
    if missing:
        raise ConfigError(f"{waveform}: no top-level port {', '.join(missing)} in the waveform")
    windows, period = _windows(wave, ports)
    if not windows:
        raise ConfigError(f"{waveform}: no complete inference (a write, then the interrupt rising)")
    cycles = sum(round((end - start) / period) for start, end in windows)
    flat_bits = _flat_bits(flat, top)
    tracked = {}                 # signal key -> [(var width, [bit ids msb first])]
    for var in variables:
        name = _normal(var.full_name)
        if not name.startswith(prefix):
            continue
        bits = flat_bits.get(name[len(prefix):])
        if bits is None or len(bits) != var.bitwidth:
            continue
        tracked.setdefault(str(var.signal_id), []).append((var, list(reversed(bits))))
    counts, last = {}, {}
    starts = [s for s, _ in windows]
    ends = [e for _, e in windows]

    def inside(time):
        for s, e in zip(starts, ends):
            if s < time <= e:
                return True
        return False

    def change(time, signal, value):
        key = str(signal)
        entries = tracked.get(key)
        if entries is None:
            return
        width = entries[0][0].bitwidth
        new = _bits(value, width)
        old = last.get(key)
        last[key] = new
        if old is None or not inside(time):
            return
        for k, (a, b) in enumerate(zip(old, new)):
            if a != b and a in "01" and b in "01":
                for _, bits in entries:
                    bit = bits[k]
                    if isinstance(bit, int):
                        counts[bit] = counts.get(bit, 0) + 1

    wave = pywellen.Waveform(str(waveform))     # a waveform's changes stream once: open it again
    include, picked = [], set()
    for var in wave.all_vars():                  # one variable per signal
        key = str(var.signal_id)
        if key in tracked and key not in picked:
            picked.add(key)
            include.append(var)
    wave.stream_changes(change, include)
    seen = {bit for entries in tracked.values() for _, bits in entries for bit in bits if isinstance(bit, int)}
    rates = {bit: counts.get(bit, 0) / cycles for bit in sorted(seen)}
    return ActivityResult(waveform=str(waveform), netlist_sha256=netlist_digest(flat), windows=windows,
                          cycles=cycles, nets=len(rates), mean_rate=sum(rates.values()) / max(1, len(rates)),
                          rates=rates)


def _windows(wave, ports: dict) -> tuple[list, float]:
    """The inference windows ``[(start, end)]`` and the clock period, in the waveform's time unit."""
    names = {str(var.signal_id): port for port, var in ports.items()}
    series = {port: [] for port in ports}

    def change(time, signal, value):
        port = names.get(str(signal))
        if port is not None:
            series[port].append((time, value))

    wave.stream_changes(change, list(ports.values()))
    rises = [t for t, v in series[WINDOW_PORTS["clock"]] if v in (1, "1")]
    if len(rises) < 2:
        raise ConfigError("the waveform's clock does not toggle")
    period = min(b - a for a, b in zip(rises, rises[1:]))

    times = {port: [t for t, _ in changes] for port, changes in series.items()}

    def value_at(port, time):       # the port's value just before time
        k = bisect.bisect_left(times[port], time)
        return series[port][k - 1][1] if k else None

    writes = [t for t in rises
              if value_at(WINDOW_PORTS["write_valid"], t) in (1, "1")
              and value_at(WINDOW_PORTS["write_ready"], t) in (1, "1")]
    irq_rises, previous = [], None
    for t, v in series[WINDOW_PORTS["interrupt"]]:
        if v in (1, "1") and previous in (0, "0"):
            irq_rises.append(t)
        previous = v
    windows = []
    for rise in irq_rises:
        before = [w for w in writes if w < rise]
        if before and (not windows or before[-1] >= windows[-1][1]):
            windows.append((before[-1], rise))
    return windows, period


def save_activity(path: str | Path, result: ActivityResult) -> None:
    """Write a measurement as JSON (atomically): rates keyed by net bit."""
    data = result.to_dict()
    data["rates"] = {str(k): v for k, v in result.rates.items()}
    atomic_write_text(path, json.dumps(data, indent=1) + "\n")


def load_activity(path: str | Path) -> ActivityResult:
    """Read a measurement written by :func:`save_activity`."""
    try:
        data = json.loads(Path(path).read_text())
        data["rates"] = {int(k): float(v) for k, v in data["rates"].items()}
        data["windows"] = [tuple(w) for w in data["windows"]]
        return ActivityResult(**data)
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise ConfigError(f"{path}: not an activity file ({type(e).__name__}: {e})") from None
