"""The sample traffic: each documented effect has the documented size, only open hours."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from scheduler.calendar import BranchCalendar
from scheduler.sample.traffic import (
    DayFlags,
    TrafficEffects,
    day_flags,
    day_multiplier,
    expected_traffic,
    sample_traffic,
)

EFFECTS = TrafficEffects()


def _mean(frame: pd.DataFrame, channel: str, when: str) -> float:
    row = frame[(frame["channel"] == channel) & (frame["ds"] == pd.Timestamp(when))]
    assert len(row) == 1
    return float(row["mean"].iloc[0])


@pytest.fixture
def november(sample_cfg) -> pd.DataFrame:
    """Expected traffic of 2026-11-02 .. 2026-11-15 without trend (the 10th is pension day)."""
    flat = TrafficEffects(trend_per_year={})
    return expected_traffic(sample_cfg, dt.date(2026, 11, 2), dt.date(2026, 11, 15), flat)


def test_monday_morning_and_friday_afternoon_peaks_wednesday_afternoon_trough(november):
    """The weekly model of the seed: Mon a.m. and Fri p.m. peaks, Wed p.m. trough."""
    thu = _mean(november, "noncash", "2026-11-05 10:00")
    assert _mean(november, "noncash", "2026-11-02 10:00") == pytest.approx(1.35 * thu)
    thu_pm = _mean(november, "noncash", "2026-11-05 15:00")
    assert _mean(november, "noncash", "2026-11-06 15:00") == pytest.approx(1.30 * thu_pm)
    assert _mean(november, "noncash", "2026-11-04 15:00") == pytest.approx(0.75 * thu_pm)


def test_pension_day_lifts_cash_and_lobby_only(november):
    """Pension payment day brings elderly customers to the cash counter and the lobby."""
    for channel, factor in (("cash", 1.5), ("lobby", 1.5), ("wealth", 1.0)):
        tue_10 = _mean(november, channel, "2026-11-10 10:00")
        tue_3 = _mean(november, channel, "2026-11-03 10:00")
        assert tue_10 / tue_3 == pytest.approx(factor)


def test_trend_runs_back_from_the_end_of_the_history(sample_cfg):
    """Cash counter traffic falls 6% a year: a year earlier it was 1/0.94 times higher."""
    end = dt.date(2026, 11, 24)
    frame = expected_traffic(sample_cfg, dt.date(2025, 11, 25), end)
    now = _mean(frame, "cash", "2026-11-24 10:00")
    year_ago = _mean(frame, "cash", "2025-11-25 10:00")
    assert year_ago / now == pytest.approx(0.94 ** (-364 / 365.25))


def test_only_open_hours_have_rows(sample_cfg):
    """No traffic outside opening hours; holidays use the branch's holiday hours."""
    frame = expected_traffic(sample_cfg, dt.date(2026, 10, 1), dt.date(2026, 10, 1))
    assert sorted(frame["ds"].dt.hour.unique()) == [10, 11, 12, 13, 14]
    weekday = expected_traffic(sample_cfg, dt.date(2026, 11, 3), dt.date(2026, 11, 3))
    assert sorted(weekday["ds"].dt.hour.unique()) == list(range(9, 17))


def test_special_days_of_the_chinese_calendar(sample_cfg):
    """National Day is a holiday; its 调休 Sunday and the days around it are flagged."""
    calendar = BranchCalendar(sample_cfg.branch)
    flags = day_flags(calendar, dt.date(2026, 9, 20), dt.date(2026, 10, 12), EFFECTS)
    assert flags[dt.date(2026, 10, 2)].holiday
    assert flags[dt.date(2026, 9, 20)].adjusted_workday
    assert flags[dt.date(2026, 9, 30)] == DayFlags(
        month_end=True, quarter_end=True, before_holiday=True
    )
    assert flags[dt.date(2026, 10, 8)].after_holiday


def test_a_weekend_day_of_a_break_has_holiday_hours_and_the_holiday_effect(sample_cfg):
    """Sun 4 Oct 2026 (inside 1-7 Oct): 10-15 and x0.55 like 3 Oct; Sun 15 Nov stays 09-16."""
    calendar = BranchCalendar(sample_cfg.branch)
    flags = day_flags(calendar, dt.date(2026, 10, 3), dt.date(2026, 10, 4), EFFECTS)
    assert flags[dt.date(2026, 10, 4)] == DayFlags(holiday=True)
    frame = expected_traffic(sample_cfg, dt.date(2026, 10, 4), dt.date(2026, 10, 4))
    assert sorted(frame["ds"].dt.hour.unique()) == [10, 11, 12, 13, 14]
    ordinary = expected_traffic(sample_cfg, dt.date(2026, 11, 15), dt.date(2026, 11, 15))
    assert sorted(ordinary["ds"].dt.hour.unique()) == list(range(9, 16))


def test_day_multiplier_multiplies_the_documented_effects():
    """Month end of a quarter before a long holiday stacks the three effects."""
    flags = DayFlags(month_end=True, quarter_end=True, before_holiday=True)
    assert day_multiplier(flags, "cash", EFFECTS) == pytest.approx(1.25 * 1.15 * 1.30)
    assert day_multiplier(flags, "corporate", EFFECTS) == pytest.approx(1.25 * 1.4 * 1.15 * 1.3)


def test_volumes_are_plausible_for_a_fourteen_person_branch(sample_cfg):
    """Mean hourly counts keep a 14-staff branch's queueing need close to what it can staff."""
    frame = sample_traffic(sample_cfg, dt.date(2025, 11, 3), dt.date(2026, 11, 29), seed=1)
    means = frame.groupby("channel")["count"].mean()
    assert 8 <= means["cash"] <= 14
    assert 3 <= means["noncash"] <= 7
    assert 12 <= means["lobby"] <= 22
    assert 0.8 <= means["wealth"] <= 2.5
    assert 0.4 <= means["corporate"] <= 1.5


def test_counts_are_over_dispersed(sample_cfg):
    """Counts vary more than Poisson (variance = mean + mean^2 / dispersion)."""
    effects = TrafficEffects(missing_hour_share=0.0)
    start, end = dt.date(2025, 12, 1), dt.date(2026, 11, 29)
    draws = sample_traffic(sample_cfg, start, end, seed=3, effects=effects)
    means = expected_traffic(sample_cfg, start, end, effects)
    lobby = draws["channel"] == "lobby"
    resid = draws.loc[lobby, "count"].to_numpy() - means.loc[lobby.to_numpy(), "mean"].to_numpy()
    mu = means.loc[lobby.to_numpy(), "mean"].to_numpy()
    ratio = float((resid**2).mean() / (mu + mu**2 / effects.dispersion).mean())
    assert 0.9 < ratio < 1.1
    assert float((resid**2).mean() / mu.mean()) > 1.5


def test_same_seed_same_counts_different_seed_different_counts(sample_cfg):
    """The sample is reproducible: a seed fixes every count."""
    start, end = dt.date(2026, 11, 2), dt.date(2026, 11, 15)
    a = sample_traffic(sample_cfg, start, end, seed=7)
    b = sample_traffic(sample_cfg, start, end, seed=7)
    c = sample_traffic(sample_cfg, start, end, seed=8)
    pd.testing.assert_frame_equal(a, b)
    assert not a["count"].equals(c["count"])
