"""Fixtures: a history store on SQLite and on the PostgreSQL test server, and small rosters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from scheduler.history import HistoryStore

MONDAY = dt.date(2026, 11, 30)  # 2026-W49


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
