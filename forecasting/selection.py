"""Rolling-origin backtests of one series, and the choice of its model from them."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecasting.calibration import scale_factors
from forecasting.metrics import weekly_naive_mae
from forecasting.models import CountGLM, make_model
from forecasting.models.base import WEEK
from forecasting.settings import MODEL_NAMES, ForecastSettings

BACKTEST_COLUMNS = ("cutoff", "ds", "y", "model", "label", "scale", "mean")
"""Leading columns of backtest rows (``lo-XX``/``hi-XX`` follow). ``model`` is the model
asked for, ``label`` the variant that ran (e.g. ``glm_short``), ``scale`` the weekly naive
MAE of the training data (for MASE)."""


def weekly_cutoffs(frame: pd.DataFrame, count: int, min_days: int) -> list[pd.Timestamp]:
    """The last ``count`` weekly origins, oldest first, each leaving ``min_days`` of history.

    The last origin is a week before the day after the history ends, so every origin is
    followed by a whole week of history to test on.
    """
    first = frame["ds"].min().normalize()
    end = frame["ds"].max().normalize() + pd.Timedelta(days=1)
    cuts = [end - k * WEEK for k in range(count, 0, -1)]
    return [c for c in cuts if (c - first).days >= min_days]


FALLBACK_MODEL = "glm"
"""The model used when a series' history is too short to backtest: the count regression (in
its short form, ``glm_short``, below ``rich_weeks``)."""


def history_weeks(frame: pd.DataFrame, end: pd.Timestamp | None = None) -> float:
    """Weeks of history, counted in whole days (14 days of 09:00-17:00 hours are 2.0 weeks).

    From the first day of ``frame`` to ``end`` (exclusive), or to the end of its last day.
    """
    first = frame["ds"].min().normalize()
    stop = frame["ds"].max().normalize() + pd.Timedelta(days=1) if end is None else end
    return (stop - first).days / 7


def eligible(name: str, weeks: float, settings: ForecastSettings) -> bool:
    """Whether model ``name`` can be fitted on ``weeks`` of history."""
    need = {
        "seasonal_naive": 1.0,
        "glm": settings.min_history_days / 7,
        "mstl": max(4.0, settings.rich_weeks / 2),
    }
    return weeks >= need.get(name, 0.0)


def cross_validate(
    frame: pd.DataFrame,
    cutoffs: Sequence[pd.Timestamp],
    models: Sequence[str],
    levels: Sequence[int],
    settings: ForecastSettings,
    warm: dict[str, dict[str, float]] | None = None,
) -> pd.DataFrame:
    """Forecast each week after each origin with each model fitted on the data before it.

    Args:
        frame: One series' rows (``ds``, ``y`` and the feature columns), sorted by ``ds``.
        cutoffs: Origins; the test week of origin ``c`` is ``[c, c + 7 days)``.
        models: Model names.
        levels: Interval levels.
        settings: Forecast settings.
        warm: Receives, per model, the coefficients of its last fit (for a regression that
            has them); each fit starts from those of the origin before, which saves
            iterations without changing the result.

    Returns:
        Rows with :data:`BACKTEST_COLUMNS` and the intervals, for observed test hours only. A
        model that cannot be fitted at an origin (too little history, numerical failure) has
        no rows there.
    """
    parts: list[pd.DataFrame] = []
    warm = warm if warm is not None else {}
    for cutoff in cutoffs:
        train = frame[frame["ds"] < cutoff]
        test = frame[(frame["ds"] >= cutoff) & (frame["ds"] < cutoff + WEEK)]
        test = test[test["y"].notna()]
        if test.empty or train["y"].notna().sum() == 0:
            continue
        weeks = history_weeks(frame, cutoff)
        scale = weekly_naive_mae(train["ds"], train["y"])
        for name in models:
            if not eligible(name, weeks, settings):
                continue
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    model = make_model(name, settings, warm.get(name)).fit(train)
                    pred = model.predict(test, levels)
                if isinstance(model, CountGLM):
                    warm[name] = model.coefficients()
            except (ValueError, np.linalg.LinAlgError, FloatingPointError):
                continue
            if not np.isfinite(pred.to_numpy()).all():
                continue
            pred.insert(0, "mean_", pred.pop("mean"))
            part = pd.DataFrame(
                {
                    "cutoff": cutoff,
                    "ds": test["ds"].to_numpy(),
                    "y": test["y"].to_numpy(),
                    "model": name,
                    "label": model.label,
                    "scale": scale,
                }
            )
            part["mean"] = pred["mean_"].to_numpy()
            for col in pred.columns[1:]:
                part[col] = pred[col].to_numpy()
            parts.append(part)
    if not parts:
        columns = [*BACKTEST_COLUMNS] + [f"{s}-{lv}" for lv in levels for s in ("lo", "hi")]
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True)


@dataclass(frozen=True)
class Choice:
    """The model chosen for a series and how its intervals are rescaled.

    Attributes:
        model: Model name.
        scales: Interval scale factor per level (1 when not calibrated).
        mase: Mean scaled error of the model on the backtest (NaN without a backtest).
        calibrated: Whether the scale factors come from enough backtest hours.
        origins: Origins the choice was made on.
    """

    model: str
    scales: dict[int, float]
    mase: float
    calibrated: bool
    origins: int


def choose(
    rows: pd.DataFrame,
    candidates: Sequence[str],
    levels: Sequence[int],
    settings: ForecastSettings,
    default: str = FALLBACK_MODEL,
) -> Choice:
    """Pick the candidate with the lowest mean absolute error over the backtest origins.

    Only candidates that ran at every origin of ``rows`` compete (so all are judged on the
    same weeks); the seasonal naive model wins ties. Without usable rows the ``default``
    model is returned, uncalibrated. The caller passes only candidates eligible for the
    series' history (:func:`eligible`), and a ``default`` among them.
    """
    rows = rows[rows["model"].isin(candidates)] if len(rows) else rows
    if rows.empty:
        return Choice(default, {lv: 1.0 for lv in levels}, float("nan"), False, 0)
    origins = rows["cutoff"].nunique()
    ran = rows.groupby("model")["cutoff"].nunique()
    full = [m for m in candidates if ran.get(m, 0) == origins]
    if not full:
        full = [str(ran.idxmax())]
    err = (rows["y"] - rows["mean"]).abs()
    mae = err.groupby(rows["model"]).mean()
    order = sorted(full, key=lambda m: (round(float(mae[m]), 9), m != "seasonal_naive"))
    best = order[0]
    mine = rows[rows["model"] == best]
    scale = mine["scale"].to_numpy(dtype=float)
    ok = np.isfinite(scale) & (scale > 0)
    abs_err = (mine["y"] - mine["mean"]).abs().to_numpy()
    mase = float((abs_err[ok] / scale[ok]).mean()) if ok.any() else float("nan")
    scales = scale_factors(mine, levels, settings.min_calibration_points)
    calibrated = len(mine) >= settings.min_calibration_points
    return Choice(best, scales, mase, calibrated, origins)


def candidates_for(model: str) -> list[str]:
    """The models competing for a series when ``model`` is asked for."""
    return list(MODEL_NAMES) if model == "auto" else [model]
