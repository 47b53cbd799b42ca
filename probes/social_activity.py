"""Social activity of the owner's accounts: Bluesky, Mastodon and YouTube through their public APIs.

For each official account the social_profiles probe finds: followers, posts in the window, the share of
posts that are replies to *other* accounts (conversation rather than broadcast; reposts/boosts and
replies to oneself — threads — are not conversation), and the age of the newest post. Platforms with no
public API (X, Facebook, Instagram, LinkedIn, TikTok, …) are presence only: their activity is reported as
not measurable without credentials, never guessed. See ``activity`` for how windows are anchored.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, quote

import defusedxml.ElementTree as SafeET

from audit.models import Evidence, Finding, Page, Request, SiteCapture, explain
from probes import social_profiles
from probes.activity import (
    WINDOW_DAYS,
    age_days,
    answer,
    api_base,
    failure,
    in_window,
    keyed,
    load_json,
    parse_time,
    share,
)
from probes.base import safe_urlsplit
from probes.computed import required

NAME = "social_activity"
CHANNELS: tuple[str, ...] = ()
REQUIRES = (social_profiles.NAME,)

NextRequest = Callable[[Request, Any, Page], "Request | None"]
MAX_FEED_PAGES = 5  # feed pages read per account
MEASURABLE = ("bluesky", "mastodon", "youtube")
ELSEWHERE = ("github",)  # measured by the github_activity probe


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


def own_accounts(capture: SiteCapture) -> list[Finding]:
    """The owner's social profiles (as the social_profiles probe finds them), sorted by URL."""
    return [f for f in required(capture, social_profiles.NAME).findings if f.channel == "social"]


# --- requests ------------------------------------------------------------------------------------------


def plan(capture: SiteCapture, api_bases: Mapping[str, str]) -> list[Request]:
    """Profile and feed requests for every Bluesky, Mastodon and YouTube account, page after page."""
    urls: list[Request] = []
    for f in own_accounts(capture):
        platform = str(f.attrs.get("platform"))
        if platform == "bluesky":
            urls += _bluesky_plan(capture, api_bases, f)
        elif platform == "mastodon":
            urls += _mastodon_plan(capture, api_bases, f)
        elif platform == "youtube":
            urls += _youtube_plan(capture, api_bases, f)
    return urls


def _bluesky_keys(handle: str) -> tuple[str, str]:
    actor = quote(handle, safe="")
    return f"bluesky:profile:{actor}", f"bluesky:feed:{actor}"


def _bluesky_requests(api_bases: Mapping[str, str], handle: str) -> tuple[Request, Request]:
    base = api_base(api_bases, "bluesky")
    actor = quote(handle, safe="")
    profile, feed = _bluesky_keys(handle)
    return (
        Request(NAME, profile, f"{base}/xrpc/app.bsky.actor.getProfile?actor={actor}"),
        Request(NAME, feed, f"{base}/xrpc/app.bsky.feed.getAuthorFeed?actor={actor}&limit=100"),
    )


def _bluesky_plan(capture: SiteCapture, api_bases: Mapping[str, str], f: Finding) -> list[Request]:
    profile, feed = _bluesky_requests(api_bases, str(f.attrs.get("handle", "")))
    return [profile, *_pages(capture, feed, _bluesky_next)[1]]


def _bluesky_next(first: Request, data: Any, _page: Page) -> Request | None:
    cursor = data.get("cursor") if isinstance(data, dict) else None
    if not cursor:
        return None
    after = quote(str(cursor), safe="")
    return Request(NAME, f"{first.key}:cursor={after}", f"{first.url}&cursor={after}")


def _pages(
    capture: SiteCapture, first: Request, next_of: NextRequest
) -> tuple[list[tuple[Page, Any]], list[Request]]:
    """(fetched (page, data) pairs in order, requests still to fetch), following ``next_of`` while useful."""
    out: list[tuple[Page, Any]] = []
    request: Request | None = first
    times: list[float] = []
    for _ in range(MAX_FEED_PAGES):
        if request is None:
            break
        page = answer(capture, request)
        if page is None:
            return out, [request]
        data, reason = load_json(page)
        out.append((page, data))
        if reason:
            break
        times += _feed_times(data)
        if times and min(times) < max(times) - WINDOW_DAYS * 86400:
            break  # the window is covered
        request = next_of(first, data, page)
    return out, []


def _feed_times(data: Any) -> list[float]:
    items = data.get("feed") if isinstance(data, dict) else data
    out = []
    for item in items or []:
        when = _item_time(item)
        if when is not None:
            out.append(when)
    return out


def _item_time(item: Any) -> float | None:
    if not isinstance(item, dict):
        return None
    if "post" in item and isinstance(item["post"], dict):
        record = item["post"].get("record") or {}
        return parse_time(record.get("createdAt") or item["post"].get("indexedAt"))
    return parse_time(item.get("created_at"))


def _mastodon_next(first: Request, _data: Any, page: Page) -> Request | None:
    """The next page from a Mastodon ``Link`` header, rebuilt on our own base (``max_id`` kept)."""
    match = re.search(r'<([^>]+)>;\s*rel="next"', page.headers.get("link", ""))
    if not match:
        return None
    max_id = parse_qs(safe_urlsplit(match.group(1)).query).get("max_id", [""])[0]
    if not max_id:
        return None
    after = quote(max_id, safe="")
    return Request(NAME, f"{first.key}:max_id={after}", f"{first.url}&max_id={after}")


def _mastodon_target(api_bases: Mapping[str, str], url: str) -> tuple[str, str]:
    """(API base, acct) for a Mastodon profile URL: its own instance, or the ``mastodon=`` base."""
    parts = safe_urlsplit(url)
    user = parts.path.strip("/").lstrip("@").split("/")[0]
    host = (parts.hostname or "").lower()
    override = api_bases.get("mastodon")
    if override:
        return override.rstrip("/"), f"{user}@{host}"
    return f"https://{host}", user


def _mastodon_acct(url: str) -> str:
    """``user@instance`` of a Mastodon profile URL, lower-cased: what its requests' keys name."""
    parts = safe_urlsplit(url)
    user = parts.path.strip("/").lstrip("@").split("/")[0]
    return f"{user}@{(parts.hostname or '').lower()}".lower()


def _mastodon_statuses(base: str, account_url: str, own_id: str) -> Request:
    key = f"mastodon:statuses:{_mastodon_acct(account_url)}"
    return Request(NAME, key, f"{base}/api/v1/accounts/{quote(own_id, safe='')}/statuses?limit=40")


def _mastodon_plan(capture: SiteCapture, api_bases: Mapping[str, str], f: Finding) -> list[Request]:
    base, acct = _mastodon_target(api_bases, f.url)
    url = f"{base}/api/v1/accounts/lookup?acct={quote(acct, safe='@')}"
    lookup = Request(NAME, f"mastodon:lookup:{_mastodon_acct(f.url)}", url)
    page = answer(capture, lookup)
    if page is None:
        return [lookup]
    data, reason = load_json(page)
    if reason or not isinstance(data, dict) or not data.get("id"):
        return [lookup]
    first = _mastodon_statuses(base, f.url, str(data["id"]))
    return [lookup, first, *_pages(capture, first, _mastodon_next)[1]]


def _youtube_requests(
    capture: SiteCapture, api_bases: Mapping[str, str], url: str
) -> tuple[Request, Request | None]:
    """(channel page request, feed request once the channel id is known)."""
    base = api_base(api_bases, "youtube")
    path = safe_urlsplit(url).path
    match = re.match(r"^/channel/(UC[\w-]{20,24})$", path)
    channel_page = Request(NAME, _youtube_channel_key(path), f"{base}{quote(path, safe='/@')}")
    channel = match.group(1) if match else None
    if channel is None:
        page = answer(capture, channel_page)
        if page is not None and failure(page) is None:
            channel = _channel_id(page.text or "")
    if not channel:
        return channel_page, None
    return channel_page, Request(
        NAME, f"youtube:feed:{channel}", f"{base}/feeds/videos.xml?channel_id={channel}"
    )


def _youtube_channel_key(path: str) -> str:
    return f"youtube:channel:{quote(path, safe='/@')}"


def _channel_id(html: str) -> str | None:
    for pattern in (
        r'itemprop="channelId"\s+content="(UC[\w-]{20,24})"',
        r'/channel/(UC[\w-]{20,24})"',
        r'"channelId":"(UC[\w-]{20,24})"',
    ):
        match = re.search(pattern, html)
        if match:
            return match.group(1)
    return None


def _youtube_plan(capture: SiteCapture, api_bases: Mapping[str, str], f: Finding) -> list[Request]:
    page_url, feed = _youtube_requests(capture, api_bases, f.url)
    if "/channel/" in safe_urlsplit(f.url).path:
        return [feed] if feed else []
    return [page_url, feed] if feed else [page_url]


# --- measurement ---------------------------------------------------------------------------------------


def probe(capture: SiteCapture) -> Evidence:
    """Followers, posts in the window, reply share and last-post age of each measurable account."""
    metrics: dict[str, float | None] = {}
    notes: list[str] = []
    reasons: dict[str, str] = {}
    # the planner's api_bases are not in the capture: find each account's answers by what was fetched
    accounts = [a for f in own_accounts(capture) if (a := _measure(capture, f)) is not None]
    seen: set[str] = set()
    for f in own_accounts(capture):
        platform = re.sub(r"[^a-z0-9_]", "_", str(f.attrs.get("platform", "")).lower())
        if platform in MEASURABLE or platform in ELSEWHERE or platform in seen or not platform:
            continue
        seen.add(platform)
        metrics[f"social.{platform}.posts_90d"] = None
        explain(
            notes,
            reasons,
            f"social.{platform}.posts_90d",
            f"activity not measurable without credentials ({platform} has no public API); presence only "
            f"({f.url})",
        )
    for account in accounts:
        metrics.update(_account_metrics(account, capture.finished_at, notes, reasons))
    conversing = [a for a in accounts if a.platform in ("bluesky", "mastodon") and a.reason is None]
    posts = sum(len(in_window(a.times)) for a in conversing)
    metrics["social.reply_share"] = share(sum(a.replies for a in conversing), posts)
    metrics["social.accounts_measured"] = float(sum(1 for a in accounts if a.reason is None))
    if not any(a.platform in ("bluesky", "mastodon") for a in accounts):
        explain(notes, reasons, "social.reply_share", "no Bluesky or Mastodon account linked from the site")
    elif not conversing:
        explain(notes, reasons, "social.reply_share", "no Bluesky or Mastodon account could be read")
    elif not posts:
        explain(notes, reasons, "social.reply_share", "no posts in the window")
    return Evidence(
        probe=NAME,
        metrics=dict(sorted(metrics.items())),
        tried=[f"public APIs of {len(accounts)} account(s)", *(a.url for a in accounts)],
        notes=notes,
        reasons=reasons,
    )


def _account_metrics(
    account: Account, finished_at: str, notes: list[str], reasons: dict[str, str]
) -> dict[str, float | None]:
    key = f"social.{account.platform}"
    names = (
        ("uploads_90d", "last_upload_age_days")
        if account.platform == "youtube"
        else ("posts_90d", "last_post_age_days", "reply_share", "followers")
    )
    if account.reason is not None:
        explain(notes, reasons, key, account.reason)
        return {f"{key}.{n}": None for n in names}
    window = in_window(account.times)
    out: dict[str, float | None] = {
        f"{key}.{names[0]}": float(len(window)),
        f"{key}.{names[1]}": age_days(finished_at, max(account.times) if account.times else None),
    }
    if account.platform != "youtube":
        out[f"{key}.reply_share"] = share(account.replies, len(window))
        out[f"{key}.followers"] = account.followers
    if not account.times:
        explain(notes, reasons, key, f"no posts at all ({account.url})")
    return out


def _measure(capture: SiteCapture, f: Finding) -> Account | None:
    platform = str(f.attrs.get("platform"))
    if platform == "bluesky":
        return _measure_bluesky(capture, f)
    if platform == "mastodon":
        return _measure_mastodon(capture, f)
    if platform == "youtube":
        return _measure_youtube(capture, f)
    return None


def _answer(capture: SiteCapture, key: str, legacy: Callable[[], Page | None]) -> Page | None:
    """The answer to this probe's request ``key``; in a capture recorded before requests had keys (an
    older WARC), the page ``legacy`` finds by its URL."""
    return capture.response(NAME, key) if keyed(capture) else legacy()


def _api_pages(capture: SiteCapture, path_part: str, query_part: str) -> list[Page]:
    """Pages fetched by this probe whose URL contains both parts, in fetch order (older captures)."""
    return [
        p
        for p in capture.pages
        if p.found_via == f"api:{NAME}" and path_part in p.url and query_part in p.url
    ]


def _measure_bluesky(capture: SiteCapture, f: Finding) -> Account:
    handle = quote(str(f.attrs.get("handle", "")), safe="")
    account = Account("bluesky", f.url)
    profile_key, feed_key = _bluesky_keys(str(f.attrs.get("handle", "")))
    profile = _answer(
        capture,
        profile_key,
        lambda: next(iter(_api_pages(capture, "/xrpc/app.bsky.actor.getProfile", f"actor={handle}")), None),
    )
    if profile is None:
        account.reason = f"not fetched ({f.url})"
        return account
    data, reason = load_json(profile)
    if reason or not isinstance(data, dict):
        account.reason = reason or "unreadable profile"
        return account
    did = str(data.get("did", ""))
    account.followers = _number(data.get("followersCount"))
    first = _answer(
        capture,
        feed_key,
        lambda: next(
            (p for p in _api_pages(capture, "getAuthorFeed", f"actor={handle}") if "cursor=" not in p.url),
            None,
        ),
    )
    if first is None:
        account.reason = f"feed not fetched ({f.url})"
        return account
    pages, _ = _pages(capture, Request(NAME, feed_key, first.url), _bluesky_next)
    for page, items in pages:
        if failure(page) or not isinstance(items, dict):
            account.reason = failure(page) or load_json(page)[1]
            return account
        for item in items.get("feed") or []:
            _bluesky_item(account, item, did)
    _count_replies(account)
    return account


def _bluesky_item(account: Account, item: Any, did: str) -> None:
    if not isinstance(item, dict) or item.get("reason") or not isinstance(item.get("post"), dict):
        return  # reposts are not the account's own posts
    post = item["post"]
    if did and (post.get("author") or {}).get("did") != did:
        return
    when = _item_time(item)
    if when is None:
        return
    account.times.append(when)
    parent = ((post.get("record") or {}).get("reply") or {}).get("parent") or {}
    if parent and not str(parent.get("uri", "")).startswith(f"at://{did}/"):
        account.reply_times.append(when)


def _measure_mastodon(capture: SiteCapture, f: Finding) -> Account:
    account = Account("mastodon", f.url)
    parts = safe_urlsplit(f.url)
    user = parts.path.strip("/").lstrip("@").split("/")[0]
    wanted = {user.lower(), f"{user}@{(parts.hostname or '').lower()}".lower()}
    lookup = _answer(
        capture,
        f"mastodon:lookup:{_mastodon_acct(f.url)}",
        lambda: next(
            (
                p
                for p in _api_pages(capture, "/api/v1/accounts/lookup", "acct=")
                if parse_qs(safe_urlsplit(p.url).query).get("acct", [""])[0].lower() in wanted
            ),
            None,
        ),
    )
    if lookup is None:
        account.reason = f"not fetched ({f.url})"
        return account
    data, reason = load_json(lookup)
    if reason or not isinstance(data, dict) or not data.get("id"):
        account.reason = reason or "account not found"
        return account
    own_id = str(data["id"])
    account.followers = _number(data.get("followers_count"))
    base = lookup.url.split("/api/v1/", 1)[0]
    pages, _ = _pages(capture, _mastodon_statuses(base, f.url, own_id), _mastodon_next)
    if not pages:
        account.reason = f"statuses not fetched ({f.url})"
        return account
    for page, statuses in pages:
        if failure(page) or not isinstance(statuses, list):
            account.reason = failure(page) or load_json(page)[1] or "unreadable statuses"
            return account
        for status in statuses:
            _mastodon_status(account, status, own_id)
    _count_replies(account)
    return account


def _mastodon_status(account: Account, status: Any, own_id: str) -> None:
    if not isinstance(status, dict) or status.get("reblog"):
        return  # boosts are not the account's own posts
    when = parse_time(status.get("created_at"))
    if when is None:
        return
    account.times.append(when)
    # a reply whose parent is not visible (deleted, private, not federated) has ``in_reply_to_id: null``
    # but still names the account it answered: the account is what makes it conversation
    to = status.get("in_reply_to_account_id")
    if to is not None and str(to) != own_id:
        account.reply_times.append(when)


def _count_replies(account: Account) -> None:
    window = set(in_window(account.times))
    account.replies = sum(1 for t in account.reply_times if t in window)


def _measure_youtube(capture: SiteCapture, f: Finding) -> Account:
    account = Account("youtube", f.url)
    path = safe_urlsplit(f.url).path
    channel_page = _answer(
        capture,
        _youtube_channel_key(path),
        lambda: next(
            (p for p in _api_pages(capture, quote(path, safe="/@"), "") if "/feeds/" not in p.url), None
        ),
    )
    if channel_page is not None and failure(channel_page):
        account.reason = failure(channel_page)
        return account
    channel = re.match(r"^/channel/(UC[\w-]{20,24})$", path)
    cid = channel.group(1) if channel else _channel_id(channel_page.text or "") if channel_page else None
    feeds = _api_pages(capture, "/feeds/videos.xml", "channel_id=")
    feed = _answer(
        capture,
        f"youtube:feed:{cid}",
        lambda: next((p for p in feeds if cid and p.url.endswith(f"channel_id={cid}")), None),
    )
    if cid is None or feed is None:
        account.reason = f"channel feed not fetched ({f.url})"
        return account
    if failure(feed):
        account.reason = failure(feed)
        return account
    try:
        root = SafeET.fromstring((feed.text or "").encode("utf-8"))
    except Exception:  # defusedxml raises its own types for entity attacks, ParseError for garbage
        account.reason = f"{feed.url}: not an Atom feed"
        return account
    # uploads are the feed's entries: the feed's own <published> is the channel's creation date
    for entry in (n for n in root.iter() if _local(n.tag) == "entry"):
        for node in entry:
            if _local(node.tag) == "published" and (when := parse_time(node.text)) is not None:
                account.times.append(when)
    return account


def _local(tag: Any) -> str:
    """An XML tag without its namespace."""
    return str(tag).rsplit("}", 1)[-1]


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
