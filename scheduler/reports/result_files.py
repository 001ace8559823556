"""Read a result folder back into a :class:`RosterResult` and the frames the report draws.

The folder is what ``scheduler.roster.files.write_result_files`` writes (``roster.csv``,
``shifts.csv``, ``coverage.csv``, ``people.csv``, ``penalties.csv``, ``summary.json``), plus
the stage frames the ``run`` command writes beside them when present (``forecast.csv``,
``requirements.csv``, ``simulation.csv``). Every file is read by the same tolerant table reader
as ``publish`` and ``schedule --published`` (:mod:`scheduler.history.files`,
:func:`scheduler.io.tables.read_table`): CSV in UTF-8 with or without BOM, GBK or UTF-16 (as
Excel re-saves it), XLSX, English or Chinese headers (the workbook's words: 日期, 时段, 岗位,
需求, 已排, 工号, 姓名, 工时 ...). Every problem of every file is reported at once, with its
file, row, column, value and what is allowed.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from scheduler.calendar import Horizon
from scheduler.domain import BranchConfig
from scheduler.errors import InputError, IssueCollector
from scheduler.frames import COVERAGE_COLUMNS, FORECAST_COLUMNS, SIMULATION_COLUMNS
from scheduler.history.files import STAMP_ALLOWED, parse_stamp, read_summary
from scheduler.io.config_file import decode_text
from scheduler.io.tables import (
    FILE,
    ROW,
    ColumnSpec,
    Table,
    cell_text,
    is_blank,
    parse_date,
    read_table,
)
from scheduler.reports.view import to_date
from scheduler.roster.result import (
    PERSON_COLUMNS,
    Conflict,
    Penalty,
    RosterResult,
    SolverStats,
    WarningFields,
)

STATUSES = ("OPTIMAL", "FEASIBLE", "INFEASIBLE", "UNKNOWN", "MODEL_INVALID")
"""Solver statuses a ``summary.json`` may name."""


Converter = tuple[Callable[[Any], Any], str]
"""A cell converter and the description of what it accepts."""


@dataclass(frozen=True)
class ResultFolder:
    """What a result folder holds.

    Attributes:
        result: The roster result.
        forecast: ``forecast.csv`` when present.
        requirements: ``requirements.csv`` when present.
        simulation: ``simulation.csv`` when present.
    """

    result: RosterResult
    forecast: pd.DataFrame | None = None
    requirements: pd.DataFrame | None = None
    simulation: pd.DataFrame | None = None


COVERAGE_FILE_COLUMNS = (
    ColumnSpec("date", ("日期",)),
    ColumnSpec("ds", ("时段", "时间", "slot", "timestamp")),
    ColumnSpec("post", ("岗位",)),
    ColumnSpec("required", ("需求", "需求人数")),
    ColumnSpec("assigned", ("已排", "已排人数")),
    ColumnSpec("gap", ("差额",), required=False),
)
"""Columns of ``coverage.csv`` and the header names accepted (the workbook's words too)."""

PEOPLE_FILE_COLUMNS = (
    ColumnSpec("staff_id", ("工号", "员工编号", "staff")),
    ColumnSpec("name", ("姓名", "员工")),
    ColumnSpec("paid_hours", ("工时",), required=False),
    ColumnSpec("contract_hours", ("合同工时",), required=False),
    ColumnSpec("days_worked", ("出勤天数",), required=False),
    ColumnSpec("weekend_days", ("周末天数",), required=False),
    ColumnSpec("late_shifts", ("晚班次数",), required=False),
    ColumnSpec("overtime_hours", ("加班工时",), required=False),
    ColumnSpec("labour_cost", ("人工成本",), required=False),
    ColumnSpec("preferences_met", ("偏好满足",), required=False),
    ColumnSpec("preferences_total", ("偏好总数",), required=False),
)
"""Columns of ``people.csv`` (:data:`~scheduler.roster.result.PERSON_COLUMNS`)."""

PENALTY_FILE_COLUMNS = (
    ColumnSpec("rule", ("规则",)),
    ColumnSpec("amount", ("违反量",), required=False),
    ColumnSpec("cost", ("罚分",)),
    ColumnSpec("message", ("说明",)),
    ColumnSpec("message_zh", ("中文说明",), required=False),
    ColumnSpec("staff_id", ("工号", "人员"), required=False),
    ColumnSpec("date", ("日期",), required=False),
    ColumnSpec("ds", ("时段", "时间"), required=False),
    ColumnSpec("post", ("岗位",), required=False),
)
"""Columns of ``penalties.csv``. ``message_zh`` (the Chinese sentence) is optional: without
it, as in files written before it existed, the one sentence given stands for both."""

FORECAST_FILE_COLUMNS = tuple(
    ColumnSpec(c, required=c in ("channel", "ds", "mean")) for c in FORECAST_COLUMNS
)
"""Columns of ``forecast.csv`` (``channel``, ``ds`` and ``mean`` needed)."""

SIMULATION_FILE_COLUMNS = tuple(
    ColumnSpec(c, required=c in ("ds", "channel", "mean_wait_min")) for c in SIMULATION_COLUMNS
)
"""Columns of ``simulation.csv`` (``ds``, ``channel`` and ``mean_wait_min`` needed)."""


def _read(
    path: Path, columns: Sequence[ColumnSpec], what: str, issues: IssueCollector
) -> Table | None:
    """The rows of a result file (CSV in any common encoding, or XLSX), or ``None``.

    Every sheet of a workbook is one table; their rows are put together. Problems of the
    file's structure (encoding, missing columns, an empty file) go to ``issues``.
    """
    try:
        tables = read_table(path, columns, what)
    except InputError as exc:
        issues.extend(exc.issues)
        return None
    frame = pd.concat([t.frame for t in tables], ignore_index=True) if tables else None
    headers: dict[str, str] = {}
    for table in tables:
        for name, header in table.headers.items():
            headers.setdefault(name, header)
    if frame is None:
        frame = pd.DataFrame(columns=[c.name for c in columns] + [ROW, FILE])
    absent = [c.name for c in columns if not c.required and c.name not in headers]
    return Table(str(path), frame.drop(columns=absent), headers)


def _convert(
    table: Table,
    converters: dict[str, Converter],
    issues: IssueCollector,
    optional: Sequence[str] = (),
) -> pd.DataFrame:
    """Convert each listed column cell by cell; a bad cell is an issue with its row.

    An empty cell of an ``optional`` column becomes ``None``. A ``ds`` cell holding only a
    time of day takes its date from the row's ``date``.
    """
    out = table.frame.copy()
    for column, (convert, allowed) in converters.items():
        if column not in out.columns:
            continue
        days = out["date"] if column == "ds" and "date" in out.columns else None
        values: list[Any] = []
        for idx, cell in out[column].items():
            if is_blank(cell):
                if column not in optional:
                    _bad(issues, table, idx, column, "the value is missing", None, allowed)
                values.append(None)
                continue
            try:
                value = parse_stamp(cell, days[idx]) if days is not None else convert(cell)
            except (ValueError, TypeError, OverflowError):
                _bad(issues, table, idx, column, "cannot read the value", cell, allowed)
                value = None
            values.append(value)
        out[column] = pd.Series(values, index=out.index, dtype=object)
    return out


def _bad(
    issues: IssueCollector,
    table: Table,
    idx: Any,
    column: str,
    message: str,
    value: Any,
    allowed: str,
) -> None:
    issues.error(
        message,
        file=table.frame.at[idx, FILE],
        location=int(table.frame.at[idx, ROW]),
        column=table.header(column),
        value=cell_text(value) if value is not None else None,
        allowed=allowed,
    )


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError(value)
    number = float(value) if isinstance(value, int | float) else float(cell_text(value))
    if math.isnan(number) or math.isinf(number):
        raise ValueError(value)
    return number


def _whole(value: Any) -> int:
    number = _number(value)
    if not number.is_integer():
        raise ValueError(value)
    return int(number)


def _stamp(value: Any) -> dt.datetime:
    return parse_stamp(value)


DATE: Converter = (parse_date, "a date such as 2026-12-01")
STAMP: Converter = (_stamp, STAMP_ALLOWED)
NUMBER: Converter = (_number, "a number")
WHOLE: Converter = (_whole, "a whole number")


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    """A text column: each cell as text, ``None`` for empty cells or an absent column."""
    if column not in frame.columns:
        return pd.Series([None] * len(frame), index=frame.index, dtype=object)
    values = [cell_text(v) or None for v in frame[column]]
    return pd.Series(values, index=frame.index, dtype=object)


def _read_coverage(path: Path, issues: IssueCollector) -> pd.DataFrame | None:
    table = _read(path, COVERAGE_FILE_COLUMNS, "coverage", issues)
    if table is None:
        return None
    frame = _convert(
        table,
        {"date": DATE, "ds": STAMP, "required": WHOLE, "assigned": WHOLE},
        issues,
    )
    frame["post"] = _text(frame, "post")
    if not issues.has_errors:
        frame["gap"] = [
            int(a) - int(r) for a, r in zip(frame["assigned"], frame["required"], strict=True)
        ]
    else:
        frame["gap"] = None
    return frame[list(COVERAGE_COLUMNS)]


def _read_people(path: Path, issues: IssueCollector) -> pd.DataFrame | None:
    table = _read(path, PEOPLE_FILE_COLUMNS, "people", issues)
    if table is None:
        return None
    numeric = [c for c in PERSON_COLUMNS if c not in ("staff_id", "name")]
    frame = _convert(table, {c: NUMBER for c in numeric}, issues, optional=numeric)
    for column in ("staff_id", "name"):
        frame[column] = _text(frame, column).fillna("")
    for column in numeric:
        if column not in frame.columns:
            frame[column] = None
    if not issues.has_errors:
        for column in numeric:
            frame[column] = pd.to_numeric(frame[column])
    return frame[list(PERSON_COLUMNS)]


def _read_penalties(path: Path, issues: IssueCollector) -> tuple[Penalty, ...]:
    table = _read(path, PENALTY_FILE_COLUMNS, "penalties", issues)
    if table is None:
        return ()
    frame = _convert(
        table,
        {"amount": NUMBER, "cost": NUMBER, "date": DATE, "ds": STAMP},
        issues,
        optional=("amount", "date", "ds"),
    )
    if issues.has_errors:
        return ()
    for column in ("rule", "message", "message_zh", "staff_id", "post"):
        frame[column] = _text(frame, column)
    for column in ("amount", "date", "ds"):
        if column not in frame.columns:
            frame[column] = None
    return tuple(
        Penalty(
            rule=r["rule"] or "",
            amount=float(r["amount"]) if r["amount"] is not None else float(r["cost"]),
            cost=float(r["cost"]),
            message=r["message"] or "",
            staff_id=r["staff_id"],
            date=r["date"],
            ds=r["ds"],
            post=r["post"],
            message_zh=r["message_zh"] or r["message"] or "",
        )
        for r in frame.to_dict("records")
    )


def _optional_frame(
    path: Path | None,
    columns: Sequence[ColumnSpec],
    issues: IssueCollector,
    numbers: Sequence[str],
) -> pd.DataFrame | None:
    if path is None:
        return None
    table = _read(path, columns, path.stem, issues)
    if table is None:
        return None
    converters: dict[str, Converter] = {c: NUMBER for c in numbers if c in table.frame.columns}
    converters["ds"] = STAMP
    if "date" in table.frame.columns:
        converters["date"] = DATE
    frame = _convert(table, converters, issues, optional=list(numbers))
    texts = [c.name for c in columns if c.name in frame.columns and c.name not in converters]
    for column in texts:
        frame[column] = _text(frame, column)
    if not issues.has_errors:
        for column in numbers:
            if column in frame.columns:
                frame[column] = pd.to_numeric(frame[column])
    return frame.drop(columns=[ROW, FILE])


def _requirements(path: Path | None, issues: IssueCollector) -> pd.DataFrame | None:
    """``requirements.csv`` read as ``schedule --requirements`` reads it, when present."""
    from scheduler.history.files import read_requirement_file

    if path is None:
        return None
    try:
        return read_requirement_file(path)
    except InputError as exc:
        issues.extend(exc.issues)
        return None


def _stats(summary: dict[str, Any], file: str, issues: IssueCollector) -> SolverStats:
    nested = summary.get("stats")
    source = nested if isinstance(nested, dict) else summary
    status = str(source.get("status") or "FEASIBLE").upper()
    if status not in STATUSES:
        issues.error(
            "unknown solver status",
            file=file,
            column="status",
            value=status,
            allowed=", ".join(STATUSES),
        )

    def num(key: str) -> float | None:
        value = source.get(key)
        return float(value) if isinstance(value, int | float) else None

    def whole(key: str) -> int:
        value = source.get(key)
        return int(value) if isinstance(value, int | float) else 0

    return SolverStats(
        status=status,
        objective=num("objective"),
        best_bound=num("best_bound"),
        gap=num("gap"),
        wall_time_s=num("wall_time_s") or 0.0,
        variables=whole("variables"),
        constraints=whole("constraints"),
        workers=whole("workers"),
        seed=whole("seed"),
    )


def _conflicts(folder: Path) -> tuple[Conflict, ...]:
    path = folder / "conflicts.txt"
    if not path.exists():
        return ()
    try:
        text = decode_text(path.read_bytes(), str(path)).strip()
    except (InputError, OSError):
        text = path.read_bytes().decode("utf-8", errors="replace").strip()
    return (Conflict(rules=(), message=text),) if text else ()  # one language: both read it


def _warnings(summary: dict[str, Any]) -> WarningFields:
    """The warnings of ``summary.json`` in English and Chinese (an older file has no Chinese)."""

    def texts(key: str) -> tuple[str, ...]:
        value = summary.get(key)
        return tuple(str(w) for w in value) if isinstance(value, list) else ()

    return WarningFields(warnings=texts("warnings"), warnings_zh=texts("warnings_zh"))


def _without_roster(
    folder: Path, config: BranchConfig, issues: IssueCollector
) -> ResultFolder | None:
    """The answer of a solve that found no roster, read from ``summary.json``; else ``None``."""
    path = folder / "summary.json"
    if not path.is_file():
        return None
    summary = read_summary(path, IssueCollector(str(path)))  # the full reader reports
    if not summary:
        return None
    stats = _stats(summary, str(path), IssueCollector(str(path)))  # the full reader reports
    if stats.status in ("OPTIMAL", "FEASIBLE") or stats.status not in STATUSES:
        return None
    horizon = summary.get("horizon")
    try:
        start = to_date(horizon["start"])  # type: ignore[index]
        days = int(horizon["days"])  # type: ignore[index]
    except (KeyError, TypeError, ValueError):
        issues.error(
            "the horizon is not readable",
            file=str(path),
            column="horizon",
            value=str(horizon),
            allowed='{"start": "YYYY-MM-DD", "days": 7}',
        )
        raise InputError(issues.issues) from None
    result = RosterResult(
        branch_id=str(summary.get("branch") or summary.get("branch_id") or config.branch.id),
        horizon=Horizon(start, days),
        stats=stats,
        conflicts=_conflicts(folder),
        **_warnings(summary),
    )
    return ResultFolder(result)


def read_result_folder(folder: str | Path, config: BranchConfig) -> ResultFolder:
    """Read a result folder into a :class:`ResultFolder`.

    Args:
        folder: The folder written by ``write_result_files`` (and ``run``).
        config: The branch the result belongs to.

    Returns:
        The roster result, with the forecast, requirement and simulation frames when the
        folder holds them.

    Raises:
        InputError: Listing every missing file and every unreadable row, column and value.
    """
    from scheduler.history.files import find_result_file, read_result_dir

    folder = Path(folder)
    issues = IssueCollector(str(folder))
    answer = _without_roster(folder, config, issues)
    if answer is not None:
        return answer
    try:
        record = read_result_dir(folder, config)
    except InputError as exc:
        issues.extend(exc.issues)
        record = None
    found = {
        stem: find_result_file(folder, stem) if folder.is_dir() else None
        for stem in ("coverage", "people", "penalties", "forecast", "requirements", "simulation")
    }
    for stem in ("coverage", "people"):
        if folder.is_dir() and found[stem] is None:
            issues.error(f"{stem}.csv is missing", allowed="the folder written by the solver")
    issues.raise_if_errors()
    assert record is not None and found["coverage"] and found["people"]
    coverage = _read_coverage(found["coverage"], issues)
    people = _read_people(found["people"], issues)
    penalties = _read_penalties(found["penalties"], issues) if found["penalties"] else ()
    summary = record.summary
    stats = _stats(summary, str(folder / "summary.json"), issues)
    forecast = _optional_frame(
        found["forecast"],
        FORECAST_FILE_COLUMNS,
        issues,
        [c for c in FORECAST_COLUMNS if c == "mean" or c[:3] in ("lo-", "hi-")],
    )
    requirements = _requirements(found["requirements"], issues)
    simulation = _optional_frame(
        found["simulation"],
        SIMULATION_FILE_COLUMNS,
        issues,
        [c for c in SIMULATION_COLUMNS if c not in ("date", "ds", "channel")],
    )
    issues.raise_if_errors()
    assert coverage is not None and people is not None
    horizon = Horizon(record.start_date, (record.end_date - record.start_date).days + 1)
    result = RosterResult(
        branch_id=record.branch_id,
        horizon=horizon,
        stats=stats,
        assignments=record.assignments,
        shifts=record.shifts,
        coverage=coverage,
        people=people,
        penalties=penalties,
        conflicts=_conflicts(folder),
        **_warnings(summary),
    )
    return ResultFolder(result, forecast=forecast, requirements=requirements, simulation=simulation)
