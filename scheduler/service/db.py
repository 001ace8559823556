"""The service's own tables: accounts, API keys, sessions, branches, files, jobs, swaps.

They use their own SQLAlchemy metadata (tables prefixed ``svc_``) in the same database as the
history store. They are created after the history store has migrated the database, so the
store still recognises the database as its own. Keeping them out of the history store's
Alembic chain lets the service's schema change without touching the store's revisions and
lets the history store be used without the service; ``svc_meta`` records the service schema
version for its own upgrades.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

SCHEMA_VERSION = 1
"""Version of the service tables written by this code."""

metadata = sa.MetaData()

SVC_META = sa.Table(
    "svc_meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.String(256), nullable=False),
)

ACCOUNTS = sa.Table(
    "svc_accounts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("username", sa.String(64), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(256), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),  # manager | staff
    sa.Column("branch_id", sa.String(64), nullable=False),
    sa.Column("staff_id", sa.String(64)),
    sa.Column("active", sa.Boolean, nullable=False, default=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

API_KEYS = sa.Table(
    "svc_api_keys",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(128), nullable=False),
    sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("branches", sa.Text, nullable=False),  # comma-separated branch ids
    sa.Column("revoked", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

SESSIONS = sa.Table(
    "svc_sessions",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("account_id", sa.Integer, sa.ForeignKey("svc_accounts.id"), nullable=False),
    sa.Column("csrf", sa.String(64), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revoked", sa.Boolean, nullable=False, default=False),
)

BRANCHES = sa.Table(
    "svc_branches",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(256), nullable=False),
    sa.Column("config_text", sa.Text, nullable=False),
    sa.Column("config_suffix", sa.String(8), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

FILES = sa.Table(
    "svc_files",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("branch_id", sa.String(64), nullable=False, index=True),
    sa.Column("kind", sa.String(16), nullable=False),  # traffic | availability
    sa.Column("name", sa.String(256), nullable=False),
    sa.Column("week", sa.String(16)),
    sa.Column("staff_id", sa.String(64)),
    sa.Column("content", sa.LargeBinary, nullable=False),
    sa.Column("uploaded_by", sa.String(128), nullable=False),
    sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("branch_id", "kind", "name", "week"),
)

TRAFFIC_SPANS = sa.Table(
    "svc_traffic_spans",
    metadata,
    sa.Column("branch_id", sa.String(64), primary_key=True),
    sa.Column("first_date", sa.Date, nullable=False),
    sa.Column("last_date", sa.Date, nullable=False),
)
"""First and last local date of each branch's stored traffic history, written with the file.

A job submit checks its week against them without reading the history file again. A branch
whose history was stored before this table existed gets its row on the first submit.
"""

JOBS = sa.Table(
    "svc_jobs",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("branch_id", sa.String(64), nullable=False, index=True),
    sa.Column("week", sa.String(16), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("stage", sa.String(32), nullable=False, default=""),
    sa.Column("progress", sa.Float, nullable=False, default=0.0),
    sa.Column("message", sa.Text, nullable=False, default=""),
    sa.Column("roster_status", sa.String(16)),
    sa.Column("time_limit_s", sa.Float, nullable=False),
    sa.Column("pins_json", sa.Text, nullable=False, default="[]"),
    sa.Column("created_by", sa.String(128), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True)),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
    sa.Column("cancel_requested", sa.Boolean, nullable=False, default=False),
    sa.Column("publication_id", sa.Integer),
)

SWAPS = sa.Table(
    "svc_swaps",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("branch_id", sa.String(64), nullable=False, index=True),
    sa.Column("job_id", sa.String(32), nullable=False),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("staff_id", sa.String(64), nullable=False),
    sa.Column("partner_id", sa.String(64), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # proposed | approved | rejected
    sa.Column("check_message", sa.Text, nullable=False, default=""),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("decided_by", sa.String(128)),
)

JOB_STATES = ("queued", "running", "succeeded", "failed", "cancelled", "interrupted")
"""Every state a job can be in; the last four are final."""
FINAL_STATES = frozenset(JOB_STATES[2:])


def now() -> dt.datetime:
    """The current time in UTC."""
    return dt.datetime.now(dt.UTC)


def as_utc(value: dt.datetime) -> dt.datetime:
    """A stored time as aware UTC (SQLite gives naive times back)."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def create_tables(engine: Engine) -> None:
    """Create the service tables that are missing and record the schema version."""
    metadata.create_all(engine, checkfirst=True)
    with engine.begin() as conn:
        row = conn.execute(sa.select(SVC_META.c.value).where(SVC_META.c.key == "schema")).first()
        if row is None:
            conn.execute(sa.insert(SVC_META).values(key="schema", value=str(SCHEMA_VERSION)))


def row_dict(row: Any) -> dict[str, Any]:
    """A result row as a plain dict."""
    return dict(row._mapping)
