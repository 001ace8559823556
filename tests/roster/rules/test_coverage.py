"""Coverage rules, each on the smallest instance where it decides the roster."""

from __future__ import annotations

from scheduler.domain import Availability, LeaveRequest, ShiftDemand
from scheduler.roster.request import Pin

from ..instances import MON, TUE, config, costs, held, person, post, request, run, shift


def test_coverage_under_is_weighed_by_the_extra_wait() -> None:
    """Each staff-hour short costs weight x minutes of extra wait: 4 h x 100 x 3 = 1200."""
    cfg = config([post("cash")], [person("A", "cash")], rules={"coverage_under": "soft"})
    result = run(request(cfg, need={"cash": 2}, wait=3.0))
    assert costs(result) == {"coverage_under": 1200.0}
    assert sum(p.amount for p in result.penalties) == 4.0
    assert result.penalties[0].message == "Mon 30 Nov 09:00 cash: 1 of 2 staff, 1 short"


def test_coverage_under_puts_the_shortfall_where_waits_are_shortest() -> None:
    """With one person for two posts, the post whose shortfall costs less wait goes short."""
    cfg = config(
        [post("cash"), post("lobby")],
        [person("A", "cash", "lobby")],
        rules={"coverage_under": "soft"},
    )
    frame = request(cfg, need={"cash": 1, "lobby": 1}).requirements
    frame.loc[frame["post"] == "cash", "wait_one_short_min"] = 5.0
    result = run(request(cfg, requirement_frame=frame))
    assert held(result, "A") == [("09:00", "13:00", "cash")]
    assert costs(result) == {"coverage_under": 400.0}


def test_coverage_over_charges_each_extra_staff_hour() -> None:
    """Two people pinned to a post needing one: 4 staff-hours over at weight 5 cost 20."""
    from scheduler.roster.request import Pin

    cfg = config(
        [post("cash")],
        [person("A", "cash"), person("B", "cash")],
        rules={"coverage_over": ("soft", 5)},
    )
    pins = [Pin(staff_id=s, date=MON, shift="am") for s in "AB"]
    result = run(request(cfg, need={"cash": 1}, pins=pins))
    assert costs(result) == {"coverage_over": 20.0}
    assert result.penalties[0].message == "Mon 30 Nov 09:00 cash: 2 staff for 1 needed, 1 over"


def test_post_floor_from_min_staff_holds_the_post_without_a_requirement_row() -> None:
    """A post with a minimum of one is held in every open slot even with no traffic need."""
    cfg = config([post("lobby", min_staff=1)], [person("A", "lobby")], rules={"post_floor": "hard"})
    result = run(request(cfg))
    assert held(result, "A") == [("09:00", "13:00", "lobby")]


def test_post_floor_soft_charges_each_uncovered_staff_hour() -> None:
    """When the only lobby manager is on leave, a soft floor costs 4 h x its weight 2000."""
    leave = Availability(leave=[LeaveRequest(staff_id="A", start_date=MON, end_date=MON)])
    cfg = config(
        [post("lobby", min_staff=1)],
        [person("A", "lobby")],
        rules={"post_floor": ("soft", 2000)},
    )
    result = run(request(cfg, availability=leave))
    assert costs(result) == {"post_floor": 8000.0}
    assert result.penalties[0].message == "Mon 30 Nov 09:00 lobby: 0 of the minimum 1"


def test_shift_demand_puts_two_on_the_early_shift() -> None:
    """A fixed need of two on the early shift is met, and nobody else is called in."""
    cfg = config(
        [post("cash")],
        [person(s, "cash") for s in "ABC"],
        shifts=[shift("early", "09:00", "11:00"), shift("late", "11:00", "13:00")],
        shift_demands=[ShiftDemand(shift="early", min_staff=2)],
        rules={"shift_demand": "hard", "coverage_over": ("soft", 5)},
    )
    result = run(request(cfg, need={"cash": 0}))
    assert list(result.shifts["shift"]) == ["early", "early"]
    assert costs(result) == {"coverage_over": 20.0}


def test_shift_demand_soft_counts_people_short() -> None:
    """A soft shift demand nobody can meet costs its weight per person short."""
    cfg = config(
        [post("cash")],
        [person("A", "cash")],
        shifts=[shift("early", "09:00", "11:00"), shift("late", "11:00", "13:00")],
        shift_demands=[ShiftDemand(shift="early", min_staff=3, post="cash")],
        rules={"shift_demand": ("soft", 70)},
    )
    result = run(request(cfg))
    assert costs(result) == {"shift_demand": 140.0}
    assert result.penalties[0].message == (
        "Mon 30 Nov early shift: 1 of 3 qualified for cash, 2 short"
    )


def test_shift_demand_on_named_dates_costs_its_own_under_weight() -> None:
    """A demand stated for Tuesday only, soft at 7 per person short: 1 short on Tue costs 7."""
    cfg = config(
        [post("cash")],
        [person("A", "cash")],
        shifts=[shift("early", "09:00", "11:00"), shift("late", "11:00", "13:00")],
        shift_demands=[ShiftDemand(shift="early", min_staff=2, dates=[TUE], under_weight=7)],
        rules={"shift_demand": ("soft", 70)},
    )
    result = run(request(cfg, days=2))
    assert costs(result) == {"shift_demand": 7.0}
    assert result.penalties[0].date == TUE


def test_shift_demand_over_charges_each_person_above_the_most() -> None:
    """Three people pinned to the early shift with at most one wanted: 2 over at 4 cost 8."""
    cfg = config(
        [post("cash")],
        [person(s, "cash") for s in "ABC"],
        shifts=[shift("early", "09:00", "11:00"), shift("late", "11:00", "13:00")],
        shift_demands=[ShiftDemand(shift="early", min_staff=0, max_staff=1, over_weight=4)],
        rules={"shift_demand_over": ("soft", 50)},
    )
    pins = [Pin(staff_id=s, date=MON, shift="early") for s in "ABC"]
    result = run(request(cfg, pins=pins))
    assert costs(result) == {"shift_demand_over": 8.0}
    assert result.penalties[0].message == "Mon 30 Nov early shift: 3 people for 1 wanted, 2 over"


def test_shift_demand_over_hard_moves_people_to_another_shift() -> None:
    """With at most one on the early shift (hard) and two people needed, one works late."""
    cfg = config(
        [post("cash")],
        [person(s, "cash") for s in "AB"],
        shifts=[shift("early", "09:00", "11:00"), shift("late", "11:00", "13:00")],
        shift_demands=[ShiftDemand(shift="early", min_staff=1, max_staff=1)],
        rules={"shift_demand": "hard", "shift_demand_over": "hard"},
    )
    pins = [Pin(staff_id=s, date=MON, post="cash") for s in "AB"]
    result = run(request(cfg, pins=pins))
    assert sorted(result.shifts["shift"]) == ["early", "late"]


def test_shift_demand_hard_min_and_max_that_cannot_both_hold_are_named() -> None:
    """Two on the early shift and at most one there, both hard: infeasible, both rules named."""
    cfg = config(
        [post("cash")],
        [person(s, "cash") for s in "AB"],
        shifts=[shift("early", "09:00", "11:00")],
        shift_demands=[
            ShiftDemand(shift="early", min_staff=2),
            ShiftDemand(shift="early", min_staff=0, max_staff=1),
        ],
        rules={"shift_demand": "hard", "shift_demand_over": "hard"},
    )
    result = run(request(cfg))
    assert result.stats.status == "INFEASIBLE"
    named = {rule for c in result.conflicts for rule in c.rules}
    assert {"shift_demand", "shift_demand_over"} <= named


def test_shift_demand_with_most_below_least_is_refused() -> None:
    """A demand whose most is below its least is a configuration error, not a roster."""
    import pytest
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="max_staff 1 is below min_staff 2"):
        ShiftDemand(shift="early", min_staff=2, max_staff=1)
