"""Count regression: a negative binomial GLM with hour-of-week and calendar effects.

``log E[y] = hour-of-week profile + calendar effects + event effects + trend + yearly cycle``
with a known-event offset. The dispersion is estimated by moments from the fitted means, so
the predictive quantiles are those of a negative binomial with the estimated dispersion.

How rich the model is depends on the history it is given, which makes it also the fallback
for short histories: below ``rich_weeks`` the hour-of-week profile is additive (a day effect
plus an hour effect), a trend is only estimated from ``trend_weeks`` and a yearly cycle from
``yearly_weeks``; a calendar effect is only estimated when at least two days in the history
carry it. A holiday (a day of a holiday break) seen in the forecast but never in the history
follows Sunday's profile.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from threadpoolctl import threadpool_limits

from forecasting.calendar_features import DAY_FEATURES
from forecasting.models.base import WEEK, Model, interval_columns, tidy_intervals
from forecasting.settings import ForecastSettings

MIN_FEATURE_DAYS = 2
"""Days in the history a calendar effect needs before it is estimated."""
MIN_CELL_HOURS = 3
"""Observations an hour-of-week cell needs before it gets its own effect."""
YEAR_DAYS = 365.25
SUNDAY = 6


class _Design:
    """Turns feature rows into the regression's design matrix, fixed on the training rows."""

    def __init__(self, train: pd.DataFrame, settings: ForecastSettings):
        weeks = (train["ds"].max() - train["ds"].min()) / WEEK
        day_of = train["ds"].to_numpy().astype("datetime64[D]")
        holiday = train["holiday"].to_numpy()
        self.holiday_profile = None
        if holiday.sum() == 0 and (train["profile_day"] == SUNDAY).any():
            self.holiday_profile = SUNDAY
        pday = self._profile(train).to_numpy()
        hour = train["hour"].to_numpy()
        self.day_ref = int(np.bincount(pday).argmax())
        self.hour_ref = int(np.bincount(hour).argmax())
        self.days = sorted(int(d) for d in np.unique(pday) if d != self.day_ref)
        self.hours = sorted(int(h) for h in np.unique(hour) if h != self.hour_ref)
        self.rich = weeks >= settings.rich_weeks
        self.cells: list[tuple[int, int]] = []
        if self.rich:
            counts = np.bincount(pday * 24 + hour, minlength=8 * 24)
            self.cells = [
                (d, h)
                for d in self.days
                for h in self.hours
                if counts[d * 24 + h] >= MIN_CELL_HOURS
            ]
        self.flags = [
            f
            for f in (*DAY_FEATURES, "event_flag")
            if f in train.columns
            and np.unique(day_of[train[f].to_numpy() > 0]).size >= MIN_FEATURE_DAYS
        ]
        self.trend = weeks >= settings.trend_weeks
        self.yearly = weeks >= settings.yearly_weeks
        self.t_end = train["ds"].max()
        self.names = self._names()

    def _profile(self, rows: pd.DataFrame) -> pd.Series:
        pday = rows["profile_day"]
        if self.holiday_profile is not None:
            pday = pday.where(rows["holiday"] == 0, self.holiday_profile)
        return pday

    def _names(self) -> list[str]:
        names = ["intercept"]
        names += [f"day_{d}" for d in self.days] + [f"hour_{h}" for h in self.hours]
        names += [f"day_{d}:hour_{h}" for d, h in self.cells] + list(self.flags)
        if self.trend:
            names.append("trend")
        if self.yearly:
            names += ["year_sin1", "year_cos1", "year_sin2", "year_cos2"]
        return names

    def matrix(self, rows: pd.DataFrame) -> np.ndarray:
        """The design matrix of ``rows`` (levels unseen in training get no effect)."""
        pday = self._profile(rows).to_numpy()
        hour = rows["hour"].to_numpy()
        cols = [np.ones(len(rows))]
        cols += [(pday == d).astype(float) for d in self.days]
        cols += [(hour == h).astype(float) for h in self.hours]
        cols += [((pday == d) & (hour == h)).astype(float) for d, h in self.cells]
        cols += [rows[f].to_numpy(dtype=float) for f in self.flags]
        if self.trend:
            cols.append(((rows["ds"] - self.t_end) / pd.Timedelta(days=YEAR_DAYS)).to_numpy())
        if self.yearly:
            angle = 2 * np.pi * rows["ds"].dt.day_of_year.to_numpy() / YEAR_DAYS
            cols += [np.sin(angle), np.cos(angle), np.sin(2 * angle), np.cos(2 * angle)]
        return np.column_stack(cols)


class CountGLM(Model):
    """Negative binomial regression on hour-of-week, calendar, event, trend and yearly terms.

    Args:
        settings: Thresholds deciding which terms the history supports.
        start: Coefficients to start the fit from, by term name (e.g. those of the same series
            fitted a week earlier); terms not listed start at zero. Only the speed depends
            on it.
    """

    name = "glm"
    min_weeks = 2.0

    def __init__(
        self, settings: ForecastSettings | None = None, start: dict[str, float] | None = None
    ):
        self.settings = settings or ForecastSettings()
        self.start = start or {}

    def coefficients(self) -> dict[str, float]:
        """Fitted coefficients by term name (e.g. ``hour_10``, ``holiday``, ``trend``)."""
        if getattr(self, "_zero", True):
            return {}
        return dict(zip(self._design.names, self.params.tolist(), strict=True))

    @property
    def label(self) -> str:
        """``glm``, or ``glm_short`` when the history was too short for hour-of-week cells."""
        design = getattr(self, "_design", None)
        return "glm_short" if design is not None and not design.rich else "glm"

    def fit(self, train: pd.DataFrame) -> CountGLM:
        """Fit the regression by IRLS with a moment estimate of the dispersion."""
        rows = train.dropna(subset=["y"])
        self._design = _Design(rows, self.settings)
        y = rows["y"].to_numpy(dtype=float)
        offset = rows["event_offset"].to_numpy(dtype=float)
        self._zero = y.sum() == 0
        if self._zero:
            self.alpha = 0.0
            return self
        X = self._design.matrix(rows)
        cell = self._design._profile(rows).to_numpy() * 24 + rows["hour"].to_numpy()
        mu0 = pd.Series(y).groupby(cell).transform("mean").to_numpy() + 0.1
        alpha0 = float(np.clip(((y - mu0) ** 2 - mu0).sum() / (mu0**2).sum(), 1e-4, 10.0))
        start = np.array([self.start.get(name, 0.0) for name in self._design.names])
        if not self.start:
            start[0] = np.log(y.mean())
        with warnings.catch_warnings(), threadpool_limits(limits=1, user_api="blas"):
            warnings.simplefilter("ignore")
            model = sm.GLM(y, X, family=sm.families.NegativeBinomial(alpha=alpha0), offset=offset)
            result = model.fit(start_params=start, maxiter=50, tol=1e-6)
        self.params = np.nan_to_num(np.asarray(result.params), nan=0.0, posinf=0.0, neginf=-30.0)
        mu = np.exp(np.clip(X @ self.params + offset, -30, 15))
        dof = max(len(y) - X.shape[1], 1)
        self.alpha = float(max(((y - mu) ** 2 - mu).sum() / (mu**2).sum() * len(y) / dof, 1e-8))
        return self

    def mean(self, rows: pd.DataFrame) -> np.ndarray:
        """Expected count of each row (known event multipliers included)."""
        if self._zero:
            return np.zeros(len(rows))
        eta = self._design.matrix(rows) @ self.params + rows["event_offset"].to_numpy(float)
        return np.exp(np.clip(eta, -30, 15))

    def predict(self, future: pd.DataFrame, levels: Sequence[int]) -> pd.DataFrame:
        """Mean and negative binomial predictive quantiles."""
        mu = self.mean(future)
        out = pd.DataFrame({"mean": mu}, index=future.index)
        for level in levels:
            q = np.array([(1 - level / 100) / 2, (1 + level / 100) / 2])
            out[f"lo-{level}"], out[f"hi-{level}"] = (nb_quantile(p, mu, self.alpha) for p in q)
        return tidy_intervals(out[["mean", *interval_columns(levels)]], levels)


def nb_quantile(p: float, mu: np.ndarray, alpha: float) -> np.ndarray:
    """Quantile ``p`` of negative binomial counts with means ``mu`` and dispersion ``alpha``.

    ``Var = mu + alpha * mu**2``; a dispersion near zero gives Poisson quantiles.
    """
    mu = np.maximum(np.asarray(mu, dtype=float), 1e-9)
    if alpha < 1e-6:
        return stats.poisson.ppf(p, mu)
    size = 1.0 / alpha
    return stats.nbinom.ppf(p, size, size / (size + mu))
