"""Known events: the file reader's values and located errors, and which hours an event covers."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from forecasting.events import check_events, event_effects, read_events
from scheduler.errors import InputError


def test_reads_chinese_headers_optional_times_channel_and_multiplier(tmp_path):
    """A manager's events file with Chinese headers gives one typed row per event."""
    path = tmp_path / "events.csv"
    path.write_text(
        "日期,开始,结束,名称,渠道,倍数\n"
        "2026-12-01,10:00,12:00,养老金讲座,lobby,1.8\n"
        "2026/12/03,,,社区活动,,\n",
        encoding="utf-8",
    )
    frame = read_events(path)
    assert list(frame.columns) == ["date", "start", "end", "name", "channel", "multiplier"]
    first, second = frame.to_dict("records")
    assert first == {
        "date": dt.date(2026, 12, 1),
        "start": dt.time(10),
        "end": dt.time(12),
        "name": "养老金讲座",
        "channel": "lobby",
        "multiplier": 1.8,
    }
    assert second["date"] == dt.date(2026, 12, 3)
    assert second["start"] is None and second["end"] is None and second["channel"] is None
    assert math.isnan(second["multiplier"])


def test_bad_rows_are_reported_with_row_column_value_and_what_is_allowed(tmp_path):
    """Every bad cell of the events file is named at once, and nothing is returned."""
    path = tmp_path / "events.csv"
    path.write_text(
        "date,start,end,name,multiplier\n"
        "2026-13-01,,,launch,1.2\n"
        "2026-12-02,14:00,10:00,fair,\n"
        "2026-12-03,,,promo,0\n"
        "2026-12-04,,,,1.1\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        read_events(path)
    found = {(i.location, i.column, i.message) for i in caught.value.errors}
    assert found == {
        (2, "date", "not a date"),
        (3, "end", "does not end after its start (14:00)"),
        (4, "multiplier", "out of range"),
        (5, "name", "the event has no name"),
    }
    bad_date = next(i for i in caught.value.errors if i.location == 2)
    assert bad_date.value == "2026-13-01" and bad_date.file == str(path)


def test_an_event_covers_the_hours_overlapping_its_window_on_its_channel_only():
    """A 10:30-12:00 lobby event with x2 scales the 10:00 and 11:00 lobby hours only."""
    events = pd.DataFrame(
        [
            {
                "date": dt.date(2026, 12, 1),
                "start": dt.time(10, 30),
                "end": dt.time(12),
                "name": "talk",
                "channel": "lobby",
                "multiplier": 2.0,
            },
            {
                "date": dt.date(2026, 12, 1),
                "start": None,
                "end": None,
                "name": "fair",
                "channel": None,
                "multiplier": float("nan"),
            },
        ]
    )
    ds = pd.Series(pd.date_range("2026-12-01 09:00", periods=4, freq="h"))
    offset, flag = event_effects(events, ds, "lobby")
    assert np.allclose(np.exp(offset), [1.0, 2.0, 2.0, 1.0])
    assert flag.tolist() == [1.0, 1.0, 1.0, 1.0]
    offset_cash, _ = event_effects(events, ds, "cash")
    assert offset_cash.tolist() == [0.0, 0.0, 0.0, 0.0]


def test_an_event_for_a_channel_without_history_is_a_warning():
    """An event naming an unknown channel is ignored with a warning, not an error."""
    events = pd.DataFrame(
        [{"date": dt.date(2026, 12, 1), "name": "x", "channel": "atm", "multiplier": 1.5}]
    )
    issues = check_events(events, {"cash", "lobby"})
    assert [(i.severity, i.column, i.value) for i in issues] == [("warning", "channel", "atm")]


def _event(name: str, multiplier: float, start: dt.time | None = None) -> dict[str, object]:
    return {
        "date": dt.date(2026, 12, 1),
        "start": start,
        "end": None,
        "name": name,
        "channel": "cash",
        "multiplier": multiplier,
    }


def test_the_same_event_twice_counts_once_with_a_warning():
    """Fifty copies of a x1.8 row scale the hour by 1.8, not 1.8**50; the copies are named."""
    events = pd.DataFrame([_event("market day", 1.8)] * 50)
    ds = pd.Series(pd.date_range("2026-12-01 09:00", periods=2, freq="h"))
    offset, _ = event_effects(events, ds, "cash")
    assert np.allclose(np.exp(offset), [1.8, 1.8])
    issues = check_events(events, {"cash"})
    assert len(issues) == 49
    assert (issues[0].location, issues[0].severity, issues[0].message) == (
        2,
        "warning",
        "the same event as row 1 (date, times, channel and multiplier); it is counted once",
    )


def test_overlapping_events_multiply_up_to_the_cap_with_a_warning():
    """x5 all day and x6 from 10:00 give x5 at 09:00 and the cap x20 (not x30) from 10:00."""
    events = pd.DataFrame([_event("fair", 5.0), _event("launch", 6.0, dt.time(10))])
    ds = pd.Series(pd.date_range("2026-12-01 09:00", periods=2, freq="h"))
    offset, _ = event_effects(events, ds, "cash")
    assert np.allclose(np.exp(offset), [5.0, 20.0])
    (issue,) = check_events(events, {"cash"})
    assert (issue.severity, issue.value) == ("warning", "30")
    assert issue.message == (
        "events overlapping on 2026-12-01 multiply traffic by 30 together; the forecast "
        "takes at most 20"
    )
