"""Question ids made from text (a heading, a GIFT question's name), unique within a course."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable


def slug(text: str, limit: int = 48) -> str:
    """Lowercase ASCII words joined by hyphens, cut at a word boundary near `limit`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(words) <= limit:
        return words
    cut = words[: limit + 1].rsplit("-", 1)[0]
    return cut if cut else words[:limit]


class UniqueIds:
    """Hands out ids from text, suffixed -2, -3, ... when the course already uses them."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self._taken = set(taken)

    def claim(self, *texts: str) -> str:
        """An unused id from the first text that makes one (else `soal`), now taken."""
        base = next((made for text in texts if (made := slug(text))), "soal")
        candidate, suffix = base, 2
        while candidate in self._taken:
            candidate, suffix = f"{base}-{suffix}", suffix + 1
        self._taken.add(candidate)
        return candidate
