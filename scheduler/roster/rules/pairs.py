"""Rules between people and posts: A/B backup pairs (AB角) and incompatible duties."""

from __future__ import annotations

from scheduler.roster.model import Group, RosterModel, RuleFunction
from scheduler.roster.prepare import day_label


def ab_backup_pair(model: RosterModel) -> None:
    """A and B of a backup pair are never both absent on an open day."""
    for pair in model.config.backup_pairs:
        a, b = model.name(pair.a), model.name(pair.b)
        for day in model.prep.open_days:
            group = Group(
                "ab_backup_pair",
                f"{a} or {b} (the A/B pair for {model.post_name(pair.post)}) works on "
                f"{day_label(day)}",
                (pair.a, pair.b),
                (day,),
                (pair.post,),
                key=(pair.post, pair.a, pair.b, day),
            )
            model.at_least(
                group,
                model.works(pair.a, day) + model.works(pair.b, day),
                1,
                message=f"{a} and {b}, the A/B pair for {model.post_name(pair.post)}, are both "
                f"absent on {day_label(day)}",
            )


def ab_backup_cover(model: RosterModel) -> None:
    """While A is away for the day, B holds A's post whenever B is present.

    Together with :func:`ab_backup_pair` this puts B on the post the days A does not work.
    """
    hours = model.step / 60
    for pair in model.config.backup_pairs:
        a, b = model.name(pair.a), model.name(pair.b)
        for day in model.prep.open_days:
            group = Group(
                "ab_backup_cover",
                f"{b} holds {model.post_name(pair.post)} while {a} is away on {day_label(day)}",
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
                    message=f"{model.where(day, m)}: {a} is away and {b} does not hold "
                    f"{model.post_name(pair.post)}",
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
                group = Group(
                    "incompatible_duties",
                    f"{person.name} does not hold both {first} and {second} on "
                    f"{day_label(day)}{reason}",
                    (person.id,),
                    (day,),
                    (first, second),
                    key=(rule.posts, person.id, day),
                )
                model.at_most(
                    group,
                    uses[0] + uses[1],
                    1,
                    message=f"{person.name} holds both {first} and {second} on {day_label(day)}",
                )


RULES: tuple[RuleFunction, ...] = (ab_backup_pair, ab_backup_cover, incompatible_duties)
"""The pair rules, in catalogue order."""
