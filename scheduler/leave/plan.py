"""The annual mandatory-leave plan (强制休假计划) as a CP-SAT model.

Each person holding a sensitive post gets one block of consecutive working days
(``MandatoryLeaveRule.working_days``) somewhere in the year. One boolean per person and
possible first day says "the block starts here"; every rule is linear in those booleans.

Hard rules, one function each:

* ``one_block_per_person``: exactly one block for everyone who has not yet taken theirs;
* ``ab_partners_not_away_together``: the two people of an A/B pair are never away on the same
  working day (recorded leave counts as away);
* ``post_cover_every_week``: in every week, enough people qualified for each sensitive post
  are not away (the post's floor times the open days, spread over the days a person works);
* blackout days (month-end, quarter-end, working days around long holidays, dates the manager
  marks) and the past are never inside a new block: those starts are not created at all.

Soft rules, each returning named penalty terms:

* ``staff_preference``: a block outside a person's preferred window costs its distance in
  working days times the preference's weight;
* ``keep_planned_block``: when re-planning, moving a block already planned costs a fixed
  amount plus its distance (a block already started cannot move: it is fixed);
* ``spread_through_year``: overlapping blocks in a week and more block starts in a month than
  an even spread cost per extra block.

When no plan exists the model is solved again with one assumption literal per person, pair
and (post, week), and the conflicting set is reported with the people and weeks involved.

Every sentence (conflict and fix, cost, warning) is written in English and in Chinese from the
same values (:class:`~scheduler.roster.words.Words`), as the roster's are: the English stays
``message``, ``relaxation`` and ``warnings``, the Chinese is ``message_zh``, ``relaxation_zh`` and
``warnings_zh``. Days read ``3月2日`` in Chinese (with the year when outside the planned one),
posts by their Chinese name.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd
from ortools.sat.python import cp_model

from scheduler.calendar import BranchCalendar
from scheduler.domain import BranchConfig, LeaveKind, LeaveRequest, minutes_of
from scheduler.interrupt import solve_interruptibly
from scheduler.roster.result import Conflict, relative_gap, warning_fields
from scheduler.roster.words import Words, default_zh, pick, pick_all, unique

PLAN_COLUMNS = (
    "staff_id",
    "name",
    "post",
    "start",
    "end",
    "working_days",
    "cover_id",
    "cover_name",
    "status",
    "previous_start",
    "preference",
)
"""One row per mandatory block: who, which post, first and last day, who covers.

``status`` is ``planned`` (new or kept), ``moved`` (re-planned away from ``previous_start``),
``fixed`` (already started: cannot move) or ``taken`` (recorded in the history).
``preference`` is ``met``, ``missed`` or empty when the person stated none."""


@dataclass(frozen=True)
class LeavePreference:
    """A person's wish for when their block falls (soft).

    Attributes:
        staff_id: The person.
        earliest: First acceptable day of the block.
        latest: Last acceptable day of the block.
        weight: Strength of the wish (1-10).
    """

    staff_id: str
    earliest: dt.date
    latest: dt.date
    weight: int = 1


@dataclass(frozen=True)
class PlannedBlock:
    """A block from an earlier plan, to keep where possible when re-planning.

    Attributes:
        staff_id: The person.
        start: First day of the block as planned.
    """

    staff_id: str
    start: dt.date


@dataclass(frozen=True)
class LeavePlanSettings:
    """How the plan is built: extra blackouts, cover, weights and search.

    Attributes:
        today: Re-plan date: no new block starts before it and blocks already started are
            fixed; ``None`` plans the whole year.
        quarter_end_days: Working days at the end of each quarter to avoid (in addition to the
            rule's month-end days; the larger applies at quarter ends).
        blackout: Extra date ranges (inclusive) the manager marks as unavailable.
        min_cover: People per post who must stay available in every week, overriding the
            default computed from the post's floor and the open days.
        preference_weight: Penalty per working day of distance per unit of preference weight.
        move_weight: Penalty for moving a block already planned.
        move_day_weight: Extra penalty per working day it moves.
        spread_week_weight: Penalty per extra block away in the same week.
        spread_month_weight: Penalty per block starting in a month beyond an even spread.
        time_limit_s: Solver time limit.
        workers: CP-SAT search workers.
        seed: Random seed.
    """

    today: dt.date | None = None
    quarter_end_days: int = 5
    blackout: tuple[tuple[dt.date, dt.date], ...] = ()
    min_cover: dict[str, int] = field(default_factory=dict)
    preference_weight: int = 10
    move_weight: int = 200
    move_day_weight: int = 2
    spread_week_weight: int = 30
    spread_month_weight: int = 10
    time_limit_s: float = 30.0
    workers: int = 2
    seed: int = 0


@dataclass(frozen=True)
class LeaveBlock:
    """One mandatory-leave block of the plan.

    Attributes:
        staff_id: The person.
        post: The sensitive post they hold.
        start: First day.
        end: Last day.
        working_days: Working days in the block.
        cover_id: Who holds the post meanwhile (the B partner or another qualified person).
        status: ``planned``, ``moved``, ``fixed`` or ``taken``.
        previous_start: Start in the previous plan, if any.
        preference: ``met``, ``missed`` or ``""``.
    """

    staff_id: str
    post: str
    start: dt.date
    end: dt.date
    working_days: int
    cover_id: str | None
    status: str
    previous_start: dt.date | None = None
    preference: str = ""


@dataclass(frozen=True)
class PlanPenalty:
    """One soft-rule cost in the plan.

    Attributes:
        rule: ``staff_preference``, ``keep_planned_block`` or ``spread_through_year``.
        amount: Units (working days of distance, blocks).
        cost: Its share of the objective.
        message: The cost in words.
        staff_id: The person, if one.
        message_zh: The cost in Chinese (``message`` when not given).
    """

    rule: str
    amount: int
    cost: int
    message: str
    staff_id: str | None = None
    message_zh: str = ""

    def __post_init__(self) -> None:
        default_zh(self, "message")

    def message_in(self, lang: str) -> str:
        """The cost in ``lang``: Chinese for ``zh``, English otherwise."""
        return pick(self.message, self.message_zh, lang)


@dataclass(frozen=True)
class LeavePlan:
    """The year's plan, or why none exists.

    Attributes:
        year: The year planned.
        status: CP-SAT status (``OPTIMAL``, ``FEASIBLE``, ``INFEASIBLE``, ``UNKNOWN``).
        blocks: One block per person subject to the rule (when feasible).
        penalties: Soft-rule costs of the plan.
        conflicts: What cannot hold together (when infeasible), in English and Chinese.
        warnings: Things the manager should know, in English.
        objective: Objective value.
        best_bound: Proven bound.
        wall_time_s: Solve time.
        warnings_zh: The same warnings in Chinese, in the same order (empty in a plan built by
            hand: :meth:`warnings_in` then gives the English).
    """

    year: int
    status: str
    blocks: tuple[LeaveBlock, ...] = ()
    penalties: tuple[PlanPenalty, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    warnings: tuple[str, ...] = ()
    objective: float | None = None
    best_bound: float | None = None
    wall_time_s: float = 0.0
    warnings_zh: tuple[str, ...] = ()

    @property
    def feasible(self) -> bool:
        """Whether a plan was found."""
        return self.status in ("OPTIMAL", "FEASIBLE")

    @property
    def gap(self) -> float | None:
        """Relative gap (:func:`~scheduler.roster.result.relative_gap`); ``None`` without both."""
        if self.objective is None or self.best_bound is None:
            return None
        return relative_gap(self.objective, self.best_bound)

    def warnings_in(self, lang: str) -> tuple[str, ...]:
        """The warnings in ``lang``: Chinese for ``zh`` when there is one per English warning."""
        return pick_all(self.warnings, self.warnings_zh, lang)

    def frame(self, config: BranchConfig) -> pd.DataFrame:
        """The blocks as a frame with :data:`PLAN_COLUMNS`, by start date."""
        names = {s.id: s.name for s in config.staff}
        rows = [
            {
                "staff_id": b.staff_id,
                "name": names.get(b.staff_id, b.staff_id),
                "post": b.post,
                "start": b.start,
                "end": b.end,
                "working_days": b.working_days,
                "cover_id": b.cover_id or "",
                "cover_name": names.get(b.cover_id, "") if b.cover_id else "",
                "status": b.status,
                "previous_start": b.previous_start,
                "preference": b.preference,
            }
            for b in sorted(self.blocks, key=lambda b: (b.start, b.staff_id))
        ]
        return pd.DataFrame(rows, columns=list(PLAN_COLUMNS))

    def leave_requests(self) -> list[LeaveRequest]:
        """The blocks still to take as approved mandatory leave, for the weekly rosters.

        Add them to a week's :class:`~scheduler.domain.Availability` so the roster keeps the
        person off work (blocks already ``taken`` are left out).
        """
        return [
            LeaveRequest(
                staff_id=b.staff_id,
                start_date=b.start,
                end_date=b.end,
                kind=LeaveKind.MANDATORY,
                note=f"mandatory leave {self.year}"
                + (f", cover {b.cover_id}" if b.cover_id else ""),
            )
            for b in sorted(self.blocks, key=lambda b: (b.start, b.staff_id))
            if b.status != "taken"
        ]

    def summary(self) -> str:
        """A few lines for a terminal."""
        lines = [f"mandatory leave {self.year}: {self.status}"]
        if self.objective is not None:
            lines.append(
                f"objective {self.objective:g}, best bound {self.best_bound:g}, "
                f"{self.wall_time_s:.1f} s, {len(self.blocks)} blocks"
            )
        for c in self.conflicts:
            lines.append(f"conflict: {c.message}")
            if c.relaxation:
                lines.append(f"  to fix: {c.relaxation}")
        lines.extend(f"warning: {w}" for w in self.warnings)
        return "\n".join(lines)


# Instance --------------------------------------------------------------------------------


@dataclass
class _Instance:
    """The year's data: working days, subjects, blackouts, known absences."""

    config: BranchConfig
    year: int
    length: int
    days: list[dt.date]
    index: dict[dt.date, int]
    week_of: list[dt.date]
    posts: list[str]
    subjects: dict[str, str]  # staff id -> sensitive post
    taken: dict[str, tuple[dt.date, dt.date]]
    away: dict[str, set[int]]  # working-day indexes of recorded leave
    blackout: set[int]
    blackout_reason: dict[int, str]
    first_start: int
    warnings: list[Words] = field(default_factory=list)

    def block(self, start: int) -> range:
        return range(start, start + self.length)

    def date_zh(self, day: dt.date) -> str:
        """``day`` in Chinese: ``3月2日``, or ``2026年12月28日`` outside the planned year."""
        return date_zh(day, self.year)

    def week_zh(self, week: dt.date) -> str:
        """The week starting on Monday ``week`` in Chinese: ``3月1日起的一周``."""
        return f"{self.date_zh(week)}起的一周"

    def post_zh(self, post: str) -> str:
        """The post's Chinese name (its id when the configuration has no such post)."""
        return next((p.name_zh for p in self.config.posts if p.id == post), post)

    def weeks(self) -> list[dt.date]:
        return sorted(set(self.week_of))


def date_zh(day: dt.date, year: int | None = None) -> str:
    """A day in Chinese: ``3月2日``, with the year (``2026年12月28日``) unless it is ``year``."""
    text = f"{day.month}月{day.day}日"
    return text if day.year == year else f"{day.year}年{text}"


def _working_days(calendar: BranchCalendar, year: int) -> list[dt.date]:
    day, out = dt.date(year, 1, 1), []
    while day.year == year:
        if calendar.is_working_day(day):
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def mandatory_posts(config: BranchConfig) -> list[str]:
    """Posts whose holders take mandatory leave: the rule's posts, or every sensitive post."""
    rule = config.mandatory_leave
    if rule is not None and rule.posts:
        return list(rule.posts)
    return [p.id for p in config.posts if p.sensitive]


def subjects_of(config: BranchConfig) -> dict[str, str]:
    """People subject to mandatory leave and their sensitive post.

    Holders are those whose home post is a mandatory post, plus the A holder of every backup
    pair on such a post; in staff order.
    """
    posts = mandatory_posts(config)
    found: dict[str, str] = {}
    for person in config.staff:
        if person.home_post in posts:
            found[person.id] = person.home_post
    for pair in config.backup_pairs:
        if pair.post in posts:
            found.setdefault(pair.a, pair.post)
    order = {s.id: i for i, s in enumerate(config.staff)}
    return dict(sorted(found.items(), key=lambda kv: order[kv[0]]))


def _blackout(
    config: BranchConfig,
    calendar: BranchCalendar,
    days: list[dt.date],
    settings: LeavePlanSettings,
) -> dict[int, str]:
    rule = config.mandatory_leave
    assert rule is not None
    reasons: dict[int, str] = {}
    by_month: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, d in enumerate(days):
        by_month[(d.year, d.month)].append(i)
    for (_, month), idx in by_month.items():
        n = rule.avoid_month_end_days
        if month % 3 == 0:
            n = max(n, settings.quarter_end_days)
            what = "quarter-end"
        else:
            what = "month-end"
        for i in idx[len(idx) - n :] if n else []:
            reasons.setdefault(i, what)
    k = rule.avoid_days_around_holidays
    if k:
        year = days[0].year if days else 0
        for lo, hi in calendar.long_holiday_spans(year):
            before = [i for i, d in enumerate(days) if d < lo][-k:]
            after = [i for i, d in enumerate(days) if d > hi][:k]
            for i in before + after:
                reasons.setdefault(i, f"around the holiday {lo}..{hi}")
    for lo, hi in [*rule.blackout, *settings.blackout]:
        for i, d in enumerate(days):
            if lo <= d <= hi:
                reasons.setdefault(i, f"blackout {lo}..{hi}")
    return reasons


def _known_leave(leave: pd.DataFrame | None, year: int) -> list[tuple[str, dt.date, dt.date, str]]:
    if leave is None or leave.empty:
        return []
    out = []
    for r in leave.itertuples(index=False):
        start = r.start_date if type(r.start_date) is dt.date else pd.Timestamp(r.start_date).date()
        end = r.end_date if type(r.end_date) is dt.date else pd.Timestamp(r.end_date).date()
        if start.year <= year <= end.year:
            out.append((str(r.staff_id), start, end, str(r.kind)))
    return out


def _instance(
    config: BranchConfig,
    year: int,
    leave: pd.DataFrame | None,
    settings: LeavePlanSettings,
) -> _Instance:
    rule = config.mandatory_leave
    assert rule is not None
    calendar = BranchCalendar(config.branch)
    days = _working_days(calendar, year)
    index = {d: i for i, d in enumerate(days)}
    reasons = _blackout(config, calendar, days, settings)
    subjects = subjects_of(config)
    away: dict[str, set[int]] = defaultdict(set)
    taken: dict[str, tuple[dt.date, dt.date]] = {}
    runs: dict[str, list[int]] = defaultdict(list)
    for staff_id, start, end, kind in _known_leave(leave, year):
        idx = [index[d] for d in _dates(start, end) if d in index]
        away[staff_id].update(idx)
        if kind == LeaveKind.MANDATORY.value:
            runs[staff_id].extend(idx)
    for staff_id, idx in runs.items():
        longest = _longest_run(sorted(set(idx)))
        if longest is not None and longest[1] - longest[0] + 1 >= rule.working_days:
            taken[staff_id] = (days[longest[0]], days[longest[1]])
    first = 0
    if settings.today is not None and settings.today.year == year:
        first = next((i for i, d in enumerate(days) if d >= settings.today), len(days))
    elif settings.today is not None and settings.today.year > year:
        first = len(days)
    return _Instance(
        config=config,
        year=year,
        length=rule.working_days,
        days=days,
        index=index,
        week_of=[d - dt.timedelta(days=d.weekday()) for d in days],
        posts=mandatory_posts(config),
        subjects=subjects,
        taken=taken,
        away=dict(away),
        blackout=set(reasons),
        blackout_reason=reasons,
        first_start=first,
    )


def _dates(start: dt.date, end: dt.date) -> Iterable[dt.date]:
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


def _longest_run(idx: Sequence[int]) -> tuple[int, int] | None:
    best: tuple[int, int] | None = None
    run_start = None
    for k, i in enumerate(idx):
        if k == 0 or i != idx[k - 1] + 1:
            run_start = i
        assert run_start is not None
        if best is None or i - run_start > best[1] - best[0]:
            best = (run_start, i)
    return best


# Model -------------------------------------------------------------------------------------


@dataclass
class _Model:
    """The CP-SAT model and the handles needed to read and explain it."""

    inst: _Instance
    model: cp_model.CpModel
    starts: dict[str, dict[int, cp_model.IntVar]]
    fixed: dict[str, int]
    previous: dict[str, int]
    costs: list[tuple[str, str | None, cp_model.LinearExprT, int, Words]]
    assumptions: dict[int, tuple[str, tuple[str, ...], tuple[dt.date, ...], Words]]

    def away_expr(self, staff_id: str, day: int) -> tuple[list[cp_model.IntVar], int]:
        """Variables whose block covers ``day`` and the constant known absence (0/1)."""
        lits = [
            v for s, v in self.starts.get(staff_id, {}).items() if s <= day < s + self.inst.length
        ]
        const = 1 if day in self.inst.away.get(staff_id, set()) else 0
        return lits, const


def _enforce(
    m: _Model,
    explain: bool,
    kind: str,
    who: tuple[str, ...],
    when: tuple[dt.date, ...],
    msg: Words,
) -> cp_model.IntVar | None:
    if not explain:
        return None
    lit = m.model.new_bool_var(f"assume[{kind}:{','.join(who)}:{when[0] if when else ''}]")
    m.assumptions[lit.index] = (kind, who, when, msg)
    return lit


def one_block_per_person(m: _Model, explain: bool) -> None:
    """Exactly one block for every subject who has not taken theirs (hard)."""
    names = {s.id: s.name for s in m.inst.config.staff}
    for staff_id, options in m.starts.items():
        ct = m.model.add_exactly_one(options.values())
        msg = Words(
            f"{names[staff_id]} needs a mandatory block", f"{names[staff_id]}须休一段强制休假"
        )
        lit = _enforce(m, explain, "one_block", (staff_id,), (), msg)
        if lit is not None:
            ct.only_enforce_if(lit)


def ab_partners_not_away_together(m: _Model, explain: bool) -> None:
    """The A and B of a backup pair are never away on the same working day (hard)."""
    inst = m.inst
    names = {s.id: s.name for s in inst.config.staff}
    for pair in inst.config.backup_pairs:
        if pair.a not in m.starts and pair.b not in m.starts:
            continue
        lit = _enforce(
            m,
            explain,
            "ab_pair",
            (pair.a, pair.b),
            (),
            Words(
                f"{names[pair.a]} and {names[pair.b]} (A/B on {pair.post}) are never away together",
                f"{names[pair.a]}、{names[pair.b]} ({inst.post_zh(pair.post)}的A/B角) "
                "不能同时不在岗",
            ),
        )
        for day in range(len(inst.days)):
            la, ca = m.away_expr(pair.a, day)
            lb, cb = m.away_expr(pair.b, day)
            if not la and not lb:
                continue
            ct = m.model.add(sum(la) + sum(lb) <= max(0, 1 - ca - cb))
            if lit is not None:
                ct.only_enforce_if(lit)


def held_all_day(config: BranchConfig, post: str) -> bool:
    """Whether a hard rule makes the roster hold ``post`` in every open slot.

    A post with a floor (``min_staff``) is held by ``post_floor``; an authoriser post by
    ``authoriser_present`` whenever the posts it supervises are staffed, i.e. all day.
    """
    return config.post(post).min_staff > 0 or any(a.post == post for a in config.authorisers)


def seat_people(config: BranchConfig) -> int:
    """People it takes to hold one seat for a whole open day with the branch's shifts.

    One when a shift without a break spans the longest opening; otherwise two (someone must
    hold the seat during the first person's break, or the day is split between shifts).
    """
    longest = max(
        (
            minutes_of(h.end) - minutes_of(h.start)
            for h in config.branch.opening_hours.values()
            if h is not None  # a closed day
        ),
        default=0,
    )
    for shift in config.shifts:
        if shift.break_rule is None and shift.end_minute - shift.start_minute >= longest:
            return 1
    return 2


def cover_need(config: BranchConfig, post: str, open_days: int) -> int:
    """People qualified for ``post`` who must stay available in a week with ``open_days``.

    The post needs ``max(min_staff, 1)`` holders on each open day, each taking
    :func:`seat_people` people when a hard rule holds the post all day
    (:func:`held_all_day`: breaks need relief); a person works at most
    ``7 - min_days_off_per_week`` days a week, so those person-days need
    ``ceil(person-days / workdays)`` people.
    """
    holders = max(config.post(post).min_staff, 1)
    if held_all_day(config, post):
        holders *= seat_people(config)
    workdays = max(1, 7 - config.labour.min_days_off_per_week)
    return math.ceil(holders * open_days / workdays) if open_days else 0


def post_cover_every_week(m: _Model, explain: bool, settings: LeavePlanSettings) -> None:
    """In every week enough people qualified for each sensitive post are not away (hard)."""
    inst = m.inst
    calendar = BranchCalendar(inst.config.branch)
    by_week: dict[dt.date, list[int]] = defaultdict(list)
    for i, w in enumerate(inst.week_of):
        by_week[w].append(i)
    for post in inst.posts:
        for week, idx in sorted(by_week.items()):
            dates = [inst.days[i] for i in idx]
            qualified = [
                p.id for p in inst.config.staff if all(p.qualified_for(post, d) for d in dates)
            ]
            open_days = sum(calendar.is_open(week + dt.timedelta(days=k)) for k in range(7))
            need = settings.min_cover.get(post, cover_need(inst.config, post, open_days))
            lits: list[cp_model.IntVar] = []
            const = 0
            for staff_id in qualified:
                options = m.starts.get(staff_id, {})
                lits += [
                    v for s, v in options.items() if any(s <= i < s + inst.length for i in idx)
                ]
                const += any(i in inst.away.get(staff_id, set()) for i in idx)
            if not lits:
                continue
            spare = len(qualified) - need
            if spare < 0:
                inst.warnings.append(
                    Words(
                        f"{post}: only {len(qualified)} qualified people in the week of {week}, "
                        f"{need} needed; nobody qualified may take the block that week",
                        f"{inst.post_zh(post)}: {inst.week_zh(week)}只有 {len(qualified)} 名"
                        f"具备资格的人员, 需要 {need} 名; 这一周具备资格的人员都不能休强制休假",
                    )
                )
            ct = m.model.add(sum(lits) <= max(0, spare - const))
            lit = _enforce(
                m,
                explain,
                "cover",
                tuple(qualified),
                (week,),
                Words(
                    f"{post} keeps {need} of its {len(qualified)} qualified people in the week "
                    f"of {week}",
                    f"{inst.week_zh(week)}, {inst.post_zh(post)}的 {len(qualified)} 名具备资格"
                    f"人员中须有 {need} 名在岗",
                ),
            )
            if lit is not None:
                ct.only_enforce_if(lit)


def staff_preference(
    m: _Model, preferences: Sequence[LeavePreference], settings: LeavePlanSettings
) -> None:
    """A block outside the preferred window costs its distance in working days (soft)."""
    inst = m.inst
    by_staff: dict[str, list[LeavePreference]] = defaultdict(list)
    for pref in preferences:
        by_staff[pref.staff_id].append(pref)
    for staff_id, prefs in by_staff.items():
        options = m.starts.get(staff_id)
        if not options:
            continue
        terms = []
        for s, var in options.items():
            cost = min(_pref_distance(inst, s, p) * p.weight for p in prefs)
            if cost:
                terms.append(cost * var)
        if terms:
            m.costs.append(
                (
                    "staff_preference",
                    staff_id,
                    sum(terms),
                    settings.preference_weight,
                    Words(
                        "working days (times the wish's weight) outside the preferred window",
                        "强制休假落在意愿时段之外的工作日数 (乘以意愿的权重)",
                    ),
                )
            )


def _pref_distance(inst: _Instance, start: int, pref: LeavePreference) -> int:
    """Working days between a block and a preferred window (0 when inside)."""
    lo = next((i for i, d in enumerate(inst.days) if d >= pref.earliest), len(inst.days))
    hi = max((i for i, d in enumerate(inst.days) if d <= pref.latest), default=-1)
    end = start + inst.length - 1
    return max(0, lo - start) + max(0, end - hi)


def keep_planned_block(m: _Model, settings: LeavePlanSettings) -> None:
    """Moving a block already planned costs a fixed amount plus its distance (soft)."""
    for staff_id, prev in m.previous.items():
        options = m.starts.get(staff_id)
        if not options:
            continue
        terms = [
            (settings.move_weight + settings.move_day_weight * abs(s - prev)) * var
            for s, var in options.items()
            if s != prev
        ]
        if terms:
            moved = Words("planned block moved", "已计划的强制休假被挪动")
            m.costs.append(("keep_planned_block", staff_id, sum(terms), 1, moved))


def spread_through_year(m: _Model, settings: LeavePlanSettings) -> None:
    """Blocks overlap in as few weeks as possible and start evenly across months (soft)."""
    if not m.starts:
        return
    if settings.spread_week_weight:
        _apart_in_weeks(m, settings.spread_week_weight)
    _even_starts(m, "month", "{}月", lambda d: d.month, settings.spread_month_weight)
    _even_starts(
        m, "quarter", "第{}季度", lambda d: (d.month - 1) // 3 + 1, settings.spread_month_weight
    )


def _apart_in_weeks(m: _Model, weight: int) -> None:
    """Penalise each block away in a week beyond the first."""
    inst = m.inst
    load: dict[dt.date, list[cp_model.IntVar]] = defaultdict(list)
    const: dict[dt.date, int] = defaultdict(int)
    for options in m.starts.values():
        for s, var in options.items():
            for w in sorted({inst.week_of[i] for i in inst.block(s)}):
                load[w].append(var)
    for s in m.fixed.values():
        for w in {inst.week_of[i] for i in inst.block(s)}:
            const[w] += 1
    for w, lits in sorted(load.items()):
        if len(lits) + const[w] < 2:
            continue
        excess = m.model.new_int_var(0, len(lits) + const[w], f"spread_week[{w}]")
        m.model.add(excess >= sum(lits) + const[w] - 1)
        message = Words(
            f"blocks overlapping in the week of {w}", f"{inst.week_zh(w)}有多段强制休假重叠"
        )
        m.costs.append(("spread_through_year", None, excess, weight, message))


def _even_starts(
    m: _Model, what: str, what_zh: str, key: Callable[[dt.date], int], weight: int
) -> None:
    """Penalise each block starting in a period beyond an even spread over the periods.

    ``what`` names the period in English (``month``), ``what_zh`` is its Chinese with ``{}``
    for the number (``{}月``).
    """
    inst = m.inst
    if weight == 0:
        return
    lits_by: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for options in m.starts.values():
        for s, var in options.items():
            lits_by[key(inst.days[s])].append(var)
    if not lits_by:
        return
    fixed_by: dict[int, int] = defaultdict(int)
    for s in m.fixed.values():
        fixed_by[key(inst.days[s])] += 1
    even = math.ceil((len(m.starts) + len(m.fixed)) / len(lits_by))
    for period, lits in sorted(lits_by.items()):
        if len(lits) + fixed_by[period] <= even:
            continue
        excess = m.model.new_int_var(0, len(lits), f"spread_{what}[{period}]")
        m.model.add(excess >= sum(lits) + fixed_by[period] - even)
        message = Words(
            f"more blocks than an even spread starting in {what} {period}",
            f"{what_zh.format(period)}开始的强制休假多于均匀分布的段数",
        )
        m.costs.append(("spread_through_year", None, excess, weight, message))


def partner_can_cover(inst: _Instance, start: int) -> bool:
    """Whether an A/B partner can work every open day of the block starting at ``start``.

    A block of working days may span a weekend; in a branch open at weekends the partner
    then covers every open day from the block's first to its last day, which must not be
    more than ``labour.max_consecutive_days`` in a row (a Friday-to-Thursday block of a
    seven-day branch needs seven).
    """
    calendar = BranchCalendar(inst.config.branch)
    first, last = inst.days[start], inst.days[start + inst.length - 1]
    open_days = sum(calendar.is_open(day) for day in _dates(first, last))
    return open_days <= inst.config.labour.max_consecutive_days


def _build(
    inst: _Instance,
    preferences: Sequence[LeavePreference],
    previous: Sequence[PlannedBlock],
    settings: LeavePlanSettings,
    explain: bool,
) -> _Model:
    model = cp_model.CpModel()
    prev_idx: dict[str, int] = {}
    fixed: dict[str, int] = {}
    for block in previous:
        if block.staff_id not in inst.subjects or block.staff_id in inst.taken:
            continue
        i = inst.index.get(block.start)
        if i is None or i + inst.length > len(inst.days):
            inst.warnings.append(
                Words(
                    f"previous block of {block.staff_id} on {block.start} is not a working day "
                    f"of {inst.year}; it is planned anew",
                    f"{block.staff_id} 原计划 {inst.date_zh(block.start)} 开始的强制休假不在"
                    f"{inst.year}年的工作日内, 将重新安排",
                )
            )
            continue
        if i < inst.first_start:
            fixed[block.staff_id] = i
        else:
            prev_idx[block.staff_id] = i
    starts: dict[str, dict[int, cp_model.IntVar]] = {}
    paired = {p for pair in inst.config.backup_pairs for p in (pair.a, pair.b)}
    for staff_id in inst.subjects:
        if staff_id in inst.taken or staff_id in fixed:
            continue
        own = inst.away.get(staff_id, set())
        options = {}
        for s in range(inst.first_start, len(inst.days) - inst.length + 1):
            if any(i in inst.blackout or i in own for i in inst.block(s)):
                continue
            if staff_id in paired and not partner_can_cover(inst, s):
                continue
            options[s] = model.new_bool_var(f"start[{staff_id},{inst.days[s]}]")
        starts[staff_id] = options
    away = {k: set(v) for k, v in inst.away.items()}
    for staff_id, s in fixed.items():
        away.setdefault(staff_id, set()).update(inst.block(s))
    inst.away = away
    m = _Model(inst, model, starts, fixed, prev_idx, [], {})
    one_block_per_person(m, explain)
    ab_partners_not_away_together(m, explain)
    post_cover_every_week(m, explain, settings)
    staff_preference(m, preferences, settings)
    keep_planned_block(m, settings)
    spread_through_year(m, settings)
    model.minimize(sum(weight * expr for _, _, expr, weight, _ in m.costs))
    return m


def _solver(settings: LeavePlanSettings, workers: int | None = None) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = settings.time_limit_s
    solver.parameters.num_workers = workers or settings.workers
    solver.parameters.random_seed = settings.seed
    return solver


def _no_option_conflicts(
    inst: _Instance, starts: dict[str, dict[int, cp_model.IntVar]]
) -> list[Conflict]:
    names = {s.id: s.name for s in inst.config.staff}
    out = []
    for staff_id, options in starts.items():
        if options:
            continue
        first = inst.days[inst.first_start] if inst.first_start < len(inst.days) else None
        out.append(
            Conflict(
                rules=("one_block_per_person", "blackout"),
                message=(
                    f"{names[staff_id]} ({staff_id}) has no {inst.length} consecutive working "
                    f"days left in {inst.year}"
                    + (f" from {first}" if first else "")
                    + " outside blackouts and recorded leave"
                ),
                relaxation="shorten the blackouts or the block, or plan in another year",
                staff_ids=(staff_id,),
                message_zh=(
                    f"{names[staff_id]} ({staff_id}) 在{inst.year}年"
                    + (f"{inst.date_zh(first)}起" if first else "")
                    + f"除去禁休日和已登记的休假, 已没有连续 {inst.length} 个工作日"
                ),
                relaxation_zh="缩短禁休日或强制休假的天数, 或改在其他年份安排",
            )
        )
    return out


def _explain(
    inst: _Instance,
    preferences: Sequence[LeavePreference],
    previous: Sequence[PlannedBlock],
    settings: LeavePlanSettings,
) -> list[Conflict]:
    """Re-solve with assumption literals and name the conflicting people and weeks."""
    inst.warnings.clear()
    m = _build(inst, preferences, previous, settings, explain=True)
    m.model.clear_objective()
    m.model.add_assumptions([m.model.get_bool_var_from_proto_index(i) for i in m.assumptions])
    solver = _solver(settings, workers=1)
    status = solve_interruptibly(solver, m.model)
    if status != cp_model.INFEASIBLE:
        return []
    core = solver.sufficient_assumptions_for_infeasibility()
    rules: list[str] = []
    who: set[str] = set()
    when: set[dt.date] = set()
    parts: list[Words] = []
    for index in core:
        kind, staff, dates, msg = m.assumptions[index]
        rules.append(kind)
        who.update(staff)
        when.update(dates)
        parts.append(msg)
    names = {s.id: s.name for s in inst.config.staff}
    people = sorted(who, key=lambda s: list(names).index(s))
    return [
        Conflict(
            rules=tuple(sorted(set(rules))),
            message="these cannot all hold: " + "; ".join(p.en for p in parts),
            relaxation=(
                "shorten blackouts, lower min_cover for the weeks named, qualify another person "
                "for the post, or change an A/B pair"
            ),
            staff_ids=tuple(people),
            dates=tuple(sorted(when)),
            message_zh="以下要求无法同时满足: " + "; ".join(p.zh for p in parts),
            relaxation_zh=(
                "缩短禁休日, 调低所列各周的 min_cover, 让另一人取得该岗位资格, 或调整A/B角"
            ),
        )
    ]


def _choose_covers(inst: _Instance, chosen: dict[str, int]) -> dict[str, str | None]:
    """Name who holds each person's post during their block: the partner first."""
    away: dict[str, set[int]] = {k: set(v) for k, v in inst.away.items()}
    for staff_id, s in chosen.items():
        away.setdefault(staff_id, set()).update(inst.block(s))
    duties: dict[str, int] = defaultdict(int)
    covers: dict[str, str | None] = {}
    for staff_id, s in sorted(chosen.items(), key=lambda kv: kv[1]):
        post = inst.subjects[staff_id]
        block = list(inst.block(s))
        dates = [inst.days[i] for i in block]
        partners = [
            pair.b if pair.a == staff_id else pair.a
            for pair in inst.config.backup_pairs
            if pair.post == post and staff_id in (pair.a, pair.b)
        ]
        others = [p.id for p in inst.config.staff if p.id != staff_id and p.id not in partners]
        candidates = [
            c
            for c in partners + sorted(others, key=lambda c: duties[c])
            if all(inst.config.person(c).qualified_for(post, d) for d in dates)
            and not any(i in away.get(c, set()) for i in block)
        ]
        covers[staff_id] = candidates[0] if candidates else None
        if candidates:
            duties[candidates[0]] += 1
        else:
            inst.warnings.append(
                Words(
                    f"nobody qualified for {post} is free to cover {staff_id} from {dates[0]}",
                    f"{inst.date_zh(dates[0])}起没有具备{inst.post_zh(post)}资格的空闲人员为 "
                    f"{staff_id} 顶岗",
                )
            )
    return covers


def plan_leave(
    config: BranchConfig,
    year: int,
    *,
    leave: pd.DataFrame | None = None,
    preferences: Sequence[LeavePreference] = (),
    previous: Sequence[PlannedBlock] = (),
    settings: LeavePlanSettings | None = None,
) -> LeavePlan:
    """Place every sensitive-post holder's mandatory block in ``year``.

    Args:
        config: The branch; its ``mandatory_leave`` rule gives the block length and blackouts.
        year: The calendar year to plan.
        leave: Leave recorded in the history (:data:`scheduler.history.store.LEAVE_COLUMNS`):
            a mandatory run of the full length means the person is done for the year; any
            leave counts as away for the A/B and cover rules.
        preferences: Staff wishes (soft).
        previous: Blocks of an earlier plan to keep where possible.
        settings: Re-plan date, extra blackouts, cover, weights and search settings.

    Returns:
        The plan; an infeasible plan is a result with ``conflicts``.
    """
    settings = settings or LeavePlanSettings()
    if config.mandatory_leave is None:
        no_rule = Words("no mandatory_leave rule", "未配置强制休假规则 (mandatory_leave)")
        return LeavePlan(year=year, status="OPTIMAL", **warning_fields([no_rule]))
    t0 = time.perf_counter()
    inst = _instance(config, year, leave, settings)
    m = _build(inst, preferences, previous, settings, explain=False)
    empty = _no_option_conflicts(inst, m.starts)
    if empty:
        return LeavePlan(
            year=year,
            status="INFEASIBLE",
            conflicts=tuple(empty),
            wall_time_s=time.perf_counter() - t0,
            **warning_fields(inst.warnings),
        )
    solver = _solver(settings)
    status = solve_interruptibly(solver, m.model)
    name = solver.status_name(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        conflicts = (
            _explain(inst, preferences, previous, settings) if status == cp_model.INFEASIBLE else []
        )
        return LeavePlan(
            year=year,
            status=name,
            conflicts=tuple(conflicts),
            wall_time_s=time.perf_counter() - t0,
            **warning_fields(unique(inst.warnings)),
        )
    chosen = {
        staff_id: next(s for s, v in options.items() if solver.boolean_value(v))
        for staff_id, options in m.starts.items()
    }
    covers = _choose_covers(inst, {**chosen, **m.fixed})
    prefs = defaultdict(list)
    for p in preferences:
        prefs[p.staff_id].append(p)
    blocks: list[LeaveBlock] = []
    for staff_id, post in inst.subjects.items():
        if staff_id in inst.taken:
            lo, hi = inst.taken[staff_id]
            blocks.append(LeaveBlock(staff_id, post, lo, hi, inst.length, None, "taken"))
            continue
        s = m.fixed.get(staff_id, chosen.get(staff_id))
        assert s is not None
        prev = m.previous.get(staff_id, m.fixed.get(staff_id))
        status_word = "fixed" if staff_id in m.fixed else "planned"
        if staff_id in m.previous and s != m.previous[staff_id]:
            status_word = "moved"
        pref = ""
        if prefs.get(staff_id):
            pref = (
                "met" if any(_pref_distance(inst, s, p) == 0 for p in prefs[staff_id]) else "missed"
            )
        blocks.append(
            LeaveBlock(
                staff_id=staff_id,
                post=post,
                start=inst.days[s],
                end=inst.days[s + inst.length - 1],
                working_days=inst.length,
                cover_id=covers.get(staff_id),
                status=status_word,
                previous_start=inst.days[prev] if prev is not None else None,
                preference=pref,
            )
        )
    penalties = []
    for rule, who_id, expr, weight, msg in m.costs:
        amount = int(solver.value(expr))
        if amount and weight:
            penalties.append(
                PlanPenalty(rule, amount, amount * weight, msg.en, who_id, message_zh=msg.zh)
            )
    return LeavePlan(
        year=year,
        status=name,
        blocks=tuple(blocks),
        penalties=tuple(penalties),
        objective=solver.objective_value,
        best_bound=solver.best_objective_bound,
        wall_time_s=time.perf_counter() - t0,
        **warning_fields(unique(inst.warnings)),
    )
