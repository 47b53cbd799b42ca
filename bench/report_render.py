"""PDF render time and peak memory: the 5-company demo (sample_reports/) and a synthetic 20-competitor audit.

.venv/bin/python bench/report_render.py [--runs N]

Each case runs in a fresh process so peak RSS (``resource.getrusage``) is the case's own; a second pass
under ``tracemalloc`` gives the peak of Python allocations. CPU seconds (user + system of the child) are
printed next to wall-clock seconds: on a busy machine they are the fairer figure. Targets (issue 18): demo
≤ 2.5 s, 20 competitors ≤ 8 s, peak RSS ≤ 300 MB.

.venv/bin/python bench/report_render.py --case demo --runs 3
"""

from __future__ import annotations

import argparse
import copy
import json
import multiprocessing
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_reports"


def demo_audit() -> dict[str, Any]:
    return dict(json.loads((SAMPLES / "audit.json").read_text(encoding="utf-8")))


def synthetic_audit(competitors: int = 20) -> dict[str, Any]:
    """The demo's client against ``competitors`` copies of its competitors, renamed and re-ranked."""
    audit = demo_audit()
    client = next(c for c in audit["companies"] if c["role"] == "client")
    others = [c for c in audit["companies"] if c["role"] != "client"]
    companies = [client]
    for index in range(competitors):
        clone = copy.deepcopy(others[index % len(others)])
        clone["name"] = f"{clone['name']} {index + 1:02d}"
        companies.append(clone)
    ranked = sorted(companies, key=lambda c: -(c["overall"]["score"] or 0))
    for rank, company in enumerate(ranked, start=1):
        company["rank"] = rank
    audit["companies"] = companies
    return audit


def render_once(case: str, traced: bool, queue: Any) -> None:
    """In a child process: build the view and render the PDF; report seconds, pages and memory."""
    from report_templates.render import render_pdf
    from report_templates.view import build_view

    audit = demo_audit() if case == "demo" else synthetic_audit()
    if traced:
        tracemalloc.start()
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    view = build_view(audit, run_dir=SAMPLES)
    pdf = render_pdf(view, run_dir=SAMPLES)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak_py = tracemalloc.get_traced_memory()[1] if traced else 0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((seconds, page_count(pdf), rss_mb, peak_py / 2**20, cpu))


def page_count(pdf: bytes) -> int:
    """Pages, by pdfinfo (poppler-utils); 0 when it is not installed."""
    if shutil.which("pdfinfo") is None:
        return 0
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        out = subprocess.run(["pdfinfo", handle.name], capture_output=True, text=True).stdout
    return next((int(line.split()[-1]) for line in out.splitlines() if line.startswith("Pages:")), 0)


def measure(case: str, traced: bool) -> tuple[float, int, float, float, float]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=render_once, args=(case, traced, queue))
    process.start()
    result = queue.get()
    process.join()
    return result  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=3, help="timed runs per case (median printed)")
    parser.add_argument("--case", choices=("all", "demo", "synthetic"), default="all", help="which case(s)")
    args = parser.parse_args()
    if not (SAMPLES / "audit.json").is_file():
        raise SystemExit("sample_reports/audit.json is missing: run make samples first")
    print(
        f"{'case':<28}{'pages':>6}{'median s':>10}{'min s':>8}{'CPU s':>8}"
        f"{'peak RSS MB':>13}{'py peak MB':>12}"
    )
    for case, label in (("demo", "demo (client + 4)"), ("synthetic", "synthetic (client + 20)")):
        if args.case not in ("all", case):
            continue
        runs = [measure(case, traced=False) for _ in range(args.runs)]
        traced = measure(case, traced=True)
        seconds = [r[0] for r in runs]
        print(
            f"{label:<28}{runs[0][1]:>6}{statistics.median(seconds):>10.2f}{min(seconds):>8.2f}"
            f"{statistics.median(r[4] for r in runs):>8.2f}{max(r[2] for r in runs):>13.0f}{traced[3]:>12.0f}"
        )
    print(
        "targets (issue 18): demo ≤ 2.5 s, 20 competitors ≤ 8 s, peak RSS ≤ 300 MB; times include building "
        "the view and charts, not the crawl"
    )


if __name__ == "__main__":
    main()
