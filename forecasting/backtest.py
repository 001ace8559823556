"""Backtest report: every model and the automatic choice, scored as they would have run.

The backtest runs ``origins`` weekly origins plus ``selection_origins`` earlier ones. At each
scored origin, the choice of model and the interval calibration use only the origins before
it (the same number the forecaster uses in production), so the scores of the chosen model
and the coverage of the calibrated intervals are out of sample.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from forecasting.calibration import apply_scales, scale_factors
from forecasting.core import DEFAULT_LEVELS, Forecaster
from forecasting.metrics import scores
from forecasting.models.base import interval_columns
from forecasting.selection import choose
from forecasting.settings import MODEL_NAMES, ForecastSettings
from scheduler.domain import BranchConfig
from scheduler.errors import Issue

CHOSEN = "chosen"
"""Name of the automatic choice in backtest tables."""

OVERALL = "overall"
"""``unique_id`` of the rows pooling every series."""


@dataclass
class BacktestReport:
    """What a backtest found.

    Attributes:
        rows: Scored rows: ``unique_id, cutoff, ds, y, model, label, scale, mean`` and the
            calibrated intervals; ``model`` is a model name or ``chosen``.
        table: Per series (and ``overall``) and model: ``hours, mae, rmse, mase,
            coverage-XX`` (calibrated) and ``raw-coverage-XX`` (the model's own intervals).
        issues: Warnings about repairs made to the history.
        origins: Scored origins.
    """

    rows: pd.DataFrame
    table: pd.DataFrame
    issues: list[Issue] = field(default_factory=list)
    origins: int = 0


def backtest(
    history: pd.DataFrame,
    config: BranchConfig,
    origins: int = 8,
    levels: Sequence[int] = DEFAULT_LEVELS,
    *,
    events: pd.DataFrame | None = None,
    settings: ForecastSettings | None = None,
    n_jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
    source: str = "<history>",
) -> BacktestReport:
    """Score every model and the automatic choice over the last ``origins`` weeks.

    Raises:
        InputError: For history problems that cannot be repaired.
    """
    settings = settings or ForecastSettings()
    fc = Forecaster(
        config, events=events, settings=settings, n_jobs=n_jobs, progress=progress, source=source
    )
    levels = tuple(sorted(set(levels)))
    raw = fc.cross_validation(history, origins + settings.selection_origins, levels)
    scored = evaluate(raw, origins, levels, settings)
    return BacktestReport(
        scored,
        score_table(scored, raw, levels),
        fc.issues,
        int(scored["cutoff"].nunique()) if len(scored) else 0,
    )


def evaluate(
    raw: pd.DataFrame, origins: int, levels: Sequence[int], settings: ForecastSettings
) -> pd.DataFrame:
    """Calibrated rows of every model and of the choice at the last ``origins`` origins.

    Args:
        raw: Rows of :meth:`forecasting.core.Forecaster.cross_validation`.
        origins: Origins to score (the latest ones).
        levels: Interval levels.
        settings: Gives the number of earlier origins used to choose and calibrate.
    """
    if raw.empty:
        return raw
    parts: list[pd.DataFrame] = []
    for _, series in raw.groupby("unique_id", sort=True):
        cuts = sorted(series["cutoff"].unique())
        for cutoff in cuts[-origins:]:
            earlier = [c for c in cuts if c < cutoff][-settings.selection_origins :]
            prior = series[series["cutoff"].isin(earlier)]
            now = series[series["cutoff"] == cutoff]
            calibrated: dict[str, pd.DataFrame] = {}
            for name, rows in now.groupby("model", sort=True):
                mine = prior[prior["model"] == name]
                factors = scale_factors(mine, levels, settings.min_calibration_points)
                calibrated[str(name)] = apply_scales(rows, factors, levels)
            choice = choose(prior, MODEL_NAMES, levels, settings)
            pick = next(
                (m for m in (choice.model, "glm", "seasonal_naive") if m in calibrated), None
            )
            parts += list(calibrated.values())
            if pick is not None:
                parts.append(calibrated[pick].assign(model=CHOSEN))
    return pd.concat(parts, ignore_index=True) if parts else raw.iloc[:0]


def score_table(scored: pd.DataFrame, raw: pd.DataFrame, levels: Sequence[int]) -> pd.DataFrame:
    """MAE, RMSE, MASE and coverage per series and model, then pooled over series."""
    records: list[dict[str, object]] = []
    if scored.empty:
        return pd.DataFrame(records)
    order = [*MODEL_NAMES, CHOSEN]
    cuts = scored[["unique_id", "cutoff"]].drop_duplicates()
    raw = raw.merge(cuts, on=["unique_id", "cutoff"])
    groups = [(uid, rows) for uid, rows in scored.groupby("unique_id", sort=True)]
    groups.append((OVERALL, scored))
    for uid, rows in groups:
        raw_rows = raw if uid == OVERALL else raw[raw["unique_id"] == uid]
        for model in order:
            mine = rows[rows["model"] == model]
            if mine.empty:
                continue
            rec: dict[str, object] = {"unique_id": uid, "model": model}
            if model == CHOSEN:
                labels = mine["label"].value_counts()
                rec["picked"] = ", ".join(f"{k} {v}" for k, v in labels.items())
            rec |= scores(mine, levels)
            base = raw_rows if model == CHOSEN else raw_rows[raw_rows["model"] == model]
            if model == CHOSEN:
                keys = mine[["unique_id", "cutoff", "ds", "label"]]
                base = raw_rows.merge(keys, on=["unique_id", "cutoff", "ds", "label"])
            raw_scores = scores(base, levels) if len(base) else {}
            for level in levels:
                rec[f"raw-coverage-{level}"] = raw_scores.get(f"coverage-{level}", float("nan"))
            records.append(rec)
    table = pd.DataFrame(records)
    cols = ["unique_id", "model", "hours", "mae", "rmse", "mase"]
    cols += [f"coverage-{lv}" for lv in levels] + [f"raw-coverage-{lv}" for lv in levels]
    return table[[*cols, *[c for c in table.columns if c not in cols]]]


__all__ = ["CHOSEN", "OVERALL", "BacktestReport", "backtest", "evaluate", "interval_columns"]
