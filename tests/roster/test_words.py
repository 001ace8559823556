"""Every sentence the solver writes has a Chinese version: penalties, groups, conflicts, warnings.

A Chinese branch manager reads the rule report, ``penalties.csv`` and ``conflicts.txt`` in
Chinese: nothing may be left in English (no ``Tue``, no ``Dec``), while the English sentences
the API returns stay exactly as they were.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import replace

import pytest

from scheduler.domain import (
    RULES,
    Availability,
    AvailabilityEntry,
    AvailabilityKind,
    LeaveRequest,
    RuleMode,
    RuleSetting,
)
from scheduler.domain.config import ShiftDemand
from scheduler.domain.rules import CyclePeriod, NotAloneTogether, RotationCycle
from scheduler.instances import make_instance
from scheduler.roster import RosterRequest, SolveOptions, solve
from scheduler.roster.request import Pin, QuotaTarget
from scheduler.roster.solve import build_model
from scheduler.roster.words import Words, as_words

from .instances import MON, TUE, config, person, post, request, run
from .instances_extra import roster_frame, shifts_frame

CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_DAYS = re.compile(
    r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b"
)
CASES = [("S", 0), ("M", 1)]


def untranslated(texts: list[str]) -> list[str]:
    """The texts without a Chinese character, or with an English day or month in them."""
    return [t for t in texts if not CJK.search(t) or ENGLISH_DAYS.search(t)]


def with_modes(req: RosterRequest, mode: RuleMode) -> RosterRequest:
    """The request with every rule that may be soft set to ``mode`` (weights kept, at least 1)."""
    cfg = req.config
    rules = dict(cfg.rules)
    for info in RULES:
        if info.can_be_soft and not (mode == RuleMode.HARD and info.name == "labour_cost"):
            rules[info.name] = RuleSetting(mode=mode, weight=cfg.rule(info.name).weight or 1)
    return dataclasses.replace(req, config=cfg.model_copy(update={"rules": rules}))


@pytest.fixture(scope="module", params=CASES, ids=[f"{f}-{s}" for f, s in CASES])
def instance(request: pytest.FixtureRequest) -> RosterRequest:
    """A seeded instance of the benchmark generator."""
    family, seed = request.param
    return make_instance(family, seed)


def test_day_label_in_chinese() -> None:
    """Days read 12月1日(周二) in Chinese, as Tue 1 Dec does in English."""
    from scheduler.roster.prepare import day_label, day_label_zh

    assert (day_label(TUE), day_label_zh(TUE)) == ("Tue 1 Dec", "12月1日(周二)")
    assert day_label_zh(dt.date(2026, 12, 6)) == "12月6日(周日)"


def test_day_span_in_chinese_joins_runs_of_days() -> None:
    """Runs of consecutive days read 11月30日(周一)至12月2日(周三), runs joined by 、."""
    from scheduler.roster.explain import day_span_zh

    days = [MON + dt.timedelta(days=d) for d in (0, 1, 2, 4, 6, 7)]
    assert day_span_zh(days) == (
        "11月30日(周一)至12月2日(周三)、12月4日(周五)、12月6日(周日)至12月7日(周一)"
    )


def test_words_fill_each_language_from_the_same_values() -> None:
    """A template filled with a two-language field gives each language its own words."""
    template = Words("{where}: {name} switches post", "{where}: {name} 换岗")
    where = Words("Tue 1 Dec 10:00", "12月1日(周二) 10:00")
    filled = template.fill(name="李敏", where=where)
    assert filled == Words("Tue 1 Dec 10:00: 李敏 switches post", "12月1日(周二) 10:00: 李敏 换岗")
    assert str(filled) == filled.en and filled.get("zh") == filled.zh
    assert as_words("{n} short").fill(n=2) == Words("2 short", "2 short")


def test_every_penalty_of_a_seeded_instance_reads_in_chinese(instance: RosterRequest) -> None:
    """Every rule soft, a short solve: each penalty has a Chinese sentence beside its English."""
    options = SolveOptions(time_limit_s=4, workers=1, seed=0)
    result = solve(with_modes(instance, RuleMode.SOFT), options)
    assert result.feasible and len({p.rule for p in result.penalties}) >= 5
    assert untranslated([p.message_zh for p in result.penalties]) == []
    assert all(p.message_zh != p.message for p in result.penalties)


def test_every_hard_rule_group_of_a_seeded_instance_reads_in_chinese(
    instance: RosterRequest,
) -> None:
    """Every rule hard: each group a conflict can name has its requirement in Chinese."""
    model = build_model(with_modes(instance, RuleMode.HARD))
    texts = [g.text for g in model.groups]
    assert texts and all(isinstance(t, Words) for t in texts)
    assert untranslated([t.zh for t in texts]) == []


def test_every_soft_term_of_a_seeded_instance_has_a_chinese_template(
    instance: RosterRequest,
) -> None:
    """Every rule soft: each penalty term the model can pay for carries a Chinese template."""
    model = build_model(with_modes(instance, RuleMode.SOFT))
    assert untranslated([as_words(t.message).zh for t in model.terms]) == []


def _everything() -> RosterRequest:
    """The S instance with every optional rule input: pins, shift demands, history, ...

    Built so that every rule function writes its sentences (the seeded instances leave
    some out: no pins, no published roster, no shift demands).
    """
    base = make_instance("S", 0)
    cfg = base.config
    days = base.horizon.dates
    staff = list(cfg.staff)
    two_posts = [s for s in staff if len({q.post for q in s.qualifications}) >= 2]
    a, b = two_posts[0], two_posts[1]
    a_posts = [q.post for q in a.qualifications]
    b_posts = [q.post for q in b.qualifications]
    shared = [p for p in a_posts if p in b_posts]
    cycle_posts = shared[:2] if len(shared) >= 2 else a_posts[:2]
    cycle_staff = [a.id, b.id] if len(shared) >= 2 else [a.id]
    unqualified = next(p.id for p in cfg.posts if p.id not in a_posts)
    shifts = [t.model_copy(update={"max_per_person": 2}) if t.late else t for t in cfg.shifts]
    labour = cfg.labour.model_copy(
        update={
            "min_consecutive_days": 2,
            "min_consecutive_days_off": 2,
            "max_weekends_worked": 0,
            "min_total_hours": 20,
            "max_total_hours": 44,
            "min_rest_hours": 14,
        }
    )
    cfg = cfg.model_copy(
        update={
            "shifts": shifts,
            "labour": labour,
            "shift_demands": [
                ShiftDemand(shift="early", min_staff=1, max_staff=2, post=a_posts[0]),
                ShiftDemand(shift="day", min_staff=1, max_staff=1),
            ],
            "not_alone_together": [NotAloneTogether(staff=(a.id, b.id))],
            "rotation_cycles": [
                RotationCycle(
                    name="counter rotation",
                    staff=cycle_staff,
                    posts=cycle_posts,
                    period=CyclePeriod.MONTH,
                    anchor=dt.date(2026, 11, 1),
                )
            ],
        }
    )
    kinds = AvailabilityKind
    entries = [
        AvailabilityEntry(staff_id=b.id, date=days[1], kind=kinds.PREFERRED, shift="early"),
        AvailabilityEntry(staff_id=b.id, date=days[2], kind=kinds.UNDESIRED, shift="late"),
        AvailabilityEntry(
            staff_id=a.id, date=days[3], kind=kinds.AVAILABLE, start="10:00", end="12:00"
        ),
        AvailabilityEntry(
            staff_id=a.id, date=days[4], kind=kinds.UNAVAILABLE, start="14:00", end="16:00"
        ),
    ]
    leave = [LeaveRequest(staff_id=b.id, start_date=days[5], end_date=days[5], approved=False)]
    availability = Availability(
        entries=[*base.availability.entries, *entries],
        leave=[*base.availability.leave, *leave],
    )
    pins = (
        Pin(staff_id=a.id, date=days[0], off=True),
        Pin(
            staff_id=b.id, date=days[1], shift="early", post=b_posts[0], start="10:00", end="11:00"
        ),
        Pin(staff_id=a.id, date=days[2], post=unqualified),
    )
    before = days[0] - dt.timedelta(days=1)
    history = shifts_frame(
        [(a.id, before, "late", "13:00", "18:00"), (b.id, before, "", "12:00", "19:00")]
    )
    history.loc[1, "shift"] = None  # a shift known only by its times
    published = roster_frame(
        [(a.id, days[1], "10:00", "12:00", a_posts[0]), (b.id, days[3], "10:00", "12:00", None)]
    )
    targets = (
        QuotaTarget(
            quota="cash teller rotation",
            staff_id=b.id,
            posts=[b_posts[0]],
            min_hours=10,
            max_hours=20,
            max_share=0.6,
        ),
        QuotaTarget(quota="counter rotation", staff_id=a.id, posts=[cycle_posts[0]], min_hours=5),
    )
    return dataclasses.replace(
        base,
        config=cfg,
        availability=availability,
        pins=pins,
        history_shifts=history,
        published=published,
        quota_targets=targets,
    )


def test_every_rule_writes_its_sentences_in_chinese() -> None:
    """With every optional input, each rule's terms and groups all have Chinese words."""
    req = _everything()
    soft = build_model(with_modes(req, RuleMode.SOFT))
    hard = build_model(with_modes(req, RuleMode.HARD))
    written = {t.rule for t in soft.terms} | {g.rule for g in hard.groups}
    silent = {"qualification", "one_post_per_slot"}  # hold by construction: no sentence
    assert written == {r.name for r in RULES} - silent
    assert untranslated([as_words(t.message).zh for t in soft.terms]) == []
    assert untranslated([g.text.zh for g in (*soft.groups, *hard.groups)]) == []


# Conflicts -----------------------------------------------------------------------------------


def _leave(staff_id: str, *days: dt.date) -> list[LeaveRequest]:
    return [LeaveRequest(staff_id=staff_id, start_date=d, end_date=d) for d in days]


def test_the_same_conflict_on_many_days_is_told_once_in_chinese() -> None:
    """Two weeks of an impossible floor: one Chinese sentence naming the fortnight."""
    cfg = config(
        [post("cash"), post("lobby", min_staff=1)],
        [person("A", "cash")],
        rules={"post_floor": "hard"},
    )
    (conflict,) = run(request(cfg, days=14)).conflicts
    assert conflict.message_zh == (
        "以下要求无法同时满足: 11月30日(周一)至12月13日(周日) 每个营业时段lobby至少 1 人。"
        "11月30日(周一)至12月13日(周日) 没有人具备lobby资格"
    )
    assert conflict.relaxation_zh == (
        "11月30日(周一)至12月13日(周日) 再安排一名具备lobby资格的人员上班, 或降低最低人数, "
        "或把规则 post_floor 改为软规则"
    )


def test_duty_cover_conflict_reads_in_chinese_with_post_names_and_absences() -> None:
    """No manager on duty: the Chinese names the duty, the person, the leave and the fix."""
    from scheduler.domain import DutyCover, Post

    head = Post(id="head", name_zh="网点负责人", name_en="Branch head")
    cfg = config(
        [post("cash"), head],
        [person("A", "head"), person("B", "cash")],
        duty_cover=[DutyCover(name="manager on duty", qualified_posts=["head"])],
        rules={"manager_on_duty": "hard"},
    )
    (conflict,) = run(request(cfg, availability=Availability(leave=_leave("A", MON)))).conflicts
    assert conflict.message == (
        "These cannot all hold: manager on duty: 1 of A on duty (on shift and not on a break) "
        "in every open hour of Mon 30 Nov. A: annual leave on Mon 30 Nov"
    )
    assert conflict.message_zh == (
        "以下要求无法同时满足: 负责人值班: 11月30日(周一) 每个营业小时 A 中至少 1 人在岗 "
        "(在班且不在休息)。A: 11月30日(周一) 年假"
    )
    assert conflict.relaxation_zh == (
        "11月30日(周一) 再安排一名具备网点负责人资格的人员值班, 或把规则 manager_on_duty 改为软规则"
    )


def test_a_pin_nobody_can_keep_reads_in_chinese() -> None:
    """A pin on a post the person is not qualified for: the Chinese says so, and the fix."""
    cfg = config(
        [post("cash"), post("lobby")],
        [person("A", "cash")],
        rules={"pinned_assignment": "hard"},
    )
    pin = Pin(staff_id="A", date=MON, post="lobby")
    (conflict,) = run(request(cfg, pins=[pin])).conflicts
    assert conflict.message_zh == (
        "以下要求无法同时满足: 固定安排: A 11月30日(周一) 担任lobby。A: 不具备lobby资格"
    )
    assert conflict.relaxation_zh == "修改或取消固定安排, 或把规则 pinned_assignment 改为软规则"


def test_conflicts_beyond_the_first_ten_can_be_summed_up_in_chinese() -> None:
    """``sum_up`` tells the rest as solve does in English, and in Chinese beside it."""
    from scheduler.roster.explain import sum_up

    floors = [post(f"p{i:02d}", min_staff=1) for i in range(12)]
    cfg = config([post("cash"), *floors], [person("A", "cash")], rules={"post_floor": "hard"})
    told = run(request(cfg, days=2)).conflicts
    rest_cfg = config(
        [post("cash"), *floors[10:]], [person("A", "cash")], rules={"post_floor": "hard"}
    )
    rest = run(request(rest_cfg, days=2)).conflicts
    summed = sum_up(rest)
    assert (summed.message, summed.posts, summed.dates) == (
        told[-1].message,
        told[-1].posts,
        told[-1].dates,
    )
    assert summed.message_zh.startswith("另有 2 项同样无法满足: 以下要求无法同时满足: ")
    assert untranslated([summed.message_zh]) == []


# Warnings ------------------------------------------------------------------------------------


def test_the_availability_rule_off_is_warned_of_in_both_languages() -> None:
    """Leave ignored because the rule is off: the manager is told, in English and Chinese."""
    cfg = config([post("cash")], [person("A", "cash")], rules={"availability": "off"})
    result = run(request(cfg, need={"cash": 1}, availability=Availability(leave=_leave("A", MON))))
    assert result.warnings == (
        "the availability rule is off: leave and declared windows are ignored",
    )
    assert result.warnings_zh == (
        "可用时段规则 (availability) 已关闭: 请假和申报的可用时段都不予考虑",
    )


def test_labour_cost_set_hard_is_warned_of_in_both_languages() -> None:
    """A hard labour_cost has no limit to enforce: it runs soft, and the warning says so."""
    cfg = config([post("cash")], [person("A", "cash")], rules={"labour_cost": ("hard", 1)})
    result = run(request(cfg, need={"cash": 1}))
    assert result.warnings_zh == (
        "人工成本规则 labour_cost 没有可强制的上限, 设为硬规则 (hard) 时按软规则执行: "
        "按其权重尽量降低人工成本",
    )
    assert result.warnings[0].startswith("labour_cost has no limit to enforce")


def test_every_warning_of_a_request_full_of_them_reads_in_chinese() -> None:
    """Every warning the model writes has Chinese beside its English, with no English day.

    Provoked at once: a long horizon, availability off, opening hours no template fits, an
    expired qualification, a quarterly quota without targets, labour_cost set hard.
    """
    from scheduler.domain import QuotaPeriod, RotationQuota, ShiftTemplate

    long_day = ShiftTemplate(id="long", name="长班", start="08:00", end="17:00")
    quota = RotationQuota(name="floor", posts=["cash"], min_hours=100, period=QuotaPeriod.QUARTER)
    cfg = config(
        [post("cash")],
        [person("A", "cash", expires={"cash": MON})],
        shifts=[long_day],
        rules={
            "availability": "off",
            "coverage_under": "soft",
            "rotation_quota": ("soft", 1),
            "labour_cost": ("hard", 1),
        },
        rotation_quotas=[quota],
    )
    leave = Availability(leave=_leave("A", TUE))
    model = build_model(request(cfg, days=60, need={"cash": 1}, availability=leave))
    assert all(isinstance(w, Words) for w in model.warnings)
    kinds = (
        "the horizon has",
        "the availability rule is off",
        "no shift template fits",
        "nobody is qualified",
        "rotation quota",
        "labour_cost has no limit",
    )
    assert [k for k in kinds if not any(w.en.startswith(k) for w in model.warnings)] == []
    assert untranslated([w.zh for w in model.warnings]) == []


def _search_finds_nothing(monkeypatch: pytest.MonkeyPatch, *, fallback: bool) -> None:
    """Make the main search end without a roster; ``fallback``: the starting roster is kept."""
    import sys

    from ortools.sat.python import cp_model

    solve_module = sys.modules["scheduler.roster.solve"]
    real = solve_module.solve_interruptibly

    def search(solver, model, *rest):  # the main search alone passes a stop condition
        if len(rest) < 2:
            return real(solver, model, *rest)
        solver.solve(cp_model.CpModel())  # a response to read, as after a real search
        return cp_model.UNKNOWN

    monkeypatch.setattr(solve_module, "solve_interruptibly", search)
    if not fallback:
        monkeypatch.setattr(solve_module, "_starting_roster", lambda *a, **k: None)


def _starting_roster_request() -> RosterRequest:
    cfg = config([post("cash")], [person("A", "cash"), person("B", "cash")],
                 rules={"coverage_under": "soft"})  # fmt: skip
    return request(cfg, need={"cash": 1})


def test_the_starting_roster_returned_is_warned_of_in_both_languages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A search that found no roster of its own returns the one it started from, and says so."""
    from scheduler.roster.solve import STARTING_ROSTER

    _search_finds_nothing(monkeypatch, fallback=True)
    options = SolveOptions(time_limit_s=5, workers=1, seed=0, mip_bound=False)
    result = solve(_starting_roster_request(), options)
    assert result.feasible
    assert (result.warnings, result.warnings_zh) == ((STARTING_ROSTER.en,), (STARTING_ROSTER.zh,))
    assert STARTING_ROSTER.zh.startswith("求解器在时间限制内没有找到自己的排班")


def test_no_roster_in_the_time_given_is_warned_of_in_both_languages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without a roster of its own or a whole starting roster, the result says to give time."""
    _search_finds_nothing(monkeypatch, fallback=False)
    options = SolveOptions(time_limit_s=5, workers=1, seed=0, mip_bound=False)
    result = solve(_starting_roster_request(), options)
    assert result.status == "UNKNOWN"
    assert result.warnings == ("no roster found within 5 s; give the solver more time",)
    assert result.warnings_zh == ("5 秒内没有找到排班; 请给求解器更多时间",)
    deterministic = solve(_starting_roster_request(), replace(options, deterministic=True))
    assert deterministic.warnings == (
        "no roster found within 5 units of deterministic time; give the solver more time",
    )
    assert deterministic.warnings_zh == ("5 个确定性时间单位内没有找到排班; 请给求解器更多时间",)


def test_repeated_warnings_are_dropped_alike_in_both_languages() -> None:
    """The same warning twice is told once, in both languages, first-seen order kept."""
    from scheduler.roster.result import warning_fields
    from scheduler.roster.words import unique

    first, second = Words("one", "一"), Words("two", "二")
    kept = unique([first, second, Words("one", "一"), "three"])
    assert kept == (first, second, Words("three", "three"))
    assert warning_fields(kept) == {
        "warnings": ("one", "two", "three"),
        "warnings_zh": ("一", "二", "three"),
    }


def test_a_result_built_without_chinese_warnings_reads_its_english_for_both() -> None:
    """Older results and results built by hand have no ``warnings_zh``: the English stands.

    Adding a warning afterwards keeps both tuples the same length.
    """
    from scheduler.calendar import Horizon
    from scheduler.roster.result import RosterResult, SolverStats

    old = RosterResult("B01", Horizon(MON, 7), SolverStats("FEASIBLE"), warnings=("a note",))
    assert old.warnings_in("zh") == old.warnings_in("en") == ("a note",)
    more = old.with_warnings(Words("widened", "重排整周"))
    assert more.warnings == ("a note", "widened")
    assert more.warnings_zh == ("a note", "重排整周")
