"""Rotation cycles (轮岗轮换): legs, validation, pro-rata targets and the progress report."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from pydantic import ValidationError

from scheduler.calendar import Horizon
from scheduler.domain import BranchConfig
from scheduler.domain.rules import CycleLeg, CyclePeriod, RotationCycle
from scheduler.errors import InputError
from scheduler.history.quotas import quota_progress, quota_targets
from scheduler.io.config_file import dump_config, parse_config_text
from scheduler.roster.request import QuotaTarget

W49 = Horizon.iso_week("2026-W49")  # Mon 30 Nov - Sun 6 Dec 2026
OCT = dt.date(2026, 10, 12)


def _swap(period: CyclePeriod = CyclePeriod.QUARTER, anchor=dt.date(2026, 10, 1)):
    return RotationCycle(
        name="swap",
        staff=["S08"],
        posts=["customer_manager", "lobby"],
        period=period,
        anchor=anchor,
    )


def _with_cycle(cfg: BranchConfig, cycle: RotationCycle) -> BranchConfig:
    return cfg.model_copy(update={"rotation_cycles": [cycle], "rotation_quotas": []})


def _post_hours(*rows: tuple[str, dt.date, str, float]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["staff_id", "date", "post", "hours"])


def test_legs_follow_the_anchor_and_the_period() -> None:
    """Quarterly legs from 1 Oct alternate the posts; nothing before the anchor."""
    cycle = _swap()
    assert cycle.leg_on(dt.date(2026, 9, 30)) is None
    assert cycle.leg_on(dt.date(2026, 12, 31)) == CycleLeg(
        0, "customer_manager", dt.date(2026, 10, 1), dt.date(2026, 12, 31)
    )
    assert cycle.leg_on(dt.date(2027, 1, 1)) == CycleLeg(
        1, "lobby", dt.date(2027, 1, 1), dt.date(2027, 3, 31)
    )
    assert cycle.leg_on(dt.date(2027, 4, 1)).post == "customer_manager"  # type: ignore[union-attr]
    monthly = _swap(CyclePeriod.MONTH, dt.date(2026, 11, 1))
    assert monthly.leg_on(dt.date(2027, 2, 28)) == CycleLeg(
        3, "lobby", dt.date(2027, 2, 1), dt.date(2027, 2, 28)
    )


def test_anchor_must_open_a_month() -> None:
    """An anchor in the middle of a month is refused with the date to use instead."""
    with pytest.raises(
        ValidationError, match=r"must be the first day of a month \(e.g. 2026-10-01\)"
    ):
        _swap(anchor=dt.date(2026, 10, 15))


def test_the_same_post_twice_in_a_row_is_refused() -> None:
    """Two legs in a row on one post (the cycle wraps round) are one longer leg: refused."""
    with pytest.raises(ValidationError, match=r"names lobby for two legs in a row \(posts\[2\]"):
        RotationCycle(
            name="c", staff=["S08"], posts=["customer_manager", "wealth_manager", "lobby", "lobby"],
            anchor=dt.date(2027, 1, 1),
        )  # fmt: skip


def _config_error(sample_cfg: BranchConfig, tmp_path, cycle_yaml: str) -> list:
    text = dump_config(sample_cfg, tmp_path / "b.yaml").read_text(encoding="utf-8")
    with pytest.raises(InputError) as caught:
        parse_config_text(text + cycle_yaml, "branch.yaml")
    return caught.value.issues


CYCLE_YAML = """
rotation_cycles:
- name: tellers and customer managers swap each quarter
  staff: [{staff}]
  posts: [{posts}]
  period: quarter
  anchor: 2027-01-01
"""


def test_unknown_post_in_a_cycle_is_named(sample_cfg: BranchConfig, tmp_path) -> None:
    """A cycle naming a post that does not exist is an error at its path, with the posts."""
    yaml = CYCLE_YAML.format(staff="S09", posts="noncash_teller, customer_managr")
    (issue,) = _config_error(sample_cfg, tmp_path, yaml)
    assert (issue.file, issue.message, issue.value) == (
        "branch.yaml",
        "unknown post",
        "customer_managr",
    )
    assert issue.location.startswith("rotation_cycles[0].posts[1] (line ")
    assert "customer_manager" in issue.allowed


def test_person_not_qualified_for_a_leg_is_named(sample_cfg: BranchConfig, tmp_path) -> None:
    """S04 holds no customer-manager qualification: the error names who may be in the cycle."""
    yaml = CYCLE_YAML.format(staff="S09, S04", posts="noncash_teller, customer_manager")
    (issue,) = _config_error(sample_cfg, tmp_path, yaml)
    assert issue.location.startswith("rotation_cycles[0].staff[1] (line ")
    assert (issue.value, issue.allowed) == (
        "S04",
        "people qualified for noncash_teller, customer_manager: S09",
    )
    assert issue.message == "刘洋 (S04) is not qualified for customer_manager, a post of the cycle"


def test_home_post_group_is_checked_too(sample_cfg: BranchConfig, tmp_path) -> None:
    """Everyone of a home post joins the cycle, and each must hold every leg's qualification."""
    yaml = """
rotation_cycles:
- name: cash tellers to the lobby
  home_post: cash_teller
  posts: [cash_teller, lobby]
  anchor: 2027-01-01
"""
    (issue,) = _config_error(sample_cfg, tmp_path, yaml)
    assert issue.location.startswith("rotation_cycles[0].home_post (line ")
    assert (issue.value, issue.message) == (
        "S04",
        "刘洋 (S04) is not qualified for lobby, a post of the cycle",
    )


def test_leg_target_is_the_missing_share_pro_rata(sample_cfg: BranchConfig) -> None:
    """Q4 leg: 50% x (100 paid + 40 h x 24/5) = 146 due, 26 done, 120 x 5/24 = 25 h now."""
    cfg = _with_cycle(sample_cfg, _swap())
    history = _post_hours(("S08", OCT, "customer_manager", 26.0), ("S08", OCT, "lobby", 74.0))
    assert quota_targets(cfg, history, W49) == (
        QuotaTarget(quota="swap", staff_id="S08", posts=["customer_manager"], min_hours=25.0),
    )


def test_a_week_across_a_leg_boundary_gets_one_target_per_leg(sample_cfg: BranchConfig) -> None:
    """Monthly legs: 30 Nov asks 4 h as customer manager, 1-4 Dec 4/23 x 92 h in the lobby."""
    cfg = _with_cycle(sample_cfg, _swap(CyclePeriod.MONTH, dt.date(2026, 11, 1)))
    empty = _post_hours()
    assert quota_targets(cfg, empty, W49) == (
        QuotaTarget(quota="swap", staff_id="S08", posts=["customer_manager"], min_hours=4.0),
        QuotaTarget(quota="swap", staff_id="S08", posts=["lobby"], min_hours=16.0),
    )


def test_progress_names_the_leg_and_who_is_behind(sample_cfg: BranchConfig) -> None:
    """The report shows S08 on the customer-manager leg of Q4, behind with 26 of 146 h."""
    cfg = _with_cycle(sample_cfg, _swap())
    history = _post_hours(("S08", OCT, "customer_manager", 26.0), ("S08", OCT, "lobby", 74.0))
    report = quota_progress(cfg, history, W49.start)
    (row,) = report.to_dict("records")
    assert (row["quota"], row["staff_id"], row["leg_post"], row["period"]) == (
        "swap",
        "S08",
        "customer_manager",
        "quarter",
    )
    assert (row["period_start"], row["done_hours"], row["min_hours"], row["status"]) == (
        dt.date(2026, 10, 1),
        26.0,
        146.0,
        "behind",
    )
    assert row["target_min"] == 25.0


def test_progress_before_the_anchor_says_not_started(sample_cfg: BranchConfig) -> None:
    """A cycle anchored next year has no leg yet and no target."""
    cfg = _with_cycle(sample_cfg, _swap(anchor=dt.date(2027, 1, 1)))
    (row,) = quota_progress(cfg, _post_hours(), W49.start).to_dict("records")
    assert (row["status"], row["leg_post"], row["target_min"]) == ("not started", None, None)
