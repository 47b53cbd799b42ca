"""The owner's forum or community: captured forum pages (fingerprinted), links to it, and its activity.

Activity and responsiveness (``community.*`` metrics, see ``forum_activity``): through the forum's engine
(``probes/forums``): Discourse and Flarum through their APIs (requested by ``plan``), other forums from
their crawled thread pages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from audit.models import Evidence, Finding, Request, SiteCapture
from audit.urls import registrable_domain
from probes import forum_activity
from probes.base import (
    ParsedPage,
    attr_text,
    channel_root,
    copy_finding,
    dedupe,
    is_own,
    parsed_pages,
    per_page,
    safe_urlsplit,
    tried_pages,
    words,
    words_pattern,
)
from probes.fingerprints import Platform, fingerprint, match_url, own_url_scheme, table
from probes.forums import ENGINES, engine_for
from probes.help_roots import help_root

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
    # a link into the board a crawled page is on (a XenForo thread's /forums/ list) is that board
    boards = [f.url for f in forums]
    links = [f for f in links if not any(f.url != b and f.url.startswith(b) for b in boards)]
    findings = _one_scheme(_sections_folded(dedupe(forums + links)))
    activity = measure(capture, pages, forums)
    for f in findings:
        if f.url == activity.root:
            f.attrs["activity_method"] = activity.method
    return Evidence(
        probe=NAME,
        findings=findings,
        metrics={"community.channels": float(len(findings)), **activity.metrics},
        tried=tried_pages(capture, "forum fingerprints (generator, markup, hosts) and community links"),
        notes=activity.notes,
        reasons=activity.reasons,
    )


def measure(
    capture: SiteCapture, pages: list[ParsedPage], forums: list[Finding]
) -> forum_activity.ForumActivity:
    """The activity of the owner's first measurable forum (API engines first, then HTML thread pages)."""
    roots = sorted(
        {f.url: str(f.attrs["platform"]) for f in forums}.items(),
        key=lambda r: engine_for(r[1]).plan is None,
    )
    if not roots:
        return forum_activity.unmeasured("no forum of the company's own was found")
    root, platform = roots[0]
    result = engine_for(platform).measure(capture, root, pages)
    result.root = root
    return result


def forum_roots(capture: SiteCapture, platform: str) -> list[str]:
    """Root URLs of the owner's forums of one platform among the crawled pages."""
    found = {
        f.url for pp in parsed_pages(capture) if (f := forum_page(pp)) and f.attrs["platform"] == platform
    }
    return sorted(found)


def plan(capture: SiteCapture, api_bases: Mapping[str, str]) -> list[Request]:
    """The forum API requests the activity metrics need, from the first engine with an API whose forum
    is among the crawled pages (Discourse JSON, at the forum's own URL or a ``discourse=`` base, else
    Flarum's JSON:API)."""
    for engine in ENGINES:
        if engine.plan is not None and (roots := forum_roots(capture, engine.platform)):
            return engine.plan(capture, api_bases, roots[0])
    return []


@per_page(copy_finding)
def forum_page(pp: ParsedPage) -> Finding | None:
    """A finding when the page itself is a forum page (platform by fingerprint), else ``None``."""
    found = fingerprint(pp, platforms())
    if found is None:
        return None
    platform, method, snip = found
    root = community_root(pp.url) or channel_root(pp.url, "community_slug")
    parts = safe_urlsplit(root)
    if parts.path.strip("/").lower() in _NOT_PATHS:  # a Vanilla thread (/discussion/868/…): the site
        root = f"{parts.scheme}://{parts.netloc}/"
    return Finding(
        "community", root, {"platform": platform.id}, source_url=pp.url, snippet=snip, method=method
    )


def _links(pp: ParsedPage, capture: SiteCapture, known: dict[str, str]) -> list[Finding]:
    out = []
    scheme = own_url_scheme(pp)
    for a, href in pp.anchors():
        if "ugc" in attr_text(a, "rel").lower().split():
            continue  # user-generated content (a subreddit's sidebar, a post): not the owner's chrome
        mentioned = pp.index.in_body_block(a)
        text = pp.index.text(a)
        match = match_url(href, platforms())
        if match is not None and not match[1] and _host(href) in scheme:
            match = None  # the site's own URL scheme (/s/topic/… on a news site), not a platform's
        if match is not None:
            platform, url = match
            if mentioned and not is_own(href, capture):
                continue
            if platform.urls and is_own(href, capture) and not platform.owns_host(_host(pp.url)):
                continue  # on the platform itself (reddit, GitHub): its subreddits/discussions are content
            url = url or _site_root(channel_root(href, "community_slug"))
            attrs = {"platform": platform.id}
        elif is_own(href, capture) and (root := community_root(href)) and not mentioned:
            if _COMMENTS.search(text) or _FOLLOW.search(text) or words_pattern("follow").search(text):
                continue  # "View all comments": an article's comment section; "Follow us": social links
            url = root
            attrs = {"platform": known.get(url, "unknown")}
        elif not mentioned and (root := _said_community_root(href, text, capture)) is not None:
            url = root
            attrs = {"platform": known.get(url, "unknown")}
        else:
            continue
        snip = pp.index.snippet(a)
        out.append(Finding("community", url, attrs, source_url=pp.url, snippet=snip, method="anchor"))
    return out


_COMMENTS = re.compile(
    r"\bcomments?\b|kommentar|commentaires|comentarios|commenti|reacties"
    r"|\bjoin the (?:discussion|conversation)\b",
    re.IGNORECASE,
)
_FOLLOW = re.compile(r"^(?:follow|volg|folge|folgen|suivez|sigue|segui|siga)\b", re.IGNORECASE)
#: link texts that name the owner's community wherever it points ("Community", "Forums", "… Community")
_COMMUNITY_TEXT = re.compile(
    r"^(?:.{0,40}\s)?(?:community|communities|forums?|message boards?|discussion boards?|foren|foros?"
    r"|communaut[ée]|comunidad|comunit[àa]|comunidade|gemeenschap)$",
    re.IGNORECASE,
)


_BOARD_TEXT = re.compile(r"\b(?:forums?|boards?|foren|foros?)\b", re.IGNORECASE)


def _said_community_root(href: str, text: str, capture: SiteCapture) -> str | None:
    """A link outside the article body saying "Community" or "Forums" to the owner's or its brand's site
    (``sportsnation.espn.go.com``, ``caps.fool.com`` "Stock Picking Community", ``kaltura.org``) is its
    community: a host of its own, or the path up to a community segment at any depth."""
    if not _COMMUNITY_TEXT.match(text.strip()) or "guideline" in text.lower():
        return None
    parts = safe_urlsplit(href)
    if parts.scheme not in ("http", "https") or not parts.netloc or not _brand(href, capture):
        return None
    netloc = parts.netloc.lower()
    if help_root(f"{parts.scheme}://{netloc}/") is not None:
        return None  # help.example.com "Community": the help center's
    segments = [seg for seg in parts.path.split("/") if seg]
    vocabulary = frozenset(words("community_slug")) | _BOARD_WORDS
    boards = _BOARD_TEXT.search(text) is not None
    for i, segment in enumerate(segments):
        if segment.lower() in vocabulary and segment.lower() not in _NOT_PATHS:
            if i > 0 and not boards and segment.lower() not in _BOARD_WORDS:
                return None  # /news/local/communities/: a news section, unless the link says "Forums"
            return f"{parts.scheme}://{netloc}/" + "".join(f"{seg}/" for seg in segments[: i + 1])
    if not segments and netloc != _host(capture.url):
        return f"{parts.scheme}://{netloc}/"  # a community site of its own (a subdomain, a brand's domain)
    return None


def _brand(href: str, capture: SiteCapture) -> bool:
    """The owner's domain or one of its brand (``kaltura.org`` for ``videos.kaltura.com``)."""
    if is_own(href, capture):
        return True
    host, own = (registrable_domain(_host(u)).split(".")[0] for u in (href, capture.url))
    return bool(host) and host == own


def _site_root(root: str) -> str:
    """A Vanilla thread's ``/discussion/`` segment is not a community root: the site's is."""
    parts = safe_urlsplit(root)
    if parts.path.strip("/").lower() in _NOT_PATHS:
        return f"{parts.scheme}://{parts.netloc}/"
    return root


#: host labels and path segments of message boards besides the community words (``bbs.``, ``/board/``)
_BOARD_WORDS = frozenset({"bbs", "board", "boards", "forum", "forums"})
#: path words that, unlike host labels, usually name a comment system (``/discussion/p/33cym``)
_NOT_PATHS = frozenset({"discuss", "discussion", "discussions"})


def _sections_folded(findings: list[Finding]) -> list[Finding]:
    """A board's sections linked beside the board itself are the board: with ``/Forum/`` on a host, the
    menu's ``/Wellness/Forum/`` and ``/Health/Diseases/Forum/`` (a deeper root ending in the same segment) are
    its topic sections, not communities of their own."""

    def segments(url: str) -> tuple[str, list[str]]:
        parts = safe_urlsplit(url)
        return parts.netloc.lower(), [s.lower() for s in parts.path.split("/") if s]

    tops = {(host, path[0]) for host, path in map(segments, (f.url for f in findings)) if len(path) == 1}
    kept = []
    for f in findings:
        host, path = segments(f.url)
        if len(path) > 1 and (host, path[-1]) in tops:
            continue
        kept.append(f)
    return kept


def _one_scheme(findings: list[Finding]) -> list[Finding]:
    """``http://`` and ``https://`` roots of one community are one item: the forum's own crawled page when
    one was read (its scheme is where the forum answers), else the https link, with the platform its twin was
    recognised as when the kept one named none."""
    by_rest: dict[str, list[Finding]] = {}
    for f in findings:
        scheme, _, rest = f.url.partition("://")
        by_rest.setdefault(rest if scheme in ("http", "https") else f.url, []).append(f)
    kept = []
    for group in by_rest.values():
        best = min(group, key=lambda f: (f.method == "anchor", not f.url.startswith("https://")))
        if best.attrs.get("platform") == "unknown":
            named = [str(f.attrs["platform"]) for f in group if f.attrs.get("platform") != "unknown"]
            best.attrs["platform"] = named[0] if named else "unknown"
        kept.append(best)
    return sorted(kept, key=lambda f: (f.channel, f.url))


def _host(url: str) -> str:
    return (safe_urlsplit(url).hostname or "").lower()


def community_root(url: str) -> str | None:
    """The owner's community root for a link, or ``None``: a community/forum host (``forums.``, ``bbs.``,
    ``boards.``, ``fusecommunity.``) is its own root; otherwise the path up to a forum/board/community
    segment in its first two levels (``/members/forums/``). A help site's forums are its help center's."""
    return _community_root(url)


@lru_cache(maxsize=65536)
def _community_root(url: str) -> str | None:
    parts = safe_urlsplit(url)
    netloc = parts.netloc.lower()
    if not netloc:
        return None
    label = netloc.split(".")[0]
    vocabulary = frozenset(words("community_slug")) | _BOARD_WORDS
    if label in vocabulary or any(w in label for w in ("community", "comunidad", "forum")):
        return f"{parts.scheme}://{netloc}/"
    if help_root(f"{parts.scheme}://{netloc}/") is not None:
        return None  # support.example.com/forums/…: the help center's
    segments = [s for s in parts.path.split("/") if s]
    for i, segment in enumerate(segments[:2]):
        word = segment.lower()
        # deeper than the first level only boards (/members/forums/); /news/community/ is a news section
        if (word in (vocabulary if i == 0 else _BOARD_WORDS) and word not in _NOT_PATHS) or (
            _board_compound(word) and _main_host(netloc)
        ):
            return f"{parts.scheme}://{netloc}/" + "".join(f"{s}/" for s in segments[: i + 1])
    return None


_COMPOUND_BOARD = re.compile(r"^(?:[a-z0-9]+[-_]){1,3}(?:forums?|bbs)$|^(?:message|discussion)[-_]?boards?$")


def _main_host(netloc: str) -> bool:
    """The site's main host (``amsel.de``, ``www.amsel.de``), where a board is one section among others; on a
    subdomain (``talk.…``, ``feeds.…``) a board-named path is a category of the board the host is."""
    host = netloc.rsplit("@", 1)[-1].split(":")[0]
    domain = registrable_domain(host)
    return host in (domain, f"www.{domain}")


def _board_compound(segment: str) -> bool:
    """A path segment naming a message board in a compound: ``multiple-sklerose-forum``, ``message_board``,
    ``discussion-boards`` (a board named for its topic, or said to be a message board). ``advisory-board`` or
    ``forum-rules`` are not: only a compound ending in forum/bbs, or a message/discussion board."""
    return _COMPOUND_BOARD.match(segment) is not None
