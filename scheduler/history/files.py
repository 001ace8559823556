"""Read what the store publishes and records: a result folder and leave files.

A result folder is what the solver's ``write_result_files`` writes: ``roster.csv``
(:data:`scheduler.frames.ASSIGNMENT_COLUMNS`), ``shifts.csv``
(:data:`scheduler.frames.SHIFT_COLUMNS`) and ``summary.json``. They are read tolerantly
(Chinese or English headers, CSV or XLSX, any common encoding), checked against the branch
configuration, and every problem is reported with its file, row, column and value.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pandas as pd

from scheduler.domain import BranchConfig, LeaveKind, LeaveRequest
from scheduler.domain.common import format_clock, minutes_of, parse_clock
from scheduler.errors import InputError, IssueCollector
from scheduler.frames import ASSIGNMENT_COLUMNS, SHIFT_COLUMNS
from scheduler.history.store import RosterRecord
from scheduler.io.tables import ROW, ColumnSpec, cell_text, is_blank, parse_date, read_table

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


NO_ROSTER_STATUSES = ("INFEASIBLE", "MODEL_INVALID", "UNKNOWN")
"""Solver statuses of results that hold no roster to publish."""


def _find(folder: Path, stem: str) -> Path | None:
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
                paid = int(float(cell_text(rec["paid_minutes"])))
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
    roster_path, shifts_path = _find(folder, "roster"), _find(folder, "shifts")
    if roster_path is None:
        issues.error("roster.csv is missing", allowed="the folder written by the solver")
    if shifts_path is None:
        issues.error("shifts.csv is missing", allowed="the folder written by the solver")
    summary: dict[str, Any] = {}
    summary_path = folder / "summary.json"
    if summary_path.exists():
        try:
            loaded = json.loads(summary_path.read_text(encoding="utf-8"))
            summary = loaded if isinstance(loaded, dict) else {}
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            issues.error(f"not valid JSON ({exc})", file=str(summary_path), allowed="a JSON object")
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


def read_leave_file(path: str | Path, config: BranchConfig | None = None) -> list[LeaveRequest]:
    """Read a leave file: one row per leave taken (staff id, first day, last day, kind).

    A missing last day means a single day; a missing kind means annual leave.

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
    return out
