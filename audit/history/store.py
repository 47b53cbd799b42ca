"""The history store: one database (SQLite by default, PostgreSQL by URL) holding every audit run.

A run is inserted as ``running`` before the audit starts and becomes ``complete``/``partial`` only in the
final transaction that also stores its results, scores and findings, so an interrupted or failed audit
never leaves a half-run that looks finished. :meth:`Store.recorded_run` is that lifecycle, for every
command that records a run (``engage audit --db``, ``engage project run``, ``engage rescore``).

SQLite runs in WAL mode with a busy timeout and takes its write lock at ``BEGIN`` (``BEGIN IMMEDIATE``),
so two scheduled runs at once wait for each other instead of failing or interleaving.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from audit import __version__
from audit.credentials import redact, redact_all
from audit.history import schema
from audit.history.diff import channel_identity
from audit.history.migrations import SchemaTooNew, migrate
from audit.models import utc_now
from audit.urls import host
from audit.validation import dumps

#: Seconds a SQLite writer waits for another's lock before giving up.
SQLITE_BUSY_TIMEOUT_S = 60


class StoreError(RuntimeError):
    """The history database cannot be used (bad URL, unreachable server, unknown run)."""


def describe(exc: BaseException) -> str:
    """One line for a failed run's ``error`` column."""
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def database_problem(url: str, exc: BaseException) -> StoreError:
    """A driver's error about ``url`` as a one-line ``StoreError`` (drivers' messages span lines)."""
    orig = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(orig).splitlines() if line.strip()]
    reason = " — ".join(lines) or type(orig).__name__
    return StoreError(f"{display_url(url)}: {reason}")


def default_db_path(environ: Mapping[str, str] | None = None) -> Path:
    """``$XDG_DATA_HOME/engage/history.db`` (``~/.local/share/engage/history.db`` by default)."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "engage" / "history.db"


def resolve_url(raw: str | None, environ: Mapping[str, str] | None = None) -> str:
    """A SQLAlchemy URL from ``--db``/``ENGAGE_DB``: a URL, a file path (SQLite), or the default file."""
    env = os.environ if environ is None else environ
    value = (raw or env.get("ENGAGE_DB") or "").strip()
    if not value:
        return f"sqlite:///{default_db_path(env)}"
    if "://" not in value:
        return f"sqlite:///{Path(value).expanduser().resolve()}"
    scheme, rest = value.split("://", 1)
    if scheme in ("postgres", "postgresql"):  # psycopg 3 is the driver we ship
        return f"postgresql+psycopg://{rest}"
    return value


def display_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return url


def _sqlite_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (IMMEDIATE, below)
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_S * 1000}")
    # Switching a new database to WAL can answer "database is locked" at once, without the busy handler,
    # while another connection is creating it: retry for a while instead of failing the run.
    for attempt in range(100):
        try:
            cur.execute("PRAGMA journal_mode = WAL")
            break
        except sqlite3.OperationalError:
            if attempt == 99:
                raise
            time.sleep(0.05)
    cur.execute("PRAGMA foreign_keys = ON")
    cur.close()


def _sqlite_begin(conn: sa.Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def open_engine(url: str) -> sa.Engine:
    """An engine for ``url``; a SQLite file's directory is created, its connections set up for WAL."""
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError as exc:
        raise StoreError(f"not a database URL: {url!r} ({exc})") from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            folder = Path(parsed.database).parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                blocker = next((p for p in (folder, *folder.parents) if p.exists()), None)
                why = f"{blocker} is a file" if blocker and not blocker.is_dir() else exc.strerror
                raise StoreError(f"{display_url(url)}: cannot create {folder} ({why})") from None
        engine = sa.create_engine(
            parsed,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False},
            json_serializer=dumps,
        )
        sa.event.listen(engine, "connect", _sqlite_connect)
        sa.event.listen(engine, "begin", _sqlite_begin)
        return engine
    try:
        return sa.create_engine(parsed, pool_pre_ping=True, json_serializer=dumps)
    except (ImportError, sa.exc.NoSuchModuleError) as exc:
        raise StoreError(f"{display_url(url)}: no driver ({exc})") from None


@dataclass(frozen=True)
class RunInfo:
    """One row of ``runs``."""

    id: int
    project: str | None
    client: str | None
    tool_version: str
    model_id: str | None
    model_version: str | None
    started_at: str
    finished_at: str | None
    status: str
    out_dir: str | None
    capture_path: str | None
    capture_sha256: str | None
    source_run_id: int | None
    warnings: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def model(self) -> dict[str, str | None]:
        return {"id": self.model_id, "version": self.model_version}

    @property
    def model_label(self) -> str:
        return f"{self.model_id or '?'} {self.model_version or '?'}"


@dataclass(frozen=True)
class ScoreRow:
    """One row of the narrow ``scores`` table, with the company's host and name."""

    run_id: int
    host: str
    name: str
    role: str
    dimension: str
    score: float | None
    level: int | None
    rank: int | None


@dataclass
class RecordedRun:
    """A run that :meth:`Store.recorded_run` began: its id, and the results to store when it ends."""

    store: Store
    id: int
    audit: dict[str, Any] | None = None
    status: str | None = None
    out_dir: Path | None = None
    capture_path: Path | None = None

    def finish_with(
        self,
        audit: dict[str, Any],
        *,
        status: str | None = None,
        out_dir: Path | None = None,
        capture_path: Path | None = None,
    ) -> None:
        """The results to store (in the run's final transaction) when the ``with`` block ends normally;
        ``status`` overrides the audit's own (``failed`` for a run that ended in an error)."""
        self.audit, self.status, self.out_dir, self.capture_path = audit, status, out_dir, capture_path


class Store:
    """The history database: migrated on open; every write one transaction."""

    def __init__(self, url: str | None = None) -> None:
        self.url = resolve_url(url)
        self.engine = open_engine(self.url)
        try:
            migrate(self.engine)
        except sa.exc.SQLAlchemyError as exc:  # unreachable server, a file that is not a database, …
            self.engine.dispose()
            raise database_problem(self.url, exc) from None
        except SchemaTooNew as exc:
            self.engine.dispose()
            raise StoreError(f"{display_url(self.url)}: {exc}") from None

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- writes ------------------------------------------------------------------------------------------

    def begin_run(
        self,
        targets: Sequence[dict[str, Any]],
        settings: dict[str, Any],
        tool_version: str,
        project: str | None = None,
        source_run_id: int | None = None,
    ) -> int:
        """Insert a ``running`` run (its own short transaction) and return its id."""
        targets, settings = redact_all(list(targets)), redact_all(settings)
        client = next((t["url"] for t in targets if t.get("role") == "client"), None)
        values = {
            "project": project,
            "client": host(client).removeprefix("www.") if client else None,
            "tool_version": tool_version,
            "settings": settings,
            "targets": list(targets),
            "started_at": utc_now(),
            "status": "running",
            "warnings": [],
            "source_run_id": source_run_id,
        }
        with self.engine.begin() as conn:
            key = conn.execute(schema.runs.insert().values(**values)).inserted_primary_key
            assert key is not None
            return int(key[0])

    @contextmanager
    def recorded_run(
        self,
        targets: Sequence[dict[str, Any]],
        settings: dict[str, Any],
        *,
        tool_version: str = __version__,
        project: str | None = None,
        source_run_id: int | None = None,
    ) -> Iterator[RecordedRun]:
        """Begin a ``running`` run and yield its handle. When the block ends normally the results given
        to :meth:`RecordedRun.finish_with` are stored and the run marked done, in one transaction; when
        it raises (Ctrl-C included), or that transaction fails, the run is marked ``failed`` with the
        error in words and the exception goes on."""
        run = RecordedRun(self, self.begin_run(targets, settings, tool_version, project, source_run_id))
        try:
            yield run
            if run.audit is None:
                raise StoreError(f"run {run.id} ended without results to store")
            self.finish_run(
                run.id, run.audit, status=run.status, out_dir=run.out_dir, capture_path=run.capture_path
            )
        except BaseException as exc:
            self.fail_run(run.id, describe(exc))
            raise

    def finish_run(
        self,
        run_id: int,
        audit: dict[str, Any],
        *,
        status: str | None = None,
        out_dir: Path | None = None,
        capture_path: Path | None = None,
    ) -> None:
        """Store the results and mark the run done, all in one transaction (only a ``running`` run)."""
        capture_sha = file_sha256(capture_path) if capture_path and capture_path.is_file() else None
        audit = redact_all(audit)  # an error text can never carry a credential into the database
        with self.engine.begin() as conn:
            ids = {c["url"]: self._company_id(conn, c) for c in audit.get("companies", [])}
            conn.execute(schema.results.insert().values(run_id=run_id, audit=audit))
            score_rows = list(_score_rows(run_id, audit, ids))
            if score_rows:
                conn.execute(schema.scores.insert(), score_rows)
            finding_rows = list(_finding_rows(run_id, audit, ids))
            if finding_rows:
                conn.execute(schema.findings.insert(), finding_rows)
            model = audit.get("model", {})
            updated = conn.execute(
                schema.runs.update()
                .where(schema.runs.c.id == run_id, schema.runs.c.status == "running")
                .values(
                    status=status or audit.get("status", "complete"),
                    finished_at=audit.get("finished_at") or utc_now(),
                    model_id=model.get("id"),
                    model_version=model.get("version"),
                    out_dir=str(out_dir) if out_dir else None,
                    capture_path=str(capture_path.resolve()) if capture_path else None,
                    capture_sha256=capture_sha,
                )
            )
            if updated.rowcount != 1:
                raise StoreError(f"run {run_id} is not running: its results were not stored")

    def fail_run(self, run_id: int, error: str) -> None:
        """Mark a ``running`` run failed (nothing else is stored)."""
        with self.engine.begin() as conn:
            conn.execute(
                schema.runs.update()
                .where(schema.runs.c.id == run_id, schema.runs.c.status == "running")
                .values(status="failed", finished_at=utc_now(), error=redact(error)[:2000])
            )

    def add_warning(self, run_id: int, warning: str) -> None:
        """Append a warning to a run (e.g. a webhook that could not be delivered)."""
        with self.engine.begin() as conn:
            row = conn.execute(
                sa.select(schema.runs.c.warnings).where(schema.runs.c.id == run_id)
            ).one_or_none()
            if row is None:
                return
            warnings = [*(row.warnings or []), redact(warning)]
            conn.execute(schema.runs.update().where(schema.runs.c.id == run_id).values(warnings=warnings))

    def _company_id(self, conn: sa.Connection, company: dict[str, Any]) -> int:
        """The company's id by host (inserted when new; name and URL kept current)."""
        key = host(company["url"]).removeprefix("www.")
        dialect = conn.dialect.name
        values = {"host": key, "name": company["name"], "url": company["url"]}
        if dialect == "postgresql":
            conn.execute(postgresql.insert(schema.companies).values(**values).on_conflict_do_nothing())
        elif dialect == "sqlite":
            conn.execute(sqlite.insert(schema.companies).values(**values).on_conflict_do_nothing())
        elif (
            conn.execute(sa.select(schema.companies.c.id).where(schema.companies.c.host == key)).first()
            is None
        ):
            conn.execute(schema.companies.insert().values(**values))
        conn.execute(
            schema.companies.update()
            .where(schema.companies.c.host == key)
            .values(name=company["name"], url=company["url"])
        )
        return int(
            conn.execute(sa.select(schema.companies.c.id).where(schema.companies.c.host == key)).scalar_one()
        )

    # -- reads -------------------------------------------------------------------------------------------

    def runs(
        self,
        project: str | None = None,
        statuses: Iterable[str] | None = schema.DONE,
        client: str | None = None,
    ) -> list[RunInfo]:
        """Runs, oldest first (by finish time, then id); ``statuses=None`` lists every status."""
        q = sa.select(schema.runs)
        if project is not None:
            q = q.where(schema.runs.c.project == project)
        if client is not None:
            q = q.where(schema.runs.c.client == client)
        if statuses is not None:
            q = q.where(schema.runs.c.status.in_(list(statuses)))
        q = q.order_by(schema.runs.c.finished_at, schema.runs.c.id)
        with self.engine.connect() as conn:
            return [_run_info(r) for r in conn.execute(q).mappings()]

    def run(self, run_id: int) -> RunInfo:
        """One run; ``StoreError`` when there is none."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(schema.runs).where(schema.runs.c.id == run_id)).mappings().first()
        if row is None:
            raise StoreError(f"run {run_id} not found in {display_url(self.url)}")
        return _run_info(row)

    def result(self, run_id: int) -> dict[str, Any]:
        """The stored ``audit.json`` of a finished run."""
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(schema.results.c.audit).where(schema.results.c.run_id == run_id)
            ).first()
        if row is None:
            status = self.run(run_id).status  # "not found" when there is no such run at all
            raise StoreError(f"run {run_id} has no stored result (it is {status}: it did not finish)")
        return dict(row.audit)

    def score_rows(self, run_ids: Sequence[int]) -> list[ScoreRow]:
        """The narrow scores of ``run_ids`` (every company and dimension, ``overall`` included)."""
        if not run_ids:
            return []
        s, c = schema.scores, schema.companies
        q = (
            sa.select(s.c.run_id, c.c.host, c.c.name, s.c.role, s.c.dimension, s.c.score, s.c.level, s.c.rank)
            .join(c, c.c.id == s.c.company_id)
            .where(s.c.run_id.in_(list(run_ids)))
            .order_by(s.c.run_id, c.c.host, s.c.dimension)
        )
        with self.engine.connect() as conn:
            return [ScoreRow(**dict(r)) for r in conn.execute(q).mappings()]

    def companies(self) -> list[tuple[str, str]]:
        """(host, latest name) of every company ever audited, by name."""
        c = schema.companies
        with self.engine.connect() as conn:
            return [(r.host, r.name) for r in conn.execute(sa.select(c.c.host, c.c.name).order_by(c.c.name))]


def _run_info(row: Any) -> RunInfo:
    return RunInfo(
        id=int(row["id"]),
        project=row["project"],
        client=row["client"],
        tool_version=row["tool_version"],
        model_id=row["model_id"],
        model_version=row["model_version"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        status=row["status"],
        out_dir=row["out_dir"],
        capture_path=row["capture_path"],
        capture_sha256=row["capture_sha256"],
        source_run_id=row["source_run_id"],
        warnings=list(row["warnings"] or []),
        error=row["error"],
    )


def _score_rows(run_id: int, audit: dict[str, Any], ids: dict[str, int]) -> Iterable[dict[str, Any]]:
    for c in audit.get("companies", []):
        overall = c.get("overall", {})
        base = {"run_id": run_id, "company_id": ids[c["url"]], "role": c.get("role", "competitor")}
        yield {
            **base,
            "dimension": "overall",
            "score": overall.get("score"),
            "level": overall.get("level"),
            "rank": c.get("rank"),
        }
        for d in c.get("dimensions", []):
            yield {
                **base,
                "dimension": d["id"],
                "score": d.get("score"),
                "level": d.get("level"),
                "rank": d.get("rank"),
            }


def _finding_rows(run_id: int, audit: dict[str, Any], ids: dict[str, int]) -> Iterable[dict[str, Any]]:
    for c in audit.get("companies", []):
        for kind, items in sorted(c.get("channels", {}).items()):
            for item in items:
                yield {
                    "run_id": run_id,
                    "company_id": ids[c["url"]],
                    "channel": kind,
                    "identity": channel_identity(kind, item),
                    "url": item.get("url", ""),
                    "source_url": (item.get("evidence") or {}).get("source_url"),
                    "item": item,
                }


def file_sha256(path: Path) -> str:
    """The file's SHA-256 (hex), read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
