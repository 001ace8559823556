"""The weekly job end to end on the bundled sample branch: forecast, staffing, roster, files."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from scheduler.errors import InputError
from scheduler.frames import (
    ASSIGNMENT_COLUMNS,
    FORECAST_COLUMNS,
    REQUIREMENT_COLUMNS,
    SIMULATION_COLUMNS,
)
from scheduler.pipeline import run_pipeline, sample_inputs
from scheduler.roster.request import SolveOptions
from scheduler.verify import verify_roster

pytestmark = pytest.mark.slow

OPTIONS = SolveOptions(time_limit_s=20, workers=2, seed=0)


@pytest.fixture(scope="module")
def sample_run():
    """One run of the weekly job on the sample branch, shared by the tests below."""
    inputs = sample_inputs()
    return inputs, run_pipeline(inputs, options=OPTIONS)


def test_every_stage_hands_on_its_frame(sample_run):
    """Each stage's frame has its contract's columns, so stages can be swapped one by one."""
    inputs, result = sample_run
    assert set(FORECAST_COLUMNS) <= set(result.forecast.columns)
    assert set(REQUIREMENT_COLUMNS) <= set(result.requirements.columns)
    assert set(ASSIGNMENT_COLUMNS) <= set(result.roster.assignments.columns)
    assert result.simulation is not None
    assert set(SIMULATION_COLUMNS) <= set(result.simulation.columns)
    open_days = {d.date() for d in result.requirements["ds"]}
    assert open_days <= set(inputs.horizon.dates)


def test_sample_roster_breaks_no_hard_rule(sample_run):
    """The sample week's roster passes the independent verifier with no violation."""
    _inputs, result = sample_run
    assert result.roster.feasible, result.roster.summary()
    assert result.request is not None
    report = verify_roster(result.request, result.roster.assignments)
    assert report.violations == ()


def test_run_command_writes_every_file_on_the_sample(tmp_path: Path):
    """`branch-roster run --out DIR` with no other argument does the whole job on the sample."""
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "scheduler.cli", "run", "--out", str(out), "--time-limit", "20"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    names = {p.name for p in out.rglob("*") if p.is_file()}
    for expected in ("forecast.csv", "requirements.csv", "roster.csv", "summary.json"):
        assert expected in names
    assert not [n for n in names if n.endswith(".tmp") or n.startswith(".staging")]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] in ("OPTIMAL", "FEASIBLE")
    assert "objective" in proc.stdout and "best bound" in proc.stdout


def test_history_repairs_are_reported_as_sentences(sample_run):
    """The sample's few missing hours are reported as a repair, not as a Python warning."""
    _inputs, result = sample_run
    assert any("open hour(s) missing" in note for note in result.warnings)


def test_sample_plans_the_weeks_asked_for():
    """The sample branch plans as many weeks as asked, from the week given."""
    inputs = sample_inputs("2026-W49", weeks=2)
    assert len(inputs.horizon.dates) == 14
    assert str(inputs.horizon.dates[0]) == "2026-11-30"
    assert str(inputs.horizon.dates[-1]) == "2026-12-13"


def test_run_command_plans_several_weeks_on_the_sample(tmp_path: Path):
    """`branch-roster run --weeks 2` on the sample writes a roster over both weeks."""
    out = tmp_path / "out"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "scheduler.cli",
            "run",
            "--out",
            str(out),
            "--weeks",
            "2",
            "--time-limit",
            "10",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    roster = pd.read_csv(out / "roster.csv", encoding="utf-8-sig")
    days = sorted(set(roster["date"]))
    assert days[0] == "2026-11-30" and days[-1] >= "2026-12-07"
    assert len(days) > 7


def test_sample_of_another_week_is_generated_for_that_week():
    """Another week than the bundled one gets the sample generated for it, not an error."""
    inputs = sample_inputs("2026-W51")
    first, last = inputs.horizon.dates[0], inputs.horizon.dates[-1]
    assert (str(first), str(last)) == ("2026-12-14", "2026-12-20")
    assert inputs.availability.entries or inputs.availability.leave
    assert all(first <= e.date <= last for e in inputs.availability.entries)
    assert all(lv.end_date >= first and lv.start_date <= last for lv in inputs.availability.leave)
    assert pd.Timestamp(inputs.history["ds"].max()).date() == dt.date(2026, 12, 13)
    assert inputs.source == "sample branch generated for 2026-W51"


def test_sample_of_a_malformed_week_is_a_clear_error():
    """A week that is not an ISO week names the option and what is allowed."""
    with pytest.raises(InputError) as caught:
        sample_inputs("2026-W60")
    assert caught.value.errors[0].file == "--week"
