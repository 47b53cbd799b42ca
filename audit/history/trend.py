"""The ``history`` block of ``audit.json``: scores over time and what changed since the last audit.

Only runs scored under the same model id and version as the current one are put side by side; older
runs under another model are listed in ``excluded_runs`` with a note (re-score them with
``engage rescore``). Shape (documented in ``audit/audit.schema.json``)::

    {"project": "acme", "model": {"id", "version"}, "previous_run_id": 3 | null,
     "runs": [{"run_id", "finished_at", "model": {"id", "version"}, "status",
               "scores": {"Acme Books": {"overall": 52.9, "level": 3, "presence": 68.3, …}}}],
     "changes": [{"kind": "channel_gained|channel_lost|level_changed|metric_moved", "company", "host",
                  "role", "text", "evidence": [url, …], …}],
     "excluded_runs": [{"run_id", "finished_at", "model"}], "notes": ["…"], "thresholds": {…}}
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from audit.history.diff import METRIC_NOISE, SCORE_NOISE_POINTS, audit_changes, company_key
from audit.history.store import RunInfo, ScoreRow, Store

#: Runs shown in a trend (the current one included).
TREND_RUNS = 12

SPARK = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[float | None], lo: float = 0.0, hi: float = 100.0) -> str:
    """``▃▄▆`` for scores on a 0–100 scale; a gap (space) where a run has no score."""
    out = []
    for v in values:
        if v is None:
            out.append(" ")
            continue
        frac = (min(max(v, lo), hi) - lo) / (hi - lo) if hi > lo else 0.0
        out.append(SPARK[min(len(SPARK) - 1, int(frac * len(SPARK)))])
    return "".join(out)


def scores_by_company(
    rows: Sequence[ScoreRow], names: dict[str, str]
) -> dict[int, dict[str, dict[str, Any]]]:
    """run id → company name → {"overall", "level", dimension scores…} (only hosts in ``names``)."""
    out: dict[int, dict[str, dict[str, Any]]] = {}
    for r in rows:
        if r.host not in names:
            continue
        entry = out.setdefault(r.run_id, {}).setdefault(names[r.host], {})
        if r.dimension == "overall":
            entry["overall"] = r.score
            entry["level"] = r.level
        else:
            entry[r.dimension] = r.score
    return out


def audit_scores(audit: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The same per-company score dict, from an ``audit.json`` document."""
    out: dict[str, dict[str, Any]] = {}
    for c in audit.get("companies", []):
        entry: dict[str, Any] = {"overall": c["overall"].get("score"), "level": c["overall"].get("level")}
        entry.update({d["id"]: d.get("score") for d in c.get("dimensions", [])})
        out[c["name"]] = entry
    return out


def thresholds() -> dict[str, Any]:
    """The noise thresholds behind ``metric_moved`` changes, for the report's methodology."""
    return {
        "score_points": SCORE_NOISE_POINTS,
        "metrics": [
            {"pattern": pattern or "*", "absolute": n.absolute, "relative": n.relative}
            for pattern, n in METRIC_NOISE
        ],
    }


def _run_entry(run: RunInfo, scores: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {
        "run_id": run.id,
        "finished_at": run.finished_at or "",
        "model": {"id": run.model_id or "", "version": run.model_version or ""},
        "status": run.status,
        "scores": scores,
    }


def build_history(
    store: Store, audit: dict[str, Any], run_id: int, project: str | None, limit: int = TREND_RUNS
) -> dict[str, Any]:
    """The ``history`` block for ``audit`` (run ``run_id``, not yet finished) of ``project``."""
    model = audit.get("model", {})
    key = (model.get("id"), model.get("version"))
    past = [r for r in store.runs(project=project) if r.id != run_id]
    comparable = [r for r in past if (r.model_id, r.model_version) == key][-(limit - 1) :]
    excluded = [r for r in past if (r.model_id, r.model_version) != key]
    names = {company_key(c): c["name"] for c in audit.get("companies", [])}
    by_run = scores_by_company(store.score_rows([r.id for r in comparable]), names)
    runs = [_run_entry(r, by_run.get(r.id, {})) for r in comparable]
    runs.append(
        {
            "run_id": run_id,
            "finished_at": audit.get("finished_at", ""),
            "model": {"id": model.get("id", ""), "version": model.get("version", "")},
            "status": audit.get("status", "complete"),
            "scores": audit_scores(audit),
        }
    )
    previous = comparable[-1] if comparable else None
    changes = audit_changes(store.result(previous.id), audit) if previous else []
    notes = []
    if excluded:
        versions = sorted({r.model_label for r in excluded})
        notes.append(
            f"{len(excluded)} earlier run(s) used another model ({', '.join(versions)}) and are not compared "
            f"with this one (model {model.get('id')} {model.get('version')}); re-score them with "
            "`engage rescore RUN --model FILE` to include them."
        )
    if previous is None:
        notes.append("First audit under this model for this project: nothing to compare yet.")
    return {
        "project": project,
        "model": {"id": model.get("id", ""), "version": model.get("version", "")},
        "previous_run_id": previous.id if previous else None,
        "runs": runs,
        "changes": changes,
        "excluded_runs": [
            {
                "run_id": r.id,
                "finished_at": r.finished_at or "",
                "model": {"id": r.model_id or "", "version": r.model_version or ""},
            }
            for r in excluded
        ],
        "notes": notes,
        "thresholds": thresholds(),
    }
