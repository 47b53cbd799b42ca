"""Trust & transparency checks: HTTPS, valid certificates, HSTS, CSP, security.txt, privacy and
accessibility links, consent."""

from __future__ import annotations

import re
from collections.abc import Callable

from bs4 import Tag

from audit.models import Evidence, Finding, Page, SiteCapture
from probes.base import (
    ParsedPage,
    attr_text,
    page_url,
    parsed_pages,
    safe_urlsplit,
    snippet,
    strip_url,
    tag_text,
    words,
    words_pattern,
)
from probes.fingerprints import table

NAME = "trust"
CHANNELS: tuple[str, ...] = ("trust",)

CHECKS: tuple[str, ...] = (
    "https",
    "certificates",
    "hsts",
    "csp",
    "security_txt",
    "privacy",
    "accessibility",
    "cookie_consent",
)
_BANNER = re.compile(r"cookie[-_]?(?:banner|consent|notice|bar|law|popup)|gdpr[-_]?(?:banner|consent)", re.I)

Outcome = tuple[
    Finding | None, str
]  # the finding when the check passed, else why it failed ("" = not measured)


def probe(capture: SiteCapture) -> Evidence:
    """Run every check; passed checks are findings, failed ones are notes, unmeasurable ones metrics null."""
    home = home_page(capture)
    findings: list[Finding] = []
    metrics: dict[str, float | None] = {}
    notes: list[str] = []
    for check, run in _RUNNERS.items():
        finding, why = run(capture, home)
        metrics[f"trust.{check}"] = 1.0 if finding else (0.0 if why else None)
        if finding:
            findings.append(finding)
        else:
            notes.append(f"{check}: {why or 'not measured (nothing captured to judge)'}")
    pages = [page_url(p) for p in capture.pages]
    tried = [f"checks {', '.join(CHECKS)}", *pages]
    return Evidence(probe=NAME, findings=findings, metrics=metrics, tried=tried, notes=notes)


def home_page(capture: SiteCapture) -> Page | None:
    """The start page as fetched (falls back to the first successful page)."""
    page = capture.page(capture.url)
    return page if page and page.ok else next((p for p in capture.pages if p.ok), None)


def _finding(check: str, url: str, source: str, snip: str, method: str, **extra: str) -> Finding:
    return Finding("trust", url, {"check": check, **extra}, source_url=source, snippet=snip, method=method)


def _https(capture: SiteCapture, home: Page | None) -> Outcome:
    if home is None:
        return None, ""
    url = page_url(home)
    if safe_urlsplit(url).scheme == "https":
        return _finding("https", url, url, f"final URL {url}", "url"), ""
    return None, f"home page served over {safe_urlsplit(url).scheme or 'unknown scheme'} ({url})"


#: Page errors that mean a host's certificate (or TLS version) was refused (audit.fetch words them).
_TLS_REFUSED = re.compile(r"(TLS certificate .*|server offers only .*)$")


def _certificates(capture: SiteCapture, home: Page | None) -> Outcome:
    """Every HTTPS host fetched presented a valid certificate; a refused one is named with its reason."""
    https_pages = [p for p in capture.pages if safe_urlsplit(p.final_url or p.url).scheme == "https"]
    for page in https_pages:
        refused = _TLS_REFUSED.search(page.error or "")
        if refused:
            reason = refused.group(1).removeprefix("TLS ")
            return None, f"{reason} ({safe_urlsplit(page.url).hostname}, {page.url})"
    valid = sorted(
        {safe_urlsplit(p.final_url or p.url).hostname or "" for p in https_pages if p.status is not None}
    )
    if not valid:
        return None, ""
    url = page_url(home) if home else https_pages[0].url
    snip = f"valid certificates on {len(valid)} HTTPS host(s): {', '.join(valid)}"[:200]
    return _finding("certificates", url, url, snip, "tls"), ""


def _header_check(check: str, header: str) -> Callable[[SiteCapture, Page | None], Outcome]:
    def run(capture: SiteCapture, home: Page | None) -> Outcome:
        if home is None:
            return None, ""
        headers = {k.lower(): v for k, v in home.headers.items()}
        if header in headers:
            url = page_url(home)
            return _finding(check, url, url, f"{header}: {headers[header][:100]}", "header"), ""
        return None, f"no {header} header on {page_url(home)}"

    return run


def _security_txt(capture: SiteCapture, home: Page | None) -> Outcome:
    tried = [
        p
        for p in capture.pages
        if safe_urlsplit(page_url(p)).path in ("/.well-known/security.txt", "/security.txt")
    ]
    for page in tried:
        if page.ok and re.search(r"^\s*Contact:", page.text or "", re.IGNORECASE | re.MULTILINE):
            line = next(
                ln for ln in (page.text or "").splitlines() if ln.lower().strip().startswith("contact:")
            )
            return _finding("security_txt", page_url(page), page_url(page), line.strip()[:120], "file"), ""
    if not tried:
        return None, ""
    return None, "security.txt missing or without Contact: (" + ", ".join(page_url(p) for p in tried) + ")"


def _link_check(check: str) -> Callable[[SiteCapture, Page | None], Outcome]:
    def run(capture: SiteCapture, home: Page | None) -> Outcome:
        pages = parsed_pages(capture)
        if not pages:
            return None, ""
        for pp in pages:
            found = _policy_link(pp, check)
            if found:
                return found, ""
        return None, f"no {check} link on {len(pages)} page(s)"

    return run


def _policy_link(pp: ParsedPage, check: str) -> Finding | None:
    slugs = {w.replace(" ", "-") for w in words(check)}
    for a, href in pp.anchors():
        last = next((s for s in reversed(safe_urlsplit(href).path.lower().split("/")) if s), "")
        if words_pattern(check).search(tag_text(a)) or last.split(".")[0] in slugs:
            return _finding(check, strip_url(href), pp.url, snippet(a), "anchor")
    return None


def _cookie_consent(capture: SiteCapture, home: Page | None) -> Outcome:
    pages = parsed_pages(capture)
    if not pages:
        return None, ""
    for pp in pages:
        found = consent_manager(pp)
        if found:
            return found, ""
    return None, f"no consent manager or cookie banner on {len(pages)} page(s)"


def consent_manager(pp: ParsedPage) -> Finding | None:
    """The page's cookie-consent manager (known CMP, or a custom cookie banner element)."""
    for tag in pp.soup.find_all(["script", "link"]):
        url = attr_text(tag, "src") or attr_text(tag, "href") if isinstance(tag, Tag) else ""
        for cmp in table("consent_managers"):
            if url and cmp.urls and cmp.urls.search(url) and isinstance(tag, Tag):
                return _finding("cookie_consent", pp.url, pp.url, snippet(tag), "script", platform=cmp.id)
    for cmp in table("consent_managers"):
        m = cmp.html.search(pp.page.html) if cmp.html else None
        if m:
            return _finding("cookie_consent", pp.url, pp.url, m.group(0)[:120], "html", platform=cmp.id)
    return _custom_banner(pp)


def _custom_banner(pp: ParsedPage) -> Finding | None:
    for tag in pp.soup.find_all(["div", "section", "aside", "dialog", "form"]):
        if not isinstance(tag, Tag):
            continue
        ident = f"{attr_text(tag, 'id')} {attr_text(tag, 'class')}"
        if _BANNER.search(ident) and "cookie" in tag_text(tag).lower():
            return _finding(
                "cookie_consent", pp.url, pp.url, snippet(tag, 120), "selector", platform="custom"
            )
    return None


_RUNNERS: dict[str, Callable[[SiteCapture, Page | None], Outcome]] = {
    "https": _https,
    "certificates": _certificates,
    "hsts": _header_check("hsts", "strict-transport-security"),
    "csp": _header_check("csp", "content-security-policy"),
    "security_txt": _security_txt,
    "privacy": _link_check("privacy"),
    "accessibility": _link_check("accessibility"),
    "cookie_consent": _cookie_consent,
}
