"""Hard-rule checks written from the rules' business meaning, one function per rule."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable

import pandas as pd

from scheduler.calendar import BranchCalendar
from scheduler.domain import AvailabilityKind
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


def qualification_valid(request: RosterRequest, assignments: pd.DataFrame) -> Iterable[Violation]:
    """Nobody holds a post without a qualification valid on that date."""
    config = request.config
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


def one_post_at_a_time(request: RosterRequest, assignments: pd.DataFrame) -> Iterable[Violation]:
    """A person is in at most one place (post, free time or break) at any moment."""
    config = request.config
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


def max_hours_per_day(request: RosterRequest, assignments: pd.DataFrame) -> Iterable[Violation]:
    """Paid hours in a day stay within the labour rules' daily limit."""
    config = request.config
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


def max_hours_per_week(request: RosterRequest, assignments: pd.DataFrame) -> Iterable[Violation]:
    """Paid hours in a Monday-Sunday week stay within the weekly limit."""
    config = request.config
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


def availability_and_leave(
    request: RosterRequest, assignments: pd.DataFrame
) -> Iterable[Violation]:
    """Nobody works on approved leave, in an unavailable window, or outside a declared window.

    A person who declared "available" windows on a date may work only inside them that date.
    """
    config = request.config
    avail = request.availability
    rows = _work_rows(assignments)
    for r in rows.itertuples():
        staff_id, day, m0, m1 = str(r.staff_id), r.day, int(r.m0), int(r.m1)
        name = config.person(staff_id).name
        if any(lv.approved and lv.staff_id == staff_id and lv.covers(day) for lv in avail.leave):
            yield Violation(
                "availability",
                staff_id,
                day,
                str(r.start),
                r.post,
                f"{name} works on {day} while on leave.",
            )
            continue
        entries = [e for e in avail.entries if e.staff_id == staff_id and e.date == day]
        for e in entries:
            lo, hi = e.minutes
            if e.kind == AvailabilityKind.UNAVAILABLE and m0 < hi and lo < m1:
                yield Violation(
                    "availability",
                    staff_id,
                    day,
                    str(r.start),
                    r.post,
                    f"{name} works {r.start}-{r.end} on {day} but declared that time unavailable.",
                )
        windows = [e.minutes for e in entries if e.kind == AvailabilityKind.AVAILABLE]
        if windows and not any(lo <= m0 and m1 <= hi for lo, hi in windows):
            yield Violation(
                "availability",
                staff_id,
                day,
                str(r.start),
                r.post,
                f"{name} works {r.start}-{r.end} on {day}, outside the declared available windows.",
            )


def min_rest_between_shifts(
    request: RosterRequest, assignments: pd.DataFrame
) -> Iterable[Violation]:
    """Between the end of one working day and the start of the next lie at least the rest hours."""
    config = request.config
    need = config.labour.min_rest_hours * 60
    rows = _work_rows(assignments)
    spans = rows.groupby(["staff_id", "day"]).agg(m0=("m0", "min"), m1=("m1", "max")).reset_index()
    for staff_id, group in spans.sort_values("day").groupby("staff_id"):
        days = list(group.itertuples())
        for before, after in itertools.pairwise(days):
            gap_days = (after.day - before.day).days
            rest = gap_days * 24 * 60 + after.m0 - before.m1
            if gap_days == 1 and rest < need:
                yield Violation(
                    "min_rest",
                    str(staff_id),
                    after.day,
                    None,
                    None,
                    f"{config.person(str(staff_id)).name} rests only {rest / 60:g} h before "
                    f"{after.day}, less than {need / 60:g} h.",
                )


def min_days_off_per_week(request: RosterRequest, assignments: pd.DataFrame) -> Iterable[Violation]:
    """Each person has the least number of full days off in every whole week of the horizon."""
    config = request.config
    need = config.labour.min_days_off_per_week
    days = list(request.horizon.dates)
    rows = _work_rows(assignments)
    worked = rows.groupby("staff_id")["day"].agg(lambda d: set(d))
    mondays = sorted({d - dt.timedelta(days=d.weekday()) for d in days})
    for staff_id, wdays in worked.items():
        for monday in mondays:
            week = [monday + dt.timedelta(days=i) for i in range(7)]
            if not all(d in days for d in week):
                continue
            off = sum(1 for d in week if d not in wdays)
            if off < need:
                yield Violation(
                    "min_days_off",
                    str(staff_id),
                    monday,
                    None,
                    None,
                    f"{config.person(str(staff_id)).name} has {off} day(s) off in the week of "
                    f"{monday}, fewer than {need}.",
                )


def _worked_days(assignments: pd.DataFrame) -> dict[str, set[dt.date]]:
    rows = _work_rows(assignments)
    return {str(k): set(v) for k, v in rows.groupby("staff_id")["day"]}


def max_consecutive_days(request: RosterRequest, assignments: pd.DataFrame) -> Iterable[Violation]:
    """Nobody works more days in a row than the labour rules (or their own limit) allow."""
    config = request.config
    for staff_id, days in _worked_days(assignments).items():
        limit = config.limit(config.person(staff_id), "max_consecutive_days")
        run = 0
        for day in sorted(days):
            run = run + 1 if day - dt.timedelta(days=1) in days else 1
            if run == limit + 1:
                yield Violation(
                    "max_consecutive_days",
                    staff_id,
                    day,
                    None,
                    None,
                    f"{config.person(staff_id).name} works {run} days in a row up to {day}, "
                    f"more than {limit}.",
                )


def max_weekends_worked(request: RosterRequest, assignments: pd.DataFrame) -> Iterable[Violation]:
    """Nobody works on more weekends (any Saturday or Sunday worked) than allowed."""
    config = request.config
    for staff_id, days in _worked_days(assignments).items():
        limit = config.limit(config.person(staff_id), "max_weekends_worked")
        if limit is None:
            continue
        weekends = sorted(
            {d - dt.timedelta(days=d.weekday() - 5) for d in days if d.weekday() >= 5}
        )
        if len(weekends) > limit:
            yield Violation(
                "max_weekends",
                staff_id,
                weekends[-1],
                None,
                None,
                f"{config.person(staff_id).name} works {len(weekends)} weekends, "
                f"more than {limit}.",
            )


def incompatible_duties(request: RosterRequest, assignments: pd.DataFrame) -> Iterable[Violation]:
    """Nobody holds two incompatible posts (不相容岗位) on the same day."""
    config = request.config
    rows = _work_rows(assignments)
    held = rows[rows["activity"] == "post"].groupby(["staff_id", "day"])["post"]
    for (staff_id, day), posts in held:
        have = set(posts)
        for rule in config.incompatible_duties:
            first, second = rule.posts
            if first in have and second in have:
                yield Violation(
                    "incompatible_duties",
                    str(staff_id),
                    day,  # type: ignore[arg-type]
                    None,
                    f"{first}+{second}",
                    f"{config.person(str(staff_id)).name} holds both {first} and {second} on "
                    f"{day}; these duties must be separated.",
                )


def _covered(blocks: list[tuple[int, int]], lo: int, hi: int) -> bool:
    """Whether the union of ``blocks`` covers the interval ``[lo, hi)``."""
    at = lo
    for b0, b1 in sorted(blocks):
        if b0 > at:
            break
        at = max(at, b1)
        if at >= hi:
            return True
    return at >= hi


def mentor_present(request: RosterRequest, assignments: pd.DataFrame) -> Iterable[Violation]:
    """A trainee works only while their mentor is on shift (breaks excepted for neither)."""
    config = request.config
    rows = _work_rows(assignments)
    for pair in config.mentors:
        mentor = rows[rows["staff_id"] == pair.mentor]
        shift: dict[dt.date, list[tuple[int, int]]] = {}
        for r in mentor.itertuples():
            shift.setdefault(r.day, []).append((int(r.m0), int(r.m1)))
        for r in rows[rows["staff_id"] == pair.trainee].itertuples():
            if not _covered(shift.get(r.day, []), int(r.m0), int(r.m1)):
                yield Violation(
                    "mentor_present",
                    pair.trainee,
                    r.day,
                    str(r.start),
                    r.post,
                    f"{config.person(pair.trainee).name} works {r.start}-{r.end} on {r.day} "
                    f"without their mentor {config.person(pair.mentor).name} on duty.",
                )


def duty_cover(request: RosterRequest, assignments: pd.DataFrame) -> Iterable[Violation]:
    """In every open slot enough qualified people are on duty (e.g. a manager on duty).

    A person counts when they are on shift and not on break for the whole slot and hold a
    valid qualification for one of the rule's posts that day.
    """
    config = request.config
    calendar = BranchCalendar(config.branch)
    step = config.branch.slot_minutes
    rows = _work_rows(assignments)
    for rule in config.duty_cover:
        for day in calendar.open_days(request.horizon):
            todays = rows[rows["day"] == day]
            blocks: dict[str, list[tuple[int, int]]] = {}
            for r in todays.itertuples():
                person = config.person(str(r.staff_id))
                if any(person.qualified_for(p, day) for p in rule.qualified_posts):
                    blocks.setdefault(person.id, []).append((int(r.m0), int(r.m1)))
            for start in calendar.slots(day):
                m0 = start.hour * 60 + start.minute
                present = sum(1 for b in blocks.values() if _covered(b, m0, m0 + step))
                if present < rule.people:
                    yield Violation(
                        "duty_cover",
                        None,
                        day,
                        f"{start:%H:%M}",
                        None,
                        f"{rule.name}: {present} of {rule.people} qualified people on duty on "
                        f"{day} at {start:%H:%M}.",
                    )


def ab_pair_not_both_absent(
    request: RosterRequest, assignments: pd.DataFrame
) -> Iterable[Violation]:
    """On every open day at least one of an A/B backup pair (AB角) works."""
    config = request.config
    calendar = BranchCalendar(config.branch)
    worked = _worked_days(assignments)
    for pair in config.backup_pairs:
        for day in calendar.open_days(request.horizon):
            if day not in worked.get(pair.a, set()) and day not in worked.get(pair.b, set()):
                a, b = config.person(pair.a).name, config.person(pair.b).name
                yield Violation(
                    "ab_pair",
                    pair.a,
                    day,
                    None,
                    pair.post,
                    f"{a} and {b}, the A/B pair for {pair.post}, are both absent on {day}.",
                )


def authoriser_present(request: RosterRequest, assignments: pd.DataFrame) -> Iterable[Violation]:
    """Whenever a supervised post (a teller) is staffed, someone holds the authoriser post."""
    config = request.config
    step = config.branch.slot_minutes
    rows = _work_rows(assignments)
    on_post = rows[rows["activity"] == "post"]
    for rule in config.authorisers:
        for day, todays in on_post.groupby("day"):
            held = [(int(r.m0), int(r.m1)) for r in todays.itertuples() if r.post == rule.post]
            worked = todays[todays["post"].isin(rule.supervises)]
            minutes = sorted(
                {m for r in worked.itertuples() for m in range(int(r.m0), int(r.m1), step)}
            )
            for m in minutes:
                if not any(lo <= m and m + step <= hi for lo, hi in held):
                    slot = f"{m // 60:02d}:{m % 60:02d}"
                    yield Violation(
                        "authoriser_present",
                        None,
                        day,  # type: ignore[arg-type]
                        slot,
                        rule.post,
                        f"Tellers work on {day} at {slot} but nobody holds {rule.post} "
                        "to authorise.",
                    )


RULES: tuple[Callable[[RosterRequest, pd.DataFrame], Iterable[Violation]], ...] = (
    qualification_valid,
    one_post_at_a_time,
    max_hours_per_day,
    max_hours_per_week,
    availability_and_leave,
    min_rest_between_shifts,
    min_days_off_per_week,
    max_consecutive_days,
    max_weekends_worked,
    incompatible_duties,
    mentor_present,
    duty_cover,
    ab_pair_not_both_absent,
    authoriser_present,
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
        found.extend(rule(request, assignments))
    return VerificationReport(tuple(found), tuple(r.__name__ for r in RULES))
