"""A/B backup pairs and incompatible duties, each on the smallest instance it decides."""

from __future__ import annotations

import datetime as dt

from scheduler.domain import (
    Availability,
    BackupPair,
    BranchConfig,
    IncompatibleDuties,
    LeaveRequest,
)

from ..instances import MON, config, costs, held, person, post, request, run


def _leave(*staff: str) -> Availability:
    return Availability(
        leave=[LeaveRequest(staff_id=s, start_date=MON, end_date=MON) for s in staff]
    )


def test_ab_backup_pair_brings_b_in_when_a_is_on_leave() -> None:
    """When A is on leave, B works: the pair is never both absent."""
    cfg = config(
        [post("cash")],
        [person("A", "cash"), person("B", "cash")],
        backup_pairs=[BackupPair(post="cash", a="A", b="B")],
        rules={"ab_backup_pair": "hard"},
    )
    result = run(request(cfg, availability=_leave("A")))
    assert list(result.shifts["staff_id"]) == ["B"]


def test_ab_backup_pair_both_on_leave_is_a_named_conflict() -> None:
    """A and B both on leave the same day: infeasible, the conflict names both and the day."""
    cfg = config(
        [post("cash")],
        [person("A", "cash"), person("B", "cash"), person("C", "cash")],
        backup_pairs=[BackupPair(post="cash", a="A", b="B")],
        rules={"ab_backup_pair": "hard"},
    )
    result = run(request(cfg, availability=_leave("A", "B")))
    assert result.status == "INFEASIBLE"
    (conflict,) = result.conflicts
    assert conflict.rules == ("ab_backup_pair",)
    assert conflict.message == (
        "A and B are the A/B pair for the cash post and both are away on Mon 30 Nov "
        "(A: annual leave; B: annual leave); the pair rule needs one of them at work"
    )
    assert conflict.relaxation == (
        "let A or B work on Mon 30 Nov (move a leave or pin) or name another B "
        "or make ab_backup_pair soft"
    )


def test_ab_backup_pair_soft_charges_the_day() -> None:
    """A soft pair rule charges its weight once for the day both are away."""
    cfg = config(
        [post("cash")],
        [person("A", "cash"), person("B", "cash")],
        backup_pairs=[BackupPair(post="cash", a="A", b="B")],
        rules={"ab_backup_pair": ("soft", 1500)},
    )
    result = run(request(cfg, availability=_leave("A", "B")))
    assert costs(result) == {"ab_backup_pair": 1500.0}


def test_ab_backup_cover_puts_b_on_a_post_while_a_is_away() -> None:
    """With A away, B holds A's post rather than the lobby, though the lobby then goes short."""
    cfg = config(
        [post("cash"), post("lobby")],
        [person("A", "cash"), person("B", "cash", "lobby")],
        backup_pairs=[BackupPair(post="cash", a="A", b="B")],
        rules={
            "ab_backup_pair": "hard",
            "ab_backup_cover": ("soft", 300),
            "coverage_under": ("soft", 100),
        },
    )
    result = run(request(cfg, need={"lobby": 1}, availability=_leave("A")))
    assert held(result, "B") == [("09:00", "13:00", "cash")]
    assert costs(result) == {"coverage_under": 400.0}


def test_ab_backup_cover_soft_charges_each_hour_b_spends_elsewhere() -> None:
    """When the lobby need is dearer than the cover, B holds the lobby and cover costs 4 x 30."""
    cfg = config(
        [post("cash"), post("lobby")],
        [person("A", "cash"), person("B", "cash", "lobby")],
        backup_pairs=[BackupPair(post="cash", a="A", b="B")],
        rules={
            "ab_backup_pair": "hard",
            "ab_backup_cover": ("soft", 30),
            "coverage_under": ("soft", 100),
        },
    )
    result = run(request(cfg, need={"lobby": 1}, availability=_leave("A")))
    assert held(result, "B") == [("09:00", "13:00", "lobby")]
    assert costs(result) == {"ab_backup_cover": 120.0}


def _split_day_config(mode: str | tuple[str, int]) -> BranchConfig:
    return config(
        [post("auth"), post("cash")],
        [person("A", "auth", "cash")],
        incompatible_duties=[IncompatibleDuties(posts=("auth", "cash"))],
        rules={"incompatible_duties": mode, "coverage_under": ("soft", 100)},
    )


def _split_day_need(ds: dt.datetime, post: str) -> int:
    return int((post == "auth") == (ds.hour < 11))


def test_incompatible_duties_keep_one_person_to_one_of_the_two_posts() -> None:
    """Authorising and cash handling in one day by one person is refused; 2 h go short."""
    result = run(request(_split_day_config("hard"), need=_split_day_need))
    posts = {activity for _, _, activity in held(result, "A")} - {"free"}
    assert len(posts) == 1
    assert costs(result) == {"coverage_under": 200.0}


def test_incompatible_duties_soft_charge_the_day() -> None:
    """A soft separation rule is broken for its weight of 50 rather than leave 2 h short."""
    result = run(request(_split_day_config(("soft", 50)), need=_split_day_need))
    assert held(result, "A") == [("09:00", "11:00", "auth"), ("11:00", "13:00", "cash")]
    assert costs(result) == {"incompatible_duties": 50.0}
    assert result.penalties[0].message == "A holds both auth and cash on Mon 30 Nov"
