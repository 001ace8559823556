"""Availability and leave files: what staff really send, and every problem located at once."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook

from scheduler.calendar import Horizon
from scheduler.domain import (
    Availability,
    AvailabilityEntry,
    AvailabilityKind,
    LeaveKind,
    LeaveRequest,
)
from scheduler.errors import InputError
from scheduler.io.availability_file import (
    load_availability,
    read_availability,
    write_availability,
)

WEEK = Horizon.iso_week("2026-W49")  # Mon 2026-11-30 .. Sun 2026-12-06
HEADER = "工号,姓名,日期,开始,结束,类型,权重,备注\n"


def _csv(tmp_path, text: str, name: str = "a.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _errors(caught: pytest.ExceptionInfo[InputError]) -> list[tuple[object, str | None, str]]:
    return [(i.location, i.column, i.message) for i in caught.value.errors]


def test_chinese_csv_becomes_entries_and_leave(tmp_path, sample_cfg):
    """Windows, whole days, preferences and leave declared in Chinese are all understood."""
    path = _csv(
        tmp_path,
        HEADER + "S03,张伟,2026-12-02,,,不可用,,家中有事\n"
        "S14,朱琳,2026/12/1,９：００,13:00,可用,,\n"
        "S10,吴芳,12月4日,08:30,13:00,希望上班,3,\n"
        "S07,赵磊,2026年12月6日,,,不希望,4,\n"
        "S11,徐强,2026-11-30,,,年假,,\n"
        "S11,徐强,2026-12-01,,,年假,,\n",
    )
    got = read_availability(path, config=sample_cfg, horizon=WEEK)
    assert got.entries == [
        AvailabilityEntry(
            staff_id="S03",
            date=dt.date(2026, 12, 2),
            kind=AvailabilityKind.UNAVAILABLE,
            note="家中有事",
        ),
        AvailabilityEntry(
            staff_id="S14",
            date=dt.date(2026, 12, 1),
            kind=AvailabilityKind.AVAILABLE,
            start=dt.time(9),
            end=dt.time(13),
        ),
        AvailabilityEntry(
            staff_id="S10",
            date=dt.date(2026, 12, 4),
            kind=AvailabilityKind.PREFERRED,
            start=dt.time(8, 30),
            end=dt.time(13),
            weight=3,
        ),
        AvailabilityEntry(
            staff_id="S07", date=dt.date(2026, 12, 6), kind=AvailabilityKind.UNDESIRED, weight=4
        ),
    ]
    assert got.leave == [
        LeaveRequest(
            staff_id="S11",
            start_date=dt.date(2026, 11, 30),
            end_date=dt.date(2026, 12, 1),
            kind=LeaveKind.ANNUAL,
        )
    ]


def test_english_headers_and_type_words(tmp_path):
    """An HR system's English export reads the same as a Chinese form."""
    path = _csv(
        tmp_path,
        "staff_id,date,start,end,type,approved\n"
        "S01,2026-12-01,,,sick,yes\n"
        "S02,2026-12-02,14:00,17:00,unavailable,\n"
        "S03,2026-12-03,,,training,no\n",
    )
    got = read_availability(path, horizon=WEEK)
    assert [(e.staff_id, e.kind, e.minutes) for e in got.entries] == [
        ("S02", AvailabilityKind.UNAVAILABLE, (840, 1020))
    ]
    assert [(lv.staff_id, lv.kind, lv.approved) for lv in got.leave] == [
        ("S01", LeaveKind.SICK, True),
        ("S03", LeaveKind.TRAINING, False),
    ]


def test_gbk_file_from_chinese_excel_is_read(tmp_path, sample_cfg):
    """A CSV saved by Chinese Excel in GBK reads exactly like UTF-8."""
    text = HEADER + "S12,孙悦,2026-12-04,14:00,17:30,不可用,,孩子家长会\n"
    gbk = read_availability(_csv(tmp_path, text, "g.csv", "gbk"), sample_cfg, WEEK)
    utf = read_availability(_csv(tmp_path, text, "u.csv", "utf-8-sig"), sample_cfg, WEEK)
    assert gbk == utf
    assert gbk.entries[0].note == "孩子家长会"


def test_wps_workbook_with_title_row_merged_cells_and_typed_cells(tmp_path, sample_cfg):
    """XLSX from WPS: merged title, a name merged down, date/time cells, day fractions."""
    book = Workbook()
    sheet = book.active
    sheet.append(["第49周可用时段申报"])
    sheet.merge_cells("A1:F1")
    sheet.append(["工号", "姓名", "日期", "开始时间", "结束时间", "类型"])
    sheet.append(["S14", "朱琳", dt.datetime(2026, 11, 30), dt.time(9), 13 / 24, "可用"])
    sheet.append([None, None, "2026/12/2", "9:00", "13:00", "可用"])
    sheet.merge_cells("A3:A4")
    sheet.merge_cells("B3:B4")
    sheet.append([])
    sheet.append([None, None, None, None, None, None])
    path = tmp_path / "wps.xlsx"
    book.save(path)
    got = read_availability(path, sample_cfg, WEEK)
    assert [(e.staff_id, e.date, e.minutes) for e in got.entries] == [
        ("S14", dt.date(2026, 11, 30), (540, 780)),
        ("S14", dt.date(2026, 12, 2), (540, 780)),
    ]


def test_every_problem_is_reported_with_file_row_column_value_and_allowed(tmp_path, sample_cfg):
    """Unknown id, wrong name, outside the week, end before start, unknown type: all at once."""
    path = _csv(
        tmp_path,
        HEADER + "S99,某人,2026-12-01,,,不可用,,\n"
        "S03,李敏,2026-12-01,,,不可用,,\n"
        "S03,张伟,2026-12-09,,,不可用,,\n"
        "S04,刘洋,2026-12-01,15:00,10:00,不可用,,\n"
        "S05,陈静,2026-12-01,,,出差,,\n"
        "S06,杨帆,2026-12-01,,,希望上班,11,\n",
    )
    with pytest.raises(InputError) as caught:
        read_availability(path, sample_cfg, WEEK)
    assert _errors(caught) == [
        (2, "工号", "unknown staff number"),
        (3, "姓名", "the name does not match staff number S03"),
        (4, "日期", "date outside the planned week"),
        (5, "结束", "end is not after start"),
        (6, "类型", "unknown type"),
        (7, "权重", "weight out of range"),
    ]
    issues = caught.value.errors
    assert all(i.file == str(path) for i in issues)
    assert (issues[1].value, issues[1].allowed) == ("李敏", "张伟")
    assert (issues[2].value, issues[2].allowed) == ("2026-12-09", "2026-11-30 to 2026-12-06")
    assert issues[3].value == "10:00"
    assert issues[4].value == "出差"
    assert "年假/annual" in issues[4].allowed


def test_overlapping_windows_of_one_person_and_date(tmp_path):
    """Two windows of one person that share time on a date contradict each other."""
    path = _csv(
        tmp_path,
        HEADER + "S04,,2026-12-01,09:00,12:00,不可用,,\n"
        "S04,,2026-12-01,13:00,15:00,不可用,,\n"
        "S04,,2026-12-01,11:00,14:00,希望上班,,\n",
    )
    with pytest.raises(InputError) as caught:
        read_availability(path, horizon=WEEK)
    assert [(i.location, i.message, i.value) for i in caught.value.errors] == [
        (4, "overlaps the window of row 2 for S04 on 2026-12-01", "11:00-14:00"),
        (4, "overlaps the window of row 3 for S04 on 2026-12-01", "11:00-14:00"),
    ]


def test_duplicate_rows_are_dropped_with_a_warning(tmp_path):
    """A row sent twice (also across files) counts once and the sender is told."""
    row = "S04,,2026-12-01,09:00,12:00,不可用,,\n"
    a = _csv(tmp_path, HEADER + row + row, "a.csv")
    b = _csv(tmp_path, HEADER + row, "b.csv")
    got, warnings = load_availability([a, b], horizon=WEEK)
    assert len(got.entries) == 1
    assert [(w.file, w.location, w.message, w.severity) for w in warnings] == [
        (str(a), 3, "duplicate row (same as row 2); it was dropped", "warning"),
        (str(b), 2, f"duplicate row (same as row 2 of {a}); it was dropped", "warning"),
    ]


def test_empty_file_and_unreadable_encoding(tmp_path):
    """An empty upload and a file in an unknown encoding are refused, naming the file."""
    empty = _csv(tmp_path, "", "empty.csv")
    latin = tmp_path / "latin.csv"
    latin.write_bytes(HEADER.encode("utf-8") + b"S01,Jos\xe9,2026-12-01,,,\xff\n")
    with pytest.raises(InputError) as caught:
        read_availability([empty, latin], horizon=WEEK)
    assert [(i.file, i.message) for i in caught.value.errors] == [
        (str(empty), "the file is empty"),
        (str(latin), "unknown text encoding"),
    ]


def test_date_range_and_half_day_leave(tmp_path):
    """A leave row with an end date is one request; leave with times is a window off."""
    path = _csv(
        tmp_path,
        "工号,日期,结束日期,开始,结束,类型\n"
        "S01,2026-11-28,2026-12-02,,,年假\n"
        "S02,2026-12-03,,14:00,17:00,事假\n",
    )
    got, warnings = load_availability(path, horizon=WEEK)
    assert got.leave == [
        LeaveRequest(
            staff_id="S01", start_date=dt.date(2026, 11, 28), end_date=dt.date(2026, 12, 2)
        )
    ]
    assert [(e.kind, e.minutes) for e in got.entries] == [
        (AvailabilityKind.UNAVAILABLE, (840, 1020))
    ]
    assert [w.location for w in warnings] == [3]


def test_writer_round_trip_csv_and_xlsx(tmp_path, sample_cfg):
    """What the writer writes, the reader reads back unchanged (Chinese and English)."""
    availability = Availability(
        entries=[
            AvailabilityEntry(
                staff_id="S14",
                date=dt.date(2026, 12, 1),
                kind=AvailabilityKind.AVAILABLE,
                start=dt.time(9),
                end=dt.time.max,
                note="可以晚走",
            )
        ],
        leave=[
            LeaveRequest(
                staff_id="S11",
                start_date=dt.date(2026, 11, 30),
                end_date=dt.date(2026, 12, 1),
                approved=False,
            )
        ],
    )
    for name, lang in (("a.csv", "zh"), ("a.xlsx", "zh"), ("b.csv", "en"), ("b.xlsx", "en")):
        path = write_availability(availability, tmp_path / name, config=sample_cfg, lang=lang)
        assert read_availability(path, sample_cfg, WEEK) == availability


def test_person_found_from_name_or_file_name(tmp_path, sample_cfg):
    """Staff who write only their name, or send 'S14_朱琳.csv' without 工号, are recognised."""
    by_name = _csv(tmp_path, "姓名,日期,类型\n朱琳,2026-12-01,不可用\n", "names.csv")
    by_file = _csv(tmp_path, "日期,开始,结束,类型\n2026-12-02,09:00,13:00,可用\n", "S14_朱琳.csv")
    got = read_availability([by_name, by_file], sample_cfg, WEEK)
    assert [(e.staff_id, e.date) for e in got.entries] == [
        ("S14", dt.date(2026, 12, 1)),
        ("S14", dt.date(2026, 12, 2)),
    ]
    unknown = _csv(tmp_path, "姓名,日期\n路人甲,2026-12-01\n", "who.csv")
    anonymous = _csv(tmp_path, "日期,类型\n2026-12-01,不可用\n", "week49.csv")
    with pytest.raises(InputError) as caught:
        read_availability([unknown, anonymous], sample_cfg, WEEK)
    assert [(i.file, i.location, i.message) for i in caught.value.errors] == [
        (str(unknown), 2, "no staff member has this name"),
        (str(anonymous), None, "missing column staff_id"),
    ]


def test_offer_to_work_on_an_approved_leave_day_is_an_error(tmp_path):
    """Approved leave and a wish to work the same day contradict each other."""
    path = _csv(
        tmp_path,
        HEADER + "S11,,2026-11-30,,,年假,,\n"
        "S11,,2026-11-30,09:00,12:00,希望上班,,\n"
        "S11,,2026-12-02,09:00,12:00,希望上班,,\n",
    )
    with pytest.raises(InputError) as caught:
        read_availability(path, horizon=WEEK)
    (issue,) = caught.value.errors
    assert (issue.location, issue.value) == (3, "希望上班")
    assert issue.message == (
        "S11 offers to work on 2026-11-30, a day of approved annual leave (row 2)"
    )


def test_a_shift_column_names_the_shift_wished_for(tmp_path, sample_cfg):
    """A 班次 column turns a preferred or undesired row into a wish for that shift."""
    path = _csv(
        tmp_path,
        "工号,姓名,日期,类型,权重,班次\nS03,张伟,2026-12-01,希望上班,3,early\n"
        "S04,刘洋,2026-12-02,不希望上班,2,day\n",
    )
    avail = read_availability(path, sample_cfg, WEEK)
    assert [(e.staff_id, e.kind, e.shift, e.weight) for e in avail.entries] == [
        ("S03", AvailabilityKind.PREFERRED, "early", 3),
        ("S04", AvailabilityKind.UNDESIRED, "day", 2),
    ]


def test_a_bad_shift_cell_is_located(tmp_path, sample_cfg):
    """Unknown shift, a shift on a leave row, a shift with times: each named with its row."""
    path = _csv(
        tmp_path,
        "工号,姓名,日期,开始,结束,类型,班次\nS03,张伟,2026-12-01,,,希望上班,night\n"
        "S04,刘洋,2026-12-02,,,年假,day\n"
        "S05,陈静,2026-12-02,09:00,12:00,不希望上班,day\n",
    )
    with pytest.raises(InputError) as caught:
        read_availability(path, sample_cfg, WEEK)
    assert _errors(caught) == [
        (2, "班次", "unknown shift"),
        (3, "班次", "only a preferred or undesired row may name a shift"),
        (4, "班次", "a row naming a shift gives no start and end times"),
    ]
    assert caught.value.errors[0].value == "night"
    assert "early" in caught.value.errors[0].allowed


def test_a_folder_stands_for_the_files_in_it(tmp_path, sample_cfg):
    """A folder is read as its table files (subfolders too); lock and hidden files are not."""
    folder = tmp_path / "availability"
    (folder / "team2").mkdir(parents=True)
    _csv(folder, HEADER + "S03,张伟,2026-12-02,,,不可用,,\n", name="S03.csv")
    _csv(folder / "team2", HEADER + "S11,徐强,2026-11-30,,,年假,,\n", name="leave.csv")
    _csv(folder, "not a table", name="~$team.xlsx")
    _csv(folder, "not a table", name=".DS_Store")
    _csv(folder, "notes that are not read", name="readme.md")
    files = [folder / "S03.csv", folder / "team2" / "leave.csv"]
    assert read_availability(folder, config=sample_cfg, horizon=WEEK) == read_availability(
        files, config=sample_cfg, horizon=WEEK
    )
    got = read_availability([folder], config=sample_cfg, horizon=WEEK)
    assert [e.staff_id for e in got.entries] == ["S03"]
    assert [lv.staff_id for lv in got.leave] == ["S11"]


def test_a_folder_without_availability_files_is_an_error(tmp_path, sample_cfg):
    """An empty folder (a wrong path, files not yet copied) is named, not read as 'none'."""
    empty = tmp_path / "availability"
    empty.mkdir()
    _csv(empty, "notes", name="readme.md")
    with pytest.raises(InputError) as caught:
        read_availability(empty, config=sample_cfg, horizon=WEEK)
    (issue,) = caught.value.errors
    assert issue.file == str(empty)
    assert issue.message == "the folder holds no availability file"
    assert ".xlsx" in (issue.allowed or "")


def test_duplicate_warnings_are_capped_like_errors(tmp_path):
    """Sixty copies of a row give twenty warnings and one count, not sixty lines."""
    row = "S04,,2026-12-01,09:00,12:00,不可用,,\n"
    path = _csv(tmp_path, HEADER + row * 61)
    got, warnings = load_availability(path, horizon=WEEK)
    assert len(got.entries) == 1
    assert len(warnings) == 21
    assert [(w.location, w.message) for w in warnings[:2]] == [
        (3, "duplicate row (same as row 2); it was dropped"),
        (4, "duplicate row (same as row 2); it was dropped"),
    ]
    assert (warnings[-1].file, warnings[-1].message, warnings[-1].severity) == (
        str(path),
        "duplicate row: 40 more row(s) like the above",
        "warning",
    )


def test_overlaps_found_by_sweeping_windows_in_order_of_start(tmp_path):
    """A long window overlaps the short ones inside it; windows that only touch do not."""
    path = _csv(
        tmp_path,
        HEADER + "S04,,2026-12-01,13:00,14:00,不可用,,\n"
        "S04,,2026-12-01,08:00,18:00,不希望,2,\n"
        "S04,,2026-12-01,09:00,10:00,不可用,,\n"
        "S04,,2026-12-01,10:00,11:00,不可用,,\n",
    )
    with pytest.raises(InputError) as caught:
        read_availability(path, horizon=WEEK)
    assert [(i.location, i.message, i.value) for i in caught.value.errors] == [
        (3, "overlaps the window of row 2 for S04 on 2026-12-01", "08:00-18:00"),
        (4, "overlaps the window of row 3 for S04 on 2026-12-01", "09:00-10:00"),
        (5, "overlaps the window of row 3 for S04 on 2026-12-01", "10:00-11:00"),
    ]


def test_many_overlapping_windows_give_twenty_errors_and_a_count(tmp_path):
    """Thirty whole-day wishes of one person and day: 435 pairs, twenty shown, rest counted."""
    rows = "".join(f"S04,,2026-12-01,,,不希望,{w % 10 + 1},{w}\n" for w in range(10))
    rows += "".join(f"S04,,2026-12-01,{h:02d}:00,{h + 1:02d}:00,不可用,,\n" for h in range(20))
    path = _csv(tmp_path, HEADER + rows)
    with pytest.raises(InputError) as caught:
        read_availability(path, horizon=WEEK)
    errors = caught.value.errors
    assert len(errors) == 21
    assert errors[0].message == "overlaps the window of row 2 for S04 on 2026-12-01"
    assert errors[-1].message == "overlapping windows: 225 more row(s) like the above"


def test_a_decimal_time_typed_as_text_is_ambiguous(tmp_path, sample_cfg):
    """0.25 typed as text could be 06:00 (a day fraction) or 00:25: refused, both readings."""
    path = _csv(tmp_path, HEADER + "S03,张伟,2026-12-01,0.25,0.50,不可用,,\n")
    with pytest.raises(InputError) as caught:
        read_availability(path, sample_cfg, WEEK)
    start, end = caught.value.errors
    assert (start.location, start.column, start.value) == (2, "开始", "0.25")
    assert start.message == (
        "a decimal below 1 typed as text is ambiguous: 0.25 is 06:00 as a fraction of a day, "
        "00:25 as hours.minutes"
    )
    assert start.allowed == "a time written HH:MM, e.g. 06:00 or 00:25"
    assert (end.column, end.value) == ("结束", "0.50")
    assert "0.50 is 12:00 as a fraction of a day, 00:50 as hours.minutes" in end.message


def test_a_decimal_from_a_numeric_excel_cell_is_a_day_fraction(tmp_path, sample_cfg):
    """0.25 in a number cell is Excel's 06:00: only text is ambiguous."""
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(["S03", "张伟", "2026-12-01", 0.25, 0.5, "不可用"])
    path = tmp_path / "a.xlsx"
    book.save(path)
    (entry,) = read_availability(path, sample_cfg, WEEK).entries
    assert (entry.start, entry.end) == (dt.time(6), dt.time(12))


@pytest.mark.parametrize("typed", ["1/12", "01/12", "1.12"])
def test_day_month_order_is_ambiguous_when_the_other_reading_is_in_the_week(
    tmp_path, sample_cfg, typed
):
    """1/12 is 12 January month first but 1 December day first, inside the planned week."""
    path = _csv(tmp_path, HEADER + f"S03,张伟,{typed},,,不可用,,\n")
    with pytest.raises(InputError) as caught:
        read_availability(path, sample_cfg, WEEK)
    (issue,) = caught.value.errors
    assert (issue.location, issue.column, issue.value) == (2, "日期", typed)
    assert issue.message == (
        f"day/month order is ambiguous: {typed} reads as 2026-01-12 (month/day) "
        "or 2026-12-01 (day/month)"
    )
    assert issue.allowed == "a full date, year first, e.g. 2026-12-01 or 2026/12/1"


@pytest.mark.parametrize(
    ("header", "row", "column"),
    [
        ("工号,日期,类型", "S14,2026-12-01,可用", "开始"),
        ("staff_id,date,type", "S14,2026-12-01,available", "start"),
    ],
)
def test_a_message_about_a_missing_column_names_it_in_the_files_language(
    tmp_path, sample_cfg, header, row, column
):
    """An 'available' row without times names 开始 in a Chinese file, start in an English one."""
    path = _csv(tmp_path, f"{header}\n{row}\n")
    with pytest.raises(InputError) as caught:
        read_availability(path, sample_cfg, WEEK)
    (issue,) = caught.value.errors
    assert (issue.location, issue.column, issue.message) == (
        2,
        column,
        "an 'available' row needs start and end times",
    )


@pytest.mark.parametrize(
    ("typed", "start", "end"),
    [
        ("下午2点-5点", dt.time(14), dt.time(17)),
        ("上午9点-12点", dt.time(9), dt.time(12)),
        ("2:00 PM - 5:00", dt.time(14), dt.time(17)),
        ("上午10点-下午2点", dt.time(10), dt.time(14)),
    ],
)
def test_a_half_day_word_written_once_applies_to_both_ends(tmp_path, sample_cfg, typed, start, end):
    """下午2点-5点 is 14:00-17:00: 下午 counts for 5点 too (it was 05:00, then refused)."""
    path = _csv(tmp_path, HEADER + f"S03,张伟,2026-12-01,{typed},,不可用,,\n")
    (entry,) = read_availability(path, sample_cfg, WEEK).entries
    assert (entry.start, entry.end) == (start, end)


def test_a_backwards_range_in_one_cell_is_shown_as_typed(tmp_path, sample_cfg):
    """12:00-9:00 in 开始 is refused at 开始 showing what was typed, not '09:00:00'."""
    path = _csv(tmp_path, HEADER + "S03,张伟,2026-12-01,12:00-9:00,,不可用,,\n")
    with pytest.raises(InputError) as caught:
        read_availability(path, sample_cfg, WEEK)
    (issue,) = caught.value.errors
    assert (issue.location, issue.column, issue.message, issue.value) == (
        2,
        "开始",
        "end is not after start",
        "12:00-9:00",
    )


@pytest.mark.parametrize(
    ("typed", "first", "last"),
    [
        ("12月1日-3日", dt.date(2026, 12, 1), dt.date(2026, 12, 3)),
        ("12月1日至3日", dt.date(2026, 12, 1), dt.date(2026, 12, 3)),
        ("11月30日-2日", dt.date(2026, 11, 30), dt.date(2026, 12, 2)),
    ],
)
def test_a_date_range_with_the_month_written_once(tmp_path, sample_cfg, typed, first, last):
    """12月1日-3日 is 1 to 3 December; a day before the first one is in the next month."""
    path = _csv(tmp_path, HEADER + f"S03,张伟,{typed},,,年假,,\n")
    (leave,) = read_availability(path, sample_cfg, WEEK).leave
    assert (leave.start_date, leave.end_date) == (first, last)


def test_a_notes_file_in_an_availability_folder_is_skipped_with_a_warning(tmp_path, sample_cfg):
    """A 说明.txt beside the forms does not block them: it is skipped, and a warning says so."""
    folder = tmp_path / "availability"
    folder.mkdir()
    _csv(folder, HEADER + "S03,张伟,2026-12-01,,,不可用,,\n", "a.csv")
    notes = folder / "说明.txt"
    notes.write_text("请每人填写下周的可用时间。\n有问题找运营主管。\n", encoding="utf-8")
    got, warnings = load_availability(folder, sample_cfg, WEEK)
    assert [e.staff_id for e in got.entries] == ["S03"]
    (warning,) = warnings
    assert (warning.file, warning.severity) == (str(notes), "warning")
    assert warning.message == (
        "skipped: not an availability table (a text file without a 工号, 姓名 or 日期 header)"
    )


def test_a_totals_row_with_an_unsaved_formula_is_skipped_like_any_totals_row(tmp_path, sample_cfg):
    """合计 with =SUM(...) written by a program is skipped, not 'formula never saved'."""
    book = Workbook()
    sheet = book.active
    sheet.append(["工号", "姓名", "日期", "开始", "结束", "类型", "权重"])
    sheet.append(["S10", "吴芳", "2026-12-01", None, None, "希望上班", 3])
    sheet.append(["合计", None, None, None, None, None, "=SUM(G2:G2)"])
    path = tmp_path / "a.xlsx"
    book.save(path)
    got, warnings = load_availability(path, sample_cfg, WEEK)
    assert [e.staff_id for e in got.entries] == ["S10"]
    (warning,) = warnings
    assert (warning.location, warning.column, warning.value) == (3, "工号", "合计")
    assert warning.message == "a totals row, not a declaration; it was skipped"


def test_a_weekday_that_is_not_the_dates_own_is_a_located_error(tmp_path, sample_cfg):
    """2026-12-02(周五): 2 December is a Wednesday; which did the person mean? Refused."""
    path = tmp_path / "wrong_weekday.csv"
    path.write_text("工号,姓名,日期,类型\nS03,张伟,2026-12-02(周五),不可用\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_availability(path, sample_cfg, WEEK)
    (issue,) = caught.value.errors
    assert (issue.location, issue.column, issue.value) == (2, "日期", "2026-12-02(周五)")
    assert issue.message == (
        "the weekday does not match the date: 2026-12-02 is a Wednesday (周三), not a Friday"
    )


def test_dates_running_over_a_year_are_a_located_error(tmp_path, sample_cfg):
    """Annual leave from 2026-12-03 to 2028-01-20 (414 days) is a year typed wrong."""
    path = tmp_path / "long_leave.csv"
    path.write_text(
        "工号,姓名,日期,结束日期,类型\nS03,张伟,2026-12-03,2028-01-20,年假\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as caught:
        read_availability(path, sample_cfg, WEEK)
    (issue,) = caught.value.errors
    assert (issue.location, issue.column, issue.value) == (2, "结束日期", "2028-01-20")
    assert issue.message == "the dates run 414 days, longer than a year: check the years"
    assert issue.allowed == "2027-12-03 or earlier"


def test_warnings_about_ignored_columns_are_capped(tmp_path, sample_cfg):
    """A thousand unknown columns give 20 warnings and a count, not a thousand lines."""
    extra = ",".join(f"c{i}" for i in range(1000))
    path = tmp_path / "wide.csv"
    path.write_text(
        f"工号,姓名,日期,类型,{extra}\nS03,张伟,2026-12-02,不可用{',' * 1000}\n", encoding="utf-8"
    )
    _, warnings = load_availability([path], sample_cfg, WEEK)
    ignored = [w for w in warnings if "not a column of an availability file" in w.message]
    assert len(ignored) == 20
    assert any("980 more" in w.message for w in warnings)


def test_a_range_running_past_the_week_is_read_with_a_warning_naming_the_days_left_out(
    tmp_path, sample_cfg
):
    """不可用 from Sat 5 Dec to Wed 9 Dec: the two days in the week count, three are named."""
    path = tmp_path / "range.csv"
    path.write_text(
        "工号,姓名,日期,类型\nS03,张伟,2026-12-05~2026-12-09,不可用\n", encoding="utf-8"
    )
    got, warnings = load_availability([path], sample_cfg, WEEK)
    assert {e.date for e in got.entries} >= {dt.date(2026, 12, 5), dt.date(2026, 12, 6)}
    (warning,) = [w for w in warnings if "outside the planned week" in w.message]
    assert (warning.location, warning.column) == (2, "日期")
    assert warning.message == (
        "3 of the row's 5 days fall outside the planned week and are not used"
    )
    assert warning.value == "2026-12-05 to 2026-12-09"


def test_leave_rows_of_one_person_that_share_days_are_warned_of(tmp_path, sample_cfg):
    """年假 12-01..12-03 and 病假 12-02..12-04: which kind were 2 and 3 December? A warning."""
    path = tmp_path / "leave.csv"
    path.write_text(
        "工号,姓名,日期,结束日期,类型\n"
        "S03,张伟,2026-12-01,2026-12-03,年假\n"
        "S03,张伟,2026-12-02,2026-12-04,病假\n",
        encoding="utf-8",
    )
    got, warnings = load_availability([path], sample_cfg, WEEK)
    assert len(got.leave) == 2
    (issue,) = [w for w in warnings if "overlaps" in w.message]
    assert (issue.location, issue.severity) == (3, "warning")
    assert issue.message == (
        "this leave overlaps the annual leave of row 2 for S03 on 2026-12-02 to 2026-12-03"
    )
    assert issue.value == "sick 2026-12-02 to 2026-12-04"
