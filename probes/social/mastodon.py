"""Mastodon through the account's own instance (or a ``mastodon=`` base): lookup, then statuses."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, quote

from audit.models import Finding, Page, Request, SiteCapture
from probes.activity import answer, failure, load_json, parse_time
from probes.base import safe_urlsplit
from probes.social.common import (
    NAME,
    Account,
    Platform,
    answer_or,
    api_pages,
    count_replies,
    feed_pages,
    number,
)


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
    return [lookup, first, *feed_pages(capture, first, _mastodon_next)[1]]


def _measure_mastodon(capture: SiteCapture, f: Finding) -> Account:
    account = Account("mastodon", f.url)
    parts = safe_urlsplit(f.url)
    user = parts.path.strip("/").lstrip("@").split("/")[0]
    wanted = {user.lower(), f"{user}@{(parts.hostname or '').lower()}".lower()}
    lookup = answer_or(
        capture,
        f"mastodon:lookup:{_mastodon_acct(f.url)}",
        lambda: next(
            (
                p
                for p in api_pages(capture, "/api/v1/accounts/lookup", "acct=")
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
    account.followers = number(data.get("followers_count"))
    base = lookup.url.split("/api/v1/", 1)[0]
    pages, _ = feed_pages(capture, _mastodon_statuses(base, f.url, own_id), _mastodon_next)
    if not pages:
        account.reason = f"statuses not fetched ({f.url})"
        return account
    for page, statuses in pages:
        if failure(page) or not isinstance(statuses, list):
            account.reason = failure(page) or load_json(page)[1] or "unreadable statuses"
            return account
        for status in statuses:
            _mastodon_status(account, status, own_id)
    count_replies(account, capture.limits.activity_window_days)
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


PLATFORM = Platform(
    "mastodon",
    ("posts_90d", "last_post_age_days", "reply_share", "followers"),
    True,
    _mastodon_plan,
    _measure_mastodon,
)
