"""Tests of the roster quality measures used to compare rosters."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from scheduler.calendar import Horizon
from scheduler.frames import REQUIREMENT_COLUMNS
from scheduler.roster.request import RosterRequest
from scheduler.sample.branch import sample_config
from scheduler.verify.metrics import coverage

WEEK = dt.date(2026, 11, 30)


def _need(hour: int, post: str, required: int, wait: float) -> dict:
    row = dict.fromkeys(REQUIREMENT_COLUMNS)
    row |= {
        "branch": "SH-PD-001",
        "date": WEEK,
        "ds": pd.Timestamp(WEEK) + pd.Timedelta(hours=hour),
        "post": post,
        "required": required,
        "wait_one_short_min": wait,
    }
    return row


def test_shortfall_and_overstaffing_are_counted() -> None:
    """One teller for two needed at 09:00 is 1 staff-hour short, weighed by the extra wait."""
    requirements = pd.DataFrame([_need(9, "cash_teller", 2, 4.0), _need(10, "cash_teller", 0, 0.0)])
    request = RosterRequest(
        config=sample_config(WEEK),
        horizon=Horizon.iso_week("2026-W49"),
        requirements=requirements,
    )
    roster = pd.DataFrame(
        [
            {
                "staff_id": "S04",
                "name": "刘洋",
                "date": WEEK,
                "start": "09:00",
                "end": "11:00",
                "activity": "post",
                "post": "cash_teller",
            }
        ]
    )
    result = coverage(request, roster)
    assert result.short_staff_hours == 1.0
    assert result.short_weighted == 4.0
    assert result.over_staff_hours == 1.0
    assert result.short_slots == 1
