"""Rotation cycles (轮岗轮换): a main post per month or quarter, carried from week to week.

A :class:`~scheduler.domain.rules.RotationCycle` says that in each leg (a month or a quarter
counted from the cycle's anchor) a person's main post is the leg's post: at least
``min_share`` of their paid hours there. As with the period quotas of
:mod:`scheduler.history.quotas`, one weekly roster cannot see the whole leg, so each horizon
receives the leg's remaining hours pro rata by working days:

* done: hours in the leg's post from the leg's first day to the day before the horizon;
* due over the leg: ``min_share`` x (paid hours so far + contract hours for the working days
  left), the same estimate the period quotas use;
* this horizon's target: what is still missing x (working days of the leg in the horizon /
  working days left in the leg), capped at the contract hours of those days.

A horizon across a leg boundary gets one target per leg; the roster rule counts each only
on its leg's days (:func:`scheduler.roster.rules.quotas.rotation_cycle`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from scheduler.domain import BranchConfig, Staff
from scheduler.domain.rules import CycleLeg, RotationCycle
from scheduler.roster.request import QuotaTarget

if TYPE_CHECKING:
    from scheduler.calendar import Horizon
    from scheduler.history.quotas import _Days, _Hours


def cycle_staff(config: BranchConfig, cycle: RotationCycle) -> list[Staff]:
    """The people in a cycle: those named, then everyone of its home post."""
    return config.cycle_staff(cycle)


def cycle_legs(cycle: RotationCycle, start: dt.date, end: dt.date) -> list[CycleLeg]:
    """The legs of ``cycle`` overlapping ``start..end``, in order (none before the anchor)."""
    legs: list[CycleLeg] = []
    day = max(start, cycle.anchor)
    while day <= end:
        leg = cycle.leg_on(day)
        if leg is None:  # pragma: no cover - day >= anchor always has a leg
            break
        legs.append(leg)
        day = leg.end + dt.timedelta(days=1)
    return legs


def _expected_paid(person: Staff, working_days: int) -> float:
    return person.contract_hours_per_week * working_days / 5.0


def leg_due(
    cycle: RotationCycle,
    person: Staff,
    leg: CycleLeg,
    on: dt.date,
    hours: _Hours,
    days: _Days,
) -> tuple[float, float, float]:
    """Hours done in the leg's post before ``on``, paid hours before ``on``, and hours due.

    The hours due are ``min_share`` of the leg's paid hours: those already paid plus the
    contract hours of the leg's working days from ``on`` on.
    """
    before = on - dt.timedelta(days=1)
    done = hours.in_posts(person.id, [leg.post], leg.start, before)
    paid = hours.paid_in(person.id, leg.start, before)
    rest = days.working(max(on, leg.start), leg.end)
    return done, paid, cycle.min_share * (paid + _expected_paid(person, rest))


def cycle_targets_for(
    config: BranchConfig, horizon: Horizon, hours: _Hours, days: _Days
) -> list[QuotaTarget]:
    """One minimum-hours target per cycle, person and leg the horizon touches.

    The target's ``quota`` is the cycle's name and its one post the leg's post; days of the
    horizon outside the leg do not count toward it.
    """
    targets: list[QuotaTarget] = []
    for cycle in config.rotation_cycles:
        legs = cycle_legs(cycle, horizon.start, horizon.end)
        for person in cycle_staff(config, cycle):
            for leg in legs:
                seg_start, seg_end = max(leg.start, horizon.start), min(leg.end, horizon.end)
                done, _, due = leg_due(cycle, person, leg, seg_start, hours, days)
                rest_days = days.working(seg_start, leg.end)
                seg_days = days.working(seg_start, seg_end)
                if not seg_days:
                    continue
                missing = max(due - done, 0.0) * seg_days / rest_days
                least = min(missing, _expected_paid(person, seg_days))
                targets.append(
                    QuotaTarget(
                        quota=cycle.name,
                        staff_id=person.id,
                        posts=[leg.post],
                        min_hours=round(least, 2),
                    )
                )
    return targets


def cycle_progress_rows(
    config: BranchConfig,
    on: dt.date,
    hours: _Hours,
    days: _Days,
    tolerance: float,
) -> list[dict[str, object]]:
    """Progress rows (see :data:`scheduler.history.quotas.PROGRESS_COLUMNS`) of every cycle.

    One row per cycle and person for the leg in force on ``on``: its post (``leg_post``),
    hours done there, the hours due over the leg, what is due by now, next week's target and
    the status (``behind``, ``met`` or ``on track``; ``not started`` before the anchor).
    """
    from scheduler.calendar import Horizon

    week = Horizon(on, 7)
    targets = {
        (t.quota, t.staff_id, t.posts[0]): t for t in cycle_targets_for(config, week, hours, days)
    }
    rows: list[dict[str, object]] = []
    for cycle in config.rotation_cycles:
        leg = cycle.leg_on(on)
        for person in cycle_staff(config, cycle):
            row: dict[str, object] = {
                "quota": cycle.name,
                "staff_id": person.id,
                "name": person.name,
                "period": cycle.period.value,
                "max_consecutive_weeks": None,
                "streak_weeks": 0,
                "max_hours": None,
                "target_max": None,
            }
            if leg is None:
                row.update(leg_post=None, period_start=cycle.anchor, period_end=None,
                           elapsed=0.0, done_hours=0.0, paid_hours=0.0, share=None,
                           min_hours=None, expected_hours=None, target_min=None,
                           status="not started")  # fmt: skip
                rows.append(row)
                continue
            done, paid, due = leg_due(cycle, person, leg, on, hours, days)
            total_days = days.working(leg.start, leg.end)
            rest = days.working(on, leg.end)
            elapsed = (total_days - rest) / total_days if total_days else 1.0
            expected = due * elapsed
            status = "on track"
            if done >= due - 1e-9:
                status = "met"
            elif done < expected - tolerance * due:
                status = "behind"
            target = targets.get((cycle.name, person.id, leg.post))
            row.update(
                leg_post=leg.post,
                period_start=leg.start,
                period_end=leg.end,
                elapsed=round(elapsed, 4),
                done_hours=round(done, 2),
                paid_hours=round(paid, 2),
                share=round(done / paid, 4) if paid else None,
                min_hours=round(due, 2),
                expected_hours=round(expected, 2),
                target_min=target.min_hours if target else None,
                status=status,
            )
            rows.append(row)
    return rows
