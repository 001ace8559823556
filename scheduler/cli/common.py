"""Shared pieces of the command line: the console, error display and exit codes."""

from __future__ import annotations

import sys
from collections.abc import Iterable

import typer
from rich.console import Console

from scheduler.errors import InputError, Issue, ModelError

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

EXIT_INPUT = 2
"""Exit code for bad input (files, options)."""
EXIT_INFEASIBLE = 3
"""Exit code when no roster satisfies the hard rules."""


def print_issues(issues: Iterable[Issue]) -> None:
    """Print issues, errors first, one per line, to standard error."""
    issues = list(issues)
    errors = [i for i in issues if i.severity == "error"]
    warnings = [i for i in issues if i.severity != "error"]
    for issue in errors:
        err_console.print(f"[red]error[/red]   {issue}", markup=True)
    for issue in warnings:
        err_console.print(f"[yellow]warning[/yellow] {issue}", markup=True)


def fail(message: str, code: int = EXIT_INPUT) -> typer.Exit:
    """Print ``message`` as an error and return the exit to raise."""
    err_console.print(f"[red]error[/red]   {message}", markup=True)
    return typer.Exit(code)


def run_guarded(app: typer.Typer) -> None:
    """Run the Typer app, turning input errors into messages and exit code 2."""
    try:
        code = app(standalone_mode=False)
    except InputError as exc:
        print_issues(exc.issues)
        n = len(exc.errors)
        err_console.print(f"{n} problem{'s' if n != 1 else ''} found; nothing was written.")
        sys.exit(EXIT_INPUT)
    except ModelError as exc:
        err_console.print(f"[red]error[/red]   {exc}", markup=True)
        sys.exit(EXIT_INPUT)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err_console.print("aborted")
        sys.exit(130)
    except Exception as exc:  # usage errors (click's, as bundled by typer) come through here
        show = getattr(exc, "show", None)
        exit_code = getattr(exc, "exit_code", None)
        if callable(show) and isinstance(exit_code, int):
            show()
            sys.exit(exit_code)
        raise
    if isinstance(code, int) and code:  # typer.Exit(n) comes back as a return value
        sys.exit(code)
