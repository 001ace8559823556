"""Seeded synthetic traffic for the forecasting tests (independent of the sample generator).

A module of its own name, not ``conftest``: several test folders have a ``conftest`` and
which one ``from conftest import`` finds depends on the order tests are collected in.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from forecasting.calendar_features import CalendarFeatures
from scheduler.calendar import BranchCalendar
from scheduler.domain import BranchConfig

HOUR_SHAPE = {9: 0.8, 10: 1.3, 11: 1.4, 12: 0.9, 13: 0.8, 14: 1.1, 15: 1.2, 16: 0.9}
DAY_SHAPE = (1.4, 1.0, 0.8, 1.0, 1.3, 0.7, 0.6)


def synthetic_history(
    config: BranchConfig,
    start: dt.date,
    end: dt.date,
    *,
    seed: int = 0,
    levels: dict[str, float] | None = None,
    alpha: float = 0.05,
    holiday_factor: float = 0.5,
) -> pd.DataFrame:
    """Negative binomial counts with an hour/day profile and a holiday dip, per open hour."""
    rng = np.random.default_rng(seed)
    levels = levels or {"cash": 12.0, "wealth": 2.0}
    hours = CalendarFeatures(BranchCalendar(config.branch)).open_hours(start, end)
    parts = []
    for channel, level in levels.items():
        mu = (
            level
            * hours["hour"].map(HOUR_SHAPE).fillna(1.0).to_numpy()
            * np.take(DAY_SHAPE, hours["weekday"].to_numpy())
            * np.where(hours["holiday"].to_numpy() == 1, holiday_factor, 1.0)
        )
        size = 1 / alpha
        y = rng.negative_binomial(size, size / (size + mu))
        parts.append(
            pd.DataFrame(
                {
                    "unique_id": f"{config.branch.id}/{channel}",
                    "branch": config.branch.id,
                    "channel": channel,
                    "ds": hours["ds"].to_numpy(),
                    "y": y.astype(np.int64),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)
