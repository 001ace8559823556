"""Labour cost, with overtime premiums.

Rules registered from this module: labour_cost.

Pay follows the Labour Law of the PRC, art. 44, as ``config.overtime`` sets it, for each
person and Monday-Sunday week (``rate`` is ``Staff.hourly_rate``):

* every paid hour at the rate;
* on a statutory holiday (法定节假日, ``BranchCalendar.is_statutory_holiday``: e.g. National
  Day 1-3 October) every hour is overtime, paid at ``public_holiday`` (300%);
* on the other days off of a holiday break (``BranchCalendar.is_public_holiday`` but not
  statutory: days off moved by 调休, "observed" days, configured extra holidays) every hour
  is rest-day work with no time off in lieu, paid at ``rest_day`` (200%), hours beyond the
  standard day included;
* on other days, hours beyond ``standard_hours_per_day`` are overtime at ``workday`` (150%);
* hours within the standard day that take the week beyond ``standard_hours_per_week`` are
  work on a rest day with no time off in lieu, paid at ``rest_day`` (200%). Under rotating
  rest (轮休) a weekend day worked instead of a weekday costs nothing extra; a sixth day
  does. Holidays of either kind are left out of this count (their hours are all paid at a
  premium already), and the standard week is not shortened in a week with holidays.

In yuan: ``rate x (paid + (workday-1) x daily_ot + (rest_day-1) x (rest_ot + break_)
+ (public_holiday-1) x statutory) / 60`` with minutes
``daily_ot = sum max(0, paid_d - std_day)`` over non-holiday days,
``rest_ot = max(0, sum min(paid_d, std_day) - std_week)`` over the non-holiday days of the
week (days before the horizon from ``request.history_shifts`` included), ``statutory`` the
minutes worked on statutory holidays and ``break_`` the minutes worked on the other public
holidays. Overtime hours are ``daily_ot + rest_ot + statutory + break_``.

The rule's weight is per yuan; at its default weight 0 the cost is reported, not optimised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.calendar import BranchCalendar
from scheduler.domain import BranchConfig, RuleMode, Staff
from scheduler.roster.model import RosterModel, RuleFunction
from scheduler.roster.prepare import day_label, day_label_zh
from scheduler.roster.rules.labour import history_shifts, weeks
from scheduler.roster.words import Words


@dataclass(frozen=True)
class PersonCost:
    """A person's pay over the horizon.

    Attributes:
        paid_minutes: Paid minutes worked in the horizon.
        overtime_minutes: Minutes paid at a premium (daily and rest-day overtime, and every
            minute on a public holiday, statutory or another day off of its break).
        cost: Pay in yuan, premiums included.
    """

    paid_minutes: int
    overtime_minutes: int
    cost: float


def _week(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def person_cost(
    config: BranchConfig,
    calendar: BranchCalendar,
    person: Staff,
    minutes_by_day: Mapping[dt.date, int],
    before: Mapping[dt.date, int] | None = None,
) -> PersonCost:
    """Pay and overtime of one person from the paid minutes of each day worked.

    Args:
        config: The branch (its ``overtime`` policy).
        calendar: The branch calendar (statutory holidays and the other public holidays).
        person: The person (their ``hourly_rate``).
        minutes_by_day: Paid minutes per day worked in the horizon.
        before: Paid minutes per day worked earlier in the horizon's first week (history);
            they count toward the weekly threshold but are not paid again.

    Returns:
        Paid minutes, overtime minutes and cost (see the module's formula).
    """
    policy = config.overtime
    std_day = round(policy.standard_hours_per_day * 60)
    std_week = round(policy.standard_hours_per_week * 60)
    paid = sum(minutes_by_day.values())
    statutory = break_ = daily = 0
    within: dict[dt.date, int] = {}
    for day, minutes in minutes_by_day.items():
        if calendar.is_statutory_holiday(day):
            statutory += minutes
            continue
        if calendar.is_public_holiday(day):
            break_ += minutes
            continue
        daily += max(0, minutes - std_day)
        within[_week(day)] = within.get(_week(day), 0) + min(minutes, std_day)
    for day, minutes in (before or {}).items():
        if _week(day) in within and not calendar.is_public_holiday(day):
            within[_week(day)] += min(minutes, std_day)
    rest = sum(max(0, m - std_week) for m in within.values())
    cost = person.hourly_rate * (
        paid
        + (policy.workday - 1) * daily
        + (policy.rest_day - 1) * (rest + break_)
        + (policy.public_holiday - 1) * statutory
    )
    return PersonCost(paid, daily + rest + statutory + break_, round(cost / 60, 2))


def labour_cost(model: RosterModel) -> None:
    """Labour cost with overtime premiums is as low as possible, at the weight per yuan.

    Each shift option costs its pay (with its daily premium, or its statutory-holiday or
    holiday-break premium on every hour) without any new variable; one variable per person
    and week carries the rest-day premium, made only when the week's hours can pass the
    standard week. Weight 0 (the default) adds nothing: the cost is reported per person,
    not traded against service.
    """
    setting = model.setting("labour_cost")
    if setting.mode == RuleMode.OFF or setting.weight <= 0:
        return
    if setting.mode == RuleMode.HARD:
        model.warnings.append(
            Words(
                "labour_cost has no limit to enforce, so 'hard' is applied as soft: the cost is "
                "minimised at its weight",
                "人工成本规则 labour_cost 没有可强制的上限, 设为硬规则 (hard) 时按软规则执行: "
                "按其权重尽量降低人工成本",
            )
        )
    calendar = BranchCalendar(model.config.branch)
    policy = model.config.overtime
    std_day = round(policy.standard_hours_per_day * 60)
    std_week = round(policy.standard_hours_per_week * 60)
    history = history_shifts(model) or {}
    holidays = {d for d in model.prep.open_days if calendar.is_public_holiday(d)}
    statutory = {d for d in holidays if calendar.is_statutory_holiday(d)}
    for person in model.staff:
        per_minute = person.hourly_rate / 60
        if per_minute <= 0:
            continue
        for day in model.prep.open_days:
            for option in model.options.get((person.id, day), ()):
                paid = option.template.paid_minutes
                if day in statutory:
                    pay = paid * policy.public_holiday
                    note = f", statutory holiday at {policy.public_holiday:.0%}"
                    note_zh = f", 法定节假日按 {policy.public_holiday:.0%} 计薪"
                elif day in holidays:
                    pay = paid * policy.rest_day
                    note = f", day off of a holiday break at {policy.rest_day:.0%}"
                    note_zh = f", 节假日调休日按 {policy.rest_day:.0%} 计薪"
                else:
                    over = max(0, paid - std_day)
                    pay = paid + over * (policy.workday - 1)
                    note = f", {over / 60:g} h overtime at {policy.workday:.0%}" * bool(over)
                    note_zh = f", 其中加班 {over / 60:g} 小时按 {policy.workday:.0%} 计薪" * bool(
                        over
                    )
                model.penalty(
                    "labour_cost",
                    option.var,
                    amount=round(pay * per_minute, 2),
                    message=Words(
                        f"{person.name} costs ¥{{amount}} for the {option.template.id} "
                        f"shift on {day_label(day)}{note}",
                        f"{person.name} {day_label_zh(day)} 上"
                        f"{model.shift_name_zh(option.template.id)}, 人工成本 ¥{{amount}}"
                        f"{note_zh}",
                    ),
                    staff_id=person.id,
                    date=day,
                )
        for monday, days in weeks(model):
            before = sum(
                min(h.paid_minutes, std_day)
                for (s, d), h in history.items()
                if s == person.id and _week(d) == monday and not calendar.is_public_holiday(d)
            )
            vars_: list[cp_model.IntVar] = []
            coefs: list[int] = []
            most = before
            for day in days:
                if day in holidays:
                    continue
                options = model.options.get((person.id, day), ())
                for option in options:
                    vars_.append(option.var)
                    coefs.append(min(option.template.paid_minutes, std_day))
                most += max((min(o.template.paid_minutes, std_day) for o in options), default=0)
            if most <= std_week:
                continue  # the week cannot pass the standard week
            within = cp_model.LinearExpr.weighted_sum(vars_, coefs)
            rest = model.cp.new_int_var(0, most - std_week, f"rest_ot[{person.id},{monday}]")
            model.cp.add(rest >= within + before - std_week)
            model.penalty(
                "labour_cost",
                rest,
                amount=round(per_minute * (policy.rest_day - 1), 6),
                message=Words(
                    f"{person.name} costs ¥{{amount}} of rest-day overtime at "
                    f"{policy.rest_day:.0%} in the week of {day_label(monday)}",
                    f"{person.name} {day_label_zh(monday)}所在周休息日加班费 ¥{{amount}} "
                    f"(按 {policy.rest_day:.0%} 计薪)",
                ),
                staff_id=person.id,
            )


RULES: tuple[RuleFunction, ...] = (labour_cost,)
"""The rule functions of this module, in catalogue order."""
