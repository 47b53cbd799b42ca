"""TLS for the fixture web: a throw-away certificate authority made at start-up, a certificate per host.

``Authority`` issues (and caches) a certificate for every host name it is asked for, serves the right one
by SNI (``ssl.SSLContext.sni_callback``), and can misbehave per host for the TLS faults: a certificate
that expired, one for another host name, a self-signed one, or a server that speaks only TLS 1.0. Clients
trust it through ``ca_pem_path`` (requests: ``--ca-bundle``) or ``ca_spki_sha256`` (Chromium:
``--ignore-certificate-errors-spki-list``); nothing switches verification off. The CA is made once per
process (``process_ca``) and shared by every server it starts.
"""

from __future__ import annotations

import atexit
import base64
import contextlib
import functools
import hashlib
import os
import ssl
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import trustme
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

CertProblem = Literal["expired", "wrong-host", "self-signed", "tls1.0"]

#: The validity of an ``expired`` certificate: fixed dates, so the recorded reason is the same every run.
EXPIRED_NOT_BEFORE = datetime(2025, 1, 1, tzinfo=UTC)
EXPIRED_NOT_AFTER = datetime(2026, 1, 1, tzinfo=UTC)

#: The name a ``wrong-host`` certificate is issued for.
OTHER_HOST = "other.test"


def spki_sha256(cert_pem: bytes) -> str:
    """Base64 of the SHA-256 of a certificate's SubjectPublicKeyInfo (what Chromium's SPKI list takes)."""
    cert = x509.load_pem_x509_certificate(cert_pem)
    spki = cert.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(hashlib.sha256(spki).digest()).decode("ascii")


@functools.cache
def process_ca() -> tuple[trustme.CA, Path]:
    """The CA of this process — made on first use, shared by every fixture server — and its PEM file.

    One per process, so a test session (or ``engage demo``) trusts one file however many servers it
    starts; the file is removed at exit.
    """
    ca = trustme.CA(organization_name="Engage fixture web")
    fd, name = tempfile.mkstemp(prefix="engage-fixture-ca-", suffix=".pem")
    with os.fdopen(fd, "wb") as out:
        out.write(ca.cert_pem.bytes())
    atexit.register(_remove, name)
    return ca, Path(name)


def _remove(name: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(name)


class Authority:
    """A throw-away CA and the server-side TLS contexts of every host it certifies."""

    def __init__(self) -> None:
        self.ca, self.ca_pem_path = process_ca()
        self._dir = tempfile.TemporaryDirectory(prefix="engage-fixture-tls-")
        self.ca_spki_sha256 = spki_sha256(self.ca.cert_pem.bytes())
        self._problems: dict[str, CertProblem] = {}
        self._contexts: dict[str, ssl.SSLContext] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        """Remove this server's key files (the CA and its file die with the process)."""
        self._dir.cleanup()

    def set_problem(self, host: str, problem: CertProblem | None) -> None:
        """Make ``host`` present a broken certificate (or a TLS 1.0-only server); None heals it."""
        with self._lock:
            if problem is None:
                self._problems.pop(host.lower(), None)
            else:
                self._problems[host.lower()] = problem
            self._contexts.pop(host.lower(), None)

    def problem(self, host: str) -> CertProblem | None:
        """The TLS problem configured for ``host``, if any."""
        return self._problems.get(host.lower())

    def server_context(self, host_hint: str = "") -> ssl.SSLContext:
        """The context to wrap an accepted connection with; SNI then picks the host's certificate.

        ``host_hint`` (the CONNECT target) decides what SNI cannot: a TLS 1.0-only host must be
        restricted before the handshake starts, and a client sending no SNI still gets that host's name.
        """
        context = self.context_for(host_hint or "localhost")
        return context

    def context_for(self, host: str) -> ssl.SSLContext:
        """The server context presenting ``host``'s certificate (made on first use, then cached)."""
        host = host.lower().rstrip(".")
        with self._lock:
            context = self._contexts.get(host)
            if context is None:
                context = self._make_context(host, self._problems.get(host))
                self._contexts[host] = context
        return context

    def _make_context(self, host: str, problem: CertProblem | None) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.set_alpn_protocols(["http/1.1"])  # the server speaks HTTP/1.1 only; Chromium must not try h2
        if problem == "self-signed":
            stranger = trustme.CA(organization_name=host)  # a CA nobody trusts, presenting itself
            blob = stranger.cert_pem.bytes() + stranger.private_key_pem.bytes()
            self._load(context, host, blob)
        else:
            names = [OTHER_HOST] if problem == "wrong-host" else [host]
            if problem == "expired":
                leaf = self.ca.issue_cert(*names, not_before=EXPIRED_NOT_BEFORE, not_after=EXPIRED_NOT_AFTER)
            else:
                leaf = self.ca.issue_cert(*names)
            # The CA goes out with the leaf: Chromium's SPKI allow-list matches certificates *presented*.
            chain = leaf.private_key_and_cert_chain_pem.bytes() + self.ca.cert_pem.bytes()
            self._load(context, host, chain)
        if problem == "tls1.0":
            context.set_ciphers("DEFAULT:@SECLEVEL=0")  # OpenSSL 3 refuses TLS 1.0 above level 0
            context.minimum_version = ssl.TLSVersion.TLSv1
            context.maximum_version = ssl.TLSVersion.TLSv1
        else:
            context.minimum_version = ssl.TLSVersion.TLSv1_2
            context.sni_callback = self._pick_by_sni
        return context

    def _load(self, context: ssl.SSLContext, host: str, pem: bytes) -> None:
        path = Path(self._dir.name) / f"{host}.pem"
        path.write_bytes(pem)
        context.load_cert_chain(str(path))

    def _pick_by_sni(self, sock: ssl.SSLObject | ssl.SSLSocket, server_name: str | None, _: object) -> None:
        """Switch to the certificate of the host the client named (SNI); no name keeps the hint's."""
        if server_name:
            sock.context = self.context_for(server_name)
