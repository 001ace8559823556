"""The roster workbook (openpyxl): week grid, coverage, people and the rule report.

Sheets, in order:

* one **week** sheet per ISO week of the horizon: people as rows, days as columns, each cell
  the shift times and the posts hour by hour, coloured by the day's main post, with a legend;
* **coverage**: required and assigned staff per hour and post, shortfalls in red;
* **people**: hours, days, weekends, late shifts, overtime, cost and preferences per person,
  with totals;
* **rule report**: solver status and figures, every soft-rule penalty as a sentence, penalties
  by rule, warnings and conflicts.

Every sheet has frozen headers and prints on one A4 landscape page (fit to width and height).
"""

from __future__ import annotations

import math
import unicodedata
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from scheduler.domain import Availability, BranchConfig
from scheduler.io.atomic import atomic_path
from scheduler.reports.labels import Labels
from scheduler.reports.view import RosterView, build_view, clock, to_date, to_minutes
from scheduler.roster.result import RosterResult

HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
SHORT_FILL = PatternFill("solid", fgColor="FFC7CE")
SHORT_FONT = Font(color="9C0006", bold=True)
OFF_FILL = PatternFill("solid", fgColor="F2F2F2")
LEAVE_FILL = PatternFill("solid", fgColor="FFF2CC")
BREAK_FILL = PatternFill("solid", fgColor="BDBDBD")
FREE_FILL = PatternFill("solid", fgColor="E0E0E0")
THIN = Side(style="thin", color="9E9E9E")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)


DAY_COLUMN_WIDTH = 26
"""Width of a day column of the week sheet, in Excel character units."""


def display_width(text: str) -> int:
    """Width of ``text`` in Excel character units: wide (CJK) characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def wrapped_lines(text: str, width: int) -> int:
    """How many lines ``text`` takes in a wrapping cell ``width`` characters wide."""
    return sum(max(1, math.ceil(display_width(line) / (width - 1))) for line in text.split("\n"))


def text_colour(hex_colour: str) -> str:
    """Black or white, whichever reads better on the background ``#rrggbb``."""
    r, g, b = (int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "000000" if luminance > 0.55 else "FFFFFF"


def post_fill(config: BranchConfig, post_id: str) -> tuple[PatternFill, Font]:
    """The fill and font of a cell whose main post is ``post_id``."""
    colour = next((p.colour for p in config.posts if p.id == post_id), "#9e9e9e")
    return PatternFill("solid", fgColor=colour.lstrip("#").upper()), Font(color=text_colour(colour))


def _print_setup(sheet: Worksheet, title_rows: str) -> None:
    """One A4 landscape page, fitted to width and height, header rows repeated."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 1
    sheet.print_title_rows = title_rows
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5


def _header(sheet: Worksheet, row: int, values: list[Any]) -> None:
    for col, value in enumerate(values, start=1):
        cell = sheet.cell(row, col, value)
        cell.font, cell.fill, cell.border, cell.alignment = BOLD, HEADER_FILL, BOX, CENTRE


def _title(sheet: Worksheet, text: str, width: int) -> None:
    sheet.cell(1, 1, text).font = TITLE
    if width > 1:
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)


def _safe_title(text: str) -> str:
    for ch in "[]:*?/\\":
        text = text.replace(ch, "-")
    return text[:31]


def _number(value: Any) -> Any:
    """A frame cell as a plain Python number (or text/None) openpyxl can store."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# Week grid -----------------------------------------------------------------------------------


def _week_sheet(book: Workbook, view: RosterView, dates: list, labels: Labels) -> Worksheet:
    iso = dates[0].isocalendar()
    sheet = book.create_sheet(_safe_title(labels("sheet_week", week=f"{iso.week:02d}")))
    cfg = view.config
    label = f"{dates[0]:%Y-%m-%d}..{dates[-1]:%Y-%m-%d}"
    ncols = 2 + len(dates) + 1
    _title(sheet, labels("roster_title", branch=cfg.branch.name, label=label), ncols)
    _header(
        sheet,
        2,
        [labels("staff_id"), labels("name"), *(labels.day(d) for d in dates), labels("week_hours")],
    )
    row = 3
    for staff_id, name in view.staff:
        sheet.cell(row, 1, staff_id).border = BOX
        sheet.cell(row, 2, name).border = BOX
        lines = 1
        for col, day in enumerate(dates, start=3):
            pday = view.day(staff_id, day)
            text = view.cell_text(staff_id, day, labels)
            cell = sheet.cell(row, col, text)
            cell.alignment, cell.border = WRAP_TOP, BOX
            main = pday.main_post
            if main is not None:
                cell.fill, cell.font = post_fill(cfg, main)
            elif pday.working:
                cell.fill = FREE_FILL
            elif pday.leave is not None:
                cell.fill = LEAVE_FILL
            else:
                cell.fill = OFF_FILL
            lines = max(lines, wrapped_lines(text, DAY_COLUMN_WIDTH))
        hours = view.paid_hours(staff_id, dates)
        cell = sheet.cell(row, 2 + len(dates) + 1, _number(round(hours, 2)))
        cell.border, cell.number_format = BOX, "0.0#"
        sheet.row_dimensions[row].height = 15 * lines
        row += 1
    sheet.cell(row, 2, labels("on_duty")).font = BOLD
    for col, day in enumerate(dates, start=3):
        working = sum(view.day(staff_id, day).working for staff_id, _ in view.staff)
        cell = sheet.cell(row, col, working)
        cell.font, cell.border, cell.alignment = BOLD, BOX, CENTRE
    total = sum(view.paid_hours(staff_id, dates) for staff_id, _ in view.staff)
    cell = sheet.cell(row, 3 + len(dates), _number(round(total, 2)))
    cell.font, cell.border, cell.number_format = BOLD, BOX, "0.0#"
    row = _legend(sheet, row + 2, view, labels)
    sheet.column_dimensions["A"].width = 9
    sheet.column_dimensions["B"].width = 10
    for col in range(3, 3 + len(dates)):
        sheet.column_dimensions[get_column_letter(col)].width = DAY_COLUMN_WIDTH
    sheet.column_dimensions[get_column_letter(3 + len(dates))].width = 10
    sheet.freeze_panes = "C3"
    _print_setup(sheet, "2:2")
    return sheet


def _legend(sheet: Worksheet, row: int, view: RosterView, labels: Labels) -> int:
    """Write the colour legend from ``row``; return the next free row."""
    sheet.cell(row, 2, labels("legend")).font = BOLD
    row += 1
    for post in view.config.posts:
        fill, font = post_fill(view.config, post.id)
        swatch = sheet.cell(row, 2, labels.post(post.id))
        swatch.fill, swatch.font, swatch.border = fill, font, BOX
        row += 1
    for key, fill in (("free", FREE_FILL), ("leave", LEAVE_FILL), ("off", OFF_FILL)):
        cell = sheet.cell(row, 2, labels(key))
        cell.fill, cell.border = fill, BOX
        row += 1
    sheet.cell(row, 2, f"{labels('break_short')} = {labels('break')}")
    return row + 1


# Coverage ------------------------------------------------------------------------------------


def _coverage_sheet(book: Workbook, view: RosterView, labels: Labels) -> Worksheet:
    sheet = book.create_sheet(_safe_title(labels("sheet_coverage")))
    cov = view.result.coverage
    cfg = view.config
    known = [p.id for p in cfg.posts]
    present = {str(p) for p in cov["post"]} if len(cov) else set()
    posts = [p for p in known if p in present] + sorted(present - set(known))
    ncols = 2 + 2 * len(posts) + 1
    _title(
        sheet,
        labels("coverage_title", branch=cfg.branch.name, label=view.result.horizon.label()),
        ncols,
    )
    _header(sheet, 2, [labels("date"), labels("slot")])
    _header(sheet, 3, [labels("date"), labels("slot")])
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("B2:B3")
    for i, post in enumerate(posts):
        col = 3 + 2 * i
        for r, value in ((2, labels.post(post)), (3, labels("required"))):
            cell = sheet.cell(r, col, value)
            cell.font, cell.fill, cell.border, cell.alignment = BOLD, HEADER_FILL, BOX, CENTRE
        cell = sheet.cell(3, col + 1, labels("assigned"))
        cell.font, cell.fill, cell.border, cell.alignment = BOLD, HEADER_FILL, BOX, CENTRE
        sheet.cell(2, col + 1).border = BOX
        sheet.merge_cells(start_row=2, start_column=col, end_row=2, end_column=col + 1)
    gap_col = 3 + 2 * len(posts)
    for r in (2, 3):
        cell = sheet.cell(r, gap_col, labels("gap") if r == 2 else "")
        cell.font, cell.fill, cell.border, cell.alignment = BOLD, HEADER_FILL, BOX, CENTRE
    sheet.merge_cells(start_row=2, start_column=gap_col, end_row=3, end_column=gap_col)

    cells: dict[tuple, dict[str, tuple[int, int]]] = {}
    for rec in cov.itertuples(index=False):
        key = (to_date(rec.date), to_minutes(rec.ds))
        cells.setdefault(key, {})[str(rec.post)] = (int(rec.required), int(rec.assigned))
    total_short = 0
    row = 4
    for (day, minute), by_post in sorted(cells.items()):
        sheet.cell(row, 1, day).number_format = "yyyy-mm-dd"
        sheet.cell(row, 2, clock(minute))
        short = 0
        for i, post in enumerate(posts):
            col = 3 + 2 * i
            if post not in by_post:
                continue
            req, got = by_post[post]
            sheet.cell(row, col, req).border = BOX
            cell = sheet.cell(row, col + 1, got)
            cell.border = BOX
            if got < req:
                cell.fill, cell.font = SHORT_FILL, SHORT_FONT
                short += req - got
        gap = sheet.cell(row, gap_col, -short if short else 0)
        gap.border = BOX
        if short:
            gap.fill, gap.font = SHORT_FILL, SHORT_FONT
        total_short += short
        row += 1
    short_hours = total_short * cfg.branch.slot_minutes / 60
    note = (
        labels("shortfall_note", short=short_hours) if total_short else labels("no_shortfall_note")
    )
    sheet.cell(row + 1, 1, note).font = SHORT_FONT if total_short else BOLD
    sheet.column_dimensions["A"].width = 11
    sheet.column_dimensions["B"].width = 7
    for col in range(3, gap_col + 1):
        sheet.column_dimensions[get_column_letter(col)].width = 7
    sheet.freeze_panes = "C4"
    _print_setup(sheet, "2:3")
    return sheet


# People --------------------------------------------------------------------------------------

PEOPLE_FIELDS = (
    ("staff_id", "staff_id", "@"),
    ("name", "name", "@"),
    ("paid_hours", "paid_hours", "0.0#"),
    ("contract_hours", "contract_hours", "0.0#"),
    ("days_worked", "days_worked", "0"),
    ("weekend_days", "weekend_days", "0"),
    ("late_shifts", "late_shifts", "0"),
    ("overtime_hours", "overtime_hours", "0.0#"),
    ("labour_cost", "labour_cost", "#,##0.00"),
    ("preferences_met", "preferences_met", "0"),
    ("preferences_total", "preferences_total", "0"),
)
"""People-sheet columns: (people-frame column, label key, number format)."""


def _people_sheet(book: Workbook, view: RosterView, labels: Labels) -> Worksheet:
    sheet = book.create_sheet(_safe_title(labels("sheet_people")))
    people = view.result.people
    cfg = view.config
    _title(
        sheet,
        labels("people_title", branch=cfg.branch.name, label=view.result.horizon.label()),
        len(PEOPLE_FIELDS),
    )
    _header(sheet, 2, [labels(key) for _, key, _ in PEOPLE_FIELDS])
    row = 3
    totals = [0.0] * len(PEOPLE_FIELDS)
    for rec in people.to_dict("records"):
        for i, (column, _, fmt) in enumerate(PEOPLE_FIELDS):
            value = _number(rec.get(column))
            if i >= 2 and isinstance(value, str):
                value = _number(float(value))
            cell = sheet.cell(row, i + 1, value)
            cell.border, cell.number_format = BOX, fmt
            if i >= 2 and isinstance(value, int | float):
                totals[i] += value
        row += 1
    sheet.cell(row, 1, labels("total")).font = BOLD
    for i, (_, _, fmt) in enumerate(PEOPLE_FIELDS[2:], start=2):
        cell = sheet.cell(row, i + 1, _number(round(totals[i], 2)))
        cell.font, cell.border, cell.number_format = BOLD, BOX, fmt
    widths = (9, 10, 9, 10, 9, 9, 9, 10, 13, 9, 9)
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.freeze_panes = "C3"
    _print_setup(sheet, "2:2")
    return sheet


# Rule report ---------------------------------------------------------------------------------


def _fmt(value: float | None, digits: int = 2) -> Any:
    return "" if value is None else round(float(value), digits)


def _rules_sheet(book: Workbook, view: RosterView, labels: Labels) -> Worksheet:
    sheet = book.create_sheet(_safe_title(labels("sheet_rules")))
    res, cfg = view.result, view.config
    s = res.stats
    _title(sheet, labels("rules_title", branch=cfg.branch.name, label=res.horizon.label()), 8)
    _header(sheet, 2, [labels("solver"), ""])
    gap = "" if s.gap is None else f"{100 * s.gap:.2f}%"
    rows: list[tuple[str, Any]] = [
        ("status", s.status),
        ("objective", _fmt(s.objective)),
        ("best_bound", _fmt(s.best_bound)),
        ("gap_pct", gap),
        ("wall_time", _fmt(s.wall_time_s)),
        ("workers", s.workers),
        ("seed", s.seed),
        ("variables", s.variables),
        ("constraints", s.constraints),
    ]
    row = 3
    for key, value in rows:
        sheet.cell(row, 1, labels(key)).font = BOLD
        sheet.cell(row, 2, value)
        row += 1

    row += 1
    sheet.cell(row, 1, labels("penalties_by_rule")).font = TITLE
    row += 1
    heads = ["rule", "rule_description", "count", "amount", "cost"]
    _header(sheet, row, [labels(k) for k in heads])
    row += 1
    by_rule = res.penalties_by_rule()
    if not len(by_rule):
        sheet.cell(row, 1, labels("no_penalties"))
        row += 1
    for rec in by_rule.itertuples(index=False):
        values = [rec.rule, labels.rule(str(rec.rule)), int(rec.count)]
        values += [_fmt(rec.amount), _fmt(rec.cost)]
        for col, value in enumerate(values, start=1):
            sheet.cell(row, col, value).border = BOX
        row += 1

    row += 1
    sheet.cell(row, 1, labels("penalties")).font = TITLE
    row += 1
    heads = ["rule", "message", "amount", "cost", "staff", "date", "slot", "post"]
    _header(sheet, row, [labels(k) for k in heads])
    penalty_header = row
    row += 1
    if not res.penalties:
        sheet.cell(row, 1, labels("no_penalties"))
        row += 1
    names = {sid: name for sid, name in view.staff}
    for p in res.penalties:
        who = f"{p.staff_id} {names.get(p.staff_id, '')}".strip() if p.staff_id else ""
        values = [
            p.rule,
            p.message_in(labels.lang),
            _fmt(p.amount),
            _fmt(p.cost),
            who,
            p.date,
            f"{p.ds:%H:%M}" if p.ds is not None else "",
            labels.post(p.post) if p.post else "",
        ]
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row, col, value)
            cell.border, cell.alignment = BOX, WRAP_TOP
            if col == 6 and value is not None:
                cell.number_format = "yyyy-mm-dd"
        row += 1

    row += 1
    sheet.cell(row, 1, labels("warnings")).font = TITLE
    row += 1
    for text in res.warnings_in(labels.lang) or (labels("no_warnings"),):
        sheet.cell(row, 1, text).alignment = WRAP_TOP
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=8)
        row += 1
    if res.conflicts:
        row += 1
        sheet.cell(row, 1, labels("conflicts")).font = TITLE
        row += 1
        for c in res.conflicts:
            sheet.cell(row, 1, ", ".join(c.rules))
            sheet.cell(row, 2, c.message_in(labels.lang)).alignment = WRAP_TOP
            if c.relaxation:
                sheet.cell(row, 3, f"{labels('relaxation')}: {c.relaxation_in(labels.lang)}")
            row += 1
    for col, width in enumerate((22, 60, 10, 10, 14, 11, 8, 14), start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.freeze_panes = "A3"
    _print_setup(sheet, f"{penalty_header}:{penalty_header}")
    return sheet


# Entry point ---------------------------------------------------------------------------------


def build_workbook(
    result: RosterResult,
    config: BranchConfig,
    *,
    availability: Availability | None = None,
    lang: str = "zh",
) -> Workbook:
    """Build the roster workbook in memory.

    Args:
        result: The roster (must hold one: feasible or at least with assignments).
        config: The branch configuration (names, posts, colours).
        availability: Leave shown in the grid when given.
        lang: ``zh`` (default) or ``en``.

    Returns:
        The workbook: week sheets, coverage, people, rule report.
    """
    labels = Labels(lang, config)
    view = build_view(result, config, availability)
    book = Workbook()
    book.remove(book.active)
    for dates in view.weeks():
        _week_sheet(book, view, dates, labels)
    _coverage_sheet(book, view, labels)
    _people_sheet(book, view, labels)
    _rules_sheet(book, view, labels)
    book.properties.title = labels(
        "roster_title", branch=config.branch.name, label=result.horizon.label()
    )
    return book


def write_workbook(
    result: RosterResult,
    config: BranchConfig,
    path: str | Path,
    *,
    availability: Availability | None = None,
    lang: str = "zh",
) -> Path:
    """Write the roster workbook to ``path`` atomically.

    Example:
        >>> write_workbook(result, config, "out/roster.xlsx", lang="en")  # doctest: +SKIP
    """
    book = build_workbook(result, config, availability=availability, lang=lang)
    with atomic_path(path) as tmp:
        book.save(tmp)
    return Path(path)
