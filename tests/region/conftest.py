"""Tiny regions for the region tests: one-post branches open three hours on weekdays."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from scheduler.calendar import Horizon
from scheduler.domain import (
    Branch,
    BranchConfig,
    Channel,
    DayHours,
    Post,
    PostKind,
    Qualification,
    ServiceTarget,
    ShiftTemplate,
    Staff,
    Weekday,
)
from scheduler.io.atomic import atomic_write_bytes
from scheduler.io.config_file import dump_config
from scheduler.region.spec import Floater, RegionBranch, RegionSpec, dump_region
from scheduler.sample.generator import traffic_csv_gz
from scheduler.sample.traffic import TrafficEffects, sample_traffic

WEEK = "2026-W49"
HISTORY_WEEKS = 4


def tiny_config(branch_id: str, tellers: int) -> BranchConfig:
    """A branch with one cash counter post, open 09:00-12:00 Monday to Friday."""
    hours = DayHours(start=dt.time(9), end=dt.time(12))
    opening: dict[Weekday, DayHours | None] = {d: hours for d in list(Weekday)[:5]}
    opening[Weekday.SAT] = None
    opening[Weekday.SUN] = None
    return BranchConfig(
        branch=Branch(id=branch_id, name=f"网点 {branch_id}", opening_hours=opening),
        channels=[
            Channel(
                id="cash",
                name_zh="现金",
                name_en="Cash",
                aht_minutes=6.0,
                target=ServiceTarget(service_level=0.8, within_minutes=10),
            )
        ],
        posts=[
            Post(
                id="cash_teller",
                name_zh="柜员",
                name_en="Teller",
                kind=PostKind.TELLER,
                channels=["cash"],
            )
        ],
        staff=[
            Staff(
                id=f"{branch_id}-S{i + 1}",
                name=f"员工{i + 1}",
                contract_hours_per_week=20,
                qualifications=[Qualification(post="cash_teller")],
            )
            for i in range(tellers)
        ],
        shifts=[ShiftTemplate(id="am", name="上午班", start=dt.time(8, 30), end=dt.time(12, 30))],
    )


def write_tiny_branch(folder: Path, branch_id: str, tellers: int, per_hour: float) -> None:
    """Write a tiny branch folder with four weeks of cash traffic at ``per_hour``."""
    config = tiny_config(branch_id, tellers)
    horizon = Horizon.iso_week(WEEK)
    end = horizon.start - dt.timedelta(days=1)
    start = horizon.start - dt.timedelta(weeks=HISTORY_WEEKS)
    effects = TrafficEffects(base_per_hour={"cash": per_hour}, trend_per_year={"cash": 0.0})
    traffic = sample_traffic(config, start, end, seed=1, effects=effects)
    text = traffic.to_csv(index=False, date_format="%Y-%m-%d %H:%M", lineterminator="\n")
    atomic_write_bytes(folder / "traffic.csv.gz", traffic_csv_gz(text))
    (folder / "availability").mkdir(parents=True, exist_ok=True)
    dump_config(config, folder / "branch.yaml")


def tiny_region(
    folder: Path, branches: dict[str, tuple[int, float]], floaters: list[Floater] | None = None
) -> RegionSpec:
    """Write a region of tiny branches: id -> (tellers, customers per hour)."""
    for bid, (tellers, per_hour) in branches.items():
        write_tiny_branch(folder / bid, bid, tellers, per_hour)
    spec = RegionSpec(
        id="T",
        branches=[RegionBranch(id=bid, path=bid) for bid in branches],
        floaters=floaters or [],
    )
    dump_region(spec, folder)
    return spec
