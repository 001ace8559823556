"""Rules between people and posts: A/B backup pairs (AB角) and incompatible duties."""

from __future__ import annotations

from scheduler.roster.model import Group, RosterModel, RuleFunction
from scheduler.roster.prepare import day_label, day_label_zh
from scheduler.roster.words import Words, name_zh


def ab_backup_pair(model: RosterModel) -> None:
    """A and B of a backup pair are never both absent on an open day."""
    for pair in model.config.backup_pairs:
        a, b = model.name(pair.a), model.name(pair.b)
        post_zh = model.post_name_zh(pair.post)
        for day in model.prep.open_days:
            group = Group(
                "ab_backup_pair",
                Words(
                    f"{a} or {b} (the A/B pair for {model.post_name(pair.post)}) works on "
                    f"{day_label(day)}",
                    f"{day_label_zh(day)} {post_zh}的A/B角 {a}、{b} 至少一人上班",
                ),
                (pair.a, pair.b),
                (day,),
                (pair.post,),
                key=(pair.post, pair.a, pair.b, day),
            )
            model.at_least(
                group,
                model.works(pair.a, day) + model.works(pair.b, day),
                1,
                message=Words(
                    f"{a} and {b}, the A/B pair for {model.post_name(pair.post)}, are both "
                    f"absent on {day_label(day)}",
                    f"{post_zh}的A/B角 {a}、{b} {day_label_zh(day)} 同时缺岗",
                ),
            )


def ab_backup_cover(model: RosterModel) -> None:
    """While A is away for the day, B holds A's post whenever B is present.

    Together with :func:`ab_backup_pair` this puts B on the post the days A does not work.
    """
    hours = model.step / 60
    for pair in model.config.backup_pairs:
        a, b = model.name(pair.a), model.name(pair.b)
        post_zh = model.post_name_zh(pair.post)
        for day in model.prep.open_days:
            group = Group(
                "ab_backup_cover",
                Words(
                    f"{b} holds {model.post_name(pair.post)} while {a} is away on {day_label(day)}",
                    f"{day_label_zh(day)} {a} 不在岗时由 {b} 顶岗{post_zh}",
                ),
                (pair.b,),
                (day,),
                (pair.post,),
                key=(pair.post, pair.a, pair.b, day),
            )
            a_works = model.works(pair.a, day)
            for m in model.slots(day):
                model.at_least(
                    group,
                    model.held(pair.b, day, m, pair.post) + a_works - model.present(pair.b, day, m),
                    0,
                    amount=hours,
                    message=Words(
                        f"{model.where(day, m)}: {a} is away and {b} does not hold "
                        f"{model.post_name(pair.post)}",
                        f"{model.where_zh(day, m)}: {a} 不在岗, {b} 未顶岗{post_zh}",
                    ),
                    ds=model.ds(day, m),
                )


def incompatible_duties(model: RosterModel) -> None:
    """Nobody holds two incompatible posts (不相容岗位) on the same day."""
    for rule in model.config.incompatible_duties:
        first, second = rule.posts
        for person in model.staff:
            for day in model.prep.open_days:
                if not (
                    model.qualified(person.id, day, first)
                    and model.qualified(person.id, day, second)
                ):
                    continue
                uses = []
                for post in (first, second):
                    held = [model.held(person.id, day, m, post) for m in model.slots(day)]
                    held = [h for h in held if not isinstance(h, int)]
                    if not held:
                        break
                    used = model.cp.new_bool_var(f"holds[{person.id},{day},{post}]")
                    for h in held:
                        model.cp.add(h <= used)
                    uses.append(used)
                if len(uses) < 2:
                    continue
                reason = f" ({rule.reason})" if rule.reason else ""
                reason_zh = f" ({name_zh(rule.reason)})" if rule.reason else ""
                both_zh = f"{model.post_name_zh(first)}和{model.post_name_zh(second)}"
                group = Group(
                    "incompatible_duties",
                    Words(
                        f"{person.name} does not hold both {first} and {second} on "
                        f"{day_label(day)}{reason}",
                        f"{person.name} {day_label_zh(day)} 不同时担任{both_zh}{reason_zh}",
                    ),
                    (person.id,),
                    (day,),
                    (first, second),
                    key=(rule.posts, person.id, day),
                )
                model.at_most(
                    group,
                    uses[0] + uses[1],
                    1,
                    message=Words(
                        f"{person.name} holds both {first} and {second} on {day_label(day)}",
                        f"{person.name} {day_label_zh(day)} 同时担任{both_zh} (不相容岗位)",
                    ),
                )


RULES: tuple[RuleFunction, ...] = (ab_backup_pair, ab_backup_cover, incompatible_duties)
"""The pair rules, in catalogue order."""
