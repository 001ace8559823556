"""The forecast of a channel whose whole history is zero."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from forecasting.models.base import Model, interval_columns


class ZeroModel(Model):
    """Forecasts zero with zero-width intervals (a channel that never had a customer)."""

    name = "zero"
    min_weeks = 0.0

    def fit(self, train: pd.DataFrame) -> ZeroModel:
        """Nothing to estimate."""
        return self

    def predict(self, future: pd.DataFrame, levels: Sequence[int]) -> pd.DataFrame:
        """Zeros for every row."""
        columns = ["mean", *interval_columns(levels)]
        return pd.DataFrame(
            np.zeros((len(future), len(columns))), columns=columns, index=future.index
        )
