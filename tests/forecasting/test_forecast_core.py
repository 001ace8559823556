"""The forecaster's contract: one row per series and open hour, calibrated, events applied."""

from __future__ import annotations

import datetime as dt
import warnings

import numpy as np
import pandas as pd
import pytest
from conftest import synthetic_history

from forecasting import Forecaster, ForecastWarning, forecast
from scheduler.calendar import Horizon
from scheduler.errors import InputError
from scheduler.frames import FORECAST_COLUMNS

W49 = Horizon.iso_week("2026-W49")


def quiet_forecast(*args, **kwargs) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ForecastWarning)
        return forecast(*args, **kwargs)


def test_one_row_per_series_and_open_hour_with_the_forecast_columns(sample_cfg, history_16w):
    """Every open hour of the week gets a forecast with nested, non-negative intervals."""
    out = quiet_forecast(history_16w, sample_cfg, W49)
    assert tuple(out.columns) == FORECAST_COLUMNS
    assert out.groupby("unique_id").size().to_dict() == {
        "SH-PD-001/cash": 5 * 8 + 2 * 7,
        "SH-PD-001/wealth": 5 * 8 + 2 * 7,
    }
    assert not out.duplicated(["unique_id", "ds"]).any()
    assert set(out["model"]) <= {"seasonal_naive", "glm", "mstl"}
    values = out[["lo-95", "lo-80", "mean", "hi-80", "hi-95"]].to_numpy()
    assert (values >= 0).all() and (np.diff(values, axis=1) >= 0).all()
    cash = out[out["channel"] == "cash"]
    assert 0.6 < cash["mean"].mean() / 12.0 < 1.6


def test_each_model_can_be_asked_for_by_name(sample_cfg, history_16w):
    """`--model glm` makes every row come from the count regression."""
    out = quiet_forecast(history_16w, sample_cfg, W49, model="glm", levels=(90,))
    assert set(out["model"]) == {"glm"}
    assert list(out.columns[-2:]) == ["lo-90", "hi-90"]


def test_a_known_event_multiplies_its_hours_by_the_multiplier(sample_cfg, history_16w):
    """A x2 cash event on Tuesday 10:00-12:00 doubles those two cash hours, nothing else."""
    events = pd.DataFrame(
        [
            {
                "date": dt.date(2026, 12, 1),
                "start": dt.time(10),
                "end": dt.time(12),
                "name": "promo",
                "channel": "cash",
                "multiplier": 2.0,
            }
        ]
    )
    plain = quiet_forecast(history_16w, sample_cfg, W49)
    with_event = quiet_forecast(history_16w, sample_cfg, W49, events=events)
    ratio = (with_event["mean"] / plain["mean"]).round(3)
    hit = (with_event["channel"] == "cash") & with_event["ds"].isin(
        pd.to_datetime(["2026-12-01 10:00", "2026-12-01 11:00"])
    )
    assert ratio[hit].tolist() == [2.0, 2.0]
    assert set(ratio[~hit]) == {1.0}


def test_repairs_are_emitted_as_forecast_warnings(sample_cfg, history_16w):
    """A caller of the Python API is warned of every repair (here: a dropped duplicate)."""
    doubled = pd.concat([history_16w, history_16w.iloc[[0]]], ignore_index=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        forecast(doubled, sample_cfg, W49, model="seasonal_naive")
    texts = [str(w.message) for w in caught if w.category is ForecastWarning]
    assert (
        "<history>, column 'ds': 1 duplicate row(s) (same channel, hour and count) were "
        "dropped" in texts
    )


def test_a_zero_channel_is_forecast_as_zero_with_a_warning(sample_cfg, history_16w):
    """A channel that never had a customer gets zeros, and the user is told."""
    zero = history_16w[history_16w["channel"] == "wealth"].assign(channel="corporate", y=0)
    issues: list = []
    out = quiet_forecast(pd.concat([history_16w, zero]), sample_cfg, W49, issues=issues)
    corp = out[out["channel"] == "corporate"]
    assert set(corp["model"]) == {"zero"}
    assert corp[["mean", "lo-80", "hi-80", "lo-95", "hi-95"]].to_numpy().sum() == 0.0
    assert "SH-PD-001/corporate: every count is zero; the channel is forecast as zero" in [
        i.message for i in issues
    ]


def test_six_weeks_of_a_new_branch_still_give_a_sensible_forecast(sample_cfg):
    """A new branch with six weeks of data is forecast by the short-history form."""
    history = synthetic_history(
        sample_cfg, dt.date(2026, 10, 19), dt.date(2026, 11, 29), seed=5, levels={"cash": 12.0}
    )
    out = quiet_forecast(history, sample_cfg, W49)
    assert len(out) == 54
    assert set(out["model"]) <= {"glm_short", "seasonal_naive"}
    assert 0.7 < out["mean"].mean() / 12.0 < 1.4


def test_history_reaching_into_the_week_is_cut_at_its_start(sample_cfg, history_16w):
    """Only what was known before the week is used; later rows are reported, not used."""
    later = synthetic_history(sample_cfg, dt.date(2026, 11, 30), dt.date(2026, 12, 6), seed=9)
    issues: list = []
    out = quiet_forecast(pd.concat([history_16w, later]), sample_cfg, W49, issues=issues)
    assert len(out) == 108
    assert "108 row(s) at or after the forecast start 2026-11-30 were not used" in [
        i.message for i in issues
    ]


def test_a_process_pool_gives_the_same_forecast(sample_cfg, history_16w):
    """Running series in two worker processes changes nothing in the result."""
    one = quiet_forecast(history_16w, sample_cfg, W49, n_jobs=1)
    two = quiet_forecast(history_16w, sample_cfg, W49, n_jobs=2)
    pd.testing.assert_frame_equal(one, two)


def test_fit_predict_and_cross_validation_contract(sample_cfg, history_16w):
    """fit/predict reproduce forecast(); cross_validation gives a week of rows per origin."""
    fc = Forecaster(sample_cfg).fit(history_16w)
    assert set(fc.fits) == {"SH-PD-001/cash", "SH-PD-001/wealth"}
    assert len(fc.predict(W49)) == 108
    cv = fc.cross_validation(history_16w, origins=2, models=("seasonal_naive",))
    assert cv.groupby(["unique_id", "cutoff"]).size().tolist() == [54, 54, 54, 54]
    with pytest.raises(InputError, match="the forecast starts 2026-11-23"):
        fc.predict(Horizon.iso_week("2026-W48"))


def test_unknown_model_and_bad_levels_are_input_errors(sample_cfg, history_16w):
    """A misspelt model or a level outside 0-100 is refused with what is allowed."""
    with pytest.raises(InputError) as caught:
        forecast(history_16w, sample_cfg, W49, model="arima")
    assert caught.value.errors[0].allowed == "auto, seasonal_naive, glm, mstl"
    with pytest.raises(InputError, match="percentages between 0 and 100"):
        forecast(history_16w, sample_cfg, W49, levels=(80, 120))
