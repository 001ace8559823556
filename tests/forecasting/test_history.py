"""History checks: what is an error, and what is repaired with a warning saying how much."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from forecasting.calendar_features import CalendarFeatures
from forecasting.history import prepare_history
from scheduler.calendar import BranchCalendar
from scheduler.errors import InputError

START = pd.Timestamp("2026-11-02")  # a Monday; the sample branch opens 09-17 on weekdays


def hours(days: int = 14) -> pd.DatetimeIndex:
    """Every 09:00-16:00 hour of ``days`` days (the weekend hours 09-15 are open too)."""
    stamps = []
    for d in range(days):
        day = START + pd.Timedelta(days=d)
        last = 16 if day.weekday() < 5 else 15
        stamps += [day + pd.Timedelta(hours=h) for h in range(9, last + 1)]
    return pd.DatetimeIndex(stamps)


def frame(stamps, y=None, channel: str = "cash") -> pd.DataFrame:
    y = np.arange(len(stamps)) % 7 + 1 if y is None else y
    return pd.DataFrame({"branch": "SH-PD-001", "channel": channel, "ds": stamps, "y": y})


def prepare(history, cfg, **kwargs):
    return prepare_history(history, cfg, CalendarFeatures(BranchCalendar(cfg.branch)), **kwargs)


def messages(prepared) -> list[str]:
    return [i.message for i in prepared.issues]


def test_a_clean_history_passes_unchanged_and_the_input_is_not_modified(sample_cfg):
    """Two clean weeks come out on the open-hour grid, with no warning; the input is untouched."""
    history = frame(hours())
    before = history.copy()
    prepared = prepare(history, sample_cfg)
    pd.testing.assert_frame_equal(history, before)
    assert prepared.issues == []
    assert len(prepared.frame) == 10 * 8 + 4 * 7
    assert prepared.frame["y"].tolist() == history["y"].astype(float).tolist()


def test_identical_duplicates_are_dropped_and_conflicting_ones_rejected(sample_cfg):
    """The same hour twice with the same count is a double export; with two counts, an error."""
    history = frame(hours())
    doubled = pd.concat([history, history.iloc[[3]]], ignore_index=True)
    assert messages(prepare(doubled, sample_cfg)) == [
        "1 duplicate row(s) (same channel, hour and count) were dropped"
    ]
    conflict = doubled.copy()
    conflict.loc[len(conflict) - 1, "y"] = 99
    with pytest.raises(InputError) as caught:
        prepare(conflict, sample_cfg)
    (issue,) = caught.value.errors
    assert (issue.location, issue.column, issue.value) == (len(conflict), "y", 99)
    assert (
        issue.message == "cash at 2026-11-02 12:00 appears again with another count (row 4 has 4)"
    )


def test_negative_and_text_counts_are_errors_naming_row_and_value(sample_cfg):
    """A negative or unreadable count cannot be guessed: each is an error at its row."""
    history = frame(hours()).astype({"y": object})
    history.loc[0, "y"] = -3
    history.loc[5, "y"] = "abc"
    with pytest.raises(InputError) as caught:
        prepare(history, sample_cfg)
    found = [(i.location, i.column, i.value, i.message) for i in caught.value.errors]
    assert found == [(6, "y", "abc", "not a number"), (1, "y", -3, "negative or infinite count")]


def test_fractional_counts_are_rounded_with_a_warning(sample_cfg):
    """Averaged exports (2.4 customers) are rounded to whole customers, saying by how much."""
    history = frame(hours()).astype({"y": float})
    history.loc[0, "y"] = 2.4
    prepared = prepare(history, sample_cfg)
    assert messages(prepared) == [
        "1 fractional count(s) were rounded to whole numbers (largest change 0.40)"
    ]
    assert prepared.frame["y"].iloc[0] == 2.0


def test_timestamps_inside_an_hour_are_summed_into_the_hour(sample_cfg):
    """Half-hourly counts become hourly counts (09:00 + 09:30 -> the 09:00 hour)."""
    history = frame(hours())
    extra = frame(pd.DatetimeIndex(["2026-11-02 09:30"]), y=[5])
    prepared = prepare(pd.concat([history, extra], ignore_index=True), sample_cfg)
    assert messages(prepared) == [
        "1 timestamp(s) not on the hour (e.g. 2026-11-02 09:30:00) were summed into their hour"
    ]
    assert prepared.frame["y"].iloc[0] == history["y"].iloc[0] + 5


def test_mixed_time_zones_are_converted_to_the_branch_local_time(sample_cfg):
    """A UTC stamp is moved to Shanghai wall-clock time; naive stamps are already local."""
    history = frame(hours()).astype({"ds": object})
    history.loc[0, "ds"] = "2026-11-02T01:00:00+00:00"
    prepared = prepare(history, sample_cfg)
    assert messages(prepared) == [
        "1 timestamp(s) carried a UTC offset (UTC+00:00: 1) and were converted to the branch's "
        "local time (Asia/Shanghai); 107 timestamp(s) without offset were taken as local time"
    ]
    assert prepared.frame["ds"].iloc[0] == pd.Timestamp("2026-11-02 09:00")


def test_gaps_stay_missing_and_are_counted(sample_cfg):
    """Open hours absent from the file are reported and left out of fitting, not zero-filled."""
    history = frame(hours()).drop(index=[10, 11, 12])
    history.loc[20, "y"] = 0  # the file records zeros, so an absent hour is not a skipped zero
    prepared = prepare(history, sample_cfg)
    assert messages(prepared) == [
        "SH-PD-001/cash: 3 open hour(s) missing (2.8% of 2026-11-02..2026-11-15); they are left "
        "out of fitting"
    ]
    assert int(prepared.frame["y"].isna().sum()) == 3


def test_counts_at_closed_hours_are_ignored_with_their_total(sample_cfg):
    """Traffic logged at 20:00, when the branch is closed, is not forecast material."""
    history = pd.concat([frame(hours()), frame(pd.DatetimeIndex(["2026-11-03 20:00"]), y=[4])])
    prepared = prepare(history, sample_cfg)
    assert messages(prepared) == [
        "SH-PD-001/cash: 1 row(s) at hours the branch is closed (total count 4) were ignored"
    ]


def test_a_channel_with_only_zeros_is_flagged(sample_cfg):
    """A channel that never had a customer is forecast as zero, with a warning."""
    history = frame(hours(), y=np.zeros(108, dtype=int), channel="corporate")
    prepared = prepare(history, sample_cfg)
    assert prepared.zero_series == {"SH-PD-001/corporate"}
    assert messages(prepared) == [
        "SH-PD-001/corporate: every count is zero; the channel is forecast as zero"
    ]


def test_less_than_two_weeks_of_history_is_forecast_by_hour_means_with_warnings(sample_cfg):
    """Thirteen days of the only channel: kept as short and forecast by hour means.

    The warnings say so for the channel and for the branch as a whole.
    """
    prepared = prepare(frame(hours(13)), sample_cfg)
    assert prepared.short_series == {"SH-PD-001/cash"}
    assert len(prepared.frame) == len(hours(13))
    first, whole = prepared.issues
    assert first.message.startswith(
        "SH-PD-001/cash: history covers only 13 day(s) (2026-11-02 to 2026-11-14), fewer than "
        "the 14 a model needs"
    )
    assert whole.message.startswith("every channel has less than 14 days of history")
    assert {first.severity, whole.severity} == {"warning"}
    assert (whole.column, first.column) == ("ds", "ds")


def test_rows_at_or_after_the_forecast_start_are_not_used(sample_cfg):
    """Forecasting a week already in the file uses only what was known before it."""
    prepared = prepare(frame(hours(21)), sample_cfg, before=dt.datetime(2026, 11, 16))
    assert prepared.frame["ds"].max() == pd.Timestamp("2026-11-15 15:00")
    assert messages(prepared) == [
        "54 row(s) at or after the forecast start 2026-11-16 were not used"
    ]


def test_missing_columns_and_other_branches(sample_cfg):
    """A frame without counts is an error; rows of another branch are set aside with a warning."""
    with pytest.raises(InputError) as caught:
        prepare(frame(hours()).drop(columns="y"), sample_cfg)
    assert caught.value.errors[0].message == "the history lacks column(s) y"
    other = frame(hours()).assign(branch="BJ-01")
    prepared = prepare(pd.concat([frame(hours()), other], ignore_index=True), sample_cfg)
    assert messages(prepared) == ["108 row(s) of other branches were ignored"]


def test_an_export_that_skips_zeros_has_its_absent_hours_read_as_no_customers(sample_cfg):
    """A quiet channel without zero rows: absent hours are zero customers, absent days missing."""
    rng = np.random.default_rng(0)
    full = frame(hours(21), y=rng.poisson(1.2, size=len(hours(21))), channel="wealth")
    on_absent_day = full["ds"].dt.normalize() == pd.Timestamp("2026-11-10")
    exported = full[(full["y"] > 0) & ~on_absent_day]
    prepared = prepare(exported, sample_cfg)
    zeros = int(((full["y"] == 0) & ~on_absent_day).sum())
    assert messages(prepared) == [
        f"SH-PD-001/wealth: never records a zero; {zeros} open hour(s) absent on days with "
        "other rows (of this or another channel) are read as no customers",
        "SH-PD-001/wealth: 8 open hour(s) missing (4.9% of 2026-11-02..2026-11-22); they are "
        "left out of fitting",
    ]
    y = prepared.frame.set_index("ds")["y"]
    assert y.loc["2026-11-10"].isna().all()
    expected = full.loc[~on_absent_day, "y"].astype(float).tolist()
    assert y.dropna().tolist() == expected


def test_a_quiet_channels_empty_day_counts_as_zeros_when_another_channel_has_rows(sample_cfg):
    """The export skips zeros: a day without a wealth customer has cash rows, so it is zeros."""
    rng = np.random.default_rng(0)
    full = frame(hours(21), y=rng.poisson(1.2, size=len(hours(21))), channel="wealth")
    quiet_day = full["ds"].dt.normalize() == pd.Timestamp("2026-11-10")
    full.loc[quiet_day, "y"] = 0
    cash = frame(hours(21), y=rng.poisson(8, size=len(hours(21))) + 1, channel="cash")
    prepared = prepare(pd.concat([cash, full[full["y"] > 0]]), sample_cfg)
    zeros = int((full["y"] == 0).sum())
    assert messages(prepared) == [
        f"SH-PD-001/wealth: never records a zero; {zeros} open hour(s) absent on days with "
        "other rows (of this or another channel) are read as no customers"
    ]
    wealth = prepared.frame[prepared.frame["unique_id"] == "SH-PD-001/wealth"]
    y = wealth.set_index("ds")["y"]
    assert (y.loc["2026-11-10"] == 0).all() and len(y.loc["2026-11-10"]) == 8
    assert y.tolist() == full["y"].astype(float).tolist()


def test_a_busy_channel_without_zeros_keeps_its_gaps_missing(sample_cfg):
    """Twenty customers an hour never give a zero, so a gap there is not a skipped zero."""
    rng = np.random.default_rng(1)
    busy = frame(hours(), y=rng.poisson(20, size=108), channel="lobby").drop(index=[30, 31])
    assert (busy["y"] > 0).all()
    prepared = prepare(busy, sample_cfg)
    assert messages(prepared) == [
        "SH-PD-001/lobby: 2 open hour(s) missing (1.9% of 2026-11-02..2026-11-15); they are "
        "left out of fitting"
    ]


def test_one_short_channel_is_kept_with_a_warning_and_not_an_error(sample_cfg):
    """A channel that started three days ago does not block the others; it is listed as short."""
    history = pd.concat([frame(hours(14)), frame(hours(14)[-22:], channel="wealth")])
    prepared = prepare(history, sample_cfg)
    assert prepared.short_series == {"SH-PD-001/wealth"}
    assert set(prepared.frame["unique_id"]) == {"SH-PD-001/cash", "SH-PD-001/wealth"}
    assert messages(prepared) == [
        "SH-PD-001/wealth: history covers only 3 day(s) (2026-11-13 to 2026-11-15), fewer than "
        "the 14 a model needs; it is forecast by its mean per hour (per weekday where the "
        "history has that weekday) with wide negative binomial intervals, not backtested"
    ]
