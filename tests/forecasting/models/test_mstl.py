"""Seasonal decomposition: daily and weekly cycles carried forward on square-root counts."""

from __future__ import annotations

import datetime as dt

import pytest

from forecasting.calendar_features import CalendarFeatures
from forecasting.models import SeasonalDecomposition
from scheduler.calendar import BranchCalendar


def test_a_repeating_week_is_forecast_as_itself(sample_cfg):
    """A series that repeats the same week exactly is forecast as that week (within 1%)."""
    feats = CalendarFeatures(BranchCalendar(sample_cfg.branch))
    train = feats.open_hours(dt.date(2026, 10, 12), dt.date(2026, 11, 29))
    train = train[train["holiday"] == 0].assign(event_offset=0.0, event_flag=0.0)
    pattern = lambda f: (4.0 + f["hour"] % 3) * (1.0 + f["weekday"] / 10)  # noqa: E731
    train["y"] = pattern(train)
    future = feats.open_hours(dt.date(2026, 11, 30), dt.date(2026, 12, 6))
    future = future.assign(event_offset=0.0, event_flag=0.0)
    model = SeasonalDecomposition().fit(train)
    pred = model.predict(future, [80, 95])
    assert model.noise == pytest.approx(0.0, abs=1e-3)
    assert pred["mean"].to_numpy() == pytest.approx(pattern(future).to_numpy(), rel=1e-2)
    width = (pred["hi-95"] - pred["lo-95"]) / pred["mean"]
    assert float(width.max()) < 0.05
