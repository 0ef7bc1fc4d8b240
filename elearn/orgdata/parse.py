"""Parsing one import file end to end: table, per-row records, then duplicates and clashes between rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import partial

from elearn.orgdata.problems import Problem, problem
from elearn.orgdata.records import FILE_KINDS, FileKind, Record
from elearn.orgdata.table import Limits, read_table

SAMPLE_ROWS = 10


@dataclass(frozen=True)
class ParsedFile:
    """What one file holds: clean records, every problem, warnings, and the first rows to preview."""

    kind: FileKind
    source: str
    columns: frozenset[str]
    records: tuple[Record, ...]
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    sample: tuple[tuple[int, Mapping[str, str]], ...]
    row_count: int


def parse_file(kind: str, data: bytes, *, source: str, limits: Limits, today: date) -> ParsedFile:
    """Read `data` as a file of `kind` (a FILE_KINDS name) and report every problem at once."""
    file_kind = FILE_KINDS[kind]
    table = read_table(
        data, source=source, columns=file_kind.columns, required=file_kind.required, limits=limits
    )
    problems = list(table.problems)
    reported = {(p.row, p.column) for p in problems}
    bad_rows = {p.row for p in problems}
    cells_of = dict(table.rows)

    def report_at(number: int, column: str, reason: str) -> None:
        if (number, column) not in reported:
            reported.add((number, column))
            bad_rows.add(number)
            problems.append(problem(source, number, column, cells_of[number].get(column, ""), reason))

    converted: list[Record] = []
    first_row_of: dict[tuple[str, str], int] = {}
    for number, cells in table.rows:
        record = file_kind.convert(number, cells, partial(report_at, number), today)
        for column in file_kind.unique:
            value = cells.get(column, "").lower()
            if not value:
                continue
            first = first_row_of.setdefault((column, value), number)
            if first != number:
                report_at(
                    number,
                    column,
                    f"Nilai {column} ini sama dengan baris {first}; satu nilai hanya boleh satu baris.",
                )
        if record is not None and number not in bad_rows:
            converted.append(record)
    for number, column, reason in file_kind.cross_row_problems(converted):
        report_at(number, column, reason)
    records = [record for record in converted if record.row not in bad_rows]
    problems.sort(
        key=lambda p: (p.row or 0, file_kind.columns.index(p.column) if p.column in file_kind.columns else -1)
    )
    return ParsedFile(
        kind=file_kind,
        source=source,
        columns=table.columns,
        records=tuple(records),
        problems=tuple(problems),
        warnings=table.warnings,
        sample=table.rows[:SAMPLE_ROWS],
        row_count=len(table.rows),
    )
