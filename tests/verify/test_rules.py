"""Tests of the independent roster verifier, one planted violation per rule."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from scheduler.calendar import Horizon
from scheduler.domain import Availability, AvailabilityEntry, AvailabilityKind, LeaveRequest
from scheduler.frames import REQUIREMENT_COLUMNS
from scheduler.roster.request import RosterRequest
from scheduler.sample.branch import sample_config
from scheduler.verify import verify_roster

WEEK = dt.date(2026, 11, 30)
THU = dt.date(2026, 12, 3)


def _request() -> RosterRequest:
    return RosterRequest(
        config=sample_config(WEEK),
        horizon=Horizon.iso_week("2026-W49"),
        requirements=pd.DataFrame(columns=list(REQUIREMENT_COLUMNS)),
    )


def _row(staff: str, day: dt.date, start: str, end: str, post: str | None, activity: str = "post"):
    return {
        "staff_id": staff,
        "name": staff,
        "date": day,
        "start": start,
        "end": end,
        "activity": activity,
        "post": post,
    }


def _clean_day(staff: str, day: dt.date, post: str) -> list[dict]:
    return [
        _row(staff, day, "09:00", "12:00", post),
        _row(staff, day, "12:00", "13:00", None, "break"),
        _row(staff, day, "13:00", "17:00", post),
    ]


@pytest.fixture(scope="module")
def request_() -> RosterRequest:
    """The sample branch in week 2026-W49."""
    return _request()


def test_clean_roster_passes(request_: RosterRequest) -> None:
    """Qualified people on ordinary hours break no per-person rule."""
    rows = _clean_day("S04", WEEK, "cash_teller") + _clean_day("S08", WEEK, "lobby")
    report = verify_roster(request_, pd.DataFrame(rows))
    # A two-person Monday cannot staff the whole week: only per-person rules must pass here.
    week_wide = {"duty_cover", "ab_pair", "authoriser_present"}
    assert not [v for v in report.violations if v.rule not in week_wide]
    assert "qualification_valid" in report.checked


def test_expired_qualification_is_caught(request_: RosterRequest) -> None:
    """杨帆's cash-teller qualification expires on 2 Dec; holding it on 3 Dec is a violation."""
    report = verify_roster(request_, pd.DataFrame(_clean_day("S06", THU, "cash_teller")))
    found = report.by_rule("qualification")
    assert len(found) == 2
    assert {v.staff_id for v in found} == {"S06"}
    assert all(v.date == THU and v.post == "cash_teller" for v in found)


def test_double_booking_is_caught(request_: RosterRequest) -> None:
    """A person cannot hold two posts in the same hour."""
    rows = [
        _row("S05", WEEK, "09:00", "11:00", "cash_teller"),
        _row("S05", WEEK, "10:00", "12:00", "lobby"),
    ]
    found = verify_roster(request_, pd.DataFrame(rows)).by_rule("one_post_per_slot")
    assert [(v.staff_id, v.slot) for v in found] == [("S05", "10:00")]


def test_long_day_is_caught(request_: RosterRequest) -> None:
    """Ten paid hours exceed the sample branch's 9-hour daily limit; the break is unpaid."""
    rows = [
        _row("S04", WEEK, "08:00", "12:00", "cash_teller"),
        _row("S04", WEEK, "12:00", "13:00", None, "break"),
        _row("S04", WEEK, "13:00", "19:00", "cash_teller"),
    ]
    found = verify_roster(request_, pd.DataFrame(rows)).by_rule("max_hours_per_day")
    assert [(v.staff_id, v.date) for v in found] == [("S04", WEEK)]


def test_long_week_is_caught(request_: RosterRequest) -> None:
    """Six 8-hour days (48 h) exceed the 44-hour weekly limit."""
    rows = [
        _row("S04", WEEK + dt.timedelta(i), start, end, "cash_teller")
        for i in range(6)
        for start, end in (("08:00", "12:00"), ("13:00", "17:00"))
    ]
    report = verify_roster(request_, pd.DataFrame(rows))
    assert [(v.staff_id, v.date) for v in report.by_rule("max_hours_per_week")] == [("S04", WEEK)]
    assert not report.by_rule("max_hours_per_day")


def _with_availability(availability: Availability) -> RosterRequest:
    base = _request()
    return RosterRequest(
        config=base.config,
        horizon=base.horizon,
        requirements=base.requirements,
        availability=availability,
    )


def test_work_on_leave_is_caught() -> None:
    """Approved leave is a hard absence: working that day is a violation."""
    req = _with_availability(
        Availability(leave=[LeaveRequest(staff_id="S04", start_date=WEEK, end_date=WEEK)])
    )
    found = verify_roster(req, pd.DataFrame(_clean_day("S04", WEEK, "cash_teller")))
    assert {(v.staff_id, v.date) for v in found.by_rule("availability")} == {("S04", WEEK)}


def test_work_outside_declared_window_is_caught() -> None:
    """A part-timer available 09:00-12:00 may not be rostered in the afternoon."""
    entry = AvailabilityEntry(
        staff_id="S14",
        date=WEEK,
        kind=AvailabilityKind.AVAILABLE,
        start=dt.time(9),
        end=dt.time(12),
    )
    req = _with_availability(Availability(entries=[entry]))
    found = verify_roster(req, pd.DataFrame(_clean_day("S14", WEEK, "lobby")))
    assert [v.slot for v in found.by_rule("availability")] == ["13:00"]


def test_short_rest_is_caught(request_: RosterRequest) -> None:
    """Ending at 21:00 and starting at 08:00 leaves 11 h, under the sample's 12 h rest."""
    rows = [
        _row("S04", WEEK, "13:00", "21:00", "cash_teller"),
        _row("S04", WEEK + dt.timedelta(1), "08:00", "12:00", "cash_teller"),
    ]
    found = verify_roster(request_, pd.DataFrame(rows)).by_rule("min_rest")
    assert [(v.staff_id, v.date) for v in found] == [("S04", WEEK + dt.timedelta(1))]


def test_too_few_days_off_is_caught(request_: RosterRequest) -> None:
    """Six working days leave one day off, fewer than the sample's two per week."""
    rows = [_row("S04", WEEK + dt.timedelta(i), "09:00", "13:00", "cash_teller") for i in range(6)]
    found = verify_roster(request_, pd.DataFrame(rows)).by_rule("min_days_off")
    assert [(v.staff_id, v.date) for v in found] == [("S04", WEEK)]


def test_long_stretch_is_caught() -> None:
    """Seven days in a row break a six-day limit, reported on the seventh day."""
    base = _request()
    labour = base.config.labour.model_copy(update={"min_days_off_per_week": 0})
    config = base.config.model_copy(update={"labour": labour})
    req = RosterRequest(config=config, horizon=base.horizon, requirements=base.requirements)
    rows = [_row("S04", WEEK + dt.timedelta(i), "09:00", "13:00", "cash_teller") for i in range(7)]
    found = verify_roster(req, pd.DataFrame(rows)).by_rule("max_consecutive_days")
    assert [(v.staff_id, v.date) for v in found] == [("S04", WEEK + dt.timedelta(6))]


def test_a_personal_limit_is_checked_instead_of_the_branchs() -> None:
    """S04's own limit of 2 days in a row is broken on the third day; S08 keeps the branch's."""
    from scheduler.domain import PersonalLimits

    base = _request()
    staff = [
        s.model_copy(update={"limits": PersonalLimits(max_consecutive_days=2)})
        if s.id == "S04"
        else s
        for s in base.config.staff
    ]
    config = base.config.model_copy(update={"staff": staff})
    req = RosterRequest(config=config, horizon=base.horizon, requirements=base.requirements)
    rows = [
        _row(who, WEEK + dt.timedelta(i), "09:00", "13:00", post)
        for who, post in (("S04", "cash_teller"), ("S08", "lobby"))
        for i in range(3)
    ]
    found = verify_roster(req, pd.DataFrame(rows)).by_rule("max_consecutive_days")
    assert [(v.staff_id, v.date) for v in found] == [("S04", WEEK + dt.timedelta(2))]


def test_extra_weekend_is_caught(request_: RosterRequest) -> None:
    """The sample allows one weekend; Saturday 5 Dec and Sunday 13 Dec are two weekends."""
    sat, next_sun = dt.date(2026, 12, 5), dt.date(2026, 12, 13)
    rows = [_row("S08", d, "09:00", "13:00", "lobby") for d in (sat, next_sun)]
    found = verify_roster(request_, pd.DataFrame(rows)).by_rule("max_weekends")
    assert [(v.staff_id, v.date) for v in found] == [("S08", next_sun - dt.timedelta(1))]


def test_incompatible_duties_are_caught(request_: RosterRequest) -> None:
    """李敏 may not authorise (ops_supervisor) and handle cash (cash_teller) on one day."""
    rows = [
        _row("S02", WEEK, "09:00", "12:00", "ops_supervisor"),
        _row("S02", WEEK, "13:00", "17:00", "cash_teller"),
    ]
    found = verify_roster(request_, pd.DataFrame(rows)).by_rule("incompatible_duties")
    assert [(v.staff_id, v.date) for v in found] == [("S02", WEEK)]


def test_trainee_without_mentor_is_caught(request_: RosterRequest) -> None:
    """Trainee 朱琳 (S14) works 09:00-13:00 but mentor 刘洋 (S04) only 09:00-11:00."""
    rows = [
        _row("S14", WEEK, "09:00", "13:00", "lobby"),
        _row("S04", WEEK, "09:00", "11:00", "cash_teller"),
    ]
    found = verify_roster(request_, pd.DataFrame(rows)).by_rule("mentor_present")
    assert [(v.staff_id, v.slot) for v in found] == [("S14", "09:00")]
    rows[1] = _row("S04", WEEK, "08:00", "14:00", "cash_teller")
    assert not verify_roster(request_, pd.DataFrame(rows)).by_rule("mentor_present")


def test_manager_on_duty_gap_is_caught(request_: RosterRequest) -> None:
    """With only the branch head on Monday 09:00-12:00, the rest of the open day lacks a manager."""
    rows = [_row("S01", WEEK, "09:00", "12:00", "head")]
    found = verify_roster(request_, pd.DataFrame(rows)).by_rule("duty_cover")
    monday = {v.slot for v in found if v.date == WEEK}
    assert "10:00" not in monday
    assert "13:00" in monday


def test_ab_pair_both_absent_is_caught(request_: RosterRequest) -> None:
    """刘洋 (A) works Monday only, 陈静 (B) never: the cash-teller pair is absent on Tuesday."""
    rows = [_row("S04", WEEK, "09:00", "13:00", "cash_teller")]
    found = verify_roster(request_, pd.DataFrame(rows)).by_rule("ab_pair")
    days = {v.date for v in found if v.post == "cash_teller"}
    assert WEEK not in days
    assert WEEK + dt.timedelta(1) in days


def test_tellers_without_authoriser_are_caught(request_: RosterRequest) -> None:
    """A teller works 09:00-11:00 while the supervisor holds the post only 09:00-10:00."""
    rows = [
        _row("S04", WEEK, "09:00", "11:00", "cash_teller"),
        _row("S02", WEEK, "09:00", "10:00", "ops_supervisor"),
    ]
    found = verify_roster(request_, pd.DataFrame(rows)).by_rule("authoriser_present")
    assert [(v.date, v.slot) for v in found] == [(WEEK, "10:00")]
