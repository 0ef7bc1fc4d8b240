"""Finding the cell where a CSV record breaks the format, since Python's csv reader only says what broke."""

from __future__ import annotations

import enum
from dataclasses import dataclass

QUOTE = '"'
RECORD_ENDS = ("\r", "\n")


class FieldFlaw(enum.Enum):
    """Why a raw cell cannot be read as CSV."""

    UNCLOSED_QUOTE = "unclosed-quote"
    TEXT_AFTER_QUOTE = "text-after-quote"
    TOO_LONG = "too-long"


@dataclass(frozen=True)
class RawField:
    """One cell of a record as written in the file (quotes included), and its flaw if it has one."""

    text: str
    flaw: FieldFlaw | None = None


def located_fields(record: str, delimiter: str, *, limit: int) -> list[RawField]:
    """The cells of one record's raw text up to and including the first flawed one (or all, when none is).

    Follows the rules of Python's csv reader in strict mode: a quote opens a quoted cell only as its first
    character, `""` inside it is a quote, the closing quote must be followed by the delimiter or the end of the
    line, and no cell may be longer than `limit` characters.
    """
    fields: list[RawField] = []
    position, end = 0, len(record)
    while True:
        if record.startswith(QUOTE, position):
            stop, flaw = _quoted_end(record, position, delimiter)
        else:
            stop = _unquoted_end(record, position, delimiter)
            flaw = None
        text = record[position:stop]
        if flaw is None and len(text) > limit:
            flaw = FieldFlaw.TOO_LONG
        fields.append(RawField(text, flaw))
        if flaw is not None or stop >= end or record[stop] != delimiter:
            return fields
        position = stop + 1


def _unquoted_end(record: str, start: int, delimiter: str) -> int:
    """Where an unquoted cell ends: at the next delimiter or line break."""
    ends = [found for mark in (delimiter, *RECORD_ENDS) if (found := record.find(mark, start)) >= 0]
    return min(ends, default=len(record))


def _quoted_end(record: str, start: int, delimiter: str) -> tuple[int, FieldFlaw | None]:
    """Where a quoted cell ends (just after its closing quote), and its flaw."""
    search = start + 1
    while True:
        closing = record.find(QUOTE, search)
        if closing < 0:
            return len(record), FieldFlaw.UNCLOSED_QUOTE
        if record.startswith(QUOTE, closing + 1):
            search = closing + 2
            continue
        after = closing + 1
        if after < len(record) and record[after] != delimiter and record[after] not in RECORD_ENDS:
            return _unquoted_end(record, after, delimiter), FieldFlaw.TEXT_AFTER_QUOTE
        return after, None
