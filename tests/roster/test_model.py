"""The model's variables: only where possible, and no per-hour posts when one post is in play."""

from __future__ import annotations

from scheduler.domain import Availability, BreakRule, LeaveRequest
from scheduler.roster import build_model
from scheduler.roster.model import break_starts
from scheduler.roster.words import Words

from .instances import MON, config, person, post, request, shift


def test_single_post_branch_has_no_per_slot_post_variables() -> None:
    """A branch with one post and day-level rules does not pay for per-hour post variables."""
    cfg = config([post("cash")], [person("A", "cash"), person("B", "cash")])
    model = build_model(request(cfg, days=7, need={"cash": 1}))
    assert not model.hourly and model.assign == {}
    assert sum(len(options) for options in model.options.values()) == 14  # person x day
    assert not any(v.name.startswith("assign") for v in model.cp.proto.variables)


def test_two_posts_get_variables_only_for_valid_qualifications() -> None:
    """Post variables exist only for (person, post) pairs with a valid qualification."""
    cfg = config([post("cash"), post("lobby")], [person("A", "cash"), person("B", "cash", "lobby")])
    model = build_model(request(cfg, need={"cash": 1, "lobby": 1}))
    assert model.hourly
    assert {(s, p) for (s, _, _, p) in model.assign} == {
        ("A", "cash"),
        ("B", "cash"),
        ("B", "lobby"),
    }
    assert len(model.assign) == 3 * 4


def test_no_shift_variables_on_leave_days() -> None:
    """Nobody gets a shift variable on a day of approved leave."""
    cfg = config([post("cash")], [person("A", "cash")])
    leave = Availability(leave=[LeaveRequest(staff_id="A", start_date=MON, end_date=MON)])
    model = build_model(request(cfg, availability=leave))
    assert model.options[("A", MON)] == ()


def test_break_starts_follow_the_window_and_the_slot_grid() -> None:
    """A 60-minute break between 11:00 and 14:00 may start at 11:00, 12:00 or 13:00."""
    lunch = BreakRule(minutes=60, earliest="11:00", latest_end="14:00")  # type: ignore[arg-type]
    template = shift("day", "08:30", "17:30", break_rule=lunch)
    assert break_starts(template, 60) == [660, 720, 780]
    assert break_starts(template, 30) == [660, 690, 720, 750, 780]


def test_shifts_far_outside_opening_hours_are_not_offered() -> None:
    """A template that runs two hours past closing is not offered when a closer one fits."""
    cfg = config(
        [post("cash")],
        [person("A", "cash")],
        shifts=[shift("am", "09:00", "13:00"), shift("long", "09:00", "15:00")],
    )
    model = build_model(request(cfg))
    assert [o.template.id for o in model.options[("A", MON)]] == ["am"]


def test_days_no_shift_template_fits_are_warned_of():
    """Short opening hours with only a long template are staffed with it, and said so.

    A holiday open 09:00-13:00 got full paid shifts for a half day, silently.
    """
    from scheduler.domain import ShiftTemplate

    long_day = ShiftTemplate(id="long", name="long", start="08:00", end="17:00")
    cfg = config([post("cash")], [person("A", "cash")], shifts=[long_day],
                 rules={"coverage_under": "soft"})  # fmt: skip
    model = build_model(request(cfg, days=2, need={"cash": 1}))
    assert model.warnings == [
        Words(
            "no shift template fits the opening hours of 2 day(s) (Mon 30 Nov 09:00-13:00, "
            "Tue 1 Dec 09:00-13:00); those days are staffed with the templates that cover "
            "them, paid for hours the branch is closed: add a shift template for those hours",
            "有 2 天的营业时间没有合适的班次模板 (11月30日(周一) 09:00-13:00、"
            "12月1日(周二) 09:00-13:00); 这些天用能覆盖营业时间的班次模板排班, "
            "网点不营业的时段也计工时: 请为这些营业时间添加班次模板",
        )
    ]
    fitting = config([post("cash")], [person("A", "cash")], rules={"coverage_under": "soft"})
    assert build_model(request(fitting, days=2, need={"cash": 1})).warnings == []


def test_a_half_hour_slot_is_named_with_its_end():
    """With 30-minute slots a sentence names 12:00-12:30, not 12:00 (read as a whole hour)."""
    half = config([post("cash")], [person("A", "cash")], slot_minutes=30)
    hourly = config([post("cash")], [person("A", "cash")])
    day = MON
    assert build_model(request(half, days=1)).where(day, 720) == "Mon 30 Nov 12:00-12:30"
    assert build_model(request(hourly, days=1)).where(day, 720) == "Mon 30 Nov 12:00"


def test_penalty_amounts_are_rounded_to_two_decimals():
    """A fair-share excess of 12/13 reads 0.92, not 0.923077."""
    from scheduler.roster.extract import penalty_message
    from scheduler.roster.model import PenaltyTerm

    term = PenaltyTerm("fair_weekends", 0, 1 / 13, 1.0, "{amount} above the fair share")
    assert penalty_message(term, 12, lambda e: 0) == "0.92 above the fair share"
