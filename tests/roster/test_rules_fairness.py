"""Preferences and fairness rules, each on the smallest instance where it decides the roster."""

from __future__ import annotations

import datetime as dt

from scheduler.domain import (
    Availability,
    AvailabilityEntry,
    AvailabilityKind,
    LeaveRequest,
    Staff,
)
from scheduler.roster.request import Pin

from .instances import MON, TUE, costs, person, post, request, run, shift
from .instances_extra import SAT, branch, shifts_of

SUN = SAT + dt.timedelta(days=1)


def _wish(
    staff_id: str, kind: AvailabilityKind, start: str, end: str, weight: int = 1
) -> AvailabilityEntry:
    return AvailabilityEntry(
        staff_id=staff_id, date=MON, kind=kind, start=start, end=end, weight=weight
    )  # type: ignore[arg-type]


def test_preferences_undesired_hours_are_charged_times_their_weight() -> None:
    """Two undesired hours of weight 3 worked by the only teller cost 2 x 3 x 10 = 60."""
    cfg = branch(
        [post("cash")],
        [person("A", "cash")],
        rules={"coverage_under": "soft", "preferences": ("soft", 10)},
    )
    wish = _wish("A", AvailabilityKind.UNDESIRED, "09:00", "11:00", weight=3)
    result = run(request(cfg, need={"cash": 1}, availability=Availability(entries=[wish])))
    assert shifts_of(result) == [("A", MON, "am")]
    assert costs(result) == {"preferences": 60.0}
    assert result.penalties[0].message == (
        "A works 2 h on Mon 30 Nov in 09:00-11:00, marked undesired (weight 3)"
    )


def test_preferences_undesired_window_sends_the_other_person() -> None:
    """Of two tellers for one need, the one who would rather not work stays home."""
    cfg = branch(
        [post("cash")],
        [person("A", "cash"), person("B", "cash")],
        rules={"coverage_under": "soft", "coverage_over": "soft", "preferences": "soft"},
    )
    wish = _wish("A", AvailabilityKind.UNDESIRED, "11:00", "12:00")
    result = run(request(cfg, need={"cash": 1}, availability=Availability(entries=[wish])))
    assert shifts_of(result) == [("B", MON, "am")]
    assert costs(result) == {}


def test_preferences_preferred_window_calls_the_person_in() -> None:
    """Of two tellers for one need, the one who prefers to work gets the shift."""
    cfg = branch(
        [post("cash")],
        [person("A", "cash"), person("B", "cash")],
        rules={"coverage_under": "soft", "coverage_over": "soft", "preferences": "soft"},
    )
    wish = _wish("B", AvailabilityKind.PREFERRED, "09:00", "13:00")
    result = run(request(cfg, need={"cash": 1}, availability=Availability(entries=[wish])))
    assert shifts_of(result) == [("B", MON, "am")]


def test_preferences_preferred_hours_not_worked_are_charged() -> None:
    """A preferred morning not worked (overstaffing costs more) is charged 4 h x 2 x 10 = 80."""
    cfg = branch(
        [post("cash")],
        [person("A", "cash")],
        rules={"coverage_over": ("soft", 50), "preferences": ("soft", 10)},
    )
    wish = _wish("A", AvailabilityKind.PREFERRED, "09:00", "13:00", weight=2)
    result = run(request(cfg, need={"cash": 0}, availability=Availability(entries=[wish])))
    assert shifts_of(result) == []
    assert costs(result) == {"preferences": 80.0}


def test_preferences_unapproved_leave_is_a_strong_wish() -> None:
    """Leave asked for but not approved keeps the person home when someone else can work."""
    leave = LeaveRequest(staff_id="A", start_date=MON, end_date=MON, approved=False)
    cfg = branch(
        [post("cash")],
        [person("A", "cash"), person("B", "cash")],
        rules={"coverage_under": "soft", "coverage_over": "soft", "preferences": "soft"},
    )
    result = run(request(cfg, need={"cash": 1}, availability=Availability(leave=[leave])))
    assert shifts_of(result) == [("B", MON, "am")]


WEEK_SHIFT = [shift("day", "09:00", "17:00")]


def test_contract_hours_fill_the_contract_and_no_more() -> None:
    """A 40-hour contract over a week of 8-hour shifts is met by exactly five shifts."""
    cfg = branch(
        [post("cash")],
        [person("A", "cash")],
        shifts=WEEK_SHIFT,
        hours=("09:00", "17:00"),
        rules={"contract_hours": "soft"},
    )
    result = run(request(cfg, days=7))
    assert len(shifts_of(result)) == 5
    assert costs(result) == {}


def test_contract_hours_credit_leave_and_charge_each_hour_short() -> None:
    """Leave counts as 8 contract hours a day; without it, 24 of 40 hours cost 16 h x 15."""
    approved = LeaveRequest(staff_id="A", start_date=MON, end_date=TUE)
    cfg = branch(
        [post("cash")],
        [person("A", "cash")],
        shifts=WEEK_SHIFT,
        hours=("09:00", "17:00"),
        rules={"contract_hours": ("soft", 15)},
    )
    unavailable = [
        AvailabilityEntry(staff_id="A", date=MON + dt.timedelta(days=d), kind="unavailable")  # type: ignore[arg-type]
        for d in (2, 3)
    ]
    avail = Availability(entries=unavailable, leave=[approved])
    result = run(request(cfg, days=7, availability=avail))
    # Target 40 h less 2 leave days x 8 h = 24 h; three days remain: 24 h worked, no charge.
    assert len(shifts_of(result)) == 3
    assert costs(result) == {}
    # Without the leave credit the same days leave 16 h short of 40: 16 x 15 = 240.
    avail = Availability(
        entries=unavailable
        + [
            AvailabilityEntry(staff_id="A", date=d, kind="unavailable")  # type: ignore[arg-type]
            for d in (MON, TUE)
        ]
    )
    assert costs(run(request(cfg, days=7, availability=avail))) == {"contract_hours": 240.0}


def test_contract_hours_do_not_call_in_a_part_timer() -> None:
    """A part-timer is planned by availability: no shift is added just to fill the contract."""
    part = Staff(id="P", name="P", part_time=True, contract_hours_per_week=20)
    cfg = branch(
        [post("cash")],
        [part],
        shifts=WEEK_SHIFT,
        hours=("09:00", "17:00"),
        rules={"contract_hours": "soft"},
    )
    result = run(request(cfg, days=7))
    assert shifts_of(result) == []
    assert costs(result) == {}


def test_fair_weekends_share_the_weekend_between_two_people() -> None:
    """One needed person per weekend day: each of two tellers works one day."""
    cfg = branch(
        [post("cash")],
        [person("A", "cash"), person("B", "cash")],
        rules={"coverage_under": "soft", "coverage_over": "soft", "fair_weekends": "soft"},
    )
    result = run(request(cfg, days=2, start=SAT, need={"cash": 1}))
    people = sorted(s for s, _, _ in shifts_of(result))
    assert people == ["A", "B"]
    assert costs(result) == {}


def test_fair_weekends_charge_the_excess_over_the_fair_share() -> None:
    """Both weekend days pinned on A: 2 days against a fair share of 1 cost 1 x 40."""
    cfg = branch(
        [post("cash")],
        [person("A", "cash"), person("B", "cash")],
        rules={"coverage_over": ("soft", 50), "fair_weekends": ("soft", 40)},
    )
    pins = [Pin(staff_id="A", date=d, shift="am") for d in (SAT, SUN)]
    result = run(request(cfg, days=2, start=SAT, need={"cash": 1}, pins=pins))
    assert costs(result) == {"fair_weekends": 40.0}
    assert result.penalties[0].message == (
        "A works 2 weekend day(s), 1 above the fair share of the 2 people who could"
    )


LATE_SHIFTS = [shift("early", "09:00", "13:00"), shift("late", "13:00", "17:00", late=True)]


def test_fair_late_shifts_give_each_person_one_late_shift() -> None:
    """Two days each needing an early and a late shift: each teller works one late shift."""
    cfg = branch(
        [post("cash")],
        [person("A", "cash"), person("B", "cash")],
        shifts=LATE_SHIFTS,
        hours=("09:00", "17:00"),
        rules={"coverage_under": "soft", "coverage_over": "soft", "fair_late_shifts": "soft"},
    )
    result = run(request(cfg, days=2, need={"cash": 1}))
    late = sorted(s for s, _, t in shifts_of(result) if t == "late")
    assert late == ["A", "B"]
    assert costs(result) == {}


def _shift_wish(staff_id: str, kind: AvailabilityKind, shift_id: str, weight: int = 1):
    return AvailabilityEntry(staff_id=staff_id, date=MON, kind=kind, shift=shift_id, weight=weight)


TWIN_SHIFTS = [shift("am", "09:00", "13:00"), shift("am2", "09:00", "13:00")]
"""Two templates with the same hours: only a wish naming a shift tells them apart."""


def test_preferences_undesired_shift_is_avoided_when_another_covers_the_same_hours() -> None:
    """A teller who would rather not work 'am' works 'am2' (same hours): nothing charged."""
    cfg = branch(
        [post("cash")],
        [person("A", "cash")],
        shifts=TWIN_SHIFTS,
        rules={"coverage_under": "soft", "preferences": ("soft", 10)},
    )
    wish = _shift_wish("A", AvailabilityKind.UNDESIRED, "am", weight=3)
    result = run(request(cfg, need={"cash": 1}, availability=Availability(entries=[wish])))
    assert shifts_of(result) == [("A", MON, "am2")]
    assert costs(result) == {}


def test_preferences_preferred_shift_not_worked_costs_its_weight_once() -> None:
    """Pinned to 'am2' while preferring 'am' (weight 3, rule weight 10): charged 30, once."""
    cfg = branch(
        [post("cash")],
        [person("A", "cash")],
        shifts=TWIN_SHIFTS,
        rules={"preferences": ("soft", 10)},
    )
    wish = _shift_wish("A", AvailabilityKind.PREFERRED, "am", weight=3)
    pins = [Pin(staff_id="A", date=MON, shift="am2")]
    result = run(request(cfg, availability=Availability(entries=[wish]), pins=pins))
    assert costs(result) == {"preferences": 30.0}
    assert result.penalties[0].message == (
        "A does not work the am shift preferred on Mon 30 Nov (weight 3)"
    )
    assert result.people.loc[0, "preferences_met"] == 0


def test_preferences_preferred_shift_on_a_leave_day_is_not_charged() -> None:
    """A preferred shift on a day of approved leave cannot be worked: no charge."""
    cfg = branch([post("cash")], [person("A", "cash")], rules={"preferences": ("soft", 10)})
    wish = _shift_wish("A", AvailabilityKind.PREFERRED, "am", weight=3)
    leave = LeaveRequest(staff_id="A", start_date=MON, end_date=MON)
    result = run(request(cfg, availability=Availability(entries=[wish], leave=[leave])))
    assert costs(result) == {}


def test_preferences_naming_an_unknown_shift_is_refused() -> None:
    """A wish for a shift template the branch does not have is an input error, named."""
    import pytest

    from scheduler.errors import InputError

    cfg = branch([post("cash")], [person("A", "cash")], rules={"preferences": "soft"})
    wish = _shift_wish("A", AvailabilityKind.PREFERRED, "night")
    with pytest.raises(InputError) as caught:
        run(request(cfg, availability=Availability(entries=[wish])))
    (issue,) = caught.value.errors
    assert (issue.column, issue.value, issue.message) == ("shift", "night", "unknown shift")
