"""A problem in an import file, located as a spreadsheet user finds it: row number and column name."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

DISPLAY_LIMIT = 80


def display_value(value: str) -> str:
    """The value with control, invisible and direction characters spelled out (\\x00, \\u202e), shortened."""
    shown = "".join(_escaped_char(ch) for ch in value[:DISPLAY_LIMIT])
    return shown + "…" if len(value) > DISPLAY_LIMIT else shown


def _escaped_char(ch: str) -> str:
    if ch == "\\":
        return "\\\\"
    if unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}:
        code = ord(ch)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return ch


@dataclass(frozen=True)
class Problem:
    """Why a cell, a row or the whole file cannot be imported; `row` is the spreadsheet row (header = 1)."""

    source: str
    row: int | None
    column: str
    value: str
    reason: str

    def located(self) -> str:
        """`file:row:column: reason`, the form the command line prints."""
        if self.row is None:
            return f"{self.source}: {self.reason}"
        return f"{self.source}:{self.row}:{self.column}: {self.reason}"


def problem(source: str, row: int | None, column: str, raw_value: str, reason: str) -> Problem:
    """A Problem whose value is already escaped for display."""
    return Problem(source=source, row=row, column=column, value=display_value(raw_value), reason=reason)
