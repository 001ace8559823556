"""The traffic history file: formats people send and every located problem at once."""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from scheduler.errors import InputError
from scheduler.frames import HISTORY_COLUMNS
from scheduler.io.traffic_file import load_traffic, read_traffic, series_intervals

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


def test_date_cells_of_a_workbook_beside_an_hour_column(tmp_path):
    """Excel gives a 日期 date cell as midnight; the 小时 / 时段 column beside it sets the hour."""
    book = Workbook()
    sheet = book.active
    sheet.append(["日期", "小时", "网点", "渠道", "人数"])
    sheet.append([dt.datetime(2026, 11, 23), 9, "B1", "cash", 12])
    sheet.append([dt.datetime(2026, 11, 23), "10:00-11:00", "B1", "cash", 8])
    path = tmp_path / "t.xlsx"
    book.save(path)
    history = read_traffic(path)
    assert history["ds"].tolist() == [
        pd.Timestamp("2026-11-23 09:00"),
        pd.Timestamp("2026-11-23 10:00"),
    ]
    assert history["y"].tolist() == [12, 8]


def test_excel_date_serials_are_read_as_dates(tmp_path):
    """A date cell formatted as a number (46349.375) is 2026-11-23 09:00."""
    book = Workbook()
    sheet = book.active
    sheet.append(["时间", "网点", "渠道", "人数"])
    sheet.append([46349.375, "B1", "cash", 12])
    sheet.append(["46349.416666667", "B1", "cash", 5])
    path = tmp_path / "t.xlsx"
    book.save(path)
    history = read_traffic(path)
    assert history["ds"].tolist() == [
        pd.Timestamp("2026-11-23 09:00"),
        pd.Timestamp("2026-11-23 10:00"),
    ]


def test_daily_totals_are_refused_with_the_reason(tmp_path):
    """Text timestamps without a time of day (a daily export) are refused, not put at 00:00."""
    path = tmp_path / "t.csv"
    path.write_text("timestamp,branch,channel,count\n2026-11-23,B1,cash,120\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_traffic(path)
    (issue,) = caught.value.issues
    assert issue.location == 2
    assert issue.value == "2026-11-23"
    assert issue.message.startswith("timestamp has no time of day")
    assert "daily totals" in issue.message


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


DATA = Path(__file__).parents[1] / "data" / "traffic"


def test_sub_hourly_counts_are_summed_into_hours_per_series():
    """15-minute cash and 30-minute wealth counts in one file become hourly totals."""
    history, warnings = load_traffic(DATA / "counts_15min.csv")
    assert history["unique_id"].tolist() == ["SH-PD-001/cash"] * 3 + ["SH-PD-001/wealth"] * 3
    assert history["ds"].dt.hour.tolist() == [9, 10, 11, 9, 10, 11]
    assert history["y"].tolist() == [14, 7, 8, 1, 3, 3]
    assert str(history["y"].dtype) == "int64"
    (warning,) = warnings
    assert warning.severity == "warning"
    assert (warning.file, warning.location, warning.column) == (
        str(DATA / "counts_15min.csv"),
        6,
        "timestamp",
    )
    assert warning.message == "15-minute counts missing in an hour; they are taken as 0"
    assert warning.value == "SH-PD-001/cash 2026-11-23 10:00: rows 6-8 give 3 of 4; missing 10:30"
    assert read_traffic(DATA / "counts_15min.csv").attrs["issues"] == warnings


def test_a_stray_minute_in_a_15_minute_file_is_a_located_error():
    """A 10:37 among quarter hours is refused, naming the grid the other rows keep."""
    with pytest.raises(InputError) as caught:
        read_traffic(DATA / "counts_15min_stray.csv")
    assert [(i.location, i.severity) for i in caught.value.issues] == [
        (6, "warning"),  # 10:30 is missing from the hour 10:37 sits in
        (8, "error"),
    ]
    issue = caught.value.errors[0]
    assert (issue.column, issue.value) == ("timestamp", "2026-11-23 10:37")
    assert issue.message == "timestamp is not on the 15-minute grid of its series"
    assert issue.allowed == (
        "a multiple of 15 minutes past the hour, like the other rows of SH-PD-001/cash"
    )


def test_a_stray_half_hour_in_a_long_hourly_file_stays_an_error(tmp_path):
    """One 09:30 among a week of hourly rows is a typo to fix, not a 30-minute file."""
    rows = [f"2026-11-{d} {h:02d}:00,B1,cash,5\n" for d in range(23, 30) for h in range(9, 17)]
    rows.insert(3, "2026-11-23 09:30,B1,cash,2\n")
    path = tmp_path / "t.csv"
    path.write_text("timestamp,branch,channel,count\n" + "".join(rows), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_traffic(path)
    (issue,) = caught.value.issues
    assert (issue.location, issue.message) == (5, "timestamp is not on the hour")
    assert (issue.value, issue.allowed) == (
        "2026-11-23 09:30",
        "the start of an hour, e.g. 2026-11-23 09:00",
    )


@pytest.mark.parametrize(
    ("minutes", "interval"),
    [
        ((0,), 60),
        ((0, 30), 30),
        ((0, 20, 40), 20),
        ((0, 15, 30, 45), 15),
        ((0, 10, 20, 30, 40, 50), 10),
        (tuple(range(0, 60, 5)), 5),
        ((15, 45), 15),  # a sparse export (0 rows left out) still tells its interval
    ],
)
def test_each_series_interval_is_found_from_its_minutes(minutes, interval):
    """The interval is the coarsest divisor of 60 whose grid holds the series' rows."""
    stamps = [
        pd.Timestamp(2026, 11, d, h, m) for d in (23, 24) for h in range(9, 17) for m in minutes
    ]
    found = series_intervals(pd.Series(stamps), pd.Series(["B1/cash"] * len(stamps)))
    assert found.to_dict() == {"B1/cash": interval}


def test_a_few_strays_keep_the_coarse_interval_many_make_it_finer():
    """Up to 5% of rows off the grid are strays; beyond that the series is finer."""
    hourly = [pd.Timestamp(2026, 11, 23, 0) + pd.Timedelta(hours=h) for h in range(40)]
    two = [*hourly, pd.Timestamp(2026, 11, 23, 9, 30), pd.Timestamp(2026, 11, 23, 10, 30)]
    three = [*two, pd.Timestamp(2026, 11, 23, 11, 30)]
    found = series_intervals(
        pd.Series(two + three), pd.Series(["B1/a"] * len(two) + ["B1/b"] * len(three))
    )
    assert found.to_dict() == {"B1/a": 60, "B1/b": 30}


def test_a_partial_first_hour_of_the_day_is_not_a_missing_interval(tmp_path):
    """A branch opening at 08:30 sends 08:30 and 08:45 only: no warning for 08:00-08:30."""
    path = tmp_path / "t.csv"
    path.write_text(
        "timestamp,branch,channel,count\n"
        + "".join(
            f"2026-11-23 {h:02d}:{m:02d},B1,cash,1\n"
            for h in (8, 9)
            for m in (0, 15, 30, 45)
            if (h, m) >= (8, 30)
        ),
        encoding="utf-8",
    )
    history, warnings = load_traffic(path)
    assert history["y"].tolist() == [2, 4]
    assert warnings == []


def test_duplicate_quarter_hour_names_the_interval(tmp_path):
    """Two counts for the same 15 minutes are an error naming both rows."""
    path = tmp_path / "t.csv"
    path.write_text(
        "timestamp,branch,channel,count\n"
        + "".join(f"2026-11-23 09:{m:02d},B1,cash,1\n" for m in (0, 15, 30, 45))
        + "2026-11-23 09:15,B1,cash,4\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        read_traffic(path)
    (issue,) = caught.value.issues
    assert (issue.location, issue.message) == (
        6,
        "duplicate row for the same branch, channel and 15-minute interval",
    )
    assert issue.value == "B1/cash 2026-11-23 09:15 (first given in row 3)"


def test_date_and_quarter_hour_periods(tmp_path):
    """日期 + 时段 written as 09:00-09:15, 09:15-09:30 ... are summed into hours."""
    path = tmp_path / "t.csv"
    path.write_text(
        "日期,时段,渠道,人数\n"
        + "".join(
            f"2026-11-23,{h:02d}:{m:02d}-{h:02d}:{m + 15:02d},cash,{m // 15 + 1}\n"
            for h in (9, 10)
            for m in (0, 15, 30, 45)
        ),
        encoding="utf-8",
    )
    history = read_traffic(path, branch="B1")
    assert history["ds"].dt.hour.tolist() == [9, 10]
    assert history["y"].tolist() == [10, 10]


def test_channels_are_matched_to_the_configuration(tmp_path, sample_cfg):
    """Channels are read against the configuration's.

    ``CASH`` is the configured ``cash``; an unknown channel is left out with a warning; a
    configured channel without rows is named. The frame given is not modified.
    """
    from scheduler.io.traffic_file import match_channels

    path = tmp_path / "t.csv"
    path.write_text(
        "timestamp,branch,channel,count\n"
        "2026-11-23 09:00,SH-PD-001,CASH,7\n"
        "2026-11-23 09:00,SH-PD-001,lobby,30\n"
        "2026-11-23 09:00,SH-PD-001,vip,2\n"
        "2026-11-23 10:00,SH-PD-001,vip,3\n",
        encoding="utf-8",
    )
    history = read_traffic(path)
    before = history.copy()
    matched, issues = match_channels(history, sample_cfg, "t.csv")
    pd.testing.assert_frame_equal(history, before)
    assert sorted(matched["unique_id"].unique()) == ["SH-PD-001/cash", "SH-PD-001/lobby"]
    unknown = issues[0]
    assert (unknown.file, unknown.column, unknown.value, unknown.severity) == (
        "t.csv",
        "channel",
        "vip",
        "warning",
    )
    assert unknown.message == (
        "channel vip is not a channel of branch SH-PD-001; its 2 row(s) are left out of the "
        "forecast"
    )
    assert unknown.allowed == "cash, corporate, lobby, noncash, wealth"
    missing = sorted(i.value for i in issues[1:])
    assert missing == ["corporate", "noncash", "wealth"]


def test_history_that_stops_long_before_the_week_is_flagged():
    """A history ending 184 days before the planned week gets a warning.

    One that ends the day before the week does not.
    """
    from scheduler.calendar import week_horizon
    from scheduler.io.traffic_file import history_fit

    week = week_horizon("2026-W49")
    (issue,) = history_fit("t.csv", dt.date(2026, 1, 1), dt.date(2026, 5, 29), week)
    assert issue.severity == "warning"
    assert "ends 184 days before the planned week 2026-W49" in issue.message
    assert history_fit("t.csv", dt.date(2026, 1, 1), dt.date(2026, 11, 29), week) == []


def test_a_column_the_reader_does_not_know_is_warned_of(tmp_path):
    """An extra column (网点名称) is read past with a warning at the header row."""
    path = tmp_path / "t.csv"
    path.write_text(
        "timestamp,branch,channel,count,网点名称\n2026-11-23 09:00,B1,cash,7,浦东\n",
        encoding="utf-8",
    )
    history = read_traffic(path)
    (issue,) = history.attrs["issues"]
    assert (issue.location, issue.column, issue.severity) == (1, "网点名称", "warning")
    assert issue.message == "ignored: not a column of a traffic history"
    assert "timestamp" in issue.allowed and "人数" in issue.allowed
    assert history["y"].tolist() == [7]


WIDE = (
    "日期,星期,时段,现金,非现金（人次）,大堂,合计\n"
    "2026-11-23,周一,09:00-10:00,12,5,30,47\n"
    "2026-11-23,周一,10:00-11:00,7,,22,29\n"
    "2026-11-24,周二,09:00-10:00,9,4,0,13\n"
)


def test_a_column_per_channel_is_read_as_each_channels_counts(tmp_path):
    """A report with a column of counts per channel (GBK, 日期 + 时段) reads as long counts.

    A blank cell is a missing hour, the totals column and the weekday column are not read,
    and the warnings say how the file was read.
    """
    path = tmp_path / "wide.csv"
    path.write_text(WIDE, encoding="gbk")
    history, warnings = load_traffic(path, "SH-PD-001")
    by = history.groupby("channel")["y"].apply(list).to_dict()
    assert by == {"现金": [12, 7, 9], "非现金(人次)": [5, 4], "大堂": [30, 22, 0]}
    assert set(history["branch"]) == {"SH-PD-001"}
    notes = {(w.column, w.message) for w in warnings}
    assert ("星期", "ignored: holds no number, so it is not a channel's counts") in notes
    assert ("合计", "not read: a totals column (each channel's own column is read)") in notes
    assert (
        "channel",
        "read as one column of counts per channel: 现金, 非现金(人次), 大堂",
    ) in notes


def test_a_bad_cell_in_a_channel_column_is_located_by_row_and_column(tmp_path):
    """An unreadable count names the file, row, the channel's column and the value."""
    path = tmp_path / "wide.csv"
    path.write_text(WIDE.replace(",7,,22,", ",7,abc,22,"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_traffic(path, "SH-PD-001")
    (issue,) = caught.value.errors
    assert (issue.file, issue.location, issue.column, issue.value) == (
        str(path),
        3,
        "非现金(人次)",
        "abc",
    )
    assert issue.message == "count is not a number"


def test_channels_written_by_name_are_the_configured_ones(tmp_path, sample_cfg):
    """现金 / 非现金(人次) / Lobby guidance are cash / noncash / lobby, said in a warning.

    A name that starts no channel's id or name (柜台, vip), or is a single character (理),
    is not guessed.
    """
    from scheduler.io.traffic_file import channel_ids, match_channels

    path = tmp_path / "wide.csv"
    path.write_text(WIDE.replace("大堂", "Lobby guidance"), encoding="utf-8")
    history, _ = load_traffic(path, "SH-PD-001")
    matched, issues = match_channels(history, sample_cfg, "wide.csv")
    assert sorted(matched["channel"].unique()) == ["cash", "lobby", "noncash"]
    assert issues[0].message == (
        "channels written by name read as the configured ones: Lobby guidance as lobby, "
        "现金 as cash, 非现金(人次) as noncash"
    )
    names = ["CASH", "现金柜台", "柜台", "理", "对公", "Corporate desk", "vip", "cash"]
    assert channel_ids(names, sample_cfg) == {
        "CASH": "cash",
        "现金柜台": "cash",
        "对公": "corporate",
        "Corporate desk": "corporate",
    }


def test_a_timestamp_in_year_9999_or_year_1_is_a_located_error(tmp_path):
    """Placeholder dates of some exports are refused by row, in the file reader."""
    path = tmp_path / "t.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(["timestamp", "branch", "channel", "count"])
    sheet.append([dt.datetime(2026, 11, 23, 9), "B1", "cash", 3])
    sheet.append([dt.datetime(9999, 12, 31, 23), "B1", "cash", 4])
    sheet.append(["0001-01-01 09:00", "B1", "cash", 5])
    book.save(path)
    with pytest.raises(InputError) as caught:
        read_traffic(path)
    assert [(i.location, i.column, i.message) for i in caught.value.errors] == [
        (3, "timestamp", "the timestamp is out of range"),
        (4, "timestamp", "the timestamp is out of range"),
    ]
    assert caught.value.errors[0].allowed == "a time in the years 1970-2100"


def test_a_frame_with_a_year_9999_timestamp_is_a_located_error(sample_cfg):
    """Through the Python API too: no pandas overflow, the row and value named."""
    from forecasting.calendar_features import CalendarFeatures
    from forecasting.history import prepare_history
    from scheduler.calendar import BranchCalendar

    frame = pd.DataFrame(
        {
            "ds": pd.Series([dt.datetime(2026, 11, 23, 9), dt.datetime(9999, 1, 1, 9)]).astype(
                "datetime64[us]"
            ),
            "y": [1, 2],
            "channel": ["cash", "cash"],
        }
    )
    with pytest.raises(InputError) as caught:
        prepare_history(frame, sample_cfg, CalendarFeatures(BranchCalendar(sample_cfg.branch)))
    (issue,) = caught.value.errors
    assert (issue.location, issue.value) == (2, "9999-01-01 09:00:00")
