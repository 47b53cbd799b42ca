"""Platform tables shared by probes: page fingerprints (generator, HTML) and URL shapes (hosts, paths).

A table is a data file ``probes/data/<name>.toml`` with ``[[platform]]`` entries:
``id``, ``name``, ``generator`` (regexes over ``<meta name=generator>``), ``html`` (regexes over the raw
page), ``cookies`` (regexes over the page's ``Set-Cookie`` header: an engine's own cookie names),
``hosts`` (``host`` or ``*.suffix``; the vendor's own ``www.`` site is not a ``*.`` customer host),
``paths`` (regexes over a URL path), ``path_queries`` (regexes over the path and query,
``/showthread.php?tid=1``), ``urls`` (regexes over a whole URL; the match is the canonical URL),
``examples`` (HTML that must fingerprint as this platform only) and ``link_examples`` (URLs that must
resolve to it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from probes.base import Literals, ParsedPage, attr_text, compile_all, literals_of, load_data, safe_urlsplit


@dataclass(frozen=True)
class Platform:
    """One platform's compiled fingerprints."""

    id: str
    name: str
    generator: re.Pattern[str] | None
    html: re.Pattern[str] | None
    hosts: tuple[str, ...]
    paths: re.Pattern[str] | None
    urls: re.Pattern[str] | None
    extra: dict[str, Any]
    html_words: Literals | None = None
    path_queries: re.Pattern[str] | None = None
    cookies: re.Pattern[str] | None = None

    def html_match(self, html: str) -> re.Match[str] | None:
        """The first match of the ``html`` fingerprints in a page source."""
        if self.html is None or (self.html_words is not None and self.html_words.absent_from(html)):
            return None
        return self.html.search(html)

    def owns_host(self, host: str) -> bool:
        """True when ``host`` is one of the platform's hosts (``host``, ``www.host`` or ``*.suffix``)."""
        host = host.lower()
        if host in self._exact_hosts:
            return True
        # www.zendesk.com is the vendor's own site ("Powered by Zendesk"), not a customer's portal
        return host.endswith(self._host_suffixes) and f".{host}" not in self._www_suffixes

    @cached_property
    def _www_suffixes(self) -> frozenset[str]:
        return frozenset(f".www{s}" for s in self._host_suffixes)

    @cached_property
    def _exact_hosts(self) -> frozenset[str]:
        return frozenset(h for host in self.hosts for h in (host, f"www.{host}"))

    @cached_property
    def _host_suffixes(self) -> tuple[str, ...]:
        return tuple(h[1:] for h in self.hosts if h.startswith("*."))


@cache
def table(name: str) -> tuple[Platform, ...]:
    """The platform table ``data/<name>.toml``, compiled."""
    platforms = tuple(_compile(entry) for entry in load_data(name)["platform"])
    _SCREENS[id(platforms)] = _UrlScreen.of(platforms)  # the tuple lives as long as the cache: id stays
    return platforms


@dataclass(frozen=True)
class _UrlScreen:
    """A whole table's URL shapes, hosts and paths at once: most links match none, and one test says so."""

    urls: re.Pattern[str] | None
    exact_hosts: frozenset[str]
    host_suffixes: tuple[str, ...]
    paths: re.Pattern[str] | None
    path_queries: re.Pattern[str] | None = None

    @classmethod
    def of(cls, platforms: tuple[Platform, ...]) -> _UrlScreen | None:
        try:
            urls = _union([p.urls for p in platforms if p.urls], re.IGNORECASE)
            paths = _union([p.paths for p in platforms if p.paths], 0)
            path_queries = _union([p.path_queries for p in platforms if p.path_queries], 0)
        except re.error:  # the same group name in two entries: no screen, the table is matched entry by entry
            return None
        return cls(
            urls=urls,
            exact_hosts=frozenset(h for p in platforms for h in p._exact_hosts),
            host_suffixes=tuple(s for p in platforms for s in p._host_suffixes),
            paths=paths,
            path_queries=path_queries,
        )

    def rules_out(self, url: str, host: str, path: str, query: str, with_paths: bool) -> bool:
        """True when no entry of the table can match ``url``."""
        if self.urls is not None and self.urls.search(url):
            return False
        if host in self.exact_hosts or host.endswith(self.host_suffixes):
            return False
        if not with_paths:
            return True
        if self.paths is not None and self.paths.search(path):
            return False
        return not (self.path_queries is not None and query and self.path_queries.search(f"{path}?{query}"))


def _union(patterns: list[re.Pattern[str]], flags: int) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), flags) if patterns else None


_SCREENS: dict[int, _UrlScreen | None] = {}


_KNOWN = frozenset({"id", "name", "generator", "html", "hosts", "paths", "path_queries", "urls", "cookies"})


def _compile(entry: dict[str, Any]) -> Platform:
    return Platform(
        id=entry["id"],
        name=entry.get("name", entry["id"]),
        generator=compile_all(entry.get("generator", []), re.IGNORECASE),
        html=compile_all(entry.get("html", [])),
        hosts=tuple(h.lower() for h in entry.get("hosts", [])),
        paths=compile_all(entry.get("paths", [])),
        urls=compile_all(entry.get("urls", []), re.IGNORECASE),
        extra={k: v for k, v in entry.items() if k not in _KNOWN},
        html_words=literals_of(entry.get("html", [])),
        path_queries=compile_all(entry.get("path_queries", [])),
        cookies=compile_all(entry.get("cookies", [])),
    )


def fingerprint(pp: ParsedPage, platforms: tuple[Platform, ...]) -> tuple[Platform, str, str] | None:
    """(platform, method, snippet) of the first platform whose generator, host, HTML or cookies mark this
    page."""
    generator = _generator(pp)
    host = (safe_urlsplit(pp.url).hostname or "").lower()
    cookies = pp.page.headers.get("set-cookie", "")
    for p in platforms:
        if generator and p.generator and p.generator.search(generator):
            return p, "meta", f'<meta name="generator" content="{generator[:80]}">'
        if p.owns_host(host):
            return p, "host", host
        m = p.html_match(pp.page.html)
        if m:
            return p, "html", m.group(0)[:120]
        c = p.cookies.search(cookies) if cookies and p.cookies else None
        if c:
            return p, "cookie", f"Set-Cookie: {c.group(0)[:80]}"
    return None


def _generator(pp: ParsedPage) -> str:
    meta = next((m for m in pp.index.tags("meta") if _GENERATOR.search(attr_text(m, "name"))), None)
    return attr_text(meta, "content") if meta is not None else ""


_GENERATOR = re.compile(r"^generator$", re.IGNORECASE)


def match_url(
    url: str, platforms: tuple[Platform, ...], with_paths: bool = True
) -> tuple[Platform, str] | None:
    """(platform, canonical URL) of the first platform whose URL shapes or hosts match ``url``, else of the
    first whose paths do. Answers for the data-file tables are remembered per URL: several probes ask about
    every link of every page."""
    if id(platforms) not in _SCREENS:  # a table made by hand (tests): it may not live long enough to key on
        return _match_url(url, platforms, with_paths)
    key = (url, id(platforms), with_paths)
    hit = _MATCHES.get(key)
    if hit is not None and hit[0] is platforms:
        return hit[1]
    if len(_MATCHES) >= _MAX_MATCHES:
        _MATCHES.clear()
    found = _match_url(url, platforms, with_paths)
    _MATCHES[key] = (platforms, found)  # holding the table keeps its id from being reused
    return found


#: match_url's answers for the cached tables: (url, id(table), with_paths) → (table, answer)
_MATCHES: dict[tuple[str, int, bool], tuple[tuple[Platform, ...], tuple[Platform, str] | None]] = {}
_MAX_MATCHES = 131072


def _match_url(url: str, platforms: tuple[Platform, ...], with_paths: bool) -> tuple[Platform, str] | None:
    parts = safe_urlsplit(url)
    host = (parts.hostname or "").lower()
    screen = _SCREENS.get(id(platforms))
    if screen is not None and screen.rules_out(url, host, parts.path, parts.query, with_paths):
        return None
    for p in platforms:
        m = p.urls.search(url) if p.urls else None
        if m:
            return p, _canonical(m.group(0))
        if p.owns_host(host):
            return p, f"{parts.scheme}://{host}/"
    if not with_paths:
        return None
    # a platform's own host wins over another's address shape (/hc/ on acme.helpshift.com is Helpshift's)
    path_query = f"{parts.path}?{parts.query}" if parts.query else ""
    for p in platforms:
        if p.paths and p.paths.search(parts.path):
            return p, ""
        if path_query and p.path_queries and p.path_queries.search(path_query):
            return p, ""
    return None


def _canonical(url: str) -> str:
    parts = safe_urlsplit(url)
    return f"https://{(parts.hostname or '').lower()}{parts.path.rstrip('/')}"


def own_url_scheme(pp: ParsedPage) -> frozenset[str]:
    """The page's host when the page's own address has a help-center or forum platform's path shape
    (``/s/article/…``) but the page carries none of that platform's marks: there the shape is the site's
    own URL scheme, not evidence of the platform (``/s/topic/home`` on a news site is no Salesforce site)."""
    for name in ("help_centers", "community_platforms"):
        platforms = table(name)
        match = match_url(pp.url, platforms)
        if match is not None and not match[1] and fingerprint(pp, platforms) is None:
            return frozenset({(safe_urlsplit(pp.url).hostname or "").lower()})
    return frozenset()
