"""Interrupts while Chromium renders, in a real ``engage audit`` process (issue 20, item 12).

SIGINT, Ctrl-C twice to the whole process group, SIGTERM: each ends with exit 130, ``audit.json`` written
and flagged, and no traceback. A browser that dies mid-render is a render error of the pages it left: the
audit completes. Each run waits for a state — the browser asking for a script the fixture web holds back
— never for a time.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from audit.fixture_web import FixtureWeb

MARKET = Path(__file__).parent / "fixtures" / "render_market"
SCHEMA = json.loads((Path(__file__).parents[1] / "audit" / "audit.schema.json").read_text())
HELD = "cdn.tagloader.test"  # only the browser asks for it (the page's JavaScript adds the script)
HAS_CHROMIUM = shutil.which("chromium") is not None or Path("/usr/bin/chromium").exists()
pytestmark = pytest.mark.skipif(not HAS_CHROMIUM, reason="Debian's chromium is not installed")


@pytest.fixture(scope="module")
def web() -> Iterator[FixtureWeb]:
    with FixtureWeb(MARKET) as w:
        w.set_latency(HELD, 120_000)  # the page's load event waits for it: the render is in progress
        yield w


def children(pid: int) -> list[int]:
    """Every process descended from ``pid`` (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if parent == pid:
                found += [int(entry.name), *children(int(entry.name))]
    return found


def command_line(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def wait_for(
    condition: Callable[[], bool], what: str, proc: subprocess.Popen[str], may_end: bool = False
) -> None:
    deadline = time.monotonic() + 180  # a safety net only: the condition is the state
    while not condition():
        if proc.poll() is not None and not may_end:
            pytest.fail(f"engage ended (exit {proc.returncode}) before {what}: {proc.communicate()[1]}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def audit_while_rendering(web: FixtureWeb, out: Path, act: Callable[[subprocess.Popen[str]], None]) -> Any:
    """Start ``engage audit`` (own process group, SIGINT at its default), wait until the browser renders,
    ``act`` on it; returns (exit status, stderr)."""

    def default_signals() -> None:  # a background shell leaves SIGINT ignored; a terminal does not
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    before = web.hits(HELD)
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "engage"),
            "audit",
            "http://widgets.test/",
            "--proxy",
            web.proxy_url,
            "--render",
            "always",
            "--format",
            "json",
            "--max-pages",
            "3",
            "--out",
            str(out),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=default_signals,
        env={**os.environ, "ENGAGE_TIMING_SAMPLES": "1"},
    )
    try:
        wait_for(lambda: web.hits(HELD) > before, "the browser rendering", proc)
        act(proc)
        _, err = proc.communicate(timeout=180)
    finally:
        if proc.poll() is None:  # the test failed first: leave nothing running
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    return proc.returncode, err


def browsers(proc: subprocess.Popen[str]) -> list[int]:
    """The Chromium browser processes under ``proc`` (not its renderers, GPU and other helpers)."""
    return [p for p in children(proc.pid) if "chrom" in command_line(p) and "--type=" not in command_line(p)]


def twice(send: Callable[[subprocess.Popen[str]], None]) -> Callable[[subprocess.Popen[str]], None]:
    """``send`` a signal, wait until the browser is gone (engage is winding down), ``send`` it again."""

    def act(proc: subprocess.Popen[str]) -> None:
        send(proc)
        wait_for(lambda: not browsers(proc) or proc.poll() is not None, "the browser closed", proc, True)
        with contextlib.suppress(ProcessLookupError):  # engage may already have finished
            send(proc)

    return act


def to_the_group(proc: subprocess.Popen[str]) -> None:
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the browser gets it too


INTERRUPTS: dict[str, Callable[[subprocess.Popen[str]], None]] = {
    "sigint, then sigint again while winding down": twice(lambda proc: proc.send_signal(signal.SIGINT)),
    "ctrl-c twice to the process group": twice(to_the_group),
    "sigterm": lambda proc: proc.send_signal(signal.SIGTERM),
}


@pytest.mark.parametrize("how", INTERRUPTS)
def test_an_interrupt_while_rendering_keeps_a_flagged_audit(
    web: FixtureWeb, tmp_path: Path, how: str
) -> None:
    status, err = audit_while_rendering(web, tmp_path, INTERRUPTS[how])
    assert status == 130, err
    assert "Traceback" not in err and "Event loop is closed" not in err, err
    lines = err.strip().splitlines()
    assert "engage: interrupted" in lines, err
    assert lines[-1].startswith("engage: audited 1 company") and "exit 130 = interrupted" in lines[-1], err
    audit = json.loads((tmp_path / "audit.json").read_text(encoding="utf-8"))
    jsonschema.validate(audit, SCHEMA)
    company = audit["companies"][0]
    assert audit["status"] == "partial" and company["errors"][0]["message"].startswith("interrupted")
    assert company["crawl"]["render_gap"] == "interrupted before rendering finished"
    assert company["crawl"]["pages"] > 0  # the static capture is kept
    assert (tmp_path / "capture.warc.gz").stat().st_size > 0
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith((".tmp", ".part"))]


def test_a_browser_dying_mid_render_is_a_render_error_and_the_audit_completes(
    web: FixtureWeb, tmp_path: Path
) -> None:
    def kill_the_browser(proc: subprocess.Popen[str]) -> None:
        found = browsers(proc)
        assert found, "no Chromium process under engage"
        for pid in found:
            os.kill(pid, signal.SIGKILL)

    status, err = audit_while_rendering(web, tmp_path, kill_the_browser)
    assert status == 0, err
    assert "Traceback" not in err, err
    audit = json.loads((tmp_path / "audit.json").read_text(encoding="utf-8"))
    jsonschema.validate(audit, SCHEMA)
    company = audit["companies"][0]
    assert audit["status"] == "complete" and company["overall"]["score"] is not None
    problems = [e["message"] for e in company["errors"] if e["stage"] == "page"]
    assert "http://widgets.test/: not rendered (the browser closed or crashed while rendering)" in problems
    assert company["crawl"]["rendered"] is False
    assert company["crawl"]["render_gap"].startswith("no page could be rendered (the browser closed")
    assert "page problem" in err.strip().splitlines()[-1]
