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
