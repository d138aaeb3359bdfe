"""Pareto fronts of a design-space exploration."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping, Sequence

__all__ = ["SENSES", "Front", "pareto_front", "fronts"]

#: How an objective is improved.
SENSES = ("max", "min")


@dataclass(frozen=True)
class Front:
    """One Pareto front of a sweep.

    Members
    -------
    name : str
        Short name (``efficiency``, ``latency``): names its plot.
    title : str
    objectives : dict
        Figure name -> ``"max"`` or ``"min"``.
    """
    name: str
    title: str
    objectives: dict


def _value(figures: Mapping, name: str):
    value = figures.get(name)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        return None
    return value


def pareto_front(points: Sequence[Mapping], *, objectives: Mapping[str, str]) -> list[int]:
    """Indices (in order) of the points no other point dominates.

    A point dominates another when it is at least as good in every objective and better in one.
    Points that are equal in every objective do not dominate each other, so all of them are kept.

    Parameters
    ----------
    points : sequence of mapping
        Figures of each point (figure name -> number).
    objectives : mapping
        Figure name -> ``"max"`` (larger is better) or ``"min"``.

    Returns
    -------
    list of int
        Indices into ``points``; a point lacking a figure (missing, None or NaN) is never on the front.

    Raises
    ------
    ValueError
        If there is no objective or a sense is neither ``"max"`` nor ``"min"``.
    """
    if not objectives:
        raise ValueError("a Pareto front needs at least one objective")
    for name, sense in objectives.items():
        if sense not in SENSES:
            raise ValueError(f"objective {name!r} has sense {sense!r} (allowed: 'max', 'min')")
    signs = [1 if sense == "max" else -1 for sense in objectives.values()]
    scored = []
    for index, figures in enumerate(points):
        values = [_value(figures, name) for name in objectives]
        if None not in values:
            scored.append((index, [sign * v for sign, v in zip(signs, values)]))

    def dominates(a, b):
        return all(x >= y for x, y in zip(a, b)) and any(x > y for x, y in zip(a, b))

    return [i for i, score in scored if not any(dominates(other, score) for _, other in scored)]


def fronts(stages: Sequence[str]) -> list[Front]:
    """The fronts a sweep with these stages can draw: accuracy (golden) against GSOPS/W/mm² and area
    (synth), and against the decision latency (cycles per inference from sim or synth, else the mean
    decision step of the golden model)."""
    if "golden" not in stages:
        return []
    result = []
    if "synth" in stages:
        result.append(Front("efficiency", "accuracy vs GSOPS/W/mm² vs area",
                            {"accuracy": "max", "gsops_per_w_per_mm2": "max", "area_mm2": "min"}))
    latency = "cycles_per_inference" if {"sim", "synth"} & set(stages) else "mean_decision_step"
    result.append(Front("latency", "accuracy vs decision latency", {"accuracy": "max", latency: "min"}))
    return result
