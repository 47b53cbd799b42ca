"""The fixture web over HTTPS: CONNECT tunnelling, a certificate per host picked by SNI, trust by CA file."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator

import certifi
import pytest
import requests
from cryptography import x509

from audit.fixture_web import FixtureWeb
from audit.fixture_web.tls import spki_sha256


@pytest.fixture(scope="module")
def web() -> Iterator[FixtureWeb]:
    with FixtureWeb() as served:
        yield served


def tunnel(web: FixtureWeb, host: str, port: int = 443) -> tuple[socket.socket, bytes]:
    """Open a CONNECT tunnel through the proxy; the socket and the proxy's status line."""
    sock = socket.create_connection(("127.0.0.1", web.port), timeout=5)
    sock.sendall(f"CONNECT {host}:{port} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
    answer = b""
    while b"\r\n\r\n" not in answer:
        chunk = sock.recv(4096)
        if not chunk:
            break
        answer += chunk
    return sock, answer.split(b"\r\n", 1)[0]


def peer_names(web: FixtureWeb, host: str) -> list[str]:
    """The DNS names of the certificate ``host`` presents through a CONNECT tunnel (verified by our CA)."""
    sock, status = tunnel(web, host)
    assert b" 200 " in status
    context = ssl.create_default_context(cafile=str(web.ca_pem_path))
    with context.wrap_socket(sock, server_hostname=host) as tls:
        der = tls.getpeercert(binary_form=True)
    assert der is not None
    cert = x509.load_der_x509_certificate(der)
    return list(
        cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(
            x509.DNSName
        )
    )


def test_requests_reach_a_site_over_https_through_connect(web: FixtureWeb) -> None:
    response = requests.get(
        "https://acme.test/", proxies={"https": web.proxy_url}, verify=str(web.ca_pem_path), timeout=10
    )
    assert response.status_code == 200
    assert "<html" in response.text.lower()


def test_plain_http_proxying_still_works(web: FixtureWeb) -> None:
    response = requests.get("http://tallybook.test/", proxies={"http": web.proxy_url}, timeout=10)
    assert response.status_code == 200
    moved = requests.get(
        "http://acme.test/", proxies={"http": web.proxy_url}, allow_redirects=False, timeout=10
    )
    assert (moved.status_code, moved.headers["Location"]) == (301, "https://acme.test/")


@pytest.mark.parametrize("host", ["acme.test", "community.northwind.test", "github.api.test"])
def test_sni_picks_the_certificate_of_the_host_asked_for(web: FixtureWeb, host: str) -> None:
    assert peer_names(web, host) == [host]


def test_without_the_ca_verification_fails(web: FixtureWeb) -> None:
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(
            "https://acme.test/", proxies={"https": web.proxy_url}, verify=certifi.where(), timeout=10
        )


def test_connect_to_an_unknown_host_is_refused(web: FixtureWeb) -> None:
    sock, status = tunnel(web, "nowhere.test")
    sock.close()
    assert b" 502 " in status


def test_the_direct_https_listener_serves_by_sni(web: FixtureWeb) -> None:
    context = ssl.create_default_context(cafile=str(web.ca_pem_path))
    with (
        socket.create_connection(("127.0.0.1", web.https_port), timeout=5) as raw,
        context.wrap_socket(raw, server_hostname="northwind.test") as tls,
    ):
        tls.sendall(b"GET / HTTP/1.1\r\nHost: northwind.test\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := tls.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 200 ")
    assert b"Northwind" in answer


def test_the_published_spki_hash_is_the_cas(web: FixtureWeb) -> None:
    assert web.ca_spki_sha256 == spki_sha256(web.ca_pem_path.read_bytes())
    assert len(web.ca_spki_sha256) == 44  # base64 of 32 bytes


@pytest.mark.parametrize(
    ("url", "marker"),
    [
        ("https://widget.intercom.io/widget/nw8k2", "intercom-container"),
        ("https://client.crisp.chat/l.js", "crisp-client"),
    ],
)
def test_chat_vendor_stand_ins_serve_their_loaders_over_https(web: FixtureWeb, url: str, marker: str) -> None:
    response = requests.get(url, proxies={"https": web.proxy_url}, verify=str(web.ca_pem_path), timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/javascript")
    assert marker in response.text
