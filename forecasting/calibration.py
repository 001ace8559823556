"""Interval calibration from backtests (conformal scaling of each model's intervals).

For each level, every backtest hour gets a score: how many of the model's own half-widths
the actual count lies from the mean (above: the upper half-width, below: the lower one; a
count below the mean of an interval starting at zero is inside whatever the factor).
The empirical quantile of the scores at the level (the score whose share of scores at or
below it is closest to the level, since whole counts tie) is the factor by which that
level's half-widths are scaled, so that on past weeks the interval would have held the asked
share of hours. It keeps each model's shape (skew, wider at busy hours) and fixes only its
width, which is what a model's own assumptions (a dispersion, in-sample errors) tend to get
wrong.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from forecasting.models.base import tidy_intervals

MIN_HALF_WIDTH = 0.5
"""Smallest half-width used (a count interval narrower than one customer cannot be scaled)."""


def _half_widths(frame: pd.DataFrame, level: int) -> tuple[np.ndarray, np.ndarray]:
    mean = frame["mean"].to_numpy(dtype=float)
    up = np.maximum(frame[f"hi-{level}"].to_numpy(dtype=float) - mean, MIN_HALF_WIDTH)
    down = np.maximum(mean - frame[f"lo-{level}"].to_numpy(dtype=float), MIN_HALF_WIDTH)
    return up, down


def scale_factors(
    rows: pd.DataFrame, levels: Sequence[int], min_points: int = 40
) -> dict[int, float]:
    """The factor per level that makes past intervals hold the asked share of hours.

    Args:
        rows: Backtest rows of one model and series: ``y``, ``mean``, ``lo-XX``, ``hi-XX``.
        levels: Interval levels in percent.
        min_points: Below this many rows the intervals are left as they are (factor 1).

    Returns:
        ``{level: factor}``.
    """
    rows = rows.dropna(subset=["y"])
    n = len(rows)
    if n < min_points:
        return {level: 1.0 for level in levels}
    y = rows["y"].to_numpy(dtype=float)
    mean = rows["mean"].to_numpy(dtype=float)
    out: dict[int, float] = {}
    for level in levels:
        up, down = _half_widths(rows, level)
        score = np.where(y >= mean, (y - mean) / up, (mean - y) / down)
        floor = rows[f"lo-{level}"].to_numpy(dtype=float) <= 0
        score = np.sort(np.where(floor & (y < mean), 0.0, score))
        out[level] = _closest_factor(score, level / 100)
    return out


def _closest_factor(score: np.ndarray, target: float) -> float:
    """The score whose share of scores at or below it is closest to ``target``.

    Counts are whole numbers, so many scores tie; the plain conformal quantile then often
    overshoots the asked coverage by the whole tie. Taking the closest share instead keeps
    the coverage near the level on both sides (ties broken towards the wider interval).
    """
    values = np.unique(score)
    shares = np.searchsorted(score, values, side="right") / len(score)
    best = int(np.argmin(np.abs(shares - target) - 1e-9 * np.arange(len(values))))
    return max(float(values[best]), 0.0)


def apply_scales(
    frame: pd.DataFrame, scales: Mapping[int, float], levels: Sequence[int]
) -> pd.DataFrame:
    """A copy of ``frame`` with each level's half-widths multiplied by its factor.

    Half-widths below :data:`MIN_HALF_WIDTH` count as that minimum, as they did when the
    factor was found; a lower bound of zero stays zero (no count lies below it, so the
    interval is one-sided there); a factor of exactly 1 leaves the level as it is.
    """
    out = frame.copy()
    mean = out["mean"].to_numpy(dtype=float)
    for level in levels:
        factor = scales.get(level, 1.0)
        if factor == 1.0:
            continue
        up, down = _half_widths(frame, level)
        floor = frame[f"lo-{level}"].to_numpy(dtype=float) <= 0
        out[f"lo-{level}"] = np.where(floor, 0.0, mean - factor * down)
        out[f"hi-{level}"] = mean + factor * up
    return tidy_intervals(out, levels)
