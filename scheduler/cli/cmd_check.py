"""``branch-roster check``: validate input files before a run, listing every problem at once."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import TypeVar

import typer
from rich.markup import escape

from scheduler.calendar import Horizon, week_horizon
from scheduler.cli.common import EXIT_INPUT, console, print_issues
from scheduler.domain import BranchConfig
from scheduler.errors import InputError, Issue
from scheduler.io.config_file import SUFFIXES as CONFIG_SUFFIXES
from scheduler.io.tables import (
    TABLE_SUFFIXES,
    ColumnSpec,
    expand_folders,
    header_key,
    is_blank,
    raw_sheets,
    sniff_headers,
    suffix_of,
)

T = TypeVar("T")


class FileKind(StrEnum):
    """What an input file is."""

    CONFIG = "config"
    SCHEMA = "schema"
    TRAFFIC = "traffic"
    AVAILABILITY = "availability"
    UNKNOWN = "unknown"


def _keys(*names: str) -> set[str]:
    return {header_key(n) for n in names}


def _column_keys(specs: Iterable[ColumnSpec], wanted: set[str]) -> set[str]:
    keys: set[str] = set()
    for spec in specs:
        if spec.name in wanted:
            keys |= _keys(*spec.names())
    return keys


def detect_kind(path: Path) -> FileKind:
    """Decide a file's kind from its suffix and, for tables, its header row.

    A table with a staff number, name or type column (工号, 姓名, 类型) is availability; one
    with a channel column (渠道/channel) and a count (人数/count) or a ticket time (取号时间,
    a queue-ticket log) is traffic history, and so is one with a time column (时间, 日期) and
    neither a channel, a count nor a post column (a column of counts per channel).
    """
    from scheduler.io.availability_file import AVAILABILITY_COLUMNS
    from scheduler.io.ticket_log import TICKET_ONLY_COLUMNS
    from scheduler.io.traffic_file import TRAFFIC_COLUMNS

    suffix = suffix_of(path)
    if suffix == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, ValueError):
            return FileKind.CONFIG  # the config reader reports the problem
        if isinstance(data, dict) and "$schema" in data:
            return FileKind.SCHEMA
        return FileKind.CONFIG
    if suffix in CONFIG_SUFFIXES:
        return FileKind.CONFIG
    if suffix not in TABLE_SUFFIXES:
        return FileKind.UNKNOWN
    headers = sniff_headers(path)
    staff = _column_keys(AVAILABILITY_COLUMNS, {"staff_id", "name", "type"})
    count = _column_keys(TRAFFIC_COLUMNS, {"count"}) | _column_keys(
        TICKET_ONLY_COLUMNS, {"ticket_time"}
    )
    channel = _column_keys(TRAFFIC_COLUMNS, {"channel"})
    if headers & staff:
        return FileKind.AVAILABILITY
    if headers & count and headers & channel:
        return FileKind.TRAFFIC
    time = _column_keys(TRAFFIC_COLUMNS, {"timestamp", "date"})
    if headers & time and not headers & (channel | count | _keys("post", "岗位")):
        return FileKind.TRAFFIC  # one column of counts per channel, if any (the reader says)
    if not headers:
        # Unreadable or empty: the reader of the kind its name suggests says why; with no
        # hint, the file is reported as of no known kind (naming every kind allowed).
        name = path.name.lower()
        if any(word in name for word in ("avail", "leave", "请假", "休假", "排班意愿")):
            return FileKind.AVAILABILITY
        if any(word in name for word in ("traffic", "客流", "history", "ticket", "叫号")):
            return FileKind.TRAFFIC
    return FileKind.UNKNOWN


def _unknown_table(path: Path) -> tuple[list[Issue], bool]:
    """Why a file of no known kind cannot be read as a table, and whether it holds a value.

    Files that are not tables give no problems and count as holding values.
    """
    if suffix_of(path) not in TABLE_SUFFIXES or path.is_dir():
        return [], True
    try:
        sheets = raw_sheets(path)
    except InputError as exc:
        return list(exc.issues), False
    return [], any(not is_blank(v) for _, rows in sheets for row in rows for v in row)


@dataclass
class CheckReport:
    """The outcome of checking a set of files.

    Attributes:
        ok: One line per good file.
        issues: Every problem of every file.
    """

    ok: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """Whether no file has an error (warnings allowed)."""
        return not any(i.severity == "error" for i in self.issues)


def check_files(
    paths: list[Path], config_path: Path | None = None, horizon: Horizon | None = None
) -> CheckReport:
    """Validate every file (folders are searched) and collect OK lines and issues.

    Availability is checked against the configuration (``config_path``, or the configuration
    among ``paths``) and the horizon; traffic against the configuration's branch and channels.
    """
    report = CheckReport()
    files = expand_folders(paths, (*TABLE_SUFFIXES, *CONFIG_SUFFIXES))
    given = {Path(p) for p in paths if not Path(p).is_dir()}
    kinds = {p: detect_kind(p) for p in files}
    configs = [p for p in files if kinds[p] is FileKind.CONFIG]
    if config_path is not None and config_path not in configs:
        configs.insert(0, config_path)
    config: BranchConfig | None = None
    for path in configs:
        loaded = _attempt(report, partial(_check_config, path))
        if config is None and loaded is not None:
            config = loaded
    for path in files:
        kind = kinds[path]
        if kind is FileKind.SCHEMA:
            _attempt(report, partial(_check_schema, path))
        elif kind is FileKind.TRAFFIC:
            report.issues += _attempt(report, partial(_check_traffic, path, config, horizon)) or []
        elif kind is FileKind.UNKNOWN:
            found = path not in given  # met inside a folder: a notes file, say
            unreadable, has_cells = _unknown_table(path)
            if unreadable and not found:
                report.issues += unreadable  # why it cannot be read says more than its kind
                continue
            report.issues.append(
                Issue(
                    str(path),
                    "skipped: not a configuration, traffic history or availability file"
                    if found
                    else "cannot tell what kind of input this is"
                    + ("" if has_cells else ": the file is empty or has no header row"),
                    allowed="a configuration (.yaml/.toml/.json), a traffic history "
                    "(columns timestamp, channel, count; or a time column and a column per "
                    "channel) or an availability file (工号/staff_id)",
                    severity="warning" if found else "error",
                )
            )
    availability = [p for p in files if kinds[p] is FileKind.AVAILABILITY]
    if availability:
        _check_availability(report, availability, config, horizon)
    return report


def _attempt(report: CheckReport, check: Callable[[], tuple[str, T]]) -> T | None:
    """Run one file's check: its OK line on success, its issues on failure."""
    try:
        line, value = check()
    except InputError as exc:
        report.issues += exc.issues
        return None
    report.ok.append(line)
    return value


def _check_config(path: Path) -> tuple[str, BranchConfig]:
    from scheduler.io.config_file import load_config

    config = load_config(path)
    branch = config.branch
    line = (
        f"{path}: configuration of {branch.id} {branch.name}, {len(config.staff)} staff, "
        f"{len(config.posts)} posts, {len(config.channels)} channels"
    )
    return line, config


def _check_schema(path: Path) -> tuple[str, None]:
    from scheduler.io.config_file import config_json_schema

    data = json.loads(path.read_text(encoding="utf-8-sig"))
    if data != config_json_schema():
        raise InputError(
            [
                Issue(
                    str(path),
                    "the JSON Schema differs from this version's configuration",
                    allowed="regenerate it with: branch-roster schema --out " + str(path),
                )
            ]
        )
    return f"{path}: JSON Schema of the configuration, up to date", None


def _check_traffic(
    path: Path, config: BranchConfig | None, horizon: Horizon | None
) -> tuple[str, list[Issue]]:
    from scheduler.calendar import BranchCalendar
    from scheduler.io.ticket_log import handling_time_lines
    from scheduler.io.traffic_file import history_fit, match_channels, read_traffic

    branch = config.branch.id if config else None
    timezone = config.branch.timezone if config else None
    calendar = BranchCalendar(config.branch) if config else None
    history = read_traffic(path, branch=branch, timezone=timezone, calendar=calendar)
    matched: list[Issue] = []
    if config is not None:
        history, matched = match_channels(history, config, str(path))
    first, last = history["ds"].min(), history["ds"].max()
    line = (
        f"{path}: traffic history, {len(history):,} rows, {history['unique_id'].nunique()} "
        f"series, {first:%Y-%m-%d} to {last:%Y-%m-%d}"
    )
    if config is not None:
        for figures in handling_time_lines(history.attrs.get("ticket_figures", []), config):
            line += f"\n  {figures}"
    warnings = list(history.attrs.get("issues", [])) + matched
    return line, warnings + history_fit(str(path), first.date(), last.date(), horizon)


def _check_availability(
    report: CheckReport, paths: list[Path], config: BranchConfig | None, horizon: Horizon | None
) -> None:
    from scheduler.io.availability_file import load_availability

    try:
        _, issues = load_availability(paths, config=config, horizon=horizon)
    except InputError as exc:
        issues = exc.issues
    report.issues += issues
    failed = {i.file for i in issues if i.severity == "error"}
    for path in paths:
        if any(f == str(path) or f.startswith(f"{path} [") for f in failed):
            continue
        availability, _ = load_availability([path], config=config, horizon=horizon)
        against = []
        if config is not None:
            against.append(f"staff of {config.branch.id}")
        if horizon is not None:
            against.append(horizon.label())
        checked = f" (checked against {' and '.join(against)})" if against else ""
        report.ok.append(
            f"{path}: availability, {len(availability.entries)} entries, "
            f"{len(availability.leave)} leave requests{checked}"
        )


def register(app: typer.Typer) -> None:
    """Add the ``check`` command."""

    @app.command("check")
    def check(
        files: list[Path] = typer.Argument(..., help="Files or folders to check."),
        config: Path | None = typer.Option(
            None, "--config", help="Branch configuration to check availability and traffic against."
        ),
        week: str | None = typer.Option(
            None, help="ISO week the availability must fall in, e.g. 2026-W49."
        ),
    ) -> None:
        """Validate configuration, traffic and availability files; list every problem.

        Each file's kind is detected from its suffix and header row. Prints one OK line per
        good file; exits with 0 when every file is good and 2 otherwise.
        """
        horizon = None
        if week is not None:
            horizon = week_horizon(week)
        report = check_files(files, config, horizon)
        for line in report.ok:
            console.print(f"[green]OK[/green]      {escape(line)}", markup=True)
        print_issues(report.issues)
        if not report.passed:
            n = sum(i.severity == "error" for i in report.issues)
            console.print(f"{n} problem{'s' if n != 1 else ''} found.")
            # sys.exit, not typer.Exit: run_guarded drops the code of a typer.Exit.
            sys.exit(EXIT_INPUT)
