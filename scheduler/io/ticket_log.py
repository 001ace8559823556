"""Read a queue-ticket log (排队叫号机流水): one row per customer ticket.

A branch's queue machine records every ticket: when it was taken (取号时间), its business
type (业务类型, the channel), optionally the branch (网点), when it was called (叫号时间), when
the business was finished (办结时间 / 完成时间) and a status (状态, e.g. 已办结, 弃号, 过号).
There is no count column: every row is one customer.

Two things come out of it:

* hourly counts for the forecaster (:func:`count_tickets`, used by
  :func:`scheduler.io.traffic_file.read_traffic`): the tickets taken in each hour; hours in
  which the counter was open but no ticket was taken are 0, not missing;
* the measured service figures per channel (:func:`ticket_figures`): tickets, the share
  abandoned, the mean wait (taken to called) and the mean handling time (called to finished),
  to set against the configured ``aht_minutes`` (:func:`handling_time_lines`).

Times may be full timestamps (``2026-11-23 09:05:12``, ``2026/11/23 9:05``, datetime cells) or,
when the file has a date column (日期), clock times (``09:05:12``). Call and finish times may
be clock times on the day of the ticket.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from scheduler.errors import InputError, Issue
from scheduler.io.tables import (
    FILE,
    ROW,
    ColumnSpec,
    IssueLimiter,
    Table,
    cell_text,
    parse_date,
)
from scheduler.io.traffic_file import (
    _FAST_FORMATS,
    _STAMP_RE,
    TRAFFIC_COLUMNS,
    _apply_offsets,
    _issue_order,
    _only_branch,
    read_traffic_tables,
    require_branch_column,
)

if TYPE_CHECKING:
    from scheduler.calendar import BranchCalendar
    from scheduler.domain import BranchConfig

TICKET_ONLY_COLUMNS = (
    ColumnSpec(
        "ticket_time",
        (
            "取号时间",
            "取号时刻",
            "取票时间",
            "出票时间",
            "到达时间",
            "到店时间",
            "arrival_time",
            "arrival",
            "issued_at",
            "taken_at",
        ),
        required=False,
    ),
    ColumnSpec(
        "called",
        ("叫号时间", "呼叫时间", "叫号时刻", "call_time", "called_at", "called_time"),
        required=False,
    ),
    ColumnSpec(
        "finished",
        (
            "办结时间",
            "完成时间",
            "结束时间",
            "办理结束时间",
            "办理完成时间",
            "finish_time",
            "finished_at",
            "end_time",
            "completed_at",
        ),
        required=False,
    ),
    ColumnSpec(
        "status", ("状态", "叫号状态", "业务状态", "办理状态", "ticket_status"), required=False
    ),
)
"""Columns only a ticket log has, and the header names accepted for them."""

TICKET_COLUMNS = (
    tuple(c for c in TRAFFIC_COLUMNS if c.name in ("date", "branch", "channel"))
    + TICKET_ONLY_COLUMNS
)
"""Every column of a ticket log: these, plus the branch, channel and date of a count file."""

FIGURE_COLUMNS = (
    "branch",
    "channel",
    "tickets",
    "abandoned",
    "abandoned_share",
    "waits",
    "mean_wait_minutes",
    "handled",
    "mean_handling_minutes",
    "median_handling_minutes",
)
"""Columns of :func:`ticket_figures`."""

TICKET_FRAME_COLUMNS = ("branch", "channel", "taken", "called", "finished", "abandoned")
"""Columns of the parsed tickets (:func:`parse_tickets`), besides the row and file."""

_ABANDONED_WORDS = ("弃", "过号", "放弃", "未办", "未到", "离开", "作废", "取消", "超时")
_ABANDONED_EN = re.compile(r"abandon|no.?show|\bmissed\b|\bleft\b|skipped|cancel|time.?out|expired")
_SERVED_WORDS = ("办结", "完成", "已办", "已处理", "正常", "成功")
_SERVED_EN = re.compile(r"\b(?:done|served?|completed?|finished|ok|normal|handled)\b")

_CLOCK_RE = (
    r"^(?P<h>\d{1,2})\s*[:时点]\s*(?P<mi>\d{1,2})(?:\s*[:分]\s*(?P<s>\d{1,2})(?:\.\d+)?)?\s*秒?$"
)

_EXAMPLE = "a date and time such as 2026-11-23 09:05:12, or a clock time with a 日期 column"

_TICKET_FORMATS = (*_FAST_FORMATS, "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M:%S.%f")


def parse_tickets(
    tables: Sequence[Table], branch: str | None = None, timezone: str | None = None
) -> tuple[pd.DataFrame, list[Issue]]:
    """Read the tickets of ticket-log tables, checking every row.

    Args:
        tables: Ticket-log tables (one per CSV file or sheet), already narrowed to the branch.
        branch: The branch of rows without a branch column or cell.
        timezone: IANA zone of the branch; offset-aware times are converted to it.

    Returns:
        One row per ticket with :data:`TICKET_FRAME_COLUMNS` (``called``/``finished`` NaT
        when not recorded; ``abandoned`` true, false or ``pd.NA`` when the log cannot tell)
        plus each row's number and file, and the warnings (unknown status words).

    Raises:
        InputError: Every error of every row at once: unreadable or empty ticket times,
            unreadable call or finish times, a call before the ticket, a finish before the
            call, an empty channel or branch.
    """
    frames: list[pd.DataFrame] = []
    issues: list[Issue] = []
    for table in tables:
        try:
            frame, found = _parse_table(table, branch, timezone)
        except InputError as exc:
            issues += exc.issues
            continue
        frames.append(frame)
        issues += found
    if any(i.severity == "error" for i in issues) or not frames:
        raise InputError(sorted(issues, key=_issue_order))
    tickets = pd.concat(frames, ignore_index=True)
    return tickets, sorted(issues, key=_issue_order)


def read_tickets(
    path: str | Path, branch: str | None = None, timezone: str | None = None
) -> tuple[pd.DataFrame, list[Issue]]:
    """Read a ticket-log file into one row per ticket (see :func:`parse_tickets`).

    Raises:
        InputError: If the file is not a ticket log, or for every bad row at once.
    """
    _, tables = read_traffic_tables(path)
    if not tables:
        raise InputError(
            [
                Issue(
                    str(path),
                    "not a queue-ticket log: the file has a count column",
                    allowed="one row per ticket with a ticket-time column (取号时间 / "
                    "ticket_time) and no count column",
                )
            ]
        )
    if branch is not None:
        tables = [_only_branch(t, branch)[0] if "branch" in t.headers else t for t in tables]
    return parse_tickets(tables, branch, timezone)


def ticket_figures(
    path: str | Path, branch: str | None = None, timezone: str | None = None
) -> pd.DataFrame:
    """Measured service figures per branch and channel of a ticket log.

    Args:
        path: The ticket log (CSV, ``.csv.gz`` or XLSX).
        branch: Keep only this branch.
        timezone: IANA zone of the branch.

    Returns:
        One row per branch and channel with :data:`FIGURE_COLUMNS`: ``tickets`` taken,
        ``abandoned`` (and its share of the tickets; NaN when the log has neither a status nor
        a call-time column), ``mean_wait_minutes`` from taken to called over the ``waits``
        tickets served with a call time, and ``mean_handling_minutes`` and
        ``median_handling_minutes`` from called to finished over the ``handled`` tickets
        served with both times.

    Raises:
        InputError: Every bad row at once, as in :func:`parse_tickets`.
    """
    tickets, _ = read_tickets(path, branch, timezone)
    return summarise_tickets(tickets)


def summarise_tickets(tickets: pd.DataFrame) -> pd.DataFrame:
    """The figures of :func:`ticket_figures` from parsed tickets."""
    served = tickets["abandoned"].ne(True).to_numpy()
    wait = (tickets["called"] - tickets["taken"]).dt.total_seconds() / 60
    handling = (tickets["finished"] - tickets["called"]).dt.total_seconds() / 60
    frame = pd.DataFrame(
        {
            "branch": tickets["branch"],
            "channel": tickets["channel"],
            "abandoned": tickets["abandoned"].astype("Float64"),
            "wait": wait.where(served),
            "handling": handling.where(served),
        }
    )
    grouped = frame.groupby(["branch", "channel"], sort=True)
    out = grouped.agg(
        tickets=("wait", "size"),
        abandoned=("abandoned", "sum"),
        known=("abandoned", "count"),
        waits=("wait", "count"),
        mean_wait_minutes=("wait", "mean"),
        handled=("handling", "count"),
        mean_handling_minutes=("handling", "mean"),
        median_handling_minutes=("handling", "median"),
    ).reset_index()
    unknown = out["known"] == 0
    out["abandoned"] = out["abandoned"].astype("float64").where(~unknown)
    out["abandoned_share"] = out["abandoned"] / out["tickets"]
    for name in ("mean_wait_minutes", "mean_handling_minutes", "median_handling_minutes"):
        out[name] = out[name].astype("float64")
    return out.loc[:, list(FIGURE_COLUMNS)]


def count_tickets(tickets: pd.DataFrame, calendar: BranchCalendar | None = None) -> pd.DataFrame:
    """Tickets taken per branch, channel and hour, with 0 for open hours without a ticket.

    A branch's day counts as open when at least one ticket was taken that day (a day without
    any ticket is left out: more likely a missing export than a day without customers). Its
    open hours are those the calendar gives for the day, when the calendar is the branch's
    and opens that day, else every hour from the first to the last ticket of the day; hours
    with tickets outside them are kept. Each channel gets every open hour from its first to
    its last day with a ticket.

    Args:
        tickets: Parsed tickets (:func:`parse_tickets`).
        calendar: The branch's calendar, if known.

    Returns:
        ``branch, channel, ds, y`` plus the row number and file of the hour's first ticket
        (row 0 for a 0-count hour).
    """
    hour = tickets["taken"].dt.floor("h")
    counts = (
        tickets.assign(ds=hour)
        .groupby(["branch", "channel", "ds"], sort=True)
        .agg(y=("taken", "size"), **{ROW: (ROW, "min"), FILE: (FILE, "first")})
        .reset_index()
    )
    open_hours = _open_hours(tickets.assign(ds=hour), calendar)
    day = tickets["taken"].dt.normalize()
    spans = (
        tickets.assign(day=day)
        .groupby(["branch", "channel"], sort=True)["day"]
        .agg(["min", "max"])
        .reset_index()
    )
    grid = spans.merge(open_hours, on="branch")
    grid = grid[(grid["day"] >= grid["min"]) & (grid["day"] <= grid["max"])]
    grid = grid.loc[:, ["branch", "channel", "ds"]]
    out = grid.merge(counts, on=["branch", "channel", "ds"], how="outer")
    file = str(tickets[FILE].iloc[0]) if len(tickets) else ""
    out = out.assign(
        y=out["y"].fillna(0).astype("int64"),
        **{ROW: out[ROW].fillna(0).astype("int64"), FILE: out[FILE].fillna(file)},
    )
    return out.sort_values(["branch", "channel", "ds"]).reset_index(drop=True)


def _open_hours(tickets: pd.DataFrame, calendar: BranchCalendar | None) -> pd.DataFrame:
    """``branch, day, ds``: every open hour of every branch-day with a ticket."""
    days = (
        tickets.assign(day=tickets["ds"].dt.normalize())
        .groupby(["branch", "day"], sort=True)["ds"]
        .agg(["min", "max"])
        .reset_index()
    )
    parts: list[pd.DataFrame] = []
    for branch, day, first, last in days.itertuples(index=False):
        hours = None
        if calendar is not None and calendar.branch.id == branch:
            hours = calendar.hours(day.date())
        if hours is None:
            stamps = pd.date_range(first, last, freq="h")
        else:
            low = day + pd.Timedelta(hours=hours.start_minute // 60)
            high = day + pd.Timedelta(hours=(hours.end_minute - 1) // 60)
            stamps = pd.date_range(low, high, freq="h")
        parts.append(pd.DataFrame({"branch": branch, "day": day, "ds": stamps}))
    if not parts:
        return pd.DataFrame({"branch": [], "day": [], "ds": []})
    return pd.concat(parts, ignore_index=True)


def handling_time_lines(
    figures: pd.DataFrame | Iterable[dict[str, Any]], config: BranchConfig
) -> list[str]:
    """One line per channel setting the measured figures against the configuration.

    Example line: ``cash: measured handling time 6.4 min vs configured 6.0 (1,204 tickets),
    mean wait 7.9 min, 3.1% abandoned``.

    Args:
        figures: :func:`ticket_figures` as a frame or its records.
        config: The branch configuration (its channels' ``aht_minutes``).
    """
    frame = pd.DataFrame(list(figures) if not isinstance(figures, pd.DataFrame) else figures)
    if frame.empty:
        return []
    frame = frame[frame["branch"] == config.branch.id]
    configured = {c.id: c.aht_minutes for c in config.channels}
    lines: list[str] = []
    for row in frame.itertuples(index=False):
        handling = (
            "no handling time measured (no ticket with call and finish times)"
            if row.handled == 0
            else f"measured handling time {row.mean_handling_minutes:.1f} min"
        )
        if row.channel in configured:
            handling += f" vs configured {configured[row.channel]:.1f}"
        else:
            handling += " (channel not in the configuration)"
        noun = "ticket" if row.tickets == 1 else "tickets"
        parts = [f"{row.channel}: {handling} ({row.tickets:,} {noun})"]
        if row.waits:
            parts.append(f"mean wait {row.mean_wait_minutes:.1f} min")
        if row.abandoned_share == row.abandoned_share:
            parts.append(f"{row.abandoned_share:.1%} abandoned")
        lines.append(", ".join(parts))
    return lines


def _parse_table(
    table: Table, branch: str | None, timezone: str | None
) -> tuple[pd.DataFrame, list[Issue]]:
    """The tickets of one table and its problems."""
    frame = table.frame
    limiter = IssueLimiter(table.file)
    require_branch_column(table, branch)
    bad = pd.Series(False, index=frame.index)
    base = None
    if "date" in table.headers:
        base, bad_date = _dates(table, limiter)
        bad |= bad_date
    taken, bad_taken = _times(table, "ticket_time", base, limiter, timezone, "ticket time")
    bad |= bad_taken
    day = taken.dt.normalize()
    called = finished = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[us]")
    if "called" in table.headers:
        called, bad_called = _times(table, "called", day, limiter, timezone, "call time")
        bad |= bad_called
    if "finished" in table.headers:
        finished, bad_finished = _times(table, "finished", day, limiter, timezone, "finish time")
        bad |= bad_finished
    bad |= _order_issues(table, taken, called, finished, limiter)
    channels = frame["channel"].map(cell_text)
    bad |= _empty_issues(table, channels, "channel", "a channel (业务类型) such as cash", limiter)
    if "branch" in table.headers:
        branches = frame["branch"].map(cell_text)
        if branch is not None:
            branches = branches.where(branches != "", branch)
        else:
            bad |= _empty_issues(
                table, branches, "branch", "the branch id, e.g. SH-PD-001", limiter
            )
    else:
        branches = pd.Series(branch, index=frame.index, dtype=object)
    abandoned, found = _abandoned(table, called, finished)
    for issue in found:
        limiter.add(issue)
    ok = ~bad
    tickets = pd.DataFrame(
        {
            "branch": branches[ok].astype(str),
            "channel": channels[ok].astype(str),
            "taken": taken[ok],
            "called": called[ok],
            "finished": finished[ok],
            "abandoned": abandoned[ok],
            ROW: frame.loc[ok, ROW].astype("int64"),
            FILE: frame.loc[ok, FILE],
        }
    )
    return tickets, limiter.finish()


def _dates(table: Table, limiter: IssueLimiter) -> tuple[pd.Series, pd.Series]:
    """The date column as midnight timestamps (NaT where unreadable or empty)."""
    frame = table.frame
    cache: dict[Any, pd.Timestamp] = {}

    def parse(value: Any) -> pd.Timestamp:
        key = value if isinstance(value, str | int | float | dt.date) else repr(value)
        if key not in cache:
            try:
                cache[key] = pd.Timestamp(parse_date(value))
            except (ValueError, TypeError):
                cache[key] = pd.NaT
        return cache[key]

    raw = frame["date"]
    dates = raw.map(parse, na_action="ignore").astype("datetime64[us]")
    bad = dates.isna() & raw.notna()
    limiter.add_rows(
        frame, bad, "cannot read the date", table.header("date"), "a date such as 2026-11-23", raw
    )
    return dates, bad


def _times(
    table: Table,
    column: str,
    base: pd.Series | None,
    limiter: IssueLimiter,
    timezone: str | None,
    what: str,
) -> tuple[pd.Series, pd.Series]:
    """Parse one time column: full timestamps, or clock times on the ``base`` day.

    Returns:
        The naive local times (NaT where empty or bad) and the mask of bad rows. An empty
        cell is bad only in the ticket-time column.
    """
    frame = table.frame
    header = table.header(column)
    raw = frame[column]
    empty = raw.isna()
    times = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[us]")
    is_cell = raw.map(lambda v: isinstance(v, dt.datetime | dt.time), na_action="ignore")
    is_cell = is_cell.fillna(False).astype(bool)
    text = raw.where(~is_cell & ~empty, "").map(cell_text)
    for fmt in _TICKET_FORMATS:
        todo = times.isna() & (text != "")
        if not todo.any():
            break
        times[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce")
    todo = times.isna() & (text != "")
    parts = text[todo].str.extract(_STAMP_RE).reindex(frame.index)
    matched = parts["y"].notna() & parts["h"].notna()
    if matched.any():
        numbers = parts.loc[matched, ["y", "mo", "d", "h", "mi", "s"]].astype("float64").fillna(0)
        stamps = pd.to_datetime(
            {
                "year": numbers["y"],
                "month": numbers["mo"],
                "day": numbers["d"],
                "hour": numbers["h"].clip(0, 23),
                "minute": numbers["mi"].clip(0, 59),
                "second": numbers["s"].clip(0, 59),
            },
            errors="coerce",
        )
        in_range = (numbers["h"] <= 23) & (numbers["mi"] <= 59) & (numbers["s"] <= 59)
        times[matched] = stamps.where(in_range).astype("datetime64[us]")
    clock_rows = times.isna() & (text != "")
    clock = text[clock_rows].str.extract(_CLOCK_RE).astype("float64")
    clock = clock[clock["h"].notna() & (clock["h"] <= 23) & (clock["mi"] <= 59)]
    clock = clock[clock["s"].fillna(0) <= 59]
    no_day = pd.Series(False, index=frame.index)
    if not clock.empty:
        offset = pd.to_timedelta(
            clock["h"] * 3600 + clock["mi"] * 60 + clock["s"].fillna(0), unit="s"
        )
        if base is None:
            no_day[clock.index] = True
        else:
            times[clock.index] = base[clock.index] + offset
            no_day[clock.index] = base[clock.index].isna()
    for idx in frame.index[is_cell]:
        value = raw[idx]
        if isinstance(value, dt.datetime):
            times[idx] = pd.Timestamp(value.replace(tzinfo=None))
        elif base is not None and not pd.isna(base[idx]):
            times[idx] = base[idx] + pd.Timedelta(
                hours=value.hour, minutes=value.minute, seconds=value.second
            )
        else:
            no_day[idx] = True
    times, bad_tz = _apply_offsets(times, parts["tz"], frame, header, limiter, timezone)
    unreadable = times.isna() & ~empty & ~no_day
    checks = [(unreadable, f"cannot read the {what}")]
    if column == "ticket_time":  # a call or finish without a day: its ticket time is bad
        checks += [(empty, f"{what} is empty"), (no_day, f"{what} has no date")]
    for mask, message in checks:
        limiter.add_rows(frame, mask, message, header, _EXAMPLE, raw)
    bad = unreadable | no_day | bad_tz
    if column == "ticket_time":
        bad |= empty
    return times.astype("datetime64[us]"), bad


def _order_issues(
    table: Table,
    taken: pd.Series,
    called: pd.Series,
    finished: pd.Series,
    limiter: IssueLimiter,
) -> pd.Series:
    """Rows whose call comes before the ticket, or whose finish before the call or ticket."""
    frame = table.frame
    early_call = called < taken
    start = called.where(called.notna(), taken)
    early_finish = finished < start
    checks = (
        (early_call, "called before the ticket was taken", "called", "ticket_time"),
        (
            early_finish & called.notna(),
            "finished before it was called",
            "finished",
            "called",
        ),
        (
            early_finish & called.isna(),
            "finished before the ticket was taken",
            "finished",
            "ticket_time",
        ),
    )
    bad = pd.Series(False, index=frame.index)
    for mask, message, column, after in checks:
        reference = taken if after == "ticket_time" else called
        for idx in frame.index[mask]:
            limiter.add(
                Issue(
                    frame.at[idx, FILE],
                    message,
                    int(frame.at[idx, ROW]),
                    table.header(column),
                    value=cell_text(frame.at[idx, column]),
                    allowed=f"a time at or after {table.header(after)} "
                    f"{pd.Timestamp(reference[idx]):%Y-%m-%d %H:%M:%S}",
                )
            )
        bad |= mask
    return bad


def _empty_issues(
    table: Table, cells: pd.Series, column: str, allowed: str, limiter: IssueLimiter
) -> pd.Series:
    """Rows whose ``column`` is empty, each reported."""
    frame = table.frame
    empty = cells == ""
    limiter.add_rows(frame, empty, f"{column} is empty", table.header(column), allowed)
    return empty


def _abandoned(
    table: Table, called: pd.Series, finished: pd.Series
) -> tuple[pd.Series, list[Issue]]:
    """Whether each ticket was abandoned: from the status, else from the call time.

    A status with 弃号, 过号, 放弃, 未到 ... or abandoned, no-show, missed ... marks an
    abandoned ticket; 已办结, 完成, 正常 ... or served, done ... a served one. Without a known
    status, a log with a call-time column counts a ticket never called (and never finished) as
    abandoned; a log with neither column cannot tell (``pd.NA``). An unknown status word is a
    warning, once per word.
    """
    frame = table.frame
    if "called" in table.headers:
        guess = pd.Series(called.isna() & finished.isna(), index=frame.index, dtype="boolean")
    else:
        guess = pd.Series(pd.NA, index=frame.index, dtype="boolean")
    if "status" not in table.headers:
        return guess, []
    words = frame["status"].map(cell_text)
    kinds = {w: _status_kind(w) for w in words.unique()}
    kind = words.map(kinds)
    out = guess.copy()
    out[kind == "abandoned"] = True
    out[kind == "served"] = False
    issues: list[Issue] = []
    for word, found in kinds.items():
        if found is None:
            rows = frame.loc[words == word, ROW].astype(int)
            issues.append(
                Issue(
                    str(frame.loc[words == word, FILE].iloc[0]),
                    "unknown ticket status; the ticket is counted, and judged abandoned or "
                    "not from its call time",
                    int(rows.iloc[0]),
                    table.header("status"),
                    value=f"{word} ({len(rows)} row(s))",
                    allowed="a served status (已办结, 完成, 正常, served, done) or an abandoned "
                    "one (弃号, 过号, 放弃, abandoned, no-show)",
                    severity="warning",
                )
            )
    return out, issues


def _status_kind(word: str) -> str | None:
    """``"abandoned"``, ``"served"``, ``"empty"`` or ``None`` (unknown) for a status word."""
    if word == "":
        return "empty"
    lower = word.lower()
    if any(w in word for w in _ABANDONED_WORDS) or _ABANDONED_EN.search(lower):
        return "abandoned"
    if any(w in word for w in _SERVED_WORDS) or _SERVED_EN.search(lower):
        return "served"
    return None
