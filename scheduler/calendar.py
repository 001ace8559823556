"""Which days a branch is open and when: weekly hours, special days, holidays and 调休."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property

import holidays

from scheduler.domain.branch import Branch, DayHours
from scheduler.domain.common import Weekday


@dataclass(frozen=True)
class Horizon:
    """A run of consecutive planning days.

    Attributes:
        start: First day.
        days: Number of days (7 for a week).
    """

    start: dt.date
    days: int = 7

    def __post_init__(self) -> None:
        if self.days < 1:
            raise ValueError(f"a horizon needs at least one day, not {self.days}")

    @property
    def end(self) -> dt.date:
        """Last day (inclusive)."""
        return self.start + dt.timedelta(days=self.days - 1)

    @property
    def dates(self) -> list[dt.date]:
        """Every day of the horizon."""
        return [self.start + dt.timedelta(days=i) for i in range(self.days)]

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    @classmethod
    def iso_week(cls, text: str, weeks: int = 1) -> Horizon:
        """The horizon of an ISO week written ``2026-W49`` (optionally several weeks).

        Raises:
            ValueError: If the text is not an ISO week.
        """
        match = re.fullmatch(r"\s*([0-9]{4})-?W([0-9]{1,2})\s*", text, flags=re.IGNORECASE)
        if not match:
            raise ValueError(f"not an ISO week (write e.g. 2026-W49): {text!r}")
        year, week = int(match.group(1)), int(match.group(2))
        if not WEEK_YEARS[0] <= year <= WEEK_YEARS[1]:
            raise ValueError(f"the year {year} is out of range ({WEEK_YEARS[0]}-{WEEK_YEARS[1]})")
        try:
            monday = dt.date.fromisocalendar(year, week, 1)
        except ValueError as exc:
            raise ValueError(f"{year} has no ISO week {week}") from exc
        return cls(monday, 7 * weeks)

    def label(self) -> str:
        """A short label such as ``2026-W49`` (or the date range when not a whole week)."""
        iso = self.start.isocalendar()
        if self.start.weekday() == 0 and self.days == 7:
            return f"{iso.year}-W{iso.week:02d}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


WEEK_YEARS = (2000, 2100)
"""Years a planned week may fall in (9999-W52 would run past the last date a calendar
holds)."""


def week_horizon(text: str, weeks: int = 1, *, source: str = "--week") -> Horizon:
    """The horizon of an ISO week as a user typed it (``2026-W49``), for ``weeks`` weeks.

    Raises:
        InputError: Naming ``source`` (the option or field), the value and what is allowed.
    """
    from scheduler.errors import InputError, Issue

    try:
        return Horizon.iso_week(text, weeks)
    except ValueError as exc:
        raise InputError([Issue(source, str(exc), value=text, allowed="e.g. 2026-W49")]) from None


BREAK_COUNTRIES = frozenset({"CN"})
"""Calendars whose holiday breaks take in the weekend days around them (放假调休)."""


class BranchCalendar:
    """Answers calendar questions for one branch.

    Precedence for a date's hours: a special day, then a day of a holiday break
    (``holiday_hours``: a public holiday, or a weekend day inside or adjoining one, see
    :meth:`in_holiday_break`), then an adjusted working day (``workday_hours``, or Monday's
    hours), then the weekly pattern.
    """

    def __init__(self, branch: Branch):
        self.branch = branch
        self._special = {s.date: s for s in branch.special_days}
        self._extra_holidays = set(branch.calendar.extra_holidays)
        self._extra_workdays = set(branch.calendar.extra_workdays)
        self._moved: dict[int, set[dt.date]] = {}
        self._break: dict[dt.date, bool] = {}

    @cached_property
    def _holidays(self) -> holidays.HolidayBase:
        spec = self.branch.calendar
        return holidays.country_holidays(spec.country, subdiv=spec.subdivision)

    @cached_property
    def _unobserved(self) -> holidays.HolidayBase:
        """The same calendar without the "observed" days (holidays moved off a weekend)."""
        spec = self.branch.calendar
        return holidays.country_holidays(spec.country, subdiv=spec.subdivision, observed=False)

    def holiday_name(self, day: dt.date) -> str | None:
        """The public holiday's name, or ``None`` if ``day`` is not one."""
        if day in self._extra_workdays:
            return None
        if day in self._extra_holidays:
            return "holiday"
        name = self._holidays.get(day)
        return str(name) if name else None

    def is_public_holiday(self, day: dt.date) -> bool:
        """Whether ``day`` is a public holiday (including days off moved by 调休).

        Statutory days and the other days off the calendar lists for a break (调休, "observed"
        days, ``extra_holidays``) count alike (:meth:`is_statutory_holiday` tells them
        apart). Weekend days of a break that the calendar does not list (e.g. Sunday 4 Oct
        2026) are not public holidays, though the branch opens on ``holiday_hours`` on them as
        on every day of the break (:meth:`in_holiday_break`).
        """
        return self.holiday_name(day) is not None

    def is_statutory_holiday(self, day: dt.date) -> bool:
        """Whether ``day`` is a statutory holiday (法定节假日) itself, not another day of its break.

        Work on a statutory day is paid 300% (劳动法 第四十四条第三项). The other days off of a
        holiday break are rest days: days off moved by 调休 (the package's substituted
        holidays) and "observed" days that make up for a holiday on a weekend (China has no
        observed statutory day; the package adds them, e.g. National Day (observed) on
        2026-10-05). A statutory day is a day the ``holidays`` package lists with
        ``observed=False`` that is not one of its substituted days, read from its tables, not
        from the holiday names, whose language follows the environment.

        Days in ``calendar.extra_holidays`` are statutory only when the package lists them as
        statutory: the configuration declares extra public holidays (e.g. a newly announced
        schedule not yet in the package), and the statutory days follow from the national
        rules the package already applies to every year, so an extra day is a day off of the
        break. A day in ``calendar.extra_workdays`` is not a holiday at all. So every
        statutory holiday is a public holiday (:meth:`is_public_holiday`).
        """
        if day in self._extra_workdays:
            return False
        return day in self._unobserved and day not in self._moved_days_off(day.year)

    def _moved_days_off(self, year: int) -> set[dt.date]:
        """The package's days off moved by 调休 in ``year`` (its substituted holidays).

        Its ``special_*_holidays`` tables hold them as ``(month, day, from_month, from_day)``
        or ``(..., from_year)`` entries (the package's ``SubstitutedHoliday``), beside named
        one-off holidays ``(month, day, name)``, which stay holidays.
        """
        if year not in self._moved:
            source = self._unobserved
            moved: set[dt.date] = set()
            for attribute in dir(source):
                if not (attribute.startswith("special_") and attribute.endswith("_holidays")):
                    continue  # "..._holidays_observed" tables are observed days: not listed
                table = getattr(source, attribute, None)
                entries = table.get(year, ()) if isinstance(table, dict) else ()
                if entries and not isinstance(entries[0], tuple):
                    entries = (entries,)
                moved.update(dt.date(year, e[0], e[1]) for e in entries if len(e) in (4, 5))
            self._moved[year] = moved
        return self._moved[year]

    def is_adjusted_workday(self, day: dt.date) -> bool:
        """Whether ``day`` is a weekend day made a working day (调休上班)."""
        if day in self._extra_workdays:
            return True
        if day in self._extra_holidays:
            return False
        self._holidays.get(day)  # populates the year
        return day in getattr(self._holidays, "weekend_workdays", set())

    def is_working_day(self, day: dt.date) -> bool:
        """Whether ``day`` is an ordinary working day for offices (not for branch opening)."""
        if self.is_public_holiday(day):
            return False
        return day.weekday() < 5 or self.is_adjusted_workday(day)

    def in_holiday_break(self, day: dt.date) -> bool:
        """Whether ``day`` is a day of a holiday break (放假): a public holiday or a weekend in it.

        The State Council's arrangements (e.g. "10月1日至7日放假调休，共7天", "6月19日至21日
        放假，共3天") count the ordinary weekend days inside or adjoining a break as days of
        the break, but the ``holidays`` package does not list them (Sunday 4 Oct 2026 between
        National Day and the days moved to 5-7 Oct; Saturday and Sunday 20-21 Jun 2026 after
        Dragon Boat on Friday 19 Jun). So a day is in a break when it is a public holiday
        (:meth:`is_public_holiday`), or a Saturday or Sunday that is not a working day (not
        调休上班, not in ``calendar.extra_workdays``) in a run of consecutive non-working days
        holding at least one public holiday. The branch opens on ``holiday_hours`` on every
        day of a break; pay is another matter (such a weekend day stays a weekly rest day,
        not a public holiday). The weekend rule is the mainland's (country ``CN``): elsewhere
        (a Monday holiday in another country's calendar, say) the weekend before a holiday
        keeps its weekend hours, and only the public holidays are the break.
        """
        cached = self._break.get(day)
        if cached is None:
            cached = self.is_public_holiday(day) or (
                self.branch.calendar.country.upper() in BREAK_COUNTRIES
                and not self.is_working_day(day)
                and self._next_to_holiday(day)
            )
            self._break[day] = cached
        return cached

    def _next_to_holiday(self, day: dt.date) -> bool:
        """Whether the run of non-working days around ``day`` holds a public holiday."""
        for step in (-1, 1):
            other = day + dt.timedelta(days=step)
            while not self.is_working_day(other):
                if self.is_public_holiday(other):
                    return True
                other += dt.timedelta(days=step)
        return False

    def hours(self, day: dt.date) -> DayHours | None:
        """Opening hours on ``day``; ``None`` when closed.

        A special day first, then every day of a holiday break (:meth:`in_holiday_break`) on
        ``holiday_hours``, then an adjusted working day, then the weekly pattern.
        """
        if day in self._special:
            return self._special[day].hours
        if self.in_holiday_break(day):
            return self.branch.calendar.holiday_hours
        if self.is_adjusted_workday(day):
            return self.branch.calendar.workday_hours or self.branch.opening_hours.get(Weekday.MON)
        return self.branch.opening_hours.get(Weekday.of(day))

    def is_open(self, day: dt.date) -> bool:
        """Whether the branch opens on ``day``."""
        return self.hours(day) is not None

    def open_days(self, horizon: Horizon) -> list[dt.date]:
        """The days of the horizon on which the branch opens."""
        return [d for d in horizon.dates if self.is_open(d)]

    def slots(self, day: dt.date) -> list[dt.datetime]:
        """Start times of the open slots on ``day`` (naive local time)."""
        hours = self.hours(day)
        if hours is None:
            return []
        step = self.branch.slot_minutes
        midnight = dt.datetime.combine(day, dt.time())
        return [
            midnight + dt.timedelta(minutes=m)
            for m in range(hours.start_minute, hours.end_minute, step)
        ]

    def open_slots(self, start: dt.date, end: dt.date) -> list[dt.datetime]:
        """Start times of every open slot from ``start`` to ``end`` inclusive."""
        out: list[dt.datetime] = []
        day = start
        while day <= end:
            out.extend(self.slots(day))
            day += dt.timedelta(days=1)
        return out

    def long_holiday_spans(self, year: int) -> list[tuple[dt.date, dt.date]]:
        """Runs of three or more consecutive non-working days that contain a public holiday."""
        start = dt.date(year, 1, 1) - dt.timedelta(days=10)
        end = dt.date(year, 12, 31) + dt.timedelta(days=10)
        spans: list[tuple[dt.date, dt.date]] = []
        day, run_start, has_holiday = start, None, False
        while day <= end:
            off = not self.is_working_day(day)
            if off:
                run_start = run_start or day
                has_holiday = has_holiday or self.is_public_holiday(day)
            elif run_start is not None:
                if has_holiday and (day - run_start).days >= 3:
                    spans.append((run_start, day - dt.timedelta(days=1)))
                run_start, has_holiday = None, False
            day += dt.timedelta(days=1)
        return spans
