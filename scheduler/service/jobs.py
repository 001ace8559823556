"""The in-process job queue: a few supervisor threads, each running one job in a child process.

A job waits in the queue until a slot is free (``workers`` slots), so a burst of requests
never runs more solves than the machine was given. Each job runs in a child process started
from a fork server that has the scheduler already imported: cancelling or exceeding the time
limit ends that process at once, even in the middle of a solve. Every state change is
written to the database; on start-up, jobs left ``running`` by a stopped service are marked
``interrupted`` (their inputs stay in the job folder) and queued jobs are queued again.
"""

from __future__ import annotations

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

    def job_dir(self, job_id: str) -> Path:
        """The folder of a job's inputs and outputs."""
        return self.settings.data_dir / "jobs" / job_id

    def start(self) -> None:
        """Settle jobs a previous run left behind, then start the supervisor threads."""
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
                self._queue.put(job_id)
        for n in range(max(1, self.settings.workers)):
            thread = threading.Thread(target=self._loop, name=f"roster-job-{n}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop running jobs (marked interrupted) and the threads; queued jobs stay queued."""
        self._stopping = True
        with self._lock:
            for event in self._cancel.values():
                event.set()
        for _ in self._threads:
            self._queue.put(None)
        for thread in self._threads:
            thread.join(timeout)
        self._threads.clear()

    def submit(self, job_id: str) -> None:
        """Queue a job already stored with status ``queued``."""
        self._queue.put(job_id)

    def cancel(self, job_id: str) -> bool:
        """Ask a queued or running job to stop; ``False`` if it had already finished."""
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

    def _update(self, job_id: str, **values: Any) -> None:
        with self.engine.begin() as conn:
            conn.execute(sa.update(JOBS).where(JOBS.c.id == job_id).values(**values))

    def _loop(self) -> None:
        while True:
            job_id = self._queue.get()
            if job_id is None:
                return
            try:
                self._run(job_id)
            except Exception as exc:  # keep the slot alive; the job records the reason
                self._update(
                    job_id, status="failed", finished_at=now(), message=f"service error: {exc}"
                )

    def _run(self, job_id: str) -> None:
        with self.engine.connect() as conn:
            job = conn.execute(sa.select(JOBS).where(JOBS.c.id == job_id)).first()
        if job is None or job.status != "queued":
            return
        if job.cancel_requested:
            self._update(job_id, status="cancelled", finished_at=now(), message="cancelled")
            return
        event = threading.Event()
        with self._lock:
            self._cancel[job_id] = event
        try:
            self._supervise(job, event)
        finally:
            with self._lock:
                self._cancel.pop(job_id, None)

    def _supervise(self, job: Any, cancel: threading.Event) -> None:
        from scheduler.service import worker

        job_id = job.id
        started = now()
        self._update(job_id, status="running", started_at=started, stage="start", progress=0.0)
        options = SolveOptions(
            time_limit_s=float(job.time_limit_s),
            workers=self.settings.solver_workers,
            seed=self.settings.seed,
        )
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
            ),
            name=f"roster-job-{job_id}",
        )
        process.start()
        sender.close()
        deadline = time.monotonic() + self.settings.job_time_limit_s
        outcome: tuple[Any, ...] | None = None
        stop_reason = ""
        while outcome is None:
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
