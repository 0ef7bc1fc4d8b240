"""Streaming CSV and XLSX writers for every export: files open cleanly and never run a cell as a formula.

CSV cells are neutralised against CSV/formula injection (OWASP). XLSX is written by hand (zipfile + XML, no
extra dependency) as inline-string cells, which Excel shows as text and never evaluates, row by row through a
non-seekable zip stream: memory stays flat whatever the number of rows.
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import quote
from xml.sax.saxutils import escape

from flask import Response, stream_with_context

CSV_BOM = "\ufeff"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

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


class _ChunkSink(io.RawIOBase):
    """A write-only, non-seekable stream: zipfile writes data descriptors; chunks pass on as they come."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self._chunks.append(bytes(data))
        return len(data)

    def drain(self) -> bytes:
        """Everything written since the last drain."""
        chunk = b"".join(self._chunks)
        self._chunks.clear()
        return chunk


_XLSX_STATIC_PARTS: tuple[tuple[str, str], ...] = (
    (
        "[Content_Types].xml",
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>",
    ),
    (
        "_rels/.rels",
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/>'
        "</Relationships>",
    ),
    (
        "xl/workbook.xml",
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>",
    ),
    (
        "xl/_rels/workbook.xml.rels",
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/>'
        "</Relationships>",
    ),
)
_SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_SHEET_END = "</sheetData></worksheet>"
# Characters XML 1.0 cannot carry, and literal text that would look like OOXML's own _xHHHH_ escape.
_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")


def _ooxml_text(text: str) -> str:
    """Text escaped for XML; XML-illegal characters become OOXML `_xHHHH_` escapes (Excel decodes them)."""
    return escape(_XML_UNSAFE.sub(lambda m: f"_x{ord(m.group()):04X}_", text))


def column_letters(index: int) -> str:
    """Spreadsheet column name of a zero-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _xlsx_cell(ref: str, value: Cell) -> str:
    """One <c> element: numbers as numbers, everything else as an inline string (never a formula)."""
    if value is None or value == "":
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool) and math.isfinite(value):
        return f'<c r="{ref}"><v>{value}</v></c>'
    text = _ooxml_text(cell_text(value))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _xlsx_row(number: int, row: Row) -> str:
    cells = "".join(_xlsx_cell(f"{column_letters(i)}{number}", value) for i, value in enumerate(row))
    return f'<row r="{number}">{cells}</row>'


def iter_xlsx(header: Row, rows: Iterable[Row]) -> Iterator[bytes]:
    """A one-sheet XLSX workbook as byte chunks, written row by row (constant memory)."""
    sink = _ChunkSink()
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in _XLSX_STATIC_PARTS:
            archive.writestr(name, content)
        yield sink.drain()
        with archive.open("xl/worksheets/sheet1.xml", mode="w", force_zip64=True) as sheet:
            sheet.write(_SHEET_START.encode())
            for number, row in enumerate(_with_header(header, rows), start=1):
                sheet.write(_xlsx_row(number, row).encode())
                chunk = sink.drain()
                if chunk:
                    yield chunk
            sheet.write(_SHEET_END.encode())
    yield sink.drain()


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
    """A streamed XLSX download; `rows` may be a lazy query result, consumed while the response is sent."""
    return Response(
        stream_with_context(iter_xlsx(header, rows)),
        mimetype=XLSX_MIMETYPE,
        headers={"Content-Disposition": content_disposition(filename)},
    )
