"""Known events a manager enters in advance (a market day, a product launch, a closure nearby).

The events file (CSV or XLSX) has one row per event: ``date`` (required), ``start`` and ``end``
times (optional; the whole day when left out), ``name`` (required), ``channel`` (optional; all
channels when left out) and ``multiplier`` (optional: the expected factor on traffic, e.g.
``1.5``). Chinese headers are accepted (日期, 开始, 结束, 名称, 渠道, 倍数).

An event with a multiplier scales the forecast of the hours it covers by that factor (and is
taken out of the history it falls in, so it does not distort the estimates). Events that
overlap multiply, up to :data:`MAX_MULTIPLIER` together; the same event given twice counts
once (both with a warning). An event without
a multiplier is learnt by the count regression from the past events in the history.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pandas as pd

from scheduler.domain.common import format_clock, minutes_of, parse_clock
from scheduler.errors import InputError, Issue
from scheduler.io.tables import (
    FILE,
    ROW,
    ColumnSpec,
    IssueLimiter,
    cell_text,
    is_blank,
    parse_date,
    read_table,
)

EVENT_COLUMNS = ("date", "start", "end", "name", "channel", "multiplier")
"""Columns of the events frame. ``start``/``end`` are ``datetime.time`` or ``None`` (whole
day); ``channel`` is ``None`` for every channel; ``multiplier`` is NaN when not given."""

EVENT_FILE_COLUMNS = (
    ColumnSpec("date", ("日期", "day", "event_date")),
    ColumnSpec("start", ("开始", "开始时间", "起始时间", "start_time", "from"), required=False),
    ColumnSpec("end", ("结束", "结束时间", "截止时间", "end_time", "to", "until"), required=False),
    ColumnSpec("name", ("名称", "事件", "事件名称", "活动", "event", "description")),
    ColumnSpec("channel", ("渠道", "业务渠道", "queue"), required=False),
    ColumnSpec(
        "multiplier",
        ("倍数", "系数", "预计倍数", "factor", "expected_multiplier", "uplift"),
        required=False,
    ),
)
"""Columns of an events file and the header names accepted for them."""

MAX_MULTIPLIER = 20.0
"""Largest expected multiplier accepted (a typo guard: 15 instead of 1.5)."""


def empty_events() -> pd.DataFrame:
    """An events frame without rows."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in EVENT_COLUMNS})


def read_events(path: str | Path) -> pd.DataFrame:
    """Read a known-events file into the events frame.

    Args:
        path: CSV (UTF-8 or GBK, optionally gzipped) or XLSX file.

    Returns:
        One row per event with :data:`EVENT_COLUMNS`; the file is not modified.

    Raises:
        InputError: Every problem found, each with its file, row, column, value and what is
            allowed.
    """
    tables = read_table(path, EVENT_FILE_COLUMNS, "events file")
    limiter = IssueLimiter(Path(path).name)
    records: list[dict[str, object]] = []
    for table in tables:
        for rec in table.frame.to_dict("records"):
            event = _parse_row(rec, table.header, limiter)
            if event is not None:
                records.append(event)
    issues = limiter.finish()
    if any(i.severity == "error" for i in issues):
        raise InputError(issues)
    if not records:
        return empty_events()
    frame = pd.DataFrame(
        {c: pd.Series([r[c] for r in records], dtype=object) for c in EVENT_COLUMNS}
    )
    frame["multiplier"] = frame["multiplier"].astype(float)
    return frame


def _parse_row(
    rec: dict[str, object], header: object, limiter: IssueLimiter
) -> dict[str, object] | None:
    """One event from one file row, or ``None`` after recording its problems."""
    file, row = str(rec[FILE]), int(rec[ROW])  # type: ignore[call-overload]
    problems = len(limiter.issues)

    def bad(column: str, message: str, value: object, allowed: str) -> None:
        limiter.add(
            Issue(file, message, location=row, column=header(column), value=value, allowed=allowed)  # type: ignore[operator]
        )

    day = start = end = None
    try:
        day = parse_date(rec.get("date"))
    except ValueError:
        bad("date", "not a date", rec.get("date"), "a date such as 2026-12-01")
    for column in ("start", "end"):
        value = rec.get(column)
        if value is None or is_blank(value):
            continue
        try:
            clock = parse_clock(value if not isinstance(value, str) else cell_text(value))
        except ValueError:
            bad(column, "not a time of day", value, "HH:MM, e.g. 09:30, or empty for all day")
            continue
        if column == "start":
            start = clock
        else:
            end = clock
    if start is not None and end is not None and minutes_of(end) <= minutes_of(start):
        bad(
            "end",
            f"does not end after its start ({format_clock(start)})",
            rec.get("end"),
            "an end time after the start time",
        )
    name = cell_text(rec.get("name"))
    if not name:
        bad("name", "the event has no name", rec.get("name"), "a short description")
    channel = cell_text(rec.get("channel")) or None
    multiplier = math.nan
    raw = rec.get("multiplier")
    if raw is not None and not is_blank(raw):
        try:
            multiplier = float(cell_text(raw).rstrip("xX×倍"))
        except ValueError:
            bad("multiplier", "not a number", raw, "a factor such as 1.5, or empty")
        else:
            if not (0 < multiplier <= MAX_MULTIPLIER) or not math.isfinite(multiplier):
                bad(
                    "multiplier",
                    "out of range",
                    raw,
                    f"a factor above 0 and at most {MAX_MULTIPLIER:g}",
                )
    if len(limiter.issues) > problems:
        return None
    return {
        "date": day,
        "start": start,
        "end": end,
        "name": name,
        "channel": channel,
        "multiplier": multiplier,
    }


def check_events(events: pd.DataFrame, channels: set[str], file: str = "<events>") -> list[Issue]:
    """Problems of an events frame given in memory, and warnings for unknown channels.

    Args:
        events: Events frame (:data:`EVENT_COLUMNS`).
        channels: Channels of the history.
        file: Name used in the issues.

    Returns:
        Errors for missing columns or bad values, warnings for channels without history.
    """
    missing = [c for c in ("date", "name") if c not in events.columns]
    if missing:
        return [
            Issue(
                file,
                f"the events frame lacks column(s) {', '.join(missing)}",
                allowed=", ".join(EVENT_COLUMNS),
            )
        ]
    issues: list[Issue] = []
    first: dict[tuple[object, ...], int] = {}
    for i, rec in enumerate(events.to_dict("records"), start=1):
        mult = rec.get("multiplier")
        if mult is not None and not _isnan(mult) and not 0 < float(mult) <= MAX_MULTIPLIER:
            issues.append(
                Issue(
                    file,
                    "multiplier out of range",
                    location=i,
                    column="multiplier",
                    value=mult,
                    allowed=f"above 0, at most {MAX_MULTIPLIER:g}",
                )
            )
        key = _key(rec)
        if key in first:
            issues.append(
                Issue(
                    file,
                    f"the same event as row {first[key]} (date, times, channel and "
                    "multiplier); it is counted once",
                    location=i,
                    column="date",
                    value=str(rec.get("date")),
                    allowed="each event once",
                    severity="warning",
                )
            )
            continue
        first[key] = i
        channel = rec.get("channel")
        if channel is not None and not _isnan(channel) and str(channel) not in channels:
            issues.append(
                Issue(
                    file,
                    "the event's channel has no history; the event is ignored",
                    location=i,
                    column="channel",
                    value=channel,
                    allowed=", ".join(sorted(channels)),
                    severity="warning",
                )
            )
    return issues + _stacked(events, file)


def _key(rec: dict[str, object]) -> tuple[object, ...]:
    """What makes two event rows the same event: date, window, channel and multiplier."""
    channel, mult = rec.get("channel"), rec.get("multiplier")
    return (
        str(rec.get("date"))[:10],
        _window(rec),
        None if channel is None or _isnan(channel) else str(channel),
        None if mult is None or _isnan(mult) else float(mult),  # type: ignore[arg-type]
    )


def _stacked(events: pd.DataFrame, file: str) -> list[Issue]:
    """A warning per day whose overlapping events multiply beyond :data:`MAX_MULTIPLIER`."""
    out: list[Issue] = []
    unique = {_key(r): r for r in events.to_dict("records")}
    by_day: dict[str, list[tuple[tuple[int, int], str | None, float]]] = {}
    for day, window, channel, mult in unique:
        if mult is not None and mult > 0:
            by_day.setdefault(day, []).append((window, channel, mult))
    for day, items in sorted(by_day.items()):
        channels = {c for _, c, _ in items if c is not None} or {None}
        worst = max(
            math.prod(
                m
                for (lo, hi), c, m in items
                if (c is None or c == channel) and lo < hour * 60 + 60 and hour * 60 < hi
            )
            for channel in channels
            for hour in range(24)
        )
        if worst > MAX_MULTIPLIER:
            out.append(
                Issue(
                    file,
                    f"events overlapping on {day} multiply traffic by {worst:g} together; the "
                    f"forecast takes at most {MAX_MULTIPLIER:g}",
                    column="multiplier",
                    value=f"{worst:g}",
                    allowed=f"a combined factor of at most {MAX_MULTIPLIER:g}",
                    severity="warning",
                )
            )
    return out


def _isnan(value: object) -> bool:
    return isinstance(value, float) and math.isnan(value)


def _window(rec: dict[str, object]) -> tuple[int, int]:
    """Minutes since midnight covered by an event: ``[start, end)``."""
    start, end = rec.get("start"), rec.get("end")
    lo = minutes_of(start) if isinstance(start, dt.time) else 0
    hi = minutes_of(end) if isinstance(end, dt.time) else 24 * 60
    return lo, hi


def event_effects(
    events: pd.DataFrame | None, ds: pd.Series, channel: str
) -> tuple[np.ndarray, np.ndarray]:
    """Per hour of ``ds``: the log of the known multipliers and the unknown-event indicator.

    An event covers an hour when it is on that date and its time window overlaps the hour.

    Args:
        events: Events frame or ``None``.
        ds: Hour starts (naive local).
        channel: The series' channel; events for other channels are skipped.

    Returns:
        ``(log_multiplier, indicator)`` arrays aligned with ``ds``.
    """
    n = len(ds)
    offset, flag = np.zeros(n), np.zeros(n)
    if events is None or events.empty or n == 0:
        return offset, flag
    stamps = pd.DatetimeIndex(ds)
    dates = stamps.normalize()
    minute = (stamps.hour * 60 + stamps.minute).to_numpy()
    for rec in {_key(r): r for r in events.to_dict("records")}.values():
        ch = rec.get("channel")
        if ch is not None and not _isnan(ch) and str(ch) != channel:
            continue
        day = pd.Timestamp(rec["date"])  # type: ignore[arg-type]
        lo, hi = _window(rec)
        hit = (dates == day) & (minute < hi) & (minute + 60 > lo)
        mult = rec.get("multiplier")
        if mult is None or _isnan(mult):
            flag[hit] = 1.0
        else:
            offset[hit] += math.log(float(mult))  # type: ignore[arg-type]
    return np.minimum(offset, math.log(MAX_MULTIPLIER)), flag
