"""Connection set-up measured like curl -w: DNS, TCP and TLS apart, per response, and their medians."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from audit.fetch import Fetcher
from audit.fixture_web import FixtureWeb
from audit.models import Page, SiteCapture, Timing
from audit.settings import Settings
from probes import response_times
from report_templates.view import page_timing_note


@pytest.fixture(scope="module")
def web() -> Iterator[FixtureWeb]:
    with FixtureWeb() as served:
        yield served


def fetcher(web: FixtureWeb) -> Fetcher:
    return Fetcher(Settings(proxy=web.proxy_url, ca_bundle=str(web.ca_pem_path), retries=0))


def test_a_new_https_connection_reports_each_phase(web: FixtureWeb) -> None:
    f = fetcher(web)
    first, again = f.get("https://northwind.test/"), f.get("https://northwind.test/")
    t = first.timing
    assert first.ok and t.dns_ms is not None and t.tcp_ms is not None and t.tls_ms is not None
    assert t.connect_ms is not None
    assert abs(t.dns_ms + t.tcp_ms + t.tls_ms - t.connect_ms) <= 0.2  # the phases add up (rounding)
    assert t.ttfb_ms is not None and t.ttfb_ms >= t.connect_ms
    # the pool reused the connection: nothing was opened, so no phase was measured
    assert (again.timing.dns_ms, again.timing.tcp_ms, again.timing.tls_ms) == (None, None, None)
    assert again.timing.connect_ms == 0.0


def test_plain_http_has_no_tls_phase(web: FixtureWeb) -> None:
    timing = fetcher(web).get("http://tallybook.test/").timing
    assert timing.tcp_ms is not None and timing.tls_ms is None


def test_timings_of_old_captures_still_load() -> None:
    old = {"connect_ms": 12.5, "ttfb_ms": 40.0, "total_ms": 41.0, "bytes": 900}
    timing = Timing(**old)
    assert (timing.dns_ms, timing.tcp_ms, timing.tls_ms) == (None, None, None)
    page = Page.from_dict({"url": "https://acme.test/", "timing": old})
    assert page.timing.connect_ms == 12.5


def _page(url: str, **timing: float | None) -> Page:
    return Page(
        url=url,
        final_url=url,
        status=200,
        content_type="text/html",
        text="<html><body>x</body></html>",
        timing=Timing(ttfb_ms=50.0, total_ms=60.0, **timing),  # type: ignore[arg-type]
    )


def test_phase_medians_count_only_new_connections() -> None:
    pages = [
        _page("https://acme.test/", connect_ms=30.0, dns_ms=1.0, tcp_ms=9.0, tls_ms=20.0),
        _page("https://acme.test/a", connect_ms=50.0, dns_ms=3.0, tcp_ms=11.0, tls_ms=36.0),
        _page("https://acme.test/b", connect_ms=0.0),  # reused
    ]
    metrics = response_times.probe(SiteCapture(name="Acme", url="https://acme.test/", pages=pages)).metrics
    assert metrics["site.dns_ms_median"] == 2.0
    assert metrics["site.tcp_ms_median"] == 10.0
    assert metrics["site.tls_ms_median"] == 28.0


def test_a_plain_http_site_has_no_tls_median_and_says_why() -> None:
    pages = [_page("http://tallybook.test/", connect_ms=10.0, dns_ms=1.0, tcp_ms=9.0)]
    evidence = response_times.probe(SiteCapture(name="TallyBook", url="http://tallybook.test/", pages=pages))
    assert evidence.metrics["site.tls_ms_median"] is None
    assert "site.tls_ms_median: no page was fetched over HTTPS on a new connection" in evidence.notes


def test_the_report_says_dns_and_tcp_are_the_proxys_behind_a_proxy() -> None:
    assert "the DNS lookup and TCP connect are the proxy's" in page_timing_note(
        {"settings": {"proxy": "http://127.0.0.1:8899"}}
    )
    assert "proxy" not in page_timing_note({"settings": {"proxy": None}})
