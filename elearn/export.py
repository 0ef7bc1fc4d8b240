"""CSV and XLSX writers for every export: files open cleanly and never run a cell as a formula.

CSV cells are neutralised against CSV/formula injection (OWASP) and streamed row by row. XLSX is written by
XlsxWriter in constant-memory mode (one row in memory) into an anonymous temporary file, which is then sent in
chunks and disappears when closed. Every text goes through `write_string` (never `write()`, which would turn
"=..." into a formula), numbers are number cells and dates are date cells in the office time zone.
"""

from __future__ import annotations

import csv
import io
import math
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import IO
from urllib.parse import quote

from flask import Response, request, stream_with_context
from werkzeug.wsgi import wrap_file
from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from elearn.state import clock

CSV_BOM = "\ufeff"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_NAME = "Data"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
# Excel keeps 15 significant digits: a longer integer (an identifier passed as a number) is written as text.
EXACT_DIGITS = 15
# Column widths come from the header and this many first rows, in characters, within these bounds.
WIDTH_SAMPLE_ROWS = 100
MIN_COLUMN_WIDTH = 6
MAX_COLUMN_WIDTH = 50
FILTER_BUTTON_WIDTH = 3
CHUNK_SIZE = 64 * 1024

Cell = object
Row = Sequence[Cell]


def cell_text(value: Cell) -> str:
    """The plain text of a cell: empty for None, 1/0 for booleans, ISO 8601 for dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def neutralise(value: Cell) -> str:
    """A cell as text a spreadsheet will not evaluate: text starting with = + - @ TAB or CR gets a `'`.

    Only text is prefixed: a negative number passed as a number is data, not a formula.
    """
    text = cell_text(value)
    return "'" + text if isinstance(value, str) and text.startswith(FORMULA_TRIGGERS) else text


def iter_csv(header: Row, rows: Iterable[Row]) -> Iterator[str]:
    """The CSV document line by line, starting with a UTF-8 BOM so Excel reads it as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    yield CSV_BOM
    for row in _with_header(header, rows):
        writer.writerow([neutralise(cell) for cell in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _with_header(header: Row, rows: Iterable[Row]) -> Iterator[Row]:
    yield header
    yield from rows


def write_xlsx(
    target: IO[bytes],
    header: Row,
    rows: Iterable[Row],
    *,
    created: datetime,
    timezone: tzinfo | None = None,
) -> int:
    """A one-sheet workbook in `target`: bold frozen header, a filter over the data, widths from the first rows.

    Aware datetimes are shown on `timezone`'s wall clock (naive ones are taken as already local); `created` is
    the document's creation time (the writer reads no clock). Returns the number of data rows.
    """
    with Workbook(target, {"constant_memory": True}) as workbook:
        workbook.set_properties({"created": created})
        sheet = _SheetWriter(workbook, workbook.add_worksheet(SHEET_NAME), timezone)
        widths: dict[int, int] = {}
        for column, title in enumerate(header):
            widths[column] = sheet.text(0, column, cell_text(title), sheet.bold) + FILTER_BUTTON_WIDTH
        count = 0
        for count, row in enumerate(rows, start=1):
            for column, value in enumerate(row):
                width = sheet.cell(count, column, value)
                if count <= WIDTH_SAMPLE_ROWS:
                    widths[column] = max(widths.get(column, 0), width)
        sheet.finish(last_row=count, widths=widths)
    return count


class _SheetWriter:
    """Writes each value with the XlsxWriter method of its type, and the sheet's frame (frozen header, filter)."""

    def __init__(self, workbook: Workbook, sheet: Worksheet, timezone: tzinfo | None) -> None:
        self.sheet = sheet
        self.timezone = timezone
        self.bold = workbook.add_format({"bold": True})
        self.date = workbook.add_format({"num_format": DATE_FORMAT})
        self.datetime = workbook.add_format({"num_format": DATETIME_FORMAT})

    def cell(self, row: int, column: int, value: Cell) -> int:
        """Write one data cell by the type of `value`; returns how many characters wide it shows."""
        if value is None or (isinstance(value, str) and not value):
            return 0
        if isinstance(value, datetime):
            self.sheet.write_datetime(row, column, self._local(value), self.datetime)
            return len(DATETIME_FORMAT)
        if isinstance(value, date):
            self.sheet.write_datetime(row, column, value, self.date)
            return len(DATE_FORMAT)
        number = _exact_number(value)
        if number is not None:
            self.sheet.write_number(row, column, number)
            return len(cell_text(value))
        return self.text(row, column, cell_text(value))

    def text(self, row: int, column: int, text: str, cell_format: Format | None = None) -> int:
        """Write `text` as a string cell, whatever it looks like; returns the length of its longest line."""
        if text.startswith("<r>") and text.endswith("</r>"):
            # XlsxWriter passes a string of this shape into the sheet unescaped, as rich-text XML (its own rich
            # strings look like that), so one that comes from data is written as plain fragments it escapes.
            fragments = (text[:1], text[1:3], text[3:])
            if cell_format is None:
                self.sheet.write_rich_string(row, column, *fragments)
            else:
                runs = [part for fragment in fragments for part in (cell_format, fragment)]
                self.sheet.write_rich_string(row, column, *runs, cell_format)
        else:
            self.sheet.write_string(row, column, text, cell_format)
        return max(len(line) for line in text.splitlines() or [""])

    def finish(self, *, last_row: int, widths: dict[int, int]) -> None:
        """Freeze the header row, filter over everything written, and size each column."""
        self.sheet.freeze_panes(1, 0)
        if widths:
            self.sheet.autofilter(0, 0, last_row, max(widths))
        for column, width in widths.items():
            self.sheet.set_column(column, column, min(max(width + 1, MIN_COLUMN_WIDTH), MAX_COLUMN_WIDTH))

    def _local(self, moment: datetime) -> datetime:
        """`moment` as the naive wall-clock time a spreadsheet shows (it has no time zones)."""
        if moment.tzinfo is None:
            return moment
        if self.timezone is None:
            raise ValueError("an aware datetime needs the office time zone (pass timezone=)")
        return moment.astimezone(self.timezone).replace(tzinfo=None)


def _exact_number(value: Cell) -> float | int | None:
    """`value` as a number a spreadsheet holds exactly, or None when it must be written as text."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value if abs(value) < 10**EXACT_DIGITS else None
    if isinstance(value, float | Decimal) and math.isfinite(value):
        return float(value)
    return None


def content_disposition(filename: str) -> str:
    """An attachment header with an ASCII fallback name and the exact UTF-8 name (RFC 6266 / 5987)."""
    fallback = re.sub(r"[^A-Za-z0-9._-]+", "_", filename) or "export"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def csv_response(filename: str, header: Row, rows: Iterable[Row]) -> Response:
    """A streamed CSV download; `rows` may be a lazy query result, consumed while the response is sent."""
    return Response(
        stream_with_context(iter_csv(header, rows)),
        mimetype="text/csv",
        headers={"Content-Disposition": content_disposition(filename)},
    )


def xlsx_response(filename: str, header: Row, rows: Iterable[Row]) -> Response:
    """An XLSX download: `rows` are written now (flat memory) to a temporary file, sent in chunks, then deleted.

    Times are shown in the office time zone. Writing before answering means a failure is an error page, not a
    truncated file.
    """
    office = clock()
    workbook = tempfile.TemporaryFile()  # noqa: SIM115  (closed, and so deleted, when the response is closed)
    try:
        write_xlsx(workbook, header, rows, created=office.now(), timezone=office.timezone)
        size = workbook.seek(0, io.SEEK_END)
        workbook.seek(0)
    except BaseException:
        workbook.close()
        raise
    return Response(
        wrap_file(request.environ, workbook, CHUNK_SIZE),
        mimetype=XLSX_MIMETYPE,
        direct_passthrough=True,
        headers={"Content-Disposition": content_disposition(filename), "Content-Length": str(size)},
    )
