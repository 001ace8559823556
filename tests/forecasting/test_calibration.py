"""Interval calibration: past weeks decide how wide the intervals must be to hold their level."""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting.calibration import apply_scales, scale_factors


def backtest_rows(y: list[float]) -> pd.DataFrame:
    n = len(y)
    return pd.DataFrame({"y": y, "mean": [10.0] * n, "lo-80": [8.0] * n, "hi-80": [12.0] * n})


def test_factor_makes_the_asked_share_of_past_hours_fall_inside():
    """Eight of ten past hours inside needs half-widths x4 when errors are 1..10 customers."""
    rows = backtest_rows([10.0 + e for e in (1, -2, 3, -4, 5, -6, 7, -8, 9, -10)])
    factors = scale_factors(rows, [80], min_points=10)
    assert factors == {80: 4.0}
    scaled = apply_scales(rows, factors, [80])
    inside = (rows["y"] >= scaled["lo-80"]) & (rows["y"] <= scaled["hi-80"])
    assert inside.mean() == 0.8
    assert scaled[["lo-80", "hi-80"]].iloc[0].tolist() == [2.0, 18.0]


def test_too_few_backtest_hours_leave_the_model_intervals_alone():
    """Below the minimum number of hours the factor is 1 (no calibration from noise)."""
    assert scale_factors(backtest_rows([10.0, 30.0]), [80], min_points=40) == {80: 1.0}


def test_scaled_intervals_stay_non_negative_and_nested():
    """A lower bound never goes below zero and the 95% interval contains the 80% one."""
    frame = pd.DataFrame(
        {"mean": [1.0], "lo-80": [0.0], "hi-80": [3.0], "lo-95": [0.0], "hi-95": [4.0]}
    )
    out = apply_scales(frame, {80: 3.0, 95: 1.0}, [80, 95])
    assert out.iloc[0].tolist() == [1.0, 0.0, 7.0, 0.0, 7.0]
    assert np.all(out.to_numpy() >= 0)


def test_an_interval_starting_at_zero_is_only_rescaled_upwards():
    """Small counts: no count is below zero, so only the upper side decides the width."""
    rows = pd.DataFrame(
        {
            "y": [0.0, 0.0, 0.0, 1.0, 1.0, 2.0, 2.0, 2.0, 3.0, 3.0],
            "mean": 1.5,
            "lo-80": 0.0,
            "hi-80": 3.0,
        }
    )
    factors = scale_factors(rows, [80], min_points=10)
    assert factors == {80: 1 / 3}
    scaled = apply_scales(rows, factors, [80])
    assert scaled[["lo-80", "hi-80"]].iloc[0].tolist() == [0.0, 2.0]
    inside = (rows["y"] >= scaled["lo-80"]) & (rows["y"] <= scaled["hi-80"])
    assert inside.mean() == 0.8
