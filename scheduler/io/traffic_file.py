"""Read the traffic history (客流历史) into the hourly history frame.

The file comes in one of two shapes, told apart by its header row:

* **Counts**: one row per branch, channel and interval: ``timestamp, branch, channel, count``
  (Chinese headers such as 时间, 网点, 渠道, 人数 are accepted too). The interval is an hour, or
  5, 6, 10, 12, 15, 20 or 30 minutes; each series' interval is found from its timestamps
  (:func:`series_intervals`) and sub-hourly counts are summed into hours.
* **Queue-ticket log** (排队叫号机流水): one row per ticket, with the time it was taken
  (取号时间) and no count column; read by :mod:`scheduler.io.ticket_log`, which counts the
  tickets of each hour.

* **One column per channel** (a report as many systems export it): the time columns and then a
  column of counts for each channel, headed by the channel's id or name (日期, 时段, 现金,
  非现金, 对公 ...). Each such column is read as that channel's counts; a blank cell is a
  missing hour, a totals column (合计) is not read, and a column without a single number
  (星期, 备注) is ignored with a warning.

Either may be CSV (UTF-8 with or without BOM, GBK), ``.csv.gz`` or XLSX. Instead of a timestamp
a count file may have a date column and an hour column (日期 + 小时, where the hour may be
written ``9``, ``09:00``, ``09:00-10:00`` or, in a sub-hourly file, ``09:15-09:30``). The
``branch`` column may be left out of a single-branch file when the branch is passed to
:func:`read_traffic`.

Timestamps are the start of the interval in the branch's local time. Offset-aware timestamps
(``2026-11-23T09:00:00+08:00``) are accepted when they all carry the same offset, whose wall
clock is then taken as local; pass ``timezone`` to convert them (also across offsets, e.g.
daylight saving) to the branch's zone instead.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
    build_table,
    cell_text,
    column_index,
    header_key,
    is_total_word,
    raw_sheets,
)

if TYPE_CHECKING:
    from scheduler.calendar import BranchCalendar, Horizon
    from scheduler.domain import BranchConfig

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
    path: str | Path,
    branch: str | None = None,
    *,
    timezone: str | None = None,
    calendar: BranchCalendar | None = None,
) -> pd.DataFrame:
    """Read a traffic history file (counts or a queue-ticket log) into hourly counts.

    Args:
        path: CSV, ``.csv.gz`` or XLSX file.
        branch: Keep only this branch (error if the file has none of its rows). Also names the
            branch of a file without a branch column.
        timezone: IANA zone of the branch; offset-aware timestamps are converted to it.
        calendar: The branch's calendar. In a ticket log, the open hours it gives on a day
            with tickets become 0-count hours when no ticket was taken in them; without it,
            every hour from the first to the last ticket of the day does.

    Returns:
        A frame with :data:`scheduler.frames.HISTORY_COLUMNS`: ``unique_id``
        (``"<branch>/<channel>"``), ``branch``, ``channel``, ``ds`` (naive hour start,
        ``datetime64``) and ``y`` (``int64``), sorted by ``unique_id`` and ``ds``. Its
        ``attrs["issues"]`` lists the warnings (e.g. hours with missing 15-minute counts);
        for a ticket log, ``attrs["ticket_figures"]`` holds the records of
        :func:`scheduler.io.ticket_log.ticket_figures`.

    Raises:
        InputError: Every problem in the file at once, each with its row, column and value.
    """
    history, warnings, figures = _load(path, branch, timezone, calendar)
    history.attrs["issues"] = warnings
    history.attrs["file"] = str(path)  # later stages name the file, not "<history>"
    if figures is not None:
        history.attrs["ticket_figures"] = figures.to_dict("records")
    return history


def load_traffic(
    path: str | Path,
    branch: str | None = None,
    *,
    timezone: str | None = None,
    calendar: BranchCalendar | None = None,
) -> tuple[pd.DataFrame, list[Issue]]:
    """Like :func:`read_traffic`, returning the warnings beside the frame.

    Returns:
        The history frame and the warnings found while reading it.

    Raises:
        InputError: Every error in the file at once (with the warnings).
    """
    history, warnings, _ = _load(path, branch, timezone, calendar)
    return history, warnings


def _load(
    path: str | Path,
    branch: str | None,
    timezone: str | None,
    calendar: BranchCalendar | None,
) -> tuple[pd.DataFrame, list[Issue], pd.DataFrame | None]:
    """The history frame, its warnings and, for a ticket log, the measured figures."""
    from scheduler.io.ticket_log import count_tickets, parse_tickets, summarise_tickets

    file = str(path)
    count_tables, ticket_tables = read_traffic_tables(path)
    tables = count_tables + ticket_tables
    issues: list[Issue] = [*_ignored_columns(count_tables), *_wide_notes(count_tables)]
    frames: list[pd.DataFrame] = []
    present: set[str] = set()
    for number, table in enumerate(count_tables):
        if branch is not None and "branch" in table.headers:
            table, branches = _only_branch(table, branch)
            count_tables[number] = table
            present |= branches
        try:
            frame, found = _parse_table(table, branch, timezone, number)
        except InputError as exc:
            issues += exc.issues
            continue
        frames.append(frame)
        issues += found
    figures: pd.DataFrame | None = None
    parsed_tickets = False
    if ticket_tables:
        for number, table in enumerate(ticket_tables):
            if branch is not None and "branch" in table.headers:
                ticket_tables[number], branches = _only_branch(table, branch)
                present |= branches
        try:
            tickets, found = parse_tickets(ticket_tables, branch, timezone)
        except InputError as exc:
            issues += exc.issues
        else:
            parsed_tickets = True
            issues += found
            frames.append(count_tickets(tickets, calendar))
            figures = summarise_tickets(tickets)
    if not frames:
        raise InputError(issues)
    counted = [f for f in frames if "_interval" in f.columns]
    hourly, found = (
        to_hours(pd.concat(counted, ignore_index=True), count_tables)
        if counted
        else (
            pd.DataFrame(columns=["branch", "channel", "ds", "y", ROW, FILE]),
            [],
        )
    )
    issues += found
    history = pd.concat([hourly, *(f for f in frames if "_interval" not in f.columns)])
    history = history.reset_index(drop=True)
    if counted and parsed_tickets:  # a workbook with a count sheet and a ticket sheet
        issues += _duplicate_issues(history, file, tables[0].header("timestamp"))
    errors = [i for i in issues if i.severity == "error"]
    warnings = [i for i in issues if i.severity != "error"]
    if errors:
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
    history = history.assign(
        branch=history["branch"].astype(str), channel=history["channel"].astype(str)
    )
    history = history.assign(
        unique_id=history["branch"] + "/" + history["channel"],
        y=history["y"].astype("int64"),
        ds=history["ds"].astype("datetime64[us]"),
    )
    history = history.sort_values(["unique_id", "ds"], kind="stable").reset_index(drop=True)
    return history.loc[:, list(HISTORY_COLUMNS)], sorted(warnings, key=_issue_order), figures


_READ_COLUMNS_CACHE: list[tuple[ColumnSpec, ...]] = []


def _read_columns() -> tuple[ColumnSpec, ...]:
    """Count-file columns (count optional) and the ticket-log columns, for one header search."""
    if not _READ_COLUMNS_CACHE:
        from scheduler.io.ticket_log import TICKET_ONLY_COLUMNS

        relaxed = tuple(
            replace(c, required=False) if c.name == "count" else c for c in TRAFFIC_COLUMNS
        )
        _READ_COLUMNS_CACHE.append(relaxed + TICKET_ONLY_COLUMNS)
    return _READ_COLUMNS_CACHE[0]


def require_branch_column(table: Table, branch: str | None) -> None:
    """A history table names its branch, unless the caller names it.

    Raises:
        InputError: When the table has no branch column and no branch was given.
    """
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


def read_traffic_tables(path: str | Path) -> tuple[list[Table], list[Table]]:
    """The file's tables, split into count tables and ticket-log tables.

    A table (CSV file or sheet) with a count column holds counts; one without a count column
    but with a ticket-time column (取号时间) is a ticket log.

    Raises:
        InputError: If no table is readable; a table with neither column is refused with
            the accepted count headers and the ticket-log alternative.
    """
    counts: list[Table] = []
    tickets: list[Table] = []
    issues: list[Issue] = []
    for label, rows in raw_sheets(path):
        try:
            table = build_table(label, rows, _read_columns(), "traffic history")
            if "count" not in table.headers and "ticket_time" not in table.headers:
                build_table(label, rows, TRAFFIC_COLUMNS, "traffic history")  # says why
        except InputError as exc:
            wide = _wide_tables(label, rows)
            if wide:
                counts += wide
            else:
                issues += [_with_ticket_hint(i) for i in exc.issues]
            continue
        (counts if "count" in table.headers else tickets).append(table)
    if issues and not (counts or tickets):
        raise InputError(issues)
    return counts, tickets


WIDE_COLUMNS = tuple(
    replace(c, required=False) for c in TRAFFIC_COLUMNS if c.name not in ("channel", "count")
)
"""The columns of a table with one count column per channel, besides the channel columns."""

_NUMBER_RE = r"^[+-]?\d[\d,]*(?:\.\d*)?$"


def _wide_tables(label: str, rows: list[list[Any]]) -> list[Table]:
    """A table with one column of counts per channel, as one count table per channel.

    It is that shape when it has a time column (timestamp, or date and hour), no channel and
    no count column, and at least one other column holding a number. Each such column becomes
    a table whose channel is the column's header and whose count is the column's cells (rows
    with a blank cell left out: a missing hour). A totals column and columns without any
    number are not read: they stay in the first table's ``ignored`` columns. Empty when the
    table is not of that shape.
    """
    try:
        base = build_table(label, rows, WIDE_COLUMNS, "traffic history")
    except InputError:
        return []
    if "timestamp" not in base.headers and "date" not in base.headers:
        return []
    frame = base.frame
    positions = [r - 1 for r in frame[ROW].astype(int)]
    tables: list[Table] = []
    ignored: dict[str, str] = {}
    for letter, header in base.ignored.items():
        col = column_index(letter)
        cells = pd.Series(
            [rows[i][col] if col < len(rows[i]) else None for i in positions],
            index=frame.index,
            dtype=object,
        )
        text = cells.map(cell_text)
        numbers = text.str.replace(",", "", regex=False).str.match(_NUMBER_RE)
        if is_total_word(header) or not header or not numbers.any():
            ignored[letter] = header
            continue
        keep = text != ""
        part = frame[keep].assign(channel=header, count=cells[keep]).reset_index(drop=True)
        headers = {**base.headers, "channel": header, "count": header}
        tables.append(Table(label, part, headers, {}, base.header_row))
    if tables:
        tables[0] = replace(tables[0], ignored=ignored)
    return tables


def is_wide(table: Table) -> bool:
    """Whether the table is one channel's column of a table with a column per channel."""
    return "count" in table.headers and table.headers.get("channel") == table.headers["count"]


def _with_ticket_hint(issue: Issue) -> Issue:
    """A missing count column also names the other accepted shape, a ticket log."""
    if issue.message != "missing column count":
        return issue
    return replace(
        issue,
        allowed=f"{issue.allowed}; or, for a queue-ticket log with one row per ticket, "
        "a ticket-time column (取号时间 / ticket_time)",
    )


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
    table: Table, branch: str | None, timezone: str | None, number: int
) -> tuple[pd.DataFrame, list[Issue]]:
    """The table's rows with a readable timestamp, branch and channel, and the problems found.

    Rows whose count is unreadable are kept with ``_ok`` false: their timestamps still tell
    the series' interval.
    """
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
    require_branch_column(table, branch)
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
    keyed = ~(bad_ds | missing_channel | missing_branch)
    good = pd.DataFrame(
        {
            "branch": branches[keyed].astype(str),
            "channel": channels[keyed].astype(str),
            "ds": ds[keyed],
            "y": counts[keyed].astype("int64"),
            "_ok": ~bad_y[keyed],
            "_interval": 60,
            "_table": number,
            "_index": frame.index[keyed],
            ROW: frame.loc[keyed, ROW],
            FILE: frame.loc[keyed, FILE],
        }
    )
    return good, limiter.finish()


def _wide_notes(tables: list[Table]) -> list[Issue]:
    """One warning per file read as a column per channel, naming the channels found."""
    found: dict[str, list[str]] = {}
    for table in tables:
        if is_wide(table):
            found.setdefault(table.file, []).append(table.headers["channel"])
    return [
        Issue(
            file,
            f"read as one column of counts per channel: {', '.join(channels)}",
            column="channel",
            severity="warning",
        )
        for file, channels in found.items()
    ]


def _ignored_columns(tables: list[Table]) -> list[Issue]:
    """A warning per column of a count table that names none of the traffic columns.

    A column the reader does not know may mean something for the counts (a second count
    column, a status); the user learns it was not read.
    """
    accepted = ", ".join(
        dict.fromkeys(a for spec in TRAFFIC_COLUMNS for a in (spec.aliases[0], spec.name))
    )
    out: list[Issue] = []
    for table in tables:
        for header in table.ignored.values():
            message, allowed = "ignored: not a column of a traffic history", accepted
            if is_wide(table):
                allowed = "a column of counts headed by a channel's id or name"
                message = (
                    "not read: a totals column (each channel's own column is read)"
                    if is_total_word(header)
                    else "ignored: holds no number, so it is not a channel's counts"
                )
            out.append(
                Issue(
                    table.file,
                    message,
                    table.header_row,
                    header,
                    allowed=allowed,
                    severity="warning",
                )
            )
    return out


def _timestamps(
    table: Table, limiter: IssueLimiter, timezone: str | None
) -> tuple[pd.Series, pd.Series]:
    """Parse the timestamps (or date + hour); returns (naive datetimes, bad-row mask)."""
    frame = table.frame
    use_stamp = "timestamp" in table.headers
    source = frame["timestamp"] if use_stamp else frame["date"]
    column = table.header("timestamp" if use_stamp else "date")
    cells = source.map(_cell_stamp)
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
        if not use_stamp:  # a date cell (Excel gives midnight) beside the hour column
            day = value.date() if isinstance(value, dt.datetime) else value
            stamps[idx] = pd.Timestamp(day) + pd.Timedelta(
                hours=numbers.at[idx, "h"], minutes=numbers.at[idx, "mi"]
            )
        elif isinstance(value, dt.datetime):
            stamps[idx] = pd.Timestamp(value.replace(tzinfo=None))
        else:
            stamps[idx] = pd.NaT  # a bare date in a timestamp column: which hour?
    dateless = pd.Series(False, index=frame.index)
    if use_stamp:  # text such as 2026-06-01 (daily totals): which hour?
        dateless = slow & matched & parts["h"].isna() & ~is_cell_time
        stamps = stamps.where(~dateless)
    empty = source.isna()
    bad = stamps.isna()
    for idx in frame.index[bad]:
        row, file = int(frame.at[idx, ROW]), frame.at[idx, FILE]
        if empty[idx]:
            limiter.add(Issue(file, "timestamp is empty", row, column, allowed=_EXAMPLE))
        elif dateless[idx] or (
            use_stamp and is_cell_time[idx] and not isinstance(cells[idx], dt.datetime)
        ):
            limiter.add(
                Issue(
                    file,
                    "timestamp has no time of day (counts are forecast by the hour: daily "
                    "totals cannot be used)",
                    row,
                    column,
                    value=str(source[idx] if dateless[idx] else cells[idx]),
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
    stamps = stamps.astype("datetime64[us]")
    odd = outside_stamp_years(stamps)
    for idx in frame.index[odd]:
        row, value = int(frame.at[idx, ROW]), str(source[idx])
        limiter.add(stamp_out_of_range(frame.at[idx, FILE], row, column, value))
    return stamps.where(~odd), bad | bad_tz | odd


STAMP_YEARS = (1970, 2100)
"""Years a traffic timestamp may fall in: 9999-12-31 (an "open end" placeholder) or 0001-01-01
(an empty date cell of some exports) is a mistake to show, not an hour of traffic."""


def outside_stamp_years(stamps: pd.Series) -> pd.Series:
    """Which timestamps fall outside :data:`STAMP_YEARS` (missing ones do not)."""
    years = stamps.dt.year
    return stamps.notna() & ((years < STAMP_YEARS[0]) | (years > STAMP_YEARS[1]))


def stamp_out_of_range(file: str, row: int, column: str, value: str) -> Issue:
    """The error of a timestamp outside :data:`STAMP_YEARS`."""
    return Issue(
        file,
        "the timestamp is out of range",
        row,
        column,
        value=value,
        allowed=f"a time in the years {STAMP_YEARS[0]}-{STAMP_YEARS[1]}",
    )


EXCEL_SERIAL_RANGE = (20_000, 80_000)
"""Numbers read as Excel date serials (days since 1899-12-30): 1954-10-03 to 2119-01-10."""

_EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def _cell_stamp(value: Any) -> Any:
    """A timestamp cell as a date, datetime or text; an Excel date serial becomes a date.

    A number such as 46174.375 (a date cell formatted as a number, or exported as one) is
    2026-06-01 09:00; a whole number is a date without a time of day.
    """
    if isinstance(value, dt.datetime | dt.date):
        return value
    text = cell_text(value)
    try:
        number = float(text)
    except ValueError:
        return text
    lo, hi = EXCEL_SERIAL_RANGE
    if not (lo <= number < hi) or not math.isfinite(number):
        return text
    stamp = _EXCEL_EPOCH + dt.timedelta(minutes=round(number * 1440))
    return stamp.date() if number == int(number) else stamp


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
    allowed = "an hour of the day such as 9, 09:00 or 09:00-10:00"
    limiter.add_rows(
        frame, bad, "cannot read the hour", table.header("hour"), allowed, frame["hour"]
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
        values = None if message == "count is empty" else raw
        allowed = "a whole number of customers, 0 or more"
        limiter.add_rows(frame, mask, message, column, allowed, values)
    bad = empty | not_number | fractional | negative
    return number.where(~bad, 0).fillna(0), bad


INTERVALS = (60, 30, 20, 15, 12, 10, 6, 5)
"""Intervals a count file may use, in minutes (60 = hourly): the divisors of 60 from 5 up."""

STRAY_SHARE = 0.05
"""A series keeps the coarsest interval whose grid misses no more than this share of its rows
(and at least one row); the rows it misses are reported as stray timestamps."""


def series_intervals(ds: pd.Series, series: pd.Series) -> pd.Series:
    """Each series' interval in minutes, found from its timestamps.

    The interval is the coarsest of :data:`INTERVALS` whose grid (09:00, 09:15, ... for 15)
    holds every row but at most ``max(1, STRAY_SHARE * rows)``: those few are stray timestamps,
    such as one 09:30 in an hourly file, not evidence of a finer interval. When no interval
    fits that well, the one that misses fewest rows is taken.

    Args:
        ds: Timestamps.
        series: The series (e.g. ``"B1/cash"``) of each timestamp, aligned with ``ds``.

    Returns:
        The interval of each series, indexed by series.

    Example:
        >>> stamps = pd.Series(pd.to_datetime(["2026-11-23 09:00", "2026-11-23 09:15",
        ...                                    "2026-11-23 09:30", "2026-11-23 09:45"]))
        >>> series_intervals(stamps, pd.Series(["B1/cash"] * 4)).to_dict()
        {'B1/cash': 15}
    """
    codes, labels = pd.factorize(series, sort=True)
    minute = ds.dt.minute.to_numpy()
    inexact = ((ds.dt.second != 0) | (ds.dt.microsecond != 0)).to_numpy()
    rows = np.bincount(codes, minlength=len(labels))
    tolerance = np.maximum(1, np.floor(STRAY_SHARE * rows))
    misses = np.stack(
        [
            np.bincount(codes, weights=(minute % k != 0) | inexact, minlength=len(labels))
            for k in INTERVALS
        ]
    )
    fits = misses <= tolerance
    choice = np.where(fits.any(axis=0), fits.argmax(axis=0), misses.argmin(axis=0))
    return pd.Series(np.asarray(INTERVALS)[choice], index=pd.Index(labels), dtype="int64")


def to_hours(rows: pd.DataFrame, tables: list[Table]) -> tuple[pd.DataFrame, list[Issue]]:
    """Check each series' rows against its interval and sum sub-hourly counts into hours.

    Args:
        rows: Rows of the count tables as parsed (``branch, channel, ds, y, _ok`` and where
            each came from).
        tables: The count tables, to quote cells in messages.

    Returns:
        ``branch, channel, ds, y`` per hour (with the first row's number and file), and the
        problems: rows off their series' grid and repeated intervals (errors), hours with
        missing sub-hourly counts (warnings; the hour keeps the sum of the counts given).
    """
    columns = ["branch", "channel", "ds", "y", ROW, FILE]
    if rows.empty:
        return rows.loc[:, columns], []
    label = rows["branch"] + "/" + rows["channel"]
    rows = rows.assign(_interval=label.map(series_intervals(rows["ds"], label)).to_numpy())
    ds = rows["ds"]
    on_grid = (
        (ds.dt.second == 0) & (ds.dt.microsecond == 0) & (ds.dt.minute % rows["_interval"] == 0)
    )
    limiter = IssueLimiter(str(rows[FILE].iloc[0]))
    for idx in rows.index[~on_grid]:
        k = int(rows.at[idx, "_interval"])
        column, value = _stamp_cell(tables[rows.at[idx, "_table"]], rows.at[idx, "_index"])
        limiter.add(
            Issue(
                rows.at[idx, FILE],
                "timestamp is not on the hour"
                if k == 60
                else f"timestamp is not on the {k}-minute grid of its series",
                int(rows.at[idx, ROW]),
                column,
                value=value,
                allowed=_EXAMPLE
                if k == 60
                else f"a multiple of {k} minutes past the hour, "
                f"like the other rows of {label[idx]}",
            )
        )
    good = rows[on_grid & rows["_ok"]]
    issues = limiter.finish()
    issues += _duplicate_issues(good, limiter.file, _stamp_cell(tables[0], None)[0])
    sub = good[good["_interval"] < 60]
    if sub.empty:
        return good.loc[:, columns], issues
    hour = sub["ds"].dt.floor("h")
    day = sub["ds"].dt.normalize()
    keys = [sub["branch"], sub["channel"]]
    sub = sub.assign(
        _hour=hour,
        _first=sub.groupby([*keys, day])["ds"].transform("min"),
        _last=sub.groupby([*keys, day])["ds"].transform("max"),
    )
    hours = sub.groupby(["branch", "channel", "_hour"], sort=False).agg(
        y=("y", "sum"),
        _row=(ROW, "min"),
        _file=(FILE, "first"),
        _n=("y", "size"),
        _interval=("_interval", "first"),
        _first=("_first", "first"),
        _last=("_last", "first"),
        _table=("_table", "first"),
    )
    hours = hours.reset_index()
    step = pd.to_timedelta(hours["_interval"], unit="min")
    low = np.maximum(hours["_hour"], hours["_first"])
    high = np.minimum(hours["_hour"] + pd.Timedelta(hours=1) - step, hours["_last"])
    expected = (high - low) // step + 1
    short = hours.index[hours["_n"] < expected]
    issues += _missing_interval_issues(hours.loc[short], expected[short], sub, tables)
    hours = hours.rename(columns={"_hour": "ds", "_row": ROW, "_file": FILE})
    out = pd.concat([good[good["_interval"] == 60].loc[:, columns], hours.loc[:, columns]])
    return out.reset_index(drop=True), issues


def _missing_interval_issues(
    hours: pd.DataFrame, expected: pd.Series, rows: pd.DataFrame, tables: list[Table]
) -> list[Issue]:
    """One warning per hour with fewer sub-hourly counts than its day's span needs."""
    limiter = IssueLimiter("", per_kind=20)
    detailed = hours.head(limiter.per_kind * len(INTERVALS))
    wanted = set(zip(detailed["branch"], detailed["channel"], detailed["_hour"], strict=True))
    in_hours = rows[
        [key in wanted for key in zip(rows["branch"], rows["channel"], rows["_hour"], strict=True)]
    ]
    given = {key: group for key, group in in_hours.groupby(["branch", "channel", "_hour"])}
    for idx in hours.index:
        k = int(hours.at[idx, "_interval"])
        hour = pd.Timestamp(hours.at[idx, "_hour"])
        message = f"{k}-minute counts missing in an hour; they are taken as 0"
        key = (hours.at[idx, "branch"], hours.at[idx, "channel"], hour)
        if key not in given:  # past the detailed ones: only counted in the summary line
            limiter.add(Issue(hours.at[idx, "_file"], message, severity="warning"))
            continue
        group = given[key]
        low = max(hour, pd.Timestamp(hours.at[idx, "_first"]))
        slots = pd.date_range(low, periods=int(expected[idx]), freq=f"{k}min")
        missing = sorted(set(slots) - set(group["ds"]))
        limiter.add(
            Issue(
                hours.at[idx, "_file"],
                message,
                int(hours.at[idx, "_row"]),
                _stamp_cell(tables[int(hours.at[idx, "_table"])], None)[0],
                value=f"{key[0]}/{key[1]} {hour:%Y-%m-%d %H:%M}: "
                f"{_row_list(group[ROW].tolist())} give {len(group)} of {int(expected[idx])}; "
                "missing " + ", ".join(f"{t:%H:%M}" for t in missing),
                allowed=f"one row per {k}-minute interval, with 0 when no customer came",
                severity="warning",
            )
        )
    return limiter.finish()


def _row_list(rows: list[int]) -> str:
    """Row numbers as people read them: ``rows 5-7, 9``."""
    rows = sorted(rows)
    runs: list[str] = []
    start = prev = rows[0]
    for row in [*rows[1:], None]:
        if row is not None and row == prev + 1:
            prev = row
            continue
        runs.append(str(start) if start == prev else f"{start}-{prev}")
        if row is not None:
            start = prev = row
    return ("row " if len(rows) == 1 else "rows ") + ", ".join(runs)


def _stamp_cell(table: Table, index: Any) -> tuple[str, str | None]:
    """The column that gives a row's time and, for row ``index``, its cell as found."""
    if "timestamp" in table.headers:
        column = "timestamp"
    elif "hour" in table.headers:
        column = "hour"
    else:
        return table.header("timestamp"), None
    if index is None:
        return table.header(column), None
    return table.header(column), str(table.frame.at[index, column])


def _duplicate_issues(history: pd.DataFrame, file: str, column: str) -> list[Issue]:
    """One issue per repeated (branch, channel, time), naming the row it repeats.

    The time is the hour, or the sub-hourly interval when ``history`` has an ``_interval``
    column below 60 for the series.
    """
    keys = ["branch", "channel", "ds"]
    dup = history.duplicated(keys, keep=False)
    if not dup.any():
        return []
    limiter = IssueLimiter(file)
    for _, group in history[dup].groupby(keys, sort=False):
        first = group.iloc[0]
        k = int(first["_interval"]) if "_interval" in group.columns else 60
        unit = "hour" if k == 60 else f"{k}-minute interval"
        for _, other in group.iloc[1:].iterrows():
            limiter.add(
                Issue(
                    other[FILE],
                    f"duplicate row for the same branch, channel and {unit}",
                    int(other[ROW]),
                    column,
                    value=f"{other['branch']}/{other['channel']} "
                    f"{pd.Timestamp(other['ds']):%Y-%m-%d %H:%M} (first given in row {first[ROW]})",
                    allowed=f"one row per branch, channel and {unit}",
                )
            )
    return limiter.finish()


STALE_DAYS = 14
"""History ending more than this many days before the planned week is flagged as stale."""


def history_fit(file: str, first: dt.date, last: dt.date, horizon: Horizon | None) -> list[Issue]:
    """Warnings when the history does not lead up to the planned week."""
    if horizon is None:
        return []
    if last >= horizon.start:
        return [
            Issue(
                file,
                f"the history runs into the planned week {horizon.label()}",
                value=last.isoformat(),
                allowed=f"history up to {horizon.start - dt.timedelta(days=1)}",
                severity="warning",
            )
        ]
    gap = (horizon.start - last).days - 1
    if gap > STALE_DAYS:
        return [
            Issue(
                file,
                f"the history ends {gap} days before the planned week {horizon.label()}; "
                "the forecast will rest on old data",
                value=last.isoformat(),
                allowed=f"history up to {horizon.start - dt.timedelta(days=1)}",
                severity="warning",
            )
        ]
    return []


def channel_ids(names: Iterable[str], config: BranchConfig) -> dict[str, str]:
    """The configured channel each history channel name means, for names that are no id.

    A name means a channel when it is the channel's id, Chinese or English name (case, width
    and spaces ignored: ``CASH``, ``cash ``, ``现金柜台``, ``Cash counter``), or when exactly
    one channel's id or name starts with it and it has two characters or more (现金 for
    现金柜台, as 非现金柜台 does not start with it). Names meaning no channel, or several,
    are left out.
    """
    ids = {c.id for c in config.channels}
    forms = {c.id: {header_key(v) for v in (c.id, c.name_zh, c.name_en)} for c in config.channels}
    out: dict[str, str] = {}
    for name in dict.fromkeys(names):
        if name in ids:
            continue
        key = header_key(name)
        found = [cid for cid, keys in forms.items() if key in keys]
        if not found and len(key) >= 2:
            found = [cid for cid, keys in forms.items() if any(k.startswith(key) for k in keys)]
        if len(found) == 1:
            out[name] = found[0]
    return out


def match_channels(
    history: pd.DataFrame, config: BranchConfig, file: str
) -> tuple[pd.DataFrame, list[Issue]]:
    """The history's channels matched to the configuration's; the input is not modified.

    A channel written in another case or with stray spaces (``CASH``, ``cash ``) is read as the
    configured one, and so is a channel written by its name or the start of it (现金柜台,
    现金, Cash counter; see :func:`channel_ids`), with a warning saying which. A channel the
    configuration does not know is left out with a warning (its traffic cannot be sized: no
    handling time, no post serves it), and so is a configured channel without any history (it
    will be staffed as having no traffic).

    Returns:
        The history restricted to configured channels, and the warnings.
    """
    known = {c.id for c in config.channels}
    issues: list[Issue] = []
    unknown: dict[str, int] = {}
    sizes = history.groupby("channel", sort=True).size()
    rename = channel_ids((str(c) for c in sizes.index), config)
    for channel, rows in sizes.items():
        name = str(channel)
        if name not in known and name not in rename:
            unknown[name] = int(rows)
    named = {a: b for a, b in rename.items() if header_key(a) != header_key(b)}
    if named:
        issues.append(
            Issue(
                file,
                "channels written by name read as the configured ones: "
                + ", ".join(f"{a} as {b}" for a, b in named.items()),
                column="channel",
                severity="warning",
            )
        )
    for name, rows in unknown.items():
        issues.append(
            Issue(
                file,
                f"channel {name} is not a channel of branch {config.branch.id}; its {rows} "
                "row(s) are left out of the forecast",
                column="channel",
                value=name,
                allowed=", ".join(sorted(known)),
                severity="warning",
            )
        )
    out = history
    if rename or unknown:
        out = history[~history["channel"].isin(list(unknown))].copy()
        out.attrs = dict(history.attrs)
        if rename:
            out["channel"] = out["channel"].replace(rename)
            out["unique_id"] = out["branch"].astype(str) + "/" + out["channel"].astype(str)
    present = set(out["channel"])
    for channel in sorted(known - present):
        issues.append(
            Issue(
                file,
                f"no history for channel {channel} of branch {config.branch.id}; it is "
                "staffed as having no traffic",
                column="channel",
                value=channel,
                allowed=", ".join(sorted(present)) or "rows of this channel",
                severity="warning",
            )
        )
    return out, issues
