"""Where branch tasks run: a local process pool (embedded default) or a Ray cluster.

Both engines run :func:`scheduler.region.worker.run_branch` once per task, at most ``workers``
at a time, stop a task that exceeds its hard timeout, and turn a crashed worker into a failed
outcome, so one branch never stops the others.

* ``local``: one fresh process per branch from a ``forkserver`` that has imported the
  pipeline once (so a branch starts in milliseconds, and a killed or crashed branch takes
  nothing else with it). Needs nothing beyond the core install.
* ``ray``: the same function as a Ray task (``pip install 'branch-roster[region]'``); on one
  machine ``ray.init`` starts a local cluster, on a cluster it joins the one given by
  ``RAY_ADDRESS``. Branch folders and the output folder must be on storage every node sees.
"""

from __future__ import annotations

import multiprocessing as mp
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection, wait
from typing import Any

from scheduler.errors import InputError, Issue
from scheduler.region.worker import (
    STATUS_FAILED,
    STATUS_TIMEOUT,
    BranchOutcome,
    BranchTask,
    death_reason,
    failed,
    run_branch,
)

ENGINES = ("local", "ray")
"""Engine names accepted by :func:`run_tasks`."""

EventCallback = Callable[[str, str, BranchOutcome | None], None]
"""Called with (branch id, ``started`` or ``finished``, the outcome when finished)."""

PrepareTask = Callable[[BranchTask], BranchTask]
"""Called with each task just before it starts; returns the task to run (e.g. with the
solver limit the time budget gives it then)."""

_PRELOAD = ["scheduler.region.worker", "scheduler.pipeline", "forecasting", "scheduler.roster"]


POLL_S = 0.5
"""Longest wait between looks at the running branches."""


def _next_check(starts: Iterable[float], hard_timeout_s: float) -> float:
    """Seconds until the next look: the poll interval, or sooner when a deadline comes first."""
    now = time.monotonic()
    until = [s + hard_timeout_s - now for s in starts]
    return max(0.0, min([POLL_S, *until]))


def _child(task: BranchTask, conn: Connection) -> None:
    """Entry point of a local worker process: run the branch, send the outcome back."""
    try:
        conn.send(run_branch(task))
    finally:
        conn.close()


def _local(
    tasks: list[BranchTask],
    workers: int,
    hard_timeout_s: float,
    on_event: EventCallback,
    prepare: PrepareTask,
) -> dict[str, BranchOutcome]:
    """Run the tasks in fresh processes from a forkserver, at most ``workers`` at a time."""
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(_PRELOAD)
    pending = list(tasks)
    running: dict[str, tuple[Any, Connection, float]] = {}
    done: dict[str, BranchOutcome] = {}
    while pending or running:
        while pending and len(running) < workers:
            task = prepare(pending.pop(0))
            recv, send = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_child, args=(task, send), name=f"branch-{task.branch.id}")
            proc.start()
            send.close()
            running[task.branch.id] = (proc, recv, time.monotonic())
            on_event(task.branch.id, "started", None)
        handles = [h for proc, recv, _ in running.values() for h in (recv, proc.sentinel)]
        wait(handles, timeout=_next_check((s for _, _, s in running.values()), hard_timeout_s))
        now = time.monotonic()
        for bid, (proc, recv, started) in list(running.items()):
            outcome = None
            if recv.poll():  # a result, or the end of the pipe when the worker died
                try:
                    outcome = recv.recv()
                except EOFError:
                    outcome = None
                proc.join(timeout=10)
                if outcome is None:
                    outcome = _died(bid, proc, started, now)
            elif not proc.is_alive():
                outcome = _died(bid, proc, started, now)
            elif now - started > hard_timeout_s:
                proc.kill()
                proc.join()
                outcome = _timed_out(bid, hard_timeout_s, now - started)
            else:
                continue
            recv.close()
            del running[bid]
            done[bid] = outcome
            on_event(bid, "finished", outcome)
    return done


def _timed_out(branch_id: str, hard_timeout_s: float, elapsed_s: float) -> BranchOutcome:
    """The outcome of a branch stopped at the engine's hard timeout."""
    return failed(
        branch_id,
        STATUS_TIMEOUT,
        f"stopped after the hard timeout of {hard_timeout_s:g} s",
        round(elapsed_s, 3),
    )


def _died(bid: str, proc: Any, started: float, now: float) -> BranchOutcome:
    """The failed outcome of a worker process that ended without sending a result."""
    proc.join()
    return failed(bid, STATUS_FAILED, death_reason(proc.exitcode), round(now - started, 3))


def _ray(
    tasks: list[BranchTask],
    workers: int,
    hard_timeout_s: float,
    on_event: EventCallback,
    prepare: PrepareTask,
) -> dict[str, BranchOutcome]:
    """Run the tasks as Ray tasks (starting a local cluster when none is running)."""
    import ray

    with session("ray", workers):
        return _ray_tasks(ray, tasks, workers, hard_timeout_s, on_event, prepare)


@contextmanager
def session(engine: str, workers: int) -> Iterator[None]:
    """Keep the engine up across several :func:`run_tasks` calls (Ray: one local cluster).

    Ray is started here only when it is not running yet, and then shut down on leaving; the
    local pool needs no session.
    """
    if engine != "ray":
        yield
        return
    import ray

    started_here = not ray.is_initialized()
    if started_here:
        ray.init(
            num_cpus=workers,
            include_dashboard=False,
            log_to_driver=False,
            configure_logging=False,
        )
    try:
        yield
    finally:
        if started_here:
            ray.shutdown()


def _ray_tasks(
    ray: Any,
    tasks: list[BranchTask],
    workers: int,
    hard_timeout_s: float,
    on_event: EventCallback,
    prepare: PrepareTask,
) -> dict[str, BranchOutcome]:
    """Submit at most ``workers`` tasks at a time; cancel those past the hard timeout."""
    remote = ray.remote(num_cpus=1, max_retries=0)(run_branch)
    pending = list(tasks)
    running: dict[Any, tuple[str, float]] = {}
    done: dict[str, BranchOutcome] = {}
    while pending or running:
        while pending and len(running) < workers:
            task = prepare(pending.pop(0))
            running[remote.remote(task)] = (task.branch.id, time.monotonic())
            on_event(task.branch.id, "started", None)
        timeout = _next_check((s for _, s in running.values()), hard_timeout_s)
        ready, _ = ray.wait(list(running), num_returns=1, timeout=timeout)
        now = time.monotonic()
        for ref in list(running):
            bid, started = running[ref]
            if ref in ready:
                try:
                    outcome = ray.get(ref)
                except Exception as exc:  # a crashed Ray worker
                    outcome = failed(bid, STATUS_FAILED, ray_failure(exc), round(now - started, 3))
            elif now - started > hard_timeout_s:
                ray.cancel(ref, force=True)
                outcome = _timed_out(bid, hard_timeout_s, now - started)
            else:
                continue
            del running[ref]
            done[bid] = outcome
            on_event(bid, "finished", outcome)
    return done


RAY_WORKER_DEATHS = frozenset({"WorkerCrashedError", "OutOfMemoryError", "NodeDiedError"})
"""Ray errors raised when the process running a task died."""


def ray_failure(exc: Exception) -> str:
    """Why a Ray task gave no outcome, in one line (``run_branch`` itself never raises)."""
    name = type(exc).__name__
    if name in RAY_WORKER_DEATHS:
        return (
            f"Ray worker died without a result ({name}: out of memory, a crash in native "
            "code, or killed from outside)"
        )
    lines = str(exc).strip().splitlines()
    return f"Ray task failed: {name}: {lines[0] if lines else ''}"[:500]


def ray_available() -> bool:
    """Whether the Ray engine can be used (Ray is installed)."""
    try:
        import ray  # noqa: F401
    except ImportError:
        return False
    return True


def check_engine(engine: str, workers: int) -> None:
    """Refuse an unknown engine, a missing Ray install or fewer than one worker.

    Raises:
        InputError: Naming the option, the value and what is allowed.
    """
    if engine not in ENGINES:
        raise InputError(
            [Issue("--engine", "unknown engine", value=engine, allowed=", ".join(ENGINES))]
        )
    if engine == "ray" and not ray_available():
        raise InputError(
            [
                Issue(
                    "--engine",
                    "Ray is not installed",
                    value=engine,
                    allowed="pip install 'branch-roster[region]', or --engine local",
                )
            ]
        )
    if workers < 1:
        raise InputError(
            [Issue("--workers", "needs at least one worker", value=workers, allowed="1, 2, ...")]
        )


def run_tasks(
    tasks: Iterable[BranchTask],
    *,
    engine: str = "local",
    workers: int = 2,
    hard_timeout_s: float = 600.0,
    on_event: EventCallback | None = None,
    prepare: PrepareTask | None = None,
) -> dict[str, BranchOutcome]:
    """Run branch tasks in parallel and collect every outcome.

    Args:
        tasks: One task per branch.
        engine: ``local`` (process pool) or ``ray``.
        workers: Branches run at the same time.
        hard_timeout_s: A branch still running after this many seconds is stopped.
        on_event: Receives ``started``/``finished`` events per branch.
        prepare: Gives each task its final form just before it starts (default: as is).

    Returns:
        The outcome of every task, by branch id.

    Raises:
        InputError: If the engine is unknown or not installed, or ``workers`` < 1.
    """
    check_engine(engine, workers)
    report = on_event or (lambda bid, event, outcome: None)
    run = _local if engine == "local" else _ray
    return run(list(tasks), workers, hard_timeout_s, report, prepare or (lambda task: task))
