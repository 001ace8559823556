"""Read a result folder back into a :class:`RosterResult` and the frames the report draws.

The folder is what ``scheduler.roster.files.write_result_files`` writes (``roster.csv``,
``shifts.csv``, ``coverage.csv``, ``people.csv``, ``penalties.csv``, ``summary.json``), plus
the stage frames the ``run`` command writes beside them when present (``forecast.csv``,
``requirements.csv``, ``simulation.csv``). The roster and shift files are read by the history
store's tolerant reader; every problem of every file is reported at once, with its file, row,
column, value and what is allowed.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from scheduler.calendar import Horizon
from scheduler.domain import BranchConfig
from scheduler.errors import InputError, IssueCollector
from scheduler.frames import (
    COVERAGE_COLUMNS,
    FORECAST_COLUMNS,
    REQUIREMENT_COLUMNS,
    SIMULATION_COLUMNS,
)
from scheduler.reports.view import to_date
from scheduler.roster.result import PERSON_COLUMNS, Conflict, Penalty, RosterResult, SolverStats

STATUSES = ("OPTIMAL", "FEASIBLE", "INFEASIBLE", "UNKNOWN", "MODEL_INVALID")
"""Solver statuses a ``summary.json`` may name."""


Converter = tuple[Callable[[str], Any], str]
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


def _read_csv(path: Path, issues: IssueCollector) -> pd.DataFrame | None:
    try:
        return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        issues.error(f"cannot read the file as CSV ({exc})", file=str(path), allowed="UTF-8 CSV")
        return None


def _missing_columns(
    frame: pd.DataFrame, path: Path, columns: Sequence[str], issues: IssueCollector
) -> bool:
    missing = [c for c in columns if c not in frame.columns]
    for column in missing:
        issues.error(
            "column missing",
            file=str(path),
            location=1,
            column=column,
            value=", ".join(frame.columns),
            allowed=", ".join(columns),
        )
    return bool(missing)


def _convert(
    frame: pd.DataFrame,
    path: Path,
    converters: dict[str, Converter],
    issues: IssueCollector,
    optional: Sequence[str] = (),
) -> pd.DataFrame:
    """Convert each listed column cell by cell; a bad cell is an issue with its row."""
    out = frame.copy()
    for column, (convert, allowed) in converters.items():
        if column not in out.columns:
            continue
        values: list[Any] = []
        for i, text in enumerate(out[column]):
            text = str(text).strip()
            if not text and column in optional:
                values.append(None)
                continue
            try:
                values.append(convert(text))
            except (ValueError, TypeError, OverflowError):
                issues.error(
                    "cannot read the value",
                    file=str(path),
                    location=i + 2,  # the header is row 1
                    column=column,
                    value=text,
                    allowed=allowed,
                )
                values.append(None)
        out[column] = pd.Series(values, index=out.index, dtype=object)
    return out


def _number(text: str) -> float:
    value = float(text)
    if math.isnan(value) or math.isinf(value):
        raise ValueError(text)
    return value


def _whole(text: str) -> int:
    value = _number(text)
    if not value.is_integer():
        raise ValueError(text)
    return int(value)


def _stamp(text: str) -> dt.datetime:
    return pd.Timestamp(text).to_pydatetime()


DATE: Converter = (to_date, "a date such as 2026-12-01")
STAMP: Converter = (_stamp, "a date and time such as 2026-12-01 09:00:00")
NUMBER: Converter = (_number, "a number")
WHOLE: Converter = (_whole, "a whole number")


def _read_coverage(path: Path, issues: IssueCollector) -> pd.DataFrame | None:
    frame = _read_csv(path, issues)
    needed = [c for c in COVERAGE_COLUMNS if c != "gap"]
    if frame is None or _missing_columns(frame, path, needed, issues):
        return None
    frame = _convert(
        frame,
        path,
        {"date": DATE, "ds": STAMP, "required": WHOLE, "assigned": WHOLE},
        issues,
    )
    if not issues.has_errors:
        frame["gap"] = [
            int(a) - int(r) for a, r in zip(frame["assigned"], frame["required"], strict=True)
        ]
    return frame[list(COVERAGE_COLUMNS)]


def _read_people(path: Path, issues: IssueCollector) -> pd.DataFrame | None:
    frame = _read_csv(path, issues)
    if frame is None or _missing_columns(frame, path, ["staff_id", "name"], issues):
        return None
    numeric = [c for c in PERSON_COLUMNS if c not in ("staff_id", "name")]
    for column in numeric:
        if column not in frame.columns:
            frame[column] = ""
    frame = _convert(frame, path, {c: NUMBER for c in numeric}, issues, optional=numeric)
    if not issues.has_errors:
        for column in numeric:
            frame[column] = pd.to_numeric(frame[column])
    return frame[list(PERSON_COLUMNS)]


def _read_penalties(path: Path, issues: IssueCollector) -> tuple[Penalty, ...]:
    frame = _read_csv(path, issues)
    if frame is None or _missing_columns(frame, path, ["rule", "cost", "message"], issues):
        return ()
    for column in ("amount", "staff_id", "date", "ds", "post"):
        if column not in frame.columns:
            frame[column] = ""
    frame = _convert(
        frame,
        path,
        {"amount": NUMBER, "cost": NUMBER, "date": DATE, "ds": STAMP},
        issues,
        optional=("amount", "date", "ds"),
    )
    if issues.has_errors:
        return ()
    return tuple(
        Penalty(
            rule=str(r["rule"]),
            amount=float(r["amount"]) if r["amount"] is not None else float(r["cost"]),
            cost=float(r["cost"]),
            message=str(r["message"]),
            staff_id=str(r["staff_id"]) or None,
            date=r["date"],
            ds=r["ds"],
            post=str(r["post"]) or None,
        )
        for r in frame.to_dict("records")
    )


def _optional_frame(
    path: Path,
    columns: Sequence[str],
    issues: IssueCollector,
    numbers: Sequence[str],
) -> pd.DataFrame | None:
    if not path.exists():
        return None
    frame = _read_csv(path, issues)
    if frame is None or _missing_columns(frame, path, columns, issues):
        return None
    converters: dict[str, Converter] = {c: NUMBER for c in numbers if c in frame.columns}
    converters["ds"] = STAMP
    if "date" in frame.columns:
        converters["date"] = DATE
    frame = _convert(frame, path, converters, issues, optional=list(numbers))
    if not issues.has_errors:
        for column in numbers:
            if column in frame.columns:
                frame[column] = pd.to_numeric(frame[column])
    return frame


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
    text = path.read_text(encoding="utf-8", errors="replace").strip()
    return (Conflict(rules=(), message=text),) if text else ()


def _without_roster(
    folder: Path, config: BranchConfig, issues: IssueCollector
) -> ResultFolder | None:
    """The answer of a solve that found no roster, read from ``summary.json``; else ``None``."""
    path = folder / "summary.json"
    if not path.is_file():
        return None
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None  # the full reader reports it
    if not isinstance(summary, dict):
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
        warnings=tuple(str(w) for w in summary.get("warnings") or ()),
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
    from scheduler.history.files import read_result_dir

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
    for name in ("coverage.csv", "people.csv"):
        if folder.is_dir() and not (folder / name).exists():
            issues.error(f"{name} is missing", allowed="the folder written by the solver")
    issues.raise_if_errors()
    assert record is not None
    coverage = _read_coverage(folder / "coverage.csv", issues)
    people = _read_people(folder / "people.csv", issues)
    penalties_path = folder / "penalties.csv"
    penalties = _read_penalties(penalties_path, issues) if penalties_path.exists() else ()
    summary = record.summary
    stats = _stats(summary, str(folder / "summary.json"), issues)
    forecast = _optional_frame(
        folder / "forecast.csv",
        ["channel", "ds", "mean"],
        issues,
        [c for c in FORECAST_COLUMNS if c == "mean" or c[:3] in ("lo-", "hi-")],
    )
    requirements = _optional_frame(
        folder / "requirements.csv",
        ["date", "ds", "post", "required"],
        issues,
        [c for c in REQUIREMENT_COLUMNS if c in ("required", "expected_wait_min")],
    )
    simulation = _optional_frame(
        folder / "simulation.csv",
        ["ds", "channel", "mean_wait_min"],
        issues,
        [c for c in SIMULATION_COLUMNS if c not in ("date", "ds", "channel")],
    )
    issues.raise_if_errors()
    assert coverage is not None and people is not None
    warnings = summary.get("warnings")
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
        warnings=tuple(str(w) for w in warnings) if isinstance(warnings, list) else (),
        conflicts=_conflicts(folder),
    )
    return ResultFolder(result, forecast=forecast, requirements=requirements, simulation=simulation)
