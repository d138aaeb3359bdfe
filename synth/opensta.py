"""Cross-check of the in-house static timing with OpenSTA on the same netlist and liberty.

:func:`opensta_timing` writes the flat mapped netlist (Yosys JSON) as structural Verilog, a copy of
the liberty with one stub cell per memory-macro module, and an SDC with the in-house timer's
assumptions (:func:`synth.yosys.static_timing`): an ideal clock with the assumed clock transition,
inputs arriving at 0 with the assumed input transition, outputs due at the clock edge with the
assumed output load, and the assumed wire capacitance per fanout on every net. A macro's ports are
timed as the in-house timer times them, as the liberty's reference flip-flop: each stub input pin
is a copy of that flip-flop's data pin (capacitance, setup tables) and each output pin a copy of its
output pin (clock-to-output tables), all related to one clock pin. OpenSTA then reports the worst
setup path; the critical path is the clock period minus the worst slack.

Debian 12's ``opensta`` package installs the binary ``sta`` (scripts/setup.sh installs it); without
it the in-house timer is the only one (:func:`opensta_binary` returns None).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

from spinaps.atomic import atomic_write_text

from .yosys import _net, read_liberty

__all__ = ["OPENSTA_PERIOD_NS", "OpenStaResult", "opensta_binary", "opensta_version", "opensta_timing"]

#: Clock period of the analysis: long enough that every path has positive slack.
OPENSTA_PERIOD_NS = 1000.0


@dataclass(frozen=True, kw_only=True)
class OpenStaResult:
    """OpenSTA's worst setup path of the flat mapped netlist."""

    version: str
    critical_path_ns: float
    fmax_mhz: float
    worst_slack_ns: float
    period_ns: float
    startpoint: str
    endpoint: str
    macro_ports_as: str
    work_dir: str

    def to_dict(self) -> dict:
        return asdict(self)


def opensta_binary() -> str | None:
    """Path of OpenSTA's ``sta``, or None when it is not installed."""
    return shutil.which("sta")


def opensta_version() -> str:
    """``OpenSTA <version>`` of the installed binary."""
    result = subprocess.run([opensta_binary(), "-version"], capture_output=True, text=True, check=True)
    return f"OpenSTA {result.stdout.strip()}"


def _group_body(text: str, start: int) -> tuple[int, int]:
    """(start, end) of the braces' contents of the group whose header begins at ``start``."""
    open_at = text.index("{", start)
    depth, pos = 0, open_at
    while True:
        char = text[pos]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return open_at + 1, pos
        pos += 1


def _pin_bodies(text: str, cell: str) -> dict:
    """``{pin: body text}`` of one cell of a liberty file, its pin groups copied verbatim."""
    found = re.search(rf"\bcell\s*\(\s*\"?{re.escape(cell)}\"?\s*\)", text)
    begin, end = _group_body(text, found.start())
    body = text[begin:end]
    pins = {}
    for match in re.finditer(r"\bpin\s*\(\s*\"?([^\s\")]+)\"?\s*\)", body):
        b, e = _group_body(body, match.start())
        pins[match.group(1)] = body[b:e]
    return pins


def _stub_pin(port: str, k: int, width: int) -> str:
    """A macro port bit's pin name in the stub cell: liberty pin names are plain identifiers."""
    return re.sub(r"\W", "_", port if width == 1 else f"{port}_{k}")


def _escape(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) else f"\\{name} "


def _write_inputs(flat: dict, top: str, liberty, tech: dict, work: Path) -> tuple[str, str]:
    """Write netlist.v, cells.lib (liberty + macro stubs) and timing.tcl into ``work``.

    Returns (clock port, reference flip-flop name).
    """
    net, a = _net(flat, top, liberty, tech)
    module = flat["modules"][top]
    ref = net.ref
    ref_pins = _pin_bodies(liberty.text, ref.name)
    clock_pin = next(iter(ref.clocks))
    data_pin, out_pin = net.ref_d, ref.outputs[0]
    clock_bits = net.clock_bits()
    # Ports, bit-blasted: a scalar port per bit, named <port>_<k> (or <port>).
    names, port_lines, assigns, port_dirs = {}, [], [], {}
    for name, port in module["ports"].items():
        for k, bit in enumerate(port["bits"]):
            scalar = name if len(port["bits"]) == 1 else f"{name}_{k}"
            port_dirs[scalar] = port["direction"]
            port_lines.append(f"  {port['direction']} {_escape(scalar)};")
            if isinstance(bit, int) and bit not in names:
                names[bit] = scalar
            else:                          # a constant, or a bit another port already carries
                source = "1'b0" if bit == "0" else "1'b1" if bit == "1" else _escape(names.get(bit, "1'bx"))
                assigns.append(f"  assign {_escape(scalar)} = {source};")

    def expr(bit):
        if bit in ("0", "1"):
            return f"1'b{bit}"
        if not isinstance(bit, int):
            return ""
        return _escape(names.setdefault(bit, f"n{bit}"))

    stubs, cells = {}, []
    for inst, c in net.cells.items():
        if net.kind[inst] == "macro":
            stub = stubs.setdefault(c["type"], f"SPINAPS_MACRO_{len(stubs)}")
            pins = []
            for port, bits in c["connections"].items():
                for k, bit in enumerate(bits):
                    if len(bits) == 1 and isinstance(bit, int) and bit in clock_bits:
                        pin = clock_pin
                    else:
                        pin = _stub_pin(port, k, len(bits))
                    pins.append(f".{_escape(pin)}({expr(bit)})")
            cells.append(f"  {stub} {_escape(inst)} ({', '.join(pins)});")
        else:
            pins = [f".{pin}({expr(bits[0])})" for pin, bits in c["connections"].items()]
            cells.append(f"  {c['type']} {_escape(inst)} ({', '.join(pins)});")
    wires = sorted(b for b, n in names.items() if n == f"n{b}")
    verilog = "\n".join([f"module {_escape(top)} ({', '.join(_escape(p) for p in port_dirs)});", *port_lines,
                         *(f"  wire n{b};" for b in wires), *assigns, *cells, "endmodule", ""])
    atomic_write_text(work / "netlist.v", verilog)
    stub_text = []
    for module_name, stub in stubs.items():
        directions = next(c["port_directions"] for c in net.cells.values() if c["type"] == module_name)
        widths = next({p: len(b) for p, b in c["connections"].items()} for c in net.cells.values()
                      if c["type"] == module_name)
        groups = [f"    pin ({clock_pin}) {{{ref_pins[clock_pin]}}}"]
        for port, direction in directions.items():
            width = widths.get(port, 1)
            for k in range(width):
                pin = _stub_pin(port, k, width)
                if pin == clock_pin or (width == 1 and direction == "input" and _is_clock(net, module_name, port,
                                                                                            clock_bits)):
                    continue
                body = ref_pins[data_pin] if direction == "input" else re.sub(
                    r"\bfunction\s*:[^;]*;", "", ref_pins[out_pin])
                groups.append(f"    pin ({pin}) {{{body}}}")
        stub_text.append(f"  /* {module_name}: its ports timed as {ref.name} */\n  cell ({stub}) {{\n"
                         f"    area : 0;\n" + "\n".join(groups) + "\n  }\n")
    lib_text = liberty.text.rstrip()
    closing = lib_text.rindex("}")
    atomic_write_text(work / "cells.lib", lib_text[:closing] + "\n" + "".join(stub_text) + "}\n")
    clock_ports = [p for p, d in port_dirs.items() if d == "input" and names.get(_bit_of(module, p)) == p
                   and _bit_of(module, p) in clock_bits]
    if not clock_ports:
        raise RuntimeError(f"{top}: no input port drives the flip-flops' clock pins")
    clock = clock_ports[0]
    tcl = [f"read_liberty cells.lib", "read_verilog netlist.v", f"link_design {_escape(top).strip()}",
           f"create_clock -name clk -period {OPENSTA_PERIOD_NS:g} [get_ports {{{clock}}}]",
           f"set_clock_transition {a['clock_slew_ns'] / liberty.time_ns:g} [get_clocks clk]",
           f"set inputs [delete_from_list [all_inputs] [get_ports {{{clock}}}]]",
           "set_input_delay 0 -clock clk $inputs",
           f"set_input_transition {a['input_slew_ns'] / liberty.time_ns:g} $inputs",
           "set_output_delay 0 -clock clk [all_outputs]",
           f"set_load -pin_load {a['output_load_pf'] / liberty.cap_pf:g} [all_outputs]"]
    wire = a["wire_cap_pf_per_fanout"]
    if wire > 0:
        for bit, sinks in sorted(net.sinks.items()):
            if bit in names and bit not in clock_bits and sinks:
                tcl.append(f"set_load {wire * len(sinks) / liberty.cap_pf:g} "
                           f"[get_nets {{{names[bit]}}}]")
    tcl += ["report_checks -path_delay max -digits 4 -format full", "report_worst_slack -digits 6", "exit"]
    atomic_write_text(work / "timing.tcl", "\n".join(tcl) + "\n")
    return clock, ref.name


def _bit_of(module: dict, scalar: str):
    for name, port in module["ports"].items():
        for k, bit in enumerate(port["bits"]):
            if (name if len(port["bits"]) == 1 else f"{name}_{k}") == scalar:
                return bit
    return None


def _is_clock(net, module_name: str, port: str, clock_bits: set) -> bool:
    return any(c["type"] == module_name and c["connections"].get(port, [None])[0] in clock_bits
               for c in net.cells.values())


def opensta_timing(flat: dict, *, top: str, liberty_path: str | Path, tech: dict, work: str | Path) -> OpenStaResult:
    """Time the flat mapped netlist with OpenSTA under the in-house timer's assumptions.

    Parameters
    ----------
    flat : dict
        Yosys JSON of the flat netlist (:attr:`synth.yosys.SynthResult.flat_netlist`).
    top : str
    liberty_path : str or Path
    tech : dict
        The technology file (its ``logic`` section gives the assumptions).
    work : str or Path
        Where netlist.v, cells.lib, timing.tcl and OpenSTA's log are written.

    Returns
    -------
    OpenStaResult

    Raises
    ------
    RuntimeError
        If OpenSTA is not installed, fails, or reports no path.
    """
    binary = opensta_binary()
    if binary is None:
        raise RuntimeError("OpenSTA (sta) is not installed: run scripts/setup.sh")
    work = Path(work)
    work.mkdir(parents=True, exist_ok=True)
    liberty = read_liberty(liberty_path)
    _, ref_name = _write_inputs(flat, top, liberty, tech, work)
    result = subprocess.run([binary, "-no_init", "-no_splash", "-exit", "timing.tcl"], cwd=work,
                            capture_output=True, text=True)
    atomic_write_text(work / "opensta.log", result.stdout + result.stderr)
    slack = re.search(r"worst slack\s+(-?[0-9.eE+-]+)", result.stdout)
    if result.returncode != 0 or slack is None or re.search(r"^Error", result.stdout + result.stderr, re.M):
        tail = (result.stderr or result.stdout).strip().splitlines()[-3:]
        raise RuntimeError(f"OpenSTA failed on {top} ({work / 'opensta.log'}): {' / '.join(tail)}")
    worst = float(slack.group(1)) * liberty.time_ns
    period = OPENSTA_PERIOD_NS * liberty.time_ns
    critical = period - worst
    start = re.search(r"^Startpoint:\s*(.+)$", result.stdout, re.M)
    end = re.search(r"^Endpoint:\s*(.+)$", result.stdout, re.M)
    return OpenStaResult(version=opensta_version(), critical_path_ns=critical, fmax_mhz=1000.0 / critical,
                         worst_slack_ns=worst, period_ns=period, startpoint=start.group(1).strip() if start else "",
                         endpoint=end.group(1).strip() if end else "", macro_ports_as=ref_name, work_dir=str(work))
