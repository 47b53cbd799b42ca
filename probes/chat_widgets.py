"""Live chat and messaging widgets, from static HTML and rendered captures (vendor table in data).

Script-injected widgets (tag managers, timers) exist only in a browser: when the capture was rendered, the
requests, JS globals and iframes Chromium saw are matched too. Without any rendering, an absence is "not
measured", not "absent".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import soupsieve

from audit.models import Evidence, Finding, Page, SiteCapture
from probes.base import (
    Literals,
    ParsedPage,
    attr_text,
    compile_all,
    dedupe_by,
    folded,
    literals_of,
    load_data,
    page_url,
    parse,
    parsed_pages,
    present_words,
    register_words,
    tried_pages,
)

NAME = "chat_widgets"
CHANNELS: tuple[str, ...] = ("chat",)

_SCHEME = re.compile(r"^(?:https?:)?//", re.IGNORECASE)
_SKIP_LINK_RELS = frozenset({"canonical", "alternate", "icon", "shortcut", "apple-touch-icon", "manifest"})


@dataclass(frozen=True)
class Vendor:
    """One vendor's compiled fingerprints."""

    name: str
    script: re.Pattern[str] | None
    inline: re.Pattern[str] | None
    anchor: re.Pattern[str] | None
    selectors: tuple[str, ...]
    globals: frozenset[str]
    hosts: tuple[str, ...]
    script_words: Literals | None = None
    inline_words: Literals | None = None


@lru_cache(maxsize=1)
def vendors() -> tuple[Vendor, ...]:
    """The chat vendor table (``data/chat_vendors.toml``), compiled."""
    return tuple(_compile(v) for v in load_data("chat_vendors")["vendor"])


def host_pattern(host: str) -> str:
    """A regex for a script host as the table writes it: ``host`` exactly, or ``*.suffix`` for any subdomain.

    The host must stand whole in a URL (after ``//``, a scheme-less start or a dot for ``*.``, and before
    ``/``, ``:``, ``?``, ``#``, a quote or the end): ``chatra.io.example.com`` and ``notchatra.io`` are not.
    """
    end = r"""(?=[/\\:?#"'\s]|$)"""
    if host.startswith("*."):
        return rf"(?<=[\w-]){re.escape(host[1:])}{end}"
    return rf"(?<![\w.-]){re.escape(host)}{end}"


def _compile(entry: dict[str, Any]) -> Vendor:
    scripts = [*entry.get("script_patterns", []), *map(host_pattern, entry.get("script_hosts", []))]
    hosts = [*entry.get("hosts", []), *(h.removeprefix("*.") for h in entry.get("script_hosts", []))]
    return Vendor(
        name=entry["vendor"],
        script=compile_all(scripts, re.IGNORECASE),
        inline=compile_all(entry.get("inline_patterns", [])),
        anchor=compile_all(entry.get("anchor_patterns", []), re.IGNORECASE),
        selectors=tuple(entry.get("selectors", [])),
        globals=frozenset(entry.get("globals", [])),
        hosts=tuple(dict.fromkeys(hosts)),
        script_words=literals_of(scripts, re.IGNORECASE),
        inline_words=literals_of(entry.get("inline_patterns", [])),
    )


def probe(capture: SiteCapture) -> Evidence:
    """Chat widgets on any page: static markup first, then what rendering saw (requests, globals, iframes)."""
    # Order matters (first evidence per vendor wins): what the static HTML shows, then what only the browser
    # saw (requests, globals, iframes), then markup of the rendered DOM (injected scripts, widget elements).
    static = [replace(p, rendered_html=None) if p.rendered_html else p for p in capture.html_pages]
    found = [f for page in static for f in detect(parse(page))]
    found += [f for page in capture.html_pages if page.render for f in detect_rendered(page)]
    found += [f for pp in parsed_pages(capture) if pp.page.rendered_html for f in detect(pp)]
    findings = dedupe_by(found, lambda f: f.attrs["vendor"])
    tried = tried_pages(
        capture, "script/iframe/link URLs, inline configs, widget selectors, click-to-chat links"
    )
    rendered = rendered_pages(capture)
    if rendered:
        tried.insert(1, f"rendered requests, JS globals and iframes on {len(rendered)} page(s)")
    gap = render_gap(capture)
    if not findings and gap:
        return Evidence(probe=NAME, status="not_measured", tried=tried, notes=[gap])
    return Evidence(
        probe=NAME, findings=findings, metrics={"chat.vendors": float(len(findings))}, tried=tried
    )


def rendered_pages(capture: SiteCapture) -> list[Page]:
    """Pages Chromium rendered without an error."""
    return [p for p in capture.html_pages if p.render and not p.render.get("error")]


def render_gap(capture: SiteCapture) -> str | None:
    """Why a static-only absence of chat cannot be trusted (no page rendered), else ``None``."""
    facts = capture.facts
    if facts.rendered is not False and rendered_pages(capture):
        return None
    reason = facts.render_gap or "no page of the capture was rendered"
    return (
        f"rendering off: script-injected chat widgets cannot be seen in static HTML, so no chat found "
        f"statically means not measured ({reason})"
    )


def detect_rendered(page: Page) -> list[Finding]:
    """Vendors a rendered page revealed: requests (blocked or failed ones too), JS globals, iframes."""
    render = page.render or {}
    source = page_url(page)
    requests = [str(r.get("url", "")) for r in render.get("requests", []) if isinstance(r, dict)]
    hits: list[tuple[str, str, str, str]] = []  # vendor, finding URL, snippet, method
    hits += [(v, url, f"request {url}"[:160], "request") for v, url in match_requests(requests)]
    hits += [(v, source, f"global window.{g}", "global") for v, g in match_globals(render.get("globals", []))]
    hits += [
        (v, url, f"iframe {url}"[:160], "iframe") for v, url in match_requests(render.get("iframes", []))
    ]
    out: dict[str, Finding] = {}
    for vendor, url, snip, method in hits:
        out.setdefault(vendor, Finding("chat", url, {"vendor": vendor}, source, snip, method))
    return list(out.values())


def detect(pp: ParsedPage) -> list[Finding]:
    """Every vendor detected on one page's DOM (first evidence per vendor)."""
    out: dict[str, Finding] = {}
    for vendor, url, snip, method in _matches(pp):
        if vendor.name not in out:
            attrs = {"vendor": vendor.name}
            out[vendor.name] = Finding("chat", url, attrs, source_url=pp.url, snippet=snip, method=method)
    return list(out.values())


def _matches(pp: ParsedPage) -> Iterator[tuple[Vendor, str, str, str]]:
    resources = list(_resource_urls(pp))
    candidates = _script_candidates("\n".join(url for _, url in resources))
    for kind, url in resources:
        for vendor in candidates:
            if vendor.script and vendor.script.search(url):
                yield vendor, url, f"{kind} {_SCHEME.sub('', url)}"[:160], "script"
    inline = _inline_text(pp)
    for vendor in vendors():
        m = _search(vendor.inline, vendor.inline_words, inline) or _search(
            vendor.script, vendor.script_words, inline
        )
        if m:
            yield vendor, pp.url, f"inline {m.group(0)}"[:160], "inline-config"
    yield from _anchor_matches(pp)
    yield from _selector_matches(pp)


def _search(pattern: re.Pattern[str] | None, words: Literals | None, text: str) -> re.Match[str] | None:
    if pattern is None or (words is not None and words.absent_from(text)):
        return None
    return pattern.search(text)


def _resource_urls(pp: ParsedPage) -> Iterator[tuple[str, str]]:
    for tag in pp.index.tags("script", "iframe", "link", "img"):
        if tag.name == "link" and set(attr_text(tag, "rel").lower().split()) & _SKIP_LINK_RELS:
            continue
        raw = attr_text(tag, "href" if tag.name == "link" else "src") or attr_text(tag, "data-src")
        if raw and tag.name != "img":
            yield tag.name, pp.absolute(raw)
    for noscript in pp.index.tags("noscript"):
        for m in re.finditer(r"""(?:src|href)=["']?([^"' >]+)""", str(noscript)):
            yield "noscript", pp.absolute(m.group(1))


def _inline_text(pp: ParsedPage) -> str:
    scripts = [s for s in pp.index.tags("script") if s.get("src") is None]
    return "\n".join(s.get_text() for s in scripts if "json" not in attr_text(s, "type"))


def _anchor_matches(pp: ParsedPage) -> Iterator[tuple[Vendor, str, str, str]]:
    click_to_chat = [v for v in vendors() if v.anchor]
    for _, href in pp.anchors():
        for vendor in click_to_chat:
            if vendor.anchor and vendor.anchor.search(href):
                yield vendor, href, f"anchor {_SCHEME.sub('', href)}"[:160], "anchor"


def _selector_matches(pp: ParsedPage) -> Iterator[tuple[Vendor, str, str, str]]:
    _all_selectors()
    found = present_words(pp.index.folded_html)
    for vendor in vendors():
        for selector in vendor.selectors:
            # A selector can only match when each of its names appears in the source; checking that first
            # spares a pure-Python walk of the whole tree per selector on nearly every page.
            if not all(word in found for word in _selector_words(selector)):
                continue
            if pp.soup.select_one(selector) is not None:
                yield vendor, pp.url, f"element {selector}", "selector"
                break


def _script_candidates(text: str) -> list[Vendor]:
    """Vendors whose script patterns can match somewhere in ``text``: one Aho-Corasick pass over all of a
    page's resource URLs rules out nearly every vendor before any regex runs."""
    table = vendors()  # compiled first: compiling registers the literals the automaton looks for
    if not text:
        return []
    found = present_words(folded(text))
    return [v for v in table if v.script and (v.script_words is None or v.script_words.possible(found))]


@lru_cache(maxsize=256)
def _selector_words(selector: str) -> tuple[str, ...]:
    """The element names, ids, classes and attribute values a selector names, lower-cased."""
    found = tuple(w.lower() for w in _SELECTOR_WORD.findall(selector))
    register_words(found)
    return found


_SELECTOR_WORD = re.compile(r"[A-Za-z_][\w-]*")


@lru_cache(maxsize=1)
def _all_selectors() -> str:
    selectors = [s for v in vendors() for s in v.selectors]
    for selector in selectors:
        _selector_words(selector)  # registers their words before any page is searched for them
    soupsieve.compile(", ".join(selectors))  # fail early on a bad selector in the data file
    return ", ".join(selectors)


def match_requests(urls: Iterable[str]) -> list[tuple[str, str]]:
    """(vendor, url) for request URLs seen while rendering that belong to a chat vendor.

    A request belongs to a vendor when its host is one of the vendor's hosts or a subdomain of one, when it
    starts with one of the vendor's host/path prefixes, or when a script pattern matches it. Hosts are looked
    up by the request host's suffixes, and script patterns run only for vendors the Aho-Corasick pass over
    all the URLs left in: a page's hundreds of requests cost a few lookups each, not one test per vendor.
    """
    urls = list(urls)
    by_host, by_prefix = _host_index()
    candidates = _script_candidates("\n".join(urls))
    out: set[tuple[str, str]] = set()
    for url in urls:
        bare = _SCHEME.sub("", url).lower()
        labels = bare.split("/")[0].split(":")[0].split(".")
        for i in range(len(labels) - 1):
            out.update((name, url) for name in by_host.get(".".join(labels[i:]), ()))
        out.update((name, url) for prefix, name in by_prefix if bare.startswith(prefix))
        out.update((v.name, url) for v in candidates if v.script and v.script.search(url))
    return sorted(out)


@lru_cache(maxsize=1)
def _host_index() -> tuple[dict[str, tuple[str, ...]], tuple[tuple[str, str], ...]]:
    """Vendor hosts: bare hosts by name, and host/path prefixes (``static.zdassets.com/ekr/``)."""
    by_host: dict[str, list[str]] = {}
    by_prefix: list[tuple[str, str]] = []
    for vendor in vendors():
        for host in vendor.hosts:
            host = host.lower()
            if "/" in host:
                by_prefix.append((host, vendor.name))
            else:
                by_host.setdefault(host, []).append(vendor.name)
    return {h: tuple(dict.fromkeys(names)) for h, names in by_host.items()}, tuple(by_prefix)


def match_globals(names: Iterable[str]) -> list[tuple[str, str]]:
    """(vendor, global) for JS globals of a rendered page that belong to a chat vendor."""
    present = set(names)
    return sorted({(v.name, g) for v in vendors() for g in v.globals & present})
