"""The in-process job queue: a few supervisor threads, each running one job in a child process.

A job waits in the queue until a slot is free (``workers`` slots), so a burst of requests
never runs more solves than the machine was given. Job processes run at a lower CPU
priority (``job_nice``), so the web process keeps its share of the cores while they solve.
Each job runs in a child process started from a fork server that has the scheduler already
imported: cancelling or exceeding the time limit ends that process at once, even in the
middle of a solve. Every state change is written to the database; on start-up, jobs left
``running`` by a stopped service are marked ``interrupted`` (their inputs stay in the job
folder) and queued jobs are queued again.
"""

from __future__ import annotations

import fcntl
import json
import multiprocessing
import queue
import threading
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from scheduler.roster.request import SolveOptions
from scheduler.service.db import JOBS, as_utc, now
from scheduler.service.settings import ServiceSettings

LOCK_FILE = "jobs.lock"
"""File in the data folder whose lock marks the one server process that runs jobs."""
POLL_S = 1.0
"""Seconds between looks for jobs and cancellations recorded by other server processes."""

_CONTEXT: Any = None
_CONTEXT_LOCK = threading.Lock()


def _context() -> Any:
    """The fork-server context, with the scheduler preloaded (created once per process)."""
    global _CONTEXT
    with _CONTEXT_LOCK:
        if _CONTEXT is None:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(["scheduler.service.worker"])
            _CONTEXT = ctx
        return _CONTEXT


class JobRunner:
    """Runs queued roster jobs in the background.

    Args:
        engine: The service database.
        settings: Pool size, time limits, solver settings and the data folder.
        history_db: URL of the history store the jobs read.
    """

    def __init__(self, engine: Engine, settings: ServiceSettings, history_db: str):
        self.engine = engine
        self.settings = settings
        self.history_db = history_db
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._threads: list[threading.Thread] = []
        self._cancel: dict[str, threading.Event] = {}
        self._lock = threading.Lock()
        self._stopping = False
        self._stopped = threading.Event()
        self._lock_file: Any = None
        self._poller: threading.Thread | None = None
        self._pending: set[str] = set()

    def job_dir(self, job_id: str) -> Path:
        """The folder of a job's inputs and outputs."""
        return self.settings.data_dir / "jobs" / job_id

    @property
    def leads(self) -> bool:
        """Whether this runner runs the jobs (it holds the data folder's job lock)."""
        return self._lock_file is not None

    def _take_lock(self) -> bool:
        """Take the data folder's job lock if no other server process holds it."""
        path = self.settings.data_dir / LOCK_FILE
        handle = path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._lock_file = handle
        return True

    def start(self) -> None:
        """Run jobs here if no other server process on the data folder does.

        The process that takes the job lock settles jobs a previous run left behind and
        starts the supervisor threads; every other process only records jobs, which the
        lock holder finds in the database. A process without the lock tries again every
        ``POLL_S`` seconds, so the jobs go on if the lock holder ends.
        """
        self._stopping = False
        self._stopped.clear()
        if self._take_lock():
            self._lead()
        self._poller = threading.Thread(target=self._poll, name="roster-job-poll", daemon=True)
        self._poller.start()

    def _lead(self) -> None:
        """Settle what a previous run left behind, then start the supervisor threads."""
        with self.engine.begin() as conn:
            conn.execute(
                sa.update(JOBS)
                .where(JOBS.c.status == "running")
                .values(
                    status="interrupted",
                    finished_at=now(),
                    message="the service stopped while this job ran; its inputs are kept, "
                    "start the job again",
                )
            )
            queued = conn.execute(
                sa.select(JOBS.c.id).where(JOBS.c.status == "queued").order_by(JOBS.c.created_at)
            ).scalars()
            for job_id in queued:
                self._enqueue(job_id)
        for n in range(max(1, self.settings.workers)):
            thread = threading.Thread(target=self._loop, name=f"roster-job-{n}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def _poll(self) -> None:
        """Take the lock when it is free; as lock holder, queue jobs other processes recorded."""
        while not self._stopped.wait(POLL_S):
            try:
                if not self.leads:
                    if self._take_lock():
                        self._lead()
                    continue
                with self.engine.connect() as conn:
                    queued = conn.execute(
                        sa.select(JOBS.c.id)
                        .where(JOBS.c.status == "queued")
                        .order_by(JOBS.c.created_at)
                    ).scalars()
                    for job_id in queued:
                        self._enqueue(job_id)
            except Exception:  # a database hiccup: try again at the next poll
                continue

    def stop(self, timeout: float = 10.0) -> None:
        """Stop running jobs (marked interrupted) and the threads; queued jobs stay queued."""
        self._stopping = True
        self._stopped.set()
        with self._lock:
            for event in self._cancel.values():
                event.set()
        for _ in self._threads:
            self._queue.put(None)
        for thread in self._threads:
            thread.join(timeout)
        self._threads.clear()
        if self._poller is not None:
            self._poller.join(timeout)
            self._poller = None
        if self._lock_file is not None:
            self._lock_file.close()  # releases the lock
            self._lock_file = None

    def submit(self, job_id: str) -> None:
        """Queue a job already stored with status ``queued``.

        Without the job lock the lock holder finds the job at its next poll.
        """
        if self.leads:
            self._enqueue(job_id)

    def _enqueue(self, job_id: str) -> None:
        """Put a job in the local queue unless it waits there already."""
        with self._lock:
            if job_id in self._pending:
                return
            self._pending.add(job_id)
        self._queue.put(job_id)

    def cancel(self, job_id: str) -> bool:
        """Ask a queued or running job to stop; ``False`` if it had already finished.

        The request is recorded in the database, so the lock holder stops the job even when
        another process received the request.
        """
        with self.engine.begin() as conn:
            done = conn.execute(
                sa.update(JOBS)
                .where(JOBS.c.id == job_id)
                .where(JOBS.c.status.in_(("queued", "running")))
                .values(cancel_requested=True)
            ).rowcount
        with self._lock:
            event = self._cancel.get(job_id)
        if event is not None:
            event.set()
        return bool(done)

    def _cancel_requested(self, job_id: str) -> bool:
        with self.engine.connect() as conn:
            return bool(
                conn.execute(sa.select(JOBS.c.cancel_requested).where(JOBS.c.id == job_id)).scalar()
            )

    def _update(self, job_id: str, **values: Any) -> None:
        with self.engine.begin() as conn:
            conn.execute(sa.update(JOBS).where(JOBS.c.id == job_id).values(**values))

    def _loop(self) -> None:
        while True:
            job_id = self._queue.get()
            if job_id is None:
                return
            with self._lock:
                self._pending.discard(job_id)
            try:
                self._run(job_id)
            except Exception as exc:  # keep the slot alive; the job records the reason
                self._update(
                    job_id, status="failed", finished_at=now(), message=f"service error: {exc}"
                )

    def _run(self, job_id: str) -> None:
        with self.engine.begin() as conn:  # claim the job: only one slot runs it
            claimed = conn.execute(
                sa.update(JOBS)
                .where(JOBS.c.id == job_id, JOBS.c.status == "queued")
                .values(status="running", started_at=now(), stage="start", progress=0.0)
            ).rowcount
            job = conn.execute(sa.select(JOBS).where(JOBS.c.id == job_id)).first()
        if not claimed or job is None:
            return
        if job.cancel_requested:
            self._update(
                job_id, status="cancelled", started_at=None, finished_at=now(), message="cancelled"
            )
            return
        event = threading.Event()
        with self._lock:
            self._cancel[job_id] = event
        try:
            self._supervise(job, event)
        finally:
            with self._lock:
                self._cancel.pop(job_id, None)

    def solve_options(self, time_limit_s: float) -> SolveOptions:
        """How a job of this server solves: its time limit, the server's workers and seed."""
        return SolveOptions(
            time_limit_s=time_limit_s,
            workers=self.settings.solver_workers,
            seed=self.settings.seed,
            deterministic=self.settings.deterministic,
        )

    def _supervise(self, job: Any, cancel: threading.Event) -> None:
        from scheduler.service import worker

        job_id = job.id
        options = self.solve_options(float(job.time_limit_s))
        ctx = _context()
        receiver, sender = ctx.Pipe(duplex=False)
        process = ctx.Process(
            target=worker.run_job,
            args=(
                str(self.job_dir(job_id)),
                job.week,
                job.pins_json,
                options,
                self.history_db,
                sender,
                self.settings.job_nice,
            ),
            name=f"roster-job-{job_id}",
        )
        process.start()
        sender.close()
        deadline = time.monotonic() + self.settings.job_time_limit_s
        next_check = time.monotonic() + POLL_S
        outcome: tuple[Any, ...] | None = None
        stop_reason = ""
        while outcome is None:
            if time.monotonic() >= next_check:  # cancelled through another server process
                next_check += POLL_S
                if self._cancel_requested(job_id):
                    cancel.set()
            if cancel.is_set():
                stop_reason = "shutdown" if self._stopping else "cancelled"
                break
            if time.monotonic() > deadline:
                stop_reason = "time limit"
                break
            try:
                ready = receiver.poll(0.2)
                message = receiver.recv() if ready else None
            except (EOFError, OSError):
                break
            if message is None:
                continue
            if message[0] == "progress":
                self._update(job_id, stage=str(message[1]), progress=float(message[2]))
            else:
                outcome = message
        if process.is_alive() and stop_reason:
            process.terminate()
        process.join(5)
        if process.is_alive():
            process.kill()
            process.join()
        receiver.close()
        finished = now()
        if stop_reason == "cancelled":
            self._update(job_id, status="cancelled", finished_at=finished, message="cancelled")
        elif stop_reason == "shutdown":
            self._update(
                job_id,
                status="interrupted",
                finished_at=finished,
                message="the service stopped while this job ran; its inputs are kept, "
                "start the job again",
            )
        elif stop_reason:
            limit = self.settings.job_time_limit_s
            self._update(
                job_id,
                status="failed",
                finished_at=finished,
                message=f"stopped at the job time limit of {limit:g} s",
            )
        elif outcome is None:
            self._update(
                job_id,
                status="failed",
                finished_at=finished,
                message=f"the job process ended unexpectedly (exit code {process.exitcode})",
            )
        elif outcome[0] == "done":
            self._update(
                job_id,
                status="succeeded",
                finished_at=finished,
                stage="done",
                progress=1.0,
                roster_status=outcome[1],
                message=outcome[2],
            )
        elif outcome[0] == "input_error":
            self._update(
                job_id,
                status="failed",
                finished_at=finished,
                message=json.dumps({"issues": outcome[1]}, ensure_ascii=False),
            )
        else:
            self._update(job_id, status="failed", finished_at=finished, message=str(outcome[1]))

    def elapsed(self, job: Any) -> float | None:
        """Seconds a job has run (so far, or in total)."""
        if job.started_at is None:
            return None
        end = as_utc(job.finished_at) if job.finished_at else now()
        return (end - as_utc(job.started_at)).total_seconds()
