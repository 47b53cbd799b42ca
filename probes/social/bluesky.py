"""Bluesky through its public AppView: the profile (followers), then the author feed page after page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from audit.models import Finding, Page, Request, SiteCapture
from probes.activity import api_base, failure, load_json
from probes.social.common import (
    NAME,
    Account,
    Platform,
    answer_or,
    api_pages,
    count_replies,
    feed_pages,
    item_time,
    number,
)


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
    return [profile, *feed_pages(capture, feed, _bluesky_next)[1]]


def _bluesky_next(first: Request, data: Any, _page: Page) -> Request | None:
    cursor = data.get("cursor") if isinstance(data, dict) else None
    if not cursor:
        return None
    after = quote(str(cursor), safe="")
    return Request(NAME, f"{first.key}:cursor={after}", f"{first.url}&cursor={after}")


def _measure_bluesky(capture: SiteCapture, f: Finding) -> Account:
    handle = quote(str(f.attrs.get("handle", "")), safe="")
    account = Account("bluesky", f.url)
    profile_key, feed_key = _bluesky_keys(str(f.attrs.get("handle", "")))
    profile = answer_or(
        capture,
        profile_key,
        lambda: next(iter(api_pages(capture, "/xrpc/app.bsky.actor.getProfile", f"actor={handle}")), None),
    )
    if profile is None:
        account.reason = f"not fetched ({f.url})"
        return account
    data, reason = load_json(profile)
    if reason or not isinstance(data, dict):
        account.reason = reason or "unreadable profile"
        return account
    did = str(data.get("did", ""))
    account.followers = number(data.get("followersCount"))
    first = answer_or(
        capture,
        feed_key,
        lambda: next(
            (p for p in api_pages(capture, "getAuthorFeed", f"actor={handle}") if "cursor=" not in p.url),
            None,
        ),
    )
    if first is None:
        account.reason = f"feed not fetched ({f.url})"
        return account
    pages, _ = feed_pages(capture, Request(NAME, feed_key, first.url), _bluesky_next)
    for page, items in pages:
        if failure(page) or not isinstance(items, dict):
            account.reason = failure(page) or load_json(page)[1]
            return account
        for item in items.get("feed") or []:
            _bluesky_item(account, item, did)
    count_replies(account, capture.limits.activity_window_days)
    return account


def _bluesky_item(account: Account, item: Any, did: str) -> None:
    if not isinstance(item, dict) or item.get("reason") or not isinstance(item.get("post"), dict):
        return  # reposts are not the account's own posts
    post = item["post"]
    if did and (post.get("author") or {}).get("did") != did:
        return
    when = item_time(item)
    if when is None:
        return
    account.times.append(when)
    parent = ((post.get("record") or {}).get("reply") or {}).get("parent") or {}
    if parent and not str(parent.get("uri", "")).startswith(f"at://{did}/"):
        account.reply_times.append(when)


PLATFORM = Platform(
    "bluesky",
    ("posts_90d", "last_post_age_days", "reply_share", "followers"),
    True,
    _bluesky_plan,
    _measure_bluesky,
)
