"""Model choice per series by rolling-origin backtest."""

from __future__ import annotations

import pandas as pd

from forecasting.selection import (
    FALLBACK_MODEL,
    choose,
    eligible,
    history_weeks,
    weekly_cutoffs,
)
from forecasting.settings import ForecastSettings


def test_origins_are_whole_weeks_ending_with_the_history():
    """The last origin leaves exactly the last week of history to test on."""
    frame = pd.DataFrame({"ds": pd.date_range("2026-10-05 09:00", "2026-11-29 15:00", freq="h")})
    cuts = weekly_cutoffs(frame, 3, 14)
    assert cuts == [pd.Timestamp(d) for d in ("2026-11-09", "2026-11-16", "2026-11-23")]
    assert weekly_cutoffs(frame, 10, 14)[0] == pd.Timestamp("2026-10-19")


def rows(model: str, errors: list[float], cutoffs: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "cutoff": pd.to_datetime(cutoffs),
            "model": model,
            "y": [10.0 + e for e in errors],
            "mean": 10.0,
            "scale": 2.0,
            "lo-80": 9.0,
            "hi-80": 11.0,
        }
    )


def test_the_model_with_the_smallest_error_is_chosen_and_naive_wins_ties():
    """The lowest mean absolute error wins; on a tie the simpler seasonal naive is kept."""
    cuts = ["2026-11-16", "2026-11-23"]
    frame = pd.concat(
        [
            rows("seasonal_naive", [2, 2], cuts),
            rows("glm", [1, -1], cuts),
            rows("mstl", [3, 3], cuts),
        ]
    )
    choice = choose(frame, ["seasonal_naive", "glm", "mstl"], [80], ForecastSettings())
    assert (choice.model, choice.mase, choice.origins) == ("glm", 0.5, 2)
    tie = pd.concat([rows("seasonal_naive", [1, 1], cuts), rows("glm", [1, -1], cuts)])
    assert choose(tie, ["seasonal_naive", "glm"], [80], ForecastSettings()).model == (
        "seasonal_naive"
    )


def test_a_model_missing_at_an_origin_does_not_compete():
    """Models are compared on the same weeks: one that could not run everywhere is left out."""
    frame = pd.concat(
        [
            rows("seasonal_naive", [2, 2], ["2026-11-16", "2026-11-23"]),
            rows("mstl", [0], ["2026-11-23"]),
        ]
    )
    choice = choose(frame, ["seasonal_naive", "mstl"], [80], ForecastSettings())
    assert choice.model == "seasonal_naive"
    assert not choice.calibrated


def test_without_backtest_rows_the_documented_fallback_is_chosen_uncalibrated():
    """No backtest week at all: the count regression (glm_short on short histories) is used."""
    empty = rows("glm", [], [])
    choice = choose(empty, ["seasonal_naive", "glm"], [80], ForecastSettings())
    assert (choice.model, choice.calibrated, choice.origins) == (FALLBACK_MODEL, False, 0)
    assert FALLBACK_MODEL == "glm"


def test_history_is_counted_in_whole_days_so_two_weeks_make_the_regression_eligible():
    """Fourteen days of 09:00-16:00 hours are 2.0 weeks: the regression may be fitted."""
    frame = pd.DataFrame({"ds": pd.date_range("2026-11-16 09:00", "2026-11-29 16:00", freq="h")})
    settings = ForecastSettings()
    assert history_weeks(frame) == 2.0
    assert history_weeks(frame, pd.Timestamp("2026-11-23")) == 1.0
    assert eligible("glm", history_weeks(frame), settings)
    assert not eligible("mstl", history_weeks(frame), settings)
