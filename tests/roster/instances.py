"""Tiny hand-made roster instances: 1-3 people, 1-2 posts, 1-2 days, a 4-hour opening."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

import pandas as pd

from scheduler.calendar import Horizon
from scheduler.domain import (
    RULES,
    Availability,
    Branch,
    BranchConfig,
    DayHours,
    HolidayCalendar,
    Post,
    PostKind,
    Qualification,
    RuleMode,
    RuleSetting,
    ShiftTemplate,
    Staff,
    Weekday,
)
from scheduler.frames import REQUIREMENT_COLUMNS
from scheduler.roster import RosterRequest, RosterResult, SolveOptions, solve
from scheduler.roster.request import Pin

MON = dt.date(2026, 11, 30)
"""Monday of ISO week 2026-W49 (no public holiday that week)."""
TUE = MON + dt.timedelta(days=1)

OPTIONS = SolveOptions(time_limit_s=10, workers=1, seed=0)
"""Deterministic, single-worker solves."""

MY_OFF = (
    "coverage_under",
    "coverage_over",
    "post_floor",
    "manager_on_duty",
    "authoriser_present",
    "dual_control",
    "ab_backup_pair",
    "ab_backup_cover",
    "incompatible_duties",
    "shift_demand",
)
ALL_OFF = MY_OFF + tuple(r.name for r in RULES if r.mode == RuleMode.SOFT and r.name not in MY_OFF)
"""The coverage, floor and pair rules and every soft-by-default rule are off in tiny instances,
so each test turns on only the rules it is about (hard labour rules stay on)."""


def post(post_id: str, *, min_staff: int = 0, kind: PostKind = PostKind.TELLER) -> Post:
    """A post named after its id."""
    return Post(id=post_id, name_zh=post_id, name_en=post_id, kind=kind, min_staff=min_staff)


def person(staff_id: str, *posts: str, expires: dict[str, dt.date] | None = None) -> Staff:
    """A person qualified for ``posts`` (``expires`` gives a qualification's last valid day)."""
    expires = expires or {}
    return Staff(
        id=staff_id,
        name=staff_id,
        qualifications=[Qualification(post=p, valid_to=expires.get(p)) for p in posts],
    )


def shift(shift_id: str, start: str, end: str, **extra: object) -> ShiftTemplate:
    """A shift template."""
    return ShiftTemplate(id=shift_id, name=shift_id, start=start, end=end, **extra)  # type: ignore[arg-type]


def config(
    posts: Iterable[Post],
    staff: Iterable[Staff],
    *,
    shifts: Iterable[ShiftTemplate] | None = None,
    hours: tuple[str, str] = ("09:00", "13:00"),
    slot_minutes: int = 60,
    rules: dict[str, str | tuple[str, int]] | None = None,
    **extra: object,
) -> BranchConfig:
    """A branch open every day in ``hours``; rules in :data:`ALL_OFF` are off unless given.

    ``rules`` maps a rule name to a mode, or to (mode, weight).
    """
    settings = {name: RuleSetting(mode=RuleMode.OFF) for name in ALL_OFF}
    for name, value in (rules or {}).items():
        mode, weight = value if isinstance(value, tuple) else (value, 100)
        settings[name] = RuleSetting(mode=RuleMode(mode), weight=weight)
    day = DayHours(start=hours[0], end=hours[1])  # type: ignore[arg-type]
    branch = Branch(
        id="TINY",
        name="tiny branch",
        opening_hours=dict.fromkeys(Weekday, day),
        calendar=HolidayCalendar(country="CN"),
        slot_minutes=slot_minutes,
    )
    return BranchConfig(
        branch=branch,
        posts=list(posts),
        staff=list(staff),
        shifts=list(shifts or [shift("am", *hours)]),
        rules=settings,
        **extra,  # type: ignore[arg-type]
    )


Need = Callable[[dt.datetime, str], int]
"""Staff needed in the slot starting at the datetime, on the post."""


def requirements(
    cfg: BranchConfig,
    horizon: Horizon,
    need: Need | dict[str, int],
    *,
    wait: float = 1.0,
    floor: Need | None = None,
) -> pd.DataFrame:
    """A requirement frame for every open slot and every post of ``need``."""
    from scheduler.calendar import BranchCalendar

    calendar = BranchCalendar(cfg.branch)
    rows = []
    posts = list(need) if isinstance(need, dict) else [p.id for p in cfg.posts]
    for ds in calendar.open_slots(horizon.start, horizon.end):
        for p in posts:
            required = need[p] if isinstance(need, dict) else need(ds, p)
            floor_required = floor(ds, p) if floor else 0
            rows.append(
                {
                    "branch": cfg.branch.id,
                    "date": ds.date(),
                    "ds": ds,
                    "post": p,
                    "required": max(required, floor_required),
                    "traffic_required": required,
                    "floor_required": floor_required,
                    "arrivals": 0.0,
                    "workload_erlangs": 0.0,
                    "expected_wait_min": 0.0,
                    "wait_one_short_min": wait,
                    "service_level": 1.0,
                    "unmeetable": False,
                    "reason": "test",
                }
            )
    return pd.DataFrame(rows, columns=list(REQUIREMENT_COLUMNS))


def request(
    cfg: BranchConfig,
    *,
    days: int = 1,
    need: Need | dict[str, int] | None = None,
    requirement_frame: pd.DataFrame | None = None,
    availability: Availability | None = None,
    pins: Iterable[Pin] = (),
    start: dt.date = MON,
    **need_options: object,
) -> RosterRequest:
    """A request over ``days`` days from Monday 30 Nov 2026."""
    horizon = Horizon(start, days)
    if requirement_frame is None:
        requirement_frame = requirements(cfg, horizon, need or {}, **need_options)  # type: ignore[arg-type]
    return RosterRequest(
        config=cfg,
        horizon=horizon,
        requirements=requirement_frame,
        availability=availability or Availability(),
        pins=tuple(pins),
    )


def run(req: RosterRequest, options: SolveOptions = OPTIONS) -> RosterResult:
    """Solve deterministically with one worker."""
    return solve(req, options)


def costs(result: RosterResult) -> dict[str, float]:
    """Total cost per rule."""
    out: dict[str, float] = {}
    for p in result.penalties:
        out[p.rule] = out.get(p.rule, 0.0) + p.cost
    return out


def amounts(result: RosterResult, rule: str) -> float:
    """Total amount of violation of one rule."""
    return sum(p.amount for p in result.penalties if p.rule == rule)


def held(result: RosterResult, staff_id: str, day: dt.date = MON) -> list[tuple[str, str, str]]:
    """A person's (start, end, post or activity) blocks on a day."""
    rows = result.assignments
    mine = rows[(rows["staff_id"] == staff_id) & (rows["date"] == day)]
    return [
        (r.start, r.end, r.post if r.activity == "post" else r.activity) for r in mine.itertuples()
    ]
