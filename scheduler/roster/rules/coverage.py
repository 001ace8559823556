"""Staff on each post in each slot, and fixed needs per shift."""

from __future__ import annotations

import datetime as dt

from scheduler.domain import Weekday
from scheduler.roster.model import Group, RosterModel, RuleFunction
from scheduler.roster.prepare import day_label


def _day_group(rule: str, day: dt.date, post: str, text: str) -> Group:
    return Group(rule, text, (), (day,), (post,), key=(day, post))


def coverage_under(model: RosterModel) -> None:
    """The staff needed per post and slot are present.

    Each staff-hour short is weighed by the extra wait one person fewer causes
    (``wait_one_short_min``, clamped), so a shortfall at a peak costs more than in a trough.
    """
    hours = model.step / 60
    for (day, m, post), need in model.prep.needs.items():
        if need.required <= 0:
            continue
        staffed = model.staffed(day, m, post)
        group = _day_group(
            "coverage_under",
            day,
            post,
            f"{post} has the staff it needs in every slot of {day_label(day)}",
        )
        model.at_least(
            group,
            staffed,
            need.required,
            amount=hours,
            factor=need.wait_weight,
            message=f"{model.where(day, m)} {model.post_name(post)}: "
            f"{{assigned}} of {need.required} staff, {{n}} short",
            show={"assigned": staffed},
            ds=model.ds(day, m),
        )


def coverage_over(model: RosterModel) -> None:
    """No more staff on a post than it needs (where the requirement frame states a need)."""
    hours = model.step / 60
    for (day, m, post), need in model.prep.needs.items():
        staffed = model.staffed(day, m, post)
        group = _day_group(
            "coverage_over",
            day,
            post,
            f"{post} has no more staff than needed on {day_label(day)}",
        )
        model.at_most(
            group,
            staffed,
            need.required,
            amount=hours,
            message=f"{model.where(day, m)} {model.post_name(post)}: "
            f"{{assigned}} staff for {need.required} needed, {{n}} over",
            show={"assigned": staffed},
            ds=model.ds(day, m),
        )


def post_floor(model: RosterModel) -> None:
    """Posts with a minimum (``floor_required``, ``Post.min_staff``) never fall below it."""
    hours = model.step / 60
    for (day, m, post), need in model.prep.needs.items():
        if need.floor <= 0:
            continue
        staffed = model.staffed(day, m, post)
        group = _day_group(
            "post_floor",
            day,
            post,
            f"at least {need.floor} on {post} in every open slot of {day_label(day)}",
        )
        model.at_least(
            group,
            staffed,
            need.floor,
            amount=hours,
            message=f"{model.where(day, m)} {model.post_name(post)}: {{assigned}} of the "
            f"minimum {need.floor}",
            show={"assigned": staffed},
            ds=model.ds(day, m),
        )


def shift_demand(model: RosterModel) -> None:
    """Fixed needs per shift are met (e.g. two qualified people on the early shift)."""
    for index, demand in enumerate(model.config.shift_demands):
        for day in model.prep.open_days:
            if demand.weekdays and Weekday.of(day) not in demand.weekdays:
                continue
            people = [
                s.id
                for s in model.staff
                if demand.post is None or model.qualified(s.id, day, demand.post)
            ]
            working = sum(model.shift_var(s, day, demand.shift) for s in people)
            who = f"qualified for {demand.post}" if demand.post else "people"
            group = Group(
                "shift_demand",
                f"{demand.min_staff} {who} on the {demand.shift} shift on {day_label(day)}",
                (),
                (day,),
                (demand.post,) if demand.post else (),
                key=(index, day),
            )
            model.at_least(
                group,
                working,  # type: ignore[arg-type]
                demand.min_staff,
                message=f"{day_label(day)} {demand.shift} shift: {{working}} of "
                f"{demand.min_staff} {who}, {{n}} short",
                show={"working": working},  # type: ignore[dict-item]
            )


RULES: tuple[RuleFunction, ...] = (coverage_under, coverage_over, post_floor, shift_demand)
"""The coverage rules, in catalogue order."""
