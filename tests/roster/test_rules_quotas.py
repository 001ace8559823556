"""Rotation quotas (轮岗), each bound on the smallest instance where it decides the roster."""

from __future__ import annotations

import pytest

from scheduler.domain import BranchConfig, QuotaPeriod, RotationQuota
from scheduler.errors import InputError
from scheduler.roster.request import QuotaTarget

from .instances import MON, costs, held, person, post, request, run
from .instances_extra import branch, with_


def _floor_quota(**bounds: object) -> RotationQuota:
    return RotationQuota(name="floor", staff=["A"], posts=["lobby"], **bounds)  # type: ignore[arg-type]


def _teller_on_cash(weight: int, quota: RotationQuota | None = None) -> BranchConfig:
    quotas = [quota] if quota is not None else []
    return branch(
        [post("cash"), post("lobby")],
        [person("A", "cash", "lobby")],
        rules={"coverage_under": "soft", "rotation_quota": ("soft", weight)},
        rotation_quotas=quotas,
    )


def test_rotation_quota_share_charges_each_hour_short() -> None:
    """At least 50% on the floor at weight 30: staying on the busy counter costs 2 h x 30."""
    cfg = _teller_on_cash(30, _floor_quota(min_share=0.5))
    result = run(request(cfg, need={"cash": 1}))
    assert held(result, "A") == [("09:00", "13:00", "cash")]
    assert costs(result) == {"rotation_quota": 60.0}
    assert result.penalties[0].message == (
        "A spends 2 h too few in lobby for 'floor' (at least 50% of paid hours from "
        "Mon 30 Nov to Mon 30 Nov)"
    )


def test_rotation_quota_share_moves_the_person_when_it_weighs_more() -> None:
    """At weight 300 the quota wins: half the paid hours go to the lobby, 2 counter hours short."""
    cfg = _teller_on_cash(300, _floor_quota(min_share=0.5))
    result = run(request(cfg, need={"cash": 1}))
    lobby = [b for b in held(result, "A") if b[2] == "lobby"]
    assert sum(int(b[1][:2]) - int(b[0][:2]) for b in lobby) == 2
    assert costs(result) == {"coverage_under": 200.0}


def test_rotation_quota_max_share_caps_time_in_the_post() -> None:
    """At most 25% on the counter: 3 of 4 counter hours over the cap are charged 3 x 30 = 90."""
    cfg = branch(
        [post("cash")],
        [person("A", "cash")],
        rules={"coverage_under": "soft", "rotation_quota": ("soft", 30)},
        rotation_quotas=[RotationQuota(name="rotate", staff=["A"], posts=["cash"], max_share=0.25)],
    )
    result = run(request(cfg, need={"cash": 1}))
    assert held(result, "A") == [("09:00", "13:00", "cash")]
    assert costs(result) == {"rotation_quota": 90.0}


def test_rotation_quota_weekly_hours_are_scaled_to_the_days_planned() -> None:
    """A 7-hour weekly minimum over a 1-day horizon asks for 1 hour: 1 h x 30 short."""
    cfg = _teller_on_cash(30, _floor_quota(min_hours=7, period=QuotaPeriod.WEEK))
    result = run(request(cfg, need={"cash": 1}))
    assert costs(result) == {"rotation_quota": 30.0}


def test_quota_target_replaces_the_configured_quota_of_the_same_name() -> None:
    """A 3-hour target from history replaces the weekly quota 'floor': 3 h x 30, not more."""
    cfg = _teller_on_cash(30, _floor_quota(min_hours=7, period=QuotaPeriod.WEEK))
    target = QuotaTarget(quota="floor", staff_id="A", posts=["lobby"], min_hours=3)
    result = run(with_(request(cfg, need={"cash": 1}), quota_targets=(target,)))
    assert costs(result) == {"rotation_quota": 90.0}
    assert result.penalties[0].message == (
        "A spends 3 h less than the 3 h target of 'floor' (lobby)"
    )


def test_quota_target_maximum_is_charged_per_hour_over() -> None:
    """A 1-hour maximum on the counter over a 4-hour counter day costs 3 h x 30."""
    cfg = branch(
        [post("cash")],
        [person("A", "cash")],
        rules={"coverage_under": "soft", "rotation_quota": ("soft", 30)},
    )
    target = QuotaTarget(quota="q", staff_id="A", posts=["cash"], max_hours=1)
    result = run(with_(request(cfg, need={"cash": 1}), quota_targets=(target,)))
    assert costs(result) == {"rotation_quota": 90.0}


def test_quota_target_share_caps_the_paid_hours_in_the_posts() -> None:
    """A streak must end: at most 50% of paid hours on the counter, 4 counter hours cost 2 x 30."""
    cfg = branch(
        [post("cash")],
        [person("A", "cash")],
        rules={"coverage_under": "soft", "rotation_quota": ("soft", 30)},
    )
    target = QuotaTarget(quota="streak", staff_id="A", posts=["cash"], max_share=0.5)
    result = run(with_(request(cfg, need={"cash": 1}), quota_targets=(target,)))
    assert held(result, "A") == [("09:00", "13:00", "cash")]
    assert costs(result) == {"rotation_quota": 60.0}
    assert result.penalties[0].message == (
        "A spends 2 h too many in cash for 'streak' (at most 50% of this horizon's paid hours)"
    )


def test_quarter_quota_without_targets_is_reported() -> None:
    """A quarterly quota needs targets from history; without them the manager is told."""
    cfg = _teller_on_cash(30, _floor_quota(min_hours=100, period=QuotaPeriod.QUARTER))
    result = run(request(cfg, need={"cash": 1}))
    assert costs(result) == {}
    (warning,) = [w for w in result.warnings if "rotation quota 'floor'" in w]
    assert warning.startswith("rotation quota 'floor' counts over the quarter")
    assert result.warnings_in("zh")[result.warnings.index(warning)] == (
        "轮岗配额“floor”按季度计算: 须由历史记录得出的配额目标 (branch-roster quotas) 执行, "
        "但没有为A提供目标"
    )


def test_quota_target_for_an_unknown_person_is_refused() -> None:
    """A target naming nobody on the staff list is an input error naming the field and value."""
    cfg = _teller_on_cash(30)
    target = QuotaTarget(quota="q", staff_id="ZZ", posts=["lobby"], min_hours=1)
    with pytest.raises(InputError) as caught:
        run(with_(request(cfg, need={"cash": 1}), quota_targets=(target,)))
    (issue,) = caught.value.issues
    assert (issue.file, issue.location, issue.column, issue.value) == (
        "<quota_targets>",
        "quota_targets[0]",
        "staff_id",
        "ZZ",
    )


def test_rotation_quota_hard_moves_the_person() -> None:
    """Hard, the 50% floor share is kept whatever the counter needs."""
    cfg = branch(
        [post("cash"), post("lobby")],
        [person("A", "cash", "lobby")],
        rules={"coverage_under": "soft", "rotation_quota": "hard"},
        rotation_quotas=[_floor_quota(min_share=0.5)],
    )
    result = run(request(cfg, need={"cash": 1}))
    lobby = [b for b in held(result, "A") if b[2] == "lobby"]
    assert sum(int(b[1][:2]) - int(b[0][:2]) for b in lobby) == 2
    assert MON in set(result.shifts["date"])


def test_hard_quota_target_asks_nothing_of_a_person_on_leave() -> None:
    """A hard 3-hour target for someone on leave all horizon asks 0 h: the roster exists."""
    from scheduler.domain import Availability, LeaveKind, LeaveRequest

    cfg = branch(
        [post("cash"), post("lobby")],
        [person("A", "cash", "lobby"), person("B", "cash", "lobby")],
        rules={"coverage_under": "soft", "rotation_quota": "hard"},
    )
    leave = LeaveRequest(staff_id="A", start_date=MON, end_date=MON, kind=LeaveKind.ANNUAL)
    target = QuotaTarget(quota="floor", staff_id="A", posts=["lobby"], min_hours=3)
    req = request(cfg, need={"cash": 1}, availability=Availability(leave=[leave]))
    result = run(with_(req, quota_targets=(target,)))
    assert result.feasible
    assert held(result, "A") == []
