"""Companies against each other: ranks, peer medians, competitive gaps and recommendations."""

from __future__ import annotations

from dataclasses import dataclass, replace
from statistics import median
from typing import Any

from audit.models import DimensionScore, Role
from scoring.engine import CompanyScore, maturity_level, overall_score, score_dimension
from scoring.model import Model

EFFORT_COST = {"low": 1.0, "medium": 2.0, "high": 4.0}


@dataclass
class Scored:
    """A company's identity and its scores, the benchmark's input."""

    name: str
    url: str
    role: Role
    score: CompanyScore


def dense_ranks(values: list[float | None]) -> list[int | None]:
    """Competition ranks (1 = best; ties share a rank); None for unscored."""
    ranked = sorted((v for v in values if v is not None), reverse=True)
    return [None if v is None else ranked.index(v) + 1 for v in values]


def rank_companies(companies: list[Scored]) -> tuple[list[int | None], dict[str, list[int | None]]]:
    """Overall ranks and, per dimension id, ranks (same order as ``companies``)."""
    overall = dense_ranks([c.score.overall for c in companies])
    per_dim: dict[str, list[int | None]] = {}
    if companies:
        for i, dim in enumerate(companies[0].score.dimensions):
            per_dim[dim.id] = dense_ranks([c.score.dimensions[i].score for c in companies])
    return overall, per_dim


def benchmark_summary(model: Model, companies: list[Scored]) -> dict[str, Any]:
    """Peer medians, leaders and the client's gap to the leader and percentile, per dimension and overall."""
    client = next((c for c in companies if c.role == "client"), None)
    peers = [c for c in companies if c.role != "client"]
    rows: dict[str, Any] = {}
    ids = ["overall", *(d.id for d in model.dimensions)]
    for dim_id in ids:

        def value(c: Scored, dim_id: str = dim_id) -> float | None:
            if dim_id == "overall":
                return c.score.overall
            return next(d.score for d in c.score.dimensions if d.id == dim_id)

        peer_values = [v for v in (value(c) for c in peers) if v is not None]
        all_values = [(value(c), c.name) for c in companies if value(c) is not None]
        leader = max(all_values, key=lambda p: p[0] or 0.0, default=(None, ""))
        client_value = value(client) if client else None
        median_value = round(median(peer_values), 1) if peer_values else None
        unmeasured = _unmeasured_rules(client, peers, dim_id) if client else []
        rows[dim_id] = {
            "peer_median": round(median(peer_values), 1) if peer_values else None,
            "leader": leader[1] or None,
            "leader_score": leader[0],
            "client_score": client_value,
            "gap_to_leader": (
                round((leader[0] or 0.0) - client_value, 1)
                if client_value is not None and leader[0] is not None
                else None
            ),
            "client_percentile": _percentile(client_value, peer_values),
            "delta_to_median": (
                round(client_value - median_value, 1)
                if client_value is not None and median_value is not None
                else None
            ),
            "position": _position(client_value, median_value, unmeasured),
            "unmeasured_rules": unmeasured,
            "ahead_of_client": [
                c.name
                for c in sorted(peers, key=lambda c: -(value(c) or 0.0))
                if client_value is not None and value(c) is not None and (value(c) or 0.0) > client_value
            ],
        }
    return rows


#: A score within this many points of the peer median is "level" with it, neither strength nor gap.
LEVEL_POINTS = 2.0


def _position(client: float | None, peer_median: float | None, unmeasured: list[str]) -> str:
    """Where the client stands against the peer median: ``ahead`` / ``behind`` / ``level``, or
    ``not comparable`` (no score, no peers, or ahead only because its own evidence was not measured
    where competitors' was)."""
    if client is None or peer_median is None:
        return "not comparable"
    if client - peer_median >= LEVEL_POINTS:
        return "not comparable" if unmeasured else "ahead"
    if peer_median - client >= LEVEL_POINTS:
        return "behind"
    return "level"


def _unmeasured_rules(client: Scored, peers: list[Scored], dim_id: str) -> list[str]:
    """Titles of the client's rules in ``dim_id`` that were not measured (or failed) while at least one
    competitor's were: a lead built on the rest of the dimension is not a lead on measured evidence."""
    if dim_id == "overall":
        return []
    out = []
    for dim in client.score.dimensions:
        if dim.id != dim_id:
            continue
        for rule in dim.rules:
            if rule.status == "ok" or rule.weight <= 0:
                continue
            if any((r := _rule_result(p, rule.id)) is not None and r.status == "ok" for p in peers):
                out.append(rule.title)
    return out


def _percentile(value: float | None, peers: list[float]) -> float | None:
    """Share of peers the client scores at or above (0–100)."""
    if value is None or not peers:
        return None
    return round(100 * sum(1 for p in peers if value >= p) / len(peers), 1)


def competitive_gaps(model: Model, companies: list[Scored]) -> list[dict[str, Any]]:
    """Capabilities most competitors have and the client lacks (gaps), and the reverse (advantages)."""
    client = next((c for c in companies if c.role == "client"), None)
    peers = [c for c in companies if c.role != "client"]
    if client is None or not peers:
        return []
    out: list[dict[str, Any]] = []
    for rule in model.rules:
        if not rule.capability or rule.kind == "metric":
            continue
        has = {c.name: _has(c, rule.id) for c in [client, *peers]}
        if has[client.name] is None:
            continue
        have = sorted(p.name for p in peers if has[p.name])
        lack = sorted(p.name for p in peers if has[p.name] is False)
        judged = len(have) + len(lack)
        if not judged:
            continue
        evidence = [e["url"] for p in peers for e in _evidence(p, rule.id) if has[p.name]][:6]
        if not has[client.name] and len(have) * 2 >= judged:
            text = (
                f"{_count_phrase(len(have), judged)} competitors have {rule.capability} "
                f"({', '.join(have)}); {client.name} does not."
            )
            out.append(
                {
                    "kind": "gap",
                    "capability": rule.id,
                    "text": text,
                    "have": have,
                    "lack": [client.name],
                    "evidence": evidence,
                    "share": len(have) / judged,
                }
            )
        elif has[client.name] and len(have) * 2 < judged:
            mine = [e["url"] for e in _evidence(client, rule.id)][:6]
            who = "none" if not have else f"only {', '.join(have)}"
            text = f"{client.name} has {rule.capability}; of its {judged} competitors {who} do."
            out.append(
                {
                    "kind": "advantage",
                    "capability": rule.id,
                    "text": text,
                    "have": [client.name, *have],
                    "lack": lack,
                    "evidence": mine,
                    "share": 1 - len(have) / judged,
                }
            )
    out.sort(key=lambda g: (g["kind"] != "gap", -float(g["share"]), g["capability"]))
    for g in out:
        del g["share"]
    return out


def _count_phrase(n: int, of: int) -> str:
    words = ["No", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten"]
    if n == of:
        return "All" if n > 2 else ("Both" if n == 2 else "The")
    return f"{words[n] if n < len(words) else n} of {of}"


def _rule_result(c: Scored, rule_id: str) -> Any:
    for d in c.score.dimensions:
        for r in d.rules:
            if r.id == rule_id:
                return r
    return None


def _has(c: Scored, rule_id: str) -> bool | None:
    r = _rule_result(c, rule_id)
    if r is None or r.status != "ok" or r.score is None:
        return None
    return bool(r.score >= 0.5)


def _evidence(c: Scored, rule_id: str) -> list[dict[str, Any]]:
    r = _rule_result(c, rule_id)
    return list(r.evidence) if r is not None else []


def recommendations(model: Model, company: Scored, limit: int = 10) -> list[dict[str, Any]]:
    """What the company should do next: rules below full marks, by points gained ÷ effort."""
    dims = company.score.dimensions
    total_weight = sum(d.weight for d in dims if d.score is not None)
    out: list[dict[str, Any]] = []
    for d in dims:
        if d.status != "ok" or not total_weight:
            continue
        applicable = sum(r.weight for r in d.rules if r.status == "ok")
        for r in d.rules:
            if r.status != "ok" or r.score is None or r.score >= 0.95 or not r.recommendation:
                continue
            points = 100 * (1 - r.score) * (r.weight / applicable) * (d.weight / total_weight)
            if points < 0.5:
                continue
            new_level = _level_if_fixed(model, dims, d.id, r.id)
            why = f"{r.title}: {r.display} now ({r.explanation.split(' Checked:')[0]})"
            out.append(
                {
                    "rule": r.id,
                    "dimension": d.id,
                    "title": r.title,
                    "text": r.recommendation,
                    "why": why,
                    "points": round(points, 1),
                    "effort": r.effort,
                    "priority": round(points / EFFORT_COST[r.effort], 2),
                    "level_after": new_level,
                }
            )
    out.sort(key=lambda x: (-x["priority"], x["rule"]))
    return out[:limit]


def _level_if_fixed(model: Model, dims: list[DimensionScore], dim_id: str, rule_id: str) -> int | None:
    """The maturity level the company would reach if this one rule scored full marks."""
    new_dims = []
    for d in dims:
        if d.id != dim_id:
            new_dims.append(d)
            continue
        rules = [replace(r, score=1.0) if r.id == rule_id else r for r in d.rules]
        new_dims.append(score_dimension(model, d.id, rules))
    return maturity_level(model, new_dims, overall_score(new_dims))
