"""The job queue: bounded slots, cancellation, the time limit and restarts."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from service_helpers import BRANCH, WEEK, Harness, seed, settings_for

from scheduler.errors import InputError
from scheduler.service import RosterService
from scheduler.service.db import JOBS
from scheduler.service.security import Principal


def _wait_status(h: Harness, job_id: str, status: str, timeout: float = 30.0) -> dict:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        job = h.client.get(f"/v1/jobs/{job_id}", headers=h.hr).json()
        if job["status"] == status:
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} never reached {status}")


def _start(h: Harness) -> str:
    resp = h.client.post(f"/v1/branches/{BRANCH}/jobs", json={"week": WEEK}, headers=h.hr)
    assert resp.status_code == 202, resp.text
    return str(resp.json()["id"])


@pytest.mark.slow
def test_jobs_queue_beyond_the_pool_and_cancel(make_harness: Callable[..., Harness]) -> None:
    """With one slot a second job waits queued while the first reports progress; both cancel."""
    h = make_harness(workers=1)
    first, second = _start(h), _start(h)
    running = _wait_status(h, first, "running")
    assert running["started_at"] is not None
    seen = set()
    end = time.monotonic() + 60
    while ("roster", 0.4) not in seen and time.monotonic() < end:
        job = h.client.get(f"/v1/jobs/{first}", headers=h.hr).json()
        seen.add((job["stage"], job["progress"]))
        time.sleep(0.05)
    assert ("roster", 0.4) in seen  # the pipeline's progress, stage by stage
    queued = h.client.get(f"/v1/jobs/{second}", headers=h.hr).json()
    assert queued["status"] == "queued"
    early = h.client.get(f"/v1/jobs/{second}/result", headers=h.hr)
    assert early.status_code == 409  # not finished yet: unlike a job that does not exist
    assert early.json()["detail"] == f"job {second} has not finished yet (status queued)"
    for job in (second, first):
        assert h.client.post(f"/v1/jobs/{job}/cancel", headers=h.hr).status_code == 200
    assert h.wait(first, h.hr)["status"] == "cancelled"
    assert h.wait(second, h.hr)["status"] == "cancelled"
    result = h.client.get(f"/v1/jobs/{first}/result", headers=h.hr)
    assert result.status_code == 404


def test_job_past_the_time_limit_is_stopped(make_harness: Callable[..., Harness]) -> None:
    """A job still running at the service's job time limit is stopped and marked failed."""
    h = make_harness(job_time_limit_s=0.5)
    job = h.wait(_start(h), h.hr)
    assert job["status"] == "failed"
    assert job["message"] == "stopped at the job time limit of 0.5 s"


def test_restart_marks_running_jobs_interrupted_and_keeps_inputs(tmp_path: Path) -> None:
    """A job left running by a stopped service is marked interrupted and can be run again."""
    svc = RosterService(settings_for(tmp_path))
    seed(svc, both=False)
    hr = Principal(kind="hr", name="hr", branches=frozenset({BRANCH}))
    job_id = svc.create_job(hr, BRANCH, WEEK)  # the runner is not started: it stays queued
    with svc.engine.begin() as conn:
        conn.execute(sa.update(JOBS).where(JOBS.c.id == job_id).values(status="running"))
    svc.store.close()

    again = RosterService(settings_for(tmp_path))
    again.runner.start()
    try:
        job = again.job(hr, job_id)
    finally:
        again.close()
    assert job["status"] == "interrupted"
    assert job["message"].startswith("the service stopped while this job ran")
    inputs = sorted(p.name for p in (tmp_path / "jobs" / job_id / "input").iterdir())
    assert inputs == ["availability", "branch.yaml", "traffic.csv"]
    third = RosterService(settings_for(tmp_path))  # runner not started: the retry stays queued
    try:
        retried = third.retry_job(hr, job_id)
        assert (retried["status"], retried["message"], retried["started_at"]) == (
            "queued",
            "",
            None,
        )
        with pytest.raises(InputError):
            third.retry_job(hr, job_id)
    finally:
        third.store.close()


def test_stopping_the_service_interrupts_a_running_job(
    make_harness: Callable[..., Harness],
) -> None:
    """A job running when the service shuts down is marked interrupted, not cancelled."""
    h = make_harness()
    job_id = _start(h)
    _wait_status(h, job_id, "running")
    h.svc.runner.stop()
    with h.svc.engine.connect() as conn:
        row = conn.execute(sa.select(JOBS.c.status).where(JOBS.c.id == job_id)).one()
    assert row.status == "interrupted"


@pytest.mark.slow
def test_one_server_process_runs_the_jobs_of_all(make_harness: Callable[..., Harness]) -> None:
    """A second server process on the data folder only records jobs; the lock holder runs them."""
    h = make_harness()
    other = RosterService(h.svc.settings)
    other.start()
    try:
        hr = Principal(kind="hr", name="hr", branches=frozenset({BRANCH}))
        assert (h.svc.runner.leads, other.runner.leads) == (True, False)
        job_id = other.create_job(hr, BRANCH, WEEK)
        _wait_status(h, job_id, "running")
        assert other.cancel_job(hr, job_id) is True
        assert h.wait(job_id, h.hr)["status"] == "cancelled"
    finally:
        other.close()


def test_a_failed_jobs_problems_name_the_files_as_sent_not_server_paths(tmp_path: Path) -> None:
    """``/srv/jobs/17/input/traffic.csv`` is told as ``traffic.csv``, in every field."""
    from scheduler.errors import InputError, Issue
    from scheduler.service.worker import issue_dicts, without_folder

    job = tmp_path / "jobs" / "17"
    path = job / "input" / "traffic.csv"
    issue = Issue(str(path), f"row 2 of {path} repeats row 1", 2, "ds", str(path))
    (shown,) = issue_dicts(InputError([issue]), job)
    assert (shown["file"], shown["message"], shown["value"]) == (
        "traffic.csv",
        "row 2 of traffic.csv repeats row 1",
        "traffic.csv",
    )
    assert without_folder(f"OverflowError in {job}/out", job) == "OverflowError in out"
