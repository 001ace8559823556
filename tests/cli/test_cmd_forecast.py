"""`branch-roster forecast` on a queue-ticket log: same forecast, measured handling time shown."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from scheduler.calendar import BranchCalendar
from scheduler.cli import app
from scheduler.sample.branch import sample_config

runner = CliRunner()


def _hourly(start: dt.date, days: int) -> pd.DataFrame:
    """Counts for every open hour of the sample branch; cash busy at opening and closing."""
    config = sample_config(dt.date(2026, 11, 30))
    calendar = BranchCalendar(config.branch)
    rng = np.random.default_rng(11)
    rows = []
    for offset in range(days):
        day = start + dt.timedelta(days=offset)
        hours = calendar.hours(day)
        if hours is None:
            continue
        first, last = hours.start_minute // 60, (hours.end_minute - 1) // 60
        for hour in range(first, last + 1):
            for channel, level in (("cash", 8.0), ("wealth", 1.5)):
                count = int(rng.poisson(level))
                if channel == "cash" and hour in (first, last):
                    count = max(count, 1)
                rows.append((f"{day} {hour:02d}:00", config.branch.id, channel, count))
    return pd.DataFrame(rows, columns=["timestamp", "branch", "channel", "count"])


def _tickets(hourly: pd.DataFrame) -> pd.DataFrame:
    """One ticket per customer; cash is handled in 6.5 minutes, wealth in 20, after 3 waiting."""
    rng = np.random.default_rng(12)
    rows = hourly.loc[hourly.index.repeat(hourly["count"])]
    taken = pd.to_datetime(rows["timestamp"]) + pd.to_timedelta(
        rng.integers(0, 3600, len(rows)), unit="s"
    )
    called = taken + pd.Timedelta(minutes=3)
    handling = np.where(rows["channel"] == "cash", 6.5, 20.0)
    finished = called + pd.to_timedelta(handling, unit="min")
    fmt = "%Y-%m-%d %H:%M:%S"
    return pd.DataFrame(
        {
            "网点": rows["branch"].to_numpy(),
            "业务类型": rows["channel"].to_numpy(),
            "取号时间": taken.dt.strftime(fmt).to_numpy(),
            "叫号时间": called.dt.strftime(fmt).to_numpy(),
            "办结时间": finished.dt.strftime(fmt).to_numpy(),
            "状态": "已办结",
        }
    )


def _forecast(history, out, flag: str = "--history") -> str:
    result = runner.invoke(
        app,
        [
            "forecast",
            flag,
            str(history),
            "--week",
            "2026-W49",
            "--out",
            str(out),
            "--model",
            "seasonal_naive",
            "--jobs",
            "1",
        ],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_forecast_from_a_ticket_log_equals_the_hourly_one_and_shows_handling_time(tmp_path):
    """A ticket log forecasts as its hourly counts do, and prints measured vs configured AHT."""
    hourly = _hourly(dt.date(2026, 10, 5), 56)
    hourly_path, ticket_path = tmp_path / "hourly.csv", tmp_path / "tickets.csv"
    hourly.to_csv(hourly_path, index=False)
    _tickets(hourly).to_csv(ticket_path, index=False)
    plain = _forecast(hourly_path, tmp_path / "a")
    from_tickets = _forecast(ticket_path, tmp_path / "b")
    pd.testing.assert_frame_equal(
        pd.read_csv(tmp_path / "b" / "forecast.csv"), pd.read_csv(tmp_path / "a" / "forecast.csv")
    )
    aht = {c.id: c.aht_minutes for c in sample_config(dt.date(2026, 11, 30)).channels}
    tickets = int(hourly.loc[hourly["channel"] == "cash", "count"].sum())
    assert (
        f"cash: measured handling time 6.5 min vs configured {aht['cash']:.1f} "
        f"({tickets:,} tickets), mean wait 3.0 min, 0.0% abandoned" in from_tickets
    )
    assert "measured handling time" not in plain


def test_traffic_is_also_read_with_the_run_commands_option_name(tmp_path):
    """`forecast --traffic` (the name `run` uses) gives the forecast `--history` gives."""
    hourly_path = tmp_path / "hourly.csv"
    _hourly(dt.date(2026, 10, 5), 28).to_csv(hourly_path, index=False)
    _forecast(hourly_path, tmp_path / "a")
    _forecast(hourly_path, tmp_path / "b", flag="--traffic")
    pd.testing.assert_frame_equal(
        pd.read_csv(tmp_path / "b" / "forecast.csv"), pd.read_csv(tmp_path / "a" / "forecast.csv")
    )
