"""Forum activity and responsiveness: Discourse through its JSON API, other forums from HTML thread pages.

Not a probe of its own: ``probes/community.py`` plans the requests and reports the metrics. The sample
is the topics *opened by customers* (not staff, not pinned) within ``WINDOW_DAYS`` of the newest topic.
A reply is a regular post by anyone but the topic's author; a staff reply one whose author carries
Discourse's ``staff``/``moderator``/``admin`` flag or is listed as admin/moderator in ``/about.json``.
Medians and p90 are over the topics that got such a reply; the answered-within shares count every sampled
topic old enough to have had the full 24 h / 72 h before the crawl ended, unanswered ones included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bs4 import Tag

from audit.models import Request, SiteCapture, explain
from probes.activity import WINDOW_DAYS, answer, hours, load_json, parse_time, share, stats
from probes.base import ParsedPage, attr_text, safe_urlsplit, tag_text

MAX_LIST_PAGES = 5  # latest.json pages read per forum
MAX_TOPICS = 50  # topic details fetched per forum
POSTS_PER_REQUEST = 20  # post ids asked per /t/{id}/posts.json request (Discourse's own chunk size)
MAX_POST_REQUESTS = 5  # later-post requests per topic (posts 21 to 120 of its stream)

METRICS = (
    "community.topics_per_week",
    "community.first_reply_hours_median",
    "community.first_reply_hours_p90",
    "community.first_staff_reply_hours_median",
    "community.first_staff_reply_hours_p90",
    "community.answered_24h_share",
    "community.answered_72h_share",
    "community.solved_share",
    "community.staff_participation_share",
    "community.topics_sampled",
    "community.window_days",
)


@dataclass
class Thread:
    """One topic: when it was opened, by staff or not, its replies (time, by staff?), solved or not."""

    opened: float
    staff_opened: bool
    replies: list[tuple[float, bool]] = field(default_factory=list)
    solved: bool | None = None  # None: the platform has no accepted answers


@dataclass
class ForumActivity:
    """Metrics and notes of one forum, and how they were measured."""

    metrics: dict[str, float | None]
    notes: list[str]
    method: str
    root: str = ""  # the forum measured
    reasons: dict[str, str] = field(default_factory=dict)  # metric → why it has no value (``Evidence``)


def unmeasured(reason: str, method: str = "") -> ForumActivity:
    """Every forum metric ``None``, with the reason."""
    return ForumActivity(dict.fromkeys(METRICS), [reason], method)


# --- Discourse: requests -------------------------------------------------------------------------------


PROBE = "community"  # the probe that plans the forum requests and reports the forum metrics
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
    cut: bool = False  # stopped at MAX_LIST_PAGES before reaching the window's start


def _list_pages(capture: SiteCapture, root: str) -> _Listing:
    """The topic list as far as it was fetched (paging through ``more_topics_url``)."""
    out = _Listing()
    request: Request | None = latest_request(root)
    for _ in range(MAX_LIST_PAGES):
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
            _list_request(root, more) if isinstance(more, str) and more and _window_open(out.topics) else None
        )
    out.cut = request is not None
    return out


def _window_open(topics: list[dict[str, Any]]) -> bool:
    """True while the list has not yet reached topics last active before the window's start."""
    regular = [t for t in topics if not t.get("pinned")]
    created = [c for t in regular if (c := parse_time(t.get("created_at"))) is not None]
    bumped = [
        b for t in regular if (b := parse_time(t.get("bumped_at") or t.get("last_posted_at"))) is not None
    ]
    if not created or not bumped:
        return True
    return min(bumped) >= max(created) - WINDOW_DAYS * 86400


def _window_topics(topics: list[dict[str, Any]]) -> list[dict[str, Any]]:
    regular = [t for t in topics if not t.get("pinned") and parse_time(t.get("created_at")) is not None]
    if not regular:
        return []
    anchor = max(parse_time(t["created_at"]) or 0.0 for t in regular)
    start = anchor - WINDOW_DAYS * 86400
    return [t for t in regular if (parse_time(t["created_at"]) or 0.0) >= start]


def plan_discourse(capture: SiteCapture, root: str) -> list[Request]:
    """The Discourse requests still needed: about.json, list pages, then the window's topic details."""
    listing = _list_pages(capture, root)
    requests = [_about_request(root), *listing.pending]
    window = _window_topics(listing.topics)
    staff_names = _about_staff(capture, root)
    later = []
    for topic in window[:MAX_TOPICS]:
        page = answer(capture, _topic_request(root, topic.get("id")))
        data, why = load_json(page) if page is not None else (None, "not fetched")
        if not why:
            later.append(_topic_posts(capture, root, topic["id"], data, staff_names)[1])
    return requests + _topic_requests(root, window) + [r for r in later if r]


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
    return [_topic_request(root, t["id"]) for t in topics[:MAX_TOPICS] if isinstance(t.get("id"), int)]


# --- Discourse: metrics --------------------------------------------------------------------------------


def discourse_activity(capture: SiteCapture, root: str) -> ForumActivity:
    """The forum metrics of a Discourse forum, from the JSON answers in the capture."""
    method = "discourse-api"
    first = answer(capture, latest_request(root))
    if first is None:
        return unmeasured(
            f"Discourse forum {root}: its JSON API was not fetched (robots.txt or budget)", method
        )
    listing = _list_pages(capture, root)
    if listing.reason:
        return unmeasured(f"Discourse forum {root}: {listing.reason}", method)
    window = _window_topics(listing.topics)
    if not window:
        result = unmeasured(f"Discourse forum {root}: no topics, nothing to measure", method)
        result.metrics.update({"community.topics_per_week": 0.0, "community.topics_sampled": 0.0})
        result.metrics["community.window_days"] = float(WINDOW_DAYS)
        return result
    staff_names = _about_staff(capture, root)
    threads, notes = [], []
    skipped: dict[str, int] = {}
    for topic in window[:MAX_TOPICS]:
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
    days = _window_days(window) if listing.cut else float(WINDOW_DAYS)
    if listing.cut:
        notes.append(f"topic list cut after {MAX_LIST_PAGES} pages: the window covers {days:g} days")
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


# --- Flarum: the public JSON:API -----------------------------------------------------------------------

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


def _flarum_window(discussions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    regular = [
        d
        for d in discussions
        if not (d.get("attributes") or {}).get("isSticky")
        and parse_time((d.get("attributes") or {}).get("createdAt")) is not None
    ]
    if not regular:
        return []
    anchor = max(parse_time(d["attributes"]["createdAt"]) or 0.0 for d in regular)
    start = anchor - WINDOW_DAYS * 86400
    return [d for d in regular if (parse_time(d["attributes"]["createdAt"]) or 0.0) >= start]


def plan_flarum(capture: SiteCapture, root: str) -> list[Request]:
    """The Flarum requests still needed: the discussion list, then each discussion of the window."""
    discussions, _ = _flarum_discussions(capture, root)
    window = _flarum_window(discussions)[:MAX_TOPICS]
    return [_flarum_list_request(root), *(_flarum_request(root, d["id"]) for d in window)]


def flarum_activity(capture: SiteCapture, root: str) -> ForumActivity:
    """The forum metrics of a Flarum forum, from its JSON:API answers in the capture."""
    method = "flarum-api"
    if answer(capture, _flarum_list_request(root)) is None:
        return unmeasured(f"Flarum forum {root}: its JSON:API was not fetched (robots.txt or budget)", method)
    discussions, reason = _flarum_discussions(capture, root)
    if reason:
        return unmeasured(f"Flarum forum {root}: {reason}", method)
    window = _flarum_window(discussions)
    threads = []
    for d in window[:MAX_TOPICS]:
        page = answer(capture, _flarum_request(root, d["id"]))
        data, why = load_json(page) if page is not None else (None, "not fetched")
        if not why and (thread := flarum_thread(data)) is not None:
            threads.append(thread)
    return thread_metrics(threads, len(window), float(WINDOW_DAYS), capture.finished_at, method)


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


# --- shared statistics ---------------------------------------------------------------------------------


def thread_metrics(
    threads: list[Thread], topics_in_window: int, window_days: float, finished_at: str, method: str
) -> ForumActivity:
    """The forum metrics of the sampled threads (customer-opened ones), with notes for what is missing."""
    sample = [t for t in threads if not t.staff_opened]
    notes = [f"measured from {method}: {len(sample)} customer topic(s) in a {window_days:g}-day window"]
    reasons: dict[str, str] = {}
    first = [min(w for w, _ in t.replies) - t.opened for t in sample if t.replies]
    staff = [min(w for w, s in t.replies if s) - t.opened for t in sample if any(s for _, s in t.replies)]
    first_median, first_p90 = stats([hours(x) for x in first])
    staff_median, staff_p90 = stats([hours(x) for x in staff])
    end = parse_time(finished_at)
    metrics: dict[str, float | None] = {
        "community.topics_per_week": round(topics_in_window / window_days * 7, 2),
        "community.first_reply_hours_median": first_median,
        "community.first_reply_hours_p90": first_p90,
        "community.first_staff_reply_hours_median": staff_median,
        "community.first_staff_reply_hours_p90": staff_p90,
        "community.answered_24h_share": _answered_share(sample, 24, end),
        "community.answered_72h_share": _answered_share(sample, 72, end),
        "community.solved_share": None,
        "community.staff_participation_share": share(len(staff), len(sample)),
        "community.topics_sampled": float(len(sample)),
        "community.window_days": float(window_days),
    }
    if all(t.solved is not None for t in sample) and sample:
        metrics["community.solved_share"] = share(sum(1 for t in sample if t.solved), len(sample))
    else:
        explain(notes, reasons, "community.solved_share", "this forum shows no accepted answers")
    if not sample:
        notes.append("no customer topics in the window: reply times not measurable")
    elif not first:
        notes.append("no sampled topic got a reply")
    elif not staff:
        explain(
            notes, reasons, "community.first_staff_reply_hours_median", "no staff reply in the sampled topics"
        )
    return ForumActivity(metrics, notes, method, reasons=reasons)


def _answered_share(sample: list[Thread], within: float, end: float | None) -> float | None:
    """Share of topics answered within ``within`` hours, among those old enough to have had that long."""
    eligible = [t for t in sample if end is None or end - t.opened >= within * 3600]
    answered = [t for t in eligible if t.replies and min(w for w, _ in t.replies) - t.opened <= within * 3600]
    return share(len(answered), len(eligible))


# --- other forums: HTML thread pages with machine-readable times ---------------------------------------

_POST_SELECTORS = "div.post, article.message, li.Item, [itemprop=comment], .crawler-post"
_AUTHOR_SELECTORS = (
    ".username, .username-coloured, [itemprop=author] [itemprop=name], .message-name, .Username"
)
_STAFF_WORDS = re.compile(r"\b(?:staff|team|admin(?:istrator)?|moderator|employee)\b", re.IGNORECASE)


def html_thread(pp: ParsedPage) -> Thread | None:
    """A ``Thread`` from one forum thread page whose posts carry ``<time datetime>`` and an author."""
    posts = []
    for block in pp.soup.select(_POST_SELECTORS):
        if not isinstance(block, Tag):
            continue
        time_tag = block.find("time", attrs={"datetime": True})
        author = block.select_one(_AUTHOR_SELECTORS)
        when = parse_time(attr_text(time_tag, "datetime")) if isinstance(time_tag, Tag) else None
        if when is None or author is None:
            continue
        header = author.parent if isinstance(author.parent, Tag) else author
        staff = "username-coloured" in attr_text(author, "class") or bool(
            _STAFF_WORDS.search(tag_text(header))
        )
        posts.append((when, tag_text(author).lower(), staff))
    if not posts:
        return None
    opened, opener, staff_opened = posts[0]
    replies = [(w, s) for w, name, s in posts[1:] if name != opener]
    return Thread(opened, staff_opened, replies, None)


def html_activity(capture: SiteCapture, pages: list[ParsedPage], root: str) -> ForumActivity:
    """Forum metrics from the crawled thread pages of a forum at ``root`` (best effort)."""
    method = "html-time"
    threads = [t for pp in pages if (t := html_thread(pp)) is not None]
    if not threads:
        return unmeasured(f"forum {root}: no thread page with machine-readable times was crawled", method)
    anchor = max(t.opened for t in threads)
    window = [t for t in threads if t.opened >= anchor - WINDOW_DAYS * 86400]
    result = thread_metrics(window, len(window), float(WINDOW_DAYS), capture.finished_at, method)
    result.notes[0] += f" ({len(threads)} thread page(s) crawled)"
    return result
