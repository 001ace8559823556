"""Accuracy and calibration measures of backtests: MAE, RMSE, MASE and interval coverage."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from forecasting.models.base import WEEK


def weekly_naive_mae(ds: pd.Series, y: pd.Series) -> float:
    """In-sample mean absolute error of the same-hour-last-week forecast (MASE's scale).

    Hours whose value a week earlier is missing are skipped; NaN when none remain.
    """
    values = pd.Series(y.to_numpy(dtype=float), index=pd.DatetimeIndex(ds)).dropna()
    lagged = values.reindex(values.index - WEEK).to_numpy()
    err = np.abs(values.to_numpy() - lagged)
    err = err[np.isfinite(err)]
    return float(err.mean()) if err.size else float("nan")


def scores(rows: pd.DataFrame, levels: Sequence[int]) -> dict[str, float]:
    """MAE, RMSE, MASE and coverage per level of backtest rows.

    Args:
        rows: Rows with ``y``, ``mean``, ``scale`` (the weekly naive MAE of the training data
            at the row's origin) and ``lo-XX``/``hi-XX``.
        levels: Interval levels in percent.

    Returns:
        ``mae``, ``rmse``, ``mase``, ``coverage-XX`` per level and ``hours``.
    """
    rows = rows.dropna(subset=["y"])
    err = rows["y"].to_numpy(dtype=float) - rows["mean"].to_numpy(dtype=float)
    scale = rows["scale"].to_numpy(dtype=float)
    usable = np.isfinite(scale) & (scale > 0)
    out = {
        "hours": float(len(rows)),
        "mae": float(np.abs(err).mean()) if len(err) else float("nan"),
        "rmse": float(np.sqrt((err**2).mean())) if len(err) else float("nan"),
        "mase": float((np.abs(err[usable]) / scale[usable]).mean()) if usable.any() else np.nan,
    }
    y = rows["y"].to_numpy(dtype=float)
    for level in levels:
        inside = (y >= rows[f"lo-{level}"].to_numpy() - 1e-9) & (
            y <= rows[f"hi-{level}"].to_numpy() + 1e-9
        )
        out[f"coverage-{level}"] = float(inside.mean()) if len(y) else float("nan")
    return out
