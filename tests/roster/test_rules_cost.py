"""Labour cost with overtime premiums (劳动法 第四十四条), as a formula and as an objective."""

from __future__ import annotations

import datetime as dt

from scheduler.calendar import BranchCalendar
from scheduler.domain import BranchConfig, DayHours, LabourRules, Qualification, Staff
from scheduler.roster import build_model
from scheduler.roster.rules.cost import PersonCost, person_cost

from .instances import MON, costs, person, post, request, run, shift
from .instances_extra import branch, shifts_frame, shifts_of, with_

NATIONAL_DAY = dt.date(2026, 10, 1)
NATIONAL_DAY_OBSERVED = dt.date(2026, 10, 5)
"""Monday 5 Oct 2026, "National Day (observed)" in the package: a day off of the break."""
NATIONAL_DAY_MOVED = dt.date(2026, 10, 6)
"""Tuesday 6 Oct 2026, a day off moved by 调休 from Sunday 20 Sep."""


def _pay(
    minutes_by_day: dict[dt.date, int], before: dict[dt.date, int] | None = None
) -> PersonCost:
    cfg = branch([post("cash")], [person("A", "cash")])
    return person_cost(cfg, BranchCalendar(cfg.branch), cfg.staff[0], minutes_by_day, before)


def _week(minutes: int, days: int) -> dict[dt.date, int]:
    return {MON + dt.timedelta(days=i): minutes for i in range(days)}


def test_person_cost_standard_week_has_no_premium() -> None:
    """Five 8-hour days at 60 yuan an hour cost 40 x 60 = 2400, no overtime."""
    assert _pay(_week(480, 5)) == PersonCost(2400, 0, 2400.0)


def test_person_cost_hours_beyond_the_standard_day_are_paid_150_percent() -> None:
    """Five 9-hour days: 5 hours beyond the day at 150%: 60 x (45 + 0.5 x 5) = 2850."""
    assert _pay(_week(540, 5)) == PersonCost(2700, 300, 2850.0)


def test_person_cost_a_sixth_day_is_rest_day_work_at_200_percent() -> None:
    """Six 8-hour days: the 8 hours past the standard week at 200%: 60 x (48 + 8) = 3360."""
    assert _pay(_week(480, 6)) == PersonCost(2880, 480, 3360.0)


def test_person_cost_statutory_holiday_hours_are_paid_300_percent() -> None:
    """Eight hours on National Day (1 Oct, statutory) cost 8 x 60 x 3 = 1440, all overtime."""
    assert _pay({NATIONAL_DAY: 480}) == PersonCost(480, 480, 1440.0)


def test_person_cost_a_day_off_moved_by_tiaoxiu_is_rest_day_work_at_200_percent() -> None:
    """Eight hours on 6 Oct 2026 (调休, not statutory) cost 8 x 60 x 2 = 960, not 1440."""
    assert _pay({NATIONAL_DAY_MOVED: 480}) == PersonCost(480, 480, 960.0)


def test_person_cost_an_observed_day_is_rest_day_work_at_200_percent() -> None:
    """Eight hours on an "observed" day (5 Oct, 6 Apr 2026) cost 8 x 60 x 2 = 960."""
    assert _pay({NATIONAL_DAY_OBSERVED: 480}) == PersonCost(480, 480, 960.0)
    assert _pay({dt.date(2026, 4, 6): 480}) == PersonCost(480, 480, 960.0)


def test_person_cost_a_long_day_of_a_holiday_break_is_all_at_200_percent() -> None:
    """Ten hours on a moved day off: every hour at 200%, no 150% on top: 10 x 60 x 2 = 1200."""
    assert _pay({NATIONAL_DAY_MOVED: 600}) == PersonCost(600, 600, 1200.0)


def test_person_cost_days_of_a_holiday_break_do_not_count_toward_the_standard_week() -> None:
    """Mon-Sat 5-10 Oct 2026 at 8 h: the 3 break days at 200%, the 3 working days plain: 4320."""
    days = {NATIONAL_DAY_OBSERVED + dt.timedelta(days=i): 480 for i in range(6)}
    # 60 x (3 x 8 x 2 + 3 x 8) = 4320 yuan; 24 overtime hours, none past the standard week.
    assert _pay(days) == PersonCost(2880, 1440, 4320.0)


def test_person_cost_counts_earlier_days_of_the_week_toward_the_standard_week() -> None:
    """Five 8-hour days before the horizon make Saturday's 8 hours rest-day work: 960."""
    before = _week(480, 5)
    saturday = MON + dt.timedelta(days=5)
    assert _pay({saturday: 480}, before) == PersonCost(480, 480, 960.0)


def _cheaper_person_cfg(weight: int) -> BranchConfig:
    dear = Staff(id="A", name="A", hourly_rate=100, qualifications=[Qualification(post="cash")])
    cheap = Staff(id="B", name="B", hourly_rate=50, qualifications=[Qualification(post="cash")])
    return branch(
        [post("cash")],
        [dear, cheap],
        rules={"coverage_under": "soft", "labour_cost": ("soft", weight)},
    )


def test_labour_cost_with_weight_sends_the_cheaper_person() -> None:
    """At weight 1 per yuan the 50-yuan teller works the 4 hours: 200."""
    result = run(request(_cheaper_person_cfg(1), need={"cash": 1}))
    assert shifts_of(result) == [("B", MON, "am")]
    assert costs(result) == {"labour_cost": 200.0}
    assert result.penalties[0].message == "B costs ¥200 for the am shift on Mon 30 Nov"


def test_labour_cost_at_weight_zero_adds_nothing_to_the_model() -> None:
    """The default weight 0 reports cost only: no term, no variable, no penalty line."""
    cfg = branch([post("cash")], [person("A", "cash")], rules={"labour_cost": ("soft", 0)})
    model = build_model(request(cfg, need={"cash": 1}))
    assert [t for t in model.terms if t.rule == "labour_cost"] == []
    assert len(model.cp.proto.variables) == 1


def test_labour_cost_rest_day_premium_can_outweigh_service() -> None:
    """A sixth 8-hour day at 200% (960 yuan) costs more than 8 staff-hours short (800)."""
    cfg = branch(
        [post("cash")],
        [person("A", "cash")],
        shifts=[shift("day", "09:00", "17:00")],
        hours=("09:00", "17:00"),
        labour=LabourRules(min_days_off_per_week=1, max_hours_per_week=60),
        rules={"coverage_under": "soft", "labour_cost": ("soft", 1)},
    )
    result = run(request(cfg, days=7, need={"cash": 1}))
    assert len(shifts_of(result)) == 5
    assert costs(result) == {"coverage_under": 1600.0, "labour_cost": 2400.0}


def test_labour_cost_counts_history_toward_the_standard_week() -> None:
    """Five days worked before a Saturday horizon make its shift rest-day work: not worth it."""
    cfg = branch(
        [post("cash")],
        [person("A", "cash")],
        shifts=[shift("day", "09:00", "17:00")],
        hours=("09:00", "17:00"),
        labour=LabourRules(max_hours_per_week=60),
        rules={"coverage_under": "soft", "labour_cost": ("soft", 1)},
    )

    saturday = MON + dt.timedelta(days=5)
    history = shifts_frame(
        [("A", MON + dt.timedelta(days=i), "day", "09:00", "17:00") for i in range(5)]
    )
    req = request(cfg, need={"cash": 1}, start=saturday)
    result = run(with_(req, history_shifts=history))
    assert shifts_of(result) == []
    assert costs(result) == {"coverage_under": 800.0}


def _open_on_holidays(cfg: BranchConfig) -> BranchConfig:
    """The branch open 09:00-17:00 on public holidays too."""
    open_on_holidays = cfg.branch.calendar.model_copy(
        update={"holiday_hours": DayHours(start="09:00", end="17:00")}  # type: ignore[arg-type]
    )
    return cfg.model_copy(
        update={"branch": cfg.branch.model_copy(update={"calendar": open_on_holidays})}
    )


def test_labour_cost_staffs_the_moved_day_off_but_not_the_statutory_day() -> None:
    """1-2 Jan 2026: 8 h cost 1440 on New Year's Day, above 8 h short (1200), 960 on 2 Jan."""
    cfg = _open_on_holidays(
        branch(
            [post("cash")],
            [person("A", "cash")],
            shifts=[shift("day", "09:00", "17:00")],
            hours=("09:00", "17:00"),
            rules={"coverage_under": ("soft", 150), "labour_cost": ("soft", 1)},
        )
    )
    new_year, moved = dt.date(2026, 1, 1), dt.date(2026, 1, 2)
    result = run(request(cfg, days=2, need={"cash": 1}, start=new_year))
    assert shifts_of(result) == [("A", moved, "day")]
    assert costs(result) == {"coverage_under": 1200.0, "labour_cost": 960.0}
    [line] = [p.message for p in result.penalties if p.rule == "labour_cost"]
    assert line == "A costs ¥960 for the day shift on Fri 2 Jan, day off of a holiday break at 200%"
    row = result.people.set_index("staff_id").loc["A"]
    assert (row["paid_hours"], row["overtime_hours"], row["labour_cost"]) == (8.0, 8.0, 960.0)


def test_people_frame_labour_cost_is_the_objective_formula_with_rest_day_and_holiday() -> None:
    """The people frame prices Mid-Autumn at 300% and the 6th day (history included) at 200%."""
    cfg = _open_on_holidays(
        branch(
            [post("cash")],
            [person("A", "cash")],
            shifts=[shift("day", "09:00", "17:00")],
            hours=("09:00", "17:00"),
            labour=LabourRules(
                max_hours_per_week=60, min_days_off_per_week=0, max_consecutive_days=7
            ),
            rules={"coverage_under": "hard", "labour_cost": ("soft", 1)},
        )
    )
    monday = dt.date(2026, 9, 21)  # Mid-Autumn Festival on Friday 25 Sep 2026
    history = shifts_frame(
        [("A", monday + dt.timedelta(days=i), "day", "09:00", "17:00") for i in range(2)]
    )
    req = request(cfg, days=5, need={"cash": 1}, start=monday + dt.timedelta(days=2))
    result = run(with_(req, history_shifts=history))
    row = result.people.set_index("staff_id").loc["A"]
    # 40 h paid; 8 h on the holiday at +200%; Mon-Thu, Sat, Sun within the day pass 40 h by 8 h
    # at +100%: 60 x (40 + 16 + 8) = 3840 yuan, 16 overtime hours.
    assert (row["paid_hours"], row["overtime_hours"], row["labour_cost"]) == (40.0, 16.0, 3840.0)
    assert costs(result) == {"labour_cost": 3840.0}
