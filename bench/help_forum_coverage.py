"""How many help-center platforms and forum engines Engage names from a link's URL alone (issue 15, breadth).

Run: ``.venv/bin/python bench/help_forum_coverage.py [--missed]``. For every line of
``bench/data/help_center_urls.txt`` and ``bench/data/forum_urls.txt`` (platform id | URL, compiled by hand
from real help centers and forums) an ordinary company page is built whose footer links to that URL, and
``engage inspect``'s help-center or community links are read; the line counts when the link is reported with
exactly that platform. Prints the count and percentage per list; ``--missed`` lists the lines not named.
A breadth figure (which engines are known), not accuracy on real pages (see tests/corpus/real for that).
"""

from __future__ import annotations

import argparse
import sys
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from probes import community, help_center
from probes.inspect import inspect_html

DATA = Path(__file__).parent / "data"
#: list file → (inspect key, link text in the footer)
LISTS: dict[str, tuple[str, str]] = {
    "help_center_urls.txt": ("help_center_links", "Help center"),
    "forum_urls.txt": ("community_links", "Community"),
}
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme Robotics</title></head>
<body><header><a href="/">Acme Robotics</a> <a href="/products">Products</a></header>
<main><h1>Robots for small workshops</h1><p>Open Monday to Friday.</p></main>
<footer><a href="/about">About</a> <a href="{url}">{text}</a> &copy; Acme Robotics</footer></body></html>"""


def url_rows(name: str) -> list[tuple[str, str]]:
    """(platform id, URL) pairs of one compiled list in ``bench/data``."""
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            platform, url = (part.strip() for part in line.split("|", 1))
            rows.append((platform, url))
    return rows


def named(name: str, url: str) -> set[str]:
    """The platforms Engage reports for a footer link to ``url`` on an ordinary company page."""
    key, text = LISTS[name]
    html = PAGE.format(url=escape(url), text=text)
    return {str(item["platform"]) for item in inspect_html(html, "https://acme-robotics.example/")[key]}


def coverage(name: str, rows: list[tuple[str, str]]) -> tuple[int, list[tuple[str, str, set[str]]]]:
    """(lines named correctly, the missed ones with what was named instead)."""
    missed = [(platform, url, found) for platform, url in rows if (found := named(name, url)) != {platform}]
    return len(rows) - len(missed), missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--missed", action="store_true", help="list the lines Engage does not name")
    args = parser.parse_args(argv)
    print(f"help-center platforms in the table: {len(help_center.platforms())}")
    print(f"community platforms in the table: {len(community.platforms())}")
    for name in LISTS:
        rows = url_rows(name)
        hits, missed = coverage(name, rows)
        platforms = {p for p, _ in rows}
        print(f"{name}: {len(rows)} URLs of {len(platforms)} platforms")
        print(f"  named from the link alone: {hits}/{len(rows)} ({100 * hits / len(rows):.1f} %)")
        if args.missed:
            for platform, url, found in missed:
                print(f"  missed {platform}: {url} -> {sorted(found) or 'nothing'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
