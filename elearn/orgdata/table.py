"""Turning uploaded CSV bytes into named cells: encoding, delimiter, header, limits and hidden characters.

Policy for hidden characters: a cell holding NUL or any other control character (tab and line breaks
included), a bidirectional override/isolate (U+202A-202E, U+2066-2069), a zero-width or direction mark
(U+200B-200F, U+2060-2064) or a byte-order mark (U+FEFF) is refused with its row and column, never silently
cleaned: the file is the record of truth, and the refusal is identical whatever database is behind it.
Spaces around a value are removed; a BOM at the very start of the file is allowed (Excel writes one).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from elearn.orgdata.problems import Problem, problem

UTF8_HINT = "simpan sebagai CSV UTF-8"
DELIMITERS = (";", ",")

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
class Table:
    """The cells of a CSV file by column name, with the spreadsheet row number of each row."""

    rows: tuple[tuple[int, dict[str, str]], ...]
    columns: frozenset[str]
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    delimiter: str


def read_table(
    data: bytes, *, source: str, columns: tuple[str, ...], required: tuple[str, ...], limits: Limits
) -> Table:
    """Decode and split a CSV file; cells of unknown columns are dropped (with a warning), never passed on."""
    if len(data) > limits.max_bytes:
        return _refused(
            source, f"Berkas lebih besar dari batas {limits.max_bytes:,} byte; bagi menjadi beberapa berkas."
        )
    text, error = decode_utf8(data)
    if error:
        return _refused(source, error)
    first_line = text.split("\n", 1)[0]
    delimiter = sniff_delimiter(first_line)
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [name.strip().lower() for name in next(records)]
    except StopIteration:
        return _refused(source, "Berkas kosong: baris pertama harus berisi judul kolom.")
    except csv.Error as exc:
        return _refused(source, f"Baris judul bukan CSV yang sah ({exc}).", row=1)
    header_problems, warnings = _check_header(header, source, columns, required)
    if header_problems:
        return Table(
            rows=(), columns=frozenset(), problems=header_problems, warnings=warnings, delimiter=delimiter
        )
    rows: list[tuple[int, dict[str, str]]] = []
    problems: list[Problem] = []
    for number, cells, cell_error in _numbered(records):
        if cell_error:
            problems.append(problem(source, number, "", "", f"Baris bukan CSV yang sah ({cell_error})."))
            break
        if number - 1 > limits.max_rows:
            return _refused(
                source,
                f"Berkas berisi lebih dari {limits.max_rows:,} baris data; bagi menjadi beberapa berkas.",
            )
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            problems.append(
                problem(
                    source,
                    number,
                    "",
                    delimiter.join(cells[len(header) :]),
                    f"Baris berisi {len(cells)} kolom, padahal judul hanya {len(header)} kolom.",
                )
            )
            continue
        row = _named_cells(number, cells, header, columns, source, limits, problems)
        rows.append((number, row))
    return Table(
        rows=tuple(rows),
        columns=frozenset(header) & frozenset(columns),
        problems=tuple(problems),
        warnings=warnings,
        delimiter=delimiter,
    )


def decode_utf8(data: bytes) -> tuple[str, str | None]:
    """The text of a UTF-8 file (BOM or not), or the reason it is not UTF-8."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        return "", (
            f"Berkas bukan UTF-8 (byte tak dikenal di posisi {exc.start}); buka di Excel lalu "
            f'{UTF8_HINT} ("CSV UTF-8 (Comma delimited)").'
        )


def sniff_delimiter(header_line: str) -> str:
    """`;` (Excel in Indonesian locale) or `,`, whichever the header line uses more."""
    return max(DELIMITERS, key=header_line.count)


def _refused(source: str, reason: str, *, row: int | None = None) -> Table:
    return Table(
        rows=(),
        columns=frozenset(),
        problems=(problem(source, row, "", "", reason),),
        warnings=(),
        delimiter=",",
    )


def _numbered(records: Iterator[list[str]]) -> Iterator[tuple[int, list[str], str | None]]:
    """Data rows with their spreadsheet number (header is row 1); a CSV syntax error ends the file."""
    number = 1
    while True:
        number += 1
        try:
            cells = next(records)
        except StopIteration:
            return
        except csv.Error as exc:
            yield number, [], str(exc)
            return
        yield number, cells, None


def _check_header(
    header: list[str], source: str, columns: tuple[str, ...], required: tuple[str, ...]
) -> tuple[tuple[Problem, ...], tuple[Problem, ...]]:
    """Duplicate and missing columns are problems; unknown columns only warnings (their cells are dropped)."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
    first_seen: dict[str, int] = {}
    for position, name in enumerate(header, start=1):
        if name in first_seen:
            problems.append(
                problem(
                    source,
                    1,
                    name,
                    name,
                    f"Judul kolom '{name}' muncul dua kali (kolom ke-{first_seen[name]} dan ke-{position}).",
                )
            )
            continue
        first_seen[name] = position
        if name and name not in columns:
            warnings.append(problem(source, 1, name, name, f"Kolom '{name}' tidak dikenal dan diabaikan."))
    for name in required:
        if name not in first_seen:
            problems.append(problem(source, 1, name, "", f"Kolom wajib '{name}' tidak ada di baris judul."))
    return tuple(problems), tuple(warnings)


def _named_cells(
    number: int,
    cells: list[str],
    header: list[str],
    columns: tuple[str, ...],
    source: str,
    limits: Limits,
    problems: list[Problem],
) -> dict[str, str]:
    """Known columns only, each value checked for length, hidden characters and mojibake, then trimmed."""
    row: dict[str, str] = {}
    for name, raw in zip(header, cells, strict=False):
        if name not in columns:
            continue
        reason = cell_problem(raw, limits.max_field)
        if reason:
            problems.append(problem(source, number, name, raw, reason))
        row[name] = raw.strip(" \u00a0")
    return row


def cell_problem(raw: str, max_field: int) -> str | None:
    """Why a cell's text cannot be stored, or None."""
    if len(raw) > max_field:
        return f"Isi sel terlalu panjang ({len(raw)} karakter; paling banyak {max_field})."
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
