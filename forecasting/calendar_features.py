"""Calendar features of every open hour: day profile, holidays, 调休, month-end, pension days.

Features are computed per date from :class:`scheduler.calendar.BranchCalendar`, so they follow
the branch's own holiday calendar (CN by default), special days and opening hours.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import pandas as pd

from forecasting.settings import ForecastSettings
from scheduler.calendar import BranchCalendar

DAY_FEATURES = (
    "holiday",
    "adjusted_workday",
    "pre_holiday_1",
    "pre_holiday_2",
    "post_holiday_1",
    "post_holiday_2",
    "month_end_1",
    "month_end_2",
    "month_end_3",
    "quarter_end",
    "pension",
)
"""0/1 day-level features: a day of a holiday break (a public holiday, or a weekend day of its
break, which the branch also opens on holiday hours: ``BranchCalendar.in_holiday_break``), an
adjusted working day (调休上班), the last two working days before and the first two after a
long holiday, the last, second-last and third-last days the branch opens in a month (each its
own effect, so the data decide how far month-end settlement reaches), those same days in the
last month of a quarter, and pension-payment days (the first day the branch opens on or after
the configured day of the month)."""

HOUR_COLUMNS = ("ds", "date", "hour", "weekday", "profile_day", *DAY_FEATURES)
"""Columns of the frame returned by :meth:`CalendarFeatures.open_hours`."""


class CalendarFeatures:
    """Day-level calendar features and open hours of one branch, cached per date.

    Args:
        calendar: The branch calendar.
        settings: Forecast settings (pension days).
    """

    def __init__(self, calendar: BranchCalendar, settings: ForecastSettings | None = None):
        self.calendar = calendar
        self.settings = settings or ForecastSettings()
        self._years: set[int] = set()
        self._marks: dict[str, set[dt.date]] = {name: set() for name in DAY_FEATURES[2:]}
        self._cache: dict[dt.date, list[dict[str, object]]] = {}

    def _prepare_years(self, years: range) -> None:
        for year in years:
            if year in self._years:
                continue
            self._years.add(year)
            for first, last in self.calendar.long_holiday_spans(year):
                working = self.calendar.is_working_day
                for k, day in enumerate(self._days(first, -1, 2, working), start=1):
                    self._marks[f"pre_holiday_{k}"].add(day)
                for k, day in enumerate(self._days(last, 1, 2, working), start=1):
                    self._marks[f"post_holiday_{k}"].add(day)
            for month in range(1, 13):
                nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
                for k, day in enumerate(self._days(nxt, -1, 3, self.calendar.is_open), start=1):
                    if day.month == month:
                        self._marks[f"month_end_{k}"].add(day)
                        if month % 3 == 0:
                            self._marks["quarter_end"].add(day)
                length = (nxt - dt.date(year, month, 1)).days
                for dom in self.settings.pension_days:
                    day = dt.date(year, month, min(int(dom), length))
                    if not self.calendar.is_open(day):
                        day = self._days(day, 1, 1, self.calendar.is_open)[0]
                    self._marks["pension"].add(day)

    @staticmethod
    def _days(
        anchor: dt.date, step: int, count: int, keep: Callable[[dt.date], bool]
    ) -> list[dt.date]:
        """The ``count`` days nearest ``anchor`` in direction ``step`` (not itself) that pass."""
        out: list[dt.date] = []
        day = anchor
        for _ in range(40):
            day += dt.timedelta(days=step)
            if keep(day):
                out.append(day)
                if len(out) == count:
                    break
        return out

    def day_row(self, day: dt.date) -> dict[str, int]:
        """The features of one date (see :data:`DAY_FEATURES`) plus weekday and profile day.

        ``profile_day`` is the weekday whose hourly profile the date follows: an adjusted
        working day follows Monday (as its opening hours do), every other date its weekday.
        """
        self._prepare_years(range(day.year - 1, day.year + 2))
        holiday = self.calendar.in_holiday_break(day)
        adjusted = self.calendar.is_adjusted_workday(day)
        row = {
            "weekday": day.weekday(),
            "profile_day": 0 if adjusted else day.weekday(),
            "holiday": int(holiday),
            "adjusted_workday": int(adjusted),
        }
        for name, days in self._marks.items():
            row[name] = int(day in days)
        return row

    def _hour_rows(self, day: dt.date) -> list[dict[str, object]]:
        """The open hours of one day with their features (computed once per day)."""
        cached = self._cache.get(day)
        if cached is None:
            hours = sorted({s.hour for s in self.calendar.slots(day)})
            base = self.day_row(day) if hours else {}
            midnight = dt.datetime.combine(day, dt.time())
            cached = [
                {"ds": midnight + dt.timedelta(hours=hour), "date": day, "hour": hour} | base
                for hour in hours
            ]
            self._cache[day] = cached
        return cached

    def open_hours(self, start: dt.date, end: dt.date) -> pd.DataFrame:
        """Every open hour from ``start`` to ``end`` (inclusive) with its features.

        An hour is open when any planning slot starting in it is open, so a branch planned in
        30-minute slots that opens at 09:30 has the 09:00 hour forecast.

        Returns:
            A frame with :data:`HOUR_COLUMNS`, one row per open hour, sorted by ``ds``.
        """
        rows: list[dict[str, object]] = []
        day = start
        while day <= end:
            rows.extend(self._hour_rows(day))
            day += dt.timedelta(days=1)
        if not rows:
            frame = pd.DataFrame({c: pd.Series(dtype=object) for c in HOUR_COLUMNS})
            frame["ds"] = pd.to_datetime(frame["ds"])
            return frame
        frame = pd.DataFrame.from_records(rows, columns=list(HOUR_COLUMNS))
        frame["ds"] = pd.to_datetime(frame["ds"]).astype("datetime64[ns]")
        for name in ("hour", "weekday", "profile_day", *DAY_FEATURES):
            frame[name] = frame[name].astype(np.int64)
        return frame
