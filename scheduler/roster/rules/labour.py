"""Labour rules: hours per day and week, rest, days off, consecutive days, weekends.

Rules registered from this module: max_hours_per_day, max_hours_per_week,
min_rest_between_shifts, min_days_off_per_week, max_consecutive_days, min_consecutive_days,
min_consecutive_days_off, max_weekends_worked, forbidden_shift_sequence, total_hours,
max_shifts_of_template.

Weeks run Monday to Sunday. Days outside the horizon are handled the same way by every rule:

* days before the horizon are known from ``request.history_shifts`` when it is given (a day
  missing from it was a day off); without it they are unknown;
* unknown days (before the horizon without history, and every day after the horizon) are
  assumed to help: worked for no minute and, for stretches, a rule never penalises a stretch
  whose length depends on them. A roster is never blamed for what the next one can still fix.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
from ortools.sat.python import cp_model

from scheduler.calendar import BranchCalendar
from scheduler.domain import PersonalLimits, RuleMode, Staff
from scheduler.domain.common import minutes_of, parse_clock
from scheduler.errors import InputError, Issue
from scheduler.io.tables import parse_count
from scheduler.roster.model import Expr, Group, RosterModel, RuleFunction
from scheduler.roster.prepare import clock, day_label, day_label_zh
from scheduler.roster.words import Words

HISTORY_FILE = "<history_shifts>"
"""The source name used in messages about the shifts worked before the horizon."""

DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class HistoryShift:
    """A shift worked before the horizon.

    Attributes:
        shift: Shift template id, if given.
        start: Start minute.
        end: End minute (1440 for midnight).
        paid_minutes: Paid minutes of the shift.
    """

    shift: str | None
    start: int
    end: int
    paid_minutes: int


def _history_minute(value: object) -> int:
    return minutes_of(parse_clock(value))


def history_shifts(model: RosterModel) -> dict[tuple[str, dt.date], HistoryShift] | None:
    """The shifts worked before the horizon by the people on the staff list.

    Rows on or after the horizon's first day are ignored (they are what is being planned),
    as are rows of people no longer on the staff list.

    Returns:
        ``(staff_id, date) -> shift``, or ``None`` when the request gives no history.

    Raises:
        InputError: When a row has a date, time or paid minutes that cannot be read, or the
            frame lacks the columns ``staff_id``, ``date``, ``start`` and ``end``.
    """
    frame = model.request.history_shifts
    if frame is None:
        return None
    issues: list[Issue] = []
    missing = [c for c in ("staff_id", "date", "start", "end") if c not in frame.columns]
    if missing:
        raise InputError(
            [
                Issue(
                    HISTORY_FILE,
                    f"the history of shifts lacks column(s) {', '.join(missing)}",
                    allowed="the columns of scheduler.frames.SHIFT_COLUMNS",
                )
            ]
        )
    out: dict[tuple[str, dt.date], HistoryShift] = {}
    staff = {s.id for s in model.staff}
    for row, record in enumerate(frame.to_dict("records"), start=2):
        staff_id = str(record["staff_id"])
        try:
            day = pd.Timestamp(record["date"]).date()  # type: ignore[arg-type]
        except (TypeError, ValueError):
            issues.append(
                Issue(HISTORY_FILE, "not a date", row, "date", record["date"], "2026-11-29")
            )
            continue
        if staff_id not in staff or day >= model.request.horizon.start:
            continue
        times: list[int] = []
        for column in ("start", "end"):
            try:
                times.append(_history_minute(record[column]))
            except (TypeError, ValueError):
                issues.append(
                    Issue(HISTORY_FILE, "not a time of day", row, column, record[column], "08:30")
                )
        if len(times) < 2:
            continue
        start, end = times
        if end <= start:
            issues.append(
                Issue(
                    HISTORY_FILE,
                    "the shift ends before it starts",
                    row,
                    "end",
                    record["end"],
                    f"a time after {clock(start)}",
                )
            )
            continue
        paid = end - start
        raw = record.get("paid_minutes")
        if raw is not None and not pd.isna(raw):
            try:
                paid = parse_count(raw)
            except ValueError:
                paid = -1
            if not 0 <= paid <= end - start:
                issues.append(
                    Issue(
                        HISTORY_FILE,
                        "paid minutes must be a whole number within the shift",
                        row,
                        "paid_minutes",
                        raw,
                        f"0 to {end - start}",
                    )
                )
                continue
        shift = record.get("shift")
        name = None if shift is None or pd.isna(shift) else str(shift)
        out[(staff_id, day)] = HistoryShift(name, start, end, paid)
    if issues:
        raise InputError(issues)
    return out


def worked(
    model: RosterModel,
    history: dict[tuple[str, dt.date], HistoryShift] | None,
    staff_id: str,
    day: dt.date,
) -> Expr | None:
    """Whether the person works on ``day``: a model expression, a known 0/1, or ``None``.

    ``None`` means unknown: after the horizon, or before it without history.
    """
    if day in model.request.horizon:
        return model.works(staff_id, day)
    if history is None or day > model.request.horizon.end:
        return None
    return int((staff_id, day) in history)


def weeks(model: RosterModel) -> list[tuple[dt.date, list[dt.date]]]:
    """The Monday-Sunday weeks the horizon touches: (Monday, the horizon's days in it)."""
    out: dict[dt.date, list[dt.date]] = {}
    for day in model.prep.dates:
        out.setdefault(day - dt.timedelta(days=day.weekday()), []).append(day)
    return sorted(out.items())


def _total(parts: Iterable[Expr]) -> Expr:
    items = [p for p in parts if not (isinstance(p, int) and p == 0)]
    return cp_model.LinearExpr.sum(items) if items else 0


# Hard by default ---------------------------------------------------------------------------


def max_hours_per_day(model: RosterModel) -> None:
    """Nobody's paid hours in a day exceed ``labour.max_hours_per_day``."""
    limit = round(model.config.labour.max_hours_per_day * 60)
    for person in model.staff:
        for day in model.prep.open_days:
            paid = model.paid_minutes(person.id, day)
            group = Group(
                "max_hours_per_day",
                Words(
                    f"{person.name} works at most {limit / 60:g} paid hours on {day_label(day)}",
                    f"{person.name} {day_label_zh(day)} 工时不超过 {limit / 60:g} 小时",
                ),
                (person.id,),
                (day,),
                key=(person.id, day),
            )
            model.at_most(
                group,
                paid,
                limit,
                amount=1 / 60,
                message=Words(
                    f"{person.name} works {{amount}} h beyond the {limit / 60:g} h daily "
                    f"limit on {day_label(day)}",
                    f"{person.name} {day_label_zh(day)} 工时超出每日上限 {limit / 60:g} 小时 "
                    f"{{amount}} 小时",
                ),
            )


def max_hours_per_week(model: RosterModel) -> None:
    """Nobody's paid hours in a Monday-Sunday week exceed ``labour.max_hours_per_week``.

    Shifts worked earlier in the week, before the horizon, count when the history gives them.
    """
    limit = round(model.config.labour.max_hours_per_week * 60)
    history = history_shifts(model)
    for person in model.staff:
        for monday, days in weeks(model):
            before = sum(
                h.paid_minutes
                for (s, d), h in (history or {}).items()
                if s == person.id and monday <= d < model.request.horizon.start
            )
            note = f" ({before / 60:g} h already worked before {day_label(days[0])})" * bool(before)
            note_zh = f" ({day_label_zh(days[0])}之前已工作 {before / 60:g} 小时)" * bool(before)
            week_zh = f"{day_label_zh(monday)}所在周"
            group = Group(
                "max_hours_per_week",
                Words(
                    f"{person.name} works at most {limit / 60:g} paid hours in the week of "
                    f"{day_label(monday)}{note}",
                    f"{person.name} {week_zh}工时不超过 {limit / 60:g} 小时{note_zh}",
                ),
                (person.id,),
                tuple(days),
                key=(person.id, monday),
            )
            model.at_most(
                group,
                model.paid_minutes_in(person.id, days),
                limit - before,
                amount=1 / 60,
                message=Words(
                    f"{person.name} works {{amount}} h beyond the {limit / 60:g} h weekly "
                    f"limit in the week of {day_label(monday)}{note}",
                    f"{person.name} {week_zh}工时超出每周上限 {limit / 60:g} 小时 {{amount}} 小时"
                    f"{note_zh}",
                ),
            )


def min_rest_between_shifts(model: RosterModel) -> None:
    """Between the end of one day's shift and the next shift lie at least the rest hours.

    Counted in minutes from the end of a shift to the start of the next one, across the
    horizon's start when the history gives the shift worked the day before. Each pair of
    shifts too close together is one unit of violation.
    """
    need = round(model.config.labour.min_rest_hours * 60)
    if need <= 0:
        return
    history = history_shifts(model) or {}
    reach = math.ceil(need / (24 * 60)) + 1  # days apart a pair can still be too close
    start = model.request.horizon.start
    for person in model.staff:
        name = person.name
        for later in model.prep.open_days:
            options = model.options.get((person.id, later), ())
            if not options:
                continue
            for gap in range(1, reach + 1):
                earlier = later - gap * DAY
                ends: list[tuple[Expr, int, str, str]] = [
                    (o.var, o.template.end_minute, o.template.id, o.template.name)
                    for o in model.options.get((person.id, earlier), ())
                ]
                if earlier < start and (person.id, earlier) in history:
                    past = history[(person.id, earlier)]
                    times = f"{clock(past.start)}-{clock(past.end)}"
                    shown = model.shift_name_zh(past.shift) if past.shift else f"{times} 班次"
                    ends = [(1, past.end, past.shift or times, shown)]
                for first, end, first_id, first_zh in ends:
                    close = [
                        o for o in options if gap * 24 * 60 + o.template.start_minute - end < need
                    ]
                    if not close:
                        continue
                    group = Group(
                        "min_rest_between_shifts",
                        Words(
                            f"{name} rests at least {need / 60:g} h between {day_label(earlier)} "
                            f"and {day_label(later)}",
                            f"{name} {day_label_zh(earlier)}与{day_label_zh(later)}的班次之间"
                            f"休息至少 {need / 60:g} 小时",
                        ),
                        (person.id,),
                        (earlier, later),
                        key=(person.id, earlier, later, first_id),
                    )
                    model.at_most(
                        group,
                        first + _total(o.var for o in close),
                        1,
                        message=Words(
                            f"{name} rests less than {need / 60:g} h between the "
                            f"{first_id} shift on {day_label(earlier)} and the next shift on "
                            f"{day_label(later)}",
                            f"{name} {day_label_zh(earlier)}的{first_zh}与"
                            f"{day_label_zh(later)}的下一班之间休息不足 {need / 60:g} 小时",
                        ),
                    )


def min_days_off_per_week(model: RosterModel) -> None:
    """Everybody has at least ``labour.min_days_off_per_week`` full days off in each week.

    A closed day is a day off. Days of the week outside the horizon count as days off unless
    the history shows them worked, so a short horizon is only asked what it can decide.
    """
    need = model.config.labour.min_days_off_per_week
    if need <= 0:
        return
    history = history_shifts(model) or {}
    for person in model.staff:
        for monday, days in weeks(model):
            week = [monday + i * DAY for i in range(7)]
            already = sum(1 for d in week if d not in days and (person.id, d) in history)
            allowed = 7 - need - already
            week_zh = f"{day_label_zh(monday)}所在周"
            group = Group(
                "min_days_off_per_week",
                Words(
                    f"{person.name} has at least {need} day(s) off in the week of "
                    f"{day_label(monday)}",
                    f"{person.name} {week_zh}至少休息 {need} 天",
                ),
                (person.id,),
                tuple(days),
                key=(person.id, monday),
            )
            model.at_most(
                group,
                _total(model.works(person.id, d) for d in days),
                allowed,
                message=Words(
                    f"{person.name} has {{amount}} day(s) off fewer than the {need} "
                    f"required in the week of {day_label(monday)}",
                    f"{person.name} {week_zh}休息日比规定的 {need} 天少 {{amount}} 天",
                ),
            )


def cover_due_after(model: RosterModel, days: int) -> dict[str, set[dt.date]]:
    """Open days just after the horizon on which a person must work to cover a partner.

    When one of an A/B backup pair has approved leave (a mandatory-leave block, say) on an
    open day within ``days`` after the horizon, and the other has none that day, the other
    is due at work then (A and B are never both away). The weekly roster cannot plan those
    days, but it must not leave the partner unable to work them.
    """
    horizon = model.request.horizon
    after = [horizon.end + (i + 1) * DAY for i in range(days)]
    calendar = BranchCalendar(model.config.branch)
    away: dict[str, set[dt.date]] = {}
    for leave in model.request.availability.leave:
        if leave.approved:
            away.setdefault(leave.staff_id, set()).update(
                d for d in leave.dates() if d in after and calendar.is_open(d)
            )
    due: dict[str, set[dt.date]] = {}
    for pair in model.config.backup_pairs:
        for absent, partner in ((pair.a, pair.b), (pair.b, pair.a)):
            days_due = away.get(absent, set()) - away.get(partner, set())
            if days_due:
                due.setdefault(partner, set()).update(days_due)
    return due


def max_consecutive_days(model: RosterModel) -> None:
    """Nobody works more than ``labour.max_consecutive_days`` days in a row (or their own limit).

    Every window of one day more than the limit that ends inside the horizon holds at least
    one day off; days before the horizon count from the history. Days just after the horizon
    on which a person is due to cover an A/B partner's leave (:func:`cover_due_after`) count
    as worked, so the week ends leaving them able to cover it.
    """
    history = history_shifts(model)
    most = max(model.config.limit(p, "max_consecutive_days") for p in model.staff)
    due = cover_due_after(model, most)
    horizon = model.request.horizon
    for person in model.staff:
        limit = model.config.limit(person, "max_consecutive_days")
        ahead = sorted(due.get(person.id, ()))
        for last in (*model.prep.dates, *ahead):
            window = [last - i * DAY for i in range(limit, -1, -1)]
            if not any(d in horizon for d in window):
                continue
            known = [
                int(d in ahead) if d > horizon.end else worked(model, history, person.id, d)
                for d in window
            ]
            parts = [k for k in known if k is not None]
            cover = (
                " (the days after the week when they cover an A/B partner's leave included)"
                if last > horizon.end
                else ""
            )
            cover_zh = " (含本周之后为A/B角同事休假顶岗的日子)" if last > horizon.end else ""
            group = Group(
                "max_consecutive_days",
                Words(
                    f"{person.name} works at most {limit} days in a row up to {day_label(last)}"
                    + cover,
                    f"{person.name} 截至{day_label_zh(last)}连续上班不超过 {limit} 天{cover_zh}",
                ),
                (person.id,),
                tuple(d for d in window if d in horizon),
                key=(person.id, last),
            )
            model.at_most(
                group,
                _total(parts),
                limit,
                message=Words(
                    f"{person.name} works {limit + 1} days in a row from "
                    f"{day_label(window[0])} to {day_label(last)}{cover}",
                    f"{person.name} 从{day_label_zh(window[0])}到{day_label_zh(last)}连续上班 "
                    f"{limit + 1} 天{cover_zh}",
                ),
            )


def _stretch_rule(model: RosterModel, rule: str, field: str, off: bool) -> None:
    """Penalise stretches of work (or of days off) shorter than the ``field`` limit in days.

    A stretch of exactly ``length`` days starting on ``first`` is forbidden by the clause
    "the day before differs, or a day inside differs, or the day after differs"; each such
    stretch is ``minimum - length`` days short. Stretches that touch an unknown day are left
    alone.
    """
    minima = {p.id: model.config.limit(p, field) for p in model.staff}
    if max(minima.values()) <= 1:
        return
    history = history_shifts(model)
    what = "days off" if off else "working days"
    what_zh, verb_zh = ("休息日", "休息") if off else ("上班日", "上班")
    horizon = model.request.horizon
    for person in model.staff:
        minimum = minima[person.id]
        firsts = [horizon.start + i * DAY for i in range(1 - minimum, horizon.days)]
        for length in range(1, minimum):
            for first in firsts:
                span = [first + i * DAY for i in range(-1, length + 1)]
                values = [worked(model, history, person.id, d) for d in span]
                if any(v is None for v in values):
                    continue
                if all(isinstance(v, int) for v in values):
                    continue
                inside: list[Expr] = [v for v in values[1:-1] if v is not None]
                edges: list[Expr] = [v for v in (values[0], values[-1]) if v is not None]
                if off:  # days off inside, working days at both ends
                    clause = _total(inside) + (2 - _total(edges))
                else:
                    clause = (length - _total(inside)) + _total(edges)
                days = span[1:-1]
                group = Group(
                    rule,
                    Words(
                        f"{person.name}'s {what} come at least {minimum} in a row "
                        f"around {day_label(days[0])}",
                        f"{person.name} {day_label_zh(days[0])}前后的{what_zh}至少连续 "
                        f"{minimum} 天",
                    ),
                    (person.id,),
                    tuple(d for d in days if d in model.request.horizon),
                    key=(person.id, first, length),
                )
                where = (
                    day_label(days[0])
                    if length == 1
                    else f"{day_label(days[0])} to {day_label(days[-1])}"
                )
                where_zh = (
                    day_label_zh(days[0])
                    if length == 1
                    else f"{day_label_zh(days[0])}至{day_label_zh(days[-1])}"
                )
                model.at_least(
                    group,
                    clause,
                    1,
                    amount=minimum - length,
                    message=Words(
                        f"{person.name} has only {length} {what} in a row ({where}), "
                        f"{minimum - length} short of {minimum}",
                        f"{person.name} 只连续{verb_zh} {length} 天 ({where_zh}), 比最少 "
                        f"{minimum} 天少 {minimum - length} 天",
                    ),
                )


def max_weekends_worked(model: RosterModel) -> None:
    """Nobody works on more weekends than ``labour.max_weekends_worked`` (or their own limit).

    A weekend counts when its Saturday or Sunday is worked. A weekend that begins before the
    horizon counts as worked when the history shows its Saturday worked.
    """
    if model.setting("max_weekends_worked").mode == RuleMode.OFF:
        return
    history = history_shifts(model) or {}
    horizon = model.request.horizon
    saturdays = sorted({d - (d.weekday() - 5) * DAY for d in model.prep.dates if d.weekday() >= 5})
    for person in model.staff:
        limit = model.config.limit(person, "max_weekends_worked")
        if limit is None:
            continue
        known = 0
        open_weekends: list[tuple[dt.date, list[Expr]]] = []
        for saturday in saturdays:
            if saturday < horizon.start and (person.id, saturday) in history:
                known += 1
                continue
            parts = [
                model.works(person.id, d)
                for d in (saturday, saturday + DAY)
                if d in horizon and not isinstance(model.works(person.id, d), int)
            ]
            if parts:
                open_weekends.append((saturday, parts))
        if known + len(open_weekends) <= limit:
            continue  # holds whatever the roster: no variable needed
        counted: list[Expr] = [known]
        for saturday, parts in open_weekends:
            if len(parts) == 1:
                counted.append(parts[0])
                continue
            weekend = model.cp.new_bool_var(f"weekend[{person.id},{saturday}]")
            for part in parts:
                model.cp.add(part <= weekend)
            counted.append(weekend)
        group = Group(
            "max_weekends_worked",
            Words(
                f"{person.name} works at most {limit} weekend(s)",
                f"{person.name} 上班的周末不超过 {limit} 个",
            ),
            (person.id,),
            tuple(s for s in saturdays if s in model.request.horizon),
            key=(person.id,),
        )
        model.at_most(
            group,
            _total(counted),
            limit,
            message=Words(
                f"{person.name} works {{amount}} weekend(s) more than the {limit} allowed",
                f"{person.name} 上班的周末比允许的 {limit} 个多 {{amount}} 个",
            ),
        )


def forbidden_shift_sequence(model: RosterModel) -> None:
    """A forbidden pair of shifts (e.g. late then early) never falls on consecutive days.

    The shift worked the day before the horizon counts when the history names it. One
    constraint per person, day and first shift covers all the shifts that may not follow it
    (a person works one shift a day), under one assumption literal per person and day.
    """
    followers: dict[str, list[str]] = {}
    for first, second in model.config.labour.forbidden_sequences:
        if second not in followers.setdefault(first, []):
            followers[first].append(second)
    if not followers:
        return
    history = history_shifts(model) or {}
    start = model.request.horizon.start
    for person in model.staff:
        for day in model.prep.dates:
            before = day - DAY
            group = Group(
                "forbidden_shift_sequence",
                Words(
                    f"{person.name} works no forbidden sequence of shifts from "
                    f"{day_label(before)} into {day_label(day)}",
                    f"{person.name} {day_label_zh(before)}到{day_label_zh(day)}不出现禁止的"
                    "班次衔接",
                ),
                (person.id,),
                tuple(d for d in (before, day) if d >= start),
                key=(person.id, day),
            )
            for first, seconds in followers.items():
                then: Expr = model.shift_var(person.id, before, first)
                if before < start:
                    past = history.get((person.id, before))
                    then = int(past is not None and past.shift == first)
                after = [model.shift_var(person.id, day, s) for s in seconds]
                after = [a for a in after if not isinstance(a, int)]
                if (isinstance(then, int) and then == 0) or not after:
                    continue
                model.at_most(
                    group,
                    then + _total(after),
                    1,
                    message=Words(
                        f"{person.name} works {first} on {day_label(before)} and then "
                        f"{' or '.join(seconds)} on {day_label(day)}",
                        f"{person.name} {day_label_zh(before)}上{model.shift_name_zh(first)}, "
                        f"{day_label_zh(day)}接着上"
                        f"{'或'.join(model.shift_name_zh(s) for s in seconds)}",
                    ),
                )


def _minimum_total_minutes(model: RosterModel, person: Staff, hours: float) -> int:
    """The least paid minutes of a person: scaled by contract for part-timers, less leave.

    Each day of approved leave on an open day counts as a fifth of the weekly contract.
    """
    standard = model.config.overtime.standard_hours_per_week
    scale = min(1.0, person.contract_hours_per_week / standard) if person.part_time else 1.0
    leave = leave_days(model, person.id)
    minutes = hours * 60 * scale - leave * person.contract_hours_per_week * 60 / 5
    return max(0, round(minutes))


def leave_days(model: RosterModel, staff_id: str) -> int:
    """Open days of the horizon the person spends on approved leave."""
    mine = [lv for lv in model.request.availability.leave if lv.staff_id == staff_id]
    mine = [lv for lv in mine if lv.approved]
    return sum(1 for day in model.prep.open_days if any(lv.covers(day) for lv in mine))


def total_hours(model: RosterModel) -> None:
    """Paid hours over the horizon stay within ``labour.min_total_hours`` and ``max_total_hours``.

    The minimum is for full-time staff; a part-timer's is scaled by contract hours against the
    standard week (``overtime.standard_hours_per_week``), and approved leave lowers it by a
    fifth of the weekly contract per day. A person's own limits (``Staff.limits``) replace
    the branch's and are taken as stated.
    """
    labour = model.config.labour
    days = model.prep.open_days
    for person in model.staff:
        own = person.limits or PersonalLimits()
        least_hours = own.min_total_hours
        most_hours = model.config.limit(person, "max_total_hours")
        if least_hours is None and labour.min_total_hours is not None:
            least_hours = _minimum_total_minutes(model, person, labour.min_total_hours) / 60
        if least_hours is None and most_hours is None:
            continue
        paid = model.paid_minutes_in(person.id, days)
        if least_hours is not None:
            least = round(least_hours * 60)
            group = Group(
                "total_hours",
                Words(
                    f"{person.name} works at least {least / 60:g} paid hours in the horizon",
                    f"{person.name} 排班期内工时至少 {least / 60:g} 小时",
                ),
                (person.id,),
                key=(person.id, "min"),
            )
            model.at_least(
                group,
                paid,
                least,
                amount=1 / 60,
                message=Words(
                    f"{person.name} works {{amount}} h less than the {least / 60:g} h "
                    "minimum over the horizon",
                    f"{person.name} 排班期内工时比最低 {least / 60:g} 小时少 {{amount}} 小时",
                ),
            )
        if most_hours is not None:
            most = round(most_hours * 60)
            group = Group(
                "total_hours",
                Words(
                    f"{person.name} works at most {most / 60:g} paid hours in the horizon",
                    f"{person.name} 排班期内工时至多 {most / 60:g} 小时",
                ),
                (person.id,),
                key=(person.id, "max"),
            )
            model.at_most(
                group,
                paid,
                most,
                amount=1 / 60,
                message=Words(
                    f"{person.name} works {{amount}} h more than the {most / 60:g} h "
                    "maximum over the horizon",
                    f"{person.name} 排班期内工时比上限 {most / 60:g} 小时多 {{amount}} 小时",
                ),
            )


def max_shifts_of_template(model: RosterModel) -> None:
    """Nobody works a shift template more often than its ``max_per_person`` in the horizon.

    A person's own ``limits.max_shifts`` replaces the template's limit for them (0: never).
    """
    for template in model.config.shifts:
        for person in model.staff:
            own = person.limits.max_shifts if person.limits is not None else {}
            limit = own.get(template.id, template.max_per_person)
            if limit is None:
                continue
            count = _total(model.shift_var(person.id, d, template.id) for d in model.prep.dates)
            group = Group(
                "max_shifts_of_template",
                Words(
                    f"{person.name} works the {template.id} shift at most {limit} time(s)",
                    f"{person.name} 上{template.name}不超过 {limit} 次",
                ),
                (person.id,),
                key=(template.id, person.id),
            )
            model.at_most(
                group,
                count,
                limit,
                message=Words(
                    f"{person.name} works the {template.id} shift {{amount}} time(s) more "
                    f"than the {limit} allowed",
                    f"{person.name} 上{template.name}的次数比允许的 {limit} 次多 {{amount}} 次",
                ),
            )


# Soft by default ---------------------------------------------------------------------------


def min_consecutive_days(model: RosterModel) -> None:
    """Working stretches are at least ``labour.min_consecutive_days`` long.

    A stretch touching the horizon's end, or its start without history, is never too short.
    """
    _stretch_rule(model, "min_consecutive_days", "min_consecutive_days", False)


def min_consecutive_days_off(model: RosterModel) -> None:
    """Rest stretches are at least ``labour.min_consecutive_days_off`` long (closed days count).

    A stretch touching the horizon's end, or its start without history, is never too short.
    """
    _stretch_rule(model, "min_consecutive_days_off", "min_consecutive_days_off", True)


RULES: tuple[RuleFunction, ...] = (
    max_hours_per_day,
    max_hours_per_week,
    min_rest_between_shifts,
    min_days_off_per_week,
    max_consecutive_days,
    min_consecutive_days,
    min_consecutive_days_off,
    max_weekends_worked,
    forbidden_shift_sequence,
    total_hours,
    max_shifts_of_template,
)
"""The rule functions of this module, in catalogue order."""
