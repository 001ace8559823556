"""The ``region`` and ``region-sample`` commands: summary, exit codes, input errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.region.conftest import WEEK, tiny_region

BIN = str(Path(sys.executable).parent / "branch-roster")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([BIN, *args], capture_output=True, text=True, check=False)


@pytest.mark.slow
def test_region_command_writes_every_branch_and_the_summary(tmp_path: Path) -> None:
    """`branch-roster region` rosters each branch into its folder and exits 0 when all are."""
    tiny_region(tmp_path / "reg", {"A": (2, 4.0), "B": (2, 4.0)})
    out = tmp_path / "out"
    done = _run("region", "--region", str(tmp_path / "reg"), "--week", WEEK, "--out", str(out),
                "--workers", "1", "--time-limit-per-branch", "2")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "2 of 2 branches rostered" in done.stdout
    assert "solver limit 2 s per branch (fixed)" in done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["A", "B", "region_summary.csv"]
    assert (out / "A" / "roster.csv").exists()


def test_bad_region_file_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    """A region file with a bad entry is an input error: exit 2, located message, no output."""
    (tmp_path / "region.yaml").write_text("id: R\nbranches: []\n", encoding="utf-8")
    out = tmp_path / "out"
    done = _run("region", "--region", str(tmp_path), "--out", str(out))
    assert done.returncode == 2
    assert str(tmp_path / "region.yaml") in done.stderr
    assert "branches" in done.stderr
    assert not out.exists()


def test_region_sample_reports_what_it_wrote(tmp_path: Path) -> None:
    """`region-sample --lazy` writes region.yaml only and names the mix and pool size."""
    done = _run("region-sample", "--out", str(tmp_path / "r"), "--branches", "10", "--lazy")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        f"wrote {tmp_path / 'r' / 'region.yaml'}: 10 branches (4 L, 4 M, 2 S), 2 floaters"
    )


def test_branches_without_a_roster_get_advice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """When branches found no roster in their limit, the command says to give more time."""
    from scheduler.cli.cmd_region import _advise_on_time
    from scheduler.region.run import RegionResult
    from scheduler.region.worker import BranchOutcome

    outcomes = {
        "A": BranchOutcome("A", "ok", time_limit_s=9.4),
        "B": BranchOutcome("B", "no_solution", time_limit_s=6.0),
        "C": BranchOutcome("C", "no_solution", time_limit_s=9.4),
    }
    result = RegionResult(outcomes, {}, None, tmp_path / "s.csv", 500.0, budget_s=600.0)
    _advise_on_time(result)
    assert " ".join(capsys.readouterr().out.split()) == (
        "2 branches found no roster within their solver limit (6-9.4 s): give the run a "
        "larger --budget or more --workers, then --rerun-failed runs only those"
    )
