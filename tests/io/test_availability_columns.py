"""Availability columns: every column is read as meant, named in a warning, or refused.

A column the reader silently dropped made a file mean something else (a 时间 range read as a
whole day, pending leave read as approved). These tests pin down what each header means.
"""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook

from scheduler.calendar import Horizon
from scheduler.domain import AvailabilityKind, LeaveKind
from scheduler.errors import InputError
from scheduler.io.availability_file import load_availability

WEEK = Horizon.iso_week("2026-W49")  # Mon 2026-11-30 .. Sun 2026-12-06
ACCEPTED = (
    "工号/staff_id, 姓名/name, 日期/date, 结束日期/end_date, 天数/days, 时间/time, 开始/start, "
    "结束/end, 类型/type, 权重/weight, 批准/approved, 备注/note, 班次/shift, 序号/seq "
    "(and the other names in the README)"
)


def _csv(tmp_path, text: str, name: str = "a.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _refused(path, config=None) -> list:
    with pytest.raises(InputError) as caught:
        load_availability(path, config, WEEK)
    return caught.value.errors


def test_a_column_the_reader_does_not_know_is_named_in_a_warning(tmp_path, sample_cfg):
    """部门 is not read: the warning names the file, the header and the accepted headers."""
    path = _csv(tmp_path, "工号,姓名,日期,类型,部门\nS03,张伟,2026-12-01,不可用,营业部\n")
    got, warnings = load_availability(path, sample_cfg, WEEK)
    assert len(got.entries) == 1
    (warning,) = warnings
    assert (warning.file, warning.location, warning.column, warning.severity) == (
        str(path),
        1,
        "部门",
        "warning",
    )
    assert (warning.message, warning.allowed) == (
        "ignored: not a column of an availability file",
        ACCEPTED,
    )


@pytest.mark.parametrize("header", ["时间", "时段", "时间段"])
@pytest.mark.parametrize(
    ("kind", "word"),
    [(AvailabilityKind.UNAVAILABLE, "不可用"), (AvailabilityKind.PREFERRED, "希望上班")],
)
def test_a_time_column_holds_the_window(tmp_path, sample_cfg, header, kind, word):
    """时间 14:00-17:00 is that window, not the whole day (it was dropped before)."""
    path = _csv(tmp_path, f"工号,姓名,日期,{header},类型\nS03,张伟,2026-12-01,14:00-17:00,{word}\n")
    got, warnings = load_availability(path, sample_cfg, WEEK)
    (entry,) = got.entries
    assert (entry.kind, entry.start, entry.end) == (kind, dt.time(14), dt.time(17))
    assert warnings == []


def test_a_time_column_that_is_no_range_or_doubles_start_is_refused(tmp_path, sample_cfg):
    """A single time in 时间, or 时间 beside 开始/结束 on one row, is located and refused."""
    path = _csv(
        tmp_path,
        "工号,日期,时间,开始,结束,类型\n"
        "S03,2026-12-01,14:00,,,不可用\n"
        "S03,2026-12-02,14:00-17:00,14:00,17:00,不可用\n"
        "S03,2026-12-03,全天,,,不可用\n",
    )
    first, second = _refused(path, sample_cfg)
    assert (first.location, first.column, first.message, first.value) == (
        2,
        "时间",
        "cannot read the time range",
        "14:00",
    )
    assert (
        first.allowed
        == "a range such as 14:00-17:00 or 下午2点-5点; empty or 全天 for the whole day"
    )
    assert (second.location, second.column, second.value) == (3, "时间", "14:00-17:00")
    assert second.message == "the time is given twice: in 时间 and in 开始/结束"


def test_work_hours_headers_are_start_and_end(tmp_path, sample_cfg):
    """上班时间/下班时间 are the start and end of the window."""
    path = _csv(tmp_path, "工号,日期,上班时间,下班时间,类型\nS14,2026-12-01,09:00,12:00,可用\n")
    (entry,) = load_availability(path, sample_cfg, WEEK)[0].entries
    assert (entry.kind, entry.start, entry.end) == (
        AvailabilityKind.AVAILABLE,
        dt.time(9),
        dt.time(12),
    )


@pytest.mark.parametrize(
    ("status", "approved"),
    [("待审批", False), ("审批中", False), ("未批", False), ("已批", True), ("已批准", True)],
)
def test_an_approval_status_column_decides_whether_leave_is_approved(
    tmp_path, sample_cfg, status, approved
):
    """Pending leave (待审批, 审批中, 未批) is asked for, not approved: never a hard rule."""
    path = _csv(
        tmp_path,
        f"工号,姓名,日期,结束日期,类型,审批状态\nS03,张伟,2026-12-01,2026-12-02,年假,{status}\n",
    )
    got, warnings = load_availability(path, sample_cfg, WEEK)
    (leave,) = got.leave
    assert (leave.start_date, leave.end_date, leave.approved) == (
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 2),
        approved,
    )
    assert warnings == []


@pytest.mark.parametrize("status", ["已驳回", "驳回"])
def test_rejected_leave_is_no_leave(tmp_path, sample_cfg, status):
    """A rejected request declares nothing: the row is skipped, and a warning says so."""
    path = _csv(tmp_path, f"工号,姓名,日期,类型,状态\nS03,张伟,2026-12-01,年假,{status}\n")
    got, warnings = load_availability(path, sample_cfg, WEEK)
    assert (got.entries, got.leave) == ([], [])
    (warning,) = warnings
    assert (warning.location, warning.column, warning.value, warning.severity) == (
        2,
        "状态",
        status,
        "warning",
    )
    assert warning.message == "a rejected request declares nothing; the row was skipped"


def test_pending_status_on_a_window_row_is_read_as_declared(tmp_path, sample_cfg):
    """Only leave waits for approval: a pending 不可用 row stays unavailable, with a warning."""
    path = _csv(tmp_path, "工号,日期,类型,审批状态\nS03,2026-12-01,不可用,待审批\n")
    got, warnings = load_availability(path, sample_cfg, WEEK)
    assert [e.kind for e in got.entries] == [AvailabilityKind.UNAVAILABLE]
    (warning,) = warnings
    assert (warning.location, warning.column, warning.value) == (2, "审批状态", "待审批")
    assert warning.message == "only leave waits for approval; this row is read as declared"


def test_a_number_of_days_extends_a_leave_row(tmp_path, sample_cfg):
    """请假日期 2026-12-01 with 天数 3 is annual leave from 1 to 3 December, not one day."""
    path = _csv(tmp_path, "工号,姓名,请假日期,假期类型,天数\nS03,张伟,2026-12-01,年假,3\n")
    got, warnings = load_availability(path, sample_cfg, WEEK)
    assert [(lv.kind, lv.start_date, lv.end_date, lv.approved) for lv in got.leave] == [
        (LeaveKind.ANNUAL, dt.date(2026, 12, 1), dt.date(2026, 12, 3), True)
    ]
    assert (got.entries, warnings) == ([], [])


def test_days_that_are_no_whole_number_or_contradict_the_end_date(tmp_path, sample_cfg):
    """Half a day in 天数, or 天数 and 结束日期 that disagree, are refused at the 天数 cell."""
    path = _csv(
        tmp_path,
        "工号,日期,结束日期,类型,天数\nS03,2026-12-01,,年假,1.5\nS04,2026-12-01,2026-12-02,年假,3\n",
    )
    half, disagree = _refused(path, sample_cfg)
    assert (half.location, half.column, half.value) == (2, "天数", "1.5")
    assert half.message == "the number of days is not a whole number from 1 to 366"
    assert (disagree.location, disagree.column, disagree.value, disagree.allowed) == (
        3,
        "天数",
        "3",
        "2, or leave one of the two empty",
    )
    assert disagree.message == (
        "天数 and 结束日期 disagree: 3 day(s) from 2026-12-01 end on 2026-12-03, not 2026-12-02"
    )


def test_without_a_type_column_every_row_is_unavailable_and_a_warning_says_so(tmp_path, sample_cfg):
    """A list of days off without 类型 reads as unavailable, with one warning for the file."""
    path = _csv(tmp_path, "工号,日期\nS03,2026-12-01\nS03,2026-12-02\n")
    got, warnings = load_availability(path, sample_cfg, WEEK)
    assert [e.kind for e in got.entries] == [AvailabilityKind.UNAVAILABLE] * 2
    (warning,) = warnings
    assert (warning.file, warning.location, warning.severity) == (str(path), 1, "warning")
    assert warning.message == "no 类型 (type) column: every row is read as unavailable"
    assert warning.allowed.startswith("a 类型/type column: 不可用/unavailable, 可用/available")


def test_a_roster_export_is_refused_as_such(tmp_path, sample_cfg):
    """A roster (activity, post, no type) is not 335 'unavailable' rows but a refusal."""
    path = _csv(
        tmp_path,
        "staff_id,name,date,start,end,activity,post\n"
        "S01,王建国,2026-11-30,09:00,11:00,post,ops_supervisor\n",
    )
    (issue,) = _refused(path, sample_cfg)
    assert (issue.file, issue.location) == (str(path), 1)
    assert issue.message == (
        "this looks like a roster (an export of assignments), not an availability file: "
        "it has activity, post and no 类型 (type) column"
    )
    assert issue.allowed == (
        "a roster is not read back as availability; an availability file has columns "
        "工号, 日期, 开始, 结束, 类型"
    )


def test_a_pins_file_is_refused_as_such(tmp_path, sample_cfg):
    """工号, 日期, 休息, 岗位 is a pins file: refused, saying to give it with --pins."""
    path = _csv(tmp_path, "工号,日期,休息,岗位\nS03,2026-12-01,是,\n")
    (issue,) = _refused(path, sample_cfg)
    assert issue.message == (
        "this looks like a pins file (fixed assignments), not an availability file: "
        "it has 休息, 岗位 and no 类型 (type) column"
    )
    assert issue.allowed.startswith("give it to branch-roster schedule with --pins")


@pytest.mark.parametrize(
    ("header", "row", "message", "column", "value"),
    [
        (
            "工号,姓名,日期,开始,结束,类型,开始时间",
            "S03,张伟,2026-12-01,09:00,12:00,不可用,14:00",
            "column given twice (D and G): both mean start",
            "开始",
            "D '开始', G '开始时间'",
        ),
        (
            "工号,姓名,日期,类型,staff_id",
            "S03,张伟,2026-12-01,不可用,S04",
            "column given twice (A and E): both mean staff_id",
            "工号",
            "A '工号', E 'staff_id'",
        ),
    ],
)
def test_two_columns_meaning_one_field_are_refused(
    tmp_path, sample_cfg, header, row, message, column, value
):
    """开始 and 开始时间 (or 工号 and staff_id): which one is meant is unknown, so refused."""
    path = _csv(tmp_path, f"{header}\n{row}\n")
    (issue,) = _refused(path, sample_cfg)
    assert (issue.file, issue.location, issue.column, issue.value) == (str(path), 1, column, value)
    assert (issue.message, issue.allowed) == (
        message,
        "keep one of them: delete or rename the other",
    )


def test_a_column_given_twice_in_a_hidden_excel_column_is_refused(tmp_path, sample_cfg):
    """类型 in hidden column C and again in G: refused, and the hidden one is pointed out."""
    book = Workbook()
    sheet = book.active
    sheet.append(["工号", "姓名", "类型", "开始", "结束", "日期", "类型"])
    sheet.append(["S03", "张伟", "年假", None, None, "2026-12-01", "不可用"])
    sheet.column_dimensions["C"].hidden = True
    path = tmp_path / "a.xlsx"
    book.save(path)
    (issue,) = _refused(path, sample_cfg)
    assert (issue.file, issue.location, issue.column) == (str(path), 1, "类型")
    assert issue.message == "column given twice (C and G): both mean type"
    assert issue.allowed == (
        "keep one of them: delete or rename the other "
        "(column C is hidden: unhide it in Excel or WPS)"
    )


def test_a_merged_header_over_two_columns_is_one_column(tmp_path, sample_cfg):
    """备注 merged across two cells is one column, not a column given twice."""
    book = Workbook()
    sheet = book.active
    sheet.append(["工号", "日期", "类型", "备注", None])
    sheet.append(["S03", "2026-12-01", "不可用", "家中有事", None])
    sheet.merge_cells("D1:E1")
    path = tmp_path / "a.xlsx"
    book.save(path)
    got, warnings = load_availability(path, sample_cfg, WEEK)
    assert [e.note for e in got.entries] == ["家中有事"]
    assert warnings == []
