"""Hard-rule checks written from the rules' business meaning, one function per rule."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable

import pandas as pd

from scheduler.domain import BranchConfig
from scheduler.frames import ASSIGNMENT_COLUMNS, check_columns
from scheduler.roster.request import RosterRequest
from scheduler.verify.report import VerificationReport, Violation


def _minutes(value: object) -> int:
    """Minutes since midnight of a ``datetime.time`` or an "HH:MM" string."""
    if isinstance(value, dt.time):
        return value.hour * 60 + value.minute
    hours, minutes = str(value).split(":")[:2]
    return int(hours) * 60 + int(minutes)


def _day(value: object) -> dt.date:
    return pd.Timestamp(value).date()  # type: ignore[arg-type]


def _work_rows(assignments: pd.DataFrame) -> pd.DataFrame:
    """Rows where the person is paid (on a post or free), with minute columns added."""
    rows = assignments[assignments["activity"] != "break"].copy()
    rows["day"] = [_day(v) for v in rows["date"]]
    rows["m0"] = [_minutes(v) for v in rows["start"]]
    rows["m1"] = [_minutes(v) for v in rows["end"]]
    return rows


def qualification_valid(config: BranchConfig, assignments: pd.DataFrame) -> Iterable[Violation]:
    """Nobody holds a post without a qualification valid on that date."""
    rows = _work_rows(assignments)
    for r in rows[rows["activity"] == "post"].itertuples():
        person = config.person(str(r.staff_id))
        if not person.qualified_for(str(r.post), r.day):
            yield Violation(
                "qualification",
                person.id,
                r.day,
                str(r.start),
                str(r.post),
                f"{person.name} holds {r.post} on {r.day} without a valid qualification.",
            )


def one_post_at_a_time(config: BranchConfig, assignments: pd.DataFrame) -> Iterable[Violation]:
    """A person is in at most one place (post, free time or break) at any moment."""
    rows = assignments.copy()
    rows["day"] = [_day(v) for v in rows["date"]]
    rows["m0"] = [_minutes(v) for v in rows["start"]]
    rows["m1"] = [_minutes(v) for v in rows["end"]]
    for (staff_id, day), group in rows.sort_values("m0").groupby(["staff_id", "day"]):
        ordered = list(group.itertuples())
        for before, after in itertools.pairwise(ordered):
            if after.m0 < before.m1:
                yield Violation(
                    "one_post_per_slot",
                    str(staff_id),
                    day,  # type: ignore[arg-type]
                    str(after.start),
                    str(after.post),
                    f"{config.person(str(staff_id)).name} is booked twice on {day} "
                    f"at {after.start}.",
                )


def max_hours_per_day(config: BranchConfig, assignments: pd.DataFrame) -> Iterable[Violation]:
    """Paid hours in a day stay within the labour rules' daily limit."""
    limit = config.labour.max_hours_per_day * 60
    rows = _work_rows(assignments)
    rows["minutes"] = rows["m1"] - rows["m0"]
    for (staff_id, day), minutes in rows.groupby(["staff_id", "day"])["minutes"].sum().items():
        if minutes > limit:
            yield Violation(
                "max_hours_per_day",
                str(staff_id),
                day,
                None,
                None,
                f"{config.person(str(staff_id)).name} works {minutes / 60:g} h on {day}, "
                f"more than {limit / 60:g} h.",
            )


def max_hours_per_week(config: BranchConfig, assignments: pd.DataFrame) -> Iterable[Violation]:
    """Paid hours in a Monday-Sunday week stay within the weekly limit."""
    limit = config.labour.max_hours_per_week * 60
    rows = _work_rows(assignments)
    rows["minutes"] = rows["m1"] - rows["m0"]
    rows["monday"] = [d - dt.timedelta(days=d.weekday()) for d in rows["day"]]
    totals = rows.groupby(["staff_id", "monday"])["minutes"].sum()
    for (staff_id, monday), minutes in totals.items():
        if minutes > limit:
            yield Violation(
                "max_hours_per_week",
                str(staff_id),
                monday,
                None,
                None,
                f"{config.person(str(staff_id)).name} works {minutes / 60:g} h in the week "
                f"of {monday}, more than {limit / 60:g} h.",
            )


RULES: tuple[Callable[[BranchConfig, pd.DataFrame], Iterable[Violation]], ...] = (
    qualification_valid,
    one_post_at_a_time,
    max_hours_per_day,
    max_hours_per_week,
)
"""The hard-rule checks, in order."""


def verify_roster(request: RosterRequest, assignments: pd.DataFrame) -> VerificationReport:
    """Re-check a roster against the hard rules, straight from the branch configuration.

    Args:
        request: What the roster was asked to satisfy.
        assignments: The roster (:data:`scheduler.frames.ASSIGNMENT_COLUMNS`).

    Returns:
        Every violation found, and the names of the rules checked.
    """
    check_columns(assignments, ASSIGNMENT_COLUMNS, "assignments")
    found: list[Violation] = []
    for rule in RULES:
        found.extend(rule(request.config, assignments))
    return VerificationReport(tuple(found), tuple(r.__name__ for r in RULES))
