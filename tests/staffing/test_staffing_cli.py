"""Tests of ``branch-roster staffing``: files written, unmeetable hours shown, bad input refused."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from scheduler.cli import main
from scheduler.frames import REQUIREMENT_COLUMNS
from scheduler.io.config_file import dump_config


def _run(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.setattr(sys, "argv", ["branch-roster", "staffing", *args])
    try:
        main()
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


@pytest.fixture
def files(tmp_path: Path, sample_cfg, make_forecast) -> tuple[Path, Path]:
    """The sample branch's config file and a two-day forecast file with too much wealth traffic."""
    config = dump_config(sample_cfg, tmp_path / "branch.yaml")
    fc = make_forecast({"cash": 30, "lobby": 40, "wealth": 60}, days=2)
    forecast = tmp_path / "forecast.csv"
    fc.to_csv(forecast, index=False)
    return config, forecast


def test_writes_requirements_chart_and_floor_checks(monkeypatch, capsys, tmp_path, files) -> None:
    """The command writes the long requirement table, the rule checks and a PNG chart."""
    config, forecast = files
    out = tmp_path / "out"
    code = _run(monkeypatch, "--forecast", str(forecast), "--branch-config", str(config),
                "--out", str(out))  # fmt: skip
    assert code == 0
    req = pd.read_csv(out / "requirements.csv")
    assert tuple(req.columns) == REQUIREMENT_COLUMNS
    assert len(req) == 2 * 8 * 8
    cash = req[(req["post"] == "cash_teller") & (req["ds"] == "2026-11-30 11:00:00")]
    assert cash["required"].tolist() == [4]  # 30 cash customers an hour
    checks = pd.read_csv(out / "floor_checks.csv")
    assert set(checks["rule"]) == {"manager on duty", "vault at opening", "vault at closing"}
    assert (out / "requirements.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    printed = capsys.readouterr().out
    assert "16 slot(s) where no staff number meets the target:" in printed
    assert "2026-11-30 Mon wealth_manager at 09:00 10:00 11:00 12:00 13:00 14:00 15:00 16:00" in (
        printed
    )


def test_level_option_staffs_for_the_upper_bound(monkeypatch, tmp_path, files) -> None:
    """--level hi-80 sizes for the forecast's upper bound."""
    config, forecast = files
    out = tmp_path / "out"
    _run(monkeypatch, "--forecast", str(forecast), "--branch-config", str(config),
         "--out", str(out), "--level", "hi-80")  # fmt: skip
    req = pd.read_csv(out / "requirements.csv")
    cash = req[(req["post"] == "cash_teller") & (req["ds"] == "2026-11-30 11:00:00")]
    assert cash["arrivals"].tolist() == [37.5]


def test_missing_level_column_exits_2_and_writes_nothing(
    monkeypatch, capsys, tmp_path, files
) -> None:
    """A level the forecast lacks is an input error naming the file and column; no file appears."""
    config, forecast = files
    out = tmp_path / "out"
    code = _run(monkeypatch, "--forecast", str(forecast), "--branch-config", str(config),
                "--out", str(out), "--level", "hi-90")  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err
    assert f"{forecast}, column 'hi-90': the forecast has no column 'hi-90'" in err
    assert "nothing was written" in err
    assert not out.exists()


def test_bad_rows_and_missing_config_are_reported_together(
    monkeypatch, capsys, tmp_path, files
) -> None:
    """A missing config file and bad forecast rows are all reported, each with its location."""
    _, forecast = files
    text = forecast.read_text().splitlines()
    text[1] = text[1].replace("2026-11-30 09:00:00", "2026-11-30 09:15:00")
    forecast.write_text("\n".join(text) + "\n")
    code = _run(monkeypatch, "--forecast", str(forecast), "--branch-config",
                str(tmp_path / "none.yaml"), "--out", str(tmp_path / "out"))  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err
    assert "none.yaml" in err
    code = _run(monkeypatch, "--forecast", str(forecast), "--branch-config",
                str(files[0]), "--out", str(tmp_path / "out"))  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err
    assert f"{forecast}, row 2, column 'ds': the forecast is hourly" in err
    assert not (tmp_path / "out").exists()


def test_a_week_the_forecast_does_not_cover_is_refused(monkeypatch, capsys, tmp_path, files):
    """--week outside the forecast's dates is an error naming both.

    It was sized as no traffic, with exit 0.
    """
    config, forecast = files
    out = tmp_path / "out"
    code = _run(monkeypatch, "--forecast", str(forecast), "--branch-config", str(config),
                "--out", str(out), "--week", "2026-W50")  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err
    assert "--week: the forecast" in err and "has no row in this week" in err
    assert "found '2026-12-07 to 2026-12-13'" in err
    assert not out.exists()
