"""What the service does, independent of HTTP: branches, files, jobs, results, swaps.

Every operation takes the calling :class:`~scheduler.service.security.Principal` and refuses
(:class:`Forbidden`) what the caller may not do; bad input raises
:class:`~scheduler.errors.InputError` with located issues; a missing thing raises
:class:`NotFound`. The HTTP layers only translate these into status codes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import pickle
import re
import tempfile
import uuid
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from scheduler.calendar import BranchCalendar, Horizon
from scheduler.domain import BranchConfig
from scheduler.errors import InputError, Issue
from scheduler.pipeline import PipelineResult, week_of
from scheduler.roster.request import Pin
from scheduler.service.db import (
    BRANCHES,
    FILES,
    JOBS,
    SWAPS,
    TRAFFIC_SPANS,
    create_tables,
    now,
    row_dict,
)
from scheduler.service.jobs import JobRunner
from scheduler.service.ratelimit import LoginLimiter
from scheduler.service.security import Authenticator, Principal
from scheduler.service.settings import ServiceSettings
from scheduler.service.worker import RESULT_FILE, WORKBOOK_FILE

CONFIG_SUFFIXES = (".yaml", ".yml", ".json", ".toml")
TABLE_SUFFIXES = (".csv", ".xlsx")
TRAFFIC_SUFFIXES = (".csv", ".csv.gz", ".xlsx")
_SAFE_NAME = re.compile(r"[^\w.\-]+")
MAX_NAME_CHARS = 80
"""Longest upload file name kept (80 Chinese characters are 240 bytes, under the 255-byte
limit of file names on Linux file systems and the 256 characters of ``svc_files.name``)."""


_UPSERTS: dict[str, Callable[..., Any]] = {
    "postgresql": postgresql.insert,
    "sqlite": sqlite.insert,
}
"""The ``INSERT ... ON CONFLICT`` of the databases that have it."""


class Forbidden(Exception):
    """The caller may not do this (HTTP 403)."""


class NotFound(Exception):
    """The thing asked for does not exist, or is hidden from the caller (HTTP 404)."""


class NotReady(NotFound):
    """The job exists but has not finished yet: ask again later (HTTP 409)."""


class TooManyLogins(Exception):
    """Too many failed logins for the username or from the address (HTTP 429).

    Attributes:
        retry_after: Whole seconds until a login may be tried again.
    """

    def __init__(self, retry_after: int):
        super().__init__(f"too many failed logins; try again in {retry_after} s")
        self.retry_after = retry_after


def _suffix(name: str, allowed: tuple[str, ...], field: str) -> str:
    lower = name.lower()
    for suffix in sorted(allowed, key=len, reverse=True):
        if lower.endswith(suffix):
            return suffix
    raise InputError(
        [
            Issue(
                name or "<upload>",
                "unsupported file type",
                column=field,
                value=name,
                allowed=", ".join(allowed),
            )
        ]
    )


def _week(week: str) -> Horizon:
    """The ISO week a label names, refusing any spelling but ``2026-W49``.

    Weeks are keys of what is stored (availability files, publications): ``2026-w50`` or
    ``2026W50`` would be stored where no job for 2026-W50 looks.
    """
    try:
        horizon = Horizon.iso_week(week)
    except ValueError as exc:
        raise InputError([Issue("week", str(exc), value=week, allowed="e.g. 2026-W49")]) from None
    year, number, _ = horizon.start.isocalendar()
    canonical = f"{year}-W{number:02d}"
    if week != canonical:
        raise InputError(
            [
                Issue(
                    "week",
                    f"write the week as {canonical}",
                    value=week,
                    allowed=f"{canonical} (year, '-W', two-digit week)",
                )
            ]
        )
    return horizon


@dataclasses.dataclass(frozen=True)
class HistorySpan:
    """The dates a branch's stored traffic history covers.

    Attributes:
        first: Its first local date.
        last: Its last local date.
    """

    first: dt.date
    last: dt.date


def _span(history: pd.DataFrame) -> HistorySpan | None:
    """The first and last date of an hourly traffic frame (``None`` if it is empty)."""
    if history.empty:
        return None
    stamps = pd.to_datetime(history["ds"])
    return HistorySpan(stamps.min().date(), stamps.max().date())


def _before_history(week: str, horizon: Horizon, first: dt.date) -> Issue:
    """The problem of a week with no traffic before it to forecast from.

    The forecast of a week is fitted on the history before its Monday: a week that starts
    on or before the first date of the history has none, and its job could only fail.
    """
    earliest = first + dt.timedelta(days=7 - first.weekday())  # the first Monday after it
    where = "before" if horizon.start < first else "on"
    return Issue(
        "week",
        f"week {week} starts on {horizon.start}, {where} the first date of the branch's "
        f"traffic history ({first}): the forecast needs traffic from before the week",
        value=week,
        allowed=(
            f"{week_of(earliest)} or a later week (one starting after {first}), or a traffic "
            f"history that begins before {horizon.start}"
        ),
    )


def check_week(week: str) -> None:
    """Refuse (422) a label that is not an ISO week, e.g. ``2026-W54`` or ``2026-13-01``.

    Raises:
        InputError: Naming the week and the form allowed.
    """
    _week(week)


def safe_name(name: str) -> str:
    """A file name with only letters, digits, dots, dashes and underscores."""
    cleaned = _SAFE_NAME.sub("_", Path(name).name).strip("._")
    return cleaned or "upload"


def upload_name(filename: str | None, default: str) -> str:
    """The safe name of an uploaded file, or a 422 naming the name if it is too long.

    Raises:
        InputError: If the cleaned name has more than :data:`MAX_NAME_CHARS` characters.
    """
    name = safe_name(filename or default)
    if len(name) > MAX_NAME_CHARS:
        shown = f"{name[:20]}...{name[-20:]}"
        raise InputError(
            [
                Issue(
                    shown,
                    "the file name is too long",
                    column="filename",
                    value=f"{len(name)} characters",
                    allowed=f"a file name of at most {MAX_NAME_CHARS} characters",
                )
            ]
        )
    return name


def _as_sent(issues: Iterable[Issue], folder: Path, names: dict[Path, str]) -> list[Issue]:
    """The issues with every server path in them replaced by the name the file was sent as.

    A file read from a temporary folder is named in the readers' messages by its full path
    (``/tmp/tmpab12/availability.csv``), in the file field and inside sentences ("row 2 of
    ..."). A caller knows it by the name it sent; the server's folders are no business of
    theirs.

    Args:
        issues: Problems found while reading files in ``folder``.
        folder: The temporary folder the files were written to.
        names: Each file's path and the name to show for it.
    """
    replacements = sorted(((str(p), n) for p, n in names.items()), key=lambda r: -len(r[0]))
    replacements += [(f"{folder}/others/", ""), (f"{folder}/", ""), (str(folder), "")]

    def shown(value: Any) -> Any:
        if isinstance(value, str):
            for path, name in replacements:
                value = value.replace(path, name)
        return value

    return [
        dataclasses.replace(
            i,
            file=shown(i.file),
            message=shown(i.message),
            location=shown(i.location),
            value=shown(i.value),
            allowed=shown(i.allowed),
        )
        for i in issues
    ]


def _this_file_first(issues: list[Issue], name: str) -> list[Issue]:
    """The problems of the file ``name`` first, then the errors of the files stored before.

    The week's other files are read with it to find clashes (an offer to work on a day of
    leave declared in another file); their own warnings belong to their uploads, not to
    this answer.
    """
    own = [i for i in issues if _of_file(i, name)]
    return own + [i for i in issues if not _of_file(i, name) and i.severity == "error"]


def _of_file(issue: Issue, name: str) -> bool:
    """Whether an issue is about the file ``name`` (or one of its sheets)."""
    return issue.file == name or issue.file.startswith(f"{name} [")


class RosterService:
    """The service's operations on one database and data folder.

    Args:
        settings: Where the data lives, pool size and limits.

    Attributes:
        store: The history store (same database).
        auth: Accounts, sessions and API keys.
        runner: The job queue.
    """

    def __init__(self, settings: ServiceSettings):
        from scheduler.history import HistoryStore

        self.settings = settings
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.store = HistoryStore.open(settings.database_url)
        self.engine = self.store.engine
        if self.engine.dialect.name == "sqlite":
            # Readers do not wait for the job runner's progress writes (nor for another
            # server process); the setting stays with the database file.
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA journal_mode=WAL")
        create_tables(self.engine)
        self.auth = Authenticator(
            self.engine, settings.signing_secret(), settings.session_hours, settings.auth_cache_s
        )
        self.login_limiter = LoginLimiter(
            settings.login_max_failures,
            settings.login_max_failures_per_address,
            settings.login_window_s,
        )
        self.runner = JobRunner(self.engine, settings, settings.database_url)

    def start(self) -> None:
        """Start the job runner (settles jobs left by a previous run)."""
        self.runner.start()

    def close(self) -> None:
        """Stop the runner and release the database."""
        self.runner.stop()
        self.store.close()

    # Access ------------------------------------------------------------------------------

    def login(self, username: str, password: str, address: str) -> str | None:
        """A session token for valid credentials, ``None`` for wrong ones.

        Raises:
            TooManyLogins: If the username or the client address has had too many failed
                logins in the window (checked before the password, whoever the user is).
        """
        wait = self.login_limiter.retry_after(username, address)
        if wait is not None:
            raise TooManyLogins(wait)
        token = self.auth.login(username, password)
        if token is None:
            self.login_limiter.failed(username, address)
        else:
            self.login_limiter.succeeded(username)
        return token

    @staticmethod
    def require_manager(who: Principal, branch_id: str) -> None:
        """Refuse anyone but the branch's manager or an HR system scoped to it."""
        if not who.manages(branch_id):
            raise Forbidden(f"{who.name} may not manage branch {branch_id}")

    @staticmethod
    def require_member(who: Principal, branch_id: str) -> None:
        """Refuse anyone who does not belong to the branch."""
        if not who.belongs_to(branch_id):
            raise Forbidden(f"{who.name} has no access to branch {branch_id}")

    # Branch configuration ------------------------------------------------------------------

    def put_config(self, who: Principal, branch_id: str, raw: bytes, filename: str) -> BranchConfig:
        """Store (or replace) a branch's configuration after validating it.

        Raises:
            InputError: If the file does not parse or validate, or names another branch.
        """
        from scheduler.io.config_file import decode_text, parse_config_text

        self.require_manager(who, branch_id)
        name = upload_name(filename, "branch.yaml")
        suffix = _suffix(filename or "branch.yaml", CONFIG_SUFFIXES, "config")
        text = decode_text(raw, name)
        config = parse_config_text(text, name, suffix)
        if config.branch.id != branch_id:
            raise InputError(
                [
                    Issue(
                        name,
                        "the configuration is for another branch",
                        location="branch.id",
                        value=config.branch.id,
                        allowed=branch_id,
                    )
                ]
            )
        self.save_config(config, text, suffix)
        return config

    def save_config(self, config: BranchConfig, text: str, suffix: str) -> None:
        """Write a validated configuration (replacing the branch's previous one)."""
        values = dict(
            name=config.branch.name, config_text=text, config_suffix=suffix, updated_at=now()
        )
        with self.engine.begin() as conn:
            done = conn.execute(
                sa.update(BRANCHES).where(BRANCHES.c.id == config.branch.id).values(**values)
            ).rowcount
            if not done:
                conn.execute(sa.insert(BRANCHES).values(id=config.branch.id, **values))
        self._config_cache.cache_clear()

    def config(self, branch_id: str) -> BranchConfig:
        """The branch's configuration.

        Raises:
            NotFound: If the branch has none.
        """
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(
                    BRANCHES.c.config_text, BRANCHES.c.config_suffix, BRANCHES.c.updated_at
                ).where(BRANCHES.c.id == branch_id)
            ).first()
        if row is None:
            raise NotFound(f"branch {branch_id} has no configuration yet")
        return self._config_cache(branch_id, row.config_text, row.config_suffix)

    @functools.lru_cache(maxsize=32)  # noqa: B019 - one service object per process
    def _config_cache(self, branch_id: str, text: str, suffix: str) -> BranchConfig:
        from scheduler.io.config_file import parse_config_text

        return parse_config_text(text, f"branch{suffix}", suffix)

    def branches(self, who: Principal) -> list[dict[str, Any]]:
        """The branches the caller belongs to."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(BRANCHES.c.id, BRANCHES.c.name, BRANCHES.c.updated_at))
            return [row_dict(r) for r in rows if who.belongs_to(r.id)]

    # Files --------------------------------------------------------------------------------

    def _check_size(self, raw: bytes, name: str) -> None:
        limit = self.settings.max_upload_bytes
        if len(raw) > limit:
            raise InputError(
                [
                    Issue(
                        name,
                        "the file is too large",
                        value=f"{len(raw)} bytes",
                        allowed=f"at most {limit} bytes",
                    )
                ]
            )
        if not raw:
            raise InputError([Issue(name, "the file is empty", allowed="a non-empty file")])

    @staticmethod
    def _write_file(
        conn: sa.Connection,
        branch_id: str,
        kind: str,
        name: str,
        raw: bytes,
        who: Principal,
        week: str | None = None,
        staff_id: str | None = None,
        replace_kind: bool = False,
    ) -> None:
        """Store a file in ``conn``'s transaction.

        It replaces the branch's file of the same kind, name and week, or with
        ``replace_kind`` every file of that kind (the traffic history is one file).
        """
        old = sa.delete(FILES).where(FILES.c.branch_id == branch_id, FILES.c.kind == kind)
        if not replace_kind:
            old = old.where(FILES.c.name == name, FILES.c.week == week)
        conn.execute(old)
        conn.execute(
            sa.insert(FILES).values(
                branch_id=branch_id,
                kind=kind,
                name=name,
                week=week,
                staff_id=staff_id,
                content=raw,
                uploaded_by=who.name,
                uploaded_at=now(),
            )
        )

    def put_traffic(
        self, who: Principal, branch_id: str, raw: bytes, filename: str
    ) -> tuple[int, list[str]]:
        """Store the branch's traffic history after reading it.

        Returns:
            The number of hourly rows stored, and the reader's warnings (rows of other
            branches set aside, hours with missing counts, ...), in words.

        Raises:
            InputError: With every problem of the file (row, column, value, allowed).
        """
        self.require_manager(who, branch_id)
        name = upload_name(filename, "traffic.csv")
        suffix = _suffix(name, TRAFFIC_SUFFIXES, "traffic")
        self._check_size(raw, name)
        config = self.config(branch_id)
        history, warnings = self._read_history(branch_id, name, raw)
        known = [c.id for c in config.channels]
        unknown = sorted(set(history["channel"].astype(str)) - set(known))
        if unknown:  # it would replace the stored history with one no job can use
            raise InputError(
                [
                    Issue(
                        name,
                        "a channel the branch configuration does not have (the stored history "
                        "was kept)",
                        column="channel",
                        value=channel,
                        allowed=", ".join(known) or "the channels of the configuration",
                    )
                    for channel in unknown[:20]
                ]
            )
        with self.engine.begin() as conn:
            self._write_file(
                conn, branch_id, "traffic", f"traffic{suffix}", raw, who, replace_kind=True
            )
            self._write_span(conn, branch_id, _span(history))
        return len(history), [str(i) for i in warnings]

    def _read_history(
        self, branch_id: str, name: str, raw: bytes
    ) -> tuple[pd.DataFrame, list[Issue]]:
        """The hourly traffic of a history file and its warnings, files named as sent.

        Raises:
            InputError: With every problem of the file (row, column, value, allowed).
        """
        from scheduler.io.traffic_file import read_traffic

        config = self.config(branch_id)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / name
            path.write_bytes(raw)
            try:
                history = read_traffic(
                    path,
                    branch=branch_id,
                    timezone=config.branch.timezone,
                    calendar=BranchCalendar(config.branch),
                )
            except InputError as exc:
                raise InputError(_as_sent(exc.issues, Path(tmp), {path: name})) from None
            warnings = _as_sent(history.attrs.get("issues", []), Path(tmp), {path: name})
        return history, warnings

    @staticmethod
    def _write_span(conn: sa.Connection, branch_id: str, span: HistorySpan | None) -> None:
        """Record (or forget, for ``None``) the dates a branch's stored history covers.

        On PostgreSQL and SQLite one upsert, so two uploads at the same moment cannot both
        insert the branch's row.
        """
        table = TRAFFIC_SPANS
        if span is None:
            conn.execute(sa.delete(table).where(table.c.branch_id == branch_id))
            return
        dates = {"first_date": span.first, "last_date": span.last}
        upsert = _UPSERTS.get(conn.dialect.name)
        if upsert is not None:
            insert = upsert(table).values(branch_id=branch_id, **dates)
            conn.execute(insert.on_conflict_do_update(index_elements=["branch_id"], set_=dates))
        else:
            conn.execute(sa.delete(table).where(table.c.branch_id == branch_id))
            conn.execute(sa.insert(table).values(branch_id=branch_id, **dates))

    def traffic_span(self, branch_id: str) -> HistorySpan | None:
        """The first and last date of the branch's stored traffic history (one short query).

        The dates are recorded when the history is uploaded. A history stored before they
        were is read once here and its dates recorded.

        Returns:
            ``None`` if the branch has no history, or one that no longer reads (the job then
            reports why).
        """
        span = TRAFFIC_SPANS
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(span.c.first_date, span.c.last_date).where(span.c.branch_id == branch_id)
            ).first()
        if row is not None:
            return HistorySpan(row.first_date, row.last_date)
        files = self._week_files(branch_id, "", "traffic")
        if not files:
            return None
        name, raw = files[0]
        try:
            history, _ = self._read_history(branch_id, name, raw)
        except InputError:
            return None
        found = _span(history)
        if found is not None:
            with self.engine.begin() as conn:
                self._write_span(conn, branch_id, found)
        return found

    def availability_files(self, branch_id: str, week: str) -> list[dict[str, Any]]:
        """The availability files stored for a week (name, person, who and when)."""
        cols = (FILES.c.name, FILES.c.staff_id, FILES.c.uploaded_by, FILES.c.uploaded_at)
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(*cols)
                .where(FILES.c.branch_id == branch_id, FILES.c.kind == "availability")
                .where(FILES.c.week == week)
                .order_by(FILES.c.name)
            )
            return [row_dict(r) for r in rows]

    def availability(self, who: Principal, branch_id: str, week: str) -> list[dict[str, Any]]:
        """Every declaration and leave day of the week's files, one row per person and day.

        Raises:
            InputError: If the stored files no longer read cleanly together (e.g. after the
                configuration changed).
        """
        from scheduler.io.availability_file import load_availability

        self.require_manager(who, branch_id)
        horizon = _week(week)
        files = self._week_files(branch_id, week, "availability")
        if not files:
            return []
        with tempfile.TemporaryDirectory() as tmp:
            paths = {}
            for name, content in files:
                path = Path(tmp) / name
                path.write_bytes(content)
                paths[path] = name
            try:
                found, _ = load_availability(list(paths), self.config(branch_id), horizon)
            except InputError as exc:
                raise InputError(_as_sent(exc.issues, Path(tmp), paths)) from None
        rows = [
            {
                "staff_id": e.staff_id,
                "date": e.date.isoformat(),
                "kind": e.kind.value,
                "start": _clock(e.start),
                "end": _clock(e.end),
                "note": e.note,
            }
            for e in found.entries
        ]
        for leave in found.leave:
            day = max(leave.start_date, horizon.start)
            while day <= min(leave.end_date, horizon.end):
                rows.append(
                    {
                        "staff_id": leave.staff_id,
                        "date": day.isoformat(),
                        "kind": leave.kind.value,
                        "start": None,
                        "end": None,
                        "note": leave.note,
                    }
                )
                day += dt.timedelta(days=1)
        return _jsonable(sorted(rows, key=lambda r: (r["staff_id"], r["date"])))

    def staff_file(self, branch_id: str, week: str, staff_id: str) -> bytes | None:
        """The availability file a staff member sent through the web form for a week."""
        query = sa.select(FILES.c.content).where(
            FILES.c.branch_id == branch_id,
            FILES.c.kind == "availability",
            FILES.c.week == week,
            FILES.c.name == f"{safe_name(staff_id)}.csv",
        )
        with self.engine.connect() as conn:
            content = conn.execute(query).scalar()
        return bytes(content) if content is not None else None

    def _week_files(self, branch_id: str, week: str, kind: str) -> list[tuple[str, bytes]]:
        query = sa.select(FILES.c.name, FILES.c.content).where(
            FILES.c.branch_id == branch_id, FILES.c.kind == kind
        )
        if kind == "availability":
            query = query.where(FILES.c.week == week)
        with self.engine.connect() as conn:
            return [(r.name, bytes(r.content)) for r in conn.execute(query.order_by(FILES.c.name))]

    def put_availability(
        self, who: Principal, branch_id: str, week: str, raw: bytes, filename: str
    ) -> dict[str, Any]:
        """Store an availability file for a week after reading it with the week's other files.

        A manager or HR system may send any person's rows; a staff member only their own
        (their file replaces their earlier one for the week).

        Returns:
            Counts of declarations and leave requests, and the warnings.

        Raises:
            Forbidden: If a staff member sends rows of someone else, or the caller does not
                belong to the branch.
            InputError: With every problem of the file, or a clash with the week's other files.
        """
        from scheduler.io.availability_file import load_availability

        self.require_member(who, branch_id)
        if not who.manages(branch_id) and who.kind != "staff":
            raise Forbidden(f"{who.name} may not send availability for {branch_id}")
        horizon = _week(week)
        name = upload_name(filename, "availability.csv")
        suffix = _suffix(name, TABLE_SUFFIXES, "availability")
        sent = name  # what the caller knows the file by; a staff member's is stored by id
        if who.kind == "staff":
            name = f"{safe_name(who.staff_id or '')}{suffix}"
        self._check_size(raw, sent)
        config = self.config(branch_id)
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            path = folder / name
            path.write_bytes(raw)
            names = {path: sent}
            try:
                own, _ = load_availability([path], config, horizon)
            except InputError as exc:
                raise InputError(_as_sent(exc.issues, folder, names)) from None
            people = {e.staff_id for e in own.entries} | {r.staff_id for r in own.leave}
            if who.kind == "staff" and people - {who.staff_id}:
                raise Forbidden(
                    f"{who.name} may only send their own availability, not "
                    + ", ".join(sorted(people - {who.staff_id or ""}))
                )
            others = []
            for other_name, content in self._week_files(branch_id, week, "availability"):
                if other_name != name:
                    other = folder / "others" / other_name
                    other.parent.mkdir(exist_ok=True)
                    other.write_bytes(content)
                    others.append(other)
                    names[other] = other_name
            try:
                _, warns = load_availability([*others, path], config, horizon)
            except InputError as exc:
                raise InputError(
                    _this_file_first(_as_sent(exc.issues, folder, names), sent)
                ) from None
        with self.engine.begin() as conn:
            self._write_file(conn, branch_id, "availability", name, raw, who, week, who.staff_id)
        return {
            "file": name,
            "entries": len(own.entries),
            "leave": len(own.leave),
            "warnings": [str(w) for w in _as_sent(warns, folder, names) if _of_file(w, sent)],
        }

    # Jobs ---------------------------------------------------------------------------------

    def create_job(
        self,
        who: Principal,
        branch_id: str,
        week: str,
        pins: list[Pin] | None = None,
        time_limit_s: float | None = None,
    ) -> str:
        """Queue the weekly job (forecast, staffing, roster) on the branch's current files.

        The configuration, traffic and the week's availability are copied into the job's
        folder, so later uploads do not change a queued or finished job.

        Raises:
            Forbidden: If the caller does not manage the branch.
            InputError: If the week is malformed or does not start after the first date of
                the branch's traffic history, the branch lacks traffic history, a pin names
                an unknown person or a day outside the week, or the time limit is out of
                range.
        """
        self.require_manager(who, branch_id)
        horizon = _week(week)
        config = self.config(branch_id)
        limit = time_limit_s if time_limit_s is not None else self.settings.solve_time_limit_s
        if not 1 <= limit <= self.settings.solve_time_limit_s:
            raise InputError(
                [
                    Issue(
                        "time_limit_s",
                        "solver time limit out of range",
                        value=limit,
                        allowed=f"1 to {self.settings.solve_time_limit_s:g} seconds",
                    )
                ]
            )
        staff = {s.id for s in config.staff}
        shifts = {s.id for s in config.shifts}
        posts = {p.id for p in config.posts}
        issues = []
        for n, pin in enumerate(pins or []):
            if pin.staff_id not in staff:
                issues.append(
                    Issue(
                        "pins",
                        "unknown staff number",
                        location=f"pins[{n}]",
                        column="staff_id",
                        value=pin.staff_id,
                        allowed=", ".join(sorted(staff)),
                    )
                )
            if not horizon.start <= pin.date <= horizon.end:
                issues.append(
                    Issue(
                        "pins",
                        "day outside the week",
                        location=f"pins[{n}]",
                        column="date",
                        value=pin.date.isoformat(),
                        allowed=f"{horizon.start} to {horizon.end}",
                    )
                )
            if pin.shift is not None and pin.shift not in shifts:
                issues.append(
                    Issue(
                        "pins",
                        "unknown shift",
                        location=f"pins[{n}]",
                        column="shift",
                        value=pin.shift,
                        allowed=", ".join(sorted(shifts)),
                    )
                )
            if pin.post is not None and pin.post not in posts:
                issues.append(
                    Issue(
                        "pins",
                        "unknown post",
                        location=f"pins[{n}]",
                        column="post",
                        value=pin.post,
                        allowed=", ".join(sorted(posts)),
                    )
                )
        span = self.traffic_span(branch_id)
        if span is not None and horizon.start <= span.first:
            issues.insert(0, _before_history(week, horizon, span.first))
        if issues:
            raise InputError(issues)
        traffic = self._week_files(branch_id, week, "traffic")
        if not traffic:
            raise InputError(
                [
                    Issue(
                        "traffic",
                        f"branch {branch_id} has no traffic history yet",
                        allowed="upload it to /v1/branches/{branch}/traffic",
                    )
                ]
            )
        job_id = uuid.uuid4().hex
        folder = self.runner.job_dir(job_id) / "input"
        (folder / "availability").mkdir(parents=True)
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(BRANCHES.c.config_text, BRANCHES.c.config_suffix).where(
                    BRANCHES.c.id == branch_id
                )
            ).one()
        (folder / f"branch{row.config_suffix}").write_text(row.config_text, encoding="utf-8")
        for name, content in traffic:
            (folder / name).write_bytes(content)
        for name, content in self._week_files(branch_id, week, "availability"):
            (folder / "availability" / name).write_bytes(content)
        pins_json = json.dumps(
            [p.model_dump(mode="json", exclude_defaults=True) for p in pins or []]
        )
        with self.engine.begin() as conn:
            conn.execute(
                sa.insert(JOBS).values(
                    id=job_id,
                    branch_id=branch_id,
                    week=week,
                    status="queued",
                    stage="",
                    progress=0.0,
                    message="",
                    time_limit_s=float(limit),
                    pins_json=pins_json,
                    created_by=who.name,
                    created_at=now(),
                    cancel_requested=False,
                )
            )
        self.runner.submit(job_id)
        return job_id

    def job(self, who: Principal, job_id: str) -> dict[str, Any]:
        """A job's record (status, stage, progress, message).

        Raises:
            NotFound: If there is no such job.
            Forbidden: If the caller does not manage its branch.
        """
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(JOBS).where(JOBS.c.id == job_id)).first()
        if row is None:
            raise NotFound(f"no job {job_id}")
        self.require_manager(who, row.branch_id)
        record = row_dict(row)
        record["pins"] = json.loads(record.pop("pins_json"))
        record["elapsed_s"] = self.runner.elapsed(row)
        return record

    def jobs(self, who: Principal, branch_id: str, limit: int = 20) -> list[dict[str, Any]]:
        """The branch's newest jobs."""
        self.require_manager(who, branch_id)
        with self.engine.connect() as conn:
            rows = (
                conn.execute(
                    sa.select(JOBS.c.id)
                    .where(JOBS.c.branch_id == branch_id)
                    .order_by(JOBS.c.created_at.desc())
                    .limit(limit)
                )
                .scalars()
                .all()
            )
        return [self.job(who, r) for r in rows]

    def cancel_job(self, who: Principal, job_id: str) -> bool:
        """Cancel a queued or running job; ``False`` if it had finished already."""
        self.job(who, job_id)
        return self.runner.cancel(job_id)

    def retry_job(self, who: Principal, job_id: str) -> dict[str, Any]:
        """Queue an interrupted, failed or cancelled job again on the inputs it kept.

        Raises:
            InputError: If the job is still queued or running, or succeeded.
        """
        job = self.job(who, job_id)
        if job["status"] not in ("interrupted", "failed", "cancelled"):
            raise InputError(
                [
                    Issue(
                        f"job {job_id}",
                        "only a job that did not finish can be started again",
                        value=job["status"],
                        allowed="interrupted, failed or cancelled",
                    )
                ]
            )
        with self.engine.begin() as conn:
            conn.execute(
                sa.update(JOBS)
                .where(JOBS.c.id == job_id)
                .values(
                    status="queued",
                    stage="",
                    progress=0.0,
                    message="",
                    roster_status=None,
                    started_at=None,
                    finished_at=None,
                    cancel_requested=False,
                )
            )
        self.runner.submit(job_id)
        return self.job(who, job_id)

    def result(self, who: Principal, job_id: str) -> PipelineResult:
        """The finished job's result.

        Raises:
            NotFound: If the job has no result (not finished, failed or cancelled).
        """
        path = self.result_path(who, job_id)
        return load_result(str(path), path.stat().st_mtime_ns)

    def result_path(self, who: Principal, job_id: str) -> Path:
        """The pickled result of a finished job (one job lookup, the file not read).

        Raises:
            NotFound: If the job has no result (not finished, failed or cancelled).
        """
        record = self.job(who, job_id)
        path = self.runner.job_dir(job_id) / "out" / RESULT_FILE
        if record["status"] in ("queued", "running"):
            raise NotReady(f"job {job_id} has not finished yet (status {record['status']})")
        if record["status"] != "succeeded" or not path.exists():
            raise NotFound(f"job {job_id} has no result (status {record['status']})")
        return path

    def result_file(self, who: Principal, job_id: str, name: str) -> Path:
        """A file of the finished job (``roster.csv``, ``roster.xlsx`` ...)."""
        path = self.result_path(who, job_id).parent / name
        if not path.exists():
            raise NotFound(f"job {job_id} has no {name}")
        return path

    def workbook(self, who: Principal, job_id: str) -> Path:
        """The roster workbook of a finished job with a roster."""
        return self.result_file(who, job_id, WORKBOOK_FILE)

    # Publishing and history ---------------------------------------------------------------

    def publish(
        self, who: Principal, job_id: str, new_version: bool = False, note: str = ""
    ) -> int:
        """Publish a job's roster to the history store; returns the publication id.

        With ``new_version``, a job whose roster is already the week's version in force
        gets that publication back (a repeated request, e.g. after a lost answer, adds no
        copy); a job published earlier but replaced since by another version is published
        again as the next version.

        Raises:
            InputError: If the roster is infeasible, or the week is published already and
                ``new_version`` is false.
        """
        from scheduler.history import RosterRecord

        result = self.result(who, job_id)
        if not result.roster.feasible:
            raise InputError(
                [
                    Issue(
                        f"job {job_id}",
                        "an infeasible roster cannot be published",
                        value=result.roster.status,
                        allowed="a job with a roster",
                    )
                ]
            )
        record = RosterRecord.from_result(result.roster, source=f"job {job_id}")
        info = self.store.publish(
            record,
            new_version=new_version,
            note=note,
            new_version_name="new_version: true",
            repeat_returns_current=True,  # the same job again: its version, not a copy
        )
        with self.engine.begin() as conn:
            conn.execute(sa.update(JOBS).where(JOBS.c.id == job_id).values(publication_id=info.id))
        return int(info.id)

    def history(self, who: Principal, branch_id: str, week: str) -> dict[str, Any]:
        """Publications of the week and the roster in force (staff: their own rows only).

        The answer is computed once per set of publications (one query finds them) and
        shared between callers: do not change it.
        """
        return self._history_body(*self._history_key(who, branch_id, week))

    def history_json(self, who: Principal, branch_id: str, week: str) -> bytes:
        """:meth:`history` as UTF-8 JSON, encoded once per set of publications."""
        return self._history_bytes(*self._history_key(who, branch_id, week))

    def _history_key(self, who: Principal, branch_id: str, week: str) -> tuple[Any, ...]:
        """What the week's history depends on: the publications and whose rows are shown."""
        self.require_member(who, branch_id)
        horizon = _week(week)
        pubs = tuple(self.store.publications(branch_id, horizon.start, horizon.end))
        staff = None if who.manages(branch_id) else who.staff_id
        return branch_id, horizon.start, horizon.end, pubs, staff

    @functools.lru_cache(maxsize=64)  # noqa: B019 - one service object per process
    def _history_body(
        self, branch_id: str, start: dt.date, end: dt.date, pubs: tuple[Any, ...], staff: Any
    ) -> dict[str, Any]:
        frame = self.store.assignments(branch_id, start, end)
        if staff is not None:
            frame = frame[frame["staff_id"] == staff]
        return {
            "publications": [_jsonable(p.__dict__) for p in pubs],
            "assignments": frame_records(frame),
        }

    @functools.lru_cache(maxsize=64)  # noqa: B019 - one service object per process
    def _history_bytes(self, *key: Any) -> bytes:
        body = self._history_body(*key)
        return json.dumps(body, ensure_ascii=False, default=str).encode()

    def leave_plan(self, who: Principal, branch_id: str, year: int) -> dict[str, Any]:
        """The year's mandatory-leave plan for the branch, with leave the history recorded.

        Conflicts, the change that would fix each, and warnings are given in English
        (``conflicts``, ``relaxations``, ``warnings``) and in Chinese (``conflicts_zh``,
        ``relaxations_zh``, ``warnings_zh``), in the same order. What the plan costs comes
        with the solver's figures (``objective``, ``best_bound``, ``gap``) and one entry per
        cost in ``penalties`` (rule, person, amount, cost, ``message``, ``message_zh``).
        """
        from scheduler.leave import plan_leave
        from scheduler.leave.plan import LeavePlanSettings

        self.require_manager(who, branch_id)
        if not 2000 <= year <= 2100:
            raise InputError([Issue("year", "year out of range", value=year, allowed="2000-2100")])
        config = self.config(branch_id)
        leave = self.store.leave(branch_id, dt.date(year, 1, 1), dt.date(year, 12, 31))
        settings = LeavePlanSettings(
            time_limit_s=min(30.0, self.settings.solve_time_limit_s),
            workers=self.settings.solver_workers,
            seed=self.settings.seed,
        )
        plan = plan_leave(config, year, leave=leave, settings=settings)
        return {
            "year": year,
            "status": plan.status,
            "blocks": frame_records(plan.frame(config)) if plan.feasible else [],
            "conflicts": [c.message for c in plan.conflicts],
            "warnings": list(plan.warnings),
            "relaxations": [c.relaxation for c in plan.conflicts],
            "conflicts_zh": [c.message_in("zh") for c in plan.conflicts],
            "relaxations_zh": [c.relaxation_in("zh") for c in plan.conflicts],
            "warnings_zh": list(plan.warnings_in("zh")),
            "objective": plan.objective,
            "best_bound": plan.best_bound,
            "gap": plan.gap,
            "penalties": [
                {
                    "rule": p.rule,
                    "staff_id": p.staff_id,
                    "amount": p.amount,
                    "cost": p.cost,
                    "message": p.message,
                    "message_zh": p.message_in("zh"),
                }
                for p in plan.penalties
            ],
        }

    # Swaps --------------------------------------------------------------------------------

    def _published_job(self, branch_id: str, week: str) -> str:
        with self.engine.connect() as conn:
            job_id = conn.execute(
                sa.select(JOBS.c.id)
                .where(JOBS.c.branch_id == branch_id, JOBS.c.week == week)
                .where(JOBS.c.publication_id.is_not(None))
                .order_by(JOBS.c.publication_id.desc())
            ).scalar()
        if job_id is None:
            raise NotFound(f"no roster of branch {branch_id} is published for {week}")
        return str(job_id)

    def check_swap(
        self, branch_id: str, week: str, day: dt.date, staff_id: str, partner_id: str
    ) -> tuple[pd.DataFrame, list[str]]:
        """The published week with two people's days exchanged, and every hard rule it breaks."""
        from scheduler.verify import verify_roster

        horizon = _week(week)
        if not horizon.start <= day <= horizon.end:
            raise InputError(
                [
                    Issue(
                        "date",
                        "day outside the week",
                        value=day.isoformat(),
                        allowed=f"{horizon.start} to {horizon.end}",
                    )
                ]
            )
        config = self.config(branch_id)
        names = {s.id: s.name for s in config.staff}
        if partner_id not in names or partner_id == staff_id:
            raise InputError(
                [
                    Issue(
                        "partner_id",
                        "unknown colleague",
                        value=partner_id,
                        allowed=", ".join(sorted(set(names) - {staff_id})),
                    )
                ]
            )
        job_id = self._published_job(branch_id, week)
        result = load_result(*self._result_key(job_id))
        frame = self.store.assignments(branch_id, horizon.start, horizon.end).copy()
        dates = pd.to_datetime(frame["date"]).dt.date
        mine = (frame["staff_id"] == staff_id) & (dates == day)
        theirs = (frame["staff_id"] == partner_id) & (dates == day)
        frame.loc[mine, ["staff_id", "name"]] = [partner_id, names[partner_id]]
        frame.loc[theirs, ["staff_id", "name"]] = [staff_id, names[staff_id]]
        assert result.request is not None
        report = verify_roster(result.request, frame)
        return frame, list(dict.fromkeys(v.message for v in report.violations))

    def _result_key(self, job_id: str) -> tuple[str, int]:
        path = self.runner.job_dir(job_id) / "out" / RESULT_FILE
        return str(path), path.stat().st_mtime_ns

    def propose_swap(
        self, who: Principal, branch_id: str, week: str, day: dt.date, partner_id: str
    ) -> dict[str, Any]:
        """A staff member asks to exchange their day with a colleague's.

        The exchanged roster is checked against every hard rule first: a swap that breaks
        one is refused with the reasons and never reaches the manager.
        """
        if who.kind != "staff" or not who.belongs_to(branch_id):
            raise Forbidden("only a staff member of the branch may propose a swap")
        staff_id = who.staff_id or ""
        _, broken = self.check_swap(branch_id, week, day, staff_id, partner_id)
        status = "refused" if broken else "proposed"
        with self.engine.begin() as conn:
            key = conn.execute(
                sa.insert(SWAPS).values(
                    branch_id=branch_id,
                    job_id=self._published_job(branch_id, week),
                    date=day,
                    staff_id=staff_id,
                    partner_id=partner_id,
                    status=status,
                    check_message="\n".join(broken),
                    created_at=now(),
                )
            ).inserted_primary_key
        assert key is not None
        return {"id": int(key[0]), "status": status, "violations": broken}

    def swaps(self, who: Principal, branch_id: str) -> list[dict[str, Any]]:
        """The branch's swap requests (staff: the ones they are part of)."""
        self.require_member(who, branch_id)
        query = sa.select(SWAPS).where(SWAPS.c.branch_id == branch_id).order_by(SWAPS.c.id)
        with self.engine.connect() as conn:
            rows = [row_dict(r) for r in conn.execute(query)]
        if not who.manages(branch_id):
            rows = [r for r in rows if who.staff_id in (r["staff_id"], r["partner_id"])]
        return [_jsonable(r) for r in rows]

    def decide_swap(self, who: Principal, swap_id: int, approve: bool) -> dict[str, Any]:
        """The manager approves (publishing the swapped week as a new version) or rejects."""
        from scheduler.history import RosterRecord
        from scheduler.pipeline import week_of

        with self.engine.connect() as conn:
            row = conn.execute(sa.select(SWAPS).where(SWAPS.c.id == swap_id)).first()
        if row is None:
            raise NotFound(f"no swap {swap_id}")
        self.require_manager(who, row.branch_id)
        if row.status != "proposed":
            raise InputError(
                [
                    Issue(
                        "swap",
                        "this swap was already decided",
                        value=row.status,
                        allowed="a proposed swap",
                    )
                ]
            )
        status = "rejected"
        if approve:
            day = row.date if isinstance(row.date, dt.date) else dt.date.fromisoformat(row.date)
            week = week_of(day)
            frame, broken = self.check_swap(row.branch_id, week, day, row.staff_id, row.partner_id)
            if broken:
                raise InputError(
                    [Issue("swap", "the swap now breaks hard rules: " + "; ".join(broken))]
                )
            horizon = _week(week)
            shifts = self.store.shifts(row.branch_id, horizon.start, horizon.end).copy()
            names = {s.id: s.name for s in self.config(row.branch_id).staff}
            sdates = pd.to_datetime(shifts["date"]).dt.date
            mine = (shifts["staff_id"] == row.staff_id) & (sdates == day)
            theirs = (shifts["staff_id"] == row.partner_id) & (sdates == day)
            shifts.loc[mine, ["staff_id", "name"]] = [row.partner_id, names[row.partner_id]]
            shifts.loc[theirs, ["staff_id", "name"]] = [row.staff_id, names[row.staff_id]]
            record = RosterRecord(
                branch_id=row.branch_id,
                start_date=horizon.start,
                end_date=horizon.end,
                assignments=frame,
                shifts=shifts,
                status="FEASIBLE",
                objective=None,
                summary={"swap": swap_id},
                source=f"swap {swap_id}",
            )
            self.store.publish(record, new_version=True, note=f"swap {swap_id} approved")
            status = "approved"
        with self.engine.begin() as conn:
            conn.execute(
                sa.update(SWAPS)
                .where(SWAPS.c.id == swap_id)
                .values(status=status, decided_by=who.name)
            )
        return {"id": swap_id, "status": status}


@functools.lru_cache(maxsize=8)
def load_result(path: str, mtime_ns: int) -> PipelineResult:
    """A job's pickled result (cached per file version; written only by the job process)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with open(path, "rb") as fh:
            return pickle.load(fh)


def _clock(value: Any) -> str | None:
    """A clock time as ``HH:MM`` (``None`` stays ``None``)."""
    if value is None:
        return None
    return value.strftime("%H:%M") if hasattr(value, "strftime") else str(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return value


def frame_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame as JSON-ready records (dates as ISO text, missing as ``None``)."""
    out = frame.astype(object).where(frame.notna(), None)
    return [_jsonable(r) for r in out.to_dict(orient="records")]


__all__ = [
    "Forbidden",
    "HistorySpan",
    "NotFound",
    "NotReady",
    "RosterService",
    "TooManyLogins",
    "frame_records",
]
