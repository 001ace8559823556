"""``branch-roster region``: the weekly job for every branch of a region, with the float pool.

``branch-roster region-sample`` writes a seeded synthetic region to try it on.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from scheduler.cli.common import EXIT_INFEASIBLE, console, err_console, require_out_folder
from scheduler.errors import InputError, Issue

_COLOURS = {"ok": "green", "infeasible": "yellow", "no_solution": "yellow"}


def _print_pool(result: object) -> None:
    """Print the float pool's effect on the region, if the run had a pool."""
    from scheduler.region.run import RegionResult

    assert isinstance(result, RegionResult)
    if result.pool is None:
        return
    pool = result.pool
    sent = len(pool.plan.assignments)
    used = sum(1 for a in pool.plan.assignments if a.applied)
    console.print(
        f"float pool: {sent} floater-days sent ({used} in the final rosters); region shortfall "
        f"{pool.before[0]:g} -> {pool.after[0]:g} staff-hours, weighted "
        f"{pool.before[1]:g} -> {pool.after[1]:g} (gain {pool.gain[0]:g} h, {pool.gain[1]:g})"
    )


def _advise_on_time(result: object) -> None:
    """Say what to change when branches found no roster within the limit they were given."""
    from scheduler.region.run import RegionResult

    assert isinstance(result, RegionResult)
    short = [o for o in result.outcomes.values() if o.status == "no_solution"]
    if not short:
        return
    limits = sorted(o.time_limit_s for o in short if o.time_limit_s is not None)
    given = f" ({limits[0]:g}-{limits[-1]:g} s)" if limits else ""
    more = "a larger --budget or more --workers" if result.budget_s else "a longer limit"
    console.print(
        f"{len(short)} branches found no roster within their solver limit{given}: give the "
        f"run {more}, then --rerun-failed runs only those"
    )


def register(app: typer.Typer) -> None:
    """Add the ``region`` and ``region-sample`` commands."""

    @app.command("region")
    def region(
        region_dir: Path = typer.Option(..., "--region", help="Region folder (region.yaml)."),
        week: str = typer.Option("2026-W49", help="ISO week to plan, e.g. 2026-W49."),
        out: Path = typer.Option(..., "--out", help="Output folder (one folder per branch)."),
        workers: int = typer.Option(2, min=1, help="Branches run at the same time."),
        budget: str = typer.Option(
            "10m",
            "--budget",
            help="Wall time for the whole run (600, 90s, 10m, 1h30m): each branch's solver "
            "limit is derived from the time left (6-30 s).",
        ),
        time_limit: float | None = typer.Option(
            None,
            "--time-limit-per-branch",
            min=0.5,
            help="A fixed solver limit per branch in seconds (overrides --budget).",
        ),
        relative_gap: float = typer.Option(
            0.01, "--relative-gap", min=0.0, max=0.99, help="Stop a branch's solver at this gap."
        ),
        hard_timeout: float | None = typer.Option(
            None,
            "--hard-timeout",
            min=1,
            help="Stop a branch after this many seconds (default: 2 x solver limit + 120).",
        ),
        engine: str = typer.Option("local", help="local (process pool) or ray."),
        rerun_failed: bool = typer.Option(
            False, "--rerun-failed", help="Run only the branches that failed last time in --out."
        ),
        pool: bool = typer.Option(True, "--pool/--no-pool", help="Use the region's float pool."),
        solver_workers: int = typer.Option(1, min=1, help="CP-SAT workers inside each branch."),
        seed: int = typer.Option(0, help="Solver random seed."),
        simulate: bool = typer.Option(False, help="Run the day simulation of every roster."),
        reports: bool = typer.Option(
            False, help="Also write each branch's workbook, calendars and HTML report."
        ),
    ) -> None:
        """Forecast, staff and roster every branch of a region in parallel, then the float pool.

        Writes out/<branch>/ per branch (atomically), out/region_summary.csv and, with a
        float pool, out/float_allocation.csv. Exit code 3 when a branch has no roster.
        """
        require_out_folder(out)
        from scheduler.region.budget import parse_duration
        from scheduler.region.run import run_region

        budget_s = None if time_limit is not None else parse_duration(budget)

        with Progress(
            TextColumn("{task.description:<28}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err_console,
            transient=True,
        ) as bar:
            task = bar.add_task("branches", total=None)
            running: set[str] = set()
            finished = 0

            def on_event(bid: str, event: str, outcome: object) -> None:
                nonlocal finished
                if event == "started":
                    running.add(bid)
                else:
                    running.discard(bid)
                    finished += 1
                    status = getattr(outcome, "status", "")
                    colour = _COLOURS.get(status, "red")
                    short = getattr(outcome, "shortfall_hours", None)
                    extra = f", short {short:g} h" if short is not None else ""
                    floaters = getattr(outcome, "floaters", ())
                    extra += f", floaters {' '.join(floaters)}" if floaters else ""
                    wall = getattr(outcome, "wall_s", 0.0)
                    limit = getattr(outcome, "time_limit_s", None)
                    extra += f", limit {limit:g} s" if limit is not None else ""
                    error = getattr(outcome, "error", "")
                    line = f"[{colour}]{status:<11}[/{colour}] {bid} ({wall:.1f} s{extra})"
                    if error and status != "ok":
                        line += f": {error}"
                    bar.console.print(line, markup=True, highlight=False)
                bar.update(
                    task,
                    completed=finished,
                    description=", ".join(sorted(running))[:28] or "branches",
                )

            result = run_region(
                region_dir,
                week,
                out,
                workers=workers,
                time_limit_per_branch=time_limit,
                budget_s=budget_s,
                relative_gap=relative_gap,
                hard_timeout_s=hard_timeout,
                engine=engine,
                rerun_failed=rerun_failed,
                use_pool=pool,
                solver_workers=solver_workers,
                seed=seed,
                simulate=simulate,
                reports=reports,
                on_event=on_event,
                on_note=lambda line: bar.console.print(line, markup=False, highlight=False),
            )
        ok = sum(1 for o in result.outcomes.values() if o.status == "ok")
        budget_part = f" (budget {result.budget_s:g} s)" if result.budget_s else ""
        console.print(
            f"{ok} of {len(result.outcomes)} branches rostered in {result.wall_s:.1f} s"
            f"{budget_part}; summary in {result.summary}"
        )
        _print_pool(result)
        _advise_on_time(result)
        if result.failed:
            console.print(f"without a roster: {', '.join(result.failed)}")
            raise typer.Exit(EXIT_INFEASIBLE)

    @app.command("region-sample")
    def region_sample(
        out: Path = typer.Option(..., "--out", help="Region folder to write."),
        branches: int = typer.Option(50, min=1, max=5000, help="Number of branches."),
        week: str = typer.Option("2026-W49", help="ISO week the availability is for."),
        seed: int = typer.Option(0, help="Region seed."),
        floaters: int | None = typer.Option(
            None, min=0, help="Float pool size (default: one per five branches)."
        ),
        history_weeks: int = typer.Option(16, min=3, max=260, help="Weeks of traffic history."),
        lazy: bool = typer.Option(
            False, help="Write only region.yaml; branch folders are written on first use."
        ),
    ) -> None:
        """Write a seeded synthetic region of small, medium and large branches."""
        require_out_folder(out)
        from scheduler.region.generate import generate_region

        if out.exists() and not out.is_dir():
            raise InputError([Issue(str(out), "is a file", allowed="a folder")])
        try:
            files = generate_region(
                out, branches, week, seed, floaters=floaters, history_weeks=history_weeks, lazy=lazy
            )
        except ValueError as exc:
            raise InputError(
                [Issue("--week", str(exc), value=week, allowed="e.g. 2026-W49")]
            ) from None
        families: dict[str, int] = {}
        for b in files.spec.branches:
            if b.recipe:
                families[b.recipe.family] = families.get(b.recipe.family, 0) + 1
        mix = ", ".join(f"{n} {f}" for f, n in sorted(families.items()))
        console.print(
            f"wrote {files.region}: {branches} branches ({mix}), "
            f"{len(files.spec.floaters)} floaters"
            + ("" if lazy else f", {len(files.written)} branch folders")
        )
