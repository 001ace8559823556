"""Named settings of the forecaster: calendar effects, history thresholds and backtests."""

from __future__ import annotations

from dataclasses import dataclass

MODEL_NAMES = ("seasonal_naive", "glm", "mstl")
"""Models that can be asked for by name; ``auto`` chooses among them per series."""


@dataclass(frozen=True)
class ForecastSettings:
    """How the forecaster reads the calendar and how much history each model needs.

    Attributes:
        pension_days: Days of the month on which pensions are paid (e.g. ``(5, 15)``); when
            the branch is closed that day, the next day it opens takes the surge. Empty means
            the branch has no pension-payment peak.
        selection_origins: Weekly rolling origins used to choose the model of each series
            and to calibrate its intervals.
        min_history_days: History (days) a series needs for a model; a shorter series is
            forecast by its mean per hour, and when every series is shorter it is an error.
        rich_weeks: History (weeks) from which the count regression estimates a separate
            profile for every hour of the week (below it: day effects + hour effects) and the
            seasonal decomposition is eligible.
        trend_weeks: History (weeks) from which a linear trend is estimated.
        yearly_weeks: History (weeks) from which a smooth yearly cycle is estimated.
        mstl_window_weeks: Most recent weeks the seasonal decomposition is fitted on.
        min_calibration_points: Backtest hours needed before intervals are rescaled.
    """

    pension_days: tuple[int, ...] = ()
    selection_origins: int = 4
    min_history_days: int = 14
    rich_weeks: int = 8
    trend_weeks: int = 16
    yearly_weeks: int = 52
    mstl_window_weeks: int = 12
    min_calibration_points: int = 40

    def __post_init__(self) -> None:
        bad = [d for d in self.pension_days if not 1 <= int(d) <= 31]
        if bad:
            raise ValueError(f"pension days must be days of the month 1..31, not {bad}")
        if self.selection_origins < 0:
            raise ValueError("selection_origins must be >= 0")
        if self.min_history_days < 14:
            raise ValueError("min_history_days must be at least 14 (two weekly cycles)")
