"""The branch itself: opening hours, calendar, demand channels and posts."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import Field, ValidationInfo, field_validator, model_validator

from scheduler.domain.common import Clock, Frozen, TimeWindow, Weekday, format_clock

ID_PATTERN = r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$"
"""Identifiers are ASCII so they survive every file format; display names may be Chinese."""


class DayHours(TimeWindow):
    """Opening hours of one day: doors open at ``start`` and close at ``end``."""


class SpecialDay(Frozen):
    """A date with hours that differ from the weekly pattern.

    Attributes:
        date: The calendar date.
        hours: Opening hours that day; ``None`` means closed.
        note: Why (e.g. "国庆值班", "system upgrade").
    """

    date: dt.date
    hours: DayHours | None = None
    note: str = ""


class HolidayCalendar(Frozen):
    """Which public-holiday calendar applies and how the branch behaves on holidays.

    Attributes:
        country: ISO code understood by the ``holidays`` package; ``CN`` includes the
            adjusted working days (调休) on which a weekend becomes a working day.
        subdivision: Optional province or region code.
        extra_holidays: Dates to treat as public holidays in addition to the calendar
            (e.g. a newly announced schedule not yet in the package).
        extra_workdays: Dates to treat as adjusted working days (调休上班).
        holiday_hours: Opening hours on public holidays; ``None`` means closed.
        workday_hours: Hours on an adjusted working day that falls on a weekend; ``None``
            means the usual hours of the weekday it replaces (Monday's).
        pension_days: Days of the month on which pensions are paid locally (a peak of
            elderly customers at the counter); a day the branch is closed moves to the next
            open day. The forecast uses them as a calendar effect.
    """

    country: str = "CN"
    subdivision: str | None = None
    extra_holidays: list[dt.date] = Field(default_factory=list)
    extra_workdays: list[dt.date] = Field(default_factory=list)
    holiday_hours: DayHours | None = None
    workday_hours: DayHours | None = None
    pension_days: list[Annotated[int, Field(ge=1, le=31)]] = Field(default_factory=list)

    @field_validator("country", mode="before")
    @classmethod
    def _known_country(cls, value: object) -> object:
        """A country code of the ``holidays`` package, in any case (``cn`` is ``CN``)."""
        if not isinstance(value, str):
            return value
        import holidays

        code = value.strip().upper()
        if code not in holidays.list_supported_countries():
            raise ValueError(
                "unknown country for the public-holiday calendar (use an ISO 3166 code such as "
                "CN, HK, MO or SG)"
            )
        return code

    @field_validator("subdivision", mode="before")
    @classmethod
    def _known_subdivision(cls, value: object, info: ValidationInfo) -> object:
        """A subdivision of the country in the ``holidays`` package, in any case."""
        if not isinstance(value, str):
            return value
        if not value.strip():
            return None
        country = info.data.get("country")
        if not isinstance(country, str):  # the country was refused: nothing to check against
            return value
        import holidays

        known = holidays.list_supported_countries().get(country, [])
        codes = {c.upper(): c for c in known}
        if value.strip().upper() not in codes:
            listed = ", ".join(known[:12]) + (" ..." if len(known) > 12 else "") or "none"
            raise ValueError(f"unknown subdivision of {country} (known: {listed})")
        return codes[value.strip().upper()]


class ServiceTarget(Frozen):
    """Service level promised to customers of one channel.

    Attributes:
        service_level: Share of customers served within ``within_minutes`` (0 < x < 1).
        within_minutes: The waiting-time threshold in minutes (>= 0).
        max_abandonment: Optional cap on the share of customers who give up (Erlang A).
    """

    service_level: float = Field(0.8, gt=0, lt=1)
    within_minutes: float = Field(10.0, ge=0)
    max_abandonment: float | None = Field(None, gt=0, lt=1)


class Channel(Frozen):
    """A stream of customer demand with its own handling time and service target.

    Attributes:
        id: Identifier used in the traffic history (e.g. ``cash``).
        name_zh: Chinese display name (e.g. 现金柜台).
        name_en: English display name.
        aht_minutes: Average handling time of one customer, minutes (> 0).
        patience_minutes: Mean time before a waiting customer gives up; ``None`` = never
            (Erlang C instead of Erlang A).
        shrinkage: Share of on-post time not available to serve (paperwork, calls), 0 <= x < 1.
        target: The service target.
    """

    id: str = Field(pattern=ID_PATTERN)
    name_zh: str
    name_en: str
    aht_minutes: float = Field(gt=0)
    patience_minutes: float | None = Field(None, gt=0)
    shrinkage: float = Field(0.0, ge=0, lt=1)
    target: ServiceTarget = Field(default_factory=ServiceTarget)


class PostKind(StrEnum):
    """What a post does, which decides the floors that apply to it."""

    MANAGER = "manager"
    SUPERVISOR = "supervisor"
    LOBBY = "lobby"
    TELLER = "teller"
    ADVISOR = "advisor"
    BACK_OFFICE = "back_office"


class Post(Frozen):
    """A post (岗位) that a person can hold for an hour.

    Attributes:
        id: Identifier (e.g. ``cash_teller``).
        name_zh: Chinese display name (e.g. 高柜柜员).
        name_en: English display name.
        kind: Role family (manager, supervisor, lobby, teller, advisor, back_office).
        channels: Demand channels this post serves; several posts may serve one channel.
        sensitive: Subject to rotation and mandatory leave (不相容/重要岗位).
        customer_facing: Counts as "on the floor" for floor-time quotas.
        min_staff: Staff who must hold this post every open hour regardless of traffic
            (e.g. 1 lobby manager).
        colour: Hex colour used in reports.
    """

    id: str = Field(pattern=ID_PATTERN)
    name_zh: str
    name_en: str
    kind: PostKind = PostKind.BACK_OFFICE
    channels: list[str] = Field(default_factory=list)
    sensitive: bool = False
    customer_facing: bool = True
    min_staff: int = Field(0, ge=0)
    colour: str = Field("#9e9e9e", pattern=r"^#[0-9a-fA-F]{6}$")


class Branch(Frozen):
    """Identity, opening pattern and calendar of one branch (网点).

    Attributes:
        id: Identifier used in traffic files (e.g. ``SH-PD-001``).
        name: Display name.
        timezone: IANA time zone of the branch.
        opening_hours: Hours per weekday; a missing or ``null`` weekday is closed.
        special_days: Dates that differ from the weekly pattern.
        calendar: Public-holiday calendar and holiday behaviour.
        slot_minutes: Planning granularity, 60 or 30 minutes.
    """

    id: str = Field(pattern=ID_PATTERN)
    name: str
    timezone: str = "Asia/Shanghai"
    opening_hours: dict[Weekday, DayHours | None]
    special_days: list[SpecialDay] = Field(default_factory=list)
    calendar: HolidayCalendar = Field(default_factory=HolidayCalendar)
    slot_minutes: int = 60

    @field_validator("slot_minutes")
    @classmethod
    def _slot_divides_hour(cls, value: int) -> int:
        if value not in (30, 60):
            raise ValueError(f"slot_minutes must be 30 or 60, not {value}")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (use e.g. Asia/Shanghai)") from exc
        return value

    @model_validator(mode="after")
    def _hours_on_slot_grid(self) -> Branch:
        windows = [h for h in self.opening_hours.values() if h is not None]
        windows += [s.hours for s in self.special_days if s.hours is not None]
        for hours in windows:
            for t in (hours.start_minute, hours.end_minute):
                if t % self.slot_minutes:
                    raise ValueError(
                        f"opening hours {hours} must start and end on the "
                        f"{self.slot_minutes}-minute slot grid ({format_clock(hours.start)})"
                    )
        return self


__all__ = [
    "Branch",
    "Channel",
    "Clock",
    "DayHours",
    "HolidayCalendar",
    "Post",
    "PostKind",
    "ServiceTarget",
    "SpecialDay",
]
