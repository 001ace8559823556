"""write_all: every file people use, for the signature the run command calls."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from icalendar import Calendar

from scheduler.reports import write_all

from . import fixtures as fx

GENERATED = dt.datetime(2026, 11, 24, 8, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    folder = tmp_path_factory.mktemp("all")
    files = write_all(
        fx.result(),
        fx.config(),
        folder,
        availability=fx.availability(),
        forecast=fx.forecast(),
        requirements=fx.requirements(),
        simulation=fx.simulation(),
        generated=GENERATED,
    )
    return folder, files


def test_writes_workbook_calendars_report_and_charts(
    written: tuple[Path, dict[str, Path]],
) -> None:
    """One call writes the workbook, a calendar per person, the HTML page, PNG and PDF."""
    tmp_path, files = written
    calendars = {
        f"calendar:{s.id}": tmp_path / "calendars" / f"{s.id}.ics" for s in fx.config().staff
    }
    assert files == {
        "workbook": tmp_path / "roster.xlsx",
        **calendars,
        "report": tmp_path / "report.html",
        "png": tmp_path / "report.png",
        "pdf": tmp_path / "report.pdf",
    }
    assert all(p.stat().st_size > 0 for p in files.values())
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "calendars",
        "report.html",
        "report.pdf",
        "report.png",
        "roster.xlsx",
    ]  # no temporary file left behind


def test_files_agree_on_the_roster(written: tuple[Path, dict[str, Path]]) -> None:
    """Workbook hours, calendar events and report cells describe the same shifts."""
    _, files = written
    sheet = openpyxl.load_workbook(files["workbook"])["第49周"]
    hours = {r[0]: r[5] for r in sheet.iter_rows(min_row=3, values_only=True) if r[0] in fx.PEOPLE}
    for staff_id, week_hours in hours.items():
        cal = Calendar.from_ical(files[f"calendar:{staff_id}"].read_bytes())
        minutes = 0
        for event in cal.walk("VEVENT"):
            start, end = event.decoded("DTSTART"), event.decoded("DTEND")
            if isinstance(start, dt.datetime):  # leave is an all-day event
                minutes += (end - start).total_seconds() / 60
        shifts = [fx.SHIFT_TIMES[s] for sid, _, s, _ in fx.PLAN if sid == staff_id]
        breaks = sum(60 for s in shifts if s[2] == 480)  # the day shift's unpaid hour
        assert (minutes - breaks) / 60 == week_hours
    html = files["report"].read_text("utf-8")
    assert html.count('class="day shift"') == len(fx.PLAN)


def test_without_optional_frames_charts_are_left_out_with_notes(tmp_path: Path) -> None:
    """forecast/requirements/simulation may be None: notes replace their charts, no error."""
    files = write_all(fx.result(), fx.config(), tmp_path, lang="en", generated=GENERATED)
    html = files["report"].read_text("utf-8")
    assert 'id="note-demand"' in html and 'id="note-wait"' in html
    assert 'id="note-requirements"' in html
    assert files["png"].exists() and files["pdf"].exists()


def test_unknown_language_writes_nothing(tmp_path: Path) -> None:
    """A language other than zh or en is refused before any file is written."""
    with pytest.raises(ValueError, match="zh or en"):
        write_all(fx.result(), fx.config(), tmp_path / "out", lang="de")
    assert not (tmp_path / "out").exists()


def test_inputs_are_left_unchanged(tmp_path: Path) -> None:
    """Writing the files never alters the roster or the frames handed in."""
    res, forecast, simulation = fx.result(), fx.forecast(), fx.simulation()
    before = [f.copy() for f in (res.assignments, res.shifts, res.coverage, res.people)]
    fc_before, sim_before = forecast.copy(), simulation.copy()
    write_all(res, fx.config(), tmp_path, forecast=forecast, simulation=simulation)
    after = (res.assignments, res.shifts, res.coverage, res.people)
    for old, new in zip(before, after, strict=True):
        pd.testing.assert_frame_equal(old, new)
    pd.testing.assert_frame_equal(fc_before, forecast)
    pd.testing.assert_frame_equal(sim_before, simulation)


def test_remove_reports_clears_an_earlier_runs_reports_only(tmp_path):
    """A run without a roster removes the last run's workbook, report and calendars.

    A manager would open them as this week's. Every other file is left alone.
    """
    from scheduler.reports import remove_reports

    for name in ("roster.xlsx", "report.html", "report.png", "report.pdf", "roster.csv"):
        (tmp_path / name).write_text("old", encoding="utf-8")
    (tmp_path / "calendars").mkdir()
    (tmp_path / "calendars" / "S01.ics").write_text("old", encoding="utf-8")
    gone = remove_reports(tmp_path)
    assert sorted(p.name for p in gone) == [
        "S01.ics",
        "report.html",
        "report.pdf",
        "report.png",
        "roster.xlsx",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["roster.csv"]
    assert remove_reports(tmp_path) == []
