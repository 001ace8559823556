"""Build the roster model from a request, solve it with CP-SAT and return a RosterResult."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.errors import InputError
from scheduler.roster.explain import describe, find_conflicts
from scheduler.roster.extract import (
    assignment_rows,
    coverage_rows,
    evaluator,
    penalties,
    person_rows,
    shift_rows,
    worked_days,
)
from scheduler.roster.hint import greedy_hint, hint_from_assignments
from scheduler.roster.model import OBJECTIVE_SCALE, RosterModel
from scheduler.roster.prepare import prepare
from scheduler.roster.request import RosterRequest, SolveOptions
from scheduler.roster.result import Conflict, RosterResult, SolverStats
from scheduler.roster.rules import RULE_FUNCTIONS

MAX_STATIC_CONFLICTS = 10
"""Conflicts found before solving that are told one by one; the rest are summed up."""

TWO_WORKER_SUBSOLVERS = ("core",)
"""The full-problem search when solving with two workers (the other runs the neighbourhood
searches). Measured on the seeded M, L and XL instances with every rule registered, 30-60 s:
the core-based search found better rosters than CP-SAT's default ``default_lp`` on M and L
(e.g. M seed 1: 1598 against 3468; L seed 0: 102187 against 257811) and worse on XL seed 0
(169943 against 89258); see the roster section of the README."""


@dataclass(frozen=True)
class Progress:
    """An improving roster found while solving.

    Attributes:
        solutions: How many improving rosters so far.
        objective: Its cost.
        best_bound: The proven lower bound on the cost at that moment.
        seconds: Time since the search started.
    """

    solutions: int
    objective: float
    best_bound: float
    seconds: float


ProgressCallback = Callable[[Progress], None]
"""Receives each improving roster's figures."""


class _Reporter(cp_model.CpSolverSolutionCallback):
    """Reports each improving solution to a callback."""

    def __init__(self, report: ProgressCallback) -> None:
        super().__init__()
        self._report = report
        self._count = 0

    def on_solution_callback(self) -> None:
        self._count += 1
        self._report(
            Progress(
                self._count,
                self.objective_value / OBJECTIVE_SCALE,
                self.best_objective_bound / OBJECTIVE_SCALE,
                self.wall_time,
            )
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
    started = time.perf_counter()
    model = build_model(request)
    proto = model.cp.proto
    base = dict(
        workers=options.workers,
        seed=options.seed,
        variables=len(proto.variables),
        constraints=len(proto.constraints),
    )
    branch, horizon = request.config.branch.id, request.horizon
    warnings = tuple(dict.fromkeys(model.warnings))
    if model.static_conflicts:
        shown = model.static_conflicts[:MAX_STATIC_CONFLICTS]
        conflicts = tuple(describe(model, [g]) for g in shown)
        rest = model.static_conflicts[MAX_STATIC_CONFLICTS:]
        if rest:
            more = Conflict(
                tuple(dict.fromkeys(g.rule for g in rest)),
                f"... and {len(rest)} more that cannot hold either: "
                + "; ".join(g.text for g in rest[:3])
                + ("; ..." if len(rest) > 3 else ""),
                staff_ids=tuple(dict.fromkeys(s for g in rest for s in g.staff)),
                dates=tuple(sorted({d for g in rest for d in g.dates})),
                posts=tuple(dict.fromkeys(p for g in rest for p in g.posts)),
            )
            conflicts = (*conflicts, more)
        stats = SolverStats("INFEASIBLE", wall_time_s=time.perf_counter() - started, **base)
        return RosterResult(branch, horizon, stats, conflicts=conflicts, warnings=warnings)

    model.set_objective()
    if options.hint:
        if request.published is not None and not request.published.empty:
            hint_from_assignments(model, request.published)
        else:
            greedy_hint(model)
    _fix_hard_literals(model, 1)
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = options.workers
    params.random_seed = options.seed
    # The limit is for the whole solve: building the model and the hint count against it.
    params.max_time_in_seconds = max(0.1, options.time_limit_s - (time.perf_counter() - started))
    params.relative_gap_limit = options.relative_gap
    params.log_search_progress = options.log_search
    if options.workers == 2:
        params.subsolvers.extend(TWO_WORKER_SUBSOLVERS)
    report = on_progress or (_Printer() if options.progress else None)
    callback = _Reporter(report) if report else None
    status = solver.solve(model.cp, callback)
    name = solver.status_name(status)

    if status == cp_model.INFEASIBLE:
        _fix_hard_literals(model, -1)
        conflicts = find_conflicts(model, options)
        stats = SolverStats(name, wall_time_s=time.perf_counter() - started, **base)
        return RosterResult(branch, horizon, stats, conflicts=conflicts, warnings=warnings)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        stats = SolverStats(name, wall_time_s=time.perf_counter() - started, **base)
        note = f"no roster found within {options.time_limit_s:g} s; give the solver more time"
        return RosterResult(branch, horizon, stats, warnings=(*warnings, note))

    objective = solver.objective_value / OBJECTIVE_SCALE
    bound = solver.best_objective_bound / OBJECTIVE_SCALE
    stats = SolverStats(
        name,
        objective=objective,
        best_bound=bound,
        gap=(objective - bound) / max(1.0, abs(objective)),
        wall_time_s=time.perf_counter() - started,
        **base,
    )
    value = evaluator(solver)
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
        warnings=warnings,
    )
