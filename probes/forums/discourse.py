"""Discourse forums through their JSON API: ``/latest.json`` pages, ``/t/{id}.json`` topics (later posts by
id), ``/about.json`` for the staff list. A staff reply is one whose author carries Discourse's
``staff``/``moderator``/``admin`` flag or is listed as admin/moderator in ``/about.json``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from audit.models import Request, SiteCapture
from probes.activity import answer, load_json, parse_time
from probes.base import ParsedPage, safe_urlsplit
from probes.forum_activity import (
    PROBE,
    Engine,
    ForumActivity,
    Thread,
    thread_metrics,
    unmeasured,
)

ID = "discourse"
METHOD = "discourse-api"
POSTS_PER_REQUEST = 20  # post ids asked per /t/{id}/posts.json request (Discourse's own chunk size)
MAX_POST_REQUESTS = 5  # later-post requests per topic (posts 21 to 120 of its stream)

# --- Discourse: requests -------------------------------------------------------------------------------


LATEST_KEY = "discourse:latest"


def latest_url(root: str) -> str:
    """The first page of a Discourse forum's topic list (JSON)."""
    return root.rstrip("/") + "/latest.json"


def latest_request(root: str) -> Request:
    """The first page of the topic list, as a declared request."""
    return Request(PROBE, LATEST_KEY, latest_url(root))


def _list_request(root: str, more: str) -> Request:
    url = next_list_url(root, more)
    return Request(PROBE, f"discourse:list:{url.removeprefix(root.rstrip('/'))}", url)


def _about_request(root: str) -> Request:
    return Request(PROBE, "discourse:about", root.rstrip("/") + "/about.json")


def _topic_request(root: str, topic_id: Any) -> Request:
    return Request(PROBE, f"discourse:topic:{topic_id}", _topic_url(root, topic_id))


def _posts_request(root: str, topic_id: Any, post_ids: list[int]) -> Request:
    key = f"discourse:posts:{topic_id}:{','.join(str(i) for i in post_ids)}"
    return Request(PROBE, key, posts_url(root, topic_id, post_ids))


def next_list_url(root: str, more: str) -> str:
    """``more_topics_url`` (``/latest?page=1``) as a JSON URL on ``root``."""
    path, _, query = more.partition("?")
    path = safe_urlsplit(path).path or "/latest"
    url = root.rstrip("/") + path + ("" if path.endswith(".json") else ".json")
    return f"{url}?{query}" if query else url


@dataclass
class _Listing:
    topics: list[dict[str, Any]] = field(default_factory=list)
    pending: list[Request] = field(default_factory=list)  # list pages still to fetch
    reason: str | None = None  # why the list could not be read
    cut: bool = False  # stopped at max_forum_list_pages before reaching the window's start


def _list_pages(capture: SiteCapture, root: str) -> _Listing:
    """The topic list as far as it was fetched (paging through ``more_topics_url``)."""
    out = _Listing()
    request: Request | None = latest_request(root)
    days = capture.limits.activity_window_days
    for _ in range(capture.limits.max_forum_list_pages):
        if request is None:
            return out
        page = answer(capture, request)
        if page is None:
            out.pending = [request]
            return out
        data, reason = load_json(page)
        if reason:
            out.reason = reason
            return out
        topic_list = data.get("topic_list") if isinstance(data, dict) else None
        if not isinstance(topic_list, dict):
            out.reason = f"{request.url}: no topic_list in the answer"
            return out
        out.topics.extend(t for t in topic_list.get("topics") or [] if isinstance(t, dict))
        more = topic_list.get("more_topics_url")
        request = (
            _list_request(root, more)
            if isinstance(more, str) and more and _window_open(out.topics, days)
            else None
        )
    out.cut = request is not None
    return out


def _window_open(topics: list[dict[str, Any]], days: int) -> bool:
    """True while the list has not yet reached topics last active before the window's start."""
    regular = [t for t in topics if not t.get("pinned")]
    created = [c for t in regular if (c := parse_time(t.get("created_at"))) is not None]
    bumped = [
        b for t in regular if (b := parse_time(t.get("bumped_at") or t.get("last_posted_at"))) is not None
    ]
    if not created or not bumped:
        return True
    return min(bumped) >= max(created) - days * 86400


def _window_topics(topics: list[dict[str, Any]], days: int) -> list[dict[str, Any]]:
    regular = [t for t in topics if not t.get("pinned") and parse_time(t.get("created_at")) is not None]
    if not regular:
        return []
    anchor = max(parse_time(t["created_at"]) or 0.0 for t in regular)
    start = anchor - days * 86400
    return [t for t in regular if (parse_time(t["created_at"]) or 0.0) >= start]


def plan_discourse(capture: SiteCapture, root: str) -> list[Request]:
    """The Discourse requests still needed: about.json, list pages, then the window's topic details."""
    listing = _list_pages(capture, root)
    requests = [_about_request(root), *listing.pending]
    window = _window_topics(listing.topics, capture.limits.activity_window_days)
    staff_names = _about_staff(capture, root)
    later = []
    for topic in window[: capture.limits.max_forum_topics]:
        page = answer(capture, _topic_request(root, topic.get("id")))
        data, why = load_json(page) if page is not None else (None, "not fetched")
        if not why:
            later.append(_topic_posts(capture, root, topic["id"], data, staff_names)[1])
    return (
        requests + _topic_requests(root, window[: capture.limits.max_forum_topics]) + [r for r in later if r]
    )


def _topic_url(root: str, topic_id: Any) -> str:
    return f"{root.rstrip('/')}/t/{topic_id}.json"


def posts_url(root: str, topic_id: Any, post_ids: list[int]) -> str:
    """The request for posts of a topic by id (those of ``post_stream.stream`` beyond the first chunk)."""
    ids = "&".join(f"post_ids[]={i}" for i in post_ids)
    return f"{root.rstrip('/')}/t/{topic_id}/posts.json?{ids}"


def _topic_posts(
    capture: SiteCapture, root: str, topic_id: Any, data: Any, staff_names: set[str]
) -> tuple[Any, Request | None]:
    """(``/t/{id}.json`` with its later posts merged in, the next posts request still to fetch).

    ``/t/{id}.json`` carries only the first 20 posts; the ids of all of them are in ``post_stream.stream``.
    Later posts are asked 20 at a time, in stream order, until a staff reply is seen (what the first
    reply and first staff reply need), the topic turns out staff-opened, or ``MAX_POST_REQUESTS`` is spent.
    """
    stream_data = data.get("post_stream") if isinstance(data, dict) else None
    if not isinstance(stream_data, dict) or not isinstance(stream_data.get("posts"), list):
        return data, None
    posts = [p for p in stream_data["posts"] if isinstance(p, dict)]
    have = {p.get("id") for p in posts}
    missing = [i for i in stream_data.get("stream") or [] if isinstance(i, int) and i not in have]
    merged = dict(data, post_stream=dict(stream_data, posts=posts))
    for start in range(0, min(len(missing), MAX_POST_REQUESTS * POSTS_PER_REQUEST), POSTS_PER_REQUEST):
        thread = discourse_thread(merged, staff_names, False)
        if thread is None or thread.staff_opened or any(staff for _, staff in thread.replies):
            break
        request = _posts_request(root, topic_id, missing[start : start + POSTS_PER_REQUEST])
        page = answer(capture, request)
        if page is None:
            return merged, request
        more, why = load_json(page)
        later = (more.get("post_stream") or {}).get("posts") if isinstance(more, dict) and not why else None
        if not isinstance(later, list):
            break  # an unreadable chunk: measure what was read
        posts = posts + [p for p in later if isinstance(p, dict) and p.get("id") not in have]
        have |= {p.get("id") for p in posts}
        merged["post_stream"] = dict(stream_data, posts=posts)
    return merged, None


def _topic_requests(root: str, topics: list[dict[str, Any]]) -> list[Request]:
    return [_topic_request(root, t["id"]) for t in topics if isinstance(t.get("id"), int)]


# --- Discourse: metrics --------------------------------------------------------------------------------


def discourse_activity(capture: SiteCapture, root: str) -> ForumActivity:
    """The forum metrics of a Discourse forum, from the JSON answers in the capture."""
    method = METHOD
    first = answer(capture, latest_request(root))
    if first is None:
        return unmeasured(
            f"Discourse forum {root}: its JSON API was not fetched (robots.txt or budget)", method
        )
    listing = _list_pages(capture, root)
    if listing.reason:
        return unmeasured(f"Discourse forum {root}: {listing.reason}", method)
    window = _window_topics(listing.topics, capture.limits.activity_window_days)
    if not window:
        result = unmeasured(f"Discourse forum {root}: no topics, nothing to measure", method)
        result.metrics.update({"community.topics_per_week": 0.0, "community.topics_sampled": 0.0})
        result.metrics["community.window_days"] = float(capture.limits.activity_window_days)
        return result
    staff_names = _about_staff(capture, root)
    threads, notes = [], []
    skipped: dict[str, int] = {}
    for topic in window[: capture.limits.max_forum_topics]:
        page = answer(capture, _topic_request(root, topic["id"]))
        if page is None:
            skipped["not fetched"] = skipped.get("not fetched", 0) + 1
            continue
        data, why = load_json(page)
        if why:
            key = "private (HTTP 403/404)" if page.status in (403, 404) else "failed"
            skipped[key] = skipped.get(key, 0) + 1
            continue
        data, _ = _topic_posts(capture, root, topic["id"], data, staff_names)
        thread = discourse_thread(data, staff_names, bool(topic.get("has_accepted_answer")))
        if thread is not None:
            threads.append(thread)
    if skipped:
        notes.append("topics skipped: " + ", ".join(f"{n} {k}" for k, n in sorted(skipped.items())))
    days = _window_days(window) if listing.cut else float(capture.limits.activity_window_days)
    if listing.cut:
        pages = capture.limits.max_forum_list_pages
        notes.append(f"topic list cut after {pages} pages: the window covers {days:g} days")
    result = thread_metrics(threads, len(window), days, capture.finished_at, method)
    result.notes = notes + result.notes
    return result


def _window_days(window: list[dict[str, Any]]) -> float:
    """The span in days the listed topics cover when the list was cut before the window's start."""
    created = [parse_time(t["created_at"]) or 0.0 for t in window]
    return max(1.0, round((max(created) - min(created)) / 86400, 1))


def _about_staff(capture: SiteCapture, root: str) -> set[str]:
    page = answer(capture, _about_request(root))
    if page is None:
        return set()
    data, reason = load_json(page)
    about = data.get("about") if isinstance(data, dict) and not reason else None
    if not isinstance(about, dict):
        return set()
    users = [u for key in ("admins", "moderators") for u in about.get(key) or [] if isinstance(u, dict)]
    return {str(u.get("username", "")).lower() for u in users if u.get("username")}


def discourse_thread(data: Any, staff_names: set[str], listed_solved: bool) -> Thread | None:
    """A ``Thread`` from a ``/t/{id}.json`` answer (``None`` when it has no readable first post)."""
    posts = data.get("post_stream", {}).get("posts") if isinstance(data, dict) else None
    if not isinstance(posts, list):
        return None
    posts = sorted((p for p in posts if isinstance(p, dict)), key=lambda p: p.get("post_number") or 0)
    if not posts or posts[0].get("post_number") != 1:
        return None
    opener = posts[0]
    opened = parse_time(opener.get("created_at"))
    if opened is None:
        return None
    author = str(opener.get("username", "")).lower()

    def is_staff(p: dict[str, Any]) -> bool:
        flags = any(p.get(k) is True for k in ("staff", "moderator", "admin"))
        return flags or str(p.get("username", "")).lower() in staff_names

    replies = []
    for p in posts[1:]:
        when = parse_time(p.get("created_at"))
        if when is None or p.get("post_type", 1) != 1 or str(p.get("username", "")).lower() == author:
            continue
        replies.append((when, is_staff(p)))
    solved = (
        listed_solved
        or bool(data.get("accepted_answer"))
        or bool(data.get("accepted_answers"))
        or any(p.get("accepted_answer") is True for p in posts)
    )
    return Thread(opened, is_staff(opener), replies, solved)


def api_root(capture: SiteCapture) -> str | None:
    """The base URL the Discourse API was fetched from (the forum itself, or a ``--api-base`` override):
    that of the answer to the topic-list request (by URL in a capture recorded before requests had keys)."""
    keyed = capture.response(PROBE, LATEST_KEY)
    if keyed is not None:
        return keyed.url.removesuffix("latest.json")
    for page in capture.pages:
        latest = safe_urlsplit(page.url).path.endswith("/latest.json") and "?" not in page.url
        if page.found_via == f"api:{PROBE}" and latest:
            return page.url.removesuffix("latest.json")
    return None


def plan(capture: SiteCapture, api_bases: Mapping[str, str], root: str) -> list[Request]:
    """The requests for the forum at ``root`` (or at a ``discourse=`` API base)."""
    return plan_discourse(capture, (api_bases.get("discourse") or root).rstrip("/") + "/")


def measure(capture: SiteCapture, root: str, _pages: list[ParsedPage]) -> ForumActivity:
    """The forum's activity from the API answers, wherever the API was fetched from."""
    return discourse_activity(capture, api_root(capture) or root)


ENGINE = Engine(ID, METHOD, measure, plan)
