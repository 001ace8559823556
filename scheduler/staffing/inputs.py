"""Check a forecast frame against a branch configuration and read its hourly arrival rates.

Every problem is collected as a located :class:`~scheduler.errors.Issue` (file, row, column,
value, what is allowed) and raised together in one :class:`~scheduler.errors.InputError`.
Row numbers count the header as row 1, as a spreadsheet shows them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from scheduler.domain import BranchConfig, Channel, Post
from scheduler.errors import IssueCollector
from scheduler.frames import branch_time

FORECAST_SOURCE = "<forecast>"
"""The source name used in messages when the forecast is a frame rather than a file."""

NEEDED_COLUMNS = ("channel", "ds")
"""Forecast columns the staffing stage reads, besides the chosen level column."""


@dataclass(frozen=True)
class HourlyRates:
    """Forecast arrivals per channel and hour, checked against the configuration.

    Attributes:
        per_hour: Arrivals in the hour starting at ``ds``, by ``(channel, ds)``.
        channels: Channels present in the forecast, in configuration order.
    """

    per_hour: dict[tuple[str, pd.Timestamp], float]
    channels: tuple[str, ...]


def level_columns(forecast: pd.DataFrame) -> list[str]:
    """The forecast columns that can be staffed for: ``mean`` and ``lo-*``/``hi-*`` bounds."""
    return [str(c) for c in forecast.columns if c == "mean" or str(c).startswith(("lo-", "hi-"))]


def primary_post(config: BranchConfig, channel: str) -> Post | None:
    """The post that carries a channel's traffic requirement.

    Rule: among the posts that list the channel, the one serving the fewest channels (a
    dedicated desk before a shared one); ties go to the post listed first in the
    configuration. The other posts that list the channel get no requirement from it, but
    whoever holds them does serve the channel (the day simulation counts them).
    """
    serving = [p for p in config.posts if channel in p.channels]
    if not serving:
        return None
    return min(serving, key=lambda p: (len(p.channels), config.posts.index(p)))


def read_rates(
    forecast: pd.DataFrame, config: BranchConfig, level: str, source: str = FORECAST_SOURCE
) -> HourlyRates:
    """Validate ``forecast`` and return its arrivals per channel and hour at ``level``.

    Rows of other branches (``branch`` column) are ignored. The frame is not modified.

    Raises:
        InputError: Missing columns (the level column included), rows with a time that is not
            the start of an hour, negative or missing values, unknown channels, channels no
            post serves, and duplicate rows, each located by row and column.
    """
    issues = IssueCollector(source)
    missing = [c for c in (*NEEDED_COLUMNS, level) if c not in forecast.columns]
    if missing:
        for column in missing:
            allowed = (
                ", ".join(level_columns(forecast)) or "mean, lo-80, hi-80, ..."
                if column == level
                else "the columns of scheduler.frames.FORECAST_COLUMNS"
            )
            issues.error(
                f"the forecast has no column '{column}'", column=column, value=None, allowed=allowed
            )
        issues.raise_if_errors()
    forecast = forecast.reset_index(drop=True)  # row numbers by position, whatever the index
    frame = forecast
    if "branch" in forecast.columns:
        mine = forecast["branch"].astype(str) == config.branch.id
        if len(forecast) and not mine.any():
            issues.error(
                f"the forecast has no row for branch {config.branch.id}",
                column="branch",
                value=str(forecast["branch"].iloc[0]),
                allowed=config.branch.id,
            )
            issues.raise_if_errors()
        frame = forecast[mine]
    channels = {c.id: c for c in config.channels}
    per_hour: dict[tuple[str, pd.Timestamp], float] = {}
    first_row: dict[tuple[str, pd.Timestamp], int] = {}
    reported: set[str] = set()
    positions = {label: i for i, label in enumerate(forecast.index)}
    served = {c: primary_post(config, c) is not None for c in channels}
    for label, channel, ds, value in zip(
        frame.index, frame["channel"], frame["ds"], frame[level], strict=True
    ):
        row = positions.get(label, 0) + 2
        channel = str(channel)
        if channel not in channels:
            if channel not in reported:
                reported.add(channel)
                issues.error(
                    "unknown channel",
                    location=row,
                    column="channel",
                    value=channel,
                    allowed=", ".join(channels) or "no channels configured",
                )
            continue
        if not served[channel]:
            if channel not in reported:
                reported.add(channel)
                issues.error(
                    f"no post serves channel {channel}",
                    location=row,
                    column="channel",
                    value=channel,
                    allowed=f"add {channel} to the channels of a post in the configuration",
                )
            continue
        stamp = _timestamp(ds, config.branch.timezone)
        if stamp is None:
            issues.error(
                "not a date and time",
                location=row,
                column="ds",
                value=ds,
                allowed="2026-12-01 09:00",
            )
            continue
        if stamp != stamp.floor("h"):
            issues.error(
                "the forecast is hourly: ds must be the start of an hour",
                location=row,
                column="ds",
                value=str(ds),
                allowed="times on the hour, e.g. 2026-12-01 09:00",
            )
            continue
        number = _number(value)
        if number is None:
            issues.error(
                "forecast arrivals must be a number >= 0",
                location=row,
                column=level,
                value=value,
                allowed="a number >= 0",
            )
            continue
        key = (channel, stamp)
        if key in per_hour:
            issues.error(
                f"a second row for channel {channel} at this hour (first at row {first_row[key]})",
                location=row,
                column="ds",
                value=str(stamp),
                allowed="one row per channel and hour",
            )
            continue
        per_hour[key] = number
        first_row[key] = row
    issues.raise_if_errors()
    present = {c for c, _ in per_hour}
    return HourlyRates(per_hour, tuple(c.id for c in config.channels if c.id in present))


def channel_problems(channel: Channel) -> list[str]:
    """Why a channel's numbers cannot be used for queueing (empty when they can).

    The configuration models already refuse these values; this guards channels built with
    ``model_construct`` or changed after validation.
    """
    problems = []
    if not channel.aht_minutes > 0:
        problems.append(f"handling time must be > 0 minutes, not {channel.aht_minutes}")
    if not 0 < channel.target.service_level < 1:
        problems.append(
            f"service level must be between 0 and 1, not {channel.target.service_level}"
        )
    if not channel.target.within_minutes >= 0:
        problems.append(f"target time must be >= 0 minutes, not {channel.target.within_minutes}")
    if not 0 <= channel.shrinkage < 1:
        problems.append(f"shrinkage must be in [0, 1), not {channel.shrinkage}")
    return problems


def _timestamp(value: object, timezone: str) -> pd.Timestamp | None:
    try:
        stamp = pd.Timestamp(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if pd.isna(stamp):
        return None
    return branch_time(stamp, timezone)


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if math.isnan(number) or math.isinf(number) or number < 0:
        return None
    return number
