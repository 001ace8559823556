"""Access lines: a manager stays in their branch, staff see and send only their own."""

from __future__ import annotations

import pytest
from service_helpers import BRANCH, OTHER, WEEK, Harness

NEXT_WEEK = "2026-W50"


def test_manager_cannot_read_or_change_another_branch(harness: Harness) -> None:
    """The manager of branch A gets 403 on every call about branch B."""
    headers = harness.token("manager")
    client = harness.client
    assert client.get(f"/v1/branches/{OTHER}/config", headers=headers).status_code == 403
    put = client.put(
        f"/v1/branches/{OTHER}/traffic",
        headers=headers,
        files={"file": ("traffic.csv", b"timestamp,branch,channel,count\n")},
    )
    assert put.status_code == 403
    job = client.post(f"/v1/branches/{OTHER}/jobs", json={"week": WEEK}, headers=headers)
    assert job.status_code == 403
    assert client.get(f"/v1/branches/{OTHER}/jobs", headers=headers).status_code == 403
    hist = client.get(f"/v1/branches/{OTHER}/weeks/{WEEK}/history", headers=headers)
    assert hist.status_code == 403
    assert client.get("/v1/branches", headers=headers).json() == [
        {"id": BRANCH, "name": "浦东新区示范支行"}
    ]


def test_hr_key_is_limited_to_its_branches(harness: Harness) -> None:
    """An HR-system key issued for branch A cannot touch branch B."""
    resp = harness.client.get(f"/v1/branches/{OTHER}/config", headers=harness.hr)
    assert resp.status_code == 403
    resp = harness.client.post(
        f"/v1/branches/{OTHER}/jobs", json={"week": WEEK}, headers=harness.hr
    )
    assert resp.status_code == 403


def test_staff_cannot_run_or_read_jobs(harness: Harness) -> None:
    """Staff cannot start a roster job or list the branch's jobs."""
    headers = harness.token("s01")
    resp = harness.client.post(f"/v1/branches/{BRANCH}/jobs", json={"week": WEEK}, headers=headers)
    assert resp.status_code == 403
    assert harness.client.get(f"/v1/branches/{BRANCH}/jobs", headers=headers).status_code == 403


def test_staff_cannot_change_the_configuration(harness: Harness) -> None:
    """Only a manager or HR system may replace the branch configuration."""
    headers = harness.token("s01")
    resp = harness.client.put(
        f"/v1/branches/{BRANCH}/config",
        headers=headers,
        files={"file": ("branch.yaml", b"branch: {}")},
    )
    assert resp.status_code == 403


def test_staff_sends_only_their_own_availability(harness: Harness) -> None:
    """S01 may declare their own days, and is refused (403) for a colleague's row."""
    headers = harness.token("s01")
    path = f"/v1/branches/{BRANCH}/weeks/{NEXT_WEEK}/availability"
    own = "工号,姓名,日期,开始,结束,类型\nS01,王建国,2026-12-10,,,不可用\n".encode()
    ok = harness.client.put(path, headers=headers, files={"file": ("mine.csv", own)})
    assert ok.status_code == 200
    assert ok.json()["file"] == "S01.csv"
    theirs = "工号,姓名,日期,开始,结束,类型\nS02,李敏,2026-12-10,,,不可用\n".encode()
    refused = harness.client.put(path, headers=headers, files={"file": ("x.csv", theirs)})
    assert refused.status_code == 403
    names = [f["name"] for f in harness.svc.availability_files(BRANCH, NEXT_WEEK)]
    assert "x.csv" not in names


def test_staff_of_another_branch_cannot_send_availability(harness: Harness) -> None:
    """A staff member of branch B has no access to branch A's weeks."""
    headers = harness.token("other_s01")
    own = "工号,姓名,日期,开始,结束,类型\nS01,王建国,2026-12-10,,,不可用\n".encode()
    resp = harness.client.put(
        f"/v1/branches/{BRANCH}/weeks/{NEXT_WEEK}/availability",
        headers=headers,
        files={"file": ("mine.csv", own)},
    )
    assert resp.status_code == 403


@pytest.mark.slow
def test_staff_see_only_their_own_published_shifts(harness: Harness, published_job: dict) -> None:
    """The published week read by a staff member holds their rows only."""
    headers = harness.token("s01")
    hist = harness.client.get(f"/v1/branches/{BRANCH}/weeks/{WEEK}/history", headers=headers)
    rows = hist.json()["assignments"]
    assert rows
    assert {r["staff_id"] for r in rows} == {"S01"}


@pytest.mark.slow
def test_nobody_outside_the_branch_reads_its_job(harness: Harness, published_job: dict) -> None:
    """A job of branch A is refused to branch B's manager and to staff, result and files."""
    job = published_job["id"]
    for user in ("manager2", "s01", "other_s01"):
        headers = harness.token(user)
        for path in (
            f"/v1/jobs/{job}",
            f"/v1/jobs/{job}/result",
            f"/v1/jobs/{job}/files/roster.xlsx",
        ):
            assert harness.client.get(path, headers=headers).status_code == 403, (user, path)
        pub = harness.client.post(
            f"/v1/jobs/{job}/publish", json={"new_version": True}, headers=headers
        )
        assert pub.status_code == 403
        assert harness.client.post(f"/v1/jobs/{job}/cancel", headers=headers).status_code == 403


@pytest.mark.slow
def test_staff_of_another_branch_cannot_open_this_roster(
    harness: Harness, published_job: dict
) -> None:
    """A staff member of branch B cannot read branch A's published roster."""
    headers = harness.token("other_s01")
    hist = harness.client.get(f"/v1/branches/{BRANCH}/weeks/{WEEK}/history", headers=headers)
    assert hist.status_code == 403


def test_staff_cannot_read_the_leave_plan(harness: Harness) -> None:
    """The leave plan is for managers and HR: staff and other branches get 403."""
    for user in ("s01", "manager2"):
        resp = harness.client.get(
            f"/v1/branches/{BRANCH}/leave-plan?year=2027", headers=harness.token(user)
        )
        assert resp.status_code == 403


def test_staff_read_the_configuration_without_their_colleagues_pay(harness: Harness) -> None:
    """s01 (S01) sees colleagues' names and posts, not their pay or contract; its own whole."""
    staff = harness.client.get(
        f"/v1/branches/{BRANCH}/config", headers=harness.token("s01")
    ).json()["staff"]
    own = next(p for p in staff if p["id"] == "S01")
    assert {"hourly_rate", "contract_hours_per_week"} <= set(own)
    others = [p for p in staff if p["id"] != "S01"]
    assert others and all("hourly_rate" not in p and "employment_start" not in p for p in others)
    assert all({"id", "name", "qualifications"} <= set(p) for p in others)
    manager = harness.client.get(
        f"/v1/branches/{BRANCH}/config", headers=harness.token("manager")
    ).json()["staff"]
    assert all("hourly_rate" in p for p in manager)
