"""Core rules, each on the smallest instance where it decides the roster."""

from __future__ import annotations

import pytest

from scheduler.domain import (
    Availability,
    AvailabilityEntry,
    AvailabilityKind,
    BreakRule,
    LeaveRequest,
)
from scheduler.errors import InputError
from scheduler.roster.request import Pin

from ..instances import MON, TUE, config, costs, held, person, post, request, run, shift


def test_qualification_expired_leaves_the_post_short_and_warns() -> None:
    """A qualification that expired yesterday cannot be used: the post is short and we say why."""
    cfg = config(
        [post("cash")],
        [person("A", "cash", expires={"cash": MON})],
        rules={"coverage_under": "soft"},
    )
    result = run(request(cfg, days=2, need={"cash": 1}))
    assert held(result, "A", MON) == [("09:00", "13:00", "cash")]
    assert held(result, "A", TUE) in ([], [("09:00", "13:00", "free")])
    assert costs(result) == {"coverage_under": 400.0}
    assert result.warnings == (
        "nobody is qualified for cash on Tue 1 Dec (A's expired on 2026-11-30): "
        "4 staff-hours will be short",
    )
    assert result.warnings_zh == (
        "12月1日(周二) 没有人具备cash资格 (A: 资格已于 2026-11-30 到期): 将缺 4 人时",
    )


def test_one_post_per_slot_splits_a_person_between_two_needs() -> None:
    """One person cannot hold two posts at once: of two needed posts, 4 staff-hours stay short."""
    cfg = config(
        [post("cash"), post("lobby")],
        [person("A", "cash", "lobby")],
        rules={"coverage_under": "soft"},
    )
    result = run(request(cfg, need={"cash": 1, "lobby": 1}))
    assert sum(p.amount for p in result.penalties) == 4.0
    assert costs(result) == {"coverage_under": 400.0}
    assert all(activity in ("cash", "lobby") for _, _, activity in held(result, "A"))


def test_one_post_per_slot_keeps_the_break_off_post() -> None:
    """Nobody holds a post during their unpaid break: a 1-hour break leaves 1 staff-hour short."""
    lunch = BreakRule(minutes=60, earliest="10:00", latest_end="12:00")  # type: ignore[arg-type]
    cfg = config(
        [post("cash")],
        [person("A", "cash")],
        shifts=[shift("am", "09:00", "13:00", break_rule=lunch)],
        rules={"coverage_under": "soft"},
    )
    result = run(request(cfg, need={"cash": 1}))
    blocks = held(result, "A")
    assert [b for b in blocks if b[2] == "break"] in ([("10:00", "11:00", "break")],
                                                      [("11:00", "12:00", "break")])  # fmt: skip
    assert costs(result) == {"coverage_under": 100.0}


def test_availability_hard_keeps_people_on_leave_at_home() -> None:
    """Approved leave is respected: the other qualified person works instead."""
    leave = Availability(leave=[LeaveRequest(staff_id="A", start_date=MON, end_date=MON)])
    cfg = config(
        [post("cash")],
        [person("A", "cash"), person("B", "cash")],
        rules={"coverage_over": "soft", "post_floor": "hard"},
    )
    result = run(request(cfg, need={"cash": 1}, availability=leave, floor=lambda ds, p: 1))
    assert held(result, "A") == []
    assert held(result, "B") == [("09:00", "13:00", "cash")]


def test_availability_unavailable_window_is_covered_by_the_break() -> None:
    """An unavailable hour inside the break window is where the break goes."""
    lunch = BreakRule(minutes=60, earliest="10:00", latest_end="13:00")  # type: ignore[arg-type]
    entry = AvailabilityEntry(
        staff_id="A", date=MON, kind=AvailabilityKind.UNAVAILABLE, start="11:00", end="12:00"
    )  # type: ignore[arg-type]
    cfg = config(
        [post("cash")],
        [person("A", "cash")],
        shifts=[shift("am", "09:00", "13:00", break_rule=lunch)],
        rules={"coverage_under": "soft"},
    )
    result = run(request(cfg, need={"cash": 1}, availability=Availability(entries=[entry])))
    assert held(result, "A") == [
        ("09:00", "11:00", "cash"),
        ("11:00", "12:00", "break"),
        ("12:00", "13:00", "cash"),
    ]


def test_availability_available_only_window_picks_the_shift_inside_it() -> None:
    """Someone available only 09:00-11:00 gets the short shift inside that window."""
    entry = AvailabilityEntry(
        staff_id="A", date=MON, kind=AvailabilityKind.AVAILABLE, start="09:00", end="11:00"
    )  # type: ignore[arg-type]
    cfg = config(
        [post("cash")],
        [person("A", "cash")],
        shifts=[shift("am", "09:00", "13:00"), shift("early", "09:00", "11:00")],
        rules={"coverage_under": "soft"},
    )
    result = run(request(cfg, need={"cash": 1}, availability=Availability(entries=[entry])))
    assert list(result.shifts["shift"]) == ["early"]
    assert costs(result) == {"coverage_under": 200.0}


def test_availability_soft_charges_each_hour_worked_on_leave() -> None:
    """Soft availability lets a person work on leave at its weight per hour: 4 h x 7 = 28."""
    leave = Availability(leave=[LeaveRequest(staff_id="A", start_date=MON, end_date=MON)])
    cfg = config(
        [post("cash")],
        [person("A", "cash")],
        rules={"availability": ("soft", 7), "post_floor": "hard"},
    )
    result = run(request(cfg, need={"cash": 1}, availability=leave, floor=lambda ds, p: 1))
    assert costs(result) == {"availability": 28.0}
    (penalty,) = result.penalties
    assert penalty.amount == 4.0 and "annual leave" in penalty.message


def test_pinned_post_decides_who_works() -> None:
    """A pin puts the named person on the post; the other qualified person stays home."""
    cfg = config(
        [post("cash")],
        [person("A", "cash"), person("B", "cash")],
        rules={"coverage_over": "soft", "coverage_under": "soft"},
    )
    pin = Pin(staff_id="B", date=MON, post="cash")
    result = run(request(cfg, need={"cash": 1}, pins=[pin]))
    assert held(result, "A") == []
    assert held(result, "B") == [("09:00", "13:00", "cash")]
    assert costs(result) == {}


def test_pinned_day_off_is_kept() -> None:
    """A day off pinned by the manager is kept even when the post then goes short."""
    cfg = config([post("cash")], [person("A", "cash")], rules={"coverage_under": "soft"})
    result = run(request(cfg, need={"cash": 1}, pins=[Pin(staff_id="A", date=MON, off=True)]))
    assert held(result, "A") == []
    assert costs(result) == {"coverage_under": 400.0}


def test_pin_on_a_leave_day_is_a_conflict_named_before_solving() -> None:
    """A pin that breaks approved leave is reported as a conflict naming the person and leave."""
    leave = Availability(leave=[LeaveRequest(staff_id="A", start_date=MON, end_date=MON)])
    cfg = config([post("cash")], [person("A", "cash")])
    pin = Pin(staff_id="A", date=MON, shift="am")
    result = run(request(cfg, need={"cash": 1}, availability=leave, pins=[pin]))
    assert result.status == "INFEASIBLE"
    (conflict,) = result.conflicts
    assert conflict.rules == ("pinned_assignment",)
    assert "A is pinned on the am shift on Mon 30 Nov" in conflict.message
    assert "annual leave" in conflict.message
    assert "change or remove the pin" in conflict.relaxation


def test_pin_naming_an_unknown_person_is_an_input_error() -> None:
    """A pin for a staff number the branch does not have is a located input error."""
    cfg = config([post("cash")], [person("A", "cash")])
    with pytest.raises(InputError) as err:
        run(request(cfg, need={"cash": 1}, pins=[Pin(staff_id="Z", date=MON, off=True)]))
    (issue,) = err.value.errors
    assert (issue.location, issue.column, issue.value) == ("pins[0]", "staff_id", "Z")
    assert issue.allowed == "A"


def test_pin_on_a_post_without_qualification_names_the_expiry() -> None:
    """Pinning someone to a post their qualification no longer covers is a named conflict."""
    cfg = config([post("cash")], [person("A", "cash", expires={"cash": MON})])
    pin = Pin(staff_id="A", date=TUE, post="cash")
    result = run(request(cfg, days=2, pins=[pin]))
    assert result.status == "INFEASIBLE"
    (conflict,) = result.conflicts
    assert conflict.rules == ("pinned_assignment",)
    assert conflict.message == (
        "These cannot all hold: A is pinned on cash on Tue 1 Dec. "
        "A: qualification for cash expired on 2026-11-30"
    )


def test_pin_window_outside_the_opening_hours_is_an_input_error() -> None:
    """A pinned post for a window in which the branch is closed names the pin and the hours."""
    cfg = config([post("cash")], [person("A", "cash")])
    pin = Pin(staff_id="A", date=MON, post="cash", start="14:00", end="15:00")  # type: ignore[arg-type]
    with pytest.raises(InputError) as err:
        run(request(cfg, pins=[pin]))
    (issue,) = err.value.errors
    assert (issue.location, issue.column, issue.value) == ("pins[0]", "start", "14:00-15:00")
    assert issue.allowed == "09:00-13:00 on the 60-minute grid"
