"""Atomic output: a file appears whole or not at all, with the usual permissions."""

from __future__ import annotations

import os
import stat

import pytest

from scheduler.io.atomic import atomic_path, atomic_write_text


def test_written_file_gets_the_mode_the_umask_allows(tmp_path):
    """Outputs are readable by the team (0644 under umask 022), not private 0600 temp files."""
    old = os.umask(0o022)
    try:
        path = atomic_write_text(tmp_path / "roster.csv", "a,b\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert path.read_text() == "a,b\n"


def test_failed_write_leaves_neither_target_nor_temporary(tmp_path):
    """A writer that fails half-way leaves the folder as it was."""
    target = tmp_path / "roster.xlsx"
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("disk full")
    assert list(tmp_path.iterdir()) == []
