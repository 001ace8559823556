"""Stability rules: post stints, post switches and re-solving against a published roster."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from scheduler.domain import Availability, BranchConfig, LeaveKind, LeaveRequest
from scheduler.errors import InputError
from scheduler.roster import build_model
from scheduler.roster.request import Pin, RosterRequest
from scheduler.roster.rules.stability import published_slots, repair_days
from scheduler.roster.solve import REPAIR_WIDENED

from .instances import MON, TUE, costs, held, person, post, request, run
from .instances_extra import branch, roster_frame, shifts_of, with_

WED = MON + dt.timedelta(days=2)


def _zigzag(ds: dt.datetime, p: str) -> int:
    """Counter at 09:00, lobby at 10:00, counter again from 11:00."""
    return int((p == "lobby") == (ds.hour == 10))


def _two_posts(rules: dict[str, str | tuple[str, int]]) -> BranchConfig:
    return branch(
        [post("cash"), post("lobby")],
        [person("A", "cash", "lobby")],
        rules={"coverage_under": "soft", **rules},
    )


def test_min_post_stint_charges_each_stint_cut_short() -> None:
    """Counter 1 h, lobby 1 h, counter 2 h: two stints under 2 hours end in a switch, 2 x 20."""
    result = run(request(_two_posts({"min_post_stint": ("soft", 20)}), need=_zigzag))
    assert held(result, "A") == [
        ("09:00", "10:00", "cash"),
        ("10:00", "11:00", "lobby"),
        ("11:00", "13:00", "cash"),
    ]
    assert costs(result) == {"min_post_stint": 40.0}
    assert [p.message for p in result.penalties] == [
        "Mon 30 Nov 10:00: A switches post after less than 120 minutes",
        "Mon 30 Nov 11:00: A switches post after less than 120 minutes",
    ]


def test_min_post_stint_hard_keeps_two_hours_on_a_post() -> None:
    """Hard, nobody leaves a post within 2 hours: the lobby hour goes short instead."""
    result = run(request(_two_posts({"min_post_stint": "hard"}), need=_zigzag))
    blocks = held(result, "A")
    assert all(int(end[:2]) - int(start[:2]) >= 2 for start, end, _ in blocks[:-1])
    assert costs(result) == {"coverage_under": 100.0}


def test_post_switches_charge_each_switch() -> None:
    """Two switches in the zigzag day at weight 5 cost 10, less than an hour short."""
    result = run(request(_two_posts({"post_switches": ("soft", 5)}), need=_zigzag))
    assert costs(result) == {"post_switches": 10.0}


def test_post_rules_add_no_variable_with_a_single_post() -> None:
    """With one post in play the stint and switch rules make no variable at all."""
    cfg = branch(
        [post("cash")],
        [person("A", "cash")],
        rules={"min_post_stint": "soft", "post_switches": "soft"},
    )
    model = build_model(request(cfg, need={"cash": 1}))
    assert [v.name for v in model.cp.proto.variables] == ["shift[A,2026-11-30,am]"]


def _week_team() -> BranchConfig:
    return branch(
        [post("cash")],
        [person("A", "cash"), person("B", "cash"), person("C", "cash")],
        rules={
            "coverage_under": "soft",
            "coverage_over": "soft",
            "roster_stability": ("soft", 50),
        },
    )


PUBLISHED = roster_frame(
    [
        ("A", MON, "09:00", "13:00", "cash"),
        ("B", TUE, "09:00", "13:00", "cash"),
        ("A", WED, "09:00", "13:00", "cash"),
    ]
)


def test_roster_stability_repairs_a_sick_call_without_reshuffling() -> None:
    """A calls in sick on Wednesday: Monday and Tuesday stay, one person covers Wednesday."""
    sick = LeaveRequest(staff_id="A", start_date=WED, end_date=WED, kind=LeaveKind.SICK)
    req = request(_week_team(), days=3, need={"cash": 1}, availability=Availability(leave=[sick]))
    result = run(with_(req, published=PUBLISHED))
    kept = [s for s in shifts_of(result) if s[1] != WED]
    assert kept == [("A", MON, "am"), ("B", TUE, "am")]
    assert [s for s, d, _ in shifts_of(result) if d == WED] in (["B"], ["C"])
    # A's 4 hours are gone and 4 hours are new: 8 changed hours x 50.
    assert costs(result) == {"roster_stability": 400.0}


# Monday was published with nobody on the counter: a whole-week re-plan would staff it.
SHORT_MONDAY = roster_frame(
    [
        ("B", TUE, "09:00", "13:00", "cash"),
        ("A", WED, "09:00", "13:00", "cash"),
    ]
)


def _sick_on_wednesday(published: pd.DataFrame, **changes: object) -> RosterRequest:
    sick = LeaveRequest(staff_id="A", start_date=WED, end_date=WED, kind=LeaveKind.SICK)
    req = request(_week_team(), days=3, need={"cash": 1}, availability=Availability(leave=[sick]))
    return with_(req, published=published, **changes)


def test_repair_scope_days_keeps_every_day_the_sick_call_does_not_touch() -> None:
    """A sick on Wednesday: only Wednesday is re-planned; the short Monday stays as published."""
    result = run(_sick_on_wednesday(SHORT_MONDAY))
    assert [(s, d) for s, d, _ in shifts_of(result) if d != WED] == [("B", TUE)]
    assert [s for s, d, _ in shifts_of(result) if d == WED] in (["B"], ["C"])
    assert costs(result) == {"coverage_under": 400.0, "roster_stability": 400.0}
    assert result.warnings == ()


def test_repair_scope_week_may_change_any_day() -> None:
    """With repair_scope="week" the empty Monday is staffed too, at 4 more changed hours."""
    result = run(_sick_on_wednesday(SHORT_MONDAY, repair_scope="week"))
    assert sorted(d for _, d, _ in shifts_of(result)) == [MON, TUE, WED]
    assert costs(result) == {"roster_stability": 600.0}


def test_repair_scope_widens_to_the_week_when_a_kept_day_breaks_a_hard_rule() -> None:
    """A hard floor of one on the counter cannot hold on the published empty Monday: re-plan."""
    cfg = branch(
        [post("cash", min_staff=1)],
        [person("A", "cash"), person("B", "cash"), person("C", "cash")],
        rules={"coverage_under": "soft", "post_floor": "hard", "roster_stability": ("soft", 50)},
    )
    req = with_(_sick_on_wednesday(SHORT_MONDAY), config=cfg)
    result = run(req)
    assert result.feasible
    assert sorted(d for _, d, _ in shifts_of(result)) == [MON, TUE, WED]
    assert (result.warnings[-1], result.warnings_zh[-1]) == (REPAIR_WIDENED.en, REPAIR_WIDENED.zh)
    assert result.warnings_zh[-1].startswith("不受这次变动影响的日子无法全部保持已发布的排班")


def test_repair_days_are_the_days_the_published_roster_no_longer_fits() -> None:
    """A new absence on Wednesday and a day-off pin that the roster breaks on Tuesday."""
    sick = LeaveRequest(staff_id="A", start_date=WED, end_date=WED, kind=LeaveKind.SICK)
    pins = (Pin(staff_id="B", date=TUE, off=True), Pin(staff_id="C", date=MON, off=True))
    req = request(
        _week_team(), days=3, need={"cash": 1}, availability=Availability(leave=[sick]), pins=pins
    )
    model = build_model(with_(req, published=PUBLISHED))
    assert repair_days(model, published_slots(model)) == {TUE, WED}


def test_roster_stability_keeps_the_published_post() -> None:
    """A published lobby morning is kept although the counter would serve equally well."""
    cfg = branch(
        [post("cash"), post("lobby")],
        [person("A", "cash", "lobby")],
        rules={"coverage_under": "soft", "roster_stability": ("soft", 50)},
    )
    published = roster_frame([("A", MON, "09:00", "13:00", "lobby")])
    req = request(cfg, need={"cash": 1, "lobby": 1})
    result = run(with_(req, published=published))
    assert held(result, "A") == [("09:00", "13:00", "lobby")]
    assert costs(result) == {"coverage_under": 400.0}


def test_roster_stability_charges_each_changed_slot() -> None:
    """A published free morning now spent on the busy counter costs 4 changed hours x 50."""
    cfg = branch(
        [post("cash")],
        [person("A", "cash")],
        rules={"coverage_under": "soft", "roster_stability": ("soft", 50)},
    )
    published = roster_frame([("A", MON, "09:00", "13:00", None)])
    result = run(with_(request(cfg, need={"cash": 1}), published=published))
    assert held(result, "A") == [("09:00", "13:00", "cash")]
    assert costs(result) == {"roster_stability": 200.0}


def test_published_roster_with_a_bad_activity_is_refused() -> None:
    """A published row with an unknown activity names its row, column and the allowed values."""
    published = roster_frame([("A", MON, "09:00", "13:00", "cash")])
    published.loc[0, "activity"] = "meeting"
    with pytest.raises(InputError) as caught:
        run(with_(request(_week_team(), need={"cash": 1}), published=published))
    (issue,) = caught.value.issues
    assert (issue.file, issue.location, issue.column, issue.value, issue.allowed) == (
        "<published>",
        2,
        "activity",
        "meeting",
        "post, free, break",
    )


def test_a_published_roster_of_another_week_is_refused() -> None:
    """Repairing against last year's roster is an error naming its dates.

    It would otherwise plan the week afresh without a word.
    """
    published = roster_frame([("A", MON - dt.timedelta(days=364), "09:00", "13:00", "cash")])
    with pytest.raises(InputError) as caught:
        run(with_(request(_week_team(), need={"cash": 1}), published=published))
    (issue,) = caught.value.issues
    assert issue.message.startswith("the published roster has no shift of this branch's staff")
    assert (issue.file, issue.column) == ("<published>", "date")


def test_published_rows_of_strangers_and_unknown_posts_are_named_in_warnings() -> None:
    """A leaver's rows are ignored and a post since removed is read as on shift, both said."""
    published = roster_frame(
        [("A", MON, "09:00", "13:00", "vault"), ("Z9", MON, "09:00", "13:00", "cash")]
    )
    model = build_model(with_(request(_week_team(), need={"cash": 1}), published=published))
    state = published_slots(model)
    assert state[("A", MON, 9 * 60)] == ("free", None)
    texts = [w.en for w in model.warnings]
    assert (
        "the published roster names 1 person(s) not on the staff list (Z9); their rows were "
        "ignored" in texts
    )
    assert (
        "the published roster names posts the configuration does not have (vault); those hours "
        "are read as on shift without a post" in texts
    )
