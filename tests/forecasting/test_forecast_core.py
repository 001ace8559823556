"""The forecaster's contract: one row per series and open hour, calibrated, events applied."""

from __future__ import annotations

import datetime as dt
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from forecast_builders import synthetic_history

from forecasting import Forecaster, ForecastWarning, forecast
from forecasting.core import whole_count_bounds
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


def test_a_channel_with_three_days_is_forecast_by_its_hour_mean_not_blocking_others(sample_cfg):
    """A new channel is forecast by its hour means with wide intervals; the others as usual."""
    history = synthetic_history(
        sample_cfg, dt.date(2026, 10, 5), dt.date(2026, 11, 29), seed=4, levels={"cash": 12.0}
    )
    new = synthetic_history(
        sample_cfg, dt.date(2026, 11, 27), dt.date(2026, 11, 29), seed=5, levels={"wealth": 6.0}
    )
    issues: list = []
    out = quiet_forecast(pd.concat([history, new]), sample_cfg, W49, model="glm", issues=issues)
    models = out.groupby("channel")["model"].unique().to_dict()
    assert [list(models["cash"]), list(models["wealth"])] == [["glm_short"], ["hour_mean"]]
    wealth = out[out["channel"] == "wealth"]
    assert 0.75 < wealth["mean"].mean() / new["y"].mean() < 1.25
    assert (wealth["hi-80"] - wealth["lo-80"] >= wealth["mean"]).all()
    assert (wealth["hi-80"] > 0).all()
    assert any(
        i.message.startswith("SH-PD-001/wealth: history covers only 3 day(s)")
        and "mean per hour" in i.message
        for i in issues
    )


def test_a_new_branch_with_ten_days_is_forecast_by_hour_means_not_refused(sample_cfg):
    """Every channel short (a branch opened ten days ago): hour means for all, and a warning."""
    history = synthetic_history(
        sample_cfg,
        dt.date(2026, 11, 20),
        dt.date(2026, 11, 29),
        seed=7,
        levels={"cash": 10.0, "lobby": 20.0},
    )
    issues: list = []
    out = quiet_forecast(history, sample_cfg, W49, issues=issues)
    assert set(out["model"]) == {"hour_mean"}
    assert set(out["channel"]) == set(history["channel"])
    for channel, rows in out.groupby("channel"):
        seen = history.loc[history["channel"] == channel, "y"].mean()
        assert 0.75 < rows["mean"].mean() / seen < 1.25, channel
    assert (out["hi-95"] >= out["hi-80"]).all() and (out["hi-80"] > out["mean"]).all()
    assert any(i.message.startswith("every channel has less than 14 days") for i in issues)


def test_fifteen_days_are_forecast_by_the_documented_fallback_not_mstl(sample_cfg):
    """Too little history to backtest: the short regression, never the 4-week-only MSTL."""
    history = synthetic_history(
        sample_cfg, dt.date(2026, 11, 15), dt.date(2026, 11, 29), seed=6, levels={"cash": 9.0}
    )
    issues: list = []
    out = quiet_forecast(history, sample_cfg, W49, issues=issues)
    assert set(out["model"]) == {"glm_short"}
    assert (
        "<history>: SH-PD-001/cash: too little history to backtest (0 hour(s); 40 needed); glm "
        "was used and its intervals are the model's own, not calibrated"
    ) in [str(i) for i in issues]


def test_hours_without_history_borrow_the_nearest_hour_with_wider_intervals(sample_cfg):
    """Hours never in the history take the nearest hour's mean, lower bound 0, doubled width."""
    history = synthetic_history(
        sample_cfg, dt.date(2026, 10, 5), dt.date(2026, 11, 29), seed=7, levels={"cash": 12.0}
    )
    history = history[history["ds"].dt.hour.between(10, 15)]
    issues: list = []
    out = quiet_forecast(history, sample_cfg, W49, model="glm", issues=issues)
    monday = out[out["ds"].dt.date == dt.date(2026, 11, 30)]
    monday = monday.set_index(monday["ds"].dt.hour)
    for unseen, nearest in ((9, 10), (16, 15)):
        assert monday.loc[unseen, "mean"] == monday.loc[nearest, "mean"]
        assert monday.loc[unseen, ["lo-80", "lo-95"]].tolist() == [0.0, 0.0]
        up = monday.loc[nearest, "hi-95"] - monday.loc[nearest, "mean"]
        widened = monday.loc[nearest, "mean"] + 2 * up
        assert monday.loc[unseen, "hi-95"] == math.ceil(widened - 1e-6)  # whole customers
    assert (
        "SH-PD-001/cash: no history at 09:00, 16:00; those hours take the forecast of the "
        "nearest hour of the day with history, with lower bounds 0 and upper half-widths x2"
    ) in [i.message for i in issues]


def test_interval_bounds_are_whole_counts_rounded_outwards(sample_cfg):
    """0.32-0.50 holds no count: bounds go down / up to whole customers, whatever the model."""
    frame = pd.DataFrame(
        {"mean": [0.41, 7.2], "lo-80": [0.3151, 3.0000001], "hi-80": [0.4992, 11.0]}
    )
    out = whole_count_bounds(frame, (80,))
    assert out[["lo-80", "hi-80"]].values.tolist() == [[0.0, 1.0], [3.0, 11.0]]
    assert out["mean"].tolist() == [0.41, 7.2]
    history = synthetic_history(
        sample_cfg, dt.date(2026, 8, 3), dt.date(2026, 11, 29), seed=3, levels={"wealth": 0.4}
    )
    out = quiet_forecast(history, sample_cfg, W49, model="mstl")
    bounds = out[["lo-80", "hi-80", "lo-95", "hi-95"]].to_numpy()
    assert (bounds == np.round(bounds)).all()
    assert (out["hi-80"] >= np.ceil(out["lo-80"])).all()


def test_an_hour_never_served_between_served_hours_is_forecast_closed(sample_cfg):
    """A counter closed at lunch (no rows at 12:00 ever) gets 0 there, not its busy neighbours."""
    history = synthetic_history(
        sample_cfg, dt.date(2026, 10, 5), dt.date(2026, 11, 29), seed=7, levels={"cash": 12.0}
    )
    history = history[history["ds"].dt.hour != 12]
    issues: list = []
    out = quiet_forecast(history, sample_cfg, W49, model="glm", issues=issues)
    noon = out[out["ds"].dt.hour == 12]
    assert len(noon) > 0
    assert (noon[["mean", "lo-80", "hi-80", "lo-95", "hi-95"]] == 0).all().all()
    assert (out.loc[out["ds"].dt.hour == 11, "mean"] > 5).all()
    assert (
        "SH-PD-001/cash: no customer in the whole history at 12:00, between hours that have "
        "them (a closure such as lunch, or hours the export leaves out); forecast as 0 there. "
        "If customers are now served then, give a history that has those hours"
    ) in [i.message for i in issues]
    assert not any("take the forecast of the nearest hour" in i.message for i in issues)


def test_a_week_far_past_the_history_is_forecast_with_a_warning(sample_cfg, history_16w):
    """Ten weeks after the history ends: forecast, and the gap is said; the next week is not."""
    far = Horizon(W49.start + dt.timedelta(days=70), 7)
    issues: list = []
    out = quiet_forecast(history_16w, sample_cfg, far, model="seasonal_naive", issues=issues)
    assert len(out) > 0
    said = [i.message for i in issues if "days after the history ends" in i.message]
    assert len(said) == 1 and said[0].startswith(f"the forecast starts {far.start}, 71 days")
    near: list = []
    quiet_forecast(history_16w, sample_cfg, W49, model="seasonal_naive", issues=near)
    assert not any("days after the history ends" in i.message for i in near)


def test_levels_must_be_whole_percentages_and_fitted(sample_cfg, history_16w):
    """80.5 is refused as not whole (naming 1-99); a level not fitted names the fitted ones."""
    with pytest.raises(InputError) as caught:
        forecast(history_16w, sample_cfg, W49, levels=(80.5,))
    (issue,) = caught.value.errors
    assert issue.message == "interval levels must be whole percentages between 0 and 100"
    assert (issue.value, issue.allowed) == ([80.5], "whole numbers from 1 to 99, e.g. 80, 95")
    fc = Forecaster(sample_cfg, model="seasonal_naive").fit(history_16w, levels=(80,))
    with pytest.raises(InputError) as caught:
        fc.predict(W49, levels=(90,))
    (issue,) = caught.value.errors
    assert issue.allowed == "the fitted levels [80], or fit() again with levels=(80, 90)"


def test_an_event_without_multiplier_or_past_occurrence_is_warned(sample_cfg):
    """An unknown-size event the history cannot teach changes nothing, and the user is told."""
    history = synthetic_history(
        sample_cfg, dt.date(2026, 10, 5), dt.date(2026, 11, 29), seed=8, levels={"cash": 12.0}
    )
    events = pd.DataFrame(
        [
            {
                "date": dt.date(2026, 12, 3),
                "start": None,
                "end": None,
                "name": "社区活动",
                "channel": None,
                "multiplier": float("nan"),
            }
        ]
    )
    issues: list = []
    quiet_forecast(history, sample_cfg, W49, model="glm", events=events, issues=issues)
    assert (
        "event(s) without a multiplier have no effect on the forecast of SH-PD-001/cash: "
        "社区活动 (2026-12-03); the history has no past event to learn the effect from (events "
        "on at least 2 days are needed); give the event a multiplier in the events file"
    ) in [i.message for i in issues]


def test_warnings_name_the_traffic_file_the_history_was_read_from(sample_cfg, history_16w):
    """A history read from a file (``attrs["file"]``) is named in the forecast's warnings.

    The weekly run printed "<history>: 9 open hour(s) missing".
    """
    doubled = pd.concat([history_16w, history_16w.iloc[[0]]], ignore_index=True)
    doubled.attrs["file"] = "traffic.csv"
    issues: list = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        forecast(doubled, sample_cfg, W49, model="seasonal_naive", issues=issues)
    assert issues and {i.file for i in issues} == {"traffic.csv"}
