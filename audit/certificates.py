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
import ssl
import tempfile
import warnings
from pathlib import Path

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
