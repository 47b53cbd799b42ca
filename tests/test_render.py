"""Rendered capture in Debian's Chromium: widgets that exist only after JavaScript runs."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from audit.cli import main
from audit.fixture_web import FixtureWeb
from audit.render import render_all
from audit.settings import Settings
from probes.inspect import inspect_html

MARKET = Path(__file__).parent / "fixtures" / "render_market"
SITE = MARKET / "sites" / "widgets.test"
HAS_CHROMIUM = shutil.which("chromium") is not None or Path("/usr/bin/chromium").exists()
needs_browser = pytest.mark.skipif(not HAS_CHROMIUM, reason="Debian's chromium is not installed")


@pytest.fixture(scope="module")
def render_web() -> Iterator[FixtureWeb]:
    with FixtureWeb(MARKET) as web:
        yield web


@pytest.fixture(scope="module")
def rendered_audit(render_web: FixtureWeb, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("rendered")
    result = CliRunner().invoke(
        main,
        [
            "audit",
            "http://widgets.test/",
            "--out",
            str(out),
            "--proxy",
            render_web.proxy_url,
            "--render",
            "always",
            "--format",
            "json",
            "-q",
        ],
    )
    assert result.exit_code == 0, result.output
    return out


def test_static_analysis_cannot_see_the_injected_widgets() -> None:
    for page in ("index.html", "contact.html"):
        found = inspect_html((SITE / page).read_text(), f"http://widgets.test/{page}")
        assert found["chat_widgets"] == [], page


@needs_browser
def test_browser_sees_requests_globals_and_timing(render_web: FixtureWeb) -> None:
    settings = Settings(proxy=render_web.proxy_url, render_timeout=15)
    [[home, contact]] = render_all(
        settings,
        "/usr/bin/chromium",
        ["Intercom", "LiveChatWidget", "drift"],
        [["http://widgets.test/", "http://widgets.test/contact"]],
    )
    assert home.error is None and contact.error is None
    urls = {r["url"] for r in home.requests}
    assert "http://cdn.tagloader.test/container.js?id=TL-42" in urls
    assert "http://js.driftt.com/include/1790000000/wi42.js" in urls
    assert home.globals == ["drift"]
    assert "drift-widget-container" in (home.html or "")
    assert contact.globals == ["LiveChatWidget"]  # injected 800 ms after load
    assert "http://cdn.livechatinc.com/tracking.js" in {r["url"] for r in contact.requests}
    assert home.screenshot and home.screenshot.startswith(b"\x89PNG")
    assert home.timing.get("ttfb_ms") is not None and home.timing.get("load_ms") is not None
    assert home.timing.get("lcp_ms") is not None


@needs_browser
def test_audit_records_rendered_pages_and_screenshots(rendered_audit: Path) -> None:
    audit = json.loads((rendered_audit / "audit.json").read_text())
    crawl = audit["companies"][0]["crawl"]
    assert crawl["rendered"] is True and crawl["render_gap"] is None
    shots = crawl["screenshots"]
    assert {s["url"] for s in shots} >= {"http://widgets.test/", "http://widgets.test/contact"}
    for shot in shots:
        assert (rendered_audit / shot["file"]).read_bytes().startswith(b"\x89PNG")
    launchers = [s for s in shots if s["kind"] == "chat launcher"]
    assert [s["url"] for s in launchers] == ["http://widgets.test/"]  # the Drift launcher div
    assert launchers[0]["file"].endswith("-chat.png")


@needs_browser
def test_rendered_chat_widgets_are_found_with_their_requests(rendered_audit: Path) -> None:
    audit = json.loads((rendered_audit / "audit.json").read_text())
    chat = audit["companies"][0]["channels"]["chat"]
    assert {c["vendor"] for c in chat} == {"Drift", "LiveChat"}
    assert all(c["evidence"]["method"] in ("request", "global", "iframe", "selector") for c in chat)


@needs_browser
def test_replay_reproduces_rendered_evidence_without_a_browser(
    rendered_audit: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_browser(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("replay started a browser")

    monkeypatch.setattr("audit.render.render_all", no_browser)
    result = CliRunner().invoke(
        main,
        [
            "audit",
            "http://widgets.test/",
            "--out",
            str(tmp_path),
            "--replay",
            str(rendered_audit / "capture.warc.gz"),
            "--format",
            "json",
            "-q",
        ],
    )
    assert result.exit_code == 0, result.output
    original = json.loads((rendered_audit / "audit.json").read_text())
    assert json.loads((tmp_path / "audit.json").read_text()) == original
    for shot in original["companies"][0]["crawl"]["screenshots"]:
        assert (tmp_path / shot["file"]).exists()


def test_render_never_makes_chat_not_measured(render_web: FixtureWeb, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "audit",
            "http://widgets.test/",
            "--out",
            str(tmp_path),
            "--proxy",
            render_web.proxy_url,
            "--render",
            "never",
            "--format",
            "json",
            "-q",
        ],
    )
    assert result.exit_code == 0, result.output
    company = json.loads((tmp_path / "audit.json").read_text())["companies"][0]
    assert company["crawl"]["rendered"] is False
    assert company["crawl"]["render_gap"] == "rendering switched off (--render never)"
    live_chat = next(r for d in company["dimensions"] for r in d["rules"] if r["id"] == "live-chat")
    assert live_chat["status"] == "n/a" and "Not measured" in live_chat["explanation"]


def test_missing_chromium_degrades_to_static_with_the_gap_recorded(
    render_web: FixtureWeb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENGAGE_CHROMIUM", "/nonexistent/chromium")
    result = CliRunner().invoke(
        main,
        [
            "audit",
            "http://widgets.test/",
            "--out",
            str(tmp_path),
            "--proxy",
            render_web.proxy_url,
            "--render",
            "auto",
            "--format",
            "json",
            "-q",
        ],
    )
    assert result.exit_code == 0, result.output
    crawl = json.loads((tmp_path / "audit.json").read_text())["companies"][0]["crawl"]
    assert crawl["rendered"] is False and "Chromium not found" in crawl["render_gap"]


def test_render_always_without_chromium_is_a_one_line_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENGAGE_CHROMIUM", "/nonexistent/chromium")
    result = CliRunner().invoke(
        main, ["audit", "http://widgets.test/", "--out", str(tmp_path), "--render", "always"]
    )
    assert result.exit_code == 1
    assert result.output.startswith("engage: error: --render always, but no Chromium")
