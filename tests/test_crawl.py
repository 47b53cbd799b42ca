"""Discovery and politeness on a small site: sitemaps (index, gzip), robots.txt, the priority queue."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from audit.clock import VirtualClock
from audit.crawl import SiteCrawler
from audit.discover import parse_sitemap, url_priority
from audit.fetch import Fetcher
from audit.fixture_web import FixtureWeb
from audit.models import Page, Request, SiteCapture, Timing
from audit.politeness import HostGates
from audit.settings import Settings

MARKET = Path(__file__).parent / "fixtures" / "crawl_market"


@pytest.fixture(scope="module")
def web() -> Iterator[FixtureWeb]:
    with FixtureWeb(MARKET) as w:
        yield w


def crawler(settings: Settings, pool: ThreadPoolExecutor, clock: VirtualClock) -> SiteCrawler:
    """A crawler whose backoff, politeness delays and budget run on ``clock`` (no real waiting)."""
    gates = HostGates(settings, clock=clock)
    return SiteCrawler(settings, Fetcher(settings, clock=clock), gates, pool, clock=clock)


def crawl(
    web: FixtureWeb, clock: VirtualClock | None = None, **overrides: object
) -> tuple[SiteCapture, HostGates]:
    settings = Settings(proxy=web.proxy_url).with_overrides(**overrides)
    with ThreadPoolExecutor(4) as pool:
        site = crawler(settings, pool, clock or VirtualClock())
        capture = site.crawl("Crawl Co", "http://crawl.test/", "client")
    return capture, site.gates


def test_gzipped_sitemap_index_is_followed_with_lastmod(web: FixtureWeb) -> None:
    capture, _ = crawl(web)
    assert capture.stats["sitemaps"] == [
        "http://crawl.test/sitemap_index.xml",
        "http://crawl.test/sitemap-pages.xml.gz",
    ]
    assert capture.stats["lastmod"]["http://crawl.test/support-hours"] == "2026-09-30"
    assert len(capture.stats["lastmod"]) == 42


def test_robots_rules_for_our_user_agent_are_obeyed(web: FixtureWeb) -> None:
    clock = VirtualClock()
    capture, gates = crawl(web, clock)
    fetched = {p.url for p in capture.pages}
    assert "http://crawl.test/private/admin" not in fetched
    assert "http://crawl.test/engage-only-blocked" not in fetched  # only our group disallows it
    assert {"http://crawl.test/private/admin", "http://crawl.test/engage-only-blocked"} <= set(
        capture.robots["excluded"]
    )
    assert gates.delay("crawl.test") >= 0.05  # Crawl-delay of our group
    assert clock.sleeps and max(clock.sleeps) >= 0.05  # and the gate waited for it


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
    clock = VirtualClock()
    with ThreadPoolExecutor(2) as pool:
        capture = crawler(settings, pool, clock).crawl("Nobody", "http://nowhere.test/", "competitor")
    assert capture.errors == ["home page http://nowhere.test/: HTTP 502"]
    # robots.txt, then the home page: each 502 retried twice, backing off 0.5 s then 1 s
    assert clock.sleeps == [0.5, 1.0, 0.5, 1.0]


def test_company_budget_ends_the_crawl_with_the_reason(web: FixtureWeb) -> None:
    # Crawl-delay 0.05 s spaces requests to crawl.test; on the virtual clock that waiting is the only time
    # that passes, so a 0.4 s budget is spent after a handful of pages, long before the 60-page cap.
    clock = VirtualClock()
    capture, _ = crawl(web, clock, company_budget=0.4)
    assert capture.stats["budget"] == "time budget of 0.4s spent"
    assert 1 <= capture.stats["pages_ok"] < 30
    assert capture.stats["unvisited"] > 0
    assert sum(clock.sleeps) >= 0.4
    unbounded, _ = crawl(web, VirtualClock())
    assert "budget" not in unbounded.stats and unbounded.stats["pages_ok"] > capture.stats["pages_ok"]


def page(status: int = 200, headers: dict[str, str] | None = None) -> Page:
    return Page(url="http://a.test/", status=status, headers=headers or {}, timing=Timing(ttfb_ms=0.0))


def test_host_gate_spaces_requests_by_the_delay_per_host() -> None:
    clock = VirtualClock()
    gates = HostGates(Settings(min_delay=0.25, per_host_concurrency=1), clock=clock)
    for _ in range(3):
        gates.run("a.test", page)
    assert clock.sleeps == [0.25, 0.25]
    gates.run("b.test", page)  # another host has its own spacing
    assert clock.sleeps == [0.25, 0.25]
    clock.advance(10)  # a request long after the last one does not wait
    gates.run("a.test", page)
    assert clock.sleeps == [0.25, 0.25]


def test_host_gate_backs_off_on_429_and_obeys_retry_after_and_crawl_delay() -> None:
    clock = VirtualClock()
    gates = HostGates(Settings(min_delay=0.5, max_delay=10.0, per_host_concurrency=1), clock=clock)
    gates.run("a.test", lambda: page(429))
    assert gates.delay("a.test") == 1.0  # doubled, never shortened by the fast error
    gates.run("a.test", lambda: page(503, {"retry-after": "4"}))
    assert gates.delay("a.test") == 4.0  # Retry-After beats the doubling (2.0)
    gates.run("a.test", page)
    assert gates.delay("a.test") == 2.0  # a success halves the way back towards the latency
    gates.set_floor("a.test", 3.0)  # robots.txt Crawl-delay
    gates.run("a.test", page)
    gates.run("a.test", page)
    assert gates.delay("a.test") == 3.0
    # each request waits the delay in force when the one before it was sent: min_delay, then the
    # doubled delay, Retry-After, and the Crawl-delay floor (which the success could not undercut)
    assert clock.sleeps == [0.5, 1.0, 4.0, 3.0]


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


def test_robots_txt_is_fetched_once_when_many_threads_ask_at_once() -> None:
    import threading

    from audit.models import Page
    from audit.politeness import RobotsCache

    fetched: list[str] = []
    asked = threading.Semaphore(0)

    def fetch(url: str) -> Page:
        fetched.append(url)
        for _ in range(8):  # hold the answer until every asker has started (each releases once)
            asked.acquire(timeout=10)
        return Page(url=url, final_url=url, status=200, text="User-agent: *\nDisallow: /private\n")

    robots = RobotsCache("Engage", fetch)

    def ask(path: str) -> bool:
        asked.release()
        return robots.allowed("https://api.test" + path)

    results: list[bool] = []
    threads = [
        threading.Thread(target=lambda p=p: results.append(ask(p))) for p in ["/private/x", *["/ok"] * 7]
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert fetched == ["https://api.test/robots.txt"]
    assert sorted(results) == [False] + [True] * 7


def test_declared_api_requests_start_during_the_crawl_and_do_not_spend_the_page_cap(web: FixtureWeb) -> None:
    """Planned from the home page, an API request is fetched while site pages are still being crawled;
    what only a later page reveals is still planned (after the crawl at the latest); API answers never
    count against ``max_pages``."""
    order: list[str] = []

    class Recording(Fetcher):
        def get(self, url: str, *args: object, **kwargs: object) -> Page:  # type: ignore[override]
            order.append(url)
            return super().get(url, *args, **kwargs)  # type: ignore[arg-type]

    def from_home(capture: SiteCapture, _bases: object) -> list[Request]:
        return [Request("early", "home", "http://crawl.test/api/home.json")] if capture.pages else []

    def from_later(capture: SiteCapture, _bases: object) -> list[Request]:
        site = [p for p in capture.pages if not p.found_via.startswith("api:")]
        return [Request("late", "later", "http://crawl.test/api/later.json")] if len(site) >= 5 else []

    settings = Settings(proxy=web.proxy_url).with_overrides(max_pages=8)
    clock = VirtualClock()
    with ThreadPoolExecutor(4) as pool:
        site = SiteCrawler(
            settings,
            Recording(settings, clock=clock),
            HostGates(settings, clock=clock),
            pool,
            planners=[("early", from_home), ("late", from_later)],  # type: ignore[list-item]
            clock=clock,
        )
        capture = site.crawl("Crawl Co", "http://crawl.test/", "client")
    api = {p.url: (p.found_via, p.request_key) for p in capture.pages if p.found_via.startswith("api:")}
    assert api == {
        "http://crawl.test/api/home.json": ("api:early", "home"),
        "http://crawl.test/api/later.json": ("api:late", "later"),
    }
    assert capture.response("early", "home") is not None and capture.response("late", "home") is None
    site_pages = [p for p in capture.pages if not p.found_via.startswith("api:")]
    assert sum(1 for p in site_pages if p.ok) == 8  # the cap is the site's, whatever the APIs answered
    last_site_fetch = max(i for i, url in enumerate(order) if url in {p.url for p in site_pages})
    assert order.index("http://crawl.test/api/home.json") < last_site_fetch


def test_frontier_serves_a_free_host_behind_any_number_of_busy_hosts_pages() -> None:
    from audit.crawl import _Candidate, _Frontier

    frontier = _Frontier()
    for i in range(500):  # a busy host's pages all rank ahead
        frontier.push(_Candidate((-100, i), f"https://a.test/{i}", 1, "link", "a.test"))
    frontier.push(_Candidate((-1, 999), "https://b.test/", 1, "link", "b.test"))
    best = frontier.pop_best(lambda h: h != "a.test")
    assert best is not None and best.url == "https://b.test/"
    assert frontier.pop_best(lambda h: h != "a.test") is None
    first = frontier.pop_best(lambda h: True)
    assert first is not None and first.url == "https://a.test/0" and len(frontier) == 499


class _HeldHome:
    """A fetcher whose home page answers only once the sitemap has been asked for (or never, if the crawl
    reads sitemaps after the home page: then the guard below ends the wait and the test fails)."""

    def __init__(self, robots: str) -> None:
        import threading

        self.robots = robots
        self.asked: list[str] = []
        self.sitemap_asked = threading.Event()
        self.home_released_by_sitemap: bool | None = None

    def get(self, url: str, **_: object) -> Page:
        self.asked.append(url)
        ok = {"url": url, "final_url": url, "status": 200, "timing": Timing(ttfb_ms=1.0)}
        if url.endswith("/robots.txt"):
            return Page(**ok, content_type="text/plain", text=self.robots)  # type: ignore[arg-type]
        if url.endswith("/sitemap.xml"):
            self.sitemap_asked.set()
            return Page(**ok, content_type="application/xml", text="<urlset/>")  # type: ignore[arg-type]
        if url == "http://held.test/":
            # the state is the event; the timeout only guards against a crawl that reads sitemaps later
            self.home_released_by_sitemap = self.sitemap_asked.wait(timeout=30)
        return Page(**ok, content_type="text/html", text="<a href='/faq'>FAQ</a>")  # type: ignore[arg-type]


def test_sitemaps_are_read_beside_the_home_page_after_robots_txt() -> None:
    fetcher = _HeldHome("User-agent: *\nAllow: /\n")
    settings = Settings(max_pages=3)
    with ThreadPoolExecutor(4) as pool:
        site = SiteCrawler(settings, fetcher, HostGates(settings, clock=VirtualClock()), pool)  # type: ignore[arg-type]
        capture = site.crawl("Held", "http://held.test/", "client")
    assert fetcher.asked[0] == "http://held.test/robots.txt"
    home, sitemap = (
        fetcher.asked.index("http://held.test/"),
        fetcher.asked.index("http://held.test/sitemap.xml"),
    )
    assert home < sitemap  # the home page has the connection robots.txt opened; the sitemap the second slot
    assert fetcher.home_released_by_sitemap is True  # asked while the home page was still unanswered
    assert capture.stats["sitemaps"] == ["http://held.test/sitemap.xml"]


class _HeldCrawl:
    """A fetcher that holds every crawled page until the home page is asked for again (a timing sample),
    or, if samples wait for the crawl to end, until the guard below gives up and the test fails."""

    def __init__(self) -> None:
        import threading

        self.asked: list[str] = []
        self.sampled = threading.Event()
        self.released_by_sample: bool | None = None

    def get(self, url: str, **_: object) -> Page:
        self.asked.append(url)
        ok = {"url": url, "final_url": url, "timing": Timing(ttfb_ms=1.0)}
        if url.endswith("/robots.txt"):
            return Page(**ok, status=200, content_type="text/plain", text="User-agent: *\nAllow: /\n")  # type: ignore[arg-type]
        if url.endswith("/sitemap.xml"):
            return Page(**ok, status=404, content_type="text/plain", text="")  # type: ignore[arg-type]
        if url == "http://held.test/":
            if self.asked.count(url) > 1:
                self.sampled.set()
            return Page(**ok, status=200, content_type="text/html", text="<a href='/contact'>Contact</a>")  # type: ignore[arg-type]
        # the state is the event; the timeout only guards against samples left to after the crawl
        self.released_by_sample = self.sampled.wait(timeout=30)
        return Page(**ok, status=404, content_type="text/html", text="")  # type: ignore[arg-type]


def test_timing_samples_take_the_slots_the_crawl_leaves_free() -> None:
    fetcher = _HeldCrawl()
    settings = Settings(max_pages=2)  # the home page and one page in flight: the host's second slot is free
    with ThreadPoolExecutor(4) as pool:
        site = SiteCrawler(settings, fetcher, HostGates(settings, clock=VirtualClock()), pool)  # type: ignore[arg-type]
        capture = site.crawl("Held", "http://held.test/", "client")
    assert fetcher.released_by_sample is True  # the home page was sampled while a page was still held
    assert list(capture.stats["timing_samples"]) == ["http://held.test/"]
    assert len(capture.stats["timing_samples"]["http://held.test/"]) == settings.timing_samples - 1


def test_no_sitemap_is_guessed_where_robots_txt_forbids_the_home_page() -> None:
    fetcher = _HeldHome("User-agent: *\nDisallow: /\n")
    settings = Settings(max_pages=3)
    with ThreadPoolExecutor(4) as pool:
        site = SiteCrawler(settings, fetcher, HostGates(settings, clock=VirtualClock()), pool)  # type: ignore[arg-type]
        capture = site.crawl("Held", "http://held.test/", "client")
    assert fetcher.asked == ["http://held.test/robots.txt"]
    assert "sitemaps" not in capture.stats and capture.errors == [
        "home page http://held.test/: disallowed by robots.txt"
    ]


def _crawl_with_held_samples(fixture_web: FixtureWeb, warc: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """Pages a 4-page crawl of the fixture shop fetches when its timing samples are held until the drain
    waits on them alone (or a safety timeout), and its sitemap until two samples are held."""
    import threading
    from concurrent import futures
    from typing import Any

    from audit import crawl
    from audit.progress import Reporter
    from audit.runner import Target, gather
    from audit.settings import load_settings

    real_sample, real_sitemaps, real_wait = SiteCrawler._sample, SiteCrawler._read_sitemaps, futures.wait
    holding = threading.Event()  # two timing samples hold the site host's slots
    released = threading.Event()  # the drain waited on samples alone: let them finish
    running: list[str] = []
    lock = threading.Lock()
    crawlers: list[SiteCrawler] = []

    def held_sample(self: SiteCrawler, url: str) -> Page | None:
        crawlers.append(self)
        with lock:
            running.append(url)
            if len(running) >= 2:
                holding.set()
        released.wait(timeout=2)  # a safety valve, not the state: the page count decides
        return real_sample(self, url)

    def late_sitemaps(self: SiteCrawler, home: str) -> Any:
        holding.wait(timeout=2)
        return real_sitemaps(self, home)

    def watching_wait(fs: Any, timeout: float | None = None, return_when: str = futures.ALL_COMPLETED) -> Any:
        fs = list(fs)
        sampling = {f for c in crawlers for f in c._sampling}
        if fs and all(f in sampling for f in fs):
            released.set()
        return real_wait(fs, timeout=timeout, return_when=return_when)

    monkeypatch.setattr(SiteCrawler, "_sample", held_sample)
    monkeypatch.setattr(SiteCrawler, "_read_sitemaps", late_sitemaps)
    monkeypatch.setattr(crawl, "wait", watching_wait)
    try:
        settings = load_settings(
            proxy=fixture_web.proxy_url, max_pages=4, render="never", company_budget=60.0
        )
        captures, _run = gather([Target("http://acme.test/", "client")], settings, warc, Reporter())
    finally:
        monkeypatch.undo()
    return len([p for p in captures[0].pages if p.ok and not p.found_via.startswith("api:")])


def test_timing_samples_holding_the_slots_do_not_end_the_crawl(
    fixture_web: FixtureWeb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sitemap arrives while timing samples hold both slots of the site's host and no page is in
    flight: the crawl must wait for a sample to free a slot, not stop with the sitemap's pages unvisited.
    Which slots the samples take still depends on thread timing, so the crawl runs four times; before the
    fix about three runs in five stopped at 3 pages."""
    fetched = [
        _crawl_with_held_samples(fixture_web, tmp_path / f"c{i}.warc.gz", monkeypatch) for i in range(4)
    ]
    assert fetched == [4, 4, 4, 4]
