"""A small hand-made roster on the sample branch: four people over three days.

Everything is derived from one list of blocks, so the shifts, coverage and people frames agree
with the assignments exactly, as the solver's would.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from scheduler.calendar import Horizon
from scheduler.domain import Availability, BranchConfig, LeaveRequest
from scheduler.domain.availability import LeaveKind
from scheduler.frames import (
    ASSIGNMENT_COLUMNS,
    COVERAGE_COLUMNS,
    FORECAST_COLUMNS,
    REQUIREMENT_COLUMNS,
    SHIFT_COLUMNS,
    SIMULATION_COLUMNS,
)
from scheduler.roster.result import PERSON_COLUMNS, Penalty, RosterResult, SolverStats
from scheduler.sample.branch import sample_config

START = dt.date(2026, 11, 30)
HORIZON = Horizon(START, 3)
MON, TUE, WED = HORIZON.dates

PEOPLE = {"S01": "王建国", "S02": "李敏", "S04": "刘洋", "S08": "黄丽"}

# (staff, day, shift, [(start, end, activity, post)])
PLAN: list[tuple[str, dt.date, str, list[tuple[str, str, str, str]]]] = [
    (
        "S01",
        MON,
        "day",
        [
            ("08:30", "12:00", "post", "head"),
            ("12:00", "13:00", "break", ""),
            ("13:00", "17:30", "post", "head"),
        ],
    ),
    (
        "S01",
        TUE,
        "day",
        [
            ("08:30", "11:00", "post", "head"),
            ("11:00", "12:00", "free", ""),
            ("12:00", "13:00", "break", ""),
            ("13:00", "17:30", "post", "lobby"),
        ],
    ),
    (
        "S02",
        MON,
        "day",
        [
            ("08:30", "12:00", "post", "ops_supervisor"),
            ("12:00", "13:00", "break", ""),
            ("13:00", "17:30", "post", "ops_supervisor"),
        ],
    ),
    ("S02", WED, "early", [("08:30", "13:00", "post", "ops_supervisor")]),
    (
        "S04",
        MON,
        "day",
        [
            ("08:30", "12:00", "post", "cash_teller"),
            ("12:00", "13:00", "break", ""),
            ("13:00", "17:30", "post", "noncash_teller"),
        ],
    ),
    (
        "S04",
        TUE,
        "day",
        [
            ("08:30", "09:00", "free", ""),
            ("09:00", "11:00", "post", "cash_teller"),
            ("11:00", "12:00", "break", ""),
            ("12:00", "17:30", "post", "cash_teller"),
        ],
    ),
    ("S08", MON, "late", [("12:30", "17:30", "post", "lobby")]),
    ("S08", WED, "early", [("08:30", "13:00", "post", "lobby")]),
]
"""The roster: every block of every shift."""

SHIFT_TIMES = {"day": ("08:30", "17:30", 480), "early": ("08:30", "13:00", 270)}
SHIFT_TIMES["late"] = ("12:30", "17:30", 300)

REQUIRED = {"head": 1, "ops_supervisor": 1, "cash_teller": 1, "lobby": 1}
"""Required staff per open hour (09-17) and post in the fixture's coverage frame."""

LEAVE = LeaveRequest(
    staff_id="S08", start_date=TUE, end_date=TUE, kind=LeaveKind.ANNUAL, note="家事"
)

PENALTIES = (
    Penalty(
        rule="coverage_under",
        amount=1.0,
        cost=100.0,
        message="周三 13:00 高柜柜员: 需要 1 人, 已排 0 人, 缺 1 人",
        date=WED,
        ds=dt.datetime.combine(WED, dt.time(13)),
        post="cash_teller",
    ),
    Penalty(
        rule="preferences",
        amount=2.0,
        cost=10.0,
        message="刘洋 asked not to work Tuesday afternoon but works 12:00-17:30",
        staff_id="S04",
        date=TUE,
    ),
)


def minutes(text: str) -> int:
    """Minutes since midnight of ``HH:MM``."""
    h, m = text.split(":")
    return int(h) * 60 + int(m)


def config() -> BranchConfig:
    """The sample branch for the fixture's week."""
    return sample_config(START)


def assignments() -> pd.DataFrame:
    """The assignment frame (dates as ``date``, times as ``time``), as the solver gives it."""
    rows = []
    for staff_id, day, _, blocks in PLAN:
        for start, end, activity, post in blocks:
            rows.append(
                {
                    "staff_id": staff_id,
                    "name": PEOPLE[staff_id],
                    "date": day,
                    "start": dt.time.fromisoformat(start),
                    "end": dt.time.fromisoformat(end),
                    "activity": activity,
                    "post": post or None,
                }
            )
    return pd.DataFrame(rows, columns=list(ASSIGNMENT_COLUMNS))


def shifts() -> pd.DataFrame:
    """One row per person and working day."""
    rows = []
    for staff_id, day, shift, _ in PLAN:
        start, end, paid = SHIFT_TIMES[shift]
        rows.append(
            {
                "staff_id": staff_id,
                "name": PEOPLE[staff_id],
                "date": day,
                "shift": shift,
                "start": dt.time.fromisoformat(start),
                "end": dt.time.fromisoformat(end),
                "paid_minutes": paid,
            }
        )
    return pd.DataFrame(rows, columns=list(SHIFT_COLUMNS))


def holders(day: dt.date, hour: int, post: str) -> int:
    """People holding ``post`` for the whole hour starting at ``hour``."""
    lo, hi = hour * 60, hour * 60 + 60
    count = 0
    for _, d, _, blocks in PLAN:
        if d != day:
            continue
        for start, end, activity, p in blocks:
            if activity == "post" and p == post and minutes(start) <= lo and hi <= minutes(end):
                count += 1
    return count


def coverage() -> pd.DataFrame:
    """Required vs assigned per open hour (09-17) and post."""
    rows = []
    for day in HORIZON.dates:
        for hour in range(9, 17):
            for post, required in REQUIRED.items():
                got = holders(day, hour, post)
                rows.append(
                    {
                        "date": day,
                        "ds": dt.datetime.combine(day, dt.time(hour)),
                        "post": post,
                        "required": required,
                        "assigned": got,
                        "gap": got - required,
                    }
                )
    return pd.DataFrame(rows, columns=list(COVERAGE_COLUMNS))


def people(cfg: BranchConfig) -> pd.DataFrame:
    """Per-person totals computed from the plan and the sample branch's hourly rates."""
    rows = []
    for staff in cfg.staff:
        if staff.id not in PEOPLE:
            continue
        mine = [(d, s) for sid, d, s, _ in PLAN if sid == staff.id]
        hours = sum(SHIFT_TIMES[s][2] for _, s in mine) / 60
        rows.append(
            {
                "staff_id": staff.id,
                "name": staff.name,
                "paid_hours": hours,
                "contract_hours": staff.contract_hours_per_week * HORIZON.days / 7,
                "days_worked": len(mine),
                "weekend_days": sum(d.weekday() >= 5 for d, _ in mine),
                "late_shifts": sum(s == "late" for _, s in mine),
                "overtime_hours": 0.0,
                "labour_cost": round(hours * staff.hourly_rate, 2),
                "preferences_met": 1 if staff.id == "S04" else 0,
                "preferences_total": 2 if staff.id == "S04" else 0,
            }
        )
    return pd.DataFrame(rows, columns=list(PERSON_COLUMNS))


def result(cfg: BranchConfig | None = None) -> RosterResult:
    """The fixture roster as a feasible result with two penalties and a warning."""
    cfg = cfg or config()
    return RosterResult(
        branch_id=cfg.branch.id,
        horizon=HORIZON,
        stats=SolverStats(
            status="FEASIBLE",
            objective=110.0,
            best_bound=100.0,
            gap=10 / 110,
            wall_time_s=1.5,
            variables=1234,
            constraints=5678,
            workers=2,
            seed=7,
        ),
        assignments=assignments(),
        shifts=shifts(),
        coverage=coverage(),
        people=people(cfg),
        penalties=PENALTIES,
        warnings=("马超's wealth-manager qualification expires on 2026-12-02",),
    )


def availability() -> Availability:
    """One day of annual leave for 黄丽 on Tuesday."""
    return Availability(leave=[LEAVE])


def write_result_csvs(res: RosterResult, folder: Path) -> Path:
    """Write ``res`` as the solver writes a result folder, plus the run's stage frames."""
    from scheduler.roster.files import write_result_files

    write_result_files(res, folder)
    forecast().to_csv(folder / "forecast.csv", index=False)
    requirements().to_csv(folder / "requirements.csv", index=False)
    simulation().to_csv(folder / "simulation.csv", index=False)
    return folder


CHANNEL_BASE = {"cash": 12.0, "noncash": 6.0, "lobby": 20.0}
"""Forecast customers per hour of each channel before the hour-of-day shape."""


def forecast() -> pd.DataFrame:
    """A forecast frame over the fixture's open hours (09-17) for three channels."""
    rows = []
    for day in HORIZON.dates:
        for hour in range(9, 17):
            shape = 1.5 if hour in (10, 15) else 1.0
            for channel, base in CHANNEL_BASE.items():
                mean = base * shape
                rows.append(
                    {
                        "unique_id": f"SH-PD-001/{channel}",
                        "branch": "SH-PD-001",
                        "channel": channel,
                        "ds": dt.datetime.combine(day, dt.time(hour)),
                        "model": "fixture",
                        "mean": mean,
                        "lo-80": mean * 0.8,
                        "hi-80": mean * 1.2,
                        "lo-95": mean * 0.7,
                        "hi-95": mean * 1.3,
                    }
                )
    return pd.DataFrame(rows, columns=list(FORECAST_COLUMNS))


def simulation() -> pd.DataFrame:
    """A day-simulation frame: waits grow with the forecast's peaks."""
    rows = []
    for rec in forecast().itertuples(index=False):
        wait = 2.0 if rec.mean <= CHANNEL_BASE[rec.channel] else 9.0
        rows.append(
            {
                "date": rec.ds.date(),
                "ds": rec.ds,
                "channel": rec.channel,
                "arrivals": rec.mean,
                "served": rec.mean * 0.95,
                "abandoned": rec.mean * 0.05,
                "staff_serving": 1.0,
                "mean_wait_min": wait,
                "served_within_target": 0.9 if wait < 5 else 0.6,
                "abandonment_rate": 0.05,
            }
        )
    return pd.DataFrame(rows, columns=list(SIMULATION_COLUMNS))


def requirements() -> pd.DataFrame:
    """The requirement frame behind the fixture's coverage frame."""
    rows = []
    for rec in coverage().itertuples(index=False):
        rows.append(
            {
                "branch": "SH-PD-001",
                "date": rec.date,
                "ds": rec.ds,
                "post": rec.post,
                "required": rec.required,
                "traffic_required": rec.required,
                "floor_required": 1 if rec.post == "lobby" else 0,
                "arrivals": 10.0,
                "workload_erlangs": 0.8,
                "expected_wait_min": 3.0,
                "wait_one_short_min": 30.0,
                "service_level": 0.85,
                "unmeetable": False,
                "reason": "floor: lobby manager" if rec.post == "lobby" else "traffic",
            }
        )
    return pd.DataFrame(rows, columns=list(REQUIREMENT_COLUMNS))
