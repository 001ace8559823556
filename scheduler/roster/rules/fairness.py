"""Preferences and fairness: wishes, contract hours, weekends and late shifts shared evenly.

Rules registered from this module: preferences, contract_hours, fair_weekends, fair_late_shifts.

Sharing evenly (weekends, late shifts) is measured as the excess over the fair share: with
``N`` people who could take any of the load and ``T`` the load they take together, each person
above ``T / N`` pays for the part above it. This counts every person (unlike max minus min,
which only sees the two extremes), ignores people who cannot take the load at all (leave,
no fitting shift), and stays linear: ``N x excess >= N x count - T``.
"""

from __future__ import annotations

import datetime as dt

from ortools.sat.python import cp_model

from scheduler.domain import AvailabilityEntry, AvailabilityKind, Staff
from scheduler.roster.model import Expr, Group, RosterModel, RuleFunction
from scheduler.roster.prepare import clock, day_label, day_label_zh, overlap
from scheduler.roster.rules.labour import leave_days
from scheduler.roster.words import LEAVE_ZH, Words

UNAPPROVED_LEAVE_WEIGHT = 10
"""Weight of a leave request not yet approved, treated as a whole undesired day: the
strongest wish a declaration can carry (entries weigh 1-10)."""


def worked_minutes(model: RosterModel, staff_id: str, day: dt.date, lo: int, hi: int) -> Expr:
    """Paid minutes the person works inside ``[lo, hi)`` on ``day`` (breaks excluded)."""
    vars_: list[cp_model.IntVar] = []
    coefs: list[int] = []
    for option in model.options.get((staff_id, day), ()):
        t = option.template
        inside = overlap(((t.start_minute, t.end_minute),), lo, hi)
        if inside:
            vars_.append(option.var)
            coefs.append(inside)
        length = t.break_rule.minutes if t.break_rule else 0
        for start, var in option.breaks:
            lost = overlap(((start, start + length),), lo, hi)
            if lost:
                vars_.append(var)
                coefs.append(-lost)
    return cp_model.LinearExpr.weighted_sum(vars_, coefs) if vars_ else 0


def _most_minutes(model: RosterModel, staff_id: str, day: dt.date, lo: int, hi: int) -> int:
    """The most paid minutes any shift option could give inside ``[lo, hi)``."""
    most = 0
    for option in model.options.get((staff_id, day), ()):
        t = option.template
        inside = overlap(((t.start_minute, t.end_minute),), lo, hi)
        length = t.break_rule.minutes if t.break_rule else 0
        lost = min(
            (overlap(((b, b + length),), lo, hi) for b, _ in option.breaks),
            default=0,
        )
        most = max(most, inside - lost)
    return most


def preferences(model: RosterModel) -> None:
    """Undesired hours are not worked and preferred hours are, each hour times its weight.

    A declared ``undesired`` window charges every paid hour worked in it; a ``preferred``
    window charges every hour of it not worked, up to what the person's shifts could cover
    there. A line naming a shift template is charged once, at its weight, when that shift is
    not worked (preferred) or worked (undesired) that day; a preferred shift the person cannot
    work that day (leave, no fitting template) is not charged. A leave request not yet
    approved is an undesired whole day of weight :data:`UNAPPROVED_LEAVE_WEIGHT`.
    """
    wishes: list[tuple[str, dt.date, bool, int, int, int, Words]] = []
    horizon = model.request.horizon
    for index, entry in enumerate(model.request.availability.entries):
        if entry.date not in horizon or entry.kind not in (
            AvailabilityKind.PREFERRED,
            AvailabilityKind.UNDESIRED,
        ):
            continue
        if entry.shift is not None:
            _shift_wish(model, index, entry)
            continue
        lo, hi = entry.minutes
        window = (
            Words("the whole day", "全天")
            if entry.whole_day
            else Words(f"{clock(lo)}-{clock(hi)}", f"{clock(lo)}-{clock(hi)}")
        )
        wishes.append(
            (
                entry.staff_id,
                entry.date,
                entry.kind == AvailabilityKind.PREFERRED,
                lo,
                hi,
                entry.weight,
                window,
            )
        )
    for leave in model.request.availability.leave:
        if leave.approved:
            continue
        for day in leave.dates():
            if day in horizon:
                reason = Words(
                    f"the whole day ({leave.kind.value} leave requested, not approved)",
                    f"全天 (申请了{LEAVE_ZH[leave.kind.value]}, 尚未批准)",
                )
                wishes.append(
                    (leave.staff_id, day, False, 0, 24 * 60, UNAPPROVED_LEAVE_WEIGHT, reason)
                )
    for index, (staff_id, day, preferred, lo, hi, weight, window) in enumerate(wishes):
        name = model.name(staff_id)
        worked = worked_minutes(model, staff_id, day, lo, hi)
        kind = "prefers to work" if preferred else "would rather not work"
        kind_zh = "希望上班" if preferred else "不希望上班"
        day_zh = day_label_zh(day)
        group = Group(
            "preferences",
            Words(
                f"{name} {kind} {window.en} on {day_label(day)}",
                f"{name} {day_zh} {window.zh} {kind_zh}",
            ),
            (staff_id,),
            (day,),
            key=(index,),
        )
        if preferred:
            most = _most_minutes(model, staff_id, day, lo, hi)
            model.at_least(
                group,
                worked,
                most,
                amount=1 / 60,
                factor=weight,
                message=Words(
                    f"{name} works {{amount}} h less than preferred on {day_label(day)} "
                    f"in {window.en} (weight {weight})",
                    f"{name} {day_zh} {window.zh} 希望上班, 但少上了 {{amount}} 小时 "
                    f"(权重 {weight})",
                ),
            )
        else:
            model.at_most(
                group,
                worked,
                0,
                amount=1 / 60,
                factor=weight,
                message=Words(
                    f"{name} works {{amount}} h on {day_label(day)} in {window.en}, marked "
                    f"undesired (weight {weight})",
                    f"{name} {day_zh} {window.zh} 不希望上班, 却上了 {{amount}} 小时 "
                    f"(权重 {weight})",
                ),
            )


def _shift_wish(model: RosterModel, index: int, entry: AvailabilityEntry) -> None:
    """One preferred or undesired shift (see :func:`preferences`): one unit, at its weight."""
    assert entry.shift is not None
    name, day, weight = model.name(entry.staff_id), entry.date, entry.weight
    works = model.shift_var(entry.staff_id, day, entry.shift)
    preferred = entry.kind == AvailabilityKind.PREFERRED
    kind = "prefers to work" if preferred else "would rather not work"
    kind_zh = "希望上" if preferred else "不希望上"
    shift_zh, day_zh = model.shift_name_zh(entry.shift), day_label_zh(day)
    group = Group(
        "preferences",
        Words(
            f"{name} {kind} the {entry.shift} shift on {day_label(day)}",
            f"{name} {day_zh} {kind_zh}{shift_zh}",
        ),
        (entry.staff_id,),
        (day,),
        key=("shift", index),
    )
    if preferred:
        if isinstance(works, int):
            return  # the shift cannot be worked that day
        model.at_least(
            group,
            works,
            1,
            factor=weight,
            message=Words(
                f"{name} does not work the {entry.shift} shift preferred on "
                f"{day_label(day)} (weight {weight})",
                f"{name} {day_zh} 希望上{shift_zh}, 但未排 (权重 {weight})",
            ),
        )
    else:
        model.at_most(
            group,
            works,
            0,
            factor=weight,
            message=Words(
                f"{name} works the {entry.shift} shift on {day_label(day)}, marked "
                f"undesired (weight {weight})",
                f"{name} {day_zh} 不希望上{shift_zh}, 却被排了 (权重 {weight})",
            ),
        )


def contract_target_minutes(model: RosterModel, person: Staff) -> int:
    """Contract hours pro rata for the horizon, in minutes, less approved leave.

    The weekly contract is spread over the seven days of the week; each day of approved leave
    on an open day counts as a fifth of the weekly contract already worked.
    """
    weekly = person.contract_hours_per_week * 60
    target = weekly * len(model.prep.dates) / 7 - leave_days(model, person.id) * weekly / 5
    return max(0, round(target))


def contract_hours(model: RosterModel) -> None:
    """Paid hours stay close to contract hours pro rata for the horizon, both directions.

    Each hour below or above the target costs the weight. Part-time staff are planned by
    their availability, so they are charged only for hours above their contract.
    """
    days = model.prep.open_days
    for person in model.staff:
        target = contract_target_minutes(model, person)
        paid = model.paid_minutes_in(person.id, days)
        group = Group(
            "contract_hours",
            Words(
                f"{person.name} works the {target / 60:g} contract hours of the horizon",
                f"{person.name} 排班期工时符合合同工时 {target / 60:g} 小时",
            ),
            (person.id,),
            key=(person.id,),
        )
        if not person.part_time:
            model.at_least(
                group,
                paid,
                target,
                amount=1 / 60,
                message=Words(
                    f"{person.name} works {{amount}} h less than the {target / 60:g} "
                    "contract hours of the horizon",
                    f"{person.name} 排班期工时比合同工时 {target / 60:g} 小时少 {{amount}} 小时",
                ),
            )
        model.at_most(
            group,
            paid,
            target,
            amount=1 / 60,
            message=Words(
                f"{person.name} works {{amount}} h more than the {target / 60:g} "
                "contract hours of the horizon",
                f"{person.name} 排班期工时比合同工时 {target / 60:g} 小时多 {{amount}} 小时",
            ),
        )


def _share_evenly(
    model: RosterModel, rule: str, counts: dict[str, Expr], what: str, what_zh: tuple[str, str]
) -> None:
    """Charge each person's load above the fair share of the people who could take it.

    ``what`` names the load in English ("weekend day(s)"), ``what_zh`` in Chinese as the load
    and its counting word (("周末", "天")).
    """
    load, unit = what_zh
    eligible = {s: c for s, c in counts.items() if not isinstance(c, int)}
    n = len(eligible)
    if n < 2:
        return
    total = cp_model.LinearExpr.sum(list(eligible.values()))
    for staff_id, count in eligible.items():
        name = model.name(staff_id)
        group = Group(
            rule,
            Words(
                f"{name} takes no more than the fair share of {what}",
                f"{name} 承担的{load}不超过公平份额",
            ),
            (staff_id,),
            key=(staff_id,),
        )
        model.at_most(
            group,
            n * count - total,
            0,
            amount=1 / n,
            message=Words(
                f"{name} works {{count}} {what}, {{amount}} above the fair share of the "
                f"{n} people who could",
                f"{name} 上了 {{count}} {unit}{load}, 比 {n} 名可排人员的平均数多 {{amount}} "
                f"{unit}",
            ),
            show={"count": count},
        )


def fair_weekends(model: RosterModel) -> None:
    """Weekend days worked are shared evenly among the people who could work them."""
    days = [d for d in model.prep.open_days if d.weekday() >= 5]
    if not days:
        return
    counts: dict[str, Expr] = {}
    for person in model.staff:
        parts = [model.works(person.id, d) for d in days]
        parts = [p for p in parts if not isinstance(p, int)]
        counts[person.id] = cp_model.LinearExpr.sum(parts) if parts else 0
    _share_evenly(model, "fair_weekends", counts, "weekend day(s)", ("周末班", "天"))


def fair_late_shifts(model: RosterModel) -> None:
    """Late shifts (``ShiftTemplate.late``) are shared evenly among those who could work them."""
    late = [t.id for t in model.config.shifts if t.late]
    if not late:
        return
    counts: dict[str, Expr] = {}
    for person in model.staff:
        parts = [model.shift_var(person.id, d, t) for d in model.prep.open_days for t in late]
        parts = [p for p in parts if not isinstance(p, int)]
        counts[person.id] = cp_model.LinearExpr.sum(parts) if parts else 0
    _share_evenly(model, "fair_late_shifts", counts, "late shift(s)", ("晚班", "次"))


RULES: tuple[RuleFunction, ...] = (preferences, contract_hours, fair_weekends, fair_late_shifts)
"""The rule functions of this module, in catalogue order."""
