"""What every stand-in API shares: the fixture's API hosts, the activity window, times and JSON routes.

The expected (truth) figures are computed here with ``statistics`` — an implementation independent of
the probes that measure them. Windows end at the newest item of each source, so the figures never
depend on when a test runs; only ``*_age_days`` metrics are relative to the crawl.
"""

from __future__ import annotations

import json
import math
import statistics
from datetime import datetime, timedelta
from typing import Any

WINDOW_DAYS = 90

#: API base URLs of the fixture's third-party API hosts (``--api-base NAME=URL``); used by ``engage demo``.
API_BASES: dict[str, str] = {
    "bluesky": "http://bsky.api.test",
    "mastodon": "http://mastodon.api.test",
    "youtube": "http://youtube.api.test",
    "github": "http://github.api.test",
}


def iso(moment: datetime) -> str:
    """``2026-11-19T14:00:00Z``."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def at(text: str, hours: float = 0.0) -> datetime:
    """An ISO time (UTC) plus ``hours``."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")) + timedelta(hours=hours)


def p90(values: list[float]) -> float:
    """Nearest-rank 90th percentile."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(0.9 * len(ordered))) - 1]


def series(newest: str, step_days: float, count: int) -> list[datetime]:
    return [at(newest) - timedelta(days=step_days * i) for i in range(count)]


def json_route(data: Any, headers: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "status": 200,
        "content_type": "application/json; charset=utf-8",
        "headers": headers or {},
        "body": json.dumps(data, indent=1),
    }


def forum_truth(
    threads: list[tuple[str, datetime, list[tuple[bool, datetime]], bool]], has_solved: bool, method: str
) -> dict[str, Any]:
    """Expected forum metrics.

    ``threads``: ("staff" | "customer" opener, opened, [(staff?, reply time)], solved?).
    """
    anchor = max(opened for _a, opened, _r, _s in threads)
    start = anchor - timedelta(days=WINDOW_DAYS)
    window = [t for t in threads if t[1] >= start]
    customer = [t for t in window if t[0] == "customer"]
    first = [(r[0][1] - t[1]).total_seconds() / 3600 for t in customer if (r := t[2])]
    staff = [
        (min(w for s, w in t[2] if s) - t[1]).total_seconds() / 3600
        for t in customer
        if any(s for s, _ in t[2])
    ]

    def share(hours: float) -> float:
        return round(sum(1 for f in first if f <= hours) / len(customer), 3)

    return {
        "method": method,
        "window_days": WINDOW_DAYS,
        "topics_per_week": round(len(window) / WINDOW_DAYS * 7, 2),
        "topics_sampled": len(customer),
        "first_reply_hours_median": round(statistics.median(first), 2),
        "first_reply_hours_p90": round(p90(first), 2),
        "first_staff_reply_hours_median": round(statistics.median(staff), 2),
        "first_staff_reply_hours_p90": round(p90(staff), 2),
        "answered_24h_share": share(24),
        "answered_72h_share": share(72),
        "solved_share": round(sum(1 for t in customer if t[3]) / len(customer), 3) if has_solved else None,
        "staff_participation_share": round(len(staff) / len(customer), 3),
    }


def account_truth(
    times: list[datetime], conversation: int, followers: int, window_posts: int
) -> dict[str, Any]:
    newest = max(times)
    in_window = [t for t in times if t >= newest - timedelta(days=WINDOW_DAYS)]
    assert len(in_window) == window_posts
    return {
        "posts_90d": len(in_window),
        "reply_share": round(conversation / len(in_window), 3),
        "followers": followers,
        "last_post_at": iso(newest),
    }
