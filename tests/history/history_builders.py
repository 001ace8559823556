"""Builders of small published weeks for the history tests."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from scheduler.history import RosterRecord

MONDAY = dt.date(2026, 11, 30)  # 2026-W49


def day_rows(staff: str, day: dt.date, morning: str, afternoon: str) -> list[dict]:
    """One 09:00-17:00 day: a post until 12:00, a lunch break, another post after 13:00."""
    return [
        dict(staff_id=staff, name=staff, date=day, start="09:00", end="12:00",
             activity="post", post=morning),
        dict(staff_id=staff, name=staff, date=day, start="12:00", end="13:00",
             activity="break", post=None),
        dict(staff_id=staff, name=staff, date=day, start="13:00", end="17:00",
             activity="post", post=afternoon),
    ]  # fmt: skip


def shift_row(staff: str, day: dt.date, paid: int = 420) -> dict:
    """The shift behind :func:`day_rows` (7 paid hours)."""
    return dict(staff_id=staff, name=staff, date=day, shift="day", start="09:00",
                end="17:00", paid_minutes=paid)  # fmt: skip


def week_record(
    monday: dt.date,
    plan: dict[str, tuple[str, str]],
    days: int = 5,
    branch: str = "SH-PD-001",
) -> RosterRecord:
    """A week in which each person works ``days`` weekdays on (morning, afternoon) posts."""
    rows, shifts = [], []
    for k in range(days):
        day = monday + dt.timedelta(days=k)
        for staff, (am, pm) in plan.items():
            rows += day_rows(staff, day, am, pm)
            shifts.append(shift_row(staff, day))
    return RosterRecord(
        branch_id=branch,
        start_date=monday,
        end_date=monday + dt.timedelta(days=6),
        assignments=pd.DataFrame(rows),
        shifts=pd.DataFrame(shifts),
        status="OPTIMAL",
        objective=1.0,
    )
