"""Help center / knowledge base: captured help pages (platform, article count, search) and links to them."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import unquote

from bs4 import Tag

from audit.models import Evidence, Finding, SiteCapture
from audit.urls import registrable_domain
from probes.base import (
    ParsedPage,
    attr_text,
    channel_root,
    dedupe,
    is_own,
    on_channel_site,
    parsed_pages,
    safe_urlsplit,
    strip_url,
    tried_pages,
    words,
    words_pattern,
)
from probes.community import forum_page
from probes.fingerprints import Platform, fingerprint, match_url, own_url_scheme, table
from probes.help_roots import help_root, help_vocabulary, help_word

NAME = "help_center"
CHANNELS: tuple[str, ...] = ("help_center",)

_GENERIC_ARTICLE = re.compile(r"/(?:articles?|kb|docs|knowledge|faq|guides?)/[^/]+", re.IGNORECASE)
_SEARCH_NAMES = frozenset({"q", "query", "search", "s", "term", "keywords", "keyword", "searchterm"})


def platforms() -> tuple[Platform, ...]:
    """The help-center platform table (``data/help_centers.toml``)."""
    return table("help_centers")


def probe(capture: SiteCapture) -> Evidence:
    """Help-center pages in the capture and links to the owner's help center."""
    pages = parsed_pages(capture)
    centers = _merge_pages([f for pp in pages if (f := help_page(pp, capture)) is not None])
    known = {f.url: str(f.attrs["platform"]) for f in centers}
    # a captured page that is not a help center (an FAQ page, a /support contact page) is no help-center link
    seen = {u for pp in pages if help_page(pp, capture) is None for u in _addresses(pp)}
    links = [f for pp in pages for f in _links(pp, capture, known, seen)]
    findings = _one_scheme(dedupe(centers + links))
    articles = [int(f.attrs["articles"]) for f in centers if f.attrs.get("articles") is not None]
    return Evidence(
        probe=NAME,
        findings=findings,
        metrics={"help_center.articles_seen": float(max(articles)) if articles else None},
        tried=tried_pages(
            capture, "help-center fingerprints, help./support. sites and /help paths, help links"
        ),
    )


def help_page(pp: ParsedPage, capture: SiteCapture) -> Finding | None:
    """A finding when the page belongs to a help center (fingerprint or own help site), else ``None``."""
    found = fingerprint(pp, platforms())
    docs_only = found is not None and found[0].extra.get("docs_only") and found[1] != "host"
    if docs_only and not _docs_site(pp.url):
        found = None  # a blog or landing page built with a docs generator is not a help center
    own_help = on_channel_site(pp.url, capture, "help_slug")
    if found is None and not own_help:
        return None
    platform = found[0] if found else None
    articles = _article_count(pp, platform)
    search = has_search(pp)
    if found is None and not _subdomain(pp.url) and articles < 3 and not search:
        return None  # a lone /support page is a contact page, not a knowledge base
    attrs = {"platform": platform.id if platform else "custom", "articles": articles, "search": search}
    method, snip = (found[1], found[2]) if found else ("page", pp.url)
    return Finding(
        "help_center", _root(pp.url, platform), attrs, source_url=pp.url, snippet=snip, method=method
    )


#: host labels and first path segments of a documentation site (besides the help words)
_DOCS_WORDS = frozenset({"docs", "doc", "documentation", "developer", "developers", "dev", "guide", "guides",
                         "manual", "learn", "wiki", "api", "reference"})  # fmt: skip


def _docs_site(url: str) -> bool:
    """True for a page of a documentation or help site: ``docs.``/``help.`` hosts, ``/docs``, ``/help`` …"""
    return _docs_root(url) is not None or help_root(url) is not None


def _docs_root(url: str) -> str | None:
    """The root of a documentation site: a ``docs.`` host, or the first path segment (``/docs/``)."""
    parts = safe_urlsplit(url)
    netloc = parts.netloc.lower()
    first = next((s for s in parts.path.split("/") if s), "")
    if netloc.split(".")[0] in _DOCS_WORDS:
        return f"{parts.scheme}://{netloc}/"
    return f"{parts.scheme}://{netloc}/{first}/" if first.lower() in _DOCS_WORDS else None


def _root(url: str, platform: Platform | None) -> str:
    parts = safe_urlsplit(url)
    match = match_url(url, (platform,)) if platform and platform.urls else None
    if match is not None and match[1]:
        return match[1]  # a workspace path on a shared host: intercom.help/<workspace>
    if platform and platform.owns_host(parts.hostname or ""):
        return f"{parts.scheme}://{parts.netloc.lower()}/"
    docs = _docs_root(url) if platform and platform.extra.get("docs_only") else None
    return docs or help_root(url) or channel_root(url, "help_slug")


def _one_scheme(findings: list[Finding]) -> list[Finding]:
    """``http://`` and ``https://`` links to the same root are one help center (the https one kept)."""
    https = {f.url[len("https://") :] for f in findings if f.url.startswith("https://")}
    return [f for f in findings if not (f.url.startswith("http://") and f.url[len("http://") :] in https)]


def _subdomain(url: str) -> bool:
    return channel_root(url, "help_slug").count("/") == 3


def _article_count(pp: ParsedPage, platform: Platform | None) -> int:
    pattern = (
        re.compile(str(platform.extra["articles"])) if platform and "articles" in platform.extra else None
    )
    host = safe_urlsplit(pp.url).netloc
    articles = set()
    for _, href in pp.anchors():
        parts = safe_urlsplit(href)
        if parts.netloc != host:
            continue
        if (pattern or _GENERIC_ARTICLE).search(parts.path):
            articles.add(parts.path.rstrip("/"))
    return len(articles)


def has_search(pp: ParsedPage) -> bool:
    """True when the page offers a search box."""
    # Both selectors name "search": a page without the word cannot match, and needs no tree walk.
    if (
        "search" in pp.index.folded_html
        and pp.soup.select_one("[role=search], input[type=search]") is not None
    ):
        return True
    return any(
        attr_text(field, "name").lower() in _SEARCH_NAMES
        and attr_text(field, "type").lower() in ("", "text", "search")
        for field in pp.index.tags("input")
    )


def _names_help(pp: ParsedPage, a: Tag, href: str) -> bool:
    """A link to an own help site: a help. subdomain, a help path in the site chrome, or a text saying "Help".

    Donation/contribution "support" links and plain contact links are not help centers.
    """
    text = pp.index.text(a)
    said = " ".join((text, attr_text(a, "class"), attr_text(a, "data-link-name"), href))
    if words_pattern("donate").search(said) or words_pattern("contact").fullmatch(text):
        return False
    if words_pattern("privacy").search(text) or words_pattern("terms").search(text):
        return False
    if _subdomain(href) or words_pattern("help_text").fullmatch(text):
        return True
    if pp.index.in_body_block(a):
        return False
    # a chrome link to the help root itself (/about/faq, /customer-service/), not to one page under it
    # ("Chat with us" → /support/chat-with-us)
    root = help_root(href) or ""
    path = safe_urlsplit(href).path
    return root.endswith(path.rstrip("/") + "/") or "." in path.rsplit("/", 1)[-1]


def _brand_site(href: str, capture: SiteCapture) -> bool:
    """The owner's domain, or one of the same brand: ``bbc.co.uk`` for ``bbc.com``, ``reddithelp.com``."""
    if is_own(href, capture):
        return True
    host, own = (safe_urlsplit(u).hostname or "" for u in (href, capture.url))
    if not host or not own:
        return False
    label, brand = (registrable_domain(h).split(".")[0] for h in (host, own))
    return label == brand or (label.startswith(brand) and help_word(label[len(brand) :]))


@lru_cache(maxsize=65536)
def _brand_root(href: str, site: str) -> str | None:
    """``help_root``, and the host root of a brand's help domain (``https://www.reddithelp.com/``).

    ``site`` is the page's own registrable domain: a site whose own name ends in a help word
    (``medhelp.org``, ``android-hilfe.de``) is that site, not its help center."""
    root = help_root(href)
    if root is not None:
        return root
    parts = safe_urlsplit(href)
    domain = registrable_domain((parts.hostname or "").lower())
    label = domain.split(".")[0]
    return (
        f"{parts.scheme}://{parts.netloc.lower()}/"
        if domain != site and any(label.endswith(w) for w in help_vocabulary())
        else None
    )


_DOCS_TEXT = re.compile(r"docs|documentation|dokumentation|documentaci[oó]n", re.IGNORECASE)
_HELP_TAG = re.compile(r"\bhelp\b", re.IGNORECASE)


def _docs_link_root(pp: ParsedPage, a: Tag, href: str) -> str | None:
    """A ``docs.`` host linked as "Help", or as "Docs" by a link the site itself tags as help
    (``data-ga-click="Footer, go to help, text:Docs"``), is the owner's help site (``docs.github.com``).
    A plain "Docs" link is product documentation; other links there (terms, an API reference) and
    ``/docs/`` paths are not help centers."""
    parts = safe_urlsplit(href)
    netloc = parts.netloc.lower()
    if netloc.split(".")[0] != "docs" or parts.path.strip("/"):
        return None
    text = pp.index.text(a).strip()
    tagged = any(
        _HELP_TAG.search(" ".join(v) if isinstance(v, list) else str(v))
        for k, v in a.attrs.items()
        if k.startswith("data-")
    )
    if words_pattern("help_text").fullmatch(text) or (_DOCS_TEXT.fullmatch(text) and tagged):
        return f"{parts.scheme}://{netloc}/"
    return None


def _said_help_root(pp: ParsedPage, a: Tag, href: str) -> str | None:
    """A link saying just "Help"/"Aide"/"Hilfe" to a first path segment compounding a help word
    (``/aide-technique``, ``/hilfe-und-kontakt``) is rooted at that segment; compounds alone are topics."""
    if not words_pattern("help_text").fullmatch(pp.index.text(a).strip()):
        return None
    parts = safe_urlsplit(href)
    first = next((seg for seg in parts.path.split("/") if seg), "")
    tokens = [t for t in re.split(r"[-_]", unquote(first).lower()) if t]
    if "." in first or len(tokens) < 2 or not any(t in help_vocabulary() for t in tokens):
        return None
    return f"{parts.scheme}://{parts.netloc.lower()}/{first}/"


def _host_root(href: str, capture: SiteCapture) -> str | None:
    """A platform's portal on a host of its own (``cbchelp.cbc.ca/hc/…``) is rooted at that host."""
    parts = safe_urlsplit(href)
    own = safe_urlsplit(capture.url).netloc.lower()
    netloc = parts.netloc.lower()
    return f"{parts.scheme}://{netloc}/" if netloc and netloc != own else None


def _merge_pages(found: list[Finding]) -> list[Finding]:
    """One finding per help center: the most articles seen on any of its pages, search if any page has one."""
    merged: dict[str, Finding] = {}
    for f in found:
        first = merged.setdefault(f.url, f)
        if first is not f:
            first.attrs["articles"] = max(int(first.attrs["articles"]), int(f.attrs["articles"]))
            first.attrs["search"] = bool(first.attrs["search"] or f.attrs["search"])
    return list(merged.values())


def _addresses(pp: ParsedPage) -> set[str]:
    urls = {pp.page.url, pp.url}
    return {strip_url(u).rstrip("/") for u in urls if u}


_SERVICE_TEXT = re.compile(r"(?<!\w)customer\s+(?:service|support|care)$|^faqs?$", re.IGNORECASE)
_SCRIPT_URL = re.compile(r"""['"]((?:https?:)?//[^'"\s]+|/[^'"\s]*)['"]""")


def _target(pp: ParsedPage, href: str) -> str:
    """``href``, or the URL a ``javascript:`` link opens (``javascript:void window.open('/help?…')``)."""
    if not href.lower().startswith("javascript:"):
        return href
    found = _SCRIPT_URL.search(href)
    return pp.absolute(found.group(1)) if found else href


_JOINED = re.compile(r"\s*[/|]\s*")


def _text_help_root(pp: ParsedPage, a: Tag, href: str) -> str | None:
    """A link outside the article body that says just "Help", "FAQ", "Customer Service" … is a help link
    wherever it points (the owner's subscription portal run by a vendor, a help page under a section),
    rooted by the Roots rule: its help segment at any depth, else its first path segment."""
    text = pp.index.text(a).strip()
    named = words_pattern("help_text").fullmatch
    # "FAQs/Help", "Infocenter / Hilfe": one of two names joined by a slash or bar says help ("r/help", a
    # subreddit's name, is no pair of names)
    names = _JOINED.split(text)
    joined = len(names) <= 3 and all(len(name) >= 3 for name in names) and any(named(n) for n in names)
    if not (joined or _SERVICE_TEXT.search(text)):
        return None
    if pp.index.in_body_block(a) or words_pattern("donate").search(f"{text} {href}"):
        return None
    parts = safe_urlsplit(href)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    root = help_root(href)
    if root is not None:
        return root
    netloc = parts.netloc.lower()
    segments = [unquote(s).lower() for s in parts.path.split("/") if s]
    if netloc.split(".")[0] in words("community_slug"):
        return None  # a forum's own help or FAQ (forum.example.com/Forum-FAQ/) is the forum's
    contact = words_pattern("contact")
    for segment in segments:
        tokens = set(re.split(r"[-_]", segment))
        if "." in segment:
            continue  # a help page's file name (hc.htm, FAQ.aspx) under a section: rooted at the section
        if help_word(segment) or segment in words("community_slug") or tokens & set(words("faq_slug")):
            return None  # help deeper down is a topic's or a forum's (/gp/video/help/, /community/hilfe/)
        if contact.fullmatch(segment.split(".")[0].replace("-", " ")):
            return None  # "Customer Service" → /about-us/contact/ is a contact page
    if segments and len(re.findall(r"[a-z0-9]+", segments[-1].split(".")[0])) > 3:
        return None  # a headline slug (commenting_on_slate_frequently_asked_questions.html) is an article
    if words_pattern("support_text").fullmatch(text):
        return None  # a bare "Support" may be sponsorship or the company page: the URL must say help
    if len(segments) >= 2 or (segments and "." not in segments[0]):
        return f"{parts.scheme}://{netloc}/{parts.path.split('/')[1]}/"
    return None


def _board_root(pp: ParsedPage) -> str:
    """On a forum page (a forum engine's fingerprint), the board's root as the community probe roots it;
    "" on other pages."""
    found = forum_page(pp)
    return found.url if found is not None else ""


def _boards_own_help(a: Tag, href: str, board: str) -> bool:
    """A help link on a forum page that the engine marks ``rel="help"`` or names ``faq.php``, or that leads
    into the board under its own path (``/forum/help/``; for a board at the site's root, its ``/help/``
    section): the forum software's own FAQ and rules, not the owner's help center."""
    path = safe_urlsplit(href).path.lower()
    if "help" in attr_text(a, "rel").lower().split() or path.endswith("/faq.php"):
        return True
    if safe_urlsplit(board).path.strip("/"):
        return strip_url(href).lower().startswith(board.lower())
    return strip_url(href).lower().startswith(board.lower()) and path.startswith("/help/")


def _donation_section(pp: ParsedPage, root: str) -> bool:
    """A "support" section whose pages ask for money (``/support/donate``, ``/support/membership/``)."""
    if not safe_urlsplit(root).path.strip("/"):
        return False
    pattern = words_pattern("donate")
    for a, href in pp.anchors():
        if href.startswith(root) and href.rstrip("/") != root.rstrip("/"):
            rest = href[len(root) :]
            if pattern.search(unquote(rest).replace("-", " ")) or pattern.search(pp.index.text(a)):
                return True
    return False


def _links(
    pp: ParsedPage, capture: SiteCapture, known: dict[str, str], seen: frozenset[str] | set[str] = frozenset()
) -> list[Finding]:
    out = []
    donation: dict[str, bool] = {}
    scheme = own_url_scheme(pp)
    site = registrable_domain((safe_urlsplit(capture.url).hostname or "").lower())
    board = _board_root(pp)
    for a, href in pp.anchors():
        href = _target(pp, href)
        match = match_url(href, platforms())
        if match is not None and not match[1] and (safe_urlsplit(href).hostname or "").lower() in scheme:
            match = None  # the site's own URL scheme (/s/article/… on a news site), not a platform's
        if match is not None:
            platform, url = match
            if pp.index.in_body_block(a) and not is_own(href, capture):
                continue
            url = url or _host_root(href, capture) or help_root(href) or channel_root(href, "help_slug")
            attrs = {"platform": platform.id, "articles": None, "search": False}
        elif (
            _brand_site(href, capture)
            and (
                root := _brand_root(href, site)
                or _docs_link_root(pp, a, href)
                or _said_help_root(pp, a, href)
            )
            and _names_help(pp, a, href)
        ):
            if strip_url(href).rstrip("/") in seen:
                continue  # the page it points to was read and is not a help center (an FAQ page, itself)
            url = root
            attrs = {"platform": known.get(url, "custom"), "articles": None, "search": False}
        elif (root := _text_help_root(pp, a, href)) is not None:
            if strip_url(href).rstrip("/") in seen or root.rstrip("/") in seen:
                continue  # the link, or the root it names, is a page that was read and is no help center
            url = root
            attrs = {"platform": known.get(url, "custom"), "articles": None, "search": False}
        else:
            continue
        if board and match is None and _boards_own_help(a, href, board):
            continue  # the forum software's FAQ, rules or help pages (faq.php, /forum/help/): the board's
        if url not in donation:
            donation[url] = _donation_section(pp, url)
        if donation[url]:
            continue
        snip = pp.index.snippet(a)
        out.append(Finding("help_center", url, attrs, source_url=pp.url, snippet=snip, method="anchor"))
    return out
