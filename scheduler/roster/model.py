"""The CP-SAT roster model: its variables, and the helpers every rule function uses.

Decisions, made only where they are possible:

* ``shift[s, d, t]``: person ``s`` works shift template ``t`` on day ``d`` (the branch is open,
  the template fits the day's hours and, when availability is hard, the person may work it);
* a break start per shift with a break rule, chosen among the starts its window allows;
* ``assign[s, d, m, p]``: person ``s`` holds post ``p`` in the slot starting at minute ``m``,
  only for posts the person is qualified for that day, and only when the branch needs
  hour-level posts (two or more posts in play). A branch with a single post in play holds it
  whenever a qualified person is present, without a variable per slot.

Rules never branch on their mode: they state "this expression is at least / at most that
bound" through :meth:`RosterModel.at_least` / :meth:`RosterModel.at_most`, which add a hard
constraint guarded by an assumption literal, a penalised slack, or nothing, as configured.
Costs enter the objective as integers: ``cost x`` :data:`OBJECTIVE_SCALE`.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Container, Iterable, Mapping
from dataclasses import dataclass, field

from ortools.sat.python import cp_model
from ortools.sat.python import cp_model_helper as cmh

from scheduler.domain import RuleMode, RuleSetting, ShiftTemplate, Staff
from scheduler.domain.common import minutes_of
from scheduler.roster.prepare import Interval, Prepared, clock, day_label, day_label_zh
from scheduler.roster.request import RosterRequest
from scheduler.roster.words import Words

OBJECTIVE_SCALE = 60
"""Objective units per unit of cost; costs are weight x amount, amounts may be half hours."""

SHIFT_MARGIN_MIN = 60
"""A shift template fits a day when it lies within the opening hours widened by this margin
(time to open and close the branch). When no template fits that way, every template that
covers an open slot may be used, so a short holiday opening still gets staff."""

Expr = cp_model.LinearExprT
"""A linear expression, a variable or an integer constant."""


@dataclass(frozen=True)
class Group:
    """The people, days and posts one hard rule is enforced for, as one unit.

    Each group gets one assumption literal; an infeasible problem is explained by the
    smallest set of groups that cannot hold together.

    Attributes:
        rule: Catalogue rule name.
        text: The requirement in words, in English and Chinese, e.g. "李敏 or 张伟 (the A/B
            pair for Cash teller) works on Tue 1 Dec" / "12月1日(周二) 高柜柜员的A/B角 李敏、张伟
            至少一人上班".
        staff: People concerned.
        dates: Days concerned.
        posts: Posts concerned.
        key: Anything else that tells two groups of the same rule apart.
    """

    rule: str
    text: Words
    staff: tuple[str, ...] = ()
    dates: tuple[dt.date, ...] = ()
    posts: tuple[str, ...] = ()
    key: tuple[object, ...] = ()


@dataclass(frozen=True)
class PenaltyTerm:
    """One soft violation the objective can pay for, with what to print when it is paid.

    Attributes:
        rule: Catalogue rule name.
        expr: The violation count (a slack variable or expression, >= 0).
        amount: Units of violation (the rule's unit, e.g. staff-hours) per unit of ``expr``.
        cost: Cost per unit of ``expr`` (weight x amount x any factor).
        message: A sentence template in English and Chinese (a plain string stands for both);
            ``{amount}`` is the violation in units, ``{n}`` the value of ``expr`` and any name
            in ``show`` the value of that expression.
        show: Expressions whose values the message names.
        staff_id: The person concerned, if any.
        date: The day concerned, if any.
        ds: The slot concerned, if any.
        post: The post concerned, if any.
        excess: For a slack of :meth:`RosterModel.at_least` / ``at_most``: the constrained
            expression, its bound and whether it is a lower bound. The violation reported is
            then how far the expression really is from its bound, which a roster found before
            the optimum (with a slack larger than needed) would otherwise overstate.
    """

    rule: str
    expr: Expr
    amount: float
    cost: float
    message: Words | str
    show: Mapping[str, Expr] = field(default_factory=dict)
    staff_id: str | None = None
    date: dt.date | None = None
    ds: dt.datetime | None = None
    post: str | None = None
    excess: tuple[Expr, int, bool] | None = None


@dataclass(frozen=True)
class ShiftOption:
    """A shift a person may work on a day, with its decision variables.

    Attributes:
        template: The shift template.
        var: True when the person works it.
        breaks: Candidate break starts (minute) and their literals; empty without a break.
    """

    template: ShiftTemplate
    var: cp_model.IntVar
    breaks: tuple[tuple[int, cp_model.IntVar], ...] = ()


def _flat_bounds(
    model: cp_model.CpModel, expr: Expr, known: dict[int, tuple[int, int]] | None = None
) -> tuple[int, int]:
    """Lower and upper bound of a linear expression from its variables' domains.

    ``known`` caches each variable's domain bounds by index: reading a domain from the model
    is the slow part, and a large model asks for the same variables tens of thousands of
    times. Only valid while no domain changes (true while the rules are applied).
    """
    if isinstance(expr, int):
        return expr, expr
    flat = cmh.FlatIntExpr(expr)
    lo = hi = int(flat.offset)
    variables = None
    for var, coef in zip(flat.vars, flat.coeffs, strict=True):
        index = var.index
        ends = known.get(index) if known is not None else None
        if ends is None:
            if variables is None:
                variables = model.proto.variables
            domain = variables[index].domain
            ends = (domain[0], domain[len(domain) - 1])
            if known is not None:
                known[index] = ends
        a, b = ends
        lo += coef * (a if coef > 0 else b)
        hi += coef * (b if coef > 0 else a)
    return lo, hi


def break_starts(template: ShiftTemplate, step: int) -> list[int]:
    """Candidate starts of a template's break: its window's ends and the slot grid between.

    Example: a 60-minute break between 11:00 and 14:00 on an hourly grid may start at
    11:00, 12:00 or 13:00.
    """
    rule = template.break_rule
    if rule is None:
        return []
    first = minutes_of(rule.earliest)
    last = minutes_of(rule.latest_end) - rule.minutes
    grid = range(-(-first // step) * step, last + 1, step)
    return sorted({first, last, *grid})


class RosterModel:
    """The variables of a roster and the helpers the rule functions build on.

    Attributes:
        request: The request being solved.
        prep: Its lookup tables.
        cp: The CP-SAT model.
        step: Slot length in minutes.
        options: Shift options per (person, day).
        posts: Posts in play (held hour by hour); the rest are never assigned.
        hourly: Whether there is a variable per (person, day, slot, post).
        assign: Those variables.
        terms: Soft penalty terms added so far.
        groups: Assumption literal per hard group.
        static_conflicts: Hard groups that cannot hold whatever the solver does.
        warnings: Things the manager should know, found while building, in English and
            Chinese (:class:`~scheduler.roster.words.Words`).
        repair_frozen: Whether days of a published roster are kept as published (a re-solve
            with ``repair_scope="days"``, see ``rules.stability.roster_stability``).
        symmetry_groups: Classes of interchangeable people ordered by paid minutes (see
            :mod:`scheduler.roster.symmetry`); empty when none or not asked for.
    """

    def __init__(self, request: RosterRequest, prep: Prepared) -> None:
        self.request = request
        self.config = request.config
        self.prep = prep
        self.cp = cp_model.CpModel()
        self.step = request.config.branch.slot_minutes
        self.staff: tuple[Staff, ...] = tuple(request.config.staff)
        self._people = {s.id: s for s in self.staff}
        self._settings: dict[str, RuleSetting] = {}
        self.options: dict[tuple[str, dt.date], tuple[ShiftOption, ...]] = {}
        self._works: dict[tuple[str, dt.date], Expr] = {}
        self._present_terms: dict[tuple[str, dt.date, int], list[tuple[cp_model.IntVar, int]]] = {}
        self._present: dict[tuple[str, dt.date, int], Expr] = {}
        self.assign: dict[tuple[str, dt.date, int, str], cp_model.IntVar] = {}
        self.terms: list[PenaltyTerm] = []
        self.groups: dict[Group, cp_model.IntVar] = {}
        self.static_conflicts: list[Group] = []
        self.warnings: list[Words] = list(prep.warnings)
        self.repair_frozen = False
        self.symmetry_groups: list[tuple[str, ...]] = []
        self._var_bounds: dict[int, tuple[int, int]] = {}
        self._shift_vars: dict[tuple[str, dt.date, str], cp_model.IntVar] = {}
        self._loose_days: set[dt.date] = set()
        self._build_shifts()
        self._warn_loose_days()
        self.posts: tuple[str, ...] = self._posts_in_play()
        self.hourly = len(self.posts) >= 2
        if self.hourly:
            self._build_assignments()

    # Lookups ------------------------------------------------------------------------------

    def setting(self, rule: str) -> RuleSetting:
        """The configured mode and weight of a rule (looked up once per model)."""
        found = self._settings.get(rule)
        if found is None:
            found = self._settings[rule] = self.config.rule(rule)
        return found

    def person(self, staff_id: str) -> Staff:
        """The staff member with this id."""
        return self._people[staff_id]

    def name(self, staff_id: str) -> str:
        """A person's display name."""
        return self._people[staff_id].name

    def qualified(self, staff_id: str, day: dt.date, post: str) -> bool:
        """Whether the person holds a valid qualification for ``post`` on ``day``."""
        return self._people[staff_id].qualified_for(post, day)

    def slots(self, day: dt.date) -> tuple[int, ...]:
        """Start minutes of the open slots of ``day`` (empty when closed)."""
        return self.prep.slots.get(day, ())

    def ds(self, day: dt.date, minute: int) -> dt.datetime:
        """The slot start as a datetime."""
        return dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minute)

    def where(self, day: dt.date, minute: int | None = None) -> str:
        """A day (and slot) as a manager reads it, e.g. ``Tue 1 Dec 10:00``.

        Slots shorter than an hour are given with their end (``Tue 1 Dec 12:00-12:30``), so a
        shortfall there is not read as a whole hour's.
        """
        if minute is None:
            return day_label(day)
        if self.step < 60:
            return f"{day_label(day)} {clock(minute)}-{clock(minute + self.step)}"
        return f"{day_label(day)} {clock(minute)}"

    def where_zh(self, day: dt.date, minute: int | None = None) -> str:
        """:meth:`where` in Chinese, e.g. ``12月1日(周二) 10:00``."""
        if minute is None:
            return day_label_zh(day)
        if self.step < 60:
            return f"{day_label_zh(day)} {clock(minute)}-{clock(minute + self.step)}"
        return f"{day_label_zh(day)} {clock(minute)}"

    def post_name(self, post: str) -> str:
        """A post's English display name."""
        return next((p.name_en for p in self.config.posts if p.id == post), post)

    def post_name_zh(self, post: str) -> str:
        """A post's Chinese display name (its id for a post the branch does not know)."""
        return next((p.name_zh for p in self.config.posts if p.id == post), post)

    def shift_name_zh(self, shift: str) -> str:
        """A shift template's own display name (e.g. 早班); English messages use its id."""
        return next((t.name for t in self.config.shifts if t.id == shift), shift)

    # Building -----------------------------------------------------------------------------

    def fitting_shifts(self, day: dt.date) -> list[ShiftTemplate]:
        """The shift templates that may be worked on ``day`` (see :data:`SHIFT_MARGIN_MIN`)."""
        hours = self.prep.hours.get(day)
        if hours is None:
            return []
        slots = self.slots(day)
        covering = [
            t
            for t in self.config.shifts
            if any(t.start_minute <= m and m + self.step <= t.end_minute for m in slots)
        ]
        lo, hi = hours[0] - SHIFT_MARGIN_MIN, hours[1] + SHIFT_MARGIN_MIN
        inside = [t for t in covering if lo <= t.start_minute and t.end_minute <= hi]
        if not inside and covering:
            self._loose_days.add(day)
        return inside or covering

    def _allowed_breaks(
        self, template: ShiftTemplate, forbidden: tuple[Interval, ...]
    ) -> list[int] | None:
        """Break starts that keep the person off work in every forbidden minute of the shift.

        Returns ``None`` when the shift cannot be worked at all, ``[]`` for a shift without a
        break that can be worked.
        """
        inside = [
            (max(a, template.start_minute), min(b, template.end_minute))
            for a, b in forbidden
            if a < template.end_minute and template.start_minute < b
        ]
        starts = break_starts(template, self.step)
        if not inside:
            return starts
        if template.break_rule is None:
            return None
        length = template.break_rule.minutes
        fits = [b for b in starts if all(b <= lo and hi <= b + length for lo, hi in inside)]
        return fits or None

    def _build_shifts(self) -> None:
        hard_availability = self.setting("availability").mode == RuleMode.HARD
        for day in self.prep.open_days:
            templates = self.fitting_shifts(day)
            slots = self.slots(day)
            for person in self.staff:
                forbidden = self.prep.forbidden.get((person.id, day), ())
                options: list[ShiftOption] = []
                for template in templates:
                    if hard_availability:
                        starts = self._allowed_breaks(template, forbidden)
                        if starts is None:
                            continue
                    else:
                        starts = break_starts(template, self.step)
                    options.append(self._new_option(person.id, day, template, starts, slots))
                self.options[(person.id, day)] = tuple(options)
                if len(options) == 1:
                    self._works[(person.id, day)] = options[0].var
                elif options:
                    works = self.cp.new_bool_var(f"works[{person.id},{day}]")
                    self.cp.add(sum(o.var for o in options) == works)
                    self._works[(person.id, day)] = works

    def _warn_loose_days(self) -> None:
        """Tell the manager about open days no shift template fits (short holiday hours)."""
        if not self._loose_days:
            return
        days = sorted(self._loose_days)
        more = len(days) > 5
        hours = {d: f"{clock(self.prep.hours[d][0])}-{clock(self.prep.hours[d][1])}" for d in days}
        shown = ", ".join(f"{day_label(d)} {hours[d]}" for d in days[:5]) + (" ..." if more else "")
        shown_zh = "、".join(f"{day_label_zh(d)} {hours[d]}" for d in days[:5]) + (
            " 等" if more else ""
        )
        self.warnings.append(
            Words(
                f"no shift template fits the opening hours of {len(days)} day(s) ({shown}); "
                "those days are staffed with the templates that cover them, paid for hours the "
                "branch is closed: add a shift template for those hours",
                f"有 {len(days)} 天的营业时间没有合适的班次模板 ({shown_zh}); "
                "这些天用能覆盖营业时间的班次模板排班, 网点不营业的时段也计工时: "
                "请为这些营业时间添加班次模板",
            )
        )

    def _new_option(
        self,
        staff_id: str,
        day: dt.date,
        template: ShiftTemplate,
        starts: list[int],
        slots: tuple[int, ...],
    ) -> ShiftOption:
        var = self.cp.new_bool_var(f"shift[{staff_id},{day},{template.id}]")
        self._shift_vars[(staff_id, day, template.id)] = var
        if len(starts) == 1:
            breaks = ((starts[0], var),)
        elif starts:
            breaks = tuple(
                (b, self.cp.new_bool_var(f"break[{staff_id},{day},{template.id},{clock(b)}]"))
                for b in starts
            )
            self.cp.add(sum(v for _, v in breaks) == var)
        else:
            breaks = ()
        length = template.break_rule.minutes if template.break_rule else 0
        first = bisect.bisect_left(slots, template.start_minute)
        last = bisect.bisect_right(slots, template.end_minute - self.step)
        for m in slots[first:last]:
            terms = self._present_terms.setdefault((staff_id, day, m), [])
            if not breaks:
                terms.append((var, 1))
                continue
            blocked = [v for b, v in breaks if b < m + self.step and m < b + length]
            if len(breaks) == 1 and blocked:
                continue  # the only break placement covers this slot: never present
            terms.append((var, 1))
            terms.extend((v, -1) for v in blocked)
        return ShiftOption(template, var, breaks)

    def _posts_in_play(self) -> tuple[str, ...]:
        """Posts someone may be asked to hold: needed, floored, or named by a rule or pin."""
        cfg = self.config
        named: set[str] = {p for (_, _, p) in self.prep.needs}
        named |= {p.id for p in cfg.posts if p.min_staff > 0}
        for auth in cfg.authorisers:
            named |= {auth.post, *auth.supervises}
        named |= {pair.post for pair in cfg.backup_pairs}
        for inc in cfg.incompatible_duties:
            named |= set(inc.posts)
        for quota in cfg.rotation_quotas:
            named |= set(quota.posts)
        for cycle in cfg.rotation_cycles:
            named |= set(cycle.posts)
        named |= {x.post for x in cfg.not_alone_together if x.post is not None}
        named |= {pin.post for pin in self.request.pins if pin.post is not None}
        for target in self.request.quota_targets:
            named |= set(target.posts)
        return tuple(p.id for p in cfg.posts if p.id in named)

    def _build_assignments(self) -> None:
        for (staff_id, day, m), terms in self._present_terms.items():
            if not terms:
                continue
            for post in self.posts:
                if self.qualified(staff_id, day, post):
                    self.assign[(staff_id, day, m, post)] = self.cp.new_bool_var(
                        f"assign[{staff_id},{day},{clock(m)},{post}]"
                    )

    # Expressions --------------------------------------------------------------------------

    def works(self, staff_id: str, day: dt.date) -> Expr:
        """1 when the person works any shift on ``day``."""
        return self._works.get((staff_id, day), 0)

    def shift_var(self, staff_id: str, day: dt.date, shift: str) -> Expr:
        """1 when the person works shift template ``shift`` on ``day`` (0 if impossible)."""
        return self._shift_vars.get((staff_id, day, shift), 0)

    def present(self, staff_id: str, day: dt.date, minute: int) -> Expr:
        """1 when the person is on shift and not on break for the whole slot."""
        key = (staff_id, day, minute)
        if key not in self._present:
            terms = self._present_terms.get(key, [])
            if not terms:
                self._present[key] = 0
            elif len(terms) == 1 and terms[0][1] == 1:
                self._present[key] = terms[0][0]
            else:
                self._present[key] = cp_model.LinearExpr.weighted_sum(
                    [v for v, _ in terms], [c for _, c in terms]
                )
        return self._present[key]

    def on_duty_during(self, staff_id: str, day: dt.date, lo: int, hi: int) -> Expr:
        """1 when the person's shift covers ``[lo, hi)`` and their break does not touch it."""
        vars_: list[cp_model.IntVar] = []
        coefs: list[int] = []
        for option in self.options.get((staff_id, day), ()):
            t = option.template
            if not (t.start_minute <= lo and hi <= t.end_minute):
                continue
            length = t.break_rule.minutes if t.break_rule else 0
            blocked = [v for b, v in option.breaks if b < hi and lo < b + length]
            if len(option.breaks) == 1 and blocked:
                continue
            vars_.append(option.var)
            coefs.append(1)
            vars_.extend(blocked)
            coefs.extend(-1 for _ in blocked)
        if not vars_:
            return 0
        return cp_model.LinearExpr.weighted_sum(vars_, coefs)

    def held(self, staff_id: str, day: dt.date, minute: int, post: str) -> Expr:
        """1 when the person holds ``post`` in the slot."""
        if self.hourly:
            return self.assign.get((staff_id, day, minute, post), 0)
        if post in self.posts and self.qualified(staff_id, day, post):
            return self.present(staff_id, day, minute)
        return 0

    def holders(self, day: dt.date, minute: int, post: str) -> list[str]:
        """People who may hold ``post`` in the slot (a variable or expression exists)."""
        return [s.id for s in self.staff if not isinstance(self.held(s.id, day, minute, post), int)]

    def staffed(self, day: dt.date, minute: int, post: str) -> Expr:
        """Number of people holding ``post`` in the slot."""
        parts = [self.held(s, day, minute, post) for s in self.holders(day, minute, post)]
        return cp_model.LinearExpr.sum(parts) if parts else 0

    def paid_minutes(self, staff_id: str, day: dt.date) -> Expr:
        """Paid minutes the person works on ``day`` (shift length less its unpaid break)."""
        options = self.options.get((staff_id, day), ())
        if not options:
            return 0
        return cp_model.LinearExpr.weighted_sum(
            [o.var for o in options], [o.template.paid_minutes for o in options]
        )

    def paid_minutes_in(self, staff_id: str, days: Iterable[dt.date]) -> Expr:
        """Paid minutes the person works over ``days``."""
        vars_: list[cp_model.IntVar] = []
        coefs: list[int] = []
        for day in days:
            for option in self.options.get((staff_id, day), ()):
                vars_.append(option.var)
                coefs.append(option.template.paid_minutes)
        return cp_model.LinearExpr.weighted_sum(vars_, coefs) if vars_ else 0

    def bounds(self, expr: Expr) -> tuple[int, int]:
        """Lower and upper bound of an expression over its variables' domains."""
        return _flat_bounds(self.cp, expr, self._var_bounds)

    # Rule helpers -------------------------------------------------------------------------

    def hard_literal(self, group: Group) -> cp_model.IntVar:
        """The assumption literal that enforces the hard constraints of ``group``.

        During the normal solve every such literal is fixed to true; when no roster exists,
        they become assumptions and the solver names a subset that cannot all be true.
        """
        if group not in self.groups:
            self.groups[group] = self.cp.new_bool_var(f"hard[{group.rule}:{len(self.groups)}]")
        return self.groups[group]

    def penalty(
        self,
        rule: str,
        expr: Expr,
        *,
        message: Words,
        amount: float = 1.0,
        factor: float = 1.0,
        weight: float | None = None,
        show: Mapping[str, Expr] | None = None,
        staff_id: str | None = None,
        date: dt.date | None = None,
        ds: dt.datetime | None = None,
        post: str | None = None,
        excess: tuple[Expr, int, bool] | None = None,
    ) -> None:
        """Record a soft term: ``expr`` units of violation, each ``amount`` rule units.

        Args:
            rule: Catalogue rule name.
            expr: Violation count (>= 0), a variable, expression or constant.
            message: Sentence template in English and Chinese (see :class:`PenaltyTerm`).
            amount: Rule units per unit of ``expr`` (e.g. 0.5 staff-hours for a 30-min slot).
            factor: Extra multiplier of the cost (e.g. minutes of extra wait).
            weight: Cost per rule unit; the configured weight when ``None``.
            show: Expressions the message names.
            staff_id: The person concerned.
            date: The day concerned.
            ds: The slot concerned.
            post: The post concerned.
            excess: The bounded expression behind a slack (see :class:`PenaltyTerm`).
        """
        weight = self.setting(rule).weight if weight is None else weight
        self.terms.append(
            PenaltyTerm(
                rule,
                expr,
                amount,
                weight * amount * factor,
                message,
                dict(show or {}),
                staff_id,
                date,
                ds,
                post,
                excess,
            )
        )

    def at_least(
        self,
        group: Group,
        expr: Expr,
        bound: int,
        *,
        message: Words,
        amount: float = 1.0,
        factor: float = 1.0,
        show: Mapping[str, Expr] | None = None,
        ds: dt.datetime | None = None,
        weight: float | None = None,
    ) -> None:
        """State ``expr >= bound`` for the group's rule, hard, soft or off as configured.

        Hard: the constraint is guarded by the group's assumption literal (and a bound no
        assignment can reach is recorded as a static conflict). Soft: a slack ``short`` with
        ``expr + short >= bound`` is penalised at ``amount`` units each, at ``weight`` per
        unit (the rule's configured weight when ``None``). Off: nothing.
        """
        self._bounded(group, expr, bound, True, message, amount, factor, show, ds, weight)

    def at_most(
        self,
        group: Group,
        expr: Expr,
        bound: int,
        *,
        message: Words,
        amount: float = 1.0,
        factor: float = 1.0,
        show: Mapping[str, Expr] | None = None,
        ds: dt.datetime | None = None,
        weight: float | None = None,
    ) -> None:
        """State ``expr <= bound`` for the group's rule; see :meth:`at_least`."""
        self._bounded(group, expr, bound, False, message, amount, factor, show, ds, weight)

    def _bounded(
        self,
        group: Group,
        expr: Expr,
        bound: int,
        lower: bool,
        message: Words,
        amount: float,
        factor: float,
        show: Mapping[str, Expr] | None,
        ds: dt.datetime | None,
        weight: float | None = None,
    ) -> None:
        setting = self.setting(group.rule)
        if setting.mode == RuleMode.OFF:
            return
        lo, hi = self.bounds(expr)
        if (lower and lo >= bound) or (not lower and hi <= bound):
            return  # holds whatever the solver does
        if setting.mode == RuleMode.HARD:
            impossible = (lower and hi < bound) or (not lower and lo > bound)
            if impossible and group not in self.static_conflicts:
                self.static_conflicts.append(group)
            literal = self.hard_literal(group)
            constraint = self.cp.add(expr >= bound) if lower else self.cp.add(expr <= bound)
            constraint.only_enforce_if(literal)
            return
        if lower:
            slack = self._slack(group, bound - lo)
            self.cp.add(expr + slack >= bound)
        else:
            slack = self._slack(group, hi - bound)
            self.cp.add(expr - slack <= bound)
        self.penalty(
            group.rule,
            slack,
            message=message,
            amount=amount,
            factor=factor,
            weight=weight,
            show=show,
            staff_id=group.staff[0] if len(group.staff) == 1 else None,
            date=group.dates[0] if len(group.dates) == 1 else None,
            ds=ds,
            post=group.posts[0] if len(group.posts) == 1 else None,
            excess=(expr, bound, lower),
        )

    def _slack(self, group: Group, most: int) -> cp_model.IntVar:
        if most == 1:
            return self.cp.new_bool_var(f"slack[{group.rule}]")
        return self.cp.new_int_var(0, most, f"slack[{group.rule}]")

    # Objective ----------------------------------------------------------------------------

    def objective_terms(self, rules: Container[str] | None = None) -> tuple[list[Expr], list[int]]:
        """The objective as expressions and integer coefficients (cost x scale).

        Args:
            rules: Only the terms of these rules; every term when ``None``.
        """
        exprs: list[Expr] = []
        coefs: list[int] = []
        for term in self.terms:
            if term.cost <= 0 or (rules is not None and term.rule not in rules):
                continue
            exprs.append(term.expr)
            coefs.append(self.coefficient(term))
        return exprs, coefs

    @staticmethod
    def coefficient(term: PenaltyTerm) -> int:
        """The integer objective coefficient of a term with a positive cost (cost x scale)."""
        return max(1, round(term.cost * OBJECTIVE_SCALE))

    def set_objective(self) -> None:
        """Minimise the total cost of every soft term."""
        exprs, coefs = self.objective_terms()
        self.cp.minimize(cp_model.LinearExpr.weighted_sum(exprs, coefs))


RuleFunction = Callable[[RosterModel], None]
"""A rule: adds its constraints and penalty terms to the model; named after the rule."""
