"""Shared pytest fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from audit.fixture_web import FixtureWeb


@pytest.fixture(scope="session")
def fixture_web() -> Iterator[FixtureWeb]:
    """The demo market served on a free loopback port for the whole session (use ``.proxy_url``)."""
    web = FixtureWeb()
    web.start()
    try:
        yield web
    finally:
        web.stop()
