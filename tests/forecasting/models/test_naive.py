"""Seasonal naive: the same hour last week, the baseline every score is compared with."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from forecasting.calendar_features import CalendarFeatures
from forecasting.models import SeasonalNaive
from scheduler.calendar import BranchCalendar


def rows(cfg, start: dt.date, end: dt.date) -> pd.DataFrame:
    frame = CalendarFeatures(BranchCalendar(cfg.branch)).open_hours(start, end)
    return frame.assign(event_offset=0.0, event_flag=0.0)


def test_forecast_is_the_same_hour_last_week_and_older_weeks_fill_gaps(sample_cfg):
    """Monday 09:00 is forecast by last Monday 09:00; a missing hour by the week before."""
    train = rows(sample_cfg, dt.date(2026, 11, 16), dt.date(2026, 11, 29))
    train["y"] = np.arange(len(train), dtype=float)
    last_monday_nine = train.index[train["ds"] == pd.Timestamp("2026-11-23 09:00")][0]
    train.loc[last_monday_nine, "y"] = np.nan
    future = rows(sample_cfg, dt.date(2026, 11, 30), dt.date(2026, 11, 30))
    pred = SeasonalNaive().fit(train).predict(future, [80])
    week_before = train.loc[train["ds"] == pd.Timestamp("2026-11-16 09:00"), "y"].item()
    last_week = train.loc[train["ds"].dt.date == dt.date(2026, 11, 23), "y"].tolist()
    assert pred["mean"].tolist() == [week_before, *last_week[1:]]


def test_intervals_are_last_week_plus_the_quantiles_of_weekly_changes(sample_cfg):
    """With every week-on-week change equal to +2, the interval is exactly mean + 2."""
    train = rows(sample_cfg, dt.date(2026, 11, 16), dt.date(2026, 11, 29))
    train["y"] = np.where(train["ds"] >= pd.Timestamp("2026-11-23"), 12.0, 10.0)
    future = rows(sample_cfg, dt.date(2026, 11, 30), dt.date(2026, 11, 30))
    pred = SeasonalNaive().fit(train).predict(future, [80])
    assert pred["mean"].unique().tolist() == [12.0]
    assert pred["lo-80"].unique().tolist() == [12.0]
    assert pred["hi-80"].unique().tolist() == [14.0]
