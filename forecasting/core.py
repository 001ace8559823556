"""The forecaster: many series of one branch, model choice per series, calibrated intervals.

Long-format frames in and out (``unique_id``, ``ds``, ``y``), ``fit`` / ``predict`` /
``cross_validation``, series run in parallel in a process pool.
"""

from __future__ import annotations

import datetime as dt
import os
import warnings
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from forecasting.calendar_features import CalendarFeatures
from forecasting.calibration import apply_scales
from forecasting.events import check_events, event_effects
from forecasting.history import PreparedHistory, prepare_history
from forecasting.models import CountGLM, Model, make_model
from forecasting.models.base import interval_columns
from forecasting.outliers import find_outliers
from forecasting.selection import (
    FALLBACK_MODEL,
    Choice,
    candidates_for,
    choose,
    cross_validate,
    eligible,
    history_weeks,
    weekly_cutoffs,
)
from forecasting.settings import MODEL_NAMES, ForecastSettings
from scheduler.calendar import BranchCalendar, Horizon
from scheduler.domain import BranchConfig
from scheduler.errors import InputError, Issue
from scheduler.frames import FORECAST_COLUMNS

Progress = Callable[[int, int], None]
"""Called with (series done, series in all) as series finish."""

DEFAULT_LEVELS = (80, 95)

MAX_LISTED = 5
"""Outliers listed one by one per series; more are summed up in one warning."""

FAR_AHEAD_DAYS = 28
"""A forecast starting more than this many days after the history's last day is warned of:
the models extrapolate across the gap (a week in 2100 from a history ending in 2026 was
forecast without a word)."""

UNSEEN_WIDENING = 2.0
"""An hour of day without history gets its upper half-widths multiplied by this (and lower
bounds of zero): its level is borrowed from the nearest hour with history."""


class ForecastWarning(UserWarning):
    """A repair made to the input before forecasting (see :mod:`forecasting.history`)."""


@dataclass
class SeriesFit:
    """One series' fitted model and how it was chosen.

    Attributes:
        unique_id: ``"<branch>/<channel>"``.
        channel: Channel id.
        model: The fitted model.
        choice: The backtest choice (model name, interval scale factors, backtest MASE).
        backtest: Backtest rows of every candidate at the selection origins.
        notes: Things worth telling the user about this series.
        seen_hours: Hours of day with at least one observed count in the history.
    """

    unique_id: str
    channel: str
    model: Model
    choice: Choice
    backtest: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    seen_hours: frozenset[int] = frozenset()


def resolve_jobs(n_jobs: int) -> int:
    """Worker processes for ``n_jobs`` (``<= 0`` means one per CPU)."""
    return max(1, os.cpu_count() or 1) if n_jobs <= 0 else n_jobs


def parallel_map(
    fn: Callable[[Any], Any], tasks: Sequence[Any], n_jobs: int, progress: Progress | None = None
) -> list[Any]:
    """``[fn(t) for t in tasks]``, in a process pool when ``n_jobs > 1``, in task order."""
    jobs = min(resolve_jobs(n_jobs), len(tasks))
    results: list[Any] = [None] * len(tasks)
    if jobs <= 1:
        for i, task in enumerate(tasks):
            results[i] = fn(task)
            if progress:
                progress(i + 1, len(tasks))
        return results
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(fn, task): i for i, task in enumerate(tasks)}
        for done, future in enumerate(as_completed(futures), start=1):
            results[futures[future]] = future.result()
            if progress:
                progress(done, len(tasks))
    return results


@dataclass(frozen=True)
class _Task:
    unique_id: str
    channel: str
    frame: pd.DataFrame
    model: str
    levels: tuple[int, ...]
    settings: ForecastSettings
    zero: bool
    short: bool = False


def _fit_series(task: _Task) -> SeriesFit:
    """Backtest the candidates, choose, calibrate and fit the chosen model on all history.

    BLAS runs single-threaded: the design matrices are small and series run in parallel.
    """
    with threadpool_limits(limits=1, user_api="blas"):
        return _fit_series_now(task)


def _fit_series_now(task: _Task) -> SeriesFit:
    notes: list[str] = []
    settings, frame = task.settings, task.frame
    seen = frozenset(int(h) for h in frame.loc[frame["y"].notna(), "ds"].dt.hour.unique())
    weeks = history_weeks(frame)
    if task.zero or task.short:
        name = "zero" if task.zero else "hour_mean"
        choice = Choice(name, {lv: 1.0 for lv in task.levels}, float("nan"), False, 0)
        model = make_model(name).fit(frame)
        return SeriesFit(task.unique_id, task.channel, model, choice, pd.DataFrame(), notes, seen)
    cuts = weekly_cutoffs(frame, settings.selection_origins, settings.min_history_days)
    candidates = [m for m in candidates_for(task.model) if eligible(m, weeks, settings)]
    if not candidates:
        notes.append(
            f"{weeks:.1f} weeks of history are too few for {task.model}; "
            "the count regression was used"
        )
        candidates = [FALLBACK_MODEL]
    default = FALLBACK_MODEL if FALLBACK_MODEL in candidates else candidates[0]
    warm: dict[str, dict[str, float]] = {}
    rows = cross_validate(frame, cuts, candidates, task.levels, settings, warm)
    choice = choose(rows, candidates, task.levels, settings, default=default)
    if not choice.calibrated:
        notes.append(
            f"too little history to backtest ({len(rows)} hour(s); "
            f"{settings.min_calibration_points} needed); {choice.model} was used and its "
            "intervals are the model's own, not calibrated"
        )
    order = [choice.model] + [m for m in (FALLBACK_MODEL, "seasonal_naive") if m != choice.model]
    for name in order:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model = make_model(name, settings, warm.get(name)).fit(frame)
            break
        except (ValueError, np.linalg.LinAlgError, FloatingPointError) as exc:
            notes.append(f"{name} could not be fitted ({exc}); trying the next model")
    else:  # pragma: no cover - the seasonal naive model always fits a non-empty history
        raise RuntimeError(f"no model could be fitted for {task.unique_id}")
    if model.name != choice.model:
        choice = Choice(model.name, {lv: 1.0 for lv in task.levels}, float("nan"), False, 0)
    return SeriesFit(task.unique_id, task.channel, model, choice, rows, notes, seen)


class Forecaster:
    """Forecast hourly customer volume of every channel of one branch.

    Args:
        config: Branch configuration (id, time zone, opening hours, holiday calendar).
        model: ``auto`` (chosen per series by rolling-origin backtest) or one of
            ``seasonal_naive``, ``glm``, ``mstl``.
        events: Known events (:func:`forecasting.events.read_events`), or ``None``.
        settings: Forecast settings (pension days, backtest origins, history thresholds).
        n_jobs: Worker processes over series (``<= 0``: one per CPU).
        progress: Called as series finish.
        source: Name of the history's source for messages.

    Example:
        >>> fc = Forecaster(config).fit(history)  # doctest: +SKIP
        >>> frame = fc.predict(Horizon.iso_week("2026-W49"))  # doctest: +SKIP
    """

    def __init__(
        self,
        config: BranchConfig,
        *,
        model: str = "auto",
        events: pd.DataFrame | None = None,
        settings: ForecastSettings | None = None,
        n_jobs: int = 1,
        progress: Progress | None = None,
        source: str = "<history>",
    ):
        if model != "auto" and model not in MODEL_NAMES:
            raise InputError(
                [
                    Issue(
                        "--model",
                        "unknown model",
                        value=model,
                        allowed="auto, " + ", ".join(MODEL_NAMES),
                    )
                ]
            )
        self.config = config
        self.model = model
        self.events = events
        self.settings = settings or ForecastSettings(
            pension_days=tuple(config.branch.calendar.pension_days)
        )
        self.n_jobs = n_jobs
        self.progress = progress
        self.source = source
        self.features = CalendarFeatures(BranchCalendar(config.branch), self.settings)
        self.issues: list[Issue] = []
        self.fits: dict[str, SeriesFit] = {}
        self.levels: tuple[int, ...] = DEFAULT_LEVELS
        self.history: PreparedHistory | None = None

    # Preparation -------------------------------------------------------------------------

    def prepare(
        self, history: pd.DataFrame, before: dt.datetime | None = None
    ) -> dict[str, pd.DataFrame]:
        """Check the history and build each series' rows with calendar and event features.

        Raises:
            InputError: For problems that cannot be repaired.
        """
        prepared = prepare_history(
            history,
            self.config,
            self.features,
            file=self.source,
            before=before,
            min_days=self.settings.min_history_days,
        )
        self.history = prepared
        self.issues = list(prepared.issues)
        channels = set(prepared.frame["channel"].unique())
        configured = {c.id for c in self.config.channels}
        for ch in sorted(configured - channels):
            self.issues.append(
                Issue(
                    self.source,
                    f"channel {ch} of the configuration has no history and is not forecast",
                    column="channel",
                    severity="warning",
                )
            )
        for ch in sorted(channels - configured) if configured else []:
            self.issues.append(
                Issue(
                    self.source,
                    f"channel {ch} is not in the configuration; it is forecast all the same",
                    column="channel",
                    severity="warning",
                )
            )
        if self.events is not None:
            event_issues = check_events(self.events, channels)
            if any(i.severity == "error" for i in event_issues):
                raise InputError(event_issues)
            self.issues += event_issues
        first = prepared.frame["ds"].min().date()
        last = prepared.frame["ds"].max().date()
        grid = self.features.open_hours(first, last)
        frames: dict[str, pd.DataFrame] = {}
        for uid, rows in prepared.frame.groupby("unique_id", sort=True):
            merged = rows[["ds", "y"]].merge(grid, on="ds", how="left")
            frame = self._with_events(merged, str(rows["channel"].iloc[0]))
            if uid not in prepared.zero_series:
                frame = self._without_outliers(str(uid), frame)
            frames[str(uid)] = frame
        return frames

    def _without_outliers(self, uid: str, frame: pd.DataFrame) -> pd.DataFrame:
        """Leave extreme outliers (:mod:`forecasting.outliers`) out of fitting, saying which."""
        mask, found = find_outliers(frame)
        if not found:
            return frame
        for outlier in found[:MAX_LISTED]:
            self.issues.append(
                Issue(
                    self.source,
                    f"{uid}: {outlier.describe()}; an extreme outlier against the same "
                    "weekday and hours nearby that the calendar does not explain, left out "
                    "of fitting",
                    column="y",
                    severity="warning",
                )
            )
        if len(found) > MAX_LISTED:
            rest = found[MAX_LISTED:]
            self.issues.append(
                Issue(
                    self.source,
                    f"{uid}: {len(rest)} more extreme outlier(s) ({rest[0].day:%Y-%m-%d} to "
                    f"{rest[-1].day:%Y-%m-%d}, {sum(len(o.hours) for o in rest)} hour(s)) "
                    "were left out of fitting",
                    column="y",
                    severity="warning",
                )
            )
        frame = frame.copy()
        frame.loc[mask, "y"] = np.nan
        return frame

    def _with_events(self, rows: pd.DataFrame, channel: str) -> pd.DataFrame:
        offset, flag = event_effects(self.events, rows["ds"], channel)
        return rows.assign(event_offset=offset, event_flag=flag).reset_index(drop=True)

    def _tasks(self, frames: dict[str, pd.DataFrame], levels: Iterable[int]) -> list[_Task]:
        assert self.history is not None
        channel = self.history.frame.drop_duplicates("unique_id").set_index("unique_id")["channel"]
        return [
            _Task(
                uid,
                str(channel[uid]),
                frame,
                self.model,
                tuple(levels),
                self.settings,
                uid in self.history.zero_series,
                uid in self.history.short_series,
            )
            for uid, frame in frames.items()
        ]

    # Contract ----------------------------------------------------------------------------

    def fit(
        self,
        history: pd.DataFrame,
        levels: Sequence[int] = DEFAULT_LEVELS,
        before: dt.datetime | None = None,
    ) -> Forecaster:
        """Check the history, choose and calibrate a model per series, and fit it.

        Args:
            history: Long-format history (:data:`scheduler.frames.HISTORY_COLUMNS`).
            levels: Interval levels (percent) the intervals are calibrated for.
            before: Use only history before this time (the start of the forecast).

        Raises:
            InputError: For problems that cannot be repaired.
        """
        self.levels = _check_levels(levels)
        frames = self.prepare(history, before)
        fits = parallel_map(
            _fit_series, self._tasks(frames, self.levels), self.n_jobs, self.progress
        )
        self.fits = {f.unique_id: f for f in fits}
        for f in fits:
            for note in f.notes:
                self.issues.append(Issue(self.source, f"{f.unique_id}: {note}", severity="warning"))
        return self

    def predict(self, horizon: Horizon, levels: Sequence[int] | None = None) -> pd.DataFrame:
        """Forecast every open hour of the horizon for every fitted series.

        Args:
            horizon: The days to forecast; they must follow the history.
            levels: Interval levels; a subset of those given to :meth:`fit` (default: all).

        Returns:
            :data:`scheduler.frames.FORECAST_COLUMNS` (with ``lo-XX``/``hi-XX`` per level),
            one row per series and open hour, sorted by series and time.
        """
        if not self.fits or self.history is None:
            raise RuntimeError("call fit() before predict()")
        levels = _check_levels(levels) if levels is not None else self.levels
        unknown = sorted(set(levels) - set(self.levels))
        if unknown:
            raise InputError(
                [
                    Issue(
                        "levels",
                        f"interval level(s) {unknown} were not calibrated by fit()",
                        value=list(levels),
                        allowed=f"the fitted levels {list(self.levels)}, or fit() again "
                        f"with levels={tuple(sorted(set(levels) | set(self.levels)))}",
                    )
                ]
            )
        last = self.history.frame["ds"].max()
        if pd.Timestamp(horizon.start) <= last.normalize():
            raise InputError(
                [
                    Issue(
                        self.source,
                        f"the forecast starts {horizon.start} but the "
                        f"history runs to {last:%Y-%m-%d}",
                        value=str(horizon.start),
                        allowed=f"a start after {last:%Y-%m-%d}",
                    )
                ]
            )
        ahead = (horizon.start - last.date()).days
        if ahead > FAR_AHEAD_DAYS:
            self._note(
                f"the forecast starts {horizon.start}, {ahead} days after the history ends "
                f"({last:%Y-%m-%d}): nothing since then is known, so check the forecast "
                "against recent traffic, or give a history that reaches the week before"
            )
        grid = self.features.open_hours(horizon.start, horizon.end)
        parts: list[pd.DataFrame] = []
        unlearnt: dict[str, list[str]] = {}
        for uid, fit in sorted(self.fits.items()):
            rows = self._with_events(grid, fit.channel)
            pred = fit.model.predict(rows, levels)
            pred = apply_scales(pred, fit.choice.scales, levels)
            pred, unseen, closed = borrow_unseen_hours(rows, pred, fit.seen_hours, levels)
            if unseen:
                hours = ", ".join(f"{h:02d}:00" for h in unseen)
                self._note(
                    f"{uid}: no history at {hours}; those hours take the forecast of the "
                    "nearest hour of the day with history, with lower bounds 0 and upper "
                    f"half-widths x{UNSEEN_WIDENING:g}"
                )
            if closed:
                hours = ", ".join(f"{h:02d}:00" for h in closed)
                self._note(
                    f"{uid}: no customer in the whole history at {hours}, between hours that "
                    "have them (a closure such as lunch, or hours the export leaves out); "
                    "forecast as 0 there. If customers are now served then, give a history "
                    "that has those hours"
                )
            flagged = rows["event_flag"].to_numpy().any() and fit.model.name != "zero"
            if flagged and not _learns_events(fit.model):
                unlearnt.setdefault(_why_no_event_effect(fit), []).append(uid)
            pred.insert(0, "model", fit.model.label)
            pred.insert(0, "ds", rows["ds"].to_numpy())
            pred.insert(0, "channel", fit.channel)
            pred.insert(0, "branch", self.config.branch.id)
            pred.insert(0, "unique_id", uid)
            parts.append(pred)
        self._warn_unlearnt_events(unlearnt, horizon)
        columns = [*FORECAST_COLUMNS[:6], *interval_columns(levels)]
        if not parts:
            return pd.DataFrame(columns=columns)
        out = pd.concat(parts, ignore_index=True)[columns]
        value_cols = ["mean", *interval_columns(levels)]
        out[value_cols] = out[value_cols].astype(float).round(4)
        return whole_count_bounds(out, levels)

    def _note(self, message: str) -> None:
        """A warning about the forecast, once however often :meth:`predict` runs."""
        issue = Issue(self.source, message, severity="warning")
        if issue not in self.issues:
            self.issues.append(issue)

    def _warn_unlearnt_events(self, unlearnt: dict[str, list[str]], horizon: Horizon) -> None:
        """Warn of events without a multiplier that the fitted models cannot learn."""
        if not unlearnt or self.events is None:
            return
        events = (
            self.events[self.events["multiplier"].isna()]
            if "multiplier" in self.events
            else self.events
        )
        days = pd.to_datetime(events["date"]).dt.date
        inside = events[(days >= horizon.start) & (days <= horizon.end)]
        named = ", ".join(
            f"{rec['name']} ({pd.Timestamp(rec['date']):%Y-%m-%d})"  # type: ignore[arg-type]
            for rec in inside.to_dict("records")
        )
        for why, uids in sorted(unlearnt.items()):
            self._note(
                f"event(s) without a multiplier have no effect on the forecast of "
                f"{', '.join(uids)}: {named or 'in the forecast days'}; {why}; give the "
                "event a multiplier in the events file"
            )

    def cross_validation(
        self,
        history: pd.DataFrame,
        origins: int = 8,
        levels: Sequence[int] = DEFAULT_LEVELS,
        models: Sequence[str] = MODEL_NAMES,
    ) -> pd.DataFrame:
        """Rolling-origin backtest of every model on every series (raw model intervals).

        Args:
            history: Long-format history.
            origins: Weekly origins, ending one week before the history does.
            levels: Interval levels.
            models: Models to run.

        Returns:
            Rows ``unique_id, cutoff, ds, y, model, label, scale, mean, lo-XX, hi-XX``.
        """
        levels = _check_levels(levels)
        frames = self.prepare(history)
        assert self.history is not None
        short = self.history.short_series
        tasks = [
            (uid, f, origins, tuple(models), levels, self.settings)
            for uid, f in frames.items()
            if uid not in short
        ]
        for uid in sorted(short & set(frames)):
            self._note(f"{uid}: too little history to backtest; left out of the backtest")
        parts = parallel_map(_cv_series, tasks, self.n_jobs, self.progress)
        for task, part in zip(tasks, parts, strict=True):
            if not len(part):  # 14 days or more, yet no whole week to test on after them
                self._note(f"{task[0]}: too little history to backtest; left out of the backtest")
        filled = [p for p in parts if len(p)]
        if not filled:
            need = self.settings.min_history_days + 7
            days = max(
                (f["ds"].max().normalize() - f["ds"].min().normalize()).days + 1
                for f in frames.values()
            )
            raise InputError(
                [
                    Issue(
                        self.source,
                        f"a backtest needs at least {need} days of history in a series "
                        f"({self.settings.min_history_days} to fit, 7 to test on); the longest "
                        f"series covers {days} day(s)",
                        column="ds",
                        allowed=f"at least {need} days",
                    ),
                    *self.issues,
                ]
            )
        return pd.concat(filled, ignore_index=True)


def _cv_series(task: tuple[Any, ...]) -> pd.DataFrame:
    uid, frame, origins, models, levels, settings = task
    with threadpool_limits(limits=1, user_api="blas"):
        return _cv_series_now(uid, frame, origins, models, levels, settings)


def _cv_series_now(
    uid: str,
    frame: pd.DataFrame,
    origins: int,
    models: Sequence[str],
    levels: tuple[int, ...],
    settings: ForecastSettings,
) -> pd.DataFrame:
    cuts = weekly_cutoffs(frame, origins, settings.min_history_days)
    rows = cross_validate(frame, cuts, models, levels, settings)
    rows.insert(0, "unique_id", uid)
    return rows


def _check_levels(levels: Sequence[int]) -> tuple[int, ...]:
    """Sorted, distinct whole percentages; an input error for anything else."""
    values = list(levels)
    if not values or not all(_whole_percent(lv) for lv in values):
        raise InputError(
            [
                Issue(
                    "levels",
                    "interval levels must be whole percentages between 0 and 100",
                    value=values,
                    allowed="whole numbers from 1 to 99, e.g. 80, 95",
                )
            ]
        )
    return tuple(sorted({int(lv) for lv in values}))


def _whole_percent(level: object) -> bool:
    if isinstance(level, bool) or not isinstance(level, (int, float, np.integer, np.floating)):
        return False
    return bool(float(level).is_integer() and 1 <= float(level) <= 99)


def _learns_events(model: Model) -> bool:
    """Whether a fitted model estimates the effect of events without a multiplier."""
    design = getattr(model, "_design", None)
    return isinstance(model, CountGLM) and design is not None and "event_flag" in design.flags


def _why_no_event_effect(fit: SeriesFit) -> str:
    if isinstance(fit.model, CountGLM):
        return (
            "the history has no past event to learn the effect from (events on at least "
            "2 days are needed)"
        )
    return f"the model chosen for the channel ({fit.model.label}) does not learn event effects"


def whole_count_bounds(frame: pd.DataFrame, levels: Sequence[int]) -> pd.DataFrame:
    """Interval bounds rounded outwards to whole customers.

    Counts are whole, so an interval of counts runs from a whole number to a whole number; a
    model on a continuous scale (MSTL on square roots, or conformal scaling) can give
    0.32-0.50, which no count falls in. Lower bounds are rounded down and upper bounds up
    (a bound within 1e-6 of a whole number is that number), which keeps every count the
    interval held.
    """
    out = frame.copy()
    for level in levels:
        out[f"lo-{level}"] = np.floor(out[f"lo-{level}"].to_numpy(dtype=float) + 1e-6)
        out[f"hi-{level}"] = np.ceil(out[f"hi-{level}"].to_numpy(dtype=float) - 1e-6)
    return out


def borrow_unseen_hours(
    rows: pd.DataFrame, pred: pd.DataFrame, seen: frozenset[int], levels: Sequence[int]
) -> tuple[pd.DataFrame, list[int], list[int]]:
    """Forecast the hours of day that the history never observed.

    An hour before the first or after the last hour of day with history (the branch now
    opens earlier or closes later) is something a model has nothing to say about: it takes
    the mean of the nearest hour of the same day with history (the earlier on a tie), its
    lower bounds become 0 and its upper half-widths are multiplied by
    :data:`UNSEEN_WIDENING`. A day without any such hour keeps the model's mean, widened the
    same way.

    An hour between hours with history that never had a customer in the whole history (a
    counter closed at lunch, whose export writes no row then) is forecast as 0 with bounds
    of 0, as a history of zero rows at that hour would be: borrowing its neighbours would
    staff a closed counter at its busiest.

    Returns:
        The adjusted prediction, the hours of day that borrowed a neighbour's forecast and
        the hours of day forecast as closed, each sorted.
    """
    hours = rows["ds"].dt.hour.to_numpy()
    unseen = ~np.isin(hours, list(seen)) if seen else np.zeros(len(rows), dtype=bool)
    if not unseen.any():
        return pred, [], []
    inside = unseen & (hours > min(seen)) & (hours < max(seen))
    borrowed = unseen & ~inside
    out = pred.copy()
    days = rows["ds"].dt.normalize().to_numpy()
    mean = pred["mean"].to_numpy(dtype=float)
    value_cols = ["mean", *(f"{side}-{level}" for level in levels for side in ("lo", "hi"))]
    out.loc[out.index[inside], value_cols] = 0.0
    for i in np.flatnonzero(borrowed).tolist():
        same = np.flatnonzero((days == days[i]) & ~unseen)
        j = i
        if same.size:
            j = int(same[np.lexsort((hours[same], np.abs(hours[same] - hours[i])))[0]])
        out.iloc[i, out.columns.get_loc("mean")] = mean[j]
        for level in levels:
            up = pred[f"hi-{level}"].to_numpy(dtype=float)[j] - mean[j]
            out.iloc[i, out.columns.get_loc(f"lo-{level}")] = 0.0
            out.iloc[i, out.columns.get_loc(f"hi-{level}")] = mean[j] + UNSEEN_WIDENING * up
    return (
        out,
        sorted({int(h) for h in hours[borrowed]}),
        sorted({int(h) for h in hours[inside]}),
    )


def forecast(
    history: pd.DataFrame,
    config: BranchConfig,
    horizon: Horizon,
    events: pd.DataFrame | None = None,
    levels: Sequence[int] = DEFAULT_LEVELS,
    model: str = "auto",
    n_jobs: int = 1,
    *,
    settings: ForecastSettings | None = None,
    issues: list[Issue] | None = None,
) -> pd.DataFrame:
    """Forecast hourly customer volume per channel for the open hours of ``horizon``.

    Only history before the horizon's first day is used. Every repair made to the input is
    emitted as a :class:`ForecastWarning` (and appended to ``issues`` when given).

    Args:
        history: Long-format history (:data:`scheduler.frames.HISTORY_COLUMNS`).
        config: Branch configuration.
        horizon: The days to forecast.
        events: Known events frame, or ``None``.
        levels: Interval levels in percent.
        model: ``auto``, ``seasonal_naive``, ``glm`` or ``mstl``.
        n_jobs: Worker processes over series (``<= 0``: one per CPU).
        settings: Forecast settings (pension days, backtest origins).
        issues: A list that receives the warnings as :class:`~scheduler.errors.Issue`.

    Returns:
        :data:`scheduler.frames.FORECAST_COLUMNS` plus ``lo-XX``/``hi-XX`` per level; ``model``
        names the model of each row; ``mean`` and bounds are >= 0.

    Raises:
        InputError: For input problems that cannot be repaired.
    """
    source = str(history.attrs.get("file", "<history>"))  # set by the traffic-file reader
    fc = Forecaster(
        config, model=model, events=events, settings=settings, n_jobs=n_jobs, source=source
    )
    before = dt.datetime.combine(horizon.start, dt.time())
    fc.fit(history, levels=levels, before=before)
    out = fc.predict(horizon, levels)
    for issue in fc.issues:
        warnings.warn(str(issue), ForecastWarning, stacklevel=2)
    if issues is not None:
        issues.extend(fc.issues)
    return out
