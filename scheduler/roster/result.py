"""The answer of a roster solve: the roster, its coverage, its costs and the solver figures.

A :class:`RosterResult` is frozen. Infeasible problems are results too: ``status`` says so and
``conflicts`` names the rules, people, days and posts that cannot all be satisfied.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from scheduler.calendar import Horizon
from scheduler.frames import ASSIGNMENT_COLUMNS, COVERAGE_COLUMNS, SHIFT_COLUMNS

PERSON_COLUMNS = (
    "staff_id",
    "name",
    "paid_hours",
    "contract_hours",
    "days_worked",
    "weekend_days",
    "late_shifts",
    "overtime_hours",
    "labour_cost",
    "preferences_met",
    "preferences_total",
)
"""Per-person summary columns (hours over the horizon; cost in yuan, premiums included)."""


@dataclass(frozen=True)
class Penalty:
    """One violation of a soft rule (or of a hard rule relaxed to soft), as a sentence.

    Attributes:
        rule: Rule name from the catalogue.
        amount: Units of violation (e.g. staff-hours short).
        cost: ``amount`` times the rule's weight (its share of the objective).
        message: The violation in words, e.g. "Fri 10:00 cash counter: 2 of 3 tellers, 1 short".
        staff_id: The person concerned, if any.
        date: The day concerned, if any.
        ds: The slot concerned, if any.
        post: The post concerned, if any.
    """

    rule: str
    amount: float
    cost: float
    message: str
    staff_id: str | None = None
    date: dt.date | None = None
    ds: dt.datetime | None = None
    post: str | None = None


@dataclass(frozen=True)
class Conflict:
    """A set of hard rules that cannot hold together, in words a branch manager understands.

    Attributes:
        rules: Names of the conflicting rules.
        message: What conflicts, naming people, days and posts.
        relaxation: What change would make a roster possible.
        staff_ids: People involved.
        dates: Days involved.
        posts: Posts involved.
    """

    rules: tuple[str, ...]
    message: str
    relaxation: str = ""
    staff_ids: tuple[str, ...] = ()
    dates: tuple[dt.date, ...] = ()
    posts: tuple[str, ...] = ()


@dataclass(frozen=True)
class SolverStats:
    """The solver's figures for the run.

    Attributes:
        status: ``OPTIMAL``, ``FEASIBLE``, ``INFEASIBLE``, ``UNKNOWN`` or ``MODEL_INVALID``.
        objective: Objective value of the roster returned (``None`` without one).
        best_bound: Proven lower bound on the objective.
        gap: Relative gap ``(objective - bound) / max(1, |objective|)``.
        wall_time_s: Solve time in seconds.
        variables: Number of model variables.
        constraints: Number of model constraints.
        workers: Search workers used.
        seed: Random seed used.
    """

    status: str
    objective: float | None = None
    best_bound: float | None = None
    gap: float | None = None
    wall_time_s: float = 0.0
    variables: int = 0
    constraints: int = 0
    workers: int = 0
    seed: int = 0

    def gap_meaning(self) -> str | None:
        """What the gap tells a manager, in words; ``None`` without a roster.

        Examples: "proven the cheapest roster under these rules", "no roster can cost less
        than 4% below this one", "no lower bound was proven ...".
        """
        if self.objective is None or self.gap is None:
            return None
        if self.status == "OPTIMAL" or self.gap <= 1e-9:
            return "proven the cheapest roster under these rules"
        if not self.best_bound or self.best_bound <= 0:
            return (
                "no lower bound was proven in the time given, so the gap says nothing about "
                "how far this roster is from the cheapest (rules on how work is shared, such "
                "as contract hours and fairness, are the hardest to bound)"
            )
        percent = 100 * self.gap
        shown = f"{percent:.1f}%" if percent >= 1 else f"{percent:.2g}%"
        return f"no roster can cost less than {shown} below this one; more time may narrow that"


def _empty(columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


@dataclass(frozen=True)
class RosterResult:
    """A roster and everything needed to explain it.

    Attributes:
        branch_id: The branch.
        horizon: The planned days.
        stats: Solver status and figures.
        assignments: Long format, :data:`scheduler.frames.ASSIGNMENT_COLUMNS`.
        shifts: Shifts worked, :data:`scheduler.frames.SHIFT_COLUMNS`.
        coverage: Required vs assigned, :data:`scheduler.frames.COVERAGE_COLUMNS`.
        people: Per-person summary, :data:`PERSON_COLUMNS`.
        penalties: Every soft-rule violation.
        conflicts: Why no roster exists (only when infeasible).
        warnings: Things the manager should know that are not violations.
    """

    branch_id: str
    horizon: Horizon
    stats: SolverStats
    assignments: pd.DataFrame = field(default_factory=lambda: _empty(ASSIGNMENT_COLUMNS))
    shifts: pd.DataFrame = field(default_factory=lambda: _empty(SHIFT_COLUMNS))
    coverage: pd.DataFrame = field(default_factory=lambda: _empty(COVERAGE_COLUMNS))
    people: pd.DataFrame = field(default_factory=lambda: _empty(PERSON_COLUMNS))
    penalties: tuple[Penalty, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def status(self) -> str:
        """The solver status."""
        return self.stats.status

    @property
    def feasible(self) -> bool:
        """Whether a roster was found."""
        return self.stats.status in ("OPTIMAL", "FEASIBLE")

    def penalties_by_rule(self) -> pd.DataFrame:
        """Total amount and cost per rule, most expensive first."""
        if not self.penalties:
            return pd.DataFrame(columns=["rule", "count", "amount", "cost"])
        frame = pd.DataFrame([p.__dict__ for p in self.penalties])
        out = (
            frame.groupby("rule", as_index=False)
            .agg(count=("amount", "size"), amount=("amount", "sum"), cost=("cost", "sum"))
            .sort_values("cost", ascending=False, ignore_index=True)
        )
        return out

    def slot_minutes(self) -> int:
        """Slot length of the coverage frame: the smallest step between slots (60 if unknown)."""
        if self.coverage.empty:
            return 60
        starts = pd.Series(sorted(pd.to_datetime(self.coverage["ds"]).unique()))
        steps = starts.diff().dropna().dt.total_seconds() / 60
        steps = steps[steps > 0]
        return int(steps.min()) if len(steps) else 60

    def summary(self) -> str:
        """A few lines for a terminal: status, objective, bound, gap, time, shortfalls."""
        s = self.stats
        lines = [f"branch {self.branch_id}, {self.horizon.label()}: {s.status}"]
        if s.objective is not None:
            gap = f"{100 * s.gap:.2f}%" if s.gap is not None else "n/a"
            lines.append(
                f"objective {s.objective:g}, best bound {s.best_bound:g}, gap {gap}, "
                f"{s.wall_time_s:.1f} s, {s.workers} workers"
            )
            lines.append(f"  ({s.gap_meaning()})")
        if self.feasible and len(self.coverage):
            short = -self.coverage["gap"].clip(upper=0).sum() * self.slot_minutes() / 60
            lines.append(f"staff-hours short: {short:g}")
        for c in self.conflicts:
            lines.append(f"conflict: {c.message}")
            if c.relaxation:
                lines.append(f"  to fix: {c.relaxation}")
        return "\n".join(lines)
