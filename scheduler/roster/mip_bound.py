"""A second lower bound on the roster's cost, from a MIP solver run beside CP-SAT.

The roster model is linear: every constraint CP-SAT gets is a linear row, some guarded by
enforcement literals (a rule's assumption literal, a shift's choice). Read as a mixed
integer programme (the guards as big-M rows), it goes to HiGHS, whose root relaxation with
its cutting planes proves far stronger bounds on rosters whose cost is shortfall at peaks
than CP-SAT's own LP: M seed 0 of the roster benchmark, every rule, 10 s, one thread:
58941 where CP-SAT proves 53349 with two workers. CP-SAT stays the search that finds the
rosters; HiGHS only proves how far they can be from the cheapest, in one thread of its own,
started with the roster CP-SAT starts from and told of every better one CP-SAT finds.

The conversion keeps the bound valid whatever the model holds: a constraint it cannot read
as linear rows is left out (a relaxation can only lower the bound), and a domain with holes
is taken as its hull. Only a model with a floating-point objective is not read at all.
"""

from __future__ import annotations

import math
import os
import sys
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from ortools.sat import cp_model_pb2
from ortools.sat.python import cp_model

INFINITY = math.inf


def _lower_priority() -> None:
    """Run the calling thread at the lowest CPU priority (Linux: a thread's own niceness)."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
    except (AttributeError, OSError):  # not on Linux, or not allowed
        return


@dataclass(frozen=True)
class MipProblem:
    """A CP-SAT model as a MIP: ``min cost . x + offset`` over integer ``x``.

    Attributes:
        cost: Objective coefficient per CP-SAT variable.
        offset: Objective constant.
        scale: CP-SAT's objective scaling factor (1 when it has none).
        lower: Lower bound per variable.
        upper: Upper bound per variable.
        rows: Row index of each nonzero.
        cols: Column (CP-SAT variable) index of each nonzero.
        values: Coefficient of each nonzero.
        row_lower: Lower bound per row (``-inf`` when none).
        row_upper: Upper bound per row (``inf`` when none).
        dropped: Constraints left out (not linear rows): the bound is then weaker, still
            valid.
    """

    cost: np.ndarray
    offset: float
    scale: float
    lower: np.ndarray
    upper: np.ndarray
    rows: np.ndarray
    cols: np.ndarray
    values: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    dropped: int

    @property
    def num_rows(self) -> int:
        """Number of rows."""
        return len(self.row_lower)


def _proto(model: cp_model.CpModel) -> cp_model_pb2.CpModelProto:
    """The model as a protocol-buffer message (read quicker than through the model)."""
    handle, path = tempfile.mkstemp(suffix=".pb")
    os.close(handle)
    try:
        model.export_to_file(path)
        proto = cp_model_pb2.CpModelProto()
        with open(path, "rb") as stream:
            proto.ParseFromString(stream.read())
        return proto
    finally:
        os.unlink(path)


class _Rows:
    """Collects rows ``lo <= sum(coef * x) <= hi`` in coordinate form."""

    def __init__(self, lower: np.ndarray, upper: np.ndarray) -> None:
        self.lower = lower
        self.upper = upper
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.values: list[float] = []
        self.row_lower: list[float] = []
        self.row_upper: list[float] = []

    @staticmethod
    def linear(refs: Sequence[int], coefs: Sequence[int]) -> dict[int, float]:
        """``sum(coef * ref)`` as terms on variables (a negative ref is ``-x``)."""
        terms: dict[int, float] = {}
        for ref, coef in zip(refs, coefs, strict=True):
            var, c = (ref, float(coef)) if ref >= 0 else (-ref - 1, -float(coef))
            terms[var] = terms.get(var, 0.0) + c
        return terms

    def span(self, terms: dict[int, float]) -> tuple[float, float]:
        """Least and greatest value of ``sum(coef * x)`` over the variables' bounds."""
        low = high = 0.0
        for var, c in terms.items():
            a, b = c * self.lower[var], c * self.upper[var]
            low += min(a, b)
            high += max(a, b)
        return low, high

    def add(self, terms: dict[int, float], lo: float, hi: float) -> None:
        """Add one row, unless it can never bind."""
        low, high = self.span(terms)
        lo = lo if lo > low else -INFINITY
        hi = hi if hi < high else INFINITY
        if lo == -INFINITY and hi == INFINITY:
            return
        row = len(self.row_lower)
        for var, c in terms.items():
            if c:
                self.rows.append(row)
                self.cols.append(var)
                self.values.append(c)
        self.row_lower.append(lo)
        self.row_upper.append(hi)

    def guarded(self, terms: dict[int, float], lo: float, hi: float, guards: Sequence[int]) -> None:
        """``lo <= expr <= hi`` whenever every literal of ``guards`` is true (big-M rows).

        With ``u = sum over guards of (1 - literal)`` (0 exactly when all hold), the rows
        are ``expr >= lo - (lo - min) * u`` and ``expr <= hi + (max - hi) * u``.
        """
        if not guards:
            self.add(terms, lo, hi)
            return
        low, high = self.span(terms)
        for side, gap in (("lo", lo - low), ("hi", high - hi)):
            if gap <= 0 or math.isinf(gap):
                continue
            row = dict(terms)
            bound = lo if side == "lo" else hi
            sign = 1.0 if side == "lo" else -1.0
            for lit in guards:  # 1 - l is 1 - x for a literal x, x for a negated one
                if lit >= 0:
                    row[lit] = row.get(lit, 0.0) - sign * gap
                    bound -= sign * gap
                else:
                    var = -lit - 1
                    row[var] = row.get(var, 0.0) + sign * gap
            if side == "lo":
                self.add(row, bound, INFINITY)
            else:
                self.add(row, -INFINITY, bound)


LARGEST = 2.0**53
"""Bounds beyond this (CP-SAT's int64 'unbounded') are taken as infinite."""


def _finite(value: int) -> float:
    """A row bound as a float, CP-SAT's extreme values as infinities."""
    if value <= -LARGEST:
        return -INFINITY
    if value >= LARGEST:
        return INFINITY
    return float(value)


def _literal_terms(literals: Sequence[int]) -> tuple[dict[int, float], float]:
    """``sum of literals`` as terms on variables and a constant (a negated literal is 1 - x)."""
    terms: dict[int, float] = {}
    constant = 0.0
    for lit in literals:
        if lit >= 0:
            terms[lit] = terms.get(lit, 0.0) + 1.0
        else:
            terms[-lit - 1] = terms.get(-lit - 1, 0.0) - 1.0
            constant += 1.0
    return terms, constant


def mip_problem(model: cp_model.CpModel) -> MipProblem | None:
    """The model as a MIP whose optimum is at most CP-SAT's; ``None`` when it has no objective.

    Linear constraints (their enforcement literals as big-M rows), ``bool_or``,
    ``bool_and``, ``at_most_one`` and ``exactly_one`` become rows; any other constraint is
    left out and counted in :attr:`MipProblem.dropped`.
    """
    proto = _proto(model)
    if not proto.HasField("objective") or proto.HasField("floating_point_objective"):
        return None
    lower = np.array([v.domain[0] for v in proto.variables], dtype=float)
    upper = np.array([v.domain[-1] for v in proto.variables], dtype=float)
    out = _Rows(lower, upper)
    dropped = 0
    for ct in proto.constraints:
        kind = ct.WhichOneof("constraint")
        guards = list(ct.enforcement_literal)
        if kind == "linear":
            terms = out.linear(ct.linear.vars, ct.linear.coeffs)
            domain = ct.linear.domain
            out.guarded(terms, _finite(domain[0]), _finite(domain[-1]), guards)
        elif kind in ("bool_or", "at_most_one", "exactly_one"):
            literals = list(getattr(ct, kind).literals)
            terms, constant = _literal_terms(literals)
            lo = 1.0 - constant if kind != "at_most_one" else -INFINITY
            hi = 1.0 - constant if kind != "bool_or" else INFINITY
            out.guarded(terms, lo, hi, guards)
        elif kind == "bool_and":
            for lit in ct.bool_and.literals:
                terms, constant = _literal_terms([lit])
                out.guarded(terms, 1.0 - constant, INFINITY, guards)
        elif kind is not None:
            dropped += 1
    cost = np.zeros(len(lower))
    offset = float(proto.objective.offset)
    for ref, coef in zip(proto.objective.vars, proto.objective.coeffs, strict=True):
        if ref >= 0:
            cost[ref] += coef
        else:
            cost[-ref - 1] -= coef
    return MipProblem(
        cost=cost,
        offset=offset,
        scale=proto.objective.scaling_factor or 1.0,
        lower=lower,
        upper=upper,
        rows=np.array(out.rows, dtype=np.int64),
        cols=np.array(out.cols, dtype=np.int64),
        values=np.array(out.values, dtype=float),
        row_lower=np.array(out.row_lower, dtype=float),
        row_upper=np.array(out.row_upper, dtype=float),
        dropped=dropped,
    )


_FIRST = threading.Lock()
_greeted = False


def _new_highs():
    """A HiGHS instance; the first of the process is made with standard output closed.

    HiGHS prints its banner to the process's standard output when its first instance is
    made, before any option can switch output off; a command printing JSON or a table
    must not get it.
    """
    global _greeted
    import highspy

    with _FIRST:
        if _greeted:
            return highspy.Highs()
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "wb") as null:
                os.dup2(null.fileno(), 1)
                highs = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        _greeted = True
        return highs


def _highs_model(problem: MipProblem):
    """The problem as a HiGHS model (columns stored column-wise)."""
    import highspy

    lp = highspy.HighsLp()
    n = len(problem.cost)
    lp.num_col_ = n
    lp.num_row_ = problem.num_rows
    lp.col_cost_ = problem.cost
    lp.col_lower_ = problem.lower
    lp.col_upper_ = problem.upper
    lp.offset_ = problem.offset
    lp.row_lower_ = problem.row_lower
    lp.row_upper_ = problem.row_upper
    order = np.lexsort((problem.rows, problem.cols))
    start = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(problem.cols, minlength=n), out=start[1:])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = start
    lp.a_matrix_.index_ = problem.rows[order]
    lp.a_matrix_.value_ = problem.values[order]
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n
    return lp


class MipBound:
    """HiGHS proving a lower bound on a CP-SAT model's objective, in a thread of its own.

    Start it with the model (its objective set), read :attr:`bound` at any time, hand it
    every better roster CP-SAT finds (:meth:`offer`) and :meth:`stop` it when the search
    ends. It never raises: a model it cannot read, HiGHS missing or failing, all leave the
    bound unknown (``None``), and the solve goes on with CP-SAT's own bound.
    """

    def __init__(
        self,
        model: cp_model.CpModel,
        *,
        time_limit_s: float,
        seed: int = 0,
        start: Sequence[int] | None = None,
        nice: bool = False,
    ) -> None:
        """Read the model now (a snapshot: later changes to it are not seen).

        Args:
            model: The CP-SAT model with its objective.
            time_limit_s: Most seconds HiGHS may run.
            seed: HiGHS's random seed.
            start: A value for every variable of a roster that keeps the hard rules, or
                ``None``; it gives HiGHS an incumbent to prune with.
            nice: Run HiGHS at the lowest CPU priority, so that it takes only the CPU
                time CP-SAT leaves.
        """
        self._nice = nice
        self._snapshot = model.clone()
        self._limit = max(0.1, time_limit_s)
        self._seed = seed
        self._start = None if start is None else np.asarray(start, dtype=float)
        self._offered: np.ndarray | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._done = threading.Event()
        self._bound: float | None = None
        self.failure: str | None = None
        """Why HiGHS gave no bound, when it failed (``None`` otherwise)."""
        self._thread = threading.Thread(target=self._run, name="mip-bound", daemon=True)

    def start(self) -> MipBound:
        """Start HiGHS in its thread; returns ``self``."""
        self._thread.start()
        return self

    @property
    def bound(self) -> int | None:
        """The proven lower bound in CP-SAT's objective units (rounded up), or ``None``."""
        with self._lock:
            value = self._bound
        if value is None or not math.isfinite(value):
            return None
        return math.ceil(value - 1e-6 * max(1.0, abs(value)))

    @property
    def finished(self) -> bool:
        """Whether HiGHS has stopped (proved its optimum, hit its limit, failed or stopped)."""
        return self._done.is_set()

    def offer(self, values: Sequence[int]) -> None:
        """A better roster found by CP-SAT: every variable's value, in model order."""
        array = np.asarray(values, dtype=float)
        with self._lock:
            self._offered = array

    def stop(self, timeout: float = 5.0) -> None:
        """Stop HiGHS and wait (at most ``timeout`` seconds) for its thread to end."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _raise_to(self, value: float, scale: float) -> None:
        if not math.isfinite(value):
            return
        with self._lock:
            scaled = value * scale
            if self._bound is None or scaled > self._bound:
                self._bound = scaled

    def _run(self) -> None:
        try:
            if self._nice:
                _lower_priority()
            self._solve()
        except Exception as exc:  # the bound is optional: CP-SAT's stands alone
            self.failure = f"{type(exc).__name__}: {exc}"
        finally:
            self._done.set()

    def _solve(self) -> None:
        try:
            import highspy
        except ImportError:
            self.failure = "highspy is not installed"
            return
        problem = mip_problem(self._snapshot)
        self._snapshot = None  # type: ignore[assignment]
        if problem is None or problem.scale <= 0 or self._stop.is_set():
            return
        scale = problem.scale
        highs = _new_highs()
        highs.setOptionValue("output_flag", False)
        highs.setOptionValue("threads", 1)
        highs.setOptionValue("random_seed", int(self._seed) % 2_147_483_647)
        highs.setOptionValue("time_limit", float(self._limit))
        highs.setOptionValue("mip_rel_gap", 0.0)
        highs.passModel(_highs_model(problem))
        if self._start is not None and len(self._start) == len(problem.cost):
            solution = highspy.HighsSolution()
            solution.col_value = list(self._start)
            highs.setSolution(solution)

        def interrupt(event) -> None:
            if event.callback_type == highspy.cb.HighsCallbackType.kCallbackMipInterrupt:
                self._raise_to(event.data_out.mip_dual_bound, scale)
            if self._stop.is_set():
                event.interrupt()

        def user_solution(event) -> None:
            with self._lock:
                offered, self._offered = self._offered, None
            if offered is not None and len(offered) == len(problem.cost):
                event.data_in.user_has_solution = True
                event.data_in.user_solution = offered

        highs.cbMipInterrupt += interrupt
        highs.cbSimplexInterrupt += interrupt  # the root LP of a large model takes minutes
        highs.cbIpmInterrupt += interrupt
        highs.cbMipUserSolution += user_solution
        highs.run()
        if highs.getModelStatus() == highspy.HighsModelStatus.kInfeasible:
            return  # cannot be: CP-SAT's rosters are solutions of this relaxation
        self._raise_to(highs.getInfo().mip_dual_bound, scale)
