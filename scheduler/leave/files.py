"""Files of the leave planner: staff wishes in, the previous plan in, the plan out.

* Preferences (CSV/XLSX): ``staff_id``, ``earliest``, ``latest``, optional ``weight`` (1-10).
* Previous plan: the ``leave_plan.csv`` an earlier run wrote (``staff_id`` and ``start`` are
  read; other columns are ignored).
* Output: ``leave_plan.csv`` (:data:`~scheduler.leave.plan.PLAN_COLUMNS`) and
  ``entitlements.csv`` (:data:`~scheduler.leave.entitlement.ENTITLEMENT_COLUMNS`), written
  atomically.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from scheduler.domain import BranchConfig
from scheduler.errors import InputError, IssueCollector
from scheduler.io.atomic import atomic_write_text
from scheduler.io.tables import ROW, ColumnSpec, cell_text, is_blank, parse_date, read_table
from scheduler.leave.plan import LeavePreference, PlannedBlock

PREFERENCE_COLUMNS = (
    ColumnSpec("staff_id", ("工号", "员工编号", "staff")),
    ColumnSpec("earliest", ("最早", "开始日期", "from", "start")),
    ColumnSpec("latest", ("最晚", "结束日期", "to", "end")),
    ColumnSpec("weight", ("权重", "优先级"), required=False),
)
"""Columns of a preferences file and the header names accepted."""

PREVIOUS_COLUMNS = (
    ColumnSpec("staff_id", ("工号", "员工编号", "staff")),
    ColumnSpec("start", ("开始日期", "start_date")),
)
"""Columns read from a previous plan."""


def _staff_ok(
    issues: IssueCollector, staff: str, config: BranchConfig, where: dict[str, object], col: str
) -> bool:
    ids = {s.id for s in config.staff}
    if staff in ids:
        return True
    issues.error(
        "unknown staff id" if staff else "staff id is empty",
        column=col,
        value=staff or None,
        allowed=", ".join(sorted(ids)),
        **where,
    )
    return False


def _date(
    issues: IssueCollector, value: object, where: dict[str, object], col: str
) -> dt.date | None:
    try:
        return parse_date(value)
    except ValueError:
        issues.error(
            "not a date", column=col, value=cell_text(value), allowed="YYYY-MM-DD", **where
        )
        return None


def read_preferences(path: str | Path, config: BranchConfig) -> list[LeavePreference]:
    """Read staff wishes for their mandatory block.

    Raises:
        InputError: Every problem found, with file, row, column, value and what is allowed.
    """
    issues = IssueCollector(str(path))
    out: list[LeavePreference] = []
    for table in read_table(path, PREFERENCE_COLUMNS, "leave preference file"):
        for rec in table.frame.to_dict("records"):
            where = {"file": table.file, "location": rec[ROW]}
            staff = cell_text(rec["staff_id"])
            ok = _staff_ok(issues, staff, config, where, table.header("staff_id"))
            lo = _date(issues, rec["earliest"], where, table.header("earliest"))
            hi = _date(issues, rec["latest"], where, table.header("latest"))
            weight = 1
            if not is_blank(rec.get("weight")):
                text = cell_text(rec["weight"])
                if text.isdigit() and 1 <= int(text) <= 10:
                    weight = int(text)
                else:
                    issues.error(
                        "weight must be a whole number from 1 to 10",
                        column=table.header("weight"),
                        value=text,
                        allowed="1-10",
                        **where,
                    )
                    ok = False
            if lo and hi and hi < lo:
                issues.error(
                    "latest is before earliest",
                    column=table.header("latest"),
                    value=str(hi),
                    allowed=f"{lo} or later",
                    **where,
                )
                ok = False
            if ok and lo and hi:
                out.append(LeavePreference(staff, lo, hi, weight))
    issues.raise_if_errors()
    return out


def read_previous_plan(path: str | Path, config: BranchConfig) -> list[PlannedBlock]:
    """Read the blocks of an earlier plan (``leave_plan.csv``).

    Raises:
        InputError: Every problem found, located.
    """
    issues = IssueCollector(str(path))
    out: list[PlannedBlock] = []
    seen: set[str] = set()
    for table in read_table(path, PREVIOUS_COLUMNS, "previous leave plan"):
        for rec in table.frame.to_dict("records"):
            where = {"file": table.file, "location": rec[ROW]}
            staff = cell_text(rec["staff_id"])
            ok = _staff_ok(issues, staff, config, where, table.header("staff_id"))
            start = _date(issues, rec["start"], where, table.header("start"))
            if ok and staff in seen:
                issues.error(
                    "a second block for the same person",
                    column=table.header("staff_id"),
                    value=staff,
                    allowed="one row per person",
                    **where,
                )
                continue
            if ok and start:
                seen.add(staff)
                out.append(PlannedBlock(staff, start))
    issues.raise_if_errors()
    return out


def write_frame_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write a frame as UTF-8 CSV (with BOM so that Excel reads Chinese names) atomically."""
    return atomic_write_text(path, frame.to_csv(index=False), encoding="utf-8-sig")


def parse_date_range(text: str) -> tuple[dt.date, dt.date]:
    """Parse ``2027-06-20..2027-06-30`` (or a single date) into an inclusive range.

    Raises:
        InputError: If the text is not a date or a range of dates in order.
    """
    parts = [p.strip() for p in text.split("..")]
    issues = IssueCollector("--blackout")
    try:
        lo = parse_date(parts[0])
        hi = parse_date(parts[1]) if len(parts) > 1 else lo
    except ValueError:
        issues.error("not a date range", value=text, allowed="YYYY-MM-DD..YYYY-MM-DD")
        raise InputError(issues.issues) from None
    if len(parts) > 2 or hi < lo:
        issues.error("not a date range in order", value=text, allowed="YYYY-MM-DD..YYYY-MM-DD")
        raise InputError(issues.issues)
    return lo, hi
