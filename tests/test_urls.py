"""URL canonicalisation and site identity."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit.urls import BadURL, canonicalize, normalize_target, registrable_domain, same_site


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTP://Acme.TEST:80/FAQ#top", "http://acme.test/FAQ"),
        ("https://acme.test:443/?utm_source=x&id=3&gclid=9", "https://acme.test/?id=3"),
        ("https://acme.test:8443", "https://acme.test:8443/"),
    ],
)
def test_canonicalize(raw: str, expected: str) -> None:
    assert canonicalize(raw) == expected


@given(st.text(alphabet="abcxyz/?=&#%.-_", max_size=30))
def test_canonicalize_is_idempotent(path: str) -> None:
    once = canonicalize("http://acme.test/" + path)
    assert canonicalize(once) == once


@pytest.mark.parametrize(
    ("host", "site"),
    [
        ("community.acme.test", "acme.test"),
        ("www.bbc.co.uk", "bbc.co.uk"),
        ("x.y.zendesk.com", "zendesk.com"),
    ],
)
def test_registrable_domain_offline(host: str, site: str) -> None:
    assert registrable_domain(host) == site


def test_same_site() -> None:
    assert same_site("http://help.acme.test/a", "http://acme.test/")
    assert not same_site("http://acme.test/", "http://northwind.test/")


@pytest.mark.parametrize("raw", ["", "ftp://acme.test/", "not a url", "http://", "https://acme.test:99999/"])
def test_bad_targets(raw: str) -> None:
    with pytest.raises(BadURL):
        normalize_target(raw)


def test_target_without_scheme_gets_https() -> None:
    assert normalize_target("acme.test") == "https://acme.test/"
