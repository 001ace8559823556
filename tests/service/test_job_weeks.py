"""Job weeks checked against the branch's traffic history when the job is submitted."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from service_helpers import BRANCH, Harness, small_traffic

from scheduler.service.db import TRAFFIC_SPANS

FIRST_DAY = "2026-09-01"
"""First date of the history the tests load (a Tuesday; see ``small_traffic``)."""


def _submit(h: Harness, week: str) -> object:
    return h.client.post(
        f"/v1/branches/{BRANCH}/jobs", json={"week": week, "time_limit_s": 1}, headers=h.hr
    )


def _cancel(h: Harness, job_id: str) -> None:
    assert h.client.post(f"/v1/jobs/{job_id}/cancel", headers=h.hr).status_code == 200
    h.wait(job_id, h.hr)


def test_week_before_the_history_is_refused_at_submit_naming_its_first_date(
    harness: Harness,
) -> None:
    """2000-W01 on a 2026 history is a 422 at once, not a job that fails in the forecast."""
    before = harness.client.get(f"/v1/branches/{BRANCH}/jobs", headers=harness.hr).json()
    resp = _submit(harness, "2000-W01")
    assert resp.status_code == 422, resp.text
    body = resp.json()
    assert body["detail"] == "1 problem(s) in the input:"
    assert body["issues"] == [
        {
            "file": "week",
            "location": None,
            "column": None,
            "value": "2000-W01",
            "message": (
                "week 2000-W01 starts on 2000-01-03, before the first date of the branch's "
                f"traffic history ({FIRST_DAY}): the forecast needs traffic from before the week"
            ),
            "allowed": (
                f"2026-W37 or a later week (one starting after {FIRST_DAY}), or a traffic "
                "history that begins before 2000-01-03"
            ),
            "severity": "error",
        }
    ]
    after = harness.client.get(f"/v1/branches/{BRANCH}/jobs", headers=harness.hr).json()
    assert [j["id"] for j in after] == [j["id"] for j in before]  # nothing was queued


def test_week_refusal_comes_with_the_pin_problems(harness: Harness) -> None:
    """Every problem of the submit is named at once: the week first, then the pins."""
    pins = [{"staff_id": "S99", "date": "2000-01-04", "off": True}]
    resp = harness.client.post(
        f"/v1/branches/{BRANCH}/jobs", json={"week": "2000-W01", "pins": pins}, headers=harness.hr
    )
    assert resp.status_code == 422
    assert [(i["file"], i["value"]) for i in resp.json()["issues"]] == [
        ("week", "2000-W01"),
        ("pins", "S99"),
    ]


def test_week_starting_on_or_after_the_first_day_of_history(
    make_harness: Callable[..., Harness],
) -> None:
    """The week holding the first day is refused; the next one and weeks after the history run.

    The history begins on Tuesday 1 September 2026: 2026-W36 (from Monday 31 August) has no
    traffic before it, 2026-W37 has six days, and a week far after the history is forecast
    from all of it.
    """
    h = make_harness()
    refused = _submit(h, "2026-W36")
    assert refused.status_code == 422
    (issue,) = refused.json()["issues"]
    assert issue["message"].startswith("week 2026-W36 starts on 2026-08-31, before the first")
    assert issue["allowed"].startswith("2026-W37 or a later week")
    for week in ("2026-W37", "2027-W30"):
        accepted = _submit(h, week)
        assert accepted.status_code == 202, accepted.text
        _cancel(h, accepted.json()["id"])


def test_week_starting_on_the_first_day_of_history_is_refused(
    make_harness: Callable[..., Harness],
) -> None:
    """A history beginning on a Monday gives its own week nothing to forecast from."""
    h = make_harness()
    monday = small_traffic("2026-09-07")
    put = h.client.put(
        f"/v1/branches/{BRANCH}/traffic", files={"file": ("traffic.csv", monday)}, headers=h.hr
    )
    assert put.status_code == 200, put.text
    resp = _submit(h, "2026-W37")
    assert resp.status_code == 422
    (issue,) = resp.json()["issues"]
    assert issue["message"].startswith(
        "week 2026-W37 starts on 2026-09-07, on the first date of the branch's traffic history"
    )
    assert issue["allowed"].startswith("2026-W38 or a later week (one starting after 2026-09-07)")


def test_a_new_history_moves_the_first_allowed_week(make_harness: Callable[..., Harness]) -> None:
    """Uploading a longer history lets a week that was refused run."""
    h = make_harness()
    assert _submit(h, "2026-W36").status_code == 422
    path = f"/v1/branches/{BRANCH}/traffic"
    longer = small_traffic("2026-08-01")
    assert h.client.put(path, files={"file": ("t.csv", longer)}, headers=h.hr).status_code == 200
    accepted = _submit(h, "2026-W36")
    assert accepted.status_code == 202, accepted.text
    _cancel(h, accepted.json()["id"])


def test_a_history_stored_before_its_dates_were_recorded_is_read_once(
    make_harness: Callable[..., Harness],
) -> None:
    """A database from before this check still refuses the week; the dates are then recorded."""
    h = make_harness()
    spans = sa.select(TRAFFIC_SPANS.c.first_date).where(TRAFFIC_SPANS.c.branch_id == BRANCH)
    with h.svc.engine.begin() as conn:
        conn.execute(sa.delete(TRAFFIC_SPANS))
    resp = _submit(h, "2000-W01")
    assert resp.status_code == 422
    assert f"traffic history ({FIRST_DAY})" in resp.json()["issues"][0]["message"]
    with h.svc.engine.connect() as conn:
        assert conn.execute(spans).scalar_one().isoformat() == FIRST_DAY
