"""Availability templates: pre-filled, validated, and read back by the availability reader."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from scheduler.calendar import Horizon
from scheduler.domain import Availability, AvailabilityKind, LeaveKind
from scheduler.io.templates import (
    SPARE_ROWS,
    TEMPLATE_HEADERS,
    work_window,
    write_template,
    write_templates,
)
from scheduler.sample.branch import sample_config

WEEK = Horizon.iso_week("2026-W49")
CFG = sample_config(WEEK.start)
HEADER_ROW = 6  # title and four instruction lines above it


def _reader() -> Callable[..., Availability]:
    try:
        from scheduler.io.availability_file import read_availability
    except ImportError:  # pragma: no cover - the reader ships with the package
        pytest.skip("scheduler.io.availability_file.read_availability is not available yet")
    return read_availability


def test_one_file_per_person_named_by_week_and_staff(tmp_path: Path) -> None:
    """Each member of staff gets their own file, named after the week and their staff number."""
    paths = write_templates(CFG, WEEK, tmp_path)
    assert [p.name for p in paths] == [f"availability_2026-W49_{s.id}.xlsx" for s in CFG.staff]
    assert sorted(tmp_path.iterdir()) == sorted(paths)


def test_prefilled_with_id_name_and_every_date(tmp_path: Path) -> None:
    """A person's template lists their id and name on a row for each date of the week."""
    (path,) = write_templates(CFG, WEEK, tmp_path, combined=False)[:1]
    sheet = openpyxl.load_workbook(path).active
    assert sheet.cell(1, 1).value == "王建国 (S01) 可用时段申报 2026-W49"
    header = [c.value for c in sheet[HEADER_ROW]]
    assert header == list(TEMPLATE_HEADERS["zh"])
    rows = list(sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True))[:7]
    assert [(r[0], r[1], r[2].date()) for r in rows] == [("S01", "王建国", d) for d in WEEK.dates]
    assert {(r[4], r[5], r[6]) for r in rows} == {(dt.time(8, 30), dt.time(17, 30), "可用")}


def test_drop_downs_and_format_checks(tmp_path: Path) -> None:
    """Type and approval are drop-downs of the reader's words; dates, times, weights are checked."""
    path = write_template(CFG, WEEK, tmp_path / "t.xlsx", people=CFG.staff[:1])
    sheet = openpyxl.load_workbook(path).active
    first, last = HEADER_ROW + 1, HEADER_ROW + 7 + SPARE_ROWS
    found = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}
    types = found[f"G{first}:G{last}"]
    assert types.type == "list"
    assert types.formula1 == '"不可用,可用,希望上班,不希望,年假,病假,培训,强制休假,其他假"'
    times = found[f"E{first}:E{last} F{first}:F{last}"]
    assert (times.type, times.formula1, times.formula2) == ("time", "0", "1")
    days = found[f"C{first}:C{last}"]
    assert (days.type, days.formula1, days.formula2) == (
        "date",
        "DATE(2026,11,30)",
        "DATE(2026,12,6)",
    )
    assert (found[f"H{first}:H{last}"].formula1, found[f"H{first}:H{last}"].formula2) == ("1", "10")
    assert found[f"I{first}:I{last}"].formula1 == '"是,否"'
    assert all(dv.showErrorMessage for dv in found.values())


def test_english_template_uses_english_words(tmp_path: Path) -> None:
    """With lang="en" the headers and the type list are the reader's English words."""
    path = write_template(CFG, WEEK, tmp_path / "t.xlsx", people=CFG.staff[:1], lang="en")
    sheet = openpyxl.load_workbook(path).active
    assert [c.value for c in sheet[HEADER_ROW]] == list(TEMPLATE_HEADERS["en"])
    lists = [dv.formula1 for dv in sheet.data_validations.dataValidation if dv.type == "list"]
    assert '"unavailable,available,preferred,undesired,annual,sick,training,mandatory,other"' in (
        lists
    )


def test_unchanged_template_restricts_nothing(tmp_path: Path) -> None:
    """A template sent back untouched reads as 'available' over every shift, blocking none."""
    read_availability = _reader()
    paths = write_templates(CFG, WEEK, tmp_path, combined=True)
    got = read_availability(paths, CFG, WEEK)
    lo, hi = work_window(CFG)
    assert len(got.entries) == len(CFG.staff) * 7 and got.leave == []
    assert {(e.kind, e.start, e.end) for e in got.entries} == {(AvailabilityKind.AVAILABLE, lo, hi)}
    for shift in CFG.shifts:
        assert lo <= shift.start and shift.end <= hi


def test_filled_in_xlsx_reads_back(tmp_path: Path) -> None:
    """What a person fills into their XLSX template is exactly what the reader returns."""
    read_availability = _reader()
    path = write_template(CFG, WEEK, tmp_path / "s04.xlsx", people=[CFG.person("S04")])
    book = openpyxl.load_workbook(path)
    sheet = book.active
    row = {sheet.cell(r, 3).value.date(): r for r in range(HEADER_ROW + 1, HEADER_ROW + 8)}
    tue, wed, thu, fri = (WEEK.dates[i] for i in (1, 2, 3, 4))
    sheet.cell(row[tue], 5).value = sheet.cell(row[tue], 6).value = None
    sheet.cell(row[tue], 7).value = "不可用"
    sheet.cell(row[wed], 5).value, sheet.cell(row[wed], 6).value = dt.time(9), dt.time(12)
    sheet.cell(row[wed], 7).value, sheet.cell(row[wed], 8).value = "希望上班", 5
    sheet.cell(row[thu], 5).value = sheet.cell(row[thu], 6).value = None
    sheet.cell(row[thu], 4).value = fri
    sheet.cell(row[thu], 7).value, sheet.cell(row[thu], 9).value = "年假", "是"
    sheet.cell(row[thu], 10).value = "回老家"
    sheet.delete_rows(row[fri])
    book.save(path)

    got = read_availability([path], CFG, WEEK)
    entries = {(e.date, e.kind, e.start, e.end, e.weight) for e in got.entries}
    lo, hi = work_window(CFG)
    assert entries == {
        (WEEK.dates[0], AvailabilityKind.AVAILABLE, lo, hi, 1),
        (tue, AvailabilityKind.UNAVAILABLE, None, None, 1),
        (wed, AvailabilityKind.PREFERRED, dt.time(9), dt.time(12), 5),
        (WEEK.dates[5], AvailabilityKind.AVAILABLE, lo, hi, 1),
        (WEEK.dates[6], AvailabilityKind.AVAILABLE, lo, hi, 1),
    }
    assert [(lv.start_date, lv.end_date, lv.kind, lv.approved, lv.note) for lv in got.leave] == [
        (thu, fri, LeaveKind.ANNUAL, True, "回老家")
    ]


def test_filled_in_csv_reads_back(tmp_path: Path) -> None:
    """A CSV template edited in a text editor reads back with the edits (English words)."""
    read_availability = _reader()
    path = write_template(CFG, WEEK, tmp_path / "s08.csv", people=[CFG.person("S08")], lang="en")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == list(TEMPLATE_HEADERS["en"])
    assert rows[1] == ["S08", "黄丽", "2026-11-30", "", "08:30", "17:30", "available", "", "", ""]
    rows[1][4:7] = ["13:00", "17:30", "undesired"]
    rows[2][4:7] = ["", "", "sick"]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows[:3])
    got = read_availability([path], CFG, WEEK)
    assert [(e.date, e.kind, e.start, e.end) for e in got.entries] == [
        (WEEK.start, AvailabilityKind.UNDESIRED, dt.time(13), dt.time(17, 30))
    ]
    assert [(lv.start_date, lv.kind) for lv in got.leave] == [(WEEK.dates[1], LeaveKind.SICK)]


def test_unknown_format_writes_nothing(tmp_path: Path) -> None:
    """An unsupported format is refused before any file is written."""
    with pytest.raises(ValueError, match="xlsx or csv"):
        write_templates(CFG, WEEK, tmp_path, fmt="ods")
    assert list(tmp_path.iterdir()) == []
