"""The region run: the weekly job for every branch in parallel, then the shared float pool.

1. First pass: every branch (or, with ``rerun_failed``, only those that failed last time) is
   forecast, staffed and rostered by its own worker (:mod:`scheduler.region.engines`), each
   writing ``out/<branch>/`` atomically. Its solver limit is fixed, or derived from the
   run's time budget as it starts (:mod:`scheduler.region.budget`).
2. Float pool (when ``region.yaml`` lists floaters): the first-pass shortfalls decide which
   branch each floater joins per day (:func:`scheduler.region.floats.allocate_floaters`);
   the branches that receive floaters are rostered again with them, the new roster kept when
   it was found and leaves no larger weighted shortfall, and the gain (shortfall and weighted
   shortfall before/after) is reported per branch and for the region.
3. ``out/region_summary.csv`` (one row per branch), and with a pool
   ``out/float_allocation.csv``, all written atomically.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import shutil
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from scheduler.calendar import Horizon
from scheduler.errors import InputError, Issue
from scheduler.io.atomic import atomic_write_text
from scheduler.region.budget import CEILING_S, DEFAULT_BUDGET_S, BudgetClock, pool_reserve
from scheduler.region.engines import EventCallback, check_engine, run_tasks, session
from scheduler.region.floats import BranchNeed, FloatAssignment, FloatPlan, allocate_floaters
from scheduler.region.spec import Floater, load_region
from scheduler.region.worker import (
    RETRY_STATUSES,
    STATUS_OK,
    BranchOutcome,
    BranchTask,
    faults_from_env,
    swap_in,
)

SUMMARY_FILE = "region_summary.csv"
"""Per-branch summary file in the output folder."""
ALLOCATION_FILE = "float_allocation.csv"
"""Float pool allocation file in the output folder."""

SUMMARY_COLUMNS = (
    "branch",
    "status",
    "roster_status",
    "objective",
    "best_bound",
    "gap",
    "time_limit_s",
    "shortfall_hours",
    "weighted_shortfall",
    "shortfall_hours_before_pool",
    "weighted_shortfall_before_pool",
    "floaters",
    "forecast_s",
    "staffing_s",
    "roster_s",
    "wall_s",
    "peak_rss_mb",
    "error",
)
"""Columns of ``region_summary.csv``. ``*_before_pool`` are the first pass's figures of a
branch that received floaters (empty otherwise); ``wall_s`` covers both passes."""

ALLOCATION_COLUMNS = (
    "floater_id",
    "date",
    "branch",
    "expected_gain_hours",
    "expected_gain_weighted",
    "applied",
)
"""Columns of ``float_allocation.csv``. ``applied`` is ``no`` where the branch's roster with
its floaters was not kept: none was found in time, or it left a larger weighted shortfall
than the roster without them (a time-limited search can); the roster without them stays."""

MAX_ROOM_PER_POST = 4
"""Most extra people per post the need is sized with for the float pool: more floaters than
this on one post of one branch and day is not planned for."""

DEFAULT_RELATIVE_GAP = 0.01
"""A branch's solver stops once its roster is proven within 1% of the best possible: the
time saved goes to the branches after it (under a budget)."""

POOL_PASS_DIR = ".pool-pass"
"""Folder inside the output where the second pass writes before a branch's files are
swapped in."""


@dataclass(frozen=True)
class PoolReport:
    """The float pool's effect on the region.

    Attributes:
        plan: Which floater went where on which day, with the expected gains.
        before: Region staff-hours short and weighted shortfall without the pool.
        after: The same with the pool (branches without floaters keep their first pass).
    """

    plan: FloatPlan
    before: tuple[float, float]
    after: tuple[float, float]

    @property
    def gain(self) -> tuple[float, float]:
        """Staff-hours and weighted shortfall removed by the pool."""
        return (
            round(self.before[0] - self.after[0], 3),
            round(self.before[1] - self.after[1], 3),
        )


@dataclass(frozen=True)
class RegionResult:
    """What a region run produced.

    Attributes:
        outcomes: Final outcome of every branch run (this run, or kept from the last one
            when only failed branches were re-run).
        first_pass: First-pass outcomes of the branches that then received floaters.
        pool: The float pool's report (``None`` without a pool).
        summary: The ``region_summary.csv`` written.
        wall_s: Seconds for the whole run.
        budget_s: The run's time budget (``None`` with a fixed solver limit).
    """

    outcomes: dict[str, BranchOutcome]
    first_pass: dict[str, BranchOutcome]
    pool: PoolReport | None
    summary: Path
    wall_s: float
    budget_s: float | None = None

    @property
    def failed(self) -> list[str]:
        """Branches without a roster, in region order."""
        return [b for b, o in self.outcomes.items() if o.status != STATUS_OK]


def _num(value: float | None, digits: int = 3) -> str:
    """A number for the CSV files: rounded, empty when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{round(value, digits):g}" if abs(value) < 1e15 else str(value)


def _summary_row(o: BranchOutcome, before: BranchOutcome | None) -> dict[str, str]:
    """The summary row of a branch (``before``: its first pass when floaters joined)."""
    return {
        "branch": o.branch_id,
        "status": o.status,
        "roster_status": o.roster_status,
        "objective": _num(o.objective),
        "best_bound": _num(o.best_bound),
        "gap": _num(o.gap, 4),
        "time_limit_s": _num(o.time_limit_s, 1),
        "shortfall_hours": _num(o.shortfall_hours),
        "weighted_shortfall": _num(o.weighted_shortfall),
        "shortfall_hours_before_pool": _num(before.shortfall_hours) if before else "",
        "weighted_shortfall_before_pool": _num(before.weighted_shortfall) if before else "",
        "floaters": " ".join(o.floaters),
        "forecast_s": _num(o.timings.get("forecast")),
        "staffing_s": _num(o.timings.get("staffing")),
        "roster_s": _num(o.timings.get("roster")),
        "wall_s": _num(o.wall_s + (before.wall_s if before else 0.0)),
        "peak_rss_mb": _num(o.peak_rss_mb),
        "error": o.error,
    }


def _csv(rows: list[dict[str, str]], columns: tuple[str, ...]) -> str:
    """Rows as CSV text with a header."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def read_summary(out: str | Path) -> list[dict[str, str]]:
    """Rows of ``region_summary.csv`` in ``out`` (empty when there is none).

    Raises:
        InputError: If the file exists but lacks the expected columns.
    """
    path = Path(out) / SUMMARY_FILE
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in ("branch", "status") if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(
                [
                    Issue(
                        str(path),
                        "not a region summary",
                        location=1,
                        column=", ".join(missing),
                        allowed=", ".join(SUMMARY_COLUMNS),
                    )
                ]
            )
        return list(reader)


def read_allocation(out: str | Path, floaters: list[Floater]) -> list[FloatAssignment]:
    """The float allocation written by the last run in ``out`` (empty when there is none).

    Raises:
        InputError: If a row names a floater the region no longer has, or a bad date.
    """
    path = Path(out) / ALLOCATION_FILE
    if not path.exists():
        return []
    known = {f.id for f in floaters}
    out_rows, issues = [], []
    with path.open(encoding="utf-8", newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh), start=2):
            if row.get("floater_id") not in known:
                issues.append(
                    Issue(
                        str(path),
                        "floater not in the region's float pool",
                        location=i,
                        column="floater_id",
                        value=row.get("floater_id"),
                        allowed=", ".join(sorted(known)) or "(the pool is empty)",
                    )
                )
                continue
            try:
                day = dt.date.fromisoformat(row.get("date", ""))
            except ValueError:
                issues.append(
                    Issue(
                        str(path),
                        "not a date",
                        location=i,
                        column="date",
                        value=row.get("date"),
                        allowed="YYYY-MM-DD",
                    )
                )
                continue
            out_rows.append(
                FloatAssignment(
                    floater_id=row["floater_id"],
                    date=day,
                    branch_id=row.get("branch", ""),
                    gain_hours=float(row.get("expected_gain_hours") or 0),
                    gain_weighted=float(row.get("expected_gain_weighted") or 0),
                    applied=row.get("applied", "yes") != "no",
                )
            )
    if issues:
        raise InputError(issues)
    return out_rows


def pool_roster_refused(before: BranchOutcome, after: BranchOutcome) -> str:
    """Why a branch's roster with floaters is not kept (empty when it is kept).

    It is kept when it was found and leaves no larger weighted shortfall than the roster
    without floaters (a time-limited search can do worse on a larger model).
    """
    if after.status != STATUS_OK:
        return f"float pool: roster with floaters not used ({after.status}: {after.error})"
    if (after.weighted_shortfall or 0.0) > (before.weighted_shortfall or 0.0):
        return (
            "float pool: roster with floaters not used (weighted shortfall "
            f"{after.weighted_shortfall:g} > {before.weighted_shortfall:g} without)"
        )
    return ""


def _region_shortfall(outcomes: dict[str, BranchOutcome]) -> tuple[float, float]:
    """Staff-hours short and weighted shortfall summed over the branches with a roster."""
    ok = [o for o in outcomes.values() if o.status == STATUS_OK]
    return (
        round(sum(o.shortfall_hours or 0.0 for o in ok), 3),
        round(sum(o.weighted_shortfall or 0.0 for o in ok), 3),
    )


def run_region(
    region: str | Path,
    week: str,
    out: str | Path,
    *,
    workers: int = 2,
    time_limit_per_branch: float | None = None,
    budget_s: float | None = None,
    relative_gap: float = DEFAULT_RELATIVE_GAP,
    hard_timeout_s: float | None = None,
    engine: str = "local",
    rerun_failed: bool = False,
    use_pool: bool = True,
    solver_workers: int = 1,
    seed: int = 0,
    simulate: bool = False,
    reports: bool = False,
    on_event: EventCallback | None = None,
    on_note: Callable[[str], None] | None = None,
) -> RegionResult:
    """Run the weekly job for every branch of a region, then the float pool.

    Args:
        region: Region folder (with ``region.yaml``).
        week: ISO week to plan, e.g. ``2026-W49``.
        out: Output folder: ``<branch>/`` per branch, ``region_summary.csv``,
            ``float_allocation.csv``.
        workers: Branches run at the same time.
        time_limit_per_branch: A fixed solver limit per branch (seconds); when given, the
            budget is not used.
        budget_s: Wall-time budget of the whole run (default 600 s when no fixed limit is
            given): each branch's solver limit is derived from the time left as it starts
            (:mod:`scheduler.region.budget`).
        relative_gap: A branch's solver stops once the proven gap is below this.
        hard_timeout_s: A branch still running after this is stopped (default: twice the
            solver limit, or the budget's ceiling, plus 120 s for reading, forecasting and
            writing).
        engine: ``local`` (process pool) or ``ray``.
        rerun_failed: Run only the branches whose last status (in ``out``'s summary) was
            not ``ok``, with the floaters the last allocation gave them; keep the others.
        use_pool: Use the region's float pool (when it has one).
        solver_workers: CP-SAT workers inside each branch (keep workers x this <= cores).
        seed: CP-SAT seed.
        simulate: Run the day simulation for each roster.
        reports: Also write each branch's workbook, calendars and HTML report.
        on_event: Receives per-branch ``started``/``finished`` events.
        on_note: Receives a line per pass saying the solver limit derived from the budget.

    Returns:
        Every branch's outcome, the pool report and the summary file.

    Raises:
        InputError: If the region file, the week or the options are bad, or
            ``rerun_failed`` finds no earlier summary in ``out``.
    """
    import time

    t0 = time.perf_counter()
    clock_t0 = time.monotonic()
    spec = load_region(region)
    try:
        horizon = Horizon.iso_week(week)
    except ValueError as exc:
        raise InputError([Issue("--week", str(exc), value=week, allowed="e.g. 2026-W49")]) from None
    _check_limits(time_limit_per_branch, budget_s, relative_gap)
    check_engine(engine, workers)
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError([Issue(str(out), "the output is a file", allowed="a folder")])
    note = on_note or (lambda line: None)
    clock = None
    if time_limit_per_branch is None:
        clock = BudgetClock(budget_s or DEFAULT_BUDGET_S, workers, started_at=clock_t0)
    hard = hard_timeout_s or 2 * (time_limit_per_branch or CEILING_S) + 120.0
    base = BranchTask(
        region_folder=str(Path(region)),
        spec=spec,
        branch=spec.branches[0],
        week=week,
        out=str(out),
        time_limit_s=time_limit_per_branch or CEILING_S,
        solver_workers=solver_workers,
        seed=seed,
        simulate=simulate,
        reports=reports,
        relative_gap=relative_gap,
    )
    floaters = {f.id: f for f in spec.floaters}
    pool_on = use_pool and bool(spec.floaters)
    if pool_on:
        room: dict[str, int] = defaultdict(int)
        for f in spec.floaters:
            for post in f.posts:
                room[post] = min(room[post] + 1, MAX_ROOM_PER_POST)
        base = replace(base, room=tuple(sorted(room.items())))

    previous: dict[str, dict[str, str]] = {}
    given: dict[str, list[tuple[Floater, dt.date]]] = defaultdict(list)
    if rerun_failed:
        rows = read_summary(out)
        if not rows:
            raise InputError(
                [
                    Issue(
                        str(out / SUMMARY_FILE),
                        "no earlier region run to re-run the failed branches of",
                        allowed="run without --rerun-failed first",
                    )
                ]
            )
        previous = {r["branch"]: r for r in rows}
        todo = [
            b
            for b in spec.branches
            if b.id not in previous or previous[b.id]["status"] in RETRY_STATUSES
        ]
        if pool_on:
            for a in read_allocation(out, spec.floaters):
                if not a.applied:
                    continue
                given[a.branch_id].append((floaters[a.floater_id], a.date))
    else:
        todo = list(spec.branches)
    out.mkdir(parents=True, exist_ok=True)

    faults = faults_from_env()  # test hook: empty outside pytest
    tasks = [
        replace(base, branch=b, floaters=tuple(given.get(b.id, ())), fault=faults.get(b.id, ""))
        for b in todo
    ]

    def events(bid: str, event: str, outcome: BranchOutcome | None) -> None:
        if clock is not None and outcome is not None:
            clock.finish(outcome)
        if on_event is not None:
            on_event(bid, event, outcome)

    prepare = clock.start if clock is not None else None
    reserved = 0
    if pool_on and not rerun_failed:
        reserved = pool_reserve(len(todo), _floater_days(spec.floaters))
    if clock is None:
        note(f"solver limit {time_limit_per_branch:g} s per branch (fixed)")
    else:
        first = clock.begin_pass(len(tasks), reserved)
        pool_part = f" (+ {reserved} float-pool re-rosters planned)" if reserved else ""
        note(
            f"budget {_minutes(clock.budget_s)} for {_branches(len(tasks))}{pool_part} on "
            f"{workers} workers: solver limit {first:g} s per branch to start "
            f"({clock.floor_s:g}-{clock.ceiling_s:g} s, re-derived from the time left as "
            "each branch starts)"
        )
    with session(engine, workers):  # one Ray cluster for both passes
        outcomes = run_tasks(
            tasks,
            engine=engine,
            workers=workers,
            hard_timeout_s=hard,
            on_event=events,
            prepare=prepare,
        )
        if clock is not None:
            clock.end_pass()

        first_pass: dict[str, BranchOutcome] = {}
        pool: PoolReport | None = None
        if pool_on and not rerun_failed:
            needs = [
                BranchNeed(
                    branch_id=o.branch_id,
                    posts=frozenset(o.posts),
                    open_days=frozenset(o.open_days),
                    slot_minutes=o.slot_minutes,
                    short=o.short,
                )
                for o in outcomes.values()
                if o.status == STATUS_OK and o.short
            ]
            plan = allocate_floaters(spec.floaters, needs, horizon, seed=seed)
            before = _region_shortfall(outcomes)
            for a in plan.assignments:
                given[a.branch_id].append((floaters[a.floater_id], a.date))
            staging = out / POOL_PASS_DIR
            second = [
                replace(base, branch=spec.branch(bid), floaters=tuple(fl), out=str(staging))
                for bid, fl in given.items()
            ]
            applied: set[str] = set()
            if second and clock is not None:
                limit = clock.begin_pass(len(second))
                note(
                    f"float pool pass: {_branches(len(second))}, solver limit {limit:g} s to start "
                    f"({max(0.0, clock.time_left()):.0f} s of the budget left)"
                )
            if second:
                again = run_tasks(
                    second,
                    engine=engine,
                    workers=workers,
                    hard_timeout_s=hard,
                    on_event=events,
                    prepare=prepare,
                )
                for bid, o in again.items():
                    refused = pool_roster_refused(outcomes[bid], o)
                    if refused:  # keep the roster without floaters
                        outcomes[bid] = replace(outcomes[bid], error=refused[:500])
                        continue
                    swap_in(staging / bid, out / bid)
                    first_pass[bid] = outcomes[bid]
                    outcomes[bid] = o
                    applied.add(bid)
            shutil.rmtree(staging, ignore_errors=True)
            plan = replace(
                plan,
                assignments=tuple(
                    replace(a, applied=a.branch_id in applied) for a in plan.assignments
                ),
            )
            pool = PoolReport(plan, before, _region_shortfall(outcomes))
            alloc_rows = [
                {
                    "floater_id": a.floater_id,
                    "date": a.date.isoformat(),
                    "branch": a.branch_id,
                    "expected_gain_hours": _num(a.gain_hours),
                    "expected_gain_weighted": _num(a.gain_weighted),
                    "applied": "yes" if a.applied else "no",
                }
                for a in plan.assignments
            ]
            atomic_write_text(out / ALLOCATION_FILE, _csv(alloc_rows, ALLOCATION_COLUMNS))

    for bid, o in outcomes.items():
        if o.status != STATUS_OK:
            _clear_staging(out, bid)
    rows_out: list[dict[str, str]] = []
    for b in spec.branches:
        if b.id in outcomes:
            rows_out.append(_summary_row(outcomes[b.id], first_pass.get(b.id)))
        elif b.id in previous:
            rows_out.append({c: previous[b.id].get(c, "") for c in SUMMARY_COLUMNS})
    summary = atomic_write_text(out / SUMMARY_FILE, _csv(rows_out, SUMMARY_COLUMNS))
    ordered = {b.id: outcomes[b.id] for b in spec.branches if b.id in outcomes}
    return RegionResult(
        outcomes=ordered,
        first_pass=first_pass,
        pool=pool,
        summary=summary,
        wall_s=round(time.perf_counter() - t0, 3),
        budget_s=clock.budget_s if clock is not None else None,
    )


def _check_limits(
    time_limit_per_branch: float | None, budget_s: float | None, relative_gap: float
) -> None:
    """Refuse a non-positive solver limit or budget, or a relative gap outside [0, 1).

    Raises:
        InputError: Naming the option, the value and what is allowed.
    """
    issues = []
    if time_limit_per_branch is not None and time_limit_per_branch <= 0:
        issues.append(
            Issue(
                "--time-limit-per-branch",
                "must be positive",
                value=time_limit_per_branch,
                allowed="seconds > 0",
            )
        )
    if budget_s is not None and budget_s <= 0:
        issues.append(Issue("--budget", "must be positive", value=budget_s, allowed="e.g. 10m"))
    if not 0 <= relative_gap < 1:
        issues.append(
            Issue("--relative-gap", "out of range", value=relative_gap, allowed="0 <= gap < 1")
        )
    if issues:
        raise InputError(issues)


def _floater_days(floaters: list[Floater]) -> int:
    """Days the pool's floaters can be sent out in the week, summed over the floaters."""
    return sum(min(f.max_days, len(f.days) or 7) for f in floaters)


def _branches(n: int) -> str:
    """``1 branch``, ``2 branches``."""
    return f"{n} branch" if n == 1 else f"{n} branches"


def _minutes(seconds: float) -> str:
    """A budget in words: ``10 min`` or ``90 s``."""
    return f"{seconds / 60:g} min" if seconds >= 60 else f"{seconds:g} s"


def _clear_staging(out: Path, branch_id: str) -> None:
    """Remove what a branch that died while writing left in its staging folders."""
    for leftover in out.glob(f".staging-{branch_id}-*"):
        shutil.rmtree(leftover, ignore_errors=True)
