"""The README is assembled from docs/readme/ and must match it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_readme_is_assembled_from_its_sections():
    """README.md is exactly what tools/build_readme.py makes of docs/readme/*.md."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_readme.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr


def test_readme_has_the_two_setup_commands():
    """A new user finds the command that runs the sample job and the one that runs the tests."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "branch-roster run --out out" in text
    assert "python -m pytest -n 2" in text
