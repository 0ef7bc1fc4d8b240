"""A Progress that remembers what an import reported, for the tests of the core and of the service."""

from __future__ import annotations

from elearn.orgdata import Stage


class RecordingProgress:
    """Every stage started (stage, total, source) and how many rows each one advanced."""

    def __init__(self) -> None:
        self.stages: list[tuple[str, int, str]] = []
        self.rows: list[int] = []

    def start(self, stage: Stage, total: int, *, source: str = "") -> None:
        self.stages.append((stage, total, source))
        self.rows.append(0)

    def advance(self, rows: int) -> None:
        self.rows[-1] += rows
