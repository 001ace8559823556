"""People who work together or apart: trainees with mentors, never alone together.

Rules registered from this module: mentor_present, not_alone_together.
"""

from __future__ import annotations

import datetime as dt
import itertools

from ortools.sat.python import cp_model

from scheduler.roster.model import Group, RosterModel, RuleFunction
from scheduler.roster.prepare import clock, day_label, day_label_zh
from scheduler.roster.words import Words


def mentor_pairs(model: RosterModel) -> list[tuple[str, str]]:
    """(trainee, mentor) pairs from ``config.mentors`` and ``Staff.trainee_of``, once each."""
    pairs = [(m.trainee, m.mentor) for m in model.config.mentors]
    pairs += [(s.id, s.trainee_of) for s in model.staff if s.trainee_of is not None]
    return list(dict.fromkeys(pairs))


def _cut_points(model: RosterModel, people: tuple[str, ...], day: dt.date) -> list[int]:
    """Every minute where someone's shift or break may start or end on ``day``."""
    points: set[int] = set()
    for staff_id in people:
        for option in model.options.get((staff_id, day), ()):
            t = option.template
            points |= {t.start_minute, t.end_minute}
            length = t.break_rule.minutes if t.break_rule else 0
            for start, _ in option.breaks:
                points |= {start, start + length}
    return sorted(points)


def mentor_present(model: RosterModel) -> None:
    """A trainee works only while the mentor is on duty (on shift and not on break).

    The day is cut at every minute where either person's shift or break can start or end;
    inside each piece the trainee working implies the mentor working, so the check is exact
    to the minute, time before opening included.
    """
    for trainee, mentor in mentor_pairs(model):
        t_name, m_name = model.name(trainee), model.name(mentor)
        for day in model.prep.open_days:
            if not model.options.get((trainee, day)):
                continue
            group = Group(
                "mentor_present",
                Words(
                    f"{t_name} (trainee) works only while {m_name} (mentor) is on duty on "
                    f"{day_label(day)}",
                    f"{day_label_zh(day)} 见习员工 {t_name} 只在师傅 {m_name} 在岗时上班",
                ),
                (trainee, mentor),
                (day,),
                key=(trainee, mentor, day),
            )
            for lo, hi in itertools.pairwise(_cut_points(model, (trainee, mentor), day)):
                works = model.on_duty_during(trainee, day, lo, hi)
                if isinstance(works, int):
                    continue
                model.at_least(
                    group,
                    model.on_duty_during(mentor, day, lo, hi) - works,
                    0,
                    amount=(hi - lo) / 60,
                    message=Words(
                        f"{day_label(day)} {clock(lo)}-{clock(hi)}: {t_name} (trainee) "
                        f"works without {m_name} (mentor) on duty",
                        f"{day_label_zh(day)} {clock(lo)}-{clock(hi)}: 见习员工 {t_name} 上班时"
                        f"师傅 {m_name} 不在岗",
                    ),
                    ds=model.ds(day, lo),
                )


def not_alone_together(model: RosterModel) -> None:
    """Two named people are never the only two holding a post (the named one, or any) in a slot.

    Whenever both hold the post, a third person holds it too: ``a + b - others <= 1``.
    """
    hours = model.step / 60
    for index, rule in enumerate(model.config.not_alone_together):
        a, b = rule.staff
        a_name, b_name = model.name(a), model.name(b)
        posts = [p for p in model.posts if rule.post is None or p == rule.post]
        for day in model.prep.open_days:
            for post in posts:
                group = Group(
                    "not_alone_together",
                    Words(
                        f"{a_name} and {b_name} are never alone together on "
                        f"{model.post_name(post)} on {day_label(day)}",
                        f"{day_label_zh(day)} {a_name}、{b_name} 不单独两人同在"
                        f"{model.post_name_zh(post)}",
                    ),
                    (a, b),
                    (day,),
                    (post,),
                    key=(index, day, post),
                )
                for m in model.slots(day):
                    held_a = model.held(a, day, m, post)
                    held_b = model.held(b, day, m, post)
                    if isinstance(held_a, int) or isinstance(held_b, int):
                        continue
                    others = [
                        model.held(s, day, m, post)
                        for s in model.holders(day, m, post)
                        if s not in (a, b)
                    ]
                    rest = cp_model.LinearExpr.sum(others) if others else 0
                    model.at_most(
                        group,
                        held_a + held_b - rest,
                        1,
                        amount=hours,
                        message=Words(
                            f"{model.where(day, m)} {model.post_name(post)}: {a_name} and "
                            f"{b_name} hold it alone together",
                            f"{model.where_zh(day, m)} {model.post_name_zh(post)}: 只有 "
                            f"{a_name}、{b_name} 两人单独在岗",
                        ),
                        ds=model.ds(day, m),
                    )


RULES: tuple[RuleFunction, ...] = (mentor_present, not_alone_together)
"""The rule functions of this module, in catalogue order."""
