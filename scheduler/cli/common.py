"""Shared pieces of the command line: the console, error display and exit codes."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path

import typer
from rich.console import Console

from scheduler.errors import InputError, Issue, ModelError

LOG_WIDTH = 160
"""Columns of output written to a pipe or a file (a log, CI) when ``COLUMNS`` is not set.

Without a terminal to measure, tables would be drawn 80 columns wide and lose columns or
cut names short; at this width every table of the commands fits."""


def _width(stream: object) -> int | None:
    """The fixed width for a stream that is not a terminal; ``None`` lets the console measure."""
    if os.environ.get("COLUMNS"):
        return None
    try:
        terminal = bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        terminal = False
    return None if terminal else LOG_WIDTH


console = Console(highlight=False, soft_wrap=True, width=_width(sys.stdout))
err_console = Console(stderr=True, highlight=False, soft_wrap=True, width=_width(sys.stderr))

EXIT_INPUT = 2
"""Exit code for bad input (files, options)."""
EXIT_INFEASIBLE = 3
"""Exit code when no roster satisfies the hard rules."""
EXIT_NO_ROSTER_IN_TIME = 4
"""Exit code when the solver found no roster within the time limit (one may exist)."""


MIP_BOUND_OPTION = typer.Option(
    True,
    "--mip-bound/--no-mip-bound",
    help="Prove a second lower bound with the HiGHS MIP solver beside CP-SAT, at the lowest "
    "CPU priority (it uses the CPU time the search leaves).",
)
"""The solve commands' switch for :attr:`scheduler.roster.request.SolveOptions.mip_bound`."""

DETERMINISTIC_OPTION = typer.Option(
    False,
    "--deterministic",
    help="Count --time-limit in the solver's deterministic time, not seconds: the same "
    "files, seed and workers then give the same roster on any machine (no MIP bound).",
)
"""The solve commands' switch for :attr:`scheduler.roster.request.SolveOptions.deterministic`."""


def no_roster_exit(status: str) -> int:
    """The exit code of a result without a roster: proven infeasible, or out of time."""
    return EXIT_INFEASIBLE if status == "INFEASIBLE" else EXIT_NO_ROSTER_IN_TIME


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


def out_folder_issues(out: Path, option: str = "--out") -> list[Issue]:
    """What keeps ``out`` from being the output folder: a file there, or no right to write.

    Checked before any work starts, so a long solve never ends in a traceback about its
    output folder.
    """
    if out.exists() and not out.is_dir():
        return [
            Issue(
                option,
                "not a folder (a file of that name exists)",
                value=str(out),
                allowed="a folder, or a name that does not exist yet",
            )
        ]
    probe = out
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if probe.exists() and not probe.is_dir():
        return [
            Issue(
                option,
                f"cannot create the folder: {probe} is a file",
                value=str(out),
                allowed="a folder, or a name that does not exist yet",
            )
        ]
    if probe.exists() and not os.access(probe, os.W_OK | os.X_OK):
        return [
            Issue(
                option,
                f"no permission to write in {probe}",
                value=str(out),
                allowed="a folder you may write in",
            )
        ]
    return []


def out_file_issues(out: Path, option: str = "--out") -> list[Issue]:
    """What keeps ``out`` from being an output file: a folder there, or no right to write."""
    if out.is_dir():
        return [Issue(option, "is a folder", value=str(out), allowed="a file name")]
    return out_folder_issues(out.parent, option) if str(out.parent) else []


def require_out_folder(out: Path, option: str = "--out") -> None:
    """Raise :class:`InputError` unless ``out`` can be the output folder."""
    issues = out_folder_issues(out, option)
    if issues:
        raise InputError(issues)


def require_out_file(out: Path, option: str = "--out") -> None:
    """Raise :class:`InputError` unless ``out`` can be written as an output file."""
    issues = out_file_issues(out, option)
    if issues:
        raise InputError(issues)


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
    except (typer.Abort, KeyboardInterrupt):
        err_console.print("interrupted; nothing more was written")
        sys.exit(130)
    except OSError as exc:  # a disk full, a folder made read-only while working, ...
        where = f" {exc.filename}" if exc.filename else ""
        err_console.print(
            f"[red]error[/red]   cannot read or write{where}: {exc.strerror or exc}", markup=True
        )
        sys.exit(EXIT_INPUT)
    except Exception as exc:  # usage errors (click's, as bundled by typer) come through here
        show = getattr(exc, "show", None)
        exit_code = getattr(exc, "exit_code", None)
        if callable(show) and isinstance(exit_code, int):
            show()
            sys.exit(exit_code)
        raise
    if code == 130:  # click turns Ctrl-C into this return value
        err_console.print("interrupted; nothing more was written")
    if isinstance(code, int) and code:  # typer.Exit(n) comes back as a return value
        sys.exit(code)
