"""Why no roster exists: small sets of conflicting hard-rule groups, in words.

Every hard constraint is guarded by the assumption literal of its group (a rule for a person,
day or post). When the solve is infeasible the literals become assumptions; CP-SAT names a
sufficient subset, which is shrunk by deletion with short re-solves. Each core is then told as
a sentence naming the people, days and posts, with the absences behind it and the changes that
would make a roster possible. Up to a few independent cores are reported, so the manager can
fix several problems in one pass. Every sentence is told in English and in Chinese
(``Conflict.message_zh``, ``relaxation_zh``), from the same facts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import replace

from ortools.sat.python import cp_model

from scheduler.domain import RULES_BY_NAME
from scheduler.interrupt import solve_interruptibly
from scheduler.roster.clock import SolveClock, amount_words
from scheduler.roster.model import Group, RosterModel
from scheduler.roster.prepare import day_label, day_label_zh
from scheduler.roster.request import SolveOptions
from scheduler.roster.result import Conflict
from scheduler.roster.words import Words, as_words, join

MAX_CONFLICTS = 3
"""Independent conflicts reported at most."""

SHRINK_SOLVE_S = 2.0
"""Time limit of each re-solve that tests whether a group can leave a core."""

MORE_CHECK_MIN_S = 1.0
"""Least seconds given to the check, after :data:`MAX_CONFLICTS` conflicts, for any more."""

EXPLAIN_BUDGET_S = 30.0
"""Total time the explanation may take (or the solve's own limit, when shorter)."""


def absence_reasons(model: RosterModel, staff_id: str, day: dt.date) -> list[Words]:
    """Why a person cannot work (all or part of) a day: leave, declarations, pins, shifts."""
    reasons = [Words(a.reason, a.reason_zh) for a in model.prep.absences.get((staff_id, day), ())]
    reasons += [
        Words("is pinned off", "固定休息")
        for p in model.request.pins
        if p.staff_id == staff_id and p.date == day and p.off
    ]
    if not model.options.get((staff_id, day)) and not reasons:
        if day in model.prep.hours:
            reasons.append(Words("no shift template fits the day", "没有适合当天的班次"))
        else:
            reasons.append(Words("closed", "不营业"))
    return reasons


def _reasons(reasons: list[Words], otherwise: Words = Words("", "")) -> Words:
    """Reasons as one phrase (``otherwise`` when there are none)."""
    return join(reasons, ", ", "、") if reasons else otherwise


def _not_qualified(model: RosterModel, staff_id: str, day: dt.date, post: str) -> Words:
    person = model.person(staff_id)
    en, zh = model.post_name(post), model.post_name_zh(post)
    for q in person.qualifications:
        if q.post == post and q.valid_to is not None and q.valid_to < day:
            return Words(
                f"qualification for {en} expired on {q.valid_to}",
                f"{zh}资格已于 {q.valid_to} 到期",
            )
        if q.post == post and q.valid_from is not None and day < q.valid_from:
            return Words(
                f"qualification for {en} starts on {q.valid_from}",
                f"{zh}资格 {q.valid_from} 才生效",
            )
    return Words(f"not qualified for {en}", f"不具备{zh}资格")


def _names(model: RosterModel, ids: Iterable[str]) -> Words:
    names = [model.name(s) for s in ids]
    return Words(", ".join(names), "、".join(names))


def _post_context(model: RosterModel, post: str, day: dt.date) -> Words:
    """Who could hold ``post`` on ``day``, and why the others cannot."""
    en, zh = model.post_name(post), model.post_name_zh(post)
    when, when_zh = day_label(day), day_label_zh(day)
    qualified = [s.id for s in model.staff if model.qualified(s.id, day, post)]
    lapsed = [
        (model.name(s.id), _not_qualified(model, s.id, day, post))
        for s in model.staff
        if s.id not in qualified and any(q.post == post for q in s.qualifications)
    ]
    lapsed_en = "; ".join(f"{name}'s {why.en}" for name, why in lapsed)
    lapsed_zh = "; ".join(f"{name}: {why.zh}" for name, why in lapsed)
    lapsed_text = Words(f" ({lapsed_en})", f" ({lapsed_zh})") if lapsed else Words("", "")
    if not qualified:
        return Words(
            f"nobody is qualified for {en} on {when}{lapsed_text.en}",
            f"{when_zh} 没有人具备{zh}资格{lapsed_text.zh}",
        )
    able = [s for s in qualified if model.options.get((s, day))]
    away = join(
        (
            Words(f"{model.name(s)} ({why.en})", f"{model.name(s)} ({why.zh})")
            for s in qualified
            if s not in able
            for why in [_reasons(absence_reasons(model, s, day), Words("away", "不在岗"))]
        ),
        "; ",
        "; ",
    )
    if not able:
        return Words(
            f"everyone qualified for {en} is away on {when}: {away.en}{lapsed_text.en}",
            f"{when_zh} 具备{zh}资格的人员都不在岗: {away.zh}{lapsed_text.zh}",
        )
    names = _names(model, able)
    text = Words(
        f"only {names.en} can hold {en} on {when}",
        f"{when_zh} 只有 {names.zh} 能担任{zh}",
    )
    if away.en:
        text = Words(f"{text.en}; away: {away.en}", f"{text.zh}; 不在岗: {away.zh}")
    return Words(text.en + lapsed_text.en, text.zh + lapsed_text.zh)


LABOUR_SETTINGS: dict[str, tuple[str, bool, str, str]] = {
    "max_hours_per_day": ("max_hours_per_day", True, "h", "小时"),
    "max_hours_per_week": ("max_hours_per_week", True, "h", "小时"),
    "min_rest_between_shifts": ("min_rest_hours", False, "h", "小时"),
    "min_days_off_per_week": ("min_days_off_per_week", False, "day(s)", "天"),
    "max_consecutive_days": ("max_consecutive_days", True, "days", "天"),
    "min_consecutive_days": ("min_consecutive_days", False, "days", "天"),
    "min_consecutive_days_off": ("min_consecutive_days_off", False, "days", "天"),
    "max_weekends_worked": ("max_weekends_worked", True, "weekend(s)", "个周末"),
}
"""Labour rule -> (the setting that bounds it, whether raising it relaxes, unit, Chinese unit)."""


def labour_relaxation(model: RosterModel, group: Group) -> Words | None:
    """The labour setting to change for a hard labour group, its value and where it is set.

    Says whether the value is the person's own limit (``staff[].limits``), set in the
    configuration's ``labour`` section, or the built-in default nobody set, e.g. "raise
    labour.max_hours_per_week, now 44 h (the built-in default, not set in the configuration)".
    ``None`` for other rules.
    """
    found = LABOUR_SETTINGS.get(group.rule)
    if found is None:
        return None
    field, up, unit, unit_zh = found
    labour = model.config.labour
    person = model.person(group.staff[0]) if len(group.staff) == 1 else None
    own = getattr(person.limits, field, None) if person and person.limits else None
    value = own if own is not None else getattr(labour, field, None)
    if value is None:
        return None
    verb, verb_zh = ("raise", "调高") if up else ("lower", "调低")
    shown = f"{value:g}" if isinstance(value, float) else str(value)
    if own is not None and person is not None:
        return Words(
            f"{verb} {person.name}'s own {field} (limits of staff {person.id}), now {shown} {unit}",
            f"{verb_zh}{person.name}的个人设定 {field} (人员 {person.id} 的 limits, 当前 "
            f"{shown} {unit_zh})",
        )
    if field in labour.model_fields_set:
        where, where_zh = "set in the configuration", "配置中设定"
    else:
        where, where_zh = (
            "the built-in default, not set in the configuration",
            "系统默认值, 配置中未设置",
        )
    return Words(
        f"{verb} labour.{field}, now {shown} {unit} ({where})",
        f"{verb_zh} labour.{field} (当前 {shown} {unit_zh}, {where_zh})",
    )


def _relaxation(model: RosterModel, group: Group) -> Words:
    """What change would let one hard group hold, in English and Chinese."""
    day = ", ".join(day_label(d) for d in group.dates)
    day_zh = "、".join(day_label_zh(d) for d in group.dates)
    people = " or ".join(model.name(s) for s in group.staff)
    people_zh = "或".join(model.name(s) for s in group.staff)
    posts = " or ".join(model.post_name(p) for p in group.posts)
    posts_zh = "或".join(model.post_name_zh(p) for p in group.posts)
    first = model.post_name(group.posts[0]) if group.posts else ""
    first_zh = model.post_name_zh(group.posts[0]) if group.posts else ""
    specific = {
        "ab_backup_pair": Words(
            f"let {people} work on {day} (move a leave or pin) or name another B",
            f"安排{people_zh} {day_zh} 上班 (调整休假或固定安排), 或另设B角",
        ),
        "ab_backup_cover": Words(f"let B work {posts} on {day}", f"{day_zh} 由B角顶岗{posts_zh}"),
        "post_floor": Words(
            f"have one more person qualified for {posts} work on {day}, or lower the floor",
            f"{day_zh} 再安排一名具备{posts_zh}资格的人员上班, 或降低最低人数",
        ),
        "coverage_under": Words(
            f"have more people qualified for {posts} work on {day}",
            f"{day_zh} 安排更多具备{posts_zh}资格的人员上班",
        ),
        "manager_on_duty": Words(
            f"have another person qualified for {posts} on duty on {day}",
            f"{day_zh} 再安排一名具备{posts_zh}资格的人员值班",
        ),
        "authoriser_present": Words(
            f"have someone qualified for {first} on duty whenever tellers work on {day}",
            f"{day_zh} 柜员上岗时都安排具备{first_zh}资格的人员在岗",
        ),
        "dual_control": Words(
            f"have another person qualified for {posts} on shift at that time on {day}",
            f"{day_zh} 在该时段再安排一名具备{posts_zh}资格的人员在班",
        ),
        "incompatible_duties": Words(
            f"let someone else hold one of {posts} on {day}",
            f"{day_zh} 由其他人担任{posts_zh}中的一个",
        ),
        "shift_demand": Words(
            f"have more people work that shift on {day} or lower the demand",
            f"{day_zh} 安排更多人上该班次, 或降低该班次的人数要求",
        ),
        "shift_demand_over": Words(
            f"raise that shift's most on {day} or move someone to another shift",
            f"{day_zh} 提高该班次的人数上限, 或把人调到其他班次",
        ),
        "pinned_assignment": Words("change or remove the pin", "修改或取消固定安排"),
    }.get(group.rule) or labour_relaxation(model, group)
    info = RULES_BY_NAME.get(group.rule)
    soft = (
        Words(f"make {group.rule} soft", f"把规则 {group.rule} 改为软规则")
        if info is None or info.can_be_soft
        else None
    )
    return join((x for x in (specific, soft) if x is not None), " or ", ", 或")


def describe(model: RosterModel, groups: list[Group]) -> Conflict:
    """One conflict in words: what cannot all hold, why, and what would make a roster possible.

    Told in English and in Chinese (``message_zh``, ``relaxation_zh``) from the same facts.
    """
    rules = tuple(dict.fromkeys(g.rule for g in groups))
    staff = tuple(dict.fromkeys(s for g in groups for s in g.staff))
    dates = tuple(sorted({d for g in groups for d in g.dates}))
    posts = tuple(dict.fromkeys(p for g in groups for p in g.posts))
    if len(groups) == 1 and groups[0].rule == "ab_backup_pair":
        g = groups[0]
        a, b, day = g.staff[0], g.staff[1], g.dates[0]
        why = join(
            (
                Words(f"{model.name(s)}: {r.en}", f"{model.name(s)}: {r.zh}")
                for s in (a, b)
                for r in [
                    _reasons(absence_reasons(model, s, day), Words("cannot work", "不能上班"))
                ]
            ),
            "; ",
            "; ",
        )
        message = Words(
            f"{model.name(a)} and {model.name(b)} are the A/B pair for the "
            f"{model.post_name(g.posts[0])} post "
            f"and both are away on {day_label(day)} ({why.en}); the pair rule needs one of them "
            "at work",
            f"{model.name(a)}、{model.name(b)} 是{model.post_name_zh(g.posts[0])}的A/B角, "
            f"{day_label_zh(day)} 两人都不在岗 ({why.zh}); A/B角规则要求至少一人上班",
        )
    else:
        context: list[tuple[Words, tuple[dt.date, ...]]] = []
        for day in dates:
            for s in staff:
                reasons = absence_reasons(model, s, day)
                if reasons and len(staff) <= 6:
                    r = _reasons(reasons)
                    context.append(
                        (
                            Words(
                                f"{model.name(s)}: {r.en} on {day_label(day)}",
                                f"{model.name(s)}: {day_label_zh(day)} {r.zh}",
                            ),
                            (day,),
                        )
                    )
            for g in groups:
                if g.rule == "pinned_assignment" and day in g.dates:
                    context += [
                        (Words(f"{model.name(s)}: {why.en}", f"{model.name(s)}: {why.zh}"), (day,))
                        for s in g.staff
                        for p in g.posts
                        if not model.qualified(s, day, p)
                        for why in [_not_qualified(model, s, day, p)]
                    ]
            about = [g for g in groups if day in g.dates and g.rule in _POST_RULES]
            context += [
                (_post_context(model, p, day), (day,))
                for p in dict.fromkeys(p for g in about for p in g.posts)
            ]
        texts = join(merge_words_by_day((as_words(g.text), g.dates) for g in groups), "; ", "; ")
        message = Words(f"These cannot all hold: {texts.en}", f"以下要求无法同时满足: {texts.zh}")
        if context:
            told = join(merge_words_by_day(context), "; ", "; ")
            message = Words(f"{message.en}. {told.en}", f"{message.zh}。{told.zh}")
    fixes = join(
        merge_words_by_day((r, g.dates) for g in groups for r in [_relaxation(model, g)] if r.en),
        "; or ",
        "; 或",
    )
    return Conflict(
        rules,
        message.en,
        fixes.en,
        staff,
        dates,
        posts,
        message_zh=message.zh,
        relaxation_zh=fixes.zh,
    )


_POST_RULES = {"post_floor", "coverage_under", "authoriser_present", "shift_demand"}
"""Rules about a post whose conflicts are explained by who could hold it that day (duty
cover and dual control already name every qualified person, with their absences)."""


def _solve_with(
    model: RosterModel,
    literals: list[cp_model.IntVar],
    seconds: float,
    seed: int,
    clock: SolveClock,
) -> tuple[int, list[int]]:
    """Solve under the given assumptions; the status and, if infeasible, a sufficient subset.

    The search stops after ``seconds`` on ``clock``'s measure and is charged to it.
    """
    model.cp.clear_assumptions()
    model.cp.add_assumptions(literals)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    clock.limit(solver, seconds)
    status = solve_interruptibly(solver, model.cp)
    clock.charge(solver)
    core = (
        list(solver.sufficient_assumptions_for_infeasibility())
        if status == cp_model.INFEASIBLE
        else []
    )
    return status, core


def _shrink(
    model: RosterModel, core: list[cp_model.IntVar], clock: SolveClock, seed: int
) -> list[cp_model.IntVar]:
    """Drop every literal the core stays infeasible without (deletion filter, time-boxed)."""
    i = 0
    while i < len(core) and clock.left() > 0:
        trial = core[:i] + core[i + 1 :]
        status, sub = _solve_with(model, trial, min(SHRINK_SOLVE_S, clock.left()), seed, clock)
        if status == cp_model.INFEASIBLE:
            keep = set(sub)
            core = [lit for lit in trial if lit.index in keep] if keep else trial
        else:
            i += 1
    return core


_DAY = "\x00"
"""Stands for the day in a conflict's words while conflicts are compared (never in text)."""


def _runs(days: Iterable[dt.date]) -> list[list[dt.date]]:
    """Days in order, cut into runs of consecutive days."""
    runs: list[list[dt.date]] = []
    for day in sorted(set(days)):
        if runs and (day - runs[-1][-1]).days == 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs


def day_span(days: Iterable[dt.date]) -> str:
    """Days as a manager reads them: runs of consecutive days as ``Mon 30 Nov to Sun 6 Dec``.

    Runs are joined with commas, e.g. ``Mon 30 Nov to Wed 2 Dec, Fri 4 Dec``.
    """
    return ", ".join(
        day_label(r[0]) if len(r) == 1 else f"{day_label(r[0])} to {day_label(r[-1])}"
        for r in _runs(days)
    )


def day_span_zh(days: Iterable[dt.date]) -> str:
    """:func:`day_span` in Chinese, e.g. ``11月30日(周一)至12月2日(周三)、12月4日(周五)``."""
    return "、".join(
        day_label_zh(r[0]) if len(r) == 1 else f"{day_label_zh(r[0])}至{day_label_zh(r[-1])}"
        for r in _runs(days)
    )


def _without_day(words: Words, day: dt.date) -> Words:
    """``words`` with ``day`` (as a manager reads it, in each language) replaced by a mark."""
    return Words(words.en.replace(day_label(day), _DAY), words.zh.replace(day_label_zh(day), _DAY))


def _with_days(template: Words, days: Sequence[dt.date]) -> Words:
    """A template of :func:`_without_day` with the mark replaced by the runs of ``days``."""
    return Words(
        template.en.replace(_DAY, day_span(days)), template.zh.replace(_DAY, day_span_zh(days))
    )


def merge_words_by_day(items: Iterable[tuple[Words, tuple[dt.date, ...]]]) -> list[Words]:
    """Sentences of one day each that differ only in that day, told once for all their days.

    Seven groups "at least 1 on Lobby manager in every open slot of Mon 30 Nov" ... "of Sun 6
    Dec" become one "... of Mon 30 Nov to Sun 6 Dec" (and ``11月30日(周一)至12月6日(周日)``).
    A merged sentence stands where its first day stood; repeats are dropped; sentences of
    several days, or that do not name their day, are kept as they are.
    """
    merged: dict[tuple[Words, bool], tuple[Words, list[dt.date]]] = {}
    for words, days in items:
        key = (words, False)
        if len(days) == 1:
            template = _without_day(words, days[0])
            if _DAY in template.en and _DAY in template.zh:
                key = (template, True)
        if key not in merged:
            merged[key] = (words, list(days))
        elif key[1] and days[0] not in merged[key][1]:
            merged[key][1].append(days[0])
    return [
        _with_days(template, days) if dated and len(days) > 1 else words
        for (template, dated), (words, days) in merged.items()
    ]


def merge_days(conflicts: Iterable[Conflict]) -> tuple[Conflict, ...]:
    """One conflict for the same rules, people and posts that differ only in the day.

    A week of leave for both halves of an A/B pair is one conflict "both are away on Mon 30
    Nov to Sun 6 Dec", with one fix, instead of seven sentences that differ in the date.
    Conflicts of one day whose words, without that day, are the same are merged; each
    merged conflict stands where its first day stood. The others are kept as they are. The
    Chinese words are merged the same way (``11月30日(周一)至12月6日(周日)``).
    """
    merged: dict[object, list[Conflict]] = {}
    for conflict in conflicts:
        key: object = id(conflict)
        if len(conflict.dates) == 1 and day_label(conflict.dates[0]) in conflict.message:
            day = conflict.dates[0]
            message = _without_day(Words(conflict.message, conflict.message_zh), day)
            fix = _without_day(Words(conflict.relaxation, conflict.relaxation_zh), day)
            key = (conflict.rules, conflict.staff_ids, conflict.posts, message, fix)
        merged.setdefault(key, []).append(conflict)
    out: list[Conflict] = []
    for key, group in merged.items():
        if len(group) == 1 or not isinstance(key, tuple):
            out.extend(group)
            continue
        days = tuple(sorted(c.dates[0] for c in group))
        message, fix = _with_days(key[3], days), _with_days(key[4], days)
        out.append(
            replace(
                group[0],
                message=message.en,
                relaxation=fix.en,
                message_zh=message.zh,
                relaxation_zh=fix.zh,
                dates=days,
            )
        )
    return tuple(out)


def sum_up(rest: Sequence[Conflict], shown: int = 3) -> Conflict:
    """One conflict standing for ``rest``: how many more cannot hold, the first ``shown`` told.

    For the conflicts found before solving beyond those told one by one, e.g. "... and 2 more
    that cannot hold either: These cannot all hold: ..." / "另有 2 项同样无法满足: ...".
    """
    tail = "; ..." if len(rest) > shown else ""
    return Conflict(
        tuple(dict.fromkeys(r for c in rest for r in c.rules)),
        f"... and {len(rest)} more that cannot hold either: "
        + "; ".join(c.message for c in rest[:shown])
        + tail,
        staff_ids=tuple(dict.fromkeys(s for c in rest for s in c.staff_ids)),
        dates=tuple(sorted({d for c in rest for d in c.dates})),
        posts=tuple(dict.fromkeys(p for c in rest for p in c.posts)),
        message_zh=f"另有 {len(rest)} 项同样无法满足: "
        + "; ".join(c.message_zh for c in rest[:shown])
        + tail,
    )


def more_conflicts(certain: bool) -> Conflict:
    """The note after the conflicts told: more remain (``certain``), or there may be more.

    Told when :func:`find_conflicts` stops at :data:`MAX_CONFLICTS` conflicts or at its time
    budget while the rules not yet in a conflict still cannot all hold, or were not checked.
    """
    if certain:
        return Conflict(
            (),
            "More rules conflict than those told here.",
            "fix these and run again to see the rest",
            message_zh="冲突不止以上几项。",
            relaxation_zh="请先解决以上冲突, 再重新运行以查看其余冲突",
        )
    return Conflict(
        (),
        "Other rules may conflict too: there was no time to check beyond those told here.",
        "fix these and run again to see whether any conflict remains",
        message_zh="除以上几项外可能还有冲突: 未来得及检查。",
        relaxation_zh="请先解决以上冲突, 再重新运行, 看是否仍有冲突",
    )


def find_conflicts(model: RosterModel, options: SolveOptions) -> tuple[Conflict, ...]:
    """Explain an infeasible model: up to :data:`MAX_CONFLICTS` small independent cores.

    Conflicts that differ only in the day count once (they are told as one). When more
    remain, or time ran out before the rest could be checked, a last note says so
    (:func:`more_conflicts`).

    The budget is wall-clock seconds, or deterministic time with ``options.deterministic``:
    then the same infeasible request gives the same explanation on any machine and load.

    The model's assumption literals must not be fixed (see ``solve``); its objective and hint
    are cleared, as only feasibility matters here.
    """
    budget = min(EXPLAIN_BUDGET_S, max(5.0, options.time_limit_s))
    clock = SolveClock(budget, options.deterministic)
    model.cp.clear_objective()
    model.cp.clear_hints()
    by_index = {lit.index: group for group, lit in model.groups.items()}
    active = list(model.groups.values())
    conflicts: list[Conflict] = []
    left: int | None = None  # what the rules not yet in a conflict gave, when known
    unexplained = False  # the rest cannot hold even without the relaxable rules
    while len(merge_days(conflicts)) < MAX_CONFLICTS and clock.left() > 0:
        status, core_idx = _solve_with(model, active, clock.left(), options.seed, clock)
        if status != cp_model.INFEASIBLE:
            left = status
            break
        if not core_idx:
            unexplained = True
            if not conflicts:
                conflicts.append(
                    Conflict(
                        ("one_post_per_slot",),
                        "No roster exists even without the relaxable rules: check the shift "
                        "templates against the opening hours and the pins.",
                        message_zh="即使放宽所有可放宽的规则也排不出班: 请核对班次模板与营业时间"
                        "是否匹配, 以及固定安排。",
                    )
                )
            break
        keep = set(core_idx)
        core = _shrink(model, [lit for lit in active if lit.index in keep], clock, options.seed)
        conflicts.append(describe(model, [by_index[lit.index] for lit in core]))
        drop = {lit.index for lit in core}
        active = [lit for lit in active if lit.index not in drop]
    if conflicts and left is None and not unexplained:  # stopped by the count or the clock
        seconds = max(MORE_CHECK_MIN_S, clock.left())
        left, _ = _solve_with(model, active, seconds, options.seed, clock)
    more = None
    if conflicts and left in (cp_model.INFEASIBLE, cp_model.UNKNOWN):
        more = more_conflicts(left == cp_model.INFEASIBLE)
    if not conflicts:
        spent = amount_words(budget, clock.deterministic)
        conflicts.append(
            Conflict(
                tuple(dict.fromkeys(g.rule for g in model.groups)),
                "No roster exists, and the conflicting rules could not be isolated within "
                f"{spent.en}.",
                "run again with a longer time limit to see the conflict",
                message_zh=f"排不出班, 且在 {spent.zh}内未能找出相互冲突的规则。",
                relaxation_zh="延长求解时间后重新运行, 即可看到冲突所在",
            )
        )
    model.cp.clear_assumptions()
    merged = merge_days(conflicts)
    return (*merged, more) if more is not None else merged
