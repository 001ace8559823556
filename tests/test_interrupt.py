"""Ctrl-C stops a solve at once and reaches the caller (a stopped run writes nothing)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ortools.sat.python import cp_model

from scheduler.interrupt import solve_interruptibly

_SCRIPT = """
import os, signal, sys, threading, time
from ortools.sat.python import cp_model
from scheduler.instances import make_instance
from scheduler.interrupt import solve_interruptibly
from scheduler.roster.solve import build_model

model = build_model(make_instance("M", 0))  # not proven optimal within minutes
model.set_objective()
solver = cp_model.CpSolver()
solver.parameters.max_time_in_seconds = 60
solver.parameters.num_workers = 1
solver.parameters.random_seed = 0
threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGINT)).start()
started = time.perf_counter()
try:
    solve_interruptibly(solver, model.cp)
except KeyboardInterrupt:
    print(f"interrupted after {time.perf_counter() - started:.1f} s")
    sys.exit(0)
print("not interrupted")
sys.exit(1)
"""


def test_ctrl_c_stops_the_search_and_is_raised():
    """SIGINT a second into a 60-second solve raises KeyboardInterrupt before the limit.

    CP-SAT's own handling would return as if the time limit had come. Run in a process of
    its own, so the signal reaches nothing else.
    """
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT], capture_output=True, text=True, timeout=120, cwd=root
    )
    assert done.returncode == 0, done.stdout + done.stderr
    seconds = float(done.stdout.split()[2])
    assert seconds < 30


def test_a_plain_solve_returns_its_status():
    """Without an interrupt the status comes back as from ``solver.solve``."""
    model = cp_model.CpModel()
    x = model.new_int_var(0, 5, "x")
    model.maximize(x)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solve_interruptibly(solver, model) == cp_model.OPTIMAL
    assert solver.value(x) == 5


def test_solver_errors_reach_the_caller():
    """An exception inside the solve thread (here from a callback) is raised to the caller."""

    class Boom(cp_model.CpSolverSolutionCallback):
        def on_solution_callback(self) -> None:
            raise ValueError("from the callback")

    model = cp_model.CpModel()
    model.new_int_var(0, 5, "x")
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    try:
        solve_interruptibly(solver, model, Boom())
    except ValueError as exc:
        assert "from the callback" in str(exc)
