"""One test per data-file entry: every platform shape, vendor fingerprint and word list is exercised."""

from __future__ import annotations

from typing import Any

import pytest

from audit.models import Page
from probes import chat_widgets, social_profiles
from probes.base import load_data, parse
from probes.fingerprints import fingerprint, match_url, table

LANGUAGES = {"en", "de", "fr", "es", "it", "nl", "pt"}


def _page(html: str, url: str = "https://acme.test/") -> Any:
    body = f"<html><head></head><body>{html}</body></html>" if "<html" not in html else html
    return parse(Page(url=url, final_url=url, status=200, content_type="text/html", text=body))


def _entries(name: str, key: str = "platform") -> list[dict[str, Any]]:
    return list(load_data(name)[key])


SOCIAL = _entries("social_platforms")
VENDORS = _entries("chat_vendors", "vendor")


def test_social_table_size() -> None:
    assert len(SOCIAL) >= 26
    assert len({p["id"] for p in SOCIAL}) == len(SOCIAL)


@pytest.mark.parametrize("entry", SOCIAL, ids=[p["id"] for p in SOCIAL])
def test_social_platform_examples(entry: dict[str, Any]) -> None:
    assert entry["examples"], "every platform needs at least one example"
    for raw, canonical, handle in entry["examples"]:
        profile = social_profiles.parse_profile(raw)
        assert profile is not None, raw
        assert (profile.platform, profile.url, profile.handle) == (entry["id"], canonical, handle)


@pytest.mark.parametrize("entry", SOCIAL, ids=[p["id"] for p in SOCIAL])
def test_social_platform_rejects(entry: dict[str, Any]) -> None:
    assert entry["rejects"], "every platform needs at least one share/post/search URL that must not parse"
    for raw in entry["rejects"]:
        profile = social_profiles.parse_profile(raw)
        assert profile is None or profile.platform != entry["id"], raw


def test_chat_table_size() -> None:
    assert len(VENDORS) >= 40
    assert len({v["vendor"] for v in VENDORS}) == len(VENDORS)


@pytest.mark.parametrize("entry", VENDORS, ids=[v["vendor"] for v in VENDORS])
def test_chat_vendor_fires_alone(entry: dict[str, Any]) -> None:
    assert entry["examples"]
    for html in entry["examples"]:
        found = {f.attrs["vendor"] for f in chat_widgets.detect(_page(html))}
        assert found == {entry["vendor"]}, html


@pytest.mark.parametrize("entry", VENDORS, ids=[v["vendor"] for v in VENDORS])
def test_chat_vendor_rendered_helpers(entry: dict[str, Any]) -> None:
    for name in entry.get("globals", []):
        assert (entry["vendor"], name) in chat_widgets.match_globals([name])
    script_hosts = [h.removeprefix("*.") for h in entry.get("script_hosts", [])]
    for host in [*entry.get("hosts", []), *script_hosts, *(f"acme.{h}" for h in script_hosts)]:
        assert entry["vendor"] in {v for v, _ in chat_widgets.match_requests([f"https://{host}/x.js"])}


TABLES = ["community_platforms", "help_centers", "comment_systems", "newsletter_providers", "contact_forms",
          "consent_managers", "function_platforms"]  # fmt: skip
ROWS = [(name, row) for name in TABLES for row in _entries(name)]


@pytest.mark.parametrize(("name", "row"), ROWS, ids=[f"{n}:{r['id']}" for n, r in ROWS])
def test_fingerprint_entry(name: str, row: dict[str, Any]) -> None:
    examples, links = row.get("examples", []), row.get("link_examples", [])
    assert examples or links, "every entry needs an example page snippet or link"
    platforms = table(name)
    for html in examples:
        pp = _page(html, "https://www.unrelated.test/page")
        hits = [p.id for p in platforms if _hits(p, pp)]
        assert hits == [row["id"]], html
    for url in links:
        match = match_url(url, platforms)
        assert match is not None and match[0].id == row["id"], url


def _hits(platform: Any, pp: Any) -> bool:
    if fingerprint(pp, (platform,)) is not None:
        return True
    urls = [
        a.get("action") or a.get("src") or a.get("href")
        for a in pp.soup.find_all(["form", "iframe", "script"])
    ]
    return bool(platform.urls) and any(u and platform.urls.search(pp.absolute(str(u))) for u in urls)


WORD_SECTIONS = [k for k in load_data("words") if k != "numbers"]


@pytest.mark.parametrize("section", WORD_SECTIONS)
def test_word_sections_cover_all_languages(section: str) -> None:
    assert set(load_data("words")[section]) == LANGUAGES


def test_number_words_cover_all_languages() -> None:
    assert set(load_data("words")["numbers"]) == LANGUAGES
