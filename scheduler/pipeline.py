"""The whole weekly job for one branch: history -> forecast -> requirements -> roster -> files.

Each stage takes the previous stage's frame as it is; this module only wires them together,
so that the CLI's ``run`` command, the HTTP service and the region runner share one path.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pandas as pd

from scheduler.calendar import BranchCalendar, Horizon, week_horizon
from scheduler.domain import Availability, BranchConfig
from scheduler.errors import InputError, Issue
from scheduler.io.config_file import load_config
from scheduler.roster.request import Pin, RosterRequest, SolveOptions
from scheduler.roster.result import RosterResult

if TYPE_CHECKING:
    from scheduler.roster.solve import Progress

ProgressCallback = Callable[[str, float], None]
"""Called with a stage name and the fraction of the whole job done (0..1)."""

SAMPLE_WEEK = "2026-W49"
"""The week the bundled sample branch's availability files are written for."""


@dataclass(frozen=True)
class PipelineInputs:
    """Everything the weekly job reads.

    Attributes:
        config: Branch configuration.
        history: Traffic history (:data:`scheduler.frames.HISTORY_COLUMNS`).
        availability: Staff declarations and leave for the horizon.
        horizon: The days to plan.
        pins: Assignments the manager fixed.
        events: Known events frame for the forecaster (optional).
        source: Where the inputs came from (for reports).
        warnings: Problems found in the files that were repaired (e.g. duplicated rows
            dropped); the run goes on and reports them.
        history_db: The roster history store (SQLAlchemy URL or SQLite path) to read
            rotation-quota progress, the shifts worked just before the horizon and leave
            booked there; ``None`` plans the week on its own.
        repair: Re-solve against the roster already published for the horizon, changing as
            little as possible (e.g. after a sick call); needs ``history_db``.
        repair_scope: What a repair may change: ``"days"`` only the days on which the
            published roster no longer fits, ``"week"`` any day (see ``RosterRequest``).
    """

    config: BranchConfig
    history: pd.DataFrame
    availability: Availability
    horizon: Horizon
    pins: tuple[Pin, ...] = ()
    events: pd.DataFrame | None = None
    source: str = ""
    warnings: tuple[Issue, ...] = ()
    history_db: str | None = None
    repair: bool = False
    repair_scope: Literal["days", "week"] = "days"


LEAVE_DAYS_AFTER = 7
"""Days of booked leave after the horizon read from the store: a person due to cover an A/B
partner's leave then must not end the week unable to work (``max_consecutive_days``)."""

HISTORY_DAYS_BEFORE = 14
"""Days of published shifts before the horizon handed to the rules that look back (rest,
consecutive days, weekends)."""


def _leave_from_store(frame: pd.DataFrame) -> Availability:
    """Leave recorded in the history store as approved leave requests."""
    from scheduler.domain import LeaveKind, LeaveRequest

    kinds = {k.value for k in LeaveKind}
    leave = [
        LeaveRequest(
            staff_id=str(r.staff_id),
            start_date=pd.Timestamp(r.start_date).date(),
            end_date=pd.Timestamp(r.end_date).date(),
            kind=LeaveKind(r.kind) if r.kind in kinds else LeaveKind.OTHER,
            note=str(r.note or ""),
        )
        for r in frame.itertuples()
    ]
    return Availability(leave=leave)


def roster_request(inputs: PipelineInputs, requirements: pd.DataFrame) -> RosterRequest:
    """The roster request for the inputs, with what the history store knows when given.

    Raises:
        InputError: If the history store cannot be opened, or a repair is asked for a week
            that has no published roster.
    """
    request = RosterRequest(
        config=inputs.config,
        horizon=inputs.horizon,
        requirements=requirements,
        availability=inputs.availability,
        pins=inputs.pins,
    )
    if inputs.history_db is None:
        if inputs.repair:
            raise InputError(
                [Issue("--repair", "a repair needs the history store", allowed="--db URL")]
            )
        return request
    from scheduler.history import HistoryStore, database_exists, quota_targets

    if not database_exists(inputs.history_db):
        raise InputError(
            [
                Issue(
                    str(inputs.history_db),
                    "no roster history database here",
                    allowed="the database 'branch-roster publish --db' writes",
                )
            ]
        )
    store = HistoryStore.open(inputs.history_db)
    branch, horizon = inputs.config.branch.id, inputs.horizon
    before = horizon.start - dt.timedelta(days=HISTORY_DAYS_BEFORE)
    booked = store.leave(branch, horizon.start, horizon.end + dt.timedelta(days=LEAVE_DAYS_AFTER))
    published = None
    if inputs.repair:
        published = store.assignments(branch, horizon.start, horizon.end)
        if published.empty:
            raise InputError(
                [
                    Issue(
                        str(inputs.history_db),
                        f"nothing published for {horizon.label()} to repair",
                        allowed="publish the week first, or run without --repair",
                    )
                ]
            )
    return replace(
        request,
        availability=inputs.availability.merged(_leave_from_store(booked)),
        history_shifts=store.shifts(branch, before, horizon.start - dt.timedelta(days=1)),
        quota_targets=quota_targets(inputs.config, store, horizon),
        published=published,
        repair_scope=inputs.repair_scope,
    )


@dataclass(frozen=True)
class PipelineResult:
    """What the weekly job produced.

    Attributes:
        inputs: The inputs it ran on.
        forecast: Forecast frame (:data:`scheduler.frames.FORECAST_COLUMNS`).
        requirements: Requirement frame (:data:`scheduler.frames.REQUIREMENT_COLUMNS`).
        roster: The roster result.
        request: The roster request that was solved (with what the history supplied).
        simulation: Predicted waits per hour for the roster (day simulation), if run.
        files: Files written, by kind.
        timings: Seconds per stage.
        warnings: What the forecast repaired in the history and what the staffing stage
            noticed (e.g. a channel without forecast rows), as sentences.
    """

    inputs: PipelineInputs
    forecast: pd.DataFrame
    requirements: pd.DataFrame
    roster: RosterResult
    request: RosterRequest | None = None
    simulation: pd.DataFrame | None = None
    files: dict[str, Path] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def sample_dir() -> Path:
    """The bundled sample branch folder (``data/sample_branch`` in a checkout)."""
    return Path(__file__).resolve().parents[1] / "data" / "sample_branch"


def load_inputs(
    config_path: str | Path,
    traffic_path: str | Path,
    availability_paths: Sequence[str | Path],
    week: str,
    *,
    weeks: int = 1,
    events_path: str | Path | None = None,
) -> PipelineInputs:
    """Read and validate every input file of the weekly job.

    Raises:
        InputError: Listing every problem of every file.
    """
    from scheduler.io.availability_file import load_availability
    from scheduler.io.traffic_file import history_fit, match_channels, read_traffic

    horizon = week_horizon(week, weeks)
    issues: list[Issue] = []
    config = history = availability = events = None
    try:
        config = load_config(config_path)
    except InputError as exc:
        issues += exc.issues
    try:
        branch = config.branch.id if config else None
        timezone = config.branch.timezone if config else None
        calendar = BranchCalendar(config.branch) if config else None
        history = read_traffic(traffic_path, branch=branch, timezone=timezone, calendar=calendar)
        issues += history.attrs.get("issues", [])
        if config is not None:
            history, matched = match_channels(history, config, str(traffic_path))
            issues += matched
            if len(history):
                first, last = history["ds"].min().date(), history["ds"].max().date()
                issues += history_fit(str(traffic_path), first, last, horizon)
    except InputError as exc:
        issues += exc.issues
    if availability_paths:
        try:
            availability, repaired = load_availability(
                list(availability_paths), config=config, horizon=horizon
            )
            issues += repaired
        except InputError as exc:
            issues += exc.issues
    if events_path is not None:
        from forecasting.events import read_events

        try:
            events = read_events(events_path)
        except InputError as exc:
            issues += exc.issues
    if any(i.severity == "error" for i in issues) or config is None or history is None:
        raise InputError(issues)
    return PipelineInputs(
        config=config,
        history=history,
        availability=availability or Availability(),
        horizon=horizon,
        events=events,
        source=str(Path(config_path).parent),
        warnings=tuple(i for i in issues if i.severity != "error"),
    )


def sample_inputs(week: str = SAMPLE_WEEK, weeks: int = 1) -> PipelineInputs:
    """The sample branch: configuration, two years of traffic and availability.

    Plans ``weeks`` weeks from ``week``. The bundled ``data/`` folder holds the sample of
    :data:`SAMPLE_WEEK`; for any other week (or when the package is installed without that
    folder) the sample is generated for ``week`` from the seeded generator into a temporary
    folder, read, and the folder removed: its traffic history then ends the Sunday before
    ``week`` and its availability files are dated in ``week``.

    Raises:
        InputError: When ``week`` is not an ISO week.
    """
    folder = sample_dir()
    bundled = week_horizon(week).start == week_horizon(SAMPLE_WEEK).start
    if bundled and (folder / "branch.yaml").exists():
        return _read_sample(folder, week, weeks)
    import tempfile

    from scheduler.sample.generator import generate_sample

    with tempfile.TemporaryDirectory(prefix="branch-roster-sample-") as tmp:
        generate_sample(tmp, week=week)
        inputs = _read_sample(Path(tmp), week, weeks)
    return replace(inputs, source=f"sample branch generated for {week}")


def _read_sample(folder: Path, week: str, weeks: int) -> PipelineInputs:
    traffic = next(p for p in (folder / "traffic.csv", folder / "traffic.csv.gz") if p.exists())
    return load_inputs(
        folder / "branch.yaml", traffic, [folder / "availability"], week, weeks=weeks
    )


def run_pipeline(
    inputs: PipelineInputs,
    *,
    options: SolveOptions | None = None,
    forecast_level: str = "mean",
    simulate: bool = True,
    on_progress: ProgressCallback | None = None,
    on_solution: Callable[[Progress], None] | None = None,
) -> PipelineResult:
    """Forecast, size and roster one branch for the inputs' horizon.

    Args:
        inputs: What to plan.
        options: Solver options (time limit, workers, seed).
        forecast_level: Forecast column the staffing uses (``mean`` or e.g. ``hi-80``).
        simulate: Replay the forecast against the roster to predict waits per hour.
        on_progress: Receives (stage, fraction done).
        on_solution: Receives each improving roster's cost, bound and time while solving.

    Returns:
        The frames of every stage and the roster; an infeasible roster is a result, not an
        exception.
    """
    import time

    from forecasting import ForecastWarning
    from forecasting import forecast as make_forecast
    from scheduler.roster import solve
    from scheduler.staffing import requirements as make_requirements

    options = options or SolveOptions()
    report = on_progress or (lambda stage, frac: None)
    timings: dict[str, float] = {}

    report("forecast", 0.0)
    t0 = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ForecastWarning)
        fc = make_forecast(inputs.history, inputs.config, inputs.horizon, events=inputs.events)
    notes = [str(w.message) for w in caught if issubclass(w.category, ForecastWarning)]
    for w in caught:  # anything else is not ours to swallow
        if not issubclass(w.category, ForecastWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    timings["forecast"] = time.perf_counter() - t0

    report("staffing", 0.3)
    t0 = time.perf_counter()
    req = make_requirements(fc, inputs.config, level=forecast_level)
    notes += [str(n) for n in req.attrs.get("warnings", [])]
    timings["staffing"] = time.perf_counter() - t0

    report("roster", 0.4)
    t0 = time.perf_counter()
    request = roster_request(inputs, req)
    roster = solve(request, options, on_progress=on_solution)
    timings["roster"] = time.perf_counter() - t0

    sim = None
    if simulate and roster.feasible:
        report("simulation", 0.9)
        from scheduler.staffing.simulation import simulate as simulate_day

        t0 = time.perf_counter()
        sim = simulate_day(fc, roster.assignments, inputs.config, seed=options.seed)
        timings["simulation"] = time.perf_counter() - t0
    report("done", 1.0)
    return PipelineResult(
        inputs=inputs,
        forecast=fc,
        requirements=req,
        roster=roster,
        request=request,
        simulation=sim,
        timings=timings,
        warnings=tuple(notes),
    )


def week_of(day: dt.date) -> str:
    """The ISO week label of a date, e.g. ``2026-W49``."""
    iso = day.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"
