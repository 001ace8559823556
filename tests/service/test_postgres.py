"""The service on PostgreSQL: the same tables, accounts, uploads and job records."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from service_helpers import BRANCH, PASSWORD, WEEK, seed, settings_for

from scheduler.service import RosterService
from scheduler.service.security import Principal

POSTGRES_URL = os.environ.get(
    "BRANCH_ROSTER_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL on a fresh schema of the PostgreSQL test server (skipped when unreachable)."""
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
    schema = f"test_service_{uuid.uuid4().hex[:12]}"
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def test_service_state_lives_in_postgres(pg_url: str, tmp_path: Path) -> None:
    """Accounts, uploads and job records are kept in PostgreSQL across a restart."""
    svc = RosterService(settings_for(tmp_path, db_url=pg_url))
    creds = seed(svc, both=False)
    hr = Principal(kind="hr", name="hr", branches=frozenset({BRANCH}))
    job_id = svc.create_job(hr, BRANCH, WEEK)
    with svc.engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE svc_jobs SET status = 'running' WHERE id = :id"), {"id": job_id}
        )
    svc.store.close()

    again = RosterService(settings_for(tmp_path, db_url=pg_url))
    again.runner.start()
    try:
        assert again.job(hr, job_id)["status"] == "interrupted"
        assert again.auth.login("manager", PASSWORD) is not None
        assert again.auth.from_api_key(creds["hr_key"]) is not None
        assert [b["id"] for b in again.branches(hr)] == [BRANCH]
    finally:
        again.close()
