"""The pins file: fixed assignments read with located problems."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from scheduler.calendar import Horizon
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
    assert rows == [(2, "date"), (3, "off")]


WEEK = Horizon.iso_week("2026-W49")


def test_pins_accept_what_availability_files_accept(tmp_path: Path, sample_cfg) -> None:
    """12月1日, √, 9点, s04, 高柜柜员 and 全天班 read as in availability files."""
    path = tmp_path / "pins.csv"
    path.write_text(
        "工号,日期,休息,班次,岗位,开始,结束\n"
        "S01,12月1日,√,,,,\n"
        "s04,2026-12-01,,,高柜柜员,9点,12点\n"
        "S05,2026-12-02,,全天班,,,\n"
        "S06,2026-12-02,,,lobby,下午2点-5点,\n",
        encoding="utf-8",
    )
    off, post, shift, afternoon = read_pins(path, sample_cfg, WEEK)
    assert (off.staff_id, off.date, off.off) == ("S01", dt.date(2026, 12, 1), True)
    assert (post.staff_id, post.post, post.start, post.end) == (
        "S04",
        "cash_teller",
        dt.time(9),
        dt.time(12),
    )
    assert (shift.shift, shift.post) == ("day", None)
    assert (afternoon.start, afternoon.end) == (dt.time(14), dt.time(17))


def test_pins_problems_name_the_files_own_headers(tmp_path: Path, sample_cfg) -> None:
    """An unknown post, or a date outside the week, is located at 岗位 / 日期, not post/date."""
    path = tmp_path / "pins.csv"
    path.write_text("工号,日期,岗位\nS04,2026-12-01,金库\nS04,2026-12-20,lobby\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_pins(path, sample_cfg, WEEK)
    post, date = err.value.errors
    assert (post.location, post.column, post.message, post.value) == (
        2,
        "岗位",
        "unknown post",
        "金库",
    )
    assert "cash_teller (高柜柜员)" in post.allowed
    assert (date.location, date.column, date.value, date.allowed) == (
        3,
        "日期",
        "2026-12-20",
        "2026-11-30 to 2026-12-06",
    )
    assert date.message == "the pin's date lies outside the planned days"


def test_a_date_without_its_year_needs_the_week(tmp_path: Path) -> None:
    """Without a planned week, 12月1日 has no year: refused, saying so."""
    path = tmp_path / "pins.csv"
    path.write_text("工号,日期,休息\nS01,12月1日,是\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_pins(path)
    (issue,) = err.value.errors
    assert (issue.location, issue.column, issue.message, issue.value) == (
        2,
        "日期",
        "cannot read the date",
        "12月1日",
    )
    assert issue.allowed == (
        "a date such as 2026-12-01, 2026/12/1 or 12月1日 (with the year when no week is given)"
    )


@pytest.mark.parametrize(
    ("row", "column", "message", "value", "allowed"),
    [
        ("S04,2026-12-02,,day,lobby,12:00,10:00", "结束", "the pin's end is not after its start",
         "12:00-10:00", "an end after 12:00 on the same day"),
        ("S04,2026-12-02,是,day,,,", "休息",
         "a pin cannot both give a day off and assign a shift or post "
         "(the row also names 班次 day)", "是", "a day off alone, or 班次/岗位 without 休息"),
        ("S04,2026-12-02,,day,lobby,10:00,", "结束", "give both start and end, or neither",
         "10:00", "a time in 结束 too, or neither (the whole shift)"),
        ("S04,2026-12-02,否,,,,", "岗位", "a pin needs a day off, a shift or a post", None,
         "休息 = 是, or a 班次, or a 岗位"),
    ],
)  # fmt: skip
def test_a_pin_whose_cells_contradict_is_located_at_a_column(
    tmp_path: Path, row: str, column: str, message: str, value: str | None, allowed: str
) -> None:
    """Each way a row's cells can contradict names the column, the value and what would do."""
    path = tmp_path / "pins.csv"
    path.write_text(f"工号,日期,休息,班次,岗位,开始,结束\n{row}\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_pins(path)
    (issue,) = err.value.errors
    assert (issue.location, issue.column, issue.message) == (2, column, message)
    assert (issue.value, issue.allowed) == (value, allowed)


def test_an_unknown_column_in_a_pins_file_is_an_error(tmp_path: Path) -> None:
    """职位 is not 岗位: the post it names would be lost, so the file is refused at it."""
    path = tmp_path / "pins.csv"
    path.write_text("工号,日期,班次,职位\nS04,2026-12-02,day,cash_teller\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_pins(path)
    (issue,) = err.value.errors
    assert (issue.location, issue.column) == (1, "职位")
    assert issue.message == "not a column of a pins file (its cells would not be read)"
    assert issue.allowed.startswith("工号/staff_id, 姓名/name, 日期/date, 休息/off")
