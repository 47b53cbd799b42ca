"""How long ``engage inspect`` takes per page over the labelled corpus (``tests/corpus``).

Run: ``.venv/bin/python bench/inspect_speed.py [ROUNDS]``. Prints median and p90 milliseconds per page and
pages per second, cold (first parse of each page) and warm (parse caches hot). Not a test: timings vary.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from probes import base  # noqa: E402
from probes.inspect import inspect_html  # noqa: E402

CORPUS = ROOT / "tests" / "corpus"


def _pages() -> list[tuple[str, str, str]]:
    out = []
    for html_file in sorted(CORPUS.glob("*.html")):
        url = json.loads(html_file.with_suffix(".json").read_text(encoding="utf-8"))["url"]
        out.append((html_file.stem, html_file.read_text(encoding="utf-8"), url))
    return out


def _time(pages: list[tuple[str, str, str]], cold: bool) -> list[float]:
    samples = []
    for _, html, url in pages:
        if cold:
            base._parse.cache_clear()
            base._visible_text.cache_clear()
            base._jsonld.cache_clear()
        start = time.perf_counter()
        inspect_html(html, url)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def _report(label: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    total_s = sum(samples) / 1000
    print(
        f"{label:<5} pages={len(samples):>4}  median={statistics.median(samples):6.2f} ms  "
        f"p90={p90:6.2f} ms  max={ordered[-1]:6.2f} ms  {len(samples) / total_s:7.1f} pages/s"
    )


def main(rounds: int = 5) -> None:
    """Time every corpus page ``rounds`` times, cold and warm."""
    pages = _pages()
    _time(pages[:3], cold=True)  # import and regex compilation, not per-page work
    cold = [t for _ in range(rounds) for t in _time(pages, cold=True)]
    warm = [t for _ in range(rounds) for t in _time(pages, cold=False)]
    sizes = sorted(len(html) for _, html, _ in pages)
    print(f"corpus: {len(pages)} pages, median {statistics.median(sizes) / 1024:.1f} KiB, {rounds} round(s)")
    _report("cold", cold)
    _report("warm", warm)
    slowest = sorted(((statistics.mean(_time([p], cold=True)), p[0]) for p in pages), reverse=True)[:3]
    print("slowest (cold): " + ", ".join(f"{name} {ms:.1f} ms" for ms, name in slowest))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
