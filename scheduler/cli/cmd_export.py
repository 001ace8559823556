"""``branch-roster export``: the files people use, built from a folder of result CSVs."""

from __future__ import annotations

import tempfile
from pathlib import Path

import typer

from scheduler.cli.common import EXIT_INFEASIBLE, console, fail, out_folder_issues
from scheduler.errors import InputError, Issue

LANGS = ("zh", "en")


def _move_all(staging: Path, out: Path) -> list[Path]:
    """Move every file of ``staging`` into ``out`` (one rename per file, each atomic)."""
    moved = []
    for src in sorted(p for p in staging.rglob("*") if p.is_file()):
        dest = out / src.relative_to(staging)
        dest.parent.mkdir(parents=True, exist_ok=True)
        src.replace(dest)
        moved.append(dest)
    return moved


def register(app: typer.Typer) -> None:
    """Add the ``export`` command."""

    @app.command("export")
    def export(
        result: Path = typer.Option(..., "--result", help="Result folder (roster.csv, ...)."),
        config: Path = typer.Option(..., help="Branch configuration (YAML/TOML/JSON)."),
        out: Path = typer.Option(..., "--out", help="Folder for the workbook, calendars, report."),
        availability: list[Path] = typer.Option(
            [], "--availability", "-a", help="Availability/leave files: leave shown (repeatable)."
        ),
        lang: str = typer.Option("zh", help="Language of the files: zh or en."),
    ) -> None:
        """Write roster.xlsx, calendars/<staff>.ics, report.html, report.png and report.pdf.

        The result folder is what ``schedule`` or ``run`` wrote; forecast.csv,
        requirements.csv and simulation.csv in it add the demand and wait charts.
        """
        from scheduler.io.config_file import load_config
        from scheduler.reports import write_all
        from scheduler.reports.result_files import read_result_folder

        issues = []
        if lang not in LANGS:
            issues.append(Issue("--lang", "unknown language", value=lang, allowed="zh, en"))
        issues.extend(out_folder_issues(out))
        if issues:
            raise InputError(issues)
        cfg = load_config(config)
        folder = read_result_folder(result, cfg)
        declared = None
        if availability:
            from scheduler.io.availability_file import read_availability

            declared = read_availability(
                list(availability), config=cfg, horizon=folder.result.horizon
            )
        res = folder.result
        if not res.feasible:
            for conflict in res.conflicts:
                console.print(conflict.message)
            raise fail(
                f"{result} holds no roster (status {res.status}); nothing was written",
                EXIT_INFEASIBLE,
            )
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".export-", dir=out) as tmp:
            write_all(
                res,
                cfg,
                Path(tmp),
                availability=declared,
                forecast=folder.forecast,
                requirements=folder.requirements,
                simulation=folder.simulation,
                lang=lang,
            )
            files = _move_all(Path(tmp), out)
        left_out = [
            name
            for name, frame in (
                ("forecast.csv", folder.forecast),
                ("simulation.csv", folder.simulation),
            )
            if frame is None
        ]
        console.print(f"{res.branch_id} {res.horizon.label()}: wrote {len(files)} files to {out}/")
        if left_out:
            console.print(f"no {' or '.join(left_out)} in {result}: those charts are left out")
