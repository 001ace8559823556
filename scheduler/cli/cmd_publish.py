"""``branch-roster publish``: store a solved roster in the history as a new publication."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import typer

from scheduler.cli.common import console, print_issues

if TYPE_CHECKING:
    from scheduler.domain import LeaveRequest

DB_HELP = (
    "History database: a SQLAlchemy URL or a file path "
    "(default $BRANCH_ROSTER_DB or ~/.local/share/branch-roster/history.db)."
)


def register(app: typer.Typer) -> None:
    """Add the ``publish`` command."""

    @app.command("publish")
    def publish(
        result: Path = typer.Option(..., "--result", help="Result folder (roster.csv, ...)."),
        config: Path = typer.Option(..., "--config", help="Branch configuration (YAML/TOML)."),
        db: str | None = typer.Option(None, "--db", help=DB_HELP),
        new_version: bool = typer.Option(
            False, "--new-version", help="Publish days already published as a new version."
        ),
        leave: list[Path] = typer.Option(
            [], "--leave", help="Leave taken to record (CSV/XLSX: staff_id, start_date, ...)."
        ),
        note: str = typer.Option("", "--note", help="Free text kept with the publication."),
    ) -> None:
        """Publish a roster: it becomes an immutable, versioned entry of the history.

        Nothing is written unless the whole roster (and the leave files) can be stored.
        """
        from scheduler.errors import InputError, Issue
        from scheduler.history import HistoryStore
        from scheduler.history.files import read_leave_file, read_result_dir
        from scheduler.io.config_file import load_config
        from scheduler.leave.entitlement import over_entitlement

        cfg = load_config(config)
        record = read_result_dir(result, cfg)
        requests = []
        issues = []
        warnings: list[Issue] = []
        for path in leave:
            try:
                requests += read_leave_file(path, cfg, warnings)
            except InputError as exc:
                issues += exc.issues
        if issues:
            raise InputError(issues)
        with HistoryStore.open(db) as store:
            years = {y for r in requests for y in range(r.start_date.year, r.end_date.year + 1)}
            if years:  # worked out before anything is written: a failure here stores nothing
                stored = store.leave(
                    cfg.branch.id, dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)
                )
                warnings += over_entitlement(
                    cfg,
                    _with_new_leave(stored, requests),
                    years,
                    staff_ids={r.staff_id for r in requests},
                )
            info = store.publish(record, new_version=new_version, note=note)
            added = store.record_leave(cfg.branch.id, requests, source=",".join(map(str, leave)))
        print_issues(warnings)
        console.print(
            f"published {record.label()} of {cfg.branch.id} as version {info.version} "
            f"(publication {info.id}): {len(record.assignments)} roster rows, "
            f"{len(record.shifts)} shifts"
        )
        if leave:
            console.print(f"recorded {added} leave entries ({len(requests) - added} known)")


def _with_new_leave(stored: pd.DataFrame, requests: list[LeaveRequest]) -> pd.DataFrame:
    """Leave already stored plus the approved requests about to be, each entry once.

    An entry is the same when person, first and last day and kind are (as the store counts
    exact repeats).
    """
    new = pd.DataFrame(
        [
            {
                "staff_id": r.staff_id,
                "start_date": r.start_date,
                "end_date": r.end_date,
                "kind": r.kind.value,
                "source": "",
                "note": r.note,
            }
            for r in requests
            if r.approved
        ],
        columns=list(stored.columns),
    )
    both = pd.concat([stored, new], ignore_index=True) if len(new) else stored
    return both.drop_duplicates(["staff_id", "start_date", "end_date", "kind"], keep="first")
