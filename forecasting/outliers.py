"""Extreme outliers: days and hours far above a series' robust level for that weekday and hour.

A mis-keyed export (a day multiplied by 50, a counter stuck for an hour) would otherwise pull
the whole forecast up. The tests are scaled by each series' own noise, on scales where that
noise hardly depends on the size of the counts, so busy and quiet series are judged alike:

- the **usual level** of an hour is the median, on the square-root scale, of the same weekday
  and hour in the ``LEVEL_WEEKS`` weeks either side (the day itself left out; ordinary days
  only), so a trend, a yearly cycle or a slow change of level is followed, not flagged;
- an **hour** is an outlier when its square root lies more than ``THRESHOLD`` robust standard
  deviations above that level (1.4826 x the median absolute deviation over every ordinary
  hour of the series, at least the Poisson value 0.5) and its count is at least
  ``MIN_RATIO`` times the usual one;
- a **day** is an outlier when the log of its customers over its usual customers (its
  hours without the wild ones) lies more than ``THRESHOLD`` robust standard deviations
  above what is usual for such a day, and at least ``MIN_RATIO`` times above it; when at
  least half of a day's hours are wild, the whole day is left out;
- a day the calendar explains (public holiday, 调休 working day, the days around a long
  holiday, month- and quarter-end, pension day, a known event) is compared with the other
  days of exactly its kind when there are ``MIN_LIKE_DAYS`` of them, else with its features
  estimated one by one on the days carrying them, their excesses multiplied (a month-end that
  is also the eve of a long holiday is expected to be as high as both together). A feature
  with fewer than ``MIN_LIKE_DAYS`` days cannot be estimated: the day is then flagged only
  beyond ``UNEXPLAINED_FACTOR`` times the threshold. Hours of a calendar day always are,
  since such days have their own shape (a pension-day morning queue).

Low values are never flagged: a closed counter or a quiet day is real traffic.
"""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecasting.calendar_features import DAY_FEATURES

THRESHOLD = 8.0
"""Robust standard deviations above the usual level beyond which an hour or a day is flagged."""
MIN_RATIO = 3.0
"""An outlier also has at least this many times the usual count (a guard for steady series)."""
LEVEL_WEEKS = 4
"""Weeks either side whose same weekday and hour give an hour's usual level."""
MIN_NEIGHBOURS = 3
"""Same-weekday neighbours an hour needs before it can be judged."""
MIN_LIKE_DAYS = 3
"""Other days of the same calendar kind (or feature) needed to estimate its usual excess."""
UNEXPLAINED_FACTOR = 3.0
"""How much higher the threshold is for a calendar day whose excess cannot be estimated, and
for the hours of calendar days."""
POISSON_SD = 0.5
"""Standard deviation of the square root of a Poisson count: the smallest hour scale used."""
MAD_SD = 1.4826
"""Median absolute deviation to standard deviation (normal errors)."""

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Outlier:
    """A day, or some hours of a day, left out of fitting.

    Attributes:
        day: The date.
        hours: The flagged hours of day (every observed hour when ``whole_day``).
        count: Customers recorded in those hours.
        usual: Customers usual in those hours (from the same weekday and hour nearby).
        whole_day: Whether the whole day is an outlier (else only ``hours``).
    """

    day: dt.date
    hours: tuple[int, ...]
    count: float
    usual: float
    whole_day: bool

    def describe(self) -> str:
        """The outlier in words: which day or hours, how many customers against how many."""
        what = f"{self.day:%Y-%m-%d} ({WEEKDAYS[self.day.weekday()]})"
        if not self.whole_day:
            what += " " + ", ".join(f"{h:02d}:00" for h in self.hours)
        text = f"{what}: {self.count:,.0f} customers against about {self.usual:,.0f} usual"
        if self.usual < 0.5:
            return text
        ratio = self.count / self.usual
        return text + (f" ({ratio:,.0f}x)" if ratio >= 10 else f" ({ratio:.1f}x)")


def find_outliers(rows: pd.DataFrame) -> tuple[np.ndarray, list[Outlier]]:
    """The hours of one series to leave out of fitting, and why.

    Args:
        rows: One series on the open-hour grid: ``ds``, ``y`` (NaN for missing hours),
            ``hour``, the calendar features of
            :data:`forecasting.calendar_features.DAY_FEATURES` and optionally ``event_offset``
            (log of a known multiplier) and ``event_flag`` (an event without multiplier).

    Returns:
        A boolean mask aligned with ``rows`` (True = outlier) and the outliers, oldest first.
    """
    mask = np.zeros(len(rows), dtype=bool)
    y = rows["y"].to_numpy(dtype=float)
    if len(rows) == 0 or not np.isfinite(y).any():
        return mask, []
    offset = rows["event_offset"].to_numpy(float) if "event_offset" in rows else 0.0
    dates = pd.DatetimeIndex(rows["ds"]).normalize()
    hours = rows["hour"].to_numpy()
    table = pd.DataFrame({"date": dates, "hour": hours, "z": np.sqrt(y / np.exp(offset))})
    grid = table.pivot_table(index="date", columns="hour", values="z", aggfunc="first")
    grid = grid.reindex(dates.unique().sort_values())
    kinds = _day_kinds(rows, dates, grid.index)
    special = np.array([bool(k) for k in kinds])
    values = grid.to_numpy(dtype=float)
    level = _usual_level(values, grid.index, special)
    resid = values - level
    seen = np.isfinite(resid)
    count, usual = values**2, np.maximum(level, 0.0) ** 2

    ordinary = resid[~special & seen.any(axis=1)]
    hour_scale = _robust_sd(ordinary[np.isfinite(ordinary)], POISSON_SD)
    hour_cut = THRESHOLD * np.where(special, UNEXPLAINED_FACTOR, 1.0)
    with np.errstate(invalid="ignore"):
        wild = seen & (resid / hour_scale > hour_cut[:, None])
    wild &= count >= MIN_RATIO * np.maximum(usual, 1.0)

    rest = seen & ~wild
    ratio = _log_ratio(count, usual, rest)
    days = _DayNorms.fit(_log_ratio(count, usual, seen), kinds, usual, seen)
    with np.errstate(invalid="ignore"):
        excess = ratio - days.centre
        high = (excess / days.spread > THRESHOLD * days.factor) & (excess >= np.log(MIN_RATIO))
    whole = seen.any(axis=1) & (high | (2 * wild.sum(axis=1) >= np.maximum(seen.sum(axis=1), 1)))

    found: list[Outlier] = []
    flagged = np.where(whole[:, None], seen, wild)
    for i in np.flatnonzero(flagged.any(axis=1)):
        cols = flagged[i]
        hours_of = tuple(int(h) for h in grid.columns[cols])
        if whole[i]:
            expected = (usual[i, cols].sum() + 1.0) * np.exp(days.centre[i]) - 1.0
            outlier = Outlier(grid.index[i].date(), hours_of, count[i, cols].sum(), expected, True)
        else:
            outlier = Outlier(
                grid.index[i].date(), hours_of, count[i, cols].sum(), usual[i, cols].sum(), False
            )
        found.append(outlier)
    if found:
        hit = pd.DataFrame(flagged, index=grid.index, columns=grid.columns).stack()
        mask = pd.MultiIndex.from_arrays([dates, hours]).isin(hit[hit].index)
    return np.asarray(mask, dtype=bool), found


def _log_ratio(count: np.ndarray, usual: np.ndarray, use: np.ndarray) -> np.ndarray:
    """Per day: log((customers + 1) / (usual customers + 1)) over the hours in ``use``."""
    total = np.where(use, count, 0.0).sum(axis=1)
    base = np.where(use, usual, 0.0).sum(axis=1)
    out = np.log((total + 1.0) / (base + 1.0))
    return np.where(use.any(axis=1), out, np.nan)


@dataclass
class _DayNorms:
    """What each day's log ratio is judged against.

    Attributes:
        centre: Usual log ratio of such a day.
        spread: Robust standard deviation of that log ratio.
        factor: Multiplier of the threshold (``UNEXPLAINED_FACTOR`` when the calendar day's
            excess could not be estimated).
    """

    centre: np.ndarray
    spread: np.ndarray
    factor: np.ndarray

    @classmethod
    def fit(
        cls, ratio: np.ndarray, kinds: list[str], usual: np.ndarray, seen: np.ndarray
    ) -> _DayNorms:
        """Norms from the days' log ratios (over all their hours) and calendar kinds.

        A kind's (or feature's) median and spread are taken over all its days, the judged
        day included: with at least ``MIN_LIKE_DAYS`` others, one day cannot move them much.
        """
        n = len(kinds)
        known = np.isfinite(ratio)
        plain = [i for i in range(n) if not kinds[i] and known[i]]
        per_hour = usual[plain].sum(axis=1) / np.maximum(seen[plain].sum(axis=1), 1)
        typical = float(np.median(per_hour)) if plain else 1.0
        base = float(np.median(ratio[plain])) if plain else 0.0
        floor = 1.0 / np.sqrt(1.0 + typical * max(float(np.median(seen.sum(axis=1))), 1.0))
        scale = _robust_sd(ratio[plain], floor) if plain else floor
        out = cls(np.full(n, base), np.full(n, scale), np.ones(n))
        by_kind: dict[str, list[int]] = {}
        by_feature: dict[str, list[int]] = {}
        for i, kind in enumerate(kinds):
            if kind and known[i]:
                by_kind.setdefault(kind, []).append(i)
                for f in kind.split("+"):
                    by_feature.setdefault(f, []).append(i)

        def stats(days: list[int]) -> tuple[float, float] | None:
            if len(days) <= MIN_LIKE_DAYS:
                return None
            return float(np.median(ratio[days])), _robust_sd(ratio[days], scale)

        kind_stats = {k: stats(days) for k, days in by_kind.items()}
        feature_stats = {f: stats(days) for f, days in by_feature.items()}
        for i, kind in enumerate(kinds):
            if not kind:
                continue
            like = kind_stats.get(kind)
            if like is not None:
                out.centre[i], out.spread[i] = like
                continue
            features = [feature_stats.get(f) for f in kind.split("+")]
            if any(f is None for f in features):
                out.factor[i] = UNEXPLAINED_FACTOR
            found = [f for f in features if f is not None]
            out.centre[i] = base + sum(max(centre - base, 0.0) for centre, _ in found)
            out.spread[i] = max([scale] + [spread for _, spread in found])
        return out


def _day_kinds(rows: pd.DataFrame, dates: pd.DatetimeIndex, days: pd.DatetimeIndex) -> list[str]:
    """Per day: the calendar features it carries, joined (empty for an ordinary day)."""
    names = [f for f in DAY_FEATURES if f in rows.columns]
    marks = pd.DataFrame({f: rows[f].to_numpy() > 0 for f in names}, index=dates)
    if "event_flag" in rows.columns or "event_offset" in rows.columns:
        flag = rows["event_flag"].to_numpy() > 0 if "event_flag" in rows else False
        known = rows["event_offset"].to_numpy() != 0 if "event_offset" in rows else False
        marks["event"] = np.asarray(flag | known)
    by_day = marks.groupby(level=0).any().reindex(days, fill_value=False)
    cols = list(by_day.columns)
    return ["+".join(c for c, on in zip(cols, rec, strict=True) if on) for rec in by_day.to_numpy()]


def _usual_level(values: np.ndarray, days: pd.DatetimeIndex, special: np.ndarray) -> np.ndarray:
    """Median of the same weekday and hour on ordinary days within ``LEVEL_WEEKS`` weeks.

    The day itself is left out, so an outlier cannot raise its own level.
    """
    level = np.full(values.shape, np.nan)
    reference = np.where(special[:, None], np.nan, values)
    ordinal = (days - days[0]).days.to_numpy()
    for weekday in range(7):
        idx = np.flatnonzero(days.day_of_week == weekday)
        if idx.size == 0:
            continue
        week = ordinal[idx] // 7
        slots = np.full((week.max() + 1, values.shape[1]), np.nan)
        slots[week] = reference[idx]
        shifted = []
        for k in range(-LEVEL_WEEKS, LEVEL_WEEKS + 1):
            if k == 0:
                continue
            lag = np.full_like(slots, np.nan)
            if k > 0:
                lag[k:] = slots[:-k]
            else:
                lag[:k] = slots[-k:]
            shifted.append(lag)
        stack = np.stack(shifted)[:, week]
        enough = np.isfinite(stack).sum(axis=0) >= MIN_NEIGHBOURS
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # an hour without neighbours
            med = np.nanmedian(stack, axis=0)
        level[idx] = np.where(enough, med, np.nan)
    return level


def _robust_sd(values: np.ndarray, floor: float) -> float:
    """``MAD_SD`` x the median absolute deviation of ``values``, at least ``floor``."""
    if values.size == 0:
        return floor
    mad = float(np.median(np.abs(values - np.median(values))))
    return max(MAD_SD * mad, floor)
