"""The roster result read once into plain records that every report file draws from.

The result's frames may come straight from the solver (``datetime.date``/``datetime.time``
cells) or back from CSV files (strings, timestamps); this module reads both, so the workbook,
the calendars and the HTML report show exactly the same roster.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from scheduler.domain import Availability, BranchConfig, LeaveRequest
from scheduler.reports.labels import Labels
from scheduler.roster.result import RosterResult

DAY_MINUTES = 24 * 60


def to_date(value: object) -> dt.date:
    """A calendar date from a ``date``, a timestamp or an ISO string.

    Raises:
        ValueError: If the value is not a date.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise ValueError("empty date")
    return pd.Timestamp(str(value).strip()).date()


def to_minutes(value: object) -> int:
    """Minutes since midnight of a time, a timestamp or text such as ``08:30``/``08:30:00``.

    ``24:00`` and ``time.max`` give 1440 (the end of the day).

    Raises:
        ValueError: If the value is not a time of day.
    """
    if isinstance(value, dt.datetime | pd.Timestamp):
        return value.hour * 60 + value.minute
    if isinstance(value, dt.time):
        if value == dt.time.max:
            return DAY_MINUTES
        return value.hour * 60 + value.minute
    text = str(value).strip()
    if " " in text or "T" in text:  # a full timestamp written as text
        stamp = pd.Timestamp(text)
        return stamp.hour * 60 + stamp.minute
    parts = text.split(":")
    if len(parts) < 2 or not all(p.isdigit() for p in parts[:2]):
        raise ValueError(f"not a time of day (HH:MM): {value!r}")
    minutes = int(parts[0]) * 60 + int(parts[1])
    if not 0 <= minutes <= DAY_MINUTES or int(parts[1]) > 59:
        raise ValueError(f"not a time of day (HH:MM): {value!r}")
    return minutes


def clock(minutes: int) -> str:
    """``HH:MM`` for minutes since midnight (``24:00`` for the end of the day)."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def span(m0: int, m1: int) -> str:
    """A compact time span: ``09-12`` on whole hours, ``09:30-12:00`` otherwise."""
    if m0 % 60 == 0 and m1 % 60 == 0:
        return f"{m0 // 60:02d}-{m1 // 60:02d}"
    return f"{clock(m0)}-{clock(m1)}"


@dataclass(frozen=True)
class Block:
    """A contiguous stretch of one person's day.

    Attributes:
        staff_id: The person.
        day: The date.
        start: Start, minutes since midnight.
        end: End, minutes since midnight.
        activity: ``post``, ``break`` or ``free``.
        post: The post held (empty unless ``activity`` is ``post``).
    """

    staff_id: str
    day: dt.date
    start: int
    end: int
    activity: str
    post: str = ""

    @property
    def minutes(self) -> int:
        """Length in minutes."""
        return self.end - self.start


@dataclass(frozen=True)
class Shift:
    """One shift worked.

    Attributes:
        staff_id: The person.
        name: The person's name.
        day: The date.
        shift: Shift template id.
        start: Start, minutes since midnight.
        end: End, minutes since midnight.
        paid_minutes: Paid minutes (shift less unpaid break).
    """

    staff_id: str
    name: str
    day: dt.date
    shift: str
    start: int
    end: int
    paid_minutes: int


@dataclass(frozen=True)
class PersonDay:
    """What one person does on one day, as the roster grid shows it.

    Attributes:
        shift: The shift worked, if any.
        blocks: The day's blocks in time order (same post runs merged).
        leave: Leave covering the day, if any.
    """

    shift: Shift | None = None
    blocks: tuple[Block, ...] = ()
    leave: LeaveRequest | None = None

    @property
    def working(self) -> bool:
        """Whether the person works that day."""
        return self.shift is not None or bool(self.blocks)

    @property
    def main_post(self) -> str | None:
        """The post held longest that day (earliest first on a tie)."""
        totals: dict[str, int] = defaultdict(int)
        for b in self.blocks:
            if b.activity == "post" and b.post:
                totals[b.post] += b.minutes
        if not totals:
            return None
        return max(totals, key=lambda p: totals[p])  # dict order = time order on ties

    @property
    def start(self) -> int:
        """Start of the day's work, minutes since midnight."""
        if self.shift is not None:
            return self.shift.start
        return min(b.start for b in self.blocks)

    @property
    def end(self) -> int:
        """End of the day's work, minutes since midnight."""
        if self.shift is not None:
            return self.shift.end
        return max(b.end for b in self.blocks)


def _merge(blocks: Iterable[Block]) -> tuple[Block, ...]:
    merged: list[Block] = []
    for b in sorted(blocks, key=lambda b: b.start):
        last = merged[-1] if merged else None
        if last and last.end == b.start and (last.activity, last.post) == (b.activity, b.post):
            merged[-1] = Block(b.staff_id, b.day, last.start, b.end, b.activity, b.post)
        else:
            merged.append(b)
    return tuple(merged)


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def read_blocks(assignments: pd.DataFrame) -> list[Block]:
    """Every assignment row as a :class:`Block`, in frame order."""
    out = []
    for row in assignments.itertuples(index=False):
        activity = _text(row.activity) or "post"
        post = _text(row.post) if activity == "post" else ""
        out.append(
            Block(
                staff_id=_text(row.staff_id),
                day=to_date(row.date),
                start=to_minutes(row.start),
                end=to_minutes(row.end),
                activity=activity,
                post=post,
            )
        )
    return out


def read_shifts(shifts: pd.DataFrame) -> list[Shift]:
    """Every shift row as a :class:`Shift`, in frame order."""
    out = []
    for row in shifts.itertuples(index=False):
        start, end = to_minutes(row.start), to_minutes(row.end)
        paid = row.paid_minutes
        out.append(
            Shift(
                staff_id=_text(row.staff_id),
                name=_text(row.name),
                day=to_date(row.date),
                shift=_text(row.shift),
                start=start,
                end=end,
                paid_minutes=int(paid) if _text(paid) else end - start,
            )
        )
    return out


@dataclass
class RosterView:
    """The roster laid out per person and day.

    Attributes:
        result: The roster result.
        config: The branch configuration.
        dates: Every date of the horizon.
        staff: ``(staff_id, name)`` of everyone shown: the configured staff in order, then
            anyone in the roster the configuration does not list.
        days: What each person does each day, keyed ``(staff_id, date)``.
        blocks: Every block of the roster, as in the assignment frame.
        shifts: Every shift of the roster.
    """

    result: RosterResult
    config: BranchConfig
    dates: list[dt.date]
    staff: list[tuple[str, str]]
    days: dict[tuple[str, dt.date], PersonDay] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    shifts: list[Shift] = field(default_factory=list)

    def day(self, staff_id: str, day: dt.date) -> PersonDay:
        """What the person does on ``day`` (an empty record when off)."""
        return self.days.get((staff_id, day), PersonDay())

    def paid_hours(self, staff_id: str, dates: Iterable[dt.date]) -> float:
        """Paid hours of the person's shifts on ``dates``."""
        wanted = set(dates)
        return (
            sum(s.paid_minutes for s in self.shifts if s.staff_id == staff_id and s.day in wanted)
            / 60
        )

    def weeks(self) -> list[list[dt.date]]:
        """The horizon's dates split into ISO weeks."""
        groups: dict[tuple[int, int], list[dt.date]] = {}
        for d in self.dates:
            iso = d.isocalendar()
            groups.setdefault((iso.year, iso.week), []).append(d)
        return list(groups.values())

    def cell_text(self, staff_id: str, day: dt.date, labels: Labels) -> str:
        """The roster grid's cell: shift times, then the posts hour by hour.

        Example: ``08:30-17:30`` on one line, ``09-12 高柜柜员 12-13 休 13-17 低柜柜员`` below.
        """
        pday = self.day(staff_id, day)
        if not pday.working:
            if pday.leave is not None:
                kind = labels.leave_kind(pday.leave.kind.value)
                return kind if pday.leave.approved else f"{kind} {labels('not_approved')}"
            return labels("off")
        parts = []
        for b in pday.blocks:
            if b.activity == "post":
                what = labels.post(b.post)
            elif b.activity == "break":
                what = labels("break_short")
            else:
                what = labels("free_short")
            parts.append(f"{span(b.start, b.end)} {what}")
        head = f"{clock(pday.start)}-{clock(pday.end)}"
        return head + ("\n" + " ".join(parts) if parts else "")


def build_view(
    result: RosterResult, config: BranchConfig, availability: Availability | None = None
) -> RosterView:
    """Lay out ``result`` per person and day, with leave from ``availability``.

    Raises:
        ValueError: If a date or time in the result's frames cannot be read.
    """
    dates = result.horizon.dates
    blocks = read_blocks(result.assignments)
    shifts = read_shifts(result.shifts)
    names = {s.id: s.name for s in config.staff}
    staff = [(s.id, s.name) for s in config.staff]
    extra: dict[str, str] = {}
    for sh in shifts:
        if sh.staff_id not in names:
            extra.setdefault(sh.staff_id, sh.name or sh.staff_id)
    for b in blocks:
        if b.staff_id not in names:
            extra.setdefault(b.staff_id, b.staff_id)
    staff += sorted(extra.items())

    by_day: dict[tuple[str, dt.date], list[Block]] = defaultdict(list)
    for b in blocks:
        by_day[(b.staff_id, b.day)].append(b)
    shift_of = {(s.staff_id, s.day): s for s in shifts}
    leave_of: dict[tuple[str, dt.date], LeaveRequest] = {}
    for lv in availability.leave if availability else []:
        for d in lv.dates():
            leave_of.setdefault((lv.staff_id, d), lv)
    keys = set(by_day) | set(shift_of) | set(leave_of)
    days = {
        key: PersonDay(
            shift=shift_of.get(key), blocks=_merge(by_day.get(key, [])), leave=leave_of.get(key)
        )
        for key in keys
    }
    return RosterView(
        result=result,
        config=config,
        dates=dates,
        staff=staff,
        days=days,
        blocks=blocks,
        shifts=shifts,
    )
