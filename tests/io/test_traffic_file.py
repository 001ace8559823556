"""The traffic history file: formats people send and every located problem at once."""

from __future__ import annotations

import datetime as dt
import gzip

import pandas as pd
import pytest
from openpyxl import Workbook

from scheduler.errors import InputError
from scheduler.frames import HISTORY_COLUMNS
from scheduler.io.traffic_file import read_traffic

GOOD = (
    "timestamp,branch,channel,count\n"
    "2026-11-23 10:00,B1,cash,7\n"
    "2026-11-23 09:00,B1,cash,12\n"
    "2026-11-23 09:00,B1,lobby,30\n"
    "2026-11-23 09:00,B2,cash,5\n"
)


def _messages(caught: pytest.ExceptionInfo[InputError]) -> list[tuple[object, str | None, str]]:
    return [(i.location, i.column, i.message) for i in caught.value.issues]


def test_reads_the_history_frame_sorted_by_series_and_hour(tmp_path):
    """The forecaster gets one sorted series per branch and channel with integer counts."""
    path = tmp_path / "t.csv"
    path.write_text(GOOD, encoding="utf-8")
    history = read_traffic(path)
    assert list(history.columns) == list(HISTORY_COLUMNS)
    assert history["unique_id"].tolist() == ["B1/cash", "B1/cash", "B1/lobby", "B2/cash"]
    assert history["ds"].tolist() == [
        pd.Timestamp("2026-11-23 09:00"),
        pd.Timestamp("2026-11-23 10:00"),
        pd.Timestamp("2026-11-23 09:00"),
        pd.Timestamp("2026-11-23 09:00"),
    ]
    assert history["y"].tolist() == [12, 7, 30, 5]
    assert str(history["y"].dtype) == "int64"


def test_branch_filter_keeps_one_branch_and_names_the_others_when_absent(tmp_path):
    """A run for one branch reads only its rows; a wrong branch id lists those present."""
    path = tmp_path / "t.csv"
    path.write_text(GOOD, encoding="utf-8")
    assert read_traffic(path, branch="B2")["y"].tolist() == [5]
    with pytest.raises(InputError) as caught:
        read_traffic(path, branch="B9")
    (issue,) = caught.value.issues
    assert issue.message == "no rows for branch B9"
    assert issue.allowed == "B1, B2"


def test_chinese_headers_gbk_full_width_digits_and_chinese_dates(tmp_path):
    """Exports from Chinese systems (GBK, 时间/网点/渠道/人数, １２, 年月日) read the same."""
    text = "时间,网点,渠道,人数\n2026/11/23 9:00,B1,cash,１２\n2026年11月23日 10时,B1,cash,3\n"
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode("gbk"))
    history = read_traffic(path)
    assert history["ds"].dt.hour.tolist() == [9, 10]
    assert history["y"].tolist() == [12, 3]


def test_gzip_and_utf8_bom(tmp_path):
    """Compressed history (.csv.gz) and a UTF-8 BOM from Excel are read transparently."""
    path = tmp_path / "t.csv.gz"
    path.write_bytes(gzip.compress(("\ufeff" + GOOD).encode("utf-8")))
    assert len(read_traffic(path)) == 4


def test_xlsx_with_datetime_cells(tmp_path):
    """A workbook with real datetime cells gives the same frame as text timestamps."""
    book = Workbook()
    sheet = book.active
    sheet.append(["timestamp", "branch", "channel", "count"])
    sheet.append([dt.datetime(2026, 11, 23, 9), "B1", "cash", 12])
    sheet.append([dt.datetime(2026, 11, 23, 10), "B1", "cash", 8.0])
    path = tmp_path / "t.xlsx"
    book.save(path)
    history = read_traffic(path)
    assert history["ds"].dt.hour.tolist() == [9, 10]
    assert history["y"].tolist() == [12, 8]


def test_date_and_hour_columns_instead_of_a_timestamp(tmp_path):
    """Reports with 日期 and 时段 (e.g. 09:00-10:00) columns give hour starts."""
    path = tmp_path / "t.csv"
    path.write_text(
        "日期,时段,渠道,人数\n2026-11-23,09:00-10:00,cash,4\n2026-11-23,10,cash,5\n",
        encoding="utf-8",
    )
    history = read_traffic(path, branch="B1")
    assert history["unique_id"].unique().tolist() == ["B1/cash"]
    assert history["ds"].dt.hour.tolist() == [9, 10]


def test_offsets_are_converted_when_the_zone_is_known(tmp_path):
    """UTC timestamps become branch local time when the branch's zone is given."""
    path = tmp_path / "t.csv"
    path.write_text(
        "timestamp,branch,channel,count\n2026-11-23T01:00:00Z,B1,cash,4\n", encoding="utf-8"
    )
    assert read_traffic(path, timezone="Asia/Shanghai")["ds"].tolist() == [
        pd.Timestamp("2026-11-23 09:00")
    ]


def test_every_bad_row_is_reported_at_once_with_its_location(tmp_path):
    """Negative, fractional and unreadable values, off-hour and mixed-zone rows: all listed."""
    path = tmp_path / "t.csv"
    path.write_text(
        "timestamp,branch,channel,count\n"
        "2026-11-23 09:00,B1,cash,12\n"
        "2026-11-23 10:00,B1,cash,-3\n"
        "2026-11-23 10:30,B1,cash,4\n"
        "2026-11-23 11:00,B1,cash,4.5\n"
        "yesterday,B1,cash,2\n"
        "2026-11-23 12:00,B1,cash,many\n"
        "2026-11-23 13:00+08:00,B1,cash,1\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        read_traffic(path)
    assert _messages(caught) == [
        (3, "count", "count is negative"),
        (4, "timestamp", "timestamp is not on the hour"),
        (5, "count", "count is not a whole number"),
        (6, "timestamp", "cannot read the timestamp"),
        (7, "count", "count is not a number"),
        (8, "timestamp", "mixed time zones in one file"),
    ]
    assert caught.value.issues[0].value == "-3"
    assert caught.value.issues[0].allowed == "a whole number of customers, 0 or more"


def test_duplicate_hour_names_both_rows(tmp_path):
    """Two counts for one branch, channel and hour are an error pointing at both rows."""
    path = tmp_path / "t.csv"
    path.write_text(GOOD + "2026-11-23 09:00,B1,cash,13\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_traffic(path)
    (issue,) = caught.value.issues
    assert (issue.location, issue.column) == (6, "timestamp")
    assert issue.message == "duplicate row for the same branch, channel and hour"
    assert issue.value == "B1/cash 2026-11-23 09:00 (first given in row 3)"


def test_empty_file_and_header_only_file(tmp_path):
    """An empty upload or a header without data is refused with a clear message."""
    empty = tmp_path / "e.csv"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_traffic(empty)
    assert caught.value.issues[0].message == "the file is empty"
    header = tmp_path / "h.csv"
    header.write_text("timestamp,branch,channel,count\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_traffic(header)
    assert caught.value.issues[0].message == "the file has a header but no data rows"


def test_missing_count_column_lists_the_accepted_headers(tmp_path):
    """A file without a count column says which header names would be understood."""
    path = tmp_path / "t.csv"
    path.write_text("timestamp,branch,channel\n2026-11-23 09:00,B1,cash\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_traffic(path)
    (issue,) = caught.value.issues
    assert issue.message == "missing column count"
    assert issue.location == 1
    assert issue.allowed.startswith("count / 人数 / 客流")


def test_many_bad_rows_are_summarised(tmp_path):
    """A file broken on every row gives a readable report, not thousands of lines."""
    rows = "".join(f"2026-11-23 09:00,B1,ch{i},-1\n" for i in range(100))
    path = tmp_path / "t.csv"
    path.write_text("timestamp,branch,channel,count\n" + rows, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_traffic(path)
    assert len(caught.value.issues) == 21
    assert caught.value.issues[-1].message == "count is negative: 80 more row(s) like the above"


def test_other_branches_bad_rows_do_not_block_this_branch(tmp_path):
    """A regional export with a broken row for another branch still serves this branch."""
    path = tmp_path / "t.csv"
    path.write_text(
        "timestamp,branch,channel,count\n"
        "2026-11-23 09:00,B1,cash,12\n"
        "2026-11-23 09:00,B2,cash,-1\n"
        "2026-11-23 10:00,,cash,7\n",
        encoding="utf-8",
    )
    history = read_traffic(path, branch="B1")
    assert history["y"].tolist() == [12, 7]
    assert history["branch"].unique().tolist() == ["B1"]
    with pytest.raises(InputError) as caught:
        read_traffic(path)
    assert [(i.location, i.message) for i in caught.value.issues] == [
        (3, "count is negative"),
        (4, "branch is empty"),
    ]
