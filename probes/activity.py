"""What the activity probes share: API responses from the capture, times, windows and statistics.

Not a probe itself. The gather stage fetched what each probe's ``plan`` asked for (requests) and
stored the answers as pages found ``api:<probe>`` with the request's key; these helpers read them back
(:func:`answer`) and turn failures into one-line reasons
(a 403 ``login_required`` is "not public", a 429 is "rate limited", HTML where JSON was expected is
"not JSON"), so a probe can report ``None`` with the reason instead of guessing.

Windows end at the newest item of the source (a forum's newest topic, an account's newest post): the
figures describe the source's recent rhythm and are the same whenever the audit runs or is replayed.
How long ago that newest item was is reported separately (``*_age_days``, from the end of the crawl).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from audit.models import Page, Request, SiteCapture
from probes.response_times import median, percentile

#: Default API base URLs; ``--api-base NAME=URL`` overrides them (mastodon: the profile's own instance).
DEFAULT_API_BASES: dict[str, str] = {
    "bluesky": "https://public.api.bsky.app",
    "youtube": "https://www.youtube.com",
    "github": "https://api.github.com",
}

__all__ = ["median", "percentile"]


def api_base(api_bases: dict[str, str] | Any, name: str, default: str | None = None) -> str | None:
    """The base URL for API ``name`` without a trailing slash (an override, else the default)."""
    base = api_bases.get(name) or default or DEFAULT_API_BASES.get(name)
    return base.rstrip("/") if base else None


def fetched(capture: SiteCapture, url: str) -> Page | None:
    """The first API answer fetched from ``url``, if any (by URL: for tests and hand-made captures)."""
    for page in capture.pages:
        if page.url == url and page.found_via.startswith("api:"):
            return page
    return None


def keyed(capture: SiteCapture) -> bool:
    """True when the capture's API answers carry their requests' keys (every capture since keys exist)."""
    return any(p.request_key for p in capture.pages)


def answer(capture: SiteCapture, request: Request) -> Page | None:
    """The response the gather stage stored for a declared request, found by its key.

    A capture recorded before requests had keys (an older WARC) is read by the request's URL instead.
    """
    via = f"api:{request.probe}"
    by_url: Page | None = None
    keyed = False
    for page in capture.pages:
        if page.request_key:
            keyed = True
            if page.request_key == request.key and page.found_via == via:
                return page
        elif by_url is None and page.url == request.url and page.found_via.startswith("api:"):
            by_url = page
    return None if keyed else by_url


def failure(page: Page) -> str | None:
    """Why an API response cannot be used (one line), or ``None`` when it is a usable 2xx answer."""
    if page.error:
        return f"{page.url}: {page.error}"
    status = page.status or 0
    body = (page.text or "")[:400]
    if status in (401, 403):
        if "login_required" in body or "not_logged_in" in body or status == 401:
            return f"{page.url}: HTTP {status} login required (not public)"
        if "rate limit" in body.lower() or page.headers.get("x-ratelimit-remaining") == "0":
            return f"{page.url}: HTTP {status} rate limit reached"
        return f"{page.url}: HTTP {status} forbidden (not public)"
    if status == 429:
        wait = page.headers.get("retry-after")
        return f"{page.url}: HTTP 429 rate limited" + (f" (Retry-After {wait})" if wait else "")
    if not 200 <= status < 300:
        return f"{page.url}: HTTP {status}"
    return None


def load_json(page: Page) -> tuple[Any, str | None]:
    """(parsed JSON, None) or (None, reason): HTTP failures, HTML instead of JSON, malformed JSON."""
    reason = failure(page)
    if reason:
        return None, reason
    text = (page.text or "").strip()
    ctype = page.content_type.split(";")[0].strip().lower()
    if "html" in ctype or text[:1] == "<":
        return None, f"{page.url}: not JSON ({ctype or 'HTML'} answered)"
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        return None, f"{page.url}: malformed JSON ({exc.msg} at line {exc.lineno})"


def parse_time(value: Any) -> float | None:
    """Epoch seconds of an ISO 8601 time (``Z`` or an offset), or ``None`` when unreadable."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None  # a time without a zone cannot be compared honestly
    return moment.timestamp()


def hours(seconds: float) -> float:
    """Seconds as hours."""
    return seconds / 3600


def rounded(value: float | None, digits: int = 2) -> float | None:
    """``value`` rounded (``None`` stays ``None``)."""
    return None if value is None else round(value, digits)


def share(part: int, whole: int) -> float | None:
    """``part / whole`` rounded to 3 decimals, ``None`` for an empty whole."""
    return None if whole == 0 else round(part / whole, 3)


def age_days(reference: str, newest: float | None) -> float | None:
    """Days from ``newest`` (epoch) to ``reference`` (the capture's ISO ``finished_at``), one decimal."""
    end = parse_time(reference)
    if end is None or newest is None:
        return None
    return round(max(0.0, end - newest) / 86400, 1)


def in_window(times: list[float], days: int) -> list[float]:
    """The times within ``days`` of the newest one."""
    if not times:
        return []
    start = max(times) - days * 86400
    return [t for t in times if t >= start]


def stats(values: list[float]) -> tuple[float | None, float | None]:
    """(median, nearest-rank p90) in hours, rounded to 2 decimals."""
    return rounded(median(values)), rounded(percentile(values, 90))
