"""The local process pool: a scan's company jobs on this machine, no broker needed (the default)."""

from __future__ import annotations

import multiprocessing
import signal
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

from audit.scan.jobs import Outcome, audit_company, finalize
from audit.scan.store import ScanStore

_stores: dict[str, ScanStore] = {}

#: Seconds before a failed attempt is tried again (times the attempt number).
RETRY_BACKOFF_S = 1.0


def _ignore_interrupts() -> None:
    """Pool processes finish the company they audit on Ctrl-C; the scan itself stops sending more."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _job(url: str, scan_id: int, host: str) -> tuple[str, Outcome]:
    """One company in a pool process (its store opened once per process)."""
    store = _stores.get(url)
    if store is None:
        store = _stores[url] = ScanStore(url)
    return host, audit_company(store, scan_id, host)


def run_local(
    store: ScanStore,
    scan_id: int,
    workers: int,
    on_outcome: Callable[[str, Outcome], None] = lambda _h, _o: None,
) -> bool:
    """Run every open company of the scan in ``workers`` processes, retrying failed attempts with
    backoff, then finalize (the files are the caller's to write); True when this run finalized it.

    On Ctrl-C no more companies start: those being audited are finished and stored, the rest stay
    pending for ``--resume``, and ``KeyboardInterrupt`` propagates.
    """
    todo = [r["host"] for r in store.companies(scan_id, statuses=("pending", "running"))]
    context = multiprocessing.get_context("spawn")  # no inherited threads, locks or connections
    pool = ProcessPoolExecutor(max(1, workers), mp_context=context, initializer=_ignore_interrupts)
    try:
        running: dict[Future[tuple[str, Outcome]], str] = {}
        waiting: list[tuple[float, str]] = []
        tries: dict[str, int] = {}

        def submit(host: str) -> None:
            running[pool.submit(_job, store.url, scan_id, host)] = host

        for host in todo:
            submit(host)
        while running or waiting:
            now = time.monotonic()
            for due, host in [w for w in waiting if w[0] <= now]:
                waiting.remove((due, host))
                submit(host)
            if not running:
                time.sleep(max(0.0, min(d for d, _ in waiting) - now))
                continue
            timeout = max(0.05, min(d for d, _ in waiting) - now) if waiting else None
            done, _ = wait(list(running), timeout=timeout, return_when=FIRST_COMPLETED)
            for future in done:
                host = running.pop(future)
                try:
                    _, outcome = future.result()
                except Exception:  # the pool process itself died: the attempt is re-tried
                    outcome = "retry"
                on_outcome(host, outcome)
                tries[host] = tries.get(host, 0) + 1
                if outcome in ("retry", "busy") and tries[host] < 20:
                    waiting.append((time.monotonic() + RETRY_BACKOFF_S * tries[host], host))
    except KeyboardInterrupt:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return finalize(store, scan_id, write=False)  # the caller writes the files
