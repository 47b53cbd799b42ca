"""Discovery and politeness on a small site: sitemaps (index, gzip), robots.txt, the priority queue."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from audit.crawl import SiteCrawler, parse_sitemap, url_priority
from audit.fetch import Fetcher
from audit.fixture_web import FixtureWeb
from audit.models import SiteCapture
from audit.politeness import HostGates
from audit.settings import Settings

MARKET = Path(__file__).parent / "fixtures" / "crawl_market"


@pytest.fixture(scope="module")
def web() -> Iterator[FixtureWeb]:
    with FixtureWeb(MARKET) as w:
        yield w


def crawl(web: FixtureWeb, **overrides: object) -> tuple[SiteCapture, HostGates]:
    settings = Settings(proxy=web.proxy_url).with_overrides(**overrides)
    gates = HostGates(settings)
    with ThreadPoolExecutor(4) as pool:
        capture = SiteCrawler(settings, Fetcher(settings), gates, pool).crawl(
            "Crawl Co", "http://crawl.test/", "client"
        )
    return capture, gates


def test_gzipped_sitemap_index_is_followed_with_lastmod(web: FixtureWeb) -> None:
    capture, _ = crawl(web)
    assert capture.stats["sitemaps"] == [
        "http://crawl.test/sitemap_index.xml",
        "http://crawl.test/sitemap-pages.xml.gz",
    ]
    assert capture.stats["lastmod"]["http://crawl.test/support-hours"] == "2026-09-30"
    assert len(capture.stats["lastmod"]) == 42


def test_robots_rules_for_our_user_agent_are_obeyed(web: FixtureWeb) -> None:
    capture, gates = crawl(web)
    fetched = {p.url for p in capture.pages}
    assert "http://crawl.test/private/admin" not in fetched
    assert "http://crawl.test/engage-only-blocked" not in fetched  # only our group disallows it
    assert {"http://crawl.test/private/admin", "http://crawl.test/engage-only-blocked"} <= set(
        capture.robots["excluded"]
    )
    assert gates.delay("crawl.test") >= 0.05  # Crawl-delay of our group


def test_page_cap_is_spent_on_engagement_pages_first(web: FixtureWeb) -> None:
    capture, _ = crawl(web, max_pages=6)
    ok = [p.url for p in capture.pages if p.ok]
    assert len(ok) == 6
    assert "http://crawl.test/support-hours" in ok and "http://crawl.test/newsroom" in ok
    assert sum("/blog/post-" in u for u in ok) <= 2


def test_depth_cap(web: FixtureWeb) -> None:
    no_hops, _ = crawl(web, max_depth=0, max_pages=100)  # only the home page and discovery sources
    assert {p.found_via for p in no_hops.pages} <= {"start", "sitemap", "well-known", "subdomain"}
    assert "http://crawl.test/support-hours" in {p.url for p in no_hops.pages}  # found in the sitemap
    one_hop, _ = crawl(web, max_depth=1, max_pages=100)
    followed = [p for p in one_hop.pages if p.found_via in ("chrome", "link")]
    assert followed and all(p.depth == 1 for p in followed)


def test_unreachable_home_is_recorded_not_raised(web: FixtureWeb) -> None:
    settings = Settings(proxy=web.proxy_url)
    with ThreadPoolExecutor(2) as pool:
        capture = SiteCrawler(settings, Fetcher(settings), HostGates(settings), pool).crawl(
            "Nobody", "http://nowhere.test/", "competitor"
        )
    assert capture.errors == ["home page http://nowhere.test/: HTTP 502"]


def test_priority_prefers_engagement_and_chrome() -> None:
    assert url_priority("http://a.test/contact", "chrome", 1) > url_priority(
        "http://a.test/blog/2019/x", "link", 2
    )
    assert url_priority("http://help.a.test/", "subdomain", 0) > url_priority(
        "http://a.test/about-team", "link", 1
    )


def test_sitemap_entity_bomb_is_refused() -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&lol2;</loc></url></urlset>'
    )
    assert parse_sitemap(bomb) == ([], [])
    external = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&e;</loc></url></urlset>'
    )
    assert parse_sitemap(external) == ([], [])
