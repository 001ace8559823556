"""Synthetic hourly traffic for a branch, built from documented multiplicative effects.

The expected count of a channel in an open hour is

    base[channel] x hour_shape(hour) x weekday_effect(weekday, hour) x day_effects(date, channel)
    x trend(date, channel)

and the observed count is drawn from a negative binomial with that mean (over-dispersed, as
real counts are). Every effect size lives in :class:`TrafficEffects`, so the sample is
explainable and tests can check each effect; nothing here is tuned to a forecaster.
Only the hours the branch is open (per :class:`~scheduler.calendar.BranchCalendar`) get rows.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from scheduler.calendar import BranchCalendar
from scheduler.domain import BranchConfig


def _default_base() -> dict[str, float]:
    return {"cash": 10.0, "noncash": 5.0, "lobby": 16.0, "wealth": 1.4, "corporate": 0.8}


def _default_trend() -> dict[str, float]:
    return {"cash": -0.06, "noncash": 0.02, "lobby": 0.0, "wealth": 0.08, "corporate": 0.03}


@dataclass(frozen=True)
class TrafficEffects:
    """Sizes of the effects that shape the sample traffic (multipliers unless noted).

    Attributes:
        base_per_hour: Mean customers per open hour of an ordinary weekday, per channel, at
            the end of the history (the trend runs backwards from there).
        default_base: Mean per hour for channels not listed in ``base_per_hour``.
        morning_peak: Clock hour (decimal) of the late-morning peak.
        morning_height: Height of the morning peak above the floor of the daily shape.
        afternoon_peak: Clock hour of the mid-afternoon peak.
        afternoon_height: Height of the afternoon peak.
        peak_width: Width (hours) of both peaks; between them lies the lunch dip.
        monday_morning: Monday before noon (the weekly peak of the seed's model).
        friday_afternoon: Friday from noon (the other weekly peak).
        wednesday_afternoon: Wednesday from noon (the weekly trough).
        saturday: Whole Saturday.
        sunday: Whole Sunday.
        month_end: The last ``month_end_days`` calendar days of a month (settlement).
        month_end_days: How many days at the end of a month count as month end.
        quarter_end: Extra on month-end days of March, June, September and December.
        corporate_month_end: Extra month-end effect for the ``corporate`` channel.
        pension_day: The day pensions are paid (cash and lobby channels; elderly customers).
        pension_day_of_month: Day of the month pensions are paid; when the branch is closed
            that day, the next open day takes the surge.
        pension_channels: Channels the pension surge affects.
        holiday: A day of a holiday break on which the branch opens (reduced hours): a public
            holiday or a weekend day of the break (``BranchCalendar.in_holiday_break``).
        adjusted_workday: A weekend day made a working day (调休上班).
        before_long_holiday: Each of the ``around_holiday_days`` open working days before a
            run of three or more days off that contains a public holiday.
        after_long_holiday: Each of the ``around_holiday_days`` open working days after it.
        around_holiday_days: How many working days before and after a long holiday count.
        trend_per_year: Relative change per year, per channel (e.g. -0.06 = cash falling 6%
            a year as customers move to mobile banking).
        dispersion: Negative-binomial size ``r``: variance = mean + mean**2 / r.
        missing_hour_share: Share of open hours dropped from the file (counter outages).
    """

    base_per_hour: dict[str, float] = field(default_factory=_default_base)
    default_base: float = 5.0
    morning_peak: float = 10.5
    morning_height: float = 0.6
    afternoon_peak: float = 15.0
    afternoon_height: float = 0.45
    peak_width: float = 1.8
    monday_morning: float = 1.35
    friday_afternoon: float = 1.30
    wednesday_afternoon: float = 0.75
    saturday: float = 0.85
    sunday: float = 0.70
    month_end: float = 1.25
    month_end_days: int = 3
    quarter_end: float = 1.15
    corporate_month_end: float = 1.40
    pension_day: float = 1.50
    pension_day_of_month: int = 10
    pension_channels: tuple[str, ...] = ("cash", "lobby")
    holiday: float = 0.55
    adjusted_workday: float = 1.10
    before_long_holiday: float = 1.30
    after_long_holiday: float = 1.25
    around_holiday_days: int = 2
    trend_per_year: dict[str, float] = field(default_factory=_default_trend)
    dispersion: float = 25.0
    missing_hour_share: float = 0.002

    def hour_shape(self, hour: int) -> float:
        """Unnormalised intraday shape at the middle of ``hour``: two peaks over a floor."""
        mid = hour + 0.5

        def bump(centre: float, height: float) -> float:
            return height * math.exp(-(((mid - centre) / self.peak_width) ** 2))

        return (
            0.55
            + bump(self.morning_peak, self.morning_height)
            + bump(self.afternoon_peak, self.afternoon_height)
        )

    def weekday_effect(self, day: dt.date, hour: int) -> float:
        """The weekly pattern: Monday morning and Friday afternoon peaks, Wednesday trough."""
        weekday = day.weekday()
        if weekday == 0 and hour < 12:
            return self.monday_morning
        if weekday == 4 and hour >= 12:
            return self.friday_afternoon
        if weekday == 2 and hour >= 12:
            return self.wednesday_afternoon
        if weekday == 5:
            return self.saturday
        if weekday == 6:
            return self.sunday
        return 1.0


@dataclass(frozen=True)
class DayFlags:
    """Why a day is special; the multipliers follow from :class:`TrafficEffects`.

    Attributes:
        holiday: Day of a holiday break: a public holiday or a weekend day of the break
            (branch open on holiday hours).
        adjusted_workday: Weekend made a working day (调休上班).
        month_end: Within the last days of a month.
        quarter_end: Month end of a quarter's last month.
        pension: Pension payment day.
        before_holiday: Working day just before a long holiday.
        after_holiday: Working day just after a long holiday.
    """

    holiday: bool = False
    adjusted_workday: bool = False
    month_end: bool = False
    quarter_end: bool = False
    pension: bool = False
    before_holiday: bool = False
    after_holiday: bool = False


def day_flags(
    calendar: BranchCalendar, start: dt.date, end: dt.date, effects: TrafficEffects
) -> dict[dt.date, DayFlags]:
    """The special-day flags of every open day from ``start`` to ``end`` inclusive."""
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    open_days = [d for d in days if calendar.is_open(d)]
    before: set[dt.date] = set()
    after: set[dt.date] = set()
    for year in range(start.year - 1, end.year + 2):
        for first, last in calendar.long_holiday_spans(year):
            before |= _working_days(calendar, first, -1, effects.around_holiday_days)
            after |= _working_days(calendar, last, +1, effects.around_holiday_days)
    pension_days: set[dt.date] = set()
    month = dt.date(start.year, start.month, 1)
    while month <= end:
        day = month.replace(day=min(effects.pension_day_of_month, 28))
        for _ in range(10):  # the next open day when the branch is closed on pension day
            if calendar.is_open(day):
                pension_days.add(day)
                break
            day += dt.timedelta(days=1)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    flags: dict[dt.date, DayFlags] = {}
    for day in open_days:
        days_left = ((day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - day).days
        month_end = days_left <= effects.month_end_days
        flags[day] = DayFlags(
            holiday=calendar.in_holiday_break(day),
            adjusted_workday=calendar.is_adjusted_workday(day),
            month_end=month_end,
            quarter_end=month_end and day.month in (3, 6, 9, 12),
            pension=day in pension_days,
            before_holiday=day in before,
            after_holiday=day in after,
        )
    return flags


def _working_days(calendar: BranchCalendar, edge: dt.date, step: int, n: int) -> set[dt.date]:
    out: set[dt.date] = set()
    day = edge + dt.timedelta(days=step)
    for _ in range(30):
        if len(out) >= n:
            break
        if calendar.is_working_day(day) and calendar.is_open(day):
            out.add(day)
        day += dt.timedelta(days=step)
    return out


def day_multiplier(flags: DayFlags, channel: str, effects: TrafficEffects) -> float:
    """The product of the special-day effects that apply to ``channel`` on a flagged day."""
    m = 1.0
    if flags.holiday:
        m *= effects.holiday
    if flags.adjusted_workday:
        m *= effects.adjusted_workday
    if flags.month_end:
        m *= effects.month_end
        if channel == "corporate":
            m *= effects.corporate_month_end
    if flags.quarter_end:
        m *= effects.quarter_end
    if flags.pension and channel in effects.pension_channels:
        m *= effects.pension_day
    if flags.before_holiday:
        m *= effects.before_long_holiday
    if flags.after_holiday:
        m *= effects.after_long_holiday
    return m


def expected_traffic(
    config: BranchConfig,
    start: dt.date,
    end: dt.date,
    effects: TrafficEffects | None = None,
) -> pd.DataFrame:
    """The mean count of every channel in every open hour from ``start`` to ``end``.

    Returns:
        Columns ``ds`` (hour start), ``channel``, ``mean``, sorted by channel then time. The
        intraday shape is normalised over each day's open hours, so an ordinary weekday's
        hours average to ``base_per_hour`` whatever the opening hours are.
    """
    effects = effects or TrafficEffects()
    calendar = BranchCalendar(config.branch)
    flags = day_flags(calendar, start, end, effects)
    records: list[tuple[dt.datetime, float, dt.date]] = []
    for day in sorted(flags):
        hours = calendar.hours(day)
        if hours is None:
            continue
        open_hours = range(hours.start_minute // 60, math.ceil(hours.end_minute / 60))
        norm = float(np.mean([effects.hour_shape(h) for h in open_hours]))
        for hour in open_hours:
            shape = effects.hour_shape(hour) / norm * effects.weekday_effect(day, hour)
            records.append((dt.datetime.combine(day, dt.time(hour)), shape, day))
    rows: list[dict[str, object]] = []
    for channel in (c.id for c in config.channels):
        base = effects.base_per_hour.get(channel, effects.default_base)
        trend = effects.trend_per_year.get(channel, 0.0)
        for ds, shape, day in records:
            years_back = (end - day).days / 365.25
            mean = (
                base
                * shape
                * day_multiplier(flags[day], channel, effects)
                * (1.0 + trend) ** (-years_back)
            )
            rows.append({"ds": ds, "channel": channel, "mean": mean})
    frame = pd.DataFrame(rows, columns=["ds", "channel", "mean"])
    frame["ds"] = frame["ds"].astype("datetime64[us]")
    return frame


def sample_traffic(
    config: BranchConfig,
    start: dt.date,
    end: dt.date,
    seed: int,
    effects: TrafficEffects | None = None,
) -> pd.DataFrame:
    """Draw hourly counts around :func:`expected_traffic` with a seeded generator.

    Returns:
        Columns ``timestamp`` (hour start), ``branch``, ``channel``, ``count`` (int), one row
        per open hour and channel except the few dropped as missing, sorted by channel then
        time.
    """
    effects = effects or TrafficEffects()
    mean = expected_traffic(config, start, end, effects)
    rng = np.random.default_rng(seed)
    r = effects.dispersion
    counts = rng.negative_binomial(r, r / (r + mean["mean"].to_numpy()))
    keep = rng.random(len(mean)) >= effects.missing_hour_share
    frame = pd.DataFrame(
        {
            "timestamp": mean["ds"],
            "branch": config.branch.id,
            "channel": mean["channel"],
            "count": counts.astype("int64"),
        }
    )
    return frame[keep].reset_index(drop=True)
