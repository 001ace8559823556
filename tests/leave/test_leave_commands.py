"""Tests of the ``leave-plan`` command: files written, history respected, errors and exit codes."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest
from leave_builders import d, tiny_config

from scheduler.cli import common, main
from scheduler.domain import LeaveKind, LeaveRequest
from scheduler.history import HistoryStore
from scheduler.io.config_file import dump_config


def _run(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.setattr(sys, "argv", ["branch-roster", *args])
    try:
        main()
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """The tiny branch's configuration file and a history database with A's block taken."""
    monkeypatch.setattr(common.console, "width", 200)
    config = tmp_path / "branch.yaml"
    dump_config(tiny_config(), config)
    db = tmp_path / "history.db"
    with HistoryStore.open(db) as store:
        store.record_leave(
            "T-1",
            [
                LeaveRequest(
                    staff_id="A", start_date=d(1, 11), end_date=d(1, 15), kind=LeaveKind.MANDATORY
                )
            ],
        )
    return config, db


def test_plan_written_with_history(
    files: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plan and entitlements are written; the taken block and the wish are honoured."""
    config, db = files
    prefs = tmp_path / "prefs.csv"
    prefs.write_text("staff_id,earliest,latest,weight\nB,2027-09-06,2027-09-10,5\n", "utf-8")
    out = tmp_path / "out"
    code = _run(monkeypatch, "leave-plan", "--year", "2027", "--config", str(config),
                "--db", str(db), "--out", str(out), "--preferences", str(prefs),
                "--workers", "1")  # fmt: skip
    assert code == 0
    plan = pd.read_csv(out / "leave_plan.csv", encoding="utf-8-sig")
    columns = ["staff_id", "start", "end", "cover_id", "status", "preference"]
    assert plan[columns].fillna("").values.tolist() == [
        ["A", "2027-01-11", "2027-01-15", "", "taken", ""],
        ["B", "2027-09-06", "2027-09-10", "A", "planned", "met"],
    ]
    ent = pd.read_csv(out / "entitlements.csv", encoding="utf-8-sig").set_index("staff_id")
    assert ent.loc["A", "mandatory_taken"] == 5


def test_infeasible_exit_3_and_no_plan(
    files: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When no plan exists the command says why, exits 3 and writes no plan file."""
    config, db = files
    out = tmp_path / "out"
    args = ["--db", str(db), "--out", str(out), "--blackout", "2027-01-01..2027-12-31"]
    code = _run(monkeypatch, "leave-plan", "--year", "2027", "--config", str(config), *args)
    assert code == 3
    assert not (out / "leave_plan.csv").exists()


def test_bad_preferences_exit_2(
    files: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """A wish naming an unknown person is a located input error, exit 2, nothing written."""
    config, db = files
    prefs = tmp_path / "prefs.csv"
    prefs.write_text("staff_id,earliest,latest\nZ9,2027-09-06,2027-09-10\n", "utf-8")
    out = tmp_path / "out"
    code = _run(monkeypatch, "leave-plan", "--year", "2027", "--config", str(config),
                "--db", str(db), "--out", str(out), "--preferences", str(prefs))  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err
    assert "prefs.csv, row 2, column 'staff_id': unknown staff id (found 'Z9')" in err
    assert not out.exists()


def test_bad_min_cover_exit_2(
    files: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """A cover for an unknown post is refused before anything is planned or written."""
    config, db = files
    out = tmp_path / "out"
    code = _run(monkeypatch, "leave-plan", "--year", "2027", "--config", str(config),
                "--db", str(db), "--out", str(out), "--min-cover", "vault=2")  # fmt: skip
    assert code == 2
    assert (
        "--min-cover: unknown post (found 'vault=2'); allowed: lobby, teller"
        in capsys.readouterr().err
    )
    assert not out.exists()


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        (
            "--blackout",
            "2026-06-01..2026-06-05",
            "--blackout: no day of it is in 2027 (found '2026-06-01..2026-06-05'); "
            "allowed: 2027-01-01..2027-12-31",
        ),
        (
            "--today",
            "2031-01-01",
            "--today: after the planned year 2027: nothing could be planned "
            "(found '2031-01-01'); allowed: 2027-12-31 or earlier",
        ),
    ],
)
def test_dates_outside_the_year_exit_2(
    files: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], option: str, value: str, message: str,
) -> None:  # fmt: skip
    """A blackout or re-plan date outside the planned year is refused, never silently dropped."""
    config, db = files
    out = tmp_path / "out"
    code = _run(monkeypatch, "leave-plan", "--year", "2027", "--config", str(config),
                "--db", str(db), "--out", str(out), option, value)  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err
    assert message in err
    assert not out.exists()
