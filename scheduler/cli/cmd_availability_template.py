"""``branch-roster availability-template``: availability forms for staff to fill in."""

from __future__ import annotations

from pathlib import Path

import typer

from scheduler.cli.common import console, out_folder_issues
from scheduler.errors import InputError, Issue


def register(app: typer.Typer) -> None:
    """Add the ``availability-template`` command."""

    @app.command("availability-template")
    def availability_template(
        config: Path = typer.Option(..., help="Branch configuration (YAML/TOML/JSON)."),
        week: str = typer.Option(..., help="ISO week the forms are for, e.g. 2026-W49."),
        out: Path = typer.Option(..., "--out", help="Folder for the forms."),
        combined: bool = typer.Option(False, help="One form for everyone instead of one each."),
        fmt: str = typer.Option("xlsx", "--format", help="xlsx (with drop-downs) or csv."),
        lang: str = typer.Option("zh", help="Language of headers and type words: zh or en."),
    ) -> None:
        """Write availability forms pre-filled with each person's id, name and the week's dates.

        Staff fill in their declarations and send the files back; ``run``/``schedule`` read
        them with ``--availability``.
        """
        from scheduler.calendar import week_horizon
        from scheduler.io.config_file import load_config
        from scheduler.io.templates import FORMATS, write_templates

        issues: list[Issue] = []
        if fmt not in FORMATS:
            issues.append(Issue("--format", "unknown format", value=fmt, allowed="xlsx, csv"))
        if lang not in ("zh", "en"):
            issues.append(Issue("--lang", "unknown language", value=lang, allowed="zh, en"))
        try:
            horizon = week_horizon(week)
        except InputError as exc:
            issues += exc.issues
        issues.extend(out_folder_issues(out))
        try:
            cfg = load_config(config)
        except InputError as exc:
            issues += exc.issues
        if issues:
            raise InputError(issues)
        paths = write_templates(cfg, horizon, out, combined=combined, fmt=fmt, lang=lang)
        console.print(f"wrote {len(paths)} {fmt} form(s) for {horizon.label()} to {out}/")
