"""Whom TLS trusts: certifi's roots plus the CAs of ``--ca-bundle`` — verification is never switched off.

requests gets one combined CA file (certifi's bundle + the added CAs); Chromium, which keeps its own
store, gets the SPKI hashes of the added CAs that certifi does not already hold
(``--ignore-certificate-errors-spki-list``), never ``--ignore-certificate-errors``.
"""

from __future__ import annotations

import atexit
import base64
import contextlib
import functools
import hashlib
import os
import socket
import ssl
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import certifi
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


class BundleError(ValueError):
    """A CA bundle that cannot be used, with a one-line reason."""


def read_bundle(path: str | Path) -> list[x509.Certificate]:
    """The certificates of a PEM file; ``BundleError`` when it is unreadable or holds none."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise BundleError(f"CA bundle {path}: {exc.strerror or exc}") from None
    try:
        with warnings.catch_warnings():  # certifi ships a root with a non-positive serial; still a root
            warnings.simplefilter("ignore")
            certs = x509.load_pem_x509_certificates(data)
    except ValueError:
        certs = []
    if not certs:
        raise BundleError(f"CA bundle {path}: no PEM certificate in it")
    return certs


def spki_hash(cert: x509.Certificate) -> str:
    """Base64 SHA-256 of a certificate's SubjectPublicKeyInfo (Chromium's SPKI list format)."""
    spki = cert.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(hashlib.sha256(spki).digest()).decode("ascii")


@functools.cache
def _certifi_spkis() -> frozenset[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return frozenset(spki_hash(c) for c in read_bundle(certifi.where()))


@functools.cache
def added_spki_hashes(ca_bundle: str) -> tuple[str, ...]:
    """SPKI hashes of the bundle's CAs that certifi does not already trust, sorted (for Chromium)."""
    known = _certifi_spkis()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return tuple(sorted({h for h in map(spki_hash, read_bundle(ca_bundle)) if h not in known}))


@functools.cache
def combined_bundle(ca_bundle: str) -> str:
    """A CA file of certifi's roots followed by ``ca_bundle``'s certificates (removed at exit)."""
    read_bundle(ca_bundle)  # refuse a file with no certificate before trusting anything from it
    fd, name = tempfile.mkstemp(prefix="engage-ca-", suffix=".pem")
    with os.fdopen(fd, "wb") as out:
        out.write(Path(certifi.where()).read_bytes().rstrip() + b"\n")
        out.write(Path(ca_bundle).read_bytes())
    atexit.register(_remove, name)
    return name


def _remove(name: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(name)


#: OpenSSL verification results, in words (``ssl.SSLCertVerificationError.verify_code``).
_VERIFY_WORDS = {
    18: "TLS certificate is self-signed (not issued by a trusted authority)",
    19: "TLS certificate not trusted (issued by an unknown certificate authority)",
    20: "TLS certificate not trusted (issued by an unknown certificate authority)",
    21: "TLS certificate not trusted (issued by an unknown certificate authority)",
}


def verify_words(err: ssl.SSLCertVerificationError) -> str:
    """A certificate verification failure in words."""
    known = _VERIFY_WORDS.get(int(err.verify_code or 0))
    return known or f"TLS certificate not trusted ({err.verify_message or 'verification failed'})"


@dataclass(frozen=True)
class PeerTLS:
    """What a server offered in a handshake looked at without trusting it: version and certificate."""

    version: str | None
    not_before: datetime | None
    not_after: datetime | None
    names: tuple[str, ...]


def peek(url: str, proxy: str | None, timeout: float, addresses: tuple[str, ...] = ()) -> PeerTLS | None:
    """One handshake with ``url``'s server, verifying nothing and sending no request, to say *why* it failed.

    Only used after a verified handshake was refused; through ``proxy`` with ``CONNECT`` like the fetch,
    else to the first of ``addresses`` (the ones the guard vetted; the name is looked up only without
    them). None when even that fails.
    """
    parts = urlsplit(url)
    host, port = parts.hostname or "", parts.port or 443
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # looking at the certificate, never trusting it: nothing is sent
    with warnings.catch_warnings():  # naming an old server's version means being able to speak it
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version = ssl.TLSVersion.TLSv1
    with contextlib.suppress(ssl.SSLError):
        context.set_ciphers("DEFAULT:@SECLEVEL=0")  # OpenSSL 3 offers TLS 1.0 only at level 0
    try:
        sock = (
            _tunnel(host, port, proxy, timeout)
            if proxy
            else socket.create_connection((addresses[0] if addresses else host, port), timeout)
        )
        with context.wrap_socket(sock, server_hostname=host) as tls:
            der, version = tls.getpeercert(binary_form=True), tls.version()
    except (OSError, ValueError):
        return None
    if not der:
        return PeerTLS(version, None, None, ())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cert = x509.load_der_x509_certificate(der)
        return PeerTLS(version, cert.not_valid_before_utc, cert.not_valid_after_utc, _names(cert))


def _names(cert: x509.Certificate) -> tuple[str, ...]:
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        names = tuple(str(n) for n in san.get_values_for_type(x509.DNSName))
    except x509.ExtensionNotFound:
        names = ()
    if names:
        return names
    common = cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return tuple(str(a.value) for a in common)


def _tunnel(host: str, port: int, proxy: str, timeout: float) -> socket.socket:
    """A socket through the HTTP proxy's ``CONNECT`` tunnel to ``host:port``."""
    where = urlsplit(proxy)
    sock = socket.create_connection((where.hostname or "", where.port or 80), timeout)
    sock.sendall(f"CONNECT {host}:{port} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
    answer = b""
    while b"\r\n\r\n" not in answer and len(answer) < 16_384:
        chunk = sock.recv(4096)
        if not chunk:
            break
        answer += chunk
    if b" 200" not in answer.split(b"\r\n", 1)[0]:
        sock.close()
        raise OSError("the proxy refused the tunnel")
    return sock


#: TLS versions as people write them.
_VERSIONS = {"TLSv1": "TLS 1.0", "TLSv1.1": "TLS 1.1", "SSLv3": "SSL 3.0"}
#: OpenSSL reasons meaning "we share no protocol version".
_VERSION_REASONS = frozenset(
    {"TLSV1_ALERT_PROTOCOL_VERSION", "UNSUPPORTED_PROTOCOL", "NO_PROTOCOLS_AVAILABLE", "WRONG_SSL_VERSION"}
)


def tls_words(err: BaseException, host: str, look: Callable[[], PeerTLS | None] | None) -> str | None:
    """A TLS failure in words, looking at the server's offer (``look``) when the error alone cannot say."""
    if isinstance(err, ssl.SSLCertVerificationError):
        code = int(err.verify_code or 0)
        peer = look() if look is not None and code in (9, 10, 62) else None
        if code == 10:
            when = f" on {peer.not_after:%Y-%m-%d}" if peer and peer.not_after else ""
            return f"TLS certificate expired{when}"
        if code == 9:
            when = f" before {peer.not_before:%Y-%m-%d}" if peer and peer.not_before else " yet"
            return f"TLS certificate not valid{when}"
        if code == 62:
            names = ", ".join(peer.names[:3]) if peer and peer.names else "another host name"
            return f"TLS certificate is for {names}, not {host}"
        return verify_words(err)
    if isinstance(err, ssl.SSLError):
        reason = str(err.reason or "")
        if reason in _VERSION_REASONS:
            peer = look() if look is not None else None
            version = _VERSIONS.get(peer.version or "", peer.version) if peer else None
            if version:
                return f"server offers only {version} (1.2 or later required)"
            return "server offers only an outdated TLS version (1.2 or later required)"
        return None
    if isinstance(err, TimeoutError) and "handshake" in str(err):
        return "TLS handshake timed out"
    return None
