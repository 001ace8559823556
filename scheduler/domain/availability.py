"""What staff declare (可用时段申报): when they can work, what they prefer, and leave."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field, model_validator

from scheduler.domain.common import Clock, Frozen, format_clock, minutes_of


class AvailabilityKind(StrEnum):
    """What a declared window means."""

    UNAVAILABLE = "unavailable"
    """Cannot work in the window (the whole day when no times are given)."""
    AVAILABLE = "available"
    """Can work only inside the declared windows that day."""
    PREFERRED = "preferred"
    """Would like to work in the window (soft)."""
    UNDESIRED = "undesired"
    """Would rather not work in the window (soft)."""


class LeaveKind(StrEnum):
    """Kinds of leave; all are full days off."""

    ANNUAL = "annual"
    SICK = "sick"
    TRAINING = "training"
    MANDATORY = "mandatory"
    OTHER = "other"


class AvailabilityEntry(Frozen):
    """One declared line of a staff member's availability.

    Attributes:
        staff_id: Staff number (工号).
        date: The date it applies to.
        kind: Unavailable, available-only, preferred or undesired.
        start: Start of the window; ``None`` with ``end`` ``None`` = the whole day.
        end: End of the window.
        weight: Strength of a preference (1-10), used by the soft rules.
        note: Free text.
        shift: For a preferred or undesired line: the shift template wished for (or not)
            that day, instead of a time window.
    """

    staff_id: str
    date: dt.date
    kind: AvailabilityKind
    start: Clock | None = None
    end: Clock | None = None
    weight: int = Field(1, ge=1, le=10)
    note: str = ""
    shift: str | None = None

    @model_validator(mode="after")
    def _window(self) -> AvailabilityEntry:
        if (self.start is None) != (self.end is None):
            raise ValueError("give both start and end, or neither for the whole day")
        if self.start is not None and self.end is not None:
            if minutes_of(self.end) <= minutes_of(self.start):
                raise ValueError(
                    f"end {format_clock(self.end)} is not after start {format_clock(self.start)}"
                )
        elif self.kind == AvailabilityKind.AVAILABLE:
            raise ValueError("an 'available' line needs start and end times")
        if self.shift is not None:
            if self.kind not in (AvailabilityKind.PREFERRED, AvailabilityKind.UNDESIRED):
                raise ValueError("only a preferred or undesired line may name a shift")
            if self.start is not None:
                raise ValueError("a line naming a shift gives no start and end times")
        return self

    @property
    def whole_day(self) -> bool:
        """Whether the entry covers the whole day."""
        return self.start is None

    @property
    def minutes(self) -> tuple[int, int]:
        """The window as minutes since midnight (0-1440 for the whole day)."""
        if self.start is None or self.end is None:
            return (0, 24 * 60)
        return (minutes_of(self.start), minutes_of(self.end))


class LeaveRequest(Frozen):
    """Leave for a run of dates (both ends inclusive).

    Attributes:
        staff_id: Staff number.
        start_date: First day of leave.
        end_date: Last day of leave.
        kind: Annual, sick, training, mandatory or other.
        approved: Approved leave is hard; unapproved is a soft wish.
        note: Free text.
    """

    staff_id: str
    start_date: dt.date
    end_date: dt.date
    kind: LeaveKind = LeaveKind.ANNUAL
    approved: bool = True
    note: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> LeaveRequest:
        if self.end_date < self.start_date:
            raise ValueError(f"end_date {self.end_date} is before start_date {self.start_date}")
        return self

    def dates(self) -> list[dt.date]:
        """Every date of the leave."""
        n = (self.end_date - self.start_date).days + 1
        return [self.start_date + dt.timedelta(days=i) for i in range(n)]

    def covers(self, day: dt.date) -> bool:
        """Whether ``day`` is a leave day."""
        return self.start_date <= day <= self.end_date


class Availability(Frozen):
    """All availability and leave submitted for a planning horizon.

    Attributes:
        entries: Declared windows.
        leave: Leave requests.
    """

    entries: list[AvailabilityEntry] = Field(default_factory=list)
    leave: list[LeaveRequest] = Field(default_factory=list)

    def for_staff(self, staff_id: str) -> Availability:
        """The part of the availability that belongs to one person."""
        return Availability(
            entries=[e for e in self.entries if e.staff_id == staff_id],
            leave=[lv for lv in self.leave if lv.staff_id == staff_id],
        )

    def merged(self, other: Availability) -> Availability:
        """This availability with ``other`` appended."""
        return Availability(entries=self.entries + other.entries, leave=self.leave + other.leave)
