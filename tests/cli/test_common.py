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
