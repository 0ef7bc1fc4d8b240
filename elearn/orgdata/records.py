"""The import files (units, positions, people, mentorships): their columns and how rows become records."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from elearn.orgdata.dates import read_date
from elearn.people.mentoring import periods_overlap
from elearn.people.nip import NI_PPPK_KIND, NIP_KIND, identifier_problem

CODE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,49}", re.ASCII)
EMAIL_PATTERN = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,63}",
    re.ASCII,
)
NAME_MAX = 200
GRADE_MAX = 50
EMAIL_MAX = 254
POSITION_KINDS = ("struktural", "fungsional", "pelaksana")
EMPLOYMENTS = ("PNS", "PPPK")
LOCALES = ("id", "en")
# Indonesian role names accepted in `peran`. Administrators are never granted by a file: only by hand.
ROLE_NAMES = {"pegawai": "employee", "mentor": "mentor", "pengajar": "trainer", "atasan": "supervisor"}
ROLE_SEPARATORS = re.compile(r"[;,|]")
YES = {"ya", "y", "1", "true", "aktif"}
NO = {"tidak", "t", "0", "false", "nonaktif"}

Report = Callable[[str, str], None]


@dataclass(frozen=True, slots=True)
class UnitRecord:
    """One unit kerja row."""

    row: int
    code: str
    name: str
    parent_code: str | None
    head_nip: str | None


@dataclass(frozen=True, slots=True)
class PositionRecord:
    """One jabatan row."""

    row: int
    code: str
    name: str
    kind: str
    grade: str | None


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """One pegawai row; `email` is lower-cased so uniqueness ignores case."""

    row: int
    nip: str
    id_kind: str
    name: str
    email: str | None
    unit_code: str | None
    position_code: str | None
    employment: str
    roles: frozenset[str]
    active: bool
    locale: str | None
    unit_since: date | None = None
    """TMT unit: the day the person joined their unit, when the file says."""


@dataclass(frozen=True, slots=True)
class MentorshipRecord:
    """One bimbingan row: `mentor_nip` guides `mentee_nip` from `starts_on` until `ends_on` (inclusive)."""

    row: int
    mentor_nip: str
    mentee_nip: str
    starts_on: date
    ends_on: date | None

    @property
    def key(self) -> tuple[str, str, date]:
        """What identifies a mentorship, in the file and in the database."""
        return (self.mentor_nip, self.mentee_nip, self.starts_on)

    def overlaps(self, starts_on: date, ends_on: date | None) -> bool:
        """Whether this period shares a day with another (an empty end runs forever)."""
        return periods_overlap(self.starts_on, self.ends_on, starts_on, ends_on)


Record = UnitRecord | PositionRecord | PersonRecord | MentorshipRecord
# A problem found by comparing a clean row with the clean rows before it: (column, reason).
RowProblem = tuple[str, str]
# Checks each clean record against the earlier ones of the same file, keeping what it needs to remember.
EarlierRowsRule = Callable[[Record], Iterator[RowProblem]]


def _no_earlier_rows_rule() -> EarlierRowsRule:
    """Most kinds have no rule that spans rows beyond their unique columns."""

    def check(record: Record) -> Iterator[RowProblem]:
        yield from ()

    return check


@dataclass(frozen=True)
class FileKind:
    """What one kind of import file holds: its columns, which are required, which must be unique, and which
    problems only show when a row is compared with the rows before it (a fresh rule per file read)."""

    name: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    unique: tuple[str, ...]
    convert: Callable[[int, Mapping[str, str], Report, date], Record | None]
    earlier_rows_rule: Callable[[], EarlierRowsRule] = _no_earlier_rows_rule


def _filled(row: Mapping[str, str], column: str, report: Report, *, required: bool) -> str:
    """The cell's value; an empty one is reported when the column is required."""
    value = row.get(column, "")
    if not value and required:
        report(column, "Wajib diisi.")
    return value


def _code(row: Mapping[str, str], column: str, report: Report, *, required: bool) -> str | None:
    value = _filled(row, column, report, required=required)
    if not value:
        return None
    if not CODE_PATTERN.fullmatch(value):
        report(
            column,
            "Kode hanya boleh huruf, angka, titik, garis miring, tanda hubung atau garis bawah "
            "(paling banyak 50 karakter) dan diawali huruf atau angka.",
        )
        return None
    return sys.intern(value)  # codes repeat on many rows: keep one copy of each


def _text(row: Mapping[str, str], column: str, report: Report, *, limit: int, required: bool) -> str | None:
    value = _filled(row, column, report, required=required)
    if not value:
        return None
    if len(value) > limit:
        report(column, f"Terlalu panjang ({len(value)} karakter; paling banyak {limit}).")
        return None
    return value


def _any_identifier(
    row: Mapping[str, str], column: str, report: Report, today: date, *, required: bool
) -> str | None:
    """A head or mentor may be PNS or PPPK: accept either identifier, explaining the NIP rule if both fail."""
    value = _filled(row, column, report, required=required)
    if not value:
        return None
    if identifier_problem(value, NI_PPPK_KIND, today=today) is None:
        return value
    reason = identifier_problem(value, NIP_KIND, today=today)
    if reason:
        report(column, reason)
        return None
    return value


def convert_unit(number: int, row: Mapping[str, str], report: Report, today: date) -> UnitRecord | None:
    """A unit row, or None after reporting what is wrong."""
    check = _Counter(report)
    code = _code(row, "kode_unit", check, required=True)
    name = _text(row, "nama_unit", check, limit=NAME_MAX, required=True)
    parent = _code(row, "kode_induk", check, required=False)
    head_nip = _any_identifier(row, "nip_kepala", check, today, required=False)
    if code is not None and parent == code:
        check("kode_induk", "Unit tidak boleh menjadi induk dirinya sendiri.")
    if check.count or code is None or name is None:
        return None
    return UnitRecord(row=number, code=code, name=name, parent_code=parent, head_nip=head_nip)


def convert_position(
    number: int, row: Mapping[str, str], report: Report, today: date
) -> PositionRecord | None:
    """A position row, or None after reporting what is wrong."""
    check = _Counter(report)
    code = _code(row, "kode_jabatan", check, required=True)
    name = _text(row, "nama_jabatan", check, limit=NAME_MAX, required=True)
    kind = row.get("jenis", "").lower()
    if kind not in POSITION_KINDS:
        check("jenis", f"Jenis jabatan harus salah satu dari: {', '.join(POSITION_KINDS)}.")
    grade = _text(row, "kelas", check, limit=GRADE_MAX, required=False)
    if check.count or code is None or name is None:
        return None
    return PositionRecord(row=number, code=code, name=name, kind=kind, grade=grade)


def convert_person(number: int, row: Mapping[str, str], report: Report, today: date) -> PersonRecord | None:
    """A person row, or None after reporting what is wrong."""
    check = _Counter(report)
    employment = (row.get("status_kepegawaian") or "PNS").upper()
    if employment not in EMPLOYMENTS:
        check("status_kepegawaian", "Status kepegawaian harus PNS atau PPPK.")
    id_kind = (row.get("jenis_identitas") or (NI_PPPK_KIND if employment == "PPPK" else NIP_KIND)).lower()
    nip = row.get("nip", "")
    if id_kind not in (NIP_KIND, NI_PPPK_KIND):
        check("jenis_identitas", "Jenis identitas harus 'nip' atau 'ni_pppk'.")
    else:
        reason = identifier_problem(nip, id_kind, today=today)
        if reason:
            check("nip", reason)
        if (id_kind == NI_PPPK_KIND) != (employment == "PPPK") and employment in EMPLOYMENTS:
            check("jenis_identitas", "NI PPPK hanya untuk pegawai PPPK, dan NIP hanya untuk PNS.")
    name = _text(row, "nama", check, limit=NAME_MAX, required=True)
    email = _email(row.get("email", ""), check)
    unit_code = _code(row, "kode_unit", check, required=False)
    position_code = _code(row, "kode_jabatan", check, required=False)
    roles = _roles(row.get("peran", ""), check)
    active = _yes_no(row.get("aktif", ""), check)
    locale = (row.get("bahasa") or "").lower() or None
    if locale is not None and locale not in LOCALES:
        check("bahasa", "Bahasa harus 'id' atau 'en' (atau dikosongkan).")
    unit_since = _date(row, "tmt_unit", check, required=False)
    if unit_since is not None and unit_since > today:
        check("tmt_unit", f"Tanggal masuk unit sesudah hari ini ({today:%d/%m/%Y}).")
    if check.count or name is None:
        return None
    return PersonRecord(
        row=number,
        nip=nip,
        id_kind=sys.intern(id_kind),  # one copy of each small word, not one per row
        name=name,
        email=email,
        unit_code=unit_code,
        position_code=position_code,
        employment=sys.intern(employment),
        roles=roles,
        active=active,
        locale=sys.intern(locale) if locale else None,
        unit_since=unit_since,
    )


def convert_mentorship(
    number: int, row: Mapping[str, str], report: Report, today: date
) -> MentorshipRecord | None:
    """A mentorship row, or None after reporting what is wrong."""
    check = _Counter(report)
    mentor = _any_identifier(row, "nip_mentor", check, today, required=True)
    mentee = _any_identifier(row, "nip_mentee", check, today, required=True)
    if mentor is not None and mentor == mentee:
        check("nip_mentee", "Mentor dan mentee tidak boleh orang yang sama.")
    starts_on = _date(row, "mulai", check, required=True)
    ends_on = _date(row, "selesai", check, required=False)
    if starts_on and ends_on and ends_on < starts_on:
        check("selesai", f"Tanggal selesai sebelum tanggal mulai ({starts_on:%d/%m/%Y}).")
    if check.count or mentor is None or mentee is None or starts_on is None:
        return None
    return MentorshipRecord(
        row=number, mentor_nip=mentor, mentee_nip=mentee, starts_on=starts_on, ends_on=ends_on
    )


def mentorship_clash_rule() -> EarlierRowsRule:
    """Rows repeating or overlapping an earlier row of the same mentor and mentee, naming that earlier row."""
    earlier_by_pair: dict[tuple[str, str], list[MentorshipRecord]] = {}

    def check(record: Record) -> Iterator[RowProblem]:
        if not isinstance(record, MentorshipRecord):
            return
        earlier = earlier_by_pair.setdefault((record.mentor_nip, record.mentee_nip), [])
        twin = next((e for e in earlier if e.starts_on == record.starts_on), None)
        overlapped = next((e for e in earlier if record.overlaps(e.starts_on, e.ends_on)), None)
        earlier.append(record)
        if twin is not None:
            yield (
                "mulai",
                f"Mentor, mentee dan tanggal mulai sama dengan baris {twin.row}; "
                "satu bimbingan hanya boleh satu baris.",
            )
        elif overlapped is not None:
            yield (
                "mulai",
                f"Masa bimbingan tumpang tindih dengan baris {overlapped.row} (mentor dan mentee sama).",
            )

    return check


class _Counter:
    """Forwards reports and counts them, so a converter knows whether its row is clean."""

    def __init__(self, report: Report) -> None:
        self._report = report
        self.count = 0

    def __call__(self, column: str, reason: str) -> None:
        self.count += 1
        self._report(column, reason)


def _email(value: str, report: Report) -> str | None:
    if not value:
        return None
    if len(value) > EMAIL_MAX or not EMAIL_PATTERN.fullmatch(value):
        report("email", "Alamat e-mail tidak sah (contoh yang benar: nama@instansi.go.id).")
        return None
    return value.lower()


def _roles(value: str, report: Report) -> frozenset[str]:
    roles, unknown = _read_roles(value)
    if unknown:
        report("peran", f"Peran tidak dikenal: {', '.join(unknown)}; pilihan: {', '.join(ROLE_NAMES)}.")
    return roles


@lru_cache(maxsize=256)
def _read_roles(value: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """The roles a `peran` cell names and its unknown names; cached, so equal cells share one set."""
    names = {part.strip().lower() for part in ROLE_SEPARATORS.split(value) if part.strip()} or {"pegawai"}
    unknown = tuple(sorted(names - ROLE_NAMES.keys()))
    return frozenset(ROLE_NAMES[name] for name in names if name in ROLE_NAMES), unknown


def _date(row: Mapping[str, str], column: str, report: Report, *, required: bool) -> date | None:
    value = _filled(row, column, report, required=required)
    if not value:
        return None
    parsed, reason = read_date(value)
    if reason:
        report(column, reason)
    return parsed


def _yes_no(value: str, report: Report) -> bool:
    lowered = value.lower()
    if not lowered or lowered in YES:
        return True
    if lowered in NO:
        return False
    report("aktif", "Isi 'ya' atau 'tidak' (kosong berarti ya).")
    return True


UNITS = FileKind(
    name="units",
    columns=("kode_unit", "nama_unit", "kode_induk", "nip_kepala"),
    required=("kode_unit", "nama_unit"),
    unique=("kode_unit",),
    convert=convert_unit,
)
POSITIONS = FileKind(
    name="positions",
    columns=("kode_jabatan", "nama_jabatan", "jenis", "kelas"),
    required=("kode_jabatan", "nama_jabatan", "jenis"),
    unique=("kode_jabatan",),
    convert=convert_position,
)
PEOPLE = FileKind(
    name="people",
    columns=(
        "nip",
        "jenis_identitas",
        "nama",
        "email",
        "kode_unit",
        "kode_jabatan",
        "status_kepegawaian",
        "peran",
        "aktif",
        "bahasa",
        "tmt_unit",
    ),
    required=("nip", "nama"),
    unique=("nip", "email"),
    convert=convert_person,
)
MENTORSHIPS = FileKind(
    name="mentorships",
    columns=("nip_mentor", "nip_mentee", "mulai", "selesai"),
    required=("nip_mentor", "nip_mentee", "mulai"),
    unique=(),
    convert=convert_mentorship,
    earlier_rows_rule=mentorship_clash_rule,
)
FILE_KINDS = {kind.name: kind for kind in (UNITS, POSITIONS, PEOPLE, MENTORSHIPS)}
