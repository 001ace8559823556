"""Rotation cycles (轮岗轮换): the leg's post is the main post, on the smallest instances."""

from __future__ import annotations

import datetime as dt

from scheduler.domain.rules import CyclePeriod, RotationCycle
from scheduler.roster.request import QuotaTarget

from .instances import MON, TUE, costs, held, person, post, request, run
from .instances_extra import branch, with_


def _cycle(posts: list[str], anchor: dt.date, period: CyclePeriod, share: float = 0.5):
    return RotationCycle(
        name="swap", staff=["A"], posts=posts, period=period, anchor=anchor, min_share=share
    )


def _teller(cycle: RotationCycle, mode: str = "soft", weight: int = 30):
    """A, qualified for the counter and the lobby, in ``cycle``; coverage soft at weight 100.

    The requests list the lobby with a need of 0 where nothing else asks for it: a post is in
    the model only when the requirements, a rule or a target names it.
    """
    return branch(
        [post("cash"), post("lobby")],
        [person("A", "cash", "lobby")],
        rules={"coverage_under": "soft", "rotation_quota": (mode, weight)},
        rotation_cycles=[cycle],
    )


def test_cycle_share_charges_each_hour_off_the_legs_post() -> None:
    """Q4 is the lobby leg: staying on the busy counter costs the 2 h short of 50% x 30."""
    cfg = _teller(_cycle(["lobby", "cash"], dt.date(2026, 10, 1), CyclePeriod.QUARTER))
    result = run(request(cfg, need={"cash": 1, "lobby": 0}))
    assert held(result, "A") == [("09:00", "13:00", "cash")]
    assert costs(result) == {"rotation_quota": 60.0}
    assert result.penalties[0].message == (
        "A spends 2 h too few as lobby, the main post of 'swap' (at least 50% of paid hours "
        "from Mon 30 Nov to Mon 30 Nov)"
    )


def test_cycle_moves_the_person_when_it_weighs_more() -> None:
    """At weight 300 the leg wins: 2 of the 4 hours go to the lobby, 2 counter hours short."""
    cfg = _teller(_cycle(["lobby", "cash"], dt.date(2026, 10, 1), CyclePeriod.QUARTER), "soft", 300)
    result = run(request(cfg, need={"cash": 1, "lobby": 0}))
    lobby = [b for b in held(result, "A") if b[2] == "lobby"]
    assert sum(int(b[1][:2]) - int(b[0][:2]) for b in lobby) == 2
    assert costs(result) == {"coverage_under": 200.0}


def test_each_day_follows_its_own_leg_across_a_month_boundary() -> None:
    """Monthly cash -> lobby, hard at 100%: 30 Nov on the counter, 1 Dec in the lobby."""
    cfg = _teller(_cycle(["cash", "lobby"], dt.date(2026, 11, 1), CyclePeriod.MONTH, 1.0), "hard")
    result = run(request(cfg, days=2, need={"cash": 1, "lobby": 1}))
    assert held(result, "A", MON) == [("09:00", "13:00", "cash")]
    assert held(result, "A", TUE) == [("09:00", "13:00", "lobby")]


def test_no_target_before_the_anchor() -> None:
    """A cycle anchored on 1 December asks nothing on 30 November."""
    cfg = _teller(_cycle(["lobby", "cash"], dt.date(2026, 12, 1), CyclePeriod.QUARTER))
    result = run(request(cfg, need={"cash": 1, "lobby": 0}))
    assert costs(result) == {}


def test_history_target_counts_only_the_legs_own_days() -> None:
    """A 4 h lobby target for the December leg ignores Monday's (November) lobby: 4 h x 30."""
    cfg = _teller(_cycle(["cash", "lobby"], dt.date(2026, 11, 1), CyclePeriod.MONTH))
    target = QuotaTarget(quota="swap", staff_id="A", posts=["lobby"], min_hours=4)
    need = {(MON, "lobby"): 1, (TUE, "cash"): 1}
    req = request(cfg, days=2, need=lambda ds, p: need.get((ds.date(), p), 0))
    result = run(with_(req, quota_targets=(target,)))
    assert held(result, "A", MON) == [("09:00", "13:00", "lobby")]
    assert held(result, "A", TUE) == [("09:00", "13:00", "cash")]
    assert costs(result) == {"rotation_quota": 120.0}
    assert result.penalties[0].message == (
        "A spends 4 h less than the 4 h as lobby that 'swap' asks from Tue 1 Dec to Tue 1 Dec"
    )


def test_history_target_replaces_the_share() -> None:
    """With a target from the history (1 h) the 50% share is not charged as well: 1 h x 30."""
    cfg = _teller(_cycle(["lobby", "cash"], dt.date(2026, 10, 1), CyclePeriod.QUARTER))
    target = QuotaTarget(quota="swap", staff_id="A", posts=["lobby"], min_hours=1)
    result = run(with_(request(cfg, need={"cash": 1, "lobby": 0}), quota_targets=(target,)))
    assert costs(result) == {"rotation_quota": 30.0}


def test_a_cycles_post_is_in_the_model_without_a_requirement_row() -> None:
    """The lobby is named only by the cycle: A, asked to work, holds it as the leg says."""
    cycle = _cycle(["lobby", "cash"], dt.date(2026, 10, 1), CyclePeriod.QUARTER, 1.0)
    cfg = branch(
        [post("cash"), post("lobby")],
        [person("A", "cash", "lobby")],
        rules={"coverage_under": "soft", "rotation_quota": "hard", "contract_hours": "soft"},
        rotation_cycles=[cycle],
    )
    result = run(request(cfg, need={"cash": 1}))
    assert held(result, "A") == [("09:00", "13:00", "lobby")]
    assert costs(result)["coverage_under"] == 400.0
