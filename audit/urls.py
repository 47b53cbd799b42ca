"""URL identity: canonical form, registrable domain, same-site tests."""

from __future__ import annotations

from contextlib import suppress
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import tldextract

from audit.addresses import BadHost, normalize_host, parse_ipv4

#: RFC 2606/6761 reserved top-level names: treated as public suffixes so ``acme.test`` is a site.
RESERVED_TLDS = frozenset({"test", "example", "invalid", "localhost"})

#: Query parameters that only track campaigns; dropped so one page has one URL.
TRACKING_PARAMS = frozenset(
    {"gclid", "fbclid", "msclkid", "mc_cid", "mc_eid", "_hsenc", "_hsmi", "ref", "ref_src", "igshid", "yclid"}
)

_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


class BadURL(ValueError):
    """A URL Engage cannot audit, with a one-line reason."""


def normalize_target(raw: str) -> str:
    """A user-typed site address as an absolute http(s) URL with a path; raises ``BadURL``."""
    text = raw.strip()
    if not text:
        raise BadURL("empty URL")
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https"):
        raise BadURL(f"{raw!r}: only http and https URLs can be audited")
    host = parts.hostname or ""
    literal = ":" in host or _numeric(host)
    if not host or " " in host or ("." not in host and host != "localhost" and not literal):
        raise BadURL(f"{raw!r}: not a web address (expected something like https://example.com/)")
    try:
        normalize_host(host)
    except BadHost as exc:
        raise BadURL(str(exc)) from None
    try:
        _ = parts.port
    except ValueError:
        raise BadURL(f"{raw!r}: invalid port") from None
    return canonicalize(text)


def canonicalize(url: str) -> str:
    """Canonical form: lower-case scheme/host, no default port, no fragment, no tracking params.

    A numeric IPv4 host is written as the browser reads it (``http://0x7f.1/`` → ``http://127.0.0.1/``)
    and an IPv6 literal keeps its brackets (``http://[::1]:8080/``).
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if ":" in host:
        try:
            host = f"[{normalize_host(host)}]"
        except BadHost:
            host = f"[{host}]"
    elif _numeric(host):
        with suppress(BadHost):
            host = normalize_host(host)
    port = parts.port
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    path = parts.path or "/"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in TRACKING_PARAMS and not k.lower().startswith("utm_")
    ]
    return urlunsplit((scheme, host, path, urlencode(query), ""))


def _numeric(host: str) -> bool:
    """True when ``host`` ends in a number, so a browser reads it as an IPv4 address."""
    try:
        return parse_ipv4(host.rstrip(".") or host) is not None
    except BadHost:
        return True


@lru_cache(maxsize=4096)
def registrable_domain(host: str) -> str:
    """The registrable domain (``community.acme.co.uk`` → ``acme.co.uk``), offline."""
    host = host.lower().rstrip(".")
    labels = host.split(".")
    if labels[-1] in RESERVED_TLDS:
        return ".".join(labels[-2:])
    ext = _EXTRACT(host)
    if ext.suffix and ext.domain:
        return f"{ext.domain}.{ext.suffix}"
    return host


@lru_cache(maxsize=65536)  # the probes ask for the host of every link of a page, several times
def host(url: str) -> str:
    """Lower-case host name of ``url``."""
    return (urlsplit(url).hostname or "").lower()


def same_site(url: str, other: str) -> bool:
    """True when both URLs share a registrable domain."""
    a, b = host(url), host(other)
    return bool(a) and registrable_domain(a) == registrable_domain(b)
