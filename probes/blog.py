"""Blog / news: index pages with the posts seen on them, comment systems on posts, and blog links."""

from __future__ import annotations

from audit.models import Evidence, Finding, SiteCapture
from probes.base import (
    ParsedPage,
    channel_root,
    dedupe,
    in_site_chrome,
    on_channel_site,
    parsed_pages,
    safe_urlsplit,
    snippet,
    tried_pages,
)
from probes.fingerprints import Platform, table

NAME = "blog"
CHANNELS: tuple[str, ...] = ("blog",)


def comment_systems() -> tuple[Platform, ...]:
    """The comment-system table (``data/comment_systems.toml``)."""
    return table("comment_systems")


def probe(capture: SiteCapture) -> Evidence:
    """Blog index pages (posts seen, comment systems used on its posts) and blog links in the site chrome."""
    pages = [pp for pp in parsed_pages(capture) if on_channel_site(pp.url, capture, "blog_slug")]
    indexes = {f.url: f for pp in pages if (f := blog_index(pp)) is not None}
    for pp in pages:
        root = channel_root(pp.url, "blog_slug")
        if root in indexes:
            systems = set(indexes[root].attrs["comments"]) | set(comments_on(pp))
            indexes[root].attrs["comments"] = sorted(systems)
    links = [f for pp in parsed_pages(capture) for f in _links(pp, capture)]
    findings = dedupe([*indexes.values(), *links])
    posts = [int(f.attrs["posts"]) for f in indexes.values()]
    return Evidence(
        probe=NAME,
        findings=findings,
        metrics={"blog.posts_seen": float(max(posts)) if posts else None},
        tried=tried_pages(
            capture, "blog/news index pages, post links, comment systems, blog links in chrome"
        ),
    )


def blog_index(pp: ParsedPage) -> Finding | None:
    """A finding when the page is a blog index (≥ 2 posts linked under the blog path), else ``None``."""
    root = channel_root(pp.url, "blog_slug")
    if pp.url.split("?")[0].rstrip("/") + "/" != root:
        return None
    posts = post_links(pp, root)
    if len(posts) < 2:
        return None
    attrs = {"posts": len(posts), "comments": sorted(comments_on(pp))}
    return Finding("blog", root, attrs, source_url=pp.url, snippet=f"{len(posts)} post links", method="page")


def post_links(pp: ParsedPage, root: str) -> set[str]:
    """Distinct links to posts below the blog root (pagination and category pages excluded)."""
    base = safe_urlsplit(root)
    out = set()
    for _, href in pp.anchors():
        parts = safe_urlsplit(href)
        rest = parts.path[len(base.path) :] if parts.path.startswith(base.path) else ""
        if parts.netloc.lower() != base.netloc or not rest.strip("/"):
            continue
        if rest.split("/")[0] in ("page", "category", "tag", "author", "feed", "categories", "tags"):
            continue
        out.add(parts.path.rstrip("/"))
    return out


def comments_on(pp: ParsedPage) -> list[str]:
    """Comment systems embedded on the page."""
    html = pp.page.html
    return sorted(p.id for p in comment_systems() if p.html_match(html))


def _links(pp: ParsedPage, capture: SiteCapture) -> list[Finding]:
    out = []
    for a, href in pp.anchors():
        if in_site_chrome(a) and on_channel_site(href, capture, "blog_slug"):
            root = channel_root(href, "blog_slug")
            attrs: dict[str, object] = {"posts": None, "comments": []}
            out.append(Finding("blog", root, attrs, source_url=pp.url, snippet=snippet(a), method="anchor"))
    return out
