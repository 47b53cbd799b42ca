"""A failing connection of the browser guard never prints a traceback into the running command's stderr."""

from __future__ import annotations

import io
import socket
import threading
from typing import Any

import pytest

from audit.browser_guard import BrowserGuard


def _one_failing_connection(monkeypatch: pytest.MonkeyPatch, error: BaseException) -> BrowserGuard:
    """Start a guard whose handler raises ``error``; return it once that connection was dealt with."""
    guard = BrowserGuard()
    done = threading.Event()
    failed = guard._failed

    def handle(client: socket.socket) -> None:
        raise error

    def record(client_address: Any) -> None:
        failed(client_address)
        done.set()

    monkeypatch.setattr(guard, "_handle", handle)
    monkeypatch.setattr(guard, "_failed", record)
    with guard:
        port = int(guard.url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.sendall(b"GET http://acme.test/ HTTP/1.1\r\n\r\n")
            assert done.wait(timeout=30), "the guard never finished the connection"
    return guard


def test_a_crash_is_kept_in_one_line_not_printed_to_the_commands_stderr(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stderr = io.StringIO()
    monkeypatch.setattr("sys.stderr", stderr)
    guard = _one_failing_connection(monkeypatch, RuntimeError("upstream went odd"))
    assert stderr.getvalue() == ""  # socketserver's default would print a traceback here
    assert len(guard.errors) == 1
    assert "RuntimeError: upstream went odd" in guard.errors[0] and "\n" not in guard.errors[0]


def test_a_hang_up_is_not_news(monkeypatch: pytest.MonkeyPatch) -> None:
    stderr = io.StringIO()
    monkeypatch.setattr("sys.stderr", stderr)
    guard = _one_failing_connection(monkeypatch, BrokenPipeError(32, "Broken pipe"))
    assert stderr.getvalue() == "" and guard.errors == []
