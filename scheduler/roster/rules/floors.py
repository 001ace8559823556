"""Floors every branch has: a manager on duty, an authoriser while tellers work, dual control."""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.domain import DualControlMoment
from scheduler.roster.model import Group, RosterModel, RuleFunction
from scheduler.roster.prepare import clock, day_label, day_label_zh
from scheduler.roster.words import Words, name_zh

MOMENTS_ZH = {DualControlMoment.OPENING: "开门", DualControlMoment.CLOSING: "关门"}
"""The moments of a dual-control task in Chinese."""


def manager_on_duty(model: RosterModel) -> None:
    """In every open slot enough people qualified for a duty post are on shift (not on break).

    The person need not hold the post: a head working the lobby still counts as on duty.
    """
    hours = model.step / 60
    for index, rule in enumerate(model.config.duty_cover):
        for day in model.prep.open_days:
            people = [
                s.id
                for s in model.staff
                if any(model.qualified(s.id, day, p) for p in rule.qualified_posts)
            ]
            duty = name_zh(rule.name)
            group = Group(
                "manager_on_duty",
                Words(
                    f"{rule.name}: {rule.people} of "
                    f"{', '.join(model.name(s) for s in people) or 'nobody qualified'} "
                    f"on duty (on shift and not on a break) in every open hour of "
                    f"{day_label(day)}",
                    f"{duty}: {day_label_zh(day)} 每个营业小时 "
                    f"{'、'.join(model.name(s) for s in people) or '(无合格人员)'} 中至少 "
                    f"{rule.people} 人在岗 (在班且不在休息)",
                ),
                tuple(people),
                (day,),
                tuple(rule.qualified_posts),
                key=(index, day),
            )
            for m in model.slots(day):
                on_duty = (
                    cp_model.LinearExpr.sum([model.present(s, day, m) for s in people])
                    if people
                    else 0
                )
                model.at_least(
                    group,
                    on_duty,
                    rule.people,
                    amount=hours,
                    message=Words(
                        f"{model.where(day, m)} {rule.name}: {{present}} of {rule.people} "
                        "qualified people on duty",
                        f"{model.where_zh(day, m)} {duty}: 合格人员在岗 {{present}} 人, "
                        f"需要 {rule.people} 人",
                    ),
                    show={"present": on_duty},
                    ds=model.ds(day, m),
                )


def authoriser_present(model: RosterModel) -> None:
    """Whenever a supervised post (a teller) is held, someone holds the authoriser post."""
    hours = model.step / 60
    for index, rule in enumerate(model.config.authorisers):
        for day in model.prep.open_days:
            group = Group(
                "authoriser_present",
                Words(
                    f"someone holds {model.post_name(rule.post)} whenever "
                    f"{', '.join(model.post_name(p) for p in rule.supervises)} is held on "
                    f"{day_label(day)}",
                    f"{day_label_zh(day)} 只要有人担任"
                    f"{'、'.join(model.post_name_zh(p) for p in rule.supervises)}, "
                    f"就有人担任{model.post_name_zh(rule.post)}授权",
                ),
                (),
                (day,),
                (rule.post, *rule.supervises),
                key=(index, day),
            )
            for m in model.slots(day):
                tellers = [
                    held
                    for p in rule.supervises
                    for s in model.holders(day, m, p)
                    if not isinstance(held := model.held(s, day, m, p), int)
                ]
                if not tellers:
                    continue
                # One literal per slot bounded by every teller (a tight formulation: the LP
                # bound stays strong, unlike "sum of tellers <= n x busy").
                busy = model.cp.new_bool_var(f"supervised[{rule.post},{day},{clock(m)}]")
                for held in tellers:
                    model.cp.add(held <= busy)
                authorisers = model.staffed(day, m, rule.post)
                model.at_least(
                    group,
                    authorisers - busy,
                    0,
                    amount=hours,
                    message=Words(
                        f"{model.where(day, m)}: tellers work but nobody holds "
                        f"{model.post_name(rule.post)} to authorise",
                        f"{model.where_zh(day, m)}: 柜员在岗, 但无人担任"
                        f"{model.post_name_zh(rule.post)}授权",
                    ),
                    ds=model.ds(day, m),
                )


def dual_control(model: RosterModel) -> None:
    """At opening and closing, enough qualified people are on shift together (双人管库)."""
    for index, rule in enumerate(model.config.dual_control):
        for day in model.prep.open_days:
            opens, closes = model.prep.hours[day]
            people = [
                s.id
                for s in model.staff
                if any(model.qualified(s.id, day, p) for p in rule.qualified_posts)
            ]
            for moment in rule.at:
                if moment == DualControlMoment.OPENING:
                    lo, hi = opens, min(closes, opens + rule.minutes)
                else:
                    lo, hi = max(opens, closes - rule.minutes), closes
                task = f"{name_zh(rule.name)}{MOMENTS_ZH[moment]} ({clock(lo)}-{clock(hi)})"
                qualified_zh = "或".join(model.post_name_zh(p) for p in rule.qualified_posts)
                group = Group(
                    "dual_control",
                    Words(
                        f"{rule.people} people qualified for {' or '.join(rule.qualified_posts)} "
                        f"on duty together for the {rule.name} at {moment.value} "
                        f"({clock(lo)}-{clock(hi)}) on {day_label(day)}",
                        f"{day_label_zh(day)} {task} 需 {rule.people} 名具备{qualified_zh}资格的"
                        "人员同时在岗",
                    ),
                    tuple(people),
                    (day,),
                    tuple(rule.qualified_posts),
                    key=(index, moment.value, day),
                )
                on_duty = [model.on_duty_during(s, day, lo, hi) for s in people]
                total = cp_model.LinearExpr.sum(on_duty) if on_duty else 0
                model.at_least(
                    group,
                    total,
                    rule.people,
                    message=Words(
                        f"{day_label(day)} {rule.name} {moment.value} "
                        f"({clock(lo)}-{clock(hi)}): {{present}} of {rule.people} qualified "
                        "people on duty",
                        f"{day_label_zh(day)} {task}: 合格人员在岗 {{present}} 人, "
                        f"需要 {rule.people} 人",
                    ),
                    show={"present": total},
                )


RULES: tuple[RuleFunction, ...] = (manager_on_duty, authoriser_present, dual_control)
"""The floor rules, in catalogue order."""
