"""Pins file: assignments a manager fixes by hand before the roster is built.

One row per pin (CSV or XLSX; Chinese or English headers):

========= ========= ===================================================================
中文       English   meaning
========= ========= ===================================================================
工号       staff_id  staff number (required)
日期       date      the day (required)
休息       off       yes/是 = the person must not work that day
班次       shift     shift template id the person works that day
岗位       post      post id the person holds ...
开始       start     ... from this time (empty = the whole shift)
结束       end       ... until this time
========= ========= ===================================================================
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from scheduler.errors import InputError, Issue
from scheduler.io.tables import FILE, ROW, ColumnSpec, cell_text, parse_date, read_table
from scheduler.roster.request import Pin

PIN_COLUMNS = (
    ColumnSpec("staff_id", ("工号", "员工编号", "staff")),
    ColumnSpec("date", ("日期", "day")),
    ColumnSpec("off", ("休息", "day_off", "rest"), required=False),
    ColumnSpec("shift", ("班次",), required=False),
    ColumnSpec("post", ("岗位",), required=False),
    ColumnSpec("start", ("开始", "开始时间", "from"), required=False),
    ColumnSpec("end", ("结束", "结束时间", "to", "until"), required=False),
)
"""The columns of a pins file."""

_YES = {"yes", "y", "true", "1", "是", "x", "✓", "休", "休息"}
_NO = {"", "no", "n", "false", "0", "否"}


def read_pins(path: str | Path) -> tuple[Pin, ...]:
    """Read a pins file.

    Raises:
        InputError: Every problem of the file, each with its row, column, value and what is
            allowed (unknown ids are checked against the configuration when solving).
    """
    return read_pins_located(path)[0]


def read_pins_located(path: str | Path) -> tuple[tuple[Pin, ...], list[tuple[str, int]]]:
    """Read a pins file, with the (file, row) each pin came from.

    The rows let a problem found later (an unknown staff id, say ``pins[2]``) be reported at
    the row the manager wrote it on.

    Raises:
        InputError: As :func:`read_pins`.
    """
    issues: list[Issue] = []
    pins: list[Pin] = []
    rows: list[tuple[str, int]] = []
    for table in read_table(path, PIN_COLUMNS, "pins"):
        for row in table.frame.to_dict("records"):
            file, line = str(row[FILE]), int(row[ROW])
            values: dict[str, object] = {}
            try:
                values["date"] = parse_date(row["date"])
            except ValueError as exc:
                issues.append(Issue(file, str(exc), line, table.header("date"), row["date"]))
                continue
            off = cell_text(row.get("off")).lower()
            if off not in _YES | _NO:
                issues.append(
                    Issue(file, "not yes or no", line, table.header("off"), row.get("off"), "是/否")
                )
                continue
            values["off"] = off in _YES
            values["staff_id"] = cell_text(row["staff_id"])
            for column in ("shift", "post", "start", "end"):
                text = cell_text(row.get(column))
                if text:
                    values[column] = text
            try:
                pins.append(Pin(**values))  # type: ignore[arg-type]
                rows.append((file, line))
            except ValidationError as exc:
                for err in exc.errors():
                    column = str(err["loc"][0]) if err["loc"] else None
                    issues.append(
                        Issue(
                            file,
                            err["msg"].removeprefix("Value error, "),
                            line,
                            table.header(column) if column else None,
                            values.get(column) if column else None,
                        )
                    )
    if issues:
        raise InputError(issues)
    return tuple(pins), rows
