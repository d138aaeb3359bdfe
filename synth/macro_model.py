"""Analytic model of the synapse macros: area, energy, latency and leakage of STT-RAM and 6T SRAM.

Every constant comes from ``synth/technology.yaml`` (each with its source or marked as an
assumption) and is scaled to the node: ``value(node) = value * (node / reference_node) ** scales``.
One macro per tile, ``rows_per_tile`` rows of ``row_bits`` cells:

- area = cells x cell area (F^2) x F^2 x (1 + periphery overhead), F = node;
- row read energy = (cell + sense energy per bit) x row_bits + access energy per row;
- row write energy = (cell + driver energy per bit) x row_bits + access energy per row;
- leakage = leakage per bit x cells (0 for STT-RAM: it is non-volatile).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from spinaps.config import Config, ConfigError

__all__ = ["TECHNOLOGY_FILE", "TECHNOLOGIES", "CONSTANTS", "LOGIC_CONSTANTS", "MacroFigures", "load_technology",
           "constant", "macro_figures"]

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


def _check_constant(path, where: str, entry) -> None:
    if not isinstance(entry, dict) or "value" not in entry:
        raise ConfigError(f"{path}: {where} must be a mapping with a value")
    value = entry["value"]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ConfigError(f"{path}: {where}.value = {value!r} is not a non-negative number")
    scales = entry.get("scales", 0)
    if isinstance(scales, bool) or not isinstance(scales, (int, float)):
        raise ConfigError(f"{path}: {where}.scales = {scales!r} is not a number")
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
    try:
        data = yaml.safe_load(path.read_text())
    except OSError as e:
        raise ConfigError(f"{path}: cannot read: {e.strerror}") from None
    except yaml.YAMLError as e:
        raise ConfigError(f"{path}: invalid YAML: {str(e).splitlines()[0]}") from None
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
    return data


def constant(technology: dict, entry: dict, *, node_nm: float) -> float:
    """One constant of the technology file at a node: ``value * (node / reference) ** scales``."""
    ratio = node_nm / technology["reference_node_nm"]
    return float(entry["value"]) * ratio ** float(entry.get("scales", 0))


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


def macro_figures(config: Config, *, technology: str, tech: dict | None = None,
                  node_nm: float | None = None) -> MacroFigures:
    """Area, energy, latency and leakage of the ``config.tiles`` macros of one technology.

    Parameters
    ----------
    config : Config
        Gives the macros: ``tiles`` of them, ``rows_per_tile`` rows of ``row_bits`` cells.
    technology : {"stt", "sram"}
    tech : dict, optional
        A loaded technology file (default: :func:`load_technology`).
    node_nm : float, optional
        Technology node, F (default: the file's ``default_node_nm``).

    Returns
    -------
    MacroFigures
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

    rows, row_bits = config.rows_per_tile, config.row_bits
    bits = rows * row_bits
    f_um = node_nm / 1000.0
    cell_area = c("cell_area_f2") * f_um ** 2
    area_macro = bits * cell_area * (1.0 + c("periphery_area_overhead"))
    read_row = (c("read_energy_cell_pj_per_bit") + c("read_energy_sense_pj_per_bit")) * row_bits \
        + c("access_energy_pj_per_row")
    write_row = (c("write_energy_cell_pj_per_bit") + c("write_energy_driver_pj_per_bit")) * row_bits \
        + c("access_energy_pj_per_row")
    return MacroFigures(
        technology=technology, name=str(t.get("name", technology)), node_nm=node_nm, macros=config.tiles,
        rows=rows, row_bits=row_bits, bits_per_macro=bits, cell_area_um2=cell_area,
        area_per_macro_um2=area_macro, area_um2=area_macro * config.tiles,
        read_energy_row_pj=read_row, write_energy_row_pj=write_row,
        read_latency_ns=c("read_latency_ns"), write_latency_ns=c("write_latency_ns"),
        leakage_w=c("leakage_nw_per_bit") * 1e-9 * bits * config.tiles)
