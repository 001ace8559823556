"""Build the roster model from a request, solve it with CP-SAT and return a RosterResult."""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from scheduler.errors import InputError
from scheduler.interrupt import solve_interruptibly
from scheduler.roster.clock import (
    DETERMINISTIC_WALL_FACTOR,
    SolveClock,
    amount_words,
    limit_search,
)
from scheduler.roster.explain import describe, find_conflicts, merge_days, sum_up
from scheduler.roster.extract import (
    assignment_rows,
    coverage_rows,
    evaluator,
    penalties,
    person_rows,
    roster_cost,
    shift_rows,
    worked_days,
)
from scheduler.roster.hint import (
    complete_hint,
    fixed_to_hint,
    greedy_hint,
    hint_from_assignments,
    hint_solution,
    hinted_values,
    restore_hint,
)
from scheduler.roster.mip_bound import MipBound
from scheduler.roster.model import OBJECTIVE_SCALE, RosterModel
from scheduler.roster.prepare import prepare
from scheduler.roster.request import RosterRequest, SolveOptions
from scheduler.roster.result import RosterResult, SolverStats, relative_gap, warning_fields
from scheduler.roster.rules import RULE_FUNCTIONS
from scheduler.roster.symmetry import order_interchangeable_staff
from scheduler.roster.words import Words, unique

MAX_STATIC_CONFLICTS = 10
"""Conflicts found before solving that are told one by one; the rest are summed up."""

TWO_WORKER_SUBSOLVERS = ("max_lp",)
"""The full-problem search when solving with two workers (the other runs the neighbourhood
searches); in the second phase when :func:`_service_first` runs. Measured against ``core``
(the earlier choice) in one run on 24 Nov, 2 workers: on the published Shift Scheduling
Benchmark instances 2-10 at 60 s, a stronger bound on all nine (instances 2 and 3 proven
optimal, 828 and 1001) and a better roster on seven; L seeds 0-2 at 60 s, gaps 23.2 / 14.0 /
3.1% against 22.8 / 41.1 / 4.4%; M seeds 0-2 at 10 s, 15.3 / 81.5 / 61.9% against 23.8 /
99.8 / 41.2%. Before the service-first phase existed, ``core`` had found better rosters than
``default_lp`` on five of eight M and L instances."""

SECONDARY_RULES = frozenset(
    {
        "min_consecutive_days",
        "min_consecutive_days_off",
        "total_hours",
        "rotation_quota",
        "preferences",
        "contract_hours",
        "fair_weekends",
        "fair_late_shifts",
        "min_post_stint",
        "post_switches",
        "roster_stability",
        "labour_cost",
    }
)
"""Soft rules about how a roster is shared out rather than whether the branch is served:
left to the second phase of the solve (see :func:`_service_first`)."""

PHASE_ONE_SHARE = 0.5
"""Most of the time left that the first phase (service terms only) may take. Measured in one
run against 0.3: the same bound on L seed 0 (60 s) with a roster 23% cheaper, a stronger
bound on M seeds 0 and 2 (10 s)."""

PHASE_ONE_OWN_START = True
"""The first phase searches from a roster of its own rather than from the greedy baseline's.

The completed greedy roster stays the fallback (when the phase finds none) and HiGHS's
starting point; a published roster (a repair) or a costless first roster still hint the
phase. Measured on 25 Nov (2 workers, one run per pair, medians over solver seeds 0-2):
greedy start / own start, M seeds 0-2 at 10 s 66669 / 65635, 1760 / 1770, 104227 / 62458
(bounds 51000-51400 / 53500-54000 on seed 0); L at 60 s 30366 / 30901, 6919 / 6239, 318577
/ 318755; XL at 120 s (one solver seed) 6650 / 5435, 23603 / 15774, 14476 / 13843. From the
greedy roster the phase's neighbourhood searches stayed near it (M seed 2: service cost
about 93,000 against 58,000 from its own start), and its LP bound came later."""

PHASE_ONE_SUBSOLVERS = ("max_lp",)
"""The full-problem search of the first phase with two workers: the LP at its strongest
proves the service bound. Measured: M seed 3 with the secondary rules off, 10 s, bound 266082
against 54000 with ``core``; every rule, same run, against ``default_lp``: whole-problem bound
22529 against 1292 on L seed 0 (60 s), 50169 against 12045 on M seed 0 (10 s)."""

ONE_WORKER_INTERLEAVE_MIN_S = 30.0
"""From this time limit on, one worker takes turns between CP-SAT's searches (full-problem
searches and the neighbourhood searches) in its thread (``interleave_search``) instead of
running CP-SAT's default search alone. Measured on 24 Nov, one run each, 1 worker, default
search → interleaved (objective): the sample week at 60 s 115496 → 78512 (gap 81% → 1.7%),
L seed 0 at 60 s 483313 → 70669; at 30 s the sample week 139340 → 91817, M seed 0 97434 →
83861, M seed 1 120176 → 1853. Below it the interleaved search has too little time per
search: at 10 s W49 145898 → 140137, M seed 0 104999 → 113315, M seed 1 180668 → 60763;
an 8-branch region at about 12 s per branch lost on five of eight branches, its shortfall
1333 → 1758 staff-hours. The service's jobs solve with one worker, 60 s by default."""

FIRST_ROSTER_SHARE = 0.25
"""Most of the time left that :func:`_first_roster` may take."""

HINT_SHARE = 0.1
"""Share of the time left that completing the hint may take (see :func:`complete_hint`)."""
HINT_MAX_S = 5.0
"""Most seconds spent completing the hint."""


@dataclass(frozen=True)
class Progress:
    """An improving roster found while solving.

    Attributes:
        solutions: How many improving rosters so far.
        objective: Its cost.
        best_bound: The proven lower bound on the cost at that moment.
        seconds: Time since the solve started (model building included).
    """

    solutions: int
    objective: float
    best_bound: float
    seconds: float


ProgressCallback = Callable[[Progress], None]
"""Receives each improving roster's figures."""


class _Improving:
    """Numbers the rosters found and passes on only those cheaper than every one before.

    Both phases of a solve report through one of these, so the rosters a caller sees are
    numbered 1, 2, 3... and their costs only fall, although a phase-one roster (best for
    the service terms) may cost more in all than an earlier one.
    """

    def __init__(self, report: ProgressCallback) -> None:
        self._report = report
        self._count = 0
        self._best = math.inf
        self._bound = -math.inf

    def __call__(self, objective: float, bound: float, seconds: float) -> None:
        """Offer a roster of cost ``objective`` found with ``bound`` proven, at ``seconds``."""
        self._bound = max(self._bound, bound)
        if objective >= self._best:
            return
        self._best = objective
        self._count += 1
        self._report(Progress(self._count, objective, self._bound, seconds))


class _Reporter(cp_model.CpSolverSolutionCallback):
    """Watches the solutions of the full objective: offers them on, hands them to HiGHS.

    Keeps the best objective found (in the solver's integer units) so that the search can
    stop once the MIP bound proves it good enough (:meth:`proven`).
    """

    def __init__(
        self,
        offer: _Improving | None,
        offset: float = 0.0,
        mip: MipBound | None = None,
    ) -> None:
        """Offer to ``offer``; ``offset`` seconds passed before this solve started."""
        super().__init__()
        self._offer = offer
        self._offset = offset
        self._mip = mip
        self.best: int | None = None

    def on_solution_callback(self) -> None:
        self.best = round(self.objective_value)
        bound = self.best_objective_bound
        if self._mip is not None:
            self._mip.offer(self.response_proto.solution)
            bound = max(bound, self._mip.bound or 0)
        if self._offer is not None:
            self._offer(
                self.objective_value / OBJECTIVE_SCALE,
                bound / OBJECTIVE_SCALE,
                self._offset + self.wall_time,
            )

    def proven(self, relative_gap: float) -> bool:
        """Whether the MIP bound proves the best roster so far within ``relative_gap``."""
        if self._mip is None or self.best is None:
            return False
        bound = self._mip.bound
        return bound is not None and _closed(self.best, bound, relative_gap)


def _closed(objective: float, bound: float, relative_gap: float) -> bool:
    """Whether ``bound`` proves ``objective`` optimal, or within ``relative_gap`` of it."""
    return objective <= bound or (objective - bound) <= relative_gap * max(1.0, abs(objective))


PHASE_ONE_REPORT_S = 0.25
"""Least seconds between two phase-one rosters whose full cost is worked out for progress."""


class _PhaseOneReporter(cp_model.CpSolverSolutionCallback):
    """Offers phase-one rosters at their full cost (the phase itself sees the service terms).

    Working out the full cost takes milliseconds on a large model, so it is done at most
    every :data:`PHASE_ONE_REPORT_S` seconds; the phase's last roster is offered when it ends.
    The phase's bound (of the service terms) bounds the full cost too: every cost is >= 0.
    """

    def __init__(self, offer: _Improving, full: cp_model.LinearExprT, offset: float) -> None:
        super().__init__()
        self._offer = offer
        self._full = full
        self._offset = offset
        self._last = -math.inf

    def on_solution_callback(self) -> None:
        if self.wall_time - self._last < PHASE_ONE_REPORT_S:
            return
        self._last = self.wall_time
        self._offer(
            self.value(self._full) / OBJECTIVE_SCALE,
            self.best_objective_bound / OBJECTIVE_SCALE,
            self._offset + self.wall_time,
        )


class _Printer:
    """Prints improving rosters to standard error, at most one line per second."""

    def __init__(self) -> None:
        self._last = -1.0

    def __call__(self, progress: Progress) -> None:
        if self._last >= 0 and progress.seconds - self._last < 1.0:
            return
        self._last = progress.seconds
        print(
            f"roster {progress.solutions}: cost {progress.objective:g}, "
            f"bound {progress.best_bound:g}, {progress.seconds:.1f} s",
            file=sys.stderr,
        )


def build_model(request: RosterRequest) -> RosterModel:
    """Check the request, make the variables and apply every registered rule.

    Raises:
        InputError: When the request names unknown people, shifts or posts, has a malformed
            requirement frame, or plans no open day.
    """
    prep, issues = prepare(request)
    if any(i.severity == "error" for i in issues):
        raise InputError(issues)
    model = RosterModel(request, prep)
    for rule in RULE_FUNCTIONS.values():
        rule(model)
    return model


def _fix_hard_literals(model: RosterModel, value: int) -> None:
    """Fix every assumption literal to ``value`` (1: enforce) or free it (-1)."""
    for literal in model.groups.values():
        domain = model.cp.proto.variables[literal.index].domain
        domain.clear()
        domain.extend([0, 1] if value < 0 else [value, value])


def _set_params(
    solver: cp_model.CpSolver, options: SolveOptions, limit: float, subsolvers: tuple[str, ...]
) -> None:
    """Workers, seed, time limit, gap and log; ``subsolvers`` when solving with two workers."""
    params = solver.parameters
    params.num_workers = options.workers
    params.random_seed = options.seed
    limit_search(solver, limit, options.deterministic)
    params.relative_gap_limit = options.relative_gap
    params.log_search_progress = options.log_search
    if options.deterministic:
        params.interleave_search = options.workers > 1  # workers taking turns: reproducible
    if options.workers == 1 and options.time_limit_s >= ONE_WORKER_INTERLEAVE_MIN_S:
        params.interleave_search = True
    if options.workers == 2:
        params.subsolvers.extend(subsolvers)


def _service_first(
    model: RosterModel,
    options: SolveOptions,
    clock: SolveClock,
    offer: _Improving | None = None,
    own_start: bool = False,
) -> tuple[int, int] | None:
    """Phase one: minimise the service terms alone, then bound them in the full model.

    The terms of every soft rule outside :data:`SECONDARY_RULES` (service shortfall and any
    rule of service or control run soft) are minimised first, for at most
    :data:`PHASE_ONE_SHARE` of the time left. Every cost is non-negative, so the proven lower
    bound of these terms is a lower bound of the full objective too: the full model gets
    ``service terms >= that bound`` (a valid cut, no roster is excluded) and starts from the
    phase-one roster. Skipped when either part of the objective is empty.

    The phase's rosters are offered to ``offer`` (when given) at their full cost while it
    runs and when it ends (see :class:`_PhaseOneReporter`); the phase's own figures, of part
    of the cost, are not. With ``own_start`` the phase does not start from the model's hint
    (see :data:`PHASE_ONE_OWN_START`); the hint is kept for the second phase when the phase
    finds no roster.

    Returns:
        ``None`` when skipped; else the phase's CP-SAT status and the proven bound (in
        objective units, 0 without a roster). The model's objective is the full one again.
    """
    service = {t.rule for t in model.terms if t.cost > 0 and t.rule not in SECONDARY_RULES}
    if not service or all(t.rule in service for t in model.terms if t.cost > 0):
        return None
    full = cp_model.LinearExpr.weighted_sum(*model.objective_terms())
    exprs, coefs = model.objective_terms(service)
    expr = cp_model.LinearExpr.weighted_sum(exprs, coefs)
    model.cp.minimize(expr)
    solver = cp_model.CpSolver()
    _set_params(solver, options, PHASE_ONE_SHARE * clock.left(), PHASE_ONE_SUBSOLVERS)
    offset = clock.elapsed
    callback = _PhaseOneReporter(offer, full, offset) if offer is not None else None
    saved = hinted_values(model.cp) if own_start else None
    if saved is not None:
        model.cp.clear_hints()
    status = solve_interruptibly(solver, model.cp, callback)
    clock.charge(solver)
    model.set_objective()
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if saved is not None:
            restore_hint(model.cp, saved)
        return status, 0
    floor = math.ceil(round(solver.best_objective_bound, 6))
    if offer is not None:
        seconds = clock.elapsed
        offer(solver.value(full) / OBJECTIVE_SCALE, floor / OBJECTIVE_SCALE, seconds)
    if floor > 0:
        model.cp.add(expr >= floor)
    hint_solution(model.cp, solver)
    return status, floor


def _first_roster(model: RosterModel, options: SolveOptions, clock: SolveClock) -> int:
    """Find any roster that keeps every hard rule, ignoring costs, and hint the model with it.

    Used when the starting roster could not be completed (the greedy roster breaks a hard
    rule the repair could not mend in its time). Without an objective CP-SAT looks for
    feasibility alone, which on tightly limited weeks is far quicker: on the published
    benchmark's instance 20 (26 weeks, 50 people) 3 s, where the solve with costs found no
    roster in 240 s. Takes at most :data:`FIRST_ROSTER_SHARE` of the time left.

    Returns:
        The CP-SAT status: ``OPTIMAL`` when a roster was found (the model's hint is then
        that roster), ``INFEASIBLE`` when no roster keeps the hard rules, else ``UNKNOWN``.
    """
    plain = model.cp.clone()
    plain.clear_objective()
    solver = cp_model.CpSolver()
    _set_params(solver, options, FIRST_ROSTER_SHARE * clock.left(), ())
    status = solve_interruptibly(solver, plain)
    clock.charge(solver)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        hint_solution(model.cp, solver)
        return cp_model.OPTIMAL
    return status


STARTING_ROSTER = Words(
    "the search found no roster of its own within the time limit; this is the roster it "
    "started from (the phase-one or completed greedy roster), which keeps every hard rule; "
    "give the solver more time for a better one",
    "求解器在时间限制内没有找到自己的排班; 这是它起步时的排班 (第一阶段或补全后的贪心排班), "
    "满足所有硬规则; 给求解器更多时间可得到更好的排班",
)
"""Warning of a result that is the starting roster (see :func:`_starting_roster`)."""

STARTING_ROSTER_CHECK_S = 2.0
"""Most seconds spent checking the starting roster when the search found none."""


def _starting_roster(model: RosterModel, seed: int) -> cp_model.CpSolver | None:
    """The model's hint as a roster, or ``None`` when it is not a whole roster.

    The hint counts when it gives every variable a value and keeps every hard rule (checked
    by a solve with every variable fixed). After the service-first phase, or a completed
    greedy hint, the hint is a whole roster; when the main search ends without one (a very
    short limit on a busy machine) it is still better than no answer.
    """
    hint = hinted_values(model.cp)
    if len(hint) < len(model.cp.proto.variables):
        return None
    fixed = fixed_to_hint(model.cp, hint)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = STARTING_ROSTER_CHECK_S
    status = solve_interruptibly(solver, fixed)
    return solver if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None


REPAIR_WIDENED = Words(
    "the days the change does not touch could not all stay as published without breaking a "
    "hard rule, so the whole week was re-planned, each changed hour counted as a change",
    "不受这次变动影响的日子无法全部保持已发布的排班而不违反硬规则, 因此重新安排了整周, "
    "每个改动的小时都计为一次改动",
)
"""Warning of a repair that had to re-plan every day (see :func:`_repair_whole_week`)."""


def _repair_whole_week(
    request: RosterRequest,
    options: SolveOptions,
    clock: SolveClock,
    on_progress: ProgressCallback | None,
) -> RosterResult:
    """Solve again letting every day change, in the time left, and say so in a warning."""
    left = max(1.0, clock.left())
    result = solve(
        replace(request, repair_scope="week"),
        replace(options, time_limit_s=left),
        on_progress=on_progress,
    )
    stats = replace(result.stats, wall_time_s=clock.elapsed)
    return replace(result, stats=stats).with_warnings(REPAIR_WIDENED)


def solve(
    request: RosterRequest,
    options: SolveOptions | None = None,
    *,
    on_progress: ProgressCallback | None = None,
) -> RosterResult:
    """Build and solve the roster for a request.

    Args:
        request: The branch, horizon, requirements, availability and pins.
        options: Time limit, workers, seed, gap; progress printing.
        on_progress: Receives each improving roster (implies progress reporting).

    Returns:
        The roster with its frames and penalty sentences, or, when no roster satisfies the
        hard rules, a result with status ``INFEASIBLE`` and the conflicts in words.

    Raises:
        InputError: When the request itself is malformed (see :func:`build_model`).
    """
    options = options or SolveOptions()
    clock = SolveClock(options.time_limit_s, options.deterministic)
    model = build_model(request)
    proto = model.cp.proto
    base = dict(
        workers=options.workers,
        seed=options.seed,
        variables=len(proto.variables),
        constraints=len(proto.constraints),
    )
    branch, horizon = request.config.branch.id, request.horizon
    warnings = unique(model.warnings)
    if model.static_conflicts:
        described = merge_days(describe(model, [g]) for g in model.static_conflicts)
        conflicts = described[:MAX_STATIC_CONFLICTS]
        rest = described[MAX_STATIC_CONFLICTS:]
        if rest:
            conflicts = (*conflicts, sum_up(rest))
        stats = SolverStats("INFEASIBLE", wall_time_s=clock.elapsed, **base)
        return RosterResult(branch, horizon, stats, conflicts=conflicts, **warning_fields(warnings))

    if options.symmetry:
        model.symmetry_groups = order_interchangeable_staff(model)
    model.set_objective()
    published = request.published is not None and not request.published.empty
    if options.hint:
        if published:
            hint_from_assignments(model, request.published)
        else:
            greedy_hint(model)
    _fix_hard_literals(model, 1)
    start = None
    if options.hint:
        budget = min(HINT_SHARE * clock.left(), HINT_MAX_S)
        wall = DETERMINISTIC_WALL_FACTOR * budget if options.deterministic else None
        completed = complete_hint(model, budget, options.seed, wall_limit_s=wall)
        if options.deterministic:  # its searches stop at half the budget in deterministic time
            clock.charge_units(budget)
        if not completed:
            start = _first_roster(model, options, clock)
    mip = _start_mip_bound(model, options, clock) if start != cp_model.INFEASIBLE else None
    try:
        own_start = PHASE_ONE_OWN_START and options.hint and not published and start is None
        return _search(
            request, options, clock, model, start, mip, on_progress, base, warnings, own_start
        )
    finally:
        if mip is not None:
            mip.stop()


def _start_mip_bound(
    model: RosterModel, options: SolveOptions, clock: SolveClock
) -> MipBound | None:
    """Start HiGHS proving a lower bound beside the search (see :mod:`.mip_bound`).

    Not started when switched off, when nothing is costed, or with too little time left to
    read the model and solve its relaxation (:data:`MIP_MIN_S`).
    """
    left = clock.left()
    if (
        not options.mip_bound
        or options.deterministic
        or left < MIP_MIN_S
        or not model.objective_terms()[0]
    ):
        return None
    hint = hinted_values(model.cp)
    whole = len(hint) == len(model.cp.proto.variables)
    start = [hint[i] for i in range(len(hint))] if whole else None
    return MipBound(model.cp, time_limit_s=left, seed=options.seed, start=start, nice=True).start()


MIP_MIN_S = 2.0
"""Least seconds left for which the MIP bound is started."""


def _search(
    request: RosterRequest,
    options: SolveOptions,
    clock: SolveClock,
    model: RosterModel,
    start: int | None,
    mip: MipBound | None,
    on_progress: ProgressCallback | None,
    base: dict[str, int],
    warnings: tuple[Words, ...],
    own_start: bool = False,
) -> RosterResult:
    """The two phases of the search and the result (see :func:`solve`).

    ``own_start``: the first phase searches from a roster of its own, not the model's hint.
    """
    branch, horizon = request.config.branch.id, request.horizon
    floor = 0
    report = on_progress or (_Printer() if options.progress else None)
    offer = _Improving(report) if report is not None else None
    first = (
        None
        if start == cp_model.INFEASIBLE
        else _service_first(model, options, clock, offer, own_start)
    )
    if start == cp_model.INFEASIBLE or (first is not None and first[0] == cp_model.INFEASIBLE):
        status, name = cp_model.INFEASIBLE, "INFEASIBLE"
    else:
        if first is not None:
            floor = first[1]
        solver = cp_model.CpSolver()
        _set_params(solver, options, clock.left(), TWO_WORKER_SUBSOLVERS)
        offset = clock.elapsed
        callback = _Reporter(offer, offset, mip) if offer or mip else None

        def proven() -> bool:
            return callback is not None and callback.proven(options.relative_gap)

        status = solve_interruptibly(solver, model.cp, callback, proven if mip else None)
        clock.charge(solver)
        name = solver.status_name(status)
    if mip is not None:
        mip.stop()  # before any re-solve or explanation: its thread would only slow them

    if status == cp_model.INFEASIBLE and model.repair_frozen:
        return _repair_whole_week(request, options, clock, on_progress)
    if status == cp_model.INFEASIBLE:
        _fix_hard_literals(model, -1)
        conflicts = find_conflicts(model, options)
        stats = SolverStats(name, wall_time_s=clock.elapsed, **base)
        return RosterResult(branch, horizon, stats, conflicts=conflicts, **warning_fields(warnings))
    fallback = None
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        fallback = _starting_roster(model, options.seed)
        if fallback is None:
            stats = SolverStats(name, wall_time_s=clock.elapsed, **base)
            limit = amount_words(options.time_limit_s, options.deterministic)
            note = Words(
                f"no roster found within {limit.en}; give the solver more time",
                f"{limit.zh}内没有找到排班; 请给求解器更多时间",
            )
            return RosterResult(branch, horizon, stats, **warning_fields((*warnings, note)))
        solver, name = fallback, "FEASIBLE"
        warnings = (*warnings, STARTING_ROSTER)

    value = evaluator(solver)
    objective = roster_cost(model, value)  # at most the solver's figure: slacks taken tight
    best = max(floor, solver.best_objective_bound if fallback is None else 0)
    if mip is not None:
        best = max(best, mip.bound or 0)
    bound = best / OBJECTIVE_SCALE
    if name == "FEASIBLE" and _closed(round(objective * OBJECTIVE_SCALE), best, 0.0):
        name = "OPTIMAL"
    stats = SolverStats(
        name,
        objective=objective,
        best_bound=bound,
        gap=relative_gap(objective, bound),
        wall_time_s=clock.elapsed,
        **base,
    )
    days = worked_days(model, value)
    return RosterResult(
        branch,
        horizon,
        stats,
        assignments=assignment_rows(model, value, days),
        shifts=shift_rows(model, days),
        coverage=coverage_rows(model, value),
        people=person_rows(model, days),
        penalties=penalties(model, value),
        **warning_fields(warnings),
    )
