"""Rendered capture: what a visitor's browser sees, in Debian's Chromium driven by Playwright.

One browser per run, a fresh context per company, pages rendered one at a time within a per-page timeout
and a per-company budget. For each page: final DOM, every request the page made (a failed or blocked
request still names the widget that asked for it), console errors, the JavaScript globals engagement
vendors define (from the fingerprint data), iframes, a screenshot and navigation timing with LCP.
"""

from __future__ import annotations

import base64
import contextlib
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from audit.fetch import GuardError, check_address
from audit.models import Page
from audit.settings import Settings

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)

#: Path words of the pages worth rendering (besides the home page).
KEY_PAGE_WORDS = ("contact", "help", "support", "pricing", "kontakt", "contacto", "aide")

_TIMING_JS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const lcp = performance.getEntriesByType('largest-contentful-paint');
  const r = (v) => v === undefined || v === null ? null : Math.round(v * 10) / 10;
  return nav ? {ttfb_ms: r(nav.responseStart), dcl_ms: r(nav.domContentLoadedEventEnd),
                load_ms: r(nav.loadEventEnd), lcp_ms: lcp.length ? r(lcp[lcp.length - 1].startTime) : null}
             : {};
}"""

_LCP_OBSERVER_JS = """() => {
  try { new PerformanceObserver(() => {}).observe({type: 'largest-contentful-paint', buffered: true}); }
  catch (e) {}
}"""


def chromium_path(settings: Settings) -> str | None:
    """The Chromium executable to use (``ENGAGE_CHROMIUM`` or the setting), or None when absent."""
    candidate = os.environ.get("ENGAGE_CHROMIUM") or settings.chromium
    if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
        return candidate
    found = shutil.which(candidate)
    return found


def key_pages(pages: list[Page], limit: int = 4) -> list[Page]:
    """Home plus the contact/help/support/pricing pages of a static capture."""
    html = [p for p in pages if p.ok and p.is_html]
    home = [p for p in html if p.found_via == "start"]
    rest = [
        p for p in html if p not in home and any(w in (p.final_url or p.url).lower() for w in KEY_PAGE_WORDS)
    ]
    rest.sort(key=lambda p: (p.depth, len(p.final_url or p.url), p.url))
    return (home + rest)[:limit]


@dataclass
class RenderResult:
    """What one rendered page showed; stored in ``Page.render``."""

    url: str
    html: str | None = None
    requests: list[dict[str, Any]] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    globals: list[str] = field(default_factory=list)
    iframes: list[str] = field(default_factory=list)
    timing: dict[str, float | None] = field(default_factory=dict)
    screenshot: bytes | None = None
    error: str | None = None

    def summary(self, screenshot_name: str | None) -> dict[str, Any]:
        """JSON-able record for the capture (the DOM and PNG are stored separately)."""
        return {
            "requests": self.requests[:500],
            "console_errors": self.console_errors[:50],
            "globals": sorted(self.globals),
            "iframes": self.iframes[:50],
            "timing": self.timing,
            "screenshot": screenshot_name,
            "error": self.error,
        }


class Renderer:
    """A Chromium browser for the whole run; ``render`` pages of one company in a fresh context."""

    def __init__(self, settings: Settings, executable: str, watch_globals: list[str]) -> None:
        from playwright.sync_api import sync_playwright

        self.settings = settings
        self.watch_globals = sorted(set(watch_globals))
        self._pw = sync_playwright().start()
        launch: dict[str, Any] = {
            "executable_path": executable,
            "args": list(CHROMIUM_FLAGS),
            "headless": True,
        }
        if settings.proxy:
            launch["proxy"] = {"server": settings.proxy, "bypass": "<-loopback>"}
        self._browser = self._pw.chromium.launch(**launch)

    def close(self) -> None:
        """Close the browser and Playwright's driver."""
        try:
            self._browser.close()
        finally:
            self._pw.stop()

    def render_company(self, urls: list[str]) -> list[RenderResult]:
        """Render ``urls`` in one fresh context, within the per-company budget."""
        deadline = time.monotonic() + self.settings.render_budget
        context = self._browser.new_context(
            user_agent=self.settings.user_agent,
            viewport={"width": 1280, "height": 800},
            java_script_enabled=True,
        )
        context.set_default_timeout(self.settings.render_timeout * 1000)
        context.route("**/*", self._guard)
        results = []
        try:
            for url in urls:
                if time.monotonic() > deadline:
                    results.append(
                        RenderResult(url, error=f"render budget of {self.settings.render_budget:g}s spent")
                    )
                    continue
                results.append(self._render_page(context, url))
        finally:
            context.close()
        return results

    def _guard(self, route: Any) -> None:
        """The browser is held to the private-address guard too."""
        try:
            check_address(route.request.url, self.settings.allow_private, bool(self.settings.proxy))
        except GuardError:
            route.abort("blockedbyclient")
            return
        route.continue_()

    def _render_page(self, context: Any, url: str) -> RenderResult:
        result = RenderResult(url)
        page = context.new_page()
        seen: dict[Any, dict[str, Any]] = {}

        def on_request(req: Any) -> None:
            seen[req] = {"url": req.url, "type": req.resource_type, "status": None, "failure": None}

        def on_response(resp: Any) -> None:
            entry = seen.get(resp.request)
            if entry is not None:
                entry["status"] = resp.status

        def on_failed(req: Any) -> None:
            entry = seen.get(req)
            if entry is not None:
                entry["failure"] = req.failure or "failed"

        page.on("request", on_request)
        page.on("response", on_response)
        page.on("requestfailed", on_failed)
        page.on(
            "console",
            lambda msg: result.console_errors.append(msg.text[:300]) if msg.type == "error" else None,
        )
        page.on("popup", lambda popup: popup.close())
        page.on("dialog", lambda dialog: dialog.dismiss())
        try:
            page.add_init_script(script=f"({_LCP_OBSERVER_JS})()")
            page.goto(url, wait_until="load", timeout=self.settings.render_timeout * 1000)
            self._settle(page)
            result.html = page.content()
            result.globals = self._globals(page)
            result.iframes = [f.url for f in page.frames[1:] if f.url and f.url != "about:blank"]
            result.timing = page.evaluate(_TIMING_JS)
            result.screenshot = page.screenshot(type="png", timeout=self.settings.render_timeout * 1000)
        except Exception as exc:  # a crashed or hanging page must not stop the audit
            result.error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
        finally:
            result.requests = sorted(seen.values(), key=lambda r: r["url"])
            with contextlib.suppress(Exception):  # the page may already have crashed
                page.close()
        return result

    def _settle(self, page: Any) -> None:
        """Give late widgets (loaded after ``load`` by tag managers or timers) a moment to appear."""
        with contextlib.suppress(Exception):  # a page that never goes idle is still rendered as it is
            page.wait_for_load_state("networkidle", timeout=min(5000, self.settings.render_timeout * 1000))
        page.wait_for_timeout(1500)

    def _globals(self, page: Any) -> list[str]:
        names = self.watch_globals
        if not names:
            return []
        found: list[str] = page.evaluate(
            "(names) => names.filter((n) => typeof window[n] !== 'undefined')", names
        )
        return found


def encode_png(data: bytes) -> str:
    """A PNG as a data URI (for the self-contained HTML report)."""
    return "data:image/png;base64," + base64.b64encode(data).decode()


def screenshot_name(company_url: str, page_url: str) -> str:
    """A stable file name for a page's screenshot."""
    import hashlib

    digest = hashlib.sha1(f"{company_url}|{page_url}".encode()).hexdigest()[:12]
    return f"screenshots/{digest}.png"


def write_screenshot(out_dir: Path, name: str, data: bytes) -> None:
    """Store a screenshot under the output directory."""
    path = out_dir / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
