"""What the five sites share: the stylesheet, the page document, lists, FAQs, feeds, and the Host/Company types."""

# ruff: noqa: E501 - page copy reads better unwrapped
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import format_datetime
from html import escape
from typing import Any

SITE_CSS = """\
*{box-sizing:border-box}body{margin:0;font:16px/1.55 system-ui,sans-serif;color:#1d2330}
a{color:var(--brand)}header,footer,main{padding:1rem max(1rem,calc(50% - 34rem))}
header{display:flex;gap:1.5rem;align-items:center;border-bottom:1px solid #e3e6ee}
header nav ul,footer ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:1rem}
footer{background:#f5f6fa;margin-top:3rem;font-size:.92rem}footer .cols{display:flex;gap:3rem;flex-wrap:wrap}
footer ul{flex-direction:column;gap:.3rem}.social ul{flex-direction:row}.btn{background:var(--brand);color:#fff;
padding:.5rem 1rem;border-radius:6px;text-decoration:none}.cards{display:grid;gap:1rem;
grid-template-columns:repeat(auto-fill,minmax(16rem,1fr))}.card{border:1px solid #e3e6ee;border-radius:8px;
padding:1rem}details{border-bottom:1px solid #e3e6ee;padding:.6rem 0}summary{font-weight:600;cursor:pointer}
"""


def logo_svg(initial: str, colour: str) -> str:
    """A small square logo with the company's initial."""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" viewBox="0 0 40 40">'
        f'<rect width="40" height="40" rx="8" fill="{colour}"/>'
        f'<text x="20" y="27" font-family="sans-serif" font-size="20" fill="#fff" text-anchor="middle">'
        f"{initial}</text></svg>\n"
    )


def file_for(path: str) -> str:
    """The file under a site directory that serves URL path ``path`` (see ``Site.resolve``)."""
    if "?" in path:
        base, query = path.split("?", 1)
        return f"{base.lstrip('/')}@{query}"
    if path == "/":
        return "index.html"
    if path.endswith("/"):
        return f"{path.lstrip('/')}index.html"
    return f"{path.lstrip('/')}.html"


def rfc822(day: date) -> str:
    """An RSS date (09:00 UTC on ``day``)."""
    return format_datetime(datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC))


@dataclass
class Post:
    """A blog post."""

    slug: str
    title: str
    day: date
    summary: str
    body: list[str]
    author: str = ""


@dataclass
class Host:
    """The files of one served host, and the pages its sitemap lists."""

    name: str
    files: dict[str, str] = field(default_factory=dict)
    sitemap: list[tuple[str, date]] = field(default_factory=list)
    disallow: list[str] = field(default_factory=list)
    scheme: str = "https"  # most of the market is HTTPS; the laggard is not

    def url(self, path: str) -> str:
        return f"{self.scheme}://{self.name}{path}"

    def add(self, path: str, html: str, day: date, listed: bool = True) -> None:
        """Add a page at URL ``path``; ``listed`` puts it in sitemap.xml."""
        self.files[file_for(path)] = html
        if listed:
            self.sitemap.append((path, day))

    def finish(self, extra_robots: str = "") -> None:
        """Write robots.txt and sitemap.xml."""
        rules = "".join(f"Disallow: {p}\n" for p in self.disallow)
        self.files["robots.txt"] = (
            f"User-agent: *\n{rules}{extra_robots}\nSitemap: {self.url('/sitemap.xml')}\n"
        )
        entries = "".join(
            f"  <url><loc>{escape(self.url(p))}</loc><lastmod>{d.isoformat()}</lastmod></url>\n"
            for p, d in self.sitemap
        )
        self.files["sitemap.xml"] = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}</urlset>\n'
        )


def document(title: str, description: str, body: str, head: str = "", css: bool = True) -> str:
    """A complete HTML5 document."""
    style = '<link rel="stylesheet" href="/assets/site.css">\n' if css else ""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        f'<meta name="description" content="{escape(description)}">\n'
        f"{style}{head}</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def paragraphs(texts: Iterable[str]) -> str:
    return "\n".join(f"<p>{t}</p>" for t in texts)


def link_list(links: Iterable[tuple[str, str]], rel: str = "") -> str:
    attr = f' rel="{rel}"' if rel else ""
    return "\n".join(f'<li><a href="{escape(h)}"{attr}>{escape(t)}</a></li>' for h, t in links)


def social_list(links: Iterable[tuple[str, str, str]], brand: str) -> str:
    """Footer icons: (platform id, href, label); Mastodon links carry rel="me" for verification."""
    items = []
    for platform, href, label in links:
        rel = ' rel="me noopener"' if platform == "mastodon" else ' rel="noopener"'
        items.append(
            f'<li><a class="icon icon-{platform}" href="{escape(href)}"{rel} '
            f'aria-label="{escape(brand)} on {escape(label)}">{escape(label)}</a></li>'
        )
    return "\n".join(items)


def faq_details(pairs: list[tuple[str, str]]) -> str:
    return "\n".join(f"<details>\n<summary>{q}</summary>\n<p>{a}</p>\n</details>" for q, a in pairs)


def faq_headings(pairs: list[tuple[str, str]]) -> str:
    return "\n".join(f"<h3>{q}</h3>\n<p>{a}</p>" for q, a in pairs)


def faq_jsonld(pairs: list[tuple[str, str]]) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {"@type": "Question", "name": q, "acceptedAnswer": {"@type": "Answer", "text": a}}
            for q, a in pairs
        ],
    }
    return f'<script type="application/ld+json">\n{json.dumps(data, indent=1)}\n</script>\n'


def rss_feed(title: str, site: str, feed_url: str, description: str, posts: list[Post]) -> str:
    items = "".join(
        f"<item>\n  <title>{escape(p.title)}</title>\n  <link>{site}blog/{p.slug}</link>\n"
        f'  <guid isPermaLink="true">{site}blog/{p.slug}</guid>\n  <pubDate>{rfc822(p.day)}</pubDate>\n'
        f"  <description>{escape(p.summary)}</description>\n</item>\n"
        for p in posts
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">\n<channel>\n'
        f"<title>{escape(title)}</title>\n<link>{site}blog/</link>\n"
        f"<description>{escape(description)}</description>\n<language>en-us</language>\n"
        f'<atom:link href="{feed_url}" rel="self" type="application/rss+xml"/>\n'
        f"<lastBuildDate>{rfc822(posts[0].day)}</lastBuildDate>\n{items}</channel>\n</rss>\n"
    )


def atom_feed(title: str, site: str, feed_url: str, posts: list[Post]) -> str:
    entries = "".join(
        f'<entry>\n  <title>{escape(p.title)}</title>\n  <link href="{site}blog/{p.slug}"/>\n'
        f"  <id>{site}blog/{p.slug}</id>\n  <updated>{p.day.isoformat()}T09:00:00Z</updated>\n"
        f"  <summary>{escape(p.summary)}</summary>\n</entry>\n"
        for p in posts
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
        f'<title>{escape(title)}</title>\n<link href="{site}blog/"/>\n<link rel="self" href="{feed_url}"/>\n'
        f"<id>{site}blog/</id>\n<updated>{posts[0].day.isoformat()}T09:00:00Z</updated>\n{entries}</feed>\n"
    )


@dataclass
class Company:
    """A company's hosts and its truth (what a perfect audit must find)."""

    hosts: list[Host]
    truth: dict[str, Any]
    headers_toml: dict[str, str] = field(default_factory=dict)  # host -> _headers.toml text
