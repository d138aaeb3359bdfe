"""SPACE files: which configurations a design-space exploration evaluates, and how far.

A SPACE file is YAML::

    name: digits                  # optional (default: the file's stem); names the output directory
    preset: default               # the base configuration: a preset ...
    config:                       # ... and fields on top of it (or the path of a configuration file)
      train_epochs: 30
    axes:                         # the swept fields: every combination of these lists (a grid) ...
      tiles: [2, 4, 8]
      weight_bits: [3, 4]
    sample: {count: 30, seed: 1}  # ... or `count` random draws, where an axis may also be a range
                                  #     {min: 0.005, max: 0.05, log: true}
    stages: [train, golden, gen, sim, synth]
    options: {seeds: 3, sim_images: 20, simulator: verilator}

Every point is validated by :class:`spinaps.config.Config`: an invalid combination becomes a point
whose ``error`` is the configuration's one-line message (the sweep records it as failed), while a
mistake in the SPACE file itself raises :class:`SpaceError` naming the key.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any


from spinaps.config import FIELDS, PRESETS, Config, ConfigError, load_config, read_yaml

__all__ = ["STAGES", "STAGE_NEEDS", "SpaceError", "Options", "Range", "Sample", "Point", "Space", "load_space",
           "stages_to_run", "digest"]

#: The stages of a point's flow, in the order they run.
STAGES = ("train", "golden", "gen", "sim", "synth")
#: The stages each stage needs (they run too, whether listed or not).
STAGE_NEEDS = {"train": (), "golden": ("train",), "gen": ("train",), "sim": ("train", "gen"),
               "synth": ("train", "gen")}
#: Keys of a SPACE file.
SPACE_KEYS = ("name", "preset", "config", "axes", "sample", "stages", "options")
#: Draws tried per requested sample before giving up on finding more distinct points.
DRAWS_PER_SAMPLE = 100

_FIELD_KINDS = {f.name: f.kind for f in FIELDS}


class SpaceError(ConfigError):
    """An invalid SPACE file. The message is one line and names the file and the key."""


def digest(data: Any) -> str:
    """A short stable hash (16 hex digits of SHA-256) of JSON-serialisable ``data``."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def stages_to_run(stages) -> tuple[str, ...]:
    """``stages`` and every stage they need, in running order."""
    wanted = set()
    for stage in stages:
        wanted |= {stage, *STAGE_NEEDS[stage]}
    return tuple(s for s in STAGES if s in wanted)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _mapping(value, where: str) -> dict:
    if not isinstance(value, dict):
        raise SpaceError(f"{where} must be a mapping, not {type(value).__name__}")
    return value


def _check_keys(data: dict, allowed, where: str):
    import difflib

    for key in data:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise SpaceError(f"{where}: unknown key {key!r}{hint} (allowed: {', '.join(allowed)})")


def _integer(data: dict, key: str, where: str, *, lo: int, hi: int, default: int) -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise SpaceError(f"{where}.{key} = {value!r} is not an integer in {lo}..{hi}")
    return value


@dataclass(frozen=True, kw_only=True)
class Options:
    """How far the stages go: the same for every point of a space.

    Members
    -------
    seeds : int
        golden: encoder/spike seed sets the accuracy is averaged over.
    sim_images : int
        sim: test images simulated (the first ones of the test split).
    simulator : str
        sim: ``"verilator"`` or ``"icarus"``.
    liberty : str or None
        synth: liberty file (default: the OSU 0.18 um one of ``scripts/get_liberty.sh``).
    node_nm : float or None
        synth: node of the macro model (default: the technology file's).
    activity : str
        synth: switching activity of the logic power, ``"vectorless"`` (default: every point alike, no
        gate-level simulation each) or ``"simulate"`` (measured on each point's netlist; minutes a point).
    """
    seeds: int = 3
    sim_images: int = 20
    simulator: str = "verilator"
    liberty: str | None = None
    node_nm: float | None = None
    activity: str = "vectorless"

    @classmethod
    def from_mapping(cls, data: dict, *, where: str, directory: Path) -> "Options":
        """Options from a SPACE file's ``options`` (a relative ``liberty`` is relative to ``directory``)."""
        from verif.runner import SIMULATORS

        names = tuple(f.name for f in dataclasses.fields(cls))
        _check_keys(data, names, where)
        default = cls()
        simulator = data.get("simulator", default.simulator)
        if simulator not in SIMULATORS:
            raise SpaceError(f"{where}.simulator = {simulator!r} is not allowed "
                             f"(allowed: {', '.join(map(repr, SIMULATORS))})")
        liberty = data.get("liberty")
        if liberty is not None and not isinstance(liberty, str):
            raise SpaceError(f"{where}.liberty = {liberty!r} is not a file name")
        node_nm = data.get("node_nm")
        if node_nm is not None and not (_is_number(node_nm) and node_nm > 0):
            raise SpaceError(f"{where}.node_nm = {node_nm!r} is not a positive number")
        activity = data.get("activity", default.activity)
        if activity not in ("vectorless", "simulate"):
            raise SpaceError(f"{where}.activity = {activity!r} is not allowed (allowed: 'vectorless', 'simulate')")
        return cls(seeds=_integer(data, "seeds", where, lo=1, hi=100, default=default.seeds),
                   sim_images=_integer(data, "sim_images", where, lo=1, hi=10000, default=default.sim_images),
                   simulator=simulator, liberty=None if liberty is None else str((directory / liberty).resolve()),
                   node_nm=None if node_nm is None else float(node_nm), activity=activity)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class Range:
    """An axis sampled uniformly between ``lo`` and ``hi`` (integers if both are; ``log``: log-uniform)."""
    lo: float
    hi: float
    log: bool = False

    def draw(self, rng: random.Random):
        if isinstance(self.lo, int) and isinstance(self.hi, int):
            return rng.randint(self.lo, self.hi)
        if self.log:
            import math

            return math.exp(rng.uniform(math.log(self.lo), math.log(self.hi)))
        return rng.uniform(self.lo, self.hi)


@dataclass(frozen=True)
class Sample:
    """Random sampling: ``count`` distinct points drawn with ``seed``."""
    count: int
    seed: int


@dataclass(frozen=True)
class Point:
    """One configuration of a space.

    Members
    -------
    overrides : dict
        The values of the swept fields.
    fields : dict
        Every field: the base configuration with the overrides.
    hash : str
        Identity of the point: :func:`digest` of its fields, stages and options.
    config : Config or None
        The validated configuration (None when it is invalid).
    error : str or None
        The configuration's one-line error when it is invalid.
    """
    overrides: dict
    fields: dict
    hash: str
    config: Config | None
    error: str | None


@dataclass(frozen=True)
class Space:
    """A parsed SPACE file (see the module's documentation)."""
    name: str
    path: Path | None
    base: Config
    axes: dict
    stages: tuple[str, ...]
    options: Options
    sample: Sample | None = None

    def point(self, overrides: dict) -> Point:
        """The point with these values of the swept fields (validated; an invalid one carries its error)."""
        overrides = {k: float(v) if _FIELD_KINDS[k] is float and _is_number(v) else v for k, v in overrides.items()}
        fields = self.base.to_dict() | overrides
        key = digest({"config": fields, "stages": list(self.stages), "options": self.options.to_dict()})
        try:
            config, error = self.base.replace(**overrides), None
        except ConfigError as e:
            config, error = None, str(e)
        return Point(overrides=overrides, fields=fields, hash=key, config=config, error=error)

    def points(self) -> list[Point]:
        """Every point: the grid in axis order, or ``sample.count`` distinct random draws."""
        names = list(self.axes)
        if self.sample is None:
            combos = [dict(zip(names, values)) for values in itertools.product(*self.axes.values())]
        else:
            rng = random.Random(self.sample.seed)
            combos, seen = [], set()
            for _ in range(self.sample.count * DRAWS_PER_SAMPLE):
                combo = {n: a.draw(rng) if isinstance(a, Range) else a[rng.randrange(len(a))]
                         for n, a in self.axes.items()}
                token = digest(combo)
                if token not in seen:
                    seen.add(token)
                    combos.append(combo)
                    if len(combos) == self.sample.count:
                        break
        unique = {}
        for combo in combos:
            point = self.point(combo)
            unique.setdefault(point.hash, point)
        return list(unique.values())


def _base(data: dict, where: str, directory: Path) -> Config:
    preset, config = data.get("preset"), data.get("config", {})
    if preset is not None and preset not in PRESETS:
        raise SpaceError(f"{where}: preset = {preset!r} is not allowed (allowed: {', '.join(map(repr, PRESETS))})")
    if isinstance(config, str):
        if preset is not None:
            raise SpaceError(f"{where}: preset is given with a configuration file (put preset: in {config})")
        return load_config(directory / config)          # its errors already name the file
    config = _mapping(config, f"{where}: config")
    if preset is not None and "preset" in config:
        raise SpaceError(f"{where}: preset is given twice (at the top level and in config)")
    try:
        return Config.from_dict(config, base=PRESETS[preset] if preset else None)
    except ConfigError as e:
        raise SpaceError(f"{where}: config: {e}") from None


def _axes(data, where: str, base: Config, sampled: bool) -> dict:
    axes = _mapping(data, f"{where}: axes")
    try:
        base.replace(**{name: getattr(base, name, None) for name in axes})     # names unknown fields only
    except ConfigError as e:
        raise SpaceError(f"{where}: axes: {e}") from None
    parsed = {}
    for name, values in axes.items():
        at = f"{where}: axes.{name}"
        if isinstance(values, dict):
            if not sampled:
                raise SpaceError(f"{at} is a range, which needs sample: (a grid takes a list of values)")
            _check_keys(values, ("min", "max", "log"), at)
            lo, hi, log = values.get("min"), values.get("max"), values.get("log", False)
            if not (_is_number(lo) and _is_number(hi) and lo <= hi):
                raise SpaceError(f"{at} needs numbers min <= max, not min = {lo!r}, max = {hi!r}")
            if not isinstance(log, bool) or (log and lo <= 0):
                raise SpaceError(f"{at}.log = {log!r} needs true or false, and min > 0 when true")
            if _FIELD_KINDS[name] is not float and not (isinstance(lo, int) and isinstance(hi, int)):
                raise SpaceError(f"{at}: {name} takes integers, not min = {lo!r}, max = {hi!r}")
            parsed[name] = Range(lo, hi, log)
        elif isinstance(values, list) and values:
            parsed[name] = tuple(values)
        else:
            raise SpaceError(f"{at} = {values!r} is not a non-empty list of values "
                             "(a fixed value belongs in config:)")
    return parsed


def _stages(data, where: str) -> tuple[str, ...]:
    if not isinstance(data, list) or not data:
        raise SpaceError(f"{where}: stages = {data!r} is not a non-empty list (allowed: {', '.join(STAGES)})")
    for stage in data:
        if stage not in STAGES:
            raise SpaceError(f"{where}: stages: {stage!r} is not a stage (allowed: {', '.join(STAGES)})")
    return stages_to_run(data)


def _sample(data, where: str) -> Sample:
    at = f"{where}: sample"
    data = _mapping(data, at)
    _check_keys(data, ("count", "seed"), at)
    if "count" not in data:
        raise SpaceError(f"{at}.count is missing (how many points to draw)")
    return Sample(count=_integer(data, "count", at, lo=1, hi=100000, default=0),
                  seed=_integer(data, "seed", at, lo=0, hi=2**32 - 1, default=0))


def load_space(path: str | Path) -> Space:
    """Read and check a SPACE file.

    Raises
    ------
    SpaceError
        If the file cannot be read, is not YAML, or has an unknown key or an invalid value; the
        message starts with the file name and names the key.
    """
    path = Path(path)
    data = read_yaml(path, error=SpaceError)
    where = str(path)
    data = _mapping({} if data is None else data, f"{where}: the SPACE file")
    _check_keys(data, SPACE_KEYS, where)
    name = data.get("name", path.stem)
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", name):
        raise SpaceError(f"{where}: name = {name!r} is not a directory name (letters, digits, '_', '-', '.')")
    base = _base(data, where, path.parent)
    sample = None if data.get("sample") is None else _sample(data["sample"], where)
    options = Options.from_mapping(_mapping(data.get("options", {}), f"{where}: options"),
                                   where=f"{where}: options", directory=path.parent)
    return Space(name=name, path=path, base=base, axes=_axes(data.get("axes", {}), where, base, sample is not None),
                 stages=_stages(data.get("stages", list(STAGES)), where), options=options, sample=sample)
