"""The sample branch's availability and leave for one week, and how it is split into files.

Staff send declarations in the shapes real branches see: one combined workbook from WPS with a
title row, a leave list exported as UTF-8 CSV, and a part-timer's own GBK CSV. Days are given
as offsets from the week's Monday, so the same declarations fit any week.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scheduler.calendar import Horizon
from scheduler.domain import (
    Availability,
    AvailabilityEntry,
    AvailabilityKind,
    BranchConfig,
    LeaveKind,
    LeaveRequest,
)


@dataclass(frozen=True)
class AvailabilityFile:
    """One sample availability file.

    Attributes:
        name: File name inside ``availability/``.
        availability: What it declares.
        encoding: Text encoding (CSV only).
        title: Title row above the header (XLSX only).
    """

    name: str
    availability: Availability
    encoding: str = "utf-8-sig"
    title: str | None = None


_U, _A, _P, _D = (
    AvailabilityKind.UNAVAILABLE,
    AvailabilityKind.AVAILABLE,
    AvailabilityKind.PREFERRED,
    AvailabilityKind.UNDESIRED,
)

# (staff id, day offset, kind, start, end, weight, note)
_TEAM = (
    ("S03", 2, _U, None, None, 1, "家中有事"),
    ("S07", 6, _D, None, None, 4, "周日尽量休息"),
    ("S08", 1, _P, "08:30", "13:00", 2, "希望上早班"),
    ("S10", 0, _P, "08:30", "13:00", 3, "周一上午拜访客户前先到网点"),
    ("S10", 5, _D, None, None, 5, ""),
    ("S12", 4, _U, "14:00", "17:30", 1, "孩子家长会"),
)
_PART_TIME = (
    ("S14", 0, _A, "09:00", "13:00", 1, ""),
    ("S14", 2, _A, "09:00", "13:00", 1, ""),
    ("S14", 4, _A, "13:00", "17:30", 1, ""),
    ("S14", 5, _A, "09:00", "16:30", 1, "周六全天可以"),
)
# (staff id, first day offset, last day offset, kind, approved, note)
_LEAVE = (
    ("S11", 0, 1, LeaveKind.ANNUAL, True, "年假（已批）"),
    ("S06", 3, 3, LeaveKind.TRAINING, True, "分行柜员业务培训"),
    ("S05", 5, 5, LeaveKind.ANNUAL, False, "申请周六休假，待批"),
)


def _entries(rows: tuple, horizon: Horizon, staff: set[str]) -> list[AvailabilityEntry]:
    return [
        AvailabilityEntry(
            staff_id=sid,
            date=horizon.start + dt.timedelta(days=offset),
            kind=kind,
            start=start,
            end=end,
            weight=weight,
            note=note,
        )
        for sid, offset, kind, start, end, weight, note in rows
        if sid in staff and offset < horizon.days
    ]


def sample_availability_files(config: BranchConfig, horizon: Horizon) -> list[AvailabilityFile]:
    """The sample week's declarations, split into the files staff would send.

    People missing from ``config`` are left out, so a trimmed configuration still gets
    consistent files.
    """
    staff = {s.id for s in config.staff}
    leave = [
        LeaveRequest(
            staff_id=sid,
            start_date=horizon.start + dt.timedelta(days=first),
            end_date=horizon.start + dt.timedelta(days=min(last, horizon.days - 1)),
            kind=kind,
            approved=approved,
            note=note,
        )
        for sid, first, last, kind, approved, note in _LEAVE
        if sid in staff and first < horizon.days
    ]
    files = [
        AvailabilityFile(
            "team.xlsx",
            Availability(entries=_entries(_TEAM, horizon, staff)),
            title=f"{horizon.label()} 可用时段申报（{config.branch.name}）",
        ),
        AvailabilityFile("leave.csv", Availability(leave=leave)),
        AvailabilityFile(
            "S14.csv", Availability(entries=_entries(_PART_TIME, horizon, staff)), encoding="gbk"
        ),
    ]
    return [f for f in files if f.availability.entries or f.availability.leave]


def sample_availability(config: BranchConfig, horizon: Horizon) -> Availability:
    """Every sample declaration of the week in one object (the files' contents merged)."""
    out = Availability()
    for f in sample_availability_files(config, horizon):
        out = out.merged(f.availability)
    return out
