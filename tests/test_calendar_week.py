"""Weeks typed by people on the command line and in files."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduler.calendar import week_horizon
from scheduler.errors import InputError


def test_an_iso_week_is_monday_to_sunday():
    """2026-W49 runs from Monday 30 November to Sunday 6 December."""
    horizon = week_horizon("2026-W49")
    assert (horizon.start, horizon.end) == (dt.date(2026, 11, 30), dt.date(2026, 12, 6))
    assert week_horizon("2026-W49", 2).days == 14


def test_a_bad_week_names_the_option_and_the_form():
    """A typo in --week is an input error saying what is allowed, not a traceback."""
    with pytest.raises(InputError) as caught:
        week_horizon("2026-49", source="--week")
    issue = caught.value.issues[0]
    assert (issue.file, issue.value, issue.allowed) == ("--week", "2026-49", "e.g. 2026-W49")
