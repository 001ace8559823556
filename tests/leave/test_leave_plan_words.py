"""Tests of the leave plan's sentences in Chinese: costs, warnings, and every sentence of a plan.

The English sentences are what the API and the terminal have always shown; each test checks the
Chinese beside it says the same thing, with days as ``7月5日`` and posts by their Chinese name.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from leave_builders import d, only_window, person, settings, tiny_config

from scheduler.domain import BranchConfig
from scheduler.instances import make_instance
from scheduler.leave import (
    LeavePlan,
    LeavePlanSettings,
    LeavePreference,
    PlannedBlock,
    plan_leave,
    subjects_of,
)
from scheduler.leave.plan import PlanPenalty, date_zh
from scheduler.sample.branch import sample_config


def test_days_read_month_and_day_with_the_year_only_outside_the_plan() -> None:
    """A day of the planned year reads 3月2日; a Monday of the year before names its year."""
    assert date_zh(dt.date(2027, 3, 2), 2027) == "3月2日"
    assert date_zh(dt.date(2026, 12, 28), 2027) == "2026年12月28日"


def test_a_cost_or_plan_without_chinese_falls_back_to_the_english() -> None:
    """A penalty or plan built by hand with English only reads the English in Chinese too."""
    penalty = PlanPenalty("spread_through_year", 1, 30, "blocks overlapping")
    assert (penalty.message_zh, penalty.message_in("zh")) == ("blocks overlapping",) * 2
    plan = LeavePlan(year=2027, status="OPTIMAL", warnings=("check the blackouts",))
    assert plan.warnings_in("zh") == ("check the blackouts",)
    assert plan.warnings_in("en") == ("check the blackouts",)


def test_overlapping_weeks_cost_names_the_week() -> None:
    """Two tellers with one week to go overlap there; the cost names the week in both languages."""
    cfg = tiny_config(staff=[person("A", "teller"), person("B", "teller")], pairs=[])
    plan = plan_leave(
        cfg,
        2027,
        settings=settings((d(7, 5), d(7, 9)), spread_week_weight=30, min_cover={"teller": 0}),
    )
    (penalty,) = plan.penalties
    assert (penalty.rule, penalty.cost) == ("spread_through_year", 30)
    assert penalty.message == "blocks overlapping in the week of 2027-07-05"
    assert penalty.message_zh == "7月5日起的一周有多段强制休假重叠"


def test_uneven_starts_cost_names_the_month_and_quarter() -> None:
    """Four blocks, one a week, in June and early July: June and Q2 get more than their share."""
    staff = [person(s, "teller") for s in "ABDE"]
    plan = plan_leave(
        tiny_config(staff=staff, pairs=[]),
        2027,
        settings=settings(
            (d(6, 7), d(7, 9)), spread_month_weight=10, min_cover={"teller": 3}, quarter_end_days=0
        ),
    )
    assert [(p.message, p.message_zh) for p in plan.penalties] == [
        (
            "more blocks than an even spread starting in month 6",
            "6月开始的强制休假多于均匀分布的段数",
        ),
        (
            "more blocks than an even spread starting in quarter 2",
            "第2季度开始的强制休假多于均匀分布的段数",
        ),
    ]


def test_no_rule_warning_in_chinese() -> None:
    """A branch without a mandatory-leave rule is told so in both languages."""
    cfg = tiny_config().model_copy(update={"mandatory_leave": None})
    plan = plan_leave(cfg, 2027)
    assert plan.warnings == ("no mandatory_leave rule",)
    assert plan.warnings_zh == ("未配置强制休假规则 (mandatory_leave)",)


def test_previous_block_off_the_calendar_warning_in_chinese() -> None:
    """A previous block starting on a holiday is planned anew, and the warning says so."""
    cfg = tiny_config(staff=[person("A", "teller"), person("C", "lobby", "teller")], pairs=[])
    plan = plan_leave(cfg, 2027, previous=[PlannedBlock("A", d(1, 1))], settings=settings())
    assert plan.warnings == (
        "previous block of A on 2027-01-01 is not a working day of 2027; it is planned anew",
    )
    assert plan.warnings_zh == ("A 原计划 1月1日 开始的强制休假不在2027年的工作日内, 将重新安排",)


def test_too_few_qualified_warning_in_chinese() -> None:
    """Asking more cover than there are tellers warns once per week, naming the post in Chinese."""
    cfg = tiny_config(staff=[person("A", "teller"), person("B", "teller")], pairs=[])
    plan = plan_leave(cfg, 2027, settings=settings((d(7, 5), d(7, 9)), min_cover={"teller": 3}))
    assert plan.status == "INFEASIBLE"
    assert plan.warnings == (
        "teller: only 2 qualified people in the week of 2027-07-05, 3 needed; nobody qualified "
        "may take the block that week",
    )
    assert plan.warnings_zh == (
        "柜员: 7月5日起的一周只有 2 名具备资格的人员, 需要 3 名; "
        "这一周具备资格的人员都不能休强制休假",
    )


def test_nobody_to_cover_warning_in_chinese() -> None:
    """A lone teller allowed to go uncovered is placed, with a warning that nobody covers."""
    cfg = tiny_config(staff=[person("A", "teller"), person("C", "lobby")], pairs=[])
    plan = plan_leave(cfg, 2027, settings=settings((d(7, 12), d(7, 16)), min_cover={"teller": 0}))
    assert plan.warnings == ("nobody qualified for teller is free to cover A from 2027-07-12",)
    assert plan.warnings_zh == ("7月12日起没有具备柜员资格的空闲人员为 A 顶岗",)


_ENGLISH = re.compile(
    r"\b(blocks?|week of|needs?|keeps|cannot|hold|never|away|qualified|nobody|working days?"
    r"|from|outside|planned|moved|spread|shorten|blackouts?|previous|people|only)\b",
    re.IGNORECASE,
)
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _sample_plans(cfg: BranchConfig) -> list[LeavePlan]:
    """Plans of a branch that say a lot: costs, warnings, a core of conflicts, no room left."""
    holders = subjects_of(cfg)
    first, second = list(holders)[:2]
    post = holders[first]
    one = {"workers": 1, "seed": 0, "time_limit_s": 20}
    return [
        plan_leave(
            cfg,
            2027,
            preferences=[LeavePreference(first, dt.date(2027, 3, 1), dt.date(2027, 3, 5), 2)],
            previous=[PlannedBlock(second, dt.date(2027, 1, 1))],
            settings=LeavePlanSettings(
                blackout=only_window(d(7, 5), d(8, 27)),
                min_cover={post: 0},
                **one,  # type: ignore[arg-type]
            ),
        ),
        plan_leave(
            cfg,
            2027,
            settings=LeavePlanSettings(
                blackout=only_window(d(7, 5), d(7, 16)),
                **one,  # type: ignore[arg-type]
            ),
        ),
        plan_leave(
            cfg,
            2027,
            settings=LeavePlanSettings(
                blackout=only_window(d(7, 5), d(7, 16)),
                min_cover={post: 99},
                **one,  # type: ignore[arg-type]
            ),
        ),
        plan_leave(cfg, 2027, settings=LeavePlanSettings(today=dt.date(2027, 12, 28), **one)),  # type: ignore[arg-type]
    ]


@pytest.mark.parametrize("which", ["sample", "S", "M"])
def test_every_chinese_sentence_of_a_sample_plan_is_chinese(which: str) -> None:
    """Every conflict, fix, cost and warning of the sample branches' plans reads in Chinese."""
    if which == "sample":
        cfg = sample_config(dt.date(2026, 11, 30))
    else:
        cfg = make_instance(which, 0).config
    plans = _sample_plans(cfg)
    conflicts = [c for p in plans for c in p.conflicts]
    penalties = [x for p in plans for x in p.penalties]
    warnings = [w for p in plans for w in p.warnings_in("zh")]
    assert conflicts and penalties and warnings
    sentences = [
        *(c.message_zh for c in conflicts),
        *(c.relaxation_zh for c in conflicts),
        *(x.message_zh for x in penalties),
        *warnings,
    ]
    for sentence in sentences:
        assert _CJK.search(sentence), sentence
        assert not _ENGLISH.search(sentence), sentence
    for p in plans:
        assert len(p.warnings_zh) == len(p.warnings)
