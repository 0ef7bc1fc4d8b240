"""Validation problems: where in which file, what is wrong, and how bad it is."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One finding an author must see as `file:line:column: message` (line/column 1-based, original file)."""

    path: str
    line: int
    column: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


def format_problems(problems: Iterable[Problem]) -> str:
    """All problems, sorted by file and position, one per line (warnings marked), for CLIs and logs."""
    return "\n".join(
        str(problem) if problem.severity == "error" else f"{problem} (peringatan)"
        for problem in sorted(problems)
    )


class ProblemLog:
    """Collects problems for one file so checks can keep going and report everything in one run."""

    def __init__(self, path: str, *, line_offset: int = 0, sink: list[Problem] | None = None) -> None:
        self.path = path
        self.line_offset = line_offset
        self.problems: list[Problem] = [] if sink is None else sink

    def shifted(self, line_offset: int) -> ProblemLog:
        """A log for a fragment of the same file that starts `line_offset` lines further down."""
        return ProblemLog(self.path, line_offset=self.line_offset + line_offset, sink=self.problems)

    def error(self, line: int, column: int, message: str) -> None:
        """Record something that makes the course unusable."""
        self.problems.append(Problem(self.path, line + self.line_offset, column, message, "error"))

    def warning(self, line: int, column: int, message: str) -> None:
        """Record something the author should fix but that does not block publication."""
        self.problems.append(Problem(self.path, line + self.line_offset, column, message, "warning"))
