"""Fixtures: a history store on SQLite and on the PostgreSQL test server, and small rosters."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from scheduler.history import HistoryStore

POSTGRES_URL = os.environ.get(
    "BRANCH_ROSTER_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
MONDAY = dt.date(2026, 11, 30)  # 2026-W49


def _postgres_or_skip() -> sa.Engine:
    """An engine on the test server; skip (or fail under CI) when it is unreachable."""
    engine = sa.create_engine(POSTGRES_URL)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as exc:
        engine.dispose()
        reason = f"PostgreSQL test server not reachable at {POSTGRES_URL}: {exc.orig}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return engine


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A URL whose connections use a fresh schema, dropped after the test."""
    engine = _postgres_or_skip()
    schema = f"test_history_{uuid.uuid4().hex[:12]}"
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty history database on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'history.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def store(db_url: str) -> Iterator[HistoryStore]:
    """An opened (migrated) empty store."""
    with HistoryStore.open(db_url) as opened:
        yield opened
