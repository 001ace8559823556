"""Infeasible requests: small conflicts told in words, with the change that would fix them."""

from __future__ import annotations

from scheduler.domain import Availability, BackupPair, LeaveRequest

from .instances import MON, TUE, config, person, post, request, run


def _leave(staff_id: str, *days) -> list[LeaveRequest]:
    return [LeaveRequest(staff_id=staff_id, start_date=d, end_date=d) for d in days]


def test_floor_nobody_can_hold_names_the_post_day_and_absences() -> None:
    """A floor nobody qualified can hold names the post, the day and why each person is away."""
    cfg = config(
        [post("lobby", min_staff=1)],
        [person("A", "lobby"), person("B", "lobby")],
        rules={"post_floor": "hard"},
    )
    leave = Availability(leave=_leave("A", MON) + _leave("B", MON))
    result = run(request(cfg, availability=leave))
    assert result.status == "INFEASIBLE"
    (conflict,) = result.conflicts
    assert conflict.rules == ("post_floor",)
    assert conflict.posts == ("lobby",) and conflict.dates == (MON,)
    assert "at least 1 on lobby in every open slot of Mon 30 Nov" in conflict.message
    assert "everyone qualified for lobby is away on Mon 30 Nov" in conflict.message
    assert "A (annual leave)" in conflict.message and "B (annual leave)" in conflict.message
    assert conflict.relaxation.startswith("have one more person qualified for lobby work")


def test_independent_conflicts_are_all_reported() -> None:
    """Two pairs broken on two different days give two conflicts, one per pair and day."""
    cfg = config(
        [post("cash"), post("lobby")],
        [person(s, "cash", "lobby") for s in "ABCD"],
        backup_pairs=[
            BackupPair(post="cash", a="A", b="B"),
            BackupPair(post="lobby", a="C", b="D"),
        ],
        rules={"ab_backup_pair": "hard"},
    )
    leave = Availability(
        leave=_leave("A", MON) + _leave("B", MON) + _leave("C", TUE) + _leave("D", TUE)
    )
    result = run(request(cfg, days=2, availability=leave))
    assert result.status == "INFEASIBLE"
    found = sorted((c.posts, c.dates) for c in result.conflicts)
    assert found == [(("cash",), (MON,)), (("lobby",), (TUE,))]
    assert all(c.rules == ("ab_backup_pair",) for c in result.conflicts)


def test_core_is_shrunk_to_the_groups_that_conflict() -> None:
    """Only the day that conflicts is named, not every day the rules apply to."""
    cfg = config(
        [post("lobby", min_staff=1)],
        [person("A", "lobby")],
        rules={"post_floor": "hard"},
    )
    result = run(request(cfg, days=2, availability=Availability(leave=_leave("A", TUE))))
    (conflict,) = result.conflicts
    assert conflict.dates == (TUE,)


def test_floor_on_a_post_nobody_is_qualified_for_is_found_before_solving() -> None:
    """A hard floor on a post nobody holds a qualification for is named without a search."""
    cfg = config(
        [post("cash"), post("lobby", min_staff=1)],
        [person("A", "cash")],
        rules={"post_floor": "hard"},
    )
    result = run(request(cfg))
    assert result.status == "INFEASIBLE"
    (conflict,) = result.conflicts
    assert conflict.message == (
        "These cannot all hold: at least 1 on lobby in every open slot of Mon 30 Nov. "
        "nobody is qualified for lobby on Mon 30 Nov"
    )


def test_many_conflicts_found_before_solving_are_summed_up() -> None:
    """Two weeks of an impossible floor give ten conflicts told in words and one summary."""
    cfg = config(
        [post("cash"), post("lobby", min_staff=1)],
        [person("A", "cash")],
        rules={"post_floor": "hard"},
    )
    result = run(request(cfg, days=14))
    assert len(result.conflicts) == 11
    last = result.conflicts[-1]
    assert last.message.startswith("... and 4 more that cannot hold either: at least 1 on lobby")
    assert len(last.dates) == 4


def test_duty_cover_conflict_names_each_qualified_person_and_why_they_are_away() -> None:
    """No manager can be on duty: the conflict names each qualified person's absence once."""
    from scheduler.domain import DutyCover

    cfg = config(
        [post("cash"), post("head")],
        [person("A", "head"), person("B", "cash")],
        duty_cover=[DutyCover(name="manager on duty", qualified_posts=["head"])],
        rules={"manager_on_duty": "hard"},
    )
    result = run(request(cfg, availability=Availability(leave=_leave("A", MON))))
    (conflict,) = result.conflicts
    assert conflict.message == (
        "These cannot all hold: manager on duty: 1 of A on duty (on shift and not on a break) "
        "in every open hour of Mon 30 Nov. A: annual leave on Mon 30 Nov"
    )
    assert conflict.relaxation == (
        "have another person qualified for head on duty on Mon 30 Nov or make manager_on_duty soft"
    )


def test_conflicts_name_posts_by_their_names_not_their_ids() -> None:
    """A manager reads "Lobby manager", not the configuration's id ``lobby_mgr``."""
    from scheduler.domain import Post

    lobby = Post(id="lobby_mgr", name_zh="大堂经理", name_en="Lobby manager", min_staff=1)
    cfg = config(
        [lobby],
        [person("A", "lobby_mgr"), person("B", "lobby_mgr")],
        rules={"post_floor": "hard"},
    )
    leave = Availability(leave=_leave("A", MON) + _leave("B", MON))
    (conflict,) = run(request(cfg, availability=leave)).conflicts
    assert "at least 1 on Lobby manager in every open slot of Mon 30 Nov" in conflict.message
    assert "everyone qualified for Lobby manager is away on Mon 30 Nov" in conflict.message
    assert "lobby_mgr" not in conflict.message
    assert conflict.relaxation.startswith("have one more person qualified for Lobby manager")
