"""The fixture web: one loopback HTTP server that serves every site of the demo market.

It dispatches on the ``Host`` header (``acme.test``, ``community.northwind.test`` …) and doubles as a plain
HTTP forward proxy: a request line with an absolute URI (``GET http://acme.test/faq HTTP/1.1``) is served
from the site named in that URI, so ``requests`` and Chromium reach the fictional market with ``--proxy``.
It speaks HTTPS too: a throw-away CA is made at start-up (:mod:`audit.fixture_web.tls`), ``CONNECT
acme.test:443`` is answered by the proxy itself — it terminates the tunnel with the certificate SNI asks
for and serves the site over TLS — and a direct HTTPS listener (``https_port``) does the same without a
proxy. Clients trust it through ``ca_pem_path`` or ``ca_spki_sha256``. Latency can be injected per host.

Sites are plain directories under ``demo_market/sites/<host>/``; third-party API hosts (Bluesky, Mastodon,
YouTube, GitHub stand-ins) live under ``demo_market/apis/<host>/``. A ``_routes.json`` in either answers
exact requests (path plus sorted query) with a stored status, headers and body, so API responses keep
their real shapes whatever the query string. Tests can inject faults per host and path (``add_fault``).
 An optional ``_headers.toml`` per site adds
response headers (``[headers]``) and redirects (``[redirects]`` — ``"/old" = "/new"`` or
``"/old" = {to = "/new", status = 302}``). Files and directories starting with ``_`` are never served.
"""

from __future__ import annotations

import contextlib
import json
import mimetypes
import re
import socketserver
import ssl
import sys
import threading
import tomllib
import traceback
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, get_args
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from audit.browser_guard import HANG_UPS
from audit.clock import SYSTEM_CLOCK, Clock
from audit.fixture_web.market import DEFAULT_MARKET_DIR
from audit.fixture_web.tls import Authority, CertProblem

#: Host names that mean "the fixture server itself": they get a small index of the market.
SELF_HOSTS = frozenset({"127.0.0.1", "localhost"})

#: Content types by suffix; text types carry a charset. Anything else falls back to ``mimetypes``.
CONTENT_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".php": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".webmanifest": "application/manifest+json",
}

#: A query string may select a pre-rendered file ``<path>@<query>`` (phpBB's ``viewtopic.php?t=3``).
_SAFE_QUERY = re.compile(r"^[A-Za-z0-9=&_.-]{1,80}$")

NOT_FOUND_PAGE = (
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Not found</title></head>\n'
    "<body><h1>Not found</h1><p>The page you asked for does not exist.</p></body></html>\n"
)


def content_type_for(path: Path, body: bytes) -> str:
    """The Content-Type of a site file: by suffix, with XML feeds sniffed as RSS or Atom."""
    suffix = path.suffix.lower()
    if "@" in path.name:  # a query-selected file: its type is that of the script it stands for
        suffix = Path(path.name.split("@", 1)[0]).suffix.lower()
    if suffix == ".xml":
        head = body[:512].lower()
        if b"<rss" in head:
            return "application/rss+xml"
        if b"<feed" in head:
            return "application/atom+xml"
    if suffix in CONTENT_TYPES:
        return CONTENT_TYPES[suffix]
    if not suffix:
        return "text/html; charset=utf-8"
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def route_key(path: str, query: str = "") -> str:
    """The ``_routes.json`` key of a request: its path plus the query pairs, sorted."""
    pairs = sorted(parse_qsl(query, keep_blank_values=True))
    return f"{path}?{urlencode(pairs)}" if pairs else path


@dataclass
class Fault:
    """An injected answer for requests to one host and path (and query, when given)."""

    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    times: int | None = None  # answer this many times, then serve normally again (None: always)


@dataclass
class Site:
    """One served host: its directory, extra headers, redirects and stored routes."""

    host: str
    root: Path
    headers: dict[str, str] = field(default_factory=dict)
    redirects: dict[str, tuple[str, int]] = field(default_factory=dict)
    routes: dict[str, dict[str, Any]] = field(default_factory=dict)
    https: bool = True  # ``[tls] https = false``: plain HTTP only (CONNECT to it is refused)
    https_redirect: bool = False  # ``[tls] redirect = true``: plain-HTTP requests get a 301 to https://
    tls_problem: CertProblem | None = (
        None  # ``[tls] problem = "expired"`` (or wrong-host, self-signed, tls1.0)
    )

    @classmethod
    def load(cls, root: Path) -> Site:
        """Read a site directory and its optional ``_headers.toml``."""
        site = cls(host=root.name.lower(), root=root.resolve())
        config_file = root / "_headers.toml"
        if config_file.is_file():
            config: dict[str, Any] = tomllib.loads(config_file.read_text(encoding="utf-8"))
            site.headers = {str(k): str(v) for k, v in config.get("headers", {}).items()}
            for source, target in config.get("redirects", {}).items():
                if isinstance(target, dict):
                    site.redirects[source] = (str(target["to"]), int(target.get("status", 301)))
                else:
                    site.redirects[source] = (str(target), 301)
            tls = config.get("tls", {})
            site.https = bool(tls.get("https", True))
            site.https_redirect = bool(tls.get("redirect", False))
            problem = tls.get("problem")
            if problem is not None:
                if problem not in get_args(CertProblem):
                    raise ValueError(f"{config_file}: unknown [tls] problem {problem!r}")
                site.tls_problem = problem
        routes_file = root / "_routes.json"
        if routes_file.is_file():
            site.routes = json.loads(routes_file.read_text(encoding="utf-8"))
        return site

    def resolve(self, url_path: str, query: str = "") -> Path | None:
        """The file that serves ``url_path`` (and ``query``), or ``None``; never a path outside the site."""
        relative = unquote(url_path).lstrip("/")
        if "\x00" in relative or "\\" in relative:
            return None
        parts = [p for p in relative.split("/") if p]
        if any(p in (".", "..") or p.startswith("_") for p in parts):
            return None
        candidates: list[str] = []
        base = "/".join(parts)
        if query and _SAFE_QUERY.match(query) and base:
            candidates.append(f"{base}@{query}")
        if not base:
            candidates.append("index.html")
        elif relative.endswith("/"):
            candidates.append(f"{base}/index.html")
        else:
            candidates += [base, f"{base}.html", f"{base}/index.html"]
        for candidate in candidates:
            path = (self.root / candidate).resolve()
            if path.is_file() and path.is_relative_to(self.root):
                return path
        return None


class _Handler(BaseHTTPRequestHandler):
    """Serves one connection; the ``FixtureWeb`` it belongs to is ``self.server.web``."""

    protocol_version = "HTTP/1.1"
    server_version = "EngageFixtureWeb/1"
    disable_nagle_algorithm = True  # headers and body go out at once: no 40 ms delayed-ACK stalls
    timeout = 30  # an idle keep-alive connection is dropped after this many seconds

    @property
    def web(self) -> FixtureWeb:
        return self.server.web  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: tests and the demo must not spray stderr."""

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    tls_host: str | None = None  # set once the connection speaks TLS (CONNECT or the HTTPS listener)

    def do_CONNECT(self) -> None:
        """Terminate an HTTPS tunnel here: answer 200, then speak TLS with the host's certificate."""
        host, _, port = self.path.rpartition(":")
        host = host.strip("[]").lower().rstrip(".")
        self.web.count_tunnel(self.path)
        if self.tls_host is not None or not port.isdigit():
            self.close_connection = True
            self._send(400, "text/plain; charset=utf-8", b"bad CONNECT target\n")
            return
        site = self.web.site(host)
        if host not in SELF_HOSTS and site is None:
            self.close_connection = True
            self._send(502, "text/plain; charset=utf-8", b"unknown host\n")
            return
        if site is not None and not site.https:
            self.close_connection = True  # like a real server with nothing on port 443
            self._send(502, "text/plain; charset=utf-8", b"connection refused: no HTTPS on this host\n")
            return
        if int(port) != 443:
            self.close_connection = True  # only the HTTPS port tunnels; plain HTTP goes through as proxy GETs
            self._send(502, "text/plain; charset=utf-8", b"only port 443 is tunnelled\n")
            return
        self.web.wait_latency(host)
        self.send_response(200, "Connection established")
        self.end_headers()
        self.wfile.flush()
        self.start_tls(host)

    def start_tls(self, host_hint: str) -> None:
        """Swap this connection's streams for TLS ones; a failed handshake just ends the connection."""
        context = self.web.tls.server_context(host_hint)
        try:
            tls = context.wrap_socket(self.connection, server_side=True)
        except (ssl.SSLError, OSError):
            self.close_connection = True
            return
        self.connection = self.request = tls
        self.rfile = tls.makefile("rb")
        self.wfile = socketserver._SocketWriter(tls)  # type: ignore[attr-defined]
        self.tls_host = host_hint
        self.close_connection = False

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            if self.tls_host is not None:
                with contextlib.suppress(OSError):
                    self.connection.close()

    def _not_allowed(self) -> None:
        self.close_connection = True  # the request body (if any) is not read
        self._send(405, "text/plain; charset=utf-8", b"method not allowed\n", extra={"Allow": "GET, HEAD"})

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_allowed

    def _target(self) -> tuple[str, str, str]:
        """Host, path and query of the request, from an absolute URI (proxy mode) or the Host header."""
        if self.path.lower().startswith(("http://", "https://")):
            parts = urlsplit(self.path)
            return (parts.hostname or "").lower(), parts.path or "/", parts.query
        parts = urlsplit(self.path)
        host_header = self.headers.get("Host", "")
        host = host_header.rsplit(":", 1)[0] if not host_header.startswith("[") else host_header
        return host.strip().lower().rstrip("."), parts.path or "/", parts.query

    def _serve(self, head: bool) -> None:
        host, path, query = self._target()
        self.web.count_request(host, path)
        self.web.wait_latency(host)
        if host in SELF_HOSTS:
            self._send(200, "text/html; charset=utf-8", self.web.index_page().encode(), head=head)
            return
        fault = self.web.take_fault(host, path, query)
        if fault is not None:
            self._send(fault.status, fault.content_type, fault.body, head=head, extra=fault.headers)
            return
        site = self.web.site(host)
        if site is None:
            self._send(502, "text/plain; charset=utf-8", b"unknown host\n", head=head)
            return
        if site.https_redirect and self.tls_host is None:
            target = f"https://{host}{path}" + (f"?{query}" if query else "")
            body = f'<!DOCTYPE html>\n<html><body><a href="{target}">Moved</a></body></html>\n'.encode()
            self._send(301, "text/html; charset=utf-8", body, head=head, extra={"Location": target})
            return
        if path in site.redirects:
            location, status = site.redirects[path]
            body = f'<!DOCTYPE html>\n<html><body><a href="{location}">Moved</a></body></html>\n'.encode()
            self._send(status, "text/html; charset=utf-8", body, head=head, extra={"Location": location})
            return
        route = site.routes.get(route_key(path, query))
        if route is not None:
            body = str(route["body"]).encode()
            self._send(
                int(route["status"]), str(route["content_type"]), body, head=head, extra=route["headers"]
            )
            return
        file = site.resolve(path, query)
        if file is None:
            self._send(404, "text/html; charset=utf-8", NOT_FOUND_PAGE.encode(), head=head)
            return
        body = file.read_bytes()
        extra = dict(site.headers)
        if self.tls_host is None:  # browsers ignore HSTS sent over plain HTTP; real servers omit it
            extra = {k: v for k, v in extra.items() if k.lower() != "strict-transport-security"}
        self._send(200, content_type_for(file, body), body, head=head, extra=extra)

    def _send(
        self,
        status: int,
        content_type: str,
        body: bytes,
        head: bool = False,
        extra: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if not head:
            self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256  # many crawler threads connect at once; a full backlog stalls connects

    def __init__(self, address: tuple[str, int], web: FixtureWeb) -> None:
        self.web = web
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up mid-answer (a crawl that has what it needs, a read cut at its byte cap, a
        timeout) is a web server's everyday event: not printed. Anything else is kept in the web's
        ``server_errors`` and written to the process's own stderr (``sys.__stderr__``): socketserver would
        print it to ``sys.stderr``, which in a test is the stderr of whatever command is being run at that
        moment (a CliRunner's), and one stray traceback there broke another test's one-line check."""
        if isinstance(sys.exc_info()[1], HANG_UPS):
            return
        text = f"fixture web: error while serving {client_address}:\n{traceback.format_exc()}"
        web = getattr(self, "web", None)
        if web is not None:
            web.server_errors.append(text)
        if sys.__stderr__ is not None:
            sys.__stderr__.write(text)
            sys.__stderr__.flush()


class _TLSHandler(_Handler):
    """A connection to the direct HTTPS listener: TLS from the first byte, the site chosen by SNI."""

    def setup(self) -> None:
        super().setup()
        self.start_tls("")
        if self.tls_host is None:
            self.close_connection = True

    def handle(self) -> None:
        if self.tls_host is not None:
            super().handle()


class _TLSServer(_Server):
    def __init__(self, address: tuple[str, int], web: FixtureWeb) -> None:
        self.web = web
        ThreadingHTTPServer.__init__(self, address, _TLSHandler)


class FixtureWeb:
    """The demo market served on loopback: a multi-host web server and HTTP forward proxy.

    >>> with FixtureWeb() as web:
    ...     requests.get("http://acme.test/faq", proxies={"http": web.proxy_url})

    Injected latency is slept on ``clock`` (a ``VirtualClock`` records it instead); ``hits`` counts the
    requests received, so a test can wait for a state ("the crawl has started") rather than a time.
    """

    def __init__(self, market_dir: Path | None = None, clock: Clock = SYSTEM_CLOCK) -> None:
        self.clock = clock
        self.market_dir = Path(market_dir) if market_dir is not None else DEFAULT_MARKET_DIR
        sites_dir = self.market_dir / "sites"
        self._sites: dict[str, Site] = {
            d.name.lower(): Site.load(d) for d in sorted(sites_dir.iterdir()) if d.is_dir()
        }
        apis_dir = self.market_dir / "apis"
        self._apis: dict[str, Site] = (
            {d.name.lower(): Site.load(d) for d in sorted(apis_dir.iterdir()) if d.is_dir()}
            if apis_dir.is_dir()
            else {}
        )
        self._faults: dict[tuple[str, str], Fault] = {}
        self._latency_ms: dict[str, float] = {}
        self._hits: Counter[tuple[str, str]] = Counter()
        self._tunnels: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._https: _TLSServer | None = None
        self._threads: list[threading.Thread] = []
        self._tls: Authority | None = None
        #: tracebacks of requests the web failed to serve (not client hang-ups), oldest first
        self.server_errors: list[str] = []

    # -- lifecycle -------------------------------------------------------------------------------------

    def start(self, port: int = 0, host: str = "127.0.0.1", https_port: int = 0) -> None:
        """Start serving in background threads (port 0 picks a free one); a new CA is made each time."""
        if self._server is not None:
            raise RuntimeError("FixtureWeb is already running")
        self._tls = Authority()
        self._configure_tls(self._tls)
        self._server = _Server((host, port), self)
        self._https = _TLSServer((host, https_port), self)
        for name, server in (("fixture-web", self._server), ("fixture-web-https", self._https)):
            thread = threading.Thread(
                target=server.serve_forever, kwargs={"poll_interval": 0.1}, name=name, daemon=True
            )
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        """Stop serving and release the ports; safe to call twice."""
        servers = [s for s in (self._server, self._https) if s is not None]
        threads, tls = self._threads, self._tls
        self._server = self._https = self._tls = None
        self._threads = []
        for server in servers:
            server.shutdown()
            server.server_close()
        for thread in threads:
            thread.join(timeout=5)
        if tls is not None:
            tls.close()

    def _configure_tls(self, tls: Authority) -> None:
        """Hosts whose site files ask for a broken certificate (``[tls] problem`` in ``_headers.toml``)."""
        for site in (*self._sites.values(), *self._apis.values()):
            if site.tls_problem is not None:
                tls.set_problem(site.host, site.tls_problem)
            if site.https:
                tls.context_for(site.host)  # issued now, so no handshake times the issuing

    def __enter__(self) -> FixtureWeb:
        if self._server is None:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- addresses -------------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        """The port being served (raises when not started)."""
        if self._server is None:
            raise RuntimeError("FixtureWeb is not running")
        return int(self._server.server_address[1])

    @property
    def proxy_url(self) -> str:
        """The URL to use as HTTP proxy, e.g. ``http://127.0.0.1:8765``."""
        if self._server is None:
            raise RuntimeError("FixtureWeb is not running")
        return f"http://{self._server.server_address[0]!s}:{self.port}"

    @property
    def https_port(self) -> int:
        """The port of the direct HTTPS listener (SNI picks the site; no proxy needed)."""
        if self._https is None:
            raise RuntimeError("FixtureWeb is not running")
        return int(self._https.server_address[1])

    @property
    def tls(self) -> Authority:
        """This run's certificate authority (raises when not started)."""
        if self._tls is None:
            raise RuntimeError("FixtureWeb is not running")
        return self._tls

    @property
    def ca_pem_path(self) -> Path:
        """The CA certificate (PEM) to trust: ``--ca-bundle`` / ``REQUESTS_CA_BUNDLE`` for requests."""
        return self.tls.ca_pem_path

    @property
    def ca_spki_sha256(self) -> str:
        """Base64 SHA-256 of the CA's public key: Chromium's ``--ignore-certificate-errors-spki-list``."""
        return self.tls.ca_spki_sha256

    @property
    def hosts(self) -> list[str]:
        """Every company host served, sorted."""
        return sorted(self._sites)

    @property
    def api_hosts(self) -> list[str]:
        """Every third-party API host served (``demo_market/apis/``), sorted."""
        return sorted(self._apis)

    def site(self, host: str) -> Site | None:
        """The site (or API host) served for ``host`` (lower-case, no port), if any."""
        return self._sites.get(host) or self._apis.get(host)

    # -- faults ----------------------------------------------------------------------------------------

    def set_latency(self, host: str, ms: float) -> None:
        """Delay every response for ``host`` (``"*"`` for all hosts) by ``ms`` before its headers."""
        with self._lock:
            self._latency_ms[host.lower()] = max(0.0, float(ms))

    def add_fault(self, host: str, path: str, fault: Fault) -> None:
        """Answer ``host`` + ``path`` (``/x``: any query; ``/x?a=1``: that query only) with ``fault``."""
        with self._lock:
            self._faults[(host.lower(), path)] = fault

    def clear_faults(self) -> None:
        """Remove every injected fault."""
        with self._lock:
            self._faults.clear()

    def take_fault(self, host: str, path: str, query: str) -> Fault | None:
        """The fault for this request, if any (counting down a limited one)."""
        with self._lock:
            for key in ((host, route_key(path, query)), (host, path)):
                fault = self._faults.get(key)
                if fault is None:
                    continue
                if fault.times is not None:
                    if fault.times <= 0:
                        continue
                    fault.times -= 1
                return fault
        return None

    def clear_latency(self) -> None:
        """Remove every injected delay."""
        with self._lock:
            self._latency_ms.clear()

    def wait_latency(self, host: str) -> None:
        """Sleep for the delay configured for ``host`` (its own, else the ``"*"`` one)."""
        with self._lock:
            delay = self._latency_ms.get(host, self._latency_ms.get("*", 0.0))
        if delay > 0:
            self.clock.sleep(delay / 1000.0)

    # -- requests seen ---------------------------------------------------------------------------------

    def count_request(self, host: str, path: str) -> None:
        """Count a request received for ``host`` + ``path``."""
        with self._lock:
            self._hits[(host, path)] += 1

    def count_tunnel(self, target: str) -> None:
        """Count a ``CONNECT`` received for ``target`` (``host:port``), answered or not."""
        with self._lock:
            self._tunnels[target.lower()] += 1

    def tunnels(self) -> Counter[str]:
        """Every ``CONNECT`` target asked for so far (``host:port``), with how often."""
        with self._lock:
            return Counter(self._tunnels)

    def hosts_seen(self) -> set[str]:
        """Every host a request or a ``CONNECT`` named so far, served or not."""
        with self._lock:
            tunnelled = {t.rpartition(":")[0].strip("[]").rstrip(".") for t in self._tunnels}
            return {h for h, _ in self._hits} | tunnelled

    def hits(self, host: str, path: str | None = None) -> int:
        """Requests received so far for ``host`` (only those for ``path`` when given)."""
        with self._lock:
            if path is not None:
                return self._hits[(host, path)]
            return sum(n for (h, _), n in self._hits.items() if h == host)

    # -- the server's own page -------------------------------------------------------------------------

    def index_page(self) -> str:
        """A small HTML page listing the served hosts (what ``http://127.0.0.1:PORT/`` shows)."""
        urls = [f"{'https' if self._sites[h].https else 'http'}://{h}/" for h in self.hosts]
        items = "\n".join(f'<li><a href="{u}">{u}</a></li>' for u in urls)
        return (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Engage fixture web</title>'
            f"</head>\n<body><h1>Engage fixture web</h1>\n<p>Use this server as an HTTP proxy to reach:</p>\n"
            f"<ul>\n{items}\n</ul></body></html>\n"
        )
