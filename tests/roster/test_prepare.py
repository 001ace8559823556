"""Checks before solving: malformed requirement frames, closed horizons, long horizons."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from scheduler.calendar import Horizon
from scheduler.domain import BranchConfig, Channel, SpecialDay
from scheduler.errors import InputError
from scheduler.roster import RosterRequest
from scheduler.roster.prepare import merge_intervals, prepare
from scheduler.roster.words import Words

from .instances import MON, config, person, post, request, run


def _tiny() -> BranchConfig:
    return config([post("cash")], [person("A", "cash")], rules={"coverage_under": "soft"})


def test_bad_requirement_rows_are_located_input_errors() -> None:
    """An unknown post and a fractional head count are named with their row and column."""
    cfg = _tiny()
    frame = request(cfg, need={"cash": 1}).requirements
    frame.loc[1, "post"] = "vault"
    frame["required"] = frame["required"].astype(float)
    frame.loc[2, "required"] = 1.5
    with pytest.raises(InputError) as err:
        run(request(cfg, requirement_frame=frame))
    found = {(i.location, i.column, i.value) for i in err.value.errors}
    assert found == {(3, "post", "vault"), (4, "required", 1.5)}
    assert all(i.file == "<requirements>" for i in err.value.errors)


def test_a_head_count_no_post_can_hold_is_a_located_error() -> None:
    """10^9 tellers (a unit mistake) is refused by row and column, as the file reader does."""
    cfg = _tiny()
    frame = request(cfg, need={"cash": 1}).requirements
    frame["required"] = frame["required"].astype("int64")
    frame.loc[3, "required"] = 10**9
    _, issues = prepare(request(cfg, requirement_frame=frame))
    assert [(i.location, i.column, i.value, i.message, i.allowed) for i in issues] == [
        (5, "required", 10**9, "more staff than a post can hold", "0 to 1000")
    ]


def test_an_empty_requirement_frame_is_planned_with_a_warning() -> None:
    """No row at all: the posts serving customers are named as needing nobody."""
    cfg = _tiny()
    cfg = cfg.model_copy(
        update={
            "channels": [Channel(id="cash", name_zh="现金", name_en="cash", aht_minutes=5)],
            "posts": [cfg.posts[0].model_copy(update={"channels": ["cash"]})],
        }
    )
    empty = request(cfg, need={"cash": 1}).requirements.iloc[0:0]
    prep, issues = prepare(request(cfg, requirement_frame=empty))
    assert issues == []
    assert any(
        w.en.startswith("the requirement frame has no row for post(s) cash (serves cash)")
        for w in prep.warnings
    )


def test_a_hand_made_frame_without_floors_or_waits_is_planned_with_a_warning() -> None:
    """Only ds, post and required: planned (the greedy start too), and the loss is said."""
    from scheduler.baseline import greedy_roster

    cfg = _tiny()
    frame = request(cfg, need={"cash": 1}).requirements[["ds", "post", "required"]]
    req = request(cfg, requirement_frame=frame)
    prep, issues = prepare(req)
    assert issues == [] and prep.needs
    (warning,) = [w for w in prep.warnings if "made by hand" in w.en]
    assert warning.en.startswith(
        "the requirement frame has no column floor_required or wait_one_short_min: floors "
        "come from the posts' minimums only"
    )
    assert warning.zh.startswith("岗位需求表中没有 floor_required、wait_one_short_min 列")
    assert len(greedy_roster(req)) > 0


def test_requirement_frame_without_columns_is_an_input_error() -> None:
    """A frame lacking the required column says which columns are missing."""
    cfg = _tiny()
    frame = request(cfg, need={"cash": 1}).requirements.drop(columns=["required"])
    with pytest.raises(InputError, match="lacks column"):
        run(request(cfg, requirement_frame=frame))


def test_horizon_with_no_open_day_is_an_input_error() -> None:
    """A horizon on which the branch never opens is refused with a direct message."""
    cfg = _tiny()
    closed = cfg.branch.model_copy(update={"special_days": [SpecialDay(date=MON, hours=None)]})
    cfg = cfg.model_copy(update={"branch": closed})
    with pytest.raises(InputError, match="closed on every day"):
        run(request(cfg))


def test_horizon_longer_than_a_year_is_an_input_error() -> None:
    """A roster covers at most 53 weeks (a year of weekly planning)."""
    cfg = _tiny()
    req = RosterRequest(cfg, Horizon(MON, 372), request(cfg).requirements)
    _, issues = prepare(req)
    assert [i.allowed for i in issues] == ["1 to 371 days"]


def test_horizon_over_eight_weeks_is_planned_with_a_warning() -> None:
    """Twelve weeks (a published benchmark's horizon) are planned; the size is warned of."""
    cfg = _tiny()
    req = RosterRequest(cfg, Horizon(MON, 84), request(cfg).requirements)
    prepared, issues = prepare(req)
    assert issues == []
    assert len(prepared.dates) == 84
    (warning,) = [w for w in prepared.warnings if "more than 8 weeks" in w.en]
    assert "84 days, more than 8 weeks" in warning.en
    assert warning.zh.startswith("排班期共 84 天, 超过 8 周")
    eight_weeks, _ = prepare(RosterRequest(cfg, Horizon(MON, 56), request(cfg).requirements))
    assert not any("more than 8 weeks" in w.en for w in eight_weeks.warnings)


def test_hourly_requirements_fill_half_hour_slots() -> None:
    """A frame with hourly rows applies each row to both half-hour slots of its hour."""
    cfg = config([post("cash")], [person("A", "cash")], slot_minutes=30)
    frame = request(cfg, need={"cash": 1}).requirements
    hourly = frame[[ds.minute == 0 for ds in frame["ds"]]].reset_index(drop=True)
    prep, issues = prepare(request(cfg, requirement_frame=hourly))
    assert issues == []
    assert sorted(m for (_, m, _) in prep.needs) == list(range(540, 780, 30))


def test_rows_outside_opening_hours_are_ignored_with_a_warning() -> None:
    """Requirement rows when the branch is closed are dropped, counted and located in a warning."""
    cfg = _tiny()
    frame = request(cfg, need={"cash": 1}).requirements
    late = frame.iloc[[0]].assign(ds=dt.datetime(2026, 11, 30, 18, 0))
    prep, issues = prepare(
        request(cfg, requirement_frame=pd.concat([frame, late], ignore_index=True))
    )
    assert issues == []
    row = len(frame) + 2  # the header is row 1
    assert prep.warnings == [
        Words(
            "1 requirement row(s) fall outside the branch's opening hours and were ignored "
            f"(rows {row}; row {row}: 2026-11-30 18:00 cash)",
            f"岗位需求表中有 1 行不在网点营业时间内, 已忽略 (第 {row} 行; "
            f"第 {row} 行: 2026-11-30 18:00 cash)",
        )
    ]


def test_rows_on_a_day_made_closed_after_they_were_sized_are_ignored_with_a_warning() -> None:
    """Tuesday becomes a closed special day; its rows in last week's frame are ignored."""
    cfg = _tiny()
    frame = request(cfg, days=2, need={"cash": 1}).requirements
    tuesday = MON + dt.timedelta(days=1)
    closed = cfg.model_copy(
        update={
            "branch": cfg.branch.model_copy(
                update={"special_days": [SpecialDay(date=tuesday, hours=None)]}
            )
        }
    )
    prep, issues = prepare(request(closed, days=2, requirement_frame=frame))
    assert issues == []
    on_tuesday = [i + 2 for i, ds in enumerate(frame["ds"]) if ds.date() == tuesday]
    assert on_tuesday
    (warning,) = [w for w in prep.warnings if "opening hours" in w.en]
    assert warning.en.startswith(
        f"{len(on_tuesday)} requirement row(s) fall outside the branch's opening hours and "
        f"were ignored (rows {on_tuesday[0]}, "
    )
    assert {day for day, _, _ in prep.needs} == {MON}


def test_requirement_times_in_another_zone_are_the_branchs_local_times() -> None:
    """A frame in UTC (another system's export) plans the same needs as one in local time."""
    cfg = _tiny()
    frame = request(cfg, days=2, need={"cash": 1}).requirements
    utc = frame.assign(
        ds=pd.to_datetime(frame["ds"]).dt.tz_localize(cfg.branch.timezone).dt.tz_convert("UTC")
    )
    local, _ = prepare(request(cfg, days=2, requirement_frame=frame))
    converted, issues = prepare(request(cfg, days=2, requirement_frame=utc))
    assert issues == []
    assert converted.needs == local.needs and converted.needs
    assert not any("opening hours" in w.en for w in converted.warnings)


def test_declarations_dated_outside_the_plan_are_warned_of_not_dropped_silently() -> None:
    """A caller's declaration for another week is named; leave booked for later is not."""
    from scheduler.domain import Availability, AvailabilityEntry, AvailabilityKind, LeaveRequest

    cfg = _tiny()
    later = MON + dt.timedelta(days=35)
    availability = Availability(
        entries=[
            AvailabilityEntry(staff_id="A", date=MON, kind=AvailabilityKind.PREFERRED),
            AvailabilityEntry(staff_id="A", date=later, kind=AvailabilityKind.UNAVAILABLE),
        ],
        leave=[LeaveRequest(staff_id="A", start_date=later, end_date=later)],
    )
    base = request(cfg, days=7, need={"cash": 1})
    req = RosterRequest(cfg, base.horizon, base.requirements, availability=availability)
    prep, issues = prepare(req)
    assert issues == []
    told = [w for w in prep.warnings if "availability declaration" in w.en]
    assert [w.en for w in told] == [
        f"1 availability declaration(s) fall outside the planned days ({MON} to "
        f"{MON + dt.timedelta(days=6)}) and were not used (first entries[1]: A {later})"
    ]
    assert told[0].zh.startswith("1 条可用时段申报不在排班期内")


def test_open_days_without_any_requirement_row_are_warned_of() -> None:
    """A two-week plan from a one-week requirement frame names the week left without needs."""
    cfg = _tiny()
    week = request(cfg, days=7, need={"cash": 1}).requirements
    two_weeks = RosterRequest(cfg, Horizon(MON, 14), week)
    prep, issues = prepare(two_weeks)
    assert issues == []
    assert prep.warnings == [
        Words(
            "the requirement frame states no need on 7 open day(s) of the horizon (Mon 7 Dec, "
            "Tue 8 Dec, Wed 9 Dec, Thu 10 Dec, Fri 11 Dec, Sat 12 Dec, Sun 13 Dec); nobody is "
            "required on a post there beyond the posts' minimums (plan those days with "
            "requirements for them)",
            "岗位需求表未列出排班期内 7 个营业日 (12月7日(周一)、12月8日(周二)、12月9日(周三)、"
            "12月10日(周四)、12月11日(周五)、12月12日(周六)、12月13日(周日)) 的需求; "
            "这些天各岗位只按岗位最低人数安排 (请提供这些天的岗位需求后再排班)",
        )
    ]
    whole, _ = prepare(RosterRequest(cfg, Horizon(MON, 7), week))
    assert whole.warnings == []


def test_merge_intervals_joins_touching_windows() -> None:
    """Declared windows that touch or overlap count as one window."""
    assert merge_intervals([(600, 660), (540, 600), (720, 780)]) == ((540, 660), (720, 780))


def test_a_post_serving_customers_without_any_requirement_row_is_warned_of() -> None:
    """A frame with every cash-counter row filtered out names the post.

    It was planned as needing nobody, silently. A post serving no channel may have no rows.
    """
    from scheduler.domain import Channel, Post

    channels = [Channel(id=c, name_zh=c, name_en=c, aht_minutes=5) for c in ("cash", "lobby")]
    cfg = config(
        [
            Post(id="cash", name_zh="cash", name_en="cash", channels=["cash"]),
            Post(id="lobby", name_zh="lobby", name_en="lobby", channels=["lobby"]),
            post("vault"),
        ],
        [person("A", "cash", "lobby")],
        rules={"coverage_under": "soft"},
        channels=channels,
    )
    frame = request(cfg, need={"cash": 1, "lobby": 1}).requirements
    only_lobby = frame[frame["post"] == "lobby"]
    prep, issues = prepare(request(cfg, requirement_frame=only_lobby))
    assert issues == []
    assert prep.warnings == [
        Words(
            "the requirement frame has no row for post(s) cash (serves cash); nobody is "
            "required there beyond the posts' minimums (the staffing stage writes a row for "
            "every post in every open slot: was the frame filtered?)",
            "岗位需求表中没有cash (服务cash)的行; 这些岗位只按岗位最低人数安排 "
            "(人员需求测算为每个岗位的每个营业时段各写一行: 需求表是否被筛选过?)",
        )
    ]
    whole, _ = prepare(request(cfg, requirement_frame=frame))
    assert whole.warnings == []


def test_a_frame_for_another_week_is_refused_and_stray_rows_are_counted() -> None:
    """A frame entirely of the next week is an error naming its dates.

    Planned from it, the week would have no need at all. A few rows beyond the planned days
    are ignored with a warning saying how many.
    """
    cfg = _tiny()
    week = request(cfg, days=7, need={"cash": 1}).requirements
    next_week = week.assign(ds=week["ds"] + pd.Timedelta(days=7))
    _, issues = prepare(RosterRequest(cfg, Horizon(MON, 7), next_week))
    (issue,) = issues
    assert issue.message.startswith("no requirement row falls in the planned days")
    assert issue.allowed == "rows for 2026-11-30 to 2026-12-06 (the frame of that week)"
    both = pd.concat([week, next_week.iloc[:3]], ignore_index=True)
    prep, issues = prepare(RosterRequest(cfg, Horizon(MON, 7), both))
    assert issues == []
    assert prep.warnings[0].en == (
        "3 requirement row(s) fall outside the planned days (2026-11-30 to 2026-12-06) and "
        "were ignored"
    )
