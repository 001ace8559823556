"""Backtest scores: MAE, RMSE, MASE against the weekly seasonal naive, interval coverage."""

from __future__ import annotations

import pandas as pd
import pytest

from forecasting.metrics import scores, weekly_naive_mae


def test_mase_scale_is_the_same_hour_last_week_error():
    """The MASE denominator is the in-sample mean |y - y one week earlier|."""
    ds = pd.Series(pd.to_datetime(["2026-11-02 09:00", "2026-11-09 09:00", "2026-11-16 09:00"]))
    assert weekly_naive_mae(ds, pd.Series([10.0, 14.0, 11.0])) == 3.5


def test_scores_of_hand_made_rows():
    """Errors 1 and -3 with scale 2: MAE 2, RMSE sqrt(5), MASE 1, half the hours covered."""
    rows = pd.DataFrame(
        {
            "y": [11.0, 7.0],
            "mean": [10.0, 10.0],
            "scale": [2.0, 2.0],
            "lo-80": [9.0, 9.0],
            "hi-80": [11.0, 11.0],
        }
    )
    out = scores(rows, [80])
    assert out == {
        "hours": 2.0,
        "mae": 2.0,
        "rmse": pytest.approx(5**0.5),
        "mase": 1.0,
        "coverage-80": 0.5,
    }
