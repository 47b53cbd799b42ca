"""Per-host politeness: a concurrency gate and an adaptive delay, and robots.txt fetched once per host.

The delay follows observed latency divided by the per-host concurrency (as Scrapy's AutoThrottle does),
averaged with the previous delay; an error, 429 or 503 never shortens it, and ``Retry-After`` or a
robots.txt ``Crawl-delay`` sets a floor.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urlsplit

from protego import Protego

from audit.clock import SYSTEM_CLOCK, Clock
from audit.models import Page
from audit.settings import Settings


@dataclass
class _HostState:
    slots: threading.Semaphore
    delay: float
    floor: float = 0.0
    next_at: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


class SharedGate(Protocol):
    """Spacing of requests to hosts shared by many workers (``audit.scan.gate.RedisGate``)."""

    def covers(self, host: str) -> bool: ...

    def wait(self, host: str) -> None: ...


class HostGates:
    """Bounded concurrency and spacing of requests per host; ``clock`` spaces them (virtual in tests).

    ``shared``: hosts it covers (public APIs: GitHub, Bluesky, …) also wait for its turn, so every worker
    of a distributed scan together keeps the API's limit.
    """

    def __init__(
        self, settings: Settings, clock: Clock = SYSTEM_CLOCK, shared: SharedGate | None = None
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.shared = shared
        self._hosts: dict[str, _HostState] = {}
        self._lock = threading.Lock()

    def _state(self, host: str) -> _HostState:
        with self._lock:
            state = self._hosts.get(host)
            if state is None:
                state = _HostState(
                    threading.Semaphore(self.settings.per_host_concurrency), self.settings.min_delay
                )
                self._hosts[host] = state
            return state

    def set_floor(self, host: str, seconds: float) -> None:
        """A minimum delay for ``host`` (robots.txt Crawl-delay)."""
        state = self._state(host)
        with state.lock:
            state.floor = max(state.floor, seconds)
            state.delay = max(state.delay, state.floor)

    def delay(self, host: str) -> float:
        """The current delay between requests to ``host``, in seconds."""
        return self._state(host).delay

    def run(self, host: str, action: Callable[[], Page]) -> Page:
        """Run ``action`` (a fetch) when ``host`` has a free slot and its delay has passed."""
        state = self._state(host)
        with state.slots:
            with state.lock:
                now = self.clock.now()
                wait = max(0.0, state.next_at - now)
                state.next_at = max(now, state.next_at) + state.delay
            if wait:
                self.clock.sleep(wait)
            if self.shared is not None and self.shared.covers(host):
                self.shared.wait(host)
            page = action()
            self._adapt(state, page)
            return page

    def _adapt(self, state: _HostState, page: Page) -> None:
        s = self.settings
        # the server's latency: time to first byte less the time spent opening a connection (DNS, TCP, TLS,
        # a proxy's CONNECT), which a reused connection does not pay and which says nothing of the server
        latency = max(
            0.0, (page.timing.ttfb_ms or page.timing.total_ms or 0.0) - (page.timing.connect_ms or 0.0)
        )
        latency /= 1000.0
        with state.lock:
            target = latency / max(1, s.per_host_concurrency)
            new = (state.delay + target) / 2.0
            failed = page.error is not None or page.status in (429, 503) or (page.status or 0) >= 500
            if failed:
                new = max(state.delay * 2 if page.status in (429, 503) else state.delay, new)
            retry_after = page.headers.get("retry-after", "")
            if retry_after.isdigit():
                new = max(new, float(retry_after))
            state.delay = min(max(new, state.floor, s.min_delay), max(s.max_delay, state.floor))


class RobotsCache:
    """robots.txt per host (scheme + authority), fetched once.

    Unreachable or 404/5xx robots.txt → everything allowed; 401/403 → everything disallowed (the site
    signals that crawlers are unwelcome; Google treats 4xx as allow, we are more conservative for 401/403).
    """

    def __init__(self, user_agent: str, fetch: Callable[[str], Page]) -> None:
        self.user_agent = user_agent
        self._fetch = fetch
        self._rules: dict[str, Protego | bool] = {}
        self.pages: dict[str, Page] = {}
        self._lock = threading.Lock()
        self._loading: dict[str, threading.Lock] = {}

    def _origin(self, url: str) -> str:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}"

    def _load(self, origin: str) -> Protego | bool:
        with self._lock:
            if origin in self._rules:
                return self._rules[origin]
            loading = self._loading.setdefault(origin, threading.Lock())
        with loading:  # threads asking for the same origin at once wait for one fetch, not one each
            with self._lock:
                if origin in self._rules:
                    return self._rules[origin]
            return self._fetch_rules(origin)

    def _fetch_rules(self, origin: str) -> Protego | bool:
        page = self._fetch(origin + "/robots.txt")
        rules: Protego | bool
        if page.status in (401, 403):
            rules = False
        elif page.ok and page.text is not None:
            try:
                rules = Protego.parse(page.text)
            except Exception:  # a malformed robots.txt must not stop the audit: treat as allow-all
                rules = True
        else:
            rules = True
        with self._lock:
            self._rules[origin] = rules
            self.pages[origin] = page
        return rules

    def allowed(self, url: str) -> bool:
        """May ``url`` be fetched by our User-Agent?"""
        rules = self._load(self._origin(url))
        if isinstance(rules, bool):
            return rules
        return bool(rules.can_fetch(url, self.user_agent))

    def unreachable(self, url: str) -> bool:
        """True when the host's robots.txt request got no HTTP answer from the host (DNS, proxy 502…)."""
        page = self.pages.get(self._origin(url))
        return page is not None and (page.status is None or page.status == 502)

    def failure(self, url: str) -> str:
        """Why the host's robots.txt request failed, for the record."""
        page = self.pages.get(self._origin(url))
        if page is None:
            return "not tried"
        return page.error or f"HTTP {page.status}"

    def crawl_delay(self, url: str) -> float | None:
        """robots.txt Crawl-delay for our User-Agent, if any."""
        rules = self._load(self._origin(url))
        if isinstance(rules, bool):
            return None
        delay = rules.crawl_delay(self.user_agent)
        return float(delay) if delay is not None else None

    def sitemaps(self, url: str) -> list[str]:
        """Sitemap URLs declared in robots.txt."""
        rules = self._load(self._origin(url))
        return [] if isinstance(rules, bool) else list(rules.sitemaps)

    def summary(self) -> dict[str, str]:
        """Per origin: "rules", "allow-all (<why>)" or "disallow-all (<status>)"."""
        out: dict[str, str] = {}
        for origin, rules in sorted(self._rules.items()):
            page = self.pages.get(origin)
            why = page.error or f"HTTP {page.status}" if page else "not fetched"
            if rules is True:
                out[origin] = f"allow-all ({why})"
            elif rules is False:
                out[origin] = f"disallow-all ({why})"
            else:
                out[origin] = "rules"
        return out
