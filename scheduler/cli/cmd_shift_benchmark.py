"""``branch-roster shift-benchmark``: solve a published Shift Scheduling Benchmark instance."""

from __future__ import annotations

from pathlib import Path

import typer

from scheduler.cli.common import console, no_roster_exit, require_out_folder
from scheduler.roster.request import SolveOptions


def register(app: typer.Typer) -> None:
    """Add the ``shift-benchmark`` command."""

    @app.command("shift-benchmark")
    def shift_benchmark(
        instance: Path = typer.Argument(..., help="Instance file, e.g. Instance1.txt."),
        out: Path | None = typer.Option(None, "--out", help="Folder for the roster files."),
        time_limit: float = typer.Option(60.0, "--time-limit", min=0.1, help="Solver seconds."),
        workers: int = typer.Option(2, min=1, help="Solver search workers."),
        seed: int = typer.Option(0, help="Solver random seed."),
        progress: bool = typer.Option(False, help="Print each improving roster."),
    ) -> None:
        """Solve a Shift Scheduling Benchmark instance with the roster model and score it.

        The instance is stated with the product's own rules (see the README); the roster is
        then scored again by the benchmark's definition, which also lists any hard limit
        broken. Exit code 3 when no roster satisfies the hard limits, 4 when none was found
        within the time limit.
        """
        if out is not None:
            require_out_folder(out)
        from scheduler.cli.cmd_schedule import _summary_table, _write_staged
        from scheduler.io.shift_benchmark import benchmark_score, read_shift_benchmark, to_request
        from scheduler.roster import solve
        from scheduler.roster.files import write_result_files

        read = read_shift_benchmark(instance)
        request = to_request(read)
        options = SolveOptions(
            time_limit_s=time_limit, workers=workers, seed=seed, progress=progress
        )
        result = solve(request, options)
        table = _summary_table(result, request.config.branch.slot_minutes)
        if result.feasible:
            score = benchmark_score(read, result.shifts)
            fixed = read.unmeetable_weight
            note = "recomputed from the roster"
            if fixed:
                note += (
                    f"; {fixed} of it for requests to work on a day off, which no roster meets"
                    " and the objective above leaves out"
                )
            table.add_row("benchmark objective", f"{score.objective} ({note})")
            if result.stats.best_bound is not None:
                table.add_row("benchmark bound", f"{result.stats.best_bound + fixed:g}")
            table.add_row("hard limits broken", str(len(score.violations)))
            for violation in score.violations[:10]:
                console.print(f"[red]broken[/red] {violation}", markup=True)
        console.print(table)
        for conflict in result.conflicts:
            console.print(f"[red]conflict[/red] {conflict.message}", markup=True)
        if out is not None:
            files = _write_staged(result, out, write_result_files)
            console.print(f"wrote {len(files)} files to {out}/")
        if not result.feasible:
            raise typer.Exit(no_roster_exit(result.status))
