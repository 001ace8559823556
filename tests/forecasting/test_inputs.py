"""Command-line inputs: the configuration default is only for the sample branch."""

from __future__ import annotations

import pytest

from forecasting.inputs import load_forecast_inputs, parse_pension_days
from scheduler.errors import InputError


def write_history(path, branch: str) -> None:
    path.write_text(
        f"timestamp,branch,channel,count\n2026-11-02 09:00,{branch},cash,3\n", encoding="utf-8"
    )


def test_another_branch_needs_its_configuration(tmp_path):
    """Without --config a non-sample branch is refused: its hours and holidays are unknown."""
    history = tmp_path / "traffic.csv"
    write_history(history, "BJ-01")
    with pytest.raises(InputError) as caught:
        load_forecast_inputs(history, "BJ-01", None)
    (issue,) = caught.value.errors
    assert issue.file == "--config"
    assert issue.allowed == "--config path/to/branch.yaml"


def test_the_sample_branch_defaults_to_the_sample_configuration(tmp_path):
    """The sample branch's history works without --config; the branch is read from the file."""
    history = tmp_path / "traffic.csv"
    write_history(history, "SH-PD-001")
    inputs = load_forecast_inputs(history, None, None)
    assert inputs.config.branch.id == "SH-PD-001"
    assert inputs.config_source.endswith("data/sample_branch/branch.yaml")
    assert inputs.history["y"].tolist() == [3]


def test_pension_days_are_days_of_the_month():
    """`--pension-days 15,5` gives (5, 15); 32 is refused naming the option."""
    assert parse_pension_days("15, 5") == (5, 15)
    assert parse_pension_days(None) == ()
    with pytest.raises(InputError) as caught:
        parse_pension_days("5,32")
    assert (caught.value.errors[0].file, caught.value.errors[0].value) == ("--pension-days", "32")


def test_reading_warnings_reach_the_forecast_inputs():
    """An hour missing a quarter-hour count is kept, and the warning is handed on to print."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    inputs = load_forecast_inputs(
        root / "tests" / "data" / "traffic" / "counts_15min.csv",
        None,
        root / "data" / "sample_branch" / "branch.yaml",
    )
    assert {i.severity for i in inputs.warnings} == {"warning"}
    gap = inputs.warnings[0]
    assert gap.message == "15-minute counts missing in an hour; they are taken as 0"
    assert "missing 10:30" in str(gap.value)
    # the file holds cash and wealth; the configuration's others are named as without history
    assert sorted(i.value for i in inputs.warnings[1:]) == ["corporate", "lobby", "noncash"]


def test_a_ticket_log_gets_zero_hours_from_the_configured_opening_hours(tmp_path):
    """With the branch's calendar, an open hour without a ticket is a 0-count hour."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    log = tmp_path / "tickets.csv"
    log.write_text("网点,业务类型,取号时间\nSH-PD-001,cash,2026-11-23 10:05\n", encoding="utf-8")
    inputs = load_forecast_inputs(log, None, root / "data" / "sample_branch" / "branch.yaml")
    frame = inputs.history
    assert frame["ds"].dt.hour.tolist() == list(range(9, 17))  # Monday 09:00-17:00
    assert frame["y"].tolist() == [0, 1, 0, 0, 0, 0, 0, 0]


def test_pension_days_come_from_the_configuration_unless_given(tmp_path):
    """Without --pension-days, ``forecast`` and ``backtest`` use the configuration's days.

    The option overrides them; before, they forecast without any pension day.
    """
    from pathlib import Path

    from forecasting.inputs import settings_from_options
    from scheduler.io.config_file import load_config

    cfg = load_config(Path(__file__).resolve().parents[2] / "data/sample_branch/branch.yaml")
    assert tuple(cfg.branch.calendar.pension_days) == (10,)
    assert settings_from_options(None, cfg).pension_days == (10,)
    assert settings_from_options("5,15", cfg).pension_days == (5, 15)
    assert settings_from_options(None).pension_days == ()
