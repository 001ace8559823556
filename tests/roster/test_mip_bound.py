"""The MIP bound: CP-SAT models read as MIPs, HiGHS's bound beside the search, the switch."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from ortools.sat.python import cp_model

from scheduler.instances import make_instance
from scheduler.roster import SolveOptions, build_model, solve
from scheduler.roster.mip_bound import MipBound, _lower_priority, mip_problem
from scheduler.roster.model import OBJECTIVE_SCALE
from scheduler.roster.solve import _fix_hard_literals

pytest.importorskip("highspy", reason="the MIP bound needs highspy (a core dependency)")


def _cp_optimum(model: cp_model.CpModel) -> int:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    assert solver.solve(model) == cp_model.OPTIMAL
    return round(solver.objective_value)


def _bound(model: cp_model.CpModel, limit: float = 20.0, **kw: object) -> MipBound:
    bound = MipBound(model, time_limit_s=limit, **kw).start()  # type: ignore[arg-type]
    deadline = time.monotonic() + limit + 10
    while not bound.finished and time.monotonic() < deadline:
        time.sleep(0.02)
    assert bound.finished
    assert bound.failure is None
    return bound


def _guarded_model() -> cp_model.CpModel:
    """Enforcement literals (plain and negated), negated refs, every Boolean constraint kind.

    x, y in 0..5; a, b, c Booleans. a => x + y >= 7; not b => x <= 1; at most one of a, c;
    exactly one of b, c; c or not a; b and a => y >= 4 (bool_and guards). Minimise
    3x + 2y + 5a + 4b + c - 1: the cheapest choice is worked out by CP-SAT below.
    """
    m = cp_model.CpModel()
    x = m.new_int_var(0, 5, "x")
    y = m.new_int_var(0, 5, "y")
    a, b, c = (m.new_bool_var(n) for n in "abc")
    m.add(x + y >= 7).only_enforce_if(a)
    m.add(x <= 1).only_enforce_if(~b)
    m.add_at_most_one(a, c)
    m.add_exactly_one(b, c)
    m.add_bool_or(c, ~a, b)
    m.add(y >= 4).only_enforce_if(b, a)
    m.add(x + y >= 3)
    m.minimize(3 * x + 2 * y + 5 * a + 4 * b + c - 1)
    return m


def test_mip_problem_keeps_every_linear_and_boolean_constraint() -> None:
    problem = mip_problem(_guarded_model())

    assert problem is not None
    assert problem.dropped == 0
    assert problem.offset == -1
    assert list(problem.cost) == [3, 2, 5, 4, 1]
    assert problem.num_rows >= 7


def test_highs_proves_the_same_optimum_as_cp_sat_on_guarded_rows() -> None:
    model = _guarded_model()
    optimum = _cp_optimum(model)

    bound = _bound(model)

    assert bound.bound == optimum


def test_a_constraint_that_is_not_linear_is_left_out_and_the_bound_stays_below() -> None:
    m = cp_model.CpModel()
    x = m.new_int_var(0, 6, "x")
    y = m.new_int_var(0, 6, "y")
    z = m.new_int_var(0, 36, "z")
    m.add_multiplication_equality(z, [x, y])
    m.add(z >= 12)
    m.minimize(x + y)
    optimum = _cp_optimum(m)  # x * y >= 12 with the least x + y: 3 + 4 = 7

    problem = mip_problem(m)
    bound = _bound(m)

    assert optimum == 7
    assert problem is not None and problem.dropped == 1
    assert bound.bound is not None and bound.bound <= optimum


def test_a_model_without_objective_gives_no_bound() -> None:
    m = cp_model.CpModel()
    x = m.new_bool_var("x")
    m.add(x == 1)

    assert mip_problem(m) is None
    assert _bound(m).bound is None


def test_the_bound_reads_a_snapshot_and_matches_cp_sat_on_a_small_roster() -> None:
    model = build_model(make_instance("S", seed=0))
    _fix_hard_literals(model, 1)
    exprs, coefs = model.objective_terms({"coverage_under", "coverage_over"})
    model.cp.minimize(cp_model.LinearExpr.weighted_sum(exprs, coefs))
    bound = MipBound(model.cp, time_limit_s=4, seed=0)
    model.cp.minimize(0)  # later changes are not seen

    bound.start()
    deadline = time.monotonic() + 30
    while not bound.finished and time.monotonic() < deadline:
        time.sleep(0.05)

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    solver.parameters.random_seed = 0
    solver.parameters.max_time_in_seconds = 5
    model.cp.minimize(cp_model.LinearExpr.weighted_sum(exprs, coefs))
    status = solver.solve(model.cp)
    assert status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    assert bound.bound is not None
    assert 0 < bound.bound <= solver.objective_value


def test_stop_ends_highs_at_once() -> None:
    model = build_model(make_instance("M", seed=0))
    _fix_hard_literals(model, 1)
    model.set_objective()
    bound = MipBound(model.cp, time_limit_s=120, seed=0).start()
    time.sleep(2.0)

    began = time.monotonic()
    bound.stop(timeout=30)

    assert bound.finished
    assert time.monotonic() - began < 30


class _FakeBound:
    """Stands in for :class:`MipBound` with a bound fixed in advance (objective units)."""

    value: float = 0.0
    offers = 0

    def __init__(self, *args: object, **kwargs: object) -> None:
        self.finished = False

    def start(self) -> _FakeBound:
        return self

    @property
    def bound(self) -> int:
        return round(self.value * OBJECTIVE_SCALE)

    def offer(self, values: object) -> None:
        type(self).offers += 1

    def stop(self, timeout: float = 5.0) -> None:
        self.finished = True


def test_solve_stops_once_the_mip_bound_proves_the_roster_and_says_optimal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys.modules["scheduler.roster.solve"], "MipBound", _FakeBound)
    _FakeBound.value = 10**9  # proves any roster: the first of the search ends it
    _FakeBound.offers = 0
    request = make_instance("M", seed=1)  # never proven by CP-SAT alone in seconds

    s = solve(request, SolveOptions(time_limit_s=16, workers=1, seed=0, mip_bound=True)).stats

    assert s.status == "OPTIMAL"
    assert s.best_bound == 10**9
    assert _FakeBound.offers >= 1
    # the first phase (service terms) takes half the time; the second stops at its first
    assert s.wall_time_s < 14  # roster, proven by the bound, not at the limit


def test_solve_keeps_cp_sat_s_bound_when_the_mip_bound_is_weaker(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys.modules["scheduler.roster.solve"], "MipBound", _FakeBound)
    _FakeBound.value = 0.0
    request = make_instance("S", seed=0)

    s = solve(request, SolveOptions(time_limit_s=5, workers=1, seed=0, mip_bound=True)).stats

    assert s.best_bound is not None and s.best_bound > 0


def test_highs_prints_nothing_on_standard_output() -> None:
    code = (
        "import time\n"
        "from ortools.sat.python import cp_model\n"
        "from scheduler.roster.mip_bound import MipBound\n"
        "m = cp_model.CpModel(); x = m.new_int_var(0, 3, 'x'); m.add(x >= 2); m.minimize(x)\n"
        "b = MipBound(m, time_limit_s=10).start()\n"
        "while not b.finished: time.sleep(0.01)\n"
        "print(b.bound)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )

    assert out.stdout == "2\n"


def test_the_bound_is_off_in_the_library() -> None:
    assert SolveOptions().mip_bound is False


def test_a_thread_can_lower_its_own_priority_only() -> None:
    import os
    import threading

    seen: list[int] = []

    def work() -> None:
        _lower_priority()
        seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()

    assert seen == [19]
    assert os.getpriority(os.PRIO_PROCESS, 0) < 19  # the rest of the process as it was
