"""Evidence → rule verdicts → dimension scores → overall score and maturity level."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from audit.models import DimensionScore, Evidence, RuleResult
from scoring.model import CONDITION, Model
from scoring.rules import evaluate


@dataclass
class CompanyScore:
    """One company's scores under one model."""

    dimensions: list[DimensionScore]
    overall: float | None
    level: int | None
    level_name: str


def weighted_mean(pairs: list[tuple[float, float]]) -> float | None:
    """Weighted mean of (score, weight) pairs; None when no weight applies."""
    total = sum(w for _, w in pairs)
    if total <= 0:
        return None
    return sum(s * w for s, w in pairs) / total


def dimension_level(model: Model, score: float | None) -> int | None:
    """Level 1–5 of a 0–100 dimension score by the model's bands."""
    if score is None:
        return None
    return max(1, sum(1 for threshold in model.dimension_level_bands if score >= threshold))


def score_dimension(model: Model, dim_id: str, results: list[RuleResult]) -> DimensionScore:
    """A dimension from its rules: errors make it null; n/a rules weigh nothing."""
    dim = model.dimension(dim_id)
    if any(r.status == "error" for r in results):
        return DimensionScore(dim.id, dim.name, dim.weight, None, None, "error", results)
    pairs = [(r.score or 0.0, r.weight) for r in results if r.status == "ok"]
    mean = weighted_mean(pairs)
    if mean is None:
        return DimensionScore(dim.id, dim.name, dim.weight, None, None, "n/a", results)
    score = round(mean * 100, 1)
    return DimensionScore(dim.id, dim.name, dim.weight, score, dimension_level(model, score), "ok", results)


def score_company(model: Model, evidence: Mapping[str, Evidence]) -> CompanyScore:
    """Score one company's evidence (keyed by probe name) under ``model``."""
    dims = []
    for dim in model.dimensions:
        results = [evaluate(rule, evidence.get(rule.probe)) for rule in model.rules_of(dim.id)]
        dims.append(score_dimension(model, dim.id, results))
    overall = overall_score(dims)
    level = maturity_level(model, dims, overall)
    return CompanyScore(dims, overall, level, model.level_name(level))


def overall_score(dims: list[DimensionScore]) -> float | None:
    """Weighted mean of the applicable dimensions; None when any dimension errored."""
    if any(d.status == "error" for d in dims):
        return None
    mean = weighted_mean([(d.score, d.weight) for d in dims if d.score is not None])
    return None if mean is None else round(mean, 1)


def maturity_level(model: Model, dims: list[DimensionScore], overall: float | None) -> int | None:
    """The highest level whose requirements (and those of every level below) hold."""
    if overall is None:
        return None
    values: dict[str, float | None] = {"overall": overall}
    for d in dims:
        values[d.id] = d.score
        for r in d.rules:
            values[f"rule.{r.id}"] = None if r.score is None else r.score * 100
    level = 1
    for lv in sorted(model.levels, key=lambda x: x.level):
        if lv.level == 1:
            continue
        if all(_holds(cond, values) for cond in lv.requires):
            level = lv.level
        else:
            break
    return level


def _holds(cond: object, values: Mapping[str, float | None]) -> bool:
    if isinstance(cond, dict):
        return any(_holds(c, values) for c in cond.get("any", []))
    m = CONDITION.match(str(cond))
    if not m:
        return False
    actual = values.get(m["ref"])
    if actual is None:
        return False
    target = float(m["value"])
    return {
        ">=": actual >= target,
        "<=": actual <= target,
        ">": actual > target,
        "<": actual < target,
        "==": actual == target,
    }[m["op"]]
