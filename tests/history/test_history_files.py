"""Tests of reading result folders and leave files for publication, and their located errors."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from scheduler.domain import BranchConfig, LeaveKind
from scheduler.errors import InputError
from scheduler.history.files import read_leave_file, read_result_dir

ROSTER = """staff_id,name,date,start,end,activity,post
S04,刘洋,2026-11-30,09:00,12:00,post,cash_teller
S04,刘洋,2026-11-30,12:00,13:00,break,
S04,刘洋,2026-11-30,13:00,17:00,post,noncash_teller
"""
SHIFTS = """staff_id,name,date,shift,start,end,paid_minutes
S04,刘洋,2026-11-30,day,08:30,17:30,480
"""


def _result(folder: Path, roster: str = ROSTER, summary: dict | None = None) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "roster.csv").write_text(roster, encoding="utf-8")
    (folder / "shifts.csv").write_text(SHIFTS, encoding="utf-8")
    if summary is not None:
        (folder / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    return folder


def test_reads_result_folder(tmp_path: Path, sample_cfg: BranchConfig) -> None:
    """roster.csv, shifts.csv and summary.json become one record with the summary's horizon."""
    summary = {"branch_id": "SH-PD-001", "horizon": {"start": "2026-11-30", "days": 7},
               "stats": {"status": "OPTIMAL", "objective": 42}}  # fmt: skip
    record = read_result_dir(_result(tmp_path / "r", summary=summary), sample_cfg)
    assert (record.start_date, record.end_date) == (dt.date(2026, 11, 30), dt.date(2026, 12, 6))
    assert (record.status, record.objective, record.label()) == ("OPTIMAL", 42.0, "2026-W49")
    assert record.assignments["activity"].tolist() == ["post", "break", "post"]
    assert record.shifts["paid_minutes"].tolist() == [480]


def test_horizon_from_dates_without_summary(tmp_path: Path, sample_cfg: BranchConfig) -> None:
    """Without summary.json the horizon is the Monday-Sunday week around the roster's dates."""
    roster = ROSTER.replace("2026-11-30", "2026-12-02")
    record = read_result_dir(_result(tmp_path / "r", roster=roster), sample_cfg)
    assert (record.start_date, record.end_date) == (dt.date(2026, 11, 30), dt.date(2026, 12, 6))


def test_bad_rows_are_located(tmp_path: Path, sample_cfg: BranchConfig) -> None:
    """Every bad cell is reported with file, row, column, value and what is allowed."""
    roster = ROSTER + "S99,X,2026-11-30,09:00,10:00,post,cash_teller\n"
    roster += "S05,Y,2026-11-31,09:00,10:00,post,cash_teller\n"
    roster += "S05,Y,2026-11-30,09:00,10:00,nap,\n"
    roster += "S05,Y,2026-11-30,11:00,10:00,post,vault\n"
    with pytest.raises(InputError) as err:
        read_result_dir(_result(tmp_path / "r", roster=roster), sample_cfg)
    found = [(i.location, i.column, i.value, i.message) for i in err.value.issues]
    assert found == [
        (5, "staff_id", "S99", "unknown staff id"),
        (6, "date", "2026-11-31", "not a date"),
        (7, "activity", "nap", "unknown activity"),
        (8, "end", "11:00-10:00", "the end is not after the start"),
    ]
    assert err.value.issues[0].file.endswith("roster.csv")


def test_other_branch_refused(tmp_path: Path, sample_cfg: BranchConfig) -> None:
    """A result of another branch is not published under this configuration."""
    folder = _result(tmp_path / "r", summary={"branch_id": "BJ-001"})
    with pytest.raises(InputError) as err:
        read_result_dir(folder, sample_cfg)
    issue = err.value.issues[0]
    assert (issue.column, issue.value, issue.allowed) == ("branch_id", "BJ-001", "SH-PD-001")


def test_missing_files_named(tmp_path: Path, sample_cfg: BranchConfig) -> None:
    """A folder without the solver's files says which are missing."""
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError) as err:
        read_result_dir(tmp_path / "empty", sample_cfg)
    assert [i.message for i in err.value.issues] == [
        "roster.csv is missing",
        "shifts.csv is missing",
    ]


def test_leave_file(tmp_path: Path, sample_cfg: BranchConfig) -> None:
    """Leave rows accept Chinese headers and kinds; one date means a single day."""
    path = tmp_path / "leave.csv"
    path.write_text(
        "工号,开始日期,结束日期,类型\nS04,2026-12-01,2026-12-03,强制休假\nS05,2026-12-04,,\n",
        encoding="utf-8",
    )
    leave = read_leave_file(path, sample_cfg)
    assert [(r.staff_id, r.start_date, r.end_date, r.kind) for r in leave] == [
        ("S04", dt.date(2026, 12, 1), dt.date(2026, 12, 3), LeaveKind.MANDATORY),
        ("S05", dt.date(2026, 12, 4), dt.date(2026, 12, 4), LeaveKind.ANNUAL),
    ]


def test_leave_file_errors(tmp_path: Path, sample_cfg: BranchConfig) -> None:
    """Unknown kinds and reversed dates are located errors."""
    path = tmp_path / "leave.csv"
    path.write_text(
        "staff_id,start_date,end_date,kind\nS04,2026-12-03,2026-12-01,annual\n"
        "S05,2026-12-04,2026-12-04,holiday\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        read_leave_file(path, sample_cfg)
    assert [(i.location, i.column, i.value) for i in err.value.issues] == [
        (2, "end_date", "2026-12-01"),
        (3, "kind", "holiday"),
    ]


def test_infeasible_result_not_published(tmp_path: Path, sample_cfg: BranchConfig) -> None:
    """A result without a roster (infeasible) is refused rather than stored as an empty week."""
    folder = _result(
        tmp_path / "r",
        roster="staff_id,name,date,start,end,activity,post\n",
        summary={"branch": "SH-PD-001", "horizon": {"start": "2026-11-30", "days": 7},
                 "status": "INFEASIBLE"},
    )  # fmt: skip
    (folder / "shifts.csv").write_text("staff_id,name,date,shift,start,end,paid_minutes\n")
    with pytest.raises(InputError) as err:
        read_result_dir(folder, sample_cfg)
    issue = err.value.issues[0]
    assert (issue.column, issue.value) == ("status", "INFEASIBLE")
    assert issue.message.startswith("the result holds no roster")


def test_leave_row_longer_than_a_year_is_read_with_a_located_warning(
    tmp_path: Path, sample_cfg: BranchConfig
) -> None:
    """A row of 2026-12-01 to 2027-12-01 (a wrong year, most likely) is read and warned about."""
    path = tmp_path / "leave.csv"
    path.write_text(
        "staff_id,start_date,end_date,kind\nS04,2026-12-01,2026-12-03,annual\n"
        "S05,2026-12-01,2027-12-01,sick\n",
        encoding="utf-8",
    )
    warnings: list = []
    leave = read_leave_file(path, sample_cfg, warnings)
    assert [r.staff_id for r in leave] == ["S04", "S05"]
    (issue,) = warnings
    assert (issue.severity, issue.location, issue.column) == ("warning", 3, "end_date")
    assert issue.value == "2026-12-01 to 2027-12-01"
    assert issue.message == "leave of 366 days, longer than a year: check the years"
    assert read_leave_file(path, sample_cfg) == leave  # without a list: read all the same


@pytest.mark.parametrize("paid", ["inf", "1e309", "480.5", "-30", "nan"])
def test_paid_minutes_that_are_not_a_whole_number_are_a_located_error(
    tmp_path: Path, sample_cfg: BranchConfig, paid: str
) -> None:
    """shifts.csv's paid minutes must be a whole number within the shift: never a crash."""
    shifts = SHIFTS.replace(",480\n", f",{paid}\n")
    folder = _result(tmp_path / "r")
    (folder / "shifts.csv").write_text(shifts, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_result_dir(folder, sample_cfg)
    (issue,) = err.value.issues
    assert (issue.location, issue.column, issue.value) == (2, "paid_minutes", paid)


def test_leave_dates_far_outside_the_working_years_are_refused(
    tmp_path: Path, sample_cfg: BranchConfig
) -> None:
    """9999-12-31 as an open end, or year 1, is a located error, before anything is stored."""
    path = tmp_path / "leave.csv"
    path.write_text(
        "staff_id,start_date,end_date,kind\nS04,2026-12-01,9999-12-31,annual\n"
        "S05,0001-01-01,2026-12-04,sick\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        read_leave_file(path, sample_cfg)
    assert [(i.location, i.column, i.value, i.allowed) for i in err.value.issues] == [
        (2, "end_date", "9999-12-31", "a date in the years 2000-2100"),
        (3, "start_date", "0001-01-01", "a date in the years 2000-2100"),
    ]


def test_a_requirement_beyond_any_branch_is_a_located_error(tmp_path: Path) -> None:
    """``required`` of 10^20 (it overflowed the frame) is refused at its row and column."""
    from scheduler.history.files import read_requirement_file

    path = tmp_path / "requirements.csv"
    path.write_text(
        "ds,post,required\n2026-11-30 09:00,lobby,2\n2026-11-30 10:00,lobby,99999999999999999999\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        read_requirement_file(path)
    (issue,) = err.value.errors
    assert (issue.location, issue.column, issue.message, issue.allowed) == (
        3,
        "required",
        "more staff than a post can hold",
        "0 to 1000",
    )
