"""The region run's time budget: each branch's solver limit derived from the wall time left.

A region run given a budget (``--budget 10m``) aims to finish, float pool included, within
it. The solver limit of a branch is set when the branch starts::

    limit = (workers x time left - the work still planned for the running branches)
            / branch runs still to start - overhead per branch

and then kept between a floor and a ceiling, and below what one branch can still use before
the deadline. "Time left" is the budget less a safety margin (:data:`SAFETY_SHARE`), minus
the time already spent. The overhead (reading, forecasting, staffing, building the model,
writing the files) is measured: the mean, over the branches finished so far, of their wall
time less the solver time they were given (or used, when they stopped early); before the
first branch finishes it is :data:`OVERHEAD_PRIOR_S`.

During the first pass of a region with a float pool, part of the branches the second pass
may roster again count as runs still to start (:func:`pool_reserve`), so the pool's pass
keeps its share of the time; the second pass then gets whatever is left.
A branch that stops early (proven optimal, or within the relative gap) leaves its time to
the branches after it.
"""

from __future__ import annotations

import dataclasses
import math
import re
import time
from dataclasses import dataclass, field

from scheduler.errors import InputError, Issue
from scheduler.region.worker import BranchOutcome, BranchTask

DEFAULT_BUDGET_S = 600.0
"""Default whole-run budget (10 minutes: 50 M-size branches on 2 workers fit)."""
FLOOR_S = 6.0
"""Shortest solver limit a branch is given, whatever the budget. On the shared 2-core machine
under load 8, M branches given 3-4 s mostly ended without a roster (the limit covers building
the model and both solver phases); at 6-8 s they found one."""
CEILING_S = 30.0
"""Longest solver limit a branch is given (the single-branch default), whatever the budget."""
OVERHEAD_PRIOR_S = 5.0
"""Guess of a branch's time outside the solver before any branch has finished (an M branch
with 16 weeks of history measured 4.3 s)."""
POOL_RESERVE_SHARE = 0.5
"""Share of the float pool's most possible re-rosters that the first pass leaves time for.
The most is one per floater-day (and every branch at most); in the 50-branch benchmarks 11
to 21 of a possible 50 branches were re-rostered, so planning for all of them halved the
first pass's limits for nothing. When more come, the pool's pass gets shorter limits."""
SAFETY_SHARE = 0.9
"""Share of the budget planned for: the rest absorbs the float allocation, the summary and
branches that run over their estimate."""

_DURATION = re.compile(r"^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s?)?$")


def parse_duration(text: str, option: str = "--budget") -> float:
    """Seconds in a duration such as ``600``, ``90s``, ``10m``, ``1h30m`` or ``2.5m``.

    Raises:
        InputError: Naming the option, the value and the forms allowed.
    """
    match = _DURATION.match(text.strip().lower())
    seconds = 0.0
    if match and any(match.groups()):
        hours, minutes, secs = (float(g) if g else 0.0 for g in match.groups())
        seconds = hours * 3600 + minutes * 60 + secs
    if seconds <= 0:
        raise InputError(
            [
                Issue(
                    option,
                    "not a positive duration",
                    value=text,
                    allowed="seconds or a duration: 600, 90s, 10m, 1h30m",
                )
            ]
        )
    return seconds


def pool_reserve(branches: int, floater_days: int) -> int:
    """Re-rosters of the float pool's pass the first pass leaves time for.

    Args:
        branches: Branches in the first pass.
        floater_days: Days the pool's floaters can be sent out, summed over the floaters.
    """
    return math.ceil(POOL_RESERVE_SHARE * min(branches, floater_days))


def derive_limit(
    time_left_s: float,
    workers: int,
    runs_to_start: int,
    committed_s: float,
    overhead_s: float,
    floor_s: float = FLOOR_S,
    ceiling_s: float = CEILING_S,
) -> float:
    """The solver limit for the next branch to start.

    Args:
        time_left_s: Seconds until the planned end of the run.
        workers: Branches run at the same time.
        runs_to_start: Branch runs not started yet, this one included (and the float pool's
            possible second-pass runs during the first pass).
        committed_s: Seconds still planned for the branches running now.
        overhead_s: A branch's seconds outside the solver.
        floor_s: Shortest limit given.
        ceiling_s: Longest limit given.

    Returns:
        Seconds, rounded to 0.1, between ``floor_s`` and ``ceiling_s``.
    """
    share = (workers * time_left_s - committed_s) / max(1, runs_to_start) - overhead_s
    alone = time_left_s - overhead_s  # this branch must itself end before the deadline
    return round(min(ceiling_s, max(floor_s, min(share, alone))), 1)


def branch_overhead(outcome: BranchOutcome) -> float | None:
    """A finished branch's seconds outside the solver (``None`` when it did not solve)."""
    roster = outcome.timings.get("roster")
    if roster is None or outcome.time_limit_s is None:
        return None
    return max(0.0, outcome.wall_s - min(roster, outcome.time_limit_s))


@dataclass
class BudgetClock:
    """Hands each starting branch its solver limit from the time left in the budget.

    Attributes:
        budget_s: The whole run's wall-time budget.
        workers: Branches run at the same time.
        floor_s: Shortest limit given.
        ceiling_s: Longest limit given.
        started_at: ``time.monotonic()`` at the start of the run.
    """

    budget_s: float
    workers: int
    floor_s: float = FLOOR_S
    ceiling_s: float = CEILING_S
    started_at: float = field(default_factory=time.monotonic)
    _to_start: int = 0
    _reserved: int = 0
    _running: dict[str, tuple[float, float]] = field(default_factory=dict)
    _overheads: list[float] = field(default_factory=list)

    @property
    def overhead_s(self) -> float:
        """Mean measured time outside the solver, or the prior before any branch finished."""
        if not self._overheads:
            return OVERHEAD_PRIOR_S
        return sum(self._overheads) / len(self._overheads)

    def time_left(self) -> float:
        """Seconds until the planned end (the budget less the safety margin)."""
        return self.budget_s * SAFETY_SHARE - (time.monotonic() - self.started_at)

    def begin_pass(self, branches: int, reserved: int = 0) -> float:
        """Start a pass of ``branches`` runs, with ``reserved`` runs to come after it.

        Returns:
            The limit the pass's first branch would get now (to print).
        """
        self._to_start = branches
        self._reserved = reserved
        return self.next_limit()

    def end_pass(self) -> None:
        """Forget the reserved runs once the pass is over (the next pass counts its own)."""
        self._reserved = 0

    def next_limit(self) -> float:
        """The solver limit a branch starting now gets."""
        now = time.monotonic()
        committed = sum(max(0.0, planned - (now - t)) for t, planned in self._running.values())
        return derive_limit(
            self.time_left(),
            self.workers,
            self._to_start + self._reserved,
            committed,
            self.overhead_s,
            self.floor_s,
            self.ceiling_s,
        )

    def start(self, task: BranchTask) -> BranchTask:
        """The task with its derived solver limit; counts it as running."""
        limit = self.next_limit()
        self._to_start = max(0, self._to_start - 1)
        self._running[task.branch.id] = (time.monotonic(), limit + self.overhead_s)
        return dataclasses.replace(task, time_limit_s=limit)

    def finish(self, outcome: BranchOutcome) -> None:
        """Record a finished branch and the time it spent outside the solver."""
        self._running.pop(outcome.branch_id, None)
        overhead = branch_overhead(outcome)
        if overhead is not None:
            self._overheads.append(overhead)
