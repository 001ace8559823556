"""Seasonal decomposition: MSTL with daily and weekly cycles on square-root counts.

The recent history (``mstl_window_weeks``) is laid on a regular grid of days x open hours of
the day (hours closed on some days, and gaps, are filled with the median of the same weekday
and hour), transformed by the square root (which steadies the variance of counts), split by
:class:`statsmodels.tsa.seasonal.MSTL` into a daily cycle, a weekly cycle and the rest. The rest
is forecast by simple exponential smoothing (smoothing weight chosen by one-step squared
error) and the cycles of the last week are carried forward. Intervals are the empirical
quantiles of the one-step errors, widened with the steps ahead as exponential smoothing
implies, then squared back to counts.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.signal import lfilter
from statsmodels.tsa.seasonal import MSTL

from forecasting.models.base import WEEK, Model, interval_columns, tidy_intervals
from forecasting.settings import ForecastSettings

ALPHAS = (0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.4)
"""Smoothing weights tried for the level of the deseasonalised series."""


class SeasonalDecomposition(Model):
    """MSTL (daily + weekly seasonality) on square-root counts with a smoothed level.

    Args:
        settings: Gives the number of recent weeks the decomposition is fitted on.
    """

    name = "mstl"
    min_weeks = 4.0

    def __init__(self, settings: ForecastSettings | None = None):
        self.settings = settings or ForecastSettings()

    def fit(self, train: pd.DataFrame) -> SeasonalDecomposition:
        """Decompose the recent history and smooth its deseasonalised level."""
        end = train["ds"].max()
        window = train[train["ds"] > end - self.settings.mstl_window_weeks * WEEK]
        rows = window.dropna(subset=["y"])
        y = rows["y"].to_numpy(dtype=float) / self.event_factor(rows)
        self.hours = np.array(sorted(window["hour"].unique()))
        n_hours = len(self.hours)
        first = window["ds"].min().normalize()
        self.last_day = end.normalize()
        n_days = (self.last_day - first).days + 1
        grid = np.full((n_days, n_hours), np.nan)
        day_idx = ((rows["ds"].dt.normalize() - first).dt.days).to_numpy()
        hour_idx = np.searchsorted(self.hours, rows["hour"].to_numpy())
        grid[day_idx, hour_idx] = np.sqrt(y)
        weekday = (first.weekday() + np.arange(n_days)) % 7
        self._fill(grid, weekday)
        z = grid.ravel()
        periods = (n_hours, 7 * n_hours) if n_hours > 1 else (7,)
        decomposition = MSTL(z, periods=periods, iterate=2, stl_kwargs={"robust": False}).fit()
        seasonal = np.asarray(decomposition.seasonal).reshape(len(z), -1).sum(axis=1)
        rest = z - seasonal
        self.alpha, level, errors = _smooth(rest)
        self.level = float(level)
        self.errors = errors[n_hours * 7 :] if errors.size > n_hours * 14 else errors
        self.noise = float(np.var(self.errors))
        seasonal_grid = seasonal.reshape(n_days, n_hours)
        self.week = {int(weekday[d]): seasonal_grid[d] for d in range(n_days - 7, n_days)}
        return self

    @staticmethod
    def _fill(grid: np.ndarray, weekday: np.ndarray) -> None:
        """Fill missing cells with the median of the same weekday and hour, else the hour."""
        for d in range(7):
            rows = grid[weekday == d]
            if rows.size == 0:
                continue
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # an hour never open that day
                med = np.nanmedian(rows, axis=0) if np.isfinite(rows).any() else rows[0]
            grid[weekday == d] = np.where(np.isnan(rows), med, rows)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            hour_med = np.nanmedian(grid, axis=0) if np.isfinite(grid).any() else np.zeros(1)
        hour_med = np.where(
            np.isnan(hour_med), np.nanmedian(grid) if np.isfinite(grid).any() else 0.0, hour_med
        )
        rows, cols = np.nonzero(np.isnan(grid))
        grid[rows, cols] = hour_med[cols]

    def predict(self, future: pd.DataFrame, levels: Sequence[int]) -> pd.DataFrame:
        """Level plus last week's cycles, squared back to counts."""
        stamps = pd.DatetimeIndex(future["ds"])
        hour_idx = np.clip(np.searchsorted(self.hours, stamps.hour), 0, len(self.hours) - 1)
        days_ahead = ((stamps.normalize() - self.last_day).days).to_numpy()
        seasonal = np.array(
            [self.week[int(wd)][h] for wd, h in zip(stamps.day_of_week, hour_idx, strict=True)]
        )
        steps = np.maximum((days_ahead - 1) * len(self.hours) + hour_idx + 1, 1)
        z = self.level + seasonal
        widen = np.sqrt(1 + (steps - 1) * self.alpha**2)
        mean = np.maximum(z, 0.0) ** 2 + self.noise
        bounds: dict[str, np.ndarray] = {}
        for level in levels:
            q_lo, q_hi = np.quantile(self.errors, [(1 - level / 100) / 2, (1 + level / 100) / 2])
            bounds[f"lo-{level}"] = np.maximum(z + q_lo * widen, 0.0) ** 2
            bounds[f"hi-{level}"] = np.maximum(z + q_hi * widen, 0.0) ** 2
        out = self._frame(future, mean, bounds)
        return tidy_intervals(out[["mean", *interval_columns(levels)]], levels)


def _smooth(series: np.ndarray) -> tuple[float, float, np.ndarray]:
    """Simple exponential smoothing: best weight, final level and one-step errors."""
    best: tuple[float, float, np.ndarray] | None = None
    best_sse = np.inf
    start = float(np.mean(series[: min(len(series), 24)]))
    for alpha in ALPHAS:
        level, _ = lfilter([alpha], [1.0, alpha - 1.0], series, zi=[(1 - alpha) * start])
        previous = np.concatenate([[start], level[:-1]])
        errors = series - previous
        sse = float(np.sum(errors**2))
        if sse < best_sse:
            best_sse, best = sse, (alpha, float(level[-1]), errors)
    assert best is not None
    return best
