"""Rules that define what a roster is: qualifications, one place at a time, availability, pins."""

from __future__ import annotations

from scheduler.domain import RuleMode
from scheduler.roster.model import Group, RosterModel, RuleFunction
from scheduler.roster.prepare import clock, day_label, day_label_zh, overlap
from scheduler.roster.words import Words


def qualification(model: RosterModel) -> None:
    """Nobody holds a post without a qualification valid on that date (任职资格).

    The model only makes a post variable for a person qualified that day, so the rule holds by
    construction; this function reports the posts that need staff on a day when nobody in the
    branch holds a valid qualification for them, naming expired qualifications.
    """
    short: dict[tuple[str, object], float] = {}
    for (day, _, post), need in model.prep.needs.items():
        if (need.required or need.floor) and not any(
            model.qualified(s.id, day, post) for s in model.staff
        ):
            short[(post, day)] = short.get((post, day), 0.0) + need.required * model.step / 60
    for (post, day), hours in short.items():
        expired = [
            (s.name, q.valid_to)
            for s in model.staff
            for q in s.qualifications
            if q.post == post and q.valid_to is not None and q.valid_to < day  # type: ignore[operator]
        ]
        note = "; ".join(f"{name}'s expired on {end}" for name, end in expired)
        note_zh = "; ".join(f"{name}: 资格已于 {end} 到期" for name, end in expired)
        model.warnings.append(
            Words(
                f"nobody is qualified for {model.post_name(post)} on {day_label(day)}"  # type: ignore[arg-type]
                f"{f' ({note})' if expired else ''}: {hours:g} staff-hours will be short",
                f"{day_label_zh(day)} 没有人具备{model.post_name_zh(post)}资格"  # type: ignore[arg-type]
                f"{f' ({note_zh})' if expired else ''}: 将缺 {hours:g} 人时",
            )
        )


def one_post_per_slot(model: RosterModel) -> None:
    """A person holds at most one post in a slot, only inside their shift and outside the break.

    With a single post in play the post is held exactly when the person is present, so no
    constraint is needed.
    """
    if not model.hourly:
        return
    by_slot: dict[tuple[str, object, int], list] = {}
    for (staff_id, day, minute, _), var in model.assign.items():
        by_slot.setdefault((staff_id, day, minute), []).append(var)
    for (staff_id, day, minute), held in by_slot.items():
        model.cp.add(sum(held) <= model.present(staff_id, day, minute))  # type: ignore[arg-type]


def availability(model: RosterModel) -> None:
    """Nobody works on approved leave, in an unavailable window or outside declared windows.

    When the rule is hard the model never offers such a shift (or break placement), which keeps
    the model small; when soft, each paid hour in a forbidden window is penalised.
    """
    if model.setting("availability").mode != RuleMode.SOFT:
        return
    for (staff_id, day), forbidden in model.prep.forbidden.items():
        reasons = model.prep.absences.get((staff_id, day), ())
        why = ", ".join(a.reason for a in reasons) or "unavailable"
        why_zh = "、".join(a.reason_zh for a in reasons) or "不可上班"
        for option in model.options.get((staff_id, day), ()):
            t = option.template
            length = t.break_rule.minutes if t.break_rule else 0
            placements = option.breaks or ((None, option.var),)
            for start, literal in placements:
                minutes = overlap(forbidden, t.start_minute, t.end_minute)
                if start is not None:
                    minutes -= overlap(forbidden, start, start + length)
                if minutes <= 0:
                    continue
                model.penalty(
                    "availability",
                    literal,
                    amount=minutes / 60,
                    message=Words(
                        f"{model.name(staff_id)} works {minutes / 60:g} h of the "
                        f"{t.id} shift on {day_label(day)} while {why}",
                        f"{model.name(staff_id)} {day_label_zh(day)} 上"
                        f"{model.shift_name_zh(t.id)}, 其中 {minutes / 60:g} 小时不可上班 "
                        f"({why_zh})",
                    ),
                    staff_id=staff_id,
                    date=day,
                )


def pinned_assignment(model: RosterModel) -> None:
    """Assignments the manager fixed by hand are kept: a day off, a shift, or a post."""
    for index, pin in enumerate(model.request.pins):
        s, day, name = pin.staff_id, pin.date, model.name(pin.staff_id)
        day_zh = day_label_zh(day)
        if pin.off:
            group = Group(
                "pinned_assignment",
                Words(
                    f"{name} is pinned off on {day_label(day)}", f"固定安排: {name} {day_zh} 休息"
                ),
                (s,),
                (day,),
                key=(index,),
            )
            message = Words(
                f"{name} works on {day_label(day)} despite the day off pinned",
                f"{name} {day_zh} 固定休息, 却被排了班",
            )
            model.at_most(group, model.works(s, day), 0, message=message)
            continue
        window = (
            f"{clock(pin.start.hour * 60 + pin.start.minute)}-"
            f"{clock(pin.end.hour * 60 + pin.end.minute)}"  # type: ignore[union-attr]
            if pin.start is not None
            else ""
        )
        what = " ".join(
            x
            for x in (
                f"on the {pin.shift} shift" if pin.shift else "",
                f"on {model.post_name(pin.post)}" if pin.post else "",
                window,
            )
            if x
        )
        what_zh = " ".join(
            x
            for x in (
                f"上{model.shift_name_zh(pin.shift)}" if pin.shift else "",
                window,
                f"担任{model.post_name_zh(pin.post)}" if pin.post else "",
            )
            if x
        )
        group = Group(
            "pinned_assignment",
            Words(
                f"{name} is pinned {what} on {day_label(day)}",
                f"固定安排: {name} {day_zh} {what_zh}",
            ),
            (s,),
            (day,),
            (pin.post,) if pin.post else (),
            key=(index,),
        )
        message = Words(
            f"pin not kept: {name} {what} on {day_label(day)}",
            f"未按固定安排: {name} {day_zh} {what_zh}",
        )
        if pin.shift is not None:
            model.at_least(group, model.shift_var(s, day, pin.shift), 1, message=message)
        if pin.post is None:
            continue
        if not model.qualified(s, day, pin.post):
            unqualified = Words(
                f"{message.en}: not qualified for {pin.post}",
                f"{message.zh}: 不具备{model.post_name_zh(pin.post)}资格",
            )
            model.at_least(group, 0, 1, message=unqualified)
            continue
        if pin.start is not None and pin.end is not None:
            lo = pin.start.hour * 60 + pin.start.minute
            hi = pin.end.hour * 60 + pin.end.minute
            for m in model.slots(day):
                if lo <= m and m + model.step <= hi:
                    model.at_least(
                        group,
                        model.held(s, day, m, pin.post),
                        1,
                        message=Words(f"{message.en} ({clock(m)})", f"{message.zh} ({clock(m)})"),
                        amount=model.step / 60,
                        ds=model.ds(day, m),
                    )
        else:
            model.at_least(group, model.works(s, day), 1, message=message)
            for m in model.slots(day):
                model.at_least(
                    group,
                    model.held(s, day, m, pin.post) - model.present(s, day, m),
                    0,
                    message=Words(f"{message.en} ({clock(m)})", f"{message.zh} ({clock(m)})"),
                    amount=model.step / 60,
                    ds=model.ds(day, m),
                )


RULES: tuple[RuleFunction, ...] = (
    qualification,
    one_post_per_slot,
    availability,
    pinned_assignment,
)
"""The core rules, in catalogue order."""
