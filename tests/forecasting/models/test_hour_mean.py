"""Mean per hour: the honest fallback for a channel with only a few days of history."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from forecasting.calendar_features import CalendarFeatures
from forecasting.models import HourMean
from forecasting.models.hour_mean import MIN_DISPERSION
from scheduler.calendar import BranchCalendar


def rows(cfg, start: dt.date, end: dt.date) -> pd.DataFrame:
    frame = CalendarFeatures(BranchCalendar(cfg.branch)).open_hours(start, end)
    return frame.assign(event_offset=0.0, event_flag=0.0)


def test_same_weekday_and_hour_where_seen_else_the_hour_of_day_each_shrunk(sample_cfg):
    """Weekday-hour mean where seen, else the hour's; each shrunk by one observation's weight."""
    train = rows(sample_cfg, dt.date(2026, 11, 27), dt.date(2026, 11, 29))  # Fri-Sun
    train["y"] = (train["hour"] + 10 * train["weekday"]).astype(float)
    future = rows(sample_cfg, dt.date(2026, 11, 30), dt.date(2026, 12, 6))
    pred = HourMean().fit(train).predict(future, [80, 95])
    mean = pd.Series(pred["mean"].to_numpy(), index=future["ds"])
    overall = train["y"].mean()
    ten = (50 + 60 + 70 + overall) / 4
    assert mean[pd.Timestamp("2026-12-04 10:00")] == pytest.approx((50 + ten) / 2)
    assert mean[pd.Timestamp("2026-11-30 10:00")] == pytest.approx(ten)
    sixteen = (56 + overall) / 2  # only Friday is open at 16:00
    assert mean[pd.Timestamp("2026-11-30 16:00")] == pytest.approx(sixteen)


def test_an_hour_seen_once_empty_is_not_a_certain_zero(sample_cfg):
    """One Friday with nobody at 11:00 gives a small mean and an interval above zero."""
    train = rows(sample_cfg, dt.date(2026, 11, 27), dt.date(2026, 11, 29)).assign(y=3.0)
    train.loc[train["ds"] == pd.Timestamp("2026-11-27 11:00"), "y"] = 0.0
    future = rows(sample_cfg, dt.date(2026, 12, 4), dt.date(2026, 12, 4))
    pred = HourMean().fit(train).predict(future, [80])
    at_eleven = pred[future["hour"].to_numpy() == 11]
    assert 0.5 < at_eleven["mean"].item() < 3 and at_eleven["hi-80"].item() >= 2


def test_intervals_are_wide_negative_binomial_even_for_steady_days(sample_cfg):
    """Three identical days do not make a narrow interval: the dispersion is at least 0.25."""
    train = rows(sample_cfg, dt.date(2026, 11, 27), dt.date(2026, 11, 29)).assign(y=10.0)
    model = HourMean().fit(train)
    assert model.alpha == MIN_DISPERSION
    pred = model.predict(rows(sample_cfg, dt.date(2026, 12, 4), dt.date(2026, 12, 4)), [80])
    assert set(pred["mean"]) == {10.0}
    assert pred["hi-80"].min() - pred["lo-80"].max() >= 12  # Poisson alone: about 8
