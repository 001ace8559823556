"""Extreme outliers: a mis-keyed day or hour is left out and named; calendar peaks are not."""

from __future__ import annotations

import datetime as dt
import warnings

import numpy as np
import pandas as pd
import pytest
from forecast_builders import synthetic_history

from forecasting import Forecaster, ForecastWarning, forecast
from forecasting.calendar_features import CalendarFeatures
from forecasting.outliers import find_outliers
from forecasting.settings import ForecastSettings
from scheduler.calendar import BranchCalendar, Horizon

W49 = Horizon.iso_week("2026-W49")
PENSION = ForecastSettings(pension_days=(10,))
CALENDAR_PEAKS = {
    "month_end_1": 2.2,
    "month_end_2": 1.6,
    "quarter_end": 1.4,
    "pension": 2.5,
    "pre_holiday_1": 1.9,
    "post_holiday_1": 1.7,
    "adjusted_workday": 1.3,
    "holiday": 0.6,
}


def calendar_series(cfg, level: float, *, seed: int, start=dt.date(2026, 1, 5)) -> pd.DataFrame:
    """One series to 2026-11-29 with strong calendar peaks, as prepared for fitting."""
    rows = CalendarFeatures(BranchCalendar(cfg.branch), PENSION).open_hours(
        start, dt.date(2026, 11, 29)
    )
    shape = rows["hour"].map({9: 0.7, 10: 1.3, 11: 1.4, 12: 0.9, 15: 1.2}).fillna(1.0)
    mu = level * shape.to_numpy() * np.take((1.3, 1.0, 0.8, 1.0, 1.2, 0.7, 0.6), rows["weekday"])
    for feature, factor in CALENDAR_PEAKS.items():
        mu = mu * np.where(rows[feature].to_numpy() == 1, factor, 1.0)
    size = 20.0
    rng = np.random.default_rng(seed)
    y = rng.negative_binomial(size, size / (size + mu)).astype(float)
    return rows.assign(y=y, event_offset=0.0, event_flag=0.0)


def on_day(rows: pd.DataFrame, day: str) -> np.ndarray:
    return (rows["ds"].dt.normalize() == pd.Timestamp(day)).to_numpy()


@pytest.mark.parametrize(("level", "seed"), [(0.8, 1), (4.0, 2), (20.0, 3)])
def test_month_end_pension_and_holiday_peaks_are_not_outliers(sample_cfg, level, seed):
    """Peaks the calendar explains (x2.5 on pension day) are never flagged, busy or quiet."""
    rows = calendar_series(sample_cfg, level, seed=seed)
    mask, found = find_outliers(rows)
    assert found == [] and not mask.any()


@pytest.mark.parametrize("level", [0.8, 4.0, 20.0])
def test_a_day_fifty_times_too_high_is_left_out_even_on_a_calendar_day(sample_cfg, level):
    """A Tuesday x50, and a month-end x50, are outliers whatever the series' size."""
    rows = calendar_series(sample_cfg, level, seed=7)
    for day in ("2026-11-24", "2026-10-30"):  # an ordinary Tuesday; month-end (Friday)
        hit = on_day(rows, day)
        rows.loc[hit, "y"] = rows.loc[hit, "y"] * 50 + 50
    mask, found = find_outliers(rows)
    assert [(o.day, o.whole_day) for o in found] == [
        (dt.date(2026, 10, 30), True),
        (dt.date(2026, 11, 24), True),
    ]
    assert (mask == (on_day(rows, "2026-11-24") | on_day(rows, "2026-10-30"))).all()
    assert found[1].count / found[1].usual > 20


def test_a_single_wild_hour_is_left_out_alone_and_low_days_never(sample_cfg):
    """A counter stuck for one hour loses that hour only; a day at zero is real traffic."""
    rows = calendar_series(sample_cfg, 10.0, seed=4)
    wild = (rows["ds"] == pd.Timestamp("2026-11-17 11:00")).to_numpy()
    rows.loc[wild, "y"] = 400.0
    rows.loc[on_day(rows, "2026-11-18"), "y"] = 0.0
    mask, found = find_outliers(rows)
    assert (mask == wild).all()
    (outlier,) = found
    assert outlier.describe().startswith("2026-11-17 (Tuesday) 11:00: 400 customers against about")


def quiet_forecast(*args, **kwargs) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ForecastWarning)
        return forecast(*args, **kwargs)


def test_one_day_times_fifty_no_longer_raises_the_forecast_and_is_reported(sample_cfg):
    """A recent Tuesday x50 leaves the week's forecast as it was and is named with its size."""
    history = synthetic_history(
        sample_cfg, dt.date(2026, 9, 7), dt.date(2026, 11, 29), seed=3, levels={"cash": 10.0}
    )
    spiked = history.copy()
    tuesday = spiked["ds"].dt.normalize() == pd.Timestamp("2026-11-24")
    spiked.loc[tuesday, "y"] *= 50
    clean = quiet_forecast(history, sample_cfg, W49, model="glm")
    issues: list = []
    dirty = quiet_forecast(spiked, sample_cfg, W49, model="glm", issues=issues)
    assert dirty["mean"].sum() == pytest.approx(clean["mean"].sum(), rel=0.03)
    (note,) = [i.message for i in issues if "outlier" in i.message]
    assert note.startswith("SH-PD-001/cash: 2026-11-24 (Tuesday): ")
    assert "x); an extreme outlier" in note and "left out of fitting" in note


def test_outliers_are_left_out_of_the_backtest_rows_too(sample_cfg):
    """The frames the models see (fit and backtest) have the outlier day missing."""
    history = synthetic_history(
        sample_cfg, dt.date(2026, 9, 7), dt.date(2026, 11, 29), seed=3, levels={"cash": 10.0}
    )
    history.loc[history["ds"].dt.normalize() == pd.Timestamp("2026-11-10"), "y"] *= 50
    fc = Forecaster(sample_cfg)
    frame = fc.prepare(history)["SH-PD-001/cash"]
    assert frame.loc[on_day(frame, "2026-11-10"), "y"].isna().all()
    assert frame["y"].notna().sum() == len(frame) - on_day(frame, "2026-11-10").sum()
