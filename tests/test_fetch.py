"""The network client against a local fault server: every limit holds and failures come back as data."""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import quote, unquote

import pytest

from audit.clock import VirtualClock
from audit.fetch import Exchange, Fetcher, GuardError, check_address, retry_after_seconds
from audit.fixture_web import FixtureWeb
from audit.settings import Settings

BOMB = gzip.compress(b"<html>" + b"A" * 30_000_000)


class FaultHandler(BaseHTTPRequestHandler):
    """Paths name the fault."""

    hits: ClassVar[dict[str, int]] = {}

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        FaultHandler.hits[self.path] = FaultHandler.hits.get(self.path, 0) + 1
        route = getattr(self, "route_" + self.path.strip("/").split("?")[0].replace("-", "_") or "root", None)
        if route is None:
            self.reply(404, b"nope")
        else:
            route()

    def reply(
        self, status: int, body: bytes, ctype: str = "text/html", extra: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def route_ok(self) -> None:
        self.reply(200, "<html><title>ok</title>café</html>".encode())

    def route_latin1(self) -> None:
        self.reply(200, "<html>café</html>".encode("latin-1"), "text/html; charset=iso-8859-1")

    def route_loop(self) -> None:
        self.reply(302, b"", extra={"Location": "/loop2"})

    def route_loop2(self) -> None:
        self.reply(302, b"", extra={"Location": "/loop"})

    def route_chain(self) -> None:
        n = int(self.headers.get("X-N", "0"))
        self.reply(302, b"", extra={"Location": f"/chain{n + 1}"})

    def route_big(self) -> None:
        self.reply(200, b"<html>" + b"x" * 3_000_000)

    def route_bomb(self) -> None:
        self.reply(200, BOMB, extra={"Content-Encoding": "gzip"})

    def route_drip(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "1000")
        self.end_headers()
        try:
            for _ in range(1000):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:
            pass

    def route_hang(self) -> None:
        time.sleep(5)

    def route_flaky(self) -> None:
        if FaultHandler.hits[self.path] < 2:
            self.reply(503, b"busy", extra={"Retry-After": "0"})
        else:
            self.reply(200, b"<html>ok now</html>")

    def route_down(self) -> None:
        self.reply(503, b"down")  # no Retry-After: the client backs off on its own

    def route_busy(self) -> None:
        wait = unquote(self.path.partition("?wait=")[2])
        self.reply(429, b"busy", extra={"Retry-After": wait})


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hanging up on the drip and hang routes is the point


@pytest.fixture(scope="module")
def fault_server() -> Iterator[str]:
    server = QuietServer(("127.0.0.1", 0), FaultHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def fetcher(clock: VirtualClock | None = None, **overrides: object) -> Fetcher:
    """A fetcher for the fault server; with ``clock``, backoff waits are virtual and recorded."""
    base = Settings(allow_private=True, read_timeout=1.0, connect_timeout=1.0, request_deadline=2.0)
    settings = base.with_overrides(**overrides)
    return Fetcher(settings) if clock is None else Fetcher(settings, clock=clock)


def test_ok_page_with_timings(fault_server: str) -> None:
    page = fetcher().get(fault_server + "/ok")
    assert page.ok and page.is_html and "café" in (page.text or "")
    assert page.timing.ttfb_ms is not None and page.timing.total_ms is not None
    assert page.timing.bytes == len("<html><title>ok</title>café</html>".encode())


def test_declared_charset_is_used(fault_server: str) -> None:
    assert "café" in (fetcher().get(fault_server + "/latin1").text or "")


def test_redirect_loop_is_an_error(fault_server: str) -> None:
    page = fetcher().get(fault_server + "/loop")
    assert page.error is not None and "redirect loop" in page.error


def test_oversized_page_is_cut(fault_server: str) -> None:
    page = fetcher(max_bytes=100_000).get(fault_server + "/big")
    assert page.truncated and page.error and "larger than 100000" in page.error
    assert len(page.text or "") < 400_000


def test_gzip_bomb_is_cut(fault_server: str) -> None:
    page = fetcher(max_decompressed_bytes=1_000_000).get(fault_server + "/bomb")
    assert page.truncated and page.error and "decompresses beyond" in page.error


def test_slow_drip_ends_at_deadline(fault_server: str) -> None:
    # a byte every 0.2 s never trips the 5 s read timeout, however busy the machine: only the deadline can
    page = fetcher(request_deadline=1.0, read_timeout=5.0).get(fault_server + "/drip")
    assert page.error == "deadline of 1s exceeded" and page.truncated
    assert len(page.text or "") < 1000  # cut mid-body: the drip's 1000 bytes would take 200 s


def test_hanging_response_times_out(fault_server: str) -> None:
    page = fetcher(retries=0).get(fault_server + "/hang")
    assert page.status is None and page.error == "read timeout"


def test_retry_after_503(fault_server: str) -> None:
    clock = VirtualClock()
    page = fetcher(clock).get(fault_server + "/flaky")
    assert page.status == 200 and FaultHandler.hits["/flaky"] == 2
    assert clock.sleeps == [0.0]  # Retry-After: 0 is obeyed, not replaced by the backoff


def test_backoff_doubles_between_retries(fault_server: str) -> None:
    clock = VirtualClock()
    page = fetcher(clock, retries=3, request_deadline=20.0).get(fault_server + "/down")
    assert page.status == 503 and FaultHandler.hits["/down"] == 4
    assert clock.sleeps == [0.5, 1.0, 2.0]


@pytest.mark.parametrize(("wait", "expected"), [("3", [3.0]), ("500", [10.0])])  # capped at max_delay
def test_retry_after_seconds_are_waited(fault_server: str, wait: str, expected: list[float]) -> None:
    clock = VirtualClock()
    page = fetcher(clock, retries=1, request_deadline=60.0).get(f"{fault_server}/busy?wait={wait}")
    assert page.status == 429
    assert clock.sleeps == expected


@pytest.mark.parametrize(("hours", "expected"), [(1, [10.0]), (-1, [0.0])])  # capped; already past
def test_retry_after_http_date_is_waited(fault_server: str, hours: int, expected: list[float]) -> None:
    clock = VirtualClock()
    when = quote(format_datetime(datetime.now(UTC) + timedelta(hours=hours), usegmt=True))
    page = fetcher(clock, retries=1, request_deadline=60.0).get(f"{fault_server}/busy?wait={when}")
    assert page.status == 429
    assert clock.sleeps == expected  # an unreadable date would have meant the 0.5 s backoff


def test_no_retry_wait_runs_past_the_request_deadline(fault_server: str) -> None:
    clock = VirtualClock()
    page = fetcher(clock, retries=5, request_deadline=2.0).get(fault_server + "/down")
    # waits of 0.5 and 1 s fit in the 2 s deadline; the next (2 s) would not: the 503 is returned
    assert page.status == 503 and clock.sleeps == [0.5, 1.0]
    waited = fetcher(clock, retries=1, request_deadline=2.0).get(f"{fault_server}/busy?wait=5")
    assert waited.status == 429 and clock.sleeps == [0.5, 1.0]  # Retry-After 5 > deadline: not waited


def test_recorder_sees_every_exchange(fault_server: str) -> None:
    seen: list[Exchange] = []
    f = Fetcher(Settings(allow_private=True), recorder=seen.append)
    f.get(fault_server + "/ok", company="c")
    assert [(e.url, e.status, e.company) for e in seen] == [(fault_server + "/ok", 200, "c")]
    assert b"caf" in seen[0].body


def test_guard_refuses_private_addresses() -> None:
    for url in (
        "http://127.0.0.1/",
        "http://10.1.2.3/",
        "http://169.254.169.254/latest",
        "http://[::1]/",
        "http://localhost/",
        "http://192.168.0.1/",
    ):
        with pytest.raises(GuardError):
            check_address(url, allow_private=False, via_proxy=False)
    check_address("http://127.0.0.1/", allow_private=True, via_proxy=False)


def test_guard_is_applied_to_fetches(fault_server: str) -> None:
    page = Fetcher(Settings()).get(fault_server + "/ok")
    assert page.status is None and page.error and page.error.startswith("refused private address")


def test_retry_after_parsing() -> None:
    assert retry_after_seconds("5", 10) == 5
    assert retry_after_seconds("500", 10) == 10
    assert retry_after_seconds("soon", 10) is None
    assert retry_after_seconds(None, 10) is None


def test_gzipped_file_body_is_inflated_within_the_limit() -> None:
    import gzip as gz

    from audit.fetch import body_text

    xml = b'<?xml version="1.0"?><urlset><url><loc>http://a.test/x</loc></url></urlset>'
    assert body_text(gz.compress(xml), "application/gzip", 1_000_000) == xml.decode()
    assert body_text(gz.compress(xml), "application/xml", 1_000_000) == xml.decode()  # mislabelled .xml.gz
    bomb = gz.compress(b"<" * 5_000_000)
    assert len(body_text(bomb, "application/gzip", 10_000) or "") == 10_000
    assert body_text(b"\x89PNG....", "image/png", 1000) is None


def test_connect_time_is_measured_for_new_connections_only(fixture_web: FixtureWeb) -> None:
    f = Fetcher(Settings(proxy=fixture_web.proxy_url))
    first = f.get("http://tallybook.test/")
    second = f.get("http://tallybook.test/faq")  # same thread: the pooled keep-alive connection is reused
    assert first.timing.connect_ms is not None and first.timing.connect_ms > 0
    assert second.timing.connect_ms == 0.0
