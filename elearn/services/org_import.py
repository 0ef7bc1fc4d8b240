"""Applying parsed organisation files to the database: all or nothing, idempotent, and fast at ministry scale.

Every check (references between files and to the database, cycles, e-mail owners, overlapping mentorships)
runs before the first write; one bad row refuses the whole import. Stored rows are read as plain tuples, people
a chunk at a time (an IN query per chunk of the file, never one SELECT per row and never the whole table), and
only the fields whose value changes are written, with set-based Core statements (one executemany per set of
changed columns), so a repeated import issues no UPDATE and 300,000 people fit in a few hundred megabytes.
People not named in a file are left alone; administrators' `admin` role is never removed by an import, and a
mentor named in a mentorship file always keeps (or gains) the `mentor` role. A person's `unit_since` (TMT unit,
which "N days after joining the unit" due dates count from) is the file's `tmt_unit` when it has one, otherwise
the import's day whenever the import places the person in a new unit. Everyone whose position the import sets or
changes gets their standing against the position's standard rebuilt in the same transaction. The caller commits;
ORM objects of the session are expired after writing, since the rows changed under them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Table, bindparam, select
from sqlalchemy.orm import Session

from elearn.models import Mentorship, Person, PersonRole, Position, Role, Unit
from elearn.orgdata import (
    NO_PROGRESS,
    MentorshipRecord,
    ParsedFile,
    PersonRecord,
    PositionRecord,
    Problem,
    Progress,
    UnitRecord,
)
from elearn.orgdata.problems import problem
from elearn.services.audit import record
from elearn.services.bulk import WRITE_CHUNK, chunks, index_lookups, insert_rows, update_rows
from elearn.services.competency_standing import refresh_standings

KINDS = ("units", "positions", "people", "mentorships")
ROLES_KEPT_ON_IMPORT = frozenset({Role.ADMIN.value})
# Values per IN list: small enough for any database's parameter limit.
LOOKUP_CHUNK = 900

# Which header columns carry each field: a field whose column is absent from the file is never touched.
UNIT_FIELD_COLUMNS = {"name": {"nama_unit"}, "parent_code": {"kode_induk"}, "head_nip": {"nip_kepala"}}
POSITION_FIELD_COLUMNS = {"name": {"nama_jabatan"}, "kind": {"jenis"}, "grade": {"kelas"}}
PERSON_FIELD_COLUMNS = {
    "name": {"nama"},
    "id_kind": {"jenis_identitas", "status_kepegawaian"},
    "email": {"email"},
    "unit_code": {"kode_unit"},
    "position_code": {"kode_jabatan"},
    "employment": {"status_kepegawaian"},
    "roles": {"peran"},
    "active": {"aktif"},
    "locale": {"bahasa"},
}
MENTORSHIP_FIELD_COLUMNS = {"ends_on": {"selesai"}}
RecordT = TypeVar("RecordT", UnitRecord, PositionRecord, PersonRecord, MentorshipRecord)
MentorshipKey = tuple[str, str, date]


def _table(model: type[Unit | Position | Person | PersonRole | Mentorship]) -> Table:
    """A model's Core table, for set-based statements that bypass the unit of work."""
    return model.metadata.tables[model.__tablename__]


UNIT_TABLE = _table(Unit)
POSITION_TABLE = _table(Position)
PERSON_TABLE = _table(Person)
ROLE_TABLE = _table(PersonRole)
MENTORSHIP_TABLE = _table(Mentorship)


class StoredUnit(NamedTuple):
    """A unit as the database holds it."""

    id: int
    code: str
    name: str
    parent_id: int | None
    path: str
    depth: int
    head_id: int | None


class StoredPosition(NamedTuple):
    """A position as the database holds it."""

    id: int
    code: str
    name: str
    kind: str
    grade: str | None


class StoredPerson(NamedTuple):
    """The fields of a stored person that an import compares."""

    id: int
    nip: str
    name: str
    id_kind: str
    email: str | None
    unit_id: int | None
    position_id: int | None
    employment: str
    active: bool
    locale: str | None
    unit_since: date | None


class StoredMentorship(NamedTuple):
    """A stored mentorship of a pair the file names."""

    id: int
    ends_on: date | None


@dataclass(frozen=True)
class KindCounts:
    """How many rows of one kind an import creates, updates or leaves unchanged; for mentorships also how
    many mentors it gives the `mentor` role they lacked."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    roles_granted: int = 0


@dataclass(frozen=True)
class ImportReport:
    """The outcome of an import (or of its dry run)."""

    counts: Mapping[str, KindCounts]
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    dry_run: bool

    @property
    def refused(self) -> bool:
        """Any problem refuses the whole import."""
        return bool(self.problems)

    @property
    def applied(self) -> bool:
        """Whether the database was changed (the caller still commits)."""
        return not self.refused and not self.dry_run


@dataclass
class _Known:
    """What the database holds that this import compares with or refers to, loaded once per import."""

    units: dict[str, StoredUnit] = field(default_factory=dict)
    unit_codes: dict[int, str] = field(default_factory=dict)
    positions: dict[str, StoredPosition] = field(default_factory=dict)
    position_codes: dict[int, str] = field(default_factory=dict)
    # People the unit and mentorship files name (heads, mentors, mentees): NIP -> id, stored or just created.
    people_ids: dict[str, int] = field(default_factory=dict)
    head_nips: dict[int, str] = field(default_factory=dict)
    mentors_with_role: set[str] = field(default_factory=set)
    mentorships: dict[MentorshipKey, StoredMentorship] = field(default_factory=dict)


@dataclass
class _PeoplePlan:
    """What writing the people file will do, decided while checking it against the database."""

    new: list[PersonRecord] = field(default_factory=list)
    changed: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    roles_added: list[tuple[int, str]] = field(default_factory=list)
    roles_removed: list[tuple[int, str]] = field(default_factory=list)
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class _Files:
    """The records of each kind, with the file name they came from."""

    units: tuple[UnitRecord, ...]
    positions: tuple[PositionRecord, ...]
    people: tuple[PersonRecord, ...]
    mentorships: tuple[MentorshipRecord, ...]
    sources: Mapping[str, str]
    columns: Mapping[str, frozenset[str]]
    today: date

    @cached_property
    def mentor_nips(self) -> frozenset[str]:
        """Everyone the mentorship file names as a mentor: they must hold the `mentor` role."""
        return frozenset(m.mentor_nip for m in self.mentorships)

    @cached_property
    def named_nips(self) -> frozenset[str]:
        """The people the unit and mentorship files refer to (heads, mentors, mentees)."""
        return frozenset(u.head_nip for u in self.units if u.head_nip) | {
            nip for m in self.mentorships for nip in (m.mentor_nip, m.mentee_nip)
        }

    @cached_property
    def named_people(self) -> dict[str, PersonRecord]:
        """The people file's rows of the people the other files refer to."""
        named = self.named_nips
        return {p.nip: p for p in self.people if p.nip in named} if named else {}

    @cached_property
    def unit_codes(self) -> frozenset[str]:
        return frozenset(u.code for u in self.units)

    @cached_property
    def position_codes(self) -> frozenset[str]:
        return frozenset(p.code for p in self.positions)


def import_org(
    session: Session,
    *,
    files: Sequence[ParsedFile],
    today: date,
    dry_run: bool = False,
    actor: Person | None = None,
    ip: str | None = None,
    progress: Progress = NO_PROGRESS,
) -> ImportReport:
    """Validate `files` together against the database, then (unless refused or a dry run) write them; `today`
    is the day a person moved into a unit when the file gives no `tmt_unit`."""
    by_kind = {parsed.kind.name: parsed for parsed in files}
    if len(by_kind) != len(files):
        raise ValueError("at most one file of each kind per import")
    parsed = _Files(
        units=_records(by_kind, "units", UnitRecord),
        positions=_records(by_kind, "positions", PositionRecord),
        people=_records(by_kind, "people", PersonRecord),
        mentorships=_records(by_kind, "mentorships", MentorshipRecord),
        sources={kind: f.source for kind, f in by_kind.items()},
        columns={kind: f.columns for kind, f in by_kind.items()},
        today=today,
    )
    warnings = tuple(w for f in files for w in f.warnings)
    problems = [p for f in files for p in f.problems]
    progress.start("check", len(parsed.people) + len(parsed.units) + len(parsed.mentorships))
    with index_lookups(session):
        known = _load_known(session, parsed)
        depths, cross_problems = _check_units(parsed, known)
        people_plan, people_problems = _check_people(session, parsed, known, progress)
        cross_problems.extend(people_problems)
        cross_problems.sort(key=lambda p: (p.source, p.row or 0))
        problems.extend(cross_problems)
        problems.extend(_mentorship_problems(parsed, known))
        progress.advance(len(parsed.units) + len(parsed.mentorships))
        counts = _count(parsed, known, people_plan)
        report = ImportReport(counts=counts, problems=tuple(problems), warnings=warnings, dry_run=dry_run)
        if report.applied:
            _apply(session, parsed, known, people_plan, depths, progress)
            record(
                session,
                actor=actor,
                action="import-org",
                ip=ip,
                files=dict(parsed.sources),
                counts={kind: vars(c) for kind, c in counts.items()},
            )
            session.flush()
    if report.applied:
        session.expire_all()
    return report


def _records(by_kind: Mapping[str, ParsedFile], kind: str, record_type: type[RecordT]) -> tuple[RecordT, ...]:
    parsed = by_kind.get(kind)
    return tuple(r for r in parsed.records if isinstance(r, record_type)) if parsed else ()


def _in_chunks(values: Iterable[Any]) -> Iterator[list[Any]]:
    """Values in lists short enough for one IN query."""
    return chunks(values, LOOKUP_CHUNK)


def _load_known(session: Session, files: _Files) -> _Known:
    """Units and positions entirely (they are few); people only as far as the unit and mentorship files name
    them (the people file itself is compared a chunk at a time)."""
    known = _Known()
    for unit in session.execute(select(*(UNIT_TABLE.c[name] for name in StoredUnit._fields))):
        stored = StoredUnit(*unit)
        known.units[stored.code] = stored
        known.unit_codes[stored.id] = stored.code
    for position in session.execute(select(*(POSITION_TABLE.c[name] for name in StoredPosition._fields))):
        stored_position = StoredPosition(*position)
        known.positions[stored_position.code] = stored_position
        known.position_codes[stored_position.id] = stored_position.code
    for chunk in _in_chunks(files.named_nips):
        known.people_ids.update(
            session.execute(select(Person.nip, Person.id).where(Person.nip.in_(chunk))).all()
        )
    head_ids = {known.units[u.code].head_id for u in files.units if u.code in known.units} - {None}
    for chunk in _in_chunks(head_ids):
        known.head_nips.update(
            session.execute(select(Person.id, Person.nip).where(Person.id.in_(chunk))).all()
        )
    for chunk in _in_chunks(files.mentor_nips & known.people_ids.keys()):
        holders = (
            select(Person.nip)
            .join(PersonRole, PersonRole.person_id == Person.id)
            .where(Person.nip.in_(chunk), PersonRole.role == Role.MENTOR.value)
        )
        known.mentors_with_role.update(session.scalars(holders))
    _load_mentorships(session, files, known)
    return known


def _load_mentorships(session: Session, files: _Files, known: _Known) -> None:
    """The stored mentorships of the pairs the mentorship file names, keyed like its rows."""
    pairs = {(m.mentor_nip, m.mentee_nip) for m in files.mentorships}
    nip_of = {person_id: nip for nip, person_id in known.people_ids.items()}
    mentor_ids = {known.people_ids[nip] for nip in files.mentor_nips if nip in known.people_ids}
    for chunk in _in_chunks(mentor_ids):
        links = select(
            Mentorship.id,
            Mentorship.mentor_id,
            Mentorship.mentee_id,
            Mentorship.starts_on,
            Mentorship.ends_on,
        ).where(Mentorship.mentor_id.in_(chunk))
        for link_id, mentor_id, mentee_id, starts_on, ends_on in session.execute(links):
            pair = (nip_of[mentor_id], nip_of.get(mentee_id, ""))
            if pair in pairs:
                known.mentorships[(*pair, starts_on)] = StoredMentorship(link_id, ends_on)


def _person_exists(nip: str, files: _Files, known: _Known) -> bool:
    """Whether a NIP the unit or mentorship file names is in the people file or in the database."""
    return nip in known.people_ids or nip in files.named_people


def _check_units(files: _Files, known: _Known) -> tuple[dict[str, int], list[Problem]]:
    """Parents, heads and cycles, which only the whole import can settle; also each file unit's final depth."""
    problems: list[Problem] = []
    source = files.sources.get("units", "")
    unit_codes = known.units.keys() | files.unit_codes
    for unit in files.units:
        if unit.parent_code and unit.parent_code not in unit_codes:
            problems.append(
                problem(
                    source,
                    unit.row,
                    "kode_induk",
                    unit.parent_code,
                    "Unit induk tidak ada di berkas ini maupun di basis data.",
                )
            )
        if unit.head_nip and not _person_exists(unit.head_nip, files, known):
            problems.append(
                problem(
                    source,
                    unit.row,
                    "nip_kepala",
                    unit.head_nip,
                    "Kepala unit tidak ditemukan: NIP ini tidak ada di berkas pegawai maupun di basis data.",
                )
            )
    depths, cycles = _final_depths(files, known)
    for unit in files.units:
        if unit.code in cycles:
            problems.append(
                problem(
                    source,
                    unit.row,
                    "kode_induk",
                    unit.parent_code or "",
                    f"Susunan induk membentuk lingkaran: {cycles[unit.code]}.",
                )
            )
    return depths, problems


def _check_people(
    session: Session, files: _Files, known: _Known, progress: Progress
) -> tuple[_PeoplePlan, list[Problem]]:
    """Compare the people file with the database a chunk at a time: references, e-mail owners, and the plan of
    what to insert and which fields to change."""
    plan = _PeoplePlan()
    problems: list[Problem] = []
    source = files.sources.get("people", "")
    unit_codes = known.units.keys() | files.unit_codes
    position_codes = known.positions.keys() | files.position_codes
    compares_roles = "peran" in files.columns.get("people", frozenset())
    for chunk in _in_chunks(files.people):
        stored = _stored_people(session, [p.nip for p in chunk])
        roles = _stored_roles(session, [s.id for s in stored.values()]) if compares_roles else {}
        # A person keeping their own address cannot clash; only new and changed addresses are looked up.
        emails = [p.email for p in chunk if p.email and p.email != getattr(stored.get(p.nip), "email", None)]
        owners: dict[str, str] = {}
        if emails:
            # Stored e-mail addresses are lower case (a CHECK constraint), so the unique index answers this.
            found = session.execute(select(Person.email, Person.nip).where(Person.email.in_(emails)))
            owners.update((email, nip) for email, nip in found if email)
        for person in chunk:
            problems.extend(_reference_problems(person, source, unit_codes, position_codes, owners))
            current = stored.get(person.nip)
            if current is None:
                plan.new.append(person)
                continue
            current_roles = roles.get(current.id, frozenset())
            changes = _person_changes(person, current, current_roles, files, known)
            if not changes:
                plan.unchanged += 1
                continue
            plan.updated += 1
            wanted_roles = changes.pop("roles", None)
            if wanted_roles is not None:
                plan.roles_added.extend((current.id, r) for r in sorted(wanted_roles - current_roles))
                plan.roles_removed.extend((current.id, r) for r in sorted(current_roles - wanted_roles))
            if changes:
                plan.changed.append((current.id, changes))
        progress.advance(len(chunk))
    return plan, problems


def _stored_people(session: Session, nips: list[str]) -> dict[str, StoredPerson]:
    columns = [PERSON_TABLE.c[name] for name in StoredPerson._fields]
    rows = session.execute(select(*columns).where(PERSON_TABLE.c.nip.in_(nips)))
    return {row.nip: StoredPerson(*row) for row in rows}


def _stored_roles(session: Session, person_ids: list[int]) -> dict[int, frozenset[str]]:
    if not person_ids:
        return {}
    held: dict[int, set[str]] = {}
    for person_id, role in session.execute(
        select(PersonRole.person_id, PersonRole.role).where(PersonRole.person_id.in_(person_ids))
    ):
        held.setdefault(person_id, set()).add(role)
    return {person_id: frozenset(names) for person_id, names in held.items()}


def _reference_problems(
    person: PersonRecord,
    source: str,
    unit_codes: Iterable[str],
    position_codes: Iterable[str],
    email_owners: Mapping[str, str],
) -> Iterator[Problem]:
    """A unit or position that exists nowhere, or an e-mail address another person already uses."""
    if person.unit_code and person.unit_code not in unit_codes:
        yield problem(
            source,
            person.row,
            "kode_unit",
            person.unit_code,
            "Unit tidak ada di berkas unit maupun di basis data.",
        )
    if person.position_code and person.position_code not in position_codes:
        yield problem(
            source,
            person.row,
            "kode_jabatan",
            person.position_code,
            "Jabatan tidak ada di berkas jabatan maupun di basis data.",
        )
    owner = email_owners.get(person.email or "")
    if owner and owner != person.nip:
        yield problem(
            source,
            person.row,
            "email",
            person.email or "",
            f"E-mail ini sudah dipakai pegawai lain (NIP {owner}).",
        )


def _mentorship_problems(files: _Files, known: _Known) -> list[Problem]:
    """Unknown people, and periods overlapping a stored mentorship of the same pair that the file keeps."""
    source = files.sources.get("mentorships", "")
    replaced = {m.key for m in files.mentorships}
    kept_by_pair: dict[tuple[str, str], list[tuple[date, date | None]]] = {}
    for key, link in known.mentorships.items():
        if key not in replaced:
            kept_by_pair.setdefault(key[:2], []).append((key[2], link.ends_on))
    problems: list[Problem] = []
    for mentorship in files.mentorships:
        for column, nip in (("nip_mentor", mentorship.mentor_nip), ("nip_mentee", mentorship.mentee_nip)):
            if not _person_exists(nip, files, known):
                reason = "Pegawai dengan NIP ini tidak ada di berkas pegawai maupun di basis data."
                problems.append(problem(source, mentorship.row, column, nip, reason))
        pair = (mentorship.mentor_nip, mentorship.mentee_nip)
        for starts_on, ends_on in kept_by_pair.get(pair, ()):
            if mentorship.overlaps(starts_on, ends_on):
                ends = f"selesai {ends_on:%d/%m/%Y}" if ends_on else "tanpa tanggal selesai"
                reason = (
                    "Masa bimbingan tumpang tindih dengan bimbingan tersimpan "
                    f"(mulai {starts_on:%d/%m/%Y}, {ends}); untuk mengakhirinya, tambahkan baris "
                    "bimbingan itu dengan tanggal selesai baru di berkas ini."
                )
                problems.append(problem(source, mentorship.row, "mulai", f"{mentorship.starts_on}", reason))
                break
    return problems


def _final_parents(files: _Files, known: _Known) -> dict[str, str | None]:
    """Each unit's parent code as the import leaves it: the file's `kode_induk` when it has the column."""
    parent_of: dict[str, str | None] = {
        code: known.unit_codes.get(unit.parent_id) if unit.parent_id else None
        for code, unit in known.units.items()
    }
    if "kode_induk" in files.columns.get("units", frozenset()):
        parent_of.update({u.code: u.parent_code for u in files.units})
    else:
        parent_of.update({u.code: None for u in files.units if u.code not in parent_of})
    return parent_of


def _final_depths(files: _Files, known: _Known) -> tuple[dict[str, int], dict[str, str]]:
    """Each file unit's depth in the tree as the import leaves it, and the cycles (code -> "A → B → A")."""
    parent_of = _final_parents(files, known)
    depths: dict[str, int] = {}
    cycles: dict[str, str] = {}
    for start in (u.code for u in files.units):
        chain: list[str] = []
        node: str | None = start
        while node is not None and node not in depths and node not in chain and node not in cycles:
            chain.append(node)
            node = parent_of.get(node)
        if node is not None and node in chain:
            loop = chain[chain.index(node) :]
            for member in loop:
                cycles[member] = " → ".join(
                    [*loop[loop.index(member) :], *loop[: loop.index(member)], member]
                )
            continue
        if node is not None and node in cycles:
            continue
        depth = depths[node] if node is not None else -1
        for code in reversed(chain):
            depth += 1
            depths[code] = depth
    return depths, cycles


def _changed(
    wanted: Mapping[str, tuple[Any, Any]], present: frozenset[str], field_columns: Mapping[str, set[str]]
) -> dict[str, Any]:
    """New values of the fields that differ, among those whose column the file has."""
    return {name: new for name, (old, new) in wanted.items() if old != new and field_columns[name] & present}


def _unit_changes(unit: UnitRecord, files: _Files, known: _Known) -> dict[str, Any]:
    """Fields of an existing unit that the file changes (parent and head compared by code and NIP)."""
    current = known.units[unit.code]
    wanted = {
        "name": (current.name, unit.name),
        "parent_code": (
            known.unit_codes.get(current.parent_id) if current.parent_id else None,
            unit.parent_code,
        ),
        "head_nip": (known.head_nips.get(current.head_id) if current.head_id else None, unit.head_nip),
    }
    return _changed(wanted, files.columns["units"], UNIT_FIELD_COLUMNS)


def _position_changes(position: PositionRecord, files: _Files, known: _Known) -> dict[str, Any]:
    current = known.positions[position.code]
    wanted = {
        "name": (current.name, position.name),
        "kind": (current.kind, position.kind),
        "grade": (current.grade, position.grade),
    }
    return _changed(wanted, files.columns["positions"], POSITION_FIELD_COLUMNS)


def _person_roles(person: PersonRecord, current_roles: frozenset[str], files: _Files) -> frozenset[str]:
    """The file's roles, plus any role an import never takes away (admin), plus `mentor` for named mentors."""
    kept = current_roles & ROLES_KEPT_ON_IMPORT
    as_mentor = {Role.MENTOR.value} if person.nip in files.mentor_nips else set()
    return person.roles | kept | as_mentor


def _person_changes(
    person: PersonRecord, current: StoredPerson, current_roles: frozenset[str], files: _Files, known: _Known
) -> dict[str, Any]:
    wanted = {
        "name": (current.name, person.name),
        "id_kind": (current.id_kind, person.id_kind),
        "email": ((current.email or "").lower() or None, person.email),
        "unit_code": (known.unit_codes.get(current.unit_id) if current.unit_id else None, person.unit_code),
        "position_code": (
            known.position_codes.get(current.position_id) if current.position_id else None,
            person.position_code,
        ),
        "employment": (current.employment, person.employment),
        "roles": (current_roles, _person_roles(person, current_roles, files)),
        "active": (current.active, person.active),
        "locale": (current.locale, person.locale),
    }
    changes = _changed(wanted, files.columns["people"], PERSON_FIELD_COLUMNS)
    since = person.unit_since or (files.today if "unit_code" in changes else current.unit_since)
    if since != current.unit_since:
        changes["unit_since"] = since
    return changes


def _count(files: _Files, known: _Known, people: _PeoplePlan) -> dict[str, KindCounts]:
    """Created / updated / unchanged per kind, computed without writing (the dry run's answer)."""
    counts: dict[str, KindCounts] = {}
    for kind, records, existing, changes in (
        ("units", files.units, known.units, _unit_changes),
        ("positions", files.positions, known.positions, _position_changes),
        ("mentorships", files.mentorships, known.mentorships, _mentorship_changes),
    ):
        if kind not in files.sources:
            continue
        created = updated = unchanged = 0
        for r in records:
            if _key(r) not in existing:
                created += 1
            elif changes(r, files, known):  # type: ignore[arg-type]  # each kind with its own comparison
                updated += 1
            else:
                unchanged += 1
        counts[kind] = KindCounts(created=created, updated=updated, unchanged=unchanged)
    if "people" in files.sources:
        counts["people"] = KindCounts(
            created=len(people.new), updated=people.updated, unchanged=people.unchanged
        )
    if "mentorships" in counts:
        counts["mentorships"] = KindCounts(
            **{**vars(counts["mentorships"]), "roles_granted": len(_mentors_lacking_role(files, known))}
        )
    return {kind: counts[kind] for kind in KINDS if kind in counts}


def _key(record: UnitRecord | PositionRecord | MentorshipRecord) -> str | MentorshipKey:
    return record.key if isinstance(record, MentorshipRecord) else record.code


def _mentorship_changes(mentorship: MentorshipRecord, files: _Files, known: _Known) -> dict[str, Any]:
    """A changed end date, the only field of a stored mentorship that its key does not fix."""
    wanted = {"ends_on": (known.mentorships[mentorship.key].ends_on, mentorship.ends_on)}
    return _changed(wanted, files.columns["mentorships"], MENTORSHIP_FIELD_COLUMNS)


def _mentors_lacking_role(files: _Files, known: _Known) -> frozenset[str]:
    """Named mentors holding the `mentor` role neither in the database nor by their row of the people file."""
    with_roles = "peran" in files.columns.get("people", ())
    return frozenset(
        nip
        for nip in files.mentor_nips
        if not (
            with_roles and nip in files.named_people and Role.MENTOR.value in files.named_people[nip].roles
        )
        and nip not in known.mentors_with_role
    )


def _apply(
    session: Session,
    files: _Files,
    known: _Known,
    people: _PeoplePlan,
    depths: Mapping[str, int],
    progress: Progress,
) -> None:
    """Write in dependency order: positions, unit tree, people, unit heads (who may be new people), then
    mentors' roles and mentorships."""
    unit_changes = {u.code: _unit_changes(u, files, known) for u in files.units if u.code in known.units}
    mentor_roles_due = _mentor_roles_due(files, known)
    progress.start(
        "write",
        len(files.positions)
        + len(files.units)
        + len(people.new)
        + len(people.changed)
        + len(files.mentorships),
    )
    _write_positions(session, files, known)
    progress.advance(len(files.positions))
    _write_units(session, files, known, unit_changes)
    progress.advance(len(files.units))
    _write_people(session, files, known, people, progress)
    _write_heads(session, files.units, known, unit_changes)
    insert_rows(
        session,
        ROLE_TABLE,
        ({"person_id": known.people_ids[nip], "role": Role.MENTOR.value} for nip in sorted(mentor_roles_due)),
    )
    _write_mentorships(session, files, known)
    progress.advance(len(files.mentorships))


def _write_positions(session: Session, files: _Files, known: _Known) -> None:
    changes = [
        (known.positions[p.code].id, values)
        for p in files.positions
        if p.code in known.positions and (values := _position_changes(p, files, known))
    ]
    new = {p.code: p for p in files.positions if p.code not in known.positions}
    created = insert_rows(
        session,
        POSITION_TABLE,
        ({"code": p.code, "name": p.name, "kind": p.kind, "grade": p.grade} for p in new.values()),
        returning=("code", "id"),
    )
    for code, position_id in created:
        known.position_codes[position_id] = code
        known.positions[code] = StoredPosition(
            position_id, code, new[code].name, new[code].kind, new[code].grade
        )
    update_rows(session, POSITION_TABLE, changes)


def _write_units(
    session: Session, files: _Files, known: _Known, changes: Mapping[str, Mapping[str, Any]]
) -> None:
    """New units first (for ids), then every unit whose name, parent, path or depth the import changes."""
    parent_of = _final_parents(files, known)
    new = {u.code: u for u in files.units if u.code not in known.units}
    new_rows = ({"code": u.code, "name": u.name, "path": ""} for u in new.values())
    for code, unit_id in insert_rows(session, UNIT_TABLE, new_rows, returning=("code", "id")):
        known.units[code] = StoredUnit(unit_id, code, new[code].name, None, "", 0, None)
        known.unit_codes[unit_id] = code
    names = {u.code: u.name for u in files.units if "name" in changes.get(u.code, {})}
    placed = _tree_places(known, parent_of)
    rows: list[tuple[int, dict[str, Any]]] = []
    for code, unit in known.units.items():
        parent_id, path, depth = placed[code]
        values = {
            name: value
            for name, value in (
                ("name", names.get(code, unit.name)),
                ("parent_id", parent_id),
                ("path", path),
                ("depth", depth),
            )
            if getattr(unit, name) != value
        }
        if values:
            rows.append((unit.id, values))
    update_rows(session, UNIT_TABLE, rows)


def _tree_places(
    known: _Known, parent_of: Mapping[str, str | None]
) -> dict[str, tuple[int | None, str, int]]:
    """(parent id, materialised path, depth) of every unit once the import's parents apply (no cycle left)."""
    placed: dict[str, tuple[int | None, str, int]] = {}
    for start in known.units:
        chain: list[str] = []
        node: str | None = start
        while node is not None and node not in placed:
            chain.append(node)
            node = parent_of.get(node)
        for code in reversed(chain):
            parent = parent_of.get(code)
            unit_id = known.units[code].id
            if parent is None:
                placed[code] = (None, f"/{unit_id}/", 0)
            else:
                _, parent_path, parent_depth = placed[parent]
                placed[code] = (known.units[parent].id, f"{parent_path}{unit_id}/", parent_depth + 1)
    return placed


def _write_people(
    session: Session, files: _Files, known: _Known, plan: _PeoplePlan, progress: Progress
) -> None:
    """New people get no password: an administrator issues activation later."""
    placed_ids: list[int] = []
    for chunk in chunks(plan.new, WRITE_CHUNK):
        created = insert_rows(
            session, PERSON_TABLE, (_person_row(p, files, known) for p in chunk), returning=("nip", "id")
        )
        ids = {nip: person_id for nip, person_id in created}
        placed_ids.extend(ids[p.nip] for p in chunk if p.position_code)
        insert_rows(
            session,
            ROLE_TABLE,
            (
                {"person_id": ids[p.nip], "role": role}
                for p in chunk
                for role in sorted(_person_roles(p, frozenset(), files))
            ),
        )
        known.people_ids.update((nip, ids[nip]) for nip in files.named_people.keys() & ids.keys())
        progress.advance(len(chunk))
    for chunk in chunks(plan.changed, WRITE_CHUNK):
        update_rows(session, PERSON_TABLE, ((person_id, _person_columns(c, known)) for person_id, c in chunk))
        progress.advance(len(chunk))
    _refresh_moved_standings(session, files, plan, placed_ids)
    insert_rows(session, ROLE_TABLE, ({"person_id": p, "role": r} for p, r in plan.roles_added))
    for chunk in chunks(plan.roles_removed, WRITE_CHUNK):
        session.execute(
            ROLE_TABLE.delete().where(
                ROLE_TABLE.c.person_id == bindparam("p"), ROLE_TABLE.c.role == bindparam("r")
            ),
            [{"p": person_id, "r": role} for person_id, role in chunk],
        )


def _refresh_moved_standings(
    session: Session, files: _Files, plan: _PeoplePlan, placed_ids: list[int]
) -> None:
    """Rebuild the standing of everyone the file gives a new position (or none), new people with a position
    included, in the import's transaction, a chunk of ids at a time."""
    if "kode_jabatan" not in files.columns.get("people", frozenset()):
        return
    moved = [person_id for person_id, changes in plan.changed if "position_code" in changes]
    for chunk in _in_chunks([*placed_ids, *moved]):
        refresh_standings(session, person_ids=chunk)


def _person_row(person: PersonRecord, files: _Files, known: _Known) -> dict[str, Any]:
    return {
        "nip": person.nip,
        **_person_columns(
            {
                "name": person.name,
                "id_kind": person.id_kind,
                "email": person.email,
                "unit_code": person.unit_code,
                "position_code": person.position_code,
                "employment": person.employment,
                "active": person.active,
                "locale": person.locale,
                "unit_since": person.unit_since or (files.today if person.unit_code else None),
            },
            known,
        ),
    }


def _person_columns(values: Mapping[str, Any], known: _Known) -> dict[str, Any]:
    """A person's fields as columns: unit and position codes become ids."""
    columns = dict(values)
    if "unit_code" in columns:
        code = columns.pop("unit_code")
        columns["unit_id"] = known.units[code].id if code else None
    if "position_code" in columns:
        code = columns.pop("position_code")
        columns["position_id"] = known.positions[code].id if code else None
    return columns


def _write_heads(
    session: Session,
    units: Sequence[UnitRecord],
    known: _Known,
    changes: Mapping[str, Mapping[str, Any]],
) -> None:
    """Heads last: a head may be someone this same import has just created."""
    rows = []
    for unit in units:
        existing = changes.get(unit.code)
        if ("head_nip" in existing) if existing is not None else unit.head_nip is not None:
            head_id = known.people_ids[unit.head_nip] if unit.head_nip else None
            rows.append((known.units[unit.code].id, {"head_id": head_id}))
    update_rows(session, UNIT_TABLE, rows)


def _mentor_roles_due(files: _Files, known: _Known) -> frozenset[str]:
    """Named mentors who must be given the `mentor` role (to see their mentees) beyond what the people file's
    rows write: a new person's rows include it, and so does a changed `peran`; call before people are written."""
    with_roles = "peran" in files.columns.get("people", ())
    return frozenset(
        nip
        for nip in files.mentor_nips - known.mentors_with_role
        if not (nip in files.named_people and (nip not in known.people_ids or with_roles))
    )


def _write_mentorships(session: Session, files: _Files, known: _Known) -> None:
    """Upsert keyed on (mentor, mentee, start): a stored mentorship only ever gets a changed end date."""
    insert_rows(
        session,
        MENTORSHIP_TABLE,
        (
            {
                "mentor_id": known.people_ids[m.mentor_nip],
                "mentee_id": known.people_ids[m.mentee_nip],
                "starts_on": m.starts_on,
                "ends_on": m.ends_on,
            }
            for m in files.mentorships
            if m.key not in known.mentorships
        ),
    )
    changed = (
        (known.mentorships[m.key].id, _mentorship_changes(m, files, known))
        for m in files.mentorships
        if m.key in known.mentorships
    )
    update_rows(session, MENTORSHIP_TABLE, ((row_id, values) for row_id, values in changed if values))
