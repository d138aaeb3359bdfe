"""Analytic model of the synapse macros: area, energy, latency and leakage of STT-RAM and 6T SRAM.

Every constant comes from ``synth/technology.yaml`` (each with its source or marked as an
assumption) and is scaled to the node (:func:`constant`): by a published CMOS factor
(:func:`node_factors`: area, delay, energy from Stillmaker & Baas 2017; leakage by one stated
assumption) or by ``(node / reference_node) ** scales``. One macro per tile, ``rows_per_tile`` rows
of ``row_bits`` cells:

- area = cells x cell area (F^2) x F^2 + periphery, F = node; the periphery is the overhead
  fraction of the array at the reference node, scaled as CMOS logic area;
- row read energy = (cell + sense energy per bit) x row_bits + access energy per row;
- row write energy = (cell + driver energy per bit) x row_bits + access energy per row;
- leakage = leakage per bit x cells (0 for STT-RAM: it is non-volatile).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


from spinaps.config import Config, ConfigError, read_yaml

__all__ = ["TECHNOLOGY_FILE", "TECHNOLOGIES", "CONSTANTS", "LOGIC_CONSTANTS", "SYNAPSE_MACRO_PATTERN",
           "PIXEL_BUFFER_PATTERN", "MODELLED_PATTERNS", "SCALINGS", "MacroFigures", "load_technology", "node_factors",
           "covered_nodes", "constant", "array_figures", "macro_figures", "pixel_buffer_figures"]

#: The technology file shipped with spinaps.
TECHNOLOGY_FILE = Path(__file__).with_name("technology.yaml")
#: The two macro technologies, in report order.
TECHNOLOGIES = ("stt", "sram")
#: The constants every technology must define.
CONSTANTS = ("cell_area_f2", "periphery_area_overhead", "read_energy_cell_pj_per_bit",
             "read_energy_sense_pj_per_bit", "write_energy_cell_pj_per_bit", "write_energy_driver_pj_per_bit",
             "access_energy_pj_per_row", "read_latency_ns", "write_latency_ns", "leakage_nw_per_bit")
#: The constants of the logic estimates (synth/yosys.py).
LOGIC_CONSTANTS = ("activity", "wire_cap_pf_per_fanout", "input_slew_ns", "clock_slew_ns", "output_load_pf")
#: The black-boxed macros this model stands for (shell patterns on the module name after ``<top>.``):
#: the synapse macros, one per tile, in the technology compared (STT-RAM or SRAM), and the tiles' pixel
#: buffers, small SRAMs in both designs (an image is volatile data). Other black boxes
#: (synth.yosys.MACRO_PATTERNS) would be reported as unmodelled.
SYNAPSE_MACRO_PATTERN = "*.memctrl.macro"
PIXEL_BUFFER_PATTERN = "*.pixels"
MODELLED_PATTERNS = (SYNAPSE_MACRO_PATTERN, PIXEL_BUFFER_PATTERN)
#: Named node scalings a constant's ``scales`` may give (technology file, ``node_scaling``).
SCALINGS = ("area", "delay", "energy", "leakage")


def _check_constant(path, where: str, entry) -> None:
    if not isinstance(entry, dict) or "value" not in entry:
        raise ConfigError(f"{path}: {where} must be a mapping with a value")
    value = entry["value"]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ConfigError(f"{path}: {where}.value = {value!r} is not a non-negative number")
    scales = entry.get("scales", 0)
    if isinstance(scales, bool) or not (isinstance(scales, (int, float)) or scales in SCALINGS):
        raise ConfigError(f"{path}: {where}.scales = {scales!r} is neither a number nor one of "
                          f"{', '.join(SCALINGS)}")
    if not (entry.get("source") or entry.get("assumption")):
        raise ConfigError(f"{path}: {where} has neither a source nor an assumption")


def load_technology(path: str | Path | None = None) -> dict:
    """Read and check a technology file (default: ``synth/technology.yaml``).

    Parameters
    ----------
    path : str or Path, optional
        The YAML file.

    Returns
    -------
    dict
        The file's contents.

    Raises
    ------
    ConfigError
        If the file cannot be read, or a constant is missing, is not a non-negative number, or has
        neither a ``source`` nor an ``assumption``.
    """
    path = Path(TECHNOLOGY_FILE if path is None else path)
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: a technology file must be a mapping")
    for key in ("reference_node_nm", "default_node_nm"):
        value = data.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise ConfigError(f"{path}: {key} = {value!r} is not a positive number")
    techs = data.get("technologies")
    if not isinstance(techs, dict):
        raise ConfigError(f"{path}: technologies must be a mapping")
    for tech in TECHNOLOGIES:
        if not isinstance(techs.get(tech), dict):
            raise ConfigError(f"{path}: technologies.{tech} is missing")
        for name in CONSTANTS:
            _check_constant(path, f"technologies.{tech}.{name}", techs[tech].get(name))
    logic = data.get("logic")
    if not isinstance(logic, dict):
        raise ConfigError(f"{path}: logic must be a mapping")
    for name in LOGIC_CONSTANTS:
        _check_constant(path, f"logic.{name}", logic.get(name))
    _check_node_scaling(path, data)
    return data


def _check_node_scaling(path, data: dict) -> None:
    scaling = data.get("node_scaling")
    if not isinstance(scaling, dict) or not isinstance(scaling.get("nodes"), dict):
        raise ConfigError(f"{path}: node_scaling.nodes must be a mapping")
    if not (scaling.get("source") or scaling.get("assumption")):
        raise ConfigError(f"{path}: node_scaling has neither a source nor an assumption")
    nodes = scaling["nodes"]
    if data["reference_node_nm"] not in nodes:
        raise ConfigError(f"{path}: node_scaling.nodes has no entry for the reference node "
                          f"{data['reference_node_nm']:g} nm")
    for node, entry in nodes.items():
        where = f"node_scaling.nodes.{node}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{path}: {where} must be a mapping")
        for key, length in (("vdd", None), ("area", None), ("delay", 4), ("energy", 3)):
            value = entry.get(key)
            numbers = [value] if length is None else value
            if (not isinstance(numbers, list) or (length is not None and len(numbers) != length)
                    or any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in numbers)):
                what = "a number" if length is None else f"a list of {length} numbers"
                raise ConfigError(f"{path}: {where}.{key} = {value!r} is not {what}")
    leakage = scaling.get("leakage")
    if not isinstance(leakage, dict) or isinstance(leakage.get("exponent"), bool) \
            or not isinstance(leakage.get("exponent"), (int, float)):
        raise ConfigError(f"{path}: node_scaling.leakage.exponent must be a number")
    if not (leakage.get("source") or leakage.get("assumption")):
        raise ConfigError(f"{path}: node_scaling.leakage has neither a source nor an assumption")


def covered_nodes(technology: dict) -> tuple[int, ...]:
    """The nodes the technology file's scaling model covers (nm), largest first."""
    return tuple(sorted((int(n) for n in technology["node_scaling"]["nodes"]), reverse=True))


def _polynomial(coefficients: list, x: float) -> float:
    """``c[0] x^(n-1) + ... + c[n-1]`` (highest power first, as the model's tables are written)."""
    value = 0.0
    for c in coefficients:
        value = value * x + float(c)
    return value


def node_factors(technology: dict, node_nm: float) -> dict:
    """Factors from the reference node to ``node_nm``: ``area``, ``delay``, ``energy``, ``leakage``.

    ``area`` is the model's area factor of the node over the reference's; ``delay`` and ``energy``
    are the model's fits evaluated at each node's nominal supply, over the reference's; ``leakage``
    is ``(node / reference) ** exponent``. A value at the node is the value at the reference times
    the factor.

    Raises
    ------
    ConfigError
        If the scaling model does not cover the node.
    """
    scaling = technology["node_scaling"]
    nodes = {float(n): e for n, e in scaling["nodes"].items()}
    reference = float(technology["reference_node_nm"])
    if float(node_nm) not in nodes:
        allowed = ", ".join(f"{n:g}" for n in sorted(nodes, reverse=True))
        raise ConfigError(f"node = {node_nm:g} nm is not covered by the scaling model (allowed: {allowed})")
    at, ref = nodes[float(node_nm)], nodes[reference]
    return {"area": float(at["area"]) / float(ref["area"]),
            "delay": _polynomial(at["delay"], at["vdd"]) / _polynomial(ref["delay"], ref["vdd"]),
            "energy": _polynomial(at["energy"], at["vdd"]) / _polynomial(ref["energy"], ref["vdd"]),
            "leakage": (float(node_nm) / reference) ** float(scaling["leakage"]["exponent"])}


def constant(technology: dict, entry: dict, *, node_nm: float) -> float:
    """One constant of the technology file at a node: ``value`` times its named node factor
    (:func:`node_factors`), or times ``(node / reference) ** scales`` when ``scales`` is a number."""
    scales = entry.get("scales", 0)
    if scales in SCALINGS:
        return float(entry["value"]) * node_factors(technology, node_nm)[scales]
    ratio = node_nm / technology["reference_node_nm"]
    return float(entry["value"]) * ratio ** float(scales)


@dataclass(frozen=True, kw_only=True)
class MacroFigures:
    """Figures of one technology's macros for one configuration, at one node (SI-ish units in names)."""

    technology: str
    name: str
    node_nm: float
    macros: int
    rows: int
    row_bits: int
    bits_per_macro: int
    cell_area_um2: float
    area_per_macro_um2: float
    area_um2: float              # all macros
    read_energy_row_pj: float    # one row read
    write_energy_row_pj: float   # one row write
    read_latency_ns: float
    write_latency_ns: float
    leakage_w: float             # all macros

    def to_dict(self) -> dict:
        from dataclasses import asdict

        return asdict(self)


def array_figures(*, technology: str, rows: int, row_bits: int, count: int, tech: dict | None = None,
                  node_nm: float | None = None) -> MacroFigures:
    """Area, energy, latency and leakage of ``count`` memory arrays of ``rows`` x ``row_bits`` cells of one
    technology (``stt`` or ``sram``) at ``node_nm`` (default: the technology file's ``default_node_nm``).

    area = cells x cell area (F^2) x F^2 + periphery (a fraction of the array's area at the reference node,
    scaled by the node's area factor); row read (write) energy = (cell + sense (driver) energy per bit) x
    row_bits + access energy per row; leakage = leakage per bit x cells.
    """
    tech = load_technology() if tech is None else tech
    if technology not in TECHNOLOGIES:
        raise ConfigError(f"technology = {technology!r} is not allowed (allowed: 'stt', 'sram')")
    node_nm = float(tech["default_node_nm"] if node_nm is None else node_nm)
    if not node_nm > 0:
        raise ConfigError(f"node = {node_nm!r} nm is not a positive number")
    t = tech["technologies"][technology]

    def c(name):
        return constant(tech, t[name], node_nm=node_nm)

    bits = rows * row_bits
    cell_area = c("cell_area_f2") * (node_nm / 1000.0) ** 2
    reference_cell_area = c("cell_area_f2") * (tech["reference_node_nm"] / 1000.0) ** 2
    periphery = c("periphery_area_overhead") * bits * reference_cell_area * node_factors(tech, node_nm)["area"]
    area_array = bits * cell_area + periphery
    read_row = (c("read_energy_cell_pj_per_bit") + c("read_energy_sense_pj_per_bit")) * row_bits \
        + c("access_energy_pj_per_row")
    write_row = (c("write_energy_cell_pj_per_bit") + c("write_energy_driver_pj_per_bit")) * row_bits \
        + c("access_energy_pj_per_row")
    return MacroFigures(
        technology=technology, name=str(t.get("name", technology)), node_nm=node_nm, macros=count,
        rows=rows, row_bits=row_bits, bits_per_macro=bits, cell_area_um2=cell_area,
        area_per_macro_um2=area_array, area_um2=area_array * count,
        read_energy_row_pj=read_row, write_energy_row_pj=write_row,
        read_latency_ns=c("read_latency_ns"), write_latency_ns=c("write_latency_ns"),
        leakage_w=c("leakage_nw_per_bit") * 1e-9 * bits * count)


def macro_figures(config: Config, *, technology: str, tech: dict | None = None,
                  node_nm: float | None = None) -> MacroFigures:
    """The ``config.tiles`` synapse macros of one technology: ``rows_per_tile`` rows of ``row_bits`` cells
    each (:func:`array_figures`)."""
    return array_figures(technology=technology, rows=config.rows_per_tile, row_bits=config.row_bits,
                         count=config.tiles, tech=tech, node_nm=node_nm)


def pixel_buffer_figures(config: Config, *, tech: dict | None = None, node_nm: float | None = None) -> MacroFigures:
    """The tiles' pixel buffers, SRAM in both designs, one per tile (:func:`array_figures`), each as a full
    tile's: ``encoder_cycles`` rows of ``pixel_row_words`` words of ``pixels_per_word`` pixels, or one row
    of its pixels only (hw/tile.py), times ``pixel_banks`` (images held)."""
    row_bits = config.pixel_buffer_shape(config.inputs_per_tile)[3]
    return array_figures(technology="sram", rows=config.encoder_cycles * config.pixel_banks, row_bits=row_bits,
                         count=config.tiles, tech=tech, node_nm=node_nm)
