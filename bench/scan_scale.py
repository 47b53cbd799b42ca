"""Market scans at scale: generated markets of 50 → 200 → 1,000 companies, local pool vs Celery workers.

    .venv/bin/python bench/scan_scale.py [--sizes 50,200,1000] [--latency-scale 0.25] [--slots 4]
                                          [--modes local,celery]

Each size is a generated market (``audit.fixture_web.generated``, seed 1) on the fixture web with each
company's latency injected (times ``--latency-scale``). ``local`` runs ``engage scan --workers SLOTS``
with SQLite; ``celery`` runs two ``engage worker --concurrency SLOTS/2`` processes against a throw-away
Redis and PostgreSQL (``scripts/redis-test.sh``, ``scripts/postgres-test.sh``) and ``engage scan --broker``.
Printed per run: companies per minute; the ratio to the politeness bound (the time the scan would take if
every company's requests ran back to back at its latency divided by the per-host concurrency, SLOTS
companies at a time — what no scan that keeps the per-host manners can beat); and the peak RSS of each
worker process (``VmHWM``, sampled from ``/proc`` while the scan runs). Timings live here, never in tests.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from audit.fixture_web import FixtureWeb  # noqa: E402
from audit.fixture_web.generated import generate_market  # noqa: E402
from audit.scan.store import ScanStore  # noqa: E402
from audit.settings import Settings  # noqa: E402

ENGAGE = str(Path(sys.executable).with_name("engage"))


class RssSampler:
    """Peak resident memory (kB) of every process in the given process groups, sampled from /proc."""

    def __init__(self, groups: list[int]) -> None:
        self.groups = set(groups)
        self.peak: dict[int, tuple[str, int]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            for entry in Path("/proc").iterdir():
                if not entry.name.isdigit():
                    continue
                try:
                    if os.getpgid(int(entry.name)) not in self.groups:
                        continue
                    status = (entry / "status").read_text()
                    cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                except (OSError, ProcessLookupError):
                    continue
                hwm = next(
                    (int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM")), 0
                )
                pid = int(entry.name)
                self.peak[pid] = (cmd[:60], max(hwm, self.peak.get(pid, ("", 0))[1]))
            self._stop.wait(0.5)


def bound_minutes(store: ScanStore, scan_id: int, latency: dict[str, float], slots: int) -> float:
    """The politeness bound of the stored scan, in minutes (see the module docstring)."""
    concurrency = Settings().per_host_concurrency
    seconds = 0.0
    for row in store.results(scan_id):
        requests = (row["company"].get("crawl") or {}).get("requests") or 0
        seconds += requests * latency.get(row["host"], 0.0) / 1000.0 / concurrency
    return seconds / slots / 60.0


def comparable(company: dict[str, Any]) -> dict[str, Any]:
    """Channels found and every dimension score but responsiveness (page timings vary between runs)."""
    return {
        "channels": {k: sorted(i["url"] for i in v) for k, v in company["channels"].items()},
        "dimensions": {d["id"]: d["score"] for d in company["dimensions"] if d["id"] != "responsiveness"},
    }


def scan_db_id(store: ScanStore) -> int:
    import sqlalchemy as sa

    from audit.scan.store import scans

    with store.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.max(scans.c.id))).scalar_one())


def run_scan(args: list[str], groups: list[int]) -> tuple[float, dict[int, tuple[str, int]], int]:
    started = time.monotonic()
    proc = subprocess.Popen([ENGAGE, *args], start_new_session=True, stderr=subprocess.PIPE, text=True)
    with RssSampler([*groups, proc.pid]) as sampler:
        _, err = proc.communicate()
    elapsed = time.monotonic() - started
    if proc.returncode not in (0, 3):
        raise SystemExit(f"engage scan failed ({proc.returncode}): {err.strip().splitlines()[-1:]}")
    return elapsed, sampler.peak, proc.pid


def start_service(script: str, directory: Path) -> str:
    out = subprocess.run(
        ["bash", str(ROOT / "scripts" / script), "start", str(directory)], capture_output=True, text=True
    )
    if out.returncode != 0:
        raise SystemExit(f"{script}: {out.stderr.strip()}")
    return out.stdout.strip().splitlines()[-1]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="50,200,1000")
    parser.add_argument("--latency-scale", type=float, default=0.25)
    parser.add_argument("--slots", type=int, default=4, help="companies audited at once (both modes)")
    parser.add_argument("--modes", default="local,celery")
    opts = parser.parse_args()
    sizes = [int(s) for s in opts.sizes.split(",")]
    modes = opts.modes.split(",")
    work = Path(tempfile.mkdtemp(prefix="engage-scan-bench-"))
    services: list[tuple[str, Path]] = []
    try:
        redis_url = pg_url = ""
        if "celery" in modes:
            redis_url = start_service("redis-test.sh", work / "redis")
            services.append(("redis-test.sh", work / "redis"))
            os.chmod(work, 0o755)
            pg_url = start_service("postgres-test.sh", work / "pg")
            services.append(("postgres-test.sh", work / "pg"))
        print(
            f"{'size':>5} {'mode':<7} {'minutes':>8} {'companies/min':>14} {'× bound':>8}"
            "  peak RSS per worker (MB)"
        )
        for size in sizes:
            market_dir = work / f"market-{size}"
            generated = generate_market(size, seed=1, directory=market_dir)
            latency = {c.host: c.latency_ms * opts.latency_scale for c in generated.companies}
            seen: dict[str, dict[str, Any]] = {}
            with FixtureWeb(market_dir) as web:
                generated.apply_latency(web, opts.latency_scale)
                for mode in modes:
                    out = work / f"out-{size}-{mode}"
                    common = [
                        "scan", str(generated.csv_path), "--out", str(out), "--render", "never",
                        "--proxy", web.proxy_url, "--quiet",
                    ]  # fmt: skip
                    workers: list[subprocess.Popen[bytes]] = []
                    if mode == "local":
                        db = str(work / f"local-{size}.db")
                        args = [*common, "--db", db, "--workers", str(opts.slots)]
                    else:
                        db = pg_url
                        for _ in range(2):
                            workers.append(
                                subprocess.Popen(
                                    [
                                        ENGAGE,
                                        "worker",
                                        "--broker",
                                        redis_url,
                                        "--queues",
                                        "audit",
                                        "--concurrency",
                                        str(max(1, opts.slots // 2)),
                                    ],
                                    start_new_session=True,
                                    stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL,
                                )
                            )
                        args = [*common, "--db", db, "--broker", redis_url]
                    try:
                        elapsed, peak, scan_pid = run_scan(args, [w.pid for w in workers])
                    finally:
                        for w in workers:
                            os.killpg(w.pid, signal.SIGTERM)
                            w.wait(timeout=60)
                    with ScanStore(db) as store:
                        scan_id = scan_db_id(store)
                        bound = bound_minutes(store, scan_id, latency, opts.slots)
                        seen[mode] = {r["host"]: comparable(r["company"]) for r in store.results(scan_id)}
                    minutes = elapsed / 60.0
                    if mode == "local":  # the pool's processes (not the scan's own)
                        rss = [
                            kb
                            for pid, (cmd, kb) in peak.items()
                            if pid != scan_pid and "multiprocessing" in cmd
                        ]
                    else:  # the workers' pool processes
                        rss = [kb for pid, (cmd, kb) in peak.items() if pid not in {w.pid for w in workers}]
                        rss = [
                            kb for pid, (cmd, kb) in peak.items() if "worker" in cmd and pid != scan_pid
                        ] or rss
                    rss_text = ", ".join(
                        f"{kb / 1024:.0f}" for kb in sorted(rss, reverse=True)[: opts.slots + 2]
                    )
                    print(
                        f"{size:>5} {mode:<7} {minutes:>8.2f} {size / minutes:>14.1f} "
                        f"{minutes / bound if bound else float('nan'):>8.2f}  {rss_text}",
                        flush=True,
                    )
            if len(seen) == 2:
                a, b = seen.values()
                differ = sorted(h for h in a.keys() | b.keys() if a.get(h) != b.get(h))
                print(
                    f"{size:>5} results of both modes: "
                    + ("identical" if not differ else f"{len(differ)} differ: {', '.join(differ[:5])}")
                )
    finally:
        for script, directory in services:
            subprocess.run(
                ["bash", str(ROOT / "scripts" / script), "stop", str(directory)], capture_output=True
            )
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
