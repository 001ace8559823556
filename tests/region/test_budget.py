"""The run's time budget: each branch's solver limit derived from the time left."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from scheduler.errors import InputError
from scheduler.region.budget import branch_overhead, derive_limit, parse_duration, pool_reserve
from scheduler.region.run import run_region
from scheduler.region.worker import BranchOutcome
from tests.region.conftest import WEEK, tiny_region


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("600", 600.0), ("90s", 90.0), ("10m", 600.0), ("1h30m", 5400.0), ("2.5m", 150.0)],
)
def test_budget_reads_plain_durations(text: str, seconds: float) -> None:
    """--budget takes seconds or a duration in h/m/s, as a person writes it."""
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "0", "10x", "m", "-5m"])
def test_bad_budget_names_the_option_and_the_forms(text: str) -> None:
    """A budget that is not a positive duration is refused naming --budget and the forms."""
    with pytest.raises(InputError) as err:
        parse_duration(text)
    (issue,) = err.value.issues
    assert (issue.file, issue.value) == ("--budget", text)
    assert issue.allowed == "seconds or a duration: 600, 90s, 10m, 1h30m"


def test_fifty_branches_on_two_workers_share_ten_minutes() -> None:
    """50 branches (+25 pool re-rosters) on 2 workers in 540 s: 9.4 s each after overhead."""
    assert derive_limit(540.0, 2, 75, 0.0, 5.0) == 9.4


def test_first_pass_plans_for_half_the_possible_pool_re_rosters() -> None:
    """The pool may re-roster one branch per floater-day; the first pass plans for half."""
    assert pool_reserve(50, 50) == 25
    assert pool_reserve(3, 5) == 2
    assert pool_reserve(40, 0) == 0


def test_running_branches_keep_their_planned_time() -> None:
    """Seconds still planned for the running branches are not handed out again."""
    assert derive_limit(100.0, 2, 10, 60.0, 2.0) == 12.0


def test_limit_stays_between_floor_and_ceiling() -> None:
    """A huge budget gives the 30 s ceiling; an exhausted one the 6 s floor."""
    assert derive_limit(3600.0, 2, 4, 0.0, 5.0) == 30.0
    assert derive_limit(10.0, 2, 500, 0.0, 5.0) == 6.0


def test_last_branch_must_end_before_the_deadline() -> None:
    """The last branch gets no more than the time left, even with an idle second worker."""
    assert derive_limit(20.0, 2, 1, 0.0, 5.0) == 15.0
    assert derive_limit(20.0, 2, 1, 12.0, 5.0) == 15.0


def test_overhead_is_the_time_outside_the_solver() -> None:
    """A branch's overhead is its wall time less the solver time given or used."""
    full = BranchOutcome("A", "ok", timings={"roster": 8.2}, wall_s=12.5, time_limit_s=8.0)
    early = BranchOutcome("B", "ok", timings={"roster": 1.5}, wall_s=4.0, time_limit_s=8.0)
    assert branch_overhead(full) == 4.5
    assert branch_overhead(early) == 2.5
    assert branch_overhead(BranchOutcome("C", "failed")) is None


def _limits(out: Path) -> dict[str, str]:
    with (out / "region_summary.csv").open(encoding="utf-8") as fh:
        return {r["branch"]: r["time_limit_s"] for r in csv.DictReader(fh)}


def test_fixed_limit_overrides_the_budget(tmp_path: Path) -> None:
    """--time-limit-per-branch gives every branch that limit, whatever the budget."""
    tiny_region(tmp_path / "reg", {"A": (2, 4.0), "B": (2, 4.0)})
    result = run_region(tmp_path / "reg", WEEK, tmp_path / "out", workers=2,
                        time_limit_per_branch=2, budget_s=5)  # fmt: skip
    assert result.budget_s is None
    assert _limits(tmp_path / "out") == {"A": "2", "B": "2"}


def test_budget_gives_a_lone_branch_the_ceiling(tmp_path: Path) -> None:
    """One branch under the default 10-minute budget gets the 30 s ceiling, printed per pass."""
    tiny_region(tmp_path / "reg", {"A": (2, 4.0)})
    notes: list[str] = []
    result = run_region(tmp_path / "reg", WEEK, tmp_path / "out", workers=2,
                        on_note=notes.append)  # fmt: skip
    assert result.budget_s == 600.0
    assert _limits(tmp_path / "out") == {"A": "30"}
    assert notes == [
        "budget 10 min for 1 branch on 2 workers: solver limit 30 s per branch to start "
        "(6-30 s, re-derived from the time left as each branch starts)"
    ]


def test_bad_budget_option_exits_2(tmp_path: Path) -> None:
    """`branch-roster region --budget 10x` is an input error (exit 2) and writes nothing."""
    tiny_region(tmp_path / "reg", {"A": (2, 4.0)})
    bin_ = str(Path(sys.executable).parent / "branch-roster")
    done = subprocess.run(
        [bin_, "region", "--region", str(tmp_path / "reg"), "--out", str(tmp_path / "out"),
         "--budget", "10x"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "--budget" in done.stderr and "10x" in done.stderr
    assert not (tmp_path / "out").exists()
