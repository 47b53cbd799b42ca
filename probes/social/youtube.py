"""YouTube channels: the channel page (for its id, unless the URL names it), then its uploads feed."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import defusedxml.ElementTree as SafeET

from audit.models import Finding, Request, SiteCapture
from probes.activity import answer, api_base, failure, parse_time
from probes.base import safe_urlsplit
from probes.social.common import NAME, Account, Platform, answer_or, api_pages


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


def _measure_youtube(capture: SiteCapture, f: Finding) -> Account:
    account = Account("youtube", f.url)
    path = safe_urlsplit(f.url).path
    channel_page = answer_or(
        capture,
        _youtube_channel_key(path),
        lambda: next(
            (p for p in api_pages(capture, quote(path, safe="/@"), "") if "/feeds/" not in p.url), None
        ),
    )
    if channel_page is not None and failure(channel_page):
        account.reason = failure(channel_page)
        return account
    channel = re.match(r"^/channel/(UC[\w-]{20,24})$", path)
    cid = channel.group(1) if channel else _channel_id(channel_page.text or "") if channel_page else None
    feeds = api_pages(capture, "/feeds/videos.xml", "channel_id=")
    feed = answer_or(
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


PLATFORM = Platform(
    "youtube", ("uploads_90d", "last_upload_age_days"), False, _youtube_plan, _measure_youtube
)
