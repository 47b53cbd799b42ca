"""Build a directory of real saved web pages (and ``manifest.csv``) for ``bench/inspect_speed.py``.

The pages are public test fixtures of adbar/trafilatura (``tests/cache/*.html``, URLs from the
``MOCK_PAGES`` table of ``tests/realworld_tests.py``), read from a local bare git mirror of that repository.
Their licence is unclear, so they are never committed here: the directory lives outside the repo.

Run: ``python bench/fetch_real_pages.py GIT_DIR OUT_DIR`` (e.g. ``/work/.mirror/adbar+trafilatura/repo``
``/work/realpages``). Pages of 10 KB to 1 MB are kept.
"""

from __future__ import annotations

import ast
import csv
import subprocess
import sys
from pathlib import Path

MIN_BYTES, MAX_BYTES = 10_000, 1_000_000


def _git(git_dir: str, *args: str) -> bytes:
    return subprocess.run(["git", "--git-dir", git_dir, *args], check=True, capture_output=True).stdout


def _url_table(git_dir: str) -> dict[str, str]:
    """file name → URL, from the ``MOCK_PAGES = {...}`` literal (parsed, not executed)."""
    source = _git(git_dir, "show", "HEAD:tests/realworld_tests.py").decode("utf-8")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "MOCK_PAGES" for t in node.targets):
            table = ast.literal_eval(node.value)
            return {name: url for url, name in table.items()}
    raise SystemExit("MOCK_PAGES not found")


def main(git_dir: str, out_dir: str) -> None:
    """Copy every sized page with a known URL into ``out_dir`` and write ``manifest.csv``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    urls = _url_table(git_dir)
    rows = []
    for line in _git(git_dir, "ls-tree", "-l", "HEAD", "tests/cache/").decode().splitlines():
        meta, path = line.split("\t", 1)
        size, name = int(meta.split()[3]), path.rsplit("/", 1)[-1]
        if name in urls and MIN_BYTES <= size <= MAX_BYTES:
            (out / name).write_bytes(_git(git_dir, "show", f"HEAD:{path}"))
            rows.append((name, urls[name]))
    with (out / "manifest.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["file", "url"])
        writer.writerows(sorted(rows))
    print(f"{len(rows)} pages in {out}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
