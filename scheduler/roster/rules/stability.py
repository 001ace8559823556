"""Stability: close to a published roster when re-solving, calm post changes in a day.

Rules registered from this module: roster_stability, min_post_stint, post_switches.

The post rules need hour-level posts, so a branch with a single post in play gets no variable
from them. A switch is holding one post in a slot and another in the next slot; a break or
time off post in between is not a switch.

The published roster is also the solver's starting point when re-solving
(:func:`scheduler.roster.hint.hint_from_assignments`, called by ``solve``).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Iterator

import pandas as pd
from ortools.sat.python import cp_model

from scheduler.domain import RuleMode
from scheduler.domain.common import minutes_of, parse_clock
from scheduler.errors import InputError, Issue
from scheduler.roster.model import Expr, Group, RosterModel, RuleFunction
from scheduler.roster.prepare import clock, day_label, day_label_zh
from scheduler.roster.request import Pin
from scheduler.roster.words import Words

PUBLISHED_FILE = "<published>"
"""The source name used in messages about the published roster."""

MIN_STINT_MINUTES = 120
"""The shortest time on a post before switching to another (``min_post_stint``): two hours,
rounded up to whole slots (2 slots of 60 minutes, 4 of 30). Breaks and shift ends are not
switches, so a stint cut by them is never short."""

Published = dict[tuple[str, dt.date, int], tuple[str, str | None]]
"""(staff, day, slot minute) -> (activity, post) in the published roster."""


def published_slots(model: RosterModel) -> Published:
    """What each person did in each open slot of the horizon in the published roster.

    Rows of people no longer on the staff list, or outside the horizon, are ignored; a
    slot without a row was a slot off.

    Raises:
        InputError: When a row's date or times cannot be read or the frame lacks a column.
    """
    frame = model.request.published
    if frame is None or frame.empty:
        return {}
    needed = ("staff_id", "date", "start", "end", "activity", "post")
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise InputError(
            [
                Issue(
                    PUBLISHED_FILE,
                    f"the published roster lacks column(s) {', '.join(missing)}",
                    allowed="the columns of scheduler.frames.ASSIGNMENT_COLUMNS",
                )
            ]
        )
    staff = {s.id for s in model.staff}
    issues: list[Issue] = []
    out: Published = {}
    strangers: set[str] = set()
    odd_posts: set[str] = set()
    dates: list[dt.date] = []
    for row, record in enumerate(frame.to_dict("records"), start=2):
        try:
            day = pd.Timestamp(record["date"]).date()  # type: ignore[arg-type]
        except (TypeError, ValueError):
            issues.append(
                Issue(PUBLISHED_FILE, "not a date", row, "date", record["date"], "2026-12-02")
            )
            continue
        staff_id = str(record["staff_id"])
        dates.append(day)
        if staff_id not in staff:
            strangers.add(staff_id)
            continue
        if day not in model.request.horizon:
            continue
        times = []
        for column in ("start", "end"):
            try:
                times.append(minutes_of(parse_clock(record[column])))
            except (TypeError, ValueError):
                issues.append(
                    Issue(PUBLISHED_FILE, "not a time of day", row, column, record[column], "09:00")
                )
        activity = str(record["activity"])
        if activity not in ("post", "free", "break"):
            issues.append(
                Issue(
                    PUBLISHED_FILE,
                    "unknown activity",
                    row,
                    "activity",
                    activity,
                    "post, free, break",
                )
            )
            continue
        if len(times) < 2:
            continue
        post = record["post"]
        post = None if post is None or pd.isna(post) else str(post)
        if activity == "post" and post not in model.posts:
            odd_posts.add(str(post))
            activity, post = "free", None
        for m in model.slots(day):
            if times[0] <= m and m + model.step <= times[1]:
                out[(staff_id, day, m)] = (activity, post if activity == "post" else None)
    horizon = model.request.horizon
    if not issues and not out and dates:
        issues.append(
            Issue(
                PUBLISHED_FILE,
                "the published roster has no shift of this branch's staff in the planned days: "
                f"its rows run from {min(dates)} to {max(dates)}",
                column="date",
                value=f"{min(dates)} to {max(dates)}",
                allowed=f"the roster published for {horizon.start} to {horizon.end}",
            )
        )
    if issues:
        raise InputError(issues)
    if strangers:
        listed = ", ".join(sorted(strangers)[:8]) + (" ..." if len(strangers) > 8 else "")
        model.warnings.append(
            Words(
                f"the published roster names {len(strangers)} person(s) not on the staff list "
                f"({listed}); their rows were ignored",
                f"已发布排班中有 {len(strangers)} 人不在员工名单中 ({listed}), 其行已忽略",
            )
        )
    if odd_posts:
        listed = ", ".join(sorted(odd_posts))
        model.warnings.append(
            Words(
                f"the published roster names posts the configuration does not have ({listed}); "
                "those hours are read as on shift without a post",
                f"已发布排班中的岗位不在配置中 ({listed}), 这些时段按在班机动处理",
            )
        )
    return out


def _describe(state: tuple[str, str | None] | None, model: RosterModel) -> Words:
    if state is None:
        return Words("off", "休息")
    activity, post = state
    if activity == "post" and post is not None:
        return Words(f"on {model.post_name(post)}", f"担任{model.post_name_zh(post)}")
    if activity == "break":
        return Words("on a break", "班中休息")
    return Words("on shift without a post", "在班机动")


def _change(
    model: RosterModel,
    staff_id: str,
    day: dt.date,
    m: int,
    state: tuple[str, str | None] | None,
) -> Expr:
    """1 when the person's slot differs from its published state, else 0."""
    present = model.present(staff_id, day, m)
    if state is None or state[0] == "break":
        return present
    activity, post = state
    if activity == "post" and post is not None:
        return 1 - model.held(staff_id, day, m, post)
    held = [model.held(staff_id, day, m, p) for p in model.posts]
    return 1 - present + cp_model.LinearExpr.sum(held)


def _pin_breaks(model: RosterModel, pin: Pin, published: Published) -> bool:
    """Whether the published roster disagrees with a pin on the pin's day."""
    day = pin.date
    worked = {
        m: state
        for (staff_id, d, m), state in published.items()
        if staff_id == pin.staff_id and d == day and state[0] != "break"
    }
    if pin.off:
        return bool(worked)
    if pin.shift is not None:
        template = next((t for t in model.config.shifts if t.id == pin.shift), None)
        if template is None or not worked:
            return True
        if min(worked) != template.start_minute or max(worked) + model.step != template.end_minute:
            return True
    if pin.post is not None:
        lo = minutes_of(pin.start) if pin.start is not None else None
        hi = minutes_of(pin.end) if pin.end is not None else None
        window = [m for m in worked if (lo is None or lo <= m) and (hi is None or m < hi)]
        if not window or any(worked[m] != ("post", pin.post) for m in window):
            return True
    return False


def repair_days(model: RosterModel, published: Published) -> set[dt.date]:
    """Days on which the published roster no longer fits the request.

    A day no longer fits when someone works there, in the published roster, at a time they
    may not work now (sick leave, a new unavailability), or when a pin on that day asks for
    something the published roster does not do. Only those days need re-planning after a
    sick call; every other day can stay as published.
    """
    days: set[dt.date] = set()
    for (staff_id, day, m), state in published.items():
        if state[0] == "break" or day in days:
            continue
        forbidden = model.prep.forbidden.get((staff_id, day), ())
        if any(a < m + model.step and m < b for a, b in forbidden):
            days.add(day)
    days |= {
        pin.date
        for pin in model.request.pins
        if pin.date in model.request.horizon and _pin_breaks(model, pin, published)
    }
    return days


def roster_stability(model: RosterModel) -> None:
    """A re-solve keeps the published roster: every changed person-slot costs the weight.

    A slot changes when the person now holds another post (or none) than published, works
    where the published roster had them off or on a break, or is off where they worked.
    Slots a change cannot avoid (someone now on sick leave) count too, so the cost is the
    full size of the change. Soft: a sick call is repaired around the absence; hard: every
    person-day stays as published.

    With the request's ``repair_scope`` ``"days"`` (the default) and at least one day on
    which the published roster no longer fits (:func:`repair_days`), every other day stays
    exactly as published (hard, whatever the rule's mode): a sick call on Wednesday is
    repaired on Wednesday, not by reshuffling the week. When that cannot hold, ``solve``
    re-plans with ``repair_scope="week"`` and says so.
    """
    published = published_slots(model)
    if not published or model.setting("roster_stability").mode == RuleMode.OFF:
        return
    hours = model.step / 60
    scope = repair_days(model, published) if model.request.repair_scope == "days" else set()
    for person in model.staff:
        for day in model.prep.open_days:
            if scope and day not in scope and _keep_day(model, person.id, day, published):
                continue
            changes: list[tuple[int, Expr, Words]] = []
            for m in model.slots(day):
                state = published.get((person.id, day, m))
                change = _change(model, person.id, day, m, state)
                if isinstance(change, int) and change == 0:
                    continue
                changes.append((m, change, _describe(state, model)))
            if not changes:
                continue
            if model.setting("roster_stability").mode == RuleMode.HARD:
                group = Group(
                    "roster_stability",
                    Words(
                        f"{person.name} keeps the published roster on {day_label(day)}",
                        f"{person.name} {day_label_zh(day)} 保持已发布的排班",
                    ),
                    (person.id,),
                    (day,),
                    key=(person.id, day),
                )
                model.at_most(
                    group,
                    cp_model.LinearExpr.sum([c for _, c, _ in changes]),
                    0,
                    amount=hours,
                    message=Words(
                        f"{person.name}'s roster on {day_label(day)} changes in {{n}} slots",
                        f"{person.name} {day_label_zh(day)} 的排班有 {{n}} 个时段改动",
                    ),
                )
                continue
            for m, change, before in changes:
                model.penalty(
                    "roster_stability",
                    change,
                    amount=hours,
                    message=Words(
                        f"{model.where(day, m)}: {person.name} changes from being {before.en} "
                        "in the published roster",
                        f"{model.where_zh(day, m)}: {person.name} 与已发布的排班不同 "
                        f"(原为{before.zh})",
                    ),
                    staff_id=person.id,
                    date=day,
                    ds=model.ds(day, m),
                )


def _keep_day(model: RosterModel, staff_id: str, day: dt.date, published: Published) -> bool:
    """The person's day stays exactly as published (a day the repair does not touch).

    Returns:
        False, adding nothing, when the published day cannot be kept whatever the solver
        does (the shift no longer fits, say); the day is then repaired like the others.
    """
    changes: list[Expr] = []
    for m in model.slots(day):
        change = _change(model, staff_id, day, m, published.get((staff_id, day, m)))
        if isinstance(change, int):
            if change != 0:
                return False
            continue
        changes.append(change)
    if not changes:
        return True
    group = Group(
        "roster_stability",
        Words(
            f"{model.name(staff_id)} keeps the published roster on {day_label(day)}, a day the "
            "change does not touch",
            f"{model.name(staff_id)} {day_label_zh(day)} 保持已发布的排班 (本次调整不涉及这一天)",
        ),
        (staff_id,),
        (day,),
        key=("repair_scope", staff_id, day),
    )
    literal = model.hard_literal(group)
    model.cp.add(cp_model.LinearExpr.sum(changes) <= 0).only_enforce_if(literal)
    model.repair_frozen = True
    return True


_PER_DAY_ZH = {
    "min_post_stint": f"换岗前在岗不少于 {MIN_STINT_MINUTES} 分钟",
    "post_switches": "不换岗",
}
"""What the hard form of each per-slot rule asks of a person's day, in Chinese."""

SwitchPoint = tuple[str, dt.date, int, str, cp_model.IntVar, list[cp_model.IntVar]]
"""(person, day, slot, post, post held in the slot, other posts held in the next slot)."""


def _switch_pairs(model: RosterModel) -> Iterator[SwitchPoint]:
    """Every (person, day, slot, post) after which a switch to another post can happen."""
    for person in model.staff:
        for day in model.prep.open_days:
            slots = model.slots(day)
            for m, nxt in itertools.pairwise(slots):
                for post in model.posts:
                    here = model.assign.get((person.id, day, m, post))
                    if here is None:
                        continue
                    others = [
                        v
                        for q in model.posts
                        if q != post
                        and (v := model.assign.get((person.id, day, nxt, q))) is not None
                    ]
                    if others:
                        yield person.id, day, m, post, here, others


def _bounded_per_slot(
    model: RosterModel,
    rule: str,
    constraints: list[tuple[str, dt.date, int, Expr, int]],
    message: Words,
    unit: int,
) -> None:
    """State each ``expr <= unit x violation`` with one violation literal per person-slot.

    Hard: the violation is 0, enforced by the person-day's assumption literal. Soft: each
    person-slot shares one penalised literal across its posts, keeping the model lean.
    ``message`` names the person ``{name}`` and the slot ``{where}``.
    """
    hard = model.setting(rule).mode == RuleMode.HARD
    literals: dict[tuple[str, dt.date, int], cp_model.IntVar] = {}
    for staff_id, day, m, expr, _ in constraints:
        if hard:
            group = Group(
                rule,
                Words(
                    f"{model.name(staff_id)}: {rule.replace('_', ' ')} on {day_label(day)}",
                    f"{model.name(staff_id)}: {day_label_zh(day)} {_PER_DAY_ZH[rule]}",
                ),
                (staff_id,),
                (day,),
                key=(staff_id, day),
            )
            model.cp.add(expr <= 0).only_enforce_if(model.hard_literal(group))
            continue
        key = (staff_id, day, m)
        if key not in literals:
            literals[key] = model.cp.new_bool_var(f"{rule}[{staff_id},{day},{clock(m)}]")
            model.penalty(
                rule,
                literals[key],
                message=message.fill(
                    name=model.name(staff_id),
                    where=Words(
                        model.where(day, m + model.step), model.where_zh(day, m + model.step)
                    ),
                ),
                staff_id=staff_id,
                date=day,
                ds=model.ds(day, m + model.step),
            )
        model.cp.add(expr <= unit * literals[key])


def min_post_stint(model: RosterModel) -> None:
    """A person stays on a post at least :data:`MIN_STINT_MINUTES` before switching to another.

    Leaving post ``p`` after slot ``m`` for another post needs ``p`` held in the ``N - 1``
    slots before ``m`` too: ``(N-1) x (p[m] + other[m+1] - 1) <= sum of p[m-j]``.
    """
    if not model.hourly or model.setting("min_post_stint").mode == RuleMode.OFF:
        return
    n = math.ceil(MIN_STINT_MINUTES / model.step)
    if n < 2:
        return
    constraints: list[tuple[str, dt.date, int, Expr, int]] = []
    for staff_id, day, m, post, here, others in _switch_pairs(model):
        before = [
            v
            for j in range(1, n)
            if (v := model.assign.get((staff_id, day, m - j * model.step, post))) is not None
        ]
        expr = (n - 1) * (here + cp_model.LinearExpr.sum(others) - 1)
        if before:
            expr = expr - cp_model.LinearExpr.sum(before)
        constraints.append((staff_id, day, m, expr, n - 1))
    _bounded_per_slot(
        model,
        "min_post_stint",
        constraints,
        Words(
            "{where}: {name} switches post after less than " + f"{MIN_STINT_MINUTES} minutes",
            "{where}: {name} 在岗不足 " + f"{MIN_STINT_MINUTES} 分钟就换岗",
        ),
        n - 1,
    )


def post_switches(model: RosterModel) -> None:
    """Few post switches per person per day: each switch between consecutive slots costs."""
    if not model.hourly or model.setting("post_switches").mode == RuleMode.OFF:
        return
    constraints: list[tuple[str, dt.date, int, Expr, int]] = []
    for staff_id, day, m, _, here, others in _switch_pairs(model):
        constraints.append((staff_id, day, m, here + cp_model.LinearExpr.sum(others) - 1, 1))
    _bounded_per_slot(
        model,
        "post_switches",
        constraints,
        Words("{where}: {name} switches post", "{where}: {name} 换岗"),
        1,
    )


RULES: tuple[RuleFunction, ...] = (min_post_stint, post_switches, roster_stability)
"""The rule functions of this module, in catalogue order."""
