"""Turn a solved model into the roster frames and the penalty sentences."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from ortools.sat.python import cp_model

from scheduler.calendar import BranchCalendar
from scheduler.domain import RULES, AvailabilityKind
from scheduler.frames import ASSIGNMENT_COLUMNS, COVERAGE_COLUMNS, SHIFT_COLUMNS
from scheduler.roster.model import OBJECTIVE_SCALE, Expr, PenaltyTerm, RosterModel, ShiftOption
from scheduler.roster.prepare import clock, overlap
from scheduler.roster.result import PERSON_COLUMNS, Penalty
from scheduler.roster.rules.cost import person_cost
from scheduler.roster.rules.labour import history_shifts
from scheduler.roster.words import Words, as_words

Value = Callable[[Expr], int]
"""Evaluates an expression in the solution."""


@dataclass(frozen=True)
class WorkedDay:
    """The shift a person works on one day, as solved.

    Attributes:
        staff_id: The person.
        date: The day.
        option: The shift option chosen.
        break_start: Minute the break starts, ``None`` without a break.
    """

    staff_id: str
    date: dt.date
    option: ShiftOption
    break_start: int | None

    @property
    def break_window(self) -> tuple[int, int] | None:
        """The break as a minute interval."""
        rule = self.option.template.break_rule
        if self.break_start is None or rule is None:
            return None
        return (self.break_start, self.break_start + rule.minutes)

    @property
    def paid_minutes(self) -> int:
        """Shift length less the unpaid break."""
        return self.option.template.paid_minutes

    def paid_intervals(self) -> list[tuple[int, int]]:
        """The worked minutes of the day, break excluded."""
        t = self.option.template
        brk = self.break_window
        if brk is None:
            return [(t.start_minute, t.end_minute)]
        return [(t.start_minute, brk[0]), (brk[1], t.end_minute)]


def evaluator(solver: cp_model.CpSolver) -> Value:
    """A function giving an expression's value in the solver's solution (constants too)."""

    def value(expr: Expr) -> int:
        if isinstance(expr, int):
            return expr
        return int(solver.value(expr))

    return value


def worked_days(model: RosterModel, value: Value) -> list[WorkedDay]:
    """Every (person, day) with a shift, in staff and date order."""
    out: list[WorkedDay] = []
    for person in model.staff:
        for day in model.prep.open_days:
            for option in model.options.get((person.id, day), ()):
                if value(option.var):
                    start = next((b for b, v in option.breaks if value(v)), None)
                    out.append(WorkedDay(person.id, day, option, start))
    return out


def _hhmm(minute: int) -> str:
    return "24:00" if minute >= 24 * 60 else clock(minute)


def assignment_rows(model: RosterModel, value: Value, days: list[WorkedDay]) -> pd.DataFrame:
    """Long-format roster: one row per person and contiguous block of the same activity."""
    rows: list[dict[str, object]] = []
    step = model.step
    for wd in days:
        t = wd.option.template
        brk = wd.break_window
        slots = [
            m for m in model.slots(wd.date) if t.start_minute <= m and m + step <= t.end_minute
        ]
        points = {t.start_minute, t.end_minute}
        if brk:
            points |= {brk[0], brk[1]}
        for m in slots:
            points |= {m, m + step}
        cuts = sorted(p for p in points if t.start_minute <= p <= t.end_minute)
        blocks: list[list[object]] = []
        for lo, hi in itertools.pairwise(cuts):
            if brk and brk[0] <= lo and hi <= brk[1]:
                what: tuple[str, str | None] = ("break", None)
            else:
                slot = next((m for m in slots if m <= lo < m + step), None)
                post = None
                if slot is not None and value(model.present(wd.staff_id, wd.date, slot)):
                    post = next(
                        (
                            p
                            for p in model.posts
                            if value(model.held(wd.staff_id, wd.date, slot, p))
                        ),
                        None,
                    )
                what = ("post", post) if post else ("free", None)
            if blocks and (blocks[-1][2], blocks[-1][3]) == what and blocks[-1][1] == lo:
                blocks[-1][1] = hi
            else:
                blocks.append([lo, hi, what[0], what[1]])
        name = model.name(wd.staff_id)
        for lo, hi, activity, post in blocks:
            rows.append(
                {
                    "staff_id": wd.staff_id,
                    "name": name,
                    "date": wd.date,
                    "start": _hhmm(int(lo)),  # type: ignore[call-overload]
                    "end": _hhmm(int(hi)),  # type: ignore[call-overload]
                    "activity": activity,
                    "post": post,
                }
            )
    return pd.DataFrame(rows, columns=list(ASSIGNMENT_COLUMNS))


def shift_rows(model: RosterModel, days: list[WorkedDay]) -> pd.DataFrame:
    """Shifts worked: one row per person and working day."""
    rows = [
        {
            "staff_id": wd.staff_id,
            "name": model.name(wd.staff_id),
            "date": wd.date,
            "shift": wd.option.template.id,
            "start": _hhmm(wd.option.template.start_minute),
            "end": _hhmm(wd.option.template.end_minute),
            "paid_minutes": wd.paid_minutes,
        }
        for wd in days
    ]
    return pd.DataFrame(rows, columns=list(SHIFT_COLUMNS))


def coverage_rows(model: RosterModel, value: Value) -> pd.DataFrame:
    """Required against assigned per (slot, post) wherever a need is stated."""
    rows = []
    for (day, m, post), need in sorted(model.prep.needs.items()):
        assigned = value(model.staffed(day, m, post))
        required = max(need.required, need.floor)
        rows.append(
            {
                "date": day,
                "ds": model.ds(day, m),
                "post": post,
                "required": required,
                "assigned": assigned,
                "gap": assigned - required,
            }
        )
    return pd.DataFrame(rows, columns=list(COVERAGE_COLUMNS))


def person_rows(model: RosterModel, days: list[WorkedDay]) -> pd.DataFrame:
    """Per-person summary over the horizon: hours, days, weekends, late shifts, cost, wishes.

    Labour cost and overtime hours are :func:`scheduler.roster.rules.cost.person_cost`, the
    formula the ``labour_cost`` objective term prices (150% beyond the standard day, 200% for
    rest-day work past the standard week, 300% on statutory holidays, 200% on the other days
    off of a holiday break), with the days worked before the horizon
    (``request.history_shifts``) counted toward the first week.
    """
    calendar = BranchCalendar(model.config.branch)
    history = history_shifts(model) or {}
    by_person: dict[str, list[WorkedDay]] = {}
    for wd in days:
        by_person.setdefault(wd.staff_id, []).append(wd)
    wishes: dict[str, list] = {}
    for entry in model.request.availability.entries:
        if entry.date in model.request.horizon and entry.kind in (
            AvailabilityKind.PREFERRED,
            AvailabilityKind.UNDESIRED,
        ):
            wishes.setdefault(entry.staff_id, []).append(entry)
    rows = []
    weeks = len(model.prep.dates) / 7
    for person in model.staff:
        mine = by_person.get(person.id, [])
        minutes_by_day = {wd.date: wd.paid_minutes for wd in mine}
        before = {d: h.paid_minutes for (s, d), h in history.items() if s == person.id}
        pay = person_cost(model.config, calendar, person, minutes_by_day, before)
        met = 0
        worked = {wd.date: wd.paid_intervals() for wd in mine}
        shift_of = {wd.date: wd.option.template.id for wd in mine}
        for entry in wishes.get(person.id, []):
            if entry.shift is not None:
                done = shift_of.get(entry.date) == entry.shift
            else:
                lo, hi = entry.minutes
                done = overlap(tuple(worked.get(entry.date, [])), lo, hi) > 0
            if (entry.kind == AvailabilityKind.PREFERRED) == done:
                met += 1
        rows.append(
            {
                "staff_id": person.id,
                "name": person.name,
                "paid_hours": pay.paid_minutes / 60,
                "contract_hours": person.contract_hours_per_week * weeks,
                "days_worked": len(mine),
                "weekend_days": sum(1 for wd in mine if wd.date.weekday() >= 5),
                "late_shifts": sum(1 for wd in mine if wd.option.template.late),
                "overtime_hours": pay.overtime_minutes / 60,
                "labour_cost": pay.cost,
                "preferences_met": met,
                "preferences_total": len(wishes.get(person.id, [])),
            }
        )
    return pd.DataFrame(rows, columns=list(PERSON_COLUMNS))


def penalty_words(term: PenaltyTerm, n: int, value: Value) -> Words:
    """The term's sentence in English and Chinese, the amount and named values filled in.

    Both languages are filled from the same values, so they always state the same numbers.
    """
    fields: dict[str, object] = {"amount": f"{round(n * term.amount, 2):g}", "n": n}  # 0.92
    for key, expr in term.show.items():
        fields[key] = value(expr)
    return as_words(term.message).fill(**fields)


def penalty_message(term: PenaltyTerm, n: int, value: Value, lang: str = "en") -> str:
    """The term's sentence in ``lang`` (``en`` or ``zh``); see :func:`penalty_words`."""
    return penalty_words(term, n, value).get(lang)


def violation(term: PenaltyTerm, value: Value) -> int:
    """Units of violation of a term in the solution: the real distance from the bound."""
    n = value(term.expr)
    if term.excess is not None:
        expr, bound, lower = term.excess
        real = bound - value(expr) if lower else value(expr) - bound
        n = min(n, max(0, real))
    return n


def roster_cost(model: RosterModel, value: Value) -> float:
    """The objective of the roster itself, in objective units, with every slack at its least.

    A solution may carry a slack larger than its violation (a term outside the objective of
    the phase that found it, or a hint taken as it was); the solver then reports more than
    the roster costs. This counts each term's real violation (:func:`violation`) at the
    objective's own integer coefficients, so it compares with the proven bound.
    """
    total = 0
    for term in model.terms:
        if term.cost > 0:
            total += model.coefficient(term) * violation(term, value)
    return total / OBJECTIVE_SCALE


def penalties(model: RosterModel, value: Value) -> tuple[Penalty, ...]:
    """Every soft term the roster pays for, as records with sentences, by rule then cost."""
    order = {r.name: i for i, r in enumerate(RULES)}
    out: list[Penalty] = []
    for term in model.terms:
        n = violation(term, value)
        if n <= 0:
            continue
        words = penalty_words(term, n, value)
        out.append(
            Penalty(
                rule=term.rule,
                amount=round(n * term.amount, 6),
                cost=round(n * term.cost, 6),
                message=words.en,
                staff_id=term.staff_id,
                date=term.date,
                ds=term.ds,
                post=term.post,
                message_zh=words.zh,
            )
        )
    out.sort(key=lambda p: (order.get(p.rule, len(order)), -p.cost, str(p.date), str(p.ds)))
    return tuple(out)
