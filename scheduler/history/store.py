"""The roster history store: published rosters (versioned, immutable), leave and post hours.

Example:
    >>> from scheduler.history import HistoryStore
    >>> with HistoryStore.open("sqlite:///history.db") as store:  # doctest: +SKIP
    ...     info = store.publish(record)
    ...     hours = store.post_hours("SH-PD-001", start, end)

Every write is one database transaction: a failure half-way (a crash, a bad row, a lost
connection) rolls the whole publication back, so the store never holds half a roster.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, cast

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from scheduler.domain import LeaveRequest
from scheduler.domain.common import minutes_of, parse_clock
from scheduler.errors import InputError, Issue
from scheduler.frames import ASSIGNMENT_COLUMNS, SHIFT_COLUMNS, check_columns
from scheduler.history.migrate import (
    check_and_upgrade,
    create_engine_for,
    display_url,
    resolve_db_url,
)
from scheduler.history.models import (
    AssignmentRow,
    LeaveTaken,
    PostHoursRow,
    Publication,
    ShiftRow,
)

PUBLICATIONS = cast(sa.Table, Publication.__table__)
ASSIGNMENTS = cast(sa.Table, AssignmentRow.__table__)
SHIFTS = cast(sa.Table, ShiftRow.__table__)
POST_HOURS = cast(sa.Table, PostHoursRow.__table__)
LEAVE = cast(sa.Table, LeaveTaken.__table__)

POST_HOURS_COLUMNS = ("staff_id", "date", "post", "hours")
"""Hours one person held one post on one day (effective publications only)."""

PAID_HOURS_COLUMNS = ("staff_id", "date", "hours")
"""Paid hours one person worked on one day (from the shifts of effective publications)."""

LEAVE_COLUMNS = ("staff_id", "start_date", "end_date", "kind", "source", "note")
"""Leave recorded in the store."""

PUBLICATION_COLUMNS = (
    "id",
    "branch_id",
    "start_date",
    "end_date",
    "version",
    "published_at",
    "status",
    "objective",
    "people",
    "paid_hours",
    "note",
    "current",
)
"""One row per publication, as :meth:`HistoryStore.publications_frame` lists them."""


@dataclass(frozen=True)
class RosterRecord:
    """A roster ready to publish: the frames of a result and what identifies it.

    Attributes:
        branch_id: The branch.
        start_date: First day of the horizon.
        end_date: Last day of the horizon (inclusive).
        assignments: :data:`scheduler.frames.ASSIGNMENT_COLUMNS` frame.
        shifts: :data:`scheduler.frames.SHIFT_COLUMNS` frame.
        status: Solver status.
        objective: Objective value, if known.
        summary: The result's summary (stored as JSON).
        source: Where it was read from.
    """

    branch_id: str
    start_date: dt.date
    end_date: dt.date
    assignments: pd.DataFrame
    shifts: pd.DataFrame
    status: str = ""
    objective: float | None = None
    summary: dict[str, Any] = field(default_factory=dict)
    source: str = ""

    @classmethod
    def from_result(cls, result: Any, source: str = "") -> RosterRecord:
        """Build a record from a :class:`scheduler.roster.result.RosterResult`."""
        return cls(
            branch_id=result.branch_id,
            start_date=result.horizon.start,
            end_date=result.horizon.end,
            assignments=result.assignments,
            shifts=result.shifts,
            status=result.stats.status,
            objective=result.stats.objective,
            summary={"summary": result.summary()},
            source=source,
        )

    def label(self) -> str:
        """ISO week label when the record is one Monday-Sunday week, else the date range."""
        if self.start_date.weekday() == 0 and (self.end_date - self.start_date).days == 6:
            iso = self.start_date.isocalendar()
            return f"{iso.year}-W{iso.week:02d}"
        return f"{self.start_date}..{self.end_date}"


@dataclass(frozen=True)
class PublicationInfo:
    """What the store knows about one publication.

    Attributes:
        id: Publication id.
        branch_id: The branch.
        start_date: First day.
        end_date: Last day.
        version: Version number for these days.
        published_at: When (UTC).
        status: Solver status.
        objective: Objective value.
        note: Free text.
    """

    id: int
    branch_id: str
    start_date: dt.date
    end_date: dt.date
    version: int
    published_at: dt.datetime
    status: str
    objective: float | None
    note: str


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _info(row: Any) -> PublicationInfo:
    return PublicationInfo(
        id=row.id,
        branch_id=row.branch_id,
        start_date=row.start_date,
        end_date=row.end_date,
        version=row.version,
        published_at=_utc(row.published_at),
        status=row.status,
        objective=row.objective,
        note=row.note,
    )


def _clock(minute: int) -> str:
    return "24:00" if minute >= 1440 else f"{minute // 60:02d}:{minute % 60:02d}"


def _minute(value: Any) -> int:
    return minutes_of(parse_clock(value if not isinstance(value, pd.Timestamp) else value.time()))


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(value).date()


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    return str(value)


def _assignment_rows(pub_id: int, frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {
            "publication_id": pub_id,
            "staff_id": str(r.staff_id),
            "name": _text(r.name),
            "date": _as_date(r.date),
            "start_minute": _minute(r.start),
            "end_minute": _minute(r.end),
            "activity": str(r.activity),
            "post": _text(r.post),
        }
        for r in frame.itertuples(index=False)
    ]


def _shift_rows(pub_id: int, frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {
            "publication_id": pub_id,
            "staff_id": str(r.staff_id),
            "name": _text(r.name),
            "date": _as_date(r.date),
            "shift": _text(r.shift),
            "start_minute": _minute(r.start),
            "end_minute": _minute(r.end),
            "paid_minutes": int(r.paid_minutes),
        }
        for r in frame.itertuples(index=False)
    ]


def _post_hours_rows(pub_id: int, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Minutes per (person, day, post) from the assignment rows of one publication."""
    minutes: dict[tuple[str, dt.date, str], int] = {}
    for r in rows:
        if r["activity"] == "post" and r["post"]:
            key = (r["staff_id"], r["date"], r["post"])
            minutes[key] = minutes.get(key, 0) + r["end_minute"] - r["start_minute"]
    return [
        {"publication_id": pub_id, "staff_id": s, "date": d, "post": p, "minutes": m}
        for (s, d, p), m in sorted(minutes.items())
    ]


def _serialise_writers(conn: Connection) -> None:
    """Take the store's write lock for this transaction, so publishers run one at a time.

    A no-op update of the ``store_meta`` row locks that row until commit on PostgreSQL and
    takes SQLite's write lock at once, so the version check and the inserts of two concurrent
    publications cannot interleave.
    """
    conn.execute(sa.text("UPDATE store_meta SET value = value WHERE key = 'application'"))


def _reason(exc: OperationalError) -> str:
    text = str(exc.orig) if exc.orig is not None else str(exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__


def _insert(conn: Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(sa.insert(table), rows)


class HistoryStore:
    """Published rosters, leave taken and hours per person per post, in one database.

    Open it with :meth:`open`; it migrates the schema on open. Use it as a context manager or
    call :meth:`close`.

    Attributes:
        url: The database URL.
        engine: The SQLAlchemy engine.
    """

    def __init__(self, engine: Engine, url: str):
        self.engine = engine
        self.url = url

    @classmethod
    def open(cls, db: str | Any | None = None) -> HistoryStore:
        """Open (and create or migrate) the history database.

        Args:
            db: A SQLAlchemy URL or a file path; ``None`` uses ``$BRANCH_ROSTER_DB`` or
                ``~/.local/share/branch-roster/history.db``.

        Raises:
            InputError: If the database is unreachable, corrupt, foreign or too new.
        """
        url = resolve_db_url(db)
        engine = create_engine_for(url)
        try:
            check_and_upgrade(engine, url)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, url)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"HistoryStore({display_url(self.url)!r})"

    # Writing ----------------------------------------------------------------------------

    def publish(
        self,
        record: RosterRecord,
        *,
        new_version: bool = False,
        note: str = "",
        now: dt.datetime | None = None,
        new_version_name: str = "--new-version",
        repeat_returns_current: bool = False,
    ) -> PublicationInfo:
        """Store a roster as a new, immutable publication.

        Args:
            new_version_name: How the caller's interface names ``new_version`` in messages
                (the command line's ``--new-version``, the API's ``new_version``).
            repeat_returns_current: With ``new_version``, when the newest publication of
                these days has the same days and the same ``source`` (a result that cannot
                change, such as a job), return it instead of storing a copy: a request sent
                twice adds one version, also from two processes at once (the check is in
                the writers' transaction).
            record: The roster (see :meth:`RosterRecord.from_result` for a solver result).
            new_version: Required when any of its days is already published for the branch:
                the roster is then stored as the next version (earlier versions stay).
            note: Free text kept with the publication.
            now: Publication time (UTC); defaults to the current time.

        Returns:
            The stored publication.

        Raises:
            InputError: If the days are already published and ``new_version`` is false, or
                if the frames lack columns.
        """
        check_columns(record.assignments, ASSIGNMENT_COLUMNS, "assignments")
        check_columns(record.shifts, SHIFT_COLUMNS, "shifts")
        when = now or dt.datetime.now(dt.UTC)
        pub = PUBLICATIONS
        try:
            with self.engine.begin() as conn:
                _serialise_writers(conn)
                overlapping = conn.execute(
                    sa.select(
                        pub.c.id, pub.c.version, pub.c.start_date, pub.c.end_date, pub.c.source
                    )
                    .where(pub.c.branch_id == record.branch_id)
                    .where(pub.c.start_date <= record.end_date)
                    .where(pub.c.end_date >= record.start_date)
                    .order_by(pub.c.version.desc())
                ).all()
                version = 1 + max((r.version for r in overlapping), default=0)
                if overlapping and not new_version:
                    raise InputError(
                        [
                            Issue(
                                file=new_version_name,
                                message=(
                                    f"{record.label()} of branch {record.branch_id} is already "
                                    f"published (version {version - 1}); publishing it again "
                                    f"needs an explicit new version ({version})"
                                ),
                                value=record.label(),
                                allowed=f"{new_version_name} (earlier versions are kept)",
                            )
                        ]
                    )
                newest = overlapping[0] if overlapping else None
                if (
                    repeat_returns_current
                    and new_version
                    and newest is not None
                    and (newest.start_date, newest.end_date, newest.source)
                    == (record.start_date, record.end_date, record.source)
                ):
                    pub_id = int(newest.id)
                else:
                    key = conn.execute(
                        sa.insert(pub).values(
                            branch_id=record.branch_id,
                            start_date=record.start_date,
                            end_date=record.end_date,
                            version=version,
                            published_at=when,
                            status=record.status,
                            objective=record.objective,
                            source=record.source,
                            note=note,
                            summary_json=json.dumps(
                                record.summary, ensure_ascii=False, default=str
                            ),
                        )
                    ).inserted_primary_key
                    assert key is not None
                    pub_id = int(key[0])
                    rows = _assignment_rows(pub_id, record.assignments)
                    _insert(conn, ASSIGNMENTS, rows)
                    _insert(conn, SHIFTS, _shift_rows(pub_id, record.shifts))
                    _insert(conn, POST_HOURS, _post_hours_rows(pub_id, rows))
        except IntegrityError:
            raise InputError(
                [
                    Issue(
                        file=display_url(self.url),
                        message=(
                            f"{record.label()} of branch {record.branch_id} was published by "
                            "someone else at the same moment; nothing was written"
                        ),
                        allowed=f"publish again (with {new_version_name})",
                    )
                ]
            ) from None
        except OperationalError as exc:
            raise InputError(
                [
                    Issue(
                        file=display_url(self.url),
                        message=f"the history database refused the write ({_reason(exc)}); "
                        "nothing was written",
                        allowed="publish again when the database is reachable and not busy",
                    )
                ]
            ) from None
        return self.publication(pub_id)

    def record_leave(
        self,
        branch_id: str,
        leave: Iterable[LeaveRequest],
        *,
        source: str = "",
        now: dt.datetime | None = None,
    ) -> int:
        """Record leave taken (or booked) in one transaction; approved requests only.

        Exactly repeated entries (same person, dates and kind) are not recorded twice.

        Returns:
            The number of new entries stored.
        """
        when = now or dt.datetime.now(dt.UTC)
        table = LEAVE
        added = 0
        with self.engine.begin() as conn:
            _serialise_writers(conn)
            for req in leave:
                if not req.approved:
                    continue
                exists = conn.execute(
                    sa.select(sa.func.count())
                    .select_from(table)
                    .where(table.c.branch_id == branch_id)
                    .where(table.c.staff_id == req.staff_id)
                    .where(table.c.start_date == req.start_date)
                    .where(table.c.end_date == req.end_date)
                    .where(table.c.kind == req.kind.value)
                ).scalar_one()
                if exists:
                    continue
                conn.execute(
                    sa.insert(table).values(
                        branch_id=branch_id,
                        staff_id=req.staff_id,
                        start_date=req.start_date,
                        end_date=req.end_date,
                        kind=req.kind.value,
                        recorded_at=when,
                        source=source,
                        note=req.note,
                    )
                )
                added += 1
        return added

    # Reading ----------------------------------------------------------------------------

    def publication(self, publication_id: int) -> PublicationInfo:
        """One publication by id.

        Raises:
            KeyError: If there is none with that id.
        """
        pub = PUBLICATIONS
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(pub).where(pub.c.id == publication_id)).first()
        if row is None:
            raise KeyError(publication_id)
        return _info(row)

    def publications(
        self,
        branch_id: str | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
    ) -> list[PublicationInfo]:
        """Every publication (all versions) touching ``start..end``, oldest first."""
        pub = PUBLICATIONS
        query = sa.select(pub).order_by(pub.c.id)
        if branch_id is not None:
            query = query.where(pub.c.branch_id == branch_id)
        if start is not None:
            query = query.where(pub.c.end_date >= start)
        if end is not None:
            query = query.where(pub.c.start_date <= end)
        with self.engine.connect() as conn:
            return [_info(r) for r in conn.execute(query)]

    def branches(self) -> list[str]:
        """Branches with at least one publication or leave entry, sorted."""
        pub, leave = PUBLICATIONS, LEAVE
        with self.engine.connect() as conn:
            ids = set(conn.execute(sa.select(pub.c.branch_id).distinct()).scalars())
            ids |= set(conn.execute(sa.select(leave.c.branch_id).distinct()).scalars())
        return sorted(ids)

    def _effective(self, branch_id: str, start: dt.date, end: dt.date) -> dict[dt.date, int]:
        """For each date in ``start..end`` with a roster, the newest publication covering it."""
        winners: dict[dt.date, int] = {}
        for info in self.publications(branch_id, start, end):  # oldest first: newer overwrite
            day = max(info.start_date, start)
            while day <= min(info.end_date, end):
                winners[day] = info.id
                day += dt.timedelta(days=1)
        return winners

    def _rows(
        self,
        table: sa.Table,
        branch_id: str,
        start: dt.date,
        end: dt.date,
        publication_id: int | None = None,
    ) -> pd.DataFrame:
        if publication_id is not None:
            ids = [publication_id]
            winners = None
        else:
            winners = self._effective(branch_id, start, end)
            ids = sorted(set(winners.values()))
        if not ids:
            return pd.DataFrame(columns=[c.name for c in table.columns])
        query = (
            sa.select(table)
            .where(table.c.publication_id.in_(ids))
            .where(table.c.date >= start)
            .where(table.c.date <= end)
            .order_by(table.c.id)
        )
        with self.engine.connect() as conn:
            frame = pd.DataFrame(conn.execute(query).mappings().all())
        if frame.empty:
            return pd.DataFrame(columns=[c.name for c in table.columns])
        if winners is not None:
            keep = [
                winners.get(d) == p
                for d, p in zip(frame["date"], frame["publication_id"], strict=True)
            ]
            frame = frame[keep].reset_index(drop=True)
        return frame

    def assignments(
        self,
        branch_id: str,
        start: dt.date,
        end: dt.date,
        *,
        publication_id: int | None = None,
    ) -> pd.DataFrame:
        """The published roster for ``start..end`` (:data:`ASSIGNMENT_COLUMNS`).

        Each date comes from the newest publication covering it, or from
        ``publication_id`` when given (any earlier version can be read back).
        """
        frame = self._rows(ASSIGNMENTS, branch_id, start, end, publication_id)
        out = pd.DataFrame(
            {
                "staff_id": frame["staff_id"].astype(object),
                "name": frame["name"].astype(object),
                "date": frame["date"].astype(object),
                "start": [_clock(int(m)) for m in frame["start_minute"]],
                "end": [_clock(int(m)) for m in frame["end_minute"]],
                "activity": frame["activity"].astype(object),
                "post": [p if p else None for p in frame["post"]],
            },
            columns=list(ASSIGNMENT_COLUMNS),
        )
        return out.reset_index(drop=True)

    def shifts(
        self,
        branch_id: str,
        start: dt.date,
        end: dt.date,
        *,
        publication_id: int | None = None,
    ) -> pd.DataFrame:
        """The shifts worked in ``start..end`` (:data:`SHIFT_COLUMNS`), newest versions."""
        frame = self._rows(SHIFTS, branch_id, start, end, publication_id)
        return pd.DataFrame(
            {
                "staff_id": frame["staff_id"].astype(object),
                "name": frame["name"].astype(object),
                "date": frame["date"].astype(object),
                "shift": frame["shift"].astype(object),
                "start": [_clock(int(m)) for m in frame["start_minute"]],
                "end": [_clock(int(m)) for m in frame["end_minute"]],
                "paid_minutes": frame["paid_minutes"].astype("int64"),
            },
            columns=list(SHIFT_COLUMNS),
        ).reset_index(drop=True)

    def post_hours(self, branch_id: str, start: dt.date, end: dt.date) -> pd.DataFrame:
        """Hours per person, day and post in ``start..end`` (:data:`POST_HOURS_COLUMNS`)."""
        frame = self._rows(POST_HOURS, branch_id, start, end)
        return pd.DataFrame(
            {
                "staff_id": frame["staff_id"].astype(object),
                "date": frame["date"].astype(object),
                "post": frame["post"].astype(object),
                "hours": frame["minutes"].astype("float64") / 60.0,
            },
            columns=list(POST_HOURS_COLUMNS),
        ).reset_index(drop=True)

    def paid_hours(self, branch_id: str, start: dt.date, end: dt.date) -> pd.DataFrame:
        """Paid hours per person and day in ``start..end`` (:data:`PAID_HOURS_COLUMNS`)."""
        shifts = self.shifts(branch_id, start, end)
        if shifts.empty:
            return pd.DataFrame(columns=list(PAID_HOURS_COLUMNS))
        out = shifts.groupby(["staff_id", "date"], as_index=False, sort=True)["paid_minutes"].sum()
        out["hours"] = out["paid_minutes"] / 60.0
        return out[list(PAID_HOURS_COLUMNS)].reset_index(drop=True)

    def leave(
        self,
        branch_id: str,
        start: dt.date | None = None,
        end: dt.date | None = None,
        staff_id: str | None = None,
    ) -> pd.DataFrame:
        """Leave recorded for the branch touching ``start..end`` (:data:`LEAVE_COLUMNS`)."""
        table = LEAVE
        query = sa.select(table).where(table.c.branch_id == branch_id).order_by(table.c.id)
        if start is not None:
            query = query.where(table.c.end_date >= start)
        if end is not None:
            query = query.where(table.c.start_date <= end)
        if staff_id is not None:
            query = query.where(table.c.staff_id == staff_id)
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        frame = pd.DataFrame(rows, columns=[c.name for c in table.columns])
        return frame[list(LEAVE_COLUMNS)].reset_index(drop=True)

    def publications_frame(
        self,
        branch_id: str | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
    ) -> pd.DataFrame:
        """Publications with head counts and paid hours; ``current`` marks newest versions."""
        infos = self.publications(branch_id, start, end)
        shift = SHIFTS
        totals: dict[int, tuple[int, float]] = {}
        if infos:
            with self.engine.connect() as conn:
                for row in conn.execute(
                    sa.select(
                        shift.c.publication_id,
                        sa.func.count(sa.distinct(shift.c.staff_id)),
                        sa.func.sum(shift.c.paid_minutes),
                    )
                    .where(shift.c.publication_id.in_([i.id for i in infos]))
                    .group_by(shift.c.publication_id)
                ):
                    totals[row[0]] = (int(row[1]), float(row[2] or 0) / 60.0)
        current: set[int] = set()
        for branch in {i.branch_id for i in infos}:
            lo = min(i.start_date for i in infos if i.branch_id == branch)
            hi = max(i.end_date for i in infos if i.branch_id == branch)
            current |= set(self._effective(branch, lo, hi).values())
        rows = [
            {
                "id": i.id,
                "branch_id": i.branch_id,
                "start_date": i.start_date,
                "end_date": i.end_date,
                "version": i.version,
                "published_at": i.published_at,
                "status": i.status,
                "objective": i.objective,
                "people": totals.get(i.id, (0, 0.0))[0],
                "paid_hours": totals.get(i.id, (0, 0.0))[1],
                "note": i.note,
                "current": i.id in current,
            }
            for i in infos
        ]
        return pd.DataFrame(rows, columns=list(PUBLICATION_COLUMNS))

    def iter_weeks(self, branch_id: str) -> Iterator[tuple[dt.date, dt.date]]:
        """The (start, end) of every published horizon of the branch, oldest first, once."""
        seen: set[tuple[dt.date, dt.date]] = set()
        for info in self.publications(branch_id):
            key = (info.start_date, info.end_date)
            if key not in seen:
                seen.add(key)
                yield key
