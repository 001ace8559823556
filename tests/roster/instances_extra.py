"""More tiny-instance builders for the labour, quota, fairness, stability, pairing, cost rules.

Built on :mod:`tests.roster.instances`: :func:`branch` also switches off the soft rules of
these groups, so each test turns on only the rule it is about.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

import pandas as pd

from scheduler.domain import BranchConfig, Post, Staff
from scheduler.frames import ASSIGNMENT_COLUMNS, SHIFT_COLUMNS
from scheduler.roster import RosterRequest, RosterResult

from .instances import config

SOFT_OFF = (
    "min_consecutive_days",
    "min_consecutive_days_off",
    "total_hours",
    "rotation_quota",
    "preferences",
    "contract_hours",
    "fair_weekends",
    "fair_late_shifts",
    "min_post_stint",
    "post_switches",
    "roster_stability",
    "labour_cost",
)
"""Soft-by-default rules of these groups, off in :func:`branch` unless a test names them."""

SAT = dt.date(2026, 12, 5)
"""Saturday after the Monday of :data:`tests.roster.instances.MON`."""


def branch(
    posts: Iterable[Post],
    staff: Iterable[Staff],
    *,
    rules: dict[str, str | tuple[str, int]] | None = None,
    **extra: object,
) -> BranchConfig:
    """A tiny branch (see :func:`tests.roster.instances.config`) with :data:`SOFT_OFF` off."""
    settings: dict[str, str | tuple[str, int]] = dict.fromkeys(SOFT_OFF, "off")
    settings.update(rules or {})
    return config(posts, staff, rules=settings, **extra)


def with_(req: RosterRequest, **changes: object) -> RosterRequest:
    """The request with some fields replaced (history, published roster, quota targets)."""
    return dataclasses.replace(req, **changes)  # type: ignore[arg-type]


def shifts_frame(rows: Iterable[tuple[str, dt.date, str, str, str]]) -> pd.DataFrame:
    """A history of shifts from (staff, date, shift, start, end) rows (no break)."""
    records = []
    for staff_id, day, shift_id, start, end in rows:
        h0, m0 = map(int, start.split(":"))
        h1, m1 = map(int, end.split(":"))
        records.append(
            {
                "staff_id": staff_id,
                "name": staff_id,
                "date": day,
                "shift": shift_id,
                "start": start,
                "end": end,
                "paid_minutes": (h1 * 60 + m1) - (h0 * 60 + m0),
            }
        )
    return pd.DataFrame(records, columns=list(SHIFT_COLUMNS))


def roster_frame(rows: Iterable[tuple[str, dt.date, str, str, str | None]]) -> pd.DataFrame:
    """A published roster from (staff, date, start, end, post) rows; ``None`` post = free."""
    records = [
        {
            "staff_id": staff_id,
            "name": staff_id,
            "date": day,
            "start": start,
            "end": end,
            "activity": "post" if post else "free",
            "post": post,
        }
        for staff_id, day, start, end, post in rows
    ]
    return pd.DataFrame(records, columns=list(ASSIGNMENT_COLUMNS))


def shifts_of(result: RosterResult) -> list[tuple[str, dt.date, str]]:
    """(staff, date, shift) of every shift worked, in order."""
    return sorted(
        (str(r.staff_id), r.date, str(r.shift))  # type: ignore[misc]
        for r in result.shifts.itertuples()
    )
