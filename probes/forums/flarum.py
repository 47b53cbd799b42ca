"""Flarum forums through their public JSON:API: the newest discussions, then each discussion of the window
with its posts, users and groups; staff are the Admin and Mod groups or groups named staff/team."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from audit.models import Request, SiteCapture
from probes.activity import answer, load_json, parse_time
from probes.base import ParsedPage
from probes.forum_activity import (
    PROBE,
    Engine,
    ForumActivity,
    Thread,
    thread_metrics,
    unmeasured,
)

ID = "flarum"
METHOD = "flarum-api"

#: Flarum's default Admin (1) and Mod (4) groups; other staff groups are recognised by name.
_FLARUM_STAFF_GROUPS = frozenset({"1", "4"})
_FLARUM_STAFF_NAMES = frozenset({"admin", "mod", "moderator", "staff", "team"})


def flarum_list_url(root: str) -> str:
    """The newest discussions (one page of 50: Flarum's list is best effort, no deeper paging)."""
    return f"{root.rstrip('/')}/api/discussions?sort=-createdAt&page[limit]=50"


def _flarum_list_request(root: str) -> Request:
    return Request(PROBE, f"flarum:{root.rstrip('/')}:discussions", flarum_list_url(root))


def _flarum_request(root: str, discussion_id: Any) -> Request:
    url = f"{root.rstrip('/')}/api/discussions/{discussion_id}"
    return Request(PROBE, f"flarum:{root.rstrip('/')}:discussion:{discussion_id}", url)


def _flarum_discussions(capture: SiteCapture, root: str) -> tuple[list[dict[str, Any]], str | None]:
    page = answer(capture, _flarum_list_request(root))
    if page is None:
        return [], None
    data, reason = load_json(page)
    if reason:
        return [], reason
    items = data.get("data") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return [], f"{page.url}: no discussions in the answer"
    return [d for d in items if isinstance(d, dict) and d.get("type") == "discussions"], None


def _flarum_window(discussions: list[dict[str, Any]], days: int) -> list[dict[str, Any]]:
    regular = [
        d
        for d in discussions
        if not (d.get("attributes") or {}).get("isSticky")
        and parse_time((d.get("attributes") or {}).get("createdAt")) is not None
    ]
    if not regular:
        return []
    anchor = max(parse_time(d["attributes"]["createdAt"]) or 0.0 for d in regular)
    start = anchor - days * 86400
    return [d for d in regular if (parse_time(d["attributes"]["createdAt"]) or 0.0) >= start]


def plan_flarum(capture: SiteCapture, root: str) -> list[Request]:
    """The Flarum requests still needed: the discussion list, then each discussion of the window."""
    discussions, _ = _flarum_discussions(capture, root)
    limits = capture.limits
    window = _flarum_window(discussions, limits.activity_window_days)[: limits.max_forum_topics]
    return [_flarum_list_request(root), *(_flarum_request(root, d["id"]) for d in window)]


def flarum_activity(capture: SiteCapture, root: str) -> ForumActivity:
    """The forum metrics of a Flarum forum, from its JSON:API answers in the capture."""
    method = METHOD
    if answer(capture, _flarum_list_request(root)) is None:
        return unmeasured(f"Flarum forum {root}: its JSON:API was not fetched (robots.txt or budget)", method)
    discussions, reason = _flarum_discussions(capture, root)
    if reason:
        return unmeasured(f"Flarum forum {root}: {reason}", method)
    window = _flarum_window(discussions, capture.limits.activity_window_days)
    threads = []
    for d in window[: capture.limits.max_forum_topics]:
        page = answer(capture, _flarum_request(root, d["id"]))
        data, why = load_json(page) if page is not None else (None, "not fetched")
        if not why and (thread := flarum_thread(data)) is not None:
            threads.append(thread)
    days = float(capture.limits.activity_window_days)
    return thread_metrics(threads, len(window), days, capture.finished_at, method)


def flarum_thread(data: Any) -> Thread | None:
    """A discussion document (``include``d posts, users, groups) as a thread."""
    if not isinstance(data, dict) or not isinstance(data.get("data"), dict):
        return None
    included = [i for i in data.get("included") or [] if isinstance(i, dict)]
    discussion = data["data"]
    attrs = discussion.get("attributes") or {}
    opened = parse_time(attrs.get("createdAt"))
    author = _rel_id(discussion, "user")
    if opened is None:
        return None
    groups = {i["id"]: i.get("attributes") or {} for i in included if i.get("type") == "groups" and "id" in i}
    staff = {
        i["id"]
        for i in included
        if i.get("type") == "users"
        and any(
            g in _FLARUM_STAFF_GROUPS
            or str(groups.get(g, {}).get("nameSingular", "")).lower() in _FLARUM_STAFF_NAMES
            for g in _rel_ids(i, "groups")
        )
    }
    replies = []
    for post in (i for i in included if i.get("type") == "posts"):
        post_attrs = post.get("attributes") or {}
        when = parse_time(post_attrs.get("createdAt"))
        user = _rel_id(post, "user")
        if post_attrs.get("contentType", "comment") != "comment" or when is None or user == author:
            continue
        replies.append((when, user in staff))
    solved = attrs.get("hasBestAnswer")
    return Thread(opened, author in staff, sorted(replies), bool(solved) if solved is not None else None)


def _rel_id(item: dict[str, Any], name: str) -> str | None:
    data = ((item.get("relationships") or {}).get(name) or {}).get("data")
    return str(data["id"]) if isinstance(data, dict) and "id" in data else None


def _rel_ids(item: dict[str, Any], name: str) -> list[str]:
    data = ((item.get("relationships") or {}).get(name) or {}).get("data")
    return [str(d["id"]) for d in data if isinstance(d, dict) and "id" in d] if isinstance(data, list) else []


def plan(capture: SiteCapture, _api_bases: Mapping[str, str], root: str) -> list[Request]:
    """The requests for the forum at ``root``."""
    return plan_flarum(capture, root)


def measure(capture: SiteCapture, root: str, _pages: list[ParsedPage]) -> ForumActivity:
    """The forum's activity from its JSON:API answers."""
    return flarum_activity(capture, root)


ENGINE = Engine(ID, METHOD, measure, plan)
