"""Seasonal naive: the same hour last week. The baseline every other model is scored against."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from forecasting.models.base import WEEK, Model, interval_columns, tidy_intervals

LOOKBACK_WEEKS = 4
"""When the same hour last week is missing (closed, gap), look back up to this many weeks."""


class SeasonalNaive(Model):
    """Forecast each hour by the count at the same hour of the most recent observed week.

    For an hour ``k`` weeks past the end of the history the value from ``k`` weeks earlier is
    used (or the next earlier week when that hour is missing); hours never seen in the last
    weeks get the mean of the same hour of day. Intervals are the empirical quantiles of the
    week-on-week changes in the history, widened by ``sqrt(k)``.
    """

    name = "seasonal_naive"
    min_weeks = 1.0

    def fit(self, train: pd.DataFrame) -> SeasonalNaive:
        """Remember the history and the distribution of week-on-week changes."""
        rows = train.dropna(subset=["y"])
        y = rows["y"].to_numpy(dtype=float) / self.event_factor(rows)
        self._values = pd.Series(y, index=pd.DatetimeIndex(rows["ds"]))
        self._end = self._values.index.max()
        lagged = self._values.reindex(self._values.index - WEEK).to_numpy()
        diffs = y - lagged
        self._diffs = diffs[np.isfinite(diffs)]
        if self._diffs.size == 0:
            self._diffs = np.zeros(1)
        recent = self._values[self._values.index > self._end - LOOKBACK_WEEKS * WEEK]
        self._hour_mean = recent.groupby(recent.index.hour).mean()
        self._overall = float(recent.mean()) if len(recent) else 0.0
        return self

    def point(self, ds: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        """Seasonal-naive value of each hour and the number of weeks it reaches back."""
        stamps = pd.DatetimeIndex(ds)
        first_k = np.maximum(
            1, np.ceil(np.asarray((stamps - self._end) / WEEK, dtype=float))
        ).astype(int)
        mean = np.full(len(stamps), np.nan)
        weeks = first_k.astype(float)
        for extra in range(LOOKBACK_WEEKS):
            todo = np.isnan(mean)
            if not todo.any():
                break
            k = first_k + extra
            looked = self._values.reindex(stamps - pd.to_timedelta(7 * k, unit="D")).to_numpy()
            fill = todo & np.isfinite(looked)
            mean[fill], weeks[fill] = looked[fill], k[fill]
        todo = np.isnan(mean)
        if todo.any():
            by_hour = self._hour_mean.reindex(stamps.hour[todo]).to_numpy()
            mean[todo] = np.where(np.isfinite(by_hour), by_hour, self._overall)
        return mean, weeks

    def predict(self, future: pd.DataFrame, levels: Sequence[int]) -> pd.DataFrame:
        """Last week's value at each hour, with empirical change quantiles as intervals."""
        mean, weeks = self.point(future["ds"])
        scale = np.sqrt(weeks)
        bounds: dict[str, np.ndarray] = {}
        for level in levels:
            q_lo, q_hi = np.quantile(self._diffs, [(1 - level / 100) / 2, (1 + level / 100) / 2])
            bounds[f"lo-{level}"] = mean + q_lo * scale
            bounds[f"hi-{level}"] = mean + q_hi * scale
        out = self._frame(future, mean, bounds)
        return tidy_intervals(out[["mean", *interval_columns(levels)]], levels)
