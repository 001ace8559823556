"""The fallback for a series with too little history for any model: its mean per hour.

A channel that started recording a few days ago cannot show a weekly pattern, nor be
backtested. It is forecast by the mean count of each hour of day on the same weekday where the
history has that weekday, else of that hour of day on every day, else of every hour. Each mean
is shrunk towards the next coarser one by the weight of one observation
(``(n x mean + coarser) / (n + 1)``), so an hour seen once with no customer is not forecast
as a certain zero. The intervals are negative binomial quantiles around that mean with a
dispersion of at least :data:`MIN_DISPERSION`, wide on purpose: a few days say little about
next week.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from forecasting.models.base import Model, interval_columns, tidy_intervals
from forecasting.models.glm import nb_quantile

MIN_DISPERSION = 0.25
"""Smallest negative binomial dispersion used (``Var = mu + 0.25 mu**2``: an hour of 10
customers has a standard deviation of at least 5.9 instead of Poisson's 3.2)."""


class HourMean(Model):
    """Mean per weekday and hour of day (or per hour of day), negative binomial intervals."""

    name = "hour_mean"
    min_weeks = 0.0

    def fit(self, train: pd.DataFrame) -> HourMean:
        """Average the observed counts per weekday and hour, and per hour, shrunk."""
        rows = train.dropna(subset=["y"])
        y = rows["y"].to_numpy(dtype=float) / self.event_factor(rows)
        stamps = pd.DatetimeIndex(rows["ds"])
        values = pd.Series(y)
        self._overall = float(y.mean()) if y.size else 0.0
        hour = values.groupby(stamps.hour).agg(["sum", "count"])
        self._by_hour = ((hour["sum"] + self._overall) / (hour["count"] + 1)).to_dict()
        cell = values.groupby([stamps.day_of_week, stamps.hour]).agg(["sum", "count"])
        coarser = np.array([self._by_hour[h] for _, h in cell.index])
        self._by_day_hour = ((cell["sum"] + coarser) / (cell["count"] + 1)).to_dict()
        mu = self._lookup(stamps)
        excess = float(((y - mu) ** 2 - mu).sum() / max((mu**2).sum(), 1e-9)) if y.size else 0
        self.alpha = max(excess, MIN_DISPERSION)
        return self

    def _lookup(self, stamps: pd.DatetimeIndex) -> np.ndarray:
        out = np.empty(len(stamps))
        for i, (day, hour) in enumerate(zip(stamps.day_of_week, stamps.hour, strict=True)):
            out[i] = self._by_day_hour.get((day, hour), self._by_hour.get(hour, self._overall))
        return out

    def predict(self, future: pd.DataFrame, levels: Sequence[int]) -> pd.DataFrame:
        """The mean of the same weekday and hour, with wide negative binomial intervals."""
        mu = self._lookup(pd.DatetimeIndex(future["ds"]))
        bounds: dict[str, np.ndarray] = {}
        for level in levels:
            lo, hi = (1 - level / 100) / 2, (1 + level / 100) / 2
            bounds[f"lo-{level}"] = nb_quantile(lo, mu, self.alpha)
            bounds[f"hi-{level}"] = nb_quantile(hi, mu, self.alpha)
        out = self._frame(future, mu, bounds)
        return tidy_intervals(out[["mean", *interval_columns(levels)]], levels)
