"""Read what the store publishes and records: a result folder, requirement and leave files.

A result folder is what the solver's ``write_result_files`` writes: ``roster.csv``
(:data:`scheduler.frames.ASSIGNMENT_COLUMNS`), ``shifts.csv``
(:data:`scheduler.frames.SHIFT_COLUMNS`) and ``summary.json``; ``run`` adds the requirement
frame, ``requirements.csv`` (:data:`scheduler.frames.REQUIREMENT_COLUMNS`). They are read
tolerantly (Chinese or English headers, CSV or XLSX, UTF-8 with or without BOM, GBK, UTF-16),
checked against the branch configuration, and every problem is reported with its file, row,
column and value. ``publish``, ``schedule --published`` / ``--requirements`` and ``export``
all read these files here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pandas as pd

from scheduler.domain import BranchConfig, LeaveKind, LeaveRequest
from scheduler.domain.common import format_clock, minutes_of, parse_clock
from scheduler.errors import InputError, Issue, IssueCollector
from scheduler.frames import (
    ASSIGNMENT_COLUMNS,
    MAX_REQUIRED,
    REQUIREMENT_COLUMNS,
    SHIFT_COLUMNS,
    SOURCE_ROWS,
)
from scheduler.history.store import RosterRecord
from scheduler.io.config_file import decode_text
from scheduler.io.tables import (
    FILE,
    ROW,
    ColumnSpec,
    IssueLimiter,
    Table,
    cell_text,
    is_blank,
    parse_count,
    parse_date,
    read_table,
)

ROSTER_COLUMNS = (
    ColumnSpec("staff_id", ("工号", "员工编号", "staff")),
    ColumnSpec("name", ("姓名", "员工"), required=False),
    ColumnSpec("date", ("日期",)),
    ColumnSpec("start", ("开始", "开始时间", "from")),
    ColumnSpec("end", ("结束", "结束时间", "to")),
    ColumnSpec("activity", ("活动", "类型", "kind")),
    ColumnSpec("post", ("岗位",), required=False),
)
"""Columns of ``roster.csv`` and the header names accepted for them."""

SHIFT_FILE_COLUMNS = (
    ColumnSpec("staff_id", ("工号", "员工编号", "staff")),
    ColumnSpec("name", ("姓名", "员工"), required=False),
    ColumnSpec("date", ("日期",)),
    ColumnSpec("shift", ("班次",), required=False),
    ColumnSpec("start", ("开始", "开始时间", "from")),
    ColumnSpec("end", ("结束", "结束时间", "to")),
    ColumnSpec("paid_minutes", ("计薪分钟", "paid", "minutes"), required=False),
)
"""Columns of ``shifts.csv`` and the header names accepted for them."""

LEAVE_FILE_COLUMNS = (
    ColumnSpec("staff_id", ("工号", "员工编号", "staff")),
    ColumnSpec("start_date", ("开始日期", "日期", "date", "from")),
    ColumnSpec("end_date", ("结束日期", "to"), required=False),
    ColumnSpec("kind", ("类型", "假别", "leave"), required=False),
    ColumnSpec("note", ("备注", "说明"), required=False),
)
"""Columns of a leave file (one row per leave taken) and the header names accepted."""

REQUIREMENT_FILE_COLUMNS = (
    ColumnSpec("branch", ("网点", "网点编号"), required=False),
    ColumnSpec("date", ("日期",), required=False),
    ColumnSpec("ds", ("时段", "时间", "时刻", "timestamp", "slot")),
    ColumnSpec("post", ("岗位", "岗位编号")),
    ColumnSpec("required", ("需求", "需求人数", "所需人数", "staff_required")),
    ColumnSpec("traffic_required", ("客流需求",), required=False),
    ColumnSpec("floor_required", ("最低需求", "底线需求"), required=False),
    ColumnSpec("arrivals", ("到达人数", "客流"), required=False),
    ColumnSpec("workload_erlangs", ("工作量",), required=False),
    ColumnSpec("expected_wait_min", ("预计等候", "预计等候分钟"), required=False),
    ColumnSpec("wait_one_short_min", ("少一人等候",), required=False),
    ColumnSpec("service_level", ("服务水平",), required=False),
    ColumnSpec("unmeetable", ("无法满足",), required=False),
    ColumnSpec("reason", ("需求依据", "原因"), required=False),
)
"""Columns of ``requirements.csv`` (:data:`scheduler.frames.REQUIREMENT_COLUMNS`) and the
header names accepted for them; ``ds`` may be a time of day (``09:00``, ``09:00-10:00``)
completed by the row's 日期/``date``."""

_REQUIREMENT_COUNTS = ("required", "traffic_required", "floor_required")
_REQUIREMENT_NUMBERS = (
    "arrivals",
    "workload_erlangs",
    "expected_wait_min",
    "wait_one_short_min",
    "service_level",
)
_FLAGS = {
    **dict.fromkeys(("true", "yes", "y", "t", "1", "是"), True),
    **dict.fromkeys(("false", "no", "n", "f", "0", "否"), False),
}
STAMP_ALLOWED = "a date and time such as 2026-12-01 09:00 (or 日期 2026-12-01 with 时段 09:00)"
"""What a ``ds`` cell may hold, for messages."""

ACTIVITIES = {
    "post": "post",
    "在岗": "post",
    "岗位": "post",
    "break": "break",
    "休息": "break",
    "午休": "break",
    "free": "free",
    "空闲": "free",
    "机动": "free",
}
"""Accepted activity words and the canonical activity they mean."""

LEAVE_WORDS: dict[str, LeaveKind] = {
    **{k.value: k for k in LeaveKind},
    "年假": LeaveKind.ANNUAL,
    "年休假": LeaveKind.ANNUAL,
    "病假": LeaveKind.SICK,
    "培训": LeaveKind.TRAINING,
    "强制休假": LeaveKind.MANDATORY,
    "强休": LeaveKind.MANDATORY,
    "事假": LeaveKind.OTHER,
    "其他": LeaveKind.OTHER,
}
"""Accepted leave-kind words."""


_CLOCK_ONLY = re.compile(r"(\d{1,2}:\d{2})(?::\d{2})?(?:\s*[-~至]\s*\d{1,2}:\d{2}(?::\d{2})?)?")
_DATE_AND_CLOCK = re.compile(r"(.+?)(?:\s+|T)(\d{1,2}:\d{2}(?::\d{2})?)(?:\.\d+)?")
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def parse_stamp(value: Any, day: Any = None) -> dt.datetime:
    """Parse the start of a slot as people write it (a naive local date and time).

    Accepts date-time cells, Excel serial numbers, ``2026-12-01 09:00``, ``2026/12/1 9:00``,
    ``2026-12-01T09:00:00``, ``2026年12月1日 9:00`` and full-width digits; a time alone
    (``09:00``, a slot ``09:00-10:00``, a time cell) takes its date from ``day``.

    Raises:
        ValueError: If the value is not a date and time.
    """
    if isinstance(value, pd.Timestamp | dt.datetime):
        if pd.isna(value):
            raise ValueError("empty")
        stamp = value.to_pydatetime() if isinstance(value, pd.Timestamp) else value
        return stamp.replace(tzinfo=None)
    if isinstance(value, dt.time):
        if is_blank(day):
            raise ValueError("a time of day without a date")
        return dt.datetime.combine(parse_date(day), value)
    if isinstance(value, int | float) and not isinstance(value, bool) and 20000 <= value < 80000:
        return _EXCEL_EPOCH + dt.timedelta(seconds=round(float(value) * 86400))
    text = cell_text(value).replace("：", ":")
    clock = _CLOCK_ONLY.fullmatch(text)
    if clock is not None:
        if is_blank(day):
            raise ValueError("a time of day without a date")
        return dt.datetime.combine(parse_date(day), parse_clock(clock.group(1)))
    both = _DATE_AND_CLOCK.fullmatch(text)
    if both is not None:
        return dt.datetime.combine(parse_date(both.group(1)), parse_clock(both.group(2)))
    raise ValueError(f"not a date and time: {value!r}")


def parse_flag(value: Any) -> bool:
    """``True``/``False`` from a cell: true/false, yes/no, 1/0, 是/否; empty is ``False``.

    Raises:
        ValueError: For any other word.
    """
    if isinstance(value, bool):
        return value
    if is_blank(value):
        return False
    word = _FLAGS.get(cell_text(value).lower())
    if word is None:
        raise ValueError(f"not yes or no: {value!r}")
    return word


NO_ROSTER_STATUSES = ("INFEASIBLE", "MODEL_INVALID", "UNKNOWN")
"""Solver statuses of results that hold no roster to publish."""


def find_result_file(folder: Path, stem: str) -> Path | None:
    """The folder's ``<stem>.csv``, ``.xlsx`` or ``.csv.gz``, whichever exists first."""
    for suffix in (".csv", ".xlsx", ".csv.gz"):
        path = folder / f"{stem}{suffix}"
        if path.exists():
            return path
    return None


def _in_file_order(issues: IssueCollector) -> None:
    """Sort the collected issues by file and row, so they read top to bottom."""
    issues.issues.sort(key=lambda i: (i.file, i.location if isinstance(i.location, int) else 0))


def _clock(value: Any) -> str:
    return format_clock(parse_clock(value if not isinstance(value, str) else value.strip()))


def _read_rows(
    path: Path,
    columns: tuple[ColumnSpec, ...],
    what: str,
    issues: IssueCollector,
    config: BranchConfig | None,
) -> list[dict[str, Any]]:
    """Parse the rows common to roster and shift files; problems go to ``issues``."""
    staff_ids = {s.id for s in config.staff} if config else None
    out: list[dict[str, Any]] = []
    try:
        tables = read_table(path, columns, what)
    except InputError as exc:
        issues.extend(exc.issues)
        return out
    for table in tables:
        for rec in table.frame.to_dict("records"):
            row, bad = rec[ROW], False
            where = {"file": table.file, "location": row}
            parsed: dict[str, Any] = {}
            staff = cell_text(rec["staff_id"])
            if not staff:
                issues.error("staff id is empty", column=table.header("staff_id"), **where)
                bad = True
            elif staff_ids is not None and staff not in staff_ids:
                issues.error(
                    "unknown staff id",
                    column=table.header("staff_id"),
                    value=staff,
                    allowed=", ".join(sorted(staff_ids)),
                    **where,
                )
                bad = True
            parsed["staff_id"] = staff
            parsed["name"] = cell_text(rec.get("name"))
            try:
                parsed["date"] = parse_date(rec["date"])
            except ValueError:
                issues.error(
                    "not a date",
                    column=table.header("date"),
                    value=cell_text(rec["date"]),
                    allowed="YYYY-MM-DD",
                    **where,
                )
                bad = True
            for col in ("start", "end"):
                try:
                    parsed[col] = _clock(rec[col])
                except (ValueError, TypeError):
                    issues.error(
                        "not a time of day",
                        column=table.header(col),
                        value=cell_text(rec[col]),
                        allowed="HH:MM, 00:00 to 24:00",
                        **where,
                    )
                    bad = True
            if not bad and minutes_of(parse_clock(parsed["end"])) <= minutes_of(
                parse_clock(parsed["start"])
            ):
                issues.error(
                    "the end is not after the start",
                    column=table.header("end"),
                    value=f"{parsed['start']}-{parsed['end']}",
                    allowed="an end later than the start on the same day",
                    **where,
                )
                bad = True
            parsed[ROW] = row
            parsed["_file"] = table.file
            parsed["_raw"] = rec
            parsed["_headers"] = table.headers
            if not bad:
                out.append(parsed)
    return out


def read_roster_file(path: str | Path, config: BranchConfig | None = None) -> pd.DataFrame:
    """Read ``roster.csv`` into an :data:`ASSIGNMENT_COLUMNS` frame.

    Raises:
        InputError: Every problem found, each with file, row, column, value and what is allowed.
    """
    issues = IssueCollector(str(path))
    posts = {p.id for p in config.posts} if config else None
    rows: list[dict[str, Any]] = []
    for parsed in _read_rows(Path(path), ROSTER_COLUMNS, "roster", issues, config):
        rec, headers = parsed["_raw"], parsed["_headers"]
        where = {"file": parsed["_file"], "location": parsed[ROW]}
        word = cell_text(rec["activity"]).lower()
        activity = ACTIVITIES.get(word)
        if activity is None:
            issues.error(
                "unknown activity",
                column=headers.get("activity", "activity"),
                value=cell_text(rec["activity"]),
                allowed="post, break, free",
                **where,
            )
            continue
        post = cell_text(rec.get("post")) or None
        if activity == "post" and post is None:
            issues.error(
                "a 'post' row needs the post held",
                column=headers.get("post", "post"),
                allowed="a post id",
                **where,
            )
            continue
        if post is not None and posts is not None and post not in posts:
            issues.error(
                "unknown post",
                column=headers.get("post", "post"),
                value=post,
                allowed=", ".join(sorted(posts)),
                **where,
            )
            continue
        rows.append(
            {
                "staff_id": parsed["staff_id"],
                "name": parsed["name"],
                "date": parsed["date"],
                "start": parsed["start"],
                "end": parsed["end"],
                "activity": activity,
                "post": post if activity == "post" else None,
            }
        )
    _in_file_order(issues)
    issues.raise_if_errors()
    return pd.DataFrame(rows, columns=list(ASSIGNMENT_COLUMNS))


def read_shift_file(path: str | Path, config: BranchConfig | None = None) -> pd.DataFrame:
    """Read ``shifts.csv`` into a :data:`SHIFT_COLUMNS` frame.

    ``paid_minutes`` defaults to the shift's length less its template's break.

    Raises:
        InputError: Every problem found, located.
    """
    issues = IssueCollector(str(path))
    templates = {t.id: t for t in config.shifts} if config else {}
    rows: list[dict[str, Any]] = []
    for parsed in _read_rows(Path(path), SHIFT_FILE_COLUMNS, "shift list", issues, config):
        rec, headers = parsed["_raw"], parsed["_headers"]
        where = {"file": parsed["_file"], "location": parsed[ROW]}
        shift = cell_text(rec.get("shift"))
        length = minutes_of(parse_clock(parsed["end"])) - minutes_of(parse_clock(parsed["start"]))
        if is_blank(rec.get("paid_minutes")):
            template = templates.get(shift)
            brk = template.break_rule.minutes if template and template.break_rule else 0
            paid = length - brk
        else:
            try:
                paid = parse_count(rec["paid_minutes"])
            except ValueError:
                paid = -1
            if not 0 <= paid <= length:
                issues.error(
                    "paid minutes must be a whole number between 0 and the shift's length",
                    column=headers.get("paid_minutes", "paid_minutes"),
                    value=cell_text(rec["paid_minutes"]),
                    allowed=f"0 to {length}",
                    **where,
                )
                continue
        rows.append(
            {
                "staff_id": parsed["staff_id"],
                "name": parsed["name"],
                "date": parsed["date"],
                "shift": shift,
                "start": parsed["start"],
                "end": parsed["end"],
                "paid_minutes": paid,
            }
        )
    _in_file_order(issues)
    issues.raise_if_errors()
    return pd.DataFrame(rows, columns=list(SHIFT_COLUMNS))


def _summary_horizon(summary: dict[str, Any]) -> tuple[dt.date, dt.date] | None:
    """The horizon a summary names, under any of the usual key spellings."""
    horizon = summary.get("horizon")
    start = end = None
    days = None
    if isinstance(horizon, dict):
        start, end, days = horizon.get("start"), horizon.get("end"), horizon.get("days")
    elif isinstance(horizon, str) and ".." in horizon:
        start, end = horizon.split("..", 1)
    start = start or summary.get("start") or summary.get("start_date")
    end = end or summary.get("end") or summary.get("end_date")
    days = days or summary.get("days")
    if start is None:
        return None
    first = parse_date(start)
    if end is not None:
        return first, parse_date(end)
    if days is not None:
        return first, first + dt.timedelta(days=int(days) - 1)
    return None


def read_summary(path: Path, issues: IssueCollector) -> dict[str, Any]:
    """The object in ``summary.json`` (any common encoding); a problem goes to ``issues``."""
    try:
        text = decode_text(path.read_bytes(), str(path))
    except InputError as exc:
        issues.extend(exc.issues)
        return {}
    except OSError as exc:
        issues.error(f"cannot read the file: {exc.strerror}", file=str(path))
        return {}
    try:
        loaded = json.loads(text)
    except json.JSONDecodeError as exc:
        issues.error(
            f"not valid JSON: {exc.msg}",
            file=str(path),
            location=f"line {exc.lineno}, column {exc.colno}",
            allowed="a JSON object, as the solver writes it",
        )
        return {}
    return loaded if isinstance(loaded, dict) else {}


def read_result_dir(folder: str | Path, config: BranchConfig) -> RosterRecord:
    """Read a result folder written by ``write_result_files`` into a record to publish.

    The branch and horizon come from ``summary.json`` when it names them; otherwise the
    branch is the configuration's and the horizon is the Monday-Sunday weeks spanning the
    roster's dates.

    Raises:
        InputError: If files are missing or malformed, or belong to another branch.
    """
    folder = Path(folder)
    issues = IssueCollector(str(folder))
    if not folder.is_dir():
        issues.error("result folder not found", allowed="a folder with roster.csv and shifts.csv")
        issues.raise_if_errors()
    roster_path, shifts_path = (
        find_result_file(folder, "roster"),
        find_result_file(folder, "shifts"),
    )
    if roster_path is None:
        issues.error("roster.csv is missing", allowed="the folder written by the solver")
    if shifts_path is None:
        issues.error("shifts.csv is missing", allowed="the folder written by the solver")
    summary: dict[str, Any] = {}
    summary_path = folder / "summary.json"
    if summary_path.exists():
        summary = read_summary(summary_path, issues)
    assignments = shifts = None
    for reader, path, target in (
        (read_roster_file, roster_path, "assignments"),
        (read_shift_file, shifts_path, "shifts"),
    ):
        if path is None:
            continue
        try:
            frame = reader(path, config)
        except InputError as exc:
            issues.extend(exc.issues)
            continue
        if target == "assignments":
            assignments = frame
        else:
            shifts = frame
    issues.raise_if_errors()
    assert assignments is not None and shifts is not None
    raw_stats = summary.get("stats")
    stats: dict[str, Any] = raw_stats if isinstance(raw_stats, dict) else {}
    branch = summary.get("branch_id") or summary.get("branch") or config.branch.id
    if isinstance(branch, dict):
        branch = branch.get("id", config.branch.id)
    if str(branch) != config.branch.id:
        issues.error(
            "the result belongs to another branch than the configuration",
            file=str(summary_path),
            column="branch_id",
            value=str(branch),
            allowed=config.branch.id,
        )
    try:
        horizon = _summary_horizon(summary)
    except (ValueError, TypeError):
        issues.error(
            "the horizon is not readable",
            file=str(summary_path),
            column="horizon",
            value=str(summary.get("horizon")),
            allowed='{"start": "YYYY-MM-DD", "days": 7}',
        )
        horizon = None
    issues.raise_if_errors()
    dates = list(assignments["date"]) + list(shifts["date"])
    if horizon is None:
        if not dates:
            issues.error("the roster is empty and summary.json names no horizon")
            issues.raise_if_errors()
        first, last = min(dates), max(dates)
        horizon = (first - dt.timedelta(days=first.weekday()),
                   last + dt.timedelta(days=6 - last.weekday()))  # fmt: skip
    outside = sorted({d for d in dates if not horizon[0] <= d <= horizon[1]})
    if outside:
        issues.error(
            "roster dates lie outside the horizon of summary.json",
            file=str(roster_path),
            column="date",
            value=str(outside[0]),
            allowed=f"{horizon[0]} to {horizon[1]}",
        )
        issues.raise_if_errors()
    status = str(summary.get("status") or stats.get("status") or "")
    if status in NO_ROSTER_STATUSES or (assignments.empty and shifts.empty):
        issues.error(
            f"the result holds no roster (status {status or 'unknown'}); nothing to publish",
            file=str(summary_path if summary else roster_path),
            column="status",
            value=status or None,
            allowed="a result with status OPTIMAL or FEASIBLE",
        )
        issues.raise_if_errors()
    objective = summary.get("objective", stats.get("objective"))
    return RosterRecord(
        branch_id=config.branch.id,
        start_date=horizon[0],
        end_date=horizon[1],
        assignments=assignments,
        shifts=shifts,
        status=status,
        objective=float(objective) if isinstance(objective, int | float) else None,
        summary=summary,
        source=str(folder),
    )


LONG_LEAVE_DAYS = 365
"""A leave row longer than this (a year) is read but warned about: most likely a wrong year."""


LEAVE_YEARS = (2000, 2100)
"""Years a leave file's dates may fall in (as the leave plan's years): 9999-12-31 for "open
ended" or a year typed 0202 is a mistake to show, not leave to record."""


def read_leave_file(
    path: str | Path,
    config: BranchConfig | None = None,
    warnings: list[Issue] | None = None,
) -> list[LeaveRequest]:
    """Read a leave file: one row per leave taken (staff id, first day, last day, kind).

    A missing last day means a single day; a missing kind means annual leave. A row longer
    than :data:`LONG_LEAVE_DAYS` is read, with a warning naming its row.

    Args:
        path: The CSV or XLSX file.
        config: The branch, to check staff ids against.
        warnings: Receives the warnings (rows read, but worth a look), when given.

    Raises:
        InputError: Every problem found, located.
    """
    issues = IssueCollector(str(path))
    staff_ids = {s.id for s in config.staff} if config else None
    out: list[LeaveRequest] = []
    try:
        tables = read_table(path, LEAVE_FILE_COLUMNS, "leave file")
    except InputError as exc:
        raise InputError(exc.issues) from None
    for table in tables:
        for rec in table.frame.to_dict("records"):
            where = {"file": table.file, "location": rec[ROW]}
            staff = cell_text(rec["staff_id"])
            if not staff or (staff_ids is not None and staff not in staff_ids):
                issues.error(
                    "unknown staff id" if staff else "staff id is empty",
                    column=table.header("staff_id"),
                    value=staff or None,
                    allowed=", ".join(sorted(staff_ids or [])) or "a staff id",
                    **where,
                )
                continue
            dates: list[dt.date] = []
            for col in ("start_date", "end_date"):
                raw = rec.get(col)
                if col == "end_date" and is_blank(raw):
                    dates.append(dates[0])
                    continue
                try:
                    dates.append(parse_date(raw))
                except ValueError:
                    issues.error(
                        "not a date",
                        column=table.header(col),
                        value=cell_text(raw),
                        allowed="YYYY-MM-DD",
                        **where,
                    )
                    break
            if len(dates) != 2:
                continue
            odd = [
                (col, day)
                for col, day in zip(("start_date", "end_date"), dates, strict=True)
                if not LEAVE_YEARS[0] <= day.year <= LEAVE_YEARS[1]
            ]
            if odd:
                col, day = odd[0]
                issues.error(
                    "the date is out of range",
                    column=table.header(col),
                    value=str(day),
                    allowed=f"a date in the years {LEAVE_YEARS[0]}-{LEAVE_YEARS[1]}",
                    **where,
                )
                continue
            word = cell_text(rec.get("kind")).lower() or "annual"
            kind = LEAVE_WORDS.get(word)
            if kind is None:
                issues.error(
                    "unknown leave kind",
                    column=table.header("kind"),
                    value=cell_text(rec.get("kind")),
                    allowed=", ".join(k.value for k in LeaveKind),
                    **where,
                )
                continue
            if dates[1] < dates[0]:
                issues.error(
                    "the last day is before the first",
                    column=table.header("end_date"),
                    value=str(dates[1]),
                    allowed=f"{dates[0]} or later",
                    **where,
                )
                continue
            days = (dates[1] - dates[0]).days + 1
            if days > LONG_LEAVE_DAYS:
                issues.warning(
                    f"leave of {days} days, longer than a year: check the years",
                    column=table.header("end_date"),
                    value=f"{dates[0]} to {dates[1]}",
                    allowed=f"at most {LONG_LEAVE_DAYS} days in one row",
                    **where,
                )
            out.append(
                LeaveRequest(
                    staff_id=staff,
                    start_date=dates[0],
                    end_date=dates[1],
                    kind=kind,
                    note=cell_text(rec.get("note")),
                )
            )
    issues.raise_if_errors()
    if warnings is not None:
        warnings.extend(i for i in issues.issues if i.severity != "error")
    return out


def read_requirement_file(path: str | Path) -> pd.DataFrame:
    """Read a requirement frame (``requirements.csv``): one row per slot and post.

    The file may come from the staffing stage, from Excel (re-saved, other encodings, XLSX)
    or be written by hand with Chinese headers. ``ds`` (or 日期 + 时段), ``post`` and
    ``required`` are needed; the other columns of :data:`scheduler.frames.REQUIREMENT_COLUMNS`
    are read when present. The posts are checked against the configuration later, by the
    roster.

    Returns:
        A frame with those columns: ``ds`` as timestamps, ``date`` as dates, counts as
        integers, figures as floats, ``unmeetable`` as booleans.

    Raises:
        InputError: Every problem found, each with its file, row, column, value and what is
            allowed (at most 20 of each kind, then a count).
    """
    tables = read_table(path, REQUIREMENT_FILE_COLUMNS, "requirement frame")
    limiter = IssueLimiter(str(path))
    present = {"date", "ds", "post", "required"}
    rows: list[dict[str, Any]] = []
    source_rows: list[int] = []
    first_row: dict[tuple[dt.datetime, str], int] = {}
    for table in tables:
        present |= set(table.headers)
        for rec in table.frame.to_dict("records"):
            parsed = _requirement_row(_RowProblems(limiter, table, rec))
            if parsed is None:
                continue
            key = (parsed["ds"], parsed["post"])
            if key in first_row:
                _RowProblems(limiter, table, rec)(
                    "ds",
                    "a second row for the same slot and post",
                    f"{parsed['ds']:%Y-%m-%d %H:%M} {parsed['post']}",
                    f"one row per slot and post (the first is row {first_row[key]})",
                )
                continue
            first_row[key] = int(rec[ROW])
            rows.append(parsed)
            source_rows.append(int(rec[ROW]))
    if not rows and not limiter.issues:
        limiter.add(
            Issue(
                str(path),
                "the file has a header but no rows",
                allowed="one row per slot and post (ds, post, required)",
            )
        )
    if limiter.issues:
        raise InputError(limiter.finish())
    columns = [c for c in REQUIREMENT_COLUMNS if c in present]
    frame = pd.DataFrame(rows).reindex(columns=columns)
    frame["ds"] = pd.to_datetime(frame["ds"])
    for column in _REQUIREMENT_COUNTS:
        if column in frame and frame[column].notna().all():
            frame[column] = frame[column].astype("int64")
    for column in _REQUIREMENT_NUMBERS:
        if column in frame:
            frame[column] = frame[column].astype("float64")
    # Problems found later are told at these rows; keyed by index label, so a caller who
    # sorts or filters the frame keeps each row's number.
    frame.attrs[SOURCE_ROWS] = dict(zip(frame.index.tolist(), source_rows, strict=True))
    return frame


class _RowProblems:
    """Records problems of one row of a table, at its file, row and the column's header."""

    def __init__(self, limiter: IssueLimiter, table: Table, rec: dict[str, Any]):
        self.limiter, self.table, self.rec = limiter, table, rec
        self.found = False

    def __call__(self, column: str, message: str, value: Any, allowed: str) -> None:
        """Record that ``column`` of this row holds ``value``, which is wrong."""
        self.found = True
        self.limiter.add(
            Issue(
                self.rec[FILE],
                message,
                int(self.rec[ROW]),
                self.table.header(column),
                value=cell_text(value) or None,
                allowed=allowed,
            )
        )


def _requirement_row(bad: _RowProblems) -> dict[str, Any] | None:
    """One row of a requirement file as typed values, or ``None`` when it has a problem."""
    rec = bad.rec
    day = None
    if not is_blank(rec.get("date")):
        try:
            day = parse_date(rec["date"])
        except ValueError:
            bad("date", "not a date", rec["date"], "a date such as 2026-12-01")
    try:
        ds = parse_stamp(rec["ds"], day)
    except ValueError:
        if not bad.found:
            bad("ds", "not a date and time", rec["ds"], STAMP_ALLOWED)
        return None
    if day is not None and ds.date() != day:
        bad("date", "the date differs from the day of ds", rec["date"], str(ds.date()))
    post = cell_text(rec["post"])
    if not post:
        bad("post", "the post is empty", None, "a post id of the configuration")
    out: dict[str, Any] = {"date": ds.date(), "ds": ds, "post": post}
    for column in _REQUIREMENT_COUNTS:
        value = rec.get(column)
        if column != "required" and is_blank(value):
            out[column] = None
            continue
        try:
            out[column] = parse_count(value)
        except ValueError:
            bad(column, "staff must be a whole number of people", value, "0, 1, 2, ...")
            continue
        if out[column] > MAX_REQUIRED:
            bad(column, "more staff than a post can hold", value, f"0 to {MAX_REQUIRED}")
    for column in _REQUIREMENT_NUMBERS:
        value = rec.get(column)
        try:
            out[column] = float("nan") if is_blank(value) else float(cell_text(value))
        except ValueError:
            bad(column, "not a number", value, "a number such as 2.5, or empty")
    try:
        out["unmeetable"] = parse_flag(rec.get("unmeetable"))
    except ValueError:
        bad("unmeetable", "not yes or no", rec.get("unmeetable"), "true, false, 是, 否")
    out["branch"] = cell_text(rec.get("branch")) or None
    out["reason"] = cell_text(rec.get("reason")) or None
    return None if bad.found else out
