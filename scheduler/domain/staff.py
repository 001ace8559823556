"""People: who they are, what they may do and on what terms."""

from __future__ import annotations

import datetime as dt

from pydantic import Field, field_validator, model_validator

from scheduler.domain.branch import ID_PATTERN
from scheduler.domain.common import CrossReferenceProblems, Frozen

MAX_STAFF_NAME_CHARS = 64
"""Longest staff name accepted, in characters.

Names are shown in roster cells, workbook columns and every message about a person; 64
characters hold any person's name (a long Chinese name is 2-6, a long Western one rarely 40).
"""


class Qualification(Frozen):
    """Permission to hold a post, possibly only for a period (任职资格).

    Attributes:
        post: The post id.
        valid_from: First valid date (inclusive); ``None`` = always.
        valid_to: Last valid date (inclusive); ``None`` = no expiry.
    """

    post: str
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Qualification:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError(f"valid_to {self.valid_to} is before valid_from {self.valid_from}")
        return self

    def valid_on(self, day: dt.date) -> bool:
        """Whether the qualification covers ``day``."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class PersonalLimits(Frozen):
    """Working-time limits of one person that replace the branch's ``labour`` rules for them.

    A part-timer who may work at most 60 hours a month, someone who never works late shifts
    or more than one weekend: each field left ``None`` keeps the branch's value. The same
    named rules enforce them, hard or soft as configured.

    Attributes:
        min_total_hours: Least paid hours over the horizon, taken as stated (not scaled by
            contract or reduced for leave, as the branch-wide minimum is).
        max_total_hours: Most paid hours over the horizon.
        max_consecutive_days: Most working days in a row.
        min_consecutive_days: Shortest working stretch, in days.
        min_consecutive_days_off: Shortest stretch of days off.
        max_weekends_worked: Most weekends worked in the horizon.
        max_shifts: Shift template id -> most shifts of it in the horizon (0: never).
    """

    min_total_hours: float | None = Field(None, ge=0)
    max_total_hours: float | None = Field(None, ge=0)
    max_consecutive_days: int | None = Field(None, ge=1)
    min_consecutive_days: int | None = Field(None, ge=1)
    min_consecutive_days_off: int | None = Field(None, ge=1)
    max_weekends_worked: int | None = Field(None, ge=0)
    max_shifts: dict[str, int] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> PersonalLimits:
        lo, hi = self.min_total_hours, self.max_total_hours
        if lo is not None and hi is not None and lo > hi:
            raise ValueError(
                f"min_total_hours {lo:g} is above max_total_hours {hi:g}: no roster can keep both"
            )
        bad = {k: v for k, v in self.max_shifts.items() if v < 0}
        if bad:
            raise ValueError(f"max_shifts must be 0 or more, got {bad}")
        return self


class Staff(Frozen):
    """One member of staff.

    Attributes:
        id: Staff number (工号).
        name: Display name, 1 to :data:`MAX_STAFF_NAME_CHARS` characters (spaces around
            it are stripped).
        contract_hours_per_week: Contracted weekly hours (40 full time).
        employment_start: Start of employment; decides annual leave (5/10/15 days).
        qualifications: Posts this person may hold, with validity dates.
        home_post: The post this person usually holds.
        part_time: Part-time or elastic (弹性) staff, planned by availability only.
        hourly_rate: Cost of one ordinary hour, in yuan.
        trainee_of: Staff id of the mentor a trainee must work alongside.
        limits: This person's own working-time limits, where they differ from the branch's.
    """

    id: str = Field(pattern=ID_PATTERN)
    name: str
    contract_hours_per_week: float = Field(40.0, gt=0, le=60)
    employment_start: dt.date | None = None
    qualifications: list[Qualification] = Field(default_factory=list)
    home_post: str | None = None
    part_time: bool = False
    hourly_rate: float = Field(60.0, ge=0)
    trainee_of: str | None = None
    limits: PersonalLimits | None = None

    @field_validator("name")
    @classmethod
    def _name_length(cls, name: str) -> str:
        """Refuse an empty name (spaces only, once stripped) and one over the limit."""
        most = MAX_STAFF_NAME_CHARS
        if name and len(name) <= most:
            return name
        message = (
            f"the name has {len(name)} characters, more than the {most} allowed"
            if name
            else "the name is empty or only spaces"
        )
        allowed = f"a name of 1 to {most} characters"
        raise ValueError(CrossReferenceProblems([("", message, name, allowed)]))

    def qualified_for(self, post: str, day: dt.date) -> bool:
        """Whether this person may hold ``post`` on ``day``."""
        return any(q.post == post and q.valid_on(day) for q in self.qualifications)

    def posts_on(self, day: dt.date) -> list[str]:
        """Posts this person may hold on ``day``, in declaration order."""
        return [q.post for q in self.qualifications if q.valid_on(day)]

    def seniority_years(self, on: dt.date) -> int:
        """Completed years of service on ``on`` (0 when the start date is unknown)."""
        if self.employment_start is None:
            return 0
        years = on.year - self.employment_start.year
        if (on.month, on.day) < (self.employment_start.month, self.employment_start.day):
            years -= 1
        return max(years, 0)

    def annual_leave_days(self, on: dt.date) -> int:
        """Statutory paid annual leave: 5 days after 1 year, 10 after 10, 15 after 20.

        China's Regulations on Paid Annual Leave count cumulative working years; without
        earlier history we count years with this employer.
        """
        years = self.seniority_years(on)
        if years >= 20:
            return 15
        if years >= 10:
            return 10
        if years >= 1:
            return 5
        return 0
