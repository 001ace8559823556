"""Files branch staff really send: messy but clear ones are read, unclear ones are located.

The accepted text files live in ``tests/data/broken/sent_*`` (each also passes
``branch-roster check`` next to the planted problems there); binary files, and files that must
be refused, are built here so that the folder's error count stays the planted eleven.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from scheduler.calendar import Horizon
from scheduler.cli import app
from scheduler.domain import AvailabilityKind, BranchConfig, LeaveKind
from scheduler.errors import InputError, Issue
from scheduler.io.availability_file import load_availability, parse_time_words, read_availability
from scheduler.io.config_file import config_to_data, load_config

ROOT = Path(__file__).resolve().parents[2]
BROKEN = ROOT / "tests" / "data" / "broken"
SAMPLE_YAML = ROOT / "data" / "sample_branch" / "branch.yaml"
WEEK = Horizon.iso_week("2026-W49")
HEADER = "工号,姓名,日期,开始,结束,类型,权重,备注\n"
runner = CliRunner()


def _entries(name: str, cfg: BranchConfig) -> list[tuple[str, str, str | None, str | None, str]]:
    got = read_availability(BROKEN / name, cfg, WEEK)
    return [
        (
            e.staff_id,
            e.date.isoformat(),
            e.start.strftime("%H:%M") if e.start else None,
            e.end.strftime("%H:%M") if e.end else None,
            e.kind.value,
        )
        for e in got.entries
    ]


def _only_error(call, *args, **kwargs) -> Issue:
    with pytest.raises(InputError) as caught:
        call(*args, **kwargs)
    (issue,) = caught.value.errors
    return issue


# --- accepted: separators, encodings, layout ----------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("sent_semicolon.csv", [("S01", "2026-11-30", "09:00", "12:00", "unavailable")]),
        ("sent_tab.tsv", [("S01", "2026-12-01", "09:00", "12:00", "unavailable")]),
        ("sent_title_row.csv", [("S01", "2026-12-02", None, None, "unavailable")]),
        ("sent_trailing_empty.csv", [("S01", "2026-12-03", None, None, "unavailable")]),
        ("sent_utf16_tab.txt", [("S13", "2026-11-30", "09:00", "11:00", "unavailable")]),
        ("sent_utf16_no_bom.csv", [("S13", "2026-12-01", None, None, "unavailable")]),
        ("sent_gb18030.csv", [("S14", "2026-12-01", None, None, "unavailable")]),
        ("sent_sep_line.csv", [("S06", "2026-11-30", "14:00", "17:00", "unavailable")]),
        ("sent_excel_text_cells.csv", [("S07", "2026-11-30", "09:00", "11:30", "unavailable")]),
        ("sent_big5.csv", [("S10", "2026-12-01", None, None, "unavailable")]),
        (
            "sent_month_names.csv",
            [
                ("S08", "2026-11-30", None, None, "unavailable"),
                ("S08", "2026-12-02", None, None, "unavailable"),
                ("S08", "2026-12-03", None, None, "unavailable"),
            ],
        ),
        (
            "sent_header_twice.csv",
            [
                ("S12", "2026-11-30", None, None, "unavailable"),
                ("S12", "2026-12-01", None, None, "unavailable"),
            ],
        ),
    ],
)
def test_layout_and_encoding_variants_read_the_same(sample_cfg, name, expected):
    """Separators, `sep=;`, ="S07" cells, title rows, blanks, encodings change nothing."""
    assert _entries(name, sample_cfg) == expected


def test_gb18030_keeps_a_character_gbk_lacks(sample_cfg):
    """A note with 𠮷 (GB18030 only) is read whole, not cut or replaced."""
    (entry,) = read_availability(BROKEN / "sent_gb18030.csv", sample_cfg, WEEK).entries
    assert entry.note == "去𠮷野家聚餐"


def test_big5_with_traditional_headers_keeps_its_note(sample_cfg):
    """A Big5 file from a Hong Kong or Taiwan colleague (工號, 備註) is decoded, not garbled."""
    (entry,) = read_availability(BROKEN / "sent_big5.csv", sample_cfg, WEEK).entries
    assert entry.note == "陪家人看醫生"


def test_a_traditional_name_is_refused_with_the_configured_one(tmp_path, sample_cfg):
    """張偉 is not 张伟 to a computer: the message shows the configured spelling."""
    path = tmp_path / "a.csv"
    path.write_text(HEADER + "S03,張偉,2026-12-02,,,不可用,,\n", encoding="utf-8")
    issue = _only_error(read_availability, path, sample_cfg, WEEK)
    assert (issue.location, issue.column, issue.value, issue.allowed) == (2, "姓名", "張偉", "张伟")
    assert issue.message == "the name does not match staff number S03"


def test_totals_row_is_skipped_with_a_warning(sample_cfg):
    """A 合计 row under the data is not a person: skipped, and the warning says where."""
    got, warnings = load_availability(BROKEN / "sent_totals_row.csv", sample_cfg, WEEK)
    assert [(e.staff_id, e.date) for e in got.entries] == [("S01", dt.date(2026, 12, 4))]
    (warning,) = warnings
    assert (warning.location, warning.column, warning.value, warning.severity) == (
        3,
        "工号",
        "合计",
        "warning",
    )
    assert warning.message == "a totals row, not a declaration; it was skipped"


# --- accepted: dates, times, ids, kinds ----------------------------------------------------


def test_dates_as_people_write_them(sample_cfg):
    """Excel serial as text, 2026/12/1, 12月2日, 2026.12.03, (周五) suffix and 周六 alone."""
    assert [e[1] for e in _entries("sent_date_forms.csv", sample_cfg)] == [
        "2026-11-30",
        "2026-12-01",
        "2026-12-02",
        "2026-12-03",
        "2026-12-04",
        "2026-12-05",
    ]


def test_times_as_people_write_them(sample_cfg):
    """9点/12点半, AM/PM, 上午/下午, day fractions as text, 24:00 and 09:00-12:00 in one cell."""
    got = [(e[1], e[2], e[3]) for e in _entries("sent_time_forms.csv", sample_cfg)]
    assert got == [
        ("2026-11-30", "09:00", "12:30"),
        ("2026-12-01", "09:00", "14:00"),
        ("2026-12-02", "09:00", "14:00"),
        ("2026-12-03", "09:00", "13:00"),
        ("2026-12-04", "13:00", "23:59"),
        ("2026-12-05", "09:00", "12:00"),
    ]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("9点", dt.time(9)),
        ("9点半", dt.time(9, 30)),
        ("12点30分", dt.time(12, 30)),
        ("14时", dt.time(14)),
        ("下午2点", dt.time(14)),
        ("下午14:00", dt.time(14)),
        ("中午12点", dt.time(12)),
        ("晚上8点", dt.time(20)),
        ("9:00 AM", dt.time(9)),
        ("2:00 PM", dt.time(14)),
        ("12:00 AM", dt.time(0)),
        ("12 pm", dt.time(12)),
        ("0.375", dt.time(9)),
        ("24点", dt.time.max),
    ],
)
def test_time_words(typed, expected):
    """Every spoken or Excel form of a clock time gives the same minute."""
    assert parse_time_words(typed) == expected


@pytest.mark.parametrize("typed", ["0.5", "上午14:00", "中午5点", "9 o'clock"])
def test_time_words_that_are_not_clear_are_refused(typed):
    """A short fraction (0.5 = 12:00 or 0:50?) and a morning time after noon are refused."""
    with pytest.raises(ValueError):
        parse_time_words(typed)


def test_staff_numbers_with_spaces_width_and_case(sample_cfg):
    """'S05 ', full-width Ｓ０５ and s05 all mean S05."""
    assert [e[0] for e in _entries("sent_staff_ids.csv", sample_cfg)] == ["S05", "S05", "S05"]


def test_kind_synonyms_in_chinese_and_english(sample_cfg):
    """休息 / day off are unavailable; Annual Leave, sick, 事假 and leave are leave kinds."""
    got = read_availability(BROKEN / "sent_kind_words.csv", sample_cfg, WEEK)
    assert [(e.date.day, e.kind) for e in got.entries] == [
        (30, AvailabilityKind.UNAVAILABLE),
        (1, AvailabilityKind.UNAVAILABLE),
    ]
    assert [(lv.start_date.day, lv.end_date.day, lv.kind) for lv in got.leave] == [
        (2, 2, LeaveKind.ANNUAL),
        (3, 3, LeaveKind.SICK),
        (4, 5, LeaveKind.OTHER),
    ]


def test_english_headers_from_another_system(sample_cfg):
    """Staff No / Employee Name / From / To / Leave Type / Reason are the usual columns."""
    got = read_availability(BROKEN / "sent_english_headers.csv", sample_cfg, WEEK)
    assert [(lv.staff_id, lv.start_date, lv.end_date, lv.kind, lv.note) for lv in got.leave] == [
        ("S12", dt.date(2026, 12, 5), dt.date(2026, 12, 6), LeaveKind.ANNUAL, "family trip")
    ]


def test_a_date_range_typed_in_one_cell(sample_cfg):
    """2026-11-30~2026-12-02 and 12月3日至12月4日 in the date column are leave ranges."""
    got = read_availability(BROKEN / "sent_date_range_cell.csv", sample_cfg, WEEK)
    assert [(lv.staff_id, lv.start_date, lv.end_date) for lv in got.leave] == [
        ("S11", dt.date(2026, 11, 30), dt.date(2026, 12, 2)),
        ("S13", dt.date(2026, 12, 3), dt.date(2026, 12, 4)),
    ]


def test_lost_leading_zeros_are_restored_with_a_warning(tmp_path, sample_cfg):
    """Excel turns staff number 003 into 3; with one such person, 3 is read as 003."""
    data = json.loads(json.dumps(config_to_data(sample_cfg)).replace('"S03"', '"003"'))
    cfg = BranchConfig.model_validate(data)
    path = tmp_path / "a.csv"
    path.write_text(HEADER + "3,张伟,2026-12-02,,,不可用,,\n", encoding="utf-8")
    got, warnings = load_availability(path, cfg, WEEK)
    assert [e.staff_id for e in got.entries] == ["003"]
    (warning,) = warnings
    assert (warning.location, warning.value) == (2, "3")
    assert warning.message == "read as staff number 003 (the leading zeros were lost)"


def test_every_sent_file_passes_check_beside_the_planted_problems():
    """`branch-roster check` on the whole folder: one OK line per sent_* file, still 11 errors."""
    out = runner.invoke(
        app, ["check", str(BROKEN), "--config", str(SAMPLE_YAML), "--week", "2026-W49"]
    ).output
    for path in sorted(BROKEN.glob("sent_*")):
        assert f"OK      {path}: availability" in out, path.name
    assert "11 problems found." in out


# --- workbooks ------------------------------------------------------------------------------


def _book(path: Path, sheets: list[tuple[str, list[list[object]]]], hidden=()) -> Path:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if title in hidden:
            sheet.sheet_state = "hidden"
    book.save(path)
    return path


XHEADER = HEADER.strip().split(",")
MONDAY = ["S03", "张伟", dt.date(2026, 11, 30), dt.time(9), dt.time(12), "不可用"]


def test_hidden_and_empty_sheets_are_ignored(tmp_path, sample_cfg):
    """A hidden sheet (last week's copy) and an empty Sheet2 are not read as declarations."""
    old = ["S03", "张伟", dt.date(2026, 12, 9), None, None, "年假"]
    path = _book(
        tmp_path / "team.xlsx",
        [("本周", [XHEADER, MONDAY]), ("上周", [XHEADER, old]), ("Sheet2", [])],
        hidden=("上周",),
    )
    got = read_availability(path, sample_cfg, WEEK)
    assert [(e.staff_id, e.date, e.minutes) for e in got.entries] == [
        ("S03", dt.date(2026, 11, 30), (540, 720))
    ]
    assert got.leave == []


def test_two_visible_sheets_are_both_read(tmp_path, sample_cfg):
    """One sheet per team: every visible sheet's rows are declarations."""
    leave = ["S04", "刘洋", 46357, None, None, "年假"]  # a serial day number in a number cell
    path = _book(tmp_path / "two.xlsx", [("A", [XHEADER, MONDAY]), ("B", [XHEADER, leave])])
    got = read_availability(path, sample_cfg, WEEK)
    assert [e.staff_id for e in got.entries] == ["S03"]
    assert [(lv.staff_id, lv.start_date) for lv in got.leave] == [("S04", dt.date(2026, 12, 1))]


def test_a_workbook_saved_under_a_csv_name_is_read(tmp_path, sample_cfg):
    """An .xlsx renamed to .csv is recognised by its content and read as a workbook."""
    path = _book(tmp_path / "book.xlsx", [("A", [XHEADER, MONDAY])])
    renamed = path.rename(tmp_path / "availability.csv")
    got = read_availability(renamed, sample_cfg, WEEK)
    assert [(e.staff_id, e.minutes) for e in got.entries] == [("S03", (540, 720))]


def test_a_formula_without_a_saved_value_is_located(tmp_path, sample_cfg):
    """=DATE(...) written by a program and never opened reads as empty: refused, by cell."""
    row = ["S03", "张伟", "=DATE(2026,12,2)", None, None, "不可用"]
    path = _book(tmp_path / "generated.xlsx", [("A", [XHEADER, row])])
    issue = _only_error(read_availability, path, sample_cfg, WEEK)
    assert (issue.file, issue.location, issue.column) == (str(path), 2, "C")
    assert (issue.message, issue.value) == (
        "a formula whose result was never saved",
        "=DATE(2026,12,2)",
    )
    assert issue.allowed == "open the file in Excel or WPS and save it, or type the value"


def test_excel_time_cells_at_midnight_and_off_by_rounding(tmp_path, sample_cfg):
    """24:00 typed in a time cell (Excel stores day 1) and 16:59:59.9 read as 24:00 / 17:00."""
    book = Workbook()
    sheet = book.active
    sheet.append(XHEADER)
    sheet.append(["S03", "张伟", dt.date(2026, 11, 30), dt.time(13), 1, "不可用"])
    sheet.append(["S03", "张伟", dt.date(2026, 12, 1), dt.time(9), dt.time(16, 59, 59, 900000)])
    sheet.append(["S03", "张伟", dt.date(2026, 12, 2), dt.time(9), dt.timedelta(hours=24)])
    sheet["E2"].number_format = "hh:mm"
    book.save(tmp_path / "times.xlsx")
    got = read_availability(tmp_path / "times.xlsx", sample_cfg, WEEK)
    assert [e.minutes for e in got.entries] == [(780, 1440), (540, 1020), (540, 1440)]


# --- refused, with what to do -----------------------------------------------------------------

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504


def _docx_bytes(path: Path) -> bytes:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return path.read_bytes()


@pytest.mark.parametrize(
    ("name", "content", "message", "allowed"),
    [
        (
            "renamed.xlsx",
            b"%PDF-1.7\n%\xe2\xe3",
            "this is not a table file: it is a PDF document",
            "export the table from its program as .xlsx or .csv",
        ),
        (
            "protected.xlsx",
            OLE,
            "this is not a table file: it is an old Excel (.xls) workbook or a "
            "password-protected workbook",
            "remove the password (File > Info > Protect Workbook), then save as .xlsx",
        ),
        (
            "export.csv",
            b"<html><body><table><tr><td>S03</td></tr></table></body></html>",
            "this is not a table file: it is a web page (an 'Excel' export that is really HTML)",
            "open it in Excel or WPS and save as .xlsx or .csv",
        ),
        (
            "empty.xlsx",
            b"",
            "the file is empty (0 bytes)",
            "an .xlsx or .csv",
        ),
        (
            "old.xls",
            OLE,
            "unsupported file format",
            "save it as .xlsx or .csv",
        ),
        (
            "table.numbers",
            b"PK\x03\x04",
            "unsupported file format",
            "save it as .xlsx or .csv",
        ),
        (
            "zero.csv",
            b"",
            "the file is empty",
            "availability file: columns staff_id, name, date, end_date, days, time, start, "
            "end, type, weight, approved, note, shift, seq",
        ),
    ],
)
def test_files_that_are_not_tables(tmp_path, name, content, message, allowed):
    """A PDF, an encrypted or old workbook, a web page, or an empty file: said plainly."""
    path = tmp_path / name
    path.write_bytes(content)
    issue = _only_error(read_availability, path)
    assert (issue.file, issue.message, issue.allowed) == (str(path), message, allowed)


def test_excel_lock_file(tmp_path):
    """~$team.xlsx (Excel's lock file while the workbook is open) points to the real file."""
    path = tmp_path / "~$team.xlsx"
    path.write_bytes(b"\x05wang  " + b"\0" * 100)
    issue = _only_error(read_availability, path)
    assert issue.message == "this is Excel's lock file for an open workbook, not the workbook"
    assert issue.allowed == "the file team.xlsx itself (close it in Excel first)"


def test_a_week_grid_is_named_as_such(tmp_path):
    """One column per weekday (周一 ... 周日) is a different form: said so, with the fix."""
    path = tmp_path / "grid.csv"
    path.write_text("工号,姓名,周一,周二,周三\nS03,张伟,√,×,√\n", encoding="utf-8")
    issue = _only_error(read_availability, path)
    assert (issue.location, issue.value) == (1, "周一, 周二, 周三")
    assert issue.message == "a week grid (one column per day) is not an availability list"
    assert issue.allowed == (
        "one row per person and date with columns 工号, 日期, 开始, 结束, 类型 "
        "(branch-roster availability-template writes such a form)"
    )


def test_a_workbook_cut_short_in_copying(tmp_path):
    """Half an .xlsx (an interrupted download or copy) is named as damaged, not as 'no zip'."""
    whole = _book(tmp_path / "whole.xlsx", [("A", [XHEADER, MONDAY])]).read_bytes()
    path = tmp_path / "half.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    issue = _only_error(read_availability, path)
    assert issue.message.startswith("the workbook is damaged or was cut short in copying (")
    assert issue.allowed == "an .xlsx saved by Excel or WPS, or a CSV; send the file again"


def test_a_word_document_renamed_to_xlsx(tmp_path):
    """A .docx saved under an .xlsx name is named as a Word document."""
    path = tmp_path / "availability.xlsx"
    _docx_bytes(path)
    issue = _only_error(read_availability, path)
    assert issue.message == "this is not a table file: it is a Word document (.docx)"


def test_a_folder_and_an_unreadable_file(tmp_path, monkeypatch):
    """An empty folder named like a file, and a file without read permission: one line each.

    A folder stands for the files in it, so an empty one says it holds none.
    """
    folder = tmp_path / "availability.csv"
    folder.mkdir()
    issue = _only_error(read_availability, folder)
    assert issue.message == "the folder holds no availability file"
    assert issue.file == str(folder)
    locked = tmp_path / "locked.csv"
    locked.write_text(HEADER, encoding="utf-8")

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    issue = _only_error(read_availability, locked)
    assert issue.message == "cannot read the file: Permission denied"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("12/01/2026", "day and month order is ambiguous"),
        ("01/12/2026", "day and month order is ambiguous"),
        ("26-12-1", "a two-digit year is ambiguous"),
    ],
)
def test_ambiguous_dates_are_refused_with_the_fix(tmp_path, sample_cfg, typed, message):
    """12/01/2026 could be 1 December or 12 January: refused, asking for the year first."""
    path = tmp_path / "a.csv"
    path.write_text(HEADER + f"S03,张伟,{typed},,,不可用,,\n", encoding="utf-8")
    issue = _only_error(read_availability, path, sample_cfg, WEEK)
    assert (issue.location, issue.column, issue.value) == (2, "日期", typed)
    assert (issue.message, issue.allowed) == (
        message,
        "a full date, year first, e.g. 2026-12-01 or 2026/12/1",
    )


def test_a_date_only_one_reading_allows_is_accepted(tmp_path, sample_cfg):
    """30/11/2026 can only be 30 November (there is no month 30)."""
    path = tmp_path / "a.csv"
    path.write_text(HEADER + "S03,张伟,30/11/2026,,,不可用,,\n", encoding="utf-8")
    (entry,) = read_availability(path, sample_cfg, WEEK).entries
    assert entry.date == dt.date(2026, 11, 30)


def test_a_weekday_alone_over_two_weeks_is_ambiguous(tmp_path, sample_cfg):
    """周三 names one date in a week but two in a fortnight: then the date is required."""
    path = tmp_path / "a.csv"
    path.write_text(HEADER + "S03,张伟,周三,,,不可用,,\n", encoding="utf-8")
    fortnight = Horizon(start=dt.date(2026, 11, 30), days=14)
    issue = _only_error(read_availability, path, sample_cfg, fortnight)
    assert (issue.location, issue.value) == (2, "周三")
    assert issue.message == "a weekday alone names 2 dates in the planned period"


def _refused_files(folder: Path) -> dict[Path, str]:
    """Files that must be refused, each with the line `branch-roster check` must print."""
    ambiguous = folder / "availability_us.csv"
    ambiguous.write_text(HEADER + "S03,张伟,12/01/2026,,,不可用,,\n", encoding="utf-8")
    short_year = folder / "availability_yy.csv"
    short_year.write_text(HEADER + "S03,张伟,26-12-1,,,不可用,,\n", encoding="utf-8")
    grid = folder / "availability_grid.csv"
    grid.write_text("工号,姓名,周一,周二\nS03,张伟,√,×\n", encoding="utf-8")
    pdf = folder / "availability.xlsx"
    pdf.write_bytes(b"%PDF-1.4")
    word = folder / "availability_word.xlsx"
    _docx_bytes(word)
    formula = _book(
        folder / "availability_formula.xlsx",
        [("A", [XHEADER, ["S03", "张伟", "=DATE(2026,12,2)", None, None, "不可用"]])],
    )
    tabs = _yaml(folder, "  name: 浦东新区示范支行", "\tname: 浦东新区示范支行", "tabs.yaml")
    return {
        ambiguous: ", row 2, column '日期': day and month order is ambiguous (found '12/01/2026')",
        short_year: ", row 2, column '日期': a two-digit year is ambiguous (found '26-12-1')",
        grid: ", row 1: a week grid (one column per day) is not an availability list",
        pdf: ": this is not a table file: it is a PDF document",
        word: ": this is not a table file: it is a Word document (.docx)",
        formula: ", row 2, column 'C': a formula whose result was never saved",
        tabs: ", line 3: a tab in the indentation (found 'name: 浦东新区示范支行')",
    }


def test_refused_files_through_the_check_command(tmp_path):
    """`branch-roster check` prints each refused file's located line and exits 2."""
    expected = _refused_files(tmp_path)
    result = runner.invoke(
        app, ["check", *map(str, expected), "--week", "2026-W49", "--config", str(SAMPLE_YAML)]
    )
    assert result.exit_code == 2
    for path, line in expected.items():
        assert f"error   {path}{line}" in result.output, path.name
    assert f"{len(expected)} problems found." in result.output


# --- configuration ----------------------------------------------------------------------------


def _yaml(tmp_path: Path, old: str, new: str, name: str = "branch.yaml") -> Path:
    text = SAMPLE_YAML.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("new", "message", "value"),
    [
        ("\tname: 浦东新区示范支行", "a tab in the indentation", "name: 浦东新区示范支行"),
        (
            "\u3000\u3000name: 浦东新区示范支行",
            "a full-width space in the indentation",
            "name: 浦东新区示范支行",
        ),
    ],
)
def test_yaml_indented_with_tabs_or_full_width_spaces(tmp_path, new, message, value):
    """How deep a tab indents is a guess: refused with the line, not a parser dump."""
    path = _yaml(tmp_path, "  name: 浦东新区示范支行", new)
    issue = _only_error(load_config, path)
    assert (issue.location, issue.message, issue.value) == ("line 3", message, value)
    assert issue.allowed == "indent with ordinary spaces (2 per level)"


def test_yaml_duplicate_key_is_refused_not_overwritten(tmp_path):
    """Two 'name:' lines in one section: plain YAML keeps the last silently; we refuse."""
    path = _yaml(tmp_path, "  name: 浦东新区示范支行", "  name: 浦东新区示范支行\n  name: 另一个")
    issue = _only_error(load_config, path)
    assert issue.location == "line 4"
    assert issue.message == (
        "not valid YAML: the key 'name' is given twice (first on line 3); keep one"
    )


def test_yaml_full_width_colon_after_a_key_is_read(tmp_path):
    """`name：浦东…` typed with a Chinese input method reads as `name: 浦东…`."""
    path = _yaml(tmp_path, "  name: 浦东新区示范支行", "  name：浦东新区示范支行")
    assert load_config(path).branch.name == "浦东新区示范支行"


def test_yaml_full_width_punctuation_in_a_flow_mapping_is_read(tmp_path):
    """`{start：09:00，end: '16:00'}` reads as `{start: 09:00, end: '16:00'}`."""
    path = _yaml(
        tmp_path,
        "    mon:\n      start: 09:00\n      end: '17:00'",
        "    mon: {start：09:00，end: '16:00'}",
    )
    monday = next(iter(load_config(path).branch.opening_hours.values()))
    assert (monday.start, monday.end) == (dt.time(9), dt.time(16))


def test_yaml_staff_number_with_a_leading_zero_stays_text(tmp_path):
    """id: 012 is staff '012', not the octal number 10; id: 12 asks for quotes."""
    path = _yaml(tmp_path, "- id: S01", "- id: 012")
    assert load_config(path).staff[0].id == "012"
    path = _yaml(tmp_path, "- id: S01", "- id: 12", name="b.yaml")
    issue = _only_error(load_config, path)
    assert (issue.location, issue.value) == ("staff[0].id (line 131)", 12)
    assert issue.allowed == "text; put a number in quotes, e.g. '012'"


def test_yaml_clock_times_stay_times(tmp_path):
    """start: 9:00 is nine o'clock, not the YAML 1.1 base-60 number 540."""
    path = _yaml(
        tmp_path, "      start: 09:00\n      end: '17:00'", "      start: 9:00\n      end: 17:00"
    )
    hours = load_config(path).branch.opening_hours
    first = next(iter(hours.values()))
    assert (first.start, first.end) == (dt.time(9), dt.time(17))


def test_config_in_utf16_is_read(tmp_path):
    """A configuration saved by Notepad as 'Unicode' (UTF-16 with BOM) is read."""
    path = tmp_path / "branch.yaml"
    path.write_bytes(SAMPLE_YAML.read_text(encoding="utf-8").encode("utf-16"))
    assert load_config(path).branch.id == "SH-PD-001"


@pytest.mark.parametrize(
    ("name", "content", "location", "message"),
    [
        (
            "branch.json",
            '{"branch": {"id": "x",}}',
            "line 1, column 23",
            "not valid JSON: Expecting property name enclosed in double quotes",
        ),
        (
            "branch.toml",
            'branch = {id = "x"\n',
            "line 1, column 19",
            "not valid TOML: Unclosed inline table",
        ),
        ("branch.yaml", "", None, "the file is empty"),
    ],
)
def test_config_syntax_errors_are_one_located_line(tmp_path, name, content, location, message):
    """JSON/TOML syntax errors give line and column; an empty file says it is empty."""
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    issue = _only_error(load_config, path)
    assert (issue.location, issue.message) == (location, message)


def test_config_that_is_a_folder(tmp_path):
    """branch.yaml that is a folder (an unzipped download) is named as one."""
    folder = tmp_path / "branch.yaml"
    folder.mkdir()
    issue = _only_error(load_config, folder)
    assert (issue.file, issue.message) == (str(folder), "this is a folder, not a file")


def test_config_problems_through_the_check_command(tmp_path):
    """`branch-roster check` reports the duplicate key with its line and exits 2."""
    path = _yaml(tmp_path, "  name: 浦东新区示范支行", "  name: 浦东新区示范支行\n  name: 另一个")
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 2
    assert f"{path}, line 4: not valid YAML: the key 'name' is given twice" in result.output
