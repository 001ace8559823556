"""The published Shift Scheduling Benchmark instances, read into a roster request and scored.

The "Employee Shift Scheduling Benchmark Data Sets" (Curtois and Qu, 2014; 24 instances from
14 to 364 days, 8 to 150 staff) are the common yardstick of rostering solvers. One instance is
a text file of sections:

* ``SECTION_HORIZON``: the number of days (day 0 is a Monday);
* ``SECTION_SHIFTS``: ``id, minutes, ids that may not follow it (| separated)``;
* ``SECTION_STAFF``: ``id, max shifts per type (S=n|...), max total minutes, min total
  minutes, max consecutive shifts, min consecutive shifts, min consecutive days off, max
  weekends``;
* ``SECTION_DAYS_OFF``: ``id, day, day, ...`` (days the person may not work);
* ``SECTION_SHIFT_ON_REQUESTS`` / ``SECTION_SHIFT_OFF_REQUESTS``: ``id, day, shift, weight``;
* ``SECTION_COVER``: ``day, shift, requirement, weight under, weight over``.

Every staff and sequence limit is hard; the objective is the weight of the requests not met
plus each person short or over the cover times its weight. :func:`to_request` states exactly
that with the product's own rules (one post, shift-level demand, personal limits, shift
wishes, days off as approved leave; every other rule off), so ``solve`` optimises the
benchmark's objective and :func:`benchmark_score` recomputes it, and checks every hard limit,
from the roster alone. Stretches of work or rest that touch the horizon's edges are not held
to the minimum length, as in the instances' reference models.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from scheduler.calendar import Horizon
from scheduler.domain import (
    RULES,
    Availability,
    AvailabilityEntry,
    AvailabilityKind,
    Branch,
    BranchConfig,
    DayHours,
    HolidayCalendar,
    LabourRules,
    LeaveKind,
    LeaveRequest,
    PersonalLimits,
    Post,
    Qualification,
    RuleMode,
    RuleSetting,
    ShiftDemand,
    ShiftTemplate,
    Staff,
    Weekday,
)
from scheduler.domain.branch import ID_PATTERN
from scheduler.errors import InputError, Issue
from scheduler.frames import REQUIREMENT_COLUMNS
from scheduler.roster.prepare import MAX_HORIZON_DAYS, clock
from scheduler.roster.request import RosterRequest

SECTIONS = (
    "SECTION_HORIZON",
    "SECTION_SHIFTS",
    "SECTION_STAFF",
    "SECTION_DAYS_OFF",
    "SECTION_SHIFT_ON_REQUESTS",
    "SECTION_SHIFT_OFF_REQUESTS",
    "SECTION_COVER",
)
"""The sections of an instance file, in the order they appear."""

DEFAULT_START = dt.date(2029, 1, 1)
"""The Monday day 0 is mapped to (any Monday does: public holidays do not close the branch)."""

SHIFT_STAGGER_MIN = 30
"""The benchmark gives shift lengths only; shift type ``i`` is drawn from ``i x 30`` minutes
past midnight, so every template has its own clock window (a roster file then tells them
apart) while no rule used here reads the clock (rest is stated as forbidden successions)."""

MAX_SHIFT_TYPES = 46
"""Most shift types an instance may have: type ``i`` starts ``i x 30`` minutes past midnight
and must end by 23:00, so the 47th could not even start in time (the reader checks that each
type, with its length, ends by :data:`LAST_SHIFT_END`)."""

LAST_SHIFT_END = 23 * 60
"""Minutes past midnight by which every drawn shift type ends (the branch's closing time)."""

MAX_COUNT = 1_000_000
"""Largest count read for a staff limit (shifts, consecutive days, weekends). A limit above
what the horizon allows says "no limit" and is read as the horizon's own length."""

MAX_MINUTES = 1_000_000_000
"""Largest number of minutes read for a staff limit (beyond it the solver's integers could
overflow; a real limit is at most the horizon's minutes)."""

MAX_COVER = 10_000
"""Largest cover requirement read (people on one shift of one day)."""

MAX_WEIGHT = 1_000_000
"""Largest cover weight read; larger ones would overflow the solver's integer objective."""

POST = "duty"
"""The one post of an imported instance."""

HARD = (
    "availability",
    "max_consecutive_days",
    "min_consecutive_days",
    "min_consecutive_days_off",
    "max_weekends_worked",
    "forbidden_shift_sequence",
    "total_hours",
    "max_shifts_of_template",
)
"""Rules the benchmark holds hard."""

SOFT = ("shift_demand", "shift_demand_over", "preferences")
"""Rules that make up the benchmark's objective, at weight 1 (each row carries its own)."""


@dataclass(frozen=True)
class BenchmarkStaff:
    """One employee line of ``SECTION_STAFF``."""

    id: str
    max_shifts: dict[str, int]
    max_total_minutes: int
    min_total_minutes: int
    max_consecutive: int
    min_consecutive: int
    min_consecutive_off: int
    max_weekends: int


@dataclass(frozen=True)
class Request:
    """A shift-on or shift-off request: ``weight`` if not met."""

    staff_id: str
    day: int
    shift: str
    weight: int


@dataclass(frozen=True)
class Cover:
    """A cover row: people wanted on a shift, and the cost of each one short or over."""

    day: int
    shift: str
    requirement: int
    under_weight: int
    over_weight: int


@dataclass(frozen=True)
class BenchmarkInstance:
    """A benchmark instance as read from its file."""

    name: str
    days: int
    shift_minutes: dict[str, int]
    forbidden_after: dict[str, tuple[str, ...]]
    staff: tuple[BenchmarkStaff, ...]
    days_off: dict[str, tuple[int, ...]]
    on_requests: tuple[Request, ...]
    off_requests: tuple[Request, ...]
    cover: tuple[Cover, ...]

    @property
    def unmeetable_weight(self) -> int:
        """Weight of the requests to work on one's own day off: no roster meets them.

        The benchmark's objective counts them all; the roster model leaves them out (approved
        leave outranks a wish), so its objective and bound are this much below the
        benchmark's for every roster.
        """
        return sum(r.weight for r in self.on_requests if r.day in self.days_off.get(r.staff_id, ()))


@dataclass(frozen=True)
class BenchmarkScore:
    """A roster scored by the benchmark's own definition.

    Attributes:
        objective: Requests not met plus cover short and over, each times its weight.
        violations: Every hard limit the roster breaks, in words (empty for a valid roster).
        parts: The objective split into ``on_requests``, ``off_requests``, ``under``, ``over``.
    """

    objective: int
    violations: tuple[str, ...]
    parts: dict[str, int] = field(default_factory=dict)


class _Reader:
    """Reads the lines of one file, collecting located issues."""

    def __init__(self, path: Path) -> None:
        self.file = str(path)
        self.issues: list[Issue] = []

    def fail(self, line: int, column: str, value: object, message: str, allowed: str) -> None:
        self.issues.append(Issue(self.file, message, line, column, str(value), allowed))

    def integer(
        self, line: int, column: str, text: str, least: int = 0, most: int | None = None
    ) -> int | None:
        span = f"a whole number >= {least}" if most is None else f"a whole number {least}-{most}"
        if not re.fullmatch(r"[+-]?[0-9]+", text.strip()):  # int() also reads Arabic-Indic digits
            self.fail(line, column, text, "not a whole number", span)
            return None
        value = int(text.strip())
        if value < least or (most is not None and value > most):
            self.fail(line, column, text, "out of range", span)
            return None
        return value

    def ident(self, line: int, column: str, text: str) -> bool:
        """Whether ``text`` is usable as an id (ASCII letters, digits, ``_ . -``)."""
        if re.fullmatch(ID_PATTERN, text):
            return True
        self.fail(line, column, text, "not a usable id", "ASCII letters, digits, '_', '.', '-'")
        return False

    def unique(self, rows: list[tuple[int, list[str]]], column: str) -> None:
        """Each id given once in a section."""
        first: dict[str, int] = {}
        for line, cells in rows:
            if cells[0] in first:
                self.fail(
                    line, column, cells[0], f"given twice (first on line {first[cells[0]]})",
                    "each id once",
                )  # fmt: skip
            first.setdefault(cells[0], line)

    def sections(self, text: str) -> dict[str, list[tuple[int, list[str]]]]:
        """Data lines (line number, comma-separated cells) per section."""
        found: dict[str, list[tuple[int, list[str]]]] = {}
        current: str | None = None
        lines = text.splitlines()
        for number, raw in enumerate(lines, start=1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("SECTION_"):
                if line not in SECTIONS:
                    self.fail(number, "section", line, "unknown section", ", ".join(SECTIONS))
                current = line
                found.setdefault(line, [])
                continue
            if current is None:
                self.fail(number, "section", line, "data before the first section", SECTIONS[0])
                continue
            found[current].append((number, [c.strip() for c in line.split(",")]))
        for name in ("SECTION_HORIZON", "SECTION_SHIFTS", "SECTION_STAFF", "SECTION_COVER"):
            if name not in found:
                self.issues.append(
                    Issue(
                        self.file,
                        f"section {name} missing (is the file cut short?)",
                        len(lines),
                        "section",
                        None,
                        "every section of the format: " + ", ".join(SECTIONS),
                    )
                )
        return found

    def cells(self, line: int, cells: list[str], count: int, what: str) -> bool:
        if len(cells) != count:
            self.fail(
                line, what, ",".join(cells), f"{len(cells)} fields", f"{count} fields: {what}"
            )
            return False
        return True


def read_shift_benchmark(path: str | Path) -> BenchmarkInstance:
    """Read an instance file of the Shift Scheduling Benchmark.

    Raises:
        InputError: Naming the file, line, field and value of every problem found.
    """
    path = Path(path)
    reader = _Reader(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            [Issue(str(path), f"cannot read the file: {exc}", None, None, None, "a text file")]
        ) from exc
    found = reader.sections(text)
    if reader.issues:
        raise InputError(reader.issues)

    days = 0
    horizon = found["SECTION_HORIZON"]
    if len(horizon) != 1 or len(horizon[0][1]) != 1:
        line = horizon[0][0] if horizon else 0
        reader.fail(line, "days", horizon, "the horizon is one number", "e.g. 14")
    else:
        days = reader.integer(horizon[0][0], "days", horizon[0][1][0], 1, MAX_HORIZON_DAYS) or 0
    if reader.issues:  # every later check reads the horizon
        raise InputError(reader.issues)
    if not found["SECTION_SHIFTS"] or not found["SECTION_STAFF"]:
        for name in ("SECTION_SHIFTS", "SECTION_STAFF"):
            if not found[name]:
                reader.issues.append(
                    Issue(
                        reader.file, f"{name} is empty", None, "section", None, "one line or more"
                    )
                )
        raise InputError(reader.issues)
    if len(found["SECTION_SHIFTS"]) > MAX_SHIFT_TYPES:
        line = found["SECTION_SHIFTS"][MAX_SHIFT_TYPES][0]
        count = len(found["SECTION_SHIFTS"])
        reader.fail(line, "ShiftID", count, "too many shift types", f"at most {MAX_SHIFT_TYPES}")
    reader.unique(found["SECTION_SHIFTS"], "ShiftID")
    reader.unique(found["SECTION_STAFF"], "ID")

    minutes: dict[str, int] = {}
    forbidden: dict[str, tuple[str, ...]] = {}
    for index, (line, cells) in enumerate(found["SECTION_SHIFTS"]):
        if not reader.cells(line, cells, 3, "ShiftID, minutes, forbidden followers"):
            continue
        if not reader.ident(line, "ShiftID", cells[0]):
            continue
        start = index * SHIFT_STAGGER_MIN
        length = reader.integer(line, "minutes", cells[1], 1, 24 * 60)
        if length is not None and start + length > LAST_SHIFT_END:
            reader.fail(
                line, "minutes", cells[1],
                f"the shift would end after {clock(LAST_SHIFT_END)}: shift type "
                f"{index + 1} is drawn from {clock(start)} (each type 30 minutes after "
                "the one before)",
                f"at most {LAST_SHIFT_END - start} minutes for this type",
            )  # fmt: skip
        elif length is not None:
            minutes[cells[0]] = length
        forbidden[cells[0]] = tuple(s for s in cells[2].split("|") if s)
    shift_ids = {cells[0] for _, cells in found["SECTION_SHIFTS"]}
    for line, cells in found["SECTION_SHIFTS"]:
        for follower in cells[2].split("|") if len(cells) == 3 else ():
            if follower and follower not in shift_ids:
                reader.fail(
                    line, "forbidden", follower, "unknown shift", ", ".join(sorted(shift_ids))
                )

    staff: list[BenchmarkStaff] = []
    for line, cells in found["SECTION_STAFF"]:
        if not reader.cells(line, cells, 8, "ID, MaxShifts, MaxTotalMinutes, ..., MaxWeekends"):
            continue
        if not reader.ident(line, "ID", cells[0]):
            continue
        caps: dict[str, int] = {}
        for part in (p for p in cells[1].split("|") if p):
            shift, _, count = part.partition("=")
            if shift not in shift_ids:
                reader.fail(line, "MaxShifts", part, "unknown shift", ", ".join(sorted(shift_ids)))
                continue
            value = reader.integer(line, "MaxShifts", count, 0, MAX_COUNT)
            if shift in caps:
                reader.fail(line, "MaxShifts", part, "the shift is given twice", "each shift once")
            elif value is not None:
                caps[shift] = value
        names = (
            "MaxTotalMinutes",
            "MinTotalMinutes",
            "MaxConsecutiveShifts",
            "MinConsecutiveShifts",
            "MinConsecutiveDaysOff",
            "MaxWeekends",
        )
        least = (0, 0, 1, 1, 1, 0)
        most = (MAX_MINUTES, MAX_MINUTES, MAX_COUNT, MAX_COUNT, MAX_COUNT, MAX_COUNT)
        values = [
            reader.integer(line, n, c, lo, hi)
            for n, c, lo, hi in zip(names, cells[2:], least, most, strict=True)
        ]
        if any(v is None for v in values):
            continue
        a, b, c, d, e, f = (int(v) for v in values)  # type: ignore[arg-type]
        if b > a:
            reader.fail(line, "MinTotalMinutes", b, "above MaxTotalMinutes", f"at most {a}")
        staff.append(BenchmarkStaff(cells[0], caps, a, b, c, d, e, f))
    ids = {cells[0] for _, cells in found["SECTION_STAFF"]}

    days_off: dict[str, tuple[int, ...]] = {}
    for line, cells in found.get("SECTION_DAYS_OFF", []):
        if cells[0] not in ids:
            reader.fail(line, "EmployeeID", cells[0], "unknown employee", "an ID of SECTION_STAFF")
            continue
        picked = [reader.integer(line, "day", c, 0, max(days - 1, 0)) for c in cells[1:] if c]
        days_off[cells[0]] = tuple(d for d in picked if d is not None)

    def requests(section: str) -> tuple[Request, ...]:
        out: list[Request] = []
        for line, cells in found.get(section, []):
            if not reader.cells(line, cells, 4, "EmployeeID, Day, ShiftID, Weight"):
                continue
            if cells[0] not in ids:
                reader.fail(line, "EmployeeID", cells[0], "unknown employee", "an ID of staff")
            if cells[2] not in shift_ids:
                reader.fail(
                    line, "ShiftID", cells[2], "unknown shift", ", ".join(sorted(shift_ids))
                )
            day = reader.integer(line, "Day", cells[1])
            weight = reader.integer(line, "Weight", cells[3], least=1)
            if weight is not None and weight > 10:
                reader.fail(line, "Weight", weight, "weight out of range", "1 to 10")
            if day is not None and day >= days:
                reader.fail(line, "Day", day, "day outside the horizon", f"0 to {days - 1}")
            elif day is not None and weight is not None:
                out.append(Request(cells[0], day, cells[2], weight))
        return tuple(out)

    on_requests = requests("SECTION_SHIFT_ON_REQUESTS")
    off_requests = requests("SECTION_SHIFT_OFF_REQUESTS")

    cover: list[Cover] = []
    first_cover: dict[tuple[int, str], int] = {}
    for line, cells in found["SECTION_COVER"]:
        if not reader.cells(line, cells, 5, "Day, ShiftID, Requirement, Under, Over"):
            continue
        if cells[1] not in shift_ids:
            reader.fail(line, "ShiftID", cells[1], "unknown shift", ", ".join(sorted(shift_ids)))
            continue
        fields = ("Day", "Requirement", "Weight for under", "Weight for over")
        values = (cells[0], *cells[2:])
        most = (None, MAX_COVER, MAX_WEIGHT, MAX_WEIGHT)
        numbers = [
            reader.integer(line, n, c, 0, hi) for n, c, hi in zip(fields, values, most, strict=True)
        ]
        if any(v is None for v in numbers):
            continue
        day, need, under, over = (int(v) for v in numbers)  # type: ignore[arg-type]
        if day >= days:
            reader.fail(line, "Day", day, "day outside the horizon", f"0 to {days - 1}")
            continue
        if (day, cells[1]) in first_cover:
            reader.fail(
                line, "ShiftID", f"{day},{cells[1]}",
                f"a second cover row for day {day} and shift {cells[1]} (first on line "
                f"{first_cover[(day, cells[1])]})", "one row per day and shift",
            )  # fmt: skip
            continue
        first_cover[(day, cells[1])] = line
        cover.append(Cover(day, cells[1], need, under, over))

    if reader.issues:
        raise InputError(reader.issues)
    return BenchmarkInstance(
        path.stem,
        days,
        minutes,
        forbidden,
        tuple(staff),
        days_off,
        on_requests,
        off_requests,
        tuple(cover),
    )


def _clock(minute: int) -> dt.time:
    return dt.time(minute // 60, minute % 60)


def to_request(instance: BenchmarkInstance, start: dt.date = DEFAULT_START) -> RosterRequest:
    """The instance as a roster request whose objective is the benchmark's.

    Args:
        instance: The instance read by :func:`read_shift_benchmark`.
        start: The Monday day 0 falls on.

    Raises:
        InputError: When ``start`` is not a Monday or the shifts do not fit in one day.
    """
    if start.weekday() != 0:
        raise InputError(
            [Issue("<benchmark>", "day 0 must be a Monday", None, "start", str(start), "a Monday")]
        )
    starts = {sid: i * SHIFT_STAGGER_MIN for i, sid in enumerate(instance.shift_minutes)}
    too_long = [
        f"{sid} ({length} min from {clock(starts[sid])})"
        for sid, length in instance.shift_minutes.items()
        if starts[sid] + length > LAST_SHIFT_END
    ]
    if too_long:
        raise InputError(
            [
                Issue(
                    instance.name,
                    "shift types do not all fit in one day when drawn 30 minutes apart",
                    None,
                    "minutes",
                    ", ".join(too_long),
                    "each shift ending by 23:00",
                )
            ]
        )
    hours = DayHours(start=_clock(0), end=_clock(LAST_SHIFT_END))
    branch = Branch(
        id="BENCH",
        name=instance.name,
        opening_hours=dict.fromkeys(Weekday, hours),
        calendar=HolidayCalendar(holiday_hours=hours),
        slot_minutes=SHIFT_STAGGER_MIN,
    )
    shifts = [
        ShiftTemplate(
            id=sid,
            name=sid,
            start=_clock(starts[sid]),
            end=_clock(starts[sid] + length),
        )
        for sid, length in instance.shift_minutes.items()
    ]
    staff = [
        Staff(
            id=s.id,
            name=s.id,
            qualifications=[Qualification(post=POST)],
            limits=PersonalLimits(
                min_total_hours=s.min_total_minutes / 60,
                max_total_hours=s.max_total_minutes / 60,
                max_consecutive_days=min(s.max_consecutive, instance.days),
                min_consecutive_days=min(s.min_consecutive, instance.days),
                min_consecutive_days_off=min(s.min_consecutive_off, instance.days),
                max_weekends_worked=min(s.max_weekends, instance.days // 7 + 1),
                max_shifts={k: v for k, v in s.max_shifts.items() if v < instance.days},
            ),
        )
        for s in instance.staff
    ]
    settings = {r.name: RuleSetting(mode=RuleMode.OFF) for r in RULES if r.can_be_soft}
    settings.update({name: RuleSetting(mode=RuleMode.HARD) for name in HARD})
    settings.update({name: RuleSetting(mode=RuleMode.SOFT, weight=1) for name in SOFT})
    day = [start + dt.timedelta(days=i) for i in range(instance.days)]
    config = BranchConfig(
        branch=branch,
        posts=[Post(id=POST, name_zh="岗位", name_en=POST)],
        staff=staff,
        shifts=shifts,
        labour=LabourRules(
            max_hours_per_day=24,
            max_hours_per_week=7 * 24,
            min_rest_hours=0,
            min_days_off_per_week=0,
            max_consecutive_days=instance.days,
            forbidden_sequences=[
                (first, then) for first, after in instance.forbidden_after.items() for then in after
            ],
        ),
        shift_demands=[
            ShiftDemand(
                shift=c.shift,
                min_staff=c.requirement,
                max_staff=c.requirement,
                dates=[day[c.day]],
                under_weight=c.under_weight,
                over_weight=c.over_weight,
            )
            for c in instance.cover
        ],
        rules=settings,
    )
    wishes = [
        AvailabilityEntry(
            staff_id=r.staff_id,
            date=day[r.day],
            kind=AvailabilityKind.PREFERRED if on else AvailabilityKind.UNDESIRED,
            shift=r.shift,
            weight=r.weight,
        )
        for on, group in ((True, instance.on_requests), (False, instance.off_requests))
        for r in group
    ]
    leave = [
        LeaveRequest(staff_id=staff_id, start_date=day[d], end_date=day[d], kind=LeaveKind.OTHER)
        for staff_id, offs in instance.days_off.items()
        for d in offs
        if d < instance.days
    ]
    return RosterRequest(
        config=config,
        horizon=Horizon(start, instance.days),
        requirements=pd.DataFrame(columns=list(REQUIREMENT_COLUMNS)),
        availability=Availability(entries=wishes, leave=leave),
    )


def benchmark_score(
    instance: BenchmarkInstance, shifts: pd.DataFrame, start: dt.date = DEFAULT_START
) -> BenchmarkScore:
    """Score a roster by the benchmark's definition and list the hard limits it breaks.

    Args:
        instance: The instance.
        shifts: The roster's shifts (``RosterResult.shifts``: staff_id, date, shift).
        start: The Monday day 0 was mapped to.
    """
    work: dict[tuple[str, int], str] = {}
    twice: list[str] = []
    for row in shifts.itertuples(index=False):
        index = (pd.Timestamp(row.date).date() - start).days
        key = (str(row.staff_id), index)
        if key in work:
            twice.append(f"{row.staff_id} works two shifts on day {index}")
        work[key] = str(row.shift)
    score = score_work(instance, work)
    return BenchmarkScore(score.objective, (*twice, *score.violations), score.parts)


def score_work(instance: BenchmarkInstance, work: dict[tuple[str, int], str]) -> BenchmarkScore:
    """Score a roster given as ``{(staff id, day index): shift}`` (see :func:`benchmark_score`)."""
    broken: list[str] = []
    n = instance.days
    for s in instance.staff:
        mine = [work.get((s.id, d)) for d in range(n)]
        for shift_id, cap in s.max_shifts.items():
            count = sum(1 for x in mine if x == shift_id)
            if count > cap:
                broken.append(f"{s.id} works {shift_id} {count} times, more than {cap}")
        total = sum(instance.shift_minutes[x] for x in mine if x is not None)
        if not s.min_total_minutes <= total <= s.max_total_minutes:
            broken.append(
                f"{s.id} works {total} minutes, outside {s.min_total_minutes}-{s.max_total_minutes}"
            )
        worked = [x is not None for x in mine]
        broken += _stretches(s.id, worked, True, s.min_consecutive, s.max_consecutive)
        broken += _stretches(s.id, worked, False, s.min_consecutive_off, None)
        weekends = sum(1 for d in range(5, n, 7) if worked[d] or (d + 1 < n and worked[d + 1]))
        if weekends > s.max_weekends:
            broken.append(f"{s.id} works {weekends} weekends, more than {s.max_weekends}")
        for d in instance.days_off.get(s.id, ()):
            if d < n and worked[d]:
                broken.append(f"{s.id} works on day off {d}")
        for d in range(n - 1):
            if mine[d] is not None and mine[d + 1] in instance.forbidden_after.get(mine[d], ()):
                broken.append(f"{s.id} works {mine[d]} on day {d} then {mine[d + 1]}")
    parts = {
        "on_requests": sum(
            r.weight for r in instance.on_requests if work.get((r.staff_id, r.day)) != r.shift
        ),
        "off_requests": sum(
            r.weight for r in instance.off_requests if work.get((r.staff_id, r.day)) == r.shift
        ),
        "under": 0,
        "over": 0,
    }
    for c in instance.cover:
        have = sum(1 for (_, d), x in work.items() if d == c.day and x == c.shift)
        parts["under"] += max(0, c.requirement - have) * c.under_weight
        parts["over"] += max(0, have - c.requirement) * c.over_weight
    return BenchmarkScore(sum(parts.values()), tuple(broken), parts)


def _stretches(
    staff_id: str, worked: list[bool], working: bool, least: int, most: int | None
) -> list[str]:
    """Runs of work (``working``) or rest too short or too long; edge runs are never short."""
    broken: list[str] = []
    what = "working days" if working else "days off"
    n, d = len(worked), 0
    while d < n:
        if worked[d] != working:
            d += 1
            continue
        end = d
        while end < n and worked[end] == working:
            end += 1
        length = end - d
        inside = d > 0 and end < n
        if inside and length < least:
            broken.append(
                f"{staff_id} has {length} {what} in a row from day {d}, fewer than {least}"
            )
        if most is not None and length > most:
            broken.append(f"{staff_id} has {length} {what} in a row from day {d}, more than {most}")
        d = end
    return broken
