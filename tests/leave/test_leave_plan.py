"""Tests of the mandatory-leave planner, one business rule per test on a tiny branch."""

from __future__ import annotations

import datetime as dt

from leave_builders import d, leave_frame, person, settings, tiny_config

from scheduler.domain import BackupPair, MandatoryLeaveRule, Weekday
from scheduler.leave import (
    LeavePreference,
    PlannedBlock,
    cover_need,
    plan_leave,
    subjects_of,
)


def _starts(plan) -> dict[str, dt.date]:  # type: ignore[no-untyped-def]
    return {b.staff_id: b.start for b in plan.blocks}


def test_subjects_are_sensitive_post_holders() -> None:
    """Home holders of the rule's posts and every pair's A holder take mandatory leave."""
    cfg = tiny_config(pairs=[BackupPair(post="teller", a="C", b="A")])
    assert subjects_of(cfg) == {"A": "teller", "B": "teller", "C": "teller"}
    assert subjects_of(tiny_config()) == {"A": "teller", "B": "teller"}


def test_block_is_consecutive_working_days() -> None:
    """A five-working-day block skips the weekend: Thursday to the next Wednesday."""
    cfg = tiny_config(staff=[person("A", "teller"), person("C", "lobby", "teller")], pairs=[])
    plan = plan_leave(cfg, 2027, settings=settings((d(7, 1), d(7, 7))))
    assert plan.status == "OPTIMAL"
    (block,) = plan.blocks
    assert (block.start, block.end, block.working_days) == (d(7, 1), d(7, 7), 5)
    assert (block.cover_id, block.status) == ("C", "planned")


def test_ab_partners_never_away_together() -> None:
    """A and B with only two weeks available take one each, never the same days."""
    plan = plan_leave(tiny_config(), 2027, settings=settings((d(7, 5), d(7, 16))))
    assert sorted(_starts(plan).values()) == [d(7, 5), d(7, 12)]
    covers = {b.staff_id: b.cover_id for b in plan.blocks}
    assert covers == {"A": "B", "B": "A"}


def test_post_keeps_cover_every_week() -> None:
    """With two of three tellers needed each week, the three blocks fill three separate weeks."""
    staff = [person("A", "teller"), person("B", "teller"), person("D", "teller")]
    cfg = tiny_config(staff=staff, pairs=[])
    plan = plan_leave(cfg, 2027, settings=settings((d(7, 5), d(7, 23)), min_cover={"teller": 2}))
    assert plan.status == "OPTIMAL"
    assert sorted(_starts(plan).values()) == [d(7, 5), d(7, 12), d(7, 19)]


def test_cover_need_from_floor_and_open_days() -> None:
    """One holder over six open days needs two people when each works at most five days."""
    cfg = tiny_config()  # min_days_off_per_week = 1 -> 6 working days a week
    assert cover_need(cfg, "teller", 5) == 1
    assert cover_need(cfg, "teller", 7) == 2
    assert cover_need(cfg, "lobby", 0) == 0


def test_cover_need_counts_break_relief_on_posts_held_all_day() -> None:
    """A floored post held all day through shifts with a lunch break takes two people a day."""
    from scheduler.domain import BreakRule, ShiftTemplate

    lunch = BreakRule(minutes=60, earliest="11:00", latest_end="14:00")  # type: ignore[arg-type]
    day = ShiftTemplate(id="day", name="day", start="09:00", end="17:00", break_rule=lunch)  # type: ignore[arg-type]
    cfg = tiny_config().model_copy(update={"shifts": [day]})
    assert cover_need(cfg, "teller", 5) == 2  # 2 x 5 person-days over 6 working days
    assert cover_need(cfg, "teller", 7) == 3
    assert cover_need(cfg, "lobby", 5) == 1  # no floor: one holder a day is enough


def test_quarter_end_beats_preference() -> None:
    """A wish for the last week of June yields to the quarter-end blackout (5 working days)."""
    cfg = tiny_config(staff=[person("A", "teller"), person("C", "lobby", "teller")], pairs=[])
    plan = plan_leave(
        cfg,
        2027,
        preferences=[LeavePreference("A", d(6, 24), d(6, 30), weight=3)],
        settings=settings((d(6, 14), d(6, 30))),
    )
    (block,) = plan.blocks
    assert (block.start, block.end, block.preference) == (d(6, 17), d(6, 23), "missed")
    (penalty,) = plan.penalties
    assert (penalty.rule, penalty.amount, penalty.cost) == ("staff_preference", 15, 150)
    assert penalty.message == "working days (times the wish's weight) outside the preferred window"
    assert penalty.message_zh == "强制休假落在意愿时段之外的工作日数 (乘以意愿的权重)"


def test_days_around_long_holidays_avoided() -> None:
    """Two working days before and after National Day (1-5 Oct 2027) stay free of blocks."""
    rule = MandatoryLeaveRule(
        posts=["teller"], avoid_month_end_days=0, avoid_days_around_holidays=2
    )
    cfg = tiny_config(
        staff=[person("A", "teller"), person("C", "lobby", "teller")], pairs=[], rule=rule
    )
    plan = plan_leave(
        cfg,
        2027,
        preferences=[LeavePreference("A", d(9, 29), d(10, 8))],
        settings=settings((d(9, 16), d(10, 20)), quarter_end_days=0),
    )
    (block,) = plan.blocks
    # Sep 29-30 and Oct 6-7 are blocked: the nearest blocks are Sep 21-28 or Oct 8-14.
    assert (block.start, block.end) == (d(10, 8), d(10, 14))


def test_preference_met_when_possible() -> None:
    """A stated window is used when nothing else forbids it."""
    plan = plan_leave(
        tiny_config(),
        2027,
        preferences=[
            LeavePreference("A", d(9, 6), d(9, 10)),
            LeavePreference("B", d(3, 1), d(3, 5)),
        ],
        settings=settings(),
    )
    blocks = {b.staff_id: b for b in plan.blocks}
    assert (blocks["A"].start, blocks["A"].preference) == (d(9, 6), "met")
    assert (blocks["B"].start, blocks["B"].preference) == (d(3, 1), "met")
    assert plan.penalties == ()


def test_replan_fixes_past_and_moves_only_what_must_move() -> None:
    """A re-plan keeps blocks already started, and moves a blocked one by the fewest days."""
    staff = [person("A", "teller"), person("B", "teller"), person("D", "teller")]
    cfg = tiny_config(staff=staff, pairs=[])
    previous = [PlannedBlock("A", d(3, 8)), PlannedBlock("B", d(7, 5)), PlannedBlock("D", d(9, 6))]
    plan = plan_leave(
        cfg,
        2027,
        previous=previous,
        settings=settings(
            today=d(4, 1), blackout=((d(3, 1), d(3, 31)), (d(7, 1), d(7, 16))), quarter_end_days=5
        ),
    )
    blocks = {b.staff_id: b for b in plan.blocks}
    assert (blocks["A"].start, blocks["A"].status) == (d(3, 8), "fixed")
    assert (blocks["B"].start, blocks["B"].status, blocks["B"].previous_start) == (
        d(7, 19),
        "moved",
        d(7, 5),
    )
    assert (blocks["D"].start, blocks["D"].status) == (d(9, 6), "planned")
    (moved,) = plan.penalties
    assert (moved.rule, moved.staff_id, moved.cost) == ("keep_planned_block", "B", 220)
    assert (moved.message, moved.message_in("zh")) == (
        "planned block moved",
        "已计划的强制休假被挪动",
    )


def test_nothing_starts_before_today() -> None:
    """A re-plan never puts a new block in the past."""
    plan = plan_leave(tiny_config(), 2027, settings=settings(today=d(11, 15)))
    assert all(b.start >= d(11, 15) for b in plan.blocks)
    assert len(plan.blocks) == 2


def test_taken_leave_is_respected() -> None:
    """A mandatory block in the history ends the duty; a partner's leave keeps B away from it."""
    leave = leave_frame(("A", d(1, 11), d(1, 15), "mandatory"), ("A", d(7, 5), d(7, 9), "annual"))
    plan = plan_leave(tiny_config(), 2027, leave=leave, settings=settings((d(7, 5), d(7, 16))))
    blocks = {b.staff_id: b for b in plan.blocks}
    assert (blocks["A"].status, blocks["A"].start, blocks["A"].end) == ("taken", d(1, 11), d(1, 15))
    assert (blocks["B"].start, blocks["B"].cover_id) == (d(7, 12), "A")


def test_short_mandatory_leave_does_not_count() -> None:
    """Three days of mandatory leave are not the five-day block: a block is still planned."""
    leave = leave_frame(("A", d(1, 11), d(1, 13), "mandatory"))
    plan = plan_leave(tiny_config(), 2027, leave=leave, settings=settings())
    assert {b.staff_id: b.status for b in plan.blocks} == {"A": "planned", "B": "planned"}


def test_infeasible_names_people_and_rule() -> None:
    """Partners with one possible week between them get an explanation naming both."""
    plan = plan_leave(tiny_config(), 2027, settings=settings((d(7, 5), d(7, 9))))
    assert plan.status == "INFEASIBLE"
    (conflict,) = plan.conflicts
    assert set(conflict.staff_ids) == {"A", "B"}
    assert "ab_pair" in conflict.rules
    assert conflict.message == (
        "these cannot all hold: name-A needs a mandatory block; name-B needs a mandatory "
        "block; name-A and name-B (A/B on teller) are never away together"
    )
    assert conflict.message_zh == (
        "以下要求无法同时满足: name-A须休一段强制休假; name-B须休一段强制休假; "
        "name-A、name-B (柜员的A/B角) 不能同时不在岗"
    )
    assert conflict.relaxation_in("zh") == (
        "缩短禁休日, 调低所列各周的 min_cover, 让另一人取得该岗位资格, 或调整A/B角"
    )


def test_no_room_left_is_explained() -> None:
    """A person with no five free working days gets a conflict naming them, not a crash."""
    plan = plan_leave(tiny_config(), 2027, settings=settings((d(7, 5), d(7, 8))))
    assert plan.status == "INFEASIBLE"
    assert [c.staff_ids for c in plan.conflicts] == [("A",), ("B",)]
    first = plan.conflicts[0]
    assert first.message == (
        "name-A (A) has no 5 consecutive working days left in 2027 from 2027-01-04 outside "
        "blackouts and recorded leave"
    )
    assert first.message_zh == (
        "name-A (A) 在2027年1月4日起除去禁休日和已登记的休假, 已没有连续 5 个工作日"
    )
    assert first.relaxation_zh == "缩短禁休日或强制休假的天数, 或改在其他年份安排"


def test_spread_through_year() -> None:
    """With spreading on, four free people start in four different quarters."""
    staff = [person(s, "teller") for s in "ABDE"] + [person("C", "lobby", "teller")]
    cfg = tiny_config(staff=staff, pairs=[])
    plan = plan_leave(cfg, 2027, settings=settings(spread_week_weight=30, spread_month_weight=10))
    quarters = sorted((b.start.month - 1) // 3 for b in plan.blocks)
    assert quarters == [0, 1, 2, 3]
    assert plan.penalties == ()


def test_cover_conflict_names_the_weeks() -> None:
    """Three tellers needing two in every week cannot all go in two weeks; the weeks are named."""
    staff = [person("A", "teller"), person("B", "teller"), person("D", "teller")]
    cfg = tiny_config(staff=staff, pairs=[])
    plan = plan_leave(cfg, 2027, settings=settings((d(7, 5), d(7, 16)), min_cover={"teller": 2}))
    assert plan.status == "INFEASIBLE"
    (conflict,) = plan.conflicts
    assert "cover" in conflict.rules
    assert conflict.dates == (d(7, 5), d(7, 12))
    assert set(conflict.staff_ids) == {"A", "B", "D"}
    assert "teller keeps 2 of its 3 qualified people in the week of 2027-07-05" in conflict.message
    assert "7月5日起的一周, 柜员的 3 名具备资格人员中须有 2 名在岗" in conflict.message_zh
    assert "7月12日起的一周, 柜员的 3 名具备资格人员中须有 2 名在岗" in conflict.message_zh


def test_leave_requests_for_weekly_rosters() -> None:
    """Planned blocks become approved mandatory leave for the rosters; taken ones do not."""
    leave = leave_frame(("A", d(1, 11), d(1, 15), "mandatory"))
    plan = plan_leave(tiny_config(), 2027, leave=leave, settings=settings((d(7, 5), d(7, 9))))
    (request,) = plan.leave_requests()
    assert (request.staff_id, request.start_date, request.end_date) == ("B", d(7, 5), d(7, 9))
    assert (request.kind.value, request.approved, request.note) == (
        "mandatory",
        True,
        "mandatory leave 2027, cover A",
    )


def _seven_day_branch():  # type: ignore[no-untyped-def]
    cfg = tiny_config()
    hours = cfg.branch.opening_hours[Weekday.MON]
    branch = cfg.branch.model_copy(update={"opening_hours": dict.fromkeys(Weekday, hours)})
    return cfg.model_copy(update={"branch": branch})


def test_a_partner_never_covers_more_days_in_a_row_than_the_labour_rules_allow() -> None:
    """Open every day: Wednesday-to-Tuesday blocks need 7 days of cover, so none is placed."""
    window = settings((d(7, 7), d(7, 20)))  # ten working days, Wednesday to Tuesday
    assert plan_leave(tiny_config(), 2027, settings=window).status == "OPTIMAL"
    plan = plan_leave(_seven_day_branch(), 2027, settings=window)
    assert plan.status == "INFEASIBLE"
    assert {s for c in plan.conflicts for s in c.staff_ids} == {"A", "B"}


def test_a_seven_day_branch_starts_paired_blocks_where_the_partner_can_cover() -> None:
    """Two weeks from Monday: the only blocks a partner can cover are Monday to Friday."""
    plan = plan_leave(_seven_day_branch(), 2027, settings=settings((d(7, 5), d(7, 16))))
    assert sorted(_starts(plan).values()) == [d(7, 5), d(7, 12)]
    assert all(b.end - b.start == dt.timedelta(days=4) for b in plan.blocks)


def test_a_closed_day_written_as_null_does_not_break_the_seat_count() -> None:
    """``sun: null`` in the opening hours (a closed Sunday) is skipped, not a crash."""
    from scheduler.leave.plan import seat_people

    cfg = tiny_config()
    hours = dict(cfg.branch.opening_hours)
    hours[Weekday.SUN] = None
    closed = cfg.model_copy(
        update={"branch": cfg.branch.model_copy(update={"opening_hours": hours})}
    )
    assert seat_people(closed) == seat_people(cfg)
