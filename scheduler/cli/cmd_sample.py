"""``branch-roster sample``: write the sample branch (config, traffic, availability) to a folder."""

from __future__ import annotations

from pathlib import Path

import typer

from scheduler.cli.common import console, require_out_folder
from scheduler.errors import InputError, Issue


def register(app: typer.Typer) -> None:
    """Add the ``sample`` command."""

    @app.command("sample")
    def sample(
        out: Path = typer.Option(..., "--out", help="Folder to write the sample branch into."),
        seed: int | None = typer.Option(
            None, help="Seed of the traffic noise (default: the committed sample's seed)."
        ),
        week: str = typer.Option("2026-W49", help="ISO week the availability is for."),
        plot: Path | None = typer.Option(None, help="Also draw the traffic effects to this PNG."),
    ) -> None:
        """Generate the sample branch: branch.yaml, traffic.csv.gz, availability/ and schema.

        The traffic is two years of hourly counts per channel up to the Sunday before the week,
        shaped by documented effects (weekly peaks, month end, pension days, holidays).
        """
        require_out_folder(out)
        import pandas as pd

        from scheduler.sample.generator import DEFAULT_SEED, generate_sample

        try:
            files = generate_sample(out, week=week, seed=DEFAULT_SEED if seed is None else seed)
        except ValueError as exc:
            raise InputError(
                [Issue("--week", str(exc), value=week, allowed="e.g. 2026-W49")]
            ) from None
        for path in (files.config, files.traffic, *files.availability, files.schema):
            console.print(f"wrote {path}")
        console.print(f"{files.rows} traffic rows (hourly, per channel)")
        if plot is not None:
            from scheduler.io.config_file import load_config
            from scheduler.sample.plot import plot_traffic

            traffic = pd.read_csv(files.traffic, parse_dates=["timestamp"])
            plot_traffic(traffic, load_config(files.config), plot)
            console.print(f"wrote {plot}")
