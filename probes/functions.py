"""Engagement beyond support: careers, press, partners, investors, roadmap, changelog, feedback, status."""

from __future__ import annotations

import re
from urllib.parse import unquote

from bs4 import Tag

from audit.models import Evidence, Finding, SiteCapture
from probes.base import (
    ParsedPage,
    dedupe_by,
    in_body_block,
    in_site_chrome,
    is_own,
    parsed_pages,
    safe_urlsplit,
    snippet,
    strip_url,
    tag_text,
    tried_pages,
    words,
)
from probes.fingerprints import Platform, fingerprint, match_url, table

NAME = "functions"
CHANNELS: tuple[str, ...] = ("functions",)

FUNCTIONS: tuple[str, ...] = (
    "careers", "press", "partners", "investors", "roadmap", "changelog", "feedback", "status",
)  # fmt: skip
_FILE = re.compile(r"\.(?!html?$|php$|aspx?$)\w{2,4}$", re.IGNORECASE)


def platforms() -> tuple[Platform, ...]:
    """Hosted tools per function (``data/function_platforms.toml``)."""
    return table("function_platforms")


def probe(capture: SiteCapture) -> Evidence:
    """Function pages in the capture and links to them (own paths, status. subdomains, hosted tools)."""
    found = []
    for pp in parsed_pages(capture):
        found += _page(pp, capture)
        found += [f for a, href in pp.anchors() if (f := _link(pp, a, href, capture)) is not None]
    findings = dedupe_by(found, lambda f: (f.attrs["function"], f.url))
    present = {str(f.attrs["function"]) for f in findings}
    return Evidence(
        probe=NAME,
        findings=findings,
        metrics={"functions.count": float(len(present))},
        tried=tried_pages(
            capture,
            "function paths/link texts (8 functions, 7 languages), status. subdomains, "
            "hosted job boards, feedback portals, changelogs and status pages",
        ),
        notes=[f"not found: {', '.join(f for f in FUNCTIONS if f not in present)}"]
        if len(present) < 8
        else [],
    )


def function_of(url: str, text: str = "") -> str | None:
    """The function a URL (path words) or a link text names, or ``None``."""
    parts = safe_urlsplit(url)
    host = (parts.hostname or "").lower()
    segments = [s.lower() for s in unquote(parts.path).split("/") if s]
    if segments and _FILE.search(segments[-1]):
        return None
    candidates = {segments[0], segments[-1]} if segments else set()
    if host.count(".") >= 2:
        candidates.add(host.split(".")[0])
    clean = text.strip().lower()
    for function in FUNCTIONS:
        slugs = {w.replace(" ", "-") for w in words(function)}
        if candidates & slugs or (clean and clean in words(function)):
            return function
    return None


def _finding(url: str, function: str, platform: str | None, source: str, snip: str, method: str) -> Finding:
    attrs = {"function": function, **({"platform": platform} if platform else {})}
    return Finding("functions", url, attrs, source_url=source, snippet=snip, method=method)


def _page(pp: ParsedPage, capture: SiteCapture) -> list[Finding]:
    found = fingerprint(pp, platforms())
    if found is not None:
        platform, method, snip = found
        root = f"{safe_urlsplit(pp.url).scheme}://{safe_urlsplit(pp.url).netloc}/"
        return [_finding(root, str(platform.extra["function"]), platform.id, pp.url, snip, method)]
    function = function_of(pp.url) if is_own(pp.url, capture) else None
    return [_finding(strip_url(pp.url), function, None, pp.url, pp.url, "page")] if function else []


def _link(pp: ParsedPage, a: Tag, href: str, capture: SiteCapture) -> Finding | None:
    own = is_own(href, capture)
    if not own and in_body_block(a):
        return None
    match = match_url(href, platforms(), with_paths=False)
    if match is not None:
        platform, url = match
        return _finding(
            url or strip_url(href), str(platform.extra["function"]), platform.id, pp.url, snippet(a), "anchor"
        )
    if not own:
        return None
    function = function_of(href, tag_text(a) if in_site_chrome(a) else "")
    return _finding(strip_url(href), function, None, pp.url, snippet(a), "anchor") if function else None
