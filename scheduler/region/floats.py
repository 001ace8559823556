"""The shared float pool (高峰期临时增援): which branch each floater joins on each day.

After a first roster pass without the pool, every branch knows where it stays short: the
slot-posts its own staff cannot cover, each weighted by the wait one missing person costs
(:mod:`scheduler.region.metrics`). A small CP-SAT model then sends each floater to at most one
branch per day so that the region's weighted shortfall falls most:

* ``send[f, d, b]`` — floater ``f`` works at branch ``b`` on day ``d``;
* ``cover[f, d, b, slot, post]`` — in that slot ``f`` fills one missing person on ``post``
  (a post ``f`` is qualified for), only while sent, one post per slot, at most
  ``max_hours_per_day`` of slots, and never more floaters on a slot-post than are missing;
* at most one branch per floater and day, at most ``max_days`` days per floater;
* maximise the covered weighted shortfall, minus a small cost per day sent (so nobody is
  sent where there is nothing to gain; on a tie the floater listed first goes).

Only the few branches where a floater alone would gain most each day are offered to the
model (``candidates``), which keeps it small for hundreds of branches. The gain is an
estimate: the branch's second roster pass, with the floaters added as staff available only
that day, decides the actual shifts; the region runner reports both.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.calendar import Horizon
from scheduler.domain import (
    Availability,
    AvailabilityEntry,
    AvailabilityKind,
    BranchConfig,
    Qualification,
    Staff,
)
from scheduler.interrupt import solve_interruptibly
from scheduler.region.metrics import ShortSlot
from scheduler.region.spec import WEEKDAYS, Floater

WEIGHT_SCALE = 100
"""Weighted gains become integers at the solver boundary: hundredths of a person-hour-minute."""


@dataclass(frozen=True)
class BranchNeed:
    """What the float pool needs to know about one branch after its first pass.

    Attributes:
        branch_id: The branch.
        posts: Posts the branch has.
        open_days: Days the branch opens in the horizon.
        slot_minutes: Planning slot length.
        short: Slot-posts left short by the first roster pass.
    """

    branch_id: str
    posts: frozenset[str]
    open_days: frozenset[dt.date]
    slot_minutes: int
    short: tuple[ShortSlot, ...]


@dataclass(frozen=True)
class FloatAssignment:
    """One floater sent to one branch for one day.

    Attributes:
        floater_id: The floater.
        date: The day.
        branch_id: The branch joined.
        gain_hours: Staff-hours of shortfall the floater is expected to fill.
        gain_weighted: The same weighted by wait (person-hour x minutes).
        applied: Whether the branch's final roster includes the floater (``False`` when
            its roster with floaters could not be found and the one without was kept).
    """

    floater_id: str
    date: dt.date
    branch_id: str
    gain_hours: float
    gain_weighted: float
    applied: bool = True


@dataclass(frozen=True)
class FloatPlan:
    """The float pool's allocation for the horizon.

    Attributes:
        assignments: Floater-days sent, by floater then date.
        status: CP-SAT status of the allocation model.
        objective: Weighted gain the model expects (person-hour x minutes).
    """

    assignments: tuple[FloatAssignment, ...]
    status: str
    objective: float

    def for_branch(self, branch_id: str) -> list[FloatAssignment]:
        """The floater-days a branch receives."""
        return [a for a in self.assignments if a.branch_id == branch_id]


def _usable(floater: Floater, need: BranchNeed, day: dt.date) -> list[ShortSlot]:
    """Short slot-posts of ``need`` on ``day`` that ``floater`` may fill."""
    posts = set(floater.posts) & need.posts
    return [s for s in need.short if s.date == day and s.post in posts]


def _slot_limit(floater: Floater, slot_minutes: int) -> int:
    """Most slots the floater works in a day."""
    return int(floater.max_hours_per_day * 60 // slot_minutes)


def solo_gain(floater: Floater, need: BranchNeed, day: dt.date) -> float:
    """Weighted shortfall one floater alone could fill at a branch on a day (an upper bound).

    Per slot the best post the floater may hold; then the best ``max_hours_per_day`` of slots.
    """
    best: dict[dt.datetime, float] = defaultdict(float)
    for s in _usable(floater, need, day):
        best[s.ds] = max(best[s.ds], s.weight * s.hours)
    top = sorted(best.values(), reverse=True)[: _slot_limit(floater, need.slot_minutes)]
    return sum(top)


def _floater_days(floater: Floater, horizon: Horizon) -> list[dt.date]:
    """Days of the horizon the floater can be sent."""
    allowed = set(floater.days) or set(WEEKDAYS)
    return [d for d in horizon.dates if WEEKDAYS[d.weekday()] in allowed]


def allocate_floaters(
    floaters: list[Floater],
    needs: list[BranchNeed],
    horizon: Horizon,
    *,
    candidates: int = 8,
    time_limit_s: float = 10.0,
    seed: int = 0,
) -> FloatPlan:
    """Send each floater to at most one branch per day, where the weighted shortfall falls most.

    Args:
        floaters: The float pool.
        needs: Every branch's first-pass shortfall.
        horizon: The planned days.
        candidates: Branches offered per floater and day (those it alone would help most).
        time_limit_s: Limit for the allocation model.
        seed: CP-SAT random seed (one worker: the same inputs give the same plan).

    Returns:
        The allocation; empty when nothing is short or the pool is empty.
    """
    model = cp_model.CpModel()
    send: dict[tuple[str, dt.date, str], cp_model.IntVar] = {}
    cover: dict[tuple[str, dt.date, str, dt.datetime, str], cp_model.IntVar] = {}
    hours_of: dict[tuple[str, dt.date, str, dt.datetime, str], tuple[float, float]] = {}
    by_slot: dict[tuple[str, dt.datetime, str], list[cp_model.IntVar]] = defaultdict(list)
    short_of: dict[tuple[str, dt.datetime, str], int] = {}
    objective: list[cp_model.LinearExprT] = []
    for rank, f in enumerate(floaters):
        days = _floater_days(f, horizon)
        for day in days:
            ranked = sorted(
                ((solo_gain(f, n, day), n.branch_id, n) for n in needs if day in n.open_days),
                key=lambda t: (-t[0], t[1]),
            )
            for gain, bid, need in ranked[:candidates]:
                if gain <= 0:
                    continue
                x = model.new_bool_var(f"send[{f.id},{day},{bid}]")
                send[(f.id, day, bid)] = x
                objective.append(-(1 + rank) * x)
                per_slot: dict[dt.datetime, list[cp_model.IntVar]] = defaultdict(list)
                for s in _usable(f, need, day):
                    key = (f.id, day, bid, s.ds, s.post)
                    y = model.new_bool_var(f"cover[{f.id},{bid},{s.ds:%m-%d %H:%M},{s.post}]")
                    model.add_implication(y, x)
                    cover[key] = y
                    hours_of[key] = (s.hours, s.weight * s.hours)
                    per_slot[s.ds].append(y)
                    by_slot[(bid, s.ds, s.post)].append(y)
                    short_of[(bid, s.ds, s.post)] = s.short
                    objective.append(round(s.weight * s.hours * WEIGHT_SCALE) * y)
                for ys in per_slot.values():
                    model.add_at_most_one(ys)
                limit = _slot_limit(f, need.slot_minutes)
                model.add(sum(y for ys in per_slot.values() for y in ys) <= limit)
        for day in days:
            model.add_at_most_one(x for (fid, d, _), x in send.items() if fid == f.id and d == day)
        model.add(sum(x for (fid, _, _), x in send.items() if fid == f.id) <= f.max_days)
    for slot_key, ys in by_slot.items():
        if len(ys) > short_of[slot_key]:
            model.add(sum(ys) <= short_of[slot_key])
    if not send:
        return FloatPlan((), "OPTIMAL", 0.0)
    model.maximize(sum(objective))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    status = solve_interruptibly(solver, model)
    name = solver.status_name(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return FloatPlan((), name, 0.0)
    out = []
    for (fid, day, bid), x in sorted(send.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        if not solver.boolean_value(x):
            continue
        covered = [
            hours_of[k]
            for k, y in cover.items()
            if k[:3] == (fid, day, bid) and solver.boolean_value(y)
        ]
        out.append(
            FloatAssignment(
                floater_id=fid,
                date=day,
                branch_id=bid,
                gain_hours=round(sum(h for h, _ in covered), 3),
                gain_weighted=round(sum(w for _, w in covered), 3),
            )
        )
    total = round(sum(a.gain_weighted for a in out), 3)
    return FloatPlan(tuple(out), name, total)


def with_floaters(
    config: BranchConfig,
    availability: Availability,
    horizon: Horizon,
    floaters: list[tuple[Floater, dt.date]],
) -> tuple[BranchConfig, Availability]:
    """A branch's configuration and availability with floaters added for their days.

    Each floater joins as part-time staff (planned by availability only, so no contract-hour
    target), qualified for the floater's posts the branch has on the days sent only (so the
    staffing stage counts them only then), and unavailable on every other day of the horizon.

    Raises:
        ValueError: If a floater's id is already a staff number of the branch.
    """
    if not floaters:
        return config, availability
    posts = {p.id for p in config.posts}
    known = {s.id for s in config.staff}
    days_of: dict[str, set[dt.date]] = defaultdict(set)
    first: dict[str, Floater] = {}
    for f, day in floaters:
        days_of[f.id].add(day)
        first.setdefault(f.id, f)
    staff = list(config.staff)
    entries = list(availability.entries)
    for fid, f in first.items():
        if fid in known:
            raise ValueError(f"floater {fid} has the staff number of a staff member of the branch")
        staff.append(
            Staff(
                id=f.id,
                name=f.name,
                contract_hours_per_week=min(60.0, f.max_hours_per_day * len(days_of[fid])),
                qualifications=[
                    Qualification(post=p, valid_from=day, valid_to=day)
                    for p in f.posts
                    if p in posts
                    for day in sorted(days_of[fid])
                ],
                part_time=True,
                hourly_rate=f.hourly_rate,
            )
        )
        for day in horizon.dates:
            if day not in days_of[fid]:
                entries.append(
                    AvailabilityEntry(
                        staff_id=fid,
                        date=day,
                        kind=AvailabilityKind.UNAVAILABLE,
                        weight=1,
                        note="float pool: not sent here",
                    )
                )
    config = config.model_validate({**config.model_dump(), "staff": staff})
    return config, Availability(entries=entries, leave=list(availability.leave))
