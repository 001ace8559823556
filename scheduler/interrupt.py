"""CP-SAT solves that stop at once on Ctrl-C, so a stopped run writes nothing.

CP-SAT's own Ctrl-C handling ends the search and returns the best roster so far as if the
time limit had come: the run would then go on and overwrite last week's files with a roster
the user meant to abandon. Here CP-SAT leaves the signal to Python, the solve runs in a
helper thread (it releases the interpreter while it searches) and the main thread waits in
short steps, so Python's ``KeyboardInterrupt`` arrives within a fraction of a second: the
search is stopped, and the interrupt goes on up to the command line (exit code 130).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from ortools.sat.python import cp_model

WAIT_STEP_S = 0.1
"""How often the main thread wakes to let Python deliver a Ctrl-C."""


def solve_interruptibly(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    callback: cp_model.CpSolverSolutionCallback | None = None,
    stop_when: Callable[[], bool] | None = None,
) -> cp_model.CpSolverStatus:
    """``solver.solve(model, callback)``, stopped at once by Ctrl-C.

    Args:
        solver: The solver, its parameters set.
        model: The model.
        callback: Told of each solution.
        stop_when: Asked every :data:`WAIT_STEP_S` seconds; the search stops (as at its
            time limit) once it answers true, e.g. when another solver has proven the best
            roster so far good enough.

    Raises:
        KeyboardInterrupt: When interrupted; the search has then been stopped.
    """
    solver.parameters.catch_sigint_signal = False
    main = threading.current_thread() is threading.main_thread()
    if not main and stop_when is None:
        return solver.solve(model, callback)  # signals only ever reach the main thread
    outcome: dict[str, object] = {}
    done = threading.Event()

    def work() -> None:
        try:
            outcome["status"] = solver.solve(model, callback)
        except BaseException as exc:  # handed to the caller's thread below
            outcome["error"] = exc
        finally:
            done.set()

    threading.Thread(target=work, name="cp-sat", daemon=True).start()
    try:
        # Event.wait, not Thread.join: an interrupted join leaves the thread's state wrong
        while not done.is_set():
            done.wait(WAIT_STEP_S)
            if stop_when is not None and not done.is_set() and stop_when():
                solver.stop_search()
                stop_when = None
    except KeyboardInterrupt:
        solver.stop_search()
        done.wait()
        raise
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["status"]  # type: ignore[return-value]
