"""Parsing one import file end to end in one pass: table rows, per-row records, then duplicates and clashes
with earlier rows, keeping only the clean records (no row dictionaries beyond the preview's first rows)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from elearn.orgdata.problems import Problem, problem
from elearn.orgdata.progress import NO_PROGRESS, REPORT_EVERY, Progress
from elearn.orgdata.records import FILE_KINDS, FileKind, Record
from elearn.orgdata.table import FileRefused, Limits, TableRow, open_table

SAMPLE_ROWS = 10
NO_DATA = "Berkas hanya berisi baris judul; tidak ada baris data untuk diimpor."


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


def parse_file(
    kind: str,
    data: bytes,
    *,
    source: str,
    limits: Limits,
    today: date,
    progress: Progress = NO_PROGRESS,
) -> ParsedFile:
    """Read `data` as a file of `kind` (a FILE_KINDS name) and report every problem at once."""
    file_kind = FILE_KINDS[kind]
    table = open_table(
        data, source=source, columns=file_kind.columns, required=file_kind.required, limits=limits
    )
    progress.start("read", table.estimated_rows, source=source)
    reader = _RowReader(file_kind, source, today)
    if table.problems:
        return reader.result(table.columns, table.problems, table.warnings)
    try:
        for row in table.rows():
            reader.read(row)
            if reader.row_count % REPORT_EVERY == 0:
                progress.advance(REPORT_EVERY)
    except FileRefused as refused:
        return _RowReader(file_kind, source, today).result(frozenset(), (refused.problem,), table.warnings)
    progress.advance(reader.row_count % REPORT_EVERY)
    if reader.row_count == 0:
        return reader.result(table.columns, (problem(source, None, "", "", NO_DATA),), table.warnings)
    return reader.result(table.columns, (), table.warnings)


class _RowReader:
    """Turns rows into records one at a time, remembering only what later rows are compared with."""

    def __init__(self, file_kind: FileKind, source: str, today: date) -> None:
        self.file_kind = file_kind
        self.source = source
        self.today = today
        self.records: list[Record] = []
        self.problems: list[Problem] = []
        self.sample: list[tuple[int, Mapping[str, str]]] = []
        self.row_count = 0
        self._first_row_of: dict[str, dict[str, int]] = {column: {} for column in file_kind.unique}
        self._earlier_rows = file_kind.earlier_rows_rule()

    def read(self, row: TableRow) -> None:
        """Check one row; keep its record only when nothing is wrong with it."""
        self.row_count += 1
        self.problems.extend(row.problems)
        if row.cells is None:
            return
        if len(self.sample) < SAMPLE_ROWS:
            self.sample.append((row.number, row.cells))
        reported = {p.column for p in row.problems}
        cells = row.cells

        def report(column: str, reason: str) -> None:
            if column not in reported:
                reported.add(column)
                self.problems.append(problem(self.source, row.number, column, cells.get(column, ""), reason))

        record = self.file_kind.convert(row.number, cells, report, self.today)
        for column, first_rows in self._first_row_of.items():
            value = cells.get(column, "")
            if not value:
                continue
            key = value.lower()
            first = first_rows.setdefault(value if key == value else key, row.number)
            if first != row.number:
                report(
                    column,
                    f"Nilai {column} ini sama dengan baris {first}; satu nilai hanya boleh satu baris.",
                )
        if record is None or reported:
            return
        for column, reason in self._earlier_rows(record):
            report(column, reason)
        if not reported:
            self.records.append(record)

    def result(
        self, columns: frozenset[str], file_problems: tuple[Problem, ...], warnings: tuple[Problem, ...]
    ) -> ParsedFile:
        """The file as read so far; problems about the file as a whole first, then by row and column."""
        order = self.file_kind.columns
        problems = sorted(
            (*file_problems, *self.problems),
            key=lambda p: (p.row or 0, order.index(p.column) if p.column in order else -1),
        )
        return ParsedFile(
            kind=self.file_kind,
            source=self.source,
            columns=columns,
            records=tuple(self.records) if not file_problems else (),
            problems=tuple(problems),
            warnings=warnings,
            sample=tuple(self.sample),
            row_count=self.row_count,
        )
