"""Queue-ticket logs (排队叫号机流水): hourly counts, measured service figures, located errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

from scheduler.calendar import BranchCalendar
from scheduler.errors import InputError
from scheduler.io.ticket_log import FIGURE_COLUMNS, handling_time_lines, ticket_figures
from scheduler.io.traffic_file import load_traffic, read_traffic
from scheduler.sample.branch import sample_config

DATA = Path(__file__).parents[1] / "data" / "traffic"
BRANCH = "SH-PD-001"


def _hours(history: pd.DataFrame) -> list[tuple[str, str, int]]:
    return [
        (uid, f"{ds:%m-%d %H:%M}", int(y))
        for uid, ds, y in zip(history["unique_id"], history["ds"], history["y"], strict=True)
    ]


def test_tickets_are_counted_per_hour_taken_with_zero_hours_between_first_and_last():
    """Each ticket counts in the hour it was taken; an hour without tickets is 0, not missing."""
    history = read_traffic(DATA / "tickets_zh.csv")
    assert _hours(history) == [
        ("SH-PD-001/cash", "11-23 09:00", 2),
        ("SH-PD-001/cash", "11-23 10:00", 1),
        ("SH-PD-001/cash", "11-23 11:00", 0),
        ("SH-PD-001/cash", "11-23 12:00", 2),
        ("SH-PD-001/cash", "11-24 09:00", 1),
        ("SH-PD-001/cash", "11-24 10:00", 0),
        ("SH-PD-001/wealth", "11-23 09:00", 0),
        ("SH-PD-001/wealth", "11-23 10:00", 1),
        ("SH-PD-001/wealth", "11-23 11:00", 0),
        ("SH-PD-001/wealth", "11-23 12:00", 0),
        ("SH-PD-001/wealth", "11-24 09:00", 0),
        ("SH-PD-001/wealth", "11-24 10:00", 1),
    ]
    assert str(history["y"].dtype) == "int64"
    assert history.attrs["issues"] == []


def test_the_branch_calendar_gives_the_open_hours_of_each_day_with_tickets():
    """With the configuration at hand, every opening hour of a day with tickets is counted."""
    calendar = BranchCalendar(sample_config(dt.date(2026, 11, 30)).branch)
    history = read_traffic(DATA / "tickets_zh.csv", BRANCH, calendar=calendar)
    cash = history[history["channel"] == "cash"]
    assert cash["ds"].dt.strftime("%m-%d %H").tolist() == [
        f"11-{d} {h:02d}" for d in (23, 24) for h in range(9, 17)
    ]
    assert cash["y"].tolist() == [2, 1, 0, 2, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]  # 23rd, 24th
    assert history.groupby("channel")["y"].sum().to_dict() == {"cash": 6, "wealth": 2}


def test_measured_handling_time_wait_and_abandoned_share_per_channel():
    """Handling is called-to-finished, wait is taken-to-called, over served tickets only."""
    figures = ticket_figures(DATA / "tickets_zh.csv")
    assert list(figures.columns) == list(FIGURE_COLUMNS)
    cash, wealth = figures.to_dict("records")
    assert cash == {
        "branch": BRANCH,
        "channel": "cash",
        "tickets": 6,
        "abandoned": 2.0,
        "abandoned_share": pytest.approx(1 / 3),
        "waits": 4,
        "mean_wait_minutes": pytest.approx(5.25),
        "handled": 4,
        "mean_handling_minutes": pytest.approx(6.0),
        "median_handling_minutes": pytest.approx(6.0),
    }
    assert (wealth["tickets"], wealth["abandoned_share"]) == (2, 0.0)
    assert (wealth["mean_wait_minutes"], wealth["mean_handling_minutes"]) == (12.5, 25.0)


def test_handling_time_lines_set_the_measure_against_the_configured_aht():
    """A manager sees measured against configured handling time, wait and abandonment."""
    config = sample_config(dt.date(2026, 11, 30))
    aht = {c.id: c.aht_minutes for c in config.channels}
    history = read_traffic(DATA / "tickets_zh.csv")
    lines = handling_time_lines(history.attrs["ticket_figures"], config)
    assert lines == [
        f"cash: measured handling time 6.0 min vs configured {aht['cash']:.1f} (6 tickets), "
        "mean wait 5.2 min, 33.3% abandoned",
        f"wealth: measured handling time 25.0 min vs configured {aht['wealth']:.1f} "
        "(2 tickets), mean wait 12.5 min, 0.0% abandoned",
    ]


def test_every_bad_ticket_row_is_reported_at_once_with_its_location():
    """Unreadable times, a call before the ticket, a finish before the call: all listed."""
    with pytest.raises(InputError) as caught:
        read_traffic(DATA / "tickets_broken.csv")
    found = [(i.location, i.column, i.message, i.value) for i in caught.value.issues]
    assert found == [
        (3, "取号时间", "cannot read the ticket time", "2026-11-23 9点半"),
        (4, "叫号时间", "called before the ticket was taken", "2026-11-23 10:20"),
        (5, "办结时间", "finished before it was called", "2026-11-23 11:05"),
        (6, "业务类型", "channel is empty", None),
        (7, "叫号时间", "cannot read the call time", "later"),
        (8, "取号时间", "ticket time has no date", "12:10"),
    ]
    issue = caught.value.issues[2]
    assert issue.file == str(DATA / "tickets_broken.csv")
    assert issue.allowed == "a time at or after 叫号时间 2026-11-23 11:10:00"


def test_a_date_column_with_clock_times_in_gbk():
    """日期 plus clock times (9:05, 9:40:30) in a GBK export read as full ticket times."""
    history = read_traffic(DATA / "tickets_gbk_date_clock.csv", BRANCH)
    assert _hours(history) == [
        ("SH-PD-001/现金", "11-23 09:00", 2),
        ("SH-PD-001/现金", "11-23 10:00", 0),
        ("SH-PD-001/现金", "11-23 11:00", 1),
    ]
    figures = ticket_figures(DATA / "tickets_gbk_date_clock.csv", BRANCH)
    assert figures["mean_handling_minutes"].tolist() == [6.0]
    assert figures["mean_wait_minutes"].tolist() == [pytest.approx(13 / 3)]


def test_unknown_status_is_a_warning_and_the_call_time_decides(tmp_path):
    """An unknown status word is named once; an uncalled ticket in such a row is abandoned."""
    path = tmp_path / "t.csv"
    path.write_text(
        "branch,channel,ticket time,called,finished,status\n"
        "B1,cash,2026-11-23 09:00,2026-11-23 09:05,2026-11-23 09:10,转移\n"
        "B1,cash,2026-11-23 09:10,,,转移\n"
        "B1,cash,2026-11-23 09:20,2026-11-23 09:25,2026-11-23 09:30,served\n",
        encoding="utf-8",
    )
    history, warnings = load_traffic(path)
    assert history["y"].tolist() == [3]
    (warning,) = warnings
    assert (warning.location, warning.column, warning.value) == (2, "status", "转移 (2 row(s))")
    assert warning.severity == "warning"
    figures = ticket_figures(path)
    assert figures["abandoned"].tolist() == [1.0]


def test_without_status_or_call_column_abandonment_is_unknown(tmp_path):
    """A log of ticket times only still gives counts; its abandoned share is left blank."""
    path = tmp_path / "t.csv"
    path.write_text(
        "branch,channel,arrival time\nB1,cash,2026-11-23 09:00\nB1,cash,2026-11-23 10:59:59\n",
        encoding="utf-8",
    )
    assert read_traffic(path)["y"].tolist() == [1, 1]
    figures = ticket_figures(path).iloc[0]
    assert (figures["tickets"], figures["handled"]) == (2, 0)
    assert np.isnan(figures["abandoned_share"])


def test_a_file_with_neither_count_nor_ticket_time_names_both_shapes(tmp_path):
    """A file without a count column says a ticket log with 取号时间 would be read too."""
    path = tmp_path / "t.csv"
    path.write_text("branch,channel,called\nB1,cash,2026-11-23 09:00\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_traffic(path)
    (issue,) = caught.value.issues
    assert issue.message == "missing column count"
    assert issue.allowed.endswith("a ticket-time column (取号时间 / ticket_time)")


def test_ticket_log_workbook_with_datetime_cells_and_other_branches(tmp_path):
    """An XLSX log with datetime cells, filtered to one branch, counts that branch only."""
    book = Workbook()
    sheet = book.active
    sheet.append(["网点", "业务类型", "取号时间", "叫号时间", "办结时间"])
    sheet.append(["B1", "cash", dt.datetime(2026, 11, 23, 9, 1), dt.time(9, 3), dt.time(9, 9)])
    sheet.append(["B2", "cash", dt.datetime(2026, 11, 23, 9, 2), None, None])
    sheet.append(["B1", "cash", dt.datetime(2026, 11, 23, 10, 1), dt.time(10, 2), dt.time(10, 6)])
    path = tmp_path / "t.xlsx"
    book.save(path)
    assert read_traffic(path, "B1")["y"].tolist() == [1, 1]
    figures = ticket_figures(path, "B1")
    assert figures["mean_handling_minutes"].tolist() == [5.0]


def _tickets_from_hourly(hourly: pd.DataFrame, seed: int) -> pd.DataFrame:
    """One ticket per customer of each hour, at a random second of the hour."""
    rng = np.random.default_rng(seed)
    rows = hourly.loc[hourly.index.repeat(hourly["count"])]
    seconds = rng.integers(0, 3600, len(rows))
    taken = pd.to_datetime(rows["timestamp"]) + pd.to_timedelta(seconds, unit="s")
    handling = rng.integers(60, 900, len(rows))
    called = taken + pd.to_timedelta(rng.integers(0, 1200, len(rows)), unit="s")
    return pd.DataFrame(
        {
            "网点": rows["branch"].to_numpy(),
            "业务类型": rows["channel"].to_numpy(),
            "取号时间": taken.dt.strftime("%Y-%m-%d %H:%M:%S").to_numpy(),
            "叫号时间": called.dt.strftime("%Y-%m-%d %H:%M:%S").to_numpy(),
            "办结时间": (called + pd.to_timedelta(handling, unit="s"))
            .dt.strftime("%Y-%m-%d %H:%M:%S")
            .to_numpy(),
        }
    ).sample(frac=1, random_state=seed)


def _quarters_from_hourly(hourly: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Each hour's count split at random over its four 15-minute rows (0 rows kept)."""
    rng = np.random.default_rng(seed)
    parts = []
    for row in hourly.itertuples(index=False):
        split = rng.multinomial(row.count, [0.25] * 4)
        start = pd.Timestamp(row.timestamp)
        for q, n in enumerate(split):
            stamp = start + pd.Timedelta(minutes=15 * q)
            parts.append((f"{stamp:%Y-%m-%d %H:%M}", row.branch, row.channel, int(n)))
    return pd.DataFrame(parts, columns=["timestamp", "branch", "channel", "count"])


@pytest.fixture
def small_hourly() -> pd.DataFrame:
    """Three open days (09:00-17:00) of two channels; cash has customers at 09:00 and 16:00."""
    rng = np.random.default_rng(7)
    rows = []
    for day in ("2026-11-23", "2026-11-24", "2026-11-25"):
        for channel, level in (("cash", 6.0), ("wealth", 1.0)):
            for hour in range(9, 17):
                count = int(rng.poisson(level))
                if channel == "cash" and hour in (9, 16):
                    count = max(count, 1)
                rows.append((f"{day} {hour:02d}:00", BRANCH, channel, count))
    return pd.DataFrame(rows, columns=["timestamp", "branch", "channel", "count"])


def test_hourly_15_minute_and_ticket_shapes_give_the_same_history(tmp_path, small_hourly):
    """One history sent as hourly counts, 15-minute counts or tickets reads the same."""
    assert (small_hourly["count"] == 0).any()  # zero hours must survive every shape
    hourly_path, quarter_path = tmp_path / "hourly.csv", tmp_path / "quarter.csv"
    ticket_path = tmp_path / "tickets.csv"
    small_hourly.to_csv(hourly_path, index=False)
    _quarters_from_hourly(small_hourly, 1).to_csv(quarter_path, index=False)
    _tickets_from_hourly(small_hourly, 2).to_csv(ticket_path, index=False)
    expected = read_traffic(hourly_path)
    pd.testing.assert_frame_equal(read_traffic(quarter_path), expected)
    pd.testing.assert_frame_equal(read_traffic(ticket_path), expected)
    calendar = BranchCalendar(sample_config(dt.date(2026, 11, 30)).branch)
    pd.testing.assert_frame_equal(read_traffic(ticket_path, calendar=calendar), expected)


def test_the_calendar_keeps_quiet_opening_and_closing_hours(tmp_path, small_hourly):
    """With no ticket at 09:00 or 16:00, only the calendar tells those hours were open at 0."""
    quiet = small_hourly.copy()
    quiet.loc[quiet["timestamp"].str.endswith(("09:00", "16:00")), "count"] = 0
    hourly_path, ticket_path = tmp_path / "hourly.csv", tmp_path / "tickets.csv"
    quiet.to_csv(hourly_path, index=False)
    _tickets_from_hourly(quiet, 3).to_csv(ticket_path, index=False)
    expected = read_traffic(hourly_path)
    calendar = BranchCalendar(sample_config(dt.date(2026, 11, 30)).branch)
    pd.testing.assert_frame_equal(read_traffic(ticket_path, calendar=calendar), expected)
    without = read_traffic(ticket_path)
    assert len(without) == len(expected) - 2 * 2 * 3  # two hours, two channels, three days
