"""Calendar features: 调休, holidays, the days around long holidays, month end, pension days."""

from __future__ import annotations

import datetime as dt

from forecasting.calendar_features import CalendarFeatures
from forecasting.settings import ForecastSettings
from scheduler.calendar import BranchCalendar
from scheduler.domain import BranchConfig, Weekday


def features(config: BranchConfig, pension: tuple[int, ...] = ()) -> CalendarFeatures:
    return CalendarFeatures(BranchCalendar(config.branch), ForecastSettings(pension_days=pension))


def flagged(feat: CalendarFeatures, name: str, start: dt.date, end: dt.date) -> list[dt.date]:
    days, day = [], start
    while day <= end:
        if feat.day_row(day)[name]:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def test_national_day_holiday_and_adjusted_workday_follow_the_cn_calendar(sample_cfg):
    """2026-10-01 is a holiday; Sunday 2026-09-20 is worked (调休) and follows Monday's profile."""
    feat = features(sample_cfg)
    assert feat.day_row(dt.date(2026, 10, 1))["holiday"] == 1
    sunday = feat.day_row(dt.date(2026, 9, 20))
    assert (sunday["adjusted_workday"], sunday["weekday"], sunday["profile_day"]) == (1, 6, 0)


def test_weekend_days_of_a_holiday_break_carry_the_holiday_feature(sample_cfg):
    """Sun 4 Oct and Sat/Sun 20-21 Jun 2026 are days of a break; 调休 Sat 10 Oct is not."""
    feat = features(sample_cfg)
    for day in (dt.date(2026, 10, 4), dt.date(2026, 6, 20), dt.date(2026, 6, 21)):
        assert feat.day_row(day)["holiday"] == 1, day
    saturday = feat.day_row(dt.date(2026, 10, 10))
    assert (saturday["holiday"], saturday["adjusted_workday"]) == (0, 1)
    assert feat.day_row(dt.date(2026, 11, 15))["holiday"] == 0


def test_two_working_days_before_and_after_a_long_holiday_are_marked(sample_cfg):
    """The last two working days before National Day and the first two after are peaks."""
    feat = features(sample_cfg)
    span = (dt.date(2026, 9, 28), dt.date(2026, 10, 12))
    assert flagged(feat, "pre_holiday_1", *span) == [dt.date(2026, 9, 30)]
    assert flagged(feat, "pre_holiday_2", *span) == [dt.date(2026, 9, 29)]
    assert flagged(feat, "post_holiday_1", *span) == [dt.date(2026, 9, 28), dt.date(2026, 10, 8)]
    assert flagged(feat, "post_holiday_2", *span) == [dt.date(2026, 9, 29), dt.date(2026, 10, 9)]


def test_month_end_is_the_last_three_open_days_and_quarter_end_those_of_march(sample_cfg):
    """Month-end settlement days are the last three days the branch opens in the month."""
    feat = features(sample_cfg)
    march = (dt.date(2026, 3, 25), dt.date(2026, 3, 31))
    assert flagged(feat, "month_end_1", *march) == [dt.date(2026, 3, 31)]
    assert flagged(feat, "month_end_2", *march) == [dt.date(2026, 3, 30)]
    assert flagged(feat, "month_end_3", *march) == [dt.date(2026, 3, 29)]
    assert flagged(feat, "quarter_end", *march) == [dt.date(2026, 3, d) for d in (29, 30, 31)]
    assert flagged(feat, "quarter_end", dt.date(2026, 4, 25), dt.date(2026, 4, 30)) == []


def test_pension_day_moves_to_the_next_day_the_branch_opens(sample_cfg):
    """Pensions paid on the 10th: when the branch is closed that Sunday, Monday takes the surge."""
    hours = dict(sample_cfg.branch.opening_hours) | {Weekday.SUN: None}
    branch = sample_cfg.branch.model_copy(update={"opening_hours": hours})
    config = sample_cfg.model_copy(update={"branch": branch})
    feat = features(config, pension=(10,))
    assert flagged(feat, "pension", dt.date(2026, 5, 1), dt.date(2026, 5, 31)) == [
        dt.date(2026, 5, 11)
    ]
    assert flagged(feat, "pension", dt.date(2026, 6, 1), dt.date(2026, 6, 30)) == [
        dt.date(2026, 6, 10)
    ]


def test_open_hours_follow_weekday_weekend_and_holiday_hours(sample_cfg):
    """Only open hours are forecast: 09-17 on weekdays, 09-16 at weekends, 10-15 in a break.

    Sunday 4 Oct 2026 lies inside the 1-7 Oct National Day break, so it has holiday hours.
    """
    frame = features(sample_cfg).open_hours(dt.date(2026, 10, 1), dt.date(2026, 10, 9))
    per_day = frame.groupby("date")["hour"].agg(["min", "max", "size"])
    assert per_day.loc[dt.date(2026, 10, 1)].tolist() == [10, 14, 5]
    assert per_day.loc[dt.date(2026, 10, 4)].tolist() == [10, 14, 5]
    assert per_day.loc[dt.date(2026, 10, 8)].tolist() == [9, 16, 8]
    assert len(frame) == 5 * 7 + 8 * 2
