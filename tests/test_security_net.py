"""Issue 20, the network half: the private-address guard holds for every spelling, every range, every
connection the fetcher opens and every connection the browser opens — redirect hops, WebSockets and
Chromium's own background traffic included.

Loopback only: "public" answers come from a stub resolver and are connected through a stub network that
maps them to loopback listeners; a connection to any other address is refused by the stub.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import struct
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import urllib3.util.connection

import audit.browser_guard as browser_guard
import audit.fetch as fetch
from audit.addresses import SPECIAL_RANGES, BadHost, normalize_host, parse_ipv4, refusal_reason
from audit.browser_guard import BrowserGuard
from audit.fetch import Fetcher, GuardError, check_address
from audit.fixture_web import FixtureWeb
from audit.fixture_web.server import Fault
from audit.render import CHROMIUM_FLAGS, chromium_path, render_all
from audit.settings import Settings
from audit.urls import BadURL, canonicalize, normalize_target

PUBLIC = "203.0.114.10"  # a globally routable address: never connected to, the stub network maps it
SECRET = "LOOPBACK-SECRET"
MAGENTA = (255, 0, 255)


def _has_ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


HAS_IPV6 = _has_ipv6_loopback()


# -- a loopback listener that counts every connection, answered or not -------------------------------


def _png(rgb: tuple[int, int, int], size: int = 64) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + bytes(rgb) * size
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * size))
        + chunk(b"IEND", b"")
    )


class _SecretHandler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path.endswith(".png") or "/img" in self.path:
            body, ctype = _png(MAGENTA), "image/png"
        else:
            body = f'<html><body style="background:#f0f">{SECRET}</body></html>'.encode()
            ctype = "text/html"
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        self.wfile.write(body)


class _CountingServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], family: int = socket.AF_INET) -> None:
        self.address_family = family
        self.connections = 0
        self.paths: list[str] = []
        super().__init__(address, _SecretHandler)

    def verify_request(self, request: Any, client_address: Any) -> bool:
        self.connections += 1
        return True


@dataclass
class Listener:
    server: _CountingServer
    thread: threading.Thread = field(init=False)

    def __post_init__(self) -> None:
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    @property
    def connections(self) -> int:
        return self.server.connections

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def secret() -> Iterator[Listener]:
    listener = Listener(_CountingServer(("127.0.0.1", 0)))
    yield listener
    listener.close()


@pytest.fixture(scope="module")
def secret6() -> Iterator[Listener | None]:
    if not HAS_IPV6:
        yield None
        return
    listener = Listener(_CountingServer(("::1", 0), socket.AF_INET6))
    yield listener
    listener.close()


@pytest.fixture(autouse=True)
def _fresh_lookups() -> Iterator[None]:
    fetch.clear_lookups()
    yield
    fetch.clear_lookups()


# -- 6. one table of special-purpose ranges, a test per row --------------------------------------------

#: For the rows judged by the IPv4 address they carry: (carrying loopback, carrying a public address).
EMBEDDED = {
    "::ffff:0:0/96": ("::ffff:127.0.0.1", "::ffff:8.8.8.8"),
    "64:ff9b::/96": ("64:ff9b::7f00:1", "64:ff9b::808:808"),
    "2002::/16": ("2002:7f00:1::1", "2002:808:808::1"),
    "2002::/16 private": ("2002:c0a8:101::1", "2002:808:404::1"),  # 192.168.1.1
    # Teredo: server 8.8.8.8, client obfuscated (~127.0.0.1 = 80ff:fffe; ~8.8.4.4 = f7f7:fbfb)
    "2001::/32": ("2001:0:808:808::80ff:fffe", "2001:0:808:808::f7f7:fbfb"),
}


def _sample(network: ipaddress.IPv4Network | ipaddress.IPv6Network) -> str:
    return str(network[network.num_addresses // 2])


@pytest.mark.parametrize(
    "row", [r for r in SPECIAL_RANGES if r.verdict == "refuse"], ids=lambda r: str(r.network)
)
def test_every_refused_range_is_refused_given_directly_and_behind_a_proxy(row: Any) -> None:
    sample = _sample(row.network)
    assert refusal_reason(ipaddress.ip_address(sample)) == row.name
    host = f"[{sample}]" if ":" in sample else sample
    for via_proxy in (False, True):
        with pytest.raises(GuardError, match="refused private address"):
            check_address(f"http://{host}/", allow_private=False, via_proxy=via_proxy)
    check_address(f"http://{host}/", allow_private=True, via_proxy=False)


@pytest.mark.parametrize("key", sorted(EMBEDDED))
def test_ranges_carrying_ipv4_are_judged_by_the_address_they_carry(key: str) -> None:
    private, public = EMBEDDED[key]
    reason = refusal_reason(ipaddress.ip_address(private))
    assert reason is not None and "carrying" in reason
    with pytest.raises(GuardError, match="carrying"):
        check_address(f"http://[{private}]/", allow_private=False, via_proxy=True)
    assert refusal_reason(ipaddress.ip_address(public)) is None


def test_every_embedding_row_has_its_cases() -> None:
    embedded_rows = {str(r.network) for r in SPECIAL_RANGES if r.verdict == "embedded"}
    assert embedded_rows == {k.split()[0] for k in EMBEDDED}


@pytest.mark.parametrize(
    "address", ["8.8.8.8", "1.1.1.1", "192.31.196.1", PUBLIC, "2606:4700:4700::1111", "2a00:1450::1"]
)
def test_public_addresses_pass(address: str) -> None:
    assert refusal_reason(ipaddress.ip_address(address)) is None


# -- 5. numeric hosts the WHATWG way, always checked, also behind --proxy ------------------------------

LOOPBACK_SPELLINGS = ["0x7f.1", "127.1", "2130706433", "017700000001", "0177.0.0.1", "0x7F000001", "127.0.1"]


@pytest.mark.parametrize("spelling", LOOPBACK_SPELLINGS)
def test_numeric_hosts_are_read_as_browsers_read_them(spelling: str) -> None:
    assert str(parse_ipv4(spelling.lower())) == "127.0.0.1"
    assert canonicalize(f"http://{spelling}:8080/x") == "http://127.0.0.1:8080/x"
    with pytest.raises(GuardError, match=r"refused private address 127\.0\.0\.1"):
        check_address(f"http://{spelling}/admin", allow_private=False, via_proxy=True)


@pytest.mark.parametrize("host", ["0x7g.1", "1.2.3.4.5", "256.0.0.1", "1.2.0x1000000"])
def test_numeric_hosts_no_browser_accepts_are_refused(host: str) -> None:
    with pytest.raises(BadHost):
        parse_ipv4(host)
    with pytest.raises(GuardError):
        check_address(f"http://{host}/", allow_private=False, via_proxy=True)
    with pytest.raises(BadURL):
        normalize_target(f"http://{host}/")


@pytest.mark.parametrize("host", ["acme.test", "1.2.3.example", "x1", "0x.example", "a.b"])
def test_names_are_not_numbers(host: str) -> None:
    assert parse_ipv4(host) is None


def test_percent_encoded_and_full_width_hosts_are_normalised() -> None:
    assert normalize_host("%31%32%37.0.0.1") == "127.0.0.1"
    assert normalize_host("１２７.０.０.１") == "127.0.0.1"


def test_redirect_to_a_numeric_loopback_host_is_refused_behind_the_proxy(secret: Listener) -> None:
    with FixtureWeb() as web:
        web.add_fault(
            "hop.test",
            "/go",
            Fault(302, content_type="text/html", headers={"Location": f"http://0x7f.1:{secret.port}/admin"}),
        )
        page = Fetcher(Settings(proxy=web.proxy_url, retries=0)).get("http://hop.test/go")
        assert page.error is not None and page.error.startswith("refused private address 127.0.0.1")
        assert web.hosts_seen() == {"hop.test"}  # nothing handed to the proxy for the target
    assert secret.connections == 0


def test_a_name_resolving_locally_to_a_private_address_is_refused_behind_the_proxy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = socket.getaddrinfo

    def resolver(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "intranet.corp.example.com":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.20.30.40", 0))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    with FixtureWeb() as web:
        page = Fetcher(Settings(proxy=web.proxy_url, retries=0)).get("http://intranet.corp.example.com/")
        assert page.error is not None and "resolves to private address 10.20.30.40" in page.error
        assert web.hosts_seen() == set()


# -- 4. localhost names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "host", ["localhost", "localhost.", "LOCALHOST..", "foo.localhost", "foo.localhost."]
)
@pytest.mark.parametrize("via_proxy", [False, True])
def test_localhost_names_are_loopback(host: str, via_proxy: bool) -> None:
    with pytest.raises(GuardError, match="loopback"):
        check_address(f"http://{host}:8080/", allow_private=False, via_proxy=via_proxy)


# -- 7. IPv6 literals -------------------------------------------------------------------------------------


def test_ipv6_literals_keep_their_brackets() -> None:
    assert canonicalize("http://[::1]:8080/a#x") == "http://[::1]:8080/a"
    assert canonicalize("https://[2001:DB8:0::1]:443/") == "https://[2001:db8::1]/"
    assert normalize_target("[2606:4700::1111]") == "https://[2606:4700::1111]/"
    with pytest.raises(GuardError, match="refused private address ::1"):
        check_address(canonicalize("http://[::1]:8080/"), allow_private=False, via_proxy=False)
    with pytest.raises(GuardError, match="no host"):
        check_address("http://::1:8080/", allow_private=False, via_proxy=False)


@pytest.mark.skipif(not HAS_IPV6, reason="no IPv6 loopback here")
def test_an_ipv6_site_can_be_audited_and_a_redirect_to_ipv6_loopback_is_refused(
    secret6: Listener | None,
) -> None:
    assert secret6 is not None
    page = Fetcher(Settings(allow_private=True, retries=0)).get(f"http://[::1]:{secret6.port}/page")
    assert page.status == 200 and SECRET in (page.text or "")
    before = secret6.connections
    with FixtureWeb() as web:
        web.add_fault(
            "hop6.test",
            "/go",
            Fault(302, content_type="text/html", headers={"Location": f"http://[::1]:{secret6.port}/admin"}),
        )
        page = Fetcher(Settings(proxy=web.proxy_url, retries=0)).get("http://hop6.test/go")
    assert page.error is not None and page.error.startswith("refused private address ::1")
    assert secret6.connections == before


# -- 1. DNS rebinding: resolve once, connect to what was checked ----------------------------------------


class Rebinder:
    """A resolver answering ``PUBLIC`` to the first lookup of ``name`` and loopback to every later one."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.lookups = 0
        self.real = socket.getaddrinfo

    def __call__(self, host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != self.name:
            return self.real(host, port, *args, **kwargs)
        self.lookups += 1
        address = PUBLIC if self.lookups == 1 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port or 0))]


def test_the_fetcher_connects_to_the_address_it_checked(
    secret: Listener, monkeypatch: pytest.MonkeyPatch
) -> None:
    rebinder = Rebinder("rebind.attacker.example.com")
    monkeypatch.setattr(socket, "getaddrinfo", rebinder)
    real_connect = urllib3.util.connection.create_connection
    dialled: list[str] = []

    def network(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        dialled.append(address[0])
        if address[0] != "127.0.0.1":
            raise ConnectionRefusedError(111, "stub network: only loopback exists")
        return real_connect(address, *args, **kwargs)

    monkeypatch.setattr(urllib3.util.connection, "create_connection", network)
    page = Fetcher(Settings(retries=1)).get(f"http://rebind.attacker.example.com:{secret.port}/admin")
    assert page.status is None and page.error is not None
    assert dialled and dialled[0] == PUBLIC  # the checked answer, not a second lookup's
    assert "127.0.0.1" not in dialled
    assert secret.connections == 0


def test_the_browser_guard_connects_to_the_address_it_checked(
    secret: Listener, monkeypatch: pytest.MonkeyPatch
) -> None:
    rebinder = Rebinder("rebind.attacker.example.com")
    monkeypatch.setattr(socket, "getaddrinfo", rebinder)
    public_site = Listener(_CountingServer(("127.0.0.1", 0)))
    dialled: list[tuple[str, int]] = []

    def network(address: tuple[str, int], timeout: float) -> socket.socket:
        dialled.append(address)
        if address[0] == PUBLIC:
            return socket.create_connection(("127.0.0.1", public_site.port), timeout)
        raise ConnectionRefusedError(111, "stub network")

    try:
        with (
            BrowserGuard(connect=network) as guard,
            socket.create_connection(("127.0.0.1", int(guard.url.rsplit(":", 1)[1])), timeout=10) as client,
        ):
            target = f"rebind.attacker.example.com:{secret.port}"
            client.sendall(f"GET http://{target}/admin HTTP/1.1\r\nHost: {target}\r\n\r\n".encode())
            answer = _read_all(client)
    finally:
        public_site.close()
    assert answer.startswith(b"HTTP/1.0 200") and SECRET.encode() in answer  # from the stub "public" site
    assert dialled == [(PUBLIC, secret.port)]
    assert public_site.connections == 1 and secret.connections == 0


def _read_all(sock: socket.socket) -> bytes:
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


def test_the_browser_guard_refuses_without_connecting(secret: Listener) -> None:
    with BrowserGuard() as guard:
        port = int(guard.url.rsplit(":", 1)[1])
        for request in (
            f"CONNECT 127.0.0.1:{secret.port} HTTP/1.1\r\n\r\n",
            f"CONNECT localhost.:{secret.port} HTTP/1.1\r\n\r\n",
            f"CONNECT [::1]:{secret.port} HTTP/1.1\r\n\r\n",
            f"GET http://0x7f.1:{secret.port}/ HTTP/1.1\r\nHost: x\r\n\r\n",
            "CONNECT update.googleapis.com:443 HTTP/1.1\r\n\r\n",
        ):
            with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
                client.sendall(request.encode())
                answer = _read_all(client)
            assert answer.startswith(b"HTTP/1.1 403"), request
            assert b"X-Engage-Refused: refused" in answer, request
        assert ("update.googleapis.com", 443) in guard.refused
    assert secret.connections == 0


# -- 2, 3, 4, 14. the rendered pass: redirect hops, WebSockets, background traffic ----------------------


#: Every loopback spelling a page may redirect to: the static crawler and the rendered pass are both held
#: to each (``test_a_redirect_to_any_loopback_spelling_is_refused`` and the rendered ``img-N`` hops).
GUARD_SPELLINGS = [
    "127.0.0.1",
    "localhost",
    "localhost.",
    "foo.localhost.",
    "0x7f.1",
    "127.1",
    "2130706433",
    "017700000001",
    "0177.0.0.1",
    "[::ffff:127.0.0.1]",
]


def _targets(port: int, port6: int | None) -> dict[str, str]:
    """Where each of the page's requests is redirected: every loopback spelling the static tests refuse."""
    targets = {f"img-{i}": f"http://{host}:{port}/img.png" for i, host in enumerate(GUARD_SPELLINGS)}
    targets |= {
        "frame": f"http://localhost.:{port}/frame",
        "fetch": f"http://0x7f.1:{port}/fetch",
        "meta": f"http://foo.localhost.:{port}/meta",
        "js": f"http://2130706433:{port}/js",
    }
    if port6 is not None:
        targets["img-v6"] = f"http://[::1]:{port6}/img.png"
        targets["frame-v6"] = f"http://[::1]:{port6}/frame"
    return targets


@pytest.mark.parametrize("host", GUARD_SPELLINGS)
def test_a_redirect_to_any_loopback_spelling_is_refused(host: str, secret: Listener) -> None:
    with FixtureWeb() as web:
        web.add_fault(
            "hop.test",
            "/go",
            Fault(302, content_type="text/html", headers={"Location": f"http://{host}:{secret.port}/admin"}),
        )
        page = Fetcher(Settings(proxy=web.proxy_url, retries=0)).get("http://hop.test/go")
        assert page.error is not None and page.error.startswith("refused private address"), page.error
        assert page.redirects == ["http://hop.test/go"]
        assert web.hosts_seen() == {"hop.test"}  # nothing was handed to the proxy for the target
    with pytest.raises(GuardError):
        check_address(f"http://{host}:{secret.port}/admin", allow_private=False, via_proxy=False)
    assert secret.connections == 0


def _pages(port: int, targets: dict[str, str]) -> dict[str, str]:
    images = "".join(f'<img src="/r/{k}" width="64" height="64">' for k in targets if k.startswith("img"))
    frames = "".join(
        f'<iframe src="/r/{k}" width="200" height="100"></iframe>' for k in targets if "frame" in k
    )
    main = f"""<!DOCTYPE html><html><head><title>hops</title>
<script src="http://cdn.vendor.test/widget.js"></script></head>
<body><h1>hops</h1>{images}{frames}<pre id="fetched"></pre><pre id="ws"></pre>
<script>
fetch('/r/fetch').then(r => r.text()).then(t => {{ document.getElementById('fetched').textContent = t; }})
  .catch(e => {{ document.getElementById('fetched').textContent = 'fetch failed'; }});
const sockets = ['ws://127.0.0.1:{port}/ws', 'ws://localhost.:{port}/ws', 'ws://0x7f.1:{port}/ws'];
for (const url of [...sockets, 'ws://echo.hops.test:81/']) {{
  try {{
    const ws = new WebSocket(url);
    ws.onmessage = (m) => {{ document.getElementById('ws').textContent += m.data; }};
  }} catch (e) {{}}
}}
</script></body></html>"""
    return {
        "/": main,
        "/meta": '<html><head><meta http-equiv="refresh" content="0;url=/r/meta"></head><body></body></html>',
        "/js": "<html><body>j<script>location.href = '/r/js';</script></body></html>",
    }


@dataclass
class Rendered:
    results: list[Any]
    seen_hosts: set[str]
    connections: int
    connections6: int


def _serve_hops(web: FixtureWeb, secret: Listener, secret6: Listener | None) -> None:
    targets = _targets(secret.port, secret6.port if secret6 else None)
    for path, html in _pages(secret.port, targets).items():
        web.add_fault(
            "hops.test", path, Fault(200, body=html.encode(), content_type="text/html; charset=utf-8")
        )
    for key, location in targets.items():
        web.add_fault(
            "hops.test", f"/r/{key}", Fault(302, content_type="text/html", headers={"Location": location})
        )
    web.add_fault(
        "cdn.vendor.test",
        "/widget.js",
        Fault(200, body=b"window.EngageVendorWidget = 1;", content_type="text/javascript"),
    )


HOP_URLS = ["http://hops.test/", "http://hops.test/meta", "http://hops.test/js"]


def _render(settings: Settings) -> list[Any]:
    executable = chromium_path(settings)
    assert executable is not None
    [results] = render_all(settings, executable, ["EngageVendorWidget"], [HOP_URLS])
    return list(results)


needs_browser = pytest.mark.skipif(
    chromium_path(Settings()) is None, reason="Debian's chromium is not installed"
)


@pytest.fixture(scope="module")
def rendered_via_proxy(secret: Listener, secret6: Listener | None) -> Rendered:
    before, before6 = secret.connections, secret6.connections if secret6 else 0
    with FixtureWeb() as web:
        _serve_hops(web, secret, secret6)
        results = _render(Settings(proxy=web.proxy_url, render_timeout=20, render_budget=120))
        seen = web.hosts_seen()
    return Rendered(
        results, seen, secret.connections - before, (secret6.connections if secret6 else 0) - before6
    )


@pytest.fixture(scope="module")
def rendered_direct(secret: Listener, secret6: Listener | None) -> Rendered:
    """No ``--proxy``: ``*.test`` names resolve (stub) to a public address the stub network maps to the
    fixture web; anything else the guard would dial is refused by the stub."""
    before, before6 = secret.connections, secret6.connections if secret6 else 0
    real = socket.getaddrinfo

    def resolver(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(host, str) and host.endswith(".test"):
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (PUBLIC, port or 0))]
        return real(host, port, *args, **kwargs)

    with FixtureWeb() as web, pytest.MonkeyPatch.context() as mp:
        _serve_hops(web, secret, secret6)

        echo_server = _websocket_echo()
        echo = int(echo_server.getsockname()[1])

        def network(address: tuple[str, int], timeout: float) -> socket.socket:
            if address == (PUBLIC, 81):
                return socket.create_connection(("127.0.0.1", echo), timeout)
            if address[0] == PUBLIC:
                return socket.create_connection(("127.0.0.1", web.port), timeout)
            raise ConnectionRefusedError(111, "stub network")

        mp.setattr(socket, "getaddrinfo", resolver)
        mp.setattr(browser_guard, "_connect", network)
        results = _render(Settings(render_timeout=20, render_budget=120))
        seen = web.hosts_seen()
        echo_server.close()
    return Rendered(
        results, seen, secret.connections - before, (secret6.connections if secret6 else 0) - before6
    )


def _has_magenta(png: bytes) -> bool:
    from io import BytesIO

    from PIL import Image

    image = Image.open(BytesIO(png)).convert("RGB")
    return MAGENTA in {rgb for _count, rgb in (image.getcolors(1 << 20) or [])}


def _check_rendered(rendered: Rendered, targets: dict[str, str]) -> None:
    assert rendered.connections == 0 and rendered.connections6 == 0  # not even a TCP connect
    home, meta, js = rendered.results
    assert home.error is None, home.error
    assert home.globals == ["EngageVendorWidget"]  # a third-party script still loads
    for result in rendered.results:
        assert SECRET not in (result.html or "")
        if result.screenshot:
            assert not _has_magenta(result.screenshot), result.url
    logged = {r["url"]: r for r in home.requests}
    for key, target in targets.items():
        if key in ("meta", "js"):
            continue
        hop = canonical_hop(target)
        if key == "fetch" and hop not in logged:
            # Chromium sometimes fails a redirected fetch before it asks for the hop: refused either way
            assert logged["http://hops.test/r/fetch"]["failure"] is not None, logged
            continue
        assert hop in logged, (key, sorted(logged))
        assert str(logged[hop]["failure"]).startswith(("blocked", "net::ERR_BLOCKED_BY_CLIENT")), logged[hop]
    for page, key in ((meta, "meta"), (js, "js")):
        hops = [r for r in page.requests if r["url"] == canonical_hop(targets[key])]
        assert hops and all(str(r["failure"]).startswith("blocked") for r in hops), page.requests
    sockets = [r for r in home.requests if r["type"] == "websocket" and "echo" not in r["url"]]
    assert len(sockets) == 3 and all(str(r["failure"]).startswith("blocked: refused") for r in sockets)
    echoes = [r for r in home.requests if r["url"] == "ws://echo.hops.test:81/"]
    assert len(echoes) == 1 and echoes[0]["type"] == "websocket"  # logged whatever became of it


def canonical_hop(url: str) -> str:
    """The URL Chromium logs for a redirect target (it reads numeric hosts the WHATWG way too)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host = normalize_host(parts.hostname or "")
    if host in ("localhost", "foo.localhost"):
        host = f"{host}."
    shown = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{shown}:{parts.port}{parts.path}"


@needs_browser
def test_browser_redirect_hops_and_websockets_to_loopback_are_blocked_behind_the_proxy(
    rendered_via_proxy: Rendered, secret: Listener, secret6: Listener | None
) -> None:
    _check_rendered(rendered_via_proxy, _targets(secret.port, secret6.port if secret6 else None))


@needs_browser
def test_browser_redirect_hops_and_websockets_to_loopback_are_blocked_without_a_proxy(
    rendered_direct: Rendered, secret: Listener, secret6: Listener | None
) -> None:
    _check_rendered(rendered_direct, _targets(secret.port, secret6.port if secret6 else None))


@needs_browser
def test_a_websocket_to_a_public_host_still_works_through_the_guard(rendered_direct: Rendered) -> None:
    home = rendered_direct.results[0]
    [echo] = [r for r in home.requests if r["url"] == "ws://echo.hops.test:81/"]
    assert echo["failure"] is None
    assert '<pre id="ws">hello</pre>' in (home.html or "")  # the message came through (a chat widget's)


def _websocket_echo() -> socket.socket:
    """A loopback WebSocket server that greets each client with one text frame, "hello"."""
    import base64
    import hashlib

    server = socket.create_server(("127.0.0.1", 0))

    def greet(conn: socket.socket) -> None:
        with conn:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                data += chunk
            key = next(
                line.split(b":", 1)[1].strip()
                for line in data.split(b"\r\n")
                if line.lower().startswith(b"sec-websocket-key:")
            )
            accept = base64.b64encode(hashlib.sha1(key + b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest())
            conn.sendall(
                b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n\x81\x05hello"
            )
            conn.settimeout(30)
            with contextlib.suppress(OSError):
                while conn.recv(4096):
                    pass

    def serve() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            threading.Thread(target=greet, args=(conn,), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    return server


@needs_browser
def test_the_browser_contacts_no_host_the_page_did_not_reference(rendered_via_proxy: Rendered) -> None:
    referenced = {
        normalize_host(r["url"].split("/")[2].rsplit(":", 1)[0] if "]" not in r["url"] else "::1")
        for result in rendered_via_proxy.results
        for r in result.requests
    }
    assert rendered_via_proxy.seen_hosts == {"hops.test", "cdn.vendor.test", "echo.hops.test"}
    assert rendered_via_proxy.seen_hosts <= referenced


def test_chromium_is_started_without_its_own_resolver_and_background_services() -> None:
    assert "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1" in CHROMIUM_FLAGS
    assert "--disable-background-networking" in CHROMIUM_FLAGS
    assert "--disable-component-update" in CHROMIUM_FLAGS
    assert browser_guard._is_background("update.googleapis.com")
    assert browser_guard._is_background("safebrowsing.googleapis.com")
    assert not browser_guard._is_background("js.driftt.com")


@pytest.mark.skipif(not HAS_IPV6, reason="no IPv6 loopback here")
def test_an_ipv6_site_is_audited_end_to_end(secret6: Listener | None, tmp_path: Any) -> None:
    import json

    from click.testing import CliRunner

    from audit.cli import main

    assert secret6 is not None
    url = f"http://[::1]:{secret6.port}/"
    args = ["audit", url, "--allow-private", "--render", "never", "--format", "json", "-q"]
    result = CliRunner().invoke(main, [*args, "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    company = json.loads((tmp_path / "audit.json").read_text())["companies"][0]
    assert company["url"] == url and company["crawl"]["pages"] >= 1
    assert not [e for e in company["errors"] if "internal error" in e["message"]]


def test_a_link_with_a_bad_port_is_skipped_not_the_whole_page() -> None:
    from bs4 import BeautifulSoup

    from audit.discover import chrome_links

    html = '<a href="http://x.example:abc/">bad</a><a href="/faq">FAQ</a><a href="http://[::1]:8/c">v6</a>'
    links = chrome_links(BeautifulSoup(html, "lxml"), "http://[::1]:8/")
    assert links.body == ["http://[::1]:8/faq", "http://[::1]:8/c"]


def test_hosts_a_page_asked_for_are_not_background_traffic() -> None:
    guard = BrowserGuard(upstream="http://127.0.0.1:9")  # judged only; nothing is connected
    with pytest.raises(browser_guard.Refused, match="background traffic"):
        guard.judge("fonts.googleapis.com", 443)
    guard.ask("https://fonts.googleapis.com/css2?family=Inter")
    assert guard.judge("fonts.googleapis.com", 443) == ()  # left to the upstream proxy
    assert guard.judge("js.driftt.com", 443) == ()  # a third party nobody listed still loads
    with pytest.raises(browser_guard.Refused, match="loopback"):
        guard.judge("localhost.", 80)


def test_an_upstream_proxy_with_credentials_gets_them() -> None:
    head = browser_guard._with_proxy_auth(b"CONNECT a.test:443 HTTP/1.1", "http://me:s%40cret@proxy:3128")
    assert head.endswith(b"\r\nProxy-Authorization: Basic bWU6c0BjcmV0")


def test_names_are_checked_locally_behind_a_proxy_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = socket.getaddrinfo

    def resolver(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "intranet.corp.example.com":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("192.168.7.7", 0))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    with FixtureWeb() as web:
        monkeypatch.setenv("HTTP_PROXY", web.proxy_url)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        page = Fetcher(Settings(retries=0)).get("http://intranet.corp.example.com/")
        assert page.error is not None and "resolves to private address 192.168.7.7" in page.error
        web.add_fault("plain.test", "/", Fault(200, b"ok", "text/plain"))
        assert Fetcher(Settings(retries=0)).get("http://plain.test/").status == 200  # the proxy is used
        assert web.hosts_seen() == {"plain.test"}


class _EchoHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        answer = f"{len(body)} {self.headers.get('Connection')} {self.path}".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(answer)))
        self.send_header("Connection", "keep-alive")
        self.end_headers()
        self.wfile.write(answer)


def test_the_browser_guard_forwards_a_whole_request_body_and_closes_after_the_answer() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _EchoHandler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    body = b"x" * 300_000
    try:
        with (
            BrowserGuard(allow_private=True) as guard,
            socket.create_connection(("127.0.0.1", int(guard.url.rsplit(":", 1)[1])), timeout=10) as client,
        ):
            head = f"POST http://127.0.0.1:{port}/beacon?a=1 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            head += f"Proxy-Connection: keep-alive\r\nContent-Length: {len(body)}\r\n\r\n"
            client.sendall(head.encode() + body)
            answer = b""
            while b"\r\n\r\n" not in answer or not answer.endswith(b"/beacon?a=1"):
                chunk = client.recv(65536)  # as a browser reads: by Content-Length (the server keeps alive)
                if not chunk:
                    break
                answer += chunk
    finally:
        server.shutdown()
        server.server_close()
    head_part, _, text = answer.partition(b"\r\n\r\n")
    assert head_part.startswith(b"HTTP/1.1 200")
    assert b"Connection: close" in head_part and b"keep-alive" not in head_part
    assert text == b"300000 close /beacon?a=1"


def test_an_upstream_proxy_the_guard_cannot_speak_to_is_a_one_line_error() -> None:
    with pytest.raises(ValueError, match=r"--proxy 'socks5://127\.0\.0\.1:1080': .*http:// proxy"):
        BrowserGuard(upstream="socks5://127.0.0.1:1080").start()
