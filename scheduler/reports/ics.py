"""One iCalendar file (RFC 5545) per person: their shifts with the posts, and their leave.

Each shift is one ``VEVENT`` in the branch's time zone (a ``VTIMEZONE`` is included), with the
posts hour by hour in its description. UIDs are built from the branch, the person and the date
(or the leave's first day and kind), so importing next run's file for the same week updates
the events instead of duplicating them; ``SEQUENCE`` grows with the generation time so
calendar programs accept the newer version.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone

from scheduler.domain import Availability, BranchConfig, LeaveRequest
from scheduler.io.atomic import atomic_write_bytes
from scheduler.reports.labels import Labels
from scheduler.reports.view import PersonDay, RosterView, build_view, clock, span
from scheduler.roster.result import RosterResult

PRODID = "-//branch-roster//roster calendar//ZH"
"""Product identifier written in every calendar."""

UID_DOMAIN = "branch-roster"
"""Right-hand side of every UID."""

SEQUENCE_EPOCH = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
"""``SEQUENCE`` counts minutes from this instant to the generation time."""


def shift_uid(branch_id: str, staff_id: str, day: dt.date) -> str:
    """The stable UID of a person's shift on ``day`` (one shift per person and day)."""
    return f"{branch_id}-{staff_id}-{day:%Y%m%d}-shift@{UID_DOMAIN}"


def leave_uid(branch_id: str, leave: LeaveRequest) -> str:
    """The stable UID of a leave request."""
    return (
        f"{branch_id}-{leave.staff_id}-{leave.start_date:%Y%m%d}-leave-{leave.kind.value}"
        f"@{UID_DOMAIN}"
    )


def _description(pday: PersonDay, labels: Labels) -> str:
    lines = []
    for b in pday.blocks:
        if b.activity == "post":
            what = labels.post(b.post)
        elif b.activity == "break":
            what = labels("break")
        else:
            what = labels("free")
        lines.append(f"{span(b.start, b.end)} {what}")
    return "\n".join(lines)


def _posts_of(pday: PersonDay, labels: Labels) -> str:
    seen: list[str] = []
    for b in pday.blocks:
        if b.activity == "post" and b.post and b.post not in seen:
            seen.append(b.post)
    return " / ".join(labels.post(p) for p in seen) or labels("free")


@lru_cache(maxsize=8)
def _vtimezone(tzid: str) -> Timezone:
    """The ``VTIMEZONE`` component of an IANA zone (built once per zone)."""
    return Timezone.from_tzid(tzid)


def _at(day: dt.date, minute: int, tz: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=tz) + dt.timedelta(minutes=minute)


def person_calendar(
    view: RosterView,
    staff_id: str,
    labels: Labels,
    *,
    leave: list[LeaveRequest],
    stamp: dt.datetime,
) -> Calendar:
    """The calendar of one person: a ``VEVENT`` per shift and per leave request.

    Args:
        view: The roster laid out per person and day.
        staff_id: The person.
        labels: Language and names.
        leave: The person's leave requests that touch the horizon.
        stamp: Generation time (``DTSTAMP``; also decides ``SEQUENCE``), timezone-aware.

    Returns:
        A calendar with a ``VTIMEZONE`` for the branch's time zone.
    """
    cfg = view.config
    tzid = cfg.branch.timezone
    tz = ZoneInfo(tzid)
    name = dict(view.staff).get(staff_id, staff_id)
    label = view.result.horizon.label()
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", labels("calendar_name", name=name, label=label))
    cal.add("x-wr-timezone", tzid)
    cal.add_component(_vtimezone(tzid))
    stamp_utc = stamp.astimezone(dt.UTC)
    sequence = max(0, int((stamp_utc - SEQUENCE_EPOCH).total_seconds() // 60))
    for day in view.dates:
        pday = view.day(staff_id, day)
        if not pday.working:
            continue
        event = Event()
        event.add("uid", shift_uid(cfg.branch.id, staff_id, day))
        event.add("dtstamp", stamp_utc)
        event.add("sequence", sequence)
        event.add("dtstart", _at(day, pday.start, tz))
        event.add("dtend", _at(day, pday.end, tz))
        shift = labels.shift(pday.shift.shift) if pday.shift else ""
        summary = labels("event_shift", shift=shift, posts=_posts_of(pday, labels))
        event.add("summary", summary if shift else _posts_of(pday, labels))
        head = f"{clock(pday.start)}-{clock(pday.end)}"
        event.add("description", f"{head}\n{_description(pday, labels)}".strip())
        event.add("location", cfg.branch.name)
        event.add("status", "CONFIRMED")
        event.add("transp", "OPAQUE")
        cal.add_component(event)
    for lv in leave:
        event = Event()
        event.add("uid", leave_uid(cfg.branch.id, lv))
        event.add("dtstamp", stamp_utc)
        event.add("sequence", sequence)
        event.add("dtstart", lv.start_date)
        event.add("dtend", lv.end_date + dt.timedelta(days=1))
        kind = labels.leave_kind(lv.kind.value)
        if not lv.approved:
            kind = f"{kind} {labels('not_approved')}"
        event.add("summary", labels("event_leave", kind=kind))
        if lv.note:
            event.add("description", lv.note)
        event.add("status", "CONFIRMED" if lv.approved else "TENTATIVE")
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal


def write_calendars(
    result: RosterResult,
    config: BranchConfig,
    folder: str | Path,
    *,
    availability: Availability | None = None,
    lang: str = "zh",
    stamp: dt.datetime | None = None,
) -> dict[str, Path]:
    """Write ``<staff_id>.ics`` for every person of the configuration and of the roster.

    Characters other than letters, digits, ``_``, ``.`` and ``-`` in a staff id become ``_``
    in the file name.

    Args:
        result: The roster.
        config: The branch (time zone, names, posts).
        folder: Where the files go (created if needed); each file is written atomically.
        availability: Leave requests to add as all-day events.
        lang: ``zh`` or ``en``.
        stamp: Generation time; now (UTC) by default.

    Returns:
        The file written for each staff id.
    """
    labels = Labels(lang, config)
    view = build_view(result, config, availability)
    stamp = stamp or dt.datetime.now(dt.UTC)
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.UTC)
    horizon = result.horizon
    out: dict[str, Path] = {}
    for staff_id, _ in view.staff:
        leave = [
            lv
            for lv in (availability.leave if availability else [])
            if lv.staff_id == staff_id
            and lv.start_date <= horizon.end
            and horizon.start <= lv.end_date
        ]
        cal = person_calendar(view, staff_id, labels, leave=leave, stamp=stamp)
        name = re.sub(r"[^A-Za-z0-9_.-]", "_", staff_id).lstrip(".") or "_"
        out[staff_id] = atomic_write_bytes(Path(folder) / f"{name}.ics", cal.to_ical())
    return out
