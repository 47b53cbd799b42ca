"""Where a company's engagement pages are found: what a URL's words promise, which paths and subdomains
to try, the links a page offers (site chrome apart from body), and the URLs a sitemap lists.

Pure functions and tables, no network: ``audit/crawl.py`` (the frontier and its fetching) uses them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import defusedxml.ElementTree as SafeET
from bs4 import BeautifulSoup, Tag
from lxml import etree

from audit.urls import canonicalize, host

#: URL words that mark an engagement page, with their priority (higher is fetched sooner).
ENGAGEMENT_WORDS: dict[str, int] = {
    "faq": 90,
    "help": 90,
    "support": 90,
    "contact": 90,
    "community": 90,
    "forum": 90,
    "discuss": 85,
    "kontakt": 90,
    "hilfe": 85,
    "aide": 85,
    "ayuda": 85,
    "contacto": 85,
    "contatti": 85,
    "contato": 85,
    "chat": 80,
    "blog": 75,
    "news": 60,
    "feed": 70,
    "rss": 70,
    "atom": 70,
    "press": 70,
    "newsroom": 70,
    "careers": 70,
    "jobs": 65,
    "karriere": 65,
    "partners": 60,
    "partner": 60,
    "investors": 60,
    "investor": 60,
    "status": 70,
    "security": 60,
    "privacy": 55,
    "datenschutz": 55,
    "accessibility": 55,
    "roadmap": 65,
    "changelog": 65,
    "feedback": 65,
    "ideas": 60,
    "about": 50,
    "pricing": 45,
    "newsletter": 65,
    "subscribe": 55,
    "knowledge": 80,
    "kb": 70,
    "docs": 55,
    "developer": 40,
}

#: Paths tried on every site, whether linked or not (cheap: a 404 costs one small request).
WELL_KNOWN_PATHS: tuple[str, ...] = (
    "/faq",
    "/help",
    "/support",
    "/contact",
    "/community",
    "/forum",
    "/blog",
    "/feed",
    "/press",
    "/careers",
    "/partners",
    "/investors",
    "/status",
    "/security.txt",
    "/.well-known/security.txt",
    "/privacy",
)

#: Key pages whose response time is sampled more than once (with the home page).
KEY_TIMING_WORDS: tuple[str, ...] = ("contact", "help", "support", "faq")

#: Subdomains tried when they resolve (through the proxy: when the proxy can reach them).
CANDIDATE_SUBDOMAINS: tuple[str, ...] = (
    "help",
    "support",
    "community",
    "forum",
    "discuss",
    "blog",
    "status",
    "docs",
    "developer",
)

#: Hosted platforms whose pages count as the company's own when its site links to them.
HOSTED_PLATFORM_SUFFIXES: tuple[str, ...] = (
    "zendesk.com",
    "freshdesk.com",
    "helpscoutdocs.com",
    "intercom.help",
    "statuspage.io",
    "instatus.com",
    "discourse.group",
    "gitbook.io",
    "readme.io",
    "document360.io",
    "helpjuice.com",
    "canny.io",
    "uservoice.com",
    "status.io",
)

SKIP_EXTENSIONS = re.compile(
    r"\.(?:png|jpe?g|gif|webp|svg|ico|pdf|zip|gz|tar|mp4|mp3|mov|avi|woff2?|ttf|otf|css|js|exe|dmg|docx?|xlsx?)$",
    re.I,
)


def is_hosted_platform(hostname: str) -> bool:
    """A tenant of a hosted platform (``acme.zendesk.com``), not the vendor's site (``www.zendesk.com``)."""
    for suffix in HOSTED_PLATFORM_SUFFIXES:
        if hostname.endswith("." + suffix):
            tenant = hostname.removesuffix("." + suffix)
            return tenant not in ("www", "app", "docs", "blog", "status", "support", "help")
    return False


def url_priority(url: str, via: str, depth: int) -> int:
    """How soon to fetch ``url``: engagement pages and site chrome first, deep blog archives last.

    An engagement word in the last path segment (``/contact``) counts fully; in a parent segment or the
    subdomain of a deep page (``/blog/post-9``, ``community.…/t/123``) it counts half — the index page is
    what a consultant looks at first, not the 400th post.
    """
    segments = [seg for seg in urlsplit(url).path.lower().split("/") if seg]
    sub = host(url).split(".")[0]

    def weight(text: str) -> int:
        return max((ENGAGEMENT_WORDS.get(w, 0) for w in re.split(r"[^a-z0-9]+", text)), default=0)

    own = weight(segments[-1]) if segments else 0
    parents = max((weight(seg) for seg in segments[:-1]), default=0)
    sub_weight = weight(sub)
    score = max(own, parents // 2, sub_weight if len(segments) <= 1 else sub_weight // 2)
    if via == "chrome":
        score += 20
    if via in ("well-known", "subdomain"):
        score += 5
    score -= 10 * depth + 2 * len(segments)
    return score


#: Links read from one page (a page with 100,000 links is a trap, not a site map).
MAX_LINKS_PER_PAGE = 5000
#: A DOM nested deeper than this is noted on the page (it costs more, and browsers give up near it).
DEEP_DOM = 1000


@dataclass
class PageLinks:
    """A page's followable links split into site chrome (header/nav/footer) and body, and what was odd."""

    chrome: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    total: int = 0  # links seen, including those past MAX_LINKS_PER_PAGE
    depth: int = 0  # deepest element nesting (page_links measures it only past DEEP_DOM)

    def warnings(self) -> list[str]:
        notes = []
        if self.total > MAX_LINKS_PER_PAGE:
            notes.append(f"{self.total:,} links on the page; the first {MAX_LINKS_PER_PAGE:,} were read")
        if self.depth > DEEP_DOM:
            notes.append(f"elements nested {self.depth:,} deep (a page builder gone wrong, or a trap)")
        return notes


_LINK_TAGS = etree.XPath("//a[@href] | //link[@href]")
_CHROME_LINKS = etree.XPath(
    "(//header | //nav | //footer | //*[@role='navigation' or @role='banner' or @role='contentinfo'])"
    "//*[self::a or self::link][@href]"
)
_BASE_HREF = etree.XPath("(//base[@href])[1]/@href")
_TOO_DEEP = etree.XPath(f"boolean(//*[count(ancestor::*) >= {DEEP_DOM - 1}])")


def page_links(text: str, base: str) -> PageLinks:
    """The links of a page's HTML, as :func:`chrome_links` finds them, at a fifth of its cost.

    lxml builds the tree and XPath (in C) picks the links and the chrome ones; Python only sees the links.
    A tree nested past ``DEEP_DOM`` is read by :func:`chrome_links` instead: libxml2 stops nesting at 2,048
    levels and would drop what lies deeper, and there the walk also measures the depth. Elsewhere
    ``depth`` stays 0 (not measured: it is only reported past ``DEEP_DOM``).
    """
    parser = etree.HTMLParser(recover=True, huge_tree=True)
    parser.feed(text or " ")
    root = parser.close()
    if root is None:
        return PageLinks()
    if _TOO_DEEP(root):
        return chrome_links(BeautifulSoup(text, "lxml"), base)
    links = PageLinks()
    declared = _BASE_HREF(root)
    start = urljoin(base, str(declared[0])) if isinstance(declared, list) and declared else base
    chrome = set(_CHROME_LINKS(root))
    for el in _LINK_TAGS(root):
        tag, href = el.tag, el.get("href")
        if not href or (tag == "link" and not _declares_feed(el.get("rel") or "", el.get("type") or "")):
            continue
        links.total += 1
        if links.total > MAX_LINKS_PER_PAGE:
            continue
        url = _followable(start, href)
        if url is not None:
            (links.chrome if tag == "link" or el in chrome else links.body).append(url)
    return links


def _followable(start: str, href: str) -> str | None:
    """The canonical absolute http(s) URL of ``href``, or None for fragments, other schemes, bad URLs."""
    href = href.strip()
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    try:
        url = urljoin(start, href)
        if urlsplit(url).scheme not in ("http", "https"):
            return None
        return canonicalize(url)
    except ValueError:  # "http://[bad", "http://host:port/": not a link we can follow
        return None


def _declares_feed(rel: str, ctype: str) -> bool:
    ctype = ctype.lower()
    return "alternate" in rel.lower() and ("rss" in ctype or "atom" in ctype)


def chrome_links(soup: BeautifulSoup, base: str) -> PageLinks:
    """Links split into (site chrome: header/nav/footer, body).

    One walk of the tree in document order, each tag's chrome flag and depth inherited from its parent,
    so the cost is linear in the page (a 10,000-deep DOM full of links is no worse than a flat one).
    """
    links = PageLinks()
    base_tag = soup.find("base", href=True)
    root = urljoin(base, str(base_tag["href"])) if isinstance(base_tag, Tag) else base
    in_chrome: dict[int, bool] = {id(soup): False}
    depth: dict[int, int] = {id(soup): 0}
    for tag in soup.descendants:
        if not isinstance(tag, Tag):
            continue
        inherited = in_chrome.get(id(tag.parent), False)
        level = depth[id(tag)] = depth.get(id(tag.parent), 0) + 1
        links.depth = max(links.depth, level)
        flag = inherited or tag.name in ("header", "nav", "footer") or _CHROME_ROLES.intersection(_roles(tag))
        in_chrome[id(tag)] = bool(flag)
        if tag.name not in ("a", "link") or not tag.get("href"):
            continue
        if tag.name == "link" and not _is_feed_link(tag):
            continue
        links.total += 1
        if links.total > MAX_LINKS_PER_PAGE:
            continue
        url = _followable(root, str(tag["href"]))
        if url is None:
            continue
        (links.chrome if tag.name == "link" or inherited else links.body).append(url)
    return links


_CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo"})


def _roles(tag: Tag) -> list[str]:
    role = tag.get("role")
    return [role] if isinstance(role, str) else list(role or [])


def _is_feed_link(tag: Tag) -> bool:
    return _declares_feed(" ".join(tag.get_attribute_list("rel") or []), str(tag.get("type", "")))


def parse_sitemap(text: str) -> tuple[list[tuple[str, str | None]], list[str]]:
    """(page URLs with lastmod, child sitemap URLs) of a sitemap or sitemap index; XML bombs refused."""
    try:
        root = SafeET.fromstring(text.encode("utf-8"))
    except Exception:  # defusedxml raises its own types for entity attacks, ParseError for garbage
        return [], []
    urls: list[tuple[str, str | None]] = []
    children: list[str] = []
    for node in root:
        tag = node.tag.rsplit("}", 1)[-1]
        loc = lastmod = None
        for child in node:
            name = child.tag.rsplit("}", 1)[-1]
            if name == "loc" and child.text:
                loc = child.text.strip()
            elif name == "lastmod" and child.text:
                lastmod = child.text.strip()
        if not loc:
            continue
        if tag == "sitemap":
            children.append(loc)
        elif tag == "url":
            urls.append((loc, lastmod))
    return urls, children
