"""Tests of the history store on SQLite and PostgreSQL: versions, transactions, bad databases."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from history_builders import MONDAY, week_record

from scheduler.domain import LeaveKind, LeaveRequest
from scheduler.errors import InputError
from scheduler.history import HistoryStore, resolve_db_url
from scheduler.history import store as store_module
from scheduler.history.migrate import head_revision

SUNDAY = MONDAY + dt.timedelta(days=6)


def _counts(store: HistoryStore) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {
            t: conn.execute(sa.text(f"SELECT COUNT(*) FROM {t}")).scalar_one()
            for t in ("publication", "assignment", "shift", "post_hours", "leave_taken")
        }


def test_open_migrates_to_head(store: HistoryStore) -> None:
    """Opening an empty database creates the schema at the newest Alembic revision."""
    with store.engine.connect() as conn:
        version = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()
    assert version == head_revision() == "0001"
    assert _counts(store) == dict.fromkeys(
        ("publication", "assignment", "shift", "post_hours", "leave_taken"), 0
    )


def test_publish_and_read_back(store: HistoryStore) -> None:
    """A published roster reads back row for row, with hours per person per post."""
    info = store.publish(week_record(MONDAY, {"S04": ("cash_teller", "noncash_teller")}, days=1))
    assert (info.version, info.start_date, info.end_date) == (1, MONDAY, SUNDAY)
    rows = store.assignments("SH-PD-001", MONDAY, SUNDAY)
    assert rows[["start", "end", "activity"]].values.tolist() == [
        ["09:00", "12:00", "post"],
        ["12:00", "13:00", "break"],
        ["13:00", "17:00", "post"],
    ]
    hours = store.post_hours("SH-PD-001", MONDAY, SUNDAY)
    assert sorted(zip(hours["post"], hours["hours"], strict=True)) == [
        ("cash_teller", 3.0),
        ("noncash_teller", 4.0),
    ]
    paid = store.paid_hours("SH-PD-001", MONDAY, SUNDAY)
    assert paid["hours"].tolist() == [7.0]


def test_republish_needs_new_version(store: HistoryStore) -> None:
    """Publishing a week already published is refused unless a new version is asked for."""
    store.publish(week_record(MONDAY, {"S04": ("cash_teller", "cash_teller")}))
    with pytest.raises(InputError) as err:
        store.publish(week_record(MONDAY, {"S04": ("lobby", "lobby")}))
    issue = err.value.issues[0]
    assert issue.file == "--new-version"
    assert issue.value == "2026-W49"
    assert "already published (version 1)" in issue.message
    assert _counts(store)["publication"] == 1


def test_new_version_keeps_the_old_one(store: HistoryStore) -> None:
    """A re-publication is a new version; the old version stays readable and unchanged."""
    first = store.publish(week_record(MONDAY, {"S04": ("cash_teller", "cash_teller")}))
    second = store.publish(
        week_record(MONDAY, {"S04": ("noncash_teller", "noncash_teller")}), new_version=True
    )
    assert (first.version, second.version) == (1, 2)
    current = store.post_hours("SH-PD-001", MONDAY, SUNDAY)
    assert set(current["post"]) == {"noncash_teller"}
    old = store.assignments("SH-PD-001", MONDAY, SUNDAY, publication_id=first.id)
    assert set(old["post"].dropna()) == {"cash_teller"}
    frame = store.publications_frame("SH-PD-001")
    assert frame["current"].tolist() == [False, True]
    assert frame["paid_hours"].tolist() == [35.0, 35.0]


def test_a_repeated_publication_of_the_same_source_returns_the_version_in_force(
    store: HistoryStore, db_url: str
) -> None:
    """The same result sent twice, through two stores (two processes), is one version.

    Only when asked (``repeat_returns_current``), only while it is the newest version of
    its days, and only for the same source; another source, or none asked, adds a version.
    """
    record = replace(week_record(MONDAY, {"S04": ("cash_teller", "cash_teller")}), source="job 1")
    other = replace(week_record(MONDAY, {"S04": ("lobby", "lobby")}), source="job 2")
    first = store.publish(record, new_version=True, repeat_returns_current=True)
    with HistoryStore.open(db_url) as second_process:
        again = second_process.publish(record, new_version=True, repeat_returns_current=True)
    assert again == first and _counts(store)["publication"] == 1

    replaced = store.publish(other, new_version=True, repeat_returns_current=True)
    back = store.publish(record, new_version=True, repeat_returns_current=True)
    assert (first.version, replaced.version, back.version) == (1, 2, 3)
    copy = store.publish(record, new_version=True)  # not asked: a copy, as before
    assert copy.version == 4


def test_overlapping_horizon_counts_newest_per_day(store: HistoryStore) -> None:
    """Where a later publication overlaps an earlier one, each day comes from the newest."""
    store.publish(week_record(MONDAY, {"S04": ("cash_teller", "cash_teller")}))
    later = week_record(MONDAY + dt.timedelta(days=3), {"S04": ("lobby", "lobby")}, days=2)
    store.publish(later, new_version=True)
    hours = store.post_hours("SH-PD-001", MONDAY, SUNDAY + dt.timedelta(days=3))
    by_post = hours.groupby("post")["hours"].sum().to_dict()
    assert by_post == {"cash_teller": 21.0, "lobby": 14.0}


def test_failure_mid_publish_leaves_store_unchanged(
    store: HistoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crash after the roster rows are written rolls the whole publication back."""
    store.publish(week_record(MONDAY, {"S04": ("cash_teller", "cash_teller")}))
    before = _counts(store)

    def crash(*args: object) -> list[dict]:
        raise RuntimeError("power cut")

    monkeypatch.setattr(store_module, "_post_hours_rows", crash)
    with pytest.raises(RuntimeError, match="power cut"):
        store.publish(week_record(MONDAY, {"S05": ("lobby", "lobby")}), new_version=True)
    assert _counts(store) == before
    assert [p.version for p in store.publications()] == [1]


def test_bad_row_mid_publish_leaves_store_unchanged(store: HistoryStore) -> None:
    """A row that cannot be stored (bad time) aborts the publication with nothing written."""
    record = week_record(MONDAY, {"S04": ("cash_teller", "cash_teller")})
    shifts = record.shifts.copy()
    shifts.loc[3, "start"] = "nine"
    broken = type(record)(**{**record.__dict__, "shifts": shifts})
    with pytest.raises(ValueError, match="not a time of day"):
        store.publish(broken)
    assert _counts(store)["publication"] == 0


def test_record_leave_once(store: HistoryStore) -> None:
    """Leave recorded twice is stored once; unapproved wishes are not leave taken."""
    leave = [
        LeaveRequest(staff_id="S04", start_date=MONDAY, end_date=SUNDAY, kind=LeaveKind.ANNUAL),
        LeaveRequest(staff_id="S05", start_date=MONDAY, end_date=MONDAY, approved=False),
    ]
    assert store.record_leave("SH-PD-001", leave) == 1
    assert store.record_leave("SH-PD-001", leave) == 0
    frame = store.leave("SH-PD-001", MONDAY, SUNDAY)
    assert frame[["staff_id", "kind"]].values.tolist() == [["S04", "annual"]]
    assert store.leave("SH-PD-001", SUNDAY + dt.timedelta(days=1)).empty


def test_reopen_keeps_data(db_url: str) -> None:
    """Closing and opening the store again keeps every publication."""
    with HistoryStore.open(db_url) as first:
        first.publish(week_record(MONDAY, {"S04": ("cash_teller", "cash_teller")}))
    with HistoryStore.open(db_url) as again:
        assert [(p.branch_id, p.version) for p in again.publications()] == [("SH-PD-001", 1)]


def test_corrupt_file_is_refused_untouched(tmp_path: Path) -> None:
    """A file that is not a database gives a clear error and is left byte for byte."""
    path = tmp_path / "history.db"
    path.write_bytes(b"this is a spreadsheet, not a database" * 40)
    before = path.read_bytes()
    with pytest.raises(InputError) as err:
        HistoryStore.open(path)
    assert "not a readable database" in err.value.issues[0].message
    assert path.read_bytes() == before


def test_foreign_database_is_refused_untouched(tmp_path: Path) -> None:
    """A database of another application is refused and none of its tables change."""
    path = tmp_path / "crm.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER, name TEXT)")
        conn.execute("INSERT INTO customers VALUES (1, 'a')")
    with pytest.raises(InputError) as err:
        HistoryStore.open(f"sqlite:///{path}")
    assert "not a branch-roster history store (it holds tables: customers)" in str(err.value)
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master")]
    assert tables == ["customers"]


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    """A store written by a newer version (unknown revision) is refused, not downgraded."""
    url = f"sqlite:///{tmp_path / 'h.db'}"
    HistoryStore.open(url).close()
    with sqlite3.connect(tmp_path / "h.db") as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(InputError) as err:
        HistoryStore.open(url)
    assert "schema revision 9999" in err.value.issues[0].message


def test_unreachable_server_is_an_input_error() -> None:
    """A server that does not answer gives a located error naming the database, no traceback."""
    with pytest.raises(InputError) as err:
        HistoryStore.open("postgresql+psycopg://postgres:secret@127.0.0.1:1/none")
    issue = err.value.issues[0]
    assert issue.file == "postgresql+psycopg://postgres:***@127.0.0.1:1/none"
    assert issue.message.startswith("cannot open the history database")


def test_db_location(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The database is the --db value, else $BRANCH_ROSTER_DB, else the XDG data folder."""
    monkeypatch.delenv("BRANCH_ROSTER_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert resolve_db_url(None) == f"sqlite:///{tmp_path}/branch-roster/history.db"
    monkeypatch.setenv("BRANCH_ROSTER_DB", "postgresql+psycopg://x@h/db")
    assert resolve_db_url(None) == "postgresql+psycopg://x@h/db"
    assert resolve_db_url(tmp_path / "a.db") == f"sqlite:///{tmp_path}/a.db"


def test_frames_keep_contract_columns(store: HistoryStore) -> None:
    """Frames read back carry exactly the shared column contracts, even when empty."""
    from scheduler.frames import ASSIGNMENT_COLUMNS, SHIFT_COLUMNS

    assert tuple(store.assignments("X", MONDAY, SUNDAY).columns) == ASSIGNMENT_COLUMNS
    store.publish(week_record(MONDAY, {"S04": ("cash_teller", "cash_teller")}, days=1))
    shifts = store.shifts("SH-PD-001", MONDAY, SUNDAY)
    assert tuple(shifts.columns) == SHIFT_COLUMNS
    assert shifts["paid_minutes"].tolist() == [420]
    assert isinstance(shifts["date"].iloc[0], dt.date)
    assert pd.api.types.is_integer_dtype(shifts["paid_minutes"])


def test_record_from_solver_result(store: HistoryStore) -> None:
    """A solver result publishes directly, keeping its branch, horizon, status and objective."""
    from scheduler.calendar import Horizon
    from scheduler.roster.result import RosterResult, SolverStats

    week = week_record(MONDAY, {"S04": ("cash_teller", "lobby")}, days=2)
    result = RosterResult(
        branch_id="SH-PD-001",
        horizon=Horizon(MONDAY, 7),
        stats=SolverStats(status="OPTIMAL", objective=12.0, best_bound=12.0, gap=0.0),
        assignments=week.assignments,
        shifts=week.shifts,
    )
    info = store.publish(type(week).from_result(result, source="api"))
    assert (info.status, info.objective, info.start_date, info.end_date) == (
        "OPTIMAL",
        12.0,
        MONDAY,
        SUNDAY,
    )
    assert store.post_hours("SH-PD-001", MONDAY, SUNDAY)["hours"].sum() == 14.0


def test_concurrent_publishers_do_not_interleave(db_url: str) -> None:
    """Two publishers of the same week end with versions 1 and 2, never two version 1s."""
    import threading

    results: list[object] = []

    def publish(post: str) -> None:
        with HistoryStore.open(db_url) as mine:
            try:
                results.append(
                    mine.publish(week_record(MONDAY, {"S04": (post, post)}), new_version=True)
                )
            except InputError as exc:  # a busy SQLite file may refuse; it must say so cleanly
                results.append(exc)

    HistoryStore.open(db_url).close()
    threads = [threading.Thread(target=publish, args=(p,)) for p in ("cash_teller", "lobby")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with HistoryStore.open(db_url) as store:
        versions = sorted(p.version for p in store.publications())
        rows = _counts(store)
    published = [r for r in results if not isinstance(r, InputError)]
    assert versions == list(range(1, len(published) + 1))
    assert rows["assignment"] == 15 * len(published)


def test_migration_matches_models(store: HistoryStore) -> None:
    """The schema the migrations build is exactly the one the models describe (no drift)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from scheduler.history.models import Base

    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_downgrade_and_upgrade_again(store: HistoryStore) -> None:
    """The first migration can be undone and redone, leaving an empty current store."""
    from alembic import command

    from scheduler.history.migrate import alembic_config

    with store.engine.begin() as conn:
        command.downgrade(alembic_config(connection=conn), "base")
    with store.engine.connect() as conn:
        assert set(sa.inspect(conn).get_table_names()) <= {"alembic_version"}
    with store.engine.begin() as conn:
        command.upgrade(alembic_config(connection=conn), "head")
    assert _counts(store)["publication"] == 0
