"""Tests of the day simulation: it agrees with Erlang in steady state and sees what it misses."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from scheduler.errors import InputError
from scheduler.frames import SIMULATION_COLUMNS
from scheduler.staffing.erlang import erlang_a_stats, erlang_c_stats
from scheduler.staffing.simulation import block_minutes, simulate

MONDAY = dt.date(2026, 11, 30)


def _people(n: int, post: str, start: str = "08:30", end: str = "17:30") -> list[tuple]:
    return [(f"P{i}", start, end, "post", post) for i in range(n)]


def _hour(frame: pd.DataFrame, hour: int, channel: str) -> pd.Series:
    ds = pd.Timestamp(MONDAY) + pd.Timedelta(hours=hour)
    return frame[(frame["ds"] == ds) & (frame["channel"] == channel)].iloc[0]


def _pooled(frame: pd.DataFrame, column: str, hours: range) -> float:
    part = frame[frame["ds"].dt.hour.isin(list(hours))]
    return float((part[column] * part["arrivals"]).sum() / part["arrivals"].sum())


# Steady state ---------------------------------------------------------------------------------


def test_long_stationary_run_agrees_with_erlang_c(
    round_the_clock, make_forecast, make_roster
) -> None:
    """Steady hours of a long run reproduce Erlang C (wait within 10%, service level 0.015)."""
    # 4 lobby staff, 60 customers an hour, 3-minute handling, 60 replications; hours 02-22 are
    # pooled (two warm-up hours and the closing hour cut). Erlang C says a mean wait of
    # 1.528 min and 90.4% served within 5 min. The tolerance covers the spread of the pooled
    # mean wait across seeds (about +-8% at this run length).
    fc = make_forecast({"lobby": 60}, hours=range(24))
    sim = simulate(fc, make_roster(_people(4, "lobby", "00:00", "24:00")), round_the_clock,
                   seed=7, replications=60, shrinkage=False)  # fmt: skip
    exact = erlang_c_stats(4, 1.0, 3.0, 5.0)
    assert _pooled(sim, "mean_wait_min", range(2, 23)) == pytest.approx(exact.mean_wait, rel=0.10)
    assert _pooled(sim, "served_within_target", range(2, 23)) == pytest.approx(
        exact.service_level, abs=0.015
    )
    assert _pooled(sim, "abandonment_rate", range(2, 23)) == 0.0


def test_long_stationary_run_agrees_with_erlang_a(
    round_the_clock, make_forecast, make_roster
) -> None:
    """Impatient customers (shrinkage as slower service): a long run matches Erlang A."""
    # Tolerances: abandonment 0.01, service level 0.02, mean wait 6% (spread across seeds).
    fc = make_forecast({"cash": 45}, hours=range(24))
    sim = simulate(fc, make_roster(_people(5, "cash_teller", "00:00", "24:00")), round_the_clock,
                   seed=3, replications=60)  # fmt: skip
    # With 10% shrinkage five tellers serve at 90% speed: a handling time of 6 / 0.9 minutes.
    exact = erlang_a_stats(5, 0.75, 6.0 / 0.9, 25.0, 10.0)
    hours = range(2, 23)
    assert _pooled(sim, "abandonment_rate", hours) == pytest.approx(exact.abandonment, abs=0.01)
    assert _pooled(sim, "served_within_target", hours) == pytest.approx(
        exact.service_level, abs=0.02
    )
    assert _pooled(sim, "mean_wait_min", hours) == pytest.approx(exact.mean_wait, rel=0.08)


# What the formulas miss ------------------------------------------------------------------------


def test_the_branch_opens_empty(round_the_clock, make_forecast, make_roster) -> None:
    """The first hour waits less than steady state: nobody is queueing at opening."""
    fc = make_forecast({"lobby": 76}, hours=range(9, 11))
    sim = simulate(fc, make_roster(_people(4, "lobby")), round_the_clock, seed=1, replications=40,
                   shrinkage=False)  # fmt: skip
    steady = erlang_c_stats(4, 76 / 60, 3.0, 5.0).mean_wait
    first = _hour(sim, 9, "lobby")["mean_wait_min"]
    assert first < 0.75 * steady
    assert _hour(sim, 10, "lobby")["mean_wait_min"] > first


def test_a_queue_is_carried_into_the_next_hour(sample_cfg, make_forecast, make_roster) -> None:
    """After an overloaded hour, a quiet hour still waits far longer than its own formula says."""
    fc = pd.concat(
        [make_forecast({"lobby": 120}, hours=range(9, 10)),
         make_forecast({"lobby": 30}, hours=range(10, 11))],
        ignore_index=True,
    )  # fmt: skip
    sim = simulate(fc, make_roster(_people(3, "lobby")), sample_cfg, seed=2, replications=30,
                   shrinkage=False)  # fmt: skip
    quiet_formula = erlang_c_stats(3, 0.5, 3.0, 5.0).mean_wait
    assert _hour(sim, 10, "lobby")["mean_wait_min"] > 5 * quiet_formula


def test_lunch_breaks_take_people_off_the_counter(sample_cfg, make_forecast, make_roster) -> None:
    """Two of four tellers at lunch 12:00-13:00: two serve, and that hour waits longer."""
    fc = make_forecast({"cash": 30}, hours=range(9, 17))
    full = _people(4, "cash_teller")
    lunch = [
        *_people(2, "cash_teller"),
        ("L0", "08:30", "12:00", "post", "cash_teller"),
        ("L0", "12:00", "13:00", "break", ""),
        ("L0", "13:00", "17:30", "post", "cash_teller"),
        ("L1", "08:30", "12:00", "post", "cash_teller"),
        ("L1", "12:00", "13:00", "free", ""),
        ("L1", "13:00", "17:30", "post", "cash_teller"),
    ]
    without = simulate(fc, make_roster(full), sample_cfg, seed=4, replications=30)
    with_lunch = simulate(fc, make_roster(lunch), sample_cfg, seed=4, replications=30)
    assert _hour(with_lunch, 12, "cash")["staff_serving"] == 2.0
    assert _hour(with_lunch, 11, "cash")["staff_serving"] == 4.0
    assert (
        _hour(with_lunch, 12, "cash")["mean_wait_min"]
        > 3 * _hour(without, 12, "cash")["mean_wait_min"]
    )
    assert (
        _hour(with_lunch, 12, "cash")["abandonment_rate"]
        > _hour(without, 12, "cash")["abandonment_rate"]
    )


def test_a_partial_hour_counts_as_a_share_of_a_person(
    sample_cfg, make_forecast, make_roster
) -> None:
    """Someone on post from 09:30 counts as half a person serving in the 09:00 hour."""
    fc = make_forecast({"cash": 10}, hours=range(9, 11))
    sim = simulate(fc, make_roster([("A", "09:30", "17:00", "post", "cash_teller")]), sample_cfg)
    assert _hour(sim, 9, "cash")["staff_serving"] == 0.5
    assert _hour(sim, 10, "cash")["staff_serving"] == 1.0


def test_all_posts_listing_a_channel_serve_it(sample_cfg, make_forecast, make_roster) -> None:
    """Customer managers on the floor serve lobby customers alongside the lobby manager."""
    fc = make_forecast({"lobby": 20}, hours=range(9, 10))
    blocks = [("A", "09:00", "17:00", "post", "lobby"),
              ("B", "09:00", "17:00", "post", "customer_manager")]  # fmt: skip
    sim = simulate(fc, make_roster(blocks), sample_cfg)
    assert _hour(sim, 9, "lobby")["staff_serving"] == 2.0


def test_nobody_on_post_means_nobody_served(sample_cfg, make_forecast, make_roster) -> None:
    """Without a teller every cash customer gives up; none is served within the target."""
    fc = make_forecast({"cash": 20}, hours=range(9, 10))
    sim = simulate(fc, make_roster([("A", "09:00", "17:00", "post", "lobby")]), sample_cfg)
    row = _hour(sim, 9, "cash")
    assert (row["served"], row["served_within_target"], row["abandonment_rate"]) == (0.0, 0.0, 1.0)
    assert row["staff_serving"] == 0.0


# Contract ---------------------------------------------------------------------------------------


def test_frame_contract_and_fixed_seed(sample_cfg, make_forecast, make_roster) -> None:
    """The frame has the shared columns, one row per hour and channel, and a seed repeats it."""
    fc = make_forecast({"cash": 20, "lobby": 30}, hours=range(9, 17))
    roster = make_roster([*_people(3, "cash_teller"), ("L", "09:00", "17:00", "post", "lobby")])
    first = simulate(fc, roster, sample_cfg, seed=5, replications=3)
    again = simulate(fc, roster, sample_cfg, seed=5, replications=3)
    other = simulate(fc, roster, sample_cfg, seed=6, replications=3)
    assert tuple(first.columns) == SIMULATION_COLUMNS
    assert len(first) == 16
    pd.testing.assert_frame_equal(first, again)
    assert not first["arrivals"].equals(other["arrivals"])
    assert (first["served"] + first["abandoned"]).to_numpy() == pytest.approx(
        first["arrivals"].to_numpy()
    )


def test_unknown_post_in_roster_is_an_input_error(sample_cfg, make_forecast, make_roster) -> None:
    """A roster block on a post the branch does not have is reported with its row."""
    fc = make_forecast({"cash": 5}, hours=range(9, 10))
    with pytest.raises(InputError) as err:
        simulate(fc, make_roster([("A", "09:00", "17:00", "post", "vault")]), sample_cfg)
    (issue,) = err.value.issues
    assert (issue.location, issue.column, issue.value, issue.message) == (
        2,
        "post",
        "vault",
        "unknown post",
    )


def test_block_times_accept_text_clock_times_and_end_of_day() -> None:
    """Roster times may be text, ``datetime.time`` or timestamps; 24:00 ends the day."""
    assert block_minutes("09:30", "24:00") == (570, 1440)
    assert block_minutes(dt.time(8, 0), dt.time.max) == (480, 1440)
    assert block_minutes(pd.Timestamp("2026-11-30 13:15"), "17:00:00") == (795, 1020)
    with pytest.raises(ValueError, match="not a time of day"):
        block_minutes("noon", "13:00")


def test_shrinkage_slows_the_people_on_post(sample_cfg, make_forecast, make_roster) -> None:
    """Time lost to other work (shrinkage) lengthens waits; switching it off serves faster."""
    fc = make_forecast({"noncash": 20}, hours=range(9, 17))
    roster = make_roster(_people(5, "noncash_teller"))
    slow = simulate(fc, roster, sample_cfg, seed=8, replications=20)
    fast = simulate(fc, roster, sample_cfg, seed=8, replications=20, shrinkage=False)
    assert _pooled(slow, "mean_wait_min", range(9, 17)) > _pooled(
        fast, "mean_wait_min", range(9, 17)
    )
    assert slow["arrivals"].tolist() == fast["arrivals"].tolist()


def test_the_rosters_row_order_does_not_change_the_simulation(
    sample_cfg, make_forecast, make_roster
) -> None:
    """The same roster shuffled gives the same frame for the same seed."""
    fc = make_forecast({"cash": 30, "lobby": 40}, hours=range(9, 17))
    roster = make_roster(_people(3, "cash_teller") + _people(2, "lobby", "09:00", "17:00"))
    shuffled = roster.sample(frac=1.0, random_state=4)
    assert not shuffled.index.equals(roster.index)
    first = simulate(fc, roster, sample_cfg, seed=5, replications=3)
    second = simulate(fc, shuffled, sample_cfg, seed=5, replications=3)
    pd.testing.assert_frame_equal(first, second)
