"""The owner's forum or community: captured forum pages (fingerprinted) and links to it."""

from __future__ import annotations

from audit.models import Evidence, Finding, SiteCapture
from probes.base import (
    ParsedPage,
    channel_root,
    dedupe,
    in_body_block,
    is_own,
    on_channel_site,
    parsed_pages,
    snippet,
    tried_pages,
)
from probes.fingerprints import Platform, fingerprint, match_url, table

NAME = "community"
CHANNELS: tuple[str, ...] = ("community",)


def platforms() -> tuple[Platform, ...]:
    """The community platform table (``data/community_platforms.toml``)."""
    return table("community_platforms")


def probe(capture: SiteCapture) -> Evidence:
    """Forum pages in the capture and links to the owner's forum, Discord, Slack, subreddit, …."""
    pages = parsed_pages(capture)
    forums = [f for pp in pages if (f := forum_page(pp)) is not None]
    known = {f.url: str(f.attrs["platform"]) for f in forums}
    links = [f for pp in pages for f in _links(pp, capture, known)]
    findings = dedupe(forums + links)
    return Evidence(
        probe=NAME,
        findings=findings,
        metrics={"community.channels": float(len(findings))},
        tried=tried_pages(capture, "forum fingerprints (generator, markup, hosts) and community links"),
    )


def forum_page(pp: ParsedPage) -> Finding | None:
    """A finding when the page itself is a forum page (platform by fingerprint), else ``None``."""
    found = fingerprint(pp, platforms())
    if found is None:
        return None
    platform, method, snip = found
    root = channel_root(pp.url, "community_slug")
    return Finding(
        "community", root, {"platform": platform.id}, source_url=pp.url, snippet=snip, method=method
    )


def _links(pp: ParsedPage, capture: SiteCapture, known: dict[str, str]) -> list[Finding]:
    out = []
    for a, href in pp.anchors():
        mentioned = in_body_block(a)
        match = match_url(href, platforms())
        if match is not None:
            platform, url = match
            if mentioned and not is_own(href, capture):
                continue
            url = url or channel_root(href, "community_slug")
            attrs = {"platform": platform.id}
        elif on_channel_site(href, capture, "community_slug"):
            url = channel_root(href, "community_slug")
            attrs = {"platform": known.get(url, "unknown")}
        else:
            continue
        out.append(Finding("community", url, attrs, source_url=pp.url, snippet=snippet(a), method="anchor"))
    return out
