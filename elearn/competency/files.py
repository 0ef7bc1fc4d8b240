"""Reading the competency framework and position-standard (SKJ) files, CSV or YAML: pure, no Flask, no database.

The CSV rules are the organisation import's (`elearn.orgdata.table`: UTF-8, header checks, hidden characters,
located syntax errors; see docs/import.md). A YAML file holds a list of entries whose keys are the CSV's column
names, so both formats share one set of rules; a YAML problem names the line, the entry (1 = the first) and the
field. YAML scalars are read as the text written (never as YAML numbers, dates or booleans), so a code such as
`1.10` stays `1.10`. Everything is reported at once; any problem refuses the whole file (docs/competency.md).
"""

from __future__ import annotations

import codecs
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Generic, Literal, TypeVar

import yaml

from elearn.orgdata.problems import Problem, display_value, problem
from elearn.orgdata.table import FileRefused, Limits, cell_problem, open_table

LEVELS = (1, 2, 3, 4, 5)
LEVEL_COLUMNS = tuple(f"level_{n}" for n in LEVELS)
INDICATOR_COLUMNS = tuple(f"indikator_{n}" for n in LEVELS)
FRAMEWORK_COLUMNS = ("kode", "nama", "jenis", "definisi", *LEVEL_COLUMNS, *INDICATOR_COLUMNS)
FRAMEWORK_REQUIRED = ("kode", "nama", "definisi", *LEVEL_COLUMNS)
STANDARD_COLUMNS = ("kode_jabatan", "kode_kompetensi", "level")
# The key of a YAML file's list of entries, per kind of file.
YAML_LISTS = {"framework": "kompetensi", "standards": "standar"}
YAML_SUFFIXES = (".yml", ".yaml")

TECHNICAL = "teknis"
DICTIONARY_KINDS = ("manajerial", "sosial_kultural")
CODE_MAX = 32
COMPETENCY_CODE = re.compile(rf"[A-Za-z0-9][A-Za-z0-9._/-]{{0,{CODE_MAX - 1}}}", re.ASCII)
POSITION_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,49}", re.ASCII)
NAME_MAX = 200
# Definitions and level descriptions are paragraphs (the national dictionary's longest definition has 549
# characters), so a framework cell may be longer than ELEARN_IMPORT_MAX_FIELD allows other files.
TEXT_MAX = 2000
INDICATOR_SEPARATOR = ";"
NO_DATA = "Berkas tidak berisi satu pun baris data untuk diimpor."

FileKindName = Literal["framework", "standards"]
Report = Callable[[str, str], None]
Cells = Mapping[str, "str | tuple[str, ...]"]


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a record sits in its file: a CSV row, or a YAML entry (its number and the line of each field)."""

    row: int
    entry: int | None = None
    lines: Mapping[str, int] = field(default_factory=dict, hash=False)

    def problem(self, source: str, column: str, value: str, reason: str) -> Problem:
        """A problem located at one field of this record."""
        if self.entry is None:
            return problem(source, self.row, column, value, reason)
        where = f"entri {self.entry}, {column}" if column else f"entri {self.entry}"
        return problem(source, self.lines.get(column, self.row), where, value, reason)

    def describe(self) -> str:
        """ "baris 4" or "entri 2 (baris 14)", for messages that point at another record."""
        return f"baris {self.row}" if self.entry is None else f"entri {self.entry} (baris {self.row})"


@dataclass(frozen=True, slots=True)
class LevelText:
    """What one level (1-5) of a competency means and its behavioural indicators."""

    level: int
    description: str
    indicators: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FrameworkRecord:
    """One technical competency of a framework file."""

    origin: Origin
    code: str
    name: str
    definition: str
    levels: tuple[LevelText, ...]
    kind: str = TECHNICAL


@dataclass(frozen=True, slots=True)
class StandardRecord:
    """One line of a position standard: position `position_code` requires `competency_code` at `level`."""

    origin: Origin
    position_code: str
    competency_code: str
    level: int


RecordT = TypeVar("RecordT", FrameworkRecord, StandardRecord)


@dataclass(frozen=True)
class CompetencyFile(Generic[RecordT]):
    """What one file holds: its clean records (none when anything is wrong), every problem, and warnings."""

    kind: FileKindName
    source: str
    format: Literal["csv", "yaml"]
    records: tuple[RecordT, ...]
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    row_count: int

    @property
    def refused(self) -> bool:
        """Any problem refuses the whole file."""
        return bool(self.problems)


def is_yaml(source: str) -> bool:
    """Whether a file is read as YAML (by its name: .yml or .yaml); anything else is read as CSV."""
    return source.lower().endswith(YAML_SUFFIXES)


def parse_framework(data: bytes, *, source: str, limits: Limits) -> CompetencyFile[FrameworkRecord]:
    """Read a framework file (technical competencies with five level descriptions)."""
    reader = _Reader("framework", source, _convert_framework, _framework_key)
    return reader.read(data, FRAMEWORK_COLUMNS, FRAMEWORK_REQUIRED, replace(limits, max_field=TEXT_MAX))


def parse_standards(data: bytes, *, source: str, limits: Limits) -> CompetencyFile[StandardRecord]:
    """Read an SKJ file (the required level of each competency per position)."""
    reader = _Reader("standards", source, _convert_standard, _standard_key)
    return reader.read(data, STANDARD_COLUMNS, STANDARD_COLUMNS, limits)


# Converting one row (CSV) or entry (YAML) of cells into a record, reporting what is wrong with it.


def _text(cells: Cells, column: str, report: Report, *, limit: int, required: bool = True) -> str:
    value = cells.get(column, "")
    if isinstance(value, tuple):
        report(column, "Harus berupa teks, bukan daftar.")
        return ""
    if not value and required:
        report(column, "Wajib diisi.")
    elif len(value) > limit:
        report(column, f"Terlalu panjang ({len(value)} karakter; paling banyak {limit}).")
        return ""
    return value


def _code(cells: Cells, column: str, report: Report, pattern: re.Pattern[str], limit: int) -> str:
    value = _text(cells, column, report, limit=limit)
    if value and not pattern.fullmatch(value):
        report(
            column,
            "Kode hanya boleh huruf, angka, titik, garis miring, tanda hubung atau garis bawah "
            f"(paling banyak {limit} karakter) dan diawali huruf atau angka.",
        )
        return ""
    return sys.intern(value) if value else ""


def _indicators(cells: Cells, column: str, report: Report) -> tuple[str, ...]:
    """A level's indicators: a YAML list, or one text with the indicators separated by `;`."""
    value = cells.get(column, "")
    items = value if isinstance(value, tuple) else tuple(value.split(INDICATOR_SEPARATOR))
    found = tuple(item.strip() for item in items if item.strip())
    for item in found:
        if len(item) > TEXT_MAX:
            report(
                column, f"Satu indikator terlalu panjang ({len(item)} karakter; paling banyak {TEXT_MAX})."
            )
            return ()
    return found


def _convert_framework(origin: Origin, cells: Cells, report: Report) -> FrameworkRecord | None:
    count = _Counter(report)
    code = _code(cells, "kode", count, COMPETENCY_CODE, CODE_MAX)
    name = _text(cells, "nama", count, limit=NAME_MAX)
    kind = _text(cells, "jenis", count, limit=NAME_MAX, required=False).lower() or TECHNICAL
    if kind in DICTIONARY_KINDS:
        count(
            "jenis",
            "Kompetensi manajerial dan sosial kultural berasal dari kamus nasional dan tidak dapat diimpor; "
            "berkas ini hanya untuk kompetensi teknis (jenis teknis).",
        )
    elif kind != TECHNICAL:
        count("jenis", "Jenis kompetensi yang dapat diimpor hanya 'teknis' (atau kosongkan).")
    definition = _text(cells, "definisi", count, limit=TEXT_MAX)
    levels = tuple(
        LevelText(
            level=n,
            description=_text(cells, f"level_{n}", count, limit=TEXT_MAX),
            indicators=_indicators(cells, f"indikator_{n}", count),
        )
        for n in LEVELS
    )
    if count.count:
        return None
    return FrameworkRecord(origin=origin, code=code, name=name, definition=definition, levels=levels)


def _convert_standard(origin: Origin, cells: Cells, report: Report) -> StandardRecord | None:
    count = _Counter(report)
    position = _code(cells, "kode_jabatan", count, POSITION_CODE, 50)
    competency = _code(cells, "kode_kompetensi", count, COMPETENCY_CODE, CODE_MAX)
    raw_level = _text(cells, "level", count, limit=10)
    level = int(raw_level) if raw_level.isascii() and raw_level.isdigit() else 0
    if raw_level and level not in LEVELS:
        count("level", "Level harus bilangan bulat 1 sampai 5.")
    if count.count:
        return None
    return StandardRecord(origin=origin, position_code=position, competency_code=competency, level=level)


def _framework_key(record: FrameworkRecord) -> tuple[str, str]:
    return ("kode", record.code.lower())


def _standard_key(record: StandardRecord) -> tuple[str, str]:
    return ("kode_kompetensi", f"{record.position_code}\x00{record.competency_code}")


class _Counter:
    """Passes reports on and counts them, so a converter knows whether its row was clean."""

    def __init__(self, report: Report) -> None:
        self._report = report
        self.count = 0

    def __call__(self, column: str, reason: str) -> None:
        self.count += 1
        self._report(column, reason)


class _Reader(Generic[RecordT]):
    """Reads one file of one kind, row by row (CSV) or entry by entry (YAML), into records and problems."""

    def __init__(
        self,
        kind: FileKindName,
        source: str,
        convert: Callable[[Origin, Cells, Report], RecordT | None],
        key: Callable[[RecordT], tuple[str, str]],
    ) -> None:
        self.kind = kind
        self.source = source
        self.convert: Callable[[Origin, Cells, Report], RecordT | None] = convert
        self.key: Callable[[RecordT], tuple[str, str]] = key
        self.records: list[RecordT] = []
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.first_of: dict[str, Origin] = {}
        self.row_count = 0

    def read(
        self, data: bytes, columns: tuple[str, ...], required: tuple[str, ...], limits: Limits
    ) -> CompetencyFile[RecordT]:
        if is_yaml(self.source):
            self._read_yaml(data, columns, limits)
            file_format: Literal["csv", "yaml"] = "yaml"
        else:
            self._read_csv(data, columns, required, limits)
            file_format = "csv"
        if not self.problems and self.row_count == 0:
            self.problems.append(problem(self.source, None, "", "", NO_DATA))
        return CompetencyFile(
            kind=self.kind,
            source=self.source,
            format=file_format,
            records=tuple(self.records) if not self.problems else (),
            problems=tuple(self.problems),
            warnings=tuple(self.warnings),
            row_count=self.row_count,
        )

    def _add(self, origin: Origin, cells: Cells, known_problems: tuple[Problem, ...] = ()) -> None:
        """Check one row or entry; keep its record only when nothing is wrong with it."""
        self.row_count += 1
        self.problems.extend(known_problems)
        reported = {p.column for p in known_problems}
        clean = not known_problems

        def report(column: str, reason: str) -> None:
            nonlocal clean
            clean = False
            located = origin.problem(self.source, column, _shown(cells.get(column, "")), reason)
            if located.column not in reported:
                reported.add(located.column)
                self.problems.append(located)

        record = self.convert(origin, cells, report)
        if record is None or not clean:
            return
        column, key = self.key(record)
        first = self.first_of.setdefault(key, origin)
        if first is not origin:
            if self.kind == "framework":
                reason = f"Kode ini sama dengan {first.describe()}; satu kode hanya boleh satu kali."
            else:
                reason = (
                    f"Jabatan dan kompetensi ini sudah ada di {first.describe()}; "
                    "satu kompetensi hanya boleh satu kali per jabatan."
                )
            report(column, reason)
            return
        self.records.append(record)

    def _read_csv(
        self, data: bytes, columns: tuple[str, ...], required: tuple[str, ...], limits: Limits
    ) -> None:
        table = open_table(data, source=self.source, columns=columns, required=required, limits=limits)
        self.warnings.extend(table.warnings)
        if table.problems:
            self.problems.extend(table.problems)
            return
        try:
            for row in table.rows():
                if row.cells is None:
                    self.row_count += 1
                    self.problems.extend(row.problems)
                    continue
                self._add(Origin(row.number), row.cells, row.problems)
        except FileRefused as refused:
            self.problems[:] = [refused.problem]

    def _read_yaml(self, data: bytes, columns: tuple[str, ...], limits: Limits) -> None:
        text = self._yaml_text(data, limits)
        if text is None:
            return
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = mark.line + 1 if mark else None
            where = f" di baris {mark.line + 1}, kolom {mark.column + 1}" if mark else ""
            reason = (
                f"Susunan YAML rusak{where}; periksa indentasi, titik dua dan tanda kutip di sekitarnya "
                "(rincian dari pembaca YAML ada di kolom Nilai)."
            )
            self.problems.append(problem(self.source, line, "", str(error.problem or ""), reason))
            return
        except yaml.YAMLError:
            self.problems.append(problem(self.source, None, "", "", "Berkas bukan YAML yang sah."))
            return
        entries = self._yaml_entries(root)
        if entries is None:
            return
        if len(entries.value) > limits.max_rows:
            reason = f"Berkas berisi lebih dari {limits.max_rows:,} entri; bagi menjadi beberapa berkas."
            self.problems.append(problem(self.source, None, "", "", reason))
            return
        seen: set[int] = set()
        for number, node in enumerate(entries.value, start=1):
            origin, cells, found = self._yaml_entry(number, node, columns, limits, seen)
            if cells is None:
                self.row_count += 1
                self.problems.extend(found)
                continue
            self._add(origin, cells, found)

    def _yaml_text(self, data: bytes, limits: Limits) -> str | None:
        """The file as text, or None after reporting why it cannot be read (too big, not UTF-8)."""
        if len(data) > limits.max_bytes:
            reason = f"Berkas lebih besar dari batas {limits.max_bytes:,} byte; bagi menjadi beberapa berkas."
            self.problems.append(problem(self.source, None, "", "", reason))
            return None
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            reason = "Berkas berformat UTF-16; simpan sebagai UTF-8."
            self.problems.append(problem(self.source, None, "", "", reason))
            return None
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            start = data.rfind(b"\n", 0, error.start) + 1
            shown = data[start : error.start + 20].split(b"\n", 1)[0].decode("utf-8", errors="replace")
            reason = (
                f"Berkas bukan UTF-8: baris {line} berisi huruf yang tidak terbaca; simpan sebagai UTF-8."
            )
            self.problems.append(problem(self.source, line, "", shown, reason))
            return None

    def _yaml_entries(self, root: yaml.Node | None) -> yaml.SequenceNode | None:
        """The list of entries: the file's top-level list, or the list under its `kompetensi`/`standar` key."""
        key = YAML_LISTS[self.kind]
        if isinstance(root, yaml.SequenceNode):
            return root
        if isinstance(root, yaml.MappingNode):
            for key_node, value in root.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                    if isinstance(value, yaml.SequenceNode):
                        return value
                    reason = f"'{key}' harus berisi daftar entri (setiap entri diawali '- ')."
                    self.problems.append(problem(self.source, value.start_mark.line + 1, key, "", reason))
                    return None
        reason = f"Berkas YAML harus berisi daftar '{key}:' berisi entri (lihat docs/competency.md)."
        line = root.start_mark.line + 1 if root is not None else None
        self.problems.append(problem(self.source, line, "", "", reason))
        return None

    def _yaml_entry(
        self, number: int, node: yaml.Node, columns: tuple[str, ...], limits: Limits, seen: set[int]
    ) -> tuple[Origin, dict[str, str | tuple[str, ...]] | None, tuple[Problem, ...]]:
        """One entry's fields as cells (text, or a tuple for a list), with what is wrong with their values."""
        origin = Origin(node.start_mark.line + 1, number)
        if not isinstance(node, yaml.MappingNode):
            reason = "Setiap entri harus berisi pasangan 'kolom: nilai'."
            return origin, None, (origin.problem(self.source, "", "", reason),)
        cells: dict[str, str | tuple[str, ...]] = {}
        lines: dict[str, int] = {}
        found: list[Problem] = []
        origin = Origin(origin.row, number, lines)
        for key_node, value_node in node.value:
            name = key_node.value.strip().lower() if isinstance(key_node, yaml.ScalarNode) else ""
            lines[name] = value_node.start_mark.line + 1
            if name in cells:
                reason = f"Kolom '{display_value(name)}' ditulis dua kali dalam satu entri."
                found.append(origin.problem(self.source, name, "", reason))
                continue
            if name not in columns:
                reason = f"Kolom '{display_value(name)}' tidak dikenal dan diabaikan."
                self.warnings.append(origin.problem(self.source, name, "", reason))
                continue
            value, reason_text = _yaml_value(value_node, limits.max_field, seen)
            if reason_text:
                found.append(origin.problem(self.source, name, _shown(value), reason_text))
            cells[name] = value
        return origin, cells, tuple(found)


def _yaml_value(node: yaml.Node, max_field: int, seen: set[int]) -> tuple[str | tuple[str, ...], str | None]:
    """A field's value as text (or a tuple of texts for a list), and why it cannot be used, if it cannot."""
    if id(node) in seen:
        return "", "Jangkar dan alias YAML (& dan *) tidak didukung; tulis nilainya langsung."
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node, max_field)
    if isinstance(node, yaml.SequenceNode):
        items: list[str] = []
        for item in node.value:
            if id(item) in seen or not isinstance(item, yaml.ScalarNode):
                return "", "Daftar hanya boleh berisi teks."
            seen.add(id(item))
            text, reason = _scalar(item, max_field)
            if reason:
                return text, reason
            items.append(text)
        return tuple(items), None
    return "", "Harus berupa teks (atau daftar teks untuk indikator), bukan pasangan 'kolom: nilai'."


def _scalar(node: yaml.ScalarNode, max_field: int) -> tuple[str, str | None]:
    """The text as written: an empty or `~`/`null` plain value is empty; line breaks of a block become spaces."""
    if node.style is None and node.tag == "tag:yaml.org,2002:null":
        return "", None
    text = " ".join(node.value.replace("\r", "\n").split("\n")).strip(" \u00a0")
    return text, cell_problem(text, max_field)


def _shown(value: str | tuple[str, ...]) -> str:
    return value if isinstance(value, str) else f"{INDICATOR_SEPARATOR} ".join(value)
