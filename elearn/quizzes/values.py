"""Reading what learners type: numbers with either decimal mark, and short answers against Moodle patterns."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]{1,3})?")
_STARS = re.compile(r"(?<!\\)\*+")


def parse_number(text: str) -> Decimal | None:
    """`3,5`, `3.5`, `-2`, `.5`, `1e3` as a Decimal (no thousands separators, no units); None otherwise."""
    written = text.strip()
    if not _NUMBER.fullmatch(written):
        return None
    return Decimal(written.replace(",", "."))


def normalise_text(text: str) -> str:
    """A response or pattern as compared: Unicode NFC, every run of whitespace one space, trimmed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def matches_pattern(pattern: str, response: str, *, case_sensitive: bool) -> bool:
    """Moodle's short-answer match: the whole response against `pattern`, where `*` stands for any characters
    and `\\*` for a star; letters compared without case unless `case_sensitive`.

    Matched piece by piece (prefix, pieces in order, suffix) rather than by regular expression, so a pattern
    with many stars cannot make a long response take exponential time.
    """
    pieces = [piece.replace("\\*", "*") for piece in _STARS.split(normalise_text(pattern))]
    text = normalise_text(response)
    if not case_sensitive:
        pieces, text = [piece.casefold() for piece in pieces], text.casefold()
    if len(pieces) == 1:
        return text == pieces[0]
    first, *middle, last = pieces
    end = len(text) - len(last)
    if not text.startswith(first) or not text.endswith(last) or end < len(first):
        return False
    position = len(first)
    for piece in middle:
        found = text.find(piece, position, end)
        if found < 0:
            return False
        position = found + len(piece)
    return True
