"""The `forecast` and `backtest` commands: files written, scores printed, clean errors."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from forecast_builders import synthetic_history
from typer.testing import CliRunner

from scheduler.cli import app

runner = CliRunner()


@pytest.fixture
def traffic_file(tmp_path, sample_cfg) -> Path:
    history = synthetic_history(sample_cfg, dt.date(2026, 8, 10), dt.date(2026, 11, 29), seed=2)
    path = tmp_path / "traffic.csv"
    history.rename(columns={"ds": "timestamp", "y": "count"})[
        ["timestamp", "branch", "channel", "count"]
    ].to_csv(path, index=False)
    return path


def test_forecast_writes_the_csv_and_the_chart(tmp_path, traffic_file):
    """`branch-roster forecast` writes one CSV row per channel and open hour, and a PNG."""
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        [
            "forecast",
            "--history",
            str(traffic_file),
            "--branch",
            "SH-PD-001",
            "--week",
            "2026-W49",
            "--out",
            str(out),
            "--jobs",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out / "forecast.csv")
    assert len(frame) == 2 * 54
    assert frame["ds"].iloc[0] == "2026-11-30 09:00"
    assert (out / "forecast.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "SH-PD-001/wealth" in result.output


@pytest.mark.slow
def test_backtest_prints_scores_per_series_and_overall(traffic_file):
    """`branch-roster backtest` prints MAE, RMSE, MASE and coverage per model and the choice."""
    result = runner.invoke(
        app,
        ["backtest", "--history", str(traffic_file), "--origins", "1", "--jobs", "1"],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert "overall" in result.output and "chosen" in result.output
    assert "MASE" in result.output


def test_bad_input_exits_2_without_a_traceback_or_output(tmp_path):
    """A negative count is reported with its row, exit code 2, and nothing is written."""
    path = tmp_path / "traffic.csv"
    path.write_text("timestamp,branch,channel,count\n2026-11-02 09:00,SH-PD-001,cash,-4\n")
    out = tmp_path / "out"
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "branch-roster"),
            "forecast",
            "--history",
            str(path),
            "--week",
            "2026-W49",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "row 2" in result.stderr and "'count'" in result.stderr
    assert not out.exists()
