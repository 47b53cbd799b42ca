"""``engage scan`` (run, ``status``, ``report``) and ``engage worker``: market scans."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from audit.cli.common import crawl_options, guarded, make_settings
from audit.paths import ensure_dir
from audit.status import ExitStatus, fail


class ScanGroup(click.Group):
    """``engage scan FILE …`` runs a scan; ``engage scan status|report ID`` are its sub-commands."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


def _store(db: str | None) -> Any:
    from audit.history.store import StoreError
    from audit.scan.store import ScanStore

    try:
        return ScanStore(db)
    except StoreError as exc:
        fail(str(exc))


def _scan_or_fail(store: Any, scan_id: int) -> Any:
    from audit.history.store import StoreError

    try:
        return store.scan(scan_id)
    except StoreError as exc:
        fail(str(exc), ExitStatus.USAGE)


DB_HELP = "Scan database URL or SQLite file (default: ENGAGE_DB, else the history database)."


@click.group(cls=ScanGroup, invoke_without_command=False)
def scan() -> None:
    """Scan a market: audit every company of a CSV and write the industry benchmark.

    \b
    engage scan COMPANIES.csv --out DIR [--db URL] [--broker URL] [--workers N] [--render auto|never]
    engage scan status SCAN_ID [--db URL]
    engage scan report SCAN_ID [--db URL] [--out DIR]
    """


@scan.command("run")
@click.argument("companies_file", metavar="COMPANIES.csv", type=click.Path(dir_okay=False))
@click.option(
    "--out", "-o", "out_dir", required=True, type=click.Path(file_okay=False), help="Output directory."
)
@click.option("--db", metavar="URL", help=DB_HELP)
@click.option(
    "--broker",
    metavar="URL",
    envvar="ENGAGE_BROKER",
    help="Send the jobs to Celery workers over Redis (redis://…; or ENGAGE_BROKER).",
)
@click.option("--workers", type=click.IntRange(1, 256), default=4, show_default=True, help="Local processes.")
@click.option("--resume", is_flag=True, help="Continue the newest unfinished scan of this file into DIR.")
@click.option(
    "--wait/--no-wait",
    default=True,
    show_default=True,
    help="With --broker: wait for the workers to finish the scan (else print its id and return).",
)
@crawl_options
@guarded
def scan_run(
    companies_file: str,
    out_dir: str,
    db: str | None,
    broker: str | None,
    workers: int,
    resume: bool,
    wait: bool,
    config: str | None,
    quiet: bool,
    **crawl: Any,
) -> None:
    """Audit every company of COMPANIES.csv (columns name, url, segment — segment optional) and write
    the benchmark into DIR: benchmark.csv, benchmark.parquet, leaderboard.csv, scan.json, market.pdf.

    \b
    Without --broker the jobs run here in --workers processes with SQLite (no Redis needed). With
    --broker redis://… they go to `engage worker` processes (use PostgreSQL for --db then).
    Exit status: 0 done, 1 error, 2 usage error, 3 partial (a company failed or was unreachable), 130
    interrupted (continue with --resume).

    \b
    Example:
      engage scan companies.csv --out reports/market --workers 8
      engage scan companies.csv --out reports/market --db postgresql://… --broker redis://127.0.0.1:6379/0
    """
    from audit.scan.companies import CompaniesError, read_companies

    try:
        companies = read_companies(Path(companies_file))
    except CompaniesError as exc:
        fail(str(exc), ExitStatus.USAGE)
    settings = make_settings(config, **crawl)
    out = ensure_dir(Path(out_dir))
    store = _store(db)
    source = str(Path(companies_file).resolve())
    scan_id = _resumable(store, source, str(out.resolve())) if resume else None
    if scan_id is None:
        overrides = {k: v for k, v in asdict(settings).items() if k not in ("theme", "db")}
        scan_id = store.create_scan(companies, overrides, source, str(out.resolve()))
        note(quiet, f"scan {scan_id}: {len(companies)} companies from {companies_file}")
    else:
        note(quiet, f"scan {scan_id}: resuming ({store.scan(scan_id).stored} already stored)")
    if broker:
        from audit.scan.distributed import enqueue_scan, wait_for_scan

        sent = enqueue_scan(broker, store.url, scan_id)
        note(quiet, f"scan {scan_id}: {sent} job(s) sent to {broker}")
        if not wait:
            click.echo(scan_id)
            sys.exit(int(ExitStatus.OK))
        wait_for_scan(store, scan_id, lambda line: note(quiet, line))
    else:
        from audit.scan.local import run_local

        total = store.scan(scan_id).total

        def progress(host: str, outcome: str) -> None:
            info = store.scan(scan_id)
            note(quiet, f"scan {scan_id}: {info.stored}/{total} stored — {host}: {outcome}")

        try:
            run_local(store, scan_id, workers, progress)
        except KeyboardInterrupt:
            fail(f"scan {scan_id} interrupted: continue it with --resume", ExitStatus.INTERRUPTED)
    sys.exit(int(_finish(store, scan_id, out, quiet)))


def note(quiet: bool, line: str) -> None:
    if not quiet:
        click.echo(f"engage: {line}", err=True)


def _resumable(store: Any, source: str, out: str) -> int | None:
    import sqlalchemy as sa

    from audit.scan.store import scans

    with store.engine.connect() as conn:
        row = conn.execute(
            sa.select(scans.c.id)
            .where(scans.c.source == source, scans.c.out_dir == out, scans.c.status == "running")
            .order_by(scans.c.id.desc())
        ).first()
    return int(row[0]) if row else None


def _finish(store: Any, scan_id: int, out: Path, quiet: bool) -> ExitStatus:
    """Write the outputs (again: idempotent) and summarise; 3 when a company failed or was unreachable."""
    from audit.scan.jobs import finalize
    from audit.scan.outputs import write_outputs

    info = store.scan(scan_id)
    if info.status != "complete":
        finalize(store, scan_id, write=False)
        info = store.scan(scan_id)
    if info.status != "complete":
        fail(f"scan {scan_id}: {info.stored} of {info.total} companies stored; continue it with --resume")
    write_outputs(store, scan_id, out)
    bench = store.benchmark(scan_id)["segments"]["all"]
    click.echo(
        f"engage: scan {scan_id} complete: {bench['scored']} scored, {bench['unreachable']} unreachable, "
        f"{bench['failed']} failed → {out}/market.pdf",
        err=True,
    )
    return ExitStatus.PARTIAL if bench["unreachable"] or bench["failed"] else ExitStatus.OK


@scan.command("status")
@click.argument("scan_id", type=int)
@click.option("--db", metavar="URL", help=DB_HELP)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@guarded
def scan_status(scan_id: int, db: str | None, fmt: str) -> None:
    """Print a scan's progress: companies by state, and those that failed.

    \b
    Example:
      engage scan status 3 --db postgresql://engage@db/engage --format json
    """
    store = _store(db)
    info = _scan_or_fail(store, scan_id)
    failed = store.companies(scan_id, statuses=("failed",))
    if fmt == "json":
        data = {
            "scan_id": info.id,
            "status": info.status,
            "total": info.total,
            "counts": info.counts,
            "stored": info.stored,
            "finalize_runs": info.finalize_runs,
            "failed": [{"host": r["host"], "error": r["error"]} for r in failed],
        }
        click.echo(json.dumps(data, indent=2))
        return
    counts = ", ".join(f"{n} {s}" for s, n in sorted(info.counts.items()))
    click.echo(f"scan {info.id}: {info.status}, {info.stored}/{info.total} stored ({counts})")
    for r in failed:
        click.echo(f"  failed {r['host']}: {r['error']}")


@scan.command("report")
@click.argument("scan_id", type=int)
@click.option("--db", metavar="URL", help=DB_HELP)
@click.option(
    "--out", "-o", "out_dir", type=click.Path(file_okay=False), help="Output directory (default: the scan's)."
)
@guarded
def scan_report(scan_id: int, db: str | None, out_dir: str | None) -> None:
    """(Re)write a finalized scan's benchmark files and market.pdf from the database.

    \b
    Example:
      engage scan report 3 --out reports/market-again
    """
    from audit.scan.outputs import write_outputs

    store = _store(db)
    info = _scan_or_fail(store, scan_id)
    if info.status != "complete":
        fail(f"scan {scan_id} is not finished: {info.stored} of {info.total} companies stored")
    out = ensure_dir(Path(out_dir or info.out_dir or "."))
    for path in write_outputs(store, scan_id, out):
        click.echo(str(path))


@click.command()
@click.option(
    "--broker",
    metavar="URL",
    envvar="ENGAGE_BROKER",
    default="redis://127.0.0.1:6379/0",
    show_default=True,
    help="The Redis broker (or ENGAGE_BROKER).",
)
@click.option("--queues", default="audit,render", show_default=True, help="Queues to consume.")
@click.option("--concurrency", type=click.IntRange(1, 256), default=2, show_default=True, help="Processes.")
@click.option("--loglevel", default="WARNING", show_default=True, help="Celery's log level.")
@guarded
def worker(broker: str, queues: str, concurrency: int, loglevel: str) -> None:
    """Start a Celery worker for market scans (Engage's own Celery settings; no configuration to write).

    \b
    Each job audits one company and stores it in the scan's database (the URL travels with the job).
    Workers with Chromium serve the `render` queue; others `--queues audit`.
    Example:
      engage worker --broker redis://127.0.0.1:6379/0 --queues audit --concurrency 4
    """
    from audit.scan.distributed import run_worker

    names = [q.strip() for q in queues.split(",") if q.strip()]
    unknown = [q for q in names if q not in ("audit", "render")]
    if unknown or not names:
        fail(
            f"--queues: unknown queue {unknown[0] if unknown else queues!r} (use audit, render)",
            ExitStatus.USAGE,
        )
    run_worker(broker, names, concurrency, loglevel)


COMMANDS: list[click.Command] = [scan, worker]
