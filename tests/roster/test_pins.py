"""The pins file: fixed assignments read with located problems."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from scheduler.errors import InputError
from scheduler.roster.pins import read_pins


def test_pins_file_with_chinese_headers(tmp_path: Path) -> None:
    """A pins file in Chinese gives a day off and a post for a time window."""
    path = tmp_path / "pins.csv"
    path.write_text(
        "工号,日期,休息,班次,岗位,开始,结束\nS01,2026-12-01,是,,,,\nS02,2026/12/2,,day,lobby,10:00,12:00\n",
        encoding="utf-8",
    )
    off, post = read_pins(path)
    assert (off.staff_id, off.date, off.off) == ("S01", dt.date(2026, 12, 1), True)
    assert (post.shift, post.post, post.start, post.end) == (
        "day",
        "lobby",
        dt.time(10),
        dt.time(12),
    )


def test_pins_file_problems_are_located(tmp_path: Path) -> None:
    """A bad date and a contradictory pin are reported with their row and column."""
    path = tmp_path / "pins.csv"
    path.write_text(
        "staff_id,date,off,post\nS01,someday,,lobby\nS02,2026-12-01,yes,lobby\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        read_pins(path)
    rows = sorted((i.location, i.column) for i in err.value.errors)
    assert rows == [(2, "date"), (3, None)]
