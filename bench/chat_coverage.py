"""How many live-chat products Engage names from their loader script alone (issue 15, vendor coverage).

Run: ``.venv/bin/python bench/chat_coverage.py [--missed]``. For every line of
``bench/data/chat_script_hosts.txt`` (brand | loader URL, compiled by hand) a page that loads nothing but
that script is built and run through the chat probe's static detection; the line counts when Engage names
exactly that brand. Prints the count and the percentage; ``--missed`` lists the lines not named.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from audit.models import Page
from probes import chat_widgets
from probes.base import parse

HOSTS_FILE = Path(__file__).parent / "data" / "chat_script_hosts.txt"


def script_hosts(path: Path = HOSTS_FILE) -> list[tuple[str, str]]:
    """(brand, loader URL) pairs of the compiled list."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            brand, url = (part.strip() for part in line.split("|", 1))
            rows.append((brand, url))
    return rows


def named(url: str) -> set[str]:
    """The vendors Engage names on a page that loads only ``url``."""
    html = f'<html><head><script async src="{url}"></script></head><body><p>Hello</p></body></html>'
    page = Page(url="https://acme.test/", final_url="https://acme.test/", status=200,
                content_type="text/html", text=html)  # fmt: skip
    return {f.attrs["vendor"] for f in chat_widgets.detect(parse(page))}


def coverage(rows: list[tuple[str, str]]) -> tuple[int, list[tuple[str, str, set[str]]]]:
    """(lines named correctly, the missed ones with what was named instead)."""
    missed = [(brand, url, found) for brand, url in rows if (found := named(url)) != {brand}]
    return len(rows) - len(missed), missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--missed", action="store_true", help="list the lines Engage does not name")
    args = parser.parse_args(argv)
    rows = script_hosts()
    hits, missed = coverage(rows)
    brands = {b for b, _ in rows}
    print(f"chat vendors in the table: {len(chat_widgets.vendors())}")
    print(f"script-URL live-chat list: {len(rows)} loader URLs, {len(brands)} brands")
    print(f"named from the script alone: {hits}/{len(rows)} ({100 * hits / len(rows):.1f} %)")
    if args.missed:
        for brand, url, found in missed:
            print(f"  missed {brand}: {url} -> {sorted(found) or 'nothing'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
