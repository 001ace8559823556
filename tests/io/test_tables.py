"""Shared table reading: headers, encodings, workbooks and the values people type."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook

from scheduler.errors import InputError, Issue
from scheduler.io.tables import (
    HEADER_SCAN_ROWS,
    ROW,
    ColumnSpec,
    IssueLimiter,
    header_key,
    parse_count,
    parse_date,
    raw_sheets,
    read_table,
    sniff_headers,
)

COLUMNS = (ColumnSpec("staff_id", ("工号",)), ColumnSpec("note", ("备注",), required=False))


def test_header_key_folds_width_case_marks_and_unit_notes():
    """'工号*', ' Staff_ID ' and '开始时间（HH:MM）' match their canonical names."""
    assert header_key("工号*") == "工号"
    assert header_key(" Staff_ID ") == "staffid"
    assert header_key("开始时间（HH:MM）") == "开始时间"
    assert header_key("ＣＯＵＮＴ") == "count"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-12-01", dt.date(2026, 12, 1)),
        ("2026/12/1", dt.date(2026, 12, 1)),
        ("2026.12.01", dt.date(2026, 12, 1)),
        ("20261201", dt.date(2026, 12, 1)),
        ("2026年12月1日", dt.date(2026, 12, 1)),
        ("２０２６－１２－０１", dt.date(2026, 12, 1)),
        ("12月1日", dt.date(2026, 12, 1)),
        ("12/1", dt.date(2026, 12, 1)),
        ("2026-12-01 星期二", dt.date(2026, 12, 1)),
        ("2026-12-01 00:00:00", dt.date(2026, 12, 1)),
        (dt.datetime(2026, 12, 1, 0, 0), dt.date(2026, 12, 1)),
        (46357, dt.date(2026, 12, 1)),
        ("46357", dt.date(2026, 12, 1)),
        ("2026-12-01(周二)", dt.date(2026, 12, 1)),
        ("2026-12-01T00:00:00", dt.date(2026, 12, 1)),
        ("1-Dec-26", dt.date(2026, 12, 1)),
        ("Dec 1, 2026", dt.date(2026, 12, 1)),
        ("1 December 2026", dt.date(2026, 12, 1)),
    ],
)
def test_parse_date_accepts_what_people_type(value, expected):
    """Dates from forms, WPS cells and Excel serial numbers all read as the same day."""
    assert parse_date(value, year=2026) == expected


def test_parse_date_rejects_impossible_and_yearless_without_a_year():
    """A date that does not exist, or one without a year when none is known, is refused."""
    with pytest.raises(ValueError, match="no such date"):
        parse_date("2026-02-30")
    with pytest.raises(ValueError, match="not a date"):
        parse_date("12月1日")


def test_parse_count_whole_non_negative_numbers_only():
    """Counts are whole and non-negative; '1,200', '１２' and 12.0 are fine."""
    assert [parse_count(v) for v in ("1,200", "１２", 12.0, 7)] == [1200, 12, 12, 7]
    for bad in ("-1", "2.5", "many", True):
        with pytest.raises(ValueError):
            parse_count(bad)


def test_title_row_blank_rows_and_row_numbers(tmp_path):
    """A title above the header and blank lines keep spreadsheet row numbers."""
    path = tmp_path / "a.csv"
    path.write_text("第49周申报\n工号,备注\n\nS01,x\n\n  ,  \nS02,\n", encoding="utf-8")
    (table,) = read_table(path, COLUMNS, "availability file")
    assert table.frame["staff_id"].tolist() == ["S01", "S02"]
    assert table.frame[ROW].tolist() == [4, 7]
    assert table.frame["note"].tolist() == ["x", None]
    assert table.header("staff_id") == "工号"


def test_utf16_tab_separated_export(tmp_path):
    """Excel's 'Unicode text' export (UTF-16, tabs) reads like a CSV."""
    path = tmp_path / "a.txt"
    path.write_bytes("工号\t备注\nS01\t请假\n".encode("utf-16"))
    (table,) = read_table(path, COLUMNS, "availability file")
    assert table.frame[["staff_id", "note"]].values.tolist() == [["S01", "请假"]]


def test_every_non_empty_sheet_is_a_table_named_after_it(tmp_path):
    """A workbook with one sheet per person gives one table per sheet, labelled by sheet."""
    book = Workbook()
    first = book.active
    first.title = "王建国"
    first.append(["工号"])
    first.append(["S01"])
    second = book.create_sheet("李敏")
    second.append(["工号"])
    second.append(["S02"])
    book.create_sheet("空白")
    path = tmp_path / "a.xlsx"
    book.save(path)
    tables = read_table(path, COLUMNS, "availability file")
    assert [t.file for t in tables] == [f"{path} [王建国]", f"{path} [李敏]"]
    assert [t.frame["staff_id"].tolist() for t in tables] == [["S01"], ["S02"]]


def test_missing_required_column_and_unsupported_format(tmp_path):
    """A table without a required column, or an old .xls, is refused with what to do."""
    path = tmp_path / "a.csv"
    path.write_text("备注\nx\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_table(path, COLUMNS, "availability file")
    assert [(i.message, i.allowed) for i in caught.value.issues] == [
        ("missing column staff_id", "staff_id / 工号")
    ]
    old = tmp_path / "a.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InputError) as caught:
        read_table(old, COLUMNS, "availability file")
    assert caught.value.issues[0].allowed == "save it as .xlsx or .csv"


def test_sniff_headers_reads_the_first_rows_only(tmp_path):
    """Kind detection sees the header keys in the rows a reader searches, no further."""
    path = tmp_path / "a.csv"
    rows = "".join(f"S{n:02d},x\n" for n in range(1, 41))
    path.write_text("标题\n\n工号,姓名\n" + rows, encoding="utf-8")
    keys = sniff_headers(path)
    assert {"标题", "工号", "姓名", "x"} <= keys
    data = {f"s{n:02d}" for n in range(1, 41)}
    assert keys & data == {f"s{n:02d}" for n in range(1, HEADER_SCAN_ROWS - 1)}


def test_issue_limiter_keeps_twenty_of_a_kind_and_summarises():
    """Thousands of identical problems become twenty examples and one count."""
    limiter = IssueLimiter("f.csv", per_kind=2)
    for row in range(2, 7):
        limiter.add(Issue("f.csv", "count is negative", row))
    limiter.add(Issue("f.csv", "channel is empty", 9))
    issues = limiter.finish()
    assert [(i.location, i.message) for i in issues] == [
        (2, "count is negative"),
        (3, "count is negative"),
        (9, "channel is empty"),
        (None, "count is negative: 3 more row(s) like the above"),
    ]


@pytest.mark.parametrize("merged_id", [True, False])
def test_two_row_header_under_a_merged_cell(tmp_path, merged_id):
    """A form with '时间' merged over '开始 | 结束' reads both sub-columns."""
    columns = (
        ColumnSpec("staff_id", ("工号",)),
        ColumnSpec("start", ("开始",), required=False),
        ColumnSpec("end", ("结束",), required=False),
    )
    book = Workbook()
    sheet = book.active
    sheet.append(["工号", "时间", None])
    sheet.append([None, "开始", "结束"])
    sheet.append(["S01", "09:00", "12:00"])
    sheet.merge_cells("B1:C1")
    if merged_id:  # 工号 spans both header rows; otherwise the cell below it is empty
        sheet.merge_cells("A1:A2")
    path = tmp_path / "a.xlsx"
    book.save(path)
    (table,) = read_table(path, columns, "availability file")
    assert table.frame[["staff_id", "start", "end"]].values.tolist() == [["S01", "09:00", "12:00"]]
    assert table.frame[ROW].tolist() == [3]
    assert (table.header("start"), table.header("end")) == ("开始", "结束")


def test_large_workbooks_are_streamed(tmp_path, monkeypatch):
    """Big data exports are read in streaming mode and give the same rows."""
    import scheduler.io.tables as tables

    book = Workbook()
    sheet = book.active
    sheet.append(["工号", "备注"])
    sheet.append(["S01", dt.datetime(2026, 12, 1, 9, 0)])
    path = tmp_path / "a.xlsx"
    book.save(path)
    monkeypatch.setattr(tables, "LARGE_XLSX_BYTES", 0)
    (table,) = read_table(path, COLUMNS, "availability file")
    assert table.frame[["staff_id", "note"]].values.tolist() == [
        ["S01", dt.datetime(2026, 12, 1, 9, 0)]
    ]


def test_an_unclosed_quote_is_located_not_read_as_one_cell(tmp_path):
    """A row ending `,"说明` would swallow the rows below it: refused at the row it opens."""
    path = tmp_path / "a.csv"
    path.write_text('工号,备注\nS01,"说明\nS02,x\nS03,y\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_table(path, COLUMNS, "availability file")
    (issue,) = caught.value.issues
    assert (issue.file, issue.location, issue.column, issue.value) == (str(path), 2, "B", '"说明')
    assert issue.message == (
        'a quote (") opened in this cell is never closed: the 2 line(s) after it were read '
        "into this one cell"
    )
    assert issue.allowed == (
        'close the quote ("...") or delete it; a quote inside a cell is typed twice ("")'
    )


def test_an_unclosed_quote_beyond_the_cell_size_limit_is_no_traceback(tmp_path):
    """More than 128 KB after an open quote is the same located error, not a csv traceback."""
    path = tmp_path / "a.csv"
    rows = "".join(f"S{n:05d},x\n" for n in range(20_000))
    path.write_text(f'工号,备注\nS01,"说明\n{rows}', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_table(path, COLUMNS, "availability file")
    (issue,) = caught.value.issues
    assert (issue.location, issue.column, issue.value) == (2, "B", '"说明')
    assert issue.message.startswith(
        'a quote (") opened in this cell is never closed: the 20000 line(s)'
    )


def test_a_quoted_note_over_two_lines_is_still_one_cell(tmp_path):
    """A closed quote around a line break is a note with two lines, not an error."""
    path = tmp_path / "a.csv"
    path.write_text('工号,备注\nS01,"上午\n下午"\n', encoding="utf-8")
    (table,) = read_table(path, COLUMNS, "availability file")
    assert table.frame[["staff_id", "note"]].values.tolist() == [["S01", "上午\n下午"]]


def test_columns_without_a_known_header_are_listed(tmp_path):
    """Columns whose header names nothing looked for are kept, by letter, for warnings."""
    path = tmp_path / "a.csv"
    path.write_text("工号,部门,备注,,岗位\nS01,营业部,x,,\n", encoding="utf-8")
    (table,) = read_table(path, COLUMNS, "availability file")
    assert table.ignored == {"B": "部门", "E": "岗位"}
    assert table.header_row == 1


def test_issue_limiter_counts_issues_of_one_kind_with_different_messages():
    """'duplicate row (same as row 2)' and '(same as row 3)' are one kind: capped together."""
    limiter = IssueLimiter("f.csv", per_kind=2)
    for row in range(3, 8):
        limiter.add(Issue("f.csv", f"same as row {row - 1}", row, severity="warning"), "duplicate")
    issues = limiter.finish()
    assert [(i.location, i.message, i.severity) for i in issues] == [
        (3, "same as row 2", "warning"),
        (4, "same as row 3", "warning"),
        (None, "duplicate: 3 more row(s) like the above", "warning"),
    ]


def test_a_long_value_is_cut_in_the_message_with_its_length():
    """A value of thousands of characters (an expanded YAML alias) is shown cut, not whole."""
    issue = Issue("r.yaml", "Extra inputs are not permitted", "f", value=["x"] * 5000)
    text = str(issue)
    assert len(text) < 300
    assert text.endswith("... (25,000 characters))")
    assert issue.value == ["x"] * 5000  # the issue itself keeps the value


def test_a_gzip_that_unpacks_beyond_the_limit_is_refused_before_parsing(tmp_path, monkeypatch):
    """A small .csv.gz that unpacks to far more than any history is refused, saying why."""
    import gzip

    from scheduler.io import tables

    monkeypatch.setattr(tables, "MAX_UNPACKED_BYTES", 1000)
    path = tmp_path / "traffic.csv.gz"
    path.write_bytes(gzip.compress(b"0" * 5000))
    with pytest.raises(InputError) as caught:
        tables.read_bytes(path)
    assert caught.value.issues[0].message == "the file unpacks to more than 0 MB"
    small = tmp_path / "small.csv.gz"
    small.write_bytes(gzip.compress(b"a,b\n1,2\n"))
    assert tables.read_bytes(small) == b"a,b\n1,2\n"


def test_a_stray_cell_in_the_last_row_of_a_sheet_is_not_read_as_a_million_rows(tmp_path):
    """A space in A1048576 (or a bold empty cell there) leaves the grid at the data's size.

    Reading every row up to it took over 90 s and 2.3 GB.
    """
    from openpyxl.styles import Font

    path = tmp_path / "stray.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(["工号", "日期"])
    sheet.append(["S01", "2026-12-01"])
    sheet["A1048576"] = " "
    sheet["B1048575"].font = Font(bold=True)
    book.save(path)
    ((_, rows),) = raw_sheets(path)
    assert [list(r) for r in rows] == [["工号", "日期"], ["S01", "2026-12-01"]]


def test_a_workbook_the_parser_cannot_open_is_a_located_error(tmp_path):
    """An empty chart sheet makes openpyxl fail inside; that is a damaged file, not a crash."""
    path = tmp_path / "chart.xlsx"
    book = Workbook()
    book.active.append(["工号", "日期"])
    book.create_chartsheet("chart")
    book.save(path)
    with pytest.raises(InputError) as caught:
        raw_sheets(path)
    (issue,) = caught.value.errors
    assert issue.file == str(path) and issue.message.startswith("the workbook is damaged")
    assert "send the file again" in issue.allowed


def test_a_cell_too_long_for_the_csv_reader_is_located_by_column(tmp_path):
    """A 200,000-character note is refused at its row and column, with its start and length."""
    path = tmp_path / "long.csv"
    path.write_text("工号,备注\nS01," + "长" * 200_000 + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        raw_sheets(path)
    (issue,) = caught.value.errors
    assert (issue.location, issue.column) == (2, "B")
    assert issue.value == "长" * 30 + "... (200,000)"


def test_values_under_a_blank_header_are_named_as_ignored_by_their_letter(tmp_path):
    """x,y typed past the last header are not read, and the table says which columns they fill."""
    path = tmp_path / "extra.csv"
    path.write_text("工号,备注\nS01,a,x,y\nS02,b\n", encoding="utf-8")
    (table,) = read_table(path, COLUMNS, "availability")
    assert table.ignored == {"C": "C", "D": "D"}
