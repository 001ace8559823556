"""Shortfall: people missing per slot and post, weighted by the wait one missing person costs."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from scheduler.region.metrics import short_slots, shortfall

DAY = dt.date(2026, 11, 30)


def _ds(hour: int) -> dt.datetime:
    return dt.datetime.combine(DAY, dt.time(hour))


def test_shortfall_counts_people_missing_and_weighs_them_by_wait() -> None:
    """Two missing at 10:00 (12 min wait), one at 11:00 (wait clamped to 60): 3 h, 84."""
    need = pd.DataFrame(
        {
            "date": [DAY] * 3,
            "ds": [_ds(9), _ds(10), _ds(11)],
            "post": ["lobby"] * 3,
            "required": [1, 3, 2],
            "wait_one_short_min": [4.0, 12.0, 300.0],
        }
    )
    coverage = pd.DataFrame(
        {"ds": [_ds(9), _ds(10), _ds(11)], "post": ["lobby"] * 3, "assigned": [2, 1, 1]}
    )
    slots = short_slots(need, coverage, 60)
    assert [(s.ds.hour, s.short, s.weight) for s in slots] == [(10, 2, 12.0), (11, 1, 60.0)]
    assert shortfall(slots) == (3.0, 84.0)


def test_no_roster_reports_no_shortfall() -> None:
    """A branch without a roster has no coverage, so no slot is reported short."""
    need = pd.DataFrame(
        {"date": [DAY], "ds": [_ds(9)], "post": ["lobby"], "required": [1],
         "wait_one_short_min": [4.0]}
    )  # fmt: skip
    empty = pd.DataFrame({"ds": [], "post": [], "assigned": []})
    assert short_slots(need, empty, 60) == []
