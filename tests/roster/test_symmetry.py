"""Symmetry breaking: interchangeable people are ordered by paid minutes, nothing else changes."""

from __future__ import annotations

import pandas as pd

from scheduler.domain import Availability, AvailabilityEntry, AvailabilityKind, BackupPair
from scheduler.roster import SolveOptions, build_model, solve
from scheduler.roster.symmetry import (
    interchangeable_groups,
    order_interchangeable_staff,
    relabel_roster,
)

from .instances import MON, config, person, post, request
from .instances_extra import roster_frame, shifts_of, with_

TEAM = [person("A", "cash"), person("B", "cash"), person("C", "cash"), person("D", "lobby")]


def _team(**extra: object):
    rules = {"coverage_under": "soft", "labour_cost": ("soft", 1)}
    return config([post("cash"), post("lobby")], TEAM, rules=rules, **extra)


def test_people_alike_in_everything_the_rules_read_form_one_class() -> None:
    """A, B and C hold the same post and nothing names them; D holds another post."""
    model = build_model(request(_team(), need={"cash": 1, "lobby": 1}))
    assert interchangeable_groups(model) == [("A", "B", "C")]


def test_a_person_named_by_a_rule_is_not_interchangeable() -> None:
    """A is half of an A/B backup pair, so only B and C can be swapped."""
    cfg = _team(backup_pairs=[BackupPair(post="cash", a="A", b="D")])
    model = build_model(request(cfg, need={"cash": 1, "lobby": 1}))
    assert interchangeable_groups(model) == [("B", "C")]


def test_a_person_with_own_declarations_is_not_interchangeable() -> None:
    """C may work only in the morning on Monday: A and B stay alike, C does not."""
    entry = AvailabilityEntry(
        staff_id="C", date=MON, kind=AvailabilityKind.AVAILABLE, start="09:00", end="11:00"
    )
    req = request(_team(), need={"cash": 1}, availability=Availability(entries=[entry]))
    assert interchangeable_groups(build_model(req)) == [("A", "B")]


def test_no_class_when_re_solving_a_published_roster() -> None:
    """A published roster tells people apart by what they were given."""
    published = roster_frame([("A", MON, "09:00", "13:00", "cash")])
    req = with_(request(_team(), need={"cash": 1}), published=published)
    assert interchangeable_groups(build_model(req)) == []


def test_ordering_puts_the_only_shift_on_the_first_of_the_class() -> None:
    """One paid cash shift for three alike tellers: ordered by paid minutes, A takes it."""
    req = request(_team(), need={"cash": 1, "lobby": 1})
    result = solve(req, SolveOptions(time_limit_s=10, workers=1, seed=0))
    assert result.stats.status == "OPTIMAL"
    assert [s for s, _, _ in shifts_of(result)] == ["A", "D"]


def test_ordering_adds_one_constraint_per_neighbour_in_a_class() -> None:
    """Three alike people: two 'at least as many paid minutes as the next' constraints."""
    model = build_model(request(_team(), need={"cash": 1, "lobby": 1}))
    before = len(model.cp.proto.constraints)
    assert order_interchangeable_staff(model) == [("A", "B", "C")]
    assert len(model.cp.proto.constraints) - before == 2


def test_relabel_renames_so_paid_minutes_fall_down_the_class() -> None:
    """C has the longest day and A the shortest: C's roster becomes A's, A's becomes C's."""
    frame = roster_frame(
        [
            ("A", MON, "09:00", "10:00", "cash"),
            ("B", MON, "09:00", "11:00", "cash"),
            ("C", MON, "09:00", "13:00", "cash"),
        ]
    )
    original = frame.copy()
    out = relabel_roster(frame, [("A", "B", "C")])
    assert list(zip(out["staff_id"], out["end"], strict=True)) == [
        ("C", "10:00"),
        ("B", "11:00"),
        ("A", "13:00"),
    ]
    pd.testing.assert_frame_equal(frame, original)
