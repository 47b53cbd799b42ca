"""Isolation at every level: a page, a probe, a company, the browser, a Ctrl-C — none loses the rest."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import requests
from bs4 import BeautifulSoup

import audit.runner as runner
from audit.crawl import SiteCrawler
from audit.discover import DEEP_DOM, MAX_LINKS_PER_PAGE, chrome_links, page_links
from audit.fetch import _describe
from audit.fixture_web import FixtureWeb
from audit.models import SiteCapture
from audit.pipeline import run_audit
from audit.runner import ExitStatus, Target
from audit.settings import Settings

SCHEMA = json.loads((Path(__file__).parents[1] / "audit" / "audit.schema.json").read_text())


@pytest.fixture(scope="module")
def web() -> Iterator[FixtureWeb]:
    with FixtureWeb() as w:
        yield w


def settings(web: FixtureWeb) -> Settings:
    return Settings(
        proxy=web.proxy_url,
        ca_bundle=str(web.ca_pem_path),
        render="never",
        formats=("json",),
        max_pages=6,
        timing_samples=1,
    )


def targets() -> list[Target]:
    return [Target("http://northwind.test/", "client"), Target("http://acme.test/", "competitor")]


def read_audit(out: Path) -> dict[str, Any]:
    doc = json.loads((out / "audit.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, SCHEMA)
    return doc


# --- links: linear, capped, noted -------------------------------------------------------------------------
def test_links_in_chrome_and_body_are_told_apart_at_any_depth() -> None:
    html = (
        "<header><div><a href='/pricing'>P</a></div></header>"
        "<div role='navigation'><a href='/faq'>F</a></div>"
        + "<div>" * 3000
        + "<a href='/deep'>deep</a><footer><a href='/contact'>C</a></footer>"
        + "</div>" * 3000
    )
    links = chrome_links(BeautifulSoup(html, "lxml"), "http://x.test/")
    assert links.chrome == ["http://x.test/pricing", "http://x.test/faq", "http://x.test/contact"]
    assert links.body == ["http://x.test/deep"]
    assert links.depth > DEEP_DOM
    assert any("nested" in w for w in links.warnings())


def test_the_fast_reader_finds_the_same_links_as_the_walk_on_real_pages() -> None:
    """page_links (lxml + XPath) is what the crawler uses; chrome_links (the tree walk) is its reference."""
    pages = sorted((Path(__file__).parent / "corpus" / "real").glob("*.html"))[::12]
    assert len(pages) >= 25
    for path in pages:
        html = path.read_text(encoding="utf-8", errors="replace")
        fast, walk = (
            page_links(html, "https://example.com/a/"),
            chrome_links(BeautifulSoup(html, "lxml"), "https://example.com/a/"),
        )
        assert (fast.chrome, fast.body, fast.total) == (walk.chrome, walk.body, walk.total), path.name


def test_the_fast_reader_hands_a_deep_tree_to_the_walk() -> None:
    html = "<nav><a href='/faq'>F</a></nav>" + "<div>" * 3000 + "<a href='/deep'>d</a>" + "</div>" * 3000
    links = page_links(html, "http://x.test/")  # libxml2's tree would stop at 2,048 levels and lose /deep
    assert links.chrome == ["http://x.test/faq"] and links.body == ["http://x.test/deep"]
    assert links.depth > DEEP_DOM


def test_a_page_of_links_is_read_up_to_the_cap_and_says_so() -> None:
    html = "".join(f"<a href='/p{i}'>p</a>" for i in range(MAX_LINKS_PER_PAGE + 10))
    links = chrome_links(BeautifulSoup(html, "lxml"), "http://x.test/")
    assert len(links.body) == MAX_LINKS_PER_PAGE and links.total == MAX_LINKS_PER_PAGE + 10
    assert links.warnings() == [f"{MAX_LINKS_PER_PAGE + 10:,} links on the page; the first 5,000 were read"]


def test_unparseable_hrefs_are_skipped() -> None:
    links = chrome_links(BeautifulSoup("<a href='http://[bad'>x</a><a href='/ok'>y</a>", "lxml"), "http://x/")
    assert links.body == ["http://x/ok"]


# --- a page that breaks link reading, a fetch that raises ------------------------------------------------
def test_a_page_that_breaks_the_parser_is_noted_and_the_crawl_goes_on(
    web: FixtureWeb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import audit.crawl as crawl

    real = crawl.page_links

    def brittle(text: str, base: str) -> crawl.PageLinks:
        if base.rstrip("/").endswith("/contact"):
            raise RecursionError("maximum recursion depth exceeded")
        return real(text, base)

    monkeypatch.setattr(crawl, "page_links", brittle)
    status = run_audit(targets(), settings(web), tmp_path)
    doc = read_audit(tmp_path)
    assert status == ExitStatus.OK
    messages = [e["message"] for e in doc["companies"][0]["errors"] if e["stage"] == "page"]
    assert any("/contact: links not read: RecursionError" in m for m in messages), messages
    assert doc["companies"][0]["crawl"]["pages"] > 1


def test_a_fetch_that_raises_costs_that_url_only(
    web: FixtureWeb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = SiteCrawler._fetch_page

    def flaky(self: SiteCrawler, url: str, depth: int, via: str) -> Any:
        if url.endswith("/faq"):
            raise ValueError("a bug in our code")
        return real(self, url, depth, via)

    monkeypatch.setattr(SiteCrawler, "_fetch_page", flaky)
    run_audit(targets(), settings(web), tmp_path)
    doc = read_audit(tmp_path)
    messages = [e["message"] for c in doc["companies"] for e in c["errors"] if e["stage"] == "page"]
    assert any("/faq: internal error: ValueError: a bug in our code" in m for m in messages), messages
    assert all(c["overall"]["score"] is not None for c in doc["companies"])


def test_a_crawler_that_raises_fails_its_company_only(
    web: FixtureWeb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = SiteCrawler.crawl

    def broken(self: SiteCrawler, name: str, url: str, role: Any) -> SiteCapture:
        if "acme" in url:
            raise MemoryError("pretend")
        return real(self, name, url, role)

    monkeypatch.setattr(SiteCrawler, "crawl", broken)
    status = run_audit(targets(), settings(web), tmp_path)
    doc = read_audit(tmp_path)
    assert status == ExitStatus.PARTIAL
    client, acme = doc["companies"]
    assert client["overall"]["score"] is not None
    assert acme["overall"]["score"] is None
    assert "internal error while crawling: MemoryError: pretend" in acme["errors"][0]["message"]


def test_the_company_budget_is_reported_not_silent(web: FixtureWeb, tmp_path: Path) -> None:
    s = settings(web).with_overrides(company_budget=0.0)
    status = run_audit(targets()[:1], s, tmp_path)
    doc = read_audit(tmp_path)
    assert status == ExitStatus.PARTIAL and doc["status"] == "partial"
    gather = [e["message"] for e in doc["companies"][0]["errors"] if e["stage"] == "gather"]
    assert gather and gather[0].startswith("time budget of 0s spent after 1 page(s)")  # the home page
    assert doc["companies"][0]["overall"]["score"] is not None  # the home page was still judged


# --- the browser and Ctrl-C after the crawl --------------------------------------------------------------
def test_a_browser_failure_leaves_a_static_audit(
    web: FixtureWeb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*_: Any, **__: Any) -> None:
        raise RuntimeError("Target page, context or browser has been closed")

    monkeypatch.setattr(runner, "render_captures", crash)
    status = run_audit(targets(), settings(web).with_overrides(render="auto"), tmp_path)
    doc = read_audit(tmp_path)
    assert status == ExitStatus.OK
    assert all(c["crawl"]["rendered"] is False for c in doc["companies"])
    assert "rendering failed: RuntimeError" in doc["companies"][0]["crawl"]["render_gap"]


def test_ctrl_c_while_rendering_keeps_a_flagged_audit(
    web: FixtureWeb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*_: Any, **__: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "render_captures", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_audit(targets(), settings(web).with_overrides(render="auto"), tmp_path)
    doc = read_audit(tmp_path)
    assert doc["status"] == "partial"
    assert doc["companies"][0]["errors"][0]["message"] == "interrupted: the crawl was stopped early"
    assert doc["companies"][0]["crawl"]["render_gap"] == "interrupted before rendering finished"
    assert (tmp_path / "capture.warc.gz").stat().st_size > 0


def test_ctrl_c_while_probing_keeps_what_was_probed(
    web: FixtureWeb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = runner.run_probes
    calls: list[str] = []

    def interrupt_second(capture: SiteCapture, **options: Any) -> Any:
        calls.append(capture.url)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(capture, **options)

    monkeypatch.setattr(runner, "run_probes", interrupt_second)
    with pytest.raises(KeyboardInterrupt):
        run_audit(targets(), settings(web), tmp_path)
    doc = read_audit(tmp_path)
    assert doc["status"] == "partial"
    client, acme = doc["companies"]
    assert client["overall"]["score"] is not None  # probed before the interrupt
    assert acme["overall"]["score"] is None
    assert client["errors"][0]["message"] == "interrupted while probing"
    assert any("interrupted before this company was probed" in e["message"] for e in acme["errors"])


# --- network errors in words ---------------------------------------------------------------------------
def test_network_errors_are_described_in_words(web: FixtureWeb) -> None:
    def reason(url: str, proxy: str | None) -> str:
        try:
            requests.get(url, proxies={"http": proxy, "https": proxy} if proxy else None, timeout=3)
        except requests.RequestException as exc:
            return _describe(exc)
        raise AssertionError("expected a failure")

    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class NoTunnels(BaseHTTPRequestHandler):
        def do_CONNECT(self) -> None:
            self.send_response(405)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

    proxy = ThreadingHTTPServer(("127.0.0.1", 0), NoTunnels)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        tunnel = reason("https://ok.test/", f"http://127.0.0.1:{proxy.server_address[1]}")
    finally:
        proxy.shutdown()
        proxy.server_close()
    assert tunnel == "the proxy refused to tunnel HTTPS (405 Method Not Allowed)"
    assert reason("http://127.0.0.1:9/", None) == "connection refused"
    assert reason("http://x.test/", "http://127.0.0.1:9") == "could not reach the proxy: connection refused"
    for text in (tunnel,):
        assert "Pool(" not in text and "Max retries" not in text and "Error(" not in text


# --- the client's report says it in words; audit.json keeps the detail ---------------------------------
def test_the_report_says_errors_in_words(
    web: FixtureWeb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import probes.chat_widgets

    def broken(_: SiteCapture) -> Any:
        raise ValueError("Invalid IPv6 URL")

    monkeypatch.setattr(probes.chat_widgets, "probe", broken)
    s = settings(web).with_overrides(formats=("json", "html"))
    assert run_audit(targets()[:1], s, tmp_path) == ExitStatus.PARTIAL
    assert "ValueError: Invalid IPv6 URL" in (tmp_path / "audit.json").read_text(encoding="utf-8")
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "ValueError" not in html and "IPv6" not in html
    assert (
        "Engage&#39;s chat widgets check failed on this site" in html or "chat widgets check failed" in html
    )


def test_in_words() -> None:
    from report_templates.view import in_words

    raw = (
        "https://q.statuspage.io/: host unreachable: proxy error: _TimedHTTPSPool(host='q.statuspage.io', "
        "port=443): Max retries exceeded with url: /robots.txt (Caused by ProxyError('Unable to connect'"
    )
    assert (
        in_words(raw)
        == "https://q.statuspage.io/: host unreachable: proxy error (the detail is in audit.json)"
    )
    assert (
        in_words("The faq probe failed: KeyError: 'x'")
        == "The faq probe failed (the detail is in audit.json)"
    )
    assert in_words("read timeout") == "read timeout"
    assert in_words("TypeError: bad", "faq", "probe").startswith("Engage's faq check failed on this site")


def test_a_crawl_that_never_ends_is_abandoned_past_budget_and_grace(
    web: FixtureWeb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    release = threading.Event()
    real = SiteCrawler.crawl

    def stuck(self: SiteCrawler, name: str, url: str, role: Any) -> SiteCapture:
        if "acme" in url:
            release.wait(120)  # a bug that ignores every budget
        return real(self, name, url, role)

    monkeypatch.setattr(SiteCrawler, "crawl", stuck)
    # past budget + grace the stuck crawl is abandoned; the grace is wide enough for the healthy client's
    # crawl (budget 1 s, last request ≤ 0.5 s) to end first even on a busy machine
    monkeypatch.setattr(runner, "WATCHDOG_SLACK_S", 8.0)
    s = settings(web).with_overrides(company_budget=1.0, request_deadline=0.5, retries=0)
    try:
        status = run_audit(targets(), s, tmp_path)
    finally:
        release.set()
    doc = read_audit(tmp_path)
    assert status == ExitStatus.PARTIAL
    client, acme = doc["companies"]
    assert client["overall"]["score"] is not None
    assert acme["errors"][0]["message"].startswith("crawl abandoned: http://acme.test/ did not finish")


def test_unparseable_urls_never_fail_a_probe() -> None:
    from probes import run_probes
    from probes.inspect import inspect_html, one_page_capture

    bad = "http://[bad"
    html = (
        f'<html><head><base href="{bad}"><link rel=alternate type=application/rss+xml href="{bad}">'
        f'<link rel=canonical href="{bad}"><script src="{bad}"></script>'
        f'<meta property=og:url content="{bad}">'
        f'</head><body><iframe src="{bad}"></iframe><form action="{bad}"><input type=email></form>'
        f'<a href="{bad}">x</a><a href="http://x.test:99999/p">y</a><a href="https://x.com/acme">x</a>'
        "<script type=application/ld+json>"
        f'{{"@type":"Organization","sameAs":["{bad}"],"url":"{bad}"}}</script>'
        "</body></html>"
    )
    assert [
        e.probe for e in run_probes(one_page_capture(html, "https://acme.test/")) if e.status == "error"
    ] == []
    found = inspect_html(html, "https://acme.test/")
    assert found["social_profiles"] == [{"platform": "x", "url": "https://x.com/acme", "handle": "acme"}]
    assert found["feeds"] == []


def test_the_probe_budget_bounds_processing() -> None:
    from probes import PROBES, run_probes
    from probes.inspect import one_page_capture

    ticks = iter(range(1000))  # a clock that moves one second per reading
    found = run_probes(
        one_page_capture("<a href='https://x.com/acme'>x</a>", "https://acme.test/"),
        budget_s=2.5,
        clock=lambda: float(next(ticks)),
    )
    ran = [e.probe for e in found if e.status != "error"]
    spent = [e for e in found if e.status == "error"]
    assert len(ran) == 2 and len(found) == len(PROBES)  # readings 1 and 2 are within 2.5 s of 0
    assert all(e.error == "not run: the probe time budget of 2.5s for this company was spent" for e in spent)


def test_ctrl_c_during_gather_keeps_the_capture_and_exits_130(
    web: FixtureWeb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from audit.pipeline import run_gather
    from audit.warc import read_capture

    real = SiteCrawler._fetch_page

    def interrupted(self: SiteCrawler, url: str, depth: int, via: str) -> Any:
        if via != "start":
            self.stop.set()  # what the first Ctrl-C does: crawlers take no new pages
        return real(self, url, depth, via)

    monkeypatch.setattr(SiteCrawler, "_fetch_page", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_gather(targets()[:1], settings(web), tmp_path)
    captures, run = read_capture(tmp_path / "capture.warc.gz")
    assert run["interrupted"] is True
    assert captures[0].pages and captures[0].pages[0].ok
