"""``branch-roster schedule``: roster files from a configuration and a requirement frame."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from roster.instances import MON, config, person, post, request
from typer.testing import CliRunner

from scheduler.cli import app
from scheduler.domain import BackupPair
from scheduler.errors import InputError
from scheduler.io.config_file import dump_config

runner = CliRunner()


def _files(tmp_path: Path, **extra: object) -> list[str]:
    cfg = config(
        [post("cash")],
        [person("A", "cash"), person("B", "cash")],
        rules={"coverage_under": "soft", "coverage_over": "soft", "roster_stability": "soft"},
        **extra,
    )
    cfg_path = dump_config(cfg, tmp_path / "branch.yaml")
    frame = request(cfg, days=7, need={"cash": 1}).requirements
    frame.to_csv(tmp_path / "requirements.csv", index=False)
    return [
        "schedule",
        "--config",
        str(cfg_path),
        "--requirements",
        str(tmp_path / "requirements.csv"),
        "--week",
        "2026-W49",
        "--out",
        str(tmp_path / "out"),
        "--time-limit",
        "5",
        "--workers",
        "1",
    ]


def test_schedule_writes_the_roster_files(tmp_path: Path) -> None:
    """The command writes every roster file and a summary table with the status."""
    res = runner.invoke(app, _files(tmp_path))
    assert res.exit_code == 0, res.output
    assert "OPTIMAL" in res.output
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == [
        "coverage.csv",
        "penalties.csv",
        "people.csv",
        "roster.csv",
        "shifts.csv",
        "summary.json",
    ]
    roster = pd.read_csv(out / "roster.csv")
    assert len(roster) == 7 and set(roster["post"]) == {"cash"}
    assert json.loads((out / "summary.json").read_text("utf-8"))["status"] == "OPTIMAL"


def test_schedule_exits_3_with_conflicts_when_infeasible(tmp_path: Path) -> None:
    """No roster: exit code 3, the conflict printed and written to conflicts.txt."""
    args = _files(tmp_path, backup_pairs=[BackupPair(post="cash", a="A", b="B")])
    leave = tmp_path / "leave.csv"
    leave.write_text(
        "staff_id,date,type\nA,2026-12-01,annual\nB,2026-12-01,annual\n", encoding="utf-8"
    )
    config_text = (tmp_path / "branch.yaml").read_text("utf-8")
    (tmp_path / "branch.yaml").write_text(
        config_text.replace("ab_backup_pair:\n    mode: 'off'", "ab_backup_pair:\n    mode: hard"),
        encoding="utf-8",
    )
    res = runner.invoke(app, [*args, "-a", str(leave)])
    assert res.exit_code == 3, res.output
    text = (tmp_path / "out" / "conflicts.txt").read_text("utf-8")
    assert "A and B are the A/B pair for the cash post" in text and "Tue 1 Dec" in text


def test_schedule_names_the_requirement_file_in_input_errors(tmp_path: Path) -> None:
    """A bad row of the requirement file is reported with the file's own name and row."""
    args = _files(tmp_path)
    frame = pd.read_csv(tmp_path / "requirements.csv")
    frame.loc[0, "post"] = "vault"
    frame.to_csv(tmp_path / "requirements.csv", index=False)
    res = runner.invoke(app, args)
    assert isinstance(res.exception, InputError)
    (issue,) = res.exception.errors
    assert issue.file == str(tmp_path / "requirements.csv")
    assert (issue.location, issue.column, issue.value) == (2, "post", "vault")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("week", ["2026-49", "2026-W60"])
def test_schedule_refuses_a_bad_week(tmp_path: Path, week: str) -> None:
    """A week that is not an ISO week is an input error naming --week."""
    args = _files(tmp_path)
    args[args.index("2026-W49")] = week
    res = runner.invoke(app, args)
    assert isinstance(res.exception, InputError)
    assert res.exception.errors[0].file == "--week"
    assert MON.isoformat() == "2026-11-30"


def test_schedule_locates_an_unknown_pinned_person_at_the_pins_file_row(tmp_path: Path) -> None:
    """A pin naming a staff number the branch does not have is reported at its file row."""
    pins = tmp_path / "pins.csv"
    pins.write_text("staff_id,date,off\nA,2026-12-01,yes\nZ9,2026-12-02,yes\n", encoding="utf-8")
    res = runner.invoke(app, [*_files(tmp_path), "--pins", str(pins)])
    assert isinstance(res.exception, InputError)
    (issue,) = res.exception.errors
    assert (issue.location, issue.column, issue.value) == (3, "staff_id", "Z9")
    assert issue.file.endswith("pins.csv")


def test_schedule_rerun_with_a_roster_removes_the_old_conflicts(tmp_path: Path) -> None:
    """After an infeasible run, a feasible one into the same folder leaves no conflicts.txt."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "conflicts.txt").write_text("from an earlier run", encoding="utf-8")
    res = runner.invoke(app, _files(tmp_path))
    assert res.exit_code == 0, res.output
    assert not (out / "conflicts.txt").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".staging-")]


def test_schedule_repairs_a_published_roster_only_on_the_sick_day(tmp_path: Path) -> None:
    """--published with a sick call: every other day's rows stay exactly as published."""
    args = _files(tmp_path)
    assert runner.invoke(app, args).exit_code == 0
    first = pd.read_csv(tmp_path / "out" / "roster.csv")
    published = tmp_path / "published.csv"
    first.to_csv(published, index=False)
    wednesday = first[first["date"] == "2026-12-02"]
    sick = str(wednesday["staff_id"].iloc[0])
    leave = tmp_path / "sick.csv"
    leave.write_text(f"staff_id,date,type\n{sick},2026-12-02,sick\n", encoding="utf-8")
    res = runner.invoke(app, [*args, "-a", str(leave), "--published", str(published)])
    assert res.exit_code == 0, res.output
    again = pd.read_csv(tmp_path / "out" / "roster.csv")
    other = first["date"] != "2026-12-02"
    assert (
        again[again["date"] != "2026-12-02"]
        .reset_index(drop=True)
        .equals(first[other].reset_index(drop=True))
    )
    assert sick not in set(again[again["date"] == "2026-12-02"]["staff_id"])


def test_schedule_refuses_an_unknown_repair_scope(tmp_path: Path) -> None:
    """--repair-scope takes days or week; anything else is a usage error naming the option."""
    res = runner.invoke(app, [*_files(tmp_path), "--repair-scope", "month"])
    assert res.exit_code == 2
    assert "--repair-scope" in res.output
