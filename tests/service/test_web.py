"""The web app: log in, pages in Chinese or English, forms guarded by CSRF, staff forms."""

from __future__ import annotations

import re

import pytest
from service_helpers import BRANCH, PASSWORD, Harness

NEXT_WEEK = "2026-W50"


def _login(h: Harness, username: str) -> str:
    """Log the test client in through the form; returns the session's CSRF token."""
    h.client.cookies.clear()
    page = h.client.get("/login")
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
    assert csrf is not None
    resp = h.client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "csrf": csrf.group(1)},
        follow_redirects=False,
    )
    assert resp.status_code == 303
    token = h.client.cookies.get("roster_session")
    who = h.svc.auth.from_session(token or "")
    assert who is not None
    return who.csrf


def test_login_form_needs_its_csrf_token(harness: Harness) -> None:
    """A login posted from another site (no double-submit token) is refused."""
    harness.client.cookies.clear()
    resp = harness.client.post("/login", data={"username": "manager", "password": PASSWORD})
    assert resp.status_code == 403


def test_wrong_password_returns_to_the_login_page(harness: Harness) -> None:
    """A failed login sets no session and shows the error."""
    harness.client.cookies.clear()
    page = harness.client.get("/login")
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text).group(1)  # type: ignore[union-attr]
    resp = harness.client.post(
        "/login", data={"username": "manager", "password": "nope-nope", "csrf": csrf}
    )
    assert "用户名或密码错误" in resp.text
    assert harness.client.cookies.get("roster_session") is None


def test_manager_page_is_chinese_by_default_with_an_english_switch(harness: Harness) -> None:
    """Managers read the page in Chinese; ?lang=en switches and is remembered."""
    _login(harness, "manager")
    page = harness.client.get(f"/manager?week={NEXT_WEEK}")
    assert page.status_code == 200
    assert "生成排班" in page.text and "浦东新区示范支行" in page.text
    english = harness.client.get(f"/manager?week={NEXT_WEEK}&lang=en")
    assert "Run the roster" in english.text
    again = harness.client.get(f"/manager?week={NEXT_WEEK}")
    assert "Run the roster" in again.text
    harness.client.cookies.delete("roster_lang")


def test_forms_without_the_csrf_token_are_refused(harness: Harness) -> None:
    """A logged-in manager's browser cannot be made to start a job from another site."""
    _login(harness, "manager")
    resp = harness.client.post("/manager/run", data={"week": NEXT_WEEK, "time_limit_s": 2})
    assert resp.status_code == 403


def test_staff_cannot_open_manager_pages(harness: Harness) -> None:
    """Staff get 403 on the manager's pages and forms."""
    csrf = _login(harness, "s01")
    assert harness.client.get("/manager").status_code == 403
    resp = harness.client.post(
        "/manager/run", data={"week": NEXT_WEEK, "time_limit_s": 2, "csrf": csrf}
    )
    assert resp.status_code == 403


def test_staff_declares_availability_day_by_day(harness: Harness) -> None:
    """Each declaration from the form is added to the person's file for that week."""
    csrf = _login(harness, "s04")
    for day, kind in (("2026-12-07", "不可用"), ("2026-12-08", "年假")):
        resp = harness.client.post(
            "/staff/availability",
            data={"week": NEXT_WEEK, "date": day, "kind": kind, "csrf": csrf},
            follow_redirects=False,
        )
        assert resp.status_code == 303
        assert "message=%E5%B7%B2%E4%BF%9D%E5%AD%98" in resp.headers["location"]  # 已保存
    stored = harness.svc.staff_file(BRANCH, NEXT_WEEK, "S04")
    assert stored is not None
    assert stored.decode().splitlines() == [
        "工号,日期,开始,结束,类型,备注",
        "S04,2026-12-07,,,不可用,",
        "S04,2026-12-08,,,年假,",
    ]


def test_manager_sees_the_declared_days(harness: Harness) -> None:
    """The manager's page lists each declared day of the week with its type in words."""
    csrf = _login(harness, "s05")
    harness.client.post(
        "/staff/availability",
        data={
            "week": NEXT_WEEK,
            "date": "2026-12-12",
            "kind": "希望上班",
            "start": "09:00",
            "end": "13:00",
            "csrf": csrf,
        },
    )
    _login(harness, "manager")
    page = harness.client.get(f"/manager?week={NEXT_WEEK}")
    assert (
        "<td>S05</td><td>2026-12-12</td><td>希望上班</td><td>09:00</td><td>13:00</td>" in page.text
    )


def test_staff_declaration_outside_the_week_is_explained(harness: Harness) -> None:
    """A day outside the chosen week is refused with the reader's message, nothing stored."""
    csrf = _login(harness, "s01")
    resp = harness.client.post(
        "/staff/availability",
        data={"week": "2026-W51", "date": "2027-01-05", "kind": "不可用", "csrf": csrf},
    )
    assert "2027-01-05" in resp.text
    assert harness.svc.staff_file(BRANCH, "2026-W51", "S01") is None


@pytest.mark.slow
def test_manager_sees_the_grid_and_pins_to_re_solve(harness: Harness, published_job: dict) -> None:
    """The job page shows the week grid, coverage and rules; a pin queues a new job with it."""
    csrf = _login(harness, "manager")
    page = harness.client.get(f"/manager/jobs/{published_job['id']}")
    assert page.status_code == 200
    assert 'id="grid"' in page.text and "王建国" in page.text and "覆盖情况" in page.text
    resp = harness.client.post(
        f"/manager/jobs/{published_job['id']}/pin",
        data={"staff_id": "S03", "date": "2026-12-03", "what": "off", "csrf": csrf},
        follow_redirects=False,
    )
    assert resp.status_code == 303
    new_id = resp.headers["location"].rsplit("/", 1)[1]
    job = harness.svc.job(
        harness.svc.auth.from_session(harness.client.cookies.get("roster_session") or ""), new_id
    )  # type: ignore[arg-type]
    assert job["pins"] == [
        {"staff_id": "S02", "date": "2026-12-02", "off": True},
        {"staff_id": "S03", "date": "2026-12-03", "off": True},
    ]
    harness.client.post(f"/manager/jobs/{new_id}/cancel", data={"csrf": csrf})
    assert harness.wait(new_id, harness.hr)["status"] == "cancelled"


@pytest.mark.slow
def test_infeasible_week_shows_the_conflict_and_cannot_be_published(harness: Harness) -> None:
    """With every supervisor pinned off, the job page explains why and publishing is refused."""
    pins = [
        {"staff_id": s, "date": "2026-12-01", "off": True} for s in ("S01", "S02", "S03", "S06")
    ]
    resp = harness.client.post(
        f"/v1/branches/{BRANCH}/jobs",
        json={"week": "2026-W49", "pins": pins, "time_limit_s": 8},
        headers=harness.hr,
    )
    job = harness.wait(resp.json()["id"], harness.hr)
    assert (job["status"], job["roster_status"]) == ("succeeded", "INFEASIBLE"), job.get("message")
    _login(harness, "manager")
    page = harness.client.get(f"/manager/jobs/{job['id']}")
    assert "冲突" in page.text and 'id="grid"' not in page.text
    assert "冲突: " in page.text and "conflict: " not in page.text  # told in Chinese
    english = harness.client.get(f"/manager/jobs/{job['id']}?lang=en")
    harness.client.cookies.delete("roster_lang")
    assert "conflict: " in english.text and "冲突: " not in english.text
    assert '<option value="2026-12-01">' in page.text  # the pin form still offers the week
    publish = harness.client.post(f"/v1/jobs/{job['id']}/publish", json={}, headers=harness.hr)
    assert publish.status_code == 422
    assert publish.json()["issues"][0]["message"] == "an infeasible roster cannot be published"


def test_job_page_lists_the_warnings_in_the_page_language(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The manager reads the roster's warnings (提示) in Chinese, or in English with ?lang=en."""
    from types import SimpleNamespace

    from scheduler.calendar import week_horizon
    from scheduler.roster.result import RosterResult, SolverStats
    from scheduler.sample.branch import sample_config

    horizon = week_horizon("2026-W49")
    roster = RosterResult(
        BRANCH,
        horizon,
        SolverStats("INFEASIBLE"),
        warnings=("the availability rule is off: leave and declared windows are ignored",),
        warnings_zh=("可用时段规则 (availability) 已关闭: 请假和申报的可用时段都不予考虑",),
    )
    job = {"id": "j-warn", "week": "2026-W49", "status": "succeeded",
           "roster_status": "INFEASIBLE", "pins": [], "message": ""}  # fmt: skip
    result = SimpleNamespace(
        inputs=SimpleNamespace(config=sample_config(horizon.start)), roster=roster
    )
    monkeypatch.setattr(harness.svc, "job", lambda who, job_id: job)
    monkeypatch.setattr(harness.svc, "result", lambda who, job_id: result)
    _login(harness, "manager")
    page = harness.client.get("/manager/jobs/j-warn").text
    assert "<h2>提示</h2>" in page
    assert f"<li>{roster.warnings_zh[0]}</li>" in page and roster.warnings[0] not in page
    english = harness.client.get("/manager/jobs/j-warn?lang=en").text
    harness.client.cookies.delete("roster_lang")
    assert "<h2>Warnings</h2>" in english
    assert f"<li>{roster.warnings[0]}</li>" in english and roster.warnings_zh[0] not in english
