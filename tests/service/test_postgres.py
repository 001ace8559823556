"""The service on PostgreSQL: the same tables, accounts, uploads and job records."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from service_helpers import BRANCH, PASSWORD, WEEK, seed, settings_for

from scheduler.service import RosterService
from scheduler.service.security import Principal

pytestmark = pytest.mark.postgres


def test_service_state_lives_in_postgres(postgres_url: str, tmp_path: Path) -> None:
    """Accounts, uploads and job records are kept in PostgreSQL across a restart."""
    svc = RosterService(settings_for(tmp_path, db_url=postgres_url))
    creds = seed(svc, both=False)
    hr = Principal(kind="hr", name="hr", branches=frozenset({BRANCH}))
    job_id = svc.create_job(hr, BRANCH, WEEK)
    with svc.engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE svc_jobs SET status = 'running' WHERE id = :id"), {"id": job_id}
        )
    svc.store.close()

    again = RosterService(settings_for(tmp_path, db_url=postgres_url))
    again.runner.start()
    try:
        assert again.job(hr, job_id)["status"] == "interrupted"
        assert again.auth.login("manager", PASSWORD) is not None
        assert again.auth.from_api_key(creds["hr_key"]) is not None
        assert [b["id"] for b in again.branches(hr)] == [BRANCH]
    finally:
        again.close()
