"""Builders of tiny branches for the leave-planner tests."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from scheduler.domain import (
    BackupPair,
    Branch,
    BranchConfig,
    DayHours,
    HolidayCalendar,
    MandatoryLeaveRule,
    Post,
    PostKind,
    Qualification,
    ShiftTemplate,
    Staff,
    Weekday,
)
from scheduler.leave import LeavePlanSettings

YEAR = 2027


def d(month: int, day: int) -> dt.date:
    """A date of the planned year."""
    return dt.date(YEAR, month, day)


def only_window(start: dt.date, end: dt.date) -> tuple[tuple[dt.date, dt.date], ...]:
    """Blackouts covering the whole year except ``start..end``."""
    out = []
    if start > d(1, 1):
        out.append((d(1, 1), start - dt.timedelta(days=1)))
    if end < d(12, 31):
        out.append((end + dt.timedelta(days=1), d(12, 31)))
    return tuple(out)


def settings(window: tuple[dt.date, dt.date] | None = None, **extra: object) -> LeavePlanSettings:
    """Settings without spreading costs (so only the rule under test decides), one worker."""
    values: dict[str, object] = {
        "spread_week_weight": 0,
        "spread_month_weight": 0,
        "workers": 1,
        "seed": 0,
        "time_limit_s": 20,
    }
    if window is not None:
        values["blackout"] = only_window(*window)
    values.update(extra)
    return LeavePlanSettings(**values)  # type: ignore[arg-type]


def person(staff_id: str, home: str, *posts: str, since: dt.date = dt.date(2015, 1, 1)) -> Staff:
    """A full-time person qualified for ``posts`` (home post first)."""
    quals = [Qualification(post=p) for p in (home, *posts)]
    return Staff(id=staff_id, name=f"name-{staff_id}", home_post=home, qualifications=quals,
                 employment_start=since)  # fmt: skip


def tiny_config(
    staff: list[Staff] | None = None,
    pairs: list[BackupPair] | None = None,
    rule: MandatoryLeaveRule | None = None,
) -> BranchConfig:
    """A Monday-Friday branch with a sensitive teller post and a lobby post.

    By default A and B are tellers paired A/B and C is a lobby manager also qualified as a
    teller; month-end and holiday avoidance are off unless the rule says otherwise.
    """
    hours = DayHours(start="09:00", end="17:00")  # type: ignore[arg-type]
    branch = Branch(
        id="T-1",
        name="tiny",
        opening_hours={
            w: hours for w in (Weekday.MON, Weekday.TUE, Weekday.WED, Weekday.THU, Weekday.FRI)
        },
        calendar=HolidayCalendar(country="CN"),
    )
    return BranchConfig(
        branch=branch,
        posts=[
            Post(
                id="teller",
                name_zh="柜员",
                name_en="Teller",
                kind=PostKind.TELLER,
                sensitive=True,
                min_staff=1,
            ),
            Post(id="lobby", name_zh="大堂", name_en="Lobby", kind=PostKind.LOBBY),
        ],
        staff=staff
        if staff is not None
        else [person("A", "teller"), person("B", "teller"), person("C", "lobby", "teller")],
        shifts=[ShiftTemplate(id="day", name="day", start="09:00", end="17:00")],  # type: ignore[arg-type]
        backup_pairs=pairs if pairs is not None else [BackupPair(post="teller", a="A", b="B")],
        mandatory_leave=rule
        or MandatoryLeaveRule(
            posts=["teller"], working_days=5, avoid_month_end_days=0, avoid_days_around_holidays=0
        ),
    )


def leave_frame(*rows: tuple[str, dt.date, dt.date, str]) -> pd.DataFrame:
    """Leave as the history store returns it."""
    return pd.DataFrame(
        [(s, a, b, k, "", "") for s, a, b, k in rows],
        columns=["staff_id", "start_date", "end_date", "kind", "source", "note"],
    )
