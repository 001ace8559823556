"""The float pool: each floater goes where one more person cuts the weighted shortfall most."""

from __future__ import annotations

import datetime as dt

from scheduler.calendar import Horizon
from scheduler.domain import Availability, AvailabilityKind
from scheduler.region.floats import BranchNeed, allocate_floaters, solo_gain, with_floaters
from scheduler.region.metrics import ShortSlot
from scheduler.region.spec import Floater
from tests.region.conftest import tiny_config

HORIZON = Horizon.iso_week("2026-W49")
MON, TUE = dt.date(2026, 11, 30), dt.date(2026, 12, 1)


def _short(day: dt.date, hour: int, post: str, short: int, weight: float) -> ShortSlot:
    return ShortSlot(day, dt.datetime.combine(day, dt.time(hour)), post, short, weight, 1.0)


def _need(bid: str, posts: set[str], short: list[ShortSlot]) -> BranchNeed:
    return BranchNeed(bid, frozenset(posts), frozenset(HORIZON.dates), 60, tuple(short))


def test_floater_joins_the_branch_with_the_costlier_shortfall() -> None:
    """Of two short branches, the one whose missing teller costs more wait gets the floater."""
    f = Floater(id="F1", name="x", posts=["cash_teller"], days=["mon"])
    cheap = _need("A", {"cash_teller"}, [_short(MON, h, "cash_teller", 1, 5.0) for h in (9, 10)])
    dear = _need("B", {"cash_teller"}, [_short(MON, h, "cash_teller", 1, 20.0) for h in (9, 10)])
    plan = allocate_floaters([f], [cheap, dear], HORIZON)
    assert [(a.floater_id, a.date, a.branch_id) for a in plan.assignments] == [("F1", MON, "B")]
    assert (plan.assignments[0].gain_hours, plan.assignments[0].gain_weighted) == (2.0, 40.0)
    assert plan.objective == 40.0


def test_floaters_swap_to_match_their_qualifications() -> None:
    """Two floaters go each to the branch short on the post only they can hold."""
    teller = Floater(id="F1", name="x", posts=["cash_teller"], days=["mon"])
    lobby = Floater(id="F2", name="y", posts=["lobby"], days=["mon"])
    a = _need("A", {"cash_teller", "lobby"}, [_short(MON, 9, "lobby", 1, 10.0)])
    b = _need("B", {"cash_teller", "lobby"}, [_short(MON, 9, "cash_teller", 1, 10.0)])
    plan = allocate_floaters([teller, lobby], [a, b], HORIZON)
    assert sorted((x.floater_id, x.branch_id) for x in plan.assignments) == [
        ("F1", "B"),
        ("F2", "A"),
    ]


def test_one_missing_person_takes_one_floater() -> None:
    """Two floaters are not sent to fill one missing person: the second stays home."""
    pool = [Floater(id=f"F{i}", name="x", posts=["lobby"], days=["mon"]) for i in (1, 2)]
    a = _need("A", {"lobby"}, [_short(MON, 9, "lobby", 1, 10.0)])
    plan = allocate_floaters(pool, [a], HORIZON)
    assert [(x.floater_id, x.branch_id, x.gain_hours) for x in plan.assignments] == [
        ("F1", "A", 1.0)
    ]


def test_max_days_and_hours_bound_the_floater() -> None:
    """A floater sent at most one day works at most its daily hours there."""
    f = Floater(id="F1", name="x", posts=["lobby"], max_days=1, max_hours_per_day=2)
    short = [_short(d, h, "lobby", 1, 10.0 + h) for d in (MON, TUE) for h in (9, 10, 11)]
    plan = allocate_floaters([f], [_need("A", {"lobby"}, short)], HORIZON)
    assert len(plan.assignments) == 1
    assert plan.assignments[0].gain_hours == 2.0
    assert plan.assignments[0].gain_weighted == 41.0
    assert solo_gain(f, _need("A", {"lobby"}, short), MON) == 41.0


def test_nothing_short_sends_nobody() -> None:
    """Without a shortfall anywhere the pool stays home."""
    f = Floater(id="F1", name="x", posts=["lobby"])
    plan = allocate_floaters([f], [_need("A", {"lobby"}, [])], HORIZON)
    assert plan.assignments == ()


def test_floater_joins_only_on_the_days_sent() -> None:
    """A floater added to a branch is qualified and available only on the days sent."""
    config = tiny_config("A", 2)
    f = Floater(id="F1", name="机动", posts=["cash_teller", "lobby"], hourly_rate=70)
    cfg, avail = with_floaters(config, Availability(), HORIZON, [(f, TUE)])
    added = cfg.staff[-1]
    assert (added.id, added.part_time, added.hourly_rate) == ("F1", True, 70)
    assert [(q.post, q.valid_from, q.valid_to) for q in added.qualifications] == [
        ("cash_teller", TUE, TUE)
    ]
    off = sorted(e.date for e in avail.entries if e.kind == AvailabilityKind.UNAVAILABLE)
    assert off == [d for d in HORIZON.dates if d != TUE]
    assert len(config.staff) == 2
