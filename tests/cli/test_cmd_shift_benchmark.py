"""The ``shift-benchmark`` command: a published-format instance solved, scored and written."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from scheduler.cli import app
from scheduler.errors import InputError

DATA = Path(__file__).resolve().parents[1] / "data" / "shift_benchmark"
runner = CliRunner()


def test_an_instance_is_solved_scored_and_written(tmp_path: Path) -> None:
    """The summary gives the status, the recomputed benchmark objective and no broken limit."""
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        [
            "shift-benchmark",
            str(DATA / "week_one_shift.txt"),
            "--out",
            str(out),
            "--time-limit",
            "20",
            "--workers",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "OPTIMAL" in result.output
    assert "benchmark objective" in result.output
    assert "hard limits broken  │ 0" in result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "OPTIMAL"
    assert (out / "shifts.csv").exists()


def test_requests_no_roster_meets_are_told_and_added_to_the_bound(tmp_path: Path) -> None:
    """The benchmark's objective and bound include the requests to work on a day off."""
    text = (DATA / "four_days_two_shifts.txt").read_text(encoding="utf-8")
    path = tmp_path / "day_off_request.txt"
    path.write_text(text.replace("B,0,L,1\n", "B,0,L,1\nB,2,L,5\n"), encoding="utf-8")
    result = runner.invoke(
        app, ["shift-benchmark", str(path), "--time-limit", "20", "--workers", "1"]
    )
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert "OPTIMAL" in flat
    assert "│ objective │ 103 │" in flat
    assert "benchmark objective │ 108 (recomputed from the roster; 5 of it for requests" in flat
    assert "benchmark bound │ 108 │" in flat


def test_a_broken_instance_is_refused_with_located_errors(tmp_path: Path) -> None:
    """A broken file is refused naming its lines (exit 2 from the shell), nothing is written."""
    out = tmp_path / "out"
    result = runner.invoke(app, ["shift-benchmark", str(DATA / "broken.txt"), "--out", str(out)])
    assert isinstance(result.exception, InputError)
    assert "row 5, column 'minutes': not a whole number" in str(result.exception)
    assert not out.exists()


def test_no_roster_within_the_limit_is_exit_4_not_infeasible(tmp_path: Path, monkeypatch) -> None:
    """A solve that ran out of time (UNKNOWN) exits 4, as ``schedule`` does; 3 means proven."""
    import scheduler.roster
    from scheduler.roster.result import RosterResult, SolverStats

    def out_of_time(request, options=None, **_):
        return RosterResult(request.config.branch.id, request.horizon, SolverStats("UNKNOWN"))

    monkeypatch.setattr(scheduler.roster, "solve", out_of_time)
    result = runner.invoke(app, ["shift-benchmark", str(DATA / "week_one_shift.txt")])
    assert result.exit_code == 4, result.output
    assert "UNKNOWN" in result.output
