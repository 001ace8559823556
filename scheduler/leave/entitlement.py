"""Ordinary paid annual leave: days entitled by seniority (5/10/15) against days taken."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

from scheduler.calendar import BranchCalendar
from scheduler.domain import BranchConfig, LeaveKind
from scheduler.errors import Issue

ENTITLEMENT_COLUMNS = (
    "staff_id",
    "name",
    "seniority_years",
    "entitled_days",
    "annual_taken",
    "mandatory_taken",
    "counted_days",
    "remaining_days",
)
"""One row per person: working days of leave entitled, taken and left in the year.

``counted_days`` is annual leave taken plus, when mandatory leave counts as annual leave,
the mandatory block; ``remaining_days`` is ``entitled_days - counted_days`` (negative when
more was taken than entitled)."""


def working_days_between(calendar: BranchCalendar, start: dt.date, end: dt.date, year: int) -> int:
    """Working days from ``start`` to ``end`` (inclusive) that fall in ``year``."""
    lo = max(start, dt.date(year, 1, 1))
    hi = min(end, dt.date(year, 12, 31))
    n, day = 0, lo
    while day <= hi:
        n += calendar.is_working_day(day)
        day += dt.timedelta(days=1)
    return n


def entitlements(
    config: BranchConfig,
    leave: pd.DataFrame,
    year: int,
    *,
    mandatory_counts_as_annual: bool = True,
) -> pd.DataFrame:
    """Annual leave entitled and taken per person in ``year``.

    Entitlement follows ``Staff.annual_leave_days`` on 1 January of the year (5 days after one
    year of service, 10 after ten, 15 after twenty). Leave is counted in working days, so a
    week off over a weekend counts five.

    Args:
        config: The branch and its staff.
        leave: Leave recorded (:data:`scheduler.history.store.LEAVE_COLUMNS`).
        year: The calendar year.
        mandatory_counts_as_annual: Whether the mandatory block is taken out of the annual
            entitlement (the usual practice) or comes on top of it.

    Returns:
        A frame with :data:`ENTITLEMENT_COLUMNS`, in staff order.
    """
    calendar = BranchCalendar(config.branch)
    on = dt.date(year, 1, 1)
    rows = []
    for person in config.staff:
        taken = {LeaveKind.ANNUAL.value: 0, LeaveKind.MANDATORY.value: 0}
        mine = leave[leave["staff_id"] == person.id] if len(leave) else leave
        for r in mine.itertuples(index=False):
            if r.kind in taken:
                taken[r.kind] += working_days_between(calendar, r.start_date, r.end_date, year)
        entitled = person.annual_leave_days(on)
        annual, mandatory = taken[LeaveKind.ANNUAL.value], taken[LeaveKind.MANDATORY.value]
        counted = annual + (mandatory if mandatory_counts_as_annual else 0)
        rows.append(
            {
                "staff_id": person.id,
                "name": person.name,
                "seniority_years": person.seniority_years(on),
                "entitled_days": entitled,
                "annual_taken": annual,
                "mandatory_taken": mandatory,
                "counted_days": counted,
                "remaining_days": entitled - counted,
            }
        )
    return pd.DataFrame(rows, columns=list(ENTITLEMENT_COLUMNS))


def over_entitlement(
    config: BranchConfig,
    leave: pd.DataFrame,
    years: Iterable[int],
    *,
    staff_ids: Iterable[str] | None = None,
    mandatory_counts_as_annual: bool = True,
) -> list[Issue]:
    """Warnings for people whose annual leave in a year is more than they are entitled to.

    Args:
        config: The branch and its staff.
        leave: Leave recorded (:data:`scheduler.history.store.LEAVE_COLUMNS`).
        years: The calendar years to check.
        staff_ids: Only these people (e.g. those a leave file just named); everyone when
            ``None``.
        mandatory_counts_as_annual: As in :func:`entitlements`.

    Returns:
        One warning per person and year over the entitlement, naming the days taken, the
        days entitled and the excess.
    """
    wanted = None if staff_ids is None else set(staff_ids)
    out: list[Issue] = []
    for year in sorted(set(years)):
        frame = entitlements(
            config, leave, year, mandatory_counts_as_annual=mandatory_counts_as_annual
        )
        for r in frame.itertuples(index=False):
            if r.remaining_days >= 0 or (wanted is not None and r.staff_id not in wanted):
                continue
            counted = "annual leave" + (
                " and the mandatory block"
                if mandatory_counts_as_annual and r.mandatory_taken
                else ""
            )
            out.append(
                Issue(
                    file="leave",
                    message=f"{r.name} ({r.staff_id}) takes {r.counted_days} working days of "
                    f"{counted} in {year}, {-r.remaining_days} more than entitled",
                    location=str(r.staff_id),
                    value=str(r.counted_days),
                    allowed=f"at most {r.entitled_days} days ({r.seniority_years} years of "
                    "service)",
                    severity="warning",
                )
            )
    return out
