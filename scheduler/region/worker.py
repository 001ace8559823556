"""One branch of a region run: the whole weekly job, its files and a small picklable outcome.

:func:`run_branch` never raises: bad files, an infeasible roster or a crash of the pipeline
become an :class:`BranchOutcome` with a status, so one branch cannot stop the region. Its
files are written into a staging folder next to ``out/<branch>`` and swapped in only when
complete, so a branch folder always holds one whole run.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
import signal
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from scheduler.errors import InputError, Issue
from scheduler.region.metrics import ShortSlot, need_with_room, short_slots, shortfall
from scheduler.region.spec import Floater, RegionBranch, RegionSpec

STATUS_OK = "ok"
"""A roster was found and written."""
STATUS_INFEASIBLE = "infeasible"
"""The pipeline ran; no roster satisfies the hard rules (conflicts are written)."""
STATUS_NO_SOLUTION = "no_solution"
"""The solver found no roster within the time limit."""
STATUS_FAILED = "failed"
"""Bad input or a crash; ``error`` says what."""
STATUS_TIMEOUT = "timeout"
"""The branch was stopped at the hard process timeout."""

RETRY_STATUSES = frozenset({STATUS_FAILED, STATUS_TIMEOUT, STATUS_NO_SOLUTION})
"""Statuses ``--rerun-failed`` runs again."""

FAULT_ENV = "BRANCH_ROSTER_TEST_FAULTS"
"""Test hook: ``branch=mode,branch=mode`` makes those branches' workers die (see
:func:`inject_fault`). Read by the driver, only while pytest runs a test, and carried in the
task, so it reaches a worker on any engine."""
FAULT_MODES = ("exit", "kill", "segv", "memory")
"""How a test can make a worker die: ``os._exit``, SIGKILL (as the kernel's out-of-memory
killer does), a segmentation fault in native code, or a memory blow-up past a limit."""


@dataclass(frozen=True)
class BranchTask:
    """What one worker runs.

    Attributes:
        region_folder: The region folder.
        spec: The region (for lazily generated branch folders).
        branch: The branch entry.
        week: ISO week to plan.
        out: The region's output folder; the branch writes ``out/<branch id>/``.
        time_limit_s: Solver limit.
        solver_workers: CP-SAT workers inside the branch.
        seed: CP-SAT seed.
        simulate: Run the day simulation of the roster.
        reports: Also write the workbook, calendars and HTML report.
        floaters: Floaters added for the day given (second pass of the float pool).
        room: Extra people per post the shortfall is measured with (the floaters of the
            region's pool qualified for the post); empty = the roster's own requirements.
        relative_gap: The solver stops once the proven gap is below this.
        fault: Test hook only (one of :data:`FAULT_MODES`): the worker dies this way.
    """

    region_folder: str
    spec: RegionSpec
    branch: RegionBranch
    week: str
    out: str
    time_limit_s: float = 30.0
    solver_workers: int = 1
    seed: int = 0
    simulate: bool = False
    reports: bool = False
    floaters: tuple[tuple[Floater, dt.date], ...] = ()
    room: tuple[tuple[str, int], ...] = ()
    relative_gap: float = 0.0
    fault: str = ""


@dataclass(frozen=True)
class BranchOutcome:
    """What one branch's run produced (small and picklable).

    Attributes:
        branch_id: The branch.
        status: One of ``ok``, ``infeasible``, ``no_solution``, ``failed``, ``timeout``.
        roster_status: CP-SAT status of the roster solve (empty when it did not run).
        objective: Roster objective.
        best_bound: Proven bound on it.
        gap: Relative gap.
        shortfall_hours: Staff-hours short over the week.
        weighted_shortfall: Staff-hours short weighted by wait (person-hour x minutes).
        timings: Seconds per stage (``forecast``, ``staffing``, ``roster``, ...).
        wall_s: Seconds from start to files written.
        error: What went wrong (for failed, timed-out or infeasible branches).
        posts: Posts the branch has.
        open_days: Days the branch opens in the horizon.
        slot_minutes: Planning slot length.
        short: Slot-posts left short (for the float pool).
        floaters: Floater ids the run included.
        peak_rss_mb: Peak resident memory of the process that ran the branch (MiB).
        time_limit_s: Solver limit the branch was given (``None`` when it did not solve).
    """

    branch_id: str
    status: str
    roster_status: str = ""
    objective: float | None = None
    best_bound: float | None = None
    gap: float | None = None
    shortfall_hours: float | None = None
    weighted_shortfall: float | None = None
    timings: dict[str, float] = field(default_factory=dict)
    wall_s: float = 0.0
    error: str = ""
    posts: tuple[str, ...] = ()
    open_days: tuple[dt.date, ...] = ()
    slot_minutes: int = 60
    short: tuple[ShortSlot, ...] = ()
    floaters: tuple[str, ...] = ()
    peak_rss_mb: float | None = None
    time_limit_s: float | None = None


def peak_rss_mb() -> float | None:
    """Peak resident memory of this process in MiB (``None`` where it cannot be read)."""
    try:
        import resource
    except ImportError:  # not on this platform
        return None
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def failed(branch_id: str, status: str, error: str, wall_s: float = 0.0) -> BranchOutcome:
    """An outcome for a branch that produced no roster."""
    return BranchOutcome(branch_id=branch_id, status=status, error=error, wall_s=wall_s)


def death_reason(exitcode: int | None) -> str:
    """Why a worker process ended without sending a result, from its exit code."""
    if exitcode is None:
        return "worker process ended without a result"
    if exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        cause = {
            "SIGKILL": "out of memory, or killed from outside",
            "SIGSEGV": "a crash in native code",
            "SIGABRT": "aborted by native code",
            "SIGBUS": "a crash in native code",
        }.get(name, "stopped from outside")
        return f"worker process died without a result: killed by {name} ({cause})"
    return f"worker process died without a result: exit code {exitcode}"


def faults_from_env() -> dict[str, str]:
    """Branch -> fault mode from :data:`FAULT_ENV`, honoured only while pytest runs a test."""
    text = os.environ.get(FAULT_ENV, "")
    if not text or "PYTEST_CURRENT_TEST" not in os.environ:
        return {}
    pairs = (item.partition("=") for item in text.split(",") if item.strip())
    return {b.strip(): m.strip() for b, _, m in pairs if m.strip() in FAULT_MODES}


def inject_fault(mode: str) -> None:
    """Make this worker process die as ``mode`` says (test hook; see :data:`FAULT_MODES`)."""
    if mode == "exit":
        os._exit(70)
    if mode == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    if mode == "segv":
        import ctypes

        ctypes.string_at(0)  # reads address 0: SIGSEGV
    if mode == "memory":
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (256 * 2**20 + _address_space(), hard))
        try:
            blocks = [bytearray(64 * 2**20) for _ in range(64)]  # 4 GiB: over the limit
            del blocks
        finally:
            resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _address_space() -> int:
    """Bytes of virtual memory this process maps now (Linux; 0 elsewhere)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def _input_files(folder: Path) -> tuple[Path, Path, list[Path]]:
    """The configuration, traffic and availability files of a branch folder."""
    traffic = next(
        (p for p in (folder / "traffic.csv.gz", folder / "traffic.csv") if p.exists()),
        folder / "traffic.csv.gz",
    )
    avail_dir = folder / "availability"
    availability = (
        sorted(p for p in avail_dir.iterdir() if p.suffix.lower() in (".csv", ".xlsx"))
        if avail_dir.is_dir()
        else []
    )
    return folder / "branch.yaml", traffic, availability


def swap_in(staging: Path, final: Path) -> None:
    """Replace the folder ``final`` by the complete folder ``staging`` (same file system)."""
    old = None
    if final.exists():
        old = final.with_name(f".old-{final.name}-{os.getpid()}")
        final.rename(old)
    staging.rename(final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _write(task: BranchTask, result: object, inputs: object, outcome: BranchOutcome) -> None:
    """Write the branch's files into a staging folder, then swap it in as ``out/<branch>``."""
    from scheduler.pipeline import PipelineInputs, PipelineResult
    from scheduler.roster.files import write_result_files

    assert isinstance(result, PipelineResult) and isinstance(inputs, PipelineInputs)
    out = Path(task.out)
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".staging-{task.branch.id}-", dir=out))
    try:
        result.forecast.to_csv(staging / "forecast.csv", index=False)
        result.requirements.to_csv(staging / "requirements.csv", index=False)
        write_result_files(result.roster, staging)
        if result.simulation is not None:
            result.simulation.to_csv(staging / "simulation.csv", index=False)
        if task.reports and result.roster.feasible:
            from scheduler.reports import write_all

            write_all(
                result.roster,
                inputs.config,
                staging,
                availability=inputs.availability,
                forecast=result.forecast,
                requirements=result.requirements,
                simulation=result.simulation,
            )
        if task.floaters:
            lines = ["floater_id,date"] + [f"{f.id},{d.isoformat()}" for f, d in task.floaters]
            (staging / "floaters.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        swap_in(staging, out / task.branch.id)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def run_branch(task: BranchTask) -> BranchOutcome:
    """Run the weekly job for one branch of the region and write its files.

    Returns:
        The outcome; never raises for bad input, infeasibility or a crash in the pipeline.
    """
    import warnings

    t0 = time.perf_counter()
    bid = task.branch.id
    try:
        if task.fault:
            inject_fault(task.fault)
        from scheduler.io.config_file import load_config
        from scheduler.pipeline import load_inputs, run_pipeline
        from scheduler.region.floats import with_floaters
        from scheduler.region.generate import ensure_branch, open_days
        from scheduler.roster.request import SolveOptions

        folder = ensure_branch(task.region_folder, task.spec, task.branch)
        config_path, traffic, availability = _input_files(folder)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # The id is checked before the traffic and availability are read: their own
            # checks would otherwise blame those files for a configuration of another branch.
            config_id = load_config(config_path).branch.id
            if config_id != bid:
                raise InputError(
                    [
                        Issue(
                            str(config_path),
                            f"the configuration is for another branch than region entry {bid}",
                            location="branch.id",
                            column="id",
                            value=config_id,
                            allowed=bid,
                        )
                    ]
                )
            inputs = load_inputs(config_path, traffic, availability, task.week)
            own = inputs.config
            if task.floaters:
                config, avail = with_floaters(
                    inputs.config, inputs.availability, inputs.horizon, list(task.floaters)
                )
                inputs = dataclasses.replace(inputs, config=config, availability=avail)
            options = SolveOptions(
                time_limit_s=task.time_limit_s,
                workers=task.solver_workers,
                seed=task.seed,
                relative_gap=task.relative_gap,
            )
            result = run_pipeline(inputs, options=options, simulate=task.simulate)
            roster = result.roster
            need = result.requirements
            if task.room:
                need = need_with_room(result.forecast, own, dict(task.room))
        slots = short_slots(need, roster.coverage, own.branch.slot_minutes)
        hours, weighted = shortfall(slots) if roster.feasible else (None, None)
        if roster.feasible:
            status = STATUS_OK
        elif roster.status == "INFEASIBLE":
            status = STATUS_INFEASIBLE
        else:
            status = STATUS_NO_SOLUTION
        error = "; ".join(c.message for c in roster.conflicts)[:500]
        if status == STATUS_NO_SOLUTION:
            error = f"no roster found within {task.time_limit_s:g} s ({roster.status})"
        outcome = BranchOutcome(
            branch_id=bid,
            status=status,
            roster_status=roster.status,
            objective=roster.stats.objective,
            best_bound=roster.stats.best_bound,
            gap=roster.stats.gap,
            shortfall_hours=hours,
            weighted_shortfall=weighted,
            timings={k: round(v, 3) for k, v in result.timings.items()},
            error=error,
            posts=tuple(p.id for p in own.posts),
            open_days=tuple(open_days(own, inputs.horizon)),
            slot_minutes=own.branch.slot_minutes,
            short=tuple(slots),
            floaters=tuple(sorted({f.id for f, _ in task.floaters})),
            time_limit_s=task.time_limit_s,
        )
        _write(task, result, inputs, outcome)
        return dataclasses.replace(
            outcome, wall_s=round(time.perf_counter() - t0, 3), peak_rss_mb=peak_rss_mb()
        )
    except InputError as exc:
        text = "; ".join(str(i) for i in exc.errors)[:1000]
        return failed(bid, STATUS_FAILED, text, round(time.perf_counter() - t0, 3))
    except Exception as exc:
        last = traceback.extract_tb(exc.__traceback__)[-1]
        where = f"{Path(last.filename).name}:{last.lineno}"
        text = f"{type(exc).__name__}: {exc} (at {where})"[:1000]
        if isinstance(exc, MemoryError):
            text = f"out of memory: MemoryError (at {where})"
        return failed(bid, STATUS_FAILED, text, round(time.perf_counter() - t0, 3))
