"""CSV exports for analysts: ``scores.csv`` and ``findings.csv``, deterministic row order and bytes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from audit.safe_text import csv_cell
from report_templates.view import (
    CHANNEL_LABELS,
    by_rank,
    kind_key_of,
    kind_of,
    model_dimensions,
)

SCORE_COLUMNS: tuple[str, ...] = (
    "company",
    "role",
    "rank",
    "dimension_id",
    "dimension",
    "score",
    "level",
    "status",
    "model_id",
    "model_version",
)
FINDING_COLUMNS: tuple[str, ...] = (
    "company",
    "channel",
    "kind_key",
    "kind",
    "url",
    "source_url",
    "snippet",
    "method",
)


def _cell(value: Any) -> str:
    """Numbers without a spurious ``.0``, null as empty: pandas never sees a float column."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.0f}" if value.is_integer() else f"{round(value, 2):g}"
    return str(value)


def scores_frame(audit: Mapping[str, Any]) -> pd.DataFrame:
    """One row per company × dimension plus an ``overall`` row per company, companies by rank."""
    model = audit.get("model", {})
    dims = model_dimensions(audit)
    rows: list[dict[str, str]] = []
    for company in by_rank(list(audit.get("companies", []))):
        base = {
            "company": company["name"],
            "role": company.get("role", ""),
            "rank": _cell(company.get("rank")),
        }
        overall = company.get("overall", {})
        rows.append(
            base
            | {
                "dimension_id": "overall",
                "dimension": "Overall",
                "score": _cell(overall.get("score")),
                "level": _cell(overall.get("level")),
                "status": "ok" if overall.get("score") is not None else "error",
            }
        )
        by_id = {d["id"]: d for d in company.get("dimensions", [])}
        for dim in dims:
            data = by_id.get(dim["id"], {})
            rows.append(
                base
                | {
                    "dimension_id": dim["id"],
                    "dimension": dim["name"],
                    "score": _cell(data.get("score")),
                    "level": _cell(data.get("level")),
                    "status": str(data.get("status", "error")),
                }
            )
    for row in rows:
        row["model_id"] = str(model.get("id", ""))
        row["model_version"] = str(model.get("version", ""))
    return pd.DataFrame(rows, columns=list(SCORE_COLUMNS), dtype=str)


def findings_frame(audit: Mapping[str, Any]) -> pd.DataFrame:
    """One row per channel item, companies by rank and channels in report order."""
    rows: list[dict[str, str]] = []
    for company in by_rank(list(audit.get("companies", []))):
        channels = company.get("channels", {})
        ordered = [c for c in CHANNEL_LABELS if c in channels] + sorted(
            c for c in channels if c not in CHANNEL_LABELS
        )
        for channel in ordered:
            for item in channels[channel]:
                evidence = item.get("evidence", {})
                rows.append(
                    {
                        "company": company["name"],
                        "channel": channel,
                        "kind_key": kind_key_of(item),
                        "kind": kind_of(item),
                        "url": str(item.get("url", "")),
                        "source_url": str(evidence.get("source_url", "")),
                        "snippet": str(evidence.get("snippet", "")),
                        "method": str(evidence.get("method", "")),
                    }
                )
    return pd.DataFrame(rows, columns=list(FINDING_COLUMNS), dtype=str)


#: Columns that hold numbers (``-3`` there is a number, not a formula); every other column is text.
NUMERIC_COLUMNS = frozenset({"rank", "score", "level"})


def to_csv(frame: pd.DataFrame) -> str:
    """CSV text with ``\\n`` line ends whatever the platform; text cells a spreadsheet would run as a
    formula are neutralised (:func:`audit.safe_text.csv_cell`), numeric columns kept as numbers."""
    safe = frame.copy()
    for column in safe.columns:
        if column not in NUMERIC_COLUMNS:
            safe[column] = safe[column].map(csv_cell)
    return str(safe.to_csv(index=False, lineterminator="\n"))


def scores_csv(audit: Mapping[str, Any]) -> str:
    return to_csv(scores_frame(audit))


def findings_csv(audit: Mapping[str, Any]) -> str:
    return to_csv(findings_frame(audit))
