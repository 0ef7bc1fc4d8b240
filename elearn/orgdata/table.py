"""Turning uploaded CSV bytes into named cells, one row at a time: encoding, delimiter, header, limits, hidden
characters, and CSV syntax errors located by spreadsheet row and column.

Policy for hidden characters: a cell holding NUL or any other control character (tab and line breaks
included), a bidirectional override/isolate (U+202A-202E, U+2066-2069), a zero-width or direction mark
(U+200B-200F, U+2060-2064) or a byte-order mark (U+FEFF) is refused with its row and column, never silently
cleaned: the file is the record of truth, and the refusal is identical whatever database is behind it.
Spaces around a value are removed; a BOM at the very start of the file is allowed (Excel writes one).

Rows are read lazily (`Table.rows()`), so a file of 300,000 people never exists as 300,000 dictionaries.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from elearn.orgdata.problems import Problem, display_value, problem
from elearn.orgdata.syntax import FieldFlaw, located_fields

UTF8_HINT = "simpan sebagai CSV UTF-8"
SAVE_AS_UTF8 = f'buka di Excel lalu {UTF8_HINT} ("CSV UTF-8 (Comma delimited)")'
DELIMITERS = (";", ",")
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# The encoding is checked in slices cut after a line feed (never inside a UTF-8 sequence), so a file full of
# non-ASCII text never becomes one giant string.
DECODE_SLICE = 1 << 20
STOPPED = "Baris sesudahnya belum diperiksa."

_FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


@dataclass(frozen=True)
class Limits:
    """Upper bounds on one file (ELEARN_IMPORT_MAX_BYTES, _ROWS and _FIELD)."""

    max_bytes: int
    max_rows: int
    max_field: int

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Limits:
        """The limits set in an app's configuration."""
        return cls(
            max_bytes=int(config["ELEARN_IMPORT_MAX_BYTES"]),
            max_rows=int(config["ELEARN_IMPORT_MAX_ROWS"]),
            max_field=int(config["ELEARN_IMPORT_MAX_FIELD"]),
        )


@dataclass(frozen=True)
class TableRow:
    """One data row: its spreadsheet number, its known cells by column name (None when the row as a whole cannot
    be read), and what is wrong with them."""

    number: int
    cells: dict[str, str] | None
    problems: tuple[Problem, ...]


class FileRefused(Exception):
    """The whole file is refused while its rows are being read (it holds more rows than allowed)."""

    def __init__(self, refusal: Problem) -> None:
        super().__init__(refusal.reason)
        self.problem = refusal


class _LineTap:
    """Feeds lines to the csv reader and keeps those of the current record, to locate a syntax error in them."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = iter(lines)
        self.record: list[str] = []

    def __iter__(self) -> _LineTap:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.record.append(line)
        return line

    def text(self) -> str:
        """The raw text of the record being read (complete, or as far as the reader got)."""
        return "".join(self.record)


class Table:
    """An opened CSV file: the header (or the problems that refuse the file), then its data rows on demand."""

    def __init__(
        self,
        *,
        source: str,
        header: tuple[str, ...],
        columns: tuple[str, ...],
        delimiter: str,
        limits: Limits,
        problems: tuple[Problem, ...],
        warnings: tuple[Problem, ...],
        estimated_rows: int,
        tap: _LineTap | None,
        reader: Iterator[list[str]] | None,
    ) -> None:
        self.source = source
        self.header = header
        self.known = columns
        self.delimiter = delimiter
        self.problems = problems
        self.warnings = warnings
        self.estimated_rows = estimated_rows
        self._limits = limits
        self._tap = tap
        self._reader = reader

    @property
    def columns(self) -> frozenset[str]:
        """The known columns the header names (none when the file is refused)."""
        return frozenset(self.header) & frozenset(self.known) if not self.problems else frozenset()

    @property
    def width(self) -> int:
        """How many cells a data row needs: up to the header's last named column (a trailing `;` is forgiven)."""
        named = [position for position, name in enumerate(self.header, start=1) if name]
        return named[-1] if named else 0

    def rows(self) -> Iterator[TableRow]:
        """The data rows with content, in file order; a CSV syntax error ends the file with one located problem.

        Raises FileRefused when the file holds more data rows than the limit.
        """
        if self.problems or self._reader is None or self._tap is None:
            return
        for number in itertools.count(2):
            self._tap.record.clear()
            try:
                cells = next(self._reader)
            except StopIteration:
                return
            except csv.Error:
                yield TableRow(number, None, (self._syntax_problem(number),))
                return
            if number - 1 > self._limits.max_rows:
                raise FileRefused(
                    problem(
                        self.source,
                        None,
                        "",
                        "",
                        f"Berkas berisi lebih dari {self._limits.max_rows:,} baris data; "
                        "bagi menjadi beberapa berkas.",
                    )
                )
            if any(cell.strip() for cell in cells):
                yield self._row(number, cells)

    def _row(self, number: int, cells: list[str]) -> TableRow:
        if len(cells) > len(self.header):
            reason = f"Baris berisi {len(cells)} kolom, padahal judul hanya {len(self.header)} kolom."
            extra = self.delimiter.join(cells[len(self.header) :])
            return TableRow(number, None, (problem(self.source, number, "", extra, reason),))
        if len(cells) < self.width:
            reason = (
                f"Baris hanya berisi {len(cells)} kolom, padahal judul {self.width} kolom; tulis setiap kolom, "
                f"juga yang kosong (dengan pemisah {self.delimiter})."
            )
            return TableRow(number, None, (problem(self.source, number, "", "", reason),))
        row: dict[str, str] = {}
        problems: list[Problem] = []
        for name, raw in zip(self.header, cells, strict=False):
            if name not in self.known:
                continue
            flaw = cell_problem(raw, self._limits.max_field)
            if flaw:
                problems.append(problem(self.source, number, name, raw, flaw))
            row[name] = raw.strip(" \u00a0")
        return TableRow(number, row, tuple(problems))

    def _syntax_problem(self, number: int) -> Problem:
        assert self._tap is not None  # noqa: S101  (only called while rows are read)
        return syntax_problem(
            self.source, number, self._tap.text(), self.header, self.delimiter, self._limits.max_field
        )


def open_table(
    data: bytes, *, source: str, columns: tuple[str, ...], required: tuple[str, ...], limits: Limits
) -> Table:
    """Check size and encoding, read the header; the rows follow from `Table.rows()`.

    Cells of unknown columns are dropped (with a warning), never passed on.
    """

    def refused(found: Problem, header: tuple[str, ...] = ()) -> Table:
        return Table(
            source=source,
            header=header,
            columns=columns,
            delimiter=",",
            limits=limits,
            problems=(found,),
            warnings=(),
            estimated_rows=0,
            tap=None,
            reader=None,
        )

    if len(data) > limits.max_bytes:
        return refused(
            problem(
                source,
                None,
                "",
                "",
                f"Berkas lebih besar dari batas {limits.max_bytes:,} byte; bagi menjadi beberapa berkas.",
            )
        )
    encoding_error = encoding_problem(data, source=source)
    if encoding_error:
        return refused(encoding_error)
    lines = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    first_line = next(lines, "")
    if not first_line.strip():
        return refused(
            problem(source, None, "", "", "Berkas kosong: baris pertama harus berisi judul kolom.")
        )
    if "\x00" in first_line:
        reason = (
            f"Baris judul berisi byte NUL: berkas ini tampaknya UTF-16 (Excel: Teks Unicode); {SAVE_AS_UTF8}."
        )
        return refused(problem(source, 1, "", first_line, reason))
    delimiter = sniff_delimiter(first_line)
    tap = _LineTap(itertools.chain([first_line], lines))
    reader = csv.reader(tap, delimiter=delimiter, strict=True)
    try:
        header = tuple(name.strip().lower() for name in next(reader))
    except csv.Error:
        return refused(syntax_problem(source, 1, tap.text(), (), delimiter, limits.max_field))
    header_problems, warnings = _check_header(header, source, columns, required)
    return Table(
        source=source,
        header=header,
        columns=columns,
        delimiter=delimiter,
        limits=limits,
        problems=header_problems,
        warnings=warnings,
        estimated_rows=max(data.count(b"\n") - 1, 1),
        tap=tap,
        reader=reader,
    )


def encoding_problem(data: bytes, *, source: str) -> Problem | None:
    """None for UTF-8 (BOM or not); otherwise where the first foreign byte sits, by spreadsheet row and column."""
    if data.startswith(UTF16_BOMS):
        return problem(
            source, None, "", "", f"Berkas berformat UTF-16 (Excel: Teks Unicode); {SAVE_AS_UTF8}."
        )
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    while start < len(data):
        end = data.find(b"\n", start + DECODE_SLICE)
        end = len(data) if end < 0 else end + 1
        try:
            data[start:end].decode("utf-8")
        except UnicodeDecodeError as exc:
            return _located_encoding_problem(data, start + exc.start, source)
        start = end
    return None


def _located_encoding_problem(data: bytes, offset: int, source: str) -> Problem:
    """The row and column holding the byte at `offset`, found by reading the valid text before it as CSV."""
    before = data[:offset].decode("utf-8-sig")
    first_line = before.split("\n", 1)[0]
    delimiter = sniff_delimiter(first_line)
    header: tuple[str, ...] = ()
    row, last_record = 0, ""
    tap = _LineTap(io.StringIO(before, newline=""))
    for cells in csv.reader(tap, delimiter=delimiter):
        row += 1
        if row == 1:
            header = tuple(name.strip().lower() for name in cells)
        last_record = tap.text()
        tap.record.clear()
    if not before or before.endswith(("\n", "\r")):
        row, fields = row + 1, [""]
    else:
        fields = [field.text for field in located_fields(last_record, delimiter, limit=len(last_record) + 1)]
    after = data[offset : offset + 40].decode("utf-8", errors="replace")
    cell = fields[-1] + re.split(f"[\r\n{re.escape(delimiter)}]", after, maxsplit=1)[0]
    column = _column_name(header, len(fields) - 1) if row > 1 else f"kolom ke-{len(fields)}"
    reason = f"Berkas bukan UTF-8: sel ini (baris {row}, {column}) berisi huruf yang tidak terbaca; {SAVE_AS_UTF8}."
    return problem(source, row, column, cell, reason)


def syntax_problem(
    source: str, number: int, record: str, header: tuple[str, ...], delimiter: str, max_field: int
) -> Problem:
    """A record Python's csv reader gave up on, explained in Bahasa Indonesia with its row and column."""
    limit = csv.field_size_limit()
    fields = located_fields(record, delimiter, limit=limit)
    bad = fields[-1]
    column = _column_name(header, len(fields) - 1) if number > 1 else f"kolom ke-{len(fields)}"
    if bad.flaw is FieldFlaw.UNCLOSED_QUOTE:
        reason = (
            'Tanda kutip (") pembuka sel ini tidak ditutup, sehingga sisa berkas terbaca sebagai satu sel; '
            'tutup tanda kutipnya, atau tulis tanda kutip di dalam sel sebagai dua tanda kutip ("").'
        )
    elif bad.flaw is FieldFlaw.TEXT_AFTER_QUOTE:
        reason = (
            f"Sesudah tanda kutip penutup harus ada pemisah ({delimiter}) atau akhir baris; "
            'tulis tanda kutip di dalam sel sebagai dua tanda kutip ("").'
        )
    elif bad.flaw is FieldFlaw.TOO_LONG:
        reason = _too_long(len(bad.text), max_field)
    else:
        reason = "Baris ini bukan CSV yang sah."
    return problem(source, number, column, bad.text, f"{reason} {STOPPED}")


def _column_name(header: tuple[str, ...], index: int) -> str:
    """The header's name for a cell position, or its position when the header has none there."""
    if index < len(header) and header[index]:
        return header[index]
    return f"kolom ke-{index + 1}"


def sniff_delimiter(header_line: str) -> str:
    """`;` (Excel in Indonesian locale) or `,`, whichever the header line uses more."""
    return max(DELIMITERS, key=header_line.count)


def _check_header(
    header: tuple[str, ...], source: str, columns: tuple[str, ...], required: tuple[str, ...]
) -> tuple[tuple[Problem, ...], tuple[Problem, ...]]:
    """Duplicate and missing columns are problems; unknown columns only warnings (their cells are dropped)."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
    first_seen: dict[str, int] = {}
    for position, name in enumerate(header, start=1):
        shown = display_value(name)
        if name in first_seen:
            problems.append(
                problem(
                    source,
                    1,
                    name,
                    name,
                    f"Judul kolom '{shown}' muncul dua kali (kolom ke-{first_seen[name]} dan ke-{position}).",
                )
            )
            continue
        first_seen[name] = position
        if name and name not in columns:
            warnings.append(problem(source, 1, name, name, f"Kolom '{shown}' tidak dikenal dan diabaikan."))
    for name in required:
        if name not in first_seen:
            problems.append(problem(source, 1, name, "", f"Kolom wajib '{name}' tidak ada di baris judul."))
    return tuple(problems), tuple(warnings)


def _too_long(length: int, max_field: int) -> str:
    return f"Isi sel terlalu panjang ({length} karakter; paling banyak {max_field})."


def cell_problem(raw: str, max_field: int) -> str | None:
    """Why a cell's text cannot be stored, or None."""
    if len(raw) > max_field:
        return _too_long(len(raw), max_field)
    hidden = _FORBIDDEN.search(raw)
    if hidden:
        return f"Berisi karakter tersembunyi {_describe(hidden.group())}; hapus lalu ketik ulang isi sel ini."
    if not raw.isascii() and _looks_like_mojibake(raw):
        return f"Huruf tampak rusak (salah encoding); {UTF8_HINT}."
    return None


def _describe(ch: str) -> str:
    code = ord(ch)
    if code == 0:
        return "NUL (U+0000)"
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        return f"pembalik arah teks (U+{code:04X})"
    if code >= 0x200B:
        return f"tak terlihat (U+{code:04X})"
    return f"kendali (U+{code:04X})"


def _looks_like_mojibake(text: str) -> bool:
    """UTF-8 text that was once read as cp1252/latin-1 and saved again ("Ã©" for "é")."""
    for legacy in ("cp1252", "latin-1"):
        try:
            repaired = text.encode(legacy).decode("utf-8")
        except UnicodeError:
            continue
        if repaired != text:
            return True
    return False
