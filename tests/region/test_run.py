"""The region run: every branch in its own process, failures isolated, the float pool applied."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from scheduler.errors import InputError
from scheduler.region.run import run_region
from scheduler.region.spec import Floater
from tests.region.conftest import WEEK, tiny_region, write_tiny_branch


def _summary(out: Path) -> dict[str, dict[str, str]]:
    with (out / "region_summary.csv").open(encoding="utf-8") as fh:
        return {r["branch"]: r for r in csv.DictReader(fh)}


def test_floater_goes_where_the_counter_is_short(tmp_path: Path) -> None:
    """A floater joins the branch whose tellers cannot keep up, cutting its shortfall."""
    floater = Floater(id="F1", name="机动", posts=["cash_teller"])
    tiny_region(tmp_path / "reg", {"A": (2, 30.0), "B": (2, 4.0)}, [floater])
    result = run_region(tmp_path / "reg", WEEK, tmp_path / "out", workers=1,
                        time_limit_per_branch=3)  # fmt: skip
    assert result.pool is not None
    plan = result.pool.plan
    assert [(a.floater_id, a.date.isoformat(), a.branch_id) for a in plan.assignments] == [
        ("F1", f"2026-{d}", "A") for d in ("11-30", "12-01", "12-02", "12-03", "12-04")
    ]
    assert [a.gain_hours for a in plan.assignments] == [3.0] * 5
    assert result.pool.before[0] == 15.0
    assert result.pool.after == (0.0, 0.0)
    assert result.pool.gain[0] == 15.0
    rows = _summary(tmp_path / "out")
    assert rows["A"]["floaters"] == "F1"
    assert rows["A"]["shortfall_hours_before_pool"] == "15"
    assert rows["A"]["shortfall_hours"] == "0"
    assert rows["B"]["floaters"] == ""
    assert rows["B"]["shortfall_hours_before_pool"] == ""
    assert (tmp_path / "out" / "A" / "floaters.csv").read_text(encoding="utf-8").count("F1") == 5
    assert not (tmp_path / "out" / ".pool-pass").exists()


def test_broken_branch_fails_alone_and_is_rerun(tmp_path: Path) -> None:
    """A bad branch fails alone; --rerun-failed then runs only it and keeps the others."""
    reg, out = tmp_path / "reg", tmp_path / "out"
    tiny_region(reg, {"A": (2, 4.0), "C": (2, 4.0)})
    (reg / "C" / "branch.yaml").write_text("branch: [not, a, mapping\n", encoding="utf-8")
    first = run_region(reg, WEEK, out, workers=1, time_limit_per_branch=2)
    assert {b: o.status for b, o in first.outcomes.items()} == {"A": "ok", "C": "failed"}
    assert str(reg / "C" / "branch.yaml") in first.outcomes["C"].error
    assert (out / "A" / "roster.csv").exists()
    assert not (out / "C").exists()
    a_row = _summary(out)["A"]

    write_tiny_branch(reg / "C", "C", 2, 4.0)
    started: list[str] = []
    again = run_region(
        reg, WEEK, out, workers=1, time_limit_per_branch=2, rerun_failed=True,
        on_event=lambda bid, event, outcome: started.append(bid) if event == "started" else None,
    )  # fmt: skip
    assert started == ["C"]
    assert list(again.outcomes) == ["C"]
    rows = _summary(out)
    assert rows["C"]["status"] == "ok"
    assert rows["A"] == a_row


def test_branch_over_the_hard_timeout_is_stopped(tmp_path: Path) -> None:
    """A branch still running at the hard timeout is stopped and reported as timed out."""
    tiny_region(tmp_path / "reg", {"A": (2, 4.0)})
    result = run_region(tmp_path / "reg", WEEK, tmp_path / "out", workers=1,
                        time_limit_per_branch=2, hard_timeout_s=0.05)  # fmt: skip
    outcome = result.outcomes["A"]
    assert outcome.status == "timeout"
    assert outcome.error == "stopped after the hard timeout of 0.05 s"
    assert _summary(tmp_path / "out")["A"]["status"] == "timeout"
    assert not (tmp_path / "out" / "A").exists()


def test_rerun_failed_needs_an_earlier_run(tmp_path: Path) -> None:
    """--rerun-failed on a fresh output folder is an input error naming the summary file."""
    tiny_region(tmp_path / "reg", {"A": (2, 4.0)})
    with pytest.raises(InputError) as err:
        run_region(tmp_path / "reg", WEEK, tmp_path / "out", rerun_failed=True)
    (issue,) = err.value.issues
    assert issue.file == str(tmp_path / "out" / "region_summary.csv")
    assert issue.allowed == "run without --rerun-failed first"


def test_unknown_engine_is_refused(tmp_path: Path) -> None:
    """Only the local pool and Ray run branches: another engine name is an input error."""
    tiny_region(tmp_path / "reg", {"A": (2, 4.0)})
    with pytest.raises(InputError) as err:
        run_region(tmp_path / "reg", WEEK, tmp_path / "out", engine="spark")
    (issue,) = err.value.issues
    assert (issue.file, issue.value, issue.allowed) == ("--engine", "spark", "local, ray")
    assert not (tmp_path / "out").exists()


def test_roster_with_floaters_is_kept_only_when_no_worse() -> None:
    """A branch keeps its roster with floaters only if one was found and it is no worse."""
    from scheduler.region.run import pool_roster_refused
    from scheduler.region.worker import BranchOutcome

    before = BranchOutcome("A", "ok", weighted_shortfall=50.0)
    better = BranchOutcome("A", "ok", weighted_shortfall=20.0)
    worse = BranchOutcome("A", "ok", weighted_shortfall=60.0)
    lost = BranchOutcome("A", "no_solution", error="no roster found within 2 s (UNKNOWN)")
    assert pool_roster_refused(before, better) == ""
    assert pool_roster_refused(before, worse) == (
        "float pool: roster with floaters not used (weighted shortfall 60 > 50 without)"
    )
    assert pool_roster_refused(before, lost) == (
        "float pool: roster with floaters not used "
        "(no_solution: no roster found within 2 s (UNKNOWN))"
    )


def test_output_that_is_a_file_is_refused(tmp_path: Path) -> None:
    """--out naming a file is refused before any branch runs, and the file is left alone."""
    tiny_region(tmp_path / "reg", {"A": (2, 4.0)})
    (tmp_path / "out").write_text("keep", encoding="utf-8")
    with pytest.raises(InputError) as err:
        run_region(tmp_path / "reg", WEEK, tmp_path / "out")
    assert [(i.file, i.allowed) for i in err.value.issues] == [(str(tmp_path / "out"), "a folder")]
    assert (tmp_path / "out").read_text(encoding="utf-8") == "keep"


def test_allocation_naming_an_unknown_floater_is_located(tmp_path: Path) -> None:
    """A float allocation row naming a floater the pool no longer has gives file, row, column."""
    from scheduler.region.run import read_allocation

    (tmp_path / "float_allocation.csv").write_text(
        "floater_id,date,branch,expected_gain_hours,expected_gain_weighted,applied\n"
        "F1,2026-11-30,A,3,180,yes\nF9,2026-12-01,A,3,180,yes\n",
        encoding="utf-8",
    )
    pool = [Floater(id="F1", name="x", posts=["cash_teller"])]
    with pytest.raises(InputError) as err:
        read_allocation(tmp_path, pool)
    (issue,) = err.value.issues
    assert (issue.location, issue.column, issue.value) == (3, "floater_id", "F9")
    assert issue.allowed == "F1"


def test_branch_folder_holding_another_branch_is_named(tmp_path: Path) -> None:
    """A folder whose branch.yaml is another branch's fails on the id, not on its traffic."""
    from scheduler.io.config_file import dump_config
    from tests.region.conftest import tiny_config

    reg, out = tmp_path / "reg", tmp_path / "out"
    tiny_region(reg, {"B": (2, 4.0)})
    dump_config(tiny_config("A", 2), reg / "B" / "branch.yaml")
    result = run_region(reg, WEEK, out, workers=1, time_limit_per_branch=2)
    error = result.outcomes["B"].error
    assert result.outcomes["B"].status == "failed"
    assert str(reg / "B" / "branch.yaml") in error
    assert "another branch than region entry B" in error
    assert "found 'A'" in error
    assert not (out / "B").exists()
