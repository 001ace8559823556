"""Solution hints: start the search from a roster already at hand.

A published roster (when re-solving) or the greedy baseline's roster (otherwise) is read back
into the model's decisions: each person's shift template per day (the template whose hours
match the day's blocks, else the one overlapping them most), the break start and the post held
in each slot. CP-SAT repairs whatever the hint breaks, so an imperfect hint still helps.

Such a hint names only the decisions; the rules' slacks and helper variables stay unhinted,
and CP-SAT does not start from an incomplete hint (its first roster then comes from its own
heuristics, often far worse). :func:`complete_hint` fills in every other variable by a short
solve with the hinted decisions fixed (or, when they break a hard rule, with as few of them
changed as possible), so the search starts from a whole roster at least as good as the hint.
"""

from __future__ import annotations

import pandas as pd
from ortools.sat.python import cp_model

from scheduler.errors import InputError
from scheduler.interrupt import solve_interruptibly
from scheduler.roster.model import RosterModel


def _minute(text: object) -> int:
    hours, minutes = str(text).split(":")[:2]
    return int(hours) * 60 + int(minutes)


def hint_from_assignments(model: RosterModel, frame: pd.DataFrame) -> int:
    """Hint the model's shift, break and post decisions from a roster frame.

    Args:
        model: The model to hint.
        frame: A roster in :data:`scheduler.frames.ASSIGNMENT_COLUMNS`.

    Returns:
        The number of (person, day) shifts hinted.
    """
    if frame is None or frame.empty:
        return 0
    days: dict[tuple[str, object], list[tuple[int, int, str, str | None]]] = {}
    for r in frame.itertuples():
        day = pd.Timestamp(r.date).date()  # type: ignore[arg-type]
        post = None if pd.isna(r.post) else str(r.post)
        days.setdefault((str(r.staff_id), day), []).append(
            (_minute(r.start), _minute(r.end), str(r.activity), post)
        )
    hinted = 0
    for (staff_id, day), options in model.options.items():
        blocks = days.get((staff_id, day), [])
        chosen = None
        if blocks:
            lo, hi = min(b[0] for b in blocks), max(b[1] for b in blocks)
            chosen = max(
                options,
                key=lambda o: (
                    (o.template.start_minute, o.template.end_minute) == (lo, hi),
                    min(hi, o.template.end_minute) - max(lo, o.template.start_minute),
                ),
                default=None,
            )
        for option in options:
            model.cp.add_hint(option.var, option is chosen)
            if len(option.breaks) > 1:
                start = next((b[0] for b in blocks if b[2] == "break"), None)
                first = next((v for s, v in option.breaks if s == start), option.breaks[0][1])
                for _, var in option.breaks:
                    model.cp.add_hint(var, option is chosen and var is first)
        hinted += chosen is not None
        held = {
            (m, post)
            for b0, b1, activity, post in blocks
            if activity == "post"
            for m in model.slots(day)
            if b0 <= m and m + model.step <= b1
        }
        if chosen is None:
            held = set()
        for m in model.slots(day):
            for post in model.posts:
                var = model.assign.get((staff_id, day, m, post))
                if var is not None:
                    model.cp.add_hint(var, (m, post) in held)
    return hinted


def greedy_hint(model: RosterModel) -> int:
    """Hint the model from the greedy baseline roster of its request.

    Interchangeable people are renamed in it to fit the model's symmetry breaking
    (:func:`scheduler.roster.symmetry.relabel_roster`).

    Returns:
        The number of (person, day) shifts hinted (0 when the baseline cannot read the request).
    """
    from scheduler.baseline import greedy_roster
    from scheduler.roster.symmetry import relabel_roster

    try:
        frame = greedy_roster(model.request)
    except InputError:
        return 0
    return hint_from_assignments(model, relabel_roster(frame, model.symmetry_groups))


def _sub_solve(
    sub: cp_model.CpModel, time_limit_s: float, seed: int, wall_limit_s: float | None = None
) -> cp_model.CpSolver | None:
    """Solve a helper model on one worker; the solver when it found a solution."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = max(0.05, wall_limit_s or time_limit_s)
    # A deterministic cap keeps the completed hint the same from run to run on a busy machine.
    solver.parameters.max_deterministic_time = max(0.05, time_limit_s / 2)
    status = solve_interruptibly(solver, sub)
    return solver if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None


def hinted_values(cp: cp_model.CpModel) -> dict[int, int]:
    """The model's hint: variable index -> value."""
    proto = cp.proto
    return dict(zip(proto.solution_hint.vars, proto.solution_hint.values, strict=True))


def restore_hint(cp: cp_model.CpModel, hint: dict[int, int]) -> None:
    """Make ``hint`` (as :func:`hinted_values` gave it) the model's hint again."""
    cp.clear_hints()
    for index, value in hint.items():
        cp.add_hint(cp.get_int_var_from_proto_index(index), value)


def fixed_to_hint(cp: cp_model.CpModel, hint: dict[int, int]) -> cp_model.CpModel:
    """A copy of the model, without hint, with every hinted variable fixed to its value."""
    fixed = cp.clone()
    fixed.clear_hints()
    for index, value in hint.items():
        domain = fixed.proto.variables[index].domain
        domain.clear()
        domain.extend([value, value])
    return fixed


def complete_hint(
    model: RosterModel, time_limit_s: float, seed: int = 0, *, wall_limit_s: float | None = None
) -> bool:
    """Replace a partial hint by a complete roster that keeps it where the hard rules allow.

    First every hinted variable is fixed to its hint and the rest (slacks, helpers, unhinted
    decisions) minimise the objective. When that is infeasible (the hint breaks a hard rule),
    the hint becomes the objective instead: the fewest hinted values are changed. The model's
    hint is replaced by the solution found; it is left as it was when none is found in time.

    Call it after the objective is set and the hard rules' literals are fixed.

    Args:
        model: The model, with its hint.
        time_limit_s: Wall-clock budget for both attempts together (each also stops at half
            of it in deterministic time).
        seed: Random seed of the helper solves.
        wall_limit_s: A wall-clock limit per attempt instead of its share of
            ``time_limit_s``: a generous one leaves the deterministic limit to decide, so the
            completed hint is the same on any machine.

    Returns:
        Whether the hint was completed.
    """
    hint = hinted_values(model.cp)
    if not hint:
        return False
    fixed = fixed_to_hint(model.cp, hint)
    half = time_limit_s / 2
    solver = _sub_solve(fixed, half, seed, wall_limit_s)
    if solver is None:
        near = model.cp.clone()
        near.clear_hints()
        flips = []
        for index, value in hint.items():
            if list(near.proto.variables[index].domain) != [0, 1]:
                continue
            var = near.get_int_var_from_proto_index(index)
            flips.append(1 - var if value else var)
            near.add_hint(var, value)
        near.minimize(cp_model.LinearExpr.sum(flips))
        solver = _sub_solve(near, half, seed, wall_limit_s)
    if solver is None:
        return False
    hint_solution(model.cp, solver)
    return True


def hint_solution(cp: cp_model.CpModel, solver: cp_model.CpSolver) -> None:
    """Make a solver's roster the model's whole hint (the model or a copy of it was solved)."""
    cp.clear_hints()
    for index in range(len(cp.proto.variables)):
        var = cp.get_int_var_from_proto_index(index)
        cp.add_hint(var, solver.value(var))
