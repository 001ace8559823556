"""Read the hourly traffic history (客流历史) into the history frame.

The file has one row per branch, channel and hour: ``timestamp, branch, channel, count``
(Chinese headers such as 时间, 网点, 渠道, 人数 are accepted too). It may be CSV (UTF-8 with
or without BOM, GBK), ``.csv.gz`` or XLSX. Instead of a timestamp the file may have a date
column and an hour column (日期 + 小时, where the hour may be written ``9``, ``09:00`` or
``09:00-10:00``). The ``branch`` column may be left out of a single-branch file when the
branch is passed to :func:`read_traffic`.

Timestamps are the start of the hour in the branch's local time. Offset-aware timestamps
(``2026-11-23T09:00:00+08:00``) are accepted when they all carry the same offset, whose wall
clock is then taken as local; pass ``timezone`` to convert them (also across offsets, e.g.
daylight saving) to the branch's zone instead.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scheduler.errors import InputError, Issue
from scheduler.frames import HISTORY_COLUMNS
from scheduler.io.tables import (
    FILE,
    ROW,
    ColumnSpec,
    IssueLimiter,
    Table,
    cell_text,
    read_table,
)

TRAFFIC_COLUMNS = (
    ColumnSpec(
        "timestamp",
        ("时间", "时间戳", "日期时间", "时刻", "datetime", "date_time", "ds", "time"),
        required=False,
    ),
    ColumnSpec("date", ("日期", "day"), required=False),
    ColumnSpec("hour", ("小时", "时段", "钟点", "hour_of_day"), required=False),
    ColumnSpec(
        "branch",
        ("网点", "网点号", "网点编号", "网点代码", "机构", "机构号", "branch_id"),
        required=False,
    ),
    ColumnSpec("channel", ("渠道", "业务渠道", "业务类型", "服务渠道", "queue", "service")),
    ColumnSpec(
        "count",
        ("人数", "客流", "客流量", "到店人数", "人次", "数量", "笔数", "y", "visits", "customers"),
    ),
)
"""Columns of a traffic history file and the header names accepted for them."""

_STAMP_RE = (
    r"^(?P<y>\d{4})\s*[-/.年]\s*(?P<mo>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:(?:\s+|T|\s*(?:星期|周)[一二三四五六日天]\s*)(?P<h>\d{1,2})\s*(?:[:时点]\s*(?P<mi>\d{1,2})?)?"
    r"(?::(?P<s>\d{1,2})(?:\.\d+)?)?\s*分?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?$"
)
_HOUR_RE = r"^(?P<h>\d{1,2})(?:\s*[:时点]\s*(?P<mi>\d{1,2})?)?(?::\d{1,2})?\s*(?:[-~至到].*)?$"

_FAST_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M")

_EXAMPLE = "the start of an hour, e.g. 2026-11-23 09:00"


def read_traffic(
    path: str | Path, branch: str | None = None, *, timezone: str | None = None
) -> pd.DataFrame:
    """Read a traffic history file.

    Args:
        path: CSV, ``.csv.gz`` or XLSX file.
        branch: Keep only this branch (error if the file has none of its rows). Also names the
            branch of a file without a branch column.
        timezone: IANA zone of the branch; offset-aware timestamps are converted to it.

    Returns:
        A frame with :data:`scheduler.frames.HISTORY_COLUMNS`: ``unique_id``
        (``"<branch>/<channel>"``), ``branch``, ``channel``, ``ds`` (naive hour start,
        ``datetime64``) and ``y`` (``int64``), sorted by ``unique_id`` and ``ds``.

    Raises:
        InputError: Every problem in the file at once, each with its row, column and value.
    """
    file = str(path)
    tables = read_table(path, TRAFFIC_COLUMNS, "traffic history")
    issues: list[Issue] = []
    frames: list[pd.DataFrame] = []
    present: set[str] = set()
    for table in tables:
        if branch is not None and "branch" in table.headers:
            table, branches = _only_branch(table, branch)
            present |= branches
        try:
            frame, found = _parse_table(table, branch, timezone)
        except InputError as exc:
            issues += exc.issues
            continue
        frames.append(frame)
        issues += found
    if not frames:
        raise InputError(issues)
    history = pd.concat(frames, ignore_index=True)
    issues += _duplicate_issues(history, file, tables[0].header("timestamp"))
    if issues:
        raise InputError(sorted(issues, key=_issue_order))
    history = history.drop(columns=[ROW, FILE])
    if history.empty and not present:
        raise InputError(
            [Issue(file, "the file has a header but no data rows", allowed="one row per hour")]
        )
    if branch is not None and history.empty:
        others = sorted(present)
        raise InputError(
            [
                Issue(
                    file,
                    f"no rows for branch {branch}",
                    column="branch",
                    value=branch,
                    allowed=", ".join(others[:30]) + (" ..." if len(others) > 30 else ""),
                )
            ]
        )
    history = history.assign(unique_id=history["branch"] + "/" + history["channel"])
    history = history.sort_values(["unique_id", "ds"], kind="stable").reset_index(drop=True)
    return history.loc[:, list(HISTORY_COLUMNS)]


def _only_branch(table: Table, branch: str) -> tuple[Table, set[str]]:
    """The rows of ``branch`` (and rows with no branch), and every branch id in the table.

    Problems in other branches' rows do not block this branch.
    """
    cells = table.frame["branch"].map(cell_text)
    keep = (cells == branch) | (cells == "")
    frame = table.frame[keep].reset_index(drop=True)
    return Table(table.file, frame, table.headers), set(cells[cells != ""])


def _issue_order(issue: Issue) -> tuple[str, int]:
    return (issue.file, issue.location if isinstance(issue.location, int) else 1 << 62)


def _parse_table(
    table: Table, branch: str | None, timezone: str | None
) -> tuple[pd.DataFrame, list[Issue]]:
    """The table's readable rows and the problems of the others."""
    frame = table.frame
    limiter = IssueLimiter(table.file)
    if "timestamp" not in table.headers and "date" not in table.headers:
        raise InputError(
            [
                Issue(
                    table.file,
                    "missing column timestamp",
                    allowed="timestamp / 时间 (or a date column 日期 with an hour column 小时)",
                )
            ]
        )
    if "branch" not in table.headers and branch is None:
        raise InputError(
            [
                Issue(
                    table.file,
                    "missing column branch",
                    allowed="branch / 网点, or name the branch when reading the file",
                )
            ]
        )
    ds, bad_ds = _timestamps(table, limiter, timezone)
    counts, bad_y = _counts(table, limiter)
    channels = frame["channel"].map(cell_text)
    missing_channel = channels == ""
    for row, file in zip(
        frame.loc[missing_channel, ROW].astype(int).tolist(),
        frame.loc[missing_channel, FILE],
        strict=True,
    ):
        limiter.add(
            Issue(
                file,
                "channel is empty",
                row,
                table.header("channel"),
                allowed="a channel id such as cash",
            )
        )
    if "branch" in table.headers:
        branches = frame["branch"].map(cell_text)
        missing_branch = branches == ""
        if branch is not None:
            branches = branches.where(~missing_branch, branch)
            missing_branch = pd.Series(False, index=frame.index)
        else:
            for row, file in zip(
                frame.loc[missing_branch, ROW].astype(int).tolist(),
                frame.loc[missing_branch, FILE],
                strict=True,
            ):
                limiter.add(
                    Issue(
                        file,
                        "branch is empty",
                        row,
                        table.header("branch"),
                        allowed="the branch id, e.g. SH-PD-001",
                    )
                )
    else:
        branches = pd.Series(branch, index=frame.index, dtype=object)
        missing_branch = pd.Series(False, index=frame.index)
    ok = ~(bad_ds | bad_y | missing_channel | missing_branch)
    good = pd.DataFrame(
        {
            "branch": branches[ok].astype(str),
            "channel": channels[ok].astype(str),
            "ds": ds[ok],
            "y": counts[ok].astype("int64"),
            ROW: frame.loc[ok, ROW],
            FILE: frame.loc[ok, FILE],
        }
    )
    return good, limiter.finish()


def _timestamps(
    table: Table, limiter: IssueLimiter, timezone: str | None
) -> tuple[pd.Series, pd.Series]:
    """Parse the timestamps (or date + hour); returns (naive datetimes, bad-row mask)."""
    frame = table.frame
    use_stamp = "timestamp" in table.headers
    source = frame["timestamp"] if use_stamp else frame["date"]
    column = table.header("timestamp" if use_stamp else "date")
    cells = source.map(lambda v: v if isinstance(v, dt.datetime | dt.date) else cell_text(v))
    is_cell_time = cells.map(lambda v: isinstance(v, dt.date))
    text = cells.where(~is_cell_time, "").astype(str)
    fast = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[us]")
    if use_stamp:  # the usual export formats, parsed in C; the rest goes through the regex
        for fmt in _FAST_FORMATS:
            todo = fast.isna() & (text != "")
            if not todo.any():
                break
            fast[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce")
    slow = fast.isna()
    parts = text[slow].str.extract(_STAMP_RE).reindex(frame.index)
    numbers = parts[["y", "mo", "d", "h", "mi", "s"]].astype("float64").fillna(0)
    if not use_stamp:
        hour_parts = _hours(table, limiter)
        numbers["h"], numbers["mi"] = hour_parts["h"], hour_parts["mi"]
    matched = parts["y"].notna()
    stamps = pd.to_datetime(
        {
            "year": numbers["y"].where(matched, 2000),
            "month": numbers["mo"].where(matched, 1),
            "day": numbers["d"].where(matched, 1),
            "hour": numbers["h"].clip(0, 23),
            "minute": numbers["mi"].clip(0, 59),
            "second": numbers["s"].clip(0, 59),
        },
        errors="coerce",
    ).astype("datetime64[us]")
    out_of_range = (numbers["h"] > 23) | (numbers["mi"] > 59) | (numbers["s"] > 59)
    stamps = stamps.where(matched & ~out_of_range)
    stamps = stamps.where(slow, fast)
    for idx in frame.index[is_cell_time]:
        value = cells[idx]
        if isinstance(value, dt.datetime):
            stamps[idx] = pd.Timestamp(value.replace(tzinfo=None))
        elif use_stamp:
            stamps[idx] = pd.NaT  # a bare date in a timestamp column: which hour?
        else:
            stamps[idx] = pd.Timestamp(value) + pd.Timedelta(
                hours=numbers.at[idx, "h"], minutes=numbers.at[idx, "mi"]
            )
    empty = source.isna()
    bad = stamps.isna()
    for idx in frame.index[bad]:
        row, file = int(frame.at[idx, ROW]), frame.at[idx, FILE]
        if empty[idx]:
            limiter.add(Issue(file, "timestamp is empty", row, column, allowed=_EXAMPLE))
        elif use_stamp and is_cell_time[idx] and not isinstance(cells[idx], dt.datetime):
            limiter.add(
                Issue(
                    file,
                    "timestamp has no time of day",
                    row,
                    column,
                    value=str(cells[idx]),
                    allowed=_EXAMPLE,
                )
            )
        else:
            limiter.add(
                Issue(
                    file,
                    "cannot read the timestamp",
                    row,
                    column,
                    value=str(source[idx]),
                    allowed=_EXAMPLE,
                )
            )
    stamps, bad_tz = _apply_offsets(stamps, parts["tz"], frame, column, limiter, timezone)
    bad = bad | bad_tz
    off_hour = ~bad & ((stamps.dt.minute != 0) | (stamps.dt.second != 0))
    for idx in frame.index[off_hour]:
        limiter.add(
            Issue(
                frame.at[idx, FILE],
                "timestamp is not on the hour",
                int(frame.at[idx, ROW]),
                column,
                value=str(source[idx]),
                allowed=_EXAMPLE,
            )
        )
    return stamps.astype("datetime64[us]"), bad | off_hour


def _hours(table: Table, limiter: IssueLimiter) -> pd.DataFrame:
    frame = table.frame
    if "hour" not in table.headers:
        raise InputError(
            [
                Issue(
                    table.file,
                    "a date column needs an hour column beside it",
                    allowed="hour / 小时 / 时段 (e.g. 9, 09:00 or 09:00-10:00)",
                )
            ]
        )

    def hour_text(value: Any) -> str:
        if isinstance(value, dt.time | dt.datetime):
            return f"{value.hour}:{value.minute:02d}"
        if isinstance(value, float) and 0 < value < 1:  # an Excel time cell as day fraction
            minutes = round(value * 1440)
            return f"{minutes // 60}:{minutes % 60:02d}"
        return cell_text(value)

    parts = frame["hour"].map(hour_text).str.extract(_HOUR_RE)
    out = parts.apply(pd.to_numeric).fillna(0)
    bad = parts["h"].isna() | (out["h"] > 23) | (out["mi"] > 59)
    for idx in frame.index[bad]:
        limiter.add(
            Issue(
                frame.at[idx, FILE],
                "cannot read the hour",
                int(frame.at[idx, ROW]),
                table.header("hour"),
                value=cell_text(frame.at[idx, "hour"]) or None,
                allowed="an hour of the day such as 9, 09:00 or 09:00-10:00",
            )
        )
    return out.where(~bad, 99)


def _apply_offsets(
    stamps: pd.Series,
    offsets: pd.Series,
    frame: pd.DataFrame,
    column: str,
    limiter: IssueLimiter,
    timezone: str | None,
) -> tuple[pd.Series, pd.Series]:
    """Resolve UTC offsets written on timestamps; returns (naive local times, bad mask)."""
    bad = pd.Series(False, index=stamps.index)
    aware = offsets.notna() & stamps.notna()
    if not aware.any():
        return stamps, bad
    minutes = offsets[aware].map(_offset_minutes)
    if timezone is not None:
        utc = stamps[aware] - pd.to_timedelta(minutes, unit="min")
        local = utc.dt.tz_localize("UTC").dt.tz_convert(timezone).dt.tz_localize(None)
        stamps = stamps.copy()
        stamps[aware] = local
        return stamps, bad
    zones = pd.Series("naive", index=stamps.index, dtype=object)
    zones[aware] = minutes.map(_offset_label)
    zones = zones[stamps.notna()]
    common = zones.mode().sort_values().iloc[0]
    described = "local time without an offset" if common == "naive" else f"offset {common}"
    for idx in zones.index[zones != common]:
        found = offsets[idx] if isinstance(offsets[idx], str) else "no offset"
        limiter.add(
            Issue(
                frame.at[idx, FILE],
                "mixed time zones in one file",
                int(frame.at[idx, ROW]),
                column,
                value=found,
                allowed=f"every timestamp in the same zone as most rows ({described})",
            )
        )
        bad[idx] = True
    return stamps, bad


def _offset_minutes(text: str) -> int:
    if text == "Z":
        return 0
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return sign * (int(digits[:2]) * 60 + int(digits[2:]))


def _offset_label(minutes: int) -> str:
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _counts(table: Table, limiter: IssueLimiter) -> tuple[pd.Series, pd.Series]:
    frame = table.frame
    column = table.header("count")
    raw = frame["count"]
    text = raw.map(cell_text).str.replace(",", "", regex=False)
    number = pd.to_numeric(text, errors="coerce")
    empty = raw.isna()
    not_number = ~empty & number.isna()
    finite = number.where(np.isfinite(number.fillna(0)))
    fractional = number.notna() & (finite != np.floor(finite.fillna(0)))
    negative = number.notna() & ~fractional & (number < 0)
    for mask, message in (
        (empty, "count is empty"),
        (not_number, "count is not a number"),
        (fractional, "count is not a whole number"),
        (negative, "count is negative"),
    ):
        for idx in frame.index[mask]:
            limiter.add(
                Issue(
                    frame.at[idx, FILE],
                    message,
                    int(frame.at[idx, ROW]),
                    column,
                    value=None if message == "count is empty" else cell_text(raw[idx]),
                    allowed="a whole number of customers, 0 or more",
                )
            )
    bad = empty | not_number | fractional | negative
    return number.where(~bad, 0).fillna(0), bad


def _duplicate_issues(history: pd.DataFrame, file: str, column: str) -> list[Issue]:
    """One issue per repeated (branch, channel, hour), naming the row it repeats."""
    keys = ["branch", "channel", "ds"]
    dup = history.duplicated(keys, keep=False)
    if not dup.any():
        return []
    limiter = IssueLimiter(file)
    for _, group in history[dup].groupby(keys, sort=False):
        first = group.iloc[0]
        for _, other in group.iloc[1:].iterrows():
            limiter.add(
                Issue(
                    other[FILE],
                    "duplicate row for the same branch, channel and hour",
                    int(other[ROW]),
                    column,
                    value=f"{other['branch']}/{other['channel']} "
                    f"{pd.Timestamp(other['ds']):%Y-%m-%d %H:%M} (first given in row {first[ROW]})",
                    allowed="one row per branch, channel and hour",
                )
            )
    return limiter.finish()
