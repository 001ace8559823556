"""``branch-roster run``: the whole weekly job on one branch (the sample branch by default)."""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from scheduler.cli.common import (
    DETERMINISTIC_OPTION,
    MIP_BOUND_OPTION,
    console,
    err_console,
    no_roster_exit,
    print_issues,
    require_out_folder,
)
from scheduler.roster.request import SolveOptions
from scheduler.roster.result import relative_gap
from scheduler.roster.solve import Progress as SolverProgress


def _publish_dir(staging: Path, out: Path) -> list[Path]:
    """Move every file of ``staging`` into ``out`` (rename per file, so each is atomic)."""
    moved: list[Path] = []
    for src in sorted(p for p in staging.rglob("*") if p.is_file()):
        dest = out / src.relative_to(staging)
        dest.parent.mkdir(parents=True, exist_ok=True)
        src.replace(dest)  # staging lives inside ``out``: same file system, atomic rename
        moved.append(dest)
    return moved


def register(app: typer.Typer) -> None:
    """Add the ``run`` command."""

    @app.command("run")
    def run(
        out: Path = typer.Option(Path("out"), "--out", help="Folder for every output file."),
        config: Path | None = typer.Option(None, help="Branch configuration (YAML/TOML)."),
        traffic: Path | None = typer.Option(
            None, "--traffic", "--history", help="Traffic history (CSV/XLSX)."
        ),
        availability: list[Path] = typer.Option(
            [], "--availability", "-a", help="Availability/leave files (repeatable)."
        ),
        week: str = typer.Option("2026-W49", help="ISO week to plan, e.g. 2026-W49."),
        weeks: int = typer.Option(1, min=1, max=8, help="Number of weeks to plan."),
        events: Path | None = typer.Option(None, help="Known events CSV for the forecast."),
        level: str = typer.Option("mean", help="Forecast column to staff for (mean, hi-80)."),
        time_limit: float = typer.Option(60.0, "--time-limit", min=1, help="Solver seconds."),
        workers: int = typer.Option(2, min=1, help="Solver search workers."),
        seed: int = typer.Option(0, help="Solver random seed."),
        mip_bound: bool = MIP_BOUND_OPTION,
        deterministic: bool = DETERMINISTIC_OPTION,
        lang: str = typer.Option("zh", help="Language of the files: zh or en."),
        db: str | None = typer.Option(
            None,
            "--db",
            help="Roster history (SQLite path or SQLAlchemy URL): quota progress, the shifts "
            "just before the week and booked leave are taken into account.",
        ),
        repair: bool = typer.Option(
            False, "--repair", help="Re-solve the week published in --db with the fewest changes."
        ),
        repair_scope: str = typer.Option(
            "days",
            "--repair-scope",
            help="With --repair: 'days' re-plans only the days the published roster no longer "
            "fits (a sick call), 'week' lets any day change.",
        ),
    ) -> None:
        """Forecast traffic, size every post, build the roster and write all files.

        With no input options it runs on the bundled sample branch.
        """
        require_out_folder(out)
        from scheduler.pipeline import load_inputs, run_pipeline, sample_inputs
        from scheduler.reports import remove_reports, write_all
        from scheduler.roster.files import write_result_files

        if lang not in ("zh", "en"):
            raise typer.BadParameter("use zh or en", param_hint="--lang")
        if config is None and traffic is None and not availability and events is None:
            inputs = sample_inputs(week, weeks)
            console.print(f"Sample branch {inputs.config.branch.name} ({inputs.config.branch.id})")
        else:
            missing = [n for n, v in (("--config", config), ("--traffic", traffic)) if v is None]
            if missing:
                raise typer.BadParameter(f"also give {' and '.join(missing)}")
            inputs = load_inputs(config, traffic, availability, week, weeks=weeks,
                                 events_path=events)  # fmt: skip
        if repair_scope not in ("days", "week"):
            raise typer.BadParameter("use days or week", param_hint="--repair-scope")
        inputs = dataclasses.replace(
            inputs, history_db=db, repair=repair, repair_scope=repair_scope
        )
        print_issues(inputs.warnings)
        options = SolveOptions(
            time_limit_s=time_limit,
            workers=workers,
            seed=seed,
            mip_bound=mip_bound,
            deterministic=deterministic,
        )
        with Progress(
            TextColumn("{task.description:<44}"),
            BarColumn(),
            TimeElapsedColumn(),
            console=err_console,
            transient=True,
        ) as bar:
            task = bar.add_task("forecast", total=1.0)

            def solution(p: SolverProgress) -> None:
                gap = relative_gap(p.objective, p.best_bound)
                text = f"roster {p.objective:g} (bound {p.best_bound:g}, gap {100 * gap:.1f}%)"
                done = 0.4 + 0.5 * min(1.0, p.seconds / time_limit)  # the roster is 0.4..0.9
                bar.update(task, description=text, completed=done)

            result = run_pipeline(
                inputs,
                options=options,
                forecast_level=level,
                on_progress=lambda stage, frac: bar.update(task, description=stage, completed=frac),
                on_solution=solution,
            )
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".staging-", dir=out) as tmp:
            staging = Path(tmp)
            result.forecast.to_csv(staging / "forecast.csv", index=False)
            result.requirements.to_csv(staging / "requirements.csv", index=False)
            write_result_files(result.roster, staging, lang=lang)
            if result.simulation is not None:
                result.simulation.to_csv(staging / "simulation.csv", index=False)
            if result.roster.feasible:
                write_all(
                    result.roster,
                    inputs.config,
                    staging,
                    availability=inputs.availability,
                    forecast=result.forecast,
                    requirements=result.requirements,
                    simulation=result.simulation,
                    lang=lang,
                )
            files = _publish_dir(staging, out)
        if not result.roster.feasible:
            remove_reports(out)  # an earlier run's workbook must not stand beside no roster
        if result.simulation is None and (out / "simulation.csv").is_file():
            (out / "simulation.csv").unlink()
        for note in result.warnings:
            err_console.print(f"[yellow]warning[/yellow] {note}", markup=True)
        console.print(result.roster.summary())
        timing = ", ".join(f"{k} {v:.1f} s" for k, v in result.timings.items())
        console.print(f"stages: {timing}")
        console.print(f"wrote {len(files)} files to {out}/")
        if not result.roster.feasible:
            raise typer.Exit(no_roster_exit(result.roster.status))
