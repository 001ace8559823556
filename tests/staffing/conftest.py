"""Hand-built forecast frames and rosters for the staffing tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

import pandas as pd
import pytest

from scheduler.domain import BranchConfig, DayHours, Weekday
from scheduler.frames import ASSIGNMENT_COLUMNS, FORECAST_COLUMNS

MONDAY = dt.date(2026, 11, 30)

ForecastFactory = Callable[..., pd.DataFrame]


def forecast_rows(
    branch: str, per_hour: Mapping[tuple[str, pd.Timestamp], float], spread: float = 0.25
) -> pd.DataFrame:
    """A forecast frame with ``mean`` = the given arrivals and bounds ``mean * (1 +- spread)``."""
    rows = []
    for (channel, ds), mean in per_hour.items():
        rows.append(
            {
                "unique_id": f"{branch}/{channel}",
                "branch": branch,
                "channel": channel,
                "ds": pd.Timestamp(ds),
                "model": "hand",
                "mean": mean,
                "lo-80": mean * (1 - spread),
                "hi-80": mean * (1 + spread),
                "lo-95": mean * (1 - 2 * spread),
                "hi-95": mean * (1 + 2 * spread),
            }
        )
    return pd.DataFrame(rows, columns=list(FORECAST_COLUMNS))


@pytest.fixture
def make_forecast(sample_cfg: BranchConfig) -> ForecastFactory:
    """Build a forecast: ``make_forecast({"cash": 30}, day=..., hours=range(9, 17))``."""

    def build(
        rates: Mapping[str, float],
        day: dt.date = MONDAY,
        hours: range = range(9, 17),
        days: int = 1,
    ) -> pd.DataFrame:
        per_hour = {}
        for d in range(days):
            date = day + dt.timedelta(days=d)
            for hour in hours:
                for channel, rate in rates.items():
                    per_hour[(channel, pd.Timestamp(date) + pd.Timedelta(hours=hour))] = rate
        return forecast_rows(sample_cfg.branch.id, per_hour)

    return build


def roster(blocks: list[tuple[str, str, str, str, str]], day: dt.date = MONDAY) -> pd.DataFrame:
    """A roster from ``(staff_id, start, end, activity, post)`` blocks on one day."""
    return pd.DataFrame(
        [
            {
                "staff_id": sid,
                "name": sid,
                "date": day,
                "start": start,
                "end": end,
                "activity": activity,
                "post": post if activity == "post" else None,
            }
            for sid, start, end, activity, post in blocks
        ],
        columns=list(ASSIGNMENT_COLUMNS),
    )


@pytest.fixture
def round_the_clock(sample_cfg: BranchConfig) -> BranchConfig:
    """The sample branch opened 24 hours every day (for long stationary runs)."""
    hours = DayHours(start="00:00", end="24:00")  # type: ignore[arg-type]
    branch = sample_cfg.branch.model_copy(update={"opening_hours": dict.fromkeys(Weekday, hours)})
    return sample_cfg.model_copy(update={"branch": branch})


@pytest.fixture
def make_roster() -> Callable[..., pd.DataFrame]:
    """Build a roster: ``make_roster([("S04", "09:00", "17:00", "post", "cash_teller")])``."""
    return roster
