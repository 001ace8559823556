"""Why no roster exists: small sets of conflicting hard-rule groups, in words.

Every hard constraint is guarded by the assumption literal of its group (a rule for a person,
day or post). When the solve is infeasible the literals become assumptions; CP-SAT names a
sufficient subset, which is shrunk by deletion with short re-solves. Each core is then told as
a sentence naming the people, days and posts, with the absences behind it and the changes that
would make a roster possible. Up to a few independent cores are reported, so the manager can
fix several problems in one pass.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import replace

from ortools.sat.python import cp_model

from scheduler.domain import RULES_BY_NAME
from scheduler.interrupt import solve_interruptibly
from scheduler.roster.model import Group, RosterModel
from scheduler.roster.prepare import day_label
from scheduler.roster.request import SolveOptions
from scheduler.roster.result import Conflict

MAX_CONFLICTS = 3
"""Independent conflicts reported at most."""

SHRINK_SOLVE_S = 2.0
"""Time limit of each re-solve that tests whether a group can leave a core."""

EXPLAIN_BUDGET_S = 30.0
"""Total time the explanation may take (or the solve's own limit, when shorter)."""


def absence_reasons(model: RosterModel, staff_id: str, day: dt.date) -> list[str]:
    """Why a person cannot work (all or part of) a day: leave, declarations, pins, shifts."""
    reasons = [a.reason for a in model.prep.absences.get((staff_id, day), ())]
    reasons += [
        "is pinned off"
        for p in model.request.pins
        if p.staff_id == staff_id and p.date == day and p.off
    ]
    if not model.options.get((staff_id, day)) and not reasons:
        reasons.append("no shift template fits the day" if day in model.prep.hours else "closed")
    return reasons


def _not_qualified(model: RosterModel, staff_id: str, day: dt.date, post: str) -> str:
    person = model.person(staff_id)
    for q in person.qualifications:
        if q.post == post and q.valid_to is not None and q.valid_to < day:
            return f"qualification for {model.post_name(post)} expired on {q.valid_to}"
        if q.post == post and q.valid_from is not None and day < q.valid_from:
            return f"qualification for {model.post_name(post)} starts on {q.valid_from}"
    return f"not qualified for {model.post_name(post)}"


def _names(model: RosterModel, ids: Iterable[str]) -> str:
    return ", ".join(model.name(s) for s in ids)


def _post_context(model: RosterModel, post: str, day: dt.date) -> str:
    """Who could hold ``post`` on ``day``, and why the others cannot."""
    qualified = [s.id for s in model.staff if model.qualified(s.id, day, post)]
    lapsed = [
        f"{model.name(s.id)}'s {_not_qualified(model, s.id, day, post)}"
        for s in model.staff
        if s.id not in qualified and any(q.post == post for q in s.qualifications)
    ]
    lapsed_text = f" ({'; '.join(lapsed)})" if lapsed else ""
    if not qualified:
        return f"nobody is qualified for {model.post_name(post)} on {day_label(day)}{lapsed_text}"
    able = [s for s in qualified if model.options.get((s, day))]
    away = [
        f"{model.name(s)} ({', '.join(absence_reasons(model, s, day)) or 'away'})"
        for s in qualified
        if s not in able
    ]
    if not able:
        return (
            f"everyone qualified for {model.post_name(post)} is away on {day_label(day)}: "
            f"{'; '.join(away)}{lapsed_text}"
        )
    text = f"only {_names(model, able)} can hold {model.post_name(post)} on {day_label(day)}"
    if away:
        text += f"; away: {'; '.join(away)}"
    return text + lapsed_text


def _relaxation(model: RosterModel, group: Group) -> str:
    day = ", ".join(day_label(d) for d in group.dates)
    people = " or ".join(model.name(s) for s in group.staff)
    posts = " or ".join(model.post_name(p) for p in group.posts)
    specific = {
        "ab_backup_pair": f"let {people} work on {day} (move a leave or pin) or name another B",
        "ab_backup_cover": f"let B work {posts} on {day}",
        "post_floor": f"have one more person qualified for {posts} work on {day}, "
        "or lower the floor",
        "coverage_under": f"have more people qualified for {posts} work on {day}",
        "manager_on_duty": f"have another person qualified for {posts} on duty on {day}",
        "authoriser_present": "have someone qualified for "
        f"{model.post_name(group.posts[0]) if group.posts else ''} on duty whenever tellers "
        f"work on {day}",
        "dual_control": f"have another person qualified for {posts} on shift at that time on {day}",
        "incompatible_duties": f"let someone else hold one of {posts} on {day}",
        "shift_demand": f"have more people work that shift on {day} or lower the demand",
        "shift_demand_over": f"raise that shift's most on {day} or move someone to another shift",
        "pinned_assignment": "change or remove the pin",
    }.get(group.rule, "")
    info = RULES_BY_NAME.get(group.rule)
    soft = f"make {group.rule} soft" if info is None or info.can_be_soft else ""
    return " or ".join(x for x in (specific, soft) if x)


def describe(model: RosterModel, groups: list[Group]) -> Conflict:
    """One conflict in words: what cannot all hold, why, and what would make a roster possible."""
    rules = tuple(dict.fromkeys(g.rule for g in groups))
    staff = tuple(dict.fromkeys(s for g in groups for s in g.staff))
    dates = tuple(sorted({d for g in groups for d in g.dates}))
    posts = tuple(dict.fromkeys(p for g in groups for p in g.posts))
    if len(groups) == 1 and groups[0].rule == "ab_backup_pair":
        g = groups[0]
        a, b, day = g.staff[0], g.staff[1], g.dates[0]
        why = "; ".join(
            f"{model.name(s)}: {', '.join(absence_reasons(model, s, day)) or 'cannot work'}"
            for s in (a, b)
        )
        message = (
            f"{model.name(a)} and {model.name(b)} are the A/B pair for the "
            f"{model.post_name(g.posts[0])} post "
            f"and both are away on {day_label(day)} ({why}); the pair rule needs one of them "
            "at work"
        )
    else:
        context: list[str] = []
        for day in dates:
            for s in staff:
                reasons = absence_reasons(model, s, day)
                if reasons and len(staff) <= 6:
                    context.append(f"{model.name(s)}: {', '.join(reasons)} on {day_label(day)}")
            for g in groups:
                if g.rule == "pinned_assignment" and day in g.dates:
                    context += [
                        f"{model.name(s)}: {_not_qualified(model, s, day, p)}"
                        for s in g.staff
                        for p in g.posts
                        if not model.qualified(s, day, p)
                    ]
            about = [g for g in groups if day in g.dates and g.rule in _POST_RULES]
            context += [
                _post_context(model, p, day)
                for p in dict.fromkeys(p for g in about for p in g.posts)
            ]
        message = "These cannot all hold: " + "; ".join(g.text for g in groups)
        if context:
            message += ". " + "; ".join(dict.fromkeys(context))
    relaxation = "; or ".join(
        dict.fromkeys(r for r in (_relaxation(model, g) for g in groups) if r)
    )
    return Conflict(rules, message, relaxation, staff, dates, posts)


_POST_RULES = {"post_floor", "coverage_under", "authoriser_present", "shift_demand"}
"""Rules about a post whose conflicts are explained by who could hold it that day (duty
cover and dual control already name every qualified person, with their absences)."""


def _solve_with(
    model: RosterModel, literals: list[cp_model.IntVar], seconds: float, seed: int
) -> tuple[int, list[int]]:
    """Solve under the given assumptions; the status and, if infeasible, a sufficient subset."""
    model.cp.clear_assumptions()
    model.cp.add_assumptions(literals)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = max(0.1, seconds)
    status = solve_interruptibly(solver, model.cp)
    core = (
        list(solver.sufficient_assumptions_for_infeasibility())
        if status == cp_model.INFEASIBLE
        else []
    )
    return status, core


def _shrink(
    model: RosterModel, core: list[cp_model.IntVar], deadline: float, seed: int
) -> list[cp_model.IntVar]:
    """Drop every literal the core stays infeasible without (deletion filter, time-boxed)."""
    i = 0
    while i < len(core) and time.monotonic() < deadline:
        trial = core[:i] + core[i + 1 :]
        left = deadline - time.monotonic()
        status, sub = _solve_with(model, trial, min(SHRINK_SOLVE_S, left), seed)
        if status == cp_model.INFEASIBLE:
            keep = set(sub)
            core = [lit for lit in trial if lit.index in keep] if keep else trial
        else:
            i += 1
    return core


_DAY = "\x00"
"""Stands for the day in a conflict's words while conflicts are compared (never in text)."""


def day_span(days: Iterable[dt.date]) -> str:
    """Days as a manager reads them: runs of consecutive days as ``Mon 30 Nov to Sun 6 Dec``.

    Runs are joined with commas, e.g. ``Mon 30 Nov to Wed 2 Dec, Fri 4 Dec``.
    """
    ordered = sorted(set(days))
    runs: list[list[dt.date]] = []
    for day in ordered:
        if runs and (day - runs[-1][-1]).days == 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(
        day_label(r[0]) if len(r) == 1 else f"{day_label(r[0])} to {day_label(r[-1])}" for r in runs
    )


def merge_days(conflicts: Iterable[Conflict]) -> tuple[Conflict, ...]:
    """One conflict for the same rules, people and posts that differ only in the day.

    A week of leave for both halves of an A/B pair is one conflict "both are away on Mon 30
    Nov to Sun 6 Dec", with one fix, instead of seven sentences that differ in the date.
    Conflicts of one day whose words, without that day, are the same are merged; each
    merged conflict stands where its first day stood. The others are kept as they are.
    """
    merged: dict[object, list[Conflict]] = {}
    for conflict in conflicts:
        key: object = id(conflict)
        if len(conflict.dates) == 1:
            label = day_label(conflict.dates[0])
            if label in conflict.message:
                key = (
                    conflict.rules,
                    conflict.staff_ids,
                    conflict.posts,
                    conflict.message.replace(label, _DAY),
                    conflict.relaxation.replace(label, _DAY),
                )
        merged.setdefault(key, []).append(conflict)
    out: list[Conflict] = []
    for key, group in merged.items():
        if len(group) == 1 or not isinstance(key, tuple):
            out.extend(group)
            continue
        days = tuple(sorted(c.dates[0] for c in group))
        span = day_span(days)
        first = group[0]
        out.append(
            replace(
                first,
                message=key[3].replace(_DAY, span),
                relaxation=key[4].replace(_DAY, span),
                dates=days,
            )
        )
    return tuple(out)


def find_conflicts(model: RosterModel, options: SolveOptions) -> tuple[Conflict, ...]:
    """Explain an infeasible model: up to :data:`MAX_CONFLICTS` small independent cores.

    The model's assumption literals must not be fixed (see ``solve``); its objective and hint
    are cleared, as only feasibility matters here.
    """
    budget = min(EXPLAIN_BUDGET_S, max(5.0, options.time_limit_s))
    deadline = time.monotonic() + budget
    model.cp.clear_objective()
    model.cp.clear_hints()
    by_index = {lit.index: group for group, lit in model.groups.items()}
    active = list(model.groups.values())
    conflicts: list[Conflict] = []
    while len(conflicts) < MAX_CONFLICTS and time.monotonic() < deadline:
        status, core_idx = _solve_with(model, active, deadline - time.monotonic(), options.seed)
        if status != cp_model.INFEASIBLE:
            break
        if not core_idx:
            if not conflicts:
                conflicts.append(
                    Conflict(
                        ("one_post_per_slot",),
                        "No roster exists even without the relaxable rules: check the shift "
                        "templates against the opening hours and the pins.",
                    )
                )
            break
        keep = set(core_idx)
        core = _shrink(model, [lit for lit in active if lit.index in keep], deadline, options.seed)
        conflicts.append(describe(model, [by_index[lit.index] for lit in core]))
        drop = {lit.index for lit in core}
        active = [lit for lit in active if lit.index not in drop]
    if not conflicts:
        conflicts.append(
            Conflict(
                tuple(dict.fromkeys(g.rule for g in model.groups)),
                "No roster exists, and the conflicting rules could not be isolated within "
                f"{budget:g} s.",
                "run again with a longer time limit to see the conflict",
            )
        )
    model.cp.clear_assumptions()
    return merge_days(conflicts)
