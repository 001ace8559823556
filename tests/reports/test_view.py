"""The roster read once for every report file: times, spans, merged blocks, main post."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from scheduler.reports.labels import Labels
from scheduler.reports.view import Block, PersonDay, build_view, span, to_date, to_minutes

from . import fixtures as fx


def test_times_as_people_and_files_write_them() -> None:
    """Times from the solver, from CSV text and from timestamps all give the same minutes."""
    assert to_minutes(dt.time(8, 30)) == 510
    assert to_minutes("8:30") == 510
    assert to_minutes("08:30:00") == 510
    assert to_minutes(pd.Timestamp("2026-12-01 08:30")) == 510
    assert to_minutes("2026-12-01 08:30:00") == 510
    assert to_minutes("24:00") == to_minutes(dt.time.max) == 1440
    for bad in ("25:00", "8h30", "", "12:75"):
        with pytest.raises(ValueError):
            to_minutes(bad)
    assert to_date("2026-12-01") == to_date(pd.Timestamp("2026-12-01")) == dt.date(2026, 12, 1)


def test_span_is_compact_on_whole_hours() -> None:
    """Whole-hour spans read 09-12; others keep their minutes."""
    assert span(540, 720) == "09-12"
    assert span(510, 720) == "08:30-12:00"


def test_hourly_rows_of_one_post_merge_into_one_block() -> None:
    """A solver writing one row per hour still shows one 09-12 block for one post."""
    rows = pd.DataFrame(
        {
            "staff_id": ["S04"] * 4,
            "name": ["刘洋"] * 4,
            "date": [fx.MON] * 4,
            "start": ["09:00", "10:00", "11:00", "12:00"],
            "end": ["10:00", "11:00", "12:00", "13:00"],
            "activity": ["post", "post", "post", "break"],
            "post": ["cash_teller", "cash_teller", "cash_teller", None],
        }
    )
    res = fx.result()
    res = type(res)(res.branch_id, res.horizon, res.stats, rows, res.shifts.iloc[0:0])
    view = build_view(res, fx.config())
    assert view.cell_text("S04", fx.MON, Labels("zh", fx.config())) == (
        "09:00-13:00\n09-12 高柜柜员 12-13 休"
    )


def test_main_post_is_the_longest_and_earliest_on_a_tie() -> None:
    """The colour of a day is the post held longest; on a tie, the one held first."""
    day = fx.MON

    def block(a: int, b: int, post: str) -> Block:
        return Block("S04", day, a, b, "post", post)

    tie = PersonDay(blocks=(block(540, 600, "noncash_teller"), block(600, 660, "cash_teller")))
    assert tie.main_post == "noncash_teller"
    longer = PersonDay(blocks=(block(540, 600, "noncash_teller"), block(600, 720, "cash_teller")))
    assert longer.main_post == "cash_teller"
    assert PersonDay().main_post is None
