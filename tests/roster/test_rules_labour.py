"""Labour rules, each on the smallest instance where it decides the roster."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduler.domain import (
    Availability,
    BackupPair,
    LabourRules,
    LeaveKind,
    LeaveRequest,
    PersonalLimits,
    Staff,
)
from scheduler.errors import InputError
from scheduler.roster import build_model
from scheduler.roster.request import Pin
from scheduler.roster.rules.labour import cover_due_after

from .instances import MON, TUE, costs, person, post, request, run, shift
from .instances_extra import SAT, branch, shifts_frame, shifts_of, with_

WED = MON + dt.timedelta(days=2)
SUN_BEFORE = MON - dt.timedelta(days=1)
SAT_BEFORE = MON - dt.timedelta(days=2)

DAY_SHIFTS = [shift("full", "09:00", "17:00"), shift("half", "09:00", "13:00")]


def _cash(**labour: object) -> dict[str, object]:
    return {"labour": LabourRules(**labour)}  # type: ignore[arg-type]


def test_max_hours_per_day_gives_the_shorter_shift() -> None:
    """A 6-hour daily limit keeps the only teller to the 4-hour shift: 4 staff-hours short."""
    cfg = branch(
        [post("cash")],
        [person("A", "cash")],
        shifts=DAY_SHIFTS,
        hours=("09:00", "17:00"),
        rules={"coverage_under": "soft"},
        **_cash(max_hours_per_day=6),
    )
    result = run(request(cfg, need={"cash": 1}))
    assert shifts_of(result) == [("A", MON, "half")]
    assert costs(result) == {"coverage_under": 400.0}


def test_max_hours_per_day_soft_charges_each_hour_over() -> None:
    """Soft at weight 10, the 8-hour shift is worth its 2 hours over the limit: 20."""
    cfg = branch(
        [post("cash")],
        [person("A", "cash")],
        shifts=DAY_SHIFTS,
        hours=("09:00", "17:00"),
        rules={"coverage_under": "soft", "max_hours_per_day": ("soft", 10)},
        **_cash(max_hours_per_day=6),
    )
    result = run(request(cfg, need={"cash": 1}))
    assert shifts_of(result) == [("A", MON, "full")]
    assert costs(result) == {"max_hours_per_day": 20.0}
    assert result.penalties[0].message == ("A works 2 h beyond the 6 h daily limit on Mon 30 Nov")


def test_max_hours_per_week_allows_one_of_two_shifts() -> None:
    """A 6-hour week leaves room for one 4-hour shift of two: 4 staff-hours short."""
    cfg = branch(
        [post("cash")],
        [person("A", "cash")],
        rules={"coverage_under": "soft"},
        **_cash(max_hours_per_day=4, max_hours_per_week=6),
    )
    result = run(request(cfg, days=2, need={"cash": 1}))
    assert len(shifts_of(result)) == 1
    assert costs(result) == {"coverage_under": 400.0}


def test_max_hours_per_week_counts_the_history_of_the_week() -> None:
    """Four hours worked on Monday (history) leave no room on Tuesday under a 6-hour week."""
    cfg = branch(
        [post("cash")],
        [person("A", "cash")],
        rules={"coverage_under": "soft"},
        **_cash(max_hours_per_day=4, max_hours_per_week=6),
    )
    req = request(cfg, need={"cash": 1}, start=TUE)
    result = run(with_(req, history_shifts=shifts_frame([("A", MON, "am", "09:00", "13:00")])))
    assert shifts_of(result) == []
    assert costs(result) == {"coverage_under": 400.0}


REST_SHIFTS = [shift("early", "09:00", "13:00"), shift("late", "17:00", "21:00")]


def _late_then_early(ds: dt.datetime, _: str) -> int:
    if ds.date() == MON:
        return int(ds.hour >= 17)
    return int(ds.hour < 13)


def test_min_rest_between_shifts_forbids_late_then_early() -> None:
    """Late Monday (to 21:00) then early Tuesday (09:00) is 12 h of rest, short of 13."""
    cfg = branch(
        [post("cash")],
        [person("A", "cash")],
        shifts=REST_SHIFTS,
        hours=("09:00", "21:00"),
        rules={"coverage_under": "soft"},
        **_cash(min_rest_hours=13),
    )
    result = run(request(cfg, days=2, need=_late_then_early))
    assert len(shifts_of(result)) == 1
    assert costs(result) == {"coverage_under": 400.0}


def test_min_rest_between_shifts_soft_charges_the_pair() -> None:
    """Soft at weight 7, working both shifts costs one pair of shifts too close: 7."""
    cfg = branch(
        [post("cash")],
        [person("A", "cash")],
        shifts=REST_SHIFTS,
        hours=("09:00", "21:00"),
        rules={"coverage_under": "soft", "min_rest_between_shifts": ("soft", 7)},
        **_cash(min_rest_hours=13),
    )
    result = run(request(cfg, days=2, need=_late_then_early))
    assert shifts_of(result) == [("A", MON, "late"), ("A", TUE, "early")]
    assert costs(result) == {"min_rest_between_shifts": 7.0}


def test_min_rest_between_shifts_reads_the_shift_before_the_horizon() -> None:
    """A late shift worked on Sunday (history) rules out Monday's early shift."""
    cfg = branch(
        [post("cash")],
        [person("A", "cash")],
        shifts=REST_SHIFTS,
        hours=("09:00", "21:00"),
        rules={"coverage_under": "soft"},
        **_cash(min_rest_hours=13),
    )
    req = request(cfg, need=lambda ds, p: int(ds.hour < 13))
    history = shifts_frame([("A", SUN_BEFORE, "late", "17:00", "21:00")])
    result = run(with_(req, history_shifts=history))
    assert shifts_of(result) == []
    assert costs(result) == {"coverage_under": 400.0}


def test_min_days_off_per_week_keeps_two_days_free() -> None:
    """With two days off a week the only teller works 5 of 7 days: 8 staff-hours short."""
    cfg = branch(
        [post("cash")],
        [person("A", "cash")],
        rules={"coverage_under": "soft"},
        **_cash(min_days_off_per_week=2),
    )
    result = run(request(cfg, days=7, need={"cash": 1}))
    assert len(shifts_of(result)) == 5
    assert costs(result) == {"coverage_under": 800.0}


def test_max_consecutive_days_breaks_a_run() -> None:
    """At most two days in a row: of three days the only teller works two."""
    cfg = branch(
        [post("cash")],
        [person("A", "cash")],
        rules={"coverage_under": "soft"},
        **_cash(max_consecutive_days=2),
    )
    result = run(request(cfg, days=3, need={"cash": 1}))
    assert len(shifts_of(result)) == 2
    assert costs(result) == {"coverage_under": 400.0}


def test_max_consecutive_days_continues_the_run_from_history() -> None:
    """Saturday and Sunday worked (history) make Monday a third day in a row: not allowed."""
    cfg = branch(
        [post("cash")],
        [person("A", "cash")],
        rules={"coverage_under": "soft"},
        **_cash(max_consecutive_days=2),
    )
    history = shifts_frame(
        [("A", SAT_BEFORE, "am", "09:00", "13:00"), ("A", SUN_BEFORE, "am", "09:00", "13:00")]
    )
    result = run(with_(request(cfg, need={"cash": 1}), history_shifts=history))
    assert shifts_of(result) == []


def test_max_consecutive_days_leaves_room_to_cover_a_partners_leave_next_week() -> None:
    """B covers A's leave the two days after the horizon; 3 in a row at most: B works once."""
    cfg = branch(
        [post("cash")],
        [person("A", "cash"), person("B", "cash")],
        rules={"coverage_under": "soft"},
        backup_pairs=[BackupPair(post="cash", a="A", b="B")],
        **_cash(max_consecutive_days=3),
    )
    wed, thu = MON + dt.timedelta(days=2), MON + dt.timedelta(days=3)
    block = LeaveRequest(staff_id="A", start_date=wed, end_date=thu, kind=LeaveKind.ANNUAL)
    away = Availability(leave=[block, LeaveRequest(staff_id="A", start_date=MON, end_date=TUE)])
    result = run(request(cfg, days=2, need={"cash": 1}, availability=away))
    assert [s for s, _, _ in shifts_of(result)] == ["B"]
    assert costs(result) == {"coverage_under": 400.0}
    assert cover_due_after(build_model(request(cfg, days=2, availability=away)), 3) == {
        "B": {wed, thu}
    }


def test_min_consecutive_days_charges_a_lone_working_day() -> None:
    """A lone Tuesday is 1 day short of a 2-day stretch: 50, less than 80 of idle Monday hours."""
    cfg = branch(
        [post("cash")],
        [person("A", "cash")],
        rules={
            "coverage_under": "soft",
            "coverage_over": ("soft", 20),
            "min_consecutive_days": ("soft", 50),
        },
        **_cash(min_consecutive_days=2),
    )
    result = run(request(cfg, days=3, need=lambda ds, p: int(ds.date() == TUE)))
    assert shifts_of(result) == [("A", TUE, "am")]
    assert costs(result) == {"min_consecutive_days": 50.0}
    assert result.penalties[0].message == (
        "A has only 1 working days in a row (Tue 1 Dec), 1 short of 2"
    )


def test_min_consecutive_days_spares_the_horizon_edge_without_history() -> None:
    """A lone Monday at the horizon's start may continue Sunday's work: no charge."""
    cfg = branch(
        [post("cash")],
        [person("A", "cash")],
        rules={
            "coverage_under": "soft",
            "coverage_over": ("soft", 20),
            "min_consecutive_days": ("soft", 50),
        },
        **_cash(min_consecutive_days=2),
    )
    result = run(request(cfg, days=3, need=lambda ds, p: int(ds.date() == MON)))
    assert shifts_of(result) == [("A", MON, "am")]
    assert costs(result) == {}


def test_min_consecutive_days_counts_history_at_the_edge() -> None:
    """With history showing Sunday off, a lone Monday is a 1-day stretch: charged 50."""
    cfg = branch(
        [post("cash")],
        [person("A", "cash")],
        rules={
            "coverage_under": "soft",
            "coverage_over": ("soft", 20),
            "min_consecutive_days": ("soft", 50),
        },
        **_cash(min_consecutive_days=2),
    )
    req = request(cfg, days=3, need=lambda ds, p: int(ds.date() == MON))
    result = run(with_(req, history_shifts=shifts_frame([])))
    assert costs(result) == {"min_consecutive_days": 50.0}


def test_min_consecutive_days_off_fills_a_lone_day_off() -> None:
    """Two days off in a row: working the quiet Tuesday (20 overstaffing) beats a lone day off."""
    cfg = branch(
        [post("cash")],
        [person("A", "cash")],
        rules={
            "coverage_under": "soft",
            "coverage_over": ("soft", 5),
            "min_consecutive_days_off": ("soft", 50),
        },
        **_cash(min_consecutive_days_off=2),
    )
    result = run(request(cfg, days=3, need=lambda ds, p: int(ds.date() != TUE)))
    assert len(shifts_of(result)) == 3
    assert costs(result) == {"coverage_over": 20.0}


def test_max_weekends_worked_keeps_one_weekend_free() -> None:
    """One weekend allowed in two: the teller works one weekend, the other is 8 hours short."""
    cfg = branch(
        [post("cash")],
        [person("A", "cash")],
        rules={"coverage_under": "soft"},
        **_cash(max_weekends_worked=1),
    )
    result = run(request(cfg, days=9, start=SAT, need=lambda ds, p: int(ds.date().weekday() >= 5)))
    worked = [d for _, d, _ in shifts_of(result)]
    assert worked in ([SAT, SAT + dt.timedelta(days=1)], [SAT + dt.timedelta(days=7),
                      SAT + dt.timedelta(days=8)])  # fmt: skip
    assert costs(result) == {"coverage_under": 800.0}


SEQUENCE_SHIFTS = [shift("early", "09:00", "13:00"), shift("late", "13:00", "17:00")]


def test_forbidden_shift_sequence_late_then_early() -> None:
    """Late then early is forbidden: of Monday afternoon and Tuesday morning, one stays short."""
    cfg = branch(
        [post("cash")],
        [person("A", "cash")],
        shifts=SEQUENCE_SHIFTS,
        hours=("09:00", "17:00"),
        rules={"coverage_under": "soft"},
        **_cash(forbidden_sequences=[("late", "early")]),
    )
    need = lambda ds, p: int((ds.date() == MON) == (ds.hour >= 13))  # noqa: E731
    result = run(request(cfg, days=2, need=need))
    assert len(shifts_of(result)) == 1
    assert costs(result) == {"coverage_under": 400.0}


def test_forbidden_shift_sequence_reads_the_shift_before_the_horizon() -> None:
    """A late shift on Sunday (history) forbids the early shift on Monday."""
    cfg = branch(
        [post("cash")],
        [person("A", "cash")],
        shifts=SEQUENCE_SHIFTS,
        hours=("09:00", "17:00"),
        rules={"coverage_under": "soft"},
        **_cash(forbidden_sequences=[("late", "early")]),
    )
    req = request(cfg, need=lambda ds, p: int(ds.hour < 13))
    history = shifts_frame([("A", SUN_BEFORE, "late", "13:00", "17:00")])
    assert shifts_of(run(with_(req, history_shifts=history))) == []


def test_total_hours_minimum_charges_each_hour_short() -> None:
    """An 8-hour minimum with one 4-hour shift possible: the shift is worked, 4 h x 20 = 80."""
    cfg = branch(
        [post("cash")],
        [person("A", "cash")],
        rules={"total_hours": ("soft", 20)},
        **_cash(min_total_hours=8),
    )
    result = run(request(cfg))
    assert shifts_of(result) == [("A", MON, "am")]
    assert costs(result) == {"total_hours": 80.0}


def test_total_hours_minimum_is_scaled_for_part_time_staff() -> None:
    """A 20-hour part-timer owes half the full-time 8-hour minimum: 4 hours, met by one shift."""
    part = Staff(id="P", name="P", part_time=True, contract_hours_per_week=20)
    cfg = branch(
        [post("cash")], [part], rules={"total_hours": ("soft", 20)}, **_cash(min_total_hours=8)
    )
    result = run(request(cfg))
    assert shifts_of(result) == [("P", MON, "am")]
    assert costs(result) == {}


def test_total_hours_maximum_charges_each_hour_over() -> None:
    """A 4-hour maximum over two needed days: the second shift costs 4 h x 20 = 80."""
    cfg = branch(
        [post("cash")],
        [person("A", "cash")],
        rules={"total_hours": ("soft", 20), "coverage_under": "soft"},
        **_cash(max_total_hours=4),
    )
    result = run(request(cfg, days=2, need={"cash": 1}))
    assert len(shifts_of(result)) == 2
    assert costs(result) == {"total_hours": 80.0}


def test_total_hours_minimum_is_lowered_by_approved_leave() -> None:
    """A day of approved leave counts as 8 contract hours: an 8-hour minimum is met by leave."""
    leave = Availability(leave=[LeaveRequest(staff_id="A", start_date=MON, end_date=MON)])
    cfg = branch(
        [post("cash")],
        [person("A", "cash")],
        rules={"total_hours": ("soft", 20)},
        **_cash(min_total_hours=8),
    )
    assert costs(run(request(cfg, availability=leave))) == {}


def test_max_shifts_of_template_caps_a_template() -> None:
    """A template allowed once per person is worked once in two days: 4 staff-hours short."""
    cfg = branch(
        [post("cash")],
        [person("A", "cash")],
        shifts=[shift("am", "09:00", "13:00", max_per_person=1)],
        rules={"coverage_under": "soft"},
    )
    result = run(request(cfg, days=2, need={"cash": 1}))
    assert len(shifts_of(result)) == 1
    assert costs(result) == {"coverage_under": 400.0}


def test_history_with_a_bad_time_names_the_row_and_column() -> None:
    """A history row with an unreadable time is refused with its row, column and value."""
    cfg = branch([post("cash")], [person("A", "cash")])
    history = shifts_frame([("A", SUN_BEFORE, "am", "09:00", "13:00")])
    history.loc[0, "end"] = "late"
    with pytest.raises(InputError) as caught:
        run(with_(request(cfg), history_shifts=history))
    (issue,) = caught.value.issues
    assert (issue.file, issue.location, issue.column, issue.value) == (
        "<history_shifts>",
        2,
        "end",
        "late",
    )


def test_history_of_the_planned_days_is_ignored() -> None:
    """History rows on or after the horizon's start are what is being planned: ignored."""
    cfg = branch(
        [post("cash")],
        [person("A", "cash")],
        rules={"coverage_under": "soft"},
        **_cash(max_hours_per_day=4, max_hours_per_week=6),
    )
    history = shifts_frame([("A", MON, "am", "09:00", "13:00")])
    result = run(with_(request(cfg, need={"cash": 1}), history_shifts=history))
    assert shifts_of(result) == [("A", MON, "am")]


def test_min_days_off_conflict_with_pins_is_explained() -> None:
    """A week pinned solid is no roster: the conflict names the pins and the days-off rule."""
    cfg = branch([post("cash")], [person("A", "cash")])
    pins = [Pin(staff_id="A", date=MON + dt.timedelta(days=i), shift="am") for i in range(7)]
    result = run(request(cfg, days=7, pins=pins))
    assert result.status == "INFEASIBLE"
    (conflict,) = result.conflicts
    assert conflict.rules == ("pinned_assignment", "min_days_off_per_week")
    assert conflict.message.endswith("A has at least 1 day(s) off in the week of Mon 30 Nov")


def _with_limits(staff_id: str, **limits: object) -> Staff:
    """A cash teller with their own working-time limits."""
    return person(staff_id, "cash").model_copy(update={"limits": PersonalLimits(**limits)})


def test_personal_max_consecutive_days_replaces_the_branch_limit() -> None:
    """The branch allows 6 days in a row, A's own limit 2: of three days A works two."""
    cfg = branch(
        [post("cash")],
        [_with_limits("A", max_consecutive_days=2)],
        rules={"coverage_under": "soft"},
    )
    result = run(request(cfg, days=3, need={"cash": 1}))
    assert len(shifts_of(result)) == 2
    assert costs(result) == {"coverage_under": 400.0}


def test_personal_min_consecutive_days_charges_only_that_person() -> None:
    """A lone Tuesday costs 50 for A (own minimum 2), nothing for B (branch minimum 1)."""
    cfg = branch(
        [post("cash")],
        [_with_limits("A", min_consecutive_days=2), person("B", "cash")],
        rules={"coverage_under": "soft", "min_consecutive_days": ("soft", 50)},
    )
    pins = [Pin(staff_id=s, date=TUE, shift="am") for s in "AB"]
    pins += [Pin(staff_id=s, date=d, off=True) for s in "AB" for d in (MON, WED)]
    result = run(request(cfg, days=3, pins=pins))
    assert costs(result) == {"min_consecutive_days": 50.0}
    assert result.penalties[0].staff_id == "A"


def test_personal_min_consecutive_days_off_fills_a_lone_day_off() -> None:
    """A's own minimum of 2 days off: working the quiet Tuesday beats a lone day off."""
    cfg = branch(
        [post("cash")],
        [_with_limits("A", min_consecutive_days_off=2)],
        rules={
            "coverage_under": "soft",
            "coverage_over": ("soft", 5),
            "min_consecutive_days_off": ("soft", 50),
        },
    )
    result = run(request(cfg, days=3, need=lambda ds, p: int(ds.date() != TUE)))
    assert len(shifts_of(result)) == 3
    assert costs(result) == {"coverage_over": 20.0}


def test_personal_max_weekends_worked_without_a_branch_limit() -> None:
    """No branch limit, A's own limit one weekend: the other weekend is 8 staff-hours short."""
    cfg = branch(
        [post("cash")],
        [_with_limits("A", max_weekends_worked=1)],
        rules={"coverage_under": "soft"},
    )
    result = run(request(cfg, days=9, start=SAT, need=lambda ds, p: int(ds.date().weekday() >= 5)))
    assert len(shifts_of(result)) == 2
    assert costs(result) == {"coverage_under": 800.0}


def test_personal_total_hours_are_taken_as_stated() -> None:
    """A's own 8-hour minimum, with leave that day, is not lowered: 4 h short x 20 = 80."""
    cfg = branch(
        [post("cash")],
        [_with_limits("A", min_total_hours=8, max_total_hours=40)],
        rules={"total_hours": ("soft", 20)},
    )
    result = run(request(cfg))
    assert shifts_of(result) == [("A", MON, "am")]
    assert costs(result) == {"total_hours": 80.0}


def test_personal_total_hours_maximum_caps_one_person() -> None:
    """A may work 4 hours in the horizon (hard): B takes Tuesday."""
    cfg = branch(
        [post("cash")],
        [_with_limits("A", max_total_hours=4), person("B", "cash")],
        rules={"total_hours": "hard", "coverage_under": "soft"},
    )
    pins = [Pin(staff_id="A", date=MON, shift="am")]
    result = run(request(cfg, days=2, need={"cash": 1}, pins=pins))
    assert [(s, d) for s, d, _ in shifts_of(result)] == [("A", MON), ("B", TUE)]
    assert costs(result) == {}


def test_personal_max_shifts_zero_keeps_a_person_off_a_template() -> None:
    """A never works the late shift (own limit 0): B works it, A the early one."""
    cfg = branch(
        [post("cash")],
        [_with_limits("A", max_shifts={"late": 0}), person("B", "cash")],
        shifts=SEQUENCE_SHIFTS,
        hours=("09:00", "17:00"),
        rules={"coverage_under": "soft"},
    )
    result = run(request(cfg, need={"cash": 1}))
    assert sorted((s, t) for s, _, t in shifts_of(result)) == [("A", "early"), ("B", "late")]


def test_personal_limits_name_an_unknown_shift() -> None:
    """A personal limit on a shift template that does not exist is a configuration error."""
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="unknown shift"):
        branch([post("cash")], [_with_limits("A", max_shifts={"night": 1})])


def test_personal_limits_with_minimum_above_maximum_are_refused() -> None:
    """min_total_hours above max_total_hours cannot both hold: refused when read."""
    with pytest.raises(ValueError, match="min_total_hours 50 is above max_total_hours 40"):
        PersonalLimits(min_total_hours=50, max_total_hours=40)


@pytest.mark.parametrize("paid", [float("inf"), "1e309", 120.5, "abc", True])
def test_history_paid_minutes_that_are_not_a_whole_number_are_a_located_error(paid) -> None:
    """Infinite, fractional, text or yes/no paid minutes in the history name the row."""
    cfg = branch([post("cash")], [person("A", "cash")], rules={"coverage_under": "soft"})
    history = shifts_frame([("A", MON, "am", "09:00", "13:00")])
    history["paid_minutes"] = [paid]
    with pytest.raises(InputError) as caught:
        build_model(with_(request(cfg, need={"cash": 1}, start=TUE), history_shifts=history))
    (issue,) = caught.value.issues
    assert (issue.column, issue.message) == (
        "paid_minutes",
        "paid minutes must be a whole number within the shift",
    )
