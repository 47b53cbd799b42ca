"""Shared pytest fixtures."""

from __future__ import annotations

import socketserver
import sys
import traceback
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from audit.fixture_web import FixtureWeb


@pytest.fixture(scope="session", autouse=True)
def trust_the_fixture_ca() -> Iterator[None]:
    """Commands run by the tests trust the fixture web's CA the way a user would: REQUESTS_CA_BUNDLE.

    Tests of trust itself pass ``environ=`` or ``Settings(ca_bundle=…)`` explicitly.
    """
    import os

    from audit.fixture_web.tls import process_ca

    previous = os.environ.get("REQUESTS_CA_BUNDLE")
    os.environ["REQUESTS_CA_BUNDLE"] = str(process_ca()[1])
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("REQUESTS_CA_BUNDLE", None)
        else:
            os.environ["REQUESTS_CA_BUNDLE"] = previous


@pytest.fixture(scope="session", autouse=True)
def server_tracebacks_to_the_real_stderr() -> Iterator[None]:
    """A test's own little HTTP server handles each connection in a thread, and socketserver prints a
    handler's traceback to ``sys.stderr``. A handler can outlive its test (a keep-alive connection reset
    when the client's session is collected later), and ``sys.stderr`` is then the captured stderr of
    whatever command another test is running (a CliRunner's): one stray traceback there broke
    ``test_progress``'s one-line check. Tracebacks of every server go to the process's own stderr instead,
    where they stay visible. Engage's own servers (the fixture web, the browser guard) have their own
    ``handle_error`` and are tested for it."""
    original = socketserver.BaseServer.handle_error

    def handle_error(self: socketserver.BaseServer, request: Any, client_address: Any) -> None:
        if sys.__stderr__ is not None:
            sys.__stderr__.write(
                f"test server: error while serving {client_address}:\n{traceback.format_exc()}"
            )

    socketserver.BaseServer.handle_error = handle_error  # type: ignore[method-assign]
    try:
        yield
    finally:
        socketserver.BaseServer.handle_error = original  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def fixture_web() -> Iterator[FixtureWeb]:
    """The demo market served on a free loopback port for the whole session (use ``.proxy_url``)."""
    web = FixtureWeb()
    web.start()
    try:
        yield web
    finally:
        web.stop()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A real PostgreSQL server for the session (``scripts/postgres-test.sh``: installs it when missing).

    Skipped, with the script's reason, only where that is impossible (not root and not installed, …).
    """
    import secrets
    import subprocess
    import tempfile
    from pathlib import Path

    script = Path(__file__).parents[1] / "scripts" / "postgres-test.sh"
    directory = Path(tempfile.gettempdir()) / f"engage-pg-{secrets.token_hex(4)}"
    started = subprocess.run(
        ["bash", str(script), "start", str(directory)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if started.returncode == 77:
        pytest.skip(f"PostgreSQL unavailable: {started.stderr.strip()}")
    assert started.returncode == 0, started.stderr
    try:
        yield started.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run(
            ["bash", str(script), "stop", str(directory)], capture_output=True, timeout=60, check=False
        )


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A real Redis server on loopback for the session (``scripts/redis-test.sh``: installs it when missing).

    Skipped, with the script's reason, only where that is impossible (not root and not installed, …).
    """
    import secrets
    import subprocess
    import tempfile
    from pathlib import Path

    script = Path(__file__).parents[1] / "scripts" / "redis-test.sh"
    directory = Path(tempfile.gettempdir()) / f"engage-redis-{secrets.token_hex(4)}"
    started = subprocess.run(
        ["bash", str(script), "start", str(directory)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if started.returncode == 77:
        pytest.skip(f"Redis unavailable: {started.stderr.strip()}")
    assert started.returncode == 0, started.stderr
    try:
        yield started.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run(
            ["bash", str(script), "stop", str(directory)], capture_output=True, timeout=60, check=False
        )


# Property tests judge behaviour, never speed: Hypothesis's per-example deadline (200 ms) and its
# too-slow health check would fail them on a busy machine, so both are off for the whole suite.
settings.register_profile("engage", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("engage")
