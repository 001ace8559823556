"""The command line answers mistakes with a message and an exit code, never a traceback."""

from __future__ import annotations

import subprocess
import sys


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scheduler.cli", *args], capture_output=True, text=True, timeout=120
    )


def test_unknown_option_is_a_usage_message():
    """A mistyped option names the option and exits 2 without a traceback."""
    proc = _run("check", "--bogus")
    assert proc.returncode == 2
    assert "No such option: --bogus" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_exit_codes_of_commands_reach_the_shell(tmp_path):
    """A command ending with a non-zero exit (bad input: 2) returns it to the caller."""
    missing = tmp_path / "nothing.yaml"
    proc = _run("check", str(missing))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


def test_an_output_folder_that_is_a_file_is_refused_before_any_work(tmp_path):
    """``run --out`` naming an existing file stops at once with exit 2.

    It was a traceback after the whole forecast and solve.
    """
    target = tmp_path / "roster.txt"
    target.write_text("last week's notes\n", encoding="utf-8")
    proc = _run("run", "--out", str(target), "--time-limit", "1")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert f"--out: not a folder (a file of that name exists) (found '{target}')" in proc.stderr
    assert target.read_text(encoding="utf-8") == "last week's notes\n"


def test_output_folder_checks(tmp_path):
    """Each thing in the way of an output folder or file is named.

    A file in the way, a file as a parent, a read-only parent, and a file output given a
    folder; a new folder under a writable one is fine.
    """
    import os
    from pathlib import Path

    from scheduler.cli.common import out_file_issues, out_folder_issues

    blocker = tmp_path / "a_file"
    blocker.write_text("x", encoding="utf-8")
    assert out_folder_issues(tmp_path / "new" / "deeper") == []
    (issue,) = out_folder_issues(blocker)
    assert issue.message == "not a folder (a file of that name exists)"
    (issue,) = out_folder_issues(blocker / "sub")
    assert issue.message == f"cannot create the folder: {blocker} is a file"
    (issue,) = out_file_issues(tmp_path)
    assert (issue.file, issue.message, issue.allowed) == ("--out", "is a folder", "a file name")
    assert out_file_issues(Path("schema.json")) == []
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if not os.access(locked, os.W_OK):  # root may write anywhere
            (issue,) = out_folder_issues(locked / "out")
            assert issue.message == f"no permission to write in {locked}"
    finally:
        locked.chmod(0o700)


def test_os_errors_and_interrupts_end_without_a_traceback(monkeypatch, capsys):
    """A write that fails mid-way is a message with exit 2; Ctrl-C is exit 130.

    (A disk full, or a folder made read-only while working.)
    """
    import pytest
    import typer

    from scheduler.cli.common import run_guarded

    monkeypatch.setattr("sys.argv", ["branch-roster"])
    for error, code, text in (
        (
            PermissionError(13, "Permission denied", "/srv/out/roster.csv"),
            2,
            "cannot read or write /srv/out/roster.csv: Permission denied",
        ),
        (KeyboardInterrupt(), 130, "interrupted"),
    ):
        app = typer.Typer()

        @app.command()
        def boom(error: BaseException = error) -> None:
            raise error

        with pytest.raises(SystemExit) as caught:
            run_guarded(app)
        assert caught.value.code == code
        assert text in capsys.readouterr().err


def test_exit_code_without_a_roster_tells_infeasible_from_out_of_time():
    """3: no roster keeps the hard rules (proven); 4: none found within the time limit."""
    from scheduler.cli.common import no_roster_exit

    assert no_roster_exit("INFEASIBLE") == 3
    assert no_roster_exit("UNKNOWN") == 4


def test_output_to_a_pipe_or_file_is_drawn_wide_enough_for_every_column(monkeypatch) -> None:
    """A log or a pipe gets LOG_WIDTH columns; a terminal, or COLUMNS, decides otherwise."""
    import io
    import os

    from scheduler.cli.common import LOG_WIDTH, _width

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("COLUMNS", raising=False)
    assert _width(io.StringIO()) == LOG_WIDTH
    assert _width(Terminal()) is None
    assert _width(object()) == LOG_WIDTH
    monkeypatch.setenv("COLUMNS", "100")
    assert _width(io.StringIO()) is None
    monkeypatch.delenv("COLUMNS")
    code = (
        "from rich.table import Table\n"
        "from scheduler.cli.common import console\n"
        "t = Table(*[f'column number {i}' for i in range(8)])\n"
        "t.add_row(*[f'value {i}' for i in range(8)])\n"
        "console.print(t)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    piped = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert "column number 7" in piped.stdout and "value 7" in piped.stdout
