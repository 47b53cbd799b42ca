"""What the social platforms share: an account's measurement, paging through a feed, finding answers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from audit.models import Finding, Page, Request, SiteCapture
from probes.activity import answer, in_window, keyed, load_json, parse_time

NAME = "social_activity"  # the probe that plans the platforms' requests and reports their metrics
NextRequest = Callable[[Request, Any, Page], "Request | None"]


@dataclass
class Account:
    """What was measured for one account: post times, conversation replies, followers, or the failure."""

    platform: str
    url: str
    times: list[float] = field(default_factory=list)
    replies: int = 0  # posts in the window that reply to other accounts
    reply_times: list[float] = field(default_factory=list)
    followers: float | None = None
    reason: str | None = None


def feed_pages(
    capture: SiteCapture, first: Request, next_of: NextRequest
) -> tuple[list[tuple[Page, Any]], list[Request]]:
    """(fetched (page, data) pairs in order, requests still to fetch), following ``next_of`` while useful."""
    out: list[tuple[Page, Any]] = []
    request: Request | None = first
    times: list[float] = []
    for _ in range(capture.limits.max_feed_pages):
        if request is None:
            break
        page = answer(capture, request)
        if page is None:
            return out, [request]
        data, reason = load_json(page)
        out.append((page, data))
        if reason:
            break
        times += feed_times(data)
        if times and min(times) < max(times) - capture.limits.activity_window_days * 86400:
            break  # the window is covered
        request = next_of(first, data, page)
    return out, []


def feed_times(data: Any) -> list[float]:
    items = data.get("feed") if isinstance(data, dict) else data
    out = []
    for item in items or []:
        when = item_time(item)
        if when is not None:
            out.append(when)
    return out


def item_time(item: Any) -> float | None:
    if not isinstance(item, dict):
        return None
    if "post" in item and isinstance(item["post"], dict):
        record = item["post"].get("record") or {}
        return parse_time(record.get("createdAt") or item["post"].get("indexedAt"))
    return parse_time(item.get("created_at"))


def answer_or(capture: SiteCapture, key: str, legacy: Callable[[], Page | None]) -> Page | None:
    """The answer to this probe's request ``key``; in a capture recorded before requests had keys (an
    older WARC), the page ``legacy`` finds by its URL."""
    return capture.response(NAME, key) if keyed(capture) else legacy()


def api_pages(capture: SiteCapture, path_part: str, query_part: str) -> list[Page]:
    """Pages fetched by this probe whose URL contains both parts, in fetch order (older captures)."""
    return [
        p
        for p in capture.pages
        if p.found_via == f"api:{NAME}" and path_part in p.url and query_part in p.url
    ]


def count_replies(account: Account, days: int) -> None:
    window = set(in_window(account.times, days))
    account.replies = sum(1 for t in account.reply_times if t in window)


def number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class Platform:
    """A social platform whose accounts' activity can be measured (one module of ``probes/social``).

    ``metrics``: the names under ``social.<id>.`` it fills (posts in the window, age of the newest, then,
    for a ``conversation`` platform, ``reply_share`` and ``followers``); ``conversation``: its posts can
    reply to other accounts (they count in ``social.reply_share``); ``plan(capture, api_bases, account)``:
    the requests an account needs; ``measure(capture, account)``: what its answers say.
    """

    id: str
    metrics: tuple[str, ...]
    conversation: bool
    plan: Callable[[SiteCapture, Mapping[str, str], Finding], list[Request]]
    measure: Callable[[SiteCapture, Finding], Account]
