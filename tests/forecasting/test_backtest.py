"""Backtest report: the choice and the calibration at each week use only earlier weeks."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from forecast_builders import synthetic_history

from forecasting.backtest import CHOSEN, OVERALL, backtest, evaluate
from forecasting.settings import ForecastSettings


def raw_rows(model: str, cutoff: str, errors: list[float]) -> pd.DataFrame:
    n = len(errors)
    return pd.DataFrame(
        {
            "unique_id": "B/cash",
            "cutoff": pd.Timestamp(cutoff),
            "ds": pd.date_range(cutoff, periods=n, freq="h") + pd.Timedelta(hours=9),
            "y": [10.0 + e for e in errors],
            "model": model,
            "label": model,
            "scale": 2.0,
            "mean": 10.0,
            "lo-80": 9.0,
            "hi-80": 11.0,
        }
    )


def test_the_choice_at_a_week_is_made_on_the_weeks_before_it():
    """GLM was better in the two earlier weeks, so it is chosen for the third, though it lost it."""
    raw = pd.concat(
        [
            raw_rows("seasonal_naive", "2026-11-09", [3, -3]),
            raw_rows("glm", "2026-11-09", [1, -1]),
            raw_rows("seasonal_naive", "2026-11-16", [3, -3]),
            raw_rows("glm", "2026-11-16", [1, -1]),
            raw_rows("seasonal_naive", "2026-11-23", [0, 0]),
            raw_rows("glm", "2026-11-23", [4, -4]),
        ],
        ignore_index=True,
    )
    settings = ForecastSettings(selection_origins=2, min_calibration_points=4)
    scored = evaluate(raw, 1, [80], settings)
    chosen = scored[scored["model"] == CHOSEN]
    assert chosen["label"].tolist() == ["glm", "glm"]
    assert chosen["cutoff"].unique().tolist() == [pd.Timestamp("2026-11-23")]
    # GLM's earlier errors of 1 customer on a half-width of 1: the factor stays 1.
    assert chosen[["lo-80", "hi-80"]].to_numpy().tolist() == [[9.0, 11.0], [9.0, 11.0]]
    naive = scored[scored["model"] == "seasonal_naive"]
    # The naive model missed by 3 on a half-width of 1 before: its interval is widened x3.
    assert naive[["lo-80", "hi-80"]].to_numpy().tolist() == [[7.0, 13.0], [7.0, 13.0]]


@pytest.mark.slow
def test_backtest_scores_every_model_and_the_choice_per_series_and_overall(sample_cfg, history_16w):
    """The report has a row per series and model plus the pooled rows, on the same hours."""
    report = backtest(history_16w, sample_cfg, origins=2)
    table = report.table.set_index(["unique_id", "model"])
    models = ["seasonal_naive", "glm", "mstl", CHOSEN]
    assert table.loc[OVERALL].index.tolist() == models
    assert table.loc[OVERALL, "hours"].tolist() == [216.0] * 4
    assert report.origins == 2
    naive = report.rows[report.rows["model"] == "seasonal_naive"]
    mase = ((naive["y"] - naive["mean"]).abs() / naive["scale"]).mean()
    assert table.loc[(OVERALL, "seasonal_naive"), "mase"] == pytest.approx(mase)


def test_a_backtest_on_too_little_history_says_how_much_it_needs(sample_cfg):
    """Fifteen days cannot be backtested: an input error with what is needed, no crash."""
    from forecasting import Forecaster
    from scheduler.errors import InputError

    history = synthetic_history(sample_cfg, dt.date(2026, 11, 15), dt.date(2026, 11, 29))
    for run in (
        lambda: backtest(history, sample_cfg, origins=1),
        lambda: Forecaster(sample_cfg).cross_validation(history),
    ):
        with pytest.raises(InputError) as caught:
            run()
        (issue,) = caught.value.errors
        assert issue.message == (
            "a backtest needs at least 21 days of history in a series (14 to fit, 7 to test "
            "on); the longest series covers 15 day(s)"
        )
        assert issue.allowed == "at least 21 days"


def test_a_channel_too_short_to_backtest_is_named_not_dropped_silently(sample_cfg):
    """Seventeen days of wealth beside months of cash: wealth is left out with a warning."""
    from forecasting import Forecaster

    cash = synthetic_history(sample_cfg, dt.date(2026, 9, 7), dt.date(2026, 11, 29), seed=2)
    cash = cash[cash["channel"] == "cash"]
    wealth = synthetic_history(sample_cfg, dt.date(2026, 11, 13), dt.date(2026, 11, 29), seed=3)
    wealth = wealth[wealth["channel"] == "wealth"]
    fc = Forecaster(sample_cfg, n_jobs=1)
    cv = fc.cross_validation(
        pd.concat([cash, wealth], ignore_index=True), origins=1, models=("seasonal_naive",)
    )
    assert set(cv["unique_id"]) == {"SH-PD-001/cash"}
    assert "SH-PD-001/wealth: too little history to backtest; left out of the backtest" in [
        i.message for i in fc.issues
    ]
