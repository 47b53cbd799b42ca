"""Fetch a company's engagement pages: the page cap is spent where a consultant would look.

Order of discovery: the home page's navigation, header and footer links; sitemaps (robots.txt
``Sitemap:`` and ``/sitemap.xml``, indexes followed); well-known paths; candidate subdomains. A priority
queue (one heap per host) fetches URLs that look like engagement pages first; the probes' declared API
requests are fetched during the crawl. What a URL promises, the links a page offers and a sitemap's URLs
are read by ``audit/discover.py``.
"""

from __future__ import annotations

import contextlib
import heapq
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, fields, replace
from typing import Any
from urllib.parse import urljoin, urlsplit

from audit.addresses import host_address
from audit.clock import SYSTEM_CLOCK, Clock
from audit.credentials import credential
from audit.discover import (
    CANDIDATE_SUBDOMAINS,
    KEY_TIMING_WORDS,
    SKIP_EXTENSIONS,
    WELL_KNOWN_PATHS,
    PageLinks,
    is_hosted_platform,
    page_links,
    parse_sitemap,
    url_priority,
)
from audit.fetch import Fetcher
from audit.models import ActivityLimits, Page, Request, Role, SiteCapture, utc_now
from audit.politeness import HostGates, RobotsCache
from audit.settings import Settings
from audit.urls import canonicalize, host, registrable_domain


@dataclass(order=True)
class _Candidate:
    sort_key: tuple[int, int]
    url: str = field(compare=False)
    depth: int = field(compare=False)
    via: str = field(compare=False)
    host: str = field(compare=False, default="")


class _Frontier:
    """Candidates best-first, one heap per host: the best candidate of a host with a free slot is found
    by looking at each host's head (a handful of hosts), not by popping past every busy host's pages."""

    def __init__(self) -> None:
        self._heaps: dict[str, list[_Candidate]] = {}
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def push(self, cand: _Candidate) -> None:
        heapq.heappush(self._heaps.setdefault(cand.host, []), cand)
        self._size += 1

    def pop_best(self, free: Callable[[str], bool]) -> _Candidate | None:
        """The best candidate whose host ``free(host)`` allows, or ``None``."""
        heads = [heap[0] for h, heap in self._heaps.items() if heap and free(h)]
        if not heads:
            return None
        best = min(heads)
        heapq.heappop(self._heaps[best.host])
        self._size -= 1
        return best


def truncation_note(page: Page) -> str:
    """What a page problem says of a body cut short (size cap, decompression cap, deadline)."""
    url = page.final_url or page.url
    why = "; ".join([page.error] if page.error else page.warnings) or "cut at a size limit"
    used = "not used" if page.error else "the part read was used"
    return f"{url}: body truncated ({why}, after {page.timing.bytes} bytes received); {used}"


def api_headers(url: str, api_bases: Mapping[str, str]) -> dict[str, str]:
    """Credentials for optional APIs, from the environment only (never written to outputs)."""
    github = api_bases.get("github", "https://api.github.com")
    token = credential("GITHUB_TOKEN")  # stripped and checked: a CR or LF never reaches a header
    if token and url.startswith(github.rstrip("/") + "/"):
        return {"Authorization": f"Bearer {token}"}
    return {}


#: a frontier fetch in flight: the page (None when robots.txt forbids it) and the links it gives the frontier
_Fetching = Future[tuple[Page | None, PageLinks | None]]

#: a sitemap reading in flight: the URLs (with lastmod) found, and the sitemaps read
_Reading = Future[tuple[list[tuple[str, str | None]], list[str]]]


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _settle(future: Future[Any] | None) -> None:
    """Wait for ``future`` and drop its outcome (its failure is the crawl's to ignore: sitemaps are hints)."""
    if future is not None:
        with contextlib.suppress(Exception):  # a lost sitemap costs coverage only
            future.result()


#: A probe's declaration of what it needs fetched: ``plan(capture, api_bases) -> [Request, …]``. Called
#: again after each round with the responses so far in the capture (paging, topic details), until it asks
#: for nothing new or ``Settings.max_api_rounds`` is reached. Each response joins the capture with its
#: request's key. The activity limits the planners read are the capture's (``SiteCapture.limits``).
Planner = Callable[[SiteCapture, Mapping[str, str]], list[Request]]


class SiteCrawler:
    """Crawls one company's site within its page cap, depth cap and time budget."""

    def __init__(
        self,
        settings: Settings,
        fetcher: Fetcher,
        gates: HostGates,
        executor: ThreadPoolExecutor,
        planners: Sequence[tuple[str, Planner]] = (),
        stop: threading.Event | None = None,
        clock: Clock = SYSTEM_CLOCK,
        on_page: Callable[[Page], None] | None = None,
        plan_scope: Callable[[SiteCapture], AbstractContextManager[object]] | None = None,
    ) -> None:
        self.settings = settings
        self.clock = clock  # the company budget is spent on it (virtual in tests)
        self.fetcher = fetcher
        self.gates = gates
        self.executor = executor
        self.planners = tuple(planners)
        self.stop = stop or threading.Event()
        self.on_page = on_page or (lambda _page: None)  # told of each page joining the capture (progress)
        # a round of planning runs in this scope: the planners share what they derive (probes' memo)
        self.plan_scope = plan_scope or (lambda _capture: nullcontext())

    def crawl(self, name: str, url: str, role: Role) -> SiteCapture:
        """The capture of the site at ``url``; failures are recorded in it, never raised."""
        s = self.settings
        started = self.clock.now()
        limits = ActivityLimits(**{f.name: getattr(s, f.name) for f in fields(ActivityLimits)})
        capture = SiteCapture(name=name, url=url, role=role, started_at=utc_now(), limits=limits)
        self._capture = capture
        self._site = registrable_domain(host(url))
        self._seen: set[str] = set()
        self._frontier = _Frontier()
        self._seq = 0
        self._start_host = host(url)
        self._robots = RobotsCache(s.user_agent, self._fetch_robots)
        self._excluded: list[str] = []
        self._lastmod: dict[str, str] = {}
        self._deadline = started + s.company_budget
        self._grown = threading.Condition()  # told when a page joins the capture (API rounds re-plan)
        self._crawling = False
        self._site_requests = self._site_ok = 0  # site pages in the capture (the page cap), kept as they join
        self._stray: Future[Any] | None = None  # a sitemap reading made needless by a redirect, still running
        # response-time samples of the key pages (home, then the first KEY_TIMING_WORDS pages): planned as
        # each key page joins, fetched on host slots the frontier leaves free, the rest after the crawl
        self._key_pages: list[str] = []
        self._home_url: str | None = None
        self._samples_due: list[str] = []  # planned, not yet submitted (guarded by ``self._grown``)
        self._samples: list[tuple[str, Future[Page | None]]] = []  # submitted, in submission order
        self._sampling: dict[Future[Page | None], str] = {}  # submitted and not yet done → host
        # the sitemaps are read beside the home page (after robots.txt, on the host's second slot), so the
        # second connection is open and the sitemap's URLs are known when the home page's links are
        self._home_asked = threading.Event()  # the home page's request has its slot: the sitemaps may start
        sitemaps: _Reading | None = self.executor.submit(self._read_sitemaps, url)
        try:
            home = self._fetch_page(url, depth=0, via="start")
        except Exception as exc:  # a bug of ours must not end the other companies' audits
            capture.errors.append(f"home page {url}: internal error: {type(exc).__name__}: {exc}")
            return self._finish(capture, started, sitemaps)
        finally:
            self._home_asked.set()
        if home is None or not home.ok:
            reason = "disallowed by robots.txt" if home is None else (home.error or f"HTTP {home.status}")
            capture.errors.append(f"home page {url}: {reason}")
            return self._finish(capture, started, sitemaps)
        self._home = home.final_url or url
        if _origin(self._home) != _origin(url):  # redirected elsewhere: that origin's sitemaps are the site's
            self._stray, sitemaps = sitemaps, None
        # the home page is fetched once: its own nav link to "/" (or the URL it redirected to) is not new
        self._seen.update(canonicalize(u) for u in (url, self._home, *home.redirects))
        phases = capture.stats.setdefault("phase_s", {})
        phases["home"] = round(self.clock.now() - started, 3)
        try:
            self._expand(home, self._read_links(home))
            for path in WELL_KNOWN_PATHS:
                self._push(urljoin(self._home, path), 0, "well-known")
            for sub in CANDIDATE_SUBDOMAINS if host_address(self._site) is None else ():  # not of an IP
                self._push(self._subdomain_url(sub), 0, "subdomain")
            # The declared API requests start from the home page while the site is crawled (their hosts
            # are others, with their own politeness gates); what later pages add is planned after the crawl,
            # while the key pages' timing samples the crawl left are taken on the site's own host.
            fetched: set[str] = set()
            early = threading.Thread(
                target=self._declared_in_background, args=(fetched,), name="api-early", daemon=True
            )
            self._crawling = True
            early.start()
            t0 = self.clock.now()
            try:
                self._drain(sitemaps)
            finally:
                with self._grown:
                    self._crawling = False
                    self._grown.notify_all()
            phases["pages"] = round(self.clock.now() - t0, 3)
            t0 = self.clock.now()
            self._submit_timing_samples()  # the samples left run while the API rounds finish
            early.join()
            self._fetch_declared(fetched)
            phases["api"] = round(self.clock.now() - t0, 3)
            self._collect_timing_samples()
            phases["timing_samples"] = round(self.clock.now() - t0, 3)
        except Exception as exc:  # keep what was gathered; the company is flagged incomplete
            self._incomplete(f"crawl stopped early by an internal error: {type(exc).__name__}: {exc}")
        return self._finish(capture, started)

    def _incomplete(self, reason: str) -> None:
        """Record why this company's capture is partial (``audit.json`` lists it; the status is partial)."""
        self._capture.stats.setdefault("incomplete", []).append(reason)

    # --- frontier --------------------------------------------------------------------------------------
    def _push(self, url: str, depth: int, via: str) -> None:
        url = canonicalize(url)
        if url in self._seen or SKIP_EXTENSIONS.search(urlsplit(url).path):
            return
        if not self._in_scope(url, via):
            return
        if via in ("chrome", "link") and depth > self.settings.max_depth:
            return  # followed links obey the depth cap; sitemaps and well-known paths are not hops
        self._seen.add(url)
        self._seq += 1
        self._frontier.push(
            _Candidate((-url_priority(url, via, depth), self._seq), url, depth, via, host(url))
        )

    def _in_scope(self, url: str, via: str) -> bool:
        h = host(url)
        if not h:
            return False
        if registrable_domain(h) == self._site:
            return True
        return via == "chrome" and is_hosted_platform(h)

    def _subdomain_url(self, sub: str) -> str:
        parts = urlsplit(self._home)
        return f"{parts.scheme}://{sub}.{self._site}/"

    def _drain(self, sitemaps: _Reading | None) -> None:
        """Fetch the frontier best-first, a few requests in flight; sitemaps are read meanwhile (``sitemaps``:
        the reading begun beside the home page, or None to begin it now for the home page's origin)."""
        in_flight: dict[_Fetching, _Candidate] = {}
        if sitemaps is None:
            sitemaps = self.executor.submit(self._read_sitemaps, self._home)
        while self._frontier or in_flight or sitemaps is not None:
            self._submit_ready(in_flight)
            waiting: list[Future[Any]] = [*in_flight, *([sitemaps] if sitemaps is not None else [])]
            sampling = [f for f in self._sampling if not f.done()]
            if not waiting and not (sampling and self._frontier and self._budget_left()):
                break  # nothing in flight, and no timing sample holds a slot a page could take
            # a sample ending frees a slot too: wake for it (when it holds the only free slots of the hosts
            # with pages left, the crawl waits for it rather than end with those pages unvisited)
            done, _ = wait([*waiting, *sampling], timeout=1.0, return_when=FIRST_COMPLETED)
            if sitemaps is not None and sitemaps in done:
                try:
                    found, self._capture.stats["sitemaps"] = sitemaps.result()
                    self._push_sitemap_urls(found)
                except Exception as exc:  # sitemaps are a hint; losing them costs coverage, not the crawl
                    self._capture.stats["sitemap_error"] = f"{type(exc).__name__}: {exc}"
                sitemaps = None
            for fut in done:
                cand = in_flight.pop(fut, None)
                if cand is None:
                    continue
                try:
                    page, links = fut.result()
                except Exception as exc:  # one URL's failure is that URL's, never the crawl's
                    self._capture.stats.setdefault("fetch_errors", []).append(
                        f"{cand.url}: internal error: {type(exc).__name__}: {exc}"
                    )
                    continue
                if page is not None:
                    self._expand(page, links)
            if not self._budget_left() and not in_flight and sitemaps is None:
                break
        skipped = len(self._frontier)
        if skipped:
            self._capture.stats["unvisited"] = skipped

    def _submit_ready(
        self, in_flight: dict[Future[tuple[Page | None, PageLinks | None]], _Candidate]
    ) -> None:
        """Submit the best candidates whose host has a free slot, so no worker thread waits on a gate."""
        per_host = self.settings.per_host_concurrency
        busy: dict[str, int] = {}
        for cand in in_flight.values():
            busy[cand.host] = busy.get(cand.host, 0) + 1
        for fut in [f for f in self._sampling if f.done()]:
            del self._sampling[fut]
        for sample_host in self._sampling.values():
            busy[sample_host] = busy.get(sample_host, 0) + 1
        while self._frontier and self._budget_left(len(in_flight)):
            best = self._frontier.pop_best(lambda h: busy.get(h, 0) < per_host)
            if best is None:
                break  # every host with candidates has all its slots busy
            busy[best.host] = busy.get(best.host, 0) + 1
            in_flight[self.executor.submit(self._fetch_and_read, best.url, best.depth, best.via)] = best
        # timing samples take the slots pages leave free (a host whose frontier is empty, a slot waiting
        # for the links of the page in flight), so they are not all left to after the crawl
        with self._grown:
            for url in list(self._samples_due):
                if busy.get(host(url), 0) < per_host:
                    self._samples_due.remove(url)
                    busy[host(url)] = busy.get(host(url), 0) + 1
                    self._submit_sample(url)

    def _budget_left(self, in_flight: int = 0) -> bool:
        """Room for one more request: pages in flight count as if they will succeed (no overshoot)."""
        s = self.settings
        ok_pages = self._site_ok + in_flight  # site pages only: API answers have their own cap
        requests = self._site_requests + in_flight
        if ok_pages >= s.max_pages or requests >= 2 * s.max_pages + len(WELL_KNOWN_PATHS):
            return False
        if self.stop.is_set():
            self._capture.stats["interrupted"] = True
            return False
        if self.clock.now() > self._deadline:
            if "budget" not in self._capture.stats:
                self._capture.stats["budget"] = f"time budget of {s.company_budget:g}s spent"
                self._incomplete(
                    f"time budget of {s.company_budget:g}s spent after {ok_pages} page(s): "
                    "the rest of the site was not crawled"
                )
            return False
        return True

    def _read_links(self, page: Page) -> PageLinks | None:
        """The page's links (read in the fetching thread, so the scheduler never waits on a parse);
        a page that cannot be read is noted on it, and the crawl goes on."""
        if self.clock.now() > self._deadline:
            return None  # past the budget nothing new will be fetched: reading more links is wasted work
        try:
            links = page_links(page.text or "", page.final_url or page.url)
        except Exception as exc:  # one odd page must never end a company's crawl
            page.warnings.append(f"links not read: {type(exc).__name__}: {str(exc)[:200]}")
            return None
        page.warnings += links.warnings()
        return links

    def _expand(self, page: Page, links: PageLinks | None) -> None:
        """Push the links read from ``page`` into the frontier (the scheduler's thread only)."""
        if links is None:
            return
        for link in links.chrome:
            self._push(link, page.depth + 1, "chrome")
        for link in links.body:
            self._push(link, page.depth + 1, "link")

    def _fetch_and_read(self, url: str, depth: int, via: str) -> tuple[Page | None, PageLinks | None]:
        """A frontier fetch in a worker thread: the page, and its links when they are to be followed."""
        page = self._fetch_page(url, depth, via)
        if page is None or not page.ok or not page.is_html or depth >= self.settings.max_depth:
            return page, None
        return page, self._read_links(page)

    def _read_sitemaps(self, home: str) -> tuple[list[tuple[str, str | None]], list[str]]:
        """Page URLs and lastmod from robots.txt ``Sitemap:`` lines or ``/sitemap.xml`` of ``home``'s origin,
        indexes followed; nothing when robots.txt forbids the home page."""
        if self.settings.obey_robots and not self._robots.allowed(home):
            return [], []
        if self._robots.unreachable(home):
            return [], []  # no answer from the host: the home page says why; a guess would only wait again
        self._home_asked.wait()  # the home page first, on the connection robots.txt opened
        queue = self._robots.sitemaps(home) or [urljoin(home, "/sitemap.xml")]
        visited: list[str] = []
        found: list[tuple[str, str | None]] = []
        while queue and len(visited) < 10:
            sitemap_url = queue.pop(0)
            if sitemap_url in visited or host(sitemap_url) == "":
                continue
            visited.append(sitemap_url)
            page = self._fetch_raw(sitemap_url)
            if not page.ok or not page.text:
                continue
            urls, children = parse_sitemap(page.text)
            found.extend(urls[:5000])
            queue.extend(children)
        return found, visited

    def _push_sitemap_urls(self, found: list[tuple[str, str | None]]) -> None:
        for loc, lastmod in found:
            if lastmod:
                self._lastmod[canonicalize(loc)] = lastmod
            self._push(loc, 1, "sitemap")

    # --- fetching --------------------------------------------------------------------------------------
    def _fetch_raw(self, url: str, retries: int | None = None) -> Page:
        """A fetch outside the page budget (robots.txt, sitemaps), still gated per host; a body cut short
        is a page problem of the company (it is not one of its pages)."""
        page = self.gates.run(
            host(url), lambda: self.fetcher.get(url, company=self._capture.url, retries=retries)
        )
        if page.truncated:
            self._capture.stats.setdefault("truncated_fetches", []).append(truncation_note(page))
        return page

    def _fetch_robots(self, url: str) -> Page:
        """robots.txt; off the start host a failure means "no such host", not worth retrying."""
        return self._fetch_raw(url, retries=None if host(url) == self._start_host else 0)

    def _fetch_page(self, url: str, depth: int, via: str) -> Page | None:
        """Fetch one page if robots.txt allows; the page is appended to the capture either way."""
        s = self.settings
        if s.obey_robots and not self._robots.allowed(url):
            self._excluded.append(url)
            return None
        if host(url) != self._start_host and self._robots.unreachable(url):
            # robots.txt got no answer from this host: it does not exist (or is down); one request told us
            if via == "subdomain":
                self._capture.stats.setdefault("subdomains_absent", []).append(url)
                return None
            page = Page(url=url, final_url=url, depth=depth, found_via=via, fetched_at=utc_now())
            page.error = f"host unreachable: {self._robots.failure(url)}"
            self._joined(page)
            return page
        delay = self._robots.crawl_delay(url) if s.obey_robots else None
        if delay:
            self.gates.set_floor(host(url), delay)
        retries = 0 if via in ("subdomain", "well-known") else None  # a missing guess is not transient

        def fetch() -> Page:
            if via == "start":
                self._home_asked.set()
            return self.fetcher.get(url, company=self._capture.url, retries=retries)

        page = self.gates.run(host(url), fetch)
        page.depth, page.found_via = depth, via
        if (via == "subdomain" and page.status is None) or (via == "subdomain" and page.status == 502):
            self._capture.stats.setdefault("subdomains_absent", []).append(url)
            return page
        self._joined(page)
        return page

    def _joined(self, page: Page) -> None:
        """A site page joins the capture: counted against the page cap, told to progress and the planners."""
        with self._grown:
            self._capture.pages.append(page)
            self._site_requests += 1
            self._site_ok += 1 if page.ok else 0
            self._plan_samples(page)
            self._grown.notify_all()
        self.on_page(page)

    # --- response-time samples ---------------------------------------------------------------------------
    def _plan_samples(self, page: Page) -> None:
        """Plan ``timing_samples - 1`` more fetches of ``page`` if it is a key page: the home page, then the
        first three pages whose URL names contact, help, support or FAQ (caller holds ``self._grown``)."""
        extra = self.settings.timing_samples - 1
        if extra <= 0 or not page.ok or not page.is_html or page.found_via.startswith("api:"):
            return
        others = sum(1 for u in self._key_pages if u != self._home_url)
        if page.found_via == "start":
            self._home_url = page.url
        elif others >= 3 or not any(w in page.url for w in KEY_TIMING_WORDS) or page.url in self._key_pages:
            return
        self._key_pages.append(page.url)
        self._samples_due += [page.url] * extra

    def _submit_sample(self, url: str) -> None:
        fut = self.executor.submit(self._sample, url)
        self._samples.append((url, fut))
        self._sampling[fut] = host(url)

    def _submit_timing_samples(self) -> None:
        """Submit the samples the crawl left (the host gates keep them within per-host concurrency and
        politeness, so a slow host never costs pages × samples × latency in series)."""
        with self._grown:
            due, self._samples_due = self._samples_due, []
        if self.stop.is_set():
            return
        for url in due:
            self._submit_sample(url)

    def _collect_timing_samples(self) -> None:
        """Wait for every sample; ``stats["timing_samples"]`` lists each key page's, in key-page order."""
        by_url: dict[str, list[float]] = {}
        for url, fut in self._samples:
            try:
                again = fut.result()
            except Exception:  # a sample is a nicety; the first measurement stands
                continue
            if again is not None and again.ok and again.timing.ttfb_ms is not None:
                by_url.setdefault(url, []).append(again.timing.ttfb_ms)
        samples = {url: by_url[url] for url in self._key_pages if url in by_url}
        if samples:
            self._capture.stats["timing_samples"] = samples

    def _sample(self, url: str) -> Page | None:
        """One more timing sample of ``url``, unless the budget is spent."""
        if self.clock.now() > self._deadline or self.stop.is_set():
            return None
        return self._fetch_raw(url)

    # --- declared requests (APIs the probes need) -------------------------------------------------------
    def _declared_in_background(self, fetched: set[str]) -> None:
        """API rounds during the crawl, planned from what is captured so far.

        Planned first from the home page, then again each time the capture has doubled (the community or
        forum page that tells a planner which engine to ask is usually among the first pages fetched), so
        planning costs about twice one plan of the whole capture, not one plan per page.
        """
        planned_at = 0
        try:
            while True:
                with self._grown:
                    while self._crawling and len(self._capture.pages) < 2 * planned_at:
                        self._grown.wait()
                    if not self._crawling:
                        return
                    planned_at = max(1, len(self._capture.pages))
                self._fetch_declared(fetched)
        except Exception as exc:  # the rounds after the crawl retry what these could not plan
            self._capture.stats.setdefault("plan_errors", []).append(
                f"API rounds during the crawl: {type(exc).__name__}: {exc}"
            )

    def _fetch_declared(self, fetched: set[str]) -> None:
        """Fetch what the probes' planners ask for, round after round, within the budgets.

        ``fetched`` (shared by the rounds during and after the crawl) holds the URLs already asked for.
        """
        cap = self.settings.max_api_requests
        for _round in range(self.settings.max_api_rounds):
            wanted = [r for r in self._planned() if r.url not in fetched][: cap - len(fetched)]
            if not wanted or self.clock.now() > self._deadline or self.stop.is_set():
                break
            fetched.update(r.url for r in wanted)
            self._capture.stats["api_rounds"] = int(self._capture.stats.get("api_rounds", 0)) + 1
            futures = [self.executor.submit(self._fetch_api, request) for request in wanted]
            for fut in futures:
                fut.result()
        if fetched:
            self._capture.stats["api_requests"] = len(fetched)

    def _planned(self) -> list[Request]:
        out: list[Request] = []
        # planners read a snapshot: the crawl and the API fetches keep adding pages meanwhile
        snapshot = replace(self._capture, pages=list(self._capture.pages))
        with self.plan_scope(snapshot):
            for name, plan in self.planners:
                try:
                    declared = plan(snapshot, self.settings.api_bases)
                except Exception as exc:  # a planner bug must not stop the crawl; the probe reports the gap
                    self._capture.stats.setdefault("plan_errors", []).append(
                        f"{name}: {type(exc).__name__}: {exc}"
                    )
                    continue
                by_url = {r.url: r for r in reversed(declared)}  # the first request of each URL
                out.extend(Request(name, by_url[u].key, u) for u in dict.fromkeys(r.url for r in declared))
        return out

    def _fetch_api(self, request: Request) -> None:
        """One declared request; robots.txt obeyed; the response joins the capture as ``api:<probe>``,
        with the request's key."""
        probe, url = request.probe, request.url
        if self.settings.obey_robots and not self._robots.allowed(url):
            self._excluded.append(url)
            return
        headers = api_headers(url, self.settings.api_bases)
        page = self.gates.run(
            host(url),
            lambda: self.fetcher.get(
                url,
                company=self._capture.url,
                accept="application/json, */*",
                headers=headers,
                request_key=request.key,
            ),
        )
        page.found_via = f"api:{probe}"
        self._capture.pages.append(page)

    def _finish(
        self, capture: SiteCapture, started: float, reading: Future[Any] | None = None
    ) -> SiteCapture:
        _settle(reading)  # nothing of this company's may still be writing into its capture
        _settle(self._stray)
        for _, sample in self._samples:  # a crawl ended early may have samples still in flight
            _settle(sample)
        capture.finished_at = utc_now()
        capture.pages.sort(key=lambda p: (p.depth, p.url))
        capture.robots = {"origins": self._robots.summary(), "excluded": sorted(self._excluded)}
        capture.stats.update(
            {
                "pages": len(capture.pages),
                "pages_ok": sum(1 for p in capture.pages if p.ok),
                "robots_excluded": len(self._excluded),
                "duration_s": round(self.clock.now() - started, 2),
                "lastmod": dict(sorted(self._lastmod.items())),
            }
        )
        return capture
