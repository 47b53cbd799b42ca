"""The browser's only way out: a loopback forward proxy that holds Chromium to the private-address guard.

Playwright's route interception sees the requests a page makes, but not every redirect hop, not every
WebSocket and not Chromium's own background traffic; and Chromium resolves names itself. So Chromium is
started with this proxy as its only proxy (loopback included, its own DNS switched off), and every
connection it opens — each redirect hop, ``ws://``, a CONNECT for HTTPS — comes here and is judged:

* the target host is read the browser's way and vetted (:func:`audit.fetch.vet_host`); without an
  upstream proxy the name is resolved once here and the connection goes to exactly the addresses that
  were checked (pinned, so DNS rebinding cannot turn a checked public name into loopback);
* with ``--proxy`` the connection is handed to that proxy (CONNECT or an absolute-URI request), after
  the same literal check and a local lookup where the local resolver can answer;
* Chromium's own services (update, safe browsing, optimization guide, sign-in: :data:`BACKGROUND_HOSTS`)
  are refused unless a page asked for that host — the page's own third-party scripts, widgets and CDNs
  still load.

A refused connection gets ``403`` with an ``X-Engage-Refused`` header and no body; what was refused is kept
(:meth:`BrowserGuard.refusal_for`) so the page's request log can say why.
"""

from __future__ import annotations

import base64
import contextlib
import selectors
import socket
import socketserver
import ssl
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from urllib.parse import unquote, urlsplit

from audit.addresses import BadHost, normalize_host
from audit.fetch import GuardError, vet_host

#: Hosts of Chromium's own services (``host`` or any subdomain of it): never contacted unless a page asked.
BACKGROUND_HOSTS = (
    "google.com",
    "googleapis.com",
    "gstatic.com",
    "gvt1.com",
    "gvt2.com",
    "gvt3.com",
    "googleusercontent.com",
    "chromium.org",
)

HEAD_LIMIT = 64 * 1024  # bytes of request line and headers
BODY_LIMIT = 16 * 1024 * 1024  # bytes of a request body (a page's form post or beacon)
IDLE_TIMEOUT = 60.0  # seconds a tunnel may stay silent in both directions

Connector = Callable[[tuple[str, int], float], socket.socket]


def _connect(address: tuple[str, int], timeout: float) -> socket.socket:
    return socket.create_connection(address, timeout)


class Refused(Exception):
    """A connection the browser must not make, with the reason."""


#: how a connection ends when the other side went away first (the fixture web's servers use it too)
HANG_UPS = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, ssl.SSLEOFError, TimeoutError)


@dataclass
class BrowserGuard:
    """The proxy (start it, point Chromium at :attr:`url`, stop it). Thread-safe.

    ``audited``: the hosts of the sites being rendered; ``connect`` opens a TCP connection (tests put a
    stub network here); ``upstream``: the user's ``--proxy`` (``http://host:port``), or None.
    """

    allow_private: bool = False
    upstream: str | None = None
    audited: frozenset[str] = frozenset()
    connect_timeout: float = 10.0
    connect: Connector | None = None  # None: a plain TCP connection
    _asked: set[str] = field(default_factory=set)
    _refused: dict[tuple[str, int], str] = field(default_factory=dict)
    #: connections whose handling failed for another reason than a hang-up, one line each
    errors: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: socketserver.ThreadingTCPServer | None = None
    _thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------------------------

    def start(self) -> None:
        """Listen on a loopback port; raises ``ValueError`` for an upstream proxy that is not ``http://``."""
        if self.upstream is not None:
            proxy = urlsplit(self.upstream)
            if proxy.scheme.lower() != "http" or not proxy.hostname:
                raise ValueError(f"--proxy {self.upstream!r}: the browser can only use an http:// proxy")
        guard = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                guard._handle(self.request)

        class Server(socketserver.ThreadingTCPServer):
            def handle_error(self, request: object, client_address: object) -> None:
                guard._failed(client_address)

        server = Server(("127.0.0.1", 0), Handler, bind_and_activate=False)
        server.daemon_threads = True
        server.allow_reuse_address = True
        server.request_queue_size = 128
        server.server_bind()
        server.server_activate()
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name="browser-guard", daemon=True)
        self._thread.start()

    def _failed(self, client_address: object) -> None:
        """A connection's handling raised. socketserver would print the traceback to ``sys.stderr`` from
        this server's thread: into the user's progress output, or, in a test, into whatever command runs at
        that moment. A hang-up (Chromium closing a tunnel, a page torn down) is the everyday end of a
        connection and is not news; anything else is kept in ``errors`` and written, as one line, to the
        process's own stderr."""
        exc = sys.exc_info()[1]
        if exc is None or isinstance(exc, HANG_UPS):
            return
        line = f"engage: browser guard: connection from {client_address} failed: {type(exc).__name__}: {exc}"
        with self._lock:
            self.errors.append(line)
        if sys.__stderr__ is not None:
            sys.__stderr__.write(line + "\n")

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._server = self._thread = None

    def __enter__(self) -> BrowserGuard:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``: Chromium's proxy server."""
        assert self._server is not None, "BrowserGuard not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # -- policy --------------------------------------------------------------------------------------

    def ask(self, url: str) -> None:
        """A page asked for ``url`` (seen by route interception): its host is not background traffic."""
        with contextlib.suppress(BadHost, ValueError):
            host = normalize_host(urlsplit(url).hostname or "")
            with self._lock:
                self._asked.add(host)

    def refusal_for(self, url: str) -> str | None:
        """Why a connection for ``url`` was refused here, or None."""
        try:
            parts = urlsplit(url)
            host = normalize_host(parts.hostname or "")
            port = parts.port or _default_port(parts.scheme)
        except (BadHost, ValueError):
            return None
        with self._lock:
            return self._refused.get((host, port))

    @property
    def refused(self) -> dict[tuple[str, int], str]:
        """Every (host, port) refused so far and why."""
        with self._lock:
            return dict(self._refused)

    def judge(self, host: str, port: int) -> tuple[str, ...]:
        """The addresses to connect to (``()``: leave the name to the upstream proxy); raises ``Refused``."""
        try:
            name = normalize_host(host)
        except BadHost as exc:
            raise Refused(f"refused {exc}") from None
        with self._lock:
            asked = name in self._asked or name in self.audited
        if not asked and _is_background(name):
            raise Refused(f"refused {name}: Chromium's own background traffic, not asked for by the page")
        try:
            addresses = vet_host(name, allow_private=self.allow_private, direct=self.upstream is None)
        except GuardError as exc:
            raise Refused(str(exc)) from None
        if self.upstream is None and not addresses:
            raise Refused(f"DNS lookup failed for {name} (no such host)")
        return addresses if self.upstream is None else ()

    # -- serving -------------------------------------------------------------------------------------

    def _handle(self, client: socket.socket) -> None:
        client.settimeout(IDLE_TIMEOUT)
        try:
            head, rest = _read_head(client)
        except (OSError, ValueError):
            return
        if head is None:
            return
        lines = head.decode("latin-1").split("\r\n")
        try:
            method, target, _version = lines[0].split(" ", 2)
        except ValueError:
            _reply(client, 400, "bad request line")
            return
        headers = [line for line in lines[1:] if line]
        if method.upper() == "CONNECT":
            self._tunnel(client, target, head, rest)
        else:
            self._forward(client, method, target, headers, head, rest)

    def _tunnel(self, client: socket.socket, target: str, head: bytes, rest: bytes) -> None:
        host, _, port_text = target.rpartition(":")
        if not port_text.isdigit() or not host:
            _reply(client, 400, "bad CONNECT target")
            return
        port = int(port_text)
        upstream = self._open(client, host, port)
        if upstream is None:
            return
        with upstream:
            if self.upstream is not None:  # the upstream proxy answers the CONNECT itself
                upstream.sendall(_with_proxy_auth(head, self.upstream) + b"\r\n\r\n" + rest)
            else:
                client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                if rest:
                    upstream.sendall(rest)
            _pipe(client, upstream)

    def _forward(
        self,
        client: socket.socket,
        method: str,
        target: str,
        headers: list[str],
        head: bytes,
        rest: bytes,
    ) -> None:
        parts = urlsplit(target)
        if parts.scheme.lower() not in ("http", "ws") or not parts.hostname:
            _reply(client, 400, "only absolute http:// requests are proxied")
            return
        try:
            port = parts.port or 80
        except ValueError:
            _reply(client, 400, "bad port")
            return
        lengths = [h.split(":", 1)[1].strip() for h in headers if h.lower().startswith("content-length:")]
        if any(h.lower().startswith("transfer-encoding:") for h in headers):
            _reply(client, 501, "chunked request bodies are not proxied")
            return
        size = int(lengths[0]) if lengths and lengths[0].isdigit() else 0
        if size > BODY_LIMIT:
            _reply(client, 413, f"request body larger than {BODY_LIMIT} bytes")
            return
        upstream = self._open(client, parts.hostname, port)
        if upstream is None:
            return
        while len(rest) < size:  # the whole body before the answer is awaited
            chunk = client.recv(64 * 1024)
            if not chunk:
                upstream.close()
                return
            rest += chunk
        kept = [
            h
            for h in headers
            if h.split(":", 1)[0].strip().lower()
            not in ("connection", "proxy-connection", "keep-alive", "proxy-authorization")
        ]
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        line = f"{method} {target if self.upstream is not None else path} HTTP/1.1"
        request = "\r\n".join([line, *kept, "Connection: close"]).encode("latin-1")
        if self.upstream is not None:
            request = _with_proxy_auth(request, self.upstream)
        request += b"\r\n\r\n"
        with upstream:
            upstream.sendall(request + rest)
            try:
                answer, more = _read_head(upstream)
            except (OSError, ValueError):
                answer, more = None, b""
            if answer is None:
                _reply(client, 502, f"no answer from {parts.hostname}")
                return
            # the browser must not send its next request on this connection: it ends with this answer
            client.sendall(_closing(answer) + b"\r\n\r\n" + more)
            _pipe(client, upstream)

    def _open(self, client: socket.socket, host: str, port: int) -> socket.socket | None:
        """A connection to the vetted target (or the upstream proxy); None after answering a refusal."""
        try:
            addresses = self.judge(host, port)
        except Refused as exc:
            self._note_refusal(host, port, str(exc))
            _reply(client, 403, str(exc))
            return None
        if self.upstream is not None:
            proxy = urlsplit(self.upstream)
            candidates = [(proxy.hostname or "127.0.0.1", proxy.port or 80)]
        else:
            candidates = [(address, port) for address in addresses]  # pinned: what was checked, only
        for address in candidates:
            try:
                sock = (self.connect or _connect)(address, self.connect_timeout)
            except OSError:
                continue
            sock.settimeout(IDLE_TIMEOUT)
            return sock
        _reply(client, 502, f"could not connect to {host}:{port}")
        return None

    def _note_refusal(self, host: str, port: int, reason: str) -> None:
        try:
            name = normalize_host(host)
        except BadHost:
            name = host.lower()
        with self._lock:
            self._refused[(name, port)] = reason


def _with_proxy_auth(head: bytes, upstream: str) -> bytes:
    """``head`` with Basic ``Proxy-Authorization`` for an upstream proxy URL that carries credentials."""
    parts = urlsplit(upstream)
    if parts.username is None:
        return head
    token = base64.b64encode(f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()).decode()
    return head + f"\r\nProxy-Authorization: Basic {token}".encode()


def _is_background(host: str) -> bool:
    return any(host == suffix or host.endswith("." + suffix) for suffix in BACKGROUND_HOSTS)


def _default_port(scheme: str) -> int:
    return 443 if scheme.lower() in ("https", "wss") else 80


def _read_head(sock: socket.socket) -> tuple[bytes | None, bytes]:
    """The request line and headers (up to the blank line) and whatever arrived after them."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(16 * 1024)
        if not chunk:
            return None, b""
        data += chunk
        if len(data) > HEAD_LIMIT:
            raise ValueError("request head too large")
    head, _, rest = data.partition(b"\r\n\r\n")
    return head, rest


def _closing(head: bytes) -> bytes:
    """A response head saying ``Connection: close`` (and no other connection header)."""
    lines = head.split(b"\r\n")
    if lines[0][9:10] == b"1":  # an interim 1xx answer: passed on as it is
        return head
    kept = [
        line
        for line in lines[1:]
        if line.split(b":", 1)[0].strip().lower() not in (b"connection", b"keep-alive", b"proxy-connection")
    ]
    return b"\r\n".join([lines[0], *kept, b"Connection: close", b"Proxy-Connection: close"])


def _reply(client: socket.socket, status: int, reason: str) -> None:
    words = {
        400: "Bad Request",
        403: "Forbidden",
        413: "Content Too Large",
        501: "Not Implemented",
        502: "Bad Gateway",
    }[status]
    note = reason.replace("\r", " ").replace("\n", " ")[:300].encode("latin-1", "replace")
    with contextlib.suppress(OSError):
        client.sendall(
            f"HTTP/1.1 {status} {words}\r\nContent-Length: 0\r\nConnection: close\r\n".encode()
            + b"X-Engage-Refused: "
            + note
            + b"\r\n\r\n"
        )


def _pipe(a: socket.socket, b: socket.socket) -> None:
    """Copy bytes both ways until one side is done or breaks, or both stay silent too long (a forwarded
    request asked for ``Connection: close``; a browser never half-closes a tunnel)."""
    selector = selectors.DefaultSelector()
    peers = {a: b, b: a}
    for side in peers:
        selector.register(side, selectors.EVENT_READ)
    try:
        while True:
            events = selector.select(IDLE_TIMEOUT)
            if not events:
                return
            for key, _ in events:
                sock: socket.socket = key.fileobj  # type: ignore[assignment]
                try:
                    data = sock.recv(64 * 1024)
                except OSError:
                    return
                if not data:
                    return
                try:
                    peers[sock].sendall(data)
                except OSError:
                    return
    finally:
        selector.close()
