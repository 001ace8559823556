"""Infeasible requests: small conflicts told in words, with the change that would fix them."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import replace

from scheduler.domain import Availability, BackupPair, LeaveRequest
from scheduler.roster import clock as clock_module
from scheduler.roster.explain import more_conflicts
from scheduler.roster.files import conflicts_text
from scheduler.roster.result import Conflict

from .instances import MON, OPTIONS, TUE, config, person, post, request, run


def _leave(staff_id: str, *days) -> list[LeaveRequest]:
    return [LeaveRequest(staff_id=staff_id, start_date=d, end_date=d) for d in days]


def test_floor_nobody_can_hold_names_the_post_day_and_absences() -> None:
    """A floor nobody qualified can hold names the post, the day and why each person is away."""
    cfg = config(
        [post("lobby", min_staff=1)],
        [person("A", "lobby"), person("B", "lobby")],
        rules={"post_floor": "hard"},
    )
    leave = Availability(leave=_leave("A", MON) + _leave("B", MON))
    result = run(request(cfg, availability=leave))
    assert result.status == "INFEASIBLE"
    (conflict,) = result.conflicts
    assert conflict.rules == ("post_floor",)
    assert conflict.posts == ("lobby",) and conflict.dates == (MON,)
    assert "at least 1 on lobby in every open slot of Mon 30 Nov" in conflict.message
    assert "everyone qualified for lobby is away on Mon 30 Nov" in conflict.message
    assert "A (annual leave)" in conflict.message and "B (annual leave)" in conflict.message
    assert conflict.relaxation.startswith("have one more person qualified for lobby work")


def test_independent_conflicts_are_all_reported() -> None:
    """Two pairs broken on two different days give two conflicts, one per pair and day."""
    cfg = config(
        [post("cash"), post("lobby")],
        [person(s, "cash", "lobby") for s in "ABCD"],
        backup_pairs=[
            BackupPair(post="cash", a="A", b="B"),
            BackupPair(post="lobby", a="C", b="D"),
        ],
        rules={"ab_backup_pair": "hard"},
    )
    leave = Availability(
        leave=_leave("A", MON) + _leave("B", MON) + _leave("C", TUE) + _leave("D", TUE)
    )
    result = run(request(cfg, days=2, availability=leave))
    assert result.status == "INFEASIBLE"
    found = sorted((c.posts, c.dates) for c in result.conflicts)
    assert found == [(("cash",), (MON,)), (("lobby",), (TUE,))]
    assert all(c.rules == ("ab_backup_pair",) for c in result.conflicts)


def test_a_deterministic_explanation_does_not_depend_on_the_wall_clock(monkeypatch) -> None:
    """With deterministic time the search for conflicts is not cut short by a slow machine.

    One person must hold a floor seven days running (found by solving, not before). The
    wall clock is made to jump 100 s at every reading: a wall-clock explanation has no time
    for the conflict, a deterministic one still finds it.
    """
    cfg = config(
        [post("lobby", min_staff=1)],
        [person("A", "lobby")],
        rules={"post_floor": "hard"},
    )
    req = request(cfg, days=7)
    ticks = itertools.count(0.0, 100.0)
    monkeypatch.setattr(clock_module, "perf_counter", lambda: next(ticks))

    stalled = run(req)
    assert stalled.status == "INFEASIBLE"
    assert "could not be isolated within 10 s" in stalled.conflicts[0].message

    result = run(req, replace(OPTIONS, deterministic=True))
    assert result.status == "INFEASIBLE"
    fixes = " | ".join(c.relaxation for c in result.conflicts)
    assert "lower labour.min_days_off_per_week" in fixes


def test_core_is_shrunk_to_the_groups_that_conflict() -> None:
    """Only the day that conflicts is named, not every day the rules apply to."""
    cfg = config(
        [post("lobby", min_staff=1)],
        [person("A", "lobby")],
        rules={"post_floor": "hard"},
    )
    result = run(request(cfg, days=2, availability=Availability(leave=_leave("A", TUE))))
    (conflict,) = result.conflicts
    assert conflict.dates == (TUE,)


def test_floor_on_a_post_nobody_is_qualified_for_is_found_before_solving() -> None:
    """A hard floor on a post nobody holds a qualification for is named without a search."""
    cfg = config(
        [post("cash"), post("lobby", min_staff=1)],
        [person("A", "cash")],
        rules={"post_floor": "hard"},
    )
    result = run(request(cfg))
    assert result.status == "INFEASIBLE"
    (conflict,) = result.conflicts
    assert conflict.message == (
        "These cannot all hold: at least 1 on lobby in every open slot of Mon 30 Nov. "
        "nobody is qualified for lobby on Mon 30 Nov"
    )


def test_the_same_conflict_on_many_days_is_told_once_with_its_days() -> None:
    """Two weeks of an impossible floor: one conflict naming the fortnight, not fourteen."""
    cfg = config(
        [post("cash"), post("lobby", min_staff=1)],
        [person("A", "cash")],
        rules={"post_floor": "hard"},
    )
    result = run(request(cfg, days=14))
    (conflict,) = result.conflicts
    assert conflict.message == (
        "These cannot all hold: at least 1 on lobby in every open slot of Mon 30 Nov to "
        "Sun 13 Dec. nobody is qualified for lobby on Mon 30 Nov to Sun 13 Dec"
    )
    assert len(conflict.dates) == 14


def test_a_week_of_leave_for_both_halves_of_a_pair_is_one_conflict_and_one_fix() -> None:
    """Both halves of the pair away Mon-Wed: one sentence with the days, one fix, both languages."""
    cfg = config(
        [post("vault"), post("cash")],
        [person("A", "vault", "cash"), person("B", "vault", "cash"), person("C", "cash")],
        rules={"ab_backup_pair": "hard"},
        backup_pairs=[BackupPair(post="vault", a="A", b="B")],
    )
    days = [MON + dt.timedelta(days=d) for d in range(3)]
    leave = Availability(leave=_leave("A", *days) + _leave("B", *days))
    result = run(request(cfg, days=5, availability=leave))
    assert result.status == "INFEASIBLE"
    (conflict,) = [c for c in result.conflicts if c.rules == ("ab_backup_pair",)]
    assert conflict.dates == tuple(days)
    assert "both are away on Mon 30 Nov to Wed 2 Dec" in conflict.message
    assert "work on Mon 30 Nov to Wed 2 Dec" in conflict.relaxation
    assert conflict.message_zh == (
        "A、B 是vault的A/B角, 11月30日(周一)至12月2日(周三) 两人都不在岗 (A: 年假; B: 年假); "
        "A/B角规则要求至少一人上班"
    )
    assert conflict.relaxation_zh == (
        "安排A或B 11月30日(周一)至12月2日(周三) 上班 (调整休假或固定安排), 或另设B角, "
        "或把规则 ab_backup_pair 改为软规则"
    )


def test_day_span_joins_runs_of_consecutive_days() -> None:
    from scheduler.roster.explain import day_span

    days = [MON + dt.timedelta(days=d) for d in (0, 1, 2, 4, 6, 7)]
    assert day_span(days) == "Mon 30 Nov to Wed 2 Dec, Fri 4 Dec, Sun 6 Dec to Mon 7 Dec"


def test_many_conflicts_found_before_solving_are_summed_up() -> None:
    """Twelve posts nobody can hold: ten conflicts told in words and one summary."""
    floors = [post(f"p{i:02d}", min_staff=1) for i in range(12)]
    cfg = config([post("cash"), *floors], [person("A", "cash")], rules={"post_floor": "hard"})
    result = run(request(cfg, days=2))
    assert len(result.conflicts) == 11
    last = result.conflicts[-1]
    assert last.message.startswith("... and 2 more that cannot hold either: These cannot all")
    assert set(last.posts) == {"p10", "p11"}
    assert len(last.dates) == 2


def test_duty_cover_conflict_names_each_qualified_person_and_why_they_are_away() -> None:
    """No manager can be on duty: the conflict names each qualified person's absence once."""
    from scheduler.domain import DutyCover

    cfg = config(
        [post("cash"), post("head")],
        [person("A", "head"), person("B", "cash")],
        duty_cover=[DutyCover(name="manager on duty", qualified_posts=["head"])],
        rules={"manager_on_duty": "hard"},
    )
    result = run(request(cfg, availability=Availability(leave=_leave("A", MON))))
    (conflict,) = result.conflicts
    assert conflict.message == (
        "These cannot all hold: manager on duty: 1 of A on duty (on shift and not on a break) "
        "in every open hour of Mon 30 Nov. A: annual leave on Mon 30 Nov"
    )
    assert conflict.relaxation == (
        "have another person qualified for head on duty on Mon 30 Nov or make manager_on_duty soft"
    )


def test_conflicts_name_posts_by_their_names_not_their_ids() -> None:
    """A manager reads "Lobby manager", not the configuration's id ``lobby_mgr``."""
    from scheduler.domain import Post

    lobby = Post(id="lobby_mgr", name_zh="大堂经理", name_en="Lobby manager", min_staff=1)
    cfg = config(
        [lobby],
        [person("A", "lobby_mgr"), person("B", "lobby_mgr")],
        rules={"post_floor": "hard"},
    )
    leave = Availability(leave=_leave("A", MON) + _leave("B", MON))
    (conflict,) = run(request(cfg, availability=leave)).conflicts
    assert "at least 1 on Lobby manager in every open slot of Mon 30 Nov" in conflict.message
    assert "everyone qualified for Lobby manager is away on Mon 30 Nov" in conflict.message
    assert "lobby_mgr" not in conflict.message
    assert conflict.relaxation.startswith("have one more person qualified for Lobby manager")


def test_labour_conflict_names_the_setting_its_value_and_that_it_is_the_default() -> None:
    """A labour rule's fix names the setting, its value and that it is the built-in default.

    One person must hold a post seven days running; told in English and Chinese.
    """
    cfg = config(
        [post("lobby", min_staff=1)],
        [person("A", "lobby")],
        rules={"post_floor": "hard"},
    )
    result = run(request(cfg, days=7))
    assert result.status == "INFEASIBLE"
    fixes = " | ".join(c.relaxation for c in result.conflicts)
    assert "lower labour.min_days_off_per_week, now 1 day(s) (the built-in default, not set in " \
        "the configuration)" in fixes  # fmt: skip
    fixes_zh = " | ".join(c.relaxation_zh for c in result.conflicts)
    assert "调低 labour.min_days_off_per_week (当前 1 天, 系统默认值, 配置中未设置)" in fixes_zh


def test_labour_conflict_names_a_configured_value_and_a_persons_own_limit() -> None:
    """A configured labour value is named as configured, a person's own limit as theirs."""
    from scheduler.domain import LabourRules
    from scheduler.domain.staff import PersonalLimits

    a = person("A", "lobby").model_copy(update={"limits": PersonalLimits(max_consecutive_days=2)})
    cfg = config(
        [post("lobby", min_staff=1)],
        [a],
        rules={"post_floor": "hard"},
        labour=LabourRules(min_days_off_per_week=0, max_consecutive_days=6),
    )
    result = run(request(cfg, days=3))
    assert result.status == "INFEASIBLE"
    fixes = " | ".join(c.relaxation for c in result.conflicts)
    assert "raise A's own max_consecutive_days (limits of staff A), now 2 days" in fixes
    cfg = config(
        [post("lobby", min_staff=1)],
        [person("A", "lobby")],
        rules={"post_floor": "hard"},
        labour=LabourRules(min_days_off_per_week=0, max_consecutive_days=2),
    )
    result = run(request(cfg, days=3))
    fixes = " | ".join(c.relaxation for c in result.conflicts)
    assert "raise labour.max_consecutive_days, now 2 days (set in the configuration)" in fixes


def test_a_rule_broken_on_a_run_of_days_is_told_once_for_the_run() -> None:
    """Within one conflict, a floor broken for seven days is told once for the run of days.

    "Mon 30 Nov to Sun 6 Dec", as are who could hold the post and the fix (both languages).
    """
    cfg = config(
        [post("lobby", min_staff=1)],
        [person("A", "lobby")],
        rules={"post_floor": "hard"},
    )
    (conflict,) = run(request(cfg, days=7)).conflicts
    assert conflict.message == (
        "These cannot all hold: at least 1 on lobby in every open slot of Mon 30 Nov to Sun 6 "
        "Dec; A has at least 1 day(s) off in the week of Mon 30 Nov. only A can hold lobby on "
        "Mon 30 Nov to Sun 6 Dec"
    )
    assert conflict.relaxation.startswith(
        "have one more person qualified for lobby work on Mon 30 Nov to Sun 6 Dec, or lower the "
        "floor or make post_floor soft; or lower labour.min_days_off_per_week"
    )
    assert "11月30日(周一)至12月6日(周日) 每个营业时段lobby至少 1 人" in conflict.message_zh
    assert conflict.dates == tuple(MON + dt.timedelta(days=i) for i in range(7))


def _one_person_per_floor(posts: list[str]) -> list[Conflict]:
    """A week with a hard floor on each post and one person qualified for each.

    Each person needs a day off, so each floor conflicts on its own: found by the search
    (not before solving), one conflict per post.
    """
    cfg = config(
        [post(p, min_staff=1) for p in posts],
        [person(s, p) for s, p in zip("ABCDEF", posts, strict=False)],
        rules={"post_floor": "hard"},
    )
    result = run(request(cfg, days=7))
    assert result.status == "INFEASIBLE"
    return list(result.conflicts)


def test_more_conflicts_than_are_told_end_with_a_note_to_run_again() -> None:
    """Four floors that conflict: three are told, then that more remain (both languages)."""
    *told, note = _one_person_per_floor(["cash", "lobby", "vault", "wealth"])
    assert [c.posts for c in told] == [("cash",), ("lobby",), ("vault",)]
    assert (note.rules, note.message) == ((), "More rules conflict than those told here.")
    assert note.relaxation == "fix these and run again to see the rest"
    assert note.message_zh == "冲突不止以上几项。"


def test_three_conflicts_and_no_more_end_without_a_note() -> None:
    """Three floors that conflict: exactly three conflicts, no note after them."""
    conflicts = _one_person_per_floor(["cash", "lobby", "vault"])
    assert [c.posts for c in conflicts] == [("cash",), ("lobby",), ("vault",)]
    assert all(c.rules for c in conflicts)


def test_the_note_is_written_without_rule_brackets() -> None:
    """conflicts.txt numbers the note like a conflict, without an empty rule list."""
    cfg = config(
        [post(p, min_staff=1) for p in ("cash", "lobby", "vault", "wealth")],
        [person(s, p) for s, p in zip("ABCD", ("cash", "lobby", "vault", "wealth"), strict=True)],
        rules={"post_floor": "hard"},
    )
    text = conflicts_text(run(request(cfg, days=7)), "en")
    assert "4. More rules conflict than those told here." in text
    assert "To make a roster possible: fix these and run again to see the rest." in text
    assert "[]" not in text


def test_the_note_when_the_rest_could_not_be_checked_says_there_may_be_more() -> None:
    """Out of time after the conflicts told: the note says more may remain, not that they do."""
    note = more_conflicts(certain=False)
    assert note.message.startswith("Other rules may conflict too")
    assert note.relaxation == "fix these and run again to see whether any conflict remains"
    assert note.message_zh == "除以上几项外可能还有冲突: 未来得及检查。"
