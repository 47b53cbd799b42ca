"""Rendered capture: what a visitor's browser sees, in Debian's Chromium driven by Playwright.

One browser per run, a fresh context per company, pages rendered one at a time within a per-page timeout
and a per-company budget. For each page: final DOM, every request the page made (a failed or blocked
request still names the widget that asked for it), console errors, the JavaScript globals engagement
vendors define (from the fingerprint data), iframes, a screenshot and navigation timing with LCP.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import os
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from audit.addresses import BadHost, normalize_host
from audit.browser_guard import BrowserGuard
from audit.certificates import added_spki_hashes
from audit.decoding import clean_text
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
    # Chromium's own services, beyond what Playwright already switches off (its list is kept intact):
    "--disable-client-side-phishing-detection",
    "--safebrowsing-disable-auto-update",
    "--disable-domain-reliability",
    "--no-pings",
    "--dns-prefetch-disable",
    # Chromium resolves nothing itself: every connection goes through the browser guard, which resolves,
    # vets and pins (a name resolved here could answer differently the second time)
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    # WebRTC may not send UDP around the proxy (to a LAN address, say)
    "--force-webrtc-ip-handling-policy",
    "--webrtc-ip-handling-policy=disable_non_proxied_udp",
)


_TIMING_JS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const r = (v) => v === undefined || v === null ? null : Math.round(v * 10) / 10;
  return nav ? {ttfb_ms: r(nav.responseStart), dcl_ms: r(nav.domContentLoadedEventEnd),
                load_ms: r(nav.loadEventEnd), lcp_ms: r(window.__engageLcp)}
             : {};
}"""

_GLOBALS_JS = "(names) => names.filter((n) => typeof window[n] !== 'undefined')"

#: Milliseconds to wait after the network is idle, for widgets injected by timers.
SETTLE_MS = 2000

_LCP_OBSERVER_JS = """() => {
  // LCP entries are only delivered to observers, so keep the latest one where _TIMING_JS can read it.
  window.__engageLcp = null;
  try {
    new PerformanceObserver((list) => {
      const entries = list.getEntries();
      if (entries.length) { window.__engageLcp = entries[entries.length - 1].startTime; }
    }).observe({type: 'largest-contentful-paint', buffered: true});
  } catch (e) {}
}"""


def chromium_path(settings: Settings) -> str | None:
    """The Chromium executable to use (``ENGAGE_CHROMIUM`` or the setting), or None when absent."""
    candidate = os.environ.get("ENGAGE_CHROMIUM") or settings.chromium
    if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
        return candidate
    found = shutil.which(candidate)
    return found


def chromium_args(settings: Settings) -> list[str]:
    """Chromium's flags: the fixed ones, plus the SPKI hashes of ``ca_bundle``'s CAs to trust.

    Chromium keeps its own trust store; an added CA is allowed by its public key's hash, which is never
    a blanket ``--ignore-certificate-errors``.
    """
    args = list(CHROMIUM_FLAGS)
    hashes = added_spki_hashes(settings.ca_bundle) if settings.ca_bundle else ()
    if hashes:
        args.append(f"--ignore-certificate-errors-spki-list={','.join(hashes)}")
    return args


def key_pages(pages: list[Page], words: Sequence[str], limit: int) -> list[Page]:
    """Home plus the pages whose URL has one of ``words`` (settings ``render_pages``), shallowest first."""
    html = [p for p in pages if p.ok and p.is_html]
    home = [p for p in html if p.found_via == "start"]
    rest = [p for p in html if p not in home and any(w in (p.final_url or p.url).lower() for w in words)]
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
    launcher_screenshot: bytes | None = None
    launcher_selector: str | None = None
    error: str | None = None

    def summary(self, screenshot_name: str | None, launcher_name: str | None = None) -> dict[str, Any]:
        """JSON-able record for the capture (the DOM and PNGs are stored separately)."""
        return {
            "launcher_screenshot": launcher_name,
            "launcher_selector": self.launcher_selector,
            "requests": self.requests[:500],
            "console_errors": self.console_errors[:50],
            "globals": sorted(self.globals),
            "iframes": self.iframes[:50],
            "timing": self.timing,
            "screenshot": screenshot_name,
            "error": self.error,
        }


def render_all(
    settings: Settings,
    executable: str,
    watch_globals: list[str],
    jobs: list[list[str]],
    launchers: Sequence[str] = (),
) -> list[list[RenderResult]]:
    """Render each job's URLs (one job per company) in one browser; results in the same order.

    ``watch_globals``: JavaScript globals to look for; ``launchers``: CSS selectors of chat launchers, of
    which the first visible one is photographed on its own (``RenderResult.launcher_screenshot``).
    """
    from audit.interrupts import run_interruptible

    watch = _Watch(sorted(set(watch_globals)), tuple(dict.fromkeys(launchers)))
    # Ctrl-C or SIGTERM cancels the pass cleanly (pages and browser closed), then KeyboardInterrupt
    return run_interruptible(_render_all(settings, executable, watch, jobs))


@dataclass(frozen=True)
class _Watch:
    """What every rendered page is checked for."""

    globals: list[str]
    launchers: tuple[str, ...]


async def _render_all(
    settings: Settings, executable: str, watch: _Watch, jobs: list[list[str]]
) -> list[list[RenderResult]]:
    from playwright.async_api import async_playwright

    audited = frozenset(h for urls in jobs for u in urls if (h := _host_of(u)))
    guard = BrowserGuard(
        allow_private=settings.allow_private,
        upstream=settings.proxy,
        audited=audited,
        connect_timeout=settings.connect_timeout,
    )
    launch: dict[str, Any] = {
        "executable_path": executable,
        "args": chromium_args(settings),
        "headless": True,
    }
    with guard:
        # the guard is Chromium's only way out, loopback included (Chromium would bypass a proxy for it)
        launch["proxy"] = {"server": guard.url, "bypass": "<-loopback>"}
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(**launch)
            slots = asyncio.Semaphore(max(1, settings.render_concurrency))
            try:
                return list(
                    await asyncio.gather(
                        *(_render_company(browser, settings, guard, watch, urls, slots) for urls in jobs)
                    )
                )
            finally:
                await browser.close()


def _host_of(url: str) -> str:
    try:
        return normalize_host(urlsplit(url).hostname or "")
    except (BadHost, ValueError):
        return ""


async def _render_company(
    browser: Any,
    settings: Settings,
    guard: BrowserGuard,
    watch: _Watch,
    urls: list[str],
    slots: asyncio.Semaphore,
) -> list[RenderResult]:
    """One company's pages in a fresh context, in parallel (bounded), within the company's budget."""
    context = await browser.new_context(
        user_agent=settings.user_agent, viewport={"width": 1280, "height": 800}, service_workers="block"
    )
    context.set_default_timeout(settings.render_timeout * 1000)
    await context.route("**/*", lambda route: _guard(route, settings, guard))
    deadline = time.monotonic() + settings.render_budget

    async def one(url: str) -> RenderResult:
        async with slots:
            left = deadline - time.monotonic()
            if left <= 0:
                return RenderResult(url, error=f"render budget of {settings.render_budget:g}s spent")
            try:
                return await asyncio.wait_for(_render_page(context, settings, guard, watch, url), left)
            except TimeoutError:
                return RenderResult(url, error=f"render budget of {settings.render_budget:g}s spent")

    try:
        return list(await asyncio.gather(*(one(u) for u in urls)))
    finally:
        with contextlib.suppress(Exception):
            await context.close()


async def _guard(route: Any, settings: Settings, guard: BrowserGuard) -> None:
    """A request a page makes: refused here when its URL fails the guard, else marked as asked for (so the
    browser guard does not take it for Chromium's background traffic). Its redirect hops and the
    connection itself are judged again by the browser guard."""
    url = route.request.url
    if url.startswith(("data:", "blob:", "about:")):
        await route.continue_()
        return
    try:
        check_address(url, settings.allow_private, True)  # spelling + local lookup; the guard pins
    except GuardError:
        await route.abort("blockedbyclient")
        return
    guard.ask(url)
    await route.continue_()


async def _guard_websocket(
    ws: Any, settings: Settings, guard: BrowserGuard, log: list[dict[str, Any]]
) -> None:
    """A WebSocket a page opens: logged like a request, closed unopened when its URL fails the guard."""
    entry: dict[str, Any] = {"url": ws.url, "type": "websocket", "status": None, "failure": None}
    log.append(entry)
    try:
        check_address(ws.url, settings.allow_private, True)
    except GuardError as exc:
        entry["failure"] = f"blocked: {exc}"
        with contextlib.suppress(Exception):
            await ws.close(code=1008, reason="refused by Engage")
        return
    guard.ask(ws.url)
    ws.connect_to_server()


async def _render_page(
    context: Any, settings: Settings, guard: BrowserGuard, watch: _Watch, url: str
) -> RenderResult:
    result = RenderResult(url)
    page = await context.new_page()
    seen: dict[Any, dict[str, Any]] = {}
    sockets: list[dict[str, Any]] = []
    await page.route_web_socket("**/*", lambda ws: _guard_websocket(ws, settings, guard, sockets))

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

    def on_console(msg: Any) -> None:
        if msg.type == "error":
            result.console_errors.append(msg.text[:300])

    page.on("request", on_request)
    page.on("response", on_response)
    page.on("requestfailed", on_failed)
    page.on("console", on_console)
    page.on("popup", lambda popup: asyncio.ensure_future(popup.close()))
    page.on("dialog", lambda dialog: asyncio.ensure_future(dialog.dismiss()))
    timeout_ms = settings.render_timeout * 1000
    try:
        await page.add_init_script(script=f"({_LCP_OBSERVER_JS})()")
        await page.goto(url, wait_until="load", timeout=timeout_ms)
        await _settle(page, timeout_ms)
        result.html = clean_text(await page.content())
        if watch.globals:
            result.globals = await page.evaluate(_GLOBALS_JS, watch.globals)
        result.iframes = [f.url for f in page.frames[1:] if f.url and f.url != "about:blank"]
        result.timing = await page.evaluate(_TIMING_JS)
        result.screenshot = await page.screenshot(type="png", timeout=timeout_ms)
        await _photograph_launcher(page, watch.launchers, result, timeout_ms)
    except Exception as exc:  # a crashed or hanging page must not stop the audit
        result.error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
    finally:
        for entry in seen.values():
            refused = guard.refusal_for(entry["url"])
            if refused is not None and entry["status"] in (None, 403):
                entry["status"], entry["failure"] = None, f"blocked: {refused}"
        result.requests = sorted([*seen.values(), *sockets], key=lambda r: (r["url"], r["type"]))
        with contextlib.suppress(Exception):  # the page may already have crashed
            await page.close()
    return result


async def _photograph_launcher(
    page: Any, selectors: tuple[str, ...], result: RenderResult, timeout_ms: float
) -> None:
    """A close-up of the first visible chat launcher, with some page around it, as evidence."""
    for selector in selectors:
        with contextlib.suppress(Exception):  # a selector the page's DOM engine rejects is just skipped
            element = await page.query_selector(selector)
            if element is None or not await element.is_visible():
                continue
            box = await element.bounding_box()
            if not box or box["width"] < 4 or box["height"] < 4:
                continue
            pad = 40
            clip = {
                "x": max(0.0, box["x"] - pad),
                "y": max(0.0, box["y"] - pad),
                "width": min(box["width"] + 2 * pad, 640.0),
                "height": min(box["height"] + 2 * pad, 640.0),
            }
            result.launcher_screenshot = await page.screenshot(type="png", clip=clip, timeout=timeout_ms)
            result.launcher_selector = selector
            return


async def _settle(page: Any, timeout_ms: float) -> None:
    """Give late widgets (loaded after ``load`` by tag managers or timers) a moment to appear."""
    with contextlib.suppress(Exception):  # a page that never goes idle is still rendered as it is
        await page.wait_for_load_state("networkidle", timeout=min(5000, timeout_ms))
    await page.wait_for_timeout(SETTLE_MS)
    with contextlib.suppress(Exception):
        await page.wait_for_load_state("networkidle", timeout=min(3000, timeout_ms))


def encode_png(data: bytes) -> str:
    """A PNG as a data URI (for the self-contained HTML report)."""
    return "data:image/png;base64," + base64.b64encode(data).decode()


def screenshot_name(company_url: str, page_url: str, kind: str = "") -> str:
    """A stable file name for a page's screenshot (``kind`` "chat" for the launcher close-up)."""
    import hashlib

    digest = hashlib.sha1(f"{company_url}|{page_url}".encode()).hexdigest()[:12]
    return f"screenshots/{digest}{'-' + kind if kind else ''}.png"


def write_screenshot(out_dir: Path, name: str, data: bytes) -> None:
    """Store a screenshot under the output directory (``screenshots/`` never a followed symlink)."""
    from audit.safe_files import write_file

    write_file(out_dir / name, data, root=out_dir)
