"""Render cost per page in Debian's Chromium on the demo market: median and p90 seconds per page.

.venv/bin/python bench/render_cost.py
"""

from __future__ import annotations

import time

from audit.fixture_web import FixtureWeb
from audit.pipeline import apply_demo_latency
from audit.render import chromium_path, render_all
from audit.settings import Settings
from probes.response_times import median, percentile

PAGES = [
    "http://acme.test/",
    "http://acme.test/contact",
    "http://northwind.test/",
    "http://northwind.test/contact",
    "http://brightbooks.test/",
    "http://quillpay.test/",
    "http://quillpay.test/contact",
    "http://tallybook.test/",
]


def main() -> None:
    with FixtureWeb() as web:
        apply_demo_latency(web)
        settings = Settings(proxy=web.proxy_url)
        executable = chromium_path(settings)
        if executable is None:
            print("Chromium not installed")
            return
        one_by_one = []
        for url in PAGES:  # sequential: the cost of one page, browser start excluded
            started = time.monotonic()
            render_all(settings.with_overrides(render_concurrency=1), executable, [], [[url]])
            one_by_one.append(time.monotonic() - started)
        started = time.monotonic()
        render_all(settings, executable, [], [PAGES[i::4] for i in range(4)])
        together = time.monotonic() - started
    print(f"Render cost per page (browser start included), {len(PAGES)} demo pages:")
    print(f"  median {median(one_by_one):.2f} s, p90 {percentile(one_by_one, 90):.2f} s")
    print(
        f"  all {len(PAGES)} pages as 4 companies in one browser (4 at once): {together:.2f} s "
        f"= {together / len(PAGES):.2f} s/page"
    )


if __name__ == "__main__":
    main()
