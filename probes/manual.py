"""Manual evidence: what only a person can measure (mystery-shopper e-mail, chat and phone waits).

A consultant passes ``engage audit … --evidence observations.toml``; each ``[[observation]]`` names a
company by host and gives a date, a note and any of ``email_reply_hours``, ``chat_wait_minutes``,
``phone_wait_minutes``. It enters the audit as evidence of probe ``manual`` (method ``manual``): the
median of each measure per company, and the number of observations. Without a file the probe reports
nothing (its rules are not applicable). The format is in the README (§ Manual evidence).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from audit.models import Evidence, Finding, SiteCapture
from audit.validation import finite, short
from probes.response_times import median

NAME = "manual"
CHANNELS: tuple[str, ...] = ()
METHOD = "manual"

#: Observation keys that are measures, with the metric each one feeds.
MEASURES: dict[str, str] = {
    "email_reply_hours": "manual.email_reply_hours",
    "chat_wait_minutes": "manual.chat_wait_minutes",
    "phone_wait_minutes": "manual.phone_wait_minutes",
}
KEYS = frozenset({"company", "date", "note", *MEASURES})


class ObservationError(ValueError):
    """An observations file that cannot be used, with a one-line reason."""


@dataclass(frozen=True)
class Observation:
    """One manual observation of one company."""

    company: str
    date: str
    note: str
    values: dict[str, float]


def probe(capture: SiteCapture) -> Evidence:
    """Nothing without an observations file (the runner replaces this with ``evidence_for``)."""
    return Evidence(probe=NAME, tried=["manual observations (--evidence FILE): none given"])


def load_observations(path: Path) -> list[Observation]:
    """Read and validate an observations file; raises ``ObservationError`` with a one-line reason."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ObservationError(f"{path}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise ObservationError(f"{path}: not a UTF-8 text file ({exc.reason} at byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ObservationError(f"{path}: not valid TOML ({exc})") from None
    unknown = sorted(set(data) - {"observation"})
    if unknown:
        raise ObservationError(f"{path}: unknown table {unknown[0]!r} (expected [[observation]])")
    rows = data.get("observation")
    if not isinstance(rows, list) or not rows:
        raise ObservationError(f"{path}: no [[observation]] entries")
    return [_observation(path, n, row) for n, row in enumerate(rows, start=1)]


def _observation(path: Path, n: int, row: Any) -> Observation:
    where = f"{path}: observation {n}"
    if not isinstance(row, dict):
        raise ObservationError(f"{where}: not a table")
    extra = sorted(set(row) - KEYS)
    if extra:
        raise ObservationError(f"{where}: unknown key {extra[0]!r} (allowed: {', '.join(sorted(KEYS))})")
    company = row.get("company")
    if not isinstance(company, str) or not company.strip():
        raise ObservationError(f"{where}: 'company' (the company's host, e.g. \"acme.test\") is required")
    day = row.get("date")
    if isinstance(day, str):
        try:
            day = dt.date.fromisoformat(day)
        except ValueError:
            raise ObservationError(f"{where}: 'date' must be a date like 2026-11-20") from None
    if not isinstance(day, dt.date):
        raise ObservationError(f"{where}: 'date' (when it was observed, e.g. 2026-11-20) is required")
    values: dict[str, float] = {}
    for key in MEASURES:
        if key in row:
            value = row[key]
            if not finite(value) or value < 0:  # nan, inf, true and "4" are not measures
                raise ObservationError(f"{where}: {key!r} must be a finite number ≥ 0, not {short(value)}")
            values[key] = float(value)
    if not values:
        raise ObservationError(f"{where}: give at least one of {', '.join(MEASURES)}")
    note = row.get("note", "")
    if not isinstance(note, str):
        raise ObservationError(f"{where}: 'note' must be text")
    return Observation(_host(company), day.isoformat()[:10], note.strip(), values)


def _host(company: str) -> str:
    text = company.strip().lower()
    text = text.split("//", 1)[-1].split("/", 1)[0]
    return text.removeprefix("www.")


def companies_of(observations: list[Observation]) -> set[str]:
    """The hosts the observations are about."""
    return {o.company for o in observations}


def evidence_for(observations: list[Observation], company_url: str) -> Evidence | None:
    """The manual evidence of the company at ``company_url`` (medians of its observations), if any."""
    host = _host(company_url)
    mine = sorted((o for o in observations if o.company == host), key=lambda o: o.date)
    if not mine:
        return None
    metrics: dict[str, float | None] = {"manual.observations": float(len(mine))}
    for key, metric in MEASURES.items():
        values = [o.values[key] for o in mine if key in o.values]
        if values:
            metrics[metric] = median(values)
    findings = [
        Finding(
            "manual",
            company_url,
            {"date": o.date, **o.values},
            source_url=company_url,
            snippet=f"{o.date}: "
            + ", ".join(f"{k} = {v:g}" for k, v in o.values.items())
            + (f" — {o.note}" if o.note else ""),
            method=METHOD,
        )
        for o in mine
    ]
    return Evidence(
        probe=NAME,
        findings=findings,
        metrics=metrics,
        tried=[f"{len(mine)} manual observation(s) (method: manual)"],
        notes=[f.snippet for f in findings],
    )
