"""The ``branch-roster`` command line.

Each command group lives in its own module ``scheduler/cli/cmd_<name>.py`` exposing
``register(app)``; modules are discovered here, so adding a command touches no shared file.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import typer

from scheduler.cli.common import console, run_guarded

app = typer.Typer(
    name="branch-roster",
    help="Forecast branch traffic, size posts and build the weekly roster.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register_commands() -> None:
    package = sys.modules[__name__]
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name.startswith("cmd_"):
            module = importlib.import_module(f"{__name__}.{info.name}")
            module.register(app)


_register_commands()


def main() -> None:
    """Entry point of the console script."""
    run_guarded(app)


__all__ = ["app", "console", "main"]
