"""Staff on each post in each slot, and fixed needs per shift."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from ortools.sat.python import cp_model

from scheduler.domain.config import ShiftDemand
from scheduler.roster.model import Expr, Group, RosterModel, RuleFunction
from scheduler.roster.prepare import day_label, day_label_zh
from scheduler.roster.words import Words


def _day_group(rule: str, day: dt.date, post: str, text: Words) -> Group:
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
            Words(
                f"{model.post_name(post)} has the staff it needs in every slot of {day_label(day)}",
                f"{day_label_zh(day)} {model.post_name_zh(post)}每个时段的人数满足需求",
            ),
        )
        model.at_least(
            group,
            staffed,
            need.required,
            amount=hours,
            factor=need.wait_weight,
            message=Words(
                f"{model.where(day, m)} {model.post_name(post)}: "
                f"{{assigned}} of {need.required} staff, {{n}} short",
                f"{model.where_zh(day, m)} {model.post_name_zh(post)}: "
                f"需要 {need.required} 人, 已排 {{assigned}} 人, 缺 {{n}} 人",
            ),
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
            Words(
                f"{model.post_name(post)} has no more staff than needed on {day_label(day)}",
                f"{day_label_zh(day)} {model.post_name_zh(post)}的人数不超过需求",
            ),
        )
        model.at_most(
            group,
            staffed,
            need.required,
            amount=hours,
            message=Words(
                f"{model.where(day, m)} {model.post_name(post)}: "
                f"{{assigned}} staff for {need.required} needed, {{n}} over",
                f"{model.where_zh(day, m)} {model.post_name_zh(post)}: "
                f"需要 {need.required} 人, 已排 {{assigned}} 人, 多 {{n}} 人",
            ),
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
            Words(
                f"at least {need.floor} on {model.post_name(post)} in every open slot of "
                f"{day_label(day)}",
                f"{day_label_zh(day)} 每个营业时段{model.post_name_zh(post)}至少 {need.floor} 人",
            ),
        )
        model.at_least(
            group,
            staffed,
            need.floor,
            amount=hours,
            message=Words(
                f"{model.where(day, m)} {model.post_name(post)}: {{assigned}} of the "
                f"minimum {need.floor}",
                f"{model.where_zh(day, m)} {model.post_name_zh(post)}: "
                f"已排 {{assigned}} 人, 最少 {need.floor} 人",
            ),
            show={"assigned": staffed},
            ds=model.ds(day, m),
        )


def _demanded(
    model: RosterModel, applies: Callable[[ShiftDemand], bool]
) -> Iterator[tuple[int, ShiftDemand, dt.date, Expr, Words]]:
    """Each demand ``applies`` keeps, on each open day it is stated for.

    Yields its index, the demand, the day, the people working its shift (qualified for its
    post, if any) and who they are in words.
    """
    for index, demand in enumerate(model.config.shift_demands):
        if not applies(demand):
            continue
        for day in model.prep.open_days:
            if not demand.applies(day):
                continue
            people = [
                s.id
                for s in model.staff
                if demand.post is None or model.qualified(s.id, day, demand.post)
            ]
            parts = [model.shift_var(s, day, demand.shift) for s in people]
            working = cp_model.LinearExpr.sum([p for p in parts if not isinstance(p, int)])
            who = (
                Words(
                    f"qualified for {demand.post}",
                    f"具备{model.post_name_zh(demand.post)}资格的员工",
                )
                if demand.post
                else Words("people", "员工")
            )
            yield index, demand, day, working, who


def shift_demand(model: RosterModel) -> None:
    """Fixed needs per shift are met (e.g. two qualified people on the early shift).

    When soft, each person short costs the demand's ``under_weight`` (the rule's weight
    when it gives none).
    """
    for index, demand, day, working, who in _demanded(model, lambda d: d.min_staff > 0):
        shift = model.shift_name_zh(demand.shift)
        group = Group(
            "shift_demand",
            Words(
                f"{demand.min_staff} {who.en} on the {demand.shift} shift on {day_label(day)}",
                f"{day_label_zh(day)} {shift}至少 {demand.min_staff} 名{who.zh}",
            ),
            (),
            (day,),
            (demand.post,) if demand.post else (),
            key=(index, day),
        )
        model.at_least(
            group,
            working,
            demand.min_staff,
            weight=demand.under_weight,
            message=Words(
                f"{day_label(day)} {demand.shift} shift: {{working}} of "
                f"{demand.min_staff} {who.en}, {{n}} short",
                f"{day_label_zh(day)} {shift}: {who.zh}需要 {demand.min_staff} 人, "
                f"已排 {{working}} 人, 缺 {{n}} 人",
            ),
            show={"working": working},
        )


def shift_demand_over(model: RosterModel) -> None:
    """No more people work a shift than its demand's ``max_staff``.

    When soft, each person over costs the demand's ``over_weight`` (the rule's weight when it
    gives none).
    """
    for index, demand, day, working, who in _demanded(model, lambda d: d.max_staff is not None):
        most = int(demand.max_staff or 0)
        shift = model.shift_name_zh(demand.shift)
        group = Group(
            "shift_demand_over",
            Words(
                f"at most {most} {who.en} on the {demand.shift} shift on {day_label(day)}",
                f"{day_label_zh(day)} {shift}至多 {most} 名{who.zh}",
            ),
            (),
            (day,),
            (demand.post,) if demand.post else (),
            key=(index, day),
        )
        model.at_most(
            group,
            working,
            most,
            weight=demand.over_weight,
            message=Words(
                f"{day_label(day)} {demand.shift} shift: {{working}} {who.en} for "
                f"{most} wanted, {{n}} over",
                f"{day_label_zh(day)} {shift}: {who.zh}最多 {most} 人, "
                f"已排 {{working}} 人, 多 {{n}} 人",
            ),
            show={"working": working},
        )


RULES: tuple[RuleFunction, ...] = (
    coverage_under,
    coverage_over,
    post_floor,
    shift_demand,
    shift_demand_over,
)
"""The coverage rules, in catalogue order."""
