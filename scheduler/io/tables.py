"""Tabular input files as people really send them: CSV (any common encoding) and XLSX.

The readers of traffic and availability files share this module. It finds the header row
(which may sit below a title row), maps Chinese and English header names onto canonical
column names, drops empty rows, fills merged cells and keeps each row's number as the user
sees it in a spreadsheet (row 1 is the first line of the file or sheet), so every problem can
be reported with its file, row and column.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from scheduler.domain.common import normalise_text
from scheduler.errors import InputError, Issue
from scheduler.io.config_file import decode_text

ROW = "_row"
"""Column holding each row's 1-based number in its file or sheet."""
FILE = "_file"
"""Column holding the file (and sheet) label each row came from."""

TABLE_SUFFIXES = (".csv", ".csv.gz", ".txt", ".tsv", ".xlsx", ".xlsm")
"""File name endings the table reader accepts."""

HEADER_SCAN_ROWS = 20
"""How many leading non-empty rows are searched for the header row."""

LARGE_XLSX_BYTES = 256_000
"""Workbooks bigger than this (data exports, not forms) are streamed: about twice as fast,
but merged cells are not filled."""

_EXCEL_EPOCH = dt.date(1899, 12, 30)


@dataclass(frozen=True)
class ColumnSpec:
    """One canonical column and the header names that mean it.

    Attributes:
        name: Canonical column name used in code (e.g. ``staff_id``).
        aliases: Other header names accepted for it, any language (e.g. ``工号``).
        required: Whether a file without this column is rejected.
    """

    name: str
    aliases: tuple[str, ...] = ()
    required: bool = True

    def names(self) -> tuple[str, ...]:
        """Every accepted header name, canonical first."""
        return (self.name, *self.aliases)


class Grid(list[list[Any]]):
    """The cells of one CSV file or sheet, row by row, with what a workbook says beyond them.

    Attributes:
        merged: ``(row, column)`` indices (0-based) of cells that only repeat the top-left
            value of a merged range (filled in so a merged name or date reaches every row).
        hidden_columns: 0-based indices of the columns hidden in the workbook.
    """

    merged: frozenset[tuple[int, int]] = frozenset()
    hidden_columns: frozenset[int] = frozenset()


@dataclass
class Table:
    """The rows of one file, with canonical column names.

    Attributes:
        file: The file name used in messages.
        frame: One row per non-empty data row; canonical columns (raw cell values, ``None``
            for empty cells) plus :data:`ROW` and :data:`FILE`.
        headers: For each canonical column found, the header as written in the file.
        ignored: Columns whose header names none of the columns looked for: column letter
            (``"D"``) to the header as written. Their cells are not read.
        header_row: The 1-based row of the header (of its lower row, for a two-row header).
    """

    file: str
    frame: pd.DataFrame
    headers: dict[str, str] = field(default_factory=dict)
    ignored: dict[str, str] = field(default_factory=dict)
    header_row: int = 1

    def header(self, column: str) -> str:
        """The column's header as the user wrote it (the canonical name if absent)."""
        return self.headers.get(column, column)


def header_key(text: Any) -> str:
    """Fold a header cell for matching: NFKC, lower case, no spaces, marks or unit notes.

    Example:
        >>> header_key(" 开始时间（HH:MM）* ")
        '开始时间'
    """
    if text is None:
        return ""
    key = normalise_text(str(text)).lower()
    key = re.sub(r"[\(\[（【].*?[\)\]）】]", "", key)
    return re.sub(r"[\s*_\-:：/.]+", "", key)


def cell_text(value: Any) -> str:
    """A cell as normalised text: full-width characters folded, ``""`` for empty cells."""
    if isinstance(value, str) and value.isascii():
        return value.strip()  # NFKC changes nothing in ASCII; the common case, kept fast
    if value is None or value is pd.NaT:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
    return normalise_text(str(value))


def is_blank(value: Any) -> bool:
    """Whether a cell is empty (``None``, NaN or only spaces)."""
    return cell_text(value) == ""


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index (0 is ``A``, 26 is ``AA``)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def header_pairs(columns: Sequence[ColumnSpec], zh: Mapping[str, str]) -> str:
    """The columns a reader knows, as ``工号/staff_id, 日期/date, ...`` for a message."""
    return ", ".join(f"{zh.get(c.name, c.aliases[0])}/{c.name}" for c in columns)


def column_index(letter: str) -> int:
    """The 0-based index of a spreadsheet column letter (``A`` is 0, ``AA`` is 26)."""
    index = 0
    for char in letter:
        index = index * 26 + ord(char) - ord("A") + 1
    return index - 1


TOTAL_WORDS = frozenset(("合计", "总计", "小计", "共计", "total", "totals", "sum", "grandtotal"))
"""A cell holding one of these (folded) marks a totals row under the data."""


def is_total_word(value: Any) -> bool:
    """Whether a cell says 合计, 总计, Total ... (case, width and spaces ignored)."""
    if not isinstance(value, str) or len(value) > 24:
        return False
    return re.sub(r"[\s_\-:：]+", "", normalise_text(value).lower()) in TOTAL_WORDS


def suffix_of(path: str | Path) -> str:
    """The file's format suffix in lower case, ``.csv.gz`` counted as one."""
    name = Path(path).name.lower()
    return ".csv.gz" if name.endswith(".csv.gz") else Path(name).suffix


def expand_folders(
    paths: Iterable[str | Path], suffixes: Sequence[str] = TABLE_SUFFIXES
) -> list[Path]:
    """The paths with each folder replaced by the files in it (and its subfolders).

    A folder gives its files whose ending is one of ``suffixes``, sorted, leaving out
    hidden files and the lock files Excel leaves beside an open workbook (``~$...``);
    a file is kept as given, whatever its ending, so that a wrong one is reported.
    """
    out: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            out += sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and not p.name.startswith((".", "~$")) and suffix_of(p) in suffixes
            )
        else:
            out.append(path)
    return out


def read_bytes(path: str | Path) -> bytes:
    """Read a file (decompressing ``.gz``).

    Raises:
        InputError: If the file is missing, unreadable or not valid gzip.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError([Issue(str(path), "file not found")]) from None
    except OSError as exc:
        raise InputError([Issue(str(path), f"cannot read the file: {exc.strerror}")]) from None
    if path.name.lower().endswith(".gz"):
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(raw)) as packed:
                raw = packed.read(MAX_UNPACKED_BYTES + 1)
        except (OSError, EOFError):
            raise InputError(
                [Issue(str(path), "not a valid gzip file", allowed="a .csv.gz made by gzip")]
            ) from None
        if len(raw) > MAX_UNPACKED_BYTES:
            raise InputError(
                [
                    Issue(
                        str(path),
                        f"the file unpacks to more than {MAX_UNPACKED_BYTES // 2**20} MB",
                        allowed="a smaller table (split it, e.g. by year)",
                    )
                ]
            )
    return raw


MAX_UNPACKED_BYTES = 256 * 2**20
"""Most bytes a ``.gz`` table may unpack to: years of hourly counts for a branch take a few
MB; a small upload that unpacks to hundreds of MB of zeros is refused before it is parsed."""


def decode_table_text(raw: bytes, file: str) -> str:
    """Decode a text table: UTF-16 (Excel "Unicode text", with or without BOM), UTF-8, GBK.

    Raises:
        InputError: If no supported encoding fits.
    """
    return decode_text(raw, file)


_MAGIC = (
    (b"%PDF", "a PDF document", "export the table from its program as .xlsx or .csv"),
    (
        b"\xd0\xcf\x11\xe0",
        "an old Excel (.xls) workbook or a password-protected workbook",
        "remove the password (File > Info > Protect Workbook), then save as .xlsx",
    ),
    (b"{\\rtf", "an RTF document", "save the table as .xlsx or .csv"),
    (b"\x89PNG", "a PNG picture", "send the table itself as .xlsx or .csv, not a screenshot"),
    (b"\xff\xd8\xff", "a JPEG picture", "send the table itself as .xlsx or .csv, not a photo"),
)


def _sniff_content(raw: bytes) -> tuple[str, str] | None:
    """What a file that is not a table really is, from its first bytes: (what, fix)."""
    head = raw[:512].lstrip()
    for magic, what, fix in _MAGIC:
        if head.startswith(magic):
            return what, fix
    if head[:14].lower().startswith((b"<!doctype html", b"<html", b"<table")):
        return (
            "a web page (an 'Excel' export that is really HTML)",
            "open it in Excel or WPS and save as .xlsx or .csv",
        )
    return None


def _zip_kind(path: Path) -> str | None:
    """For a ZIP file: ``"xlsx"`` for a workbook, else a description of what it holds."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return None
    if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
        return "xlsx"
    if any(n.startswith("word/") for n in names):
        return "a Word document (.docx)"
    if any(n.startswith("ppt/") for n in names):
        return "a PowerPoint file (.pptx)"
    if any(n.startswith("Index/") or n.endswith(".iwa") for n in names):
        return "an Apple Numbers file"
    if "mimetype" in names:
        return "an OpenDocument file (.ods/.odt)"
    return "a ZIP archive"


def _workbook_source(path: Path) -> Path | io.BytesIO:
    """What to hand openpyxl: the path, or the bytes when the name does not end in .xlsx."""
    if suffix_of(path) in (".xlsx", ".xlsm"):
        return path
    return io.BytesIO(path.read_bytes())


def _is_workbook(path: Path) -> bool:
    """Whether a file is an XLSX workbook whatever its name (``.csv`` saved as a workbook)."""
    try:
        with path.open("rb") as handle:
            if handle.read(4) != b"PK\x03\x04":
                return False
    except OSError:
        return False
    return _zip_kind(path) == "xlsx"


def _not_a_table(file: str, what: str, fix: str) -> InputError:
    return InputError([Issue(file, f"this is not a table file: it is {what}", allowed=fix)])


def _csv_rows(text: str, file: str = "<csv>") -> list[list[str]]:
    """Split CSV text into cells, guessing the separator (``,`` ``;`` tab ``|``).

    Excel's ``sep=;`` first line sets the separator and counts as a blank row (so row numbers
    still match the file); cells written as ``="012"`` (Excel's way to keep leading zeros)
    become ``012``.

    Raises:
        InputError: When a quote opened in a cell is never closed (it would swallow every
            row after it into that cell), naming the row and column where it opens.
    """
    first, _, rest = text.partition("\n")
    hint = re.fullmatch(r"\ufeff?sep=(.)\r?", first)
    if hint is not None:
        delimiter = hint.group(1)
        text = "\n" + rest
    else:
        sample = "\n".join(text[:65536].splitlines()[:50])
        try:
            dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
            delimiter = dialect.delimiter
        except csv.Error:
            delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    line = last_start = 0  # physical lines read before the record being read / the last one
    try:
        for row in reader:
            rows.append(row)
            last_start, line = line, reader.line_num
    except csv.Error as exc:
        issue = _open_quote_issue(file, text, line, len(rows) + 1, delimiter, exc)
        raise InputError([issue] if issue else []) from None
    if rows and any("\n" in v or "\r" in v for v in rows[-1]):
        issue = _open_quote_issue(file, text, last_start, len(rows), delimiter, None)
        if issue is not None:
            raise InputError([issue])
    if '="' in text:
        rows = [[_unformula(v) for v in row] for row in rows]
    return rows


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _open_quote_issue(
    file: str, text: str, line: int, row: int, delimiter: str, error: csv.Error | None
) -> Issue | None:
    """The problem with the record that starts after ``line`` physical lines, if any.

    A cell opening with ``"`` runs until the next lone ``"``; when there is none the cell
    swallows the rest of the file. ``None`` when the record's multi-line cell is closed
    (a note with line breaks) and no CSV error was raised.
    """
    start = 0
    if line:
        for count, match in enumerate(_LINE_BREAK.finditer(text), start=1):
            if count == line:
                start = match.end()
                break
    found = _quoted_cell(text, start, delimiter)
    if found is None:
        if error is None:
            return None
        if "field limit" in str(error):
            cells = _LINE_BREAK.split(text[start:], maxsplit=1)[0].split(delimiter)
            long = next(
                (i for i, cell in enumerate(cells) if len(cell) > csv.field_size_limit()), None
            )
            return Issue(
                file,
                f"a cell holds more than {csv.field_size_limit():,} characters",
                location=row,
                column=None if long is None else column_letter(long),
                value=None if long is None else f"{cells[long][:30]}... ({len(cells[long]):,})",
                allowed="a short cell; a long text belongs in a separate document",
            )
        return Issue(
            file,
            f"cannot split the row into cells ({error})",
            location=row,
            allowed="a CSV saved by Excel or WPS, or an .xlsx",
        )
    column, opened, closed = found
    stop = len(text) if closed is None else closed
    swallowed = sum(bool(part.strip()) for part in _LINE_BREAK.split(text[opened:stop])[1:])
    if closed is not None and error is None:
        return None
    shown = text[opened : opened + 30].splitlines()[0] if text[opened:] else '"'
    if closed is None:
        message = (
            f'a quote (") opened in this cell is never closed: the {swallowed} line(s) after '
            "it were read into this one cell"
        )
    else:
        message = (
            f'a quote (") opened in this cell runs on over {swallowed} line(s) before it '
            "closes: those lines were read into this one cell"
        )
    return Issue(
        file,
        message,
        location=row,
        column=column_letter(column),
        value=shown,
        allowed='close the quote ("...") or delete it; a quote inside a cell is typed twice ("")',
    )


def _quoted_cell(text: str, start: int, delimiter: str) -> tuple[int, int, int | None] | None:
    """In the record starting at ``start``: the first cell whose quotes span a line break.

    Returns the cell's 0-based column, the offset of its opening quote and the offset of its
    closing quote (``None`` when it never closes); ``None`` when no quoted cell of the
    record holds a line break.
    """
    column, at_cell_start, i, size = 0, True, start, len(text)
    while i < size:
        char = text[i]
        if char == '"' and at_cell_start:
            j = i + 1
            while True:
                k = text.find('"', j)
                if k < 0:
                    return column, i, None
                if text.startswith('"', k + 1):
                    j = k + 2
                    continue
                break
            if _LINE_BREAK.search(text, i, k):
                return column, i, k
            i, at_cell_start = k + 1, False
            continue
        if char == delimiter:
            column, at_cell_start = column + 1, True
        elif char in "\r\n":
            return None
        else:
            at_cell_start = False
        i += 1
    return None


def _unformula(value: str) -> str:
    """``="012"`` (text kept as text by a formula) as ``012``; anything else unchanged."""
    match = re.fullmatch(r'\s*="(.*)"\s*', value)
    return match.group(1) if match else value


def _xlsx_sheets(path: Path, file: str) -> list[tuple[str, list[list[Any]]]]:
    from openpyxl import load_workbook

    size = path.stat().st_size
    if size == 0:
        raise InputError([Issue(file, "the file is empty (0 bytes)", allowed="an .xlsx or .csv")])
    with path.open("rb") as handle:
        head = handle.read(512)
    sniffed = _sniff_content(head)
    if sniffed is not None:
        raise _not_a_table(file, *sniffed)
    kind = _zip_kind(path) if head.startswith(b"PK") else None
    if kind is not None and kind != "xlsx":
        raise _not_a_table(file, kind, "save the table as .xlsx or .csv")
    large = size > LARGE_XLSX_BYTES
    try:
        book = load_workbook(_workbook_source(path), data_only=True, read_only=large)
    except Exception as exc:  # any failure of the parser means an unreadable file
        raise InputError(
            [
                Issue(
                    file,
                    f"not a readable XLSX workbook ({exc})"
                    if not head.startswith(b"PK")
                    else f"the workbook is damaged or was cut short in copying ({exc})",
                    allowed="an .xlsx saved by Excel or WPS, or a CSV; send the file again",
                )
            ]
        ) from None
    sheets: list[tuple[str, list[list[Any]]]] = []
    for sheet in book.worksheets:
        if sheet.sheet_state != "visible":
            continue  # hidden sheets hold lookup lists or old weeks, not what was declared
        rows = Grid(sheet_values(sheet))
        merges = [] if large else sheet.merged_cells.ranges
        copies: set[tuple[int, int]] = set()
        for merged in merges:  # give every cell of a merge the top-left value
            top = rows[merged.min_row - 1][merged.min_col - 1] if rows else None
            for r in range(merged.min_row - 1, min(merged.max_row, len(rows))):
                for c in range(merged.min_col - 1, merged.max_col):
                    if c < len(rows[r]):
                        rows[r][c] = top
                        copies.add((r, c))
                copies.discard((merged.min_row - 1, merged.min_col - 1))
        rows.merged = frozenset(copies)
        if not large:
            rows.hidden_columns = frozenset(
                c - 1
                for dim in sheet.column_dimensions.values()
                if dim.hidden and dim.min
                for c in range(dim.min, (dim.max or dim.min) + 1)
            )
        sheets.append((sheet.title, rows))
    if large:
        book.close()
    else:
        _check_formulas(path, file, sheets)
    return sheets


def sheet_values(sheet: Any) -> list[list[Any]]:
    """A sheet's cell values as rows, up to its last row and column holding a value.

    A workbook loaded whole keeps only the cells that exist; reading those, not every cell up
    to the sheet's stated size, keeps one stray space or bold cell in row 1,048,576 from
    making a million empty rows (it took minutes and gigabytes). Streamed sheets
    (``read_only``) are read row by row as they come, trailing empty rows left off.
    """
    cells = getattr(sheet, "_cells", None)
    if not isinstance(cells, dict):
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        while rows and all(is_blank(v) for v in rows[-1]):
            rows.pop()
        return rows
    filled = [key for key, cell in cells.items() if not is_blank(cell.value)]
    if not filled:
        return []
    height = max(r for r, _ in filled)
    width = max(c for _, c in filled)
    rows: list[list[Any]] = [[None] * width for _ in range(height)]
    for (r, c), cell in cells.items():
        if r <= height and c <= width:
            rows[r - 1][c - 1] = cell.value
    return rows


def _check_formulas(path: Path, file: str, sheets: list[tuple[str, list[list[Any]]]]) -> None:
    """Refuse formulas whose value was never saved (a workbook written by a program).

    Such cells read as empty, which would silently turn ``=DATE(2026,12,1)`` into "no date".
    """
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    if not any(v is None for _, rows in sheets for row in rows for v in row):
        return
    book = load_workbook(_workbook_source(path), data_only=False)
    issues: list[Issue] = []
    visible = [s for s in book.worksheets if s.sheet_state == "visible"]
    filled = sum(any(not is_blank(v) for row in rows for v in row) for _, rows in sheets)
    for sheet, (_, rows) in zip(visible, sheets, strict=True):
        label = file if filled <= 1 else f"{file} [{sheet.title}]"
        for r, row in enumerate(sheet_values(sheet)):
            if r < len(rows) and any(is_total_word(v) for v in rows[r]):
                continue  # a totals row (合计) is skipped by the readers, its sums unread
            for c, formula in enumerate(row):
                if (
                    isinstance(formula, str)
                    and formula.startswith("=")
                    and r < len(rows)
                    and c < len(rows[r])
                    and rows[r][c] is None
                ):
                    issues.append(
                        Issue(
                            label,
                            "a formula whose result was never saved",
                            location=r + 1,
                            column=get_column_letter(c + 1),
                            value=formula,
                            allowed="open the file in Excel or WPS and save it, or type the value",
                        )
                    )
    if issues:
        raise InputError(issues[:20])


def raw_sheets(path: str | Path) -> list[tuple[str, list[list[Any]]]]:
    """The cell grids of a table file: one ``(label, rows)`` per CSV file or XLSX sheet.

    Raises:
        InputError: For unknown formats, unreadable files and unknown encodings.
    """
    path = Path(path)
    file = str(path)
    suffix = suffix_of(path)
    if suffix not in TABLE_SUFFIXES:
        allowed = ", ".join(TABLE_SUFFIXES)
        if suffix in (".xls", ".et", ".ods", ".numbers"):
            allowed = "save it as .xlsx or .csv"
        raise InputError([Issue(file, "unsupported file format", value=suffix, allowed=allowed)])
    if path.is_dir():
        raise InputError([Issue(file, "this is a folder, not a file", allowed="a file")])
    if path.name.startswith("~$"):
        raise InputError(
            [
                Issue(
                    file,
                    "this is Excel's lock file for an open workbook, not the workbook",
                    allowed=f"the file {path.name[2:]} itself (close it in Excel first)",
                )
            ]
        )
    if suffix in (".xlsx", ".xlsm") or (suffix != ".csv.gz" and _is_workbook(path)):
        if not path.exists():
            raise InputError([Issue(file, "file not found")])
        if not os.access(path, os.R_OK):
            raise InputError([Issue(file, "cannot read the file: Permission denied")])
        sheets = _xlsx_sheets(path, file)
        non_empty = [(t, r) for t, r in sheets if any(not is_blank(v) for row in r for v in row)]
        if len(non_empty) > 1:
            return [(f"{file} [{title}]", rows) for title, rows in non_empty]
        return [(file, rows) for _, rows in non_empty] or [(file, [])]
    raw = read_bytes(path)
    sniffed = _sniff_content(raw)
    if sniffed is not None:
        raise _not_a_table(file, *sniffed)
    if raw.startswith(b"PK\x03\x04"):
        raise _not_a_table(file, _zip_kind(path) or "a ZIP archive", "save the table as .csv")
    return [(file, _csv_rows(decode_table_text(raw, file), file))]


def _find_header(
    rows: Sequence[Sequence[Any]], lookup: dict[str, str]
) -> tuple[int, dict[str, int], dict[str, int]] | None:
    """The header row: the one naming most columns (with its sub-header row, if any).

    Returns the row index, the columns it names and the columns a sub-header row names.
    """
    best: tuple[int, dict[str, int], dict[str, int]] | None = None
    seen = 0
    for index, row in enumerate(rows):
        if all(is_blank(v) for v in row):
            continue
        seen += 1
        if seen > HEADER_SCAN_ROWS:
            break
        found: dict[str, int] = {}
        for col, value in enumerate(row):
            name = lookup.get(header_key(value))
            if name is not None and name not in found:
                found[name] = col
        if not found:
            continue
        sub = _sub_header(rows, index, found, lookup)
        if best is None or len(found) + len(sub) > len(best[1]) + len(best[2]):
            best = (index, found, sub)
    return best


def build_table(
    file: str, rows: Sequence[Sequence[Any]], columns: Sequence[ColumnSpec], what: str
) -> Table:
    """Turn a cell grid into a :class:`Table` with canonical columns.

    Args:
        file: Label used in messages.
        rows: Cells, row by row, as read.
        columns: The columns to look for.
        what: What kind of file it should be, for messages (e.g. "traffic history").

    Raises:
        InputError: If the grid is empty, has no recognisable header or lacks a required column.
    """
    names = [c.name for c in columns]
    if not any(not is_blank(v) for row in rows for v in row):
        raise InputError(
            [Issue(file, "the file is empty", allowed=f"{what}: columns {', '.join(names)}")]
        )
    lookup: dict[str, str] = {}
    for spec in columns:
        for alias in spec.names():
            lookup.setdefault(header_key(alias), spec.name)
    found = _find_header(rows, lookup)
    if found is None:
        first = next(r for r in rows if any(not is_blank(v) for v in r))
        raise InputError(
            [
                Issue(
                    file,
                    f"no header row found ({what})",
                    location=1,
                    value=", ".join(cell_text(v) for v in first if not is_blank(v))[:120],
                    allowed=_allowed_headers(columns),
                )
            ]
        )
    header_index, _, sub = found
    positions, header_of, ignored = _header_columns(file, rows, header_index, bool(sub), lookup)
    first_data = header_index + (2 if sub else 1)
    missing = [c for c in columns if c.required and c.name not in positions]
    if missing:
        raise InputError(
            [
                Issue(
                    file,
                    f"missing column {c.name}",
                    location=header_index + 1,
                    allowed=" / ".join(c.names()),
                )
                for c in missing
            ]
        )
    headers = {name: cell_text(value) for name, value in header_of.items()}
    expected = [(col, header_key(header_of[name])) for name, col in positions.items()]
    data = [[None] * len(r) if _repeats_header(r, expected) else r for r in rows[first_data:]]
    width = max((len(r) for r in data), default=0)
    if any(len(r) != width for r in data):  # ragged CSV lines: pad with empty cells
        data = [list(r) + [None] * (width - len(r)) for r in data]
    _headerless(rows[header_index], positions, data, ignored)
    grid = pd.DataFrame(data, dtype=object)
    cells = {name: _without_blanks(grid, col) for name, col in positions.items()}
    frame = pd.DataFrame(cells, index=grid.index, dtype=object)
    frame = frame[frame.notna().any(axis=1)]  # blank, trailing and notes-only rows
    frame[ROW] = frame.index + first_data + 1
    frame[FILE] = file
    frame = frame.reset_index(drop=True)
    for spec in columns:
        if spec.name not in frame.columns:
            frame[spec.name] = None
    frame = frame.astype({c: object for c in names})
    return Table(file=file, frame=frame, headers=headers, ignored=ignored, header_row=first_data)


def _headerless(
    top: Sequence[Any],
    positions: dict[str, int],
    data: Sequence[Sequence[Any]],
    ignored: dict[str, str],
) -> None:
    """Add to ``ignored`` the columns with values below a blank header cell, by letter.

    Their cells are not read, as those of an unknown header are not; the readers say so
    (values typed past the last header would otherwise vanish unseen).
    """
    known = set(positions.values())
    found: set[int] = set()
    for row in data:
        for col, value in enumerate(row):
            if col not in known and col not in found and not is_blank(value):
                found.add(col)
    for col in sorted(found):
        letter = column_letter(col)
        if letter not in ignored and (col >= len(top) or is_blank(top[col])):
            ignored[letter] = letter


def _header_columns(
    file: str,
    rows: Sequence[Sequence[Any]],
    header_index: int,
    two_rows: bool,
    lookup: dict[str, str],
) -> tuple[dict[str, int], dict[str, Any], dict[str, str]]:
    """Which column holds each canonical column, its header cell, and the columns ignored.

    Each column takes its name from the sub-header row when that names it (a group title
    such as 时间 merged over 开始 | 结束 is no column of its own), else from the header row;
    the copies a merged header cell leaves in the columns it spans are no columns either.

    Raises:
        InputError: When two columns mean the same field (``开始`` and ``开始时间``, or
            ``类型`` twice, one perhaps in a hidden column): which one was meant is unknown.
    """
    top = rows[header_index]
    below = rows[header_index + 1] if two_rows else ()
    merged = getattr(rows, "merged", frozenset())
    named: dict[str, list[tuple[int, int, Any]]] = {}
    ignored: dict[str, str] = {}
    for col in range(max(len(top), len(below))):
        cell = top[col] if col < len(top) else None
        under = below[col] if col < len(below) else None
        name = lookup.get(header_key(under)) if not is_blank(under) else None
        source = (header_index + 1, col, under)
        if name is None:
            if is_blank(cell) or (header_index, col) in merged:
                continue
            name = lookup.get(header_key(cell))
            source = (header_index, col, cell)
        if name is None:
            ignored[column_letter(col)] = cell_text(cell)
            continue
        if (source[0], col) not in merged or not named.get(name):
            named.setdefault(name, []).append(source)
    twice = {name: found for name, found in named.items() if len(found) > 1}
    if twice:
        hidden = getattr(rows, "hidden_columns", frozenset())
        raise InputError([_twice_issue(file, name, found, hidden) for name, found in twice.items()])
    positions = {name: found[0][1] for name, found in named.items()}
    header_of = {name: found[0][2] for name, found in named.items()}
    return positions, header_of, ignored


def _twice_issue(
    file: str, name: str, found: list[tuple[int, int, Any]], hidden: frozenset[int]
) -> Issue:
    """A field given in several columns, named with their letters and headers."""
    letters = [column_letter(col) for _, col, _ in found]
    listed = f"{', '.join(letters[:-1])} and {letters[-1]}"
    times = "twice" if len(found) == 2 else f"{len(found)} times"
    fix = "keep one of them: delete or rename the other"
    hidden_letters = [column_letter(col) for _, col, _ in found if col in hidden]
    if hidden_letters:
        fix += f" (column {' and '.join(hidden_letters)} is hidden: unhide it in Excel or WPS)"
    return Issue(
        file,
        f"column given {times} ({listed}): both mean {name}"
        if len(found) == 2
        else f"column given {times} ({listed}): all mean {name}",
        location=found[1][0] + 1,
        column=cell_text(found[0][2]),
        value=", ".join(
            f"{letter} '{cell_text(cell)}'"
            for letter, (_, _, cell) in zip(letters, found, strict=True)
        ),
        allowed=fix,
    )


def _repeats_header(row: Sequence[Any], expected: Sequence[tuple[int, str]]) -> bool:
    """Whether a data row repeats the header (two files pasted one under the other).

    ``expected`` holds each header column's position and :func:`header_key`. An ASCII cell
    (most data: numbers, dates, ids) lacking the key's first character is told apart without
    folding it, which keeps this cheap on files of a hundred thousand rows.
    """
    for col, key in expected:
        cell = row[col] if col < len(row) else None
        if isinstance(cell, str) and cell.isascii() and key and key[0] not in cell.lower():
            return False
        if header_key(cell) != key:
            return False
    return True


def _sub_header(
    rows: Sequence[Sequence[Any]],
    header_index: int,
    positions: dict[str, int],
    lookup: dict[str, str],
) -> dict[str, int]:
    """Columns named in a second header row, as under a merged cell ("时间" over 开始 | 结束).

    The row below the header counts as a sub-header only when every non-empty cell in it is
    a known header name or repeats the cell above (a vertically merged header).
    """
    if header_index + 1 >= len(rows):
        return {}
    above, below = rows[header_index], rows[header_index + 1]
    found: dict[str, int] = {}
    for col, value in enumerate(below):
        if is_blank(value):
            continue
        name = lookup.get(header_key(value))
        if name is None:
            if col < len(above) and cell_text(value) == cell_text(above[col]):
                continue
            return {}
        if name not in positions and name not in found:
            found[name] = col
    return found


def _without_blanks(grid: pd.DataFrame, col: int) -> pd.Series:
    """Column ``col`` of the grid with empty cells (``None``, NaN, spaces) as ``None``."""
    if col not in grid.columns:
        return pd.Series(None, index=grid.index, dtype=object)
    column = grid[col]
    blank = column.isna()
    text = column.map(lambda v: isinstance(v, str), na_action="ignore").fillna(False)
    if text.any():
        stripped = column[text.astype(bool)].astype(str).str.strip()
        blank |= (stripped == "").reindex(column.index, fill_value=False)
    return column.where(~blank, None)


def _allowed_headers(columns: Iterable[ColumnSpec]) -> str:
    return "; ".join(" / ".join(c.names()) for c in columns)


def read_table(path: str | Path, columns: Sequence[ColumnSpec], what: str) -> list[Table]:
    """Read a CSV/XLSX file into one :class:`Table` per CSV file or per non-empty sheet.

    Args:
        path: The file (``.csv``, ``.csv.gz``, ``.tsv``, ``.txt``, ``.xlsx``).
        columns: The columns to look for.
        what: What kind of file it should be, for messages.

    Raises:
        InputError: Every problem found in the file's structure, located.
    """
    tables: list[Table] = []
    issues: list[Issue] = []
    for label, rows in raw_sheets(path):
        try:
            tables.append(build_table(label, rows, columns, what))
        except InputError as exc:
            issues += exc.issues
    if issues and not tables:
        raise InputError(issues)
    return tables


def sniff_headers(path: str | Path) -> set[str]:
    """Header keys (see :func:`header_key`) of the first non-empty rows, for kind detection.

    Looks as far down as the readers look for their header row (:data:`HEADER_SCAN_ROWS`
    non-empty rows), so a form with lines of instructions above its header (the
    availability template) is recognised. Returns an empty set when the file cannot be read.
    """
    try:
        sheets = raw_sheets(path)
    except InputError:
        return set()
    keys: set[str] = set()
    for _, rows in sheets:
        seen = 0
        for row in rows:
            if all(is_blank(v) for v in row):
                continue
            keys.update(header_key(v) for v in row if not is_blank(v))
            seen += 1
            if seen >= HEADER_SCAN_ROWS:
                break
    return keys


class WeekdayMismatch(ValueError):
    """A date written with a weekday that is not its own (``2026-12-02(周五)``)."""


_WEEKDAY_ZH = "一二三四五六日"
_WEEKDAY_SUFFIX = (
    re.compile(r"^(.*?)\s*\(\s*(?:星期|周|礼拜)([一二三四五六日天])\s*\)\s*$"),
    re.compile(r"^(.*?)\s*(?:星期|周|礼拜)([一二三四五六日天])\s*$"),
    re.compile(r"^(.*?)\s*\((mon|tue|wed|thu|fri|sat|sun)\w*\)\s*$", re.I),
)
_WEEKDAY_EN = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _said_weekday(text: str) -> tuple[str, int] | None:
    """The date part and the weekday (0 Monday) of ``2026-12-01(周二)``, or ``None``."""
    for pattern in _WEEKDAY_SUFFIX:
        match = pattern.match(text)
        if match is not None and match.group(1):
            word = match.group(2).lower()
            day = 6 if word == "天" else _WEEKDAY_ZH.find(word)
            return match.group(1), day if day >= 0 else _WEEKDAY_EN.index(word[:3])
    return None


def parse_date(value: Any, year: int | None = None) -> dt.date:
    """Parse a date as people write it.

    Accepts date and datetime cells, Excel serial numbers (also as text, ``46357``),
    ``2026-12-01``, ``2026/12/1``, ``2026.12.1``, ``20261201``, ``2026年12月1日`` and, when
    ``year`` is given, ``12月1日``, ``12/1`` and ``12-01``; English month names
    (``1-Dec-26``, ``Dec 1, 2026``) and ISO midnight (``2026-12-01T00:00:00``); a weekday
    after the date (``2026-12-01 周二``, ``2026-12-01(周二)``) is ignored; full-width digits
    are folded first.

    Raises:
        ValueError: If the value is not a date.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000 <= value < 80000:  # an Excel serial day number in a cell not formatted as date
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        value = cell_text(value)
    text = cell_text(value)
    if re.fullmatch(r"[2-7]\d{4}", text):  # the same serial number, saved to CSV as text
        return _EXCEL_EPOCH + dt.timedelta(days=int(text))
    said = _said_weekday(text)
    if said is not None:
        text = said[0]
        found = parse_date(text, year)
        if found.weekday() != said[1]:
            raise WeekdayMismatch(
                f"the weekday does not match the date: {found.isoformat()} is a "
                f"{_WEEKDAY_NAMES[found.weekday()]} (周{_WEEKDAY_ZH[found.weekday()]}), "
                f"not a {_WEEKDAY_NAMES[said[1]]}"
            )
        return found
    text = re.sub(r"(?:\s+|T)0{1,2}:00(?::00(?:\.0+)?)?Z?$", "", text)  # midnight exported
    named = _named_month(text)
    if named is not None:
        return named
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", text)
    if match is None:
        match = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    if match is not None:
        y, m, d = (int(g) for g in match.groups())
    else:
        short = re.fullmatch(r"(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", text)
        if short is None or year is None:
            raise ValueError(f"not a date: {value!r}")
        y, m, d = year, int(short.group(1)), int(short.group(2))
    try:
        return dt.date(y, m, d)
    except ValueError:
        raise ValueError(f"no such date: {value!r}") from None


_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}


def _named_month(text: str) -> dt.date | None:
    """A date with an English month name (``1-Dec-26``, ``Dec 1, 2026``, ``1 December 2026``).

    The month name settles the order, so Excel's two-digit ``d-mmm-yy`` is 20yy.
    """
    day_first = re.fullmatch(r"(\d{1,2})[\s\-/]+([a-z]+)\.?[\s\-/,]+(\d{2}|\d{4})", text, re.I)
    month_first = re.fullmatch(r"([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})", text, re.I)
    if day_first is not None:
        day, name, year = day_first.groups()
    elif month_first is not None:
        name, day, year = month_first.groups()
    else:
        return None
    month = _MONTHS.get(name.lower())
    if month is None:
        return None
    try:
        return dt.date(int(year) + (2000 if len(year) == 2 else 0), month, int(day))
    except ValueError:
        raise ValueError(f"no such date: {text!r}") from None


def parse_count(value: Any) -> int:
    """Parse a whole, non-negative count (``12``, ``12.0``, ``"１２"``, ``"1,200"``).

    Raises:
        ValueError: If the value is not a whole number or is negative.
    """
    if isinstance(value, bool):
        raise ValueError(f"not a count: {value!r}")
    if isinstance(value, int):
        number: float = value
    elif isinstance(value, float):
        number = value
    else:
        text = cell_text(value).replace(",", "")
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"not a number: {value!r}") from None
    if not math.isfinite(number) or not float(number).is_integer():
        raise ValueError(f"not a whole number: {value!r}")
    if number < 0:
        raise ValueError(f"negative: {value!r}")
    return int(number)


class IssueLimiter:
    """Keeps at most ``per_kind`` issues of each message, then one summary line per message.

    A file with 100,000 bad rows yields a readable report rather than 100,000 lines.
    """

    def __init__(self, file: str, per_kind: int = 20):
        self.file = file
        self.per_kind = per_kind
        self.issues: list[Issue] = []
        self._counts: dict[str, int] = {}
        self._samples: dict[str, Issue] = {}

    def add(self, issue: Issue, kind: str | None = None) -> None:
        """Record an issue (or just count it when its kind was seen often enough).

        Args:
            issue: The problem, error or warning alike.
            kind: What issues count as the same kind; their message when ``None``. Give it
                when the message names another row (``duplicate row (same as row 2)``).
        """
        key = kind or issue.message
        n = self._counts.get(key, 0) + 1
        self._counts[key] = n
        if n <= self.per_kind:
            self.issues.append(issue)
            self._samples.setdefault(key, issue)

    def add_count(self, kind: str, n: int, severity: str = "error") -> None:
        """Count ``n`` more issues of ``kind`` without building them.

        For checks that stop collecting once they hold far more than will be shown.
        """
        if n <= 0:
            return
        self._counts[kind] = self._counts.get(kind, 0) + n
        self._samples.setdefault(kind, Issue(self.file, kind, severity=severity))

    def add_rows(
        self,
        frame: pd.DataFrame,
        mask: pd.Series,
        message: str,
        column: str,
        allowed: str,
        values: pd.Series | None = None,
    ) -> None:
        """Record one issue per row of ``frame`` where ``mask`` holds.

        Args:
            frame: A table's frame, with its :data:`FILE` and :data:`ROW` columns.
            mask: The rows at fault.
            message: What is wrong.
            column: The column's header as the file writes it.
            allowed: What the cell may hold.
            values: The cells found (shown as ``found '...'``); none shown when ``None``.
        """
        for idx in frame.index[mask]:
            value = cell_text(values[idx]) or None if values is not None else None
            self.add(
                Issue(
                    frame.at[idx, FILE],
                    message,
                    int(frame.at[idx, ROW]),
                    column,
                    value=value,
                    allowed=allowed,
                )
            )

    def finish(self) -> list[Issue]:
        """The kept issues plus a summary for every message that was cut short."""
        out = list(self.issues)
        for key, n in self._counts.items():
            if n > self.per_kind:
                sample = self._samples[key]
                out.append(
                    Issue(
                        sample.file,
                        f"{key}: {n - self.per_kind} more row(s) like the above",
                        severity=sample.severity,
                    )
                )
        return out


class LocatedRows:
    """Problems of a table's rows, told at their row and the column's header as written.

    For a column the file lacks, the usual header in the file's language: ``zh_headers`` in a
    file with Chinese headers, the canonical name otherwise. Readers of one kind of table
    subclass it and add their parsing.
    """

    def __init__(self, table: Table, limiter: IssueLimiter, zh_headers: dict[str, str]):
        self.table = table
        self.limiter = limiter
        self.errors = 0
        self.chinese = any(not h.isascii() for h in table.headers.values())
        self._zh_headers = zh_headers

    def header(self, column: str) -> str:
        """A column's header as the file writes it (or as a file in its language would)."""
        if column in self.table.headers:
            return self.table.headers[column]
        return self._zh_headers.get(column, column) if self.chinese else column

    def issue(self, row: int, column: str | None, message: str, **extra: Any) -> None:
        """Record a blocking problem at ``row``/``column`` (``column`` is canonical)."""
        header = self.header(column) if column else None
        self.errors += 1
        self.limiter.add(Issue(self.table.file, message, row, header, **extra))
