"""The two jobs of a scan, the same in the local pool and on Celery workers.

``audit_company`` audits one company (all its hosts in one job, so per-host politeness stays in-process)
and stores it; ``finalize`` ranks the market and writes the benchmark once every company is stored. Both
are idempotent: a job delivered twice finds the company stored, or the scan finalized, and does nothing.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from audit.scan.store import MAX_ATTEMPTS, Claim, ScanStore, lease_owner

Outcome = Literal["stored", "skipped", "busy", "retry", "failed", "stale"]

#: Queue names: every company job goes to ``audit``, or to ``render`` when it renders in Chromium.
AUDIT_QUEUE = "audit"
RENDER_QUEUE = "render"


def queue_for(settings: dict[str, Any]) -> str:
    """The queue of a scan's company jobs: ``render`` unless rendering is off."""
    return AUDIT_QUEUE if settings.get("render") == "never" else RENDER_QUEUE


def scan_settings(overrides: dict[str, Any]) -> Any:
    """The Settings a scan's jobs audit with (the scan's stored overrides on the defaults)."""
    from audit.settings import load_settings

    values = dict(overrides)
    if "formats" in values:
        values["formats"] = tuple(values["formats"])
    if "render_pages" in values:
        values["render_pages"] = tuple(values["render_pages"])
    return load_settings(None, **values)


def capture_path(out_dir: str | None, host: str) -> Path | None:
    """Where a company's capture is kept (``OUT/captures/<host>.warc.gz``), when OUT is reachable here."""
    if not out_dir:
        return None
    folder = Path(out_dir) / "captures"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder / f"{host}.warc.gz"


def audit_one(claim: Claim, settings: Any, out_dir: str | None, gates: Any = None) -> dict[str, Any]:
    """The company's ``audit.json`` entry: gather its site, probe and score it (no rank yet).

    A site that is down is not an exception: its entry carries the gather error and no score.
    """
    import tempfile

    from audit.pipeline import load_model_for
    from audit.runner import Target, analyse, gather

    model = load_model_for(settings.model)
    target = Target(claim.url, "client", claim.name)
    path = capture_path(out_dir, claim.host)
    with tempfile.TemporaryDirectory(prefix="engage-scan-") as tmp:
        warc = path or Path(tmp) / "capture.warc.gz"
        captures, run = gather([target], settings, warc, gates=gates)
        audit = analyse(captures, model, run, probe_budget=settings.probe_budget)
    company = dict(audit["companies"][0])
    company["segment"] = claim.segment
    company["role"] = "competitor"
    company["rank"] = None
    company["model"] = audit["model"]
    return company


def audit_company(
    store: ScanStore,
    scan_id: int,
    host: str,
    owner: str | None = None,
    gates_for: Callable[[Any], Any] | None = None,
) -> Outcome:
    """Claim, audit and store one company. ``retry``: this attempt failed and another is due;
    ``failed``: it was the last; ``busy``: another job holds the company; ``skipped``: already stored."""
    owner = owner or lease_owner()
    info = store.scan(scan_id)
    with store.lease(scan_id, host) as leased:
        if not leased:
            return "busy"
        claim = store.claim(scan_id, host, owner)
        if claim == "stored":
            return "skipped"
        if claim == "busy":
            return "busy"
        assert isinstance(claim, Claim)
        try:
            settings = scan_settings(info.settings)
            gates = gates_for(settings) if gates_for is not None else None
            company = audit_one(claim, settings, info.out_dir, gates)
        except Exception as exc:  # a bug or a broken environment: retried, then stored as failed
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            state = store.attempt_failed(claim, f"attempt {claim.attempt}: {detail}")
            if state == "stale":
                return "stale"
            return "failed" if state == "failed" else "retry"
        return "stored" if store.store_result(claim, company) else "stale"


def all_stored(store: ScanStore, scan_id: int) -> bool:
    """Every company of the scan has a final state."""
    info = store.scan(scan_id)
    return info.stored == info.total


def finalize(store: ScanStore, scan_id: int, write: bool = True) -> bool:
    """Rank the market, compute and store the benchmark, mark the scan complete — once; then (with
    ``write``) write the scan's files, whoever finalized it: they are rewritten whole from the store, so
    a finalize cut short after its commit (a time limit, a lost worker) is made good by the next one.
    True when this call finalized the scan."""
    from audit.scan.benchmark import compute_benchmark

    if not all_stored(store, scan_id):
        return False
    won = False
    if store.scan(scan_id).status != "complete":
        benchmark = compute_benchmark(store.results(scan_id), store.companies(scan_id))
        won = store.finalize(scan_id, benchmark)
    info = store.scan(scan_id)
    if write and info.status == "complete" and info.out_dir:
        from audit.scan.outputs import write_outputs

        out = Path(info.out_dir)
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError:
            return won  # the scan's folder is not on this machine: `engage scan report` writes them
        write_outputs(store, scan_id, out)
    return won


__all__ = ["MAX_ATTEMPTS", "audit_company", "finalize"]
