"""Helpers of the service tests: test settings, seeding, and a client with credentials.

The sample branch is loaded with its last weeks of traffic only (a faster forecast); a
second branch (the same configuration under another id) is there to test that nobody
crosses from one branch to the other.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from scheduler.pipeline import sample_dir
from scheduler.service import RosterService, ServiceSettings
from scheduler.service.security import Principal

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

WEEK = "2026-W49"
BRANCH = "SH-PD-001"
OTHER = "SH-PD-002"
PASSWORD = "correct-horse-42"


def small_traffic(since: str = "2026-09-01") -> bytes:
    """The sample traffic history from ``since`` on, as CSV bytes."""
    frame = pd.read_csv(sample_dir() / "traffic.csv.gz")
    frame = frame[pd.to_datetime(frame["timestamp"]) >= pd.Timestamp(since)]
    return frame.to_csv(index=False).encode()


def sample_config_bytes(branch: str = BRANCH) -> bytes:
    """The sample configuration, renamed to ``branch``."""
    text = (sample_dir() / "branch.yaml").read_text(encoding="utf-8")
    return text.replace(BRANCH, branch).encode()


def settings_for(folder: Path, **overrides: Any) -> ServiceSettings:
    """Test settings: tiny limits, one solver worker, a fixed secret and seed."""
    values: dict[str, Any] = dict(
        data_dir=folder,
        secret="s" * 40,
        workers=1,
        solver_workers=1,
        solve_time_limit_s=8.0,
        job_time_limit_s=120.0,
        max_upload_bytes=2_000_000,
        seed=0,
        # The suite's own workers keep every core busy: a job at nice 19 would get no CPU
        # and end without a roster (production keeps ServiceSettings.job_nice = 19).
        job_nice=0,
    )
    values.update(overrides)
    return ServiceSettings(**values)


def seed(svc: RosterService, both: bool = True) -> dict[str, str]:
    """Load the branches and create accounts and an HR key; returns credentials.

    Args:
        svc: The service.
        both: Load the second branch too (else only the sample branch).
    """
    for branch in (BRANCH, OTHER) if both else (BRANCH,):
        hr = Principal(kind="hr", name="seed", branches=frozenset({branch}))
        svc.put_config(hr, branch, sample_config_bytes(branch), "branch.yaml")
        traffic = small_traffic()
        if branch == OTHER:
            traffic = traffic.replace(BRANCH.encode(), OTHER.encode())
        svc.put_traffic(hr, branch, traffic, "traffic.csv")
    svc.auth.create_account("manager", PASSWORD, "manager", BRANCH)
    svc.auth.create_account("manager2", PASSWORD, "manager", OTHER)
    svc.auth.create_account("s01", PASSWORD, "staff", BRANCH, "S01")
    svc.auth.create_account("s04", PASSWORD, "staff", BRANCH, "S04")
    svc.auth.create_account("s05", PASSWORD, "staff", BRANCH, "S05")
    svc.auth.create_account("other_s01", PASSWORD, "staff", OTHER, "S01")
    return {"hr_key": svc.auth.create_api_key("hr-system", [BRANCH])}


@dataclass
class Harness:
    """A running app with its service and credentials."""

    client: TestClient
    svc: RosterService
    hr_key: str

    def token(self, username: str) -> dict[str, str]:
        """Bearer headers of a fresh session of ``username``."""
        resp = self.client.post("/v1/auth/login", json={"username": username, "password": PASSWORD})
        assert resp.status_code == 200, resp.text
        return {"Authorization": f"Bearer {resp.json()['token']}"}

    @property
    def hr(self) -> dict[str, str]:
        """Headers of the HR system (scoped to the first branch)."""
        return {"X-API-Key": self.hr_key}

    def wait(self, job_id: str, headers: dict[str, str], timeout: float = 90.0) -> dict:
        """Poll a job until it is final."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            job = self.client.get(f"/v1/jobs/{job_id}", headers=headers).json()
            if job["status"] not in ("queued", "running"):
                return job
            time.sleep(0.2)
        raise AssertionError(f"job {job_id} did not finish in {timeout} s")


PINS = [{"staff_id": "S02", "date": "2026-12-02", "off": True}]
"""Pins of the shared job (the operations supervisor S02 is given Wednesday off)."""
