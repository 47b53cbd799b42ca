"""The one network client: bounded, polite GETs that come back as data (a ``Page``), never as exceptions.

Every limit comes from ``Settings``: timeouts and a total deadline, bytes on the wire and after
decompression, redirects (each hop re-checked by the private-address guard), retries with backoff for
connection errors, 5xx and 429 (``Retry-After`` honoured). Every exchange is handed to a recorder (the WARC).
"""

from __future__ import annotations

import email.utils
import functools
import ipaddress
import os
import re
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import certifi
import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import (
    ConnectTimeoutError,
    DecodeError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)
from urllib3.util.ssl_ import create_urllib3_context

from audit.addresses import BadHost, host_address, is_localhost, normalize_host, refusal_reason
from audit.certificates import PeerTLS, combined_bundle, peek, tls_words
from audit.clock import SYSTEM_CLOCK, Clock
from audit.decoding import charset_warning, decode_text
from audit.models import Page, Timing, utc_now
from audit.settings import Settings
from audit.urls import canonicalize

Recorder = Callable[["Exchange"], None]

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
#: Failures another attempt cannot mend (a certificate stays expired): never retried.
PERMANENT_ERRORS = ("refused", "response larger", "deadline", "TLS certificate", "server offers only")


@dataclass
class Exchange:
    """One request/response pair as sent and received, for the WARC."""

    url: str
    request_headers: dict[str, str]
    status: int
    reason: str
    response_headers: list[tuple[str, str]]
    body: bytes
    date: str
    company: str = ""
    request_key: str = ""  # the declared request it answers (``Request.key``), "" for a site page


class GuardError(Exception):
    """A URL refused by the private-address guard."""


def _refusal(host: str, why: str) -> GuardError:
    return GuardError(f"refused private address {host}: {why} (use --allow-private to audit it)")


def check_address(url: str, allow_private: bool, via_proxy: bool, *, resolve: bool = True) -> None:
    """Raise ``GuardError`` when ``url`` points at a loopback/private/link-local/metadata address.

    The host is read the way a browser reads it (:func:`audit.addresses.normalize_host`: ``0x7f.1``,
    ``2130706433``, ``[::1]``, ``localhost.`` …) and literal addresses are judged by the one table of
    special-purpose ranges, always — also behind a proxy. Names are resolved (:func:`vet_host`) and every
    address checked; behind a proxy a name the local resolver cannot resolve is left to the proxy (that is
    how ``*.test`` reaches the fixture web), one it can resolve is held to the same rule. ``resolve=False``
    judges the spelling only, for a caller whose connection vets what it connects to (the fetcher's own).
    """
    if allow_private:
        return
    host = urlsplit(url).hostname or ""
    if not host and urlsplit(url).scheme in ("http", "https", "ws", "wss"):
        raise GuardError(f"refused {url!r}: no host")
    if host:
        vet_host(host, allow_private=False, resolve=resolve, direct=not via_proxy)


def vet_host(host: str, *, allow_private: bool, resolve: bool = True, direct: bool = True) -> tuple[str, ...]:
    """The addresses ``host`` may be connected to — resolved once; connect to these and no others.

    Raises ``GuardError`` when the host is loopback by name, a refused literal, a numeric host no browser
    would accept, or resolves to any refused address (unless ``allow_private``). A name that does not
    resolve (or is not looked up: ``resolve=False``) gives ``()``. ``direct=False`` (a proxy will connect):
    the answer may come from a short-lived cache (:func:`_proxied_lookup`), since nothing connects to it.
    """
    try:
        name = normalize_host(host)
        literal = host_address(name)
    except BadHost as exc:
        raise GuardError(f"refused {exc}") from None
    if literal is not None:
        why = refusal_reason(literal)
        if why is not None and not allow_private:
            raise _refusal(name, why)
        return (str(literal),)
    if is_localhost(name):
        if not allow_private:
            raise _refusal(name, "loopback (RFC 6761)")
        return ("127.0.0.1", "::1")  # what a browser makes of it, trailing dot or not
    addresses = (_resolve(name) if direct else _proxied_lookup(name)) if resolve else ()
    if not allow_private:
        for address in addresses:
            why = refusal_reason(ipaddress.ip_address(address))
            if why is not None:
                raise GuardError(
                    f"refused {name}: resolves to private address {address}, {why} (use --allow-private)"
                )
    return addresses


def _resolve(host: str) -> tuple[str, ...]:
    """Every address ``host`` resolves to, in the resolver's order; empty when it does not resolve."""
    try:
        infos = socket.getaddrinfo(host, None, 0, socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return ()
    return tuple(dict.fromkeys(str(info[4][0]) for info in infos))


#: RFC 6761 special-use names that no public resolver answers: never looked up behind a proxy (the proxy
#: knows them — the fixture web's ``*.test`` — and a lookup would only wait for NXDOMAIN).
UNRESOLVED_TLDS = frozenset({"test", "example", "invalid"})
PROXIED_LOOKUP_TTL = 60.0  # seconds a behind-the-proxy lookup is reused
_PROXIED: dict[str, tuple[float, tuple[str, ...]]] = {}
_PROXIED_LOCKS: dict[str, threading.Lock] = {}
_PROXIED_LOCK = threading.Lock()


def _proxied_lookup(host: str) -> tuple[str, ...]:
    """The local resolver's answer for a name a proxy will resolve: looked up once per host per minute by
    one thread (concurrent lookups of one name can stall a resolver for seconds), ``()`` when it fails."""
    if host.rsplit(".", 1)[-1] in UNRESOLVED_TLDS:
        return ()
    with _PROXIED_LOCK:
        lock = _PROXIED_LOCKS.setdefault(host, threading.Lock())
    with lock:
        cached = _PROXIED.get(host)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        addresses = _resolve(host)
        _PROXIED[host] = (time.monotonic() + PROXIED_LOOKUP_TTL, addresses)
        return addresses


def clear_lookups() -> None:
    """Forget cached behind-the-proxy lookups (tests that change the resolver)."""
    with _PROXIED_LOCK:
        _PROXIED.clear()


GZIP_TYPES = frozenset({"application/gzip", "application/x-gzip", "application/x-gunzip"})


def body_text(
    body: bytes, content_type: str, max_decompressed: int, notes: list[str] | None = None
) -> str | None:
    """The text of a response body, or None for binary content.

    A gzip file (``sitemap.xml.gz``) is decompressed within ``max_decompressed`` bytes — the limit that
    stops a gzip bomb — and its XML decoded; when the limit cut it, a note is added to ``notes``. Used by
    fetching and by replay, so both agree.
    """
    ctype = content_type.split(";")[0].strip().lower()
    # Transfer compression is already undone by urllib3, so gzip magic here means a .gz file.
    if ctype in GZIP_TYPES or body[:2] == b"\x1f\x8b":
        inflated = _gunzip(body, max_decompressed)
        if inflated is None:
            return None
        data, cut = inflated
        if cut and notes is not None:
            notes.append(f"gzip file decompresses beyond {max_decompressed} bytes; cut (body truncated)")
        return decode_body(data, "")
    return decode_body(body, content_type) if is_textual(content_type) else None


def _gunzip(data: bytes, limit: int) -> tuple[bytes, bool] | None:
    """The inflated bytes (at most ``limit``) and whether the limit cut them; None when not gzip."""
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = decompressor.decompress(data, limit)
    except zlib.error:
        return None
    return out, bool(decompressor.unconsumed_tail)


def decode_body(body: bytes, content_type: str) -> str:
    """Text of a body by the one decoding path (:mod:`audit.decoding`)."""
    return decode_text(body, content_type)


def retry_after_seconds(value: str | None, cap: float) -> float | None:
    """Seconds from a ``Retry-After`` header (delta or HTTP date), capped; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), cap)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return min(max((when - datetime.now(UTC)).total_seconds(), 0.0), cap)


_CONNECT = threading.local()  # phase timings of the connection the current request opened (ConnectTimes)


@dataclass
class ConnectTimes:
    """How long opening one connection took, phase by phase, in ms (like curl's ``-w`` times).

    Behind a proxy the DNS lookup and TCP connect are the proxy's, and ``tcp_ms`` includes the
    ``CONNECT`` tunnel (the proxy's own lookup and connect to the site).
    """

    dns_ms: float | None = None
    tcp_ms: float | None = None
    tls_ms: float | None = None
    connect_ms: float = 0.0  # all of it; 0 for a request served on a reused connection


def _since(t0: float) -> float:
    return round((time.monotonic() - t0) * 1000, 1)


class _TimedConnection(HTTPConnection):
    """Splits ``connect()`` into DNS lookup, TCP connect (+ proxy tunnel) and the TLS handshake, and pins.

    The host is resolved once, every address is held to the guard (:func:`vet_host`) and the socket is
    opened to those vetted addresses only — never by a second lookup that could answer differently (DNS
    rebinding). ``Host``, SNI and the certificate check keep the name. A connection to the proxy is not
    vetted (the proxy is the user's; its targets are checked before the request).
    """

    allow_private: bool = False  # set per adapter (:func:`_pool_classes`)

    def _new_conn(self) -> socket.socket:
        times: ConnectTimes = _CONNECT.times
        host = self._dns_host
        t0 = time.monotonic()
        if self.proxy is not None:
            addresses = _resolve(host)
        else:
            addresses = vet_host(host, allow_private=self.allow_private)
        times.dns_ms = _since(t0)
        if not addresses:
            failure = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
            raise NameResolutionError(host, self, failure)
        t1 = time.monotonic()
        try:
            for i, address in enumerate(addresses):
                self._dns_host = address  # connect to what was just looked up and checked
                try:
                    return super()._new_conn()
                except (NewConnectionError, ConnectTimeoutError):
                    if i == len(addresses) - 1:
                        raise
            raise AssertionError("unreachable")
        finally:
            self._dns_host = host
            times.tcp_ms = _since(t1)

    def _tunnel(self) -> None:
        t0 = time.monotonic()
        try:
            super()._tunnel()
        finally:
            times: ConnectTimes = _CONNECT.times
            times.tcp_ms = round((times.tcp_ms or 0.0) + _since(t0), 1)

    def connect(self) -> None:
        times = ConnectTimes()
        _CONNECT.times = times
        started = time.monotonic()
        super().connect()
        times.connect_ms = _since(started)
        if isinstance(self, HTTPSConnection):
            times.tls_ms = round(
                max(0.0, times.connect_ms - (times.dns_ms or 0.0) - (times.tcp_ms or 0.0)), 1
            )


@functools.cache
def _trust_context(ca_file: str) -> ssl.SSLContext:
    """A client context verifying against ``ca_file``, shared by every connection (it is thread-safe)."""
    context = create_urllib3_context()
    context.load_verify_locations(cafile=ca_file)
    return context


class _TimedHTTPConnection(_TimedConnection):
    pass


class _TimedHTTPSConnection(_TimedConnection, HTTPSConnection):
    def connect(self) -> None:
        ca_file: str | None = getattr(self, "ca_certs", None)
        if getattr(self, "ssl_context", None) is None and ca_file:
            # The CA file is read once, not per connection: the TLS time is the handshake, not the loading.
            setattr(self, "ssl_context", _trust_context(ca_file))  # noqa: B010 (mypy: ambiguous base)
            setattr(self, "ca_certs", None)  # noqa: B010
        super().connect()


class _TimedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _TimedHTTPConnection


class _TimedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _TimedHTTPSConnection


_TIMED_POOLS = {"http": _TimedHTTPPool, "https": _TimedHTTPSPool}


@functools.cache
def _pool_classes(allow_private: bool) -> dict[str, type[HTTPConnectionPool]]:
    """Pool classes whose connections vet with ``allow_private`` (one pair per setting, made once)."""
    if not allow_private:
        return dict(_TIMED_POOLS)
    http_conn = type("_AllowingHTTPConnection", (_TimedHTTPConnection,), {"allow_private": True})
    https_conn = type("_AllowingHTTPSConnection", (_TimedHTTPSConnection,), {"allow_private": True})
    return {
        "http": type("_AllowingHTTPPool", (_TimedHTTPPool,), {"ConnectionCls": http_conn}),
        "https": type("_AllowingHTTPSPool", (_TimedHTTPSPool,), {"ConnectionCls": https_conn}),
    }


class TimedAdapter(HTTPAdapter):
    """An adapter whose connections report how long opening them took: DNS, TCP, TLS (``ConnectTimes``).

    A request served on a reused (pooled) connection opened nothing: its connect time is 0 and its
    phases are None. Behind a proxy the connection is to the proxy. Without one, every connection is
    pinned to the addresses the guard vetted (``allow_private`` lifts the refusal, not the pinning).
    """

    def __init__(self, *args: Any, allow_private: bool = False, **kwargs: Any) -> None:
        self._pools = _pool_classes(allow_private)
        super().__init__(*args, **kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = self._pools

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **kwargs)
        manager.pool_classes_by_scheme = self._pools
        return manager


_ADAPTER_LOCK = threading.Lock()


@dataclass
class _Body:
    data: bytes = b""
    truncated: bool = False
    error: str | None = None
    wire_bytes: int = 0


@dataclass
class Fetcher:
    """Thread-safe GETs with a pooled ``requests.Session`` per thread.

    ``clock`` is what the deadlines read and the retry backoff sleeps on (a ``VirtualClock`` in tests).
    """

    settings: Settings
    recorder: Recorder | None = None
    clock: Clock = field(default=SYSTEM_CLOCK, repr=False)
    _local: threading.local = field(default_factory=threading.local, repr=False)
    _adapter: TimedAdapter | None = field(default=None, repr=False)

    @property
    def verify(self) -> str | bool:
        """What requests verifies against: certifi plus ``ca_bundle``'s CAs, or certifi alone."""
        return combined_bundle(self.settings.ca_bundle) if self.settings.ca_bundle else certifi.where()

    def session(self) -> requests.Session:
        """This thread's session (connection pool), created on first use."""
        s: requests.Session | None = getattr(self._local, "session", None)
        if s is None:
            s = requests.Session()
            s.headers.update(
                {"User-Agent": self.settings.user_agent, "Accept-Encoding": "gzip, deflate", "Accept": "*/*"}
            )
            if self.settings.proxy:
                s.proxies = {"http": self.settings.proxy, "https": self.settings.proxy}
            s.trust_env = self.settings.proxy is None  # HTTP(S)_PROXY from the environment otherwise
            s.max_redirects = self.settings.max_redirects
            s.mount("http://", self._shared_adapter())
            s.mount("https://", self._shared_adapter())
            self._local.session = s
        return s

    def _shared_adapter(self) -> TimedAdapter:
        """One connection pool for every fetch thread: a host's keep-alive connections (and behind a proxy
        its CONNECT tunnels) are reused by whichever thread fetches next, instead of each thread opening its
        own — 16 threads used to mean up to 16 new TLS connections per host."""
        with _ADAPTER_LOCK:
            if self._adapter is None:
                size = max(10, 2 * self.settings.per_host_concurrency)
                self._adapter = TimedAdapter(
                    pool_connections=32, pool_maxsize=size, allow_private=self.settings.allow_private
                )
            return self._adapter

    def get(
        self,
        url: str,
        *,
        company: str = "",
        accept: str = "*/*",
        retries: int | None = None,
        headers: dict[str, str] | None = None,
        request_key: str = "",
    ) -> Page:
        """GET ``url`` following redirects by hand (each hop guarded); never raises for network trouble.

        ``request_key``: the key of the declared request this answers, recorded with it (in the WARC too).
        """
        page = Page(url=url, fetched_at=utc_now(), request_key=request_key)
        current = url
        started = self.clock.now()
        for _hop in range(self.settings.max_redirects + 1):
            try:
                proxied = bool(self.settings.proxy) or bool(
                    self.settings.proxy is None and requests.utils.get_environ_proxies(current)
                )
                # without a proxy the connection itself resolves once, vets and connects (pinned)
                check_address(current, self.settings.allow_private, proxied, resolve=proxied)
            except GuardError as exc:
                page.error = str(exc)
                return page
            response_page = self._get_with_retries(
                current,
                company=company,
                accept=accept,
                started=started,
                retries=self.settings.retries if retries is None else retries,
                extra=headers or {},
                request_key=request_key,
            )
            page.status = response_page.status
            page.headers = response_page.headers
            page.content_type = response_page.content_type
            page.timing = response_page.timing
            page.error = response_page.error
            page.text = response_page.text
            page.truncated = response_page.truncated
            page.warnings = response_page.warnings
            page.final_url = current
            location = page.headers.get("location")
            if page.status in (301, 302, 303, 307, 308) and location and page.error is None:
                nxt = canonicalize(urljoin(current, location))
                if urlsplit(nxt).scheme not in ("http", "https"):
                    page.error = f"redirect to unsupported scheme: {nxt}"
                    return page
                page.redirects.append(current)
                if nxt in page.redirects:
                    page.error = f"redirect loop at {nxt}"
                    return page
                if urlsplit(nxt).netloc != urlsplit(current).netloc:
                    headers = None  # credentials never follow a redirect to another host
                current = nxt
                continue
            return page
        page.error = f"too many redirects (more than {self.settings.max_redirects})"
        return page

    def _get_with_retries(
        self,
        url: str,
        *,
        company: str,
        accept: str,
        started: float,
        retries: int,
        extra: dict[str, str],
        request_key: str = "",
    ) -> Page:
        attempt = 0
        while True:
            page = self._get_once(url, company=company, accept=accept, extra=extra, request_key=request_key)
            retryable = page.status in RETRY_STATUSES or (page.status is None and page.error is not None)
            if not retryable or attempt >= retries:
                return page
            if page.error and page.error.startswith(PERMANENT_ERRORS):
                return page
            wait = retry_after_seconds(page.headers.get("retry-after"), self.settings.max_delay)
            wait = wait if wait is not None else 0.5 * (2**attempt)
            if self.clock.now() - started + wait > self.settings.request_deadline:
                return page
            self.clock.sleep(wait)
            attempt += 1

    def _get_once(
        self, url: str, *, company: str, accept: str, extra: dict[str, str], request_key: str = ""
    ) -> Page:
        s = self.settings
        page = Page(url=url, final_url=url, fetched_at=utc_now())
        t0 = time.monotonic()  # for the timings, which measure the network
        started = self.clock.now()  # for the deadline
        headers = {"Accept": accept, **extra}
        _CONNECT.times = ConnectTimes()  # stays empty when the pool reuses a connection
        try:
            response = self.session().get(
                url,
                headers=headers,
                stream=True,
                allow_redirects=False,
                timeout=(s.connect_timeout, s.read_timeout),
                verify=self.verify,  # given per request, so REQUESTS_CA_BUNDLE cannot replace the trust
            )
        except GuardError as exc:  # raised by the connection: the name now resolves to a refused address
            page.error = str(exc)
            page.timing = Timing(total_ms=_ms(t0))
            return page
        except requests.RequestException as exc:
            host = urlsplit(url).hostname or ""
            page.error = _describe(exc, host, lambda: self._peek(url))
            page.timing = Timing(total_ms=_ms(t0))
            return page
        ttfb = _ms(t0)
        with response:
            body = self._read_body(response, started)
        page.status = response.status_code
        page.headers = {k.lower(): v for k, v in response.headers.items()}
        page.content_type = page.headers.get("content-type", "")
        page.truncated = body.truncated
        page.error = body.error
        opened: ConnectTimes = _CONNECT.times
        page.timing = Timing(
            connect_ms=opened.connect_ms,
            dns_ms=opened.dns_ms,
            tcp_ms=opened.tcp_ms,
            tls_ms=opened.tls_ms,
            ttfb_ms=ttfb,
            total_ms=_ms(t0),
            bytes=body.wire_bytes,
        )
        if body.data or page.error is None:
            notes: list[str] = []
            page.text = body_text(body.data, page.content_type, s.max_decompressed_bytes, notes)
            if notes:
                page.truncated = True
                page.warnings += notes
            if page.text is not None and (warning := charset_warning(body.data, page.content_type)):
                page.warnings.append(warning)
        if self.recorder is not None:
            sent = dict(response.request.headers) if response.request is not None else headers
            self.recorder(
                Exchange(
                    url=url,
                    request_headers={k: str(v) for k, v in sent.items()},
                    status=response.status_code,
                    reason=response.reason or "",
                    response_headers=list(response.headers.items()),
                    body=body.data,
                    date=page.fetched_at,
                    company=company,
                    request_key=request_key,
                )
            )
        return page

    def _peek(self, url: str) -> PeerTLS | None:
        """The server's TLS offer after a refused handshake — at a vetted address, like the fetch."""
        s = self.settings
        if s.proxy:
            return peek(url, s.proxy, s.connect_timeout)
        try:
            addresses = vet_host(urlsplit(url).hostname or "", allow_private=s.allow_private)
        except GuardError:
            return None
        return peek(url, None, s.connect_timeout, addresses) if addresses else None

    def _read_body(self, response: requests.Response, started: float) -> _Body:
        """Stream the body within the byte, decompression and deadline limits (``started``: clock time)."""
        s = self.settings
        out = _Body()
        chunks: list[bytes] = []
        size = 0
        try:
            while True:
                # read1 returns whatever has arrived (≤ 64 KiB), so a slow drip still meets the deadline check
                chunk = response.raw.read1(64 * 1024, decode_content=True)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
                out.wire_bytes = int(response.raw.tell())
                if out.wire_bytes > s.max_bytes:
                    out.truncated, out.error = True, f"response larger than {s.max_bytes} bytes; cut"
                    break
                if size > s.max_decompressed_bytes:
                    out.truncated = True
                    out.error = f"response decompresses beyond {s.max_decompressed_bytes} bytes; cut"
                    break
                if self.clock.now() - started > s.request_deadline:
                    out.truncated, out.error = True, f"deadline of {s.request_deadline:g}s exceeded"
                    break
        except (requests.RequestException, OSError, ValueError) as exc:
            out.error = _describe(exc)
        except Exception as exc:  # urllib3's own errors (read timeout, protocol, decoding) while streaming
            out.error = _describe(exc)
        out.data = b"".join(chunks)
        out.wire_bytes = max(out.wire_bytes, int(response.raw.tell()))
        return out


def is_textual(content_type: str) -> bool:
    ctype = content_type.split(";")[0].strip().lower()
    return (
        not ctype
        or ctype.startswith("text/")
        or ctype.endswith(("+xml", "/xml", "+json", "/json", "/javascript"))
        or ctype in ("application/xhtml+xml", "application/x-javascript")
    )


def _describe(exc: BaseException, host: str = "", look: Callable[[], PeerTLS | None] | None = None) -> str:
    """A one-line reason for a network failure, in words: the root cause, not urllib3's wrappers.

    ``HTTPSConnectionPool(host=…): Max retries exceeded … (Caused by ProxyError(…))`` becomes
    "the proxy refused to tunnel HTTPS (405 Method Not Allowed)"; class names never reach a report.
    A refused certificate or TLS version says what was wrong ("TLS certificate expired on 2026-01-01");
    ``look`` is asked for the server's offer when the error alone cannot tell (:func:`certificates.peek`).
    """
    chain = _causes(exc)
    for err in chain:
        words = tls_words(err, host, look)
        if words:
            return words
        if isinstance(err, ssl.SSLError):
            return f"TLS handshake failed ({err.reason or _tail(str(err), 80)})"
    root = chain[-1]
    text = str(root)
    tunnel = re.search(r"Tunnel connection failed: (.+)", text)
    if tunnel:
        return f"the proxy refused to tunnel HTTPS ({_tail(tunnel.group(1), 60)})"
    proxy = isinstance(exc, requests.exceptions.ProxyError)
    if isinstance(exc, requests.exceptions.ReadTimeout | ReadTimeoutError):
        return "read timeout"
    if isinstance(exc, ProtocolError) or "IncompleteRead" in text:
        cause = _os_words(root)
        return (
            f"the connection broke off mid-response ({cause})"
            if cause
            else "the connection broke off mid-response"
        )
    if isinstance(exc, DecodeError):
        return "the response's compression could not be undone"
    if isinstance(exc, requests.exceptions.ConnectTimeout) or isinstance(root, TimeoutError):
        return "proxy connect timeout" if proxy else "connect timeout"
    if isinstance(root, socket.gaierror) or "Name or service not known" in text:
        return "DNS lookup failed (no such host)"
    words = _os_words(root)
    if words:
        return f"could not reach the proxy: {words}" if proxy else words
    if isinstance(exc, requests.exceptions.ChunkedEncodingError | requests.exceptions.ContentDecodingError):
        return "the response broke off or could not be decoded"
    return f"network error: {_tail(text)}"


def _causes(exc: BaseException) -> list[BaseException]:
    """``exc`` and what caused it, outermost first (urllib3 keeps the cause in ``reason`` or ``args``)."""
    chain = [exc]
    while len(chain) < 10:
        err = chain[-1]
        reason = getattr(err, "reason", None)
        nxt = reason if isinstance(reason, BaseException) else None
        if nxt is None and err.args and isinstance(err.args[-1], BaseException):
            nxt = err.args[-1]
        nxt = nxt or err.__cause__ or err.__context__
        if nxt is None or nxt in chain:
            break
        chain.append(nxt)
    return chain


def _os_words(err: BaseException) -> str | None:
    """ "connection refused", "network unreachable", … for an ``OSError`` with an errno."""
    if isinstance(err, OSError) and err.errno:
        try:
            return os.strerror(err.errno).lower()
        except ValueError:
            return None
    return None


def _tail(text: str, limit: int = 160) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _ms(t0: float) -> float:
    return round((time.monotonic() - t0) * 1000, 1)
