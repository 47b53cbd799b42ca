"""The industry benchmark of a scan: where the bar is, per segment.

For each segment (and ``all``): p10/p25/median/p75/p90 of the overall score, of every dimension score and
of every metric measured for at least one company; the share of companies with each channel ("62 % run
a forum"); and how many companies sit at each maturity level. Percentiles interpolate linearly between
the ranked values (numpy's default); a company whose site could not be gathered counts in ``failed``,
never as a zero. :func:`placement` puts one audited company against a stored benchmark.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from audit.models import CHANNEL_KINDS

PERCENTILES = (("p10", 10), ("p25", 25), ("median", 50), ("p75", 75), ("p90", 90))
ALL = "all"


def _unscored(company: dict[str, Any]) -> bool:
    overall = company.get("overall") or {}
    return overall.get("score") is None and any(e.get("stage") == "gather" for e in company.get("errors", []))


def _stats(values: Sequence[float]) -> dict[str, Any]:
    row: dict[str, Any] = {"n": len(values)}
    for name, q in PERCENTILES:
        row[name] = round(float(np.percentile(values, q)), 2) if values else None
    return row


def _series(companies: Sequence[dict[str, Any]]) -> dict[str, list[float]]:
    """Stat name (``overall``, ``dimension:<id>``, ``metric:<name>``) → the companies' values."""
    series: dict[str, list[float]] = {"overall": []}
    for c in companies:
        score = (c.get("overall") or {}).get("score")
        if score is not None:
            series["overall"].append(float(score))
        for d in c.get("dimensions", []):
            series.setdefault(f"dimension:{d['id']}", [])
            if d.get("score") is not None:
                series[f"dimension:{d['id']}"].append(float(d["score"]))
        for name, value in sorted((c.get("metrics") or {}).items()):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                series.setdefault(f"metric:{name}", []).append(float(value))
    return series


def _segment(companies: Sequence[dict[str, Any]], failed: int) -> dict[str, Any]:
    scored = [c for c in companies if not _unscored(c)]
    adoption = {
        kind: round(sum(1 for c in scored if (c.get("channels") or {}).get(kind)) / len(scored), 4)
        if scored
        else None
        for kind in CHANNEL_KINDS
    }
    levels = {str(level): 0 for level in range(1, 6)}
    for c in scored:
        level = (c.get("overall") or {}).get("level")
        if level is not None:
            levels[str(level)] = levels.get(str(level), 0) + 1
    series = _series(scored)
    return {
        "companies": len(companies) + failed,
        "scored": len(scored),
        "unreachable": len(companies) - len(scored),
        "failed": failed,
        "stats": {name: _stats(values) for name, values in series.items()},
        "adoption": adoption,
        "levels": levels,
        "values": {name: sorted(values) for name, values in series.items()},
    }


def compute_benchmark(results: Sequence[dict[str, Any]], rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The benchmark from a scan's stored results and its company rows (failed ones included)."""
    by_segment: dict[str, list[dict[str, Any]]] = {}
    entries = []
    for r in results:
        company = dict(r["company"])
        company["segment"] = r["segment"]
        entries.append((r, company))
        by_segment.setdefault(r["segment"], []).append(company)
    failed_by_segment: dict[str, int] = {}
    for row in rows:
        if row["status"] == "failed":
            failed_by_segment[row["segment"]] = failed_by_segment.get(row["segment"], 0) + 1
    segments = {ALL: _segment([c for _, c in entries], sum(failed_by_segment.values()))}
    for name in sorted(set(by_segment) | set(failed_by_segment)):
        segments[name] = _segment(by_segment.get(name, []), failed_by_segment.get(name, 0))
    scores = sorted(
        {
            float(c["overall"]["score"])
            for _, c in entries
            if (c.get("overall") or {}).get("score") is not None
        },
        reverse=True,
    )
    leaderboard = []
    for r, c in entries:
        overall = c.get("overall") or {}
        score = overall.get("score")
        leaderboard.append(
            {
                "rank": scores.index(float(score)) + 1 if score is not None else None,
                "host": r["host"],
                "name": r["name"],
                "url": r["url"],
                "segment": r["segment"],
                "score": score,
                "level": overall.get("level"),
                "level_name": overall.get("level_name"),
                "dimensions": {d["id"]: d.get("score") for d in c.get("dimensions", [])},
                "reachable": not _unscored(c),
            }
        )
    leaderboard.sort(key=lambda e: (e["rank"] is None, e["rank"] or 0, e["name"].lower(), e["host"]))
    dimensions: dict[str, str] = {}
    for _, c in entries:
        for d in c.get("dimensions", []):
            dimensions.setdefault(d["id"], d.get("name") or d["id"])
    model = next((c.get("model") for _, c in entries if c.get("model")), None)
    failed = [
        {"host": row["host"], "name": row["name"], "segment": row["segment"], "error": row["error"]}
        for row in rows
        if row["status"] == "failed"
    ]
    return {
        "model": model,
        "dimensions": dimensions,
        "segments": segments,
        "leaderboard": leaderboard,
        "failed": failed,
    }


def table_rows(benchmark: dict[str, Any]) -> list[dict[str, Any]]:
    """The benchmark as one long table (CSV and Parquet): a row per segment and statistic, adoption
    share or level count. Columns: segment, kind, name, n, p10, p25, median, p75, p90, share, count."""
    out: list[dict[str, Any]] = []
    empty = {"n": None, **{p: None for p, _ in PERCENTILES}, "share": None, "count": None}
    for segment, data in benchmark["segments"].items():
        for name, stats in data["stats"].items():
            kind, _, stat = name.partition(":")
            out.append(
                {
                    "segment": segment,
                    "kind": kind if stat else "score",
                    "name": stat or name,
                    **empty,
                    **stats,
                }
            )
        for kind, share in data["adoption"].items():
            out.append({"segment": segment, "kind": "adoption", "name": kind, **empty, "share": share})
        for level, count in data["levels"].items():
            out.append({"segment": segment, "kind": "level", "name": level, **empty, "count": count})
        out.append(
            {"segment": segment, "kind": "companies", "name": "total", **empty, "count": data["companies"]}
        )
        out.append(
            {"segment": segment, "kind": "companies", "name": "failed", **empty, "count": data["failed"]}
        )
    return out


def percentile_rank(values: Sequence[float], value: float) -> float:
    """The share (0–100) of ``values`` below ``value``, ties counting half."""
    if not values:
        return float("nan")
    below = sum(1 for v in values if v < value)
    equal = sum(1 for v in values if v == value)
    return round(100.0 * (below + 0.5 * equal) / len(values), 1)


def placement(company: dict[str, Any], benchmark: dict[str, Any], segment: str = ALL) -> dict[str, Any]:
    """Where ``company`` (an ``audit.json`` entry) stands in ``segment`` of ``benchmark``: per score, its
    value, the segment's median and its percentile rank."""
    data = benchmark["segments"].get(segment) or benchmark["segments"][ALL]
    rows = []
    values = [("overall", (company.get("overall") or {}).get("score"))]
    values += [(f"dimension:{d['id']}", d.get("score")) for d in company.get("dimensions", [])]
    for name, value in values:
        market = data["values"].get(name) or []
        stats = data["stats"].get(name) or {}
        rows.append(
            {
                "name": name,
                "score": value,
                "median": stats.get("median"),
                "p90": stats.get("p90"),
                "percentile": percentile_rank(market, float(value)) if value is not None and market else None,
                "n": len(market),
            }
        )
    return {
        "segment": segment if segment in benchmark["segments"] else ALL,
        "companies": data["scored"],
        "scores": rows,
    }
