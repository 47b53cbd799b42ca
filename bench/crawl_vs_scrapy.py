"""Crawl throughput: Engage vs Scrapy on the same generated fixture site, same concurrency and politeness.

Prints pages/s of each and the ratio (target: Engage ≥ 1.0× Scrapy), how Engage's time grows from 50 to
400 pages (should be linear), and the demo market's crawl time against its bound
(pages × latency ÷ per-host concurrency per host; target ≤ 1.3×). Not a test: numbers vary by machine.

    .venv/bin/pip install scrapy   # bench-only dependency
    .venv/bin/python bench/crawl_vs_scrapy.py [--pages 500] [--latency-ms 50] [--concurrency 4]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

from audit.crawl import SiteCrawler
from audit.fetch import Fetcher
from audit.politeness import HostGates
from audit.settings import Settings

HOST = "bench.test"


def build_site(root: Path, pages: int) -> None:
    """A believable site tree: home → sections → articles, every page reachable within depth 3."""
    site = root / "sites" / HOST
    (site / "s").mkdir(parents=True)
    sections = max(1, pages // 25)
    per_section = max(1, (pages - 1 - sections) // sections)

    def page(title: str, links: list[str]) -> str:
        nav = " ".join(f'<a href="{href}">{href}</a>' for href in links)
        return (
            f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>'
            f'<body><header><nav><a href="/">Home</a></nav></header><main><h1>{title}</h1>{nav}'
            f"<p>{'Lorem ipsum dolor sit amet. ' * 40}</p></main></body></html>"
        )

    (site / "index.html").write_text(page("Bench", [f"/s/{i}/" for i in range(sections)]))
    for i in range(sections):
        (site / "s" / str(i)).mkdir()
        (site / "s" / str(i) / "index.html").write_text(
            page(f"Section {i}", [f"/s/{i}/a{j}" for j in range(per_section)])
        )
        for j in range(per_section):
            (site / "s" / str(i) / f"a{j}.html").write_text(page(f"Article {i}.{j}", [f"/s/{i}/"]))
    (site / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    (root / "market.toml").write_text(
        '[market]\nname = "bench"\nindustry = "bench"\nclient = "bench.test"\n\n'
        '[[companies]]\nname = "Bench"\nurl = "http://bench.test/"\nrole = "client"\nprofile = "leader"\n'
    )


SERVER_SCRIPT = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from audit.fixture_web import FixtureWeb
    from audit.pipeline import apply_demo_latency

    market, latency = sys.argv[1], sys.argv[2]
    web = FixtureWeb(Path(market) if market else None)
    web.start()
    if latency == "demo":
        apply_demo_latency(web)
    else:
        host, ms = latency.split("=")
        web.set_latency(host, float(ms))
    print(json.dumps({"proxy": web.proxy_url, "ca": str(web.ca_pem_path)}), flush=True)
    sys.stdin.read()  # serve until the bench closes our stdin
    web.stop()
    """
)


@contextlib.contextmanager
def served(market: Path | None, latency: str) -> Iterator[tuple[str, str]]:
    """(proxy URL, CA file) of a fixture web in its own process, so the crawler measured never shares a
    GIL with the server (Scrapy runs in its own process too: both sides see the same server)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVER_SCRIPT, str(market or ""), latency],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        info = json.loads(proc.stdout.readline())
        yield info["proxy"], info["ca"]
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=30)


def engage_crawl(proxy: str, pages: int, concurrency: int) -> tuple[int, float]:
    """(pages fetched, seconds) for one Engage crawl of the bench site."""
    settings = Settings(
        proxy=proxy, max_pages=pages, max_depth=5, per_host_concurrency=concurrency, workers=concurrency * 2
    )
    started = time.monotonic()
    with ThreadPoolExecutor(settings.workers) as pool:
        capture = SiteCrawler(settings, Fetcher(settings), HostGates(settings), pool).crawl(
            "Bench", f"http://{HOST}/", "client"
        )
    return sum(1 for p in capture.pages if p.ok), time.monotonic() - started


SCRAPY_SCRIPT = textwrap.dedent(
    """
    import json, sys, time
    import scrapy
    from scrapy.crawler import CrawlerProcess
    from scrapy.linkextractors import LinkExtractor

    proxy, limit, concurrency = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    seen = []

    class Bench(scrapy.Spider):
        name = "bench"
        start_urls = ["http://bench.test/"]
        links = LinkExtractor(allow_domains=["bench.test"])

        def parse(self, response):
            seen.append(response.url)
            for link in self.links.extract_links(response):
                yield scrapy.Request(link.url)

    process = CrawlerProcess(settings={
        "LOG_ENABLED": False, "ROBOTSTXT_OBEY": True, "CONCURRENT_REQUESTS": concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency, "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": 0.0, "AUTOTHROTTLE_TARGET_CONCURRENCY": float(concurrency),
        "DOWNLOAD_DELAY": 0, "CLOSESPIDER_PAGECOUNT": limit, "DEPTH_LIMIT": 5,
        "TELNETCONSOLE_ENABLED": False, "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
    })
    process.crawl(Bench)
    started = time.monotonic()
    process.start()
    print(json.dumps({"pages": min(len(seen), limit), "seconds": time.monotonic() - started}))
    """
)


def scrapy_crawl(proxy: str, pages: int, concurrency: int) -> tuple[int, float] | None:
    """(pages, seconds) for Scrapy, or None when Scrapy is not installed."""
    try:
        import scrapy  # noqa: F401
    except ImportError:
        return None
    env = {**os.environ, "http_proxy": proxy, "HTTP_PROXY": proxy}  # Scrapy's HttpProxyMiddleware reads these
    out = subprocess.run(
        [sys.executable, "-c", SCRAPY_SCRIPT, proxy, str(pages), str(concurrency)],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
        env=env,
    )
    data = json.loads(out.stdout.strip().splitlines()[-1])
    return int(data["pages"]), float(data["seconds"])


def demo_bound(concurrency: int) -> None:
    """The demo market's crawl against its bound, per company.

    Two bounds, each counting every request that reached a host (pages and each of their redirect hops,
    robots.txt, sitemaps, timing samples, API calls; not names that do not exist): the issue's, per host
    requests × latency ÷ per-host concurrency (max over hosts); and the one no crawler can beat, which
    adds what must happen one after the other — the first connection's set-up and robots.txt before any
    page (two latencies), and one latency per API round beyond the first on the API hosts (a round's URLs
    come from the previous round's answers).
    """
    from audit.fixture_web.market import load_market
    from audit.pipeline import DEMO_LATENCY_MS, demo_settings
    from audit.runner import Target, gather

    def latency(hostname: str) -> float:
        for site, ms in DEMO_LATENCY_MS.items():
            if hostname == site or hostname.endswith("." + site):
                return ms / 1000
        return 0.0

    with served(None, "demo") as (proxy, ca), tempfile.TemporaryDirectory() as tmp:
        settings = replace(
            demo_settings(proxy, ("json",), ca),
            render="never",
            per_host_concurrency=concurrency,
        )
        targets = [Target(c.url, c.role, c.name) for c in load_market().companies]
        captures, _ = gather(targets, settings, Path(tmp) / "c.warc.gz")
        stages = _later_stages(captures, settings, Path(tmp))
    print(f"\nDemo market crawl vs bound (per-host concurrency {concurrency}):")
    print(
        f"  {'company':<18} {'requests':>8} {'crawl s':>8} {'naive s':>8} {'ratio':>6} "
        f"{'bound s':>8} {'ratio':>6}"
    )
    for capture in captures:
        hosts: dict[str, int] = {}
        answered = [p for p in capture.pages if p.status is not None]
        # a redirected page is a request per hop, each on its own host (``/help`` → ``help.`` subdomain)
        chains = {p.url: [*p.redirects, p.final_url or p.url] for p in answered}
        for chain in chains.values():
            for url in chain:
                hosts[url.split("/")[2]] = hosts.get(url.split("/")[2], 0) + 1
        for url, samples in (capture.stats.get("timing_samples") or {}).items():
            for hop in chains.get(url, [url]):  # a sample follows the same redirects as its page
                hosts[hop.split("/")[2]] = hosts.get(hop.split("/")[2], 0) + len(samples)
        for origin, rules in (capture.robots or {}).get("origins", {}).items():
            if rules == "rules" or "(HTTP " in rules:
                hosts[origin.split("/")[2]] = hosts.get(origin.split("/")[2], 0) + 1
        naive = max((n * latency(h) / concurrency for h, n in hosts.items()), default=0.0)
        api_hosts = {p.url.split("/")[2] for p in answered if p.found_via.startswith("api:")}
        rounds = int(capture.stats.get("api_rounds", 0))
        strict = max(
            (
                latency(h) * (2 + (n - 1) / concurrency + (max(0, rounds - 1) if h in api_hosts else 0))
                for h, n in hosts.items()
            ),
            default=0.0,
        )
        actual = capture.stats["duration_s"]
        phases = " ".join(f"{k} {v:.2f}s" for k, v in (capture.stats.get("phase_s") or {}).items())
        print(
            f"  {capture.name:<18} {sum(hosts.values()):>8} {actual:8.2f} {naive:8.2f} "
            f"{actual / naive:5.2f}× "
            f"{strict:8.2f} {actual / strict:5.2f}×  ({phases})"
        )
    print("\nPer company, seconds (crawl with its API rounds; render, probes and scoring each run alone):")
    print(
        f"  {'company':<18} {'crawl':>6} {'api rounds':>10} {'api s':>6} "
        f"{'render':>7} {'probes':>7} {'scoring':>8}"
    )
    for capture in captures:
        phase = capture.stats.get("phase_s") or {}
        render, probes, scoring = stages[capture.name]
        print(
            f"  {capture.name:<18} {capture.stats['duration_s']:6.2f} "
            f"{int(capture.stats.get('api_rounds', 0)):>10} "
            f"{float(phase.get('api', 0.0)):6.2f} {render:>7} {probes:7.2f} {scoring:8.3f}"
        )


def _later_stages(captures: list[Any], settings: Any, tmp: Path) -> dict[str, tuple[str, float, float]]:
    """Each company's render (its key pages alone in Chromium, or "—" without one), probes and scoring
    seconds, one company at a time so no stage shares the machine with another company's."""
    from audit.pipeline import load_model_for
    from audit.render import chromium_path
    from audit.runner import render_captures
    from audit.warc import WarcRecorder
    from probes import run_probes
    from probes.base import forget_pages
    from scoring.engine import score_company

    model = load_model_for(None)
    rendering = chromium_path(settings) is not None
    out: dict[str, tuple[str, float, float]] = {}
    recorder = WarcRecorder(tmp / "rendered.warc.gz")
    try:
        for capture in captures:
            render = "—"
            if rendering and not capture.errors:
                t0 = time.perf_counter()
                render_captures([capture], replace(settings, render="always"), recorder)
                render = f"{time.perf_counter() - t0:.2f}"
            forget_pages()  # probes parse from scratch, as in `engage score` of a stored capture
            t0 = time.perf_counter()
            evidence = {e.probe: e for e in run_probes(capture)}
            probes = time.perf_counter() - t0
            t0 = time.perf_counter()
            score_company(model, evidence)
            out[capture.name] = (render, probes, time.perf_counter() - t0)
    finally:
        recorder.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        build_site(Path(tmp), args.pages)
        with served(Path(tmp), f"{HOST}={args.latency_ms}") as (proxy, _ca):
            n_e, t_e = engage_crawl(proxy, args.pages, args.concurrency)
            result = scrapy_crawl(proxy, args.pages, args.concurrency)
            print(f"Site: {args.pages} pages, {args.latency_ms:g} ms latency, concurrency {args.concurrency}")
            print(f"  Engage  {n_e:>4} pages in {t_e:6.2f} s = {n_e / t_e:6.1f} pages/s")
            if result is None:
                print("  Scrapy  not installed (pip install scrapy) — no ratio")
            else:
                n_s, t_s = result
                print(f"  Scrapy  {n_s:>4} pages in {t_s:6.2f} s = {n_s / t_s:6.1f} pages/s")
                print(f"  Engage / Scrapy throughput ratio: {(n_e / t_e) / (n_s / t_s):.2f}×")
            print("\nGrowth with the page cap (Engage):")
            base = None
            for cap in (50, 100, 200, 400):
                n, t = engage_crawl(proxy, cap, args.concurrency)
                base = base or t / n
                print(
                    f"  {cap:>4} pages cap: {n:>4} pages in {t:6.2f} s, {1000 * t / n:6.1f} ms/page "
                    f"({(t / n) / base:4.2f}× the 50-page cost per page)"
                )
    demo_bound(2)


if __name__ == "__main__":
    main()
