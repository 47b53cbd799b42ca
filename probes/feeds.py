"""RSS/Atom feeds: advertised feeds and, when a feed body is in the capture, the posting cadence."""

from __future__ import annotations

import calendar
import io
import re
from datetime import UTC, datetime
from typing import Any

import feedparser
from bs4 import Tag

from audit.models import Evidence, Finding, Page, SiteCapture
from audit.urls import same_site
from probes.base import ParsedPage, attr_text, dedupe, page_url, parsed_pages, safe_urlsplit, tried_pages
from probes.social_profiles import parse_profile

NAME = "feeds"
CHANNELS: tuple[str, ...] = ("feeds",)

_TYPES = {"application/rss+xml": "rss", "application/atom+xml": "atom", "application/feed+json": "json"}
#: Generic XML types some templates declare feeds with (WordPress's "RSS .92" ``/feed/rss/`` is
#: ``text/xml``): a feed only when its title names the format (RSS, Atom), never a sitemap or an XML API.
_XML_TYPES = frozenset({"text/xml", "application/xml", "application/rdf+xml"})
_XML_FEED = re.compile(r"\b(?:rss|atom)\b", re.I)
#: Anchor paths that are plainly feeds. Not a bare ``/rss/``: that is usually a directory page listing feeds;
#: but what lies under it is one (``/rss/all``, ``/rss/politics.xml``, ``/authors/rss/Jane-Doe``) unless it
#: is a page of its own (``index.jsp``, ``List.aspx``, ``widget/``), and so is a feed script (``/rss.php``).
_FEED_HREF = re.compile(
    r"(?:/feed/?|\.rss|\.atom|feed\.xml|rss\.xml|atom\.xml|/index\.xml|/rss\.php"
    r"|/rss/(?:[^/?#]+/)*(?:(?!(?:index|widgets?|help)\b)[^/?#.]+/?|[^/?#]+\.xml))$",
    re.I,
)
_FEED_ITEM = re.compile(r"/~r/|/~3/")
#: The owner's own feed subdomain (``feeds.example.com/Name``): every path on it is a feed.
_FEED_SUBDOMAIN = frozenset({"feeds", "feed", "rss"})
#: WordPress's query form of its feeds: ``/?feed=rss2``
_FEED_QUERY = re.compile(r"(?:^|&)feed=(?:rss2?|atom|rdf)(?:&|$)", re.I)
_COMMENTS = re.compile(r"/comments/feed|comments-feed|/comments\.rss", re.IGNORECASE)
#: Hosted feed services whose every path is a feed (``feeds.feedburner.com/Name``).
_FEED_HOSTS = re.compile(
    r"^(?:feeds\d?\.feedburner\.com|feeds\.feedblitz\.com|feeds\.buzzsprout\.com|feeds\.simplecast\.com)$",
    re.I,
)
#: Link titles of per-post and site-wide comment feeds ("Blog » Post title Comments Feed", "Kommentar-Feed").
_COMMENTS_TITLE = re.compile(
    r"comments?\b|kommentar|commentaires|comentarios|commenti|reacties|comentários", re.I
)
_WINDOWS = (30, 90, 365)


def probe(capture: SiteCapture) -> Evidence:
    """Feeds linked from pages (``<link rel=alternate>``, anchors); cadence metrics from captured bodies."""
    advertised = [f for pp in parsed_pages(capture) for f in feed_links(pp)]
    # API responses fetched for other probes (YouTube channel feeds, …) are not the site's own feeds.
    bodies = {page_url(p): p for p in capture.pages if is_feed_page(p) and not p.found_via.startswith("api:")}
    parsed = {url: _parse(p) for url, p in bodies.items()}
    findings = dedupe(advertised + [_body_finding(url, d) for url, d in parsed.items()])
    for f in findings:
        if f.url in parsed:
            f.attrs["kind"] = _kind(parsed[f.url], str(f.attrs["kind"]))
    comments = {f.url for f in advertised if f.attrs["kind"] == "comments"}
    for f in findings:
        if f.url in comments:
            f.attrs["kind"] = "comments"  # a comment feed stays one when its body is captured too
    metrics, notes = cadence({u: d for u, d in parsed.items() if u not in comments}, capture.finished_at)
    return Evidence(
        probe=NAME,
        findings=findings,
        metrics=metrics,
        tried=[
            *tried_pages(capture, "<link rel=alternate> feeds and feed anchors"),
            f"{len(bodies)} feed body(ies)",
        ],
        notes=notes,
    )


def feed_links(pp: ParsedPage) -> list[Finding]:
    """Feeds advertised by one page: what its ``<link rel=alternate>`` declares, and plain feed anchors.

    Comment feeds (the site's ``/comments/feed`` and a post's own ``/<post>/feed/``, titled "Comments") are
    reported as ``kind: comments``; a declared "feed" that is a social profile (a Twitter account typed
    ``rss+xml``) is not a feed. Anchors count on the owner's site or a feed host only, never share dialogs
    such as ``facebook.com/dialog/feed``.
    """
    out = []
    for link in pp.index.with_attr("href", "link"):
        ctype = attr_text(link, "type").lower().split(";")[0].strip()
        kind = _TYPES.get(ctype) or _xml_feed_kind(link, ctype)
        if kind and "alternate" in attr_text(link, "rel").lower():
            url = pp.absolute(str(link["href"]))
            if not url or parse_profile(url) is not None:
                continue  # an href no URL parser reads, or a social account, is not a feed
            if _COMMENTS_TITLE.search(attr_text(link, "title")) or _COMMENTS.search(url):
                kind = "comments"
            out.append(_finding(url, kind, pp.url, pp.index.snippet(link), "link-alternate"))
    for a, href in pp.anchors():
        parts = safe_urlsplit(href)
        path = parts.path
        hostname = parts.hostname or ""
        hosted = bool(_FEED_HOSTS.match(hostname)) and path.strip("/") != ""
        own = same_site(href, pp.url)
        if not href.startswith("http") or not (hosted or own):
            continue
        if own and hostname.split(".")[0] in _FEED_SUBDOMAIN and path.strip("/"):
            hosted = True
        if hosted and _FEED_ITEM.search(path):
            continue  # FeedBurner's click-through address of one item (``/~r/Name/~3/…``), not the feed
        if _FEED_HREF.search(path) or _FEED_QUERY.search(parts.query) or hosted:
            kind = "comments" if _COMMENTS.search(href) else "atom" if "atom" in path.lower() else "rss"
            out.append(_finding(href, kind, pp.url, pp.index.snippet(a), "anchor"))
    return out


def _xml_feed_kind(link: Tag, ctype: str) -> str | None:
    """``rss``/``atom`` for a generic-XML ``<link>`` whose title names RSS or Atom, else ``None``."""
    title = attr_text(link, "title")
    if ctype not in _XML_TYPES or "sitemap" in attr_text(link, "href").lower():
        return None
    found = _XML_FEED.search(title)
    return None if found is None else "atom" if found.group(0).lower() == "atom" else "rss"


def _finding(url: str, kind: str, source: str, snip: str, method: str) -> Finding:
    return Finding("feeds", url, {"kind": kind}, source_url=source, snippet=snip, method=method)


def is_feed_page(page: Page) -> bool:
    """True when a captured page is a feed body (by Content-Type, or sniffed)."""
    if not page.ok or not page.text:
        return False
    ctype = page.content_type.split(";")[0].strip().lower()
    if any(k in ctype for k in ("rss", "atom", "xml")):
        return True
    head = page.text[:512].lstrip().lower()
    return head.startswith("<?xml") and ("<rss" in page.text[:2048] or "<feed" in page.text[:2048])


def _parse(page: Page) -> Any:
    # A stream, never a string: feedparser treats strings that look like URLs as something to fetch.
    return feedparser.parse(io.BytesIO((page.text or "").encode("utf-8")))


def _kind(parsed: Any, fallback: str) -> str:
    version = str(parsed.get("version", ""))
    return "atom" if version.startswith("atom") else "rss" if version.startswith("rss") else fallback


def _body_finding(url: str, parsed: Any) -> Finding:
    title = str(parsed.get("feed", {}).get("title", ""))[:80]
    return _finding(url, _kind(parsed, "rss"), url, f"feed body: {title}", "feed-body")


def cadence(parsed: dict[str, Any], reference: str) -> tuple[dict[str, float | None], list[str]]:
    """Posts in the last 30/90/365 days and the last post's age, relative to ``reference`` (ISO time)."""
    empty: dict[str, float | None] = {f"blog.posts_{d}d": None for d in _WINDOWS}
    empty["blog.last_post_age_days"] = None
    if not parsed:
        return empty, ["no feed body in the capture: posting cadence not measured"]
    now = _epoch(reference)
    if now is None:
        return empty, ["capture has no finished_at: posting cadence not measured"]
    ages = sorted((now - t) / 86400 for t in _entry_times(parsed))
    if not ages:
        return empty, ["feed entries carry no dates: posting cadence not measured"]
    metrics: dict[str, float | None] = {
        f"blog.posts_{d}d": float(sum(1 for a in ages if a <= d)) for d in _WINDOWS
    }
    metrics["blog.last_post_age_days"] = round(max(ages[0], 0.0), 1)
    return metrics, []


def _entry_times(parsed: dict[str, Any]) -> list[float]:
    seen: dict[str, float] = {}
    for url, data in parsed.items():
        if _COMMENTS.search(url):
            continue
        for entry in data.get("entries", []):
            stamp = entry.get("published_parsed") or entry.get("updated_parsed")
            if stamp:
                seen.setdefault(
                    str(entry.get("id") or entry.get("link") or len(seen)), calendar.timegm(stamp)
                )
    return list(seen.values())


def _epoch(iso: str) -> float | None:
    try:
        when = datetime.fromisoformat(iso.replace("Z", "+00:00")) if iso else None
    except ValueError:
        return None
    if when is None:
        return None
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp()
