"""The history database's tables, as SQLAlchemy Core metadata (the current schema).

Migrations (``migrations.py``) create and change them; nothing else issues DDL. Times are ISO-8601 UTC
strings (as in ``audit.json``) so SQLite and PostgreSQL sort and compare them the same way.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

#: Run statuses: ``running`` until the final transaction stores the results; ``complete``/``partial``
#: mirror ``audit.json``'s status; ``failed`` when the audit raised or no company could be audited.
RUN_STATUSES = ("running", "complete", "partial", "failed")
DONE = ("complete", "partial")

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("project", sa.String(200), nullable=True, index=True),
    sa.Column("client", sa.String(255), nullable=True),  # the client's host, e.g. acme.test
    sa.Column("tool_version", sa.String(50), nullable=False),
    sa.Column("model_id", sa.String(100), nullable=True),
    sa.Column("model_version", sa.String(50), nullable=True),
    sa.Column("settings", sa.JSON, nullable=False),
    sa.Column("targets", sa.JSON, nullable=False),  # [{url, role, name}]
    sa.Column("started_at", sa.String(32), nullable=False),
    sa.Column("finished_at", sa.String(32), nullable=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("out_dir", sa.Text, nullable=True),
    sa.Column("capture_path", sa.Text, nullable=True),  # the WARC that `engage rescore` re-reads
    sa.Column("capture_sha256", sa.String(64), nullable=True),
    sa.Column("source_run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=True),  # rescored from
    sa.Column("warnings", sa.JSON, nullable=False),
    sa.Column("error", sa.Text, nullable=True),
    sa.CheckConstraint("status IN ('running', 'complete', 'partial', 'failed')", name="runs_status"),
)

companies = sa.Table(
    "companies",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("host", sa.String(255), nullable=False, unique=True),  # identity across runs
    sa.Column("name", sa.String(255), nullable=False),  # the latest name seen
    sa.Column("url", sa.Text, nullable=False),
)

results = sa.Table(
    "results",
    metadata,
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("audit", sa.JSON, nullable=False),  # the full audit.json document
)

scores = sa.Table(
    "scores",
    metadata,
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("company_id", sa.Integer, sa.ForeignKey("companies.id"), primary_key=True),
    sa.Column("dimension", sa.String(100), primary_key=True),  # a dimension id, or "overall"
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("score", sa.Float, nullable=True),
    sa.Column("level", sa.Integer, nullable=True),
    sa.Column("rank", sa.Integer, nullable=True),
)
sa.Index("scores_company_dimension", scores.c.company_id, scores.c.dimension)

findings = sa.Table(
    "findings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("company_id", sa.Integer, sa.ForeignKey("companies.id"), nullable=False),
    sa.Column("channel", sa.String(50), nullable=False),  # social, chat, faq, … (audit.json's kinds)
    sa.Column("identity", sa.Text, nullable=False),  # what makes it "the same channel" across runs
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("source_url", sa.Text, nullable=True),  # where it was found: the evidence
    sa.Column("item", sa.JSON, nullable=False),
)
