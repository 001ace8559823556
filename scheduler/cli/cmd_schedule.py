"""``branch-roster schedule``: build the roster from a requirement frame with CP-SAT."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import typer
from rich.table import Table

from scheduler.cli.common import (
    DETERMINISTIC_OPTION,
    MIP_BOUND_OPTION,
    console,
    no_roster_exit,
    require_out_folder,
)
from scheduler.errors import InputError, Issue
from scheduler.roster.request import SolveOptions

if TYPE_CHECKING:
    from collections.abc import Callable

    from scheduler.roster.result import RosterResult


def read_requirements(path: Path) -> pd.DataFrame:
    """Read the requirement frame (``requirements.csv`` of the staffing stage).

    The same tolerant reader as ``export`` uses: CSV in UTF-8 (with or without BOM), GBK or
    UTF-16, XLSX, English or Chinese headers (日期, 时段, 岗位, 需求).

    Raises:
        InputError: Every problem found, with its file, row, column, value and what is allowed.
    """
    from scheduler.history.files import read_requirement_file

    return read_requirement_file(path)


def read_published(path: Path) -> pd.DataFrame:
    """Read a published roster (``roster.csv``) to repair.

    The same tolerant reader as ``publish`` uses: CSV in UTF-8 (with or without BOM), GBK or
    UTF-16, XLSX, English or Chinese headers (工号, 姓名, 日期, 开始, 结束, 活动, 岗位). Rows of
    people no longer on the staff list are kept here; the roster ignores them.

    Raises:
        InputError: Every problem found, with its file, row, column, value and what is allowed.
    """
    from scheduler.history.files import read_roster_file

    return read_roster_file(path)


def _relabel(
    exc: InputError, names: dict[str, str], pin_rows: list[tuple[str, int, dict[str, str]]]
) -> InputError:
    """The same problems, located in the files they came from.

    In-memory source names become file names, and a pin's position (``pins[2]``) becomes
    the file and row it was read from, its column the header that file gives it.
    """
    from scheduler.roster.prepare import PINS_FILE

    issues = []
    for issue in exc.issues:
        match = re.fullmatch(r"pins\[(\d+)\]", str(issue.location))
        if issue.file == PINS_FILE and match and int(match.group(1)) < len(pin_rows):
            file, row, headers = pin_rows[int(match.group(1))]
            column = headers.get(issue.column, issue.column) if issue.column else issue.column
            issues.append(replace(issue, file=file, location=row, column=column))
        else:
            issues.append(replace(issue, file=names.get(issue.file, issue.file)))
    return InputError(issues)


def _write_staged(
    result: RosterResult, out: Path, write: Callable[[RosterResult, Path], dict[str, Path]]
) -> list[Path]:
    """Write the result files into a staging folder inside ``out``, then move each into place.

    A failure while writing leaves ``out`` as it was; a ``conflicts.txt`` of an earlier
    infeasible run is removed when this result has a roster.
    """
    import tempfile

    out.mkdir(parents=True, exist_ok=True)
    moved: list[Path] = []
    with tempfile.TemporaryDirectory(prefix=".staging-", dir=out) as tmp:
        written = write(result, Path(tmp))
        for path in written.values():
            target = out / path.name
            path.replace(target)  # same file system: an atomic rename per file
            moved.append(target)
    stale = out / "conflicts.txt"
    if not result.conflicts and stale.exists():
        stale.unlink()
    return moved


def _summary_table(result: RosterResult, slot_minutes: int) -> Table:
    """Status, objective, bound, gap, time, model size and the cost of each rule."""
    s = result.stats
    table = Table(title=f"{result.branch_id} {result.horizon.label()}", show_header=False)
    table.add_row("status", s.status)
    if s.objective is not None:
        table.add_row("objective", f"{s.objective:g}")
        table.add_row("best bound", f"{s.best_bound:g}")
        table.add_row("gap", f"{100 * s.gap:.2f}%: {s.gap_meaning()}")
    table.add_row("time", f"{s.wall_time_s:.1f} s ({s.workers} workers, seed {s.seed})")
    table.add_row("model", f"{s.variables} variables, {s.constraints} constraints")
    if result.feasible and len(result.coverage):
        short = -result.coverage["gap"].clip(upper=0).sum() * slot_minutes / 60
        table.add_row("short", f"{short:g} staff-hours")
    for r in result.penalties_by_rule().itertuples():
        table.add_row(f"cost {r.rule}", f"{r.cost:g} ({r.count} x, {r.amount:g} units)")
    return table


def register(app: typer.Typer) -> None:
    """Add the ``schedule`` command."""

    @app.command("schedule")
    def schedule(
        config: Path = typer.Option(..., help="Branch configuration (YAML/TOML)."),
        requirements: Path = typer.Option(..., help="Requirement frame CSV (staffing stage)."),
        availability: list[Path] = typer.Option(
            [], "--availability", "-a", help="Availability/leave files (repeatable)."
        ),
        week: str = typer.Option(..., help="ISO week to plan, e.g. 2026-W49."),
        weeks: int = typer.Option(1, min=1, max=8, help="Number of weeks to plan."),
        out: Path = typer.Option(Path("out"), "--out", help="Folder for the roster files."),
        pins: Path | None = typer.Option(None, help="Pins file (CSV/XLSX): fixed assignments."),
        published: Path | None = typer.Option(
            None,
            help="A published roster.csv to repair: only the days it no longer fits change "
            "(see --repair-scope).",
        ),
        repair_scope: str = typer.Option(
            "days",
            "--repair-scope",
            help="With --published: 'days' re-plans only the days the published roster no "
            "longer fits, 'week' lets any day change.",
        ),
        time_limit: float = typer.Option(60.0, "--time-limit", min=0.1, help="Solver seconds."),
        workers: int = typer.Option(2, min=1, help="Solver search workers."),
        seed: int = typer.Option(0, help="Solver random seed."),
        mip_bound: bool = MIP_BOUND_OPTION,
        deterministic: bool = DETERMINISTIC_OPTION,
        gap: float = typer.Option(0.0, min=0.0, max=1.0, help="Stop at this relative gap."),
        progress: bool = typer.Option(False, help="Print each improving roster."),
        lang: str = typer.Option(
            "zh", help="Language of conflicts.txt: zh or en (penalties.csv holds both)."
        ),
    ) -> None:
        """Build the roster for a week and write roster, shifts, coverage, people, penalties.

        Exit code 3 when no roster satisfies the hard rules (see conflicts.txt).
        """
        require_out_folder(out)
        from scheduler.calendar import week_horizon
        from scheduler.io.availability_file import read_availability
        from scheduler.io.config_file import load_config
        from scheduler.roster import RosterRequest, solve
        from scheduler.roster.files import write_result_files
        from scheduler.roster.pins import read_pins_located
        from scheduler.roster.prepare import PINS_FILE, REQUIREMENTS_FILE
        from scheduler.roster.rules.stability import PUBLISHED_FILE

        if repair_scope not in ("days", "week"):
            raise typer.BadParameter("use days or week", param_hint="--repair-scope")
        if lang not in ("zh", "en"):
            raise typer.BadParameter("use zh or en", param_hint="--lang")
        horizon = week_horizon(week, weeks)
        issues: list[Issue] = []
        cfg = frame = declared = pinned = None
        pin_rows: list[tuple[str, int, dict[str, str]]] = []
        for step in ("config", "requirements", "availability", "pins"):
            try:
                if step == "config":
                    cfg = load_config(config)
                elif step == "requirements":
                    frame = read_requirements(requirements)
                elif step == "availability" and availability:
                    declared = read_availability(list(availability), config=cfg, horizon=horizon)
                elif step == "pins" and pins is not None:
                    pinned, pin_rows = read_pins_located(pins, cfg, horizon)
            except InputError as exc:
                issues += exc.issues
        if issues or cfg is None or frame is None:
            raise InputError(issues)
        prior = read_published(published) if published is not None else None
        request = RosterRequest(
            config=cfg,
            horizon=horizon,
            requirements=frame,
            pins=pinned or (),
            published=prior,
            repair_scope=repair_scope,  # type: ignore[arg-type]
            **({"availability": declared} if declared is not None else {}),
        )
        options = SolveOptions(
            time_limit_s=time_limit,
            workers=workers,
            seed=seed,
            relative_gap=gap,
            progress=progress,
            mip_bound=mip_bound,
            deterministic=deterministic,
        )
        names = {REQUIREMENTS_FILE: str(requirements), PINS_FILE: str(pins or PINS_FILE)}
        if published is not None:
            names[PUBLISHED_FILE] = str(published)
        try:
            result = solve(request, options)
        except InputError as exc:
            raise _relabel(exc, names, pin_rows) from None
        files = _write_staged(
            result, out, lambda res, folder: write_result_files(res, folder, lang=lang)
        )
        console.print(_summary_table(result, cfg.branch.slot_minutes))
        for warning in result.warnings:
            console.print(f"[yellow]warning[/yellow] {warning}", markup=True)
        for conflict in result.conflicts:
            console.print(f"[red]conflict[/red] {conflict.message}", markup=True)
            if conflict.relaxation:
                console.print(f"  to fix: {conflict.relaxation}")
        console.print(f"wrote {len(files)} files to {out}/")
        if not result.feasible:
            raise typer.Exit(no_roster_exit(result.status))
