"""Slack-compatible notifications: ``{"text": …}`` plus an ``engage`` object with the structured changes.

Posted after the results are stored and the report written, with a timeout per attempt and a few
retries with backoff; a webhook that cannot be delivered becomes a warning on the run, never an error.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import requests

from audit import __version__
from audit.history.diff import summarize

TIMEOUT_S = 5.0  # per attempt (connect and read)
ATTEMPTS = 3
BACKOFF_S = 0.5  # doubled after each failed attempt


def payload(
    project: str | None,
    run_id: int,
    previous_run_id: int | None,
    audit: dict[str, Any],
    changes: Sequence[dict[str, Any]],
    report: str | None,
) -> dict[str, Any]:
    """The JSON body: Slack reads ``text``; scripts read ``engage``."""
    title = (
        f"Engage — {project or audit.get('client', '')}: {len(changes)} change(s) since run {previous_run_id}"
    )
    text = f"{title}\n{summarize(changes)}"
    if report:
        text += f"\nReport: {report}"
    return {
        "text": text,
        "engage": {
            "project": project,
            "run_id": run_id,
            "previous_run_id": previous_run_id,
            "client": audit.get("client"),
            "status": audit.get("status"),
            "finished_at": audit.get("finished_at"),
            "model": {k: audit.get("model", {}).get(k) for k in ("id", "version")},
            "changes": list(changes),
            "report": report,
        },
    }


def post(
    url: str,
    body: dict[str, Any],
    timeout: float = TIMEOUT_S,
    attempts: int = ATTEMPTS,
    backoff: float = BACKOFF_S,
) -> str | None:
    """POST ``body``; ``None`` when delivered, else why not. Retries connection errors, 429 and 5xx."""
    problem = "not attempted"
    delay = backoff
    headers = {"User-Agent": f"Engage/{__version__} (webhook)"}
    for attempt in range(1, attempts + 1):
        try:
            resp = requests.post(url, json=body, timeout=(timeout, timeout), headers=headers)
        except requests.RequestException as exc:
            problem = f"{type(exc).__name__}"
        else:
            if resp.status_code < 300:
                return None
            problem = f"HTTP {resp.status_code}"
            if resp.status_code < 500 and resp.status_code != 429:
                break  # the receiver refuses this request: retrying will not help
        if attempt < attempts:
            time.sleep(delay)
            delay *= 2
    return f"webhook {url} not delivered after {attempt} attempt(s): {problem}"
