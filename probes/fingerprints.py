"""Platform tables shared by probes: page fingerprints (generator, HTML) and URL shapes (hosts, paths).

A table is a data file ``probes/data/<name>.toml`` with ``[[platform]]`` entries:
``id``, ``name``, ``generator`` (regexes over ``<meta name=generator>``), ``html`` (regexes over the raw
page), ``hosts`` (``host`` or ``*.suffix``), ``paths`` (regexes over a URL path), ``urls`` (regexes over a
whole URL; the match is the canonical URL), ``examples`` (HTML that must fingerprint as this platform
only) and ``link_examples`` (URLs that must resolve to it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from probes.base import Literals, ParsedPage, attr_text, compile_all, literals_of, load_data


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

    def html_match(self, html: str) -> re.Match[str] | None:
        """The first match of the ``html`` fingerprints in a page source."""
        if self.html is None or (self.html_words is not None and self.html_words.absent_from(html)):
            return None
        return self.html.search(html)

    def owns_host(self, host: str) -> bool:
        """True when ``host`` is one of the platform's hosts."""
        host = host.lower()
        for h in self.hosts:
            if host == h or host == f"www.{h}" or (h.startswith("*.") and host.endswith(h[1:])):
                return True
        return False


@cache
def table(name: str) -> tuple[Platform, ...]:
    """The platform table ``data/<name>.toml``, compiled."""
    return tuple(_compile(entry) for entry in load_data(name)["platform"])


_KNOWN = frozenset({"id", "name", "generator", "html", "hosts", "paths", "urls"})


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
    )


def fingerprint(pp: ParsedPage, platforms: tuple[Platform, ...]) -> tuple[Platform, str, str] | None:
    """(platform, method, snippet) of the first platform whose generator, host or HTML marks this page."""
    generator = _generator(pp)
    host = (urlsplit(pp.url).hostname or "").lower()
    for p in platforms:
        if generator and p.generator and p.generator.search(generator):
            return p, "meta", f'<meta name="generator" content="{generator[:80]}">'
        if p.owns_host(host):
            return p, "host", host
        m = p.html_match(pp.page.html)
        if m:
            return p, "html", m.group(0)[:120]
    return None


def _generator(pp: ParsedPage) -> str:
    meta = next((m for m in pp.index.tags("meta") if _GENERATOR.search(attr_text(m, "name"))), None)
    return attr_text(meta, "content") if meta is not None else ""


_GENERATOR = re.compile(r"^generator$", re.IGNORECASE)


def match_url(
    url: str, platforms: tuple[Platform, ...], with_paths: bool = True
) -> tuple[Platform, str] | None:
    """(platform, canonical URL) of the first platform whose URL shapes, hosts or paths match ``url``."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    for p in platforms:
        m = p.urls.search(url) if p.urls else None
        if m:
            return p, _canonical(m.group(0))
        if p.owns_host(host):
            return p, f"{parts.scheme}://{host}/"
        if with_paths and p.paths and p.paths.search(parts.path):
            return p, ""
    return None


def _canonical(url: str) -> str:
    parts = urlsplit(url)
    return f"https://{(parts.hostname or '').lower()}{parts.path.rstrip('/')}"
