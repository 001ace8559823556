"""How much of a time limit is left: wall-clock seconds, or CP-SAT's deterministic time."""

from __future__ import annotations

from time import perf_counter

from ortools.sat.python import cp_model

from scheduler.roster.words import Words

DETERMINISTIC_WALL_FACTOR = 20.0
"""With a deterministic clock, each search's wall-clock safety limit in multiples of its
deterministic limit (a deterministic unit is about a second of one core: only a machine
this much slower would cut a search short, and lose the reproducibility)."""


def limit_search(solver: cp_model.CpSolver, seconds: float, deterministic: bool) -> None:
    """Stop ``solver``'s next search after ``seconds`` (deterministic units when asked).

    Deterministic: ``seconds`` of deterministic time, with a wall-clock safety limit of
    :data:`DETERMINISTIC_WALL_FACTOR` times as many seconds.
    """
    params = solver.parameters
    if deterministic:
        params.max_deterministic_time = max(0.1, seconds)
        params.max_time_in_seconds = DETERMINISTIC_WALL_FACTOR * max(1.0, seconds)
    else:
        params.max_time_in_seconds = max(0.1, seconds)


def amount_words(amount: float, deterministic: bool) -> Words:
    """An amount of time as a limit is counted: ``10 s`` or ``10 units of deterministic time``."""
    if deterministic:
        return Words(f"{amount:g} units of deterministic time", f"{amount:g} 个确定性时间单位")
    return Words(f"{amount:g} s", f"{amount:g} 秒")


class SolveClock:
    """What is left of a time limit shared by several CP-SAT searches.

    Wall-clock seconds since the clock started; when ``deterministic``, CP-SAT's
    deterministic time charged by each search instead, so that how far every search gets
    does not depend on the machine or its load.
    """

    def __init__(self, limit_s: float, deterministic: bool = False) -> None:
        """Start the clock with ``limit_s`` seconds (deterministic units) to spend."""
        self.started = perf_counter()
        self.deterministic = deterministic
        self._limit = limit_s
        self._used = 0.0

    @property
    def elapsed(self) -> float:
        """Wall-clock seconds since the clock started."""
        return perf_counter() - self.started

    def left(self) -> float:
        """Seconds (deterministic units when deterministic) left of the limit."""
        return self._limit - (self._used if self.deterministic else self.elapsed)

    def limit(self, solver: cp_model.CpSolver, seconds: float) -> None:
        """Stop ``solver``'s next search after ``seconds`` on this clock's measure."""
        limit_search(solver, seconds, self.deterministic)

    def charge(self, solver: cp_model.CpSolver) -> None:
        """Count a finished search's deterministic time as spent (no-op on the wall clock)."""
        if self.deterministic:
            self.charge_units(solver.response_proto.deterministic_time)

    def charge_units(self, units: float) -> None:
        """Count ``units`` of deterministic time as spent (not read on the wall clock)."""
        self._used += units
