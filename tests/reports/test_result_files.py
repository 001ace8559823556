"""Reading a result folder back: the same roster, or every problem located."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scheduler.errors import InputError
from scheduler.reports.result_files import read_result_folder
from scheduler.reports.view import build_view

from . import fixtures as fx


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return fx.write_result_csvs(fx.result(), tmp_path / "result")


def test_round_trip_gives_the_same_roster(folder: Path) -> None:
    """A result written by the solver's writer reads back to the same days, totals and figures."""
    got = read_result_folder(folder, fx.config())
    res = fx.result()
    assert build_view(got.result, fx.config()).days == build_view(res, fx.config()).days
    assert got.result.horizon == res.horizon
    assert got.result.stats == res.stats
    assert got.result.penalties == res.penalties
    assert got.result.warnings == res.warnings
    assert got.result.warnings_in("zh") == res.warnings_in("zh")
    assert list(got.result.people["paid_hours"]) == list(res.people["paid_hours"])
    assert list(got.result.coverage["gap"]) == list(res.coverage["gap"])
    assert got.forecast is not None and len(got.forecast) == len(fx.forecast())
    assert got.simulation is not None and got.requirements is not None


def test_stage_frames_are_optional(folder: Path) -> None:
    """Without forecast, requirement and simulation files those frames are None."""
    for name in ("forecast.csv", "requirements.csv", "simulation.csv", "penalties.csv"):
        (folder / name).unlink()
    got = read_result_folder(folder, fx.config())
    assert (got.forecast, got.requirements, got.simulation) == (None, None, None)
    assert got.result.penalties == ()


def test_every_problem_is_located(folder: Path) -> None:
    """Bad cells in several files are all reported, each with file, row, column and value."""
    people = folder / "people.csv"
    lines = people.read_text("utf-8").splitlines()
    lines[2] = lines[2].replace("12.5", "twelve", 1)
    people.write_text("\n".join(lines) + "\n", "utf-8")
    penalties = folder / "penalties.csv"
    text = penalties.read_text("utf-8").replace("2026-12-01", "2026-13-01")
    penalties.write_text(text, "utf-8")
    with pytest.raises(InputError) as caught:
        read_result_folder(folder, fx.config())
    found = [(i.file, i.location, i.column, i.value) for i in caught.value.errors]
    assert found == [
        (str(people), 3, "paid_hours", "twelve"),
        (str(penalties), 3, "date", "2026-13-01"),
    ]


def test_unknown_status_is_refused(folder: Path) -> None:
    """A summary.json with a status the solver never writes is an input error naming it."""
    path = folder / "summary.json"
    summary = json.loads(path.read_text("utf-8"))
    summary["status"] = "DONE"
    path.write_text(json.dumps(summary), "utf-8")
    with pytest.raises(InputError) as caught:
        read_result_folder(folder, fx.config())
    (issue,) = caught.value.errors
    assert (issue.file, issue.column, issue.value) == (str(path), "status", "DONE")


def test_missing_folder_is_reported(tmp_path: Path) -> None:
    """A folder that does not exist is reported as such, not as a traceback."""
    with pytest.raises(InputError) as caught:
        read_result_folder(tmp_path / "nowhere", fx.config())
    assert [i.message for i in caught.value.errors] == ["result folder not found"]
