"""Tests of rotation quotas over periods: pro-rata targets from history and the progress report."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from history_builders import MONDAY, week_record

from scheduler.calendar import Horizon
from scheduler.domain import BranchConfig, QuotaPeriod, RotationQuota
from scheduler.history import HistoryStore
from scheduler.history.quotas import period_bounds, quota_progress, quota_targets
from scheduler.roster.request import QuotaTarget

W49 = Horizon.iso_week("2026-W49")  # 24 working days left in Q4 2026 and in 2026, 5 in W49
OCT = dt.date(2026, 10, 12)


def _with_quotas(cfg: BranchConfig, *quotas: RotationQuota) -> BranchConfig:
    return cfg.model_copy(update={"rotation_quotas": list(quotas)})


def _post_hours(*rows: tuple[str, dt.date, str, float]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["staff_id", "date", "post", "hours"])


def test_period_bounds() -> None:
    """Weeks run Monday-Sunday, quarters and years follow the calendar."""
    day = dt.date(2026, 11, 30)
    assert period_bounds(QuotaPeriod.WEEK, day) == (day, dt.date(2026, 12, 6))
    assert period_bounds(QuotaPeriod.QUARTER, day) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert period_bounds(QuotaPeriod.QUARTER, dt.date(2027, 2, 3)) == (
        dt.date(2027, 1, 1),
        dt.date(2027, 3, 31),
    )
    assert period_bounds(QuotaPeriod.YEAR, day) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def test_quarter_min_hours_pro_rata(sample_cfg: BranchConfig) -> None:
    """The hours still missing in the quarter are spread by working days: 80 h x 5/24."""
    cfg = _with_quotas(
        sample_cfg,
        RotationQuota(name="cm", staff=["S10"], posts=["customer_manager"],
                      period=QuotaPeriod.QUARTER, min_hours=120),
    )  # fmt: skip
    history = _post_hours(("S10", OCT, "customer_manager", 40.0))
    assert quota_targets(cfg, history, W49) == (
        QuotaTarget(quota="cm", staff_id="S10", posts=["customer_manager"], min_hours=16.67),
    )


def test_share_counts_expected_paid_hours(sample_cfg: BranchConfig) -> None:
    """A share bound uses paid hours so far plus contract hours for the rest of the period."""
    cfg = _with_quotas(
        sample_cfg,
        RotationQuota(name="floor", staff=["S10"], posts=["customer_manager"],
                      period=QuotaPeriod.QUARTER, min_share=0.5),
    )  # fmt: skip
    history = _post_hours(("S10", OCT, "customer_manager", 30.0), ("S10", OCT, "lobby", 70.0))
    # paid 100 + 40 h x 24/5 = 292 h; half is 146; 116 missing; x 5/24 = 24.17
    (target,) = quota_targets(cfg, history, W49)
    assert (target.min_hours, target.max_hours) == (24.17, None)


def test_year_max_hours_and_no_history_after_horizon(sample_cfg: BranchConfig) -> None:
    """A yearly cap leaves the rest pro rata; rows inside the horizon are not counted as done."""
    cfg = _with_quotas(
        sample_cfg,
        RotationQuota(name="cash cap", staff=["S04"], posts=["cash_teller"],
                      period=QuotaPeriod.YEAR, max_hours=200),
    )  # fmt: skip
    history = _post_hours(
        ("S04", OCT, "cash_teller", 180.0), ("S04", W49.start, "cash_teller", 7.0)
    )
    (target,) = quota_targets(cfg, history, W49)
    assert (target.min_hours, target.max_hours) == (None, 4.17)


def test_everyone_qualified_when_no_staff_named(sample_cfg: BranchConfig) -> None:
    """A quota without names applies to everyone qualified for its posts, in staff order."""
    cfg = _with_quotas(
        sample_cfg,
        RotationQuota(name="corp", posts=["corporate_manager"], period=QuotaPeriod.QUARTER,
                      min_hours=24),
    )  # fmt: skip
    targets = quota_targets(cfg, _post_hours(), W49)
    assert [(t.staff_id, t.min_hours) for t in targets] == [("S11", 5.0), ("S13", 5.0)]


def test_consecutive_weeks_cap_from_store(sample_cfg: BranchConfig, store: HistoryStore) -> None:
    """After the allowed run of weeks mainly at the counter, the next week caps it at half."""
    cfg = _with_quotas(
        sample_cfg,
        RotationQuota(name="sensitive", staff=["S04"], posts=["cash_teller"],
                      max_consecutive_weeks=2),
    )  # fmt: skip
    for weeks_back in (2, 1):
        monday = MONDAY - dt.timedelta(days=7 * weeks_back)
        store.publish(week_record(monday, {"S04": ("cash_teller", "cash_teller")}))
    (target,) = quota_targets(cfg, store, W49)
    assert (target.staff_id, target.min_hours, target.max_hours) == ("S04", None, 20.0)
    assert target.max_share == 0.5  # of the hours actually paid, as the streak is judged
    assert quota_targets(cfg, store, Horizon.iso_week("2026-W48")) == ()


def test_consecutive_weeks_broken_by_other_post(
    sample_cfg: BranchConfig, store: HistoryStore
) -> None:
    """A week mainly elsewhere ends the run, so no cap is needed yet."""
    cfg = _with_quotas(
        sample_cfg,
        RotationQuota(name="sensitive", staff=["S04"], posts=["cash_teller"],
                      max_consecutive_weeks=2),
    )  # fmt: skip
    store.publish(week_record(MONDAY - dt.timedelta(days=14), {"S04": ("cash_teller",) * 2}))
    store.publish(week_record(MONDAY - dt.timedelta(days=7), {"S04": ("cash_teller", "lobby")}))
    assert quota_targets(cfg, store, W49) == ()


def test_progress_flags_who_is_behind(sample_cfg: BranchConfig) -> None:
    """Someone below the pro-rata share by more than the tolerance is reported behind, first."""
    cfg = _with_quotas(
        sample_cfg,
        RotationQuota(name="1+1+1 ops", staff=["S10", "S11"], posts=["customer_manager"],
                      period=QuotaPeriod.QUARTER, min_hours=120),
    )  # fmt: skip
    history = _post_hours(
        ("S10", OCT, "customer_manager", 10.0), ("S11", OCT, "customer_manager", 80.0)
    )
    report = quota_progress(cfg, history, W49.start)
    assert report["staff_id"].tolist() == ["S10", "S11"]
    assert report["status"].tolist() == ["behind", "on track"]
    s10 = report.iloc[0]
    assert s10["expected_hours"] == pytest.approx(73.55)  # 120 h x 38/62 working days
    assert (s10["done_hours"], s10["min_hours"], s10["elapsed"]) == (10.0, 120.0, 0.6129)
    assert s10["target_min"] == pytest.approx(22.92)  # 110 h missing x 5/24


def test_progress_marks_over_and_met(sample_cfg: BranchConfig) -> None:
    """Past the cap (beyond tolerance) is ``over``; at or past the minimum is ``met``."""
    cfg = _with_quotas(
        sample_cfg,
        RotationQuota(name="cap", staff=["S04"], posts=["cash_teller"],
                      period=QuotaPeriod.YEAR, max_hours=100),
        RotationQuota(name="min", staff=["S05"], posts=["cash_teller"],
                      period=QuotaPeriod.YEAR, min_hours=50),
    )  # fmt: skip
    history = _post_hours(("S04", OCT, "cash_teller", 106.0), ("S05", OCT, "cash_teller", 50.0))
    report = quota_progress(cfg, history, W49.start)
    assert report[["quota", "status"]].values.tolist() == [["cap", "over"], ["min", "met"]]


def test_consecutive_cap_keeps_horizon_bounds(
    sample_cfg: BranchConfig, store: HistoryStore
) -> None:
    """A capped horizon quota keeps its own minimum, since the target replaces the quota."""
    cfg = _with_quotas(
        sample_cfg,
        RotationQuota(name="floor", staff=["S04"], posts=["cash_teller"], min_hours=8,
                      max_share=0.8, max_consecutive_weeks=1),
    )  # fmt: skip
    store.publish(week_record(MONDAY - dt.timedelta(days=7), {"S04": ("cash_teller",) * 2}))
    (target,) = quota_targets(cfg, store, W49)
    assert (target.min_hours, target.max_hours) == (8.0, 20.0)
