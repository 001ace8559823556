"""A greedy roster: the simple baseline every optimised roster is measured against.

The rule, as a branch manager would apply it by hand: go through the week day by day and each
day slot by slot; in every slot fill each post's required staff with the qualified person on
shift and free who has spent the fewest hours on posts so far; when nobody on shift can take
it, call in the available, qualified person with the fewest paid hours so far and give them
the shift template that covers the most open time from now on.

What it respects: approved leave, unavailable and "available only" windows (for the whole
shift); qualifications valid on the day; shift templates and their unpaid breaks (staggered:
each break goes where the fewest other breaks of the day already are); the daily and weekly
hour limits, capped at the person's contract hours (no overtime); the least days off per week,
the most consecutive days, the least rest between shifts, forbidden shift sequences, the most
weekends and each template's per-person cap; incompatible duties on one day; a trainee works
only the mentor's shift with the mentor's break. Where it can, also: the manager on duty (a
qualified person is called in for a slot nobody covers), the authoriser (supervised posts are
staffed only while the authoriser post is held) and A/B pairs (when neither partner works,
the one with fewer hours is called in at the end of the day and takes unfilled needs). Its
only look-ahead: members of a manager-on-duty pool or an A/B pair are called in for other
posts only while their group keeps enough working days for the rest of the week.

Shift demands come first each day: people are called in on the demanded template until its
least is met, by the same choice (fewest paid hours, labour rules and windows allowing).

What it ignores (the optimiser's job): dual control, a shift demand's most, rotation quotas,
preferences, fairness of weekends and late shifts, pins, roster stability and labour cost.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from scheduler.calendar import BranchCalendar
from scheduler.domain import (
    AvailabilityKind,
    BranchConfig,
    ShiftDemand,
    ShiftTemplate,
    Staff,
)
from scheduler.domain.common import format_clock
from scheduler.errors import IssueCollector
from scheduler.frames import ASSIGNMENT_COLUMNS, REQUIREMENT_COLUMNS, branch_time
from scheduler.roster.request import RosterRequest

REQUIREMENT_SOURCE = "<requirements>"
"""The ``file`` named by issues about the requirement frame (rows count the header as 1)."""


@dataclass
class _Shift:
    """A shift given to one person on one day (minutes since midnight)."""

    template: ShiftTemplate
    start: int
    end: int
    brk: tuple[int, int] | None

    def free_for(self, m0: int, m1: int) -> bool:
        """Whether the person is on shift and not on break for the whole of ``[m0, m1)``."""
        if m0 < self.start or m1 > self.end:
            return False
        return self.brk is None or m1 <= self.brk[0] or self.brk[1] <= m0

    @property
    def paid(self) -> int:
        """Paid minutes of the shift."""
        return self.template.paid_minutes


@dataclass
class _Person:
    """What the greedy remembers about one person across the week."""

    staff: Staff
    index: int
    paid: int = 0
    post_minutes: int = 0
    week_minutes: dict[dt.date, int] = field(default_factory=lambda: defaultdict(int))
    week_days: dict[dt.date, int] = field(default_factory=lambda: defaultdict(int))
    worked: dict[dt.date, _Shift] = field(default_factory=dict)
    template_count: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    weekends: set[dt.date] = field(default_factory=set)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _saturday(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=5 - day.weekday())


class _Greedy:
    """The state of one greedy run."""

    def __init__(self, request: RosterRequest):
        self.request = request
        self.config: BranchConfig = request.config
        self.calendar = BranchCalendar(self.config.branch)
        self.step = self.config.branch.slot_minutes
        self.people = {s.id: _Person(s, i) for i, s in enumerate(self.config.staff)}
        self.mentor_of = {m.trainee: m.mentor for m in self.config.mentors}
        self.incompatible: dict[str, set[str]] = defaultdict(set)
        for pair in self.config.incompatible_duties:
            a, b = pair.posts
            self.incompatible[a].add(b)
            self.incompatible[b].add(a)
        self.post_order = [p.id for p in self.config.posts]
        self.authorises = {x.post: list(x.supervises) for x in self.config.authorisers}
        duty_posts = {p for rule in self.config.duty_cover for p in rule.qualified_posts}
        self.reserved = {
            s.id for s in self.config.staff if any(q.post in duty_posts for q in s.qualifications)
        }
        # Groups whose days must last the week: (members, people needed per open day).
        breaks = any(t.break_rule is not None for t in self.config.shifts)
        self.day_groups: list[tuple[set[str], int]] = [
            (
                {
                    s.id
                    for s in self.config.staff
                    if any(q.post in rule.qualified_posts for q in s.qualifications)
                },
                rule.people * (2 if breaks else 1),
            )
            for rule in self.config.duty_cover
        ]
        self.day_groups += [({pair.a, pair.b}, 1) for pair in self.config.backup_pairs]
        self.open_days = self.calendar.open_days(request.horizon)
        self.authorised_by: dict[str, list[str]] = defaultdict(list)
        for auth in self.config.authorisers:
            for post in auth.supervises:
                self.authorised_by[post].append(auth.post)
        self.assigned: dict[tuple[str, dt.date], dict[int, str]] = defaultdict(dict)

    # Eligibility --------------------------------------------------------------------------

    def _windows_allow(self, staff_id: str, day: dt.date, m0: int, m1: int) -> bool:
        """Leave, unavailable and available-only declarations allow work in ``[m0, m1)``."""
        avail = self.request.availability
        if any(lv.approved and lv.staff_id == staff_id and lv.covers(day) for lv in avail.leave):
            return False
        entries = [e for e in avail.entries if e.staff_id == staff_id and e.date == day]
        for e in entries:
            lo, hi = e.minutes
            if e.kind == AvailabilityKind.UNAVAILABLE and m0 < hi and lo < m1:
                return False
        windows = [e.minutes for e in entries if e.kind == AvailabilityKind.AVAILABLE]
        return not windows or any(lo <= m0 and m1 <= hi for lo, hi in windows)

    def _labour_allows(self, person: _Person, day: dt.date, template: ShiftTemplate) -> bool:
        """Hour limits, days off, consecutive days, rest, sequences, weekends, template caps.

        A person's own limits (``Staff.limits``) replace the branch's where they are given.
        """
        labour = self.config.labour
        staff = person.staff
        monday = _monday(day)
        if template.paid_minutes > labour.max_hours_per_day * 60:
            return False
        week_cap = min(labour.max_hours_per_week, staff.contract_hours_per_week) * 60
        if person.week_minutes[monday] + template.paid_minutes > week_cap:
            return False
        if person.week_days[monday] >= 7 - labour.min_days_off_per_week:
            return False
        run = 0
        while day - dt.timedelta(days=run + 1) in person.worked:
            run += 1
        if run >= self.config.limit(staff, "max_consecutive_days"):
            return False
        most = self.config.limit(staff, "max_total_hours")
        if most is not None and sum(person.week_minutes.values()) + template.paid_minutes > (
            most * 60
        ):
            return False
        before = person.worked.get(day - dt.timedelta(days=1))
        if before is not None:
            rest = 24 * 60 + template.start_minute - before.end
            if rest < labour.min_rest_hours * 60:
                return False
            if (before.template.id, template.id) in labour.forbidden_sequences:
                return False
        weekends = self.config.limit(staff, "max_weekends_worked")
        if day.weekday() >= 5 and weekends is not None:
            weekend = _saturday(day)
            if weekend not in person.weekends and len(person.weekends) >= weekends:
                return False
        own = staff.limits.max_shifts if staff.limits is not None else {}
        cap = own.get(template.id, template.max_per_person)
        return cap is None or person.template_count[template.id] < cap

    # Shifts -------------------------------------------------------------------------------

    def _break_for(
        self, template: ShiftTemplate, m0: int, breaks: list[tuple[int, int]]
    ) -> tuple[int, int] | bool | None:
        """The break position avoiding slot ``m0`` where the fewest breaks already are.

        Returns ``None`` for a template without a break, ``False`` when no position avoids
        the slot.
        """
        rule = template.break_rule
        if rule is None:
            return None
        lo, hi = rule.earliest, rule.latest_end
        first = lo.hour * 60 + lo.minute
        last = hi.hour * 60 + hi.minute - rule.minutes
        first += (-first) % self.step
        options = []
        for b0 in range(first, last + 1, self.step):
            b1 = b0 + rule.minutes
            if b1 <= m0 or m0 + self.step <= b0:
                overlap = sum(1 for x0, x1 in breaks if x0 < b1 and b0 < x1)
                options.append((overlap, b0, b1))
        if not options:
            return False
        _, b0, b1 = min(options)
        return (b0, b1)

    def _useful_minutes(self, shift: _Shift, m0: int, close: int) -> int:
        """Open minutes from ``m0`` to closing the shift covers outside its break."""
        lo, hi = max(shift.start, m0), min(shift.end, close)
        minutes = max(0, hi - lo)
        if shift.brk is not None:
            minutes -= max(0, min(hi, shift.brk[1]) - max(lo, shift.brk[0]))
        return minutes

    def _best_shift(
        self,
        person: _Person,
        day: dt.date,
        m0: int,
        close: int,
        today: dict[str, _Shift],
    ) -> _Shift | None:
        """The template for ``person`` covering slot ``m0`` that covers most open time."""
        mentor = self.mentor_of.get(person.staff.id)
        if mentor is not None:
            theirs = today.get(mentor)
            if theirs is None or not theirs.free_for(m0, m0 + self.step):
                return None
            candidates = [(theirs.template, theirs.brk)]
        else:
            breaks = [s.brk for s in today.values() if s.brk is not None]
            candidates = []
            for template in self.config.shifts:
                if not (template.start_minute <= m0 and m0 + self.step <= template.end_minute):
                    continue
                brk = self._break_for(template, m0, breaks)
                if brk is not False:
                    candidates.append((template, brk))  # type: ignore[arg-type]
        best: tuple[tuple[int, int, int, int], _Shift] | None = None
        for order, (template, brk) in enumerate(candidates):
            if not self._labour_allows(person, day, template):
                continue
            if not self._windows_allow(
                person.staff.id, day, template.start_minute, template.end_minute
            ):
                continue
            shift = _Shift(template, template.start_minute, template.end_minute, brk)
            key = (-self._useful_minutes(shift, m0, close), shift.paid, -shift.start, order)
            if best is None or key < best[0]:
                best = (key, shift)
        return best[1] if best else None

    def _days_left(self, person: _Person, day: dt.date) -> int:
        """Days ``person`` may still work after ``day`` in its week, within the horizon."""
        monday = _monday(day)
        allowed = 7 - self.config.labour.min_days_off_per_week - person.week_days[monday]
        later = [
            d
            for d in self.open_days
            if day < d < monday + dt.timedelta(days=7)
            and self._windows_allow(person.staff.id, d, 0, 24 * 60 - 1)
        ]
        return max(0, min(allowed, len(later)))

    def _days_last(self, person: _Person, day: dt.date) -> bool:
        """Whether calling ``person`` in today still leaves every day group enough days.

        Duty-cover pools (two a day when shifts have breaks) and A/B pairs (one a day) must
        keep enough working days among their members for the rest of the week; a member is
        then called in for other posts only when that stays true.
        """
        monday = _monday(day)
        remaining = sum(1 for d in self.open_days if day < d < monday + dt.timedelta(days=7))
        for members, per_day in self.day_groups:
            if person.staff.id not in members:
                continue
            spare = 0
            for sid in members:
                member = self.people[sid]
                left = self._days_left(member, day)
                if sid == person.staff.id:
                    allowed = 7 - self.config.labour.min_days_off_per_week
                    left = min(left, max(0, allowed - member.week_days[monday] - 1))
                spare += left
            if spare < per_day * remaining:
                return False
        return True

    def _commit(self, person: _Person, day: dt.date, shift: _Shift) -> None:
        person.worked[day] = shift
        person.paid += shift.paid
        person.week_minutes[_monday(day)] += shift.paid
        person.week_days[_monday(day)] += 1
        person.template_count[shift.template.id] += 1
        if day.weekday() >= 5:
            person.weekends.add(_saturday(day))

    # Filling ------------------------------------------------------------------------------

    def _may_hold(self, person: _Person, post: str, day: dt.date) -> bool:
        if not person.staff.qualified_for(post, day):
            return False
        held = set(self.assigned[(person.staff.id, day)].values())
        return not (held & self.incompatible[post])

    def _hold(self, person: _Person, day: dt.date, m0: int, post: str) -> None:
        self.assigned[(person.staff.id, day)][m0] = post
        person.post_minutes += self.step

    def fill_day(self, day: dt.date, needs: dict[int, dict[str, int]]) -> None:
        """Fill every slot of ``day`` in time order; ``needs`` maps slot minute to post needs.

        In each slot: first call in people until every duty-cover rule is met, then fill the
        posts, authoriser posts before the posts they supervise (which stay empty when no
        authoriser can be found), the rest scarcest first. At the end of the day, an A/B pair
        with neither partner at work gets one called in, who then takes unfilled needs.
        """
        hours = self.calendar.hours(day)
        if hours is None:
            return
        close = hours.end_minute
        today: dict[str, _Shift] = {}
        qualified = {
            post: sum(p.staff.qualified_for(post, day) for p in self.people.values())
            for post in self.post_order
        }
        filled: dict[tuple[int, str], int] = defaultdict(int)
        self._fill_shift_demands(today, day)
        for m0 in sorted(needs):
            self._cover_duty(today, day, m0, close)
            wanted = self._with_authorisers(needs[m0])
            busy: set[str] = set()
            for post in sorted(wanted, key=lambda p: self._post_key(p, qualified)):
                if not self._authorised(post, filled, m0):
                    continue
                for _ in range(wanted[post]):
                    person = self._on_shift(today, busy, post, day, m0)
                    if person is None:
                        person = self._call_in(today, busy, day, m0, close, post=post)
                    if person is None:
                        break
                    busy.add(person.staff.id)
                    self._hold(person, day, m0, post)
                    filled[(m0, post)] += 1
        if self._cover_pairs(today, day, sorted(needs), close):
            self._second_pass(today, day, needs, filled, qualified)

    def _post_key(self, post: str, qualified: dict[str, int]) -> tuple[int, int, int]:
        """Authoriser posts first, then the posts fewest people are qualified for."""
        return (0 if post in self.authorises else 1, qualified.get(post, 0), self._rank(post))

    def _with_authorisers(self, needs: dict[str, int]) -> dict[str, int]:
        """The slot's needs, with each authoriser post asked for when a post it supervises is."""
        wanted = {p: n for p, n in needs.items() if n > 0}
        for auth, supervised in self.authorises.items():
            if any(wanted.get(p, 0) for p in supervised):
                wanted[auth] = max(wanted.get(auth, 0), 1)
        return wanted

    def _authorised(self, post: str, filled: dict[tuple[int, str], int], m0: int) -> bool:
        """Whether every authoriser of ``post`` is held in the slot (or ``post`` needs none)."""
        return all(filled[(m0, auth)] > 0 for auth in self.authorised_by.get(post, ()))

    def _cover_duty(self, today: dict[str, _Shift], day: dt.date, m0: int, close: int) -> None:
        """Call in qualified people until each duty-cover rule has enough on duty in the slot."""
        for rule in self.config.duty_cover:

            def counts(person: _Person, posts: list[str] = rule.qualified_posts) -> bool:
                return any(person.staff.qualified_for(p, day) for p in posts)

            present = sum(
                1
                for sid, shift in today.items()
                if shift.free_for(m0, m0 + self.step) and counts(self.people[sid])
            )
            for _ in range(rule.people - present):
                if self._call_in(today, set(), day, m0, close, can=counts) is None:
                    break

    def _cover_pairs(
        self, today: dict[str, _Shift], day: dt.date, slots: list[int], close: int
    ) -> bool:
        """Call in one partner of each A/B pair of which neither works today."""
        called = False
        for pair in self.config.backup_pairs:
            if pair.a in today or pair.b in today:
                continue
            partners = {pair.a, pair.b}

            def partner(person: _Person, ids: set[str] = partners) -> bool:
                return person.staff.id in ids

            for m0 in slots:
                person = self._call_in(today, set(), day, m0, close, can=partner)
                if person is not None:
                    called = True
                    break
        return called

    def _second_pass(
        self,
        today: dict[str, _Shift],
        day: dt.date,
        needs: dict[int, dict[str, int]],
        filled: dict[tuple[int, str], int],
        qualified: dict[str, int],
    ) -> None:
        """Give still-unfilled needs to people on shift and free, without calling anyone in."""
        for m0 in sorted(needs):
            wanted = self._with_authorisers(needs[m0])
            busy = {sid for (sid, d), held in self.assigned.items() if d == day and m0 in held}
            for post in sorted(wanted, key=lambda p: self._post_key(p, qualified)):
                if not self._authorised(post, filled, m0):
                    continue
                for _ in range(wanted[post] - filled[(m0, post)]):
                    person = self._on_shift(today, busy, post, day, m0)
                    if person is None:
                        break
                    busy.add(person.staff.id)
                    self._hold(person, day, m0, post)
                    filled[(m0, post)] += 1

    def _rank(self, post: str) -> int:
        return self.post_order.index(post) if post in self.post_order else len(self.post_order)

    def _on_shift(
        self, today: dict[str, _Shift], busy: set[str], post: str, day: dt.date, m0: int
    ) -> _Person | None:
        """The free person on shift, qualified for ``post``, with the fewest post hours."""
        ready = [
            self.people[sid]
            for sid, shift in today.items()
            if sid not in busy
            and shift.free_for(m0, m0 + self.step)
            and self._may_hold(self.people[sid], post, day)
        ]
        return min(ready, key=lambda p: (p.post_minutes, p.index), default=None)

    def _call_in(
        self,
        today: dict[str, _Shift],
        busy: set[str],
        day: dt.date,
        m0: int,
        close: int,
        *,
        post: str | None = None,
        can: Callable[[_Person], bool] | None = None,
    ) -> _Person | None:
        """Start a shift for the off-duty person with the fewest paid hours who can take it.

        The person must be able to hold ``post`` (when given) and satisfy ``can`` (when given).
        """
        reserve = self.reserved if can is None else set()
        waiting = sorted(
            (p for sid, p in self.people.items() if sid not in today and sid not in busy),
            key=lambda p: (p.staff.id in reserve, p.paid, p.index),
        )
        for person in waiting:
            if post is not None and not self._may_hold(person, post, day):
                continue
            if can is not None and not can(person):
                continue
            if can is None and not self._days_last(person, day):
                continue
            shift = self._best_shift(person, day, m0, close, today)
            if shift is None:
                continue
            today[person.staff.id] = shift
            self._commit(person, day, shift)
            return person
        return None

    def _fill_shift_demands(self, today: dict[str, _Shift], day: dt.date) -> None:
        """Call people in on each shift demand of ``day`` until its least is met.

        The same choice as for a post: the available person with the fewest paid hours whom
        the labour rules and declared windows allow on that template (qualified for the
        demand's post, when it names one); trainees only come with their mentor's shift.
        """
        for demand in self.config.shift_demands:
            if demand.min_staff <= 0 or not demand.applies(day):
                continue
            template = self.config.shift(demand.shift)

            def counts(sid: str, demand: ShiftDemand = demand) -> bool:
                return demand.post is None or self.people[sid].staff.qualified_for(demand.post, day)

            on = sum(1 for sid, s in today.items() if s.template.id == demand.shift and counts(sid))
            waiting = sorted(
                (p for sid, p in self.people.items() if sid not in today),
                key=lambda p: (p.staff.id in self.reserved, p.paid, p.index),
            )
            for person in waiting:
                if on >= demand.min_staff:
                    break
                sid = person.staff.id
                if not counts(sid) or sid in self.mentor_of:
                    continue
                if not self._labour_allows(person, day, template):
                    continue
                if not self._windows_allow(sid, day, template.start_minute, template.end_minute):
                    continue
                breaks = [x.brk for x in today.values() if x.brk is not None]
                brk = self._break_for(template, -(10**6), breaks)
                shift = _Shift(template, template.start_minute, template.end_minute, brk or None)
                today[sid] = shift
                self._commit(person, day, shift)
                on += 1

    # Output -------------------------------------------------------------------------------

    def assignments(self) -> pd.DataFrame:
        """The roster in long format, one row per contiguous block."""
        rows: list[dict[str, object]] = []
        for sid, person in self.people.items():
            for day in sorted(person.worked):
                shift = person.worked[day]
                held = self.assigned[(sid, day)]
                rows.extend(self._blocks(person.staff, day, shift, held))
        frame = pd.DataFrame(rows, columns=list(ASSIGNMENT_COLUMNS))
        return frame.sort_values(["staff_id", "date", "start"], ignore_index=True)

    def _blocks(
        self, staff: Staff, day: dt.date, shift: _Shift, held: dict[int, str]
    ) -> list[dict[str, object]]:
        cuts = {shift.start, shift.end, *held, *(m + self.step for m in held)}
        if shift.brk is not None:
            cuts |= set(shift.brk)
        points = sorted(c for c in cuts if shift.start <= c <= shift.end)
        pieces: list[tuple[int, int, str, str | None]] = []
        for a, b in itertools.pairwise(points):
            if shift.brk is not None and shift.brk[0] <= a and b <= shift.brk[1]:
                kind, post = "break", None
            elif a in held:
                kind, post = "post", held[a]
            else:
                kind, post = "free", None
            if pieces and pieces[-1][1] == a and pieces[-1][2:] == (kind, post):
                pieces[-1] = (pieces[-1][0], b, kind, post)
            else:
                pieces.append((a, b, kind, post))
        return [
            {
                "staff_id": staff.id,
                "name": staff.name,
                "date": day,
                "start": format_clock(dt.time(a // 60, a % 60)),
                "end": format_clock(dt.time.max if b >= 1440 else dt.time(b // 60, b % 60)),
                "activity": kind,
                "post": post,
            }
            for a, b, kind, post in pieces
        ]


GREEDY_COLUMNS = ("ds", "post", "required")
"""The columns of the requirement frame the greedy roster reads (a frame made by hand may
have only these)."""


def _check_requirements(request: RosterRequest) -> None:
    """Raise one InputError naming every unusable row of the requirement frame."""
    req = request.requirements
    issues = IssueCollector(REQUIREMENT_SOURCE)
    missing = [c for c in GREEDY_COLUMNS if c not in req.columns]
    for column in missing:
        issues.error(
            "the requirement frame lacks a column",
            column=column,
            allowed=", ".join(REQUIREMENT_COLUMNS),
        )
    issues.raise_if_errors()
    posts = {p.id for p in request.config.posts}
    for row, (post, required) in enumerate(zip(req["post"], req["required"], strict=True), start=2):
        if str(post) not in posts:
            issues.error(
                "unknown post",
                location=row,
                column="post",
                value=post,
                allowed=", ".join(sorted(posts)),
            )
        try:
            ok = float(required) == int(required) and int(required) >= 0
        except (TypeError, ValueError):
            ok = False
        if not ok:
            issues.error(
                "staff required must be a whole number >= 0",
                location=row,
                column="required",
                value=required,
                allowed="0, 1, 2, ...",
            )
    issues.raise_if_errors()


def greedy_roster(request: RosterRequest) -> pd.DataFrame:
    """Build the greedy baseline roster for a request (see the module docstring for the rule).

    Args:
        request: The branch, horizon, availability and requirement frame. Pins, the published
            roster and quota targets are not used.

    Returns:
        The roster in long format (:data:`scheduler.frames.ASSIGNMENT_COLUMNS`); ``post`` is
        ``None`` on break and free rows.

    Raises:
        InputError: If the requirement frame lacks a column, names a post the branch does not
            have, or asks for a negative or non-integer number of staff.

    Example:
        >>> from scheduler.instances import make_instance
        >>> roster = greedy_roster(make_instance("S", seed=0))
        >>> sorted(roster["activity"].unique())
        ['break', 'free', 'post']
    """
    _check_requirements(request)
    greedy = _Greedy(request)
    needs: dict[dt.date, dict[int, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for r in request.requirements.itertuples():
        ds = branch_time(pd.Timestamp(r.ds), request.config.branch.timezone)  # type: ignore[arg-type]
        day = ds.date()
        if day in request.horizon:
            needs[day][ds.hour * 60 + ds.minute][str(r.post)] = int(r.required)  # type: ignore[arg-type]
    demanded = {d for d in request.horizon.dates for x in request.config.shift_demands
                if x.applies(d)}  # fmt: skip
    for day in request.horizon.dates:
        if day in needs or day in demanded:
            greedy.fill_day(day, needs.get(day, {}))
    return greedy.assignments()
