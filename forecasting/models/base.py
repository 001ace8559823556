"""The contract every forecasting model follows, and helpers shared by the models."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

import numpy as np
import pandas as pd

WEEK = pd.Timedelta(days=7)


def interval_columns(levels: Sequence[int]) -> list[str]:
    """``lo-<level>`` and ``hi-<level>`` for each level, in the forecast frame's order."""
    return [f"{side}-{level}" for level in levels for side in ("lo", "hi")]


def tidy_intervals(frame: pd.DataFrame, levels: Sequence[int]) -> pd.DataFrame:
    """Clip at zero and nest the intervals: ``lo-95 <= lo-80 <= mean <= hi-80 <= hi-95``."""
    frame["mean"] = frame["mean"].clip(lower=0.0)
    lo_prev = hi_prev = frame["mean"].to_numpy()
    for level in sorted(levels):
        lo = np.minimum(frame[f"lo-{level}"].to_numpy(), lo_prev).clip(min=0.0)
        hi = np.maximum(frame[f"hi-{level}"].to_numpy(), hi_prev)
        frame[f"lo-{level}"], frame[f"hi-{level}"] = lo, hi
        lo_prev, hi_prev = lo, hi
    return frame


class Model(ABC):
    """A forecasting model for one series of hourly counts.

    ``fit`` receives the training rows (``ds``, ``y`` — NaN for missing hours — and the
    calendar and event columns of :mod:`forecasting.calendar_features`); ``predict`` receives
    future rows with the same feature columns and returns ``mean`` and ``lo-XX``/``hi-XX`` per
    level, aligned with the future rows. Known event multipliers (column ``event_offset``, the
    log of the factor) are taken out of the history before fitting and applied to the forecast.
    """

    name: str = "model"
    min_weeks: float = 1.0
    """History (weeks) the model needs to be fitted."""

    @property
    def label(self) -> str:
        """The name written in the forecast's ``model`` column."""
        return self.name

    @abstractmethod
    def fit(self, train: pd.DataFrame) -> Model:
        """Estimate the model from the training rows and return ``self``."""

    @abstractmethod
    def predict(self, future: pd.DataFrame, levels: Sequence[int]) -> pd.DataFrame:
        """Point forecast and intervals for the future rows."""

    @staticmethod
    def event_factor(rows: pd.DataFrame) -> np.ndarray:
        """The known event multiplier of each row (1 where no event)."""
        if "event_offset" not in rows.columns:
            return np.ones(len(rows))
        return np.exp(rows["event_offset"].to_numpy(dtype=float))

    def _frame(
        self, future: pd.DataFrame, mean: np.ndarray, bounds: dict[str, np.ndarray]
    ) -> pd.DataFrame:
        """Assemble a prediction frame, applying known event multipliers."""
        factor = self.event_factor(future)
        data = {"mean": mean * factor} | {k: v * factor for k, v in bounds.items()}
        return pd.DataFrame(data, index=future.index)
