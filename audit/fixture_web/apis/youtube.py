"""YouTube channels: the channel page (its id) and the channel's Atom feed of uploads."""

# ruff: noqa: E501 - data rows read better unwrapped
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from audit.fixture_web.apis.common import WINDOW_DAYS, at, iso, series
from audit.fixture_web.server import route_key

YOUTUBE: dict[str, tuple[str, str, float, int, tuple[int, ...]]] = {
    "@northwindledger": ("UCnwLedger00000000000001", "2026-11-16T15:00:00Z", 14.0, 6, (120, 150, 200)),
    "@brightbooks": ("UCbrightBooks000000000002", "2026-11-12T18:00:00Z", 30.0, 3, (100, 140, 180, 220)),
    "@quillpay": ("UCquillPay00000000000003", "2026-03-01T12:00:00Z", 45.0, 2, ()),
}


YOUTUBE_CHANNEL_CREATED = "2019-05-14T09:00:00+00:00"  # the feed-level <published> of every stand-in channel


def _youtube_times(handle: str) -> list[datetime]:
    _cid, newest, step, count, older = YOUTUBE[handle]
    return series(newest, step, count) + [at(newest) - timedelta(days=d) for d in older]


def youtube_truth(handle: str) -> dict[str, Any]:
    """Expected YouTube cadence of one channel."""
    times = _youtube_times(handle)
    newest = max(times)
    return {
        "uploads_90d": sum(1 for t in times if t >= newest - timedelta(days=WINDOW_DAYS)),
        "last_upload_at": iso(newest),
    }


def _youtube_feed(handle: str) -> str:
    cid = YOUTUBE[handle][0]
    entries = "".join(
        f"""<entry><id>yt:video:v{handle[1:5]}{i:07d}</id><yt:videoId>v{handle[1:5]}{i:07d}</yt:videoId><yt:channelId>{cid}</yt:channelId>
<title>Video {i}</title><link rel="alternate" href="https://www.youtube.com/watch?v=v{handle[1:5]}{i:07d}"/><author><name>{handle[1:]}</name></author>
<published>{when.strftime("%Y-%m-%dT%H:%M:%S+00:00")}</published><updated>{when.strftime("%Y-%m-%dT%H:%M:%S+00:00")}</updated></entry>
"""
        for i, when in enumerate(_youtube_times(handle))
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns:yt="http://www.youtube.com/xml/schemas/2015" xmlns:media="http://search.yahoo.com/mrss/" xmlns="http://www.w3.org/2005/Atom">\n'
        f'<link rel="self" href="http://www.youtube.com/feeds/videos.xml?channel_id={cid}"/><id>yt:channel:{cid}</id><yt:channelId>{cid}</yt:channelId><title>{handle[1:]}</title>\n'
        # as a real feed: the channel's own link, author and <published> (its creation date, not an upload)
        f'<link rel="alternate" href="https://www.youtube.com/channel/{cid}"/><author><name>{handle[1:]}</name><uri>https://www.youtube.com/channel/{cid}</uri></author>\n'
        f"<published>{YOUTUBE_CHANNEL_CREATED}</published>\n"
        f"{entries}</feed>\n"
    )


def routes() -> dict[str, dict[str, Any]]:
    routes: dict[str, dict[str, Any]] = {}
    for handle, (cid, *_rest) in YOUTUBE.items():
        page = (
            f'<!DOCTYPE html><html><head><title>{handle[1:]} - YouTube</title><link rel="canonical" href="https://www.youtube.com/channel/{cid}">'
            f'<meta itemprop="channelId" content="{cid}"></head><body><div id="channel-header">{handle}</div></body></html>\n'
        )
        routes[route_key(f"/{handle}")] = {
            "status": 200,
            "content_type": "text/html; charset=utf-8",
            "headers": {},
            "body": page,
        }
        routes[route_key("/feeds/videos.xml", f"channel_id={cid}")] = {
            "status": 200,
            "content_type": "application/atom+xml; charset=utf-8",
            "headers": {},
            "body": _youtube_feed(handle),
        }
    return routes
