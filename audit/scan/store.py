"""The scan store: ``scans``, ``scan_companies``, ``scan_results``, ``scan_scores`` (SQLite or PostgreSQL).

Delivery of jobs is at least once, so every write is idempotent and fenced:

* a job **claims** its company: ``attempt`` goes up by one and the row is ``running`` under the job's lease.
  On PostgreSQL the lease is a session advisory lock held by the job's own connection, so it ends when the
  job's process dies (a SIGKILLed worker frees it at once); on SQLite it is a lease row (``lease_owner``,
  ``lease_until``) that another claimer may take once it has expired or its process is gone.
* a job **stores** its result, scores and the company's ``done`` status in one transaction, only while
  the row is still ``running`` at the job's own attempt: a stale attempt writes nothing.
* a failed attempt puts the company back to ``pending``; the third one stores it ``failed``.
* **finalize** ranks the market and computes the benchmark, and marks the scan ``complete`` in one
  conditional update: however often it is triggered, it happens once.
"""

from __future__ import annotations

import contextlib
import os
import socket
import time
import uuid
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from audit.history.store import StoreError, database_problem, display_url, open_engine, resolve_url
from audit.models import utc_now
from audit.scan.companies import ScanCompany

metadata = sa.MetaData()

#: Attempts a company gets before it is stored as failed.
MAX_ATTEMPTS = 3
#: Seconds a SQLite lease lasts (a job's hard time limit is below it).
LEASE_S = 900.0

scans = sa.Table(
    "scans",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("finished_at", sa.String(32), nullable=True),
    sa.Column("status", sa.String(16), nullable=False),  # running | complete
    sa.Column("source", sa.Text, nullable=True),  # the companies file
    sa.Column("out_dir", sa.Text, nullable=True),
    sa.Column("settings", sa.JSON, nullable=False),  # the Settings overrides every job audits with
    sa.Column("total", sa.Integer, nullable=False),
    sa.Column("finalize_runs", sa.Integer, nullable=False, default=0),  # finalizes that committed (1)
    sa.Column("benchmark", sa.JSON, nullable=True),
)

scan_companies = sa.Table(
    "scan_companies",
    metadata,
    sa.Column("scan_id", sa.Integer, sa.ForeignKey("scans.id"), primary_key=True),
    sa.Column("host", sa.String(255), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("segment", sa.String(200), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # pending | running | done | failed
    sa.Column("attempt", sa.Integer, nullable=False, default=0),
    sa.Column("lease_owner", sa.String(200), nullable=True),
    sa.Column("lease_until", sa.Float, nullable=True),
    sa.Column("error", sa.Text, nullable=True),
    sa.Column("updated_at", sa.String(32), nullable=False),
)

scan_results = sa.Table(
    "scan_results",
    metadata,
    sa.Column("scan_id", sa.Integer, primary_key=True),
    sa.Column("host", sa.String(255), primary_key=True),
    sa.Column("attempt", sa.Integer, nullable=False),
    sa.Column("company", sa.JSON, nullable=False),  # the company's entry of audit.json
    sa.Column("score", sa.Float, nullable=True),
    sa.Column("level", sa.Integer, nullable=True),
    sa.Column("writes", sa.Integer, nullable=False, default=1),  # upserts that committed (1)
    sa.Column("stored_at", sa.String(32), nullable=False),
    sa.ForeignKeyConstraint(["scan_id", "host"], ["scan_companies.scan_id", "scan_companies.host"]),
)

scan_scores = sa.Table(
    "scan_scores",
    metadata,
    sa.Column("scan_id", sa.Integer, primary_key=True),
    sa.Column("host", sa.String(255), primary_key=True),
    sa.Column("dimension", sa.String(100), primary_key=True),  # "overall" and each dimension id
    sa.Column("score", sa.Float, nullable=True),
    sa.Column("level", sa.Integer, nullable=True),
    sa.ForeignKeyConstraint(["scan_id", "host"], ["scan_companies.scan_id", "scan_companies.host"]),
)

_DDL_LOCK = 0x656E6773  # "engs": serialises concurrent creators of the scan tables on PostgreSQL


@dataclass(frozen=True)
class Claim:
    """A company claimed by a job: its attempt (the fence of every write) and the lease owner."""

    scan_id: int
    host: str
    name: str
    url: str
    segment: str
    attempt: int
    owner: str


@dataclass(frozen=True)
class ScanInfo:
    """A scan and its progress."""

    id: int
    status: str
    created_at: str
    finished_at: str | None
    source: str | None
    out_dir: str | None
    settings: dict[str, Any]
    total: int
    counts: dict[str, int]
    finalize_runs: int

    @property
    def stored(self) -> int:
        """Companies with a final state (a result, or failed after every attempt)."""
        return self.counts.get("done", 0) + self.counts.get("failed", 0)


def lease_owner() -> str:
    """This process's lease name: host, pid and a random part (a recycled pid is another owner)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _owner_gone(owner: str | None) -> bool:
    """True when ``owner`` was a process of this machine that no longer runs."""
    if not owner:
        return True
    machine, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if machine != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def advisory_key(scan_id: int, host: str) -> int:
    """A signed 64-bit key for PostgreSQL's advisory locks, from the scan and host."""
    return (scan_id << 32) | zlib.crc32(host.encode())


class ScanStore:
    """The scan tables in the database at ``url`` (``--db``; created on first use)."""

    def __init__(self, url: str | None = None) -> None:
        self.url = resolve_url(url)
        self.engine = open_engine(self.url)
        try:
            with self.engine.begin() as conn:
                if conn.dialect.name == "postgresql":
                    conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _DDL_LOCK})
                metadata.create_all(conn, checkfirst=True)
        except sa.exc.SQLAlchemyError as exc:
            self.engine.dispose()
            raise database_problem(self.url, exc) from None

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> ScanStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- scans ---------------------------------------------------------------------------------------

    def create_scan(
        self, companies: Sequence[ScanCompany], settings: dict[str, Any], source: str, out_dir: str
    ) -> int:
        """Insert a ``running`` scan and its companies (``pending``); returns its id."""
        now = utc_now()
        with self.engine.begin() as conn:
            key = conn.execute(
                scans.insert().values(
                    created_at=now,
                    status="running",
                    source=source,
                    out_dir=out_dir,
                    settings=settings,
                    total=len(companies),
                    finalize_runs=0,
                )
            ).inserted_primary_key
            assert key is not None
            scan_id = int(key[0])
            conn.execute(
                scan_companies.insert(),
                [
                    {
                        "scan_id": scan_id,
                        "host": c.host,
                        "position": i,
                        "name": c.name,
                        "url": c.url,
                        "segment": c.segment,
                        "status": "pending",
                        "attempt": 0,
                        "updated_at": now,
                    }
                    for i, c in enumerate(companies)
                ],
            )
        return scan_id

    def scan(self, scan_id: int) -> ScanInfo:
        """One scan with its counts by status; ``StoreError`` when there is none."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(scans).where(scans.c.id == scan_id)).mappings().first()
            if row is None:
                raise StoreError(f"scan {scan_id} not found in {display_url(self.url)}")
            counts = {
                str(status): int(n)
                for status, n in conn.execute(
                    sa.select(scan_companies.c.status, sa.func.count())
                    .where(scan_companies.c.scan_id == scan_id)
                    .group_by(scan_companies.c.status)
                )
            }
        return ScanInfo(
            id=int(row["id"]),
            status=row["status"],
            created_at=row["created_at"],
            finished_at=row["finished_at"],
            source=row["source"],
            out_dir=row["out_dir"],
            settings=dict(row["settings"] or {}),
            total=int(row["total"]),
            counts=counts,
            finalize_runs=int(row["finalize_runs"] or 0),
        )

    def companies(self, scan_id: int, statuses: Sequence[str] | None = None) -> list[dict[str, Any]]:
        """The scan's company rows in file order (only those in ``statuses`` when given)."""
        q = sa.select(scan_companies).where(scan_companies.c.scan_id == scan_id)
        if statuses is not None:
            q = q.where(scan_companies.c.status.in_(list(statuses)))
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(q.order_by(scan_companies.c.position)).mappings()]

    def results(self, scan_id: int) -> list[dict[str, Any]]:
        """Stored results joined with their rows: host, name, url, segment, attempt, writes, company."""
        r, c = scan_results, scan_companies
        q = (
            sa.select(c.c.host, c.c.name, c.c.url, c.c.segment, r.c.attempt, r.c.writes, r.c.company)
            .join(r, sa.and_(r.c.scan_id == c.c.scan_id, r.c.host == c.c.host))
            .where(c.c.scan_id == scan_id)
            .order_by(c.c.position)
        )
        with self.engine.connect() as conn:
            return [dict(row) for row in conn.execute(q).mappings()]

    def scores(self, scan_id: int) -> list[dict[str, Any]]:
        """Every stored (host, dimension, score, level) of the scan."""
        q = (
            sa.select(scan_scores.c.host, scan_scores.c.dimension, scan_scores.c.score, scan_scores.c.level)
            .where(scan_scores.c.scan_id == scan_id)
            .order_by(scan_scores.c.host, scan_scores.c.dimension)
        )
        with self.engine.connect() as conn:
            return [dict(row) for row in conn.execute(q).mappings()]

    def benchmark(self, scan_id: int) -> dict[str, Any]:
        """The benchmark finalize stored; ``StoreError`` while the scan is not finalized."""
        info = self.scan(scan_id)
        with self.engine.connect() as conn:
            value = conn.execute(sa.select(scans.c.benchmark).where(scans.c.id == scan_id)).scalar_one()
        if value is None:
            raise StoreError(
                f"scan {scan_id} has no benchmark yet ({info.stored} of {info.total} companies stored)"
            )
        return dict(value)

    # -- leases --------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def lease(self, scan_id: int, host: str) -> Iterator[bool]:
        """PostgreSQL: hold the company's advisory lock for the block (yields False when another holds
        it). SQLite: yields True (the lease row is taken by :meth:`claim`)."""
        if not self.is_postgres:
            yield True
            return
        with self.engine.connect() as conn:
            key = advisory_key(scan_id, host)
            got = bool(conn.execute(sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar())
            conn.commit()
            try:
                yield got
            finally:
                if got:
                    conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                    conn.commit()

    def claim(self, scan_id: int, host: str, owner: str) -> Claim | str:
        """Take the company for a new attempt; else why not: ``stored`` (done or failed) or ``busy``
        (SQLite: a live lease of another process). On PostgreSQL call it under :meth:`lease`."""
        c = scan_companies
        with self.engine.begin() as conn:
            q = sa.select(c).where(c.c.scan_id == scan_id, c.c.host == host)
            if self.is_postgres:
                q = q.with_for_update()
            row = conn.execute(q).mappings().first()
            if row is None:
                raise StoreError(f"scan {scan_id} has no company {host}")
            if row["status"] in ("done", "failed"):
                return "stored"
            if (
                not self.is_postgres
                and row["status"] == "running"
                and row["lease_owner"] != owner
                and (row["lease_until"] or 0) > time.time()
                and not _owner_gone(row["lease_owner"])
            ):
                return "busy"
            attempt = int(row["attempt"]) + 1
            conn.execute(
                c.update()
                .where(c.c.scan_id == scan_id, c.c.host == host)
                .values(
                    status="running",
                    attempt=attempt,
                    lease_owner=owner,
                    lease_until=time.time() + LEASE_S,
                    updated_at=utc_now(),
                )
            )
        return Claim(scan_id, host, row["name"], row["url"], row["segment"], attempt, owner)

    # -- results -------------------------------------------------------------------------------------

    def store_result(self, claim: Claim, company: dict[str, Any]) -> bool:
        """Upsert the company's result and scores and mark it done, in one transaction, only while
        ``claim`` is the current attempt; False (nothing written) when it is not."""
        c = scan_companies
        overall = company.get("overall") or {}
        with self.engine.begin() as conn:
            fenced = conn.execute(
                c.update()
                .where(
                    c.c.scan_id == claim.scan_id,
                    c.c.host == claim.host,
                    c.c.attempt == claim.attempt,
                    c.c.status == "running",
                )
                .values(status="done", lease_owner=None, lease_until=None, error=None, updated_at=utc_now())
            )
            if fenced.rowcount != 1:
                conn.rollback()
                return False
            values = {
                "scan_id": claim.scan_id,
                "host": claim.host,
                "attempt": claim.attempt,
                "company": company,
                "score": overall.get("score"),
                "level": overall.get("level"),
                "writes": 1,
                "stored_at": utc_now(),
            }
            self._upsert(
                conn,
                scan_results,
                values,
                ("scan_id", "host"),
                {
                    "attempt": claim.attempt,
                    "company": company,
                    "score": values["score"],
                    "level": values["level"],
                    "writes": scan_results.c.writes + 1,
                    "stored_at": values["stored_at"],
                },
            )
            rows = [("overall", overall.get("score"), overall.get("level"))] + [
                (d["id"], d.get("score"), d.get("level")) for d in company.get("dimensions", [])
            ]
            for dimension, score, level in rows:
                self._upsert(
                    conn,
                    scan_scores,
                    {
                        "scan_id": claim.scan_id,
                        "host": claim.host,
                        "dimension": dimension,
                        "score": score,
                        "level": level,
                    },
                    ("scan_id", "host", "dimension"),
                    {"score": score, "level": level},
                )
        return True

    def attempt_failed(self, claim: Claim, error: str) -> str:
        """Record a failed attempt: ``failed`` after :data:`MAX_ATTEMPTS`, else ``pending`` again
        (returned); ``stale`` when ``claim`` is no longer the current attempt."""
        c = scan_companies
        status = "failed" if claim.attempt >= MAX_ATTEMPTS else "pending"
        with self.engine.begin() as conn:
            updated = conn.execute(
                c.update()
                .where(
                    c.c.scan_id == claim.scan_id,
                    c.c.host == claim.host,
                    c.c.attempt == claim.attempt,
                    c.c.status == "running",
                )
                .values(
                    status=status,
                    lease_owner=None,
                    lease_until=None,
                    error=error[:2000],
                    updated_at=utc_now(),
                )
            )
        return status if updated.rowcount == 1 else "stale"

    def release_pending(self, scan_id: int, owner: str) -> None:
        """Companies this owner left ``running`` (an interrupted local scan) go back to ``pending``."""
        c = scan_companies
        with self.engine.begin() as conn:
            conn.execute(
                c.update()
                .where(c.c.scan_id == scan_id, c.c.status == "running", c.c.lease_owner == owner)
                .values(status="pending", lease_owner=None, lease_until=None, updated_at=utc_now())
            )

    def finalize(self, scan_id: int, benchmark: dict[str, Any]) -> bool:
        """Mark the scan complete with ``benchmark``, once: True for the one caller that did it."""
        with self.engine.begin() as conn:
            open_companies = conn.execute(
                sa.select(sa.func.count())
                .select_from(scan_companies)
                .where(
                    scan_companies.c.scan_id == scan_id,
                    scan_companies.c.status.not_in(["done", "failed"]),
                )
            ).scalar_one()
            if open_companies:
                return False
            done = conn.execute(
                scans.update()
                .where(scans.c.id == scan_id, scans.c.status == "running")
                .values(
                    status="complete",
                    finished_at=utc_now(),
                    benchmark=benchmark,
                    finalize_runs=scans.c.finalize_runs + 1,
                )
            )
            return done.rowcount == 1

    def _upsert(
        self,
        conn: sa.Connection,
        table: sa.Table,
        values: dict[str, Any],
        keys: tuple[str, ...],
        update: dict[str, Any],
    ) -> None:
        insert = (postgresql if self.is_postgres else sqlite).insert(table).values(**values)
        conn.execute(insert.on_conflict_do_update(index_elements=list(keys), set_=update))
