"""The maturity model as data: loading, validation and the typed view the engine uses.

A model file (TOML) declares levels, dimensions and rules; see ``scoring/models/engagement-v1.toml``.
``load_model`` raises ``ModelError`` with every problem found, one per line, so a consultant editing a
model sees all mistakes at once.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from audit import metrics
from audit.validation import format_path, load_schema, schema_errors

RULE_KINDS = ("presence", "count", "metric")
EFFORTS = ("low", "medium", "high")
CONDITION = re.compile(
    r"^\s*(?P<ref>[a-z_][a-z0-9_.\-]*)\s*(?P<op>>=|<=|>|<|==)\s*(?P<value>-?\d+(?:\.\d+)?)\s*$"
)
DEFAULT_MODEL = "engagement-v1.toml"


class ModelError(ValueError):
    """A model file that cannot be used; the message lists every problem."""


@dataclass(frozen=True)
class Curve:
    """Maps a number to a score in [0, 1].

    ``bands``: ``[[threshold, score], …]`` ascending; the score of the highest threshold ≤ value.
    ``lognormal``: Lighthouse-style; ``median`` scores 0.5 and ``p10`` scores 0.9 (lower is better when
    ``p10 < median``).
    """

    kind: str
    bands: tuple[tuple[float, float], ...] = ()
    p10: float = 0.0
    median: float = 0.0


@dataclass(frozen=True)
class Rule:
    id: str
    dimension: str
    title: str
    kind: str
    probe: str
    weight: float
    explanation: str
    recommendation: str
    effort: str
    capability: str = ""
    channel: str = ""
    where: dict[str, Any] = field(default_factory=dict)
    metric: str = ""
    curve: Curve | None = None
    unit: str = ""


@dataclass(frozen=True)
class Dimension:
    id: str
    name: str
    weight: float
    description: str


@dataclass(frozen=True)
class Level:
    level: int
    name: str
    description: str
    requires: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Model:
    id: str
    version: str
    name: str
    levels: tuple[Level, ...]
    dimensions: tuple[Dimension, ...]
    rules: tuple[Rule, ...]
    dimension_level_bands: tuple[float, ...]
    source: str = ""

    def dimension(self, dim_id: str) -> Dimension:
        return next(d for d in self.dimensions if d.id == dim_id)

    def rules_of(self, dim_id: str) -> list[Rule]:
        return [r for r in self.rules if r.dimension == dim_id]

    def level_name(self, level: int | None) -> str:
        return next((lv.name for lv in self.levels if lv.level == level), "")

    def summary(self) -> dict[str, Any]:
        """The ``model`` block of ``audit.json``."""
        return {
            "id": self.id,
            "version": self.version,
            "name": self.name,
            "levels": [
                {"level": lv.level, "name": lv.name, "description": lv.description} for lv in self.levels
            ],
            "dimensions": [
                {"id": d.id, "name": d.name, "weight": d.weight, "description": d.description}
                for d in self.dimensions
            ],
            # Added for the report's methodology (issue 8): each rule's curve, control points as declared.
            "curves": [curve_summary(r) for r in self.rules if r.curve is not None],
        }


def curve_summary(rule: Rule) -> dict[str, Any]:
    """A rule's curve for ``audit.json``: bands as ``[[threshold, score], …]`` or log-normal p10/median."""
    curve = rule.curve
    assert curve is not None
    entry: dict[str, Any] = {
        "rule": rule.id,
        "title": rule.title,
        "dimension": rule.dimension,
        "kind": curve.kind,
        "input": rule.metric
        or (f"{rule.channel or rule.probe} count" if rule.kind == "count" else rule.probe),
        "unit": rule.unit,
    }
    if curve.kind == "lognormal":
        entry |= {"p10": curve.p10, "median": curve.median}
    else:
        entry["bands"] = [list(band) for band in curve.bands]
    return entry


def default_model_path() -> Path:
    """Path of the shipped model file."""
    return Path(__file__).parent / "models" / DEFAULT_MODEL


def load_model(path: str | Path | None = None, known_probes: set[str] | None = None) -> Model:
    """Load and validate a model file (the shipped one by default)."""
    model_path = Path(path) if path else default_model_path()
    try:
        data = tomllib.loads(model_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"model file not found: {model_path}") from None
    except UnicodeDecodeError as exc:
        raise ModelError(f"{model_path}: not a UTF-8 text file ({exc.reason} at byte {exc.start})") from None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ModelError(f"{model_path}: {exc}") from None
    problems = shape_problems(data)
    if problems:  # wrong types (a weight of "heavy", nan, inf or true): nothing can be built from it
        raise ModelError(f"{model_path}: " + "; ".join(problems))
    model = _build(data, problems, str(model_path))
    problems.extend(validate(model, known_probes))
    if problems:
        raise ModelError(f"{model_path}: " + "; ".join(problems))
    return model


def shape_problems(data: dict[str, Any]) -> list[str]:
    """Every value of the wrong type (``model.schema.json``; numbers must be finite), located by id."""
    schema = load_schema(Path(__file__).with_name("model.schema.json"))
    return [f"{_where(data, path)}{message}" for path, message in schema_errors(data, schema)]


_TABLES = {"levels": ("level", "level"), "dimensions": ("dimension", "id"), "rules": ("rule", "id")}


def _where(data: dict[str, Any], path: tuple[str | int, ...]) -> str:
    """``("dimensions", 0, "weight")`` → ``dimension presence: weight: `` (by position when it has no id)."""
    if len(path) < 2 or path[0] not in _TABLES or not isinstance(path[1], int):
        return f"{format_path(path)}: " if path else ""
    kind, key = _TABLES[str(path[0])]
    item = data[str(path[0])][path[1]]
    name = item.get(key) if isinstance(item, dict) else None
    usable = (
        isinstance(name, int) and not isinstance(name, bool) if kind == "level" else isinstance(name, str)
    )
    label = f"{kind} {name}" if usable and name != "" else f"{kind} #{path[1] + 1}"
    return f"{label}: {format_path(path[2:])}: " if len(path) > 2 else f"{label}: "


def _build(data: dict[str, Any], problems: list[str], source: str) -> Model:
    def need(table: dict[str, Any], key: str, where: str, kind: type | tuple[type, ...] = str) -> Any:
        if key not in table:
            problems.append(f"{where}: missing {key!r}")
            return kind() if isinstance(kind, type) else ""
        if not isinstance(table[key], kind):
            problems.append(f"{where}: {key!r} has the wrong type")
        return table[key]

    levels = tuple(
        Level(
            level=int(need(lv, "level", f"level #{i + 1}", int)),
            name=need(lv, "name", f"level #{i + 1}"),
            description=need(lv, "description", f"level #{i + 1}"),
            requires=tuple(lv.get("requires", [])),
        )
        for i, lv in enumerate(data.get("levels", []))
    )
    dimensions = tuple(
        Dimension(
            id=need(d, "id", f"dimension #{i + 1}"),
            name=need(d, "name", f"dimension #{i + 1}"),
            weight=float(need(d, "weight", f"dimension #{i + 1}", (int, float))),
            description=need(d, "description", f"dimension #{i + 1}"),
        )
        for i, d in enumerate(data.get("dimensions", []))
    )
    rules = []
    for i, r in enumerate(data.get("rules", [])):
        where = f"rule {r.get('id', f'#{i + 1}')}"
        curve = None
        if "curve" in r:
            c = r["curve"]
            curve = Curve(
                kind=str(c.get("kind", "")),
                bands=tuple((float(t), float(s)) for t, s in c.get("bands", [])),
                p10=float(c.get("p10", 0)),
                median=float(c.get("median", 0)),
            )
        rules.append(
            Rule(
                id=need(r, "id", where),
                dimension=need(r, "dimension", where),
                title=need(r, "title", where),
                kind=need(r, "kind", where),
                probe=need(r, "probe", where),
                weight=float(need(r, "weight", where, (int, float))),
                explanation=need(r, "explanation", where),
                recommendation=r.get("recommendation", ""),
                effort=r.get("effort", "medium"),
                capability=r.get("capability", ""),
                channel=r.get("channel", ""),
                where=dict(r.get("where", {})),
                metric=r.get("metric", ""),
                curve=curve,
                unit=r.get("unit", ""),
            )
        )
    bands = tuple(float(b) for b in data.get("dimension_level_bands", [0, 20, 40, 60, 80]))
    return Model(
        id=str(data.get("id", "")),
        version=str(data.get("version", "")),
        name=str(data.get("name", "")),
        levels=levels,
        dimensions=dimensions,
        rules=tuple(rules),
        dimension_level_bands=bands,
        source=source,
    )


def validate(model: Model, known_probes: set[str] | None = None) -> list[str]:
    """Every problem with a model, as short sentences (empty when the model is usable)."""
    problems: list[str] = []
    if not model.id or not model.version:
        problems.append("model needs 'id' and 'version'")
    if sorted(lv.level for lv in model.levels) != [1, 2, 3, 4, 5]:
        problems.append("levels must be exactly 1, 2, 3, 4 and 5")
    if len(model.dimension_level_bands) != 5 or list(model.dimension_level_bands) != sorted(
        set(model.dimension_level_bands)
    ):
        problems.append("dimension_level_bands must be 5 strictly ascending thresholds")
    dim_ids = [d.id for d in model.dimensions]
    if len(set(dim_ids)) != len(dim_ids):
        problems.append("duplicate dimension ids")
    if not any(d.weight > 0 for d in model.dimensions):
        problems.append("at least one dimension needs a positive weight")
    rule_ids = [r.id for r in model.rules]
    if len(set(rule_ids)) != len(rule_ids):
        problems.append("duplicate rule ids")
    for d in model.dimensions:
        if d.weight < 0:
            problems.append(f"dimension {d.id}: negative weight")
        if not model.rules_of(d.id):
            problems.append(f"dimension {d.id}: no rules")
    for r in model.rules:
        problems.extend(_rule_problems(r, set(dim_ids), known_probes))
    refs = {"overall", *dim_ids, *(f"rule.{i}" for i in rule_ids)}
    for lv in model.levels:
        problems.extend(f"level {lv.level}: {p}" for p in _condition_problems(lv.requires, refs))
    return problems


def _rule_problems(r: Rule, dims: set[str], known_probes: set[str] | None) -> list[str]:
    out = []
    if r.dimension not in dims:
        out.append(f"rule {r.id}: unknown dimension {r.dimension!r}")
    if r.kind not in RULE_KINDS:
        out.append(f"rule {r.id}: kind must be one of {', '.join(RULE_KINDS)}")
    if known_probes is not None and r.probe not in known_probes:
        out.append(f"rule {r.id}: unknown evidence {r.probe!r}")
    if r.weight < 0:
        out.append(f"rule {r.id}: negative weight")
    if r.effort not in EFFORTS:
        out.append(f"rule {r.id}: effort must be low, medium or high")
    if r.kind in ("count", "metric"):
        if r.curve is None:
            out.append(f"rule {r.id}: a {r.kind} rule needs a curve")
        else:
            out.extend(f"rule {r.id}: {p}" for p in _curve_problems(r.curve))
    if r.kind == "metric" and not r.metric:
        out.append(f"rule {r.id}: a metric rule needs 'metric'")
    if r.metric and not metrics.known(r.metric):
        guess = metrics.suggestion(r.metric)
        hint = f" (did you mean {guess!r}?)" if guess else ""
        out.append(f"rule {r.id}: unknown metric {r.metric!r}{hint}")
    return out


def _curve_problems(c: Curve) -> list[str]:
    if c.kind == "bands":
        thresholds = [t for t, _ in c.bands]
        if not c.bands:
            return ["curve has no bands"]
        if thresholds != sorted(set(thresholds)):
            return ["curve bands overlap or are not ascending"]
        if any(not 0 <= s <= 1 for _, s in c.bands):
            return ["curve band scores must be within 0..1"]
        return []
    if c.kind == "lognormal":
        if c.p10 <= 0 or c.median <= 0 or c.p10 == c.median:
            return ["lognormal curve needs positive, different p10 and median"]
        return []
    return [f"unknown curve kind {c.kind!r}"]


def _condition_problems(requires: tuple[Any, ...], refs: set[str]) -> list[str]:
    out = []
    for cond in requires:
        items = cond.get("any", []) if isinstance(cond, dict) else [cond]
        for item in items:
            m = CONDITION.match(str(item))
            if not m:
                out.append(f"cannot read condition {item!r}")
            elif m["ref"] not in refs:
                out.append(f"condition {item!r} names unknown {m['ref']!r}")
    return out
