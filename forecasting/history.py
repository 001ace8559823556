"""Check and repair a traffic history before forecasting.

Every problem becomes an :class:`~scheduler.errors.Issue`. Problems that cannot be repaired
without guessing (unreadable timestamps or counts, negative counts, two different counts for
the same hour) are errors. The repairs, each reported as
a warning that says what was changed and how much:

- rows of other branches are ignored;
- timestamps with a UTC offset are converted to the branch's local wall-clock time;
- identical duplicate rows are dropped;
- rows with an empty count are dropped (the hour becomes a gap);
- fractional counts are rounded to the nearest whole number;
- timestamps inside an hour (e.g. 09:30 or 09:00:05) are summed into that hour;
- rows at hours the branch is closed according to its calendar are ignored;
- rows at or after the start of the forecast horizon are not used;
- open hours missing from the history (gaps) are kept as missing values: the models skip them
  (the seasonal decomposition fills them from the same hour in other weeks);
- except when the export seems to skip zeros: a series with no zero row anywhere, whose
  weekday-hour means make zeros expected (:data:`MIN_EXPECTED_ZEROS`), has its missing hours
  on days with other rows (at hours of day it has rows for) read as zero customers;
- a channel whose counts are all zero is forecast as zero;
- a channel shorter than ``min_days`` is forecast by its mean per hour (see
  :class:`forecasting.models.HourMean`); when every channel is that short (a new branch) a
  further warning says the whole forecast rests on those means.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from forecasting.calendar_features import CalendarFeatures
from scheduler.domain import BranchConfig
from scheduler.errors import InputError, Issue
from scheduler.io.tables import IssueLimiter
from scheduler.io.traffic_file import STAMP_YEARS, outside_stamp_years, stamp_out_of_range


@dataclass
class PreparedHistory:
    """A checked history on the branch's grid of open hours.

    Attributes:
        frame: ``unique_id, branch, channel, ds, y`` with one row per series and open hour from
            the series' first to its last day; ``y`` is NaN for hours missing from the input.
        issues: Warnings about the repairs made.
        zero_series: Series whose counts are all zero.
        short_series: Series with less history than a model needs (forecast by their mean
            per hour; see :class:`forecasting.models.HourMean`).
    """

    frame: pd.DataFrame
    issues: list[Issue] = field(default_factory=list)
    zero_series: set[str] = field(default_factory=set)
    short_series: set[str] = field(default_factory=set)

    @property
    def series(self) -> list[str]:
        """The series ids, sorted."""
        return sorted(self.frame["unique_id"].unique())


def prepare_history(
    history: pd.DataFrame,
    config: BranchConfig,
    features: CalendarFeatures,
    *,
    file: str = "<history>",
    before: dt.datetime | None = None,
    min_days: int = 14,
) -> PreparedHistory:
    """Check a history frame and put it on the grid of open hours.

    Args:
        history: Frame with ``ds`` and ``y`` and either ``channel`` (and optionally ``branch``)
            or ``unique_id`` (``"<branch>/<channel>"``); it is not modified.
        config: The branch configuration (its id, time zone and calendar).
        features: Calendar features of the branch (gives the open hours).
        file: Name of the history's source, used in issues.
        before: Ignore rows at or after this time (the start of the forecast horizon).
        min_days: History (days) a series needs for a model; shorter series are kept as
            ``short_series`` (forecast by their mean per hour).

    Returns:
        The prepared history with the warnings of every repair.

    Raises:
        InputError: Listing every problem that could not be repaired.
    """
    limiter = IssueLimiter(file)
    warnings: list[Issue] = []
    if not isinstance(history, pd.DataFrame):
        raise InputError(
            [
                Issue(
                    file,
                    "the history is not a table",
                    value=type(history).__name__,
                    allowed="a pandas DataFrame",
                )
            ]
        )
    missing = [c for c in ("ds", "y") if c not in history.columns]
    if "channel" not in history.columns and "unique_id" not in history.columns:
        missing.append("channel")
    if missing:
        raise InputError(
            [
                Issue(
                    file,
                    f"the history lacks column(s) {', '.join(missing)}",
                    allowed="unique_id, branch, channel, ds, y",
                )
            ]
        )
    branch_id = config.branch.id
    frame = pd.DataFrame({"_row": np.arange(1, len(history) + 1)})
    if "channel" in history.columns:
        frame["channel"] = history["channel"].astype(str).to_numpy()
    else:
        frame["channel"] = history["unique_id"].astype(str).str.split("/").str[-1].to_numpy()
    if "branch" in history.columns:
        frame["branch"] = history["branch"].astype(str).to_numpy()
    elif "unique_id" in history.columns:
        parts = history["unique_id"].astype(str).str.rsplit("/", n=1)
        frame["branch"] = [p[0] if len(p) == 2 else branch_id for p in parts]
    else:
        frame["branch"] = branch_id
    other = frame["branch"] != branch_id
    if other.all():
        found = ", ".join(sorted(frame["branch"].unique())[:5]) or "no rows"
        raise InputError(
            [
                Issue(
                    file,
                    f"the history has no rows for branch {branch_id}",
                    column="branch",
                    value=found,
                    allowed=branch_id,
                )
            ]
        )
    if other.any():
        warnings.append(
            _warn(
                file, f"{int(other.sum())} row(s) of other branches were ignored", column="branch"
            )
        )
    keep = ~other.to_numpy()
    frame = frame[keep].reset_index(drop=True)
    ds_raw = history["ds"].iloc[np.flatnonzero(keep)].reset_index(drop=True)
    y_raw = history["y"].iloc[np.flatnonzero(keep)].reset_index(drop=True)

    frame["ds"], tz_note = _parse_stamps(ds_raw, frame["_row"], config.branch.timezone, limiter)
    if tz_note:
        warnings.append(_warn(file, tz_note, column="ds"))
    frame["y"] = _parse_counts(y_raw, frame["_row"], file, limiter, warnings)
    issues = limiter.finish()
    if any(i.severity == "error" for i in issues):
        raise InputError(issues + warnings)
    frame = frame.dropna(subset=["ds", "y"])
    frame = _deduplicate(frame, file, warnings)
    frame = _to_hours(frame, file, warnings)
    if before is not None:
        late = frame["ds"] >= pd.Timestamp(before)
        if late.any():
            warnings.append(
                _warn(
                    file,
                    f"{int(late.sum())} row(s) at or after the forecast start "
                    f"{before:%Y-%m-%d} were not used",
                    column="ds",
                )
            )
            frame = frame[~late]
    if frame.empty:
        raise InputError(
            [
                Issue(
                    file,
                    "the history has no usable rows before the forecast start",
                    allowed=f"rows before {before:%Y-%m-%d}" if before else None,
                )
            ]
        )
    return _on_grid(frame, branch_id, features, file, min_days, warnings)


def _warn(file: str, message: str, **where: object) -> Issue:
    return Issue(file, message, severity="warning", **where)  # type: ignore[arg-type]


def _parse_stamps(
    values: pd.Series, rows: pd.Series, timezone: str, limiter: IssueLimiter
) -> tuple[pd.Series, str | None]:
    """Naive local timestamps; offset-aware ones converted to ``timezone``."""
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        local = values.dt.tz_convert(timezone).dt.tz_localize(None)
        note = (
            f"{len(values)} timestamp(s) in time zone {values.dt.tz} were converted to the "
            f"branch's local time ({timezone})"
        )
        return _in_range(local, rows, limiter).astype("datetime64[ns]"), note
    if pd.api.types.is_datetime64_dtype(values.dtype):
        bad = values.isna()
        for row in rows[bad]:
            limiter.add(
                Issue(
                    limiter.file,
                    "missing timestamp",
                    location=int(row),
                    column="ds",
                    allowed="the start of the hour, e.g. 2026-11-23 09:00",
                )
            )
        return _in_range(values, rows, limiter).astype("datetime64[ns]"), None
    out: list[pd.Timestamp | None] = []
    offsets: Counter[str] = Counter()
    naive = 0
    for value, row in zip(values.tolist(), rows.tolist(), strict=True):
        try:
            if value is None or (isinstance(value, float) and np.isnan(value)):
                raise ValueError("missing")
            stamp = pd.Timestamp(value)
            if stamp is pd.NaT:
                raise ValueError("missing")
        except (ValueError, TypeError):
            limiter.add(
                Issue(
                    limiter.file,
                    "not a timestamp",
                    location=int(row),
                    column="ds",
                    value=value,
                    allowed="e.g. 2026-11-23 09:00",
                )
            )
            out.append(None)
            continue
        if stamp.tzinfo is not None:
            offsets[stamp.strftime("%z")[:3] + ":" + stamp.strftime("%z")[3:]] += 1
            stamp = stamp.tz_convert(timezone).tz_localize(None)
        else:
            naive += 1
        if STAMP_YEARS[0] <= stamp.year <= STAMP_YEARS[1]:
            out.append(stamp)
        else:
            limiter.add(stamp_out_of_range(limiter.file, int(row), "ds", str(stamp)))
            out.append(None)
    note: str | None = None
    if offsets:
        listed = ", ".join(f"UTC{k}: {n}" for k, n in sorted(offsets.items()))
        note = (
            f"{sum(offsets.values())} timestamp(s) carried a UTC offset ({listed}) and were "
            f"converted to the branch's local time ({timezone})"
        )
        if naive:
            note += f"; {naive} timestamp(s) without offset were taken as local time"
    return pd.Series(pd.to_datetime(out), index=values.index).astype("datetime64[ns]"), note


def _in_range(stamps: pd.Series, rows: pd.Series, limiter: IssueLimiter) -> pd.Series:
    """The timestamps with those outside the traffic years left out, each a located error."""
    odd = outside_stamp_years(stamps)
    for row, value in zip(rows[odd], stamps[odd], strict=True):
        limiter.add(stamp_out_of_range(limiter.file, int(row), "ds", str(value)))
    return stamps.where(~odd)


def _parse_counts(
    values: pd.Series, rows: pd.Series, file: str, limiter: IssueLimiter, warnings: list[Issue]
) -> pd.Series:
    """Counts as floats; errors for text, negative or infinite values; fractions rounded."""
    numbers = pd.to_numeric(values, errors="coerce").astype(float)
    empty = values.isna()
    for row, value in zip(
        rows[numbers.isna() & ~empty], values[numbers.isna() & ~empty], strict=True
    ):
        limiter.add(
            Issue(
                file,
                "not a number",
                location=int(row),
                column="y",
                value=value,
                allowed="a whole count >= 0",
            )
        )
    bad = (numbers < 0) | np.isinf(numbers)
    for row, value in zip(rows[bad], values[bad], strict=True):
        limiter.add(
            Issue(
                file,
                "negative or infinite count",
                location=int(row),
                column="y",
                value=value,
                allowed="a whole count >= 0",
            )
        )
    if empty.any():
        warnings.append(
            _warn(
                file,
                f"{int(empty.sum())} row(s) with an empty count were dropped "
                "(those hours are treated as missing)",
                column="y",
            )
        )
    ok = numbers.notna() & ~bad
    frac = ok & (numbers != np.round(numbers))
    if frac.any():
        shift = float(np.abs(numbers[frac] - np.round(numbers[frac])).max())
        warnings.append(
            _warn(
                file,
                f"{int(frac.sum())} fractional count(s) were rounded to whole "
                f"numbers (largest change {shift:.2f})",
                column="y",
            )
        )
    return np.round(numbers)


def _deduplicate(frame: pd.DataFrame, file: str, warnings: list[Issue]) -> pd.DataFrame:
    """Drop identical duplicate rows; raise for the same hour with different counts."""
    key = ["branch", "channel", "ds"]
    dup = frame.duplicated(subset=key, keep=False)
    if not dup.any():
        return frame
    groups = frame[dup].groupby(key, sort=True)
    conflicts = [g for _, g in groups if g["y"].nunique() > 1]
    if conflicts:
        limiter = IssueLimiter(file)
        for g in conflicts:
            first = g.iloc[0]
            for _, rec in g.iloc[1:].iterrows():
                limiter.add(
                    Issue(
                        file,
                        f"{first['channel']} at {first['ds']:%Y-%m-%d %H:%M} "
                        f"appears again with another count (row {int(first['_row'])} "
                        f"has {first['y']:g})",
                        location=int(rec["_row"]),
                        column="y",
                        value=rec["y"],
                        allowed="one row per channel and hour",
                    )
                )
        raise InputError(limiter.finish())
    extra = int(frame.duplicated(subset=key).sum())
    warnings.append(
        _warn(
            file,
            f"{extra} duplicate row(s) (same channel, hour and count) were dropped",
            column="ds",
        )
    )
    return frame.drop_duplicates(subset=key)


def _to_hours(frame: pd.DataFrame, file: str, warnings: list[Issue]) -> pd.DataFrame:
    """Sum rows stamped inside an hour into that hour."""
    hour = frame["ds"].dt.floor("h")
    off = hour != frame["ds"]
    if off.any():
        warnings.append(
            _warn(
                file,
                f"{int(off.sum())} timestamp(s) not on the hour (e.g. "
                f"{frame.loc[off, 'ds'].iloc[0]:%Y-%m-%d %H:%M:%S}) were summed "
                "into their hour",
                column="ds",
            )
        )
        frame = frame.assign(ds=hour)
        frame = frame.groupby(["branch", "channel", "ds"], as_index=False, sort=False).agg(
            y=("y", "sum"), _row=("_row", "min")
        )
    return frame


def _on_grid(
    frame: pd.DataFrame,
    branch_id: str,
    features: CalendarFeatures,
    file: str,
    min_days: int,
    warnings: list[Issue],
) -> PreparedHistory:
    """Put every series on the open-hour grid; report closed-hour rows, gaps, short series.

    A series shorter than ``min_days`` is kept and listed in ``short_series`` (forecast by its
    mean per hour); when every series is that short, one more warning says so.
    """
    first, last = frame["ds"].min().date(), frame["ds"].max().date()
    grid = features.open_hours(first, last)[["ds"]]
    open_set = pd.Index(grid["ds"])
    branch_days = pd.DatetimeIndex(frame.loc[frame["ds"].isin(open_set), "ds"]).normalize()
    errors: list[Issue] = []
    short_issues: list[Issue] = []
    parts: list[pd.DataFrame] = []
    zero: set[str] = set()
    short: set[str] = set()
    for channel, rows in frame.groupby("channel", sort=True):
        uid = f"{branch_id}/{channel}"
        records_zero = bool((rows["y"] == 0).any())
        closed = ~rows["ds"].isin(open_set)
        if closed.any() and rows.loc[closed, "y"].sum() > 0:
            warnings.append(
                _warn(
                    file,
                    f"{uid}: {int(closed.sum())} row(s) at hours the branch "
                    f"is closed (total count {rows.loc[closed, 'y'].sum():g}) were "
                    "ignored",
                    column="ds",
                )
            )
        rows = rows[~closed]
        if rows.empty:
            errors.append(
                Issue(
                    file,
                    f"{uid}: no rows at the branch's open hours",
                    column="channel",
                    value=channel,
                )
            )
            continue
        start, end = rows["ds"].min().normalize(), rows["ds"].max().normalize()
        days = (end - start).days + 1
        if days < min_days:
            short_issues.append(
                Issue(
                    file,
                    f"{uid}: history covers only {days} day(s) "
                    f"({start:%Y-%m-%d} to {end:%Y-%m-%d})",
                    column="ds",
                    value=f"{days} day(s)",
                    allowed=f"at least {min_days} days",
                )
            )
            short.add(uid)
        span = grid[(grid["ds"] >= start) & (grid["ds"] < end + pd.Timedelta(days=1))]
        series = span.merge(rows[["ds", "y"]], on="ds", how="left")
        if not records_zero:
            filled = _skipped_zeros(series, branch_days)
            if filled.any():
                series.loc[filled, "y"] = 0.0
                warnings.append(
                    _warn(
                        file,
                        f"{uid}: never records a zero; {int(filled.sum())} open hour(s) "
                        "absent on days with other rows (of this or another channel) are "
                        "read as no customers",
                        column="y",
                    )
                )
        gaps = int(series["y"].isna().sum())
        if gaps:
            share = gaps / len(series)
            warnings.append(
                _warn(
                    file,
                    f"{uid}: {gaps} open hour(s) missing ({share:.1%} of "
                    f"{start:%Y-%m-%d}..{end:%Y-%m-%d}); they are left out of "
                    "fitting",
                    column="ds",
                )
            )
        if series["y"].fillna(0).sum() == 0:
            zero.add(uid)
            warnings.append(
                _warn(
                    file,
                    f"{uid}: every count is zero; the channel is forecast as zero",
                    column="y",
                    value=channel,
                )
            )
        series.insert(0, "channel", str(channel))
        series.insert(0, "branch", branch_id)
        series.insert(0, "unique_id", uid)
        parts.append(series)
    if errors:
        raise InputError(errors + warnings)
    every = bool(short) and not ({p["unique_id"].iloc[0] for p in parts} - short)
    for issue in short_issues:
        warnings.append(
            replace(
                issue,
                message=f"{issue.message}, fewer than the {min_days} a model needs; it is "
                "forecast by its mean per hour (per weekday where the history has that "
                "weekday) with wide negative binomial intervals, not backtested",
                value=None,
                allowed=None,
                severity="warning",
            )
        )
    if every:
        warnings.append(
            _warn(
                file,
                f"every channel has less than {min_days} days of history (a new branch?): "
                "the whole forecast is a mean per hour, not checked against any past week; "
                f"check the staffing it gives, and forecast again once {min_days} days are "
                "recorded",
                column="ds",
            )
        )
    out = pd.concat(parts, ignore_index=True)
    out["y"] = out["y"].astype(float)
    return PreparedHistory(frame=out, issues=warnings, zero_series=zero, short_series=short)


MIN_EXPECTED_ZEROS = 3.0
"""Zeros a series' quiet hours make expected (Poisson, per weekday and hour) before a file
that records none is taken to skip them: with 3 expected, seeing none by chance has a
probability of about 5%."""


def _skipped_zeros(series: pd.DataFrame, branch_days: pd.DatetimeIndex) -> np.ndarray:
    """The missing hours of a series without zero rows that an export skipping zeros left out.

    Only hours on days with other rows (of the series, or of another channel of the branch:
    ``branch_days``, so a quiet channel's empty day counts too), at hours of day the series
    has rows for, and only
    when the series' own weekday-hour means make zeros expected (at least
    :data:`MIN_EXPECTED_ZEROS` over its observed hours), so a busy series' odd gap is not
    read as an empty hour.
    """
    y = series["y"]
    missing = y.isna().to_numpy()
    if not missing.any():
        return missing
    stamps = pd.DatetimeIndex(series["ds"])
    day, hour = stamps.normalize(), stamps.hour
    own = pd.Series(~missing).groupby(day).transform("any").to_numpy(dtype=bool)
    has_rows = own | np.asarray(day.isin(branch_days))
    seen_hours = set(hour[~missing])
    candidates = missing & has_rows & np.isin(hour, list(seen_hours))
    if not candidates.any():
        return candidates
    cell = pd.Series(y.to_numpy()).groupby([stamps.day_of_week, hour]).transform("mean")
    expected_zeros = float(np.exp(-cell.to_numpy()[~missing]).sum())
    if expected_zeros < MIN_EXPECTED_ZEROS:
        return np.zeros_like(missing)
    return candidates
