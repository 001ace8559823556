"""``branch-roster export``: the report files from a result folder, or located errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from reports import fixtures as fx
from typer.testing import CliRunner

from scheduler.cli import app
from scheduler.errors import InputError
from scheduler.io.config_file import dump_config

runner = CliRunner()


@pytest.fixture
def inputs(tmp_path: Path) -> tuple[Path, Path]:
    config = dump_config(fx.config(), tmp_path / "branch.yaml")
    folder = fx.write_result_csvs(fx.result(), tmp_path / "result")
    return config, folder


def test_export_writes_every_file(tmp_path: Path, inputs: tuple[Path, Path]) -> None:
    """From the solver's folder, export writes the workbook, a calendar each, report and charts."""
    config, folder = inputs
    out = tmp_path / "out"
    res = runner.invoke(
        app, ["export", "--result", str(folder), "--config", str(config), "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    assert "SH-PD-001 2026-11-30..2026-12-02: wrote 18 files" in res.output
    names = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    calendars = [f"calendars/{s.id}.ics" for s in fx.config().staff]
    assert names == sorted([*calendars, "report.html", "report.pdf", "report.png", "roster.xlsx"])
    html = (out / "report.html").read_text("utf-8")
    assert 'id="chart-demand"' in html and 'id="chart-wait"' in html  # from the folder's CSVs
    sheet = openpyxl.load_workbook(out / "roster.xlsx")["第49周"]
    cells = {
        (r[0], i): v for r in sheet.iter_rows(min_row=3, values_only=True) for i, v in enumerate(r)
    }
    assert cells[("S04", 2)] == "08:30-17:30\n08:30-12:00 高柜柜员 12-13 休 13:00-17:30 低柜柜员"


def test_export_in_english_with_leave(tmp_path: Path, inputs: tuple[Path, Path]) -> None:
    """--lang en and an availability file give English files with the leave shown."""
    from scheduler.io.availability_file import write_availability

    config, folder = inputs
    leave = write_availability(fx.availability(), tmp_path / "leave.csv", config=fx.config())
    out = tmp_path / "out"
    res = runner.invoke(
        app,
        [
            "export",
            "--result",
            str(folder),
            "--config",
            str(config),
            "--out",
            str(out),
            "--lang",
            "en",
            "-a",
            str(leave),
        ],
    )
    assert res.exit_code == 0, res.output
    book = openpyxl.load_workbook(out / "roster.xlsx")
    assert book.sheetnames == ["Week 49", "Coverage", "People", "Rule report"]
    rows = {r[0]: r for r in book["Week 49"].iter_rows(min_row=3, values_only=True)}
    assert rows["S08"][3] == "Annual leave"


def test_missing_files_are_named(tmp_path: Path, inputs: tuple[Path, Path]) -> None:
    """A result folder without its coverage and people files is refused, naming both."""
    config, folder = inputs
    (folder / "coverage.csv").unlink()
    (folder / "people.csv").unlink()
    res = runner.invoke(
        app,
        ["export", "--result", str(folder), "--config", str(config), "--out", str(tmp_path / "o")],
    )
    assert isinstance(res.exception, InputError)
    assert [i.message for i in res.exception.errors] == [
        "coverage.csv is missing",
        "people.csv is missing",
    ]
    assert not (tmp_path / "o").exists()


def test_bad_value_located_and_nothing_written(tmp_path: Path, inputs: tuple[Path, Path]) -> None:
    """A bad number in coverage.csv is reported with file, row, column and value; no output."""
    config, folder = inputs
    path = folder / "coverage.csv"
    lines = path.read_text("utf-8").splitlines()
    lines[3] = lines[3].replace(",1,", ",one,", 1)
    path.write_text("\n".join(lines) + "\n", "utf-8")
    out = tmp_path / "o"
    res = runner.invoke(
        app, ["export", "--result", str(folder), "--config", str(config), "--out", str(out)]
    )
    assert isinstance(res.exception, InputError)
    (issue,) = res.exception.errors
    assert (issue.file, issue.location, issue.column, issue.value) == (
        str(path),
        4,
        "required",
        "one",
    )
    assert issue.allowed == "a whole number"
    assert not out.exists()


def test_bad_input_exits_2_without_traceback(tmp_path: Path, inputs: tuple[Path, Path]) -> None:
    """On the command line, bad input prints located problems and exits with code 2."""
    config, _ = inputs
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "scheduler.cli",
            "export",
            "--result",
            str(tmp_path / "none"),
            "--config",
            str(config),
            "--out",
            str(tmp_path / "o"),
            "--lang",
            "fr",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "--lang: unknown language (found 'fr'); allowed: zh, en" in proc.stderr


def test_infeasible_result_exits_3_and_writes_nothing(tmp_path: Path) -> None:
    """A folder from an infeasible solve holds no roster: exit code 3, the conflict shown."""
    import dataclasses

    from scheduler.roster.result import Conflict, RosterResult, SolverStats

    config = dump_config(fx.config(), tmp_path / "branch.yaml")
    infeasible = RosterResult(
        branch_id="SH-PD-001",
        horizon=fx.HORIZON,
        stats=SolverStats(status="INFEASIBLE"),
        conflicts=(Conflict(rules=("post_floor",), message="nobody can hold the lobby"),),
    )
    folder = fx.write_result_csvs(dataclasses.replace(infeasible), tmp_path / "result")
    out = tmp_path / "o"
    res = runner.invoke(
        app, ["export", "--result", str(folder), "--config", str(config), "--out", str(out)]
    )
    assert res.exit_code == 3
    assert "nobody can hold the lobby" in res.output
    assert not out.exists()
