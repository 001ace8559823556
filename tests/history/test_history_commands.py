"""Tests of the publish, history and quotas commands end to end on a SQLite file."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from scheduler.cli import common, main
from scheduler.history import HistoryStore
from scheduler.io.config_file import dump_config
from scheduler.sample.branch import sample_config

ROSTER = """staff_id,name,date,start,end,activity,post
S04,刘洋,2026-11-30,09:00,12:00,post,cash_teller
S04,刘洋,2026-11-30,12:00,13:00,break,
S04,刘洋,2026-11-30,13:00,17:00,post,noncash_teller
"""
SHIFTS = """staff_id,name,date,shift,start,end,paid_minutes
S04,刘洋,2026-11-30,day,08:30,17:30,480
"""


@dataclass
class Ran:
    """What a command did: exit code and printed text."""

    code: int
    out: str
    err: str


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable[..., Ran]:
    """Run ``branch-roster`` in-process, as the console script does, on a wide console."""
    monkeypatch.setattr(common.console, "width", 200)

    def run(*args: str, db: Path) -> Ran:
        monkeypatch.setattr(sys, "argv", ["branch-roster", *args, "--db", str(db)])
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return Ran(code, out, err)

    return run


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A configuration file, a result folder and a database path."""
    import datetime as dt

    config = tmp_path / "branch.yaml"
    dump_config(sample_config(dt.date(2026, 11, 30)), config)
    result = tmp_path / "result"
    result.mkdir()
    (result / "roster.csv").write_text(ROSTER, encoding="utf-8")
    (result / "shifts.csv").write_text(SHIFTS, encoding="utf-8")
    (result / "summary.json").write_text(
        json.dumps({"branch_id": "SH-PD-001", "horizon": {"start": "2026-11-30", "days": 7}}),
        encoding="utf-8",
    )
    return config, result, tmp_path / "history.db"


def test_publish_twice_and_list(setup: tuple[Path, Path, Path], cli: Callable[..., Ran]) -> None:
    """Publishing again needs --new-version (exit 2, nothing written); history lists both."""
    config, result, db = setup
    first = cli("publish", "--result", str(result), "--config", str(config), db=db)
    assert first.code == 0, first.err
    assert "as version 1" in first.out
    again = cli("publish", "--result", str(result), "--config", str(config), db=db)
    assert again.code == 2
    assert "--new-version" in again.err and "nothing was written" in again.err
    newer = cli("publish", "--result", str(result), "--config", str(config), "--new-version",
                 db=db)  # fmt: skip
    assert "as version 2" in newer.out
    listing = cli("history", "--week", "2026-W49", db=db)
    assert listing.code == 0, listing.err
    assert "hours per person and post" in listing.out
    with HistoryStore.open(db) as store:
        assert [p.version for p in store.publications()] == [1, 2]


def test_quotas_report_and_foreign_db(
    setup: tuple[Path, Path, Path], tmp_path: Path, cli: Callable[..., Ran]
) -> None:
    """The quota report runs on a store; a foreign database file is refused with exit 2."""
    config, result, db = setup
    cli("publish", "--result", str(result), "--config", str(config), db=db)
    report = cli("quotas", "--config", str(config), "--week", "2026-W50",
                  "--out", str(tmp_path / "q.csv"), db=db)  # fmt: skip
    assert report.code == 0, report.err
    assert (tmp_path / "q.csv").read_text(encoding="utf-8-sig").startswith("quota,staff_id")
    foreign = tmp_path / "notes.db"
    foreign.write_text("not a database at all, just notes" * 30)
    bad = cli("history", db=foreign)
    assert bad.code == 2
    assert "not a readable database" in bad.err
    assert "Traceback" not in bad.err


def test_quotas_report_says_why_it_is_empty(
    setup: tuple[Path, Path, Path], cli: Callable[..., Ran]
) -> None:
    """Quotas counted inside each roster leave the report empty, and it says so."""
    config, result, db = setup
    cli("publish", "--result", str(result), "--config", str(config), db=db)
    report = cli("quotas", "--config", str(config), "--week", "2026-W50", db=db)
    assert report.code == 0, report.err
    assert "0 rows; 0 behind" in report.out
    text = " ".join(report.out.split())
    assert "'customer managers on the floor', 'cash teller rotation'" in text
    assert "counted inside each roster (period: horizon)" in text


def test_history_without_database(tmp_path: Path, cli: Callable[..., Ran]) -> None:
    """Listing a history that does not exist says so (exit 2) and creates no file."""
    missing = tmp_path / "typo.db"
    ran = cli("history", db=missing)
    assert ran.code == 2
    assert "no history database here yet" in ran.err
    assert not missing.exists()


def test_quotas_report_names_the_leg_of_a_rotation_cycle(
    setup: tuple[Path, Path, Path], tmp_path: Path, cli: Callable[..., Ran]
) -> None:
    """A quarterly swap shows who is on which leg: S08 on the customer-manager leg in Q4."""
    config, result, db = setup
    text = config.read_text(encoding="utf-8") + (
        "rotation_cycles:\n- name: swap\n  staff: [S08]\n"
        "  posts: [customer_manager, lobby]\n  anchor: 2026-10-01\n"
    )
    config.write_text(text, encoding="utf-8")
    cli("publish", "--result", str(result), "--config", str(config), db=db)
    report = cli("quotas", "--config", str(config), "--week", "2026-W50",
                  "--out", str(tmp_path / "q.csv"), db=db)  # fmt: skip
    assert report.code == 0, report.err
    assert "swap: customer_manager" in report.out
    import pandas as pd

    rows = pd.read_csv(tmp_path / "q.csv", encoding="utf-8-sig")
    (row,) = rows[rows["quota"] == "swap"].to_dict("records")
    assert (row["staff_id"], row["leg_post"], row["period_start"]) == (
        "S08",
        "customer_manager",
        "2026-10-01",
    )


def test_publish_leave_warns_on_a_long_row_and_on_leave_over_the_entitlement(
    setup: tuple[Path, Path, Path], tmp_path: Path, cli: Callable[..., Ran]
) -> None:
    """Leave over a year, or beyond what the person is entitled to, is recorded with warnings."""
    config, result, db = setup
    leave = tmp_path / "leave.csv"
    leave.write_text(
        "staff_id,start_date,end_date,kind\n"
        "S04,2026-06-01,2026-06-12,annual\n"  # 10 working days; 刘洋 is entitled to 5
        "S05,2026-12-07,2027-12-07,sick\n",  # a wrong year, most likely
        encoding="utf-8",
    )
    ran = cli("publish", "--result", str(result), "--config", str(config),
              "--leave", str(leave), db=db)  # fmt: skip
    assert ran.code == 0, ran.err
    assert "recorded 2 leave entries" in ran.out
    err = " ".join(ran.err.split())
    assert "leave of 366 days, longer than a year: check the years" in err
    assert "刘洋 (S04) takes 10 working days of annual leave in 2026, 5 more than entitled" in err
    assert "陈静" not in err
    again = cli("publish", "--result", str(result), "--config", str(config),
                "--leave", str(leave), "--new-version", db=db)  # fmt: skip
    assert again.code == 0, again.err
    assert "recorded 0 leave entries (2 known)" in again.out
    err = " ".join(again.err.split())  # the same leave again is not counted twice
    assert "刘洋 (S04) takes 10 working days of annual leave in 2026, 5 more than entitled" in err
