"""Open a history database: resolve its URL, refuse foreign or corrupt files, migrate it.

Migrations are Alembic revisions shipped inside the package (``scheduler/history/migrations``)
and run programmatically on open, the equivalent of ``alembic upgrade head``; there is no
``alembic.ini`` to find and no server to start for the default SQLite file.
"""

from __future__ import annotations

import functools
import os
import threading
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError

from scheduler.errors import InputError, Issue
from scheduler.history.models import APPLICATION_ID

ENV_VAR = "BRANCH_ROSTER_DB"
"""Environment variable naming the history database (a URL or a file path)."""

_UPGRADE_LOCK = threading.Lock()

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
"""Where the Alembic environment and revisions live."""


def default_db_path() -> Path:
    """The default SQLite file: ``$XDG_DATA_HOME/branch-roster/history.db``.

    ``XDG_DATA_HOME`` defaults to ``~/.local/share``.
    """
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "branch-roster" / "history.db"


def resolve_db_url(db: str | Path | None = None) -> str:
    """The SQLAlchemy URL of the history database.

    Args:
        db: A SQLAlchemy URL (``sqlite:///...``, ``postgresql+psycopg://...``) or a file path;
            ``None`` uses ``$BRANCH_ROSTER_DB`` and then :func:`default_db_path`.

    Returns:
        A URL; a bare path becomes a ``sqlite:///`` URL.
    """
    if db is None or str(db).strip() == "":
        db = os.environ.get(ENV_VAR) or default_db_path()
    text = str(db).strip()
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def database_exists(url: str) -> bool:
    """Whether a SQLite URL names an existing file; server URLs are assumed to exist."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return False
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return True
    return Path(parsed.database).expanduser().exists()


def display_url(url: str) -> str:
    """The URL with any password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    """An Alembic configuration pointing at the packaged migrations.

    Args:
        connection: Migrate through this open connection.
        url: Or connect to this URL.
    """
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


@functools.cache
def head_revision() -> str:
    """The newest schema revision this version of the package knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


@functools.cache
def _known_revisions() -> frozenset[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return frozenset(rev.revision for rev in script.walk_revisions())


def _fail(url: str, message: str, allowed: str) -> InputError:
    return InputError([Issue(file=display_url(url), message=message, allowed=allowed)])


def create_engine_for(url: str) -> Engine:
    """Create the engine, making the folder of a SQLite file and enabling its foreign keys.

    Raises:
        InputError: If the URL is malformed or names a driver that is not installed.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise _fail(
            url, "not a database URL", "sqlite:///path/history.db or postgresql+psycopg://..."
        ) from None
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = sa.create_engine(parsed, future=True)
    except (ArgumentError, ImportError, sa.exc.NoSuchModuleError) as exc:
        raise _fail(url, f"cannot use this database: {exc}", "sqlite or postgresql") from None
    if parsed.get_backend_name() == "sqlite":

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

    return engine


def check_and_upgrade(engine: Engine, url: str) -> str:
    """Refuse a database that is not a history store, then migrate it to the newest schema.

    An empty database (or a new SQLite file) is initialised. A database holding other tables,
    a file that is not a database, or a store written by a newer version raise a clear error
    and are left untouched.

    Returns:
        The schema revision after the upgrade.

    Raises:
        InputError: If the database cannot be opened, is foreign, corrupt or too new.
    """
    try:
        with engine.connect() as conn:
            tables = set(sa.inspect(conn).get_table_names())
            current = MigrationContext.configure(conn).get_current_revision()
            application = None
            if "store_meta" in tables:
                application = conn.execute(
                    sa.text("SELECT value FROM store_meta WHERE key = 'application'")
                ).scalar()
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise _fail(
            url,
            f"cannot open the history database: {reason}",
            "a reachable server, or a writable file path",
        ) from None
    except DatabaseError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise _fail(
            url,
            f"the file is not a readable database ({reason}); it was left untouched",
            "a branch-roster history database, or a new file name",
        ) from None
    ours = {"store_meta", "alembic_version"}
    if tables and (current is None or application != APPLICATION_ID):
        others = ", ".join(sorted(tables - ours)[:8]) or ", ".join(sorted(tables))
        raise _fail(
            url,
            f"this database is not a branch-roster history store (it holds tables: {others}); "
            "nothing was changed",
            "a branch-roster history database, or an empty database / new file",
        )
    if current is not None and current not in _known_revisions():
        raise _fail(
            url,
            f"the history store has schema revision {current}, unknown to this version "
            "(written by a newer branch-roster?); nothing was changed",
            f"schema revisions up to {head_revision()}",
        )
    head = head_revision()
    if current == head:
        return head
    with _UPGRADE_LOCK, engine.begin() as conn:  # Alembic's context is process-global
        command.upgrade(alembic_config(connection=conn), "head")
    return head
