"""The example scripts run as another system would run them, and say what they promise."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

EXAMPLES = {
    "load_and_validate.py": (
        [],
        0,
        "availability for 2026-W49: 10 entries, 3 leave requests from 3 files",
    ),
    "weekly_roster.py": ([], 0, "independent check: 0 hard-rule violations"),
}
"""Script -> (arguments, expected exit code, a line its output must contain). Scripts not
listed here are still run: they must exit 0 and print something."""

SCRIPTS = sorted(p.name for p in (ROOT / "examples").glob("*.py"))


def _run(script: str, args: list[str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "examples" / script), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.mark.parametrize("script", SCRIPTS)
def test_example_runs(script: str):
    """Every example script runs as documented and prints its key line."""
    args, code, line = EXAMPLES.get(script, ([], 0, None))
    result = _run(script, args)
    assert result.returncode == code, result.stderr
    lines = result.stdout.splitlines()
    if line is None:
        assert any(text.strip() for text in lines)
    else:
        assert line in lines


def test_listed_examples_exist():
    """The expectations above refer to scripts that are really there."""
    assert set(EXAMPLES) <= set(SCRIPTS)


def test_load_and_validate_reports_located_problems():
    """Given a broken availability file, the example prints the located issue and exits 2."""
    broken = ROOT / "tests" / "data" / "broken" / "availability_unknown_staff.csv"
    result = _run("load_and_validate.py", ["data/sample_branch/branch.yaml", str(broken)])
    assert result.returncode == 2
    assert (
        f"error: {broken}, row 3, column '工号': unknown staff number (found 'S15'); "
        "allowed: S01, S02, S03, S04, S05, S06, S07, S08, S09, S10, S11, S12, S13, S14"
    ) in result.stdout.splitlines()
