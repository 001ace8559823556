"""Availability templates (可用时段申报表) for staff to fill in, one per person or combined.

Each template has the columns :func:`scheduler.io.availability_file.read_availability`
reads, a row per person and date of the week pre-filled with the staff number, the name, the
date and ``可用``/``available`` over the widest shift window of the branch (so a template sent
back unchanged declares no restriction), and, in XLSX, drop-down lists for the type and the
approval and checks on dates, times (``HH:MM``) and weights. A few lines of instructions sit
above the header; the reader skips them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from scheduler.calendar import Horizon
from scheduler.domain import BranchConfig, Staff, format_clock
from scheduler.io.atomic import atomic_path, atomic_write_bytes
from scheduler.io.availability_file import HEADERS
from scheduler.reports.labels import TYPE_MEANINGS, TYPE_WORDS, label

TEMPLATE_HEADERS: dict[str, tuple[str, ...]] = HEADERS
"""Header row per language: the column names the availability reader accepts."""

FORMATS = ("xlsx", "csv")
"""File formats a template can be written in."""

SPARE_ROWS = 40
"""Empty rows below the pre-filled ones that keep the drop-downs and checks (XLSX)."""

HELP_KEYS = ("help_rows", "help_times", "help_leave", "help_weight")
"""Instruction lines written above the header of an XLSX template."""

_HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
_PREFILLED_FILL = PatternFill("solid", fgColor="F5F5F5")


def work_window(config: BranchConfig) -> tuple[dt.time, dt.time]:
    """The widest span of the branch's shift templates: earliest start to latest end."""
    start = min(s.start_minute for s in config.shifts)
    end = max(s.end_minute for s in config.shifts)
    return _time(start), _time(end)


def _time(minutes: int) -> dt.time:
    return dt.time.max if minutes >= 24 * 60 else dt.time(minutes // 60, minutes % 60)


def _check(fmt: str, lang: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"format must be xlsx or csv, not {fmt!r}")
    if lang not in TEMPLATE_HEADERS:
        raise ValueError(f"lang must be zh or en, not {lang!r}")


def template_rows(
    config: BranchConfig, horizon: Horizon, people: Sequence[Staff], lang: str = "zh"
) -> list[list[Any]]:
    """The pre-filled rows: one per person and date, "available" over the shift window.

    Columns follow :data:`TEMPLATE_HEADERS`; dates are ``date`` and times ``time`` objects.
    """
    start, end = work_window(config)
    available = TYPE_WORDS["available"][0 if lang == "zh" else 1]
    return [
        [person.id, person.name, day, None, start, end, available, None, None, None]
        for person in people
        for day in horizon.dates
    ]


def _csv_bytes(headers: Sequence[str], rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, dt.time):
                cells.append(format_clock(value))
            elif isinstance(value, dt.date):
                cells.append(value.isoformat())
            else:
                cells.append("" if value is None else str(value))
        writer.writerow(cells)
    return buffer.getvalue().encode("utf-8-sig")  # the BOM makes Excel open it as UTF-8


def _validations(sheet: Worksheet, first: int, last: int, horizon: Horizon, lang: str) -> None:
    """Drop-downs for type and approval; checks on dates, times and weights."""
    index = 0 if lang == "zh" else 1

    def rng(col: int) -> str:
        letter = get_column_letter(col)
        return f"{letter}{first}:{letter}{last}"

    words = [w[index] for w in TYPE_WORDS.values()]
    types = DataValidation(type="list", formula1='"' + ",".join(words) + '"', allow_blank=True)
    types.error = label("type_error", lang)
    types.errorTitle = TEMPLATE_HEADERS[lang][6]
    meanings = "; ".join(f"{w[index]}: {TYPE_MEANINGS[k][index]}" for k, w in TYPE_WORDS.items())
    types.prompt = meanings[:255]
    types.promptTitle = TEMPLATE_HEADERS[lang][6]
    types.add(rng(7))

    times = DataValidation(
        type="time", operator="between", formula1="0", formula2="1", allow_blank=True
    )
    times.error = label("time_error", lang)
    times.errorTitle = f"{TEMPLATE_HEADERS[lang][4]}/{TEMPLATE_HEADERS[lang][5]}"
    times.add(rng(5))
    times.add(rng(6))

    start, end = horizon.start, horizon.end
    first_day = f"DATE({start.year},{start.month},{start.day})"
    days = DataValidation(
        type="date",
        operator="between",
        formula1=first_day,
        formula2=f"DATE({end.year},{end.month},{end.day})",
        allow_blank=True,
    )
    days.error = label("date_error", lang)
    days.add(rng(3))
    ends = DataValidation(
        type="date", operator="greaterThanOrEqual", formula1=first_day, allow_blank=True
    )
    ends.error = label("date_error", lang)
    ends.add(rng(4))

    weight = DataValidation(
        type="whole", operator="between", formula1="1", formula2="10", allow_blank=True
    )
    weight.error = label("weight_error", lang)
    weight.add(rng(8))

    yes_no = "是,否" if lang == "zh" else "yes,no"
    approved = DataValidation(type="list", formula1=f'"{yes_no}"', allow_blank=True)
    approved.error = label("approved_error", lang)
    approved.add(rng(9))

    for dv in (types, times, days, ends, weight, approved):
        dv.showErrorMessage = True
        dv.showInputMessage = dv is types
        sheet.add_data_validation(dv)


def _xlsx(path: Path, title: str, rows: list[list[Any]], horizon: Horizon, lang: str) -> None:
    headers = TEMPLATE_HEADERS[lang]
    book = Workbook()
    sheet = book.active
    sheet.title = label("template_sheet", lang)
    width = len(headers)
    sheet.cell(1, 1, title).font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    for i, key in enumerate(HELP_KEYS, start=2):
        cell = sheet.cell(i, 1, label(key, lang))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.font = Font(color="616161")
        sheet.merge_cells(start_row=i, start_column=1, end_row=i, end_column=width)
        sheet.row_dimensions[i].height = 30
    header_row = len(HELP_KEYS) + 2
    for col, text in enumerate(headers, start=1):
        cell = sheet.cell(header_row, col, text)
        cell.font, cell.fill = Font(bold=True), _HEADER_FILL
    first = header_row + 1
    for r, row in enumerate(rows, start=first):
        for col, value in enumerate(row, start=1):
            cell = sheet.cell(r, col, value)
            if isinstance(value, dt.time):
                cell.number_format = "hh:mm"
            elif isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            if col <= 3:
                cell.fill = _PREFILLED_FILL
    last = first + len(rows) + SPARE_ROWS - 1
    for r in range(first + len(rows), last + 1):  # spare rows keep the cell formats
        sheet.cell(r, 3).number_format = sheet.cell(r, 4).number_format = "yyyy-mm-dd"
        sheet.cell(r, 5).number_format = sheet.cell(r, 6).number_format = "hh:mm"
    _validations(sheet, first, last, horizon, lang)
    for col, w in enumerate((9, 10, 12, 12, 8, 8, 10, 6, 6, 30), start=1):
        sheet.column_dimensions[get_column_letter(col)].width = w
    sheet.freeze_panes = sheet.cell(first, 1)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_title_rows = f"{header_row}:{header_row}"
    book.save(path)


def write_template(
    config: BranchConfig,
    horizon: Horizon,
    path: str | Path,
    *,
    people: Sequence[Staff] | None = None,
    lang: str = "zh",
) -> Path:
    """Write one template (format from the suffix, ``.xlsx`` or ``.csv``) atomically.

    Args:
        config: The branch (staff, shift window).
        horizon: The days to declare (usually an ISO week).
        path: Target file.
        people: Who the template is for; everyone when ``None``.
        lang: ``zh`` (default) or ``en`` headers and type words.

    Returns:
        The path written.

    Raises:
        ValueError: For an unknown suffix or language.
    """
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    _check(fmt, lang)
    people = list(config.staff if people is None else people)
    rows = template_rows(config, horizon, people, lang)
    if fmt == "csv":
        return atomic_write_bytes(path, _csv_bytes(TEMPLATE_HEADERS[lang], rows))
    if len(people) == 1:
        title = label(
            "template_title",
            lang,
            name=people[0].name,
            staff_id=people[0].id,
            label=horizon.label(),
        )
    else:
        title = label(
            "template_combined_title", lang, branch=config.branch.name, label=horizon.label()
        )
    with atomic_path(path) as tmp:
        _xlsx(tmp, title, rows, horizon, lang)
    return path


def write_templates(
    config: BranchConfig,
    horizon: Horizon,
    folder: str | Path,
    *,
    combined: bool = False,
    fmt: str = "xlsx",
    lang: str = "zh",
) -> list[Path]:
    """Write availability templates for every member of staff into ``folder``.

    Files are ``availability_<week>_<staff_id>.<fmt>`` (one per person) or, with
    ``combined``, a single ``availability_<week>.<fmt>``.

    Example:
        >>> write_templates(config, Horizon.iso_week("2026-W49"), "forms")  # doctest: +SKIP
        [PosixPath('forms/availability_2026-W49_S01.xlsx'), ...]

    Raises:
        ValueError: For an unknown format or language.
    """
    _check(fmt, lang)
    folder = Path(folder)
    week = horizon.label()
    if combined:
        return [write_template(config, horizon, folder / f"availability_{week}.{fmt}", lang=lang)]
    return [
        write_template(
            config, horizon, folder / f"availability_{week}_{s.id}.{fmt}", people=[s], lang=lang
        )
        for s in config.staff
    ]
