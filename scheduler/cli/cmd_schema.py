"""``branch-roster schema``: write the JSON Schema of the branch configuration file."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from scheduler.cli.common import console, require_out_file


def register(app: typer.Typer) -> None:
    """Add the ``schema`` command."""

    @app.command("schema")
    def schema(
        out: Path | None = typer.Option(None, "--out", help="File to write (default: print)."),
    ) -> None:
        """Write the JSON Schema of branch.yaml, for editors and other HR systems."""
        if out is not None:
            require_out_file(out)
        from scheduler.io.atomic import atomic_write_text
        from scheduler.io.config_file import config_json_schema

        text = json.dumps(config_json_schema(), ensure_ascii=False, indent=2) + "\n"
        if out is None:
            typer.echo(text, nl=False)
            return
        atomic_write_text(out, text)
        console.print(f"wrote {out}")
