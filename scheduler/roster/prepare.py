"""Checks and tables derived from a roster request before any solver variable is made.

Everything here is plain data: the open slots of each day, the staff needed per (day, slot,
post), the minutes each person may not work, the reasons a person is absent. Bad input is
reported as one :class:`~scheduler.errors.InputError` listing every problem.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass, field

import pandas as pd

from scheduler.calendar import BranchCalendar
from scheduler.domain import AvailabilityKind, RuleMode
from scheduler.domain.common import minutes_of
from scheduler.errors import Issue
from scheduler.frames import MAX_REQUIRED, SOURCE_ROWS, branch_time
from scheduler.roster.request import RosterRequest
from scheduler.roster.words import LEAVE_ZH, Words, default_zh

MAX_HORIZON_DAYS = 371
"""The longest horizon a solve accepts (53 weeks: a year of weekly planning). A week is the
default and 8 weeks the usual most; longer horizons (the published benchmarks' 12-52 weeks)
build large models: see :data:`LONG_HORIZON_DAYS`."""
LONG_HORIZON_DAYS = 56
"""Beyond this many days a solve warns that the model is large and may need more time."""

MIN_WAIT_WEIGHT_MIN = 1.0
"""Least weight of one staff-hour short: every shortfall costs at least one minute of wait."""

MAX_WAIT_WEIGHT_MIN = 60.0
"""Most weight of one staff-hour short, so an unstable queue does not swamp every other rule."""

REQUIREMENTS_FILE = "<requirements>"
"""The source name used in messages about the requirement frame."""

SHOWN_ROWS = 5
"""Row numbers a warning about ignored requirement rows lists before "..."."""

PINS_FILE = "<pins>"
"""The source name used in messages about pins given as objects."""

Interval = tuple[int, int]
"""A half-open interval of minutes since midnight."""


@dataclass(frozen=True)
class Need:
    """What one (day, slot, post) needs.

    Attributes:
        required: Staff the roster should place on the post (traffic and floor).
        floor: Staff the post must never fall below (``floor_required`` / ``Post.min_staff``).
        wait_weight: Minutes of extra customer wait one person short costs, clamped to
            [:data:`MIN_WAIT_WEIGHT_MIN`, :data:`MAX_WAIT_WEIGHT_MIN`].
    """

    required: int
    floor: int
    wait_weight: float


@dataclass(frozen=True)
class Absence:
    """Why a person cannot work (part of) a day.

    Attributes:
        reason: The reason in words, e.g. "annual leave" or "unavailable 14:00-17:00".
        whole_day: Whether it covers the whole day.
        reason_zh: The reason in Chinese, e.g. "年假" (the English when not given).
    """

    reason: str
    whole_day: bool
    reason_zh: str = ""

    def __post_init__(self) -> None:
        default_zh(self, "reason")


@dataclass
class Prepared:
    """The request turned into lookup tables.

    Attributes:
        dates: Every day of the horizon.
        open_days: Days the branch opens.
        hours: Opening and closing minute per open day.
        slots: Start minute of each open slot per open day.
        needs: Staff needed per (day, slot minute, post).
        forbidden: Minutes each (person, day) may not work (leave, unavailable, outside the
            declared available windows), merged and sorted.
        absences: Reasons behind ``forbidden``, for explanations.
        warnings: Things the manager should know, in English and Chinese.
    """

    dates: tuple[dt.date, ...]
    open_days: tuple[dt.date, ...]
    hours: dict[dt.date, Interval]
    slots: dict[dt.date, tuple[int, ...]]
    needs: dict[tuple[dt.date, int, str], Need]
    forbidden: dict[tuple[str, dt.date], tuple[Interval, ...]]
    absences: dict[tuple[str, dt.date], tuple[Absence, ...]]
    warnings: list[Words] = field(default_factory=list)


def merge_intervals(intervals: list[Interval]) -> tuple[Interval, ...]:
    """Merge overlapping or touching intervals and sort them.

    Example:
        >>> merge_intervals([(600, 700), (0, 60), (650, 800)])
        ((0, 60), (600, 800))
    """
    out: list[list[int]] = []
    for lo, hi in sorted(intervals):
        if out and lo <= out[-1][1]:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return tuple((lo, hi) for lo, hi in out)


def overlap(intervals: tuple[Interval, ...], lo: int, hi: int) -> int:
    """Minutes of ``intervals`` (disjoint) that fall inside ``[lo, hi)``."""
    return sum(max(0, min(b, hi) - max(a, lo)) for a, b in intervals)


def clock(minute: int) -> str:
    """Minutes since midnight as ``HH:MM``."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


@functools.lru_cache(maxsize=4096)
def day_label(day: dt.date) -> str:
    """A date as a manager reads it, e.g. ``Tue 1 Dec``."""
    return f"{day:%a} {day.day} {day:%b}"


WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
"""Short Chinese weekday names, Monday first."""


@functools.lru_cache(maxsize=4096)
def day_label_zh(day: dt.date) -> str:
    """:func:`day_label` in Chinese, e.g. ``12月1日(周二)``."""
    return f"{day.month}月{day.day}日({WEEKDAYS_ZH[day.weekday()]})"


OPTIONAL_NEED_COLUMNS = ("floor_required", "wait_one_short_min")
"""Columns of the requirement frame the roster reads when present: the floors (authoriser,
dual control, a manager on duty) and the extra wait one person short causes."""
OPTIONAL_NEED_COLUMNS_EFFECT_EN = (
    "floors come from the posts' minimums only and every staff-hour short costs the least "
    "weight (1 minute of wait), peak or not"
)
OPTIONAL_NEED_COLUMNS_EFFECT_ZH = (
    "岗位底线只按岗位最低人数计, 每缺一人时按最低权重 (等候 1 分钟) 计, 不分高峰"
)


def _wait_weight(value: object) -> float:
    try:
        wait = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return MIN_WAIT_WEIGHT_MIN
    if math.isnan(wait):
        return MIN_WAIT_WEIGHT_MIN
    return min(MAX_WAIT_WEIGHT_MIN, max(MIN_WAIT_WEIGHT_MIN, wait))


def _count(value: object) -> int | None:
    """A non-negative whole number, or ``None`` when the value is not one."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if math.isnan(number) or number < 0 or not number.is_integer():
        return None
    return int(number)


def _read_needs(
    request: RosterRequest,
    slots: dict[dt.date, tuple[int, ...]],
    issues: list[Issue],
    warnings: list[Words],
) -> dict[tuple[dt.date, int, str], Need]:
    """Staff needed per (day, slot, post) from the requirement frame and the posts' minimums.

    A frame at coarser granularity than the branch's slots (hourly rows, 30-minute slots)
    applies each row to every slot of its hour.
    """
    frame = request.requirements
    config = request.config
    posts = {p.id: p for p in config.posts}
    raw: dict[tuple[dt.date, int, str], tuple[int, int, float]] = {}
    missing = [c for c in ("ds", "post", "required") if c not in frame.columns]
    if missing:
        issues.append(
            Issue(
                REQUIREMENTS_FILE,
                f"the requirement frame lacks column(s) {', '.join(missing)}",
                allowed="the columns of scheduler.frames.REQUIREMENT_COLUMNS",
            )
        )
        return {}
    outside: list[tuple[int, pd.Timestamp, str]] = []
    beyond: list[dt.date] = []
    source = frame.attrs.get(SOURCE_ROWS)
    numbers = source if isinstance(source, dict) else {}
    records = zip(frame.index, frame.to_dict("records"), strict=True)
    for position, (label, row) in enumerate(records):
        i = numbers.get(label, position + 2)
        try:
            ds = pd.Timestamp(row["ds"])  # type: ignore[arg-type]
            if pd.isna(ds):
                raise ValueError
            ds = branch_time(ds, config.branch.timezone)
        except (TypeError, ValueError):
            issues.append(
                Issue(
                    REQUIREMENTS_FILE, "not a date and time", i, "ds", row["ds"], "2026-12-01 09:00"
                )
            )
            continue
        post = str(row["post"])
        if post not in posts:
            issues.append(
                Issue(REQUIREMENTS_FILE, "unknown post", i, "post", post, ", ".join(sorted(posts)))
            )
            continue
        required = _count(row["required"])
        if required is None:
            issues.append(
                Issue(
                    REQUIREMENTS_FILE,
                    "staff required must be a whole number of people",
                    i,
                    "required",
                    row["required"],
                    "0, 1, 2, ...",
                )
            )
            continue
        if required > MAX_REQUIRED:
            issues.append(
                Issue(
                    REQUIREMENTS_FILE,
                    "more staff than a post can hold",
                    i,
                    "required",
                    row["required"],
                    f"0 to {MAX_REQUIRED}",
                )
            )
            continue
        floor = _count(row.get("floor_required", 0)) or 0
        day, minute = ds.date(), ds.hour * 60 + ds.minute
        if day not in request.horizon:
            beyond.append(day)
            continue
        if minute not in slots.get(day, ()):
            if day in slots and minute % config.branch.slot_minutes == 0:
                outside.append((i, ds, post))
                continue
            if day in slots:
                issues.append(
                    Issue(
                        REQUIREMENTS_FILE,
                        f"not the start of a {config.branch.slot_minutes}-minute slot",
                        i,
                        "ds",
                        str(ds),
                        f"times on the {config.branch.slot_minutes}-minute grid",
                    )
                )
            else:  # a day the branch is closed
                outside.append((i, ds, post))
            continue
        key = (day, minute, post)
        if key in raw:
            issues.append(
                Issue(
                    REQUIREMENTS_FILE, "a second row for the same slot and post", i, "ds", str(ds)
                )
            )
            continue
        raw[key] = (required, floor, _wait_weight(row.get("wait_one_short_min")))
    horizon = request.horizon
    if beyond and not raw and not issues:
        issues.append(
            Issue(
                REQUIREMENTS_FILE,
                f"no requirement row falls in the planned days: its {len(beyond)} row(s) run "
                f"from {min(beyond)} to {max(beyond)}",
                column="ds",
                value=f"{min(beyond)} to {max(beyond)}",
                allowed=f"rows for {horizon.start} to {horizon.end} (the frame of that week)",
            )
        )
    elif beyond:
        warnings.append(
            Words(
                f"{len(beyond)} requirement row(s) fall outside the planned days "
                f"({horizon.start} to {horizon.end}) and were ignored",
                f"岗位需求表中有 {len(beyond)} 行不在排班期内 ({horizon.start} 至 {horizon.end}), "
                "已忽略",
            )
        )
    if outside:
        rows = ", ".join(str(i) for i, _, _ in outside[:SHOWN_ROWS])
        rows += " ..." if len(outside) > SHOWN_ROWS else ""
        first_row, first_ds, first_post = outside[0]
        first = f"{first_ds:%Y-%m-%d %H:%M} {first_post}"
        warnings.append(
            Words(
                f"{len(outside)} requirement row(s) fall outside the branch's opening hours and "
                f"were ignored (rows {rows}; row {first_row}: {first})",
                f"岗位需求表中有 {len(outside)} 行不在网点营业时间内, 已忽略 (第 {rows} 行; "
                f"第 {first_row} 行: {first})",
            )
        )
    stated = {day for day, _, _ in raw}
    unstated = [day for day in slots if day not in stated]
    if stated and unstated:
        more = len(unstated) > 7
        shown = ", ".join(day_label(d) for d in unstated[:7]) + (" ..." if more else "")
        shown_zh = "、".join(day_label_zh(d) for d in unstated[:7]) + (" 等" if more else "")
        warnings.append(
            Words(
                f"the requirement frame states no need on {len(unstated)} open day(s) of the "
                f"horizon ({shown}); nobody is required on a post there beyond the posts' "
                "minimums (plan those days with requirements for them)",
                f"岗位需求表未列出排班期内 {len(unstated)} 个营业日 ({shown_zh}) 的需求; "
                "这些天各岗位只按岗位最低人数安排 (请提供这些天的岗位需求后再排班)",
            )
        )
    absent = [c for c in OPTIONAL_NEED_COLUMNS if c not in frame.columns]
    if raw and absent:
        warnings.append(
            Words(
                f"the requirement frame has no column {' or '.join(absent)}: "
                + OPTIONAL_NEED_COLUMNS_EFFECT_EN
                + " (the staffing stage writes both: was the frame made by hand?)",
                f"岗位需求表中没有 {'、'.join(absent)} 列: "
                + OPTIONAL_NEED_COLUMNS_EFFECT_ZH
                + " (人员需求测算会写出这两列: 需求表是手工编制的吗?)",
            )
        )
    named = {post for _, _, post in raw}
    unnamed = [p for p in config.posts if p.channels and p.id not in named]
    if unnamed and (raw or len(frame) == 0):  # an empty frame too: no need stated at all
        listed = ", ".join(f"{p.id} (serves {', '.join(p.channels)})" for p in unnamed)
        channels = {c.id: c.name_zh for c in config.channels}
        listed_zh = "、".join(
            f"{p.name_zh} (服务{'、'.join(channels.get(c, c) for c in p.channels)})"
            for p in unnamed
        )
        warnings.append(
            Words(
                f"the requirement frame has no row for post(s) {listed}; nobody is required "
                "there beyond the posts' minimums (the staffing stage writes a row for every "
                "post in every open slot: was the frame filtered?)",
                f"岗位需求表中没有{listed_zh}的行; 这些岗位只按岗位最低人数安排 "
                "(人员需求测算为每个岗位的每个营业时段各写一行: 需求表是否被筛选过?)",
            )
        )
    needs: dict[tuple[dt.date, int, str], Need] = {}
    for day, minutes in slots.items():
        for post in posts.values():
            for minute in minutes:
                found = raw.get((day, minute, post.id)) or raw.get(
                    (day, minute - minute % 60, post.id)
                )
                required, floor, weight = found or (0, 0, MIN_WAIT_WEIGHT_MIN)
                floor = max(floor, post.min_staff)
                if found or floor:
                    needs[(day, minute, post.id)] = Need(required, floor, weight)
    return needs


def _availability(
    request: RosterRequest,
) -> tuple[
    dict[tuple[str, dt.date], tuple[Interval, ...]], dict[tuple[str, dt.date], tuple[Absence, ...]]
]:
    """Forbidden minutes and absence reasons per (person, day) from leave and declarations.

    Approved leave forbids the whole day; unapproved leave is a wish (a preference), not a
    restriction. An ``unavailable`` line forbids its window; ``available`` lines on a date
    forbid everything outside them.
    """
    horizon = request.horizon
    spans: dict[tuple[str, dt.date], list[Interval]] = {}
    reasons: dict[tuple[str, dt.date], list[Absence]] = {}
    for leave in request.availability.leave:
        if not leave.approved:
            continue
        for day in leave.dates():
            if day in horizon:
                spans.setdefault((leave.staff_id, day), []).append((0, 24 * 60))
                reasons.setdefault((leave.staff_id, day), []).append(
                    Absence(f"{leave.kind.value} leave", True, LEAVE_ZH[leave.kind.value])
                )
    windows: dict[tuple[str, dt.date], list[Interval]] = {}
    for entry in request.availability.entries:
        if entry.date not in horizon:
            continue
        key = (entry.staff_id, entry.date)
        lo, hi = entry.minutes
        if entry.kind == AvailabilityKind.UNAVAILABLE:
            spans.setdefault(key, []).append((lo, hi))
            if entry.whole_day:
                absence = Absence("unavailable", True, "申报全天不可上班")
            else:
                window = f"{clock(lo)}-{clock(hi)}"
                absence = Absence(f"unavailable {window}", False, f"{window} 不可上班")
            reasons.setdefault(key, []).append(absence)
        elif entry.kind == AvailabilityKind.AVAILABLE:
            windows.setdefault(key, []).append((lo, hi))
    for key, allowed in windows.items():
        merged = merge_intervals(allowed)
        gaps, at = [], 0
        for lo, hi in merged:
            if lo > at:
                gaps.append((at, lo))
            at = hi
        if at < 24 * 60:
            gaps.append((at, 24 * 60))
        spans.setdefault(key, []).extend(gaps)
        text = ", ".join(f"{clock(lo)}-{clock(hi)}" for lo, hi in merged)
        reasons.setdefault(key, []).append(
            Absence(f"available only {text}", False, f"仅 {text.replace(', ', '、')} 可上班")
        )
    forbidden = {k: merge_intervals(v) for k, v in spans.items()}
    return forbidden, {k: tuple(v) for k, v in reasons.items()}


def _check_references(request: RosterRequest, issues: list[Issue]) -> None:
    """Pins and declarations must name known people, shifts and posts inside the horizon."""
    config = request.config
    staff = {s.id for s in config.staff}
    shifts = {t.id for t in config.shifts}
    posts = {p.id for p in config.posts}
    for i, pin in enumerate(request.pins, start=1):
        where = f"pins[{i - 1}]"
        if pin.staff_id not in staff:
            issues.append(
                Issue(
                    PINS_FILE,
                    "unknown staff id",
                    where,
                    "staff_id",
                    pin.staff_id,
                    ", ".join(sorted(staff)),
                )
            )
        if pin.shift is not None and pin.shift not in shifts:
            issues.append(
                Issue(
                    PINS_FILE, "unknown shift", where, "shift", pin.shift, ", ".join(sorted(shifts))
                )
            )
        if pin.post is not None and pin.post not in posts:
            issues.append(
                Issue(PINS_FILE, "unknown post", where, "post", pin.post, ", ".join(sorted(posts)))
            )
        if pin.date not in request.horizon:
            issues.append(
                Issue(
                    PINS_FILE,
                    "the pin's date lies outside the planned days",
                    where,
                    "date",
                    pin.date.isoformat(),
                    f"{request.horizon.start} to {request.horizon.end}",
                )
            )
    step = config.branch.slot_minutes
    calendar = BranchCalendar(config.branch)
    for i, pin in enumerate(request.pins):
        if pin.start is None or pin.end is None:
            continue
        where = f"pins[{i}]"
        window = f"{clock(minutes_of(pin.start))}-{clock(minutes_of(pin.end))}"
        if pin.post is None:
            issues.append(
                Issue(
                    PINS_FILE,
                    "a pin with start and end times needs the post held in that window",
                    where,
                    "post",
                    window,
                    ", ".join(sorted(posts)),
                )
            )
            continue
        hours = calendar.hours(pin.date)
        lo, hi = minutes_of(pin.start), minutes_of(pin.end)
        inside = hours is not None and any(
            lo <= m and m + step <= hi for m in range(hours.start_minute, hours.end_minute, step)
        )
        if not inside:
            issues.append(
                Issue(
                    PINS_FILE,
                    f"the pin's window holds no whole {step}-minute open slot on {pin.date}",
                    where,
                    "start",
                    window,
                    f"{hours} on the {step}-minute grid" if hours else "a day the branch opens",
                )
            )
    shifts = {t.id for t in request.config.shifts}
    for i, entry in enumerate(request.availability.entries):
        if entry.staff_id not in staff:
            issues.append(
                Issue(
                    "<availability>",
                    "unknown staff id",
                    f"entries[{i}]",
                    "staff_id",
                    entry.staff_id,
                )
            )
        if entry.shift is not None and entry.shift not in shifts:
            issues.append(
                Issue(
                    "<availability>",
                    "unknown shift",
                    f"entries[{i}]",
                    "shift",
                    entry.shift,
                    allowed=", ".join(sorted(shifts)),
                )
            )
    for i, leave in enumerate(request.availability.leave):
        if leave.staff_id not in staff:
            issues.append(
                Issue(
                    "<availability>", "unknown staff id", f"leave[{i}]", "staff_id", leave.staff_id
                )
            )


def _declarations_outside(request: RosterRequest) -> list[Words]:
    """A warning naming the availability declarations dated outside the planned days.

    A file's rows outside the week are told where the file is read; declarations handed over
    as objects are told here, so that a wrong week is not planned as if nobody had declared
    anything. Leave outside the week is normal (booked for other weeks) and not told.
    """
    horizon = request.horizon
    outside = [
        (i, e)
        for i, e in enumerate(request.availability.entries)
        if not horizon.start <= e.date <= horizon.end
    ]
    if not outside:
        return []
    i, first = outside[0]
    where = f"entries[{i}]: {first.staff_id} {first.date}"
    return [
        Words(
            f"{len(outside)} availability declaration(s) fall outside the planned days "
            f"({horizon.start} to {horizon.end}) and were not used (first {where})",
            f"{len(outside)} 条可用时段申报不在排班期内 ({horizon.start} 至 {horizon.end}), "
            f"未使用 (第一条 {where})",
        )
    ]


def prepare(request: RosterRequest) -> tuple[Prepared, list[Issue]]:
    """Derive the lookup tables of a request and collect every input problem.

    Args:
        request: The roster request.

    Returns:
        The tables, and the problems found (empty when the request is usable).
    """
    issues: list[Issue] = []
    horizon = request.horizon
    if horizon.days > MAX_HORIZON_DAYS:
        issues.append(
            Issue(
                "<horizon>",
                f"the horizon has {horizon.days} days; a roster covers at most 53 weeks",
                value=horizon.label(),
                allowed=f"1 to {MAX_HORIZON_DAYS} days",
            )
        )
    calendar = BranchCalendar(request.config.branch)
    dates = tuple(horizon.dates)
    hours: dict[dt.date, Interval] = {}
    slots: dict[dt.date, tuple[int, ...]] = {}
    step = request.config.branch.slot_minutes
    for day in dates:
        window = calendar.hours(day)
        if window is not None:
            hours[day] = (window.start_minute, window.end_minute)
            slots[day] = tuple(range(window.start_minute, window.end_minute, step))
    if not hours:
        issues.append(
            Issue(
                "<horizon>",
                f"the branch is closed on every day from {horizon.start} to {horizon.end}",
                value=horizon.label(),
                allowed="a horizon with at least one open day (check opening_hours, "
                "special_days and holidays)",
            )
        )
    _check_references(request, issues)
    warnings: list[Words] = []
    if LONG_HORIZON_DAYS < horizon.days <= MAX_HORIZON_DAYS:
        warnings.append(
            Words(
                f"the horizon has {horizon.days} days, more than 8 weeks: the model grows with "
                "it and may need a longer time limit and several GB of memory",
                f"排班期共 {horizon.days} 天, 超过 8 周: 模型随之变大, "
                "可能需要更长的求解时间和数 GB 内存",
            )
        )
    needs = _read_needs(request, slots, issues, warnings)
    warnings += _declarations_outside(request)
    forbidden, absences = _availability(request)
    if request.config.rule("availability").mode == RuleMode.OFF and forbidden:
        warnings.append(
            Words(
                "the availability rule is off: leave and declared windows are ignored",
                "可用时段规则 (availability) 已关闭: 请假和申报的可用时段都不予考虑",
            )
        )
    prepared = Prepared(
        dates=dates,
        open_days=tuple(d for d in dates if d in hours),
        hours=hours,
        slots=slots,
        needs=needs,
        forbidden=forbidden,
        absences=absences,
        warnings=warnings,
    )
    return prepared, issues
