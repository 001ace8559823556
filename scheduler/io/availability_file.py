"""Availability and leave files (可用时段申报) as staff send them, and a writer for them.

One row per person, date and declaration. Columns (Chinese or English headers):

======== ========== =========================================================================
中文      English     meaning
======== ========== =========================================================================
工号      staff_id    staff number (required)
姓名      name        name; checked against the staff number when a configuration is given
日期      date        date (2026-12-01, 2026/12/1, 2026年12月1日, 12月1日, or a date cell)
结束日期   end_date    last day of a leave row covering several days (optional)
开始      start       start of the window (empty with 结束 empty = the whole day)
结束      end         end of the window
类型      type        不可用/unavailable, 可用/available, 希望上班/preferred, 不希望/undesired,
                     or a leave kind: 年假/annual, 病假/sick, 培训/training,
                     强制休假/mandatory, 其他假/other
权重      weight      strength of a preference, 1-10 (default 1)
批准      approved    leave only: 是/否, yes/no (default yes)
备注      note        free text
======== ========== =========================================================================
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from scheduler.domain import (
    Availability,
    AvailabilityKind,
    BranchConfig,
    LeaveKind,
    format_clock,
)
from scheduler.io.atomic import atomic_path
from scheduler.io.tables import ColumnSpec

AVAILABILITY_COLUMNS = (
    ColumnSpec("staff_id", ("工号", "员工号", "员工编号", "人员编号", "编号", "id", "staff")),
    ColumnSpec("name", ("姓名", "员工姓名", "名字"), required=False),
    ColumnSpec("date", ("日期", "开始日期", "day", "start_date")),
    ColumnSpec("end_date", ("结束日期", "截止日期", "至", "to_date", "until"), required=False),
    ColumnSpec(
        "start", ("开始", "开始时间", "起始时间", "从", "start_time", "from"), required=False
    ),
    ColumnSpec("end", ("结束", "结束时间", "截止时间", "到", "end_time", "to"), required=False),
    ColumnSpec("type", ("类型", "申报类型", "类别", "事项", "kind"), required=False),
    ColumnSpec("weight", ("权重", "强度", "优先级", "priority"), required=False),
    ColumnSpec("approved", ("批准", "已批准", "审批", "是否批准"), required=False),
    ColumnSpec("note", ("备注", "说明", "原因", "notes", "comment", "remark"), required=False),
)
"""Columns of an availability file and the header names accepted for them."""

HEADERS = {
    "zh": ("工号", "姓名", "日期", "结束日期", "开始", "结束", "类型", "权重", "批准", "备注"),
    "en": (
        "staff_id",
        "name",
        "date",
        "end_date",
        "start",
        "end",
        "type",
        "weight",
        "approved",
        "note",
    ),
}
"""Headers written by :func:`write_availability`, per language."""

KIND_WORDS: dict[AvailabilityKind | LeaveKind, tuple[str, ...]] = {
    AvailabilityKind.UNAVAILABLE: ("不可用", "不能上班", "无法上班", "没空", "不可", "busy"),
    AvailabilityKind.AVAILABLE: ("可用", "可上班", "可以上班", "有空", "仅可用", "available_only"),
    AvailabilityKind.PREFERRED: ("希望上班", "想上班", "愿意上班", "偏好", "希望", "prefer"),
    AvailabilityKind.UNDESIRED: ("不希望", "不希望上班", "不想上班", "尽量不排", "avoid"),
    LeaveKind.ANNUAL: ("年假", "年休假", "带薪年假", "annual_leave", "vacation", "holiday"),
    LeaveKind.SICK: ("病假", "sick_leave"),
    LeaveKind.TRAINING: ("培训", "学习", "training_leave"),
    LeaveKind.MANDATORY: ("强制休假", "强休", "mandatory_leave"),
    LeaveKind.OTHER: ("其他假", "事假", "其它假", "婚假", "产假", "丧假", "调休", "other_leave"),
}
"""Words accepted in the type column; the enum value itself is always accepted too."""

KIND_ZH: dict[AvailabilityKind | LeaveKind, str] = {k: words[0] for k, words in KIND_WORDS.items()}
"""The word written for each kind in Chinese files."""

YES = ("是", "y", "yes", "true", "1", "已批准", "批准", "同意", "√", "✓")
NO = ("否", "n", "no", "false", "0", "未批准", "待批", "待审批", "不同意", "×")


def _rows(availability: Availability, config: BranchConfig | None, lang: str) -> list[list[Any]]:
    names = {s.id: s.name for s in config.staff} if config else {}

    def kind_word(kind: AvailabilityKind | LeaveKind) -> str:
        return KIND_ZH[kind] if lang == "zh" else kind.value

    yes, no = ("是", "否") if lang == "zh" else ("yes", "no")
    rows: list[list[Any]] = []
    for e in availability.entries:
        rows.append(
            [
                e.staff_id,
                names.get(e.staff_id, ""),
                e.date,
                None,
                e.start,
                e.end,
                kind_word(e.kind),
                e.weight,
                None,
                e.note,
            ]
        )
    for lv in availability.leave:
        rows.append(
            [
                lv.staff_id,
                names.get(lv.staff_id, ""),
                lv.start_date,
                lv.end_date,
                None,
                None,
                kind_word(lv.kind),
                None,
                yes if lv.approved else no,
                lv.note,
            ]
        )
    return rows


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.time):
        return format_clock(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def write_availability(
    availability: Availability,
    path: str | Path,
    *,
    config: BranchConfig | None = None,
    lang: str = "zh",
    encoding: str = "utf-8-sig",
    title: str | None = None,
    stamp: dt.datetime | None = None,
) -> Path:
    """Write availability and leave as a CSV or XLSX file that :func:`read_availability` reads.

    Entries come first, then leave (one row per request, with its end date), each in order.

    Args:
        availability: What to write.
        path: ``.csv`` or ``.xlsx`` file; written atomically.
        config: Used to fill in names.
        lang: ``zh`` for Chinese headers and type words, ``en`` for English.
        encoding: Text encoding of a CSV (``utf-8-sig`` opens cleanly in Excel; ``gbk`` too).
        title: XLSX only: a title row merged above the header, as forms often have.
        stamp: XLSX only: record this time as created/modified and in the archive, so the
            same content always gives the same bytes (the save time when omitted).

    Returns:
        The path written.

    Raises:
        ValueError: For an unknown language or file suffix.
    """
    if lang not in HEADERS:
        raise ValueError(f"lang must be one of {', '.join(HEADERS)}, not {lang!r}")
    path = Path(path)
    rows = _rows(availability, config, lang)
    headers = list(HEADERS[lang])
    suffix = path.suffix.lower()
    if suffix == ".csv":
        import csv
        import io

        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(headers)
        writer.writerows([[_text(v) for v in row] for row in rows])
        data = buffer.getvalue().encode(encoding)
        with atomic_path(path) as tmp:
            tmp.write_bytes(data)
        return path
    if suffix == ".xlsx":
        with atomic_path(path) as tmp:
            _write_xlsx(tmp, headers, rows, title)
            if stamp is not None:
                freeze_xlsx(tmp, stamp)
        return path
    raise ValueError(f"write availability as .csv or .xlsx, not {suffix!r}")


def _write_xlsx(
    path: Path, headers: Sequence[str], rows: list[list[Any]], title: str | None
) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "申报" if headers[0] == "工号" else "availability"
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
        sheet.cell(1, 1).font = Font(bold=True, size=14)
        sheet.cell(1, 1).alignment = Alignment(horizontal="center")
    sheet.append(list(headers))
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, dt.time):
                value = format_clock(value) if value == dt.time.max else value
            cells.append(value)
        sheet.append(cells)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, dt.time):
                cell.number_format = "hh:mm"
    for letter, width in zip("ABCDEFGHIJ", (8, 10, 12, 12, 8, 8, 10, 6, 6, 24), strict=True):
        sheet.column_dimensions[letter].width = width
    book.save(path)


def freeze_xlsx(path: Path, stamp: dt.datetime) -> None:
    """Rewrite a workbook so its bytes depend only on its content and ``stamp``."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as archive:
        members = [(info.filename, archive.read(info)) for info in archive.infolist()]
    when = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            if name == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", when, data)
            info = zipfile.ZipInfo(name, date_time=stamp.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
