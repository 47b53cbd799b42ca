"""Recorded schema migrations: an ordered list of functions and a table of those applied.

``migrate`` applies the missing ones in one transaction (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: an
advisory lock), so two processes opening a new database at once do not both create it. A database
migrated by a newer Engage is refused rather than misread.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import sqlalchemy as sa

from audit.history import schema

Migration = Callable[[sa.Connection], None]

schema_migrations = sa.Table(
    "schema_migrations",
    sa.MetaData(),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("applied_at", sa.String(32), nullable=False),
)

_ADVISORY_LOCK = 0x656E67  # "eng": serialises concurrent migrators on PostgreSQL


class SchemaTooNew(RuntimeError):
    """The database was migrated by a newer Engage."""


def _v1_initial(conn: sa.Connection) -> None:
    """runs, companies, results, scores, findings."""
    # When a later migration alters one of these tables, freeze a copy of its v1 definition here.
    names = ("runs", "companies", "results", "scores", "findings")
    schema.metadata.create_all(conn, tables=[schema.metadata.tables[n] for n in names])


#: (version, name, function), in order. Append only; never edit an applied migration.
MIGRATIONS: list[tuple[int, str, Migration]] = [
    (1, "initial tables", _v1_initial),
]

LATEST = MIGRATIONS[-1][0]


def applied(conn: sa.Connection) -> list[int]:
    """Versions applied to this database (empty for a new one)."""
    if not sa.inspect(conn).has_table("schema_migrations"):
        return []
    return [r[0] for r in conn.execute(sa.select(schema_migrations.c.version).order_by("version"))]


def migrate(engine: sa.Engine) -> list[int]:
    """Apply every missing migration; returns the versions applied now."""
    done: list[int] = []
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _ADVISORY_LOCK})
        schema_migrations.create(conn, checkfirst=True)
        have = set(applied(conn))
        if have and max(have) > LATEST:
            raise SchemaTooNew(
                f"the history database is at schema version {max(have)}, newer than this Engage "
                f"knows ({LATEST}): upgrade Engage"
            )
        for version, name, fn in MIGRATIONS:
            if version in have:
                continue
            fn(conn)
            now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            conn.execute(schema_migrations.insert().values(version=version, name=name, applied_at=now))
            done.append(version)
    return done
