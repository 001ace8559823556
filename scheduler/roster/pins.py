"""Pins file: assignments a manager fixes by hand before the roster is built.

One row per pin (CSV or XLSX; Chinese or English headers):

========= ========= ===================================================================
中文       English   meaning
========= ========= ===================================================================
工号       staff_id  staff number (required)
日期       date      the day (required)
休息       off       是/√/休 = the person must not work that day
班次       shift     shift template the person works that day (id, or its name: 全天班)
岗位       post      post the person holds (id, or its name: 高柜柜员) ...
开始       start     ... from this time (empty = the whole shift)
结束       end       ... until this time
时间       time      start and end in one cell (``09:00-12:00``), instead of 开始/结束
========= ========= ===================================================================

Dates, times and staff numbers are read as in availability files
(:mod:`scheduler.io.availability_file`): ``12月1日`` (with the planned week's year), ``9点``,
``下午2点-5点``, ``s04`` for ``S04``. With a configuration, posts and shifts may be named
by their Chinese or English names.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from scheduler.calendar import Horizon
from scheduler.domain import BranchConfig
from scheduler.domain.common import normalise_text
from scheduler.errors import InputError, Issue
from scheduler.io.availability_file import (
    AVAILABILITY_COLUMNS,
    AmbiguousDate,
    described,
    parse_time_range,
    post_id,
    read_clock_cell,
    read_date,
    shift_id,
    staff_like,
)
from scheduler.io.tables import (
    FILE,
    ROW,
    ColumnSpec,
    IssueLimiter,
    LocatedRows,
    Table,
    cell_text,
    header_pairs,
    is_blank,
    read_table,
)
from scheduler.roster.request import Pin


def _aliases(name: str) -> tuple[str, ...]:
    """The header names an availability file accepts for ``name``."""
    return next(c.aliases for c in AVAILABILITY_COLUMNS if c.name == name)


PIN_COLUMNS = (
    ColumnSpec("staff_id", _aliases("staff_id")),
    ColumnSpec("name", _aliases("name"), required=False),
    ColumnSpec("date", _aliases("date")),
    ColumnSpec("off", ("休息", "是否休息", "休", "day_off", "rest"), required=False),
    ColumnSpec("shift", ("班次", "班别", "班別", "shift_id"), required=False),
    ColumnSpec("post", ("岗位", "岗位名称", "崗位", "post_id"), required=False),
    ColumnSpec("time", _aliases("time"), required=False),
    ColumnSpec("start", _aliases("start"), required=False),
    ColumnSpec("end", _aliases("end"), required=False),
    ColumnSpec("note", _aliases("note"), required=False),
)
"""The columns of a pins file."""

_HEADERS_ZH = {
    "staff_id": "工号",
    "name": "姓名",
    "date": "日期",
    "off": "休息",
    "shift": "班次",
    "post": "岗位",
    "time": "时间",
    "start": "开始",
    "end": "结束",
}

_YES = frozenset(("是", "y", "yes", "true", "1", "x", "√", "✓", "✔", "休", "休息", "off", "rest"))
_NO = frozenset(("", "否", "n", "no", "false", "0", "×", "✗", "上班", "work"))


def _fold(value: Any) -> str:
    return re.sub(r"[\s_\-]+", "", normalise_text(cell_text(value)).lower())


def read_pins(
    path: str | Path, config: BranchConfig | None = None, horizon: Horizon | None = None
) -> tuple[Pin, ...]:
    """Read a pins file.

    Args:
        path: The file (CSV or XLSX).
        config: When given, staff numbers, posts and shifts are checked against it, and
            posts and shifts may be named by their names.
        horizon: When given, dates must fall in it, and dates without a year take its year.

    Raises:
        InputError: Every problem of the file, each with its row, column (as the file heads
            it), value and what is allowed (without a configuration, unknown ids are checked
            when solving).
    """
    return read_pins_located(path, config, horizon)[0]


def read_pins_located(
    path: str | Path, config: BranchConfig | None = None, horizon: Horizon | None = None
) -> tuple[tuple[Pin, ...], list[tuple[str, int, dict[str, str]]]]:
    """Read a pins file, with the file, row and headers each pin came from.

    They let a problem found later (an unknown staff id, say ``pins[2]``) be reported at the
    row the manager wrote it on, under the column's header as the file writes it (``开始``
    for ``start``).

    Raises:
        InputError: As :func:`read_pins`.
    """
    issues: list[Issue] = []
    pins: list[Pin] = []
    rows: list[tuple[str, int, dict[str, str]]] = []
    for table in read_table(path, PIN_COLUMNS, "pins"):
        reader = _PinReader(table, config, horizon)
        for header in table.ignored.values():  # 职位 for 岗位 would drop the post unseen
            reader.limiter.add(
                Issue(
                    table.file,
                    "not a column of a pins file (its cells would not be read)",
                    table.header_row,
                    header,
                    allowed=header_pairs(PIN_COLUMNS, _HEADERS_ZH),
                ),
                kind="unknown column",
            )
        for record in table.frame.to_dict("records"):
            pin = reader.pin(record)
            if pin is not None:
                pins.append(pin)
                rows.append((str(record[FILE]), int(record[ROW]), table.headers))
        issues += reader.limiter.finish()
    if issues:
        raise InputError(issues)
    return tuple(pins), rows


class _PinReader(LocatedRows):
    """Reads the rows of one pins table, collecting located problems."""

    def __init__(self, table: Table, config: BranchConfig | None, horizon: Horizon | None):
        super().__init__(table, IssueLimiter(table.file), _HEADERS_ZH)
        self.config = config
        self.horizon = horizon

    def pin(self, cells: dict[str, Any]) -> Pin | None:
        """The pin a row gives; ``None`` when the row has a problem."""
        row = int(cells[ROW])
        before = self.errors
        values: dict[str, object] = {
            "staff_id": self.staff_id(row, cells),
            "date": self.date(row, cells["date"]),
            "off": self.off(row, cells["off"]),
        }
        for column, known in (("shift", shift_id), ("post", post_id)):
            values[column] = self.named(row, column, cells[column], known)
        values["start"], values["end"] = self.window(row, cells)
        if self.errors == before:
            self.consistent(row, cells, values)
        if self.errors > before:
            return None
        try:
            return Pin(**{k: v for k, v in values.items() if v is not None})  # type: ignore[arg-type]
        except ValidationError as exc:
            for err in exc.errors():
                column = str(err["loc"][0]) if err["loc"] else None
                self.issue(
                    row,
                    column,
                    err["msg"].removeprefix("Value error, "),
                    value=cell_text(cells.get(column)) or None if column else None,
                )
            return None

    def consistent(self, row: int, cells: dict[str, Any], values: dict[str, object]) -> None:
        """What :class:`Pin` requires of a row's cells together, located at a column."""
        off, shift, post = values["off"], values["shift"], values["post"]
        start, end = values["start"], values["end"]
        if off and (shift or post):
            column = "shift" if shift else "post"
            self.issue(
                row,
                "off",
                f"a pin cannot both give a day off and assign a shift or post (the row also "
                f"names {self.header(column)} {cell_text(cells[column])})",
                value=cell_text(cells["off"]),
                allowed=f"a day off alone, or {self.header('shift')}/{self.header('post')} "
                f"without {self.header('off')}",
            )
        elif not off and not (shift or post):
            self.issue(
                row,
                "post",
                "a pin needs a day off, a shift or a post",
                allowed=f"{self.header('off')} = 是, or a {self.header('shift')}, or a "
                f"{self.header('post')}",
            )
        elif (start is None) != (end is None):
            missing = "end" if end is None else "start"
            self.issue(
                row,
                missing,
                "give both start and end, or neither",
                value=cell_text(cells["start" if end is None else "end"]) or None,
                allowed=f"a time in {self.header(missing)} too, or neither (the whole shift)",
            )
        elif isinstance(start, dt.time) and isinstance(end, dt.time) and end <= start:
            self.issue(
                row,
                "time" if not is_blank(cells["time"]) else "end",
                "the pin's end is not after its start",
                value=f"{start:%H:%M}-{end:%H:%M}",
                allowed=f"an end after {start:%H:%M} on the same day",
            )

    def staff_id(self, row: int, cells: dict[str, Any]) -> str | None:
        """The staff number; with a configuration, ``s04`` is ``S04`` and the name must match."""
        written = cell_text(cells["staff_id"])
        if not written:
            self.issue(row, "staff_id", "staff number is empty", allowed="a staff number (工号)")
            return None
        if self.config is None:
            return written
        person, _ = staff_like(self.config, written)
        if person is None:
            known = sorted(s.id for s in self.config.staff)
            self.issue(
                row, "staff_id", "unknown staff number", value=written, allowed=", ".join(known)
            )
            return None
        name = cell_text(cells["name"])
        if name and _fold(name) != _fold(person.name):
            self.issue(
                row,
                "name",
                f"the name does not match staff number {person.id}",
                value=name,
                allowed=person.name,
            )
        return str(person.id)

    def date(self, row: int, value: Any) -> dt.date | None:
        """The day, as availability files write it; inside the horizon when one is given."""
        if is_blank(value):
            self.issue(row, "date", "date is empty", allowed="a date such as 2026-12-01")
            return None
        try:
            day = read_date(value, self.horizon)
        except AmbiguousDate as exc:
            self.issue(
                row,
                "date",
                str(exc),
                value=cell_text(value),
                allowed="a full date, year first, e.g. 2026-12-01 or 2026/12/1",
            )
            return None
        except ValueError:
            hint = "" if self.horizon is not None else " (with the year when no week is given)"
            self.issue(
                row,
                "date",
                "cannot read the date",
                value=cell_text(value),
                allowed=f"a date such as 2026-12-01, 2026/12/1 or 12月1日{hint}",
            )
            return None
        if self.horizon is not None and day not in self.horizon:
            self.issue(
                row,
                "date",
                "the pin's date lies outside the planned days",
                value=day.isoformat(),
                allowed=f"{self.horizon.start.isoformat()} to {self.horizon.end.isoformat()}",
            )
            return None
        return day

    def off(self, row: int, value: Any) -> bool:
        """Whether the row gives a day off (是, √, 休, yes; empty or 否 is no)."""
        word = _fold(value)
        if word in _YES:
            return True
        if word not in _NO:
            self.issue(
                row,
                "off",
                "not yes or no",
                value=cell_text(value),
                allowed="是/√/休/yes for a day off; empty/否/no otherwise",
            )
        return False

    def named(self, row: int, column: str, value: Any, known: Any) -> str | None:
        """A shift or post: its id, or with a configuration also its name."""
        text = cell_text(value)
        if not text:
            return None
        if self.config is None:
            return text
        found = known(self.config, text)
        if found is None:
            items = (
                [(t.id, t.name) for t in self.config.shifts]
                if column == "shift"
                else [(p.id, p.name_zh) for p in self.config.posts]
            )
            self.issue(row, column, f"unknown {column}", value=text, allowed=described(items))
        return found

    def window(self, row: int, cells: dict[str, Any]) -> tuple[dt.time | None, dt.time | None]:
        """Start and end: two cells, or a range in the time column or in the start cell."""
        typed = cells["time"] if not is_blank(cells["time"]) else None
        column = "time"
        if (
            typed is None
            and is_blank(cells["end"])
            and parse_time_range(cells["start"]) is not None
        ):
            typed, column = cells["start"], "start"
        if typed is not None:
            if column == "time" and not (is_blank(cells["start"]) and is_blank(cells["end"])):
                self.issue(
                    row,
                    "time",
                    "the time is given twice",
                    value=cell_text(typed),
                    allowed=f"a range in {self.header('time')} or {self.header('start')} and "
                    f"{self.header('end')}, not both",
                )
                return None, None
            times = parse_time_range(typed)
            if times is None:
                self.issue(
                    row,
                    column,
                    "cannot read the time range",
                    value=cell_text(typed),
                    allowed="a range such as 09:00-12:00 or 下午2点-5点",
                )
                return None, None
            return times
        return self.clock(row, "start", cells["start"]), self.clock(row, "end", cells["end"])

    def clock(self, row: int, column: str, value: Any) -> dt.time | None:
        """A time of day as availability files write it (``9点``, ``２：００ PM``)."""
        return read_clock_cell(self, row, column, value)
