"""Shared fixtures: the sample branch for a fixed week, and a PostgreSQL schema per test."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from scheduler.domain import BranchConfig
from scheduler.sample.branch import sample_config

SAMPLE_WEEK_START = dt.date(2026, 11, 30)  # ISO week 2026-W49


@pytest.fixture
def sample_cfg() -> BranchConfig:
    """The sample branch as configured for 2026-W49."""
    return sample_config(SAMPLE_WEEK_START)


POSTGRES_URL = os.environ.get(
    "BRANCH_ROSTER_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
"""The PostgreSQL test server (trust auth, database ``test``)."""


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
    schema = f"test_{uuid.uuid4().hex[:12]}"
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()
