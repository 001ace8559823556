"""Seeded roster instances in four sizes, for tests and benchmarks.

``make_instance(family, seed)`` builds a complete :class:`~scheduler.roster.request.RosterRequest`
for one week: a branch with posts of every kind, multi-skilled staff (some qualifications
expiring or starting mid-week), A/B pairs on the sensitive posts, incompatible duties, dual
control, a manager-on-duty rule, an authoriser, shift templates with lunch breaks, labour
rules, rotation quotas and a trainee with a mentor; staff availability with unavailable
windows, preferences, part-time windows and leave; and a requirement frame
(:data:`scheduler.frames.REQUIREMENT_COLUMNS`) with an hour-of-day and weekday profile, peaks
and troughs.

The staff needed per slot is derived from the staff who could be present: each person's
weekly capacity spread over the open hours they are available gives an expected presence
per slot; a seed-drawn utilisation (60-80%) of it, shaped by the traffic profile, is what the
posts ask for. That keeps every instance tight (peaks exceed what is comfortably available)
while the hard rules stay satisfiable: every post has at least two qualified people, at least
four people can hold the authoriser post, A/B partners are never absent on the same day and
the trainee's mentor takes no leave.

Families (staff, posts, slot length): ``S`` (8, 6, 60 min), ``M`` (16, 8, 60 min),
``L`` (30, 10, 60 min), ``XL`` (60, 12, 30 min). The same ``(family, seed, week)`` always
gives the same instance.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scheduler.calendar import BranchCalendar, Horizon
from scheduler.domain import (
    Authoriser,
    Availability,
    AvailabilityEntry,
    AvailabilityKind,
    BackupPair,
    Branch,
    BranchConfig,
    BreakRule,
    Channel,
    DayHours,
    DualControl,
    DutyCover,
    HolidayCalendar,
    IncompatibleDuties,
    LabourRules,
    LeaveKind,
    LeaveRequest,
    MandatoryLeaveRule,
    MentorPairing,
    Post,
    PostKind,
    Qualification,
    RotationQuota,
    ServiceTarget,
    ShiftTemplate,
    Staff,
    Weekday,
)
from scheduler.errors import InputError, Issue
from scheduler.frames import REQUIREMENT_COLUMNS
from scheduler.roster.request import RosterRequest


@dataclass(frozen=True)
class Family:
    """The size of one instance family.

    Attributes:
        name: Family name (``S``, ``M``, ``L``, ``XL``).
        staff: Number of staff.
        posts: Number of posts.
        slot_minutes: Planning granularity.
    """

    name: str
    staff: int
    posts: int
    slot_minutes: int


FAMILIES: dict[str, Family] = {
    "S": Family("S", 8, 6, 60),
    "M": Family("M", 16, 8, 60),
    "L": Family("L", 30, 10, 60),
    "XL": Family("XL", 60, 12, 30),
}
"""The instance families by name."""

SOURCE = "<instance>"
"""The ``file`` named by issues about generator arguments."""

# Posts -----------------------------------------------------------------------------------

CORE_POSTS = (
    "head",
    "ops_supervisor",
    "lobby",
    "cash_teller",
    "noncash_teller",
    "customer_manager",
)
"""Posts every generated branch has."""

OPTIONAL_POSTS = (
    "wealth_manager",
    "corporate_manager",
    "self_service",
    "risk_compliance",
    "vip_teller",
    "vault_custodian",
)
"""Posts a larger branch adds; which ones is drawn from the seed."""

_POST_SPECS: dict[str, dict[str, object]] = {
    "head": dict(
        name_zh="网点负责人", name_en="Branch head", kind=PostKind.MANAGER, customer_facing=False
    ),
    "ops_supervisor": dict(
        name_zh="运营主管",
        name_en="Operations supervisor",
        kind=PostKind.SUPERVISOR,
        sensitive=True,
        customer_facing=False,
    ),
    "lobby": dict(
        name_zh="大堂经理",
        name_en="Lobby manager",
        kind=PostKind.LOBBY,
        channels=["lobby"],
        min_staff=1,
    ),
    "cash_teller": dict(
        name_zh="高柜柜员",
        name_en="Cash teller",
        kind=PostKind.TELLER,
        channels=["cash"],
        sensitive=True,
    ),
    "noncash_teller": dict(
        name_zh="低柜柜员", name_en="Non-cash teller", kind=PostKind.TELLER, channels=["noncash"]
    ),
    "customer_manager": dict(
        name_zh="客户经理",
        name_en="Customer manager",
        kind=PostKind.ADVISOR,
        channels=["lobby"],
    ),
    "wealth_manager": dict(
        name_zh="理财经理", name_en="Wealth manager", kind=PostKind.ADVISOR, channels=["wealth"]
    ),
    "corporate_manager": dict(
        name_zh="对公客户经理",
        name_en="Corporate manager",
        kind=PostKind.ADVISOR,
        channels=["corporate"],
    ),
    "self_service": dict(
        name_zh="智能柜台引导员",
        name_en="Self-service guide",
        kind=PostKind.LOBBY,
        channels=["self_service"],
    ),
    "risk_compliance": dict(
        name_zh="风险合规",
        name_en="Risk & compliance",
        kind=PostKind.BACK_OFFICE,
        customer_facing=False,
    ),
    "vip_teller": dict(
        name_zh="贵宾柜员",
        name_en="VIP teller",
        kind=PostKind.TELLER,
        channels=["vip"],
        sensitive=True,
    ),
    "vault_custodian": dict(
        name_zh="库管员",
        name_en="Vault custodian",
        kind=PostKind.BACK_OFFICE,
        sensitive=True,
        customer_facing=False,
    ),
}

_COLOURS = (
    "#5d4037",
    "#6a1b9a",
    "#2e7d32",
    "#c62828",
    "#ef6c00",
    "#1565c0",
    "#00838f",
    "#455a64",
    "#9e9d24",
    "#37474f",
    "#ad1457",
    "#4e342e",
)

_AFFINITY: dict[str, tuple[str, ...]] = {
    "head": ("ops_supervisor", "lobby", "customer_manager"),
    "ops_supervisor": ("cash_teller", "noncash_teller", "vault_custodian", "risk_compliance"),
    "cash_teller": ("noncash_teller", "vip_teller", "lobby", "vault_custodian"),
    "noncash_teller": ("cash_teller", "lobby", "vip_teller", "self_service"),
    "lobby": ("self_service", "customer_manager", "noncash_teller"),
    "customer_manager": ("lobby", "wealth_manager", "corporate_manager", "self_service"),
    "wealth_manager": ("customer_manager", "lobby", "vip_teller"),
    "corporate_manager": ("customer_manager", "wealth_manager", "risk_compliance"),
    "self_service": ("lobby", "noncash_teller", "customer_manager"),
    "risk_compliance": ("ops_supervisor", "corporate_manager", "vault_custodian"),
    "vip_teller": ("cash_teller", "noncash_teller", "wealth_manager"),
    "vault_custodian": ("cash_teller", "ops_supervisor", "noncash_teller"),
}
"""Posts a holder of the key post is commonly also qualified for (复合型人才)."""

_HOME_WEIGHT: dict[str, float] = {
    "lobby": 1.0,
    "cash_teller": 2.6,
    "noncash_teller": 2.2,
    "customer_manager": 1.3,
    "wealth_manager": 1.0,
    "corporate_manager": 0.7,
    "self_service": 0.8,
    "risk_compliance": 0.5,
    "vip_teller": 0.7,
    "vault_custodian": 0.5,
}
"""Relative number of people whose home post is each post (beyond the fixed ones)."""

# Channels --------------------------------------------------------------------------------

_CHANNEL_SPECS: dict[str, tuple[str, str, float, float | None, float]] = {
    # id: (name_zh, name_en, aht minutes, patience minutes, target minutes)
    "cash": ("现金柜台", "Cash counter", 6.0, 25.0, 10.0),
    "noncash": ("非现金柜台", "Non-cash counter", 12.0, 30.0, 15.0),
    "lobby": ("大堂引导", "Lobby guidance", 3.0, None, 5.0),
    "wealth": ("理财服务", "Wealth desk", 25.0, 40.0, 15.0),
    "corporate": ("对公业务", "Corporate desk", 20.0, 40.0, 20.0),
    "self_service": ("自助设备引导", "Self-service area", 4.0, None, 5.0),
    "vip": ("贵宾服务", "VIP counter", 15.0, 30.0, 5.0),
}

_QUEUE_SHAPE: dict[str, tuple[float, float, float]] = {
    # channel: (morning weight, afternoon weight, weekend factor)
    "cash": (1.3, 0.9, 0.8),
    "noncash": (1.0, 1.1, 0.9),
    "lobby": (1.1, 1.0, 1.0),
    "wealth": (0.8, 1.3, 0.6),
    "corporate": (1.1, 1.0, 0.15),
    "self_service": (1.1, 1.0, 1.1),
    "vip": (1.0, 1.1, 0.7),
}

# Names -----------------------------------------------------------------------------------

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁"
    "蔡蒋余于杜叶程魏苏吕丁任沈"
)
_GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉鹏飞宇欣怡晨浩然婷雪琳博轩佳颖"
)


def _issue(message: str, column: str, value: object, allowed: str) -> Issue:
    return Issue(file=SOURCE, message=message, column=column, value=value, allowed=allowed)


def _check_arguments(family: str, seed: int, week: str) -> Horizon:
    """Validate the generator's arguments; raise one InputError naming every bad one."""
    issues: list[Issue] = []
    if family not in FAMILIES:
        issues.append(
            _issue("unknown instance family", "family", family, ", ".join(FAMILIES.keys()))
        )
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        issues.append(_issue("the seed must be a whole number >= 0", "seed", seed, "0, 1, 2, ..."))
    horizon: Horizon | None = None
    try:
        horizon = Horizon.iso_week(week)
    except (ValueError, TypeError) as exc:
        issues.append(_issue(str(exc), "week", week, "an ISO week such as 2026-W49"))
    if issues or horizon is None:
        raise InputError(issues)
    return horizon


def _clock(minutes: int) -> dt.time:
    return dt.time.max if minutes >= 24 * 60 else dt.time(minutes // 60, minutes % 60)


def _hours(start: int, end: int) -> DayHours:
    return DayHours(start=_clock(start), end=_clock(end))


# The branch ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Opening:
    """Opening pattern drawn for one instance (minutes since midnight)."""

    weekday: tuple[int, int]
    saturday: tuple[int, int]
    sunday: tuple[int, int] | None


def _draw_opening(rng: np.random.Generator, fam: Family) -> _Opening:
    # Mostly eight-hour weekdays (9:00-17:00 is the most common), some longer ones.
    if fam.slot_minutes == 30:
        weekday_options = [(540, 1020), (510, 990), (540, 1050), (510, 1020), (540, 1080)]
        weekend_options = [(570, 960), (540, 990), (600, 960)]
    else:
        weekday_options = [(540, 1020), (540, 1020), (480, 960), (600, 1080), (540, 1080)]
        weekend_options = [(540, 960), (600, 960), (600, 1020)]
    weekday = weekday_options[int(rng.integers(len(weekday_options)))]
    saturday = weekend_options[int(rng.integers(len(weekend_options)))]
    sunday: tuple[int, int] | None = saturday
    if fam.name in ("S", "M") and rng.random() < 0.35:
        sunday = None  # small branches often close on Sundays
    return _Opening(weekday, saturday, sunday)


def _branch(fam: Family, seed: int, opening: _Opening) -> Branch:
    wd = _hours(*opening.weekday)
    hours: dict[Weekday, DayHours | None] = {d: wd for d in list(Weekday)[:5]}
    hours[Weekday.SAT] = _hours(*opening.saturday)
    hours[Weekday.SUN] = _hours(*opening.sunday) if opening.sunday else None
    return Branch(
        id=f"BENCH-{fam.name}-{seed:03d}",
        name=f"基准网点 {fam.name}-{seed}",
        opening_hours=hours,
        calendar=HolidayCalendar(country="CN", holiday_hours=_hours(600, 900)),
        slot_minutes=fam.slot_minutes,
    )


def _channels(rng: np.random.Generator, used: Iterable[str]) -> list[Channel]:
    out = []
    for cid in sorted(set(used), key=list(_CHANNEL_SPECS).index):
        zh, en, aht, patience, within = _CHANNEL_SPECS[cid]
        out.append(
            Channel(
                id=cid,
                name_zh=zh,
                name_en=en,
                aht_minutes=round(aht * float(rng.uniform(0.85, 1.2)), 1),
                patience_minutes=patience,
                shrinkage=round(float(rng.uniform(0.08, 0.18)), 2),
                target=ServiceTarget(service_level=0.8, within_minutes=within),
            )
        )
    return out


def _posts(rng: np.random.Generator, fam: Family) -> list[Post]:
    extra = fam.posts - len(CORE_POSTS)
    chosen = set(rng.choice(len(OPTIONAL_POSTS), size=extra, replace=False).tolist())
    ids = list(CORE_POSTS) + [p for i, p in enumerate(OPTIONAL_POSTS) if i in chosen]
    return [
        Post(id=pid, colour=_COLOURS[i % len(_COLOURS)], **_POST_SPECS[pid])  # type: ignore[arg-type]
        for i, pid in enumerate(ids)
    ]


def _shifts(rng: np.random.Generator, fam: Family, opening: _Opening) -> list[ShiftTemplate]:
    """Shift templates built around the branch's opening hours.

    Day, early and late shifts around the weekday hours, a weekend shift, and for half-hour
    branches a mid shift; lunch breaks are placed by the solver inside a window. The day
    shift starts half an hour before opening and pays at most eight hours, so five of them
    make a 40-hour week; where the branch opens longer, the late shift covers the close.
    """
    o, c = opening.weekday
    lunch_minutes = 60 if fam.slot_minutes == 60 else int(rng.choice([30, 60]))
    lunch = BreakRule(minutes=lunch_minutes, earliest=_clock(660), latest_end=_clock(840))
    early_len = int(rng.choice([270, 300])) if fam.slot_minutes == 30 else 270
    shifts = [
        ShiftTemplate(
            id="day",
            name="全天班",
            start=_clock(o - 30),
            end=_clock(min(c + 30, o - 30 + 480 + lunch_minutes)),
            break_rule=lunch,
        ),
        ShiftTemplate(
            id="early", name="早班", start=_clock(o - 30), end=_clock(o - 30 + early_len)
        ),
        ShiftTemplate(id="late", name="晚班", start=_clock(c - 270), end=_clock(c + 30), late=True),
    ]
    if fam.slot_minutes == 30:
        shifts.append(
            ShiftTemplate(
                id="mid",
                name="中班",
                start=_clock(o + 60),
                end=_clock(min(c, o + 60 + 480)),
                break_rule=BreakRule(minutes=30, earliest=_clock(690), latest_end=_clock(870)),
            )
        )
    weekend_days = [opening.saturday] + ([opening.sunday] if opening.sunday else [])
    wo = min(s for s, _ in weekend_days)
    wc = max(e for _, e in weekend_days)
    shifts.append(
        ShiftTemplate(
            id="weekend",
            name="周末班",
            start=_clock(wo - 30),
            end=_clock(wc + 30),
            break_rule=lunch if wc + 30 - (wo - 30) > 360 else None,
        )
    )
    return shifts


# Staff -----------------------------------------------------------------------------------


def _names(rng: np.random.Generator, n: int) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < n:
        name = _SURNAMES[int(rng.integers(len(_SURNAMES)))]
        name += "".join(
            _GIVEN[int(rng.integers(len(_GIVEN)))] for _ in range(int(rng.choice([1, 2])))
        )
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def _home_posts(rng: np.random.Generator, fam: Family, post_ids: list[str]) -> list[str]:
    """Home post of every person: heads and supervisors first, the rest by weight."""
    n_ops = max(2, round(fam.staff * 0.08))
    n_head = 1 if fam.staff < 40 else 2
    homes = ["head"] * n_head + ["ops_supervisor"] * n_ops
    rest = [p for p in post_ids if p in _HOME_WEIGHT]
    # one person per post first, then by weight
    homes += rest[: fam.staff - len(homes)]
    weights = np.array([_HOME_WEIGHT[p] for p in rest])
    while len(homes) < fam.staff:
        homes.append(rest[int(rng.choice(len(rest), p=weights / weights.sum()))])
    return homes


def _staff(
    rng: np.random.Generator, fam: Family, post_ids: list[str], week_start: dt.date
) -> list[Staff]:
    """Multi-skilled staff with a few qualifications expiring or starting mid-week."""
    homes = _home_posts(rng, fam, post_ids)
    names = _names(rng, fam.staff)
    present = set(post_ids)
    quals: list[list[str]] = []
    for home in homes:
        options = [p for p in _AFFINITY[home] if p in present]
        k = min(len(options), int(rng.choice([1, 2, 2, 3])))
        extra = [options[i] for i in sorted(rng.choice(len(options), size=k, replace=False))]
        quals.append([home, *extra])
    n_part = max(1, round(fam.staff * 0.1))
    candidates = [
        i for i, h in enumerate(homes) if h in ("noncash_teller", "lobby", "self_service")
    ]
    part_time = set(candidates[-n_part:])
    # The head can always stand in as supervisor; a senior cash teller (not the first, who
    # mentors the trainee) can authorise too.
    if "ops_supervisor" not in quals[0]:
        quals[0].append("ops_supervisor")
    cash = [i for i, h in enumerate(homes) if h == "cash_teller"]
    senior = cash[1] if len(cash) > 1 else cash[0]
    if "ops_supervisor" not in quals[senior]:
        quals[senior].append("ops_supervisor")
    need = _qualified_needed(fam, post_ids)
    _ensure_qualified(rng, quals, homes, part_time, need)
    expiring = _pick_expiring(rng, fam, quals, homes, part_time, need)
    wednesday = week_start + dt.timedelta(days=2)
    thursday = week_start + dt.timedelta(days=3)
    people: list[Staff] = []
    for i, (home, name) in enumerate(zip(homes, names, strict=True)):
        q_list = []
        for post in quals[i]:
            valid_from = valid_to = None
            if expiring.get(i) == (post, "expires"):
                valid_to = wednesday
            elif expiring.get(i) == (post, "starts"):
                valid_from = thursday
            q_list.append(Qualification(post=post, valid_from=valid_from, valid_to=valid_to))
        years = int(rng.integers(1, 25))
        rate = {"head": 120, "ops_supervisor": 90}.get(home, 55) + years + int(rng.integers(0, 15))
        people.append(
            Staff(
                id=f"E{i + 1:03d}",
                name=name,
                employment_start=dt.date(week_start.year - years, int(rng.integers(1, 13)), 1),
                home_post=home,
                hourly_rate=float(rate),
                part_time=i in part_time,
                contract_hours_per_week=24.0 if i in part_time else 40.0,
                qualifications=q_list,
            )
        )
    return people


def _qualified_needed(fam: Family, post_ids: list[str]) -> dict[str, int]:
    """Least number of full-time people qualified for each post.

    Posts that must be held in every open slot (the lobby floor, the authoriser) need two
    people a day (lunch breaks) on up to seven days from people working five: four in a small
    branch, five in larger ones. Other posts need two (three from 16 staff).
    """
    always = {p for p in post_ids if _POST_SPECS[p].get("min_staff")} | {"ops_supervisor"}
    small = fam.staff < 16
    return {p: (4 if small else 5) if p in always else (2 if small else 3) for p in post_ids}


def _ensure_qualified(
    rng: np.random.Generator,
    quals: list[list[str]],
    homes: list[str],
    part_time: set[int],
    need: dict[str, int],
) -> None:
    """Add qualifications until every post has ``need[post]`` full-time qualified people.

    People whose home post is related to the post are trained first, then anyone else.
    """
    full = [i for i in range(len(homes)) if i not in part_time]
    for post, n in need.items():
        have = sum(post in quals[i] for i in full)
        related = [i for i in full if post in _AFFINITY[homes[i]] and post not in quals[i]]
        others = [i for i in full if post not in quals[i] and i not in related and i > 0]
        order = list(rng.permutation(related)) + list(rng.permutation(others))
        for i in order[: max(0, n - have)]:
            quals[int(i)].append(post)


def _pick_expiring(
    rng: np.random.Generator,
    fam: Family,
    quals: list[list[str]],
    homes: list[str],
    part_time: set[int],
    need: dict[str, int],
) -> dict[int, tuple[str, str]]:
    """Choose a few non-home qualifications to expire on Wednesday or to start on Thursday.

    Only posts with more full-time qualified people than they need lose one; when none has
    any to spare, one person gains a qualification from Thursday instead.
    """
    full = [i for i in range(len(homes)) if i not in part_time]
    count = {"S": 1, "M": 2, "L": 3, "XL": 5}[fam.name]
    spare = {p: sum(p in quals[j] for j in full) - n for p, n in need.items()}
    out: dict[int, tuple[str, str]] = {}
    for i in rng.permutation(full):
        i = int(i)
        if len(out) >= count:
            break
        extras = [p for p in quals[i][1:] if spare[p] > 0]
        if i == 0 or not extras or homes[i] == "ops_supervisor":
            continue
        post = extras[int(rng.integers(len(extras)))]
        spare[post] -= 1
        out[i] = (post, "starts" if len(out) % 3 == 2 else "expires")
    if not out:  # no spare qualification: someone gets newly certified on Thursday instead
        for i in full[1:]:
            new = [p for p in _AFFINITY[homes[i]] if p in spare and p not in quals[i]]
            if new:
                quals[i].append(new[0])
                out[i] = (new[0], "starts")
                break
    return out


# Rules -----------------------------------------------------------------------------------


def _pairs(staff: list[Staff], post_ids: list[str]) -> list[BackupPair]:
    """A/B pairs on the sensitive posts: A is a home holder, B another qualified person."""
    pairs: list[BackupPair] = []
    used: set[str] = set()
    for post in ("ops_supervisor", "cash_teller", "vip_teller", "vault_custodian", "lobby"):
        if post not in post_ids:
            continue
        holders = [
            s
            for s in staff
            if s.home_post == post and s.id not in used and not s.part_time and not s.trainee_of
        ]
        if not holders:
            continue
        a = holders[0]
        backups = [
            s
            for s in staff
            if s.id != a.id
            and s.id not in used
            and not s.part_time
            and not s.trainee_of
            and any(
                q.post == post and q.valid_to is None and q.valid_from is None
                for q in s.qualifications
            )
        ]
        if not backups:
            continue
        b = backups[0]
        pairs.append(BackupPair(post=post, a=a.id, b=b.id))
        used.update({a.id, b.id})
    return pairs


def _config(rng: np.random.Generator, fam: Family, seed: int, week_start: dt.date) -> BranchConfig:
    opening = _draw_opening(rng, fam)
    branch = _branch(fam, seed, opening)
    posts = _posts(rng, fam)
    post_ids = [p.id for p in posts]
    channels = _channels(rng, [c for p in posts for c in p.channels])
    staff = _staff(rng, fam, post_ids, week_start)
    shifts = _shifts(rng, fam, opening)
    # The trainee: the last part-time non-cash teller, mentored by a cash teller.
    mentor = next(s for s in staff if s.home_post == "cash_teller")
    trainee_idx = max(i for i, s in enumerate(staff) if s.part_time)
    trainee = staff[trainee_idx]
    allowed = {q.post for q in mentor.qualifications} | {"lobby"}
    staff[trainee_idx] = trainee.model_copy(
        update={
            "trainee_of": mentor.id,
            "employment_start": week_start - dt.timedelta(days=120),
            "hourly_rate": 40.0,
            "qualifications": [q for q in trainee.qualifications if q.post in allowed]
            or [Qualification(post="lobby")],
            "home_post": trainee.home_post
            if any(
                q.post == trainee.home_post and q.post in allowed for q in trainee.qualifications
            )
            else None,
        }
    )
    tellers = [p for p in post_ids if _POST_SPECS[p]["kind"] == PostKind.TELLER]
    incompatible = [
        IncompatibleDuties(
            posts=("ops_supervisor", "cash_teller"),
            reason="an authoriser may not authorise their own transactions",
        )
    ]
    if "vault_custodian" in post_ids:
        incompatible.append(
            IncompatibleDuties(
                posts=("vault_custodian", "cash_teller"),
                reason="the vault custodian does not handle counter cash the same day",
            )
        )
    if "risk_compliance" in post_ids:
        incompatible.append(
            IncompatibleDuties(
                posts=("risk_compliance", "ops_supervisor"),
                reason="the checker does not check work they authorised",
            )
        )
    vault_posts = ["ops_supervisor", "cash_teller"] + (
        ["vault_custodian"] if "vault_custodian" in post_ids else []
    )
    floor_posts: list[str] = [
        p for p in ("customer_manager", "lobby", "wealth_manager") if p in post_ids
    ]
    cms = [s.id for s in staff if s.home_post in ("customer_manager", "corporate_manager")]
    cash = [s.id for s in staff if s.home_post == "cash_teller" and not s.part_time]
    quotas = [
        RotationQuota(
            name="customer managers on the floor",
            staff=cms[:3],
            posts=floor_posts,
            min_share=0.5,
        ),
        RotationQuota(
            name="cash teller rotation", staff=cash[:4], posts=["cash_teller"], max_share=0.8
        ),
    ]
    return BranchConfig(
        branch=branch,
        channels=channels,
        posts=posts,
        staff=staff,
        shifts=shifts,
        labour=LabourRules(
            max_hours_per_day=9,
            max_hours_per_week=44,
            min_rest_hours=12,
            min_days_off_per_week=2,
            max_consecutive_days=6,
            max_weekends_worked=1,
            forbidden_sequences=[("late", "early")],
        ),
        backup_pairs=_pairs(staff, post_ids),
        incompatible_duties=incompatible,
        dual_control=[DualControl(name="vault", qualified_posts=vault_posts, people=2)],
        duty_cover=[DutyCover(name="manager on duty", qualified_posts=["head", "ops_supervisor"])],
        authorisers=[Authoriser(post="ops_supervisor", supervises=tellers)],
        rotation_quotas=[q for q in quotas if q.staff],
        mandatory_leave=MandatoryLeaveRule(
            posts=[p for p in post_ids if _POST_SPECS[p].get("sensitive")], working_days=5
        ),
        mentors=[MentorPairing(trainee=trainee.id, mentor=mentor.id)],
    )


# Availability ----------------------------------------------------------------------------


def _availability(
    rng: np.random.Generator, fam: Family, config: BranchConfig, horizon: Horizon
) -> Availability:
    """Leave days, unavailable windows, part-time windows and preferences.

    A/B partners are never both absent on one day; the mentor and the people who can hold
    the manager-on-duty posts (when there are fewer than six of them) take no whole days off.
    """
    calendar = BranchCalendar(config.branch)
    open_days = calendar.open_days(horizon)
    partner: dict[str, str] = {}
    for pair in config.backup_pairs:
        partner[pair.a], partner[pair.b] = pair.b, pair.a
    duty_posts = set(config.duty_cover[0].qualified_posts)
    duty_pool = [s.id for s in config.staff if any(q.post in duty_posts for q in s.qualifications)]
    protected = {m.mentor for m in config.mentors} | {m.trainee for m in config.mentors}
    if len(duty_pool) < 6:
        protected |= set(duty_pool)
    absent: dict[str, set[dt.date]] = {s.id: set() for s in config.staff}

    def can_be_absent(staff_id: str, days: Sequence[dt.date]) -> bool:
        other = partner.get(staff_id)
        return staff_id not in protected and not (
            other is not None and absent[other].intersection(days)
        )

    entries: list[AvailabilityEntry] = []
    leave: list[LeaveRequest] = []
    order = [config.staff[int(i)].id for i in rng.permutation(len(config.staff))]
    n_leave = {"S": 1, "M": 2, "L": 3, "XL": 6}[fam.name]
    for staff_id in order:
        if len(leave) >= n_leave:
            break
        length = int(rng.choice([1, 2]))
        first = int(rng.integers(0, max(1, len(open_days) - length + 1)))
        days = open_days[first : first + length]
        if not days or not can_be_absent(staff_id, days):
            continue
        kind = LeaveKind.TRAINING if len(leave) == 1 else LeaveKind.ANNUAL
        leave.append(
            LeaveRequest(staff_id=staff_id, start_date=days[0], end_date=days[-1], kind=kind)
        )
        absent[staff_id].update(days)
    if fam.name in ("L", "XL"):
        _mandatory_block(config, open_days, partner, protected, absent, leave)
    for staff in config.staff:
        if staff.part_time and staff.trainee_of is None:
            windows = _part_time_windows(rng, config, staff.id, open_days, calendar)
            # No offer to work on a day of the same person's leave (the file reader refuses it).
            entries += [w for w in windows if w.date not in absent[staff.id]]
    declared = {(e.staff_id, e.date) for e in entries}
    for staff_id in order:
        roll = rng.random()
        day = open_days[int(rng.integers(len(open_days)))]
        if day in absent[staff_id] or (staff_id, day) in declared:
            continue  # one declaration per person and day: windows never overlap
        hours = calendar.hours(day)
        assert hours is not None
        close = hours.end_minute
        if roll < 0.12:
            if can_be_absent(staff_id, [day]):
                entries.append(
                    AvailabilityEntry(
                        staff_id=staff_id,
                        date=day,
                        kind=AvailabilityKind.UNAVAILABLE,
                        note="personal appointment",
                    )
                )
                absent[staff_id].add(day)
        elif roll < 0.25:
            # A partial window can rule out every shift that day: treat it as an absence.
            if can_be_absent(staff_id, [day]):
                entries.append(
                    AvailabilityEntry(
                        staff_id=staff_id,
                        date=day,
                        kind=AvailabilityKind.UNAVAILABLE,
                        start=_clock(close - 150),
                        end=_clock(close + 60),
                        note="school pick-up",
                    )
                )
                absent[staff_id].add(day)
        elif roll < 0.45:
            entries.append(
                AvailabilityEntry(
                    staff_id=staff_id,
                    date=day,
                    kind=AvailabilityKind.PREFERRED,
                    start=_clock(hours.start_minute - 30),
                    end=_clock(hours.start_minute + 240),
                    weight=int(rng.integers(1, 6)),
                    note="prefers the early shift",
                )
            )
        elif roll < 0.6:
            entries.append(
                AvailabilityEntry(
                    staff_id=staff_id,
                    date=day,
                    kind=AvailabilityKind.UNDESIRED,
                    weight=int(rng.integers(1, 6)),
                    note="would rather have the day off",
                )
            )
    return Availability(entries=entries, leave=leave)


def _mandatory_block(
    config: BranchConfig,
    open_days: list[dt.date],
    partner: dict[str, str],
    protected: set[str],
    absent: dict[str, set[dt.date]],
    leave: list[LeaveRequest],
) -> None:
    """Send one sensitive-post holder outside any A/B pair on a five-working-day block."""
    rule = config.mandatory_leave
    if rule is None:
        return
    weekdays = [d for d in open_days if d.weekday() < 5][: rule.working_days]
    for staff in config.staff:
        if (
            staff.home_post in rule.posts
            and staff.home_post != "ops_supervisor"
            and staff.id not in partner
            and staff.id not in protected
            and not absent[staff.id]
            and len(weekdays) == rule.working_days
        ):
            leave.append(
                LeaveRequest(
                    staff_id=staff.id,
                    start_date=weekdays[0],
                    end_date=weekdays[-1],
                    kind=LeaveKind.MANDATORY,
                    note="强制休假",
                )
            )
            absent[staff.id].update(weekdays)
            return


def _part_time_windows(
    rng: np.random.Generator,
    config: BranchConfig,
    staff_id: str,
    open_days: list[dt.date],
    calendar: BranchCalendar,
) -> list[AvailabilityEntry]:
    """A part-timer's 'available' windows on four or five days.

    Mornings or afternoons, each window holding a whole early or late shift.
    """
    k = min(len(open_days), int(rng.choice([4, 5])))
    days = sorted(open_days[int(i)] for i in rng.choice(len(open_days), size=k, replace=False))
    early, late = config.shift("early"), config.shift("late")
    morning = rng.random() < 0.5
    out = []
    for day in days:
        hours = calendar.hours(day)
        assert hours is not None
        window = early if morning else late
        start = min(window.start_minute, hours.start_minute)
        end = max(window.end_minute, start + 60)
        out.append(
            AvailabilityEntry(
                staff_id=staff_id,
                date=day,
                kind=AvailabilityKind.AVAILABLE,
                start=_clock(start),
                end=_clock(end),
                note="part-time hours",
            )
        )
    return out


# Requirements ----------------------------------------------------------------------------


def _available_minutes(
    staff_id: str, day: dt.date, m0: int, m1: int, availability: Availability
) -> bool:
    """Whether the person could work the whole slot ``[m0, m1)`` on ``day``."""
    if any(lv.approved and lv.staff_id == staff_id and lv.covers(day) for lv in availability.leave):
        return False
    entries = [e for e in availability.entries if e.staff_id == staff_id and e.date == day]
    for e in entries:
        lo, hi = e.minutes
        if e.kind == AvailabilityKind.UNAVAILABLE and m0 < hi and lo < m1:
            return False
    windows = [e.minutes for e in entries if e.kind == AvailabilityKind.AVAILABLE]
    return not windows or any(lo <= m0 and m1 <= hi for lo, hi in windows)


def _profile(rng: np.random.Generator, slot: dt.datetime, day_hours: DayHours) -> float:
    """Relative customer traffic of a slot.

    Mid-morning and mid-afternoon peaks, a lunch dip, Monday-morning and Friday-afternoon
    peaks, a Wednesday-afternoon trough, quieter weekends, and month-end / pension-day peaks.
    """
    hour = slot.hour + slot.minute / 60
    span = (day_hours.end_minute - day_hours.start_minute) / 60
    rel = (hour - day_hours.start_minute / 60) / span
    shape = 0.75 + 0.45 * math.exp(-(((rel - 0.2) / 0.13) ** 2))
    shape += 0.35 * math.exp(-(((rel - 0.7) / 0.15) ** 2)) - 0.2 * math.exp(
        -(((rel - 0.45) / 0.08) ** 2)
    )
    wd = slot.weekday()
    if wd == 0 and rel < 0.5:
        shape *= 1.25
    if wd == 4 and rel >= 0.5:
        shape *= 1.2
    if wd == 2 and rel >= 0.5:
        shape *= 0.8
    if wd >= 5:
        shape *= 0.85
    month_end = (slot.date() + dt.timedelta(days=2)).month != slot.month
    if month_end or slot.day in (8, 9, 10):
        shape *= 1.15
    return shape * float(rng.uniform(0.92, 1.08))


def _erlang_c(n: int, a: float) -> float:
    """Probability that a customer waits with ``n`` servers and ``a`` erlangs (n > a)."""
    b = 1.0
    for k in range(1, n + 1):
        b = a * b / (k + a * b)
    return n * b / (n - a * (1 - b))


def _queue_figures(n: int, a: float, aht: float, within: float) -> tuple[float, float, float]:
    """Expected wait with ``n`` staff, with ``n - 1``, and the service level, for M/M/n."""
    if n <= 0 or a <= 0:
        return 0.0, 0.0, math.nan
    cap = 60.0
    wait = min(cap, _erlang_c(n, a) * aht / (n - a)) if n > a else cap
    short = min(cap, _erlang_c(n - 1, a) * aht / (n - 1 - a)) if n - 1 > a else cap
    level = 1.0 - _erlang_c(n, a) * math.exp(-(n - a) * within / aht) if n > a else 0.0
    return round(wait, 3), round(short, 3), round(level, 4)


def _weekly_capacity(config: BranchConfig) -> dict[str, float]:
    labour = config.labour
    days = 7 - labour.min_days_off_per_week
    return {
        s.id: min(
            s.contract_hours_per_week, labour.max_hours_per_week, days * labour.max_hours_per_day
        )
        for s in config.staff
    }


def _largest_remainder(total: int, weights: dict[str, float], caps: dict[str, int]) -> dict:
    """Split ``total`` into integers proportional to ``weights`` without exceeding ``caps``."""
    out = dict.fromkeys(weights, 0)
    left = total
    active = {p for p, w in weights.items() if w > 0 and caps[p] > 0}
    while left > 0 and active:
        wsum = sum(weights[p] for p in active)
        shares = {p: left * weights[p] / wsum for p in active}
        base = {p: min(caps[p] - out[p], math.floor(shares[p])) for p in active}
        given = sum(base.values())
        for p, v in base.items():
            out[p] += v
        left -= given
        if left <= 0:
            break
        ranked = sorted(active, key=lambda p: (-(shares[p] - math.floor(shares[p])), p))
        for p in ranked:
            if left == 0:
                break
            if out[p] < caps[p]:
                out[p] += 1
                left -= 1
        active = {p for p in active if out[p] < caps[p]}
    return out


def _requirements(
    rng: np.random.Generator, config: BranchConfig, horizon: Horizon, availability: Availability
) -> pd.DataFrame:
    """The requirement frame: staff needed per open slot and post."""
    calendar = BranchCalendar(config.branch)
    step = config.branch.slot_minutes
    staff_ids = [s.id for s in config.staff]
    slots = [(d, s) for d in horizon.dates for s in calendar.slots(d)]
    avail = {
        (sid, ds): _available_minutes(
            sid, ds.date(), ds.hour * 60 + ds.minute, ds.hour * 60 + ds.minute + step, availability
        )
        for sid in staff_ids
        for _, ds in slots
    }
    capacity = _weekly_capacity(config)
    presence: dict[str, float] = {}
    for sid in staff_ids:
        hours_available = sum(avail[(sid, ds)] for _, ds in slots) * step / 60
        presence[sid] = min(1.0, capacity[sid] / hours_available) if hours_available else 0.0
    utilisation = float(rng.uniform(0.60, 0.80))
    profile = {}
    for d, ds in slots:
        hours = calendar.hours(d)
        assert hours is not None
        profile[ds] = _profile(rng, ds, hours)
    expected = {ds: sum(presence[sid] * avail[(sid, ds)] for sid in staff_ids) for _, ds in slots}
    scale = sum(expected.values()) / max(1e-9, sum(profile[ds] * expected[ds] for _, ds in slots))
    post_ids = [p.id for p in config.posts]
    queue_posts = [p for p in config.posts if p.channels]
    tellers = set(config.authorisers[0].supervises) if config.authorisers else set()
    occupancy = float(rng.uniform(0.6, 0.8))
    rows: list[dict[str, object]] = []
    for d, ds in slots:
        hours = calendar.hours(d)
        assert hours is not None
        m0 = ds.hour * 60 + ds.minute
        here = [sid for sid in staff_ids if avail[(sid, ds)]]
        qualified = {
            p: sum(config.person(sid).qualified_for(p, d) for sid in here) for p in post_ids
        }
        total = round(utilisation * scale * profile[ds] * expected[ds])
        total = min(total, max(2, len(here) - 1))
        floors = dict.fromkeys(post_ids, 0)
        desk = dict.fromkeys(post_ids, 0)  # non-queue work: soft, like traffic
        reasons = dict.fromkeys(post_ids, "")
        for post in config.posts:
            if post.min_staff:
                floors[post.id] = post.min_staff
                reasons[post.id] = "floor: min staff"
        if "vault_custodian" in post_ids and (
            m0 < hours.start_minute + 60 or m0 >= (hours.end_minute - 60)
        ):
            desk["vault_custodian"] = 1
            reasons["vault_custodian"] = "vault opening and closing"
        trough = profile[ds] < 0.9 and d.weekday() < 5
        if "risk_compliance" in post_ids and trough:
            desk["risk_compliance"] = 1
            reasons["risk_compliance"] = "back office in a trough hour"
        authoriser = 1 if tellers else 0
        rel = (m0 - hours.start_minute) / (hours.end_minute - hours.start_minute)
        weights: dict[str, float] = {}
        for post in queue_posts:
            w = 0.0
            for cid in post.channels:
                morning, afternoon, weekend = _QUEUE_SHAPE[cid]
                w += (morning if rel < 0.5 else afternoon) * (weekend if d.weekday() >= 5 else 1)
            weights[post.id] = w * _HOME_WEIGHT.get(post.id, 1.0)
        reserved = sum(floors.values()) + sum(desk.values())
        traffic_total = max(0, total - authoriser - reserved)
        caps = {p: max(0, qualified[p] - floors[p]) for p in weights}
        traffic = _largest_remainder(traffic_total, weights, caps)
        staffed_tellers = any(traffic.get(p, 0) + floors[p] > 0 for p in tellers)
        for post in config.posts:
            pid = post.id
            floor = floors[pid]
            t = traffic.get(pid, 0) + min(desk[pid], qualified[pid])
            reason = reasons[pid]
            if pid == "ops_supervisor" and staffed_tellers:
                floor, reason = 1, "authoriser for tellers"
            if post.channels and floor:
                t += floor  # the unit reserved for the floor serves the post's channel too
            required = max(t, floor)
            arrivals = wait = short = 0.0
            level = math.nan
            erlangs = 0.0
            if post.channels and t > 0:
                channel = config.channel(post.channels[0])
                erlangs = round(t * occupancy * float(rng.uniform(0.9, 1.05)), 3)
                erlangs = min(erlangs, t - 0.05)
                arrivals = round(erlangs * 60 / channel.aht_minutes * step / 60, 2)
                wait, short, level = _queue_figures(
                    t, erlangs, channel.aht_minutes, channel.target.within_minutes
                )
                reason = "traffic" if t > floor else reason
            elif not reason:
                reason = "no traffic"
            rows.append(
                {
                    "branch": config.branch.id,
                    "date": d,
                    "ds": pd.Timestamp(ds),
                    "post": pid,
                    "required": int(required),
                    "traffic_required": int(t),
                    "floor_required": int(floor),
                    "arrivals": arrivals,
                    "workload_erlangs": erlangs,
                    "expected_wait_min": wait,
                    "wait_one_short_min": short,
                    "service_level": level,
                    "unmeetable": required > qualified[pid],
                    "reason": reason,
                }
            )
    frame = pd.DataFrame(rows, columns=list(REQUIREMENT_COLUMNS))
    frame["required"] = frame["required"].astype("int64")
    frame["traffic_required"] = frame["traffic_required"].astype("int64")
    frame["floor_required"] = frame["floor_required"].astype("int64")
    frame["unmeetable"] = frame["unmeetable"].astype(bool)
    return frame


# Public API ------------------------------------------------------------------------------


def make_instance(family: str, seed: int = 0, week: str = "2026-W49") -> RosterRequest:
    """Build a seeded one-week roster instance.

    Args:
        family: ``S``, ``M``, ``L`` or ``XL`` (see :data:`FAMILIES`).
        seed: Any whole number >= 0; the same seed gives the same instance.
        week: The ISO week to plan (e.g. ``2026-W49``); holidays and 调休 follow the CN calendar.

    Returns:
        A request with the branch configuration, the horizon, the availability and the
        requirement frame.

    Raises:
        InputError: If the family is unknown, the seed negative or the week not an ISO week.

    Example:
        >>> req = make_instance("S", seed=1)
        >>> len(req.config.staff), len(req.config.posts)
        (8, 6)
    """
    horizon = _check_arguments(family, seed, week)
    fam = FAMILIES[family]
    rng = np.random.default_rng([list(FAMILIES).index(family), seed, 20261130])
    config = _config(rng, fam, seed, horizon.start)
    availability = _availability(rng, fam, config, horizon)
    requirements = _requirements(rng, config, horizon, availability)
    return RosterRequest(
        config=config, horizon=horizon, requirements=requirements, availability=availability
    )


def describe(request: RosterRequest) -> str:
    """One line describing an instance: staff, posts, slots, required staff-hours, hours.

    Example:
        >>> describe(make_instance("S", seed=0))[:30]
        'BENCH-S-000: 8 staff, 6 posts,'
    """
    cfg = request.config
    req = request.requirements
    hours = float(req["required"].sum()) * cfg.branch.slot_minutes / 60
    slots = req["ds"].nunique()
    first = next((h for h in cfg.branch.opening_hours.values() if h is not None), None)
    return (
        f"{cfg.branch.id}: {len(cfg.staff)} staff, {len(cfg.posts)} posts, "
        f"{slots} open slots of {cfg.branch.slot_minutes} min, {hours:g} staff-hours required, "
        f"opening {first if first is not None else 'never'}"
    )
