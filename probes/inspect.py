"""``engage inspect``: one saved HTML page → the channels found on it, in CONTRACT.md's JSON shape."""

from __future__ import annotations

from typing import Any

from audit.models import Evidence, Page, SiteCapture
from probes import (
    chat_widgets,
    community,
    contact,
    faq,
    feeds,
    help_center,
    newsletter,
    run_probes,
    social_profiles,
)

#: The static probes ``inspect`` runs (everything that can judge a single page without the network).
INSPECT_PROBES = (social_profiles, chat_widgets, faq, community, help_center, feeds, newsletter, contact)


def one_page_capture(html: str, url: str) -> SiteCapture:
    """A capture holding just ``html`` as if fetched from ``url``."""
    page = Page(url=url, final_url=url, status=200, content_type="text/html; charset=utf-8", text=html)
    return SiteCapture(name=url, url=url, pages=[page])


def inspect_html(html: str, url: str) -> dict[str, Any]:
    """The CONTRACT.md ``engage inspect`` object for one page; never touches the network."""
    evidence = {e.probe: e for e in run_probes(one_page_capture(html, url), INSPECT_PROBES)}
    failed = [e for e in evidence.values() if e.status == "error"]
    if failed:
        raise RuntimeError("; ".join(f"{e.probe}: {e.error}" for e in failed))
    return {
        "url": url,
        "social_profiles": [
            {"platform": f.attrs["platform"], "url": f.url, "handle": f.attrs["handle"]}
            for f in _items(evidence, "social_profiles")
        ],
        "chat_widgets": [
            {"vendor": f.attrs["vendor"], "evidence": f.snippet} for f in _items(evidence, "chat_widgets")
        ],
        "faq": _faq(evidence["faq"]),
        "community_links": [
            {"url": f.url, "platform": f.attrs["platform"]} for f in _items(evidence, "community")
        ],
        "help_center_links": [
            {"url": f.url, "platform": f.attrs["platform"]} for f in _items(evidence, "help_center")
        ],
        "feeds": [{"url": f.url, "kind": f.attrs["kind"]} for f in _items(evidence, "feeds")],
        "newsletter_form": evidence["newsletter"].found,
        "contact_emails": [
            {"email": f.attrs["email"]} for f in _items(evidence, "contact") if f.attrs["type"] == "email"
        ],
    }


def _items(evidence: dict[str, Evidence], probe: str) -> list[Any]:
    return list(evidence[probe].findings)


def _faq(e: Evidence) -> dict[str, Any]:
    """FAQ content on the page itself; a mere link to an FAQ page (``qa_pairs`` unknown) is not an FAQ."""
    counts = [int(f.attrs["qa_pairs"]) for f in e.findings if f.attrs.get("qa_pairs") is not None]
    return {"present": bool(counts), "qa_pairs": max(counts, default=0)}
