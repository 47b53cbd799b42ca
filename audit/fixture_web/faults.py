"""The hostile fixture web: named fault modes, each on its own host ``<mode>.fault.test``.

Like the fixture web it dispatches on the Host header or an absolute request URI, so it works as an HTTP
forward proxy (``--proxy``). Every host's home page links to ``/fault``, which misbehaves as its mode says;
modes that attack the first contact (``hang-accept``, ``redirect-loop``, ``robots-garbage`` …) misbehave on
the home page too. ``ok.fault.test`` is a healthy control site.

The TLS modes (``tls-*``) are HTTPS sites reached through ``CONNECT``: a handshake that never comes, a
certificate for another host name, a self-signed one, an expired one, a server that speaks only TLS 1.0.
Their certificates come from the fault web's own CA (``ca_pem_path``), so only the fault is wrong.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import socket
import socketserver
import ssl
import struct
import threading
import time
from collections.abc import Callable, Iterator
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import urlsplit

from audit.fixture_web.tls import Authority, CertProblem

DOMAIN = "fault.test"

#: Where ``redirect-private`` points: the fault server's own loopback port (filled in by ``start``).
PRIVATE_TARGET = "http://127.0.0.1:9/internal"

HOME = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{mode} — fault site</title></head>'
    '<body><header><nav><a href="/">Home</a> <a href="/fault">Fault</a> <a href="/contact">Contact</a>'
    '</nav></header><main><h1>{mode}</h1><p>Write to <a href="mailto:help@{mode}.fault.test">us</a>.</p>'
    "</main></body></html>"
)


@lru_cache(maxsize=1)
@functools.cache
def gzip_bomb() -> bytes:
    """~100 KB of gzip that inflates to 100 MB (made once: compressing 100 MB takes seconds on a busy box,
    which a client's read timeout would report instead of the bomb)."""
    return gzip.compress(b"\0" * 100_000_000, compresslevel=9, mtime=0)


def entity_bomb() -> bytes:
    """A sitemap with a billion-laughs entity expansion and an external entity."""
    ents = '<!ENTITY a "lol">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)
    )
    return (
        f'<?xml version="1.0"?><!DOCTYPE s [{ents}<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&i;&x;</loc></url></urlset>'
    ).encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    timeout = 120

    tls = False  # set once the connection speaks TLS
    hits: ClassVar[dict[str, int]] = {}
    lock: ClassVar[threading.Lock] = threading.Lock()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        host = (parts.hostname or self.headers.get("Host", "").split(":")[0]).lower()
        path = parts.path or "/"
        mode = host.removesuffix("." + DOMAIN) if host.endswith("." + DOMAIN) else ""
        with self.lock:
            key = f"{host}{path}"
            self.hits[key] = self.hits.get(key, 0) + 1
            count = self.hits[key]
        handler = FAULTS.get(mode)
        if handler is None:
            self.send_plain(502, b"unknown host\n")
            return
        try:
            handler(self, path, count)
        except (TimeoutError, BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def do_CONNECT(self) -> None:
        """Every fault site is reachable over HTTPS too; the ``tls-*`` modes break TLS on purpose."""
        host = self.path.rpartition(":")[0].lower()
        mode = host.removesuffix("." + DOMAIN)
        if not host.endswith("." + DOMAIN) or mode not in FAULTS or self.tls:
            self.close_connection = True
            self.send_plain(502, b"unknown host\n")
            return
        self.send_response(200, "Connection established")
        self.end_headers()
        self.wfile.flush()
        if mode == "tls-hang":
            self.close_connection = True
            self._hold()
            return
        authority: Authority = self.server.tls  # type: ignore[attr-defined]
        try:
            sock = authority.server_context(host).wrap_socket(self.connection, server_side=True)
        except (ssl.SSLError, OSError):
            self.close_connection = True  # the client refused the certificate: the fault did its job
            return
        self.connection = self.request = sock
        self.rfile = sock.makefile("rb")
        self.wfile = socketserver._SocketWriter(sock)  # type: ignore[attr-defined]
        self.tls = True
        self.close_connection = False

    def _hold(self) -> None:
        """Accept the tunnel, then say nothing until the client gives up (a TLS handshake that hangs)."""
        self.connection.settimeout(60)
        with contextlib.suppress(OSError):
            while self.connection.recv(4096):
                pass  # a ClientHello arrives and is never answered

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            if self.tls:
                with contextlib.suppress(OSError):
                    self.connection.close()

    # --- building blocks -----------------------------------------------------------------------------
    def send_plain(
        self, status: int, body: bytes, ctype: str = "text/plain", extra: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def promise_body(self, length: int) -> None:
        """Headers announcing an HTML body of ``length`` bytes that the fault will not deliver properly."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(length))
        self.end_headers()

    def home(self, mode: str) -> None:
        self.send_plain(200, HOME.format(mode=mode).encode(), "text/html; charset=utf-8")

    def standard(self, path: str, mode: str) -> bool:
        """Serve the parts every fault site shares; False when ``path`` is the fault's."""
        if path == "/robots.txt":
            self.send_plain(200, b"User-agent: *\nAllow: /\n")
        elif path == "/":
            self.home(mode)
        elif path != "/fault":
            self.send_plain(404, b"<html><body>Not found</body></html>", "text/html")
        else:
            return False
        return True


Fault = Callable[[_Handler, str, int], None]


def _ok(h: _Handler, path: str, count: int) -> None:
    if not h.standard(path, "ok"):
        h.send_plain(200, b"<html><body><h1>Fine</h1></body></html>", "text/html")


def _tls_site(mode: str) -> Fault:
    """A TLS mode's site: healthy HTTP once (if ever) the broken handshake is accepted."""

    def serve(h: _Handler, path: str, count: int) -> None:
        if not h.standard(path, mode):
            h.send_plain(200, b"<html><body><h1>Fine</h1></body></html>", "text/html")

    return serve


#: The TLS fault modes and the certificate problem each one's host presents.
TLS_PROBLEMS: dict[str, CertProblem | None] = {
    "tls-hang": None,
    "tls-wrong-host": "wrong-host",
    "tls-self-signed": "self-signed",
    "tls-expired": "expired",
    "tls-old": "tls1.0",
}


def _hang_accept(h: _Handler, path: str, count: int) -> None:
    time.sleep(60)  # never answers; the client's timeouts must end it
    h.close_connection = True


def _hang_body(h: _Handler, path: str, count: int) -> None:
    if h.standard(path, "hang-body"):
        return
    h.promise_body(100_000)
    h.wfile.write(b"<html><body>")
    h.wfile.flush()
    time.sleep(60)
    h.close_connection = True


def _slow_drip(h: _Handler, path: str, count: int) -> None:
    if h.standard(path, "slow-drip"):
        return
    h.promise_body(100_000)
    for _ in range(120):
        h.wfile.write(b"x")
        h.wfile.flush()
        time.sleep(0.5)
    h.close_connection = True


def _reset(h: _Handler, path: str, count: int) -> None:
    if h.standard(path, "reset"):
        return
    h.promise_body(100_000)
    h.wfile.write(b"<html><body>" + b"partial " * 100)
    h.wfile.flush()
    h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    h.connection.close()  # RST mid-body
    h.close_connection = True


def _server_errors(h: _Handler, path: str, count: int) -> None:
    if path == "/robots.txt":
        h.send_plain(200, b"User-agent: *\nAllow: /\n")
        return
    h.send_plain(503, b"down", extra={"Retry-After": "1"})


def _rate_limited(h: _Handler, path: str, count: int) -> None:
    if count <= 1 and path != "/robots.txt":  # a burst: the first request of each page is refused
        h.send_plain(429, b"slow down", extra={"Retry-After": "1"})
        return
    if not h.standard(path, "rate-limited"):
        h.send_plain(200, b"<html><body>ok after waiting</body></html>", "text/html")


def _redirect_loop(h: _Handler, path: str, count: int) -> None:
    if path == "/robots.txt":
        h.send_plain(200, b"User-agent: *\nAllow: /\n")
        return
    h.send_plain(302, b"", extra={"Location": "/a" if path != "/a" else "/"})


def _redirect_chain(h: _Handler, path: str, count: int) -> None:
    if path == "/robots.txt":
        h.send_plain(200, b"User-agent: *\nAllow: /\n")
        return
    step = int(path.strip("/").removeprefix("hop") or 0) if path.startswith("/hop") or path == "/" else 0
    if step < 50:
        h.send_plain(301, b"", extra={"Location": f"/hop{step + 1}"})
    else:
        h.home("redirect-chain")


def _redirect_private(h: _Handler, path: str, count: int) -> None:
    """A public-looking page that redirects to a loopback address (an SSRF attempt)."""
    if path == "/robots.txt":
        h.send_plain(200, b"User-agent: *\nAllow: /\n")
    elif path == "/fault":
        h.send_plain(302, b"", extra={"Location": PRIVATE_TARGET})
    elif path == "/browser":
        body = f'<html><body><h1>browser</h1><script src="{PRIVATE_TARGET}"></script></body></html>'
        h.send_plain(200, body.encode(), "text/html")
    else:
        h.standard(path, "redirect-private")


def _huge(h: _Handler, path: str, count: int) -> None:
    if h.standard(path, "huge"):
        return
    size = 50_000_000
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", str(size))
    h.end_headers()
    chunk = b"<p>" + b"x" * 65_530 + b"</p>"
    sent = 0
    while sent < size:
        piece = chunk[: size - sent]
        h.wfile.write(piece)
        sent += len(piece)


def _gzip_bomb(h: _Handler, path: str, count: int) -> None:
    if h.standard(path, "gzip-bomb"):
        return
    h.send_plain(200, gzip_bomb(), "text/html", {"Content-Encoding": "gzip"})


def _lying_type(h: _Handler, path: str, count: int) -> None:
    if h.standard(path, "lying-type"):
        return
    h.send_plain(200, HOME.format(mode="lying-type").encode(), "image/png")


def _bad_charset(h: _Handler, path: str, count: int) -> None:
    if path == "/robots.txt":
        h.send_plain(200, b"User-agent: *\nAllow: /\n")
        return
    body = "<html><head><title>Caf\xe9 cr\xe8me</title></head><body>\xff\xfe bad bytes</body></html>"
    h.send_plain(200, body.encode("latin-1") + b"\xc3\x28\xa0\xa1", "text/html; charset=utf-8")


def _lying_charset(h: _Handler, path: str, count: int) -> None:
    """Declared charsets that lie in ways Python's codecs accept: UTF-7 (lone surrogates), a meta charset
    naming ``unicode_escape``, ``idna`` on robots.txt, and JSON-LD escaping a lone surrogate."""
    if path == "/robots.txt":
        h.send_plain(200, b"User-agent: *\nAllow: /\n", "text/plain; charset=idna")
        return
    jsonld = '{"@context": "https://schema.org", "@type": "Organization", "name": "Caf\\udd4f"}'
    body = (
        '<html><head><meta charset="unicode_escape"><title>Caf +3U8- \\udd4f</title>'
        f'<script type="application/ld+json">{jsonld}</script></head>'
        '<body><header><a href="/">Home</a> <a href="/fault">Fault</a> <a href="/contact">+3U8-</a></header>'
        "<p>Write to help@lying-charset.fault.test +2D3dTw- \\ud83d</p></body></html>"
    )
    h.send_plain(200, body.encode("ascii") + b"\xed\xb4\x8f", "text/html; charset=utf-7")


def _binary_html(h: _Handler, path: str, count: int) -> None:
    if h.standard(path, "binary-html"):
        return
    h.send_plain(200, bytes(range(256)) * 400, "text/html")


def _deep_dom(h: _Handler, path: str, count: int) -> None:
    if h.standard(path, "deep-dom"):
        return
    h.send_plain(
        200,
        b"<html><body>" + b"<div>" * 10_000 + b"deep" + b"</div>" * 10_000 + b"</body></html>",
        "text/html",
    )


def _many_links(h: _Handler, path: str, count: int) -> None:
    if h.standard(path, "many-links"):
        return
    links = b"".join(b'<a href="/p%d">p</a>' % i for i in range(100_000))
    h.send_plain(200, b"<html><body>" + links + b"</body></html>", "text/html")


def _sitemap_bomb(h: _Handler, path: str, count: int) -> None:
    if path == "/robots.txt":
        h.send_plain(
            200,
            b"User-agent: *\nAllow: /\nSitemap: http://sitemap-bomb.fault.test/bomb.xml\n"
            b"Sitemap: http://sitemap-bomb.fault.test/index.xml\n",
        )
    elif path == "/bomb.xml":
        h.send_plain(200, entity_bomb(), "application/xml")
    elif path.startswith("/index"):
        children = "".join(
            f"<sitemap><loc>http://sitemap-bomb.fault.test/index{i}.xml</loc></sitemap>" for i in range(2000)
        )
        body = f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{children}'
        h.send_plain(200, (body + "</sitemapindex>").encode(), "application/xml")
    elif not h.standard(path, "sitemap-bomb"):
        h.send_plain(200, b"<html><body>ok</body></html>", "text/html")


def _robots_garbage(h: _Handler, path: str, count: int) -> None:
    if path == "/robots.txt":
        h.send_plain(200, b"\x00\xffUser-agent *\nDisallow /\n<html>not robots</html>\n" * 50)
    elif not h.standard(path, "robots-garbage"):
        h.send_plain(200, b"<html><body>ok</body></html>", "text/html")


def _js_loop(h: _Handler, path: str, count: int) -> None:
    """For the browser: a page that loops forever in JavaScript and opens endless pop-ups."""
    if path == "/robots.txt":
        h.send_plain(200, b"User-agent: *\nAllow: /\n")
        return
    body = (
        "<html><head><title>js loop</title></head><body><h1>js-loop</h1>"
        "<script>setInterval(function(){window.open('/popup');}, 10);"
        "setTimeout(function(){while(true){}}, 50);</script></body></html>"
    )
    h.send_plain(200, body.encode(), "text/html")


FAULTS: dict[str, Fault] = {
    "ok": _ok,
    "hang-accept": _hang_accept,
    "hang-body": _hang_body,
    "slow-drip": _slow_drip,
    "reset": _reset,
    "server-errors": _server_errors,
    "rate-limited": _rate_limited,
    "redirect-loop": _redirect_loop,
    "redirect-chain": _redirect_chain,
    "redirect-private": _redirect_private,
    "huge": _huge,
    "gzip-bomb": _gzip_bomb,
    "lying-type": _lying_type,
    "bad-charset": _bad_charset,
    "lying-charset": _lying_charset,
    "binary-html": _binary_html,
    "deep-dom": _deep_dom,
    "many-links": _many_links,
    "sitemap-bomb": _sitemap_bomb,
    "robots-garbage": _robots_garbage,
    "js-loop": _js_loop,
    **{mode: _tls_site(mode) for mode in TLS_PROBLEMS},
}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients hanging up on a fault is the point; stay quiet."""


class FaultWeb:
    """The hostile web on a loopback port; ``proxy_url`` for ``--proxy``; ``url(mode)`` per fault."""

    def __init__(self) -> None:
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.tls = Authority()

    def start(self, port: int = 0) -> FaultWeb:
        self._server = _Server(("127.0.0.1", port), _Handler)
        self._server.tls = self.tls  # type: ignore[attr-defined]
        for mode, problem in TLS_PROBLEMS.items():
            self.tls.set_problem(f"{mode}.{DOMAIN}", problem)
        global PRIVATE_TARGET
        PRIVATE_TARGET = f"http://127.0.0.1:{self._server.server_address[1]}/internal-secret"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True, name="fault-web")
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
            self.tls.close()

    def __enter__(self) -> FaultWeb:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def proxy_url(self) -> str:
        assert self._server is not None, "FaultWeb not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @staticmethod
    def hits(host_and_path: str) -> int:
        """How many requests reached ``host/path`` (e.g. ``127.0.0.1/internal-secret``)."""
        with _Handler.lock:
            return _Handler.hits.get(host_and_path, 0)

    @property
    def ca_pem_path(self) -> str:
        """The fault web's CA (its TLS modes are wrong in one way only, never in who issued them)."""
        return str(self.tls.ca_pem_path)

    @staticmethod
    def url(mode: str) -> str:
        """The home URL of a fault mode's site (``https://`` for the TLS modes)."""
        scheme = "https" if mode in TLS_PROBLEMS else "http"
        return f"{scheme}://{mode}.{DOMAIN}/"

    @staticmethod
    def modes() -> Iterator[str]:
        """Every fault mode (the control site ``ok`` excluded)."""
        return (m for m in FAULTS if m != "ok")
