"""The weekly job reads what the roster history knows: past shifts, quotas, leave, repairs."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest

from scheduler.calendar import Horizon
from scheduler.domain import Availability, LeaveRequest
from scheduler.errors import InputError
from scheduler.frames import REQUIREMENT_COLUMNS
from scheduler.history import HistoryStore, RosterRecord
from scheduler.pipeline import PipelineInputs, roster_request
from scheduler.sample.branch import sample_config

WEEK = Horizon.iso_week("2026-W49")
BEFORE = WEEK.start - dt.timedelta(days=7)


def _record(start: dt.date) -> RosterRecord:
    """One published week: 刘洋 (S04) on the cash counter Monday to Friday."""
    days = [start + dt.timedelta(days=i) for i in range(5)]
    assignments = pd.DataFrame(
        [
            {"staff_id": "S04", "name": "刘洋", "date": d, "start": "09:00", "end": "17:00",
             "activity": "post", "post": "cash_teller"}
            for d in days
        ]
    )  # fmt: skip
    shifts = pd.DataFrame(
        [
            {"staff_id": "S04", "name": "刘洋", "date": d, "shift": "day", "start": "08:30",
             "end": "17:30", "paid_minutes": 480}
            for d in days
        ]
    )  # fmt: skip
    return RosterRecord("SH-PD-001", start, start + dt.timedelta(days=6), assignments, shifts)


@pytest.fixture
def store_url(tmp_path):
    """A SQLite history with last week published and a leave day booked this week."""
    url = f"sqlite:///{tmp_path / 'history.db'}"
    store = HistoryStore.open(url)
    store.publish(_record(BEFORE))
    day = WEEK.start + dt.timedelta(days=2)
    store.record_leave("SH-PD-001", [LeaveRequest(staff_id="S08", start_date=day, end_date=day)])
    return url


def _inputs(**changes) -> PipelineInputs:
    config = sample_config(WEEK.start)
    base = PipelineInputs(config, pd.DataFrame(), Availability(), WEEK)
    return dataclasses.replace(base, **changes)


def _requirements() -> pd.DataFrame:
    return pd.DataFrame(columns=list(REQUIREMENT_COLUMNS))


def test_without_history_the_week_stands_alone():
    """No store given: no past shifts, no quota targets, nothing published to stay close to."""
    request = roster_request(_inputs(), _requirements())
    assert request.history_shifts is None and request.published is None
    assert request.quota_targets == ()


def test_history_supplies_past_shifts_and_booked_leave(store_url):
    """Last week's shifts reach the look-back rules and leave booked in the store is honoured."""
    request = roster_request(_inputs(history_db=store_url), _requirements())
    assert list(request.history_shifts["staff_id"].unique()) == ["S04"]
    assert len(request.history_shifts) == 5
    leave = [lv for lv in request.availability.leave if lv.staff_id == "S08"]
    assert [lv.start_date for lv in leave] == [WEEK.start + dt.timedelta(days=2)]


def test_repair_needs_a_published_week(store_url):
    """Repairing a week nobody published is refused with what to do instead."""
    with pytest.raises(InputError) as caught:
        roster_request(_inputs(history_db=store_url, repair=True), _requirements())
    assert "nothing published for 2026-W49 to repair" in str(caught.value)


def test_repair_starts_from_the_published_roster(store_url):
    """A published week is handed to the solver to change as little as possible."""
    store = HistoryStore.open(store_url)
    store.publish(_record(WEEK.start))
    request = roster_request(_inputs(history_db=store_url, repair=True), _requirements())
    assert len(request.published) == 5


def test_a_missing_database_is_not_created(tmp_path):
    """Planning with a history that does not exist says so and creates nothing."""
    path = tmp_path / "nothing.db"
    with pytest.raises(InputError) as caught:
        roster_request(_inputs(history_db=str(path)), _requirements())
    assert "no roster history database here" in str(caught.value)
    assert not path.exists()
