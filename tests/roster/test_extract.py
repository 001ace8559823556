"""Turning a solution into frames and sentences: real violations, merged blocks."""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.roster.extract import penalty_message, violation
from scheduler.roster.model import PenaltyTerm


def test_violation_is_the_real_distance_from_the_bound_not_a_loose_slack() -> None:
    """A roster found early may carry a loose slack: report the real shortfall, not the slack."""
    model = cp_model.CpModel()
    staffed, slack = model.new_int_var(0, 5, "staffed"), model.new_int_var(0, 3, "short")
    term = PenaltyTerm(
        "coverage_under", slack, 1.0, 100.0, "{assigned} of 3, {n} short",
        show={"assigned": staffed}, excess=(staffed, 3, True),
    )  # fmt: skip
    values = {staffed.index: 2, slack.index: 3}

    def value(expr: object) -> int:
        return expr if isinstance(expr, int) else values[expr.index]  # type: ignore[attr-defined]

    assert violation(term, value) == 1
    assert penalty_message(term, 1, value) == "2 of 3, 1 short"


def test_violation_of_an_upper_bound_counts_the_excess() -> None:
    """For an upper bound the violation is how far the expression exceeds it."""
    model = cp_model.CpModel()
    staffed, slack = model.new_int_var(0, 5, "staffed"), model.new_int_var(0, 4, "over")
    term = PenaltyTerm("coverage_over", slack, 1.0, 5.0, "", excess=(staffed, 1, False))
    values = {staffed.index: 4, slack.index: 4}
    assert violation(term, lambda e: values[e.index]) == 3  # type: ignore[union-attr]


def test_the_reported_objective_is_the_rosters_own_cost_not_a_loose_slack() -> None:
    """A solution whose slack overstates the shortfall reports what the roster really costs."""
    from scheduler.roster import build_model
    from scheduler.roster.extract import evaluator, roster_cost
    from scheduler.roster.model import OBJECTIVE_SCALE

    from .instances import config, person, post, request

    cfg = config([post("cash")], [person("A", "cash")], rules={"coverage_under": "soft"})
    model = build_model(request(cfg, need={"cash": 2}, wait=1.0))
    model.set_objective()
    (slack,) = [t.expr for t in model.terms if t.rule == "coverage_under"][:1]
    model.cp.add(slack == 2)  # one slot's slack loose by one: 1 short, slack 2
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(model.cp) == cp_model.OPTIMAL
    assert solver.objective_value / OBJECTIVE_SCALE == 500.0  # 4 slots short, one counted twice
    assert roster_cost(model, evaluator(solver)) == 400.0
