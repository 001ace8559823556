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


def _resave_as_gbk(folder: Path) -> None:
    """Every CSV of the folder saved again as Excel does on a Chinese Windows: GBK, no BOM."""
    for path in folder.glob("*.csv"):
        path.write_bytes(path.read_text("utf-8-sig").encode("gbk"))


def test_result_files_resaved_as_gbk_read_as_written(inputs: tuple[Path, Path]) -> None:
    """Roster, shifts, coverage, people and penalties re-saved as GBK read back unchanged."""
    from scheduler.reports.result_files import read_result_folder

    _, folder = inputs
    before = read_result_folder(folder, fx.config()).result
    _resave_as_gbk(folder)
    after = read_result_folder(folder, fx.config()).result
    assert list(after.people["name"]) == ["王建国", "李敏", "刘洋", "黄丽"]
    assert after.people.equals(before.people)
    assert after.penalties == before.penalties
    assert after.coverage.equals(before.coverage)
    assert after.assignments.equals(before.assignments)


def test_export_writes_the_files_from_gbk_results(
    tmp_path: Path, inputs: tuple[Path, Path]
) -> None:
    """`export --result` on a folder Excel re-saved as GBK writes the workbook with the names."""
    config, folder = inputs
    _resave_as_gbk(folder)
    out = tmp_path / "out"
    res = runner.invoke(
        app, ["export", "--result", str(folder), "--config", str(config), "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    people = openpyxl.load_workbook(out / "roster.xlsx")["人员汇总"]
    names = {row[1] for row in people.iter_rows(values_only=True)}
    assert {"王建国", "李敏", "刘洋", "黄丽"} <= names


def test_result_files_with_chinese_headers_and_xlsx(inputs: tuple[Path, Path]) -> None:
    """Coverage as XLSX with the workbook's Chinese headers (日期, 时段 as HH:MM) reads the same."""
    import pandas as pd

    from scheduler.reports.result_files import read_result_folder

    _, folder = inputs
    before = read_result_folder(folder, fx.config()).result
    frame = pd.read_csv(folder / "coverage.csv")
    frame["ds"] = pd.to_datetime(frame["ds"]).dt.strftime("%H:%M")
    frame = frame.rename(
        columns={
            "date": "日期",
            "ds": "时段",
            "post": "岗位",
            "required": "需求",
            "assigned": "已排",
            "gap": "差额",
        }
    )
    (folder / "coverage.csv").unlink()
    frame.to_excel(folder / "coverage.xlsx", index=False)
    after = read_result_folder(folder, fx.config()).result
    assert after.coverage.equals(before.coverage)


def test_unreadable_result_file_is_located_in_words(inputs: tuple[Path, Path]) -> None:
    """Bytes no text encoding fits, and a bad cell under a Chinese header, are located."""
    from scheduler.reports.result_files import read_result_folder

    _, folder = inputs
    people = folder / "people.csv"
    people.write_bytes(b"staff_id,name\nS01,\xff\xfe\x80\x81\n\xff")
    penalties = folder / "penalties.csv"
    penalties.write_text("规则,罚分,说明\ncoverage_under,many,缺 1 人\n", encoding="gbk")
    with pytest.raises(InputError) as caught:
        read_result_folder(folder, fx.config())
    found = [
        (i.file, i.location, i.column, i.value, i.message, i.allowed) for i in caught.value.errors
    ]
    assert found == [
        (str(people), None, None, None, "unknown text encoding", "UTF-8, GBK or Big5"),
        (str(penalties), 2, "罚分", "many", "cannot read the value", "a number"),
    ]
