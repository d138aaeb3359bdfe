"""This design against published accelerators, in one set of units (``synth/published.yaml``).

The published figures are data, each with its source and what was checked; this design enters at
its own figures (the report's node) and projected to each other design's node: the nearest node
the scaling model covers (``synth/technology.yaml``), from the report's whole-design table
``by_node``.
"""

from __future__ import annotations

import math
from pathlib import Path


from spinaps.config import ConfigError, read_yaml

__all__ = ["PUBLISHED_FILE", "FIGURES", "load_published", "nearest_node", "comparison_markdown"]

#: The published accelerators shipped with spinaps.
PUBLISHED_FILE = Path(__file__).with_name("published.yaml")
#: Figures every entry gives (null when not reported).
FIGURES = ("node_nm", "gsops", "power_w", "area_mm2", "pj_per_sop", "accuracy")


def load_published(path: str | Path | None = None) -> dict:
    """Read and check the published accelerators (default ``synth/published.yaml``).

    Raises
    ------
    ConfigError
        If the file cannot be read, or an entry lacks a name, a source, a figure key, or has a
        figure that is neither null nor a non-negative number.
    """
    path = Path(PUBLISHED_FILE if path is None else path)
    data = read_yaml(path)
    entries = data.get("accelerators") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{path}: accelerators must be a non-empty list")
    for k, entry in enumerate(entries):
        where = f"accelerators[{k}]"
        if not isinstance(entry, dict) or not entry.get("name") or not entry.get("source"):
            raise ConfigError(f"{path}: {where} needs a name and a source")
        for key in FIGURES:
            if key not in entry:
                raise ConfigError(f"{path}: {entry['name']}: {key} is missing (null when not reported)")
            value = entry[key]
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0):
                raise ConfigError(f"{path}: {entry['name']}: {key} = {value!r} is neither null nor a "
                                  "non-negative number")
    return data


def nearest_node(node_nm: float, covered: tuple) -> int:
    """The covered node nearest to ``node_nm`` on a log scale (ties: the larger)."""
    return min(covered, key=lambda n: (abs(math.log(n / node_nm)), -n))


def _num(x, digits=3) -> str:
    if x is None:
        return "–"
    if x == 0:
        return "0"
    if abs(x) >= 1e5 or abs(x) < 1e-3:
        return f"{x:.{digits - 1}e}"
    return f"{x:,.{max(0, digits - 1 - int(math.floor(math.log10(abs(x)))))}f}"


def comparison_markdown(report: dict, published: dict) -> str:
    """The comparison section of the synthesis report, as Markdown."""
    rows = {row["node_nm"]: row for row in report["by_node"]}
    covered = tuple(sorted(rows, reverse=True))
    c = report["config"]
    accuracy = report.get("accuracy")
    data_set = f"{c['dataset']} ({c['n_inputs']} → {c['n_outputs']})"
    lines = ["## Comparison with published accelerators", "",
             "Published figures from `synth/published.yaml` (source and what was checked for each; † marks a figure "
             "taken from a survey or secondary source only). This design: the STT-RAM design at the report's "
             "node, then projected to each design's node (the nearest node the scaling model covers: "
             + ", ".join(str(n) for n in covered) + " nm). SOPs are not the same operation across rows "
             "(see the file's header).", "",
             "| design | node (nm) | ops | GSOPS | power (W) | area (mm²) | pJ/SOP | data set | accuracy |",
             "|---|---:|---|---:|---:|---:|---:|---|---:|"]

    def ours(node, label):
        st = rows[node]["stt"]
        lines.append(f"| {label} | {node} | SOP (B-bit read + add) | {_num(st['gsops'])} | {_num(st['power_w'])} | "
                     f"{_num(st['area_mm2'])} | {_num(st['pj_per_sop'])} | {data_set} | "
                     f"{'–' if accuracy is None else f'{accuracy:.1%}'} |")

    ours(int(report["node_nm"]), f"**this design** ({'measured' if report['node_nm'] == report['reference_node_nm'] else 'projected'})")
    shown = {int(report["node_nm"])}
    for entry in published["accelerators"]:
        unverified = " ".join(entry.get("unverified") or [])

        def mark(key, value, digits=3):
            text = _num(value, digits)
            return text + ("†" if value is not None and key in unverified else "")

        acc = entry["accuracy"]
        node_text = "–" if entry["node_nm"] is None else f"{entry['node_nm']:g}"
        lines.append(f"| {entry['name']} | {node_text} | {entry.get('ops', '')} | "
                     f"{mark('gsops', entry['gsops'])} | {mark('power_w', entry['power_w'])} | "
                     f"{mark('area_mm2', entry['area_mm2'])} | {mark('pj_per_sop', entry['pj_per_sop'])} | "
                     f"{entry.get('data_set', '')} | {'–' if acc is None else f'{acc:.1%}'} |")
        if entry["node_nm"] is not None:
            node = nearest_node(entry["node_nm"], covered)
            if node not in shown:
                shown.add(node)
                ours(node, f"↳ this design at {node} nm (projected)")
    lines += ["", "Sources:", ""]
    for entry in published["accelerators"]:
        lines.append(f"- **{entry['name']}**: {' '.join(entry['source'].split())}. Checked: {entry.get('checked', '–')}"
                     + (f". Not checked: {'; '.join(entry['unverified'])}." if entry.get("unverified") else "."))
    if published.get("survey"):
        lines.append(f"- Survey: {' '.join(published['survey'].split())}")
    return "\n".join(lines) + "\n"
