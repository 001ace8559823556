"""Rotation quotas (轮岗): hours a person must, or may at most, spend in posts.

Rules registered from this module: rotation_quota.

Two sources of bounds:

* ``config.rotation_quotas`` counted over the ``horizon`` or each Monday-Sunday ``week``, in
  hours or in shares of the person's paid hours (a customer manager at least 50% of paid
  time on the floor posts). Hours of a week the horizon only partly covers are scaled by the
  share of the week's days it covers; shares need no scaling.
* ``request.quota_targets``: pro-rata hours for this horizon, computed from the history by
  :func:`scheduler.history.quotas.quota_targets` for quotas over weeks, quarters or years.
  A target replaces the configured quota of the same name for that person (it already counts
  what the history holds), so a quota is never charged twice. A minimum target never asks
  for more minutes than the person can hold in the horizon (none on a week of leave), so a
  hard quota cannot make the week infeasible by itself.

Quarter and year quotas without a target cannot be judged from one roster and are reported
as a warning; ``max_consecutive_weeks`` likewise lives in the targets.

Rotation cycles (``config.rotation_cycles``, :func:`rotation_cycle`) are charged under the
same rule: on each leg's days the person holds the leg's post for at least the leg's target
from the history (:mod:`scheduler.history.cycles`), or, without history, at least the
cycle's ``min_share`` of their paid hours on those days.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from ortools.sat.python import cp_model

from scheduler.domain import QuotaPeriod, RotationQuota, RuleMode, Staff
from scheduler.domain.rules import CycleLeg, RotationCycle
from scheduler.errors import InputError, Issue
from scheduler.roster.model import Expr, Group, RosterModel, RuleFunction
from scheduler.roster.prepare import day_label, day_label_zh
from scheduler.roster.rules.labour import weeks
from scheduler.roster.words import Words, name_zh

TARGETS_FILE = "<quota_targets>"
"""The source name used in messages about quota targets."""

SHARE_DENOMINATOR = 100
"""Shares are taken to the nearest fraction with at most this denominator (whole percents)."""

PERIOD_ZH = {
    QuotaPeriod.HORIZON: "排班期",
    QuotaPeriod.WEEK: "周",
    QuotaPeriod.QUARTER: "季度",
    QuotaPeriod.YEAR: "年",
}
"""Quota periods in Chinese, as a warning names them."""


def held_minutes(model: RosterModel, staff_id: str, days: list[dt.date], posts: list[str]) -> Expr:
    """Minutes the person holds any of ``posts`` over ``days``."""
    parts: list[Expr] = []
    for day in days:
        for m in model.slots(day):
            for post in posts:
                held = model.held(staff_id, day, m, post)
                if not isinstance(held, int):
                    parts.append(held)
    return cp_model.LinearExpr.sum(parts) * model.step if parts else 0


def _most(model: RosterModel, held: Expr) -> int:
    """The most minutes ``held`` can reach: a target never asks for more (e.g. in leave)."""
    return held if isinstance(held, int) else model.bounds(held)[1]


def _quota_staff(model: RosterModel, quota: RotationQuota) -> list[Staff]:
    """The people a quota names, or everyone qualified for one of its posts in the horizon."""
    if quota.staff:
        return [model.person(s) for s in quota.staff]
    return [
        s
        for s in model.staff
        if any(model.qualified(s.id, d, p) for d in model.prep.open_days for p in quota.posts)
    ]


def _share_bound(
    model: RosterModel,
    group: Group,
    held: Expr,
    paid: Expr,
    share: float,
    lower: bool,
    message: Words,
) -> None:
    """``held >= share x paid`` (or ``<=``), with the shortfall counted in whole minutes."""
    frac = Fraction(share).limit_denominator(SHARE_DENOMINATOR)
    p, q = frac.numerator, frac.denominator
    gap = (q * held - p * paid) if lower else (p * paid - q * held)
    setting = model.setting(group.rule)
    if setting.mode == RuleMode.OFF:
        return
    lo, _ = model.bounds(gap)
    if lo >= 0:
        return
    if setting.mode == RuleMode.HARD:
        model.at_least(group, gap, 0, message=message)
        return
    # Soft: ``short`` minutes make up the gap (q x short >= -gap), charged per hour.
    short = model.cp.new_int_var(0, -(lo // q), f"slack[{group.rule}]")
    model.cp.add(gap + q * short >= 0)
    model.penalty(
        group.rule,
        short,
        amount=1 / 60,
        message=message,
        staff_id=group.staff[0] if len(group.staff) == 1 else None,
        post=group.posts[0] if len(group.posts) == 1 else None,
    )


def _apply(
    model: RosterModel,
    quota: RotationQuota,
    person: Staff,
    days: list[dt.date],
    fraction: float,
    label: Words,
) -> None:
    """Apply a quota's bounds to one person over ``days`` (``fraction`` scales the hours)."""
    rule = "rotation_quota"
    posts = list(quota.posts)
    held = held_minutes(model, person.id, days, posts)
    can_hold = not isinstance(held, int)
    where = ", ".join(model.post_name(p) for p in posts)
    where_zh = "、".join(model.post_name_zh(p) for p in posts)
    quota_zh = f"“{name_zh(quota.name)}”"
    key = (quota.name, person.id, days[0])
    group = Group(
        rule,
        Words(
            f"{person.name} keeps the quota '{quota.name}' ({where}) {label.en}",
            f"{person.name} {label.zh}遵守轮岗配额{quota_zh} ({where_zh})",
        ),
        (person.id,),
        tuple(days),
        tuple(posts),
        key=key,
    )
    if quota.min_hours is not None:
        least = round(quota.min_hours * 60 * fraction)
        model.at_least(
            group,
            held,
            least,
            amount=1 / 60,
            message=Words(
                f"{person.name} spends {{amount}} h less than the {least / 60:g} h of "
                f"'{quota.name}' ({where}) {label.en}",
                f"{person.name} {label.zh}在{where_zh}的时间比轮岗配额{quota_zh}要求的 "
                f"{least / 60:g} 小时少 {{amount}} 小时",
            ),
        )
    if quota.max_hours is not None and can_hold:
        most = round(quota.max_hours * 60 * fraction)
        model.at_most(
            group,
            held,
            most,
            amount=1 / 60,
            message=Words(
                f"{person.name} spends {{amount}} h more than the {most / 60:g} h of "
                f"'{quota.name}' ({where}) {label.en}",
                f"{person.name} {label.zh}在{where_zh}的时间比轮岗配额{quota_zh}允许的 "
                f"{most / 60:g} 小时多 {{amount}} 小时",
            ),
        )
    if quota.min_share is None and quota.max_share is None:
        return
    paid = model.paid_minutes_in(person.id, days)
    if quota.min_share is not None and quota.min_share > 0:
        _share_bound(
            model,
            group,
            held,
            paid,
            quota.min_share,
            True,
            Words(
                f"{person.name} spends {{amount}} h too few in {where} for '{quota.name}' "
                f"(at least {quota.min_share:.0%} of paid hours {label.en})",
                f"{person.name} 在{where_zh}的时间少了 {{amount}} 小时, 未达轮岗配额{quota_zh} "
                f"({label.zh}至少占工时的 {quota.min_share:.0%})",
            ),
        )
    if quota.max_share is not None and quota.max_share < 1 and can_hold:
        _share_bound(
            model,
            group,
            held,
            paid,
            quota.max_share,
            False,
            Words(
                f"{person.name} spends {{amount}} h too many in {where} for '{quota.name}' "
                f"(at most {quota.max_share:.0%} of paid hours {label.en})",
                f"{person.name} 在{where_zh}的时间多了 {{amount}} 小时, 超出轮岗配额{quota_zh} "
                f"({label.zh}至多占工时的 {quota.max_share:.0%})",
            ),
        )


def _check_targets(model: RosterModel) -> None:
    """Quota targets must name people on the staff list and known posts.

    Raises:
        InputError: Naming each target, field and value that points at nothing.
    """
    staff = {s.id for s in model.staff}
    posts = {p.id for p in model.config.posts}
    issues: list[Issue] = []
    for i, target in enumerate(model.request.quota_targets):
        if target.staff_id not in staff:
            issues.append(
                Issue(
                    TARGETS_FILE,
                    "unknown staff id",
                    f"quota_targets[{i}]",
                    "staff_id",
                    target.staff_id,
                    ", ".join(sorted(staff)),
                )
            )
        for j, post in enumerate(target.posts):
            if post not in posts:
                issues.append(
                    Issue(
                        TARGETS_FILE,
                        "unknown post",
                        f"quota_targets[{i}]",
                        f"posts[{j}]",
                        post,
                        ", ".join(sorted(posts)),
                    )
                )
    if issues:
        raise InputError(issues)


def _hours_at_least(
    model: RosterModel, group: Group, held: Expr, hours: float, what: Words
) -> None:
    """``held`` minutes reach ``hours`` (capped at what the person can hold), per hour short.

    ``what`` names the hours: in English after "the N h", in Chinese as a noun ("...的工时").
    """
    least = min(round(hours * 60), _most(model, held))
    name = model.name(group.staff[0])
    model.at_least(
        group,
        held,
        least,
        amount=1 / 60,
        message=Words(
            f"{name} spends {{amount}} h less than the {least / 60:g} h {what.en}",
            f"{name} {what.zh}比 {least / 60:g} 小时少 {{amount}} 小时",
        ),
    )


def rotation_quota(model: RosterModel) -> None:
    """Hours in a quota's posts stay within its bounds, per horizon or per week (轮岗).

    Soft by default: each hour short of a minimum or over a maximum costs the rule's weight.
    """
    if model.setting("rotation_quota").mode == RuleMode.OFF:
        return
    _check_targets(model)
    targeted = {(t.quota, t.staff_id) for t in model.request.quota_targets}
    days = list(model.prep.open_days)
    if not days:
        return
    rotation_cycle(model)
    cycles = {c.name for c in model.config.rotation_cycles}
    for quota in model.config.rotation_quotas:
        period = quota.period
        bounded = any(
            v is not None
            for v in (quota.min_hours, quota.max_hours, quota.min_share, quota.max_share)
        )
        if not bounded:
            continue
        people = [p for p in _quota_staff(model, quota) if (quota.name, p.id) not in targeted]
        if period == QuotaPeriod.HORIZON:
            label = Words(
                f"from {day_label(days[0])} to {day_label(days[-1])}",
                f"{day_label_zh(days[0])}至{day_label_zh(days[-1])}",
            )
            for person in people:
                _apply(model, quota, person, days, 1.0, label)
        elif period == QuotaPeriod.WEEK:
            for monday, week in weeks(model):
                open_days = [d for d in week if d in model.prep.hours]
                if not open_days:
                    continue
                label = Words(
                    f"in the week of {day_label(monday)}", f"{day_label_zh(monday)}所在周"
                )
                for person in people:
                    _apply(model, quota, person, open_days, len(week) / 7, label)
        elif people:
            model.warnings.append(
                Words(
                    f"rotation quota '{quota.name}' counts over the {period.value}: it is "
                    "applied through quota targets from the history (branch-roster quotas), "
                    f"and none were given for {', '.join(p.name for p in people)}",
                    f"轮岗配额“{name_zh(quota.name)}”按{PERIOD_ZH.get(period, period.value)}"
                    "计算: 须由历史记录得出的配额目标 (branch-roster quotas) 执行, "
                    f"但没有为{'、'.join(p.name for p in people)}提供目标",
                )
            )
    for target in model.request.quota_targets:
        if target.quota in cycles:
            continue  # counted per leg by rotation_cycle
        person = model.person(target.staff_id)
        held = held_minutes(model, person.id, days, list(target.posts))
        where = ", ".join(model.post_name(p) for p in target.posts)
        where_zh = "、".join(model.post_name_zh(p) for p in target.posts)
        quota_zh = f"“{name_zh(target.quota)}”"
        group = Group(
            "rotation_quota",
            Words(
                f"{person.name} meets the target of '{target.quota}' ({where}) this horizon",
                f"{person.name} 本排班期达到{quota_zh} ({where_zh}) 的目标",
            ),
            (person.id,),
            tuple(days),
            tuple(target.posts),
            key=(target.quota, person.id, "target"),
        )
        if target.min_hours is not None:
            _hours_at_least(
                model,
                group,
                held,
                target.min_hours,
                Words(
                    f"target of '{target.quota}' ({where})",
                    f"按{quota_zh}的目标在{where_zh}的时间",
                ),
            )
        if target.max_hours is not None:
            most = round(target.max_hours * 60)
            model.at_most(
                group,
                held,
                most,
                amount=1 / 60,
                message=Words(
                    f"{person.name} spends {{amount}} h more than the {most / 60:g} h "
                    f"target of '{target.quota}' ({where})",
                    f"{person.name} 在{where_zh}的时间比{quota_zh}的目标 {most / 60:g} 小时多 "
                    f"{{amount}} 小时",
                ),
            )
        if target.max_share is not None and target.max_share < 1:
            _share_bound(
                model,
                group,
                held,
                model.paid_minutes_in(person.id, days),
                target.max_share,
                False,
                Words(
                    f"{person.name} spends {{amount}} h too many in {where} for "
                    f"'{target.quota}' (at most {target.max_share:.0%} of this horizon's paid "
                    "hours)",
                    f"{person.name} 在{where_zh}的时间多了 {{amount}} 小时, 超出{quota_zh}的上限 "
                    f"(至多占本排班期工时的 {target.max_share:.0%})",
                ),
            )


def _legs(cycle: RotationCycle, days: list[dt.date]) -> dict[CycleLeg, list[dt.date]]:
    """The horizon's open days grouped by the cycle's leg (days before the anchor left out)."""
    legs: dict[CycleLeg, list[dt.date]] = {}
    for day in days:
        leg = cycle.leg_on(day)
        if leg is not None:
            legs.setdefault(leg, []).append(day)
    return legs


def rotation_cycle(model: RosterModel) -> None:
    """In each leg of a rotation cycle the leg's post is the person's main post (轮岗轮换).

    Charged under ``rotation_quota`` (same mode and weight), per hour short. A horizon across
    a leg boundary is judged leg by leg: only a leg's own days count toward it. With quota
    targets from the history for the cycle and person, the leg's target (hours) is the
    bound; without, ``min_share`` of the person's paid hours on the leg's days.
    """
    days = list(model.prep.open_days)
    targets = {(t.quota, t.staff_id, t.posts[0]): t for t in model.request.quota_targets}
    targeted = {(quota, staff_id) for quota, staff_id, _ in targets}
    for cycle in model.config.rotation_cycles:
        legs = _legs(cycle, days)
        for person in model.config.cycle_staff(cycle):
            from_history = (cycle.name, person.id) in targeted
            for leg, leg_days in legs.items():
                post = model.post_name(leg.post)
                post_zh = model.post_name_zh(leg.post)
                cycle_zh = f"“{name_zh(cycle.name)}”"
                label = f"from {day_label(leg_days[0])} to {day_label(leg_days[-1])}"
                label_zh = f"{day_label_zh(leg_days[0])}至{day_label_zh(leg_days[-1])}"
                group = Group(
                    "rotation_quota",
                    Words(
                        f"{person.name} works mainly as {post} in this leg of '{cycle.name}' "
                        f"{label}",
                        f"{person.name} {label_zh}按轮岗{cycle_zh}以{post_zh}为主岗",
                    ),
                    (person.id,),
                    tuple(leg_days),
                    (leg.post,),
                    key=(cycle.name, person.id, leg.start),
                )
                held = held_minutes(model, person.id, leg_days, [leg.post])
                if not from_history:
                    _share_bound(
                        model,
                        group,
                        held,
                        model.paid_minutes_in(person.id, leg_days),
                        cycle.min_share,
                        True,
                        Words(
                            f"{person.name} spends {{amount}} h too few as {post}, the main post "
                            f"of '{cycle.name}' (at least {cycle.min_share:.0%} of paid hours "
                            f"{label})",
                            f"{person.name} 担任{post_zh} (轮岗{cycle_zh}的主岗) 的时间少了 "
                            f"{{amount}} 小时 ({label_zh}至少占工时的 {cycle.min_share:.0%})",
                        ),
                    )
                    continue
                target = targets.get((cycle.name, person.id, leg.post))
                if target is None or not target.min_hours:
                    continue
                _hours_at_least(
                    model,
                    group,
                    held,
                    target.min_hours,
                    Words(
                        f"as {post} that '{cycle.name}' asks {label}",
                        f"{label_zh}按轮岗{cycle_zh}担任{post_zh}的工时",
                    ),
                )


RULES: tuple[RuleFunction, ...] = (rotation_quota,)
"""The rule functions of this module, in catalogue order."""
