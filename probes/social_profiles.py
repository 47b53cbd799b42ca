"""Social profiles: the site owner's own accounts, as canonical profile URLs (platform table in data)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

from bs4 import Tag

from audit.models import Evidence, Finding, SiteCapture
from audit.urls import registrable_domain
from probes.base import (
    ParsedPage,
    as_list,
    attr_text,
    dedupe,
    host_of,
    is_chrome_element,
    jsonld,
    load_data,
    parsed_pages,
    per_page,
    safe_urlsplit,
    tried_pages,
    types_of,
    words_pattern,
)

NAME = "social_profiles"
CHANNELS: tuple[str, ...] = ("social",)

_MOBILE_PREFIX = re.compile(r"^(?:www|m|mobile|web)\.")
_NON_ALNUM = re.compile(r"[\W_]+")
_FOLLOW_CLASS = re.compile(r"social|follow", re.IGNORECASE)
_PLATFORM_ALIASES = {
    "twitter.com": "x.com"
}  # profile URLs are canonical (x.com); pages may be on the old host
_PERSON_CLASS = re.compile(
    r"(?:^|[\s_-])(?i:staff|author|byline|team|member|speaker|contributor|people)[A-Z]"
)
_SHARE_MARK = re.compile(r"share|sharing|social", re.IGNORECASE)
_BODY_MARK = re.compile(
    r"(?:^|[-_ ])(?:entry-content|post-content|post-body|article-body|article-content|author|byline|bio|"
    r"comment|comments|related|team|member|members|staff|person|mention)(?:$|[-_ ])",
    re.IGNORECASE,
)
_OWNER_META = frozenset({"twitter:site", "article:publisher"})
#: ``twitter:site`` values that blog platforms and forum plugins write for every site they serve (not the
#: owner's account): Jetpack, WordPress.com, Tapatalk's forum plugin
_META_DEFAULTS = frozenset({"jetpack", "wordpressdotcom", "tapatalk"})
_PERSONISH = frozenset({"Person", "ProfilePage"})


@dataclass(frozen=True)
class Profile:
    """A parsed profile URL: platform id, canonical URL, handle and the channel it fills."""

    platform: str
    url: str
    handle: str
    channel: str


@dataclass(frozen=True)
class _Shape:
    path: re.Pattern[str]
    host: re.Pattern[str] | None
    url: str
    handle: str
    lower: bool
    known_hosts_only: bool


@dataclass(frozen=True)
class _Platform:
    id: str
    channel: str
    hosts: tuple[str, ...]
    not_hosts: frozenset[str]
    reserved: frozenset[str]
    shapes: tuple[_Shape, ...]
    names: frozenset[str] = frozenset()  # lower-cased: its id and table name ("x", "x (twitter)", "twitter")

    @property
    def generic(self) -> bool:
        return "*" in self.hosts

    def named_host(self, host: str) -> bool:
        """True when ``host`` is one of this platform's own hosts (not the ``*`` wildcard)."""
        return any(h == host or (h.startswith("*.") and host.endswith(h[1:])) for h in self.hosts)


@lru_cache(maxsize=1)
def platforms() -> tuple[_Platform, ...]:
    """The social platform table (``data/social_platforms.toml``), compiled."""
    return tuple(_compile(entry) for entry in load_data("social_platforms")["platform"])


def _compile(entry: dict[str, Any]) -> _Platform:
    lower = bool(entry.get("lower", True))
    shapes = tuple(
        _Shape(
            path=re.compile(s["path"]),
            host=re.compile(s["host"]) if s.get("host") else None,
            url=s["url"],
            handle=s.get("handle", "{handle}"),
            lower=bool(s.get("lower", lower)),
            known_hosts_only=bool(s.get("known_hosts_only", False)),
        )
        for s in entry["shape"]
    )
    return _Platform(
        id=entry["id"],
        channel=entry.get("channel", "social"),
        hosts=tuple(entry["hosts"]),
        not_hosts=frozenset(entry.get("not_hosts", [])),
        reserved=frozenset(r.lower() for r in entry.get("reserved", [])),
        shapes=shapes,
        names=_names(entry["id"], entry.get("name", "")),
    )


def _names(platform_id: str, name: str) -> frozenset[str]:
    """A platform's id and name, and each part of a name with a former one in brackets (``X (Twitter)``)."""
    name = name.lower()
    parts = [part.strip(" )") for part in name.split("(")]
    return frozenset({platform_id.lower(), name, *parts}) - {""}


@lru_cache(maxsize=1)
def _names_by_platform() -> dict[str, frozenset[str]]:
    return {p.id: p.names for p in platforms()}


@lru_cache(maxsize=65536)  # the same share bars and footers link the same URLs on every page
def parse_profile(url: str, own_host: str = "", own_subdomains: bool = False) -> Profile | None:
    """The profile a URL points to, or ``None`` for shares, posts, videos, searches and other pages.

    Generic shapes (Mastodon's ``/@user``) never match the owner's own host; with ``own_subdomains`` (a
    ``rel="me"`` link) they may match the owner's subdomains (a self-hosted ``social.`` instance).
    """
    parts = safe_urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = _MOBILE_PREFIX.sub("", parts.hostname.lower().rstrip("."))
    path = unquote(parts.path).rstrip("/")
    if not path and parts.fragment.startswith("!/"):  # legacy hash-bang URLs: twitter.com/#!/acme
        path = unquote(parts.fragment[1:].split("?")[0]).rstrip("/")
    named = _named_platform(host)
    if named is not None:
        return _match(named, host, path, wildcard=False)
    if own_host and (host == own_host or (host.endswith("." + own_host) and not own_subdomains)):
        return None
    for platform in platforms():
        if platform.generic and host not in platform.not_hosts:
            found = _match(platform, host, path, wildcard=True)
            if found:
                return found
    return None


@lru_cache(maxsize=4096)
def _named_platform(host: str) -> _Platform | None:
    """The first platform that names ``host`` as one of its own."""
    return next((p for p in platforms() if p.named_host(host)), None)


def _match(platform: _Platform, host: str, path: str, wildcard: bool) -> Profile | None:
    for shape in platform.shapes:
        if wildcard and shape.known_hosts_only:
            continue
        host_m = shape.host.fullmatch(host) if shape.host else None
        if shape.host and not host_m:
            continue
        path_m = shape.path.fullmatch(path)
        if not path_m:
            continue
        groups = {**(host_m.groupdict() if host_m else {}), **path_m.groupdict()}
        handle = groups.get("handle") or ""
        if handle.lower() in platform.reserved or not handle:
            return None
        if shape.lower:
            handle = handle.lower()
        return Profile(
            platform=platform.id,
            url=shape.url.format(handle=handle, host=host),
            handle=shape.handle.format(handle=handle, host=host),
            channel=platform.channel,
        )
    return None


@dataclass
class _Candidate:
    profile: Profile
    finding: Finding
    context: str  # "strong" (JSON-LD, meta, rel=me), "chrome", "follow", "plain", "body-follow" or "body"
    row: str = ""  # the icon row a plain link sits in (page URL and element), "" when none
    named: bool = False  # the link's whole text is its platform's name ("Twitter", "Facebook"; social table)
    text: str = ""  # the link's short text, lower case


def probe(capture: SiteCapture) -> Evidence:
    """Find the owner's social profiles on every page: chrome/follow links, JSON-LD, twitter:site, rel=me."""
    own = host_of(capture.url)
    candidates = [c for pp in parsed_pages(capture) for c in _candidates(pp, own)]
    social = [c for c in candidates if c.profile.channel == "social"]
    repeated = _pages_per_url(social)
    brand = brand_of(own)
    # rows of links each labelled with its platform's bare name, for two platforms or more
    platforms_named: dict[str, set[str]] = {}
    for c in social:
        if c.named and c.row:
            platforms_named.setdefault(c.row, set()).add(c.profile.platform)
    named_rows = {row for row, names in platforms_named.items() if len(names) >= 2}
    accepted = [c for c in social if _is_owner(c, repeated, brand, own, named_rows)]
    owned = [c.finding for c in accepted + _row_mates(social, accepted)]
    findings = dedupe(owned)
    skipped = len({c.profile.url for c in social} - {f.url for f in findings})
    notes = [f"{skipped} profile link(s) not attributed to the owner (article bodies, author boxes, one-off)"]
    return Evidence(
        probe=NAME,
        findings=findings,
        metrics={"social.profiles": float(len(findings))},
        tried=tried_pages(capture, "anchors, JSON-LD sameAs, twitter:site meta and rel=me"),
        notes=notes if skipped else [],
    )


def _is_owner(c: _Candidate, repeated: Counter[str], brand: str, own: str, named_rows: set[str]) -> bool:
    if c.context != "strong" and _on_own_platform(c.profile.url, own):
        # a page on the platform itself (a YouTube channel, a subreddit, a GitHub repo): its links to
        # channels, subreddits and users are content; only the platform's own account in its chrome counts
        return c.context == "chrome" and brand_like(c.profile.handle, brand)
    if c.context in ("strong", "chrome", "follow"):
        return True
    if c.context == "body-follow":
        return brand_like(c.profile.handle, brand)
    if c.context != "plain":
        return False
    # a row of links the site labels with the bare platform names ("Twitter", "Facebook") is its own list
    # of accounts; an author card's single "Twitter" link beside the name is not
    named_row = c.named and c.row in named_rows
    return (
        repeated[c.profile.url] >= 2
        or brand_like(c.profile.handle, brand)
        or named_row
        or _brand_text(c, brand)
    )


def _brand_text(c: _Candidate, brand: str) -> bool:
    """A link whose own short text is the brand's name (``Rawstory.tv`` to a YouTube channel id): the
    site's own account under an address that names nothing. A text that goes on past the name ("The
    Atlantic's Jane Doe") is a person's."""
    name = _NON_ALNUM.sub("", c.text)
    return len(brand) >= 4 and name.startswith(brand) and len(name) <= len(brand) + 6


def _row_mates(social: list[_Candidate], accepted: list[_Candidate]) -> list[_Candidate]:
    """Plain links in an icon row with an owner's profile of another platform: the row is the owner's list
    of accounts (``LinkedInIcon`` beside a brand-named Facebook page), one account per platform."""
    rows: dict[str, set[str]] = {}
    for c in accepted:
        if c.row:
            rows.setdefault(c.row, set()).add(c.profile.platform)
    taken = {c.profile.url for c in accepted}
    return [
        c
        for c in social
        if c.context == "plain"
        and c.row in rows
        and c.profile.platform not in rows[c.row]
        and c.profile.url not in taken
    ]


def _icon_row(tag: Tag) -> str:
    """The nearest ancestor (three levels up at most) holding 2–12 links: a row of profile icons."""
    for depth, parent in enumerate(tag.parents):
        if depth >= 3 or not isinstance(parent, Tag) or parent.name in ("body", "main", "html"):
            return ""
        links = len(parent.find_all("a", href=True, limit=13))
        if links > 12:
            return ""
        if links >= 2:
            return str(id(parent))
    return ""


def _on_own_platform(url: str, own: str) -> bool:
    host = host_of(url)
    if not (own and host):
        return False
    site = registrable_domain(own)
    return registrable_domain(host) == _PLATFORM_ALIASES.get(site, site)


def brand_of(host: str) -> str:
    """The brand word of a host: its registrable domain without the suffix, letters and digits only."""
    if not host:
        return ""
    label = registrable_domain(host).split(".")[0]
    return _NON_ALNUM.sub("", label.lower())


def brand_like(handle: str, brand: str) -> bool:
    """True when a handle names the brand (one contains the other), a signal for an unplaced link.

    Only for links outside article bodies and person cards: a plain link list ("links" page, sidebar
    widget) naming the brand is the owner's; a handle similar to the brand alone never overrides a body.
    """
    name = _NON_ALNUM.sub("", handle.split("@")[0].removeprefix("r/").lower())
    if len(brand) < 4 or len(name) < 4:
        return False
    if brand in name or name in brand:
        return True
    # a domain that puts a verb or article before the name (goabbeyroad.com, getacme.com, theacme.com)
    # against the accounts named for the brand itself (abbeyroadprograms)
    core = next((brand[len(p) :] for p in _BRAND_PREFIXES if brand.startswith(p)), "")
    return len(core) >= 5 and core in name


_BRAND_PREFIXES = ("go", "get", "try", "use", "join", "my", "the", "visit", "hey")


def _pages_per_url(candidates: list[_Candidate]) -> Counter[str]:
    pairs = {(c.profile.url, c.finding.source_url) for c in candidates if c.context == "plain"}
    return Counter(url for url, _ in pairs)


def _copy_candidates(candidates: list[_Candidate]) -> list[_Candidate]:
    """The caller's own candidates (its findings too), for the per-page memo of :func:`_candidates`."""
    return [replace(c, finding=replace(c.finding, attrs=dict(c.finding.attrs))) for c in candidates]


@per_page(_copy_candidates)
def _candidates(pp: ParsedPage, own: str) -> list[_Candidate]:
    return [*_from_jsonld(pp, own), *_from_meta(pp, own), *_from_links(pp, own)]


def _candidate(profile: Profile, pp: ParsedPage, snip: str, method: str, context: str) -> _Candidate:
    attrs = {"platform": profile.platform, "handle": profile.handle}
    finding = Finding("social", profile.url, attrs, source_url=pp.url, snippet=snip, method=method)
    return _Candidate(profile, finding, context)


def _from_jsonld(pp: ParsedPage, own: str) -> list[_Candidate]:
    out = []
    for item in _organisations(pp):
        for same in as_list(item.get("sameAs")):
            profile = parse_profile(str(same), own) if isinstance(same, str) else None
            if profile:
                out.append(_candidate(profile, pp, f'json-ld sameAs "{same}"', "json-ld", "strong"))
    return out


def _organisations(pp: ParsedPage) -> list[dict[str, Any]]:
    items = [i for i in jsonld(pp) if not types_of(i) & _PERSONISH]
    nested = [p for i in jsonld(pp) for p in as_list(i.get("publisher")) if isinstance(p, dict)]
    return [*items, *(p for p in nested if not types_of(p) & _PERSONISH)]


def _from_meta(pp: ParsedPage, own: str) -> list[_Candidate]:
    """``twitter:site`` and ``article:publisher`` name the owner's accounts (``name``/``property``,
    ``content`` or the ``value`` some templates write); ``twitter:creator`` is the author and is not read."""
    out = []
    for meta in pp.index.tags("meta"):
        key = (attr_text(meta, "name") or attr_text(meta, "property")).strip().lower()
        if key not in _OWNER_META:
            continue
        value = (attr_text(meta, "content") or attr_text(meta, "value")).strip()
        if not value:
            continue
        url = value if value.startswith("http") else f"https://x.com/{value.lstrip('@')}"
        profile = parse_profile(url, own)
        if profile and profile.handle not in _META_DEFAULTS:
            out.append(_candidate(profile, pp, pp.index.snippet(meta), "meta", "strong"))
    return out


def _from_links(pp: ParsedPage, own: str) -> list[_Candidate]:
    out = []
    for tag in pp.index.with_attr("href", "a", "link"):
        rel_me = "me" in attr_text(tag, "rel").lower().split()
        profile = parse_profile(pp.absolute(str(tag["href"])), own, own_subdomains=rel_me)
        if profile is None:
            continue
        method = "rel-me" if rel_me else "anchor"
        if tag.name == "link" and not rel_me:
            continue
        context = "strong" if rel_me else _context(pp, tag)
        candidate = _candidate(profile, pp, pp.index.snippet(tag), method, context)
        row = _icon_row(tag) if context in ("plain", "chrome", "follow") else ""
        candidate.row = f"{pp.url}#{row}" if row else ""
        text = (pp.index.short_text(tag) or "").lower()
        candidate.named = text in _names_by_platform().get(profile.platform, frozenset())
        candidate.text = text
        out.append(candidate)
    return out


def _context(pp: ParsedPage, tag: Tag) -> str:
    """Where a profile link sits: article body/share bar, site chrome, a follow-us block, or plain."""
    if _in_person_card(tag):
        return "body"
    if pp.index.in_body_block(tag):
        if pp.index.in_chrome(tag) and _share_list_in_chrome(tag):
            return "chrome"
        # "Follow us" under a story: the owner's accounts when they carry its brand, else an author's
        return "body-follow" if _in_follow_block(pp, tag) else "body"
    if pp.index.in_site_chrome(tag):
        return "chrome"
    return "follow" if _in_follow_block(pp, tag) else "plain"


def _share_list_in_chrome(tag: Tag) -> bool:
    """True when the only body marker between ``tag`` and the site header/footer/nav is a "share"/"social"
    class: a footer's icon list of the owner's profiles (``CNBCFooter-share``), not an article's share bar
    (whose links are share URLs, never profiles) nor an author box."""
    for parent in tag.parents:
        if not isinstance(parent, Tag) or parent.name in ("body", "html"):
            return False
        if is_chrome_element(parent):  # the same test as the page index's chrome flag
            return True
        if parent.name == "article" or parent.get("role") == "article":
            return False
        marks = f"{attr_text(parent, 'class')} {attr_text(parent, 'id')}"
        if _BODY_MARK.search(marks) and not _SHARE_MARK.search(marks):
            return False
    return False


_BYLINE_MARK = re.compile(r"(?:^|[\s_-])(?:reporter|reporters|byline|bylines)(?:$|[\s_:-])", re.IGNORECASE)


def _in_person_card(tag: Tag) -> bool:
    """A staff list or author card named in camelCase CSS-module classes (``staffLinks--1UhV``), a
    reporter box (``reporter-info``), or a link the site itself tracks as the byline's
    (``data-track="Byline: Twitter Follow"``)."""
    tracked = " ".join(str(v) for k, v in tag.attrs.items() if k.startswith("data-"))
    if _BYLINE_MARK.search(tracked):
        return True
    for depth, parent in enumerate(tag.parents):
        if depth >= 5 or not isinstance(parent, Tag) or parent.name in ("body", "main", "html"):
            return False
        if _PERSON_CLASS.search(attr_text(parent, "class")):
            return True
        if _BYLINE_MARK.search(f"{attr_text(parent, 'class')} {attr_text(parent, 'id')}"):
            return True
    return False


def _in_follow_block(pp: ParsedPage, tag: Tag) -> bool:
    for depth, parent in enumerate(tag.parents):
        if depth >= 4 or not isinstance(parent, Tag) or parent.name in ("body", "main", "html"):
            return False
        if _FOLLOW_CLASS.search(attr_text(parent, "class") + " " + attr_text(parent, "id")):
            return True
        text = pp.index.short_text(parent)
        if text is not None and len(text) < 400 and words_pattern("follow").search(text):
            return True
    return False
