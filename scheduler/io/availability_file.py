"""Availability and leave files (可用时段申报) as staff send them, and a writer for them.

One row per person, date and declaration. Columns (Chinese or English headers):

======== ========== =========================================================================
中文      English     meaning
======== ========== =========================================================================
工号      staff_id    staff number; may be left out when a configuration is given and the
                     name (姓名) or the file name (``S14_朱琳.csv``) tells the person
姓名      name        name; checked against the staff number when a configuration is given
日期      date        date (2026-12-01, 2026/12/1, 2026年12月1日, 12月1日, or a date cell)
结束日期   end_date    last day of a leave row covering several days (optional)
天数      days        number of days from the date, weekends included (optional)
开始      start       start of the window (empty with 结束 empty = the whole day); 上班时间
结束      end         end of the window; 下班时间
时间      time        the window in one cell (14:00-17:00, 下午2点-5点), instead of 开始/结束
类型      type        不可用/unavailable, 可用/available, 希望上班/preferred, 不希望/undesired,
                     or a leave kind: 年假/annual, 病假/sick, 培训/training,
                     强制休假/mandatory, 其他假/other
权重      weight      strength of a preference, 1-10 (default 1)
批准      approved    leave only (also 审批状态/状态): 是/已批准/通过 (the default); 否/待审批/
                     审批中/未批 asked for, a wish; 已驳回/驳回 rejected, the row is skipped
备注      note        free text
班次      shift       on a wish without times: the shift wished for (id or name)
======== ========== =========================================================================

Any other column is named in a warning (its cells are not read); two columns meaning one
field are refused. A file without a type column reads every row as unavailable (a warning
says so), unless it is a roster export or a pins file, which is refused.

A blank type means unavailable. A window row with an end date applies to every day of the
range; a leave row with times is read as unavailable for that window (leave is whole days).
Full-width digits and colons (``９：００``), merged cells, title rows above the header and
trailing empty rows are accepted; CSV may be UTF-8 (with or without BOM), GBK or UTF-16.
"""

from __future__ import annotations

import datetime as dt
import functools
import heapq
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from scheduler.calendar import Horizon
from scheduler.domain import (
    Availability,
    AvailabilityEntry,
    AvailabilityKind,
    BranchConfig,
    LeaveKind,
    LeaveRequest,
    format_clock,
    minutes_of,
    parse_clock,
)
from scheduler.domain.common import normalise_text
from scheduler.errors import InputError, Issue
from scheduler.io.atomic import atomic_path
from scheduler.io.tables import (
    ROW,
    TABLE_SUFFIXES,
    TOTAL_WORDS,
    ColumnSpec,
    IssueLimiter,
    LocatedRows,
    Table,
    WeekdayMismatch,
    cell_text,
    expand_folders,
    header_key,
    header_pairs,
    is_blank,
    parse_count,
    parse_date,
    read_table,
    sniff_headers,
    suffix_of,
)

T = TypeVar("T")

MAX_SPAN_DAYS = 366
"""Most days one row may cover (a date and its end date, or 天数): a longer span is a year
typed wrong far more often than a real absence."""

AVAILABILITY_COLUMNS = (
    ColumnSpec(
        "staff_id",
        (
            "工号",
            "员工号",
            "员工编号",
            "人员编号",
            "编号",
            "id",
            "staff",
            "工號",
            "員工編號",
            "职工号",
            "柜员号",
            "员工代码",
            "staff_no",
            "staff_number",
            "employee_id",
            "employee_no",
            "emp_id",
        ),
        required=False,
    ),
    ColumnSpec(
        "name",
        ("姓名", "员工姓名", "名字", "員工姓名", "staff_name", "employee_name"),
        required=False,
    ),
    ColumnSpec(
        "date",
        (
            "日期",
            "开始日期",
            "day",
            "start_date",
            "開始日期",
            "起止日期",
            "请假日期",
            "休假日期",
            "请假开始日期",
            "休假开始日期",
        ),
    ),
    ColumnSpec(
        "end_date",
        (
            "结束日期",
            "截止日期",
            "至",
            "to_date",
            "until",
            "結束日期",
            "请假结束日期",
            "休假结束日期",
        ),
        required=False,
    ),
    ColumnSpec(
        "days",
        ("天数", "请假天数", "休假天数", "天數", "days", "number_of_days", "duration_days"),
        required=False,
    ),
    ColumnSpec(
        "time",
        ("时间", "时段", "时间段", "起止时间", "時間", "時段", "時間段", "time", "time_range"),
        required=False,
    ),
    ColumnSpec(
        "start",
        (
            "开始",
            "开始时间",
            "起始时间",
            "从",
            "上班时间",
            "上班",
            "start_time",
            "from",
            "開始",
            "開始時間",
            "上班時間",
        ),
        required=False,
    ),
    ColumnSpec(
        "end",
        (
            "结束",
            "结束时间",
            "截止时间",
            "到",
            "下班时间",
            "下班",
            "end_time",
            "to",
            "結束",
            "結束時間",
            "下班時間",
        ),
        required=False,
    ),
    ColumnSpec(
        "type",
        (
            "类型",
            "申报类型",
            "类别",
            "事项",
            "kind",
            "類型",
            "请假类型",
            "假别",
            "休假类型",
            "假期类型",
            "假期种类",
            "请假类别",
            "leave_type",
        ),
        required=False,
    ),
    ColumnSpec("weight", ("权重", "强度", "优先级", "priority", "權重"), required=False),
    ColumnSpec(
        "approved",
        (
            "批准",
            "已批准",
            "审批",
            "是否批准",
            "審批",
            "审批状态",
            "审批结果",
            "状态",
            "審批狀態",
            "狀態",
            "status",
            "approval",
            "approval_status",
        ),
        required=False,
    ),
    ColumnSpec(
        "note",
        (
            "备注",
            "说明",
            "原因",
            "事由",
            "请假事由",
            "请假原因",
            "不可用原因",
            "notes",
            "comment",
            "remark",
            "reason",
            "備註",
            "說明",
        ),
        required=False,
    ),
    ColumnSpec("shift", ("班次", "班别", "shift_id", "班別"), required=False),
    ColumnSpec("seq", ("序号", "序號", "行号", "no", "#"), required=False),
)
"""Columns of an availability file and the header names accepted for them."""

HEADERS = {
    "zh": (
        "工号",
        "姓名",
        "日期",
        "结束日期",
        "开始",
        "结束",
        "类型",
        "权重",
        "批准",
        "备注",
        "班次",
    ),
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
        "shift",
    ),
}
"""Headers written by :func:`write_availability`, per language."""

KIND_WORDS: dict[AvailabilityKind | LeaveKind, tuple[str, ...]] = {
    AvailabilityKind.UNAVAILABLE: (
        "不可用",
        "不能上班",
        "无法上班",
        "没空",
        "不可",
        "休息",
        "不上班",
        "busy",
        "day_off",
        "off",
        "rest",
        "not_available",
    ),
    AvailabilityKind.AVAILABLE: ("可用", "可上班", "可以上班", "有空", "仅可用", "available_only"),
    AvailabilityKind.PREFERRED: ("希望上班", "想上班", "愿意上班", "偏好", "希望", "prefer"),
    AvailabilityKind.UNDESIRED: ("不希望", "不希望上班", "不想上班", "尽量不排", "avoid"),
    LeaveKind.ANNUAL: ("年假", "年休假", "带薪年假", "休假", "annual_leave", "vacation", "holiday"),
    LeaveKind.SICK: ("病假", "sick_leave"),
    LeaveKind.TRAINING: ("培训", "学习", "training_leave", "培訓"),
    LeaveKind.MANDATORY: ("强制休假", "强休", "mandatory_leave", "強制休假"),
    LeaveKind.OTHER: (
        "其他假",
        "事假",
        "其它假",
        "婚假",
        "产假",
        "丧假",
        "调休",
        "请假",
        "other_leave",
        "leave",
        "personal_leave",
    ),
}
"""Words accepted in the type column; the enum value itself is always accepted too."""

KIND_ZH: dict[AvailabilityKind | LeaveKind, str] = {k: words[0] for k, words in KIND_WORDS.items()}
"""The word written for each kind in Chinese files."""

YES = frozenset(
    (
        "是",
        "y",
        "yes",
        "true",
        "1",
        "已批准",
        "批准",
        "已批",
        "通过",
        "已通过",
        "审批通过",
        "同意",
        "已同意",
        "approved",
        "ok",
        "√",
        "✓",
        "✔",
    )
)
"""Approval words: the leave is granted."""
NO = frozenset(
    (
        "否",
        "n",
        "no",
        "false",
        "0",
        "未批准",
        "未批",
        "待批",
        "待审批",
        "审批中",
        "待审核",
        "审核中",
        "未审批",
        "申请中",
        "已申请",
        "已提交",
        "不同意",
        "pending",
        "submitted",
        "×",
    )
)
"""Approval words: the leave is asked for, not (yet) granted; a wish, not a hard rule."""
REJECTED = frozenset(
    (
        "驳回",
        "已驳回",
        "被驳回",
        "拒绝",
        "已拒绝",
        "不批准",
        "未通过",
        "不通过",
        "退回",
        "已退回",
        "rejected",
        "denied",
        "declined",
    )
)
"""Approval words: the request was turned down, so the row declares nothing."""


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
                e.shift,
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
                None,
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
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text such as "=2 people" stays text, never a formula
            elif isinstance(cell.value, dt.date):
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


@functools.lru_cache(maxsize=4096)
def _fold(text: str) -> str:
    """A word folded for matching: width, case, spaces, underscores and hyphens ignored."""
    return re.sub(r"[\s_\-]+", "", normalise_text(text).lower())


_KINDS: dict[str, AvailabilityKind | LeaveKind] = {}
for _kind, _words in KIND_WORDS.items():
    for _word in (_kind.value, *_words):
        _KINDS.setdefault(_fold(_word), _kind)
_ALLOWED_KINDS = ", ".join(f"{KIND_ZH[k]}/{k.value}" for k in KIND_WORDS)


_RANGE_SEP = re.compile(r"\s*(?:~|至|到|—|–|-)\s*")
_HALF_DAY = re.compile(
    r"^(上午|早上|中午|下午|晚上|am|pm)?\s*(.+?)\s*(am|pm|a\.m\.|p\.m\.)?$", re.I
)
_WEEKDAY_WORDS = {
    **{f"{p}{d}": i for p in ("周", "星期", "礼拜") for i, d in enumerate("一二三四五六日")},
    **{f"{p}天": 6 for p in ("星期", "礼拜")},
    **{n: i for i, n in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))},
    **{
        n: i
        for i, n in enumerate(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        )
    },
}
_DAY_MONTH = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")


def parse_time_words(value: Any) -> dt.time:
    """Parse a time of day, also in the words people type on forms.

    Beyond what :func:`scheduler.domain.parse_clock` reads (``09:00``, ``９：００``, time cells,
    day fractions, ``24:00``), accepts ``9点``, ``9点半``, ``12点30分``, ``14时``,
    ``上午9:00`` / ``下午2点`` (``中午``, ``晚上``), ``9:00 AM`` / ``2:00 PM`` and a day
    fraction saved to CSV as text with at least three decimals (``0.375`` is 09:00).

    A number below 1 is a day fraction when it comes from a numeric cell; typed as text with
    one or two decimals (``0.25``) it could as well be hours.minutes (00:25), so it is
    refused (:class:`AmbiguousTime`).

    Raises:
        ValueError: If the value is not a time of day.
    """
    if isinstance(value, str):
        short = re.fullmatch(r"0?\.(\d{1,2})", normalise_text(value).strip())
        if short is not None:
            minutes = round(float("0." + short.group(1)) * 24 * 60)
            raise AmbiguousTime(
                f"a decimal below 1 typed as text is ambiguous: {value.strip()} is "
                f"{minutes // 60:02d}:{minutes % 60:02d} as a fraction of a day, "
                f"00:{short.group(1).ljust(2, '0')} as hours.minutes"
            )
    if isinstance(value, dt.timedelta) and dt.timedelta(0) <= value <= dt.timedelta(days=1):
        value = value.total_seconds() / 86400  # a duration cell ([h]:mm), 24:00 included
    if isinstance(value, dt.datetime) and value.date() <= dt.date(1900, 1, 1):
        if value == dt.datetime(1900, 1, 1):  # Excel's 24:00 (serial 1) in a time cell
            return dt.time.max
        value = value.time()
    if isinstance(value, float) and 1 - 1 / 2880 < value <= 1:
        return dt.time.max
    if isinstance(value, dt.time) and (value.second or value.microsecond):
        value = _nearest_minute(value)
    try:
        return parse_clock(value)
    except ValueError:
        if not isinstance(value, str):
            raise
    text = normalise_text(value).replace("：", ":").lower()
    if re.fullmatch(r"0?\.\d{3,}", text):
        return parse_clock(float(text))
    match = _HALF_DAY.match(text)
    if match is None:
        raise ValueError(f"not a time of day: {value!r}")
    before, body, after = match.groups()
    body = re.sub(r"[点點]半$", ":30", body)
    body = re.sub(r"(?:点|點|时|時)(?:钟|整)?", ":", body).removesuffix("分").rstrip(":")
    clock = parse_clock(body)
    half = (before or after or "").lower().replace(".", "")
    if half in ("下午", "晚上", "pm", "中午") and clock.hour < 12 and clock != dt.time.max:
        if half == "中午" and clock.hour > 3:
            raise ValueError(f"not a time of day: {value!r}")
        return clock.replace(hour=clock.hour + 12)
    if half in ("am", "上午", "早上") and clock.hour == 12:
        return clock.replace(hour=0)
    if half in ("am", "上午", "早上") and clock.hour > 12:
        raise ValueError(f"a morning time after noon: {value!r}")
    return clock


def _nearest_minute(value: dt.time) -> dt.time:
    """A time cell off a whole minute by float rounding (23:59:59.914) put back on it."""
    if value == dt.time.max:
        return value
    seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
    if abs(seconds - round(seconds / 60) * 60) > 1:
        return value  # really has seconds; parse_clock decides
    minutes = round(seconds / 60)
    return dt.time.max if minutes == 24 * 60 else dt.time(minutes // 60, minutes % 60)


class AmbiguousTime(ValueError):
    """A time that reads two ways (``0.25``: 06:00 as a day fraction, or 00:25)."""


def _half_of_day(text: str) -> tuple[str, str]:
    """The half-day word before and after a time (``下午2点``: ``("下午", "")``)."""
    match = _HALF_DAY.match(normalise_text(text).replace("：", ":").lower().strip())
    if match is None:
        return "", ""
    return match.group(1) or "", match.group(3) or ""


def parse_time_range(value: Any) -> tuple[dt.time, dt.time] | None:
    """The two ends of a time range typed in one cell, or ``None`` when it is no range.

    Reads what :func:`parse_time_words` reads on both sides of ``-`` ``~`` ``至`` ``到``
    (``09:00-12:00``, ``9点-12点半``, ``2:00 PM - 5:00 PM``). A half-day word written once
    applies to both ends when the end would otherwise not be after the start: ``下午2点-5点``
    is 14:00-17:00 (while ``上午9点-12点`` stays 09:00-12:00).
    """

    def parse(text: str) -> tuple[str, dt.time]:
        return text, parse_time_words(text)

    ends = split_range(value, parse)
    if ends is None:
        return None
    (left, start), (right, end) = ends
    if minutes_of(end) <= minutes_of(start) and _half_of_day(right) == ("", ""):
        before, after = _half_of_day(left)
        try:
            later = parse_time_words(f"{before}{right}{' ' + after if after else ''}")
        except ValueError:
            later = end
        if minutes_of(later) > minutes_of(start):
            end = later
    return start, end


def split_range(value: Any, parse: Callable[[str], T]) -> tuple[T, T] | None:
    """The two ends of a range typed in one cell (``09:00-12:00``, ``2026-12-01~2026-12-03``).

    Every ``-``, ``~``, ``至`` or ``到`` is tried as the divider; the first that leaves two
    values ``parse`` reads wins. ``None`` when no divider does.
    """
    if not isinstance(value, str):
        return None
    text = normalise_text(value)
    for match in _RANGE_SEP.finditer(text):
        left, right = text[: match.start()], text[match.end() :]
        if not left or not right:
            continue
        try:
            return parse(left), parse(right)
        except ValueError:
            continue
    return None


class AmbiguousDate(ValueError):
    """A date that two readings make valid, or whose century is not written."""


_DAY_ONLY = re.compile(r"^(\d{1,2})\s*[日号號]?$")
_SHORT_NUMERIC = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})$")


def read_date(value: Any, horizon: Horizon | None = None) -> dt.date:
    """A date as people type it on availability and pins files.

    Any form :func:`scheduler.io.tables.parse_date` reads, a day/month/year order that only
    one reading makes valid (``25/12/2026``) and, with a horizon, dates without a year
    (``12月1日``, in the horizon's year) and a weekday alone (``周三``) when the horizon has
    one such day.

    Raises:
        ValueError: If the value is no date; :class:`AmbiguousDate` when it reads two ways
            (``12/01/2026``; ``1/12`` when 12 January is outside the horizon and 1 December
            inside it), has a two-digit year, or names a weekday the horizon has twice.
    """
    years = [None] if horizon is None else sorted({horizon.start.year, horizon.end.year})
    found: dt.date | None = None
    for year in years:
        try:
            found = parse_date(value, year)
        except WeekdayMismatch:
            raise
        except ValueError:
            continue
        if horizon is None or found in horizon:
            return found
    text = cell_text(value).lower()
    if found is not None:
        swapped = _day_first(text, horizon)
        if swapped is not None:
            raise AmbiguousDate(
                f"day/month order is ambiguous: {text} reads as {found.isoformat()} "
                f"(month/day) or {swapped.isoformat()} (day/month)"
            )
        return found
    if re.fullmatch(r"\d{2}[/.\-]\d{1,2}[/.\-]\d{1,2}", text):
        raise AmbiguousDate("a two-digit year is ambiguous")
    match = _DAY_MONTH.match(text)
    if match is not None:
        a, b, y = (int(g) for g in match.groups())
        if len(match.group(3)) == 2:
            raise AmbiguousDate("a two-digit year is ambiguous")
        readings = set()
        for day, month in ((a, b), (b, a)):
            try:
                readings.add(dt.date(y, month, day))
            except ValueError:
                continue
        if len(readings) == 1:
            return readings.pop()
        if len(readings) > 1:
            raise AmbiguousDate("day and month order is ambiguous")
    weekday = _WEEKDAY_WORDS.get(text)
    if weekday is not None and horizon is not None:
        days = [d for d in horizon.dates if d.weekday() == weekday]
        if len(days) == 1:
            return days[0]
        raise AmbiguousDate(f"a weekday alone names {len(days)} dates in the planned period")
    raise ValueError(f"not a date: {value!r}")


def _day_first(text: str, horizon: Horizon | None) -> dt.date | None:
    """``1/12`` read day first (1 December) when that date lies in the horizon."""
    match = _SHORT_NUMERIC.match(text)
    if match is None or horizon is None:
        return None
    day, month = int(match.group(1)), int(match.group(2))
    for year in sorted({horizon.start.year, horizon.end.year}):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            return None
        if candidate in horizon:
            return candidate
    return None


def read_date_range(value: Any, horizon: Horizon | None = None) -> tuple[dt.date, dt.date] | None:
    """The first and last day of a range typed in one cell, or ``None`` when it is none.

    ``2026-12-01~2026-12-03``, ``12月1日至12月3日`` and, with the month written once,
    ``12月1日-3日`` or ``12/1-3`` (a day before the first one is in the next month).
    """
    ends = split_range(value, lambda part: read_date(part, horizon))
    if ends is not None or not isinstance(value, str):
        return ends
    text = normalise_text(value)
    for match in _RANGE_SEP.finditer(text):
        day = _DAY_ONLY.match(text[match.end() :].strip())
        if day is None:
            continue
        try:
            first = read_date(text[: match.start()], horizon)
        except ValueError:
            continue
        month = first.replace(day=1)
        if int(day.group(1)) < first.day:
            month = (month + dt.timedelta(days=32)).replace(day=1)
        try:
            return first, dt.date(month.year, month.month, int(day.group(1)))
        except ValueError:
            return None
    return None


def _named(text: str, choices: dict[str, str]) -> str | None:
    """The id ``text`` names in ``choices`` (folded names and ids to ids), if exactly one."""
    return choices.get(_fold(text))


def post_id(config: BranchConfig, value: Any) -> str | None:
    """The post a cell names: its id, Chinese or English name (``高柜柜员``); ``None`` if none."""
    choices: dict[str, str] = {}
    for post in config.posts:
        for word in (post.name_zh, post.name_en, post.id):
            choices[_fold(word)] = post.id
    return _named(cell_text(value), choices)


def shift_id(config: BranchConfig, value: Any) -> str | None:
    """The shift template a cell names: its id or its name (``全天班``); ``None`` if none."""
    choices: dict[str, str] = {}
    for shift in config.shifts:
        for word in (shift.name, shift.id):
            choices[_fold(word)] = shift.id
    return _named(cell_text(value), choices)


def described(items: Sequence[tuple[str, str]]) -> str:
    """``id (name), ...`` for messages listing what is allowed."""
    return ", ".join(f"{i} ({name})" if name and name != i else i for i, name in items)


def staff_like(config: BranchConfig, written: str) -> tuple[Any, bool]:
    """The one configured person a staff number means, and whether leading zeros were lost.

    ``s03`` means ``S03`` (case), and ``12`` means ``012`` when Excel dropped the leading
    zeros of a number. ``(None, False)`` when no single person fits.
    """
    staff = {s.id: s for s in config.staff}
    if written in staff:
        return staff[written], False
    same_case = [p for i, p in staff.items() if i.casefold() == written.casefold()]
    if len(same_case) == 1:
        return same_case[0], False
    if written.isdigit():
        padded = [p for i, p in staff.items() if i.isdigit() and int(i) == int(written)]
        if len(padded) == 1:
            return padded[0], True
    return None, False


WHOLE_DAY_WORDS = frozenset(("全天", "全日", "整天", "一整天", "allday", "wholeday", "fullday"))
"""Words in a 时间 cell that mean the whole day (as an empty cell does)."""

_ZH_HEADERS = {
    **dict(zip(HEADERS["en"], HEADERS["zh"], strict=True)),
    "days": "天数",
    "time": "时间",
}
"""The header each column has in a Chinese file, for messages about a column it lacks."""

_ALLOWED_APPROVAL = (
    "是/已批准/通过 (approved), 否/待审批/审批中/未批 (asked for, not yet approved), "
    "已驳回/驳回 (rejected)"
)


@dataclass
class _Row:
    """One parsed data row, with where it came from."""

    file: str
    row: int
    staff_id: str
    first: dt.date
    last: dt.date | None
    start: dt.time | None
    end: dt.time | None
    kind: AvailabilityKind | LeaveKind
    weight: int
    approved: bool
    note: str
    shift: str | None = None

    def key(self) -> tuple[Any, ...]:
        """What makes two rows the same declaration (the note is not compared)."""
        return (
            self.staff_id,
            self.first,
            self.last,
            self.start,
            self.end,
            self.kind,
            self.weight,
            self.approved,
            self.shift,
        )

    @property
    def window(self) -> tuple[int, int]:
        """The window in minutes since midnight (the whole day when no times are given)."""
        if self.start is None or self.end is None:
            return (0, 24 * 60)
        return (minutes_of(self.start), minutes_of(self.end))


def read_clock_cell(
    rows: LocatedRows,
    row: int,
    column: str,
    value: Any,
    parse: Callable[[Any], dt.time] = parse_time_words,
) -> dt.time | None:
    """A time-of-day cell as availability files write it (``9点``, ``２：００ PM``, 0.375).

    ``None`` for a blank cell; an unreadable or ambiguous one is recorded in ``rows`` at its
    row and column (canonical name), also ``None``.
    """
    if is_blank(value):
        return None
    try:
        return parse(value)
    except AmbiguousTime as exc:
        rows.issue(
            row,
            column,
            str(exc),
            value=cell_text(value),
            allowed="a time written HH:MM, e.g. 06:00 or 00:25",
        )
    except ValueError:
        rows.issue(
            row,
            column,
            f"cannot read the {column} time",
            value=cell_text(value),
            allowed="a time such as 09:00, 9:30, 9点半 or 2:00 PM",
        )
    return None


class _RowReader(LocatedRows):
    """Parses and checks the rows of one table, collecting located issues."""

    def __init__(
        self,
        table: Table,
        config: BranchConfig | None,
        horizon: Horizon | None,
        limiter: IssueLimiter,
    ):
        super().__init__(table, limiter, _ZH_HEADERS)
        self.config = config
        self.staff = {s.id: s for s in config.staff} if config else None
        self.horizon = horizon
        self._dates: dict[tuple[type, Any], dt.date | ValueError] = {}
        self._clocks: dict[tuple[type, Any], dt.time | ValueError] = {}
        if horizon is not None:
            self.span = f"{horizon.start.isoformat()} to {horizon.end.isoformat()}"
            self.first_day, self.last_day = horizon.start, horizon.end
        self.file_person = self.person_of_file() if "staff_id" not in table.headers else None

    @staticmethod
    def cached(memo: dict[tuple[type, Any], Any], parse: Callable[[Any], T], value: Any) -> T:
        """``parse(value)``, remembered per value.

        A week's dates and times repeat on every row of a large file. A :class:`ValueError`
        is remembered and raised again.
        """
        try:
            key = (type(value), value)
            found = memo[key]
        except TypeError:  # an unhashable cell
            return parse(value)
        except KeyError:
            try:
                found = memo[key] = parse(value)
            except ValueError as exc:
                memo[key] = exc
                raise
        if isinstance(found, ValueError):
            raise found.with_traceback(None)
        return found

    def read_date(self, value: Any) -> dt.date:
        """:func:`read_date` with this file's horizon, remembered per value."""
        return self.cached(self._dates, lambda v: read_date(v, self.horizon), value)

    def person_of_file(self) -> str | None:
        """The one configured person whose staff number or name the file name contains."""
        if self.staff is None:
            return None
        stem = Path(self.table.file.split(" [", 1)[0]).stem
        found = {
            s.id
            for s in self.staff.values()
            if re.search(rf"(?<![A-Za-z0-9]){re.escape(s.id)}(?![A-Za-z0-9])", stem)
            or (s.name and s.name in stem)
        }
        return found.pop() if len(found) == 1 else None

    def warn(self, row: int, column: str | None, message: str, **extra: Any) -> None:
        """Record a repaired problem."""
        header = self.header(column) if column else None
        self.limiter.add(Issue(self.table.file, message, row, header, severity="warning", **extra))

    def rows(self) -> list[_Row]:
        """Every row that parsed cleanly; the others leave issues behind."""
        out: list[_Row] = []
        for record in self.table.frame.to_dict("records"):
            if self.is_totals(record):
                continue
            parsed = self.parse(record)
            if parsed is not None:
                out.append(parsed)
        return out

    def is_totals(self, cells: dict[str, Any]) -> bool:
        """Whether a row is a totals line (合计, Total) under the data; warns that it is skipped."""
        word = next(
            (_fold(cell_text(cells[c])) for c in ("staff_id", "name") if not is_blank(cells[c])),
            "",
        )
        if word not in TOTAL_WORDS:
            return False
        column = "staff_id" if not is_blank(cells["staff_id"]) else "name"
        self.warn(
            int(cells[ROW]),
            column,
            "a totals row, not a declaration; it was skipped",
            value=cell_text(cells[column]),
            allowed="one row per person, date and declaration",
        )
        return True

    def split_times(self, row: int, cells: dict[str, Any]) -> str:
        """Read a time range typed in one cell as the start and end columns.

        A range in the 时间 column (``14:00-17:00``, ``下午2点-5点``; empty or 全天 for the
        whole day), or in the start column with the end empty. Returns the column messages
        about the window name: ``time`` when it came from there, else ``start``. The range
        as typed is kept in ``cells["_typed"]``.
        """
        if is_blank(cells.get("time")):
            if is_blank(cells["end"]) and not is_blank(cells["start"]):
                times = parse_time_range(cells["start"])
                if times is not None:
                    cells["_typed"] = cell_text(cells["start"])
                    cells["start"], cells["end"] = times
            return "start"
        typed = cell_text(cells["time"])
        if not (is_blank(cells["start"]) and is_blank(cells["end"])):
            start, end = self.header("start"), self.header("end")
            self.issue(
                row,
                "time",
                f"the time is given twice: in {self.header('time')} and in {start}/{end}",
                value=typed,
                allowed=f"a range in {self.header('time')} (e.g. 14:00-17:00), "
                f"or {start} and {end}, not both",
            )
            cells["start"] = cells["end"] = None
            return "time"
        if _fold(typed) in WHOLE_DAY_WORDS:
            return "time"
        times = parse_time_range(typed)
        if times is None:
            self.issue(
                row,
                "time",
                "cannot read the time range",
                value=typed,
                allowed="a range such as 14:00-17:00 or 下午2点-5点; empty or 全天 for the "
                "whole day",
            )
            return "time"
        cells["_typed"] = typed
        cells["start"], cells["end"] = times
        return "time"

    def split_dates(self, cells: dict[str, Any]) -> None:
        """Read a date range typed in the date column (end date empty) as date and end date.

        ``2026-12-01~2026-12-03``, ``12月1日至3日``; anything else is left for the date
        column's own reader to judge.
        """
        if is_blank(cells["end_date"]) and isinstance(cells["date"], str):
            try:
                self.read_date(cells["date"])
            except ValueError:
                days = read_date_range(cells["date"], self.horizon)
                if days is not None:
                    cells["date"], cells["end_date"] = days

    def parse(self, cells: dict[str, Any]) -> _Row | None:
        """Parse one row; ``None`` when it has an error or was rejected."""
        row = int(cells[ROW])
        cells = dict(cells)
        before = self.errors
        window = self.split_times(row, cells)
        self.split_dates(cells)
        staff_id = self.staff_id(row, cells)
        first = self.date(row, "date", cells["date"], required=True)
        last = self.date(row, "end_date", cells["end_date"], required=False)
        start = self.clock(row, "start", cells["start"])
        end = self.clock(row, "end", cells["end"])
        kind = self.kind(row, cells["type"])
        weight = self.weight(row, cells["weight"])
        approval = self.approval(row, cells["approved"])
        note = "" if is_blank(cells["note"]) else str(cells["note"]).strip()
        shift = self.shift(row, cells["shift"], kind, start_given=not is_blank(cells["start"]))
        last = self.through(row, first, last, self.days(row, cells["days"]))
        if first is not None and last is not None and last < first:
            self.issue(
                row,
                "end_date",
                "end date is before the date",
                value=str(last),
                allowed=f"{first.isoformat()} or later",
            )
        elif first is not None and last is not None and (last - first).days >= MAX_SPAN_DAYS:
            self.issue(
                row,
                "end_date",
                f"the dates run {(last - first).days + 1} days, longer than a year: check the "
                "years",
                value=str(last),
                allowed=f"{(first + dt.timedelta(days=MAX_SPAN_DAYS - 1)).isoformat()} or earlier",
            )
        self.check_window(row, cells, window, start, end, kind)
        if first is not None and self.horizon is not None:
            self.check_horizon(row, first, last)
        if self.errors > before:
            return None
        assert staff_id is not None and first is not None and kind is not None
        if approval is None:
            self.warn(
                row,
                "approved",
                "a rejected request declares nothing; the row was skipped",
                value=cell_text(cells["approved"]),
                allowed=_ALLOWED_APPROVAL,
            )
            return None
        if (
            isinstance(kind, AvailabilityKind)
            and last is not None
            and self.horizon is not None
            and (first < self.first_day or last > self.last_day)
        ):
            days = (last - first).days + 1
            inside = max(0, (min(last, self.last_day) - max(first, self.first_day)).days + 1)
            self.warn(
                row,
                "date",
                f"{days - inside} of the row's {days} days fall outside the planned week and are "
                "not used",
                value=f"{first.isoformat()} to {last.isoformat()}",
                allowed=self.span,
            )
        if not approval and isinstance(kind, AvailabilityKind):
            self.warn(
                row,
                "approved",
                "only leave waits for approval; this row is read as declared",
                value=cell_text(cells["approved"]),
                allowed=f"empty for {KIND_ZH[kind]}; 待审批 on leave rows (年假, 病假 ...)",
            )
        if isinstance(kind, LeaveKind) and start is not None:
            self.warn(
                row,
                "type",
                "leave is taken in whole days; this row is read as unavailable for the window",
                value=cell_text(cells["type"]),
                allowed="leave without times, or 不可用 with times",
            )
            kind = AvailabilityKind.UNAVAILABLE
        return _Row(
            self.table.file,
            row,
            staff_id,
            first,
            last,
            start,
            end,
            kind,
            weight,
            bool(approval),
            note,
            shift,
        )

    def check_window(
        self,
        row: int,
        cells: dict[str, Any],
        window: str,
        start: dt.time | None,
        end: dt.time | None,
        kind: AvailabilityKind | LeaveKind | None,
    ) -> None:
        """Start and end given together, the end after the start, times on 'available' rows.

        ``window`` is the column a range typed in one cell came from (``time`` or ``start``);
        such a range is shown as typed.
        """
        typed = cells.get("_typed")
        start_blank, end_blank = is_blank(cells["start"]), is_blank(cells["end"])
        if start_blank != end_blank:
            missing = "start" if start_blank else "end"
            self.issue(
                row,
                missing,
                f"{missing} time is empty",
                allowed="give both start and end, or neither for the whole day",
            )
        if start is not None and end is not None and minutes_of(end) <= minutes_of(start):
            self.issue(
                row,
                window if typed else "end",
                "end is not after start",
                value=typed or cell_text(cells["end"]),
                allowed=f"a time after {format_clock(start)}; split a window that "
                "passes midnight into two rows",
            )
        if kind is AvailabilityKind.AVAILABLE and start_blank and end_blank:
            self.issue(
                row,
                window,
                "an 'available' row needs start and end times",
                allowed="e.g. 09:00 and 13:00" if window == "start" else "e.g. 09:00-13:00",
            )

    def days(self, row: int, value: Any) -> int | None:
        """The number of days a row covers from its date (天数), ``None`` when blank."""
        if is_blank(value):
            return None
        text = cell_text(value)
        try:
            days = parse_count(re.sub(r"\s*(?:天|日|days?|d)$", "", text, flags=re.I))
        except ValueError:
            days = 0
        if not 1 <= days <= MAX_SPAN_DAYS:
            self.issue(
                row,
                "days",
                f"the number of days is not a whole number from 1 to {MAX_SPAN_DAYS}",
                value=text,
                allowed="a whole number of days such as 3, counted from the date, weekends "
                "included; for half a day give 不可用 with start and end times",
            )
            return None
        return days

    def through(
        self, row: int, first: dt.date | None, last: dt.date | None, days: int | None
    ) -> dt.date | None:
        """The last day of a row: its end date, or its date plus 天数 less one."""
        if first is None or days is None:
            return last
        end = first + dt.timedelta(days=days - 1)
        if last is not None and last != end:
            self.issue(
                row,
                "days",
                f"{self.header('days')} and {self.header('end_date')} disagree: {days} day(s) "
                f"from {first.isoformat()} end on {end.isoformat()}, not {last.isoformat()}",
                value=str(days),
                allowed=f"{(last - first).days + 1}, or leave one of the two empty",
            )
        return end

    def shift(
        self, row: int, value: Any, kind: AvailabilityKind | LeaveKind | None, start_given: bool
    ) -> str | None:
        """The shift template a preferred or undesired row names, checked; ``None`` if blank.

        With a configuration, the shift's name (``早班``) is read as its id (``early``).
        """
        text = cell_text(value)
        if not text:
            return None
        wishes = (AvailabilityKind.PREFERRED, AvailabilityKind.UNDESIRED)
        if kind is not None and kind not in wishes:
            self.issue(
                row,
                "shift",
                "only a preferred or undesired row may name a shift",
                value=text,
                allowed="an empty cell, or type 希望上班 / 不希望上班 (prefer / avoid)",
            )
            return None
        if start_given:
            self.issue(
                row,
                "shift",
                "a row naming a shift gives no start and end times",
                value=text,
                allowed="either a shift or a time window",
            )
            return None
        if self.config is None:
            return text
        found = shift_id(self.config, text)
        if found is None:
            self.issue(
                row,
                "shift",
                "unknown shift",
                value=text,
                allowed=described([(t.id, t.name) for t in self.config.shifts]),
            )
        return found

    def staff_id(self, row: int, cells: dict[str, Any]) -> str | None:
        """The staff number, checked against the configuration and the name given.

        Without a number, the person is found from the name (with a configuration) or, in a
        file without a staff-number column, from the file name (e.g. ``S14_朱琳.csv``).
        """
        staff_id = cell_text(cells["staff_id"]) or self.file_person or ""
        name = cell_text(cells["name"])
        if not staff_id and name and self.staff is not None:
            matches = sorted(s.id for s in self.staff.values() if _fold(s.name) == _fold(name))
            if len(matches) > 1:
                self.issue(
                    row,
                    "name",
                    "several staff have this name; give the staff number",
                    value=name,
                    allowed=", ".join(matches),
                )
                return None
            if not matches:
                self.issue(
                    row,
                    "name",
                    "no staff member has this name",
                    value=name,
                    allowed="a name from the configuration, or the staff number",
                )
                return None
            staff_id = matches[0]
        if not staff_id:
            self.issue(row, "staff_id", "staff number is empty", allowed="a staff number (工号)")
            return None
        if self.staff is None or self.config is None:
            return staff_id
        person, padded = staff_like(self.config, staff_id)
        if person is None:
            known = sorted(self.staff)
            self.issue(
                row,
                "staff_id",
                "unknown staff number",
                value=staff_id,
                allowed=", ".join(known[:40]) + (" ..." if len(known) > 40 else ""),
            )
            return None
        if padded:
            self.warn(
                row,
                "staff_id",
                f"read as staff number {person.id} (the leading zeros were lost)",
                value=staff_id,
                allowed="format the column as text in Excel so 012 stays 012",
            )
        staff_id = person.id
        if name and _fold(name) != _fold(person.name):
            self.issue(
                row,
                "name",
                f"the name does not match staff number {staff_id}",
                value=name,
                allowed=person.name,
            )
        return staff_id

    def date(self, row: int, column: str, value: Any, required: bool) -> dt.date | None:
        """A date cell, using the horizon's year for dates written without one."""
        if is_blank(value):
            if required:
                self.issue(row, column, "date is empty", allowed="a date such as 2026-12-01")
            return None
        try:
            return self.read_date(value)
        except (WeekdayMismatch, AmbiguousDate) as exc:
            self.issue(
                row,
                column,
                str(exc),
                value=cell_text(value),
                allowed="the date with its own weekday, or the date alone"
                if isinstance(exc, WeekdayMismatch)
                else "a full date, year first, e.g. 2026-12-01 or 2026/12/1",
            )
        except ValueError:
            hint = "" if self.horizon is not None else " (with the year when no week is given)"
            self.issue(
                row,
                column,
                "cannot read the date",
                value=cell_text(value),
                allowed=f"a date such as 2026-12-01, 2026/12/1 or 12月1日{hint}",
            )
        return None

    def clock(self, row: int, column: str, value: Any) -> dt.time | None:
        """A time-of-day cell (text, time cell or day fraction)."""
        return read_clock_cell(
            self, row, column, value, lambda v: self.cached(self._clocks, parse_time_words, v)
        )

    def kind(self, row: int, value: Any) -> AvailabilityKind | LeaveKind | None:
        """The declaration type; blank means unavailable."""
        if is_blank(value):
            return AvailabilityKind.UNAVAILABLE
        kind = _KINDS.get(_fold(cell_text(value)))
        if kind is None:
            self.issue(row, "type", "unknown type", value=cell_text(value), allowed=_ALLOWED_KINDS)
        return kind

    def weight(self, row: int, value: Any) -> int:
        """Strength of a preference, 1-10 (1 when blank)."""
        if is_blank(value):
            return 1
        try:
            weight = parse_count(value)
        except ValueError:
            weight = 0
        if not 1 <= weight <= 10:
            self.issue(
                row,
                "weight",
                "weight out of range",
                value=cell_text(value),
                allowed="a whole number from 1 to 10",
            )
        return weight

    def approval(self, row: int, value: Any) -> bool | None:
        """Whether leave is approved (yes when blank); ``None`` when it was rejected.

        Asked for but not (yet) approved (否, 待审批, 审批中, 未批) is ``False``: such leave
        is a wish, never a hard rule. Rejected (已驳回, 驳回) is no leave at all.
        """
        text = _fold(cell_text(value))
        if not text or text in YES:
            return True
        if text in NO:
            return False
        if text in REJECTED:
            return None
        self.issue(
            row,
            "approved",
            "cannot read whether the leave is approved",
            value=cell_text(value),
            allowed=_ALLOWED_APPROVAL,
        )
        return True

    def check_horizon(self, row: int, first: dt.date, last: dt.date | None) -> None:
        """Dates must fall in the planned horizon (a leave range must touch it)."""
        span = self.span
        if last is None and not self.first_day <= first <= self.last_day:
            self.issue(
                row, "date", "date outside the planned week", value=first.isoformat(), allowed=span
            )
        elif last is not None and (last < self.first_day or first > self.last_day):
            self.issue(
                row,
                "date",
                "dates outside the planned week",
                value=f"{first.isoformat()} to {last.isoformat()}",
                allowed=span,
            )


def read_availability(
    paths: str | Path | Sequence[str | Path],
    config: BranchConfig | None = None,
    horizon: Horizon | None = None,
) -> Availability:
    """Read availability and leave files (CSV or XLSX; one per person or one combined).

    Args:
        paths: One file or several; a folder stands for the table files in it and its
            subfolders (see :func:`scheduler.io.tables.expand_folders`).
        config: When given, staff numbers must exist and names must match them.
        horizon: When given, dates must fall in it and dates written without a year
            (``12月1日``) take its year.

    Returns:
        The declarations: window and whole-day rows become entries (a row with an end date
        becomes one entry per day), leave rows become leave requests; consecutive single-day
        leave rows of one person and kind are merged into one request. A blank type means
        unavailable.

    Raises:
        InputError: Every problem of every file at once, each with its file, row, column,
            value and what is allowed. Exact duplicate rows are dropped (a warning that
            :func:`load_availability` returns).
    """
    availability, _ = load_availability(paths, config, horizon)
    return availability


def load_availability(
    paths: str | Path | Sequence[str | Path],
    config: BranchConfig | None = None,
    horizon: Horizon | None = None,
) -> tuple[Availability, list[Issue]]:
    """Like :func:`read_availability`, also returning the warnings (repaired problems).

    Raises:
        InputError: If any file has an error (warnings are listed with the errors).
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    issues: list[Issue] = []
    parsed: list[_Row] = []
    for given in map(Path, paths):
        before, read = len(issues), 0
        for path in expand_folders([given]):
            tables, problems = _read_tables(path, in_folder=given.is_dir())
            issues += problems
            read += bool(tables)
            for table in tables:
                rows, problems = _read_rows(table, config, horizon)
                parsed += rows
                issues += problems
        errors = any(i.severity == "error" for i in issues[before:])
        if given.is_dir() and not read and not errors:
            issues.append(
                Issue(
                    str(given),
                    "the folder holds no availability file",
                    allowed="files ending " + ", ".join(TABLE_SUFFIXES),
                )
            )
    checks = _Capped()
    parsed = _drop_duplicates(parsed, checks)
    _overlaps(parsed, checks)
    _overlapping_leave(parsed, checks)
    _work_on_leave(parsed, checks)
    issues += checks.finish()
    if any(i.severity == "error" for i in issues):
        raise InputError(issues)
    return _build(parsed), issues


def _read_tables(path: Path, in_folder: bool) -> tuple[list[Table], list[Issue]]:
    """The tables of one file, or the problems that keep it from being read.

    A file found in a folder that is no table at all is skipped with a warning rather than
    blocking the files beside it: a text file without a 工号/姓名/日期 header (a
    ``说明.txt`` of notes), or a picture or PDF saved under a table's name.
    """
    if in_folder and suffix_of(path) == ".txt" and not sniff_headers(path) & _PERSON_KEYS:
        return [], [_skipped(path, "a text file without a 工号, 姓名 or 日期 header")]
    try:
        return read_table(path, AVAILABILITY_COLUMNS, "availability file"), []
    except InputError as exc:
        problems = [_week_grid_hint(path, i) for i in exc.issues]
    if in_folder and all(i.message.startswith("this is not a table file") for i in problems):
        return [], [_skipped(path, problems[0].message.removeprefix("this is not a table file: "))]
    return [], problems


_PERSON_KEYS = frozenset(
    header_key(name)
    for spec in AVAILABILITY_COLUMNS
    if spec.name in ("staff_id", "name", "date")
    for name in spec.names()
)
"""Header keys that make a text file in a folder an attempt at an availability table."""


def _skipped(path: Path, what: str) -> Issue:
    return Issue(
        str(path),
        f"skipped: not an availability table ({what})",
        allowed="only availability tables (.csv, .xlsx) in the folder; notes go in the 备注 column",
        severity="warning",
    )


ROSTER_HEADERS = frozenset(
    ("岗位", "post", "postid", "岗位名称", "活动", "activity", "paidminutes")
)
"""Header keys of a roster export (岗位 / activity / post): not availability."""
PIN_HEADERS = frozenset(("休息", "off", "dayoff", "rest", "是否休息"))
"""Header keys of a pins file (工号, 日期, 休息, 班次, 岗位): fixed assignments."""


def _read_rows(
    table: Table, config: BranchConfig | None, horizon: Horizon | None
) -> tuple[list[_Row], list[Issue]]:
    """The declarations of one table, and its problems (at most 20 of a kind, then a count).

    Columns the reader does not know are named in a warning, as their cells are not read. A
    table without a 类型 (type) column reads every row as unavailable (a warning says so),
    unless it is another kind of file: a roster export or a pins file is refused.
    """
    limiter = IssueLimiter(table.file)
    reader = _RowReader(table, config, horizon, limiter)
    if not ({"staff_id", "name"} & set(table.headers) or reader.file_person):
        return [], [
            Issue(
                table.file,
                "missing column staff_id",
                allowed="staff_id / 工号 (or 姓名 with a configuration, or the staff "
                "number in the file name)",
            )
        ]
    if "type" not in table.headers:
        other = _other_kind(table)
        if other is not None:
            return [], [other]
    allowed = _accepted_headers()
    for header in table.ignored.values():
        limiter.add(
            Issue(
                table.file,
                "ignored: not a column of an availability file",
                table.header_row,
                header,
                allowed=allowed,
                severity="warning",
            ),
            kind="ignored column",
        )
    if table.frame.empty:
        limiter.add(
            Issue(
                table.file,
                "the file has a header but no data rows",
                allowed="one row per person, date and declaration",
            )
        )
    elif "type" not in table.headers:
        limiter.add(
            Issue(
                table.file,
                "no 类型 (type) column: every row is read as unavailable",
                table.header_row,
                allowed="a 类型/type column: " + _ALLOWED_KINDS,
                severity="warning",
            )
        )
    rows = reader.rows()
    return rows, limiter.finish()


def _other_kind(table: Table) -> Issue | None:
    """The refusal of a table without a type column that is another kind of file."""
    found = [h for h in table.ignored.values() if header_key(h) in PIN_HEADERS | ROSTER_HEADERS]
    if not found:
        return None
    if any(header_key(h) in PIN_HEADERS for h in found):
        what, fix = (
            "a pins file (fixed assignments)",
            "give it to branch-roster schedule with --pins",
        )
    else:
        what, fix = (
            "a roster (an export of assignments)",
            "a roster is not read back as availability",
        )
    return Issue(
        table.file,
        f"this looks like {what}, not an availability file: it has {', '.join(found)} and no "
        "类型 (type) column",
        table.header_row,
        allowed=f"{fix}; an availability file has columns 工号, 日期, 开始, 结束, 类型",
    )


def _accepted_headers() -> str:
    """The headers an availability file may have: the usual Chinese and English one of each."""
    return header_pairs(AVAILABILITY_COLUMNS, _ZH_HEADERS) + " (and the other names in the README)"


class _Capped:
    """Issues of the checks across rows and files: at most 20 of a kind per file, then a count."""

    def __init__(self) -> None:
        self._limiters: dict[str, IssueLimiter] = {}

    def add(self, issue: Issue, kind: str) -> None:
        """Record an issue of ``kind`` (``duplicate row``, ...)."""
        limiter = self._limiters.setdefault(issue.file, IssueLimiter(issue.file))
        limiter.add(issue, kind=kind)

    def about(
        self,
        row: _Row,
        kind: str,
        message: str,
        value: str,
        allowed: str,
        severity: str = "error",
    ) -> None:
        """Record an issue of ``kind`` located at ``row`` (its file and row number)."""
        issue = Issue(row.file, message, row.row, value=value, allowed=allowed, severity=severity)
        self.add(issue, kind)

    def count(self, file: str, kind: str, n: int) -> None:
        """Count ``n`` more errors of ``kind`` in ``file`` without building them."""
        limiter = self._limiters.setdefault(file, IssueLimiter(file))
        limiter.add_count(kind, n)

    def finish(self) -> list[Issue]:
        """The kept issues, file by file, each file's summaries after its issues."""
        return [i for limiter in self._limiters.values() for i in limiter.finish()]


def _week_grid_hint(path: str | Path, issue: Issue) -> Issue:
    """Say so when a missing date column is a week grid (周一 ... 周日, 12月1日 as headers)."""
    if issue.message != "missing column date":
        return issue
    days = sorted(
        key
        for key in sniff_headers(path)
        if key in _WEEKDAY_WORDS
        or re.fullmatch(r"\d{1,2}月\d{1,2}日?|20\d{6}", key)
        or re.fullmatch(r"(?:周|星期)[一二三四五六日天].*", key)
    )
    days.sort(key=lambda k: (_WEEKDAY_WORDS.get(k, 7), k))
    if not days:
        return issue
    return Issue(
        issue.file,
        "a week grid (one column per day) is not an availability list",
        location=issue.location,
        value=", ".join(days[:7]),
        allowed="one row per person and date with columns 工号, 日期, 开始, 结束, 类型 "
        "(branch-roster availability-template writes such a form)",
    )


def _drop_duplicates(rows: list[_Row], checks: _Capped) -> list[_Row]:
    """The rows without exact repeats; each repeat dropped with a warning."""
    seen: dict[tuple[Any, ...], _Row] = {}
    kept: list[_Row] = []
    for r in rows:
        first = seen.setdefault(r.key(), r)
        if first is r:
            kept.append(r)
            continue
        where = _row_of(first, r.file)
        checks.about(
            r,
            "duplicate row",
            f"duplicate row (same as {where}); it was dropped",
            value=f"{r.staff_id} {r.first.isoformat()}",
            allowed="each declaration once",
            severity="warning",
        )
    return kept


def _row_of(other: _Row, file: str) -> str:
    """``row 3`` for a row of ``file``, ``row 3 of leave.csv`` for one of another file."""
    return f"row {other.row}" + ("" if other.file == file else f" of {other.file}")


def _last_day(r: _Row) -> dt.date:
    """The row's last day (its date when it gives no end date)."""
    return r.last or r.first


def _days(r: _Row) -> list[dt.date]:
    return [r.first + dt.timedelta(days=i) for i in range((_last_day(r) - r.first).days + 1)]


OVERLAP_PAIRS = 1000
"""Overlapping pairs built into messages; beyond them overlaps are only counted."""


def _overlaps(rows: list[_Row], checks: _Capped) -> None:
    """Windows (not leave) of one person that share minutes on one date.

    Each pair is reported once, on the later row of the two, naming the earlier. The windows
    of a person and date are swept in order of their start, keeping those still open (a
    heap by end): every window still open when another starts overlaps it. That takes
    O(n log n) plus the pairs found, where comparing every window with every other took
    O(n²) per person and date.
    """
    by_day: dict[tuple[str, dt.date], list[tuple[int, int, int]]] = {}
    for index, r in enumerate(rows):
        if isinstance(r.kind, AvailabilityKind):
            start, end = r.window
            for day in _days(r):
                by_day.setdefault((r.staff_id, day), []).append((start, end, index))
    reported: set[tuple[int, int]] = set()
    for (staff_id, day), group in by_day.items():
        if len(group) < 2:
            continue
        group.sort()
        open_: list[tuple[int, int]] = []
        pairs: list[tuple[int, int]] = []
        for start, end, index in group:
            while open_ and open_[0][0] <= start:
                heapq.heappop(open_)
            if len(reported) + len(pairs) < OVERLAP_PAIRS:
                pairs += [(max(index, i), min(index, i)) for _, i in open_]
            else:
                checks.count(rows[index].file, "overlapping windows", len(open_))
            heapq.heappush(open_, (end, index))
        for later, earlier in sorted(pairs):
            if (later, earlier) in reported:
                continue
            reported.add((later, earlier))
            a, b = rows[later], rows[earlier]
            where = _row_of(b, a.file)
            checks.about(
                a,
                "overlapping windows",
                f"overlaps the window of {where} for {staff_id} on {day.isoformat()}",
                value=_window_text(a),
                allowed=f"a window that does not overlap {_window_text(b)}; "
                "one declaration per time",
            )


def _overlapping_leave(rows: list[_Row], checks: _Capped) -> None:
    """Leave rows of one person that share days (年假 12-01..12-03 and 病假 12-02..12-04).

    Each day of leave is one kind, counted once against one entitlement; two rows claiming
    it are most likely a typing mistake. Both are kept (the person is away either way) and a
    warning on the later-starting row names the other.
    """
    by_person: dict[str, list[_Row]] = {}
    for r in rows:
        if isinstance(r.kind, LeaveKind):
            by_person.setdefault(r.staff_id, []).append(r)
    for staff_id, leave in by_person.items():
        leave.sort(key=lambda r: (r.first, _last_day(r)))
        reach: _Row | None = None  # the row reaching furthest so far
        for r in leave:
            if reach is not None and r.first <= _last_day(reach):
                last = min(_last_day(r), _last_day(reach))
                where = _row_of(reach, r.file)
                checks.about(
                    r,
                    "overlapping leave",
                    f"this leave overlaps the {reach.kind.value} leave of {where} for "
                    f"{staff_id} on {r.first.isoformat()} to {last.isoformat()}",
                    value=f"{r.kind.value} {r.first.isoformat()} to {_last_day(r).isoformat()}",
                    allowed="each day of leave once, of one kind: shorten or merge the rows",
                    severity="warning",
                )
            if reach is None or _last_day(r) > _last_day(reach):
                reach = r


def _work_on_leave(rows: list[_Row], checks: _Capped) -> None:
    """Offers to work (available, preferred) on a day the same person takes approved leave."""
    leave: dict[tuple[str, dt.date], _Row] = {}
    for r in rows:
        if isinstance(r.kind, LeaveKind) and r.approved:
            for day in _days(r):
                leave.setdefault((r.staff_id, day), r)
    if not leave:
        return
    for r in rows:
        if r.kind not in (AvailabilityKind.AVAILABLE, AvailabilityKind.PREFERRED):
            continue
        for day in _days(r):
            on_leave = leave.get((r.staff_id, day))
            if on_leave is None:
                continue
            where = _row_of(on_leave, r.file)
            checks.about(
                r,
                "offer to work on a day of leave",
                f"{r.staff_id} offers to work on {day.isoformat()}, a day of approved "
                f"{on_leave.kind.value} leave ({where})",
                value=KIND_ZH[r.kind],
                allowed="withdraw the leave or the offer to work",
            )
            break


def _window_text(r: _Row) -> str:
    if r.start is None or r.end is None:
        return "the whole day"
    return f"{format_clock(r.start)}-{format_clock(r.end)}"


def _build(rows: list[_Row]) -> Availability:
    entries: list[AvailabilityEntry] = []
    leave: list[LeaveRequest] = []
    open_runs: dict[tuple[str, LeaveKind, bool], int] = {}
    for r in rows:
        if isinstance(r.kind, AvailabilityKind):
            for day in _days(r):
                entries.append(
                    AvailabilityEntry(
                        staff_id=r.staff_id,
                        date=day,
                        kind=r.kind,
                        start=r.start,
                        end=r.end,
                        weight=r.weight,
                        note=r.note,
                        shift=r.shift,
                    )
                )
            continue
        run_key = (r.staff_id, r.kind, r.approved)
        index = open_runs.get(run_key)
        if r.last is None and index is not None:
            previous = leave[index]
            if previous.end_date + dt.timedelta(days=1) == r.first:
                notes = [n for n in (previous.note, r.note) if n]
                note = previous.note if r.note in ("", previous.note) else "; ".join(notes)
                leave[index] = previous.model_copy(update={"end_date": r.first, "note": note})
                continue
        leave.append(
            LeaveRequest(
                staff_id=r.staff_id,
                start_date=r.first,
                end_date=r.last or r.first,
                kind=r.kind,
                approved=r.approved,
                note=r.note,
            )
        )
        if r.last is None:
            open_runs[run_key] = len(leave) - 1
        else:
            open_runs.pop(run_key, None)
    return Availability(entries=entries, leave=leave)
