"""Rotation quotas over weeks, quarters and years, carried from week to week (轮岗).

A quota such as "1+1+1" (a quarter of the year each in customer service, operations and
customer management) or "at most 4 consecutive weeks mainly on the cash counter" cannot be
enforced inside one weekly roster. This module reads what each person already did in the
period from the history and turns the rest into pro-rata soft targets for the next horizon
(:class:`~scheduler.roster.request.QuotaTarget`), and reports who is falling behind.

Pro rata means by legal working days (``BranchCalendar.is_working_day``): a horizon holding
5 of the 40 working days left in a quarter gets 5/40 of the hours still missing. Shares are of
paid hours, with the future paid hours estimated from the contract (``contract_hours_per_week``
per 5 working days). Quotas counted over the ``horizon`` itself need no history and are left to
the roster model, except for ``max_consecutive_weeks``, which always looks back: a target
is then emitted that also carries the quota's own horizon bounds, because the roster model
lets a target replace the quota of the same name for that person.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypeAlias

import pandas as pd

from scheduler.calendar import BranchCalendar, Horizon
from scheduler.domain import BranchConfig, QuotaPeriod, RotationQuota, Staff
from scheduler.frames import ASSIGNMENT_COLUMNS
from scheduler.history.cycles import cycle_progress_rows, cycle_targets_for
from scheduler.history.store import POST_HOURS_COLUMNS, HistoryStore
from scheduler.roster.request import QuotaTarget

MAIN_SHARE = 0.5
"""A week counts as "mainly in the posts" when more than this share of paid hours is there."""

LOOKBACK_WEEKS = 53
"""How many weeks back a consecutive-weeks streak is followed at most."""

PROGRESS_COLUMNS = (
    "quota",
    "staff_id",
    "name",
    "period",
    "leg_post",
    "period_start",
    "period_end",
    "elapsed",
    "done_hours",
    "paid_hours",
    "share",
    "min_hours",
    "max_hours",
    "expected_hours",
    "streak_weeks",
    "max_consecutive_weeks",
    "target_min",
    "target_max",
    "status",
)
"""Columns of :func:`quota_progress`: one row per quota and person.

``done_hours`` are hours in the quota's posts from the period start to the day before the
report date, ``paid_hours`` all paid hours in that time. ``min_hours``/``max_hours`` are the
period's bounds in hours (shares converted with the estimated paid hours of the whole period),
``expected_hours`` the pro-rata part of ``min_hours`` that should be done by now, and
``target_min``/``target_max`` the soft targets for the week starting on the report date.
``status`` is ``behind``, ``over``, ``must rotate``, ``met`` or ``on track``.

Rotation cycles add one row per cycle and person for the leg in force: ``leg_post`` is the
leg's post (empty for quotas), the period is the leg, ``min_hours`` the hours due in the leg
(see :mod:`scheduler.history.cycles`); ``not started`` before the cycle's anchor."""

HistorySource: TypeAlias = HistoryStore | pd.DataFrame
"""Where hours come from: a store, an assignments frame or a post-hours frame."""


@dataclass(frozen=True)
class _Hours:
    """Per-day hours in posts and paid hours, indexed for quick sums."""

    post: pd.DataFrame  # staff_id, date, post, hours
    paid: pd.DataFrame  # staff_id, date, hours

    def in_posts(self, staff_id: str, posts: list[str], start: dt.date, end: dt.date) -> float:
        f = self.post
        mask = (
            (f["staff_id"] == staff_id)
            & f["post"].isin(posts)
            & (f["date"] >= start)
            & (f["date"] <= end)
        )
        return float(f.loc[mask, "hours"].sum())

    def paid_in(self, staff_id: str, start: dt.date, end: dt.date) -> float:
        f = self.paid
        mask = (f["staff_id"] == staff_id) & (f["date"] >= start) & (f["date"] <= end)
        return float(f.loc[mask, "hours"].sum())


def _minutes(value: object) -> int:
    from scheduler.domain.common import minutes_of, parse_clock

    return minutes_of(parse_clock(value))


def _dates(series: pd.Series) -> list[dt.date]:
    return [v if type(v) is dt.date else pd.Timestamp(v).date() for v in series]


def _hours_from_frame(frame: pd.DataFrame) -> _Hours:
    """Hours from an assignments frame or a post-hours frame."""
    if set(ASSIGNMENT_COLUMNS) <= set(frame.columns):
        rows = frame[frame["activity"] != "break"]
        hours = [
            (_minutes(e) - _minutes(s)) / 60.0
            for s, e in zip(rows["start"], rows["end"], strict=True)
        ]
        work = pd.DataFrame(
            {
                "staff_id": rows["staff_id"].astype(str).to_list(),
                "date": _dates(rows["date"]),
                "post": [
                    p if a == "post" else ""
                    for p, a in zip(rows["post"], rows["activity"], strict=True)
                ],
                "hours": hours,
            }
        )
        post = (
            work[work["post"] != ""]
            .groupby(["staff_id", "date", "post"], as_index=False)["hours"]
            .sum()
        )
        paid = work.groupby(["staff_id", "date"], as_index=False)["hours"].sum()
        return _Hours(post=post, paid=paid)
    if set(POST_HOURS_COLUMNS) <= set(frame.columns):
        post = frame[list(POST_HOURS_COLUMNS)].copy()
        post["date"] = _dates(post["date"])
        paid = post.groupby(["staff_id", "date"], as_index=False)["hours"].sum()
        return _Hours(post=post, paid=paid)
    raise ValueError(
        "history frame needs the assignment columns or the post-hours columns "
        f"({', '.join(POST_HOURS_COLUMNS)})"
    )


def _load_hours(source: HistorySource, branch_id: str, start: dt.date, end: dt.date) -> _Hours:
    if isinstance(source, HistoryStore):
        post = source.post_hours(branch_id, start, end)
        paid = source.paid_hours(branch_id, start, end)
        return _Hours(post=post, paid=paid)
    hours = _hours_from_frame(source)
    keep_post = (hours.post["date"] >= start) & (hours.post["date"] <= end)
    keep_paid = (hours.paid["date"] >= start) & (hours.paid["date"] <= end)
    return _Hours(post=hours.post[keep_post], paid=hours.paid[keep_paid])


def period_bounds(period: QuotaPeriod, day: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of the week, quarter or year containing ``day``.

    Raises:
        ValueError: For the ``horizon`` period, which has no calendar bounds.
    """
    if period == QuotaPeriod.WEEK:
        monday = day - dt.timedelta(days=day.weekday())
        return monday, monday + dt.timedelta(days=6)
    if period == QuotaPeriod.QUARTER:
        first_month = 3 * ((day.month - 1) // 3) + 1
        start = dt.date(day.year, first_month, 1)
        nxt = dt.date(day.year + (first_month == 10), (first_month + 2) % 12 + 1, 1)
        return start, nxt - dt.timedelta(days=1)
    if period == QuotaPeriod.YEAR:
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    raise ValueError("the horizon period has no calendar bounds")


def quota_staff(config: BranchConfig, quota: RotationQuota, day: dt.date) -> list[Staff]:
    """The people a quota applies to: those named, or everyone qualified for its posts."""
    if quota.staff:
        return [config.person(s) for s in quota.staff]
    return [p for p in config.staff if any(p.qualified_for(post, day) for post in quota.posts)]


class _Days:
    """Counts of working days, cached per range."""

    def __init__(self, calendar: BranchCalendar):
        self.calendar = calendar
        self._cache: dict[dt.date, bool] = {}

    def working(self, start: dt.date, end: dt.date) -> int:
        n, day = 0, start
        while day <= end:
            if day not in self._cache:
                self._cache[day] = self.calendar.is_working_day(day)
            n += self._cache[day]
            day += dt.timedelta(days=1)
        return n


def _expected_paid(person: Staff, working_days: int) -> float:
    return person.contract_hours_per_week * working_days / 5.0


def _period_bounds_hours(
    quota: RotationQuota, paid_done: float, expected_rest: float
) -> tuple[float | None, float | None]:
    """The quota's period bounds in hours; shares use done plus expected paid hours."""
    total_paid = paid_done + expected_rest
    lo = [v for v in (quota.min_hours,) if v is not None]
    hi = [v for v in (quota.max_hours,) if v is not None]
    if quota.min_share is not None:
        lo.append(quota.min_share * total_paid)
    if quota.max_share is not None:
        hi.append(quota.max_share * total_paid)
    return (max(lo) if lo else None, min(hi) if hi else None)


def _week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def consecutive_weeks(hours: _Hours, staff_id: str, posts: list[str], before: dt.date) -> int:
    """Whole Monday-Sunday weeks, right before the week of ``before``, mainly in ``posts``.

    A week counts when more than :data:`MAIN_SHARE` of its paid hours were in the posts; a
    week without paid hours (leave) ends the streak.
    """
    monday = _week_start(before)
    streak = 0
    for k in range(1, LOOKBACK_WEEKS + 1):
        lo = monday - dt.timedelta(days=7 * k)
        hi = lo + dt.timedelta(days=6)
        paid = hours.paid_in(staff_id, lo, hi)
        if paid <= 0 or hours.in_posts(staff_id, posts, lo, hi) <= MAIN_SHARE * paid:
            break
        streak += 1
    return streak


def _streak_share(
    quota: RotationQuota, person: Staff, horizon: Horizon, hours: _Hours
) -> float | None:
    """:data:`MAIN_SHARE` when the horizon must end a streak of weeks mainly in the posts.

    A week counts toward the streak when more than that share of the hours actually paid
    were in the posts, so the target caps the share of paid hours, not only hours against
    the contract (a short week would otherwise still count as one more week there).
    """
    if quota.max_consecutive_weeks is None:
        return None
    streak = consecutive_weeks(hours, person.id, quota.posts, horizon.start)
    weeks = max(1, -(-horizon.days // 7))
    return MAIN_SHARE if streak + weeks > quota.max_consecutive_weeks else None


def _target_for(
    quota: RotationQuota,
    person: Staff,
    horizon: Horizon,
    hours: _Hours,
    days: _Days,
) -> tuple[float | None, float | None]:
    """Soft min/max hours in the quota's posts for the horizon, from the period's remainder."""
    lo_total: float | None = None
    hi_total: float | None = None
    if quota.period != QuotaPeriod.HORIZON:
        lo_sum = hi_sum = 0.0
        any_lo = any_hi = False
        seg_start = horizon.start
        while seg_start <= horizon.end:
            p_start, p_end = period_bounds(quota.period, seg_start)
            seg_end = min(p_end, horizon.end)
            before = seg_start - dt.timedelta(days=1)
            done = hours.in_posts(person.id, quota.posts, p_start, before)
            paid_done = hours.paid_in(person.id, p_start, before)
            rest_days = days.working(seg_start, p_end)
            seg_days = days.working(seg_start, seg_end)
            lo, hi = _period_bounds_hours(quota, paid_done, _expected_paid(person, rest_days))
            frac = seg_days / rest_days if rest_days else 0.0
            cap = _expected_paid(person, seg_days)
            if lo is not None:
                any_lo = True
                lo_sum += min(max(lo - done, 0.0) * frac, cap)
            if hi is not None:
                any_hi = True
                hi_sum += max(hi - done, 0.0) * frac
            seg_start = seg_end + dt.timedelta(days=1)
        lo_total = lo_sum if any_lo else None
        hi_total = hi_sum if any_hi else None
    if quota.max_consecutive_weeks is not None:
        streak = consecutive_weeks(hours, person.id, quota.posts, horizon.start)
        weeks = max(1, -(-horizon.days // 7))
        if streak + weeks > quota.max_consecutive_weeks:
            paid = _expected_paid(person, days.working(horizon.start, horizon.end))
            cap = MAIN_SHARE * paid
            hi_total = cap if hi_total is None else min(hi_total, cap)
            if quota.period == QuotaPeriod.HORIZON:
                # The target replaces the quota for this person in the roster model, so it
                # carries the quota's own bounds for the horizon too (shares of expected pay).
                lo, hi = _period_bounds_hours(quota, 0.0, paid)
                lo_total = lo
                hi_total = hi_total if hi is None else min(hi_total, hi)
    if lo_total is not None and hi_total is not None and lo_total > hi_total:
        lo_total = hi_total
    return lo_total, hi_total


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def quota_targets(
    config: BranchConfig, history: HistorySource, horizon: Horizon
) -> tuple[QuotaTarget, ...]:
    """Pro-rata soft targets for ``horizon`` from the rotation quotas and the history.

    Args:
        config: The branch (its ``rotation_quotas``, staff and calendar).
        history: A :class:`HistoryStore`, or a frame of assignments
            (:data:`~scheduler.frames.ASSIGNMENT_COLUMNS`) or post hours
            (:data:`~scheduler.history.store.POST_HOURS_COLUMNS`) before the horizon.
        horizon: The days about to be rostered.

    Returns:
        One target per quota and person that has a bound this horizon, in quota order then
        staff order, then one per rotation cycle, person and leg the horizon touches.
        History on or after the horizon's first day is ignored (it is what is being
        planned again).
    """
    calendar = BranchCalendar(config.branch)
    days = _Days(calendar)
    first = dt.date(horizon.start.year - 1, 1, 1)
    hours = _load_hours(history, config.branch.id, first, horizon.start - dt.timedelta(days=1))
    targets: list[QuotaTarget] = []
    for quota in config.rotation_quotas:
        if quota.period == QuotaPeriod.HORIZON and quota.max_consecutive_weeks is None:
            continue
        for person in quota_staff(config, quota, horizon.start):
            lo, hi = _target_for(quota, person, horizon, hours, days)
            if lo is None and hi is None:
                continue
            targets.append(
                QuotaTarget(
                    quota=quota.name,
                    staff_id=person.id,
                    posts=list(quota.posts),
                    min_hours=_round(lo),
                    max_hours=_round(hi),
                    max_share=_streak_share(quota, person, horizon, hours),
                )
            )
    targets += cycle_targets_for(config, horizon, hours, days)
    return tuple(targets)


def quota_progress(
    config: BranchConfig,
    history: HistorySource,
    on: dt.date,
    *,
    tolerance: float = 0.05,
) -> pd.DataFrame:
    """Every person's progress on every rotation quota on the day ``on``.

    Args:
        config: The branch.
        history: Store or frame, as for :func:`quota_targets`.
        on: The report date (hours before it count as done).
        tolerance: Share of the period's bound a person may lag (or run ahead) before being
            reported ``behind`` (or ``over``).

    Returns:
        A frame with :data:`PROGRESS_COLUMNS`, ``behind`` rows first.
    """
    calendar = BranchCalendar(config.branch)
    days = _Days(calendar)
    before = on - dt.timedelta(days=1)
    hours = _load_hours(history, config.branch.id, dt.date(on.year - 1, 1, 1), before)
    week = Horizon(on, 7)
    rows: list[dict[str, object]] = []
    for quota in config.rotation_quotas:
        if quota.period == QuotaPeriod.HORIZON and quota.max_consecutive_weeks is None:
            continue  # counted inside each roster; nothing carries over
        for person in quota_staff(config, quota, on):
            row: dict[str, object] = {
                "quota": quota.name,
                "staff_id": person.id,
                "name": person.name,
                "period": quota.period.value,
                "leg_post": None,
                "max_consecutive_weeks": quota.max_consecutive_weeks,
            }
            if quota.period == QuotaPeriod.HORIZON:
                p_start = p_end = None
                done = paid = 0.0
                lo = hi = None
                elapsed = 0.0
            else:
                p_start, p_end = period_bounds(quota.period, on)
                done = hours.in_posts(person.id, quota.posts, p_start, before)
                paid = hours.paid_in(person.id, p_start, before)
                total_days = days.working(p_start, p_end)
                rest = days.working(on, p_end)
                elapsed = (total_days - rest) / total_days if total_days else 1.0
                lo, hi = _period_bounds_hours(quota, paid, _expected_paid(person, rest))
            streak = (
                consecutive_weeks(hours, person.id, quota.posts, on)
                if quota.max_consecutive_weeks is not None
                else 0
            )
            expected = lo * elapsed if lo is not None else None
            t_lo, t_hi = _target_for(quota, person, week, hours, days)
            status = "on track"
            if hi is not None and done > hi * (1 + tolerance) + 1e-9:
                status = "over"
            elif lo is not None and done >= lo - 1e-9:
                status = "met"
            elif expected is not None and lo is not None and done < expected - tolerance * lo:
                status = "behind"
            if quota.max_consecutive_weeks is not None and streak >= quota.max_consecutive_weeks:
                status = "must rotate"
            row.update(
                period_start=p_start,
                period_end=p_end,
                elapsed=round(elapsed, 4),
                done_hours=round(done, 2),
                paid_hours=round(paid, 2),
                share=round(done / paid, 4) if paid else None,
                min_hours=_round(lo),
                max_hours=_round(hi),
                expected_hours=_round(expected),
                streak_weeks=streak,
                target_min=_round(t_lo),
                target_max=_round(t_hi),
                status=status,
            )
            rows.append(row)
    rows += cycle_progress_rows(config, on, hours, days, tolerance)
    frame = pd.DataFrame(rows, columns=list(PROGRESS_COLUMNS))
    order = {"behind": 0, "must rotate": 1, "over": 2, "on track": 3, "met": 4, "not started": 5}
    frame["_o"] = frame["status"].map(order)
    frame = frame.sort_values(["_o", "quota", "staff_id"], kind="stable").drop(columns="_o")
    return frame.reset_index(drop=True)
