"""The answer of a roster solve: the roster, its coverage, its costs and the solver figures.

A :class:`RosterResult` is frozen. Infeasible problems are results too: ``status`` says so and
``conflicts`` names the rules, people, days and posts that cannot all be satisfied.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TypedDict

import pandas as pd

from scheduler.calendar import Horizon
from scheduler.frames import ASSIGNMENT_COLUMNS, COVERAGE_COLUMNS, SHIFT_COLUMNS
from scheduler.roster.words import Words, as_words, default_zh, pick, pick_all

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
        message_zh: The violation in Chinese, e.g. "12月4日(周五) 10:00 高柜柜员: 需要 3 人,
            已排 2 人, 缺 1 人" (``message`` when not given).
    """

    rule: str
    amount: float
    cost: float
    message: str
    staff_id: str | None = None
    date: dt.date | None = None
    ds: dt.datetime | None = None
    post: str | None = None
    message_zh: str = ""

    def __post_init__(self) -> None:
        default_zh(self, "message")

    def message_in(self, lang: str) -> str:
        """The sentence in ``lang``: Chinese for ``zh``, English otherwise."""
        return pick(self.message, self.message_zh, lang)


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
        message_zh: ``message`` in Chinese (``message`` when not given).
        relaxation_zh: ``relaxation`` in Chinese (``relaxation`` when not given).
    """

    rules: tuple[str, ...]
    message: str
    relaxation: str = ""
    staff_ids: tuple[str, ...] = ()
    dates: tuple[dt.date, ...] = ()
    posts: tuple[str, ...] = ()
    message_zh: str = ""
    relaxation_zh: str = ""

    def __post_init__(self) -> None:
        default_zh(self, "message", "relaxation")

    def message_in(self, lang: str) -> str:
        """What conflicts, in ``lang``: Chinese for ``zh``, English otherwise."""
        return pick(self.message, self.message_zh, lang)

    def relaxation_in(self, lang: str) -> str:
        """The fix, in ``lang``: Chinese for ``zh``, English otherwise."""
        return pick(self.relaxation, self.relaxation_zh, lang)


def relative_gap(objective: float, bound: float) -> float:
    """How far a proven bound lies below a cost: ``(objective - bound) / max(1, |objective|)``."""
    return (objective - bound) / max(1.0, abs(objective))


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

    def gap_meaning(self, lang: str = "en") -> str | None:
        """What the gap tells a manager, in words (Chinese for ``zh``); ``None`` without a roster.

        Examples: "proven the cheapest roster under these rules", "no roster can cost less
        than 4% below this one", "no lower bound was proven ...".
        """
        zh = lang == "zh"
        if self.objective is None or self.gap is None:
            return None
        if self.status == "OPTIMAL" or self.gap <= 1e-9:
            if zh:
                return "已证明是这些规则下成本最低的排班"
            return "proven the cheapest roster under these rules"
        if not self.best_bound or self.best_bound <= 0:
            if zh:
                return (
                    "在给定时间内未能证明下界, 所以相对差距说明不了本排班离成本最低的排班还有多远 "
                    "(合同工时、公平分摊等分配工作的规则最难估计下界)"
                )
            return (
                "no lower bound was proven in the time given, so the gap says nothing about "
                "how far this roster is from the cheapest (rules on how work is shared, such "
                "as contract hours and fairness, are the hardest to bound)"
            )
        percent = 100 * self.gap
        shown = f"{percent:.1f}%" if percent >= 1 else f"{percent:.2g}%"
        if zh:
            return f"任何排班的成本都不会比本排班低 {shown} 以上; 给更多时间可能缩小这一差距"
        return f"no roster can cost less than {shown} below this one; more time may narrow that"


class WarningFields(TypedDict):
    """The warning fields of a :class:`RosterResult`, to pass as ``**fields``."""

    warnings: tuple[str, ...]
    warnings_zh: tuple[str, ...]


def warning_fields(warnings: Iterable[Words | str]) -> WarningFields:
    """The ``warnings`` and ``warnings_zh`` of a :class:`RosterResult`, in the same order.

    A plain string stands for both languages.

    Example: ``RosterResult(branch, horizon, stats, **warning_fields(model_warnings))``.
    """
    items = [as_words(w) for w in warnings]
    return WarningFields(
        warnings=tuple(w.en for w in items), warnings_zh=tuple(w.zh for w in items)
    )


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
        warnings: Things the manager should know that are not violations, in English.
        warnings_zh: The same warnings in Chinese, in the same order (empty in a result built
            by hand or pickled before it existed: :meth:`warnings_in` then gives the English).
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
    warnings_zh: tuple[str, ...] = ()

    @property
    def status(self) -> str:
        """The solver status."""
        return self.stats.status

    @property
    def feasible(self) -> bool:
        """Whether a roster was found."""
        return self.stats.status in ("OPTIMAL", "FEASIBLE")

    def warnings_in(self, lang: str) -> tuple[str, ...]:
        """The warnings in ``lang``: Chinese for ``zh`` when there is one per English warning."""
        return pick_all(self.warnings, self.warnings_zh, lang)

    def with_warnings(self, *more: Words | str) -> RosterResult:
        """This result with ``more`` warnings after its own, in both languages."""
        added = warning_fields(more)
        return replace(
            self,
            warnings=(*self.warnings, *added["warnings"]),
            warnings_zh=(*self.warnings_in("zh"), *added["warnings_zh"]),
        )

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

    def summary(self, lang: str = "en") -> str:
        """A few lines for a terminal or a page: status, objective, bound, gap, time, shortfalls.

        In Chinese for ``lang="zh"`` (the solver status stays as the solver names it).
        """
        s = self.stats
        zh = lang == "zh"
        if zh:
            lines = [f"网点 {self.branch_id}, {self.horizon.label()}: {s.status}"]
        else:
            lines = [f"branch {self.branch_id}, {self.horizon.label()}: {s.status}"]
        if s.objective is not None:
            gap = f"{100 * s.gap:.2f}%" if s.gap is not None else ("无" if zh else "n/a")
            if zh:
                lines.append(
                    f"目标值 {s.objective:g}, 最优下界 {s.best_bound:g}, 相对差距 {gap}, "
                    f"用时 {s.wall_time_s:.1f} 秒, {s.workers} 个线程"
                )
            else:
                lines.append(
                    f"objective {s.objective:g}, best bound {s.best_bound:g}, gap {gap}, "
                    f"{s.wall_time_s:.1f} s, {s.workers} workers"
                )
            lines.append(f"  ({s.gap_meaning(lang)})")
        if self.feasible and len(self.coverage):
            short = -self.coverage["gap"].clip(upper=0).sum() * self.slot_minutes() / 60
            lines.append(f"缺口人时: {short:g}" if zh else f"staff-hours short: {short:g}")
        for c in self.conflicts:
            lines.append(f"{'冲突' if zh else 'conflict'}: {c.message_in(lang)}")
            if c.relaxation:
                lines.append(f"  {'解决办法' if zh else 'to fix'}: {c.relaxation_in(lang)}")
        return "\n".join(lines)
