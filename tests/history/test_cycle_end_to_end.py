"""End to end: a quarterly swap carried through the history store across a quarter boundary."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import pytest

from scheduler.calendar import BranchCalendar, Horizon
from scheduler.domain import (
    Availability,
    Branch,
    BranchConfig,
    DayHours,
    HolidayCalendar,
    LabourRules,
    Post,
    PostKind,
    Qualification,
    ShiftTemplate,
    Staff,
    Weekday,
)
from scheduler.domain.rules import CyclePeriod, RotationCycle
from scheduler.frames import REQUIREMENT_COLUMNS
from scheduler.history import HistoryStore
from scheduler.history.files import read_result_dir
from scheduler.history.quotas import quota_progress, quota_targets
from scheduler.roster.request import QuotaTarget

POSTS = ("service", "operations", "customer_mgmt")
WEEKS = ("2026-W52", "2026-W53", "2027-W01")  # Q4 ends on Thursday 31 Dec, in W53


def _config() -> BranchConfig:
    hours = DayHours(start="09:00", end="17:00")  # type: ignore[arg-type]
    everything = [Qualification(post=p) for p in POSTS]
    staff = [
        Staff(id=sid, name=sid, home_post=home, qualifications=everything)
        for sid, home in (("O1", "operations"), ("O2", "operations"), ("C1", "customer_mgmt"),
                          ("C2", "service"), ("C3", "service"))
    ]  # fmt: skip
    swap = {"period": CyclePeriod.QUARTER, "anchor": dt.date(2026, 10, 1), "min_share": 1.0}
    return BranchConfig(
        branch=Branch(
            id="CYCLE-1",
            name="quarterly swap",
            opening_hours={w: hours for w in list(Weekday)[:5]},
            calendar=HolidayCalendar(country="CN"),
        ),
        posts=[
            Post(id="service", name_zh="柜员", name_en="Teller", kind=PostKind.TELLER),
            Post(id="operations", name_zh="运营", name_en="Ops", kind=PostKind.SUPERVISOR),
            Post(id="customer_mgmt", name_zh="客户经理", name_en="CM", kind=PostKind.ADVISOR),
        ],
        staff=staff,
        shifts=[ShiftTemplate(id="day", name="day", start="09:00", end="17:00")],  # type: ignore[arg-type]
        labour=LabourRules(max_hours_per_day=8, max_hours_per_week=40, min_days_off_per_week=2),
        rotation_cycles=[
            RotationCycle(name="teller", staff=["C2"], posts=["service", "customer_mgmt"], **swap),
            RotationCycle(name="manager", staff=["C1"], posts=["customer_mgmt", "service"], **swap),
        ],
    )


def _requirements(config: BranchConfig, horizon: Horizon) -> pd.DataFrame:
    """One person on each post in every open hour."""
    calendar = BranchCalendar(config.branch)
    rows = []
    for day in calendar.open_days(horizon):
        for ds in calendar.slots(day):
            for post in POSTS:
                rows.append({c: 0 for c in REQUIREMENT_COLUMNS} | {
                    "branch": config.branch.id, "date": day, "ds": ds, "post": post,
                    "required": 1, "traffic_required": 1, "floor_required": 0,
                    "unmeetable": False, "reason": "test"})  # fmt: skip
    return pd.DataFrame(rows, columns=list(REQUIREMENT_COLUMNS))


@dataclass(frozen=True)
class Swap:
    """What three weeks of solving and publishing left behind."""

    hours: pd.DataFrame
    targets: dict[str, tuple[QuotaTarget, ...]]
    progress: pd.DataFrame


@pytest.fixture(scope="module")
def swap(tmp_path_factory: pytest.TempPathFactory) -> Swap:
    """Solve, write, read back and publish the three weeks in turn with targets from history."""
    from scheduler.roster import SolveOptions, solve
    from scheduler.roster.files import write_result_files
    from scheduler.roster.request import RosterRequest

    tmp_path = tmp_path_factory.mktemp("swap")
    config = _config()
    targets: dict[str, tuple[QuotaTarget, ...]] = {}
    with HistoryStore.open(tmp_path / "history.db") as store:
        for week in WEEKS:
            horizon = Horizon.iso_week(week)
            targets[week] = quota_targets(config, store, horizon)
            request = RosterRequest(
                config=config,
                horizon=horizon,
                requirements=_requirements(config, horizon),
                availability=Availability(),
                history_shifts=store.shifts(
                    config.branch.id, horizon.start - dt.timedelta(days=14), horizon.start
                ),
                quota_targets=targets[week],
            )
            result = solve(request, SolveOptions(time_limit_s=20, workers=1, seed=0))
            assert result.feasible, result.summary()
            write_result_files(result, tmp_path / week)
            store.publish(read_result_dir(tmp_path / week, config))
        end = Horizon.iso_week(WEEKS[-1]).end
        return Swap(
            hours=store.post_hours(config.branch.id, dt.date(2026, 12, 21), end),
            targets=targets,
            progress=quota_progress(config, store, end + dt.timedelta(days=1)),
        )


def _posts(swap: Swap, staff_id: str, start: dt.date, end: dt.date) -> dict[str, float]:
    f = swap.hours
    mine = f[(f["staff_id"] == staff_id) & (f["date"] >= start) & (f["date"] <= end)]
    return mine.groupby("post")["hours"].sum().to_dict()


@pytest.mark.slow
def test_each_person_holds_the_legs_post_on_either_side_of_the_boundary(swap: Swap) -> None:
    """Q4: C2 a teller, C1 a customer manager; from 1 January they have swapped."""
    q4 = (dt.date(2026, 12, 21), dt.date(2026, 12, 31))
    q1 = (dt.date(2027, 1, 1), dt.date(2027, 1, 10))
    assert set(_posts(swap, "C2", *q4)) == {"service"}
    assert set(_posts(swap, "C1", *q4)) == {"customer_mgmt"}
    assert set(_posts(swap, "C2", *q1)) == {"customer_mgmt"}
    assert set(_posts(swap, "C1", *q1)) == {"service"}


@pytest.mark.slow
def test_targets_switch_to_the_new_leg(swap: Swap) -> None:
    """W52's targets name the Q4 posts, W01's the Q1 posts; W53's Q1 days are a holiday."""
    posts = {w: {(t.staff_id, t.posts[0]) for t in ts} for w, ts in swap.targets.items()}
    assert posts["2026-W52"] == {("C2", "service"), ("C1", "customer_mgmt")}
    assert posts["2027-W01"] == {("C2", "customer_mgmt"), ("C1", "service")}


@pytest.mark.slow
def test_progress_shows_the_leg_and_nobody_behind(swap: Swap) -> None:
    """On 11 January the report puts C2 on the customer-manager leg and C1 on the teller leg."""
    rows = swap.progress.set_index("staff_id")
    assert rows.loc["C2", "leg_post"] == "customer_mgmt"
    assert rows.loc["C1", "leg_post"] == "service"
    assert set(rows["status"]) == {"on track"}
