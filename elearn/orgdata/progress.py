"""How a long import tells its caller how far it is: a command line draws a bar, a background job stores it."""

from __future__ import annotations

from typing import Literal, Protocol

# The stages of an import, in order: reading each file, checking rows against the database, writing them.
Stage = Literal["read", "check", "write"]
# Rows between two progress reports: often enough for a bar, rare enough to cost nothing.
REPORT_EVERY = 1000


class Progress(Protocol):
    """Receives the start of each stage (with how many rows it covers) and the rows done since the last call."""

    def start(self, stage: Stage, total: int, *, source: str = "") -> None:
        """A stage begins; `total` is its row count (for reading, an estimate from the line count)."""

    def advance(self, rows: int) -> None:
        """`rows` more rows of the current stage are done."""


class NoProgress:
    """A caller that does not watch."""

    def start(self, stage: Stage, total: int, *, source: str = "") -> None:
        """Nothing to show."""

    def advance(self, rows: int) -> None:
        """Nothing to show."""


NO_PROGRESS = NoProgress()
