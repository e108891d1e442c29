"""Reading a CSV or XLSX table as operators export it: which row is the header, and the data rows.

CSV: UTF-8 (with or without a byte-order mark) or Windows-1252 (what Excel id-ID saves as "CSV");
any other encoding is refused, never guessed. The delimiter (``;`` from Excel with Indonesian
settings, ``,`` or tab) is sniffed from the first lines. XLSX: openpyxl in read-only mode, the
first sheet that has data; cells keep their type (numbers, dates). The kind of file is told by its
bytes, not its name. Rows above the header (a title, merged cells) and empty rows are left out; the
header is the row among the first few that names the most known columns (see tabular_fields).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import zipfile
from decimal import Decimal
from collections.abc import Callable
from pathlib import Path
from typing import Any

from odc_desktop.importers.tabular_fields import Said

#: Rows looked at to find the header (titles and merged cells above it).
HEADER_SCAN = 12
#: Bytes of a CSV read to sniff its delimiter.
SNIFF_BYTES = 1 << 15


class TableRefused(Exception):
    """The file cannot be read as a table; ``finding`` says why (nothing of it is kept)."""

    def __init__(self, finding: Said):
        super().__init__(finding.code)
        self.finding = finding


@dataclasses.dataclass
class Table:
    """A read table: its header cells (as text) and its data rows (1-based row number, cell values)."""

    file: str
    kind: str  # "csv" or "xlsx"
    header: list[str]
    rows: list[tuple[int, list[Any]]]
    folder: str = ""  # the file's folder: files the table names (photos) are found from there


def _refuse(code: str, **values: Any) -> TableRefused:
    return TableRefused(Said(code, values))


def _decode(data: bytes, name: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError as error:
            raise _refuse("tabular.bad_encoding", file=name, offset=error.start + 4) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise _refuse("tabular.bad_encoding", file=name, offset=error.start + 1) from None
    if b"\x00" in data[:4096]:
        raise _refuse("tabular.not_a_table", file=name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:  # Excel's "CSV" on an Indonesian Windows: Windows-1252
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise _refuse("tabular.bad_encoding", file=name, offset=error.start + 1) from None


def _delimiter(text: str) -> str:
    sample = text[:SNIFF_BYTES]
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
    except csv.Error:
        first = next((line for line in sample.splitlines() if line.strip()), "")
        return max(";,\t", key=first.count)


def _csv_rows(data: bytes, name: str) -> list[list[Any]]:
    text = _decode(data, name)
    if text.lstrip().startswith(("[", "{")):
        raise _refuse("tabular.looks_like_json", file=name)
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)]
    except csv.Error as error:
        raise _refuse("tabular.csv_broken", file=name, detail=str(error)) from None


def _xlsx_rows(path: Path, name: str) -> list[list[Any]]:
    import openpyxl  # imported only when an XLSX file is read
    from openpyxl.utils.exceptions import InvalidFileException

    broken = (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, EOFError, InvalidFileException)
    try:
        # From the bytes, not the name: openpyxl judges a path by its extension.
        book = openpyxl.load_workbook(io.BytesIO(path.read_bytes()), read_only=True, data_only=True)
    except broken as error:
        raise _refuse("tabular.xlsx_broken", file=name, detail=type(error).__name__) from None
    try:
        for sheet in book.worksheets:
            try:
                rows = [[_cell_value(cell) for cell in row] for row in sheet.iter_rows()]
            except broken as error:
                raise _refuse("tabular.xlsx_broken", file=name, detail=type(error).__name__) from None
            if any(not _empty_row(row) for row in rows):
                return rows
        return []
    finally:
        book.close()


def _cell_value(cell: Any) -> Any:
    """A cell's value; a number shown as a percentage (0,625 shown 62,5%) as the percentage shown."""
    value = cell.value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in (getattr(cell, "number_format", "") or ""):
        shown = Decimal(str(value)) * 100
        return int(shown) if shown == shown.to_integral_value() else float(shown)
    return value


def _empty_row(row: list[Any]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in row)


def header_text(cell: Any) -> str:
    """A header cell as one line of text."""
    return " ".join(str(cell).split()) if cell is not None else ""


def _joined(upper: list[str], lower: list[Any]) -> list[str]:
    width = max(len(upper), len(lower))
    upper = upper + [""] * (width - len(upper))
    lower_text = [header_text(c) for c in lower] + [""] * (width - len(lower))
    return [b or a for a, b in zip(upper, lower_text)]


def _two_row(upper: list[str], lower: list[Any], known_columns: Callable[[list[str]], int]) -> bool:
    """True when ``lower`` completes the header ``upper`` (together they name more known columns)."""
    if any(c is not None and not isinstance(c, str) for c in lower):
        return False  # numbers or dates: a data row
    joined = _joined(upper, lower)
    return known_columns(joined) > max(known_columns(upper), known_columns([header_text(c) for c in lower]))


def read_table(path: Path, known_columns: Callable[[list[str]], int]) -> Table:
    """The table of the CSV or XLSX file at ``path``; ``known_columns(header)`` counts the cells of a
    candidate header row that name a known column (the best of the first rows is the header).

    Raises :class:`TableRefused` when the file cannot be opened, is empty, is not a table (binary,
    JSON, a broken or truncated XLSX), or is in an encoding other than UTF-8/UTF-16/Windows-1252.
    """
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as error:
        raise _refuse("tabular.file_unreadable", file=name, reason=error.strerror or str(error)) from None
    if not data.strip():
        raise _refuse("tabular.file_empty", file=name)
    if data.startswith(b"PK\x03\x04"):
        kind, rows = "xlsx", _xlsx_rows(path, name)
    elif data.startswith((b"\xd0\xcf\x11\xe0", b"%PDF")):
        raise _refuse("tabular.old_excel", file=name)
    else:
        kind, rows = "csv", _csv_rows(data, name)
    numbered = [(n, row) for n, row in enumerate(rows, start=1) if not _empty_row(row)]
    if not numbered:
        raise _refuse("tabular.file_empty", file=name)
    candidates = [(known_columns([header_text(c) for c in row]), -i, i) for i, (_, row) in
                  enumerate(numbered[:HEADER_SCAN]) if sum(1 for c in row if header_text(c)) >= 2]
    if not candidates:
        raise _refuse("tabular.no_header", file=name)
    best = max(candidates)[2] if max(candidates)[0] > 0 else candidates[0][2]
    header = [header_text(c) for c in numbered[best][1]]
    first_data = best + 1
    # A two-row header (a merged "Progres" over "% Fisik" | "% Keuangan"): the lower names win.
    if best + 1 < len(numbered) and _two_row(header, numbered[best + 1][1], known_columns):
        header, first_data = _joined(header, numbered[best + 1][1]), best + 2
    elif best > 0 and _two_row([header_text(c) for c in numbered[best - 1][1]], numbered[best][1], known_columns):
        header = _joined([header_text(c) for c in numbered[best - 1][1]], numbered[best][1])
    width = len(header)
    body = [(n, list(row[:width]) + [None] * (width - len(row))) for n, row in numbered[first_data:]]
    return Table(name, kind, header, body, str(path.parent))
