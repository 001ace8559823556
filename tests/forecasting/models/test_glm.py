"""Count regression: hour-of-week profile, calendar effects, events and its short-history form."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from forecasting.calendar_features import CalendarFeatures
from forecasting.models import CountGLM
from forecasting.models.glm import nb_quantile
from scheduler.calendar import BranchCalendar


def rows(cfg, start: dt.date, end: dt.date) -> pd.DataFrame:
    frame = CalendarFeatures(BranchCalendar(cfg.branch)).open_hours(start, end)
    return frame.assign(event_offset=0.0, event_flag=0.0)


def expected(frame: pd.DataFrame) -> np.ndarray:
    """A noiseless truth: 10 per hour, x2 at 10:00, x0.5 on holidays, x1.5 on month end."""
    return (
        10.0
        * np.where(frame["hour"] == 10, 2.0, 1.0)
        * np.where(frame["holiday"] == 1, 0.5, 1.0)
        * np.where(frame["month_end_1"] == 1, 1.5, 1.0)
    )


def test_noiseless_multiplicative_effects_are_recovered_exactly(sample_cfg):
    """Hour, holiday and month-end effects multiply the mean as they do in the data."""
    train = rows(sample_cfg, dt.date(2025, 11, 3), dt.date(2026, 11, 29))
    train["y"] = expected(train)
    future = rows(sample_cfg, dt.date(2026, 12, 28), dt.date(2027, 1, 3))
    model = CountGLM().fit(train)
    pred = model.predict(future, [80])
    assert model.label == "glm"
    assert pred["mean"].to_numpy() == pytest.approx(expected(future), rel=1e-3)


def test_short_history_uses_additive_day_and_hour_effects(sample_cfg):
    """Six weeks of history give the fallback form, still following the day and hour profile."""
    train = rows(sample_cfg, dt.date(2026, 10, 19), dt.date(2026, 11, 29))
    truth = lambda f: np.where(f["hour"] == 10, 20.0, 10.0) * np.where(f["weekday"] == 0, 1.5, 1.0)  # noqa: E731
    train["y"] = truth(train)
    future = rows(sample_cfg, dt.date(2026, 12, 1), dt.date(2026, 12, 7))
    model = CountGLM().fit(train)
    pred = model.predict(future, [80])
    assert model.label == "glm_short"
    assert pred["mean"].to_numpy() == pytest.approx(truth(future), rel=1e-3)


def test_a_holiday_never_seen_follows_sundays_profile(sample_cfg):
    """Without a holiday in the history, a holiday is forecast like a Sunday at those hours."""
    train = rows(sample_cfg, dt.date(2026, 10, 12), dt.date(2026, 12, 27))
    train["y"] = np.where(train["weekday"] == 6, 4.0, 10.0)
    future = rows(sample_cfg, dt.date(2027, 1, 1), dt.date(2027, 1, 1))
    assert future["holiday"].tolist() == [1] * 5
    pred = CountGLM().fit(train).predict(future, [80])
    assert pred["mean"].to_numpy() == pytest.approx(np.full(5, 4.0), rel=1e-3)


def test_a_known_event_multiplier_scales_the_forecast_and_is_not_learnt(sample_cfg):
    """An event entered with x1.5 raises its hours by exactly 1.5 and leaves the fit alone."""
    train = rows(sample_cfg, dt.date(2026, 10, 5), dt.date(2026, 11, 29))
    train["y"] = 10.0
    train.loc[train["ds"] == pd.Timestamp("2026-11-25 11:00"), ["y", "event_offset"]] = [
        15.0,
        np.log(1.5),
    ]
    future = rows(sample_cfg, dt.date(2026, 11, 30), dt.date(2026, 11, 30))
    future.loc[future["hour"] == 11, "event_offset"] = np.log(1.5)
    pred = CountGLM().fit(train).predict(future, [80])
    assert pred["mean"].to_numpy() == pytest.approx(
        np.where(future["hour"] == 11, 15.0, 10.0), rel=1e-4
    )


def test_negative_binomial_quantiles_match_scipy_and_poisson_without_dispersion():
    """Interval bounds are negative binomial quantiles (Poisson when there is no dispersion)."""
    mu = np.array([2.0, 10.0])
    assert nb_quantile(0.9, mu, 0.0).tolist() == stats.poisson.ppf(0.9, mu).tolist()
    assert (
        nb_quantile(0.9, mu, 0.2).tolist() == stats.nbinom.ppf(0.9, 5.0, 5.0 / (5.0 + mu)).tolist()
    )
    assert nb_quantile(0.9, np.array([10.0]), 0.0).tolist() == [14.0]


def test_starting_from_last_weeks_coefficients_gives_the_same_forecast(sample_cfg):
    """Warm starts across backtest weeks only save time: the forecast is the same."""
    train = rows(sample_cfg, dt.date(2026, 8, 3), dt.date(2026, 11, 29))
    rng = np.random.default_rng(4)
    train["y"] = rng.poisson(expected(train)).astype(float)
    future = rows(sample_cfg, dt.date(2026, 11, 30), dt.date(2026, 12, 6))
    earlier = CountGLM().fit(train[train["ds"] < pd.Timestamp("2026-11-23")])
    cold = CountGLM().fit(train).predict(future, [80])
    warm = CountGLM(start=earlier.coefficients()).fit(train).predict(future, [80])
    assert warm["mean"].to_numpy() == pytest.approx(cold["mean"].to_numpy(), rel=1e-5)
    assert warm["hi-80"].tolist() == cold["hi-80"].tolist()
