"""Applying parsed organisation files to the database: all or nothing, idempotent, and fast on large files.

A person's `unit_since` (TMT unit, which "N days after joining the unit" due dates count from) is the file's
`tmt_unit` when it has one; otherwise the import's day whenever the import places the person in a new unit.

Every check (references between files and to the database, cycles, e-mail owners, overlapping mentorships)
runs before the first write; one bad row refuses the whole import. Existing rows are loaded once into dicts
(chunked IN queries, never one SELECT per row) and only attributes whose value changes are assigned, so a
repeated import issues no UPDATE. People not named in a file are left alone; administrators' `admin` role is
never removed by an import, and a mentor named in a mentorship file always keeps (or gains) the `mentor` role.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from elearn.models import Mentorship, Person, Position, Role, Unit
from elearn.orgdata import (
    MentorshipRecord,
    ParsedFile,
    PersonRecord,
    PositionRecord,
    Problem,
    UnitRecord,
)
from elearn.orgdata.problems import problem
from elearn.services.audit import record
from elearn.services.org import place_unit

KINDS = ("units", "positions", "people", "mentorships")
ROLES_KEPT_ON_IMPORT = frozenset({Role.ADMIN.value})
CHUNK = 900
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
    """What the database already holds, loaded once per import."""

    units: dict[str, Unit] = field(default_factory=dict)
    unit_codes: dict[int, str] = field(default_factory=dict)
    positions: dict[str, Position] = field(default_factory=dict)
    position_codes: dict[int, str] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    nips: dict[int, str] = field(default_factory=dict)
    email_owners: dict[str, str] = field(default_factory=dict)
    mentorships: dict[MentorshipKey, Mentorship] = field(default_factory=dict)


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


def import_org(
    session: Session,
    *,
    files: Sequence[ParsedFile],
    today: date,
    dry_run: bool = False,
    actor: Person | None = None,
    ip: str | None = None,
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
    known = _load_known(session, parsed)
    depths, cross_problems = _cross_check(parsed, known)
    problems.extend(cross_problems)
    problems.extend(_mentorship_problems(parsed, known))
    counts = _count(parsed, known)
    report = ImportReport(counts=counts, problems=tuple(problems), warnings=warnings, dry_run=dry_run)
    if report.applied:
        _apply(session, parsed, known, depths)
        record(
            session,
            actor=actor,
            action="import-org",
            ip=ip,
            files=dict(parsed.sources),
            counts={kind: vars(c) for kind, c in counts.items()},
        )
        session.flush()
    return report


def _records(by_kind: Mapping[str, ParsedFile], kind: str, record_type: type[RecordT]) -> tuple[RecordT, ...]:
    parsed = by_kind.get(kind)
    return tuple(r for r in parsed.records if isinstance(r, record_type)) if parsed else ()


def _in_chunks(values: Iterable[Any]) -> Iterator[list[Any]]:
    """Values in slices small enough for any database's parameter limit."""
    items = list(values)
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _load_known(session: Session, files: _Files) -> _Known:
    """Units and positions entirely (they are few); people only as far as this import names them."""
    known = _Known()
    for unit in session.scalars(select(Unit)):
        known.units[unit.code] = unit
        known.unit_codes[unit.id] = unit.code
    for position in session.scalars(select(Position)):
        known.positions[position.code] = position
        known.position_codes[position.id] = position.code
    nips = (
        {p.nip for p in files.people}
        | {u.head_nip for u in files.units if u.head_nip}
        | {n for m in files.mentorships for n in (m.mentor_nip, m.mentee_nip)}
    )
    for chunk in _in_chunks(nips):
        for person in session.scalars(select(Person).where(Person.nip.in_(chunk))):
            known.people[person.nip] = person
            known.nips[person.id] = person.nip
    head_ids = {known.units[u.code].head_id for u in files.units if u.code in known.units} - {None}
    for chunk in _in_chunks(head_ids - known.nips.keys()):
        known.nips.update(session.execute(select(Person.id, Person.nip).where(Person.id.in_(chunk))).all())
    if any(p.email for p in files.people):
        # One scan of (lower(email), nip) beats IN lists over an expression no index covers.
        owners = select(func.lower(Person.email), Person.nip).where(Person.email.is_not(None))
        known.email_owners.update(session.execute(owners).all())
    _load_mentorships(session, files, known)
    return known


def _load_mentorships(session: Session, files: _Files, known: _Known) -> None:
    """The stored mentorships of the pairs the mentorship file names, keyed like its rows."""
    pairs = {(m.mentor_nip, m.mentee_nip) for m in files.mentorships}
    mentor_ids = {known.people[nip].id for nip in files.mentor_nips if nip in known.people}
    for chunk in _in_chunks(mentor_ids):
        for link in session.scalars(select(Mentorship).where(Mentorship.mentor_id.in_(chunk))):
            pair = (known.nips[link.mentor_id], known.nips.get(link.mentee_id, ""))
            if pair in pairs:
                known.mentorships[(*pair, link.starts_on)] = link


def _cross_check(files: _Files, known: _Known) -> tuple[dict[str, int], list[Problem]]:
    """References that only the whole import can settle; returns each file unit's final depth too."""
    problems: list[Problem] = []
    unit_source, people_source = files.sources.get("units", ""), files.sources.get("people", "")
    unit_codes = known.units.keys() | {u.code for u in files.units}
    position_codes = known.positions.keys() | {p.code for p in files.positions}
    nips = known.people.keys() | {p.nip for p in files.people}
    for unit in files.units:
        if unit.parent_code and unit.parent_code not in unit_codes:
            problems.append(
                problem(
                    unit_source,
                    unit.row,
                    "kode_induk",
                    unit.parent_code,
                    "Unit induk tidak ada di berkas ini maupun di basis data.",
                )
            )
        if unit.head_nip and unit.head_nip not in nips:
            problems.append(
                problem(
                    unit_source,
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
                    unit_source,
                    unit.row,
                    "kode_induk",
                    unit.parent_code or "",
                    f"Susunan induk membentuk lingkaran: {cycles[unit.code]}.",
                )
            )
    for person in files.people:
        if person.unit_code and person.unit_code not in unit_codes:
            problems.append(
                problem(
                    people_source,
                    person.row,
                    "kode_unit",
                    person.unit_code,
                    "Unit tidak ada di berkas unit maupun di basis data.",
                )
            )
        if person.position_code and person.position_code not in position_codes:
            problems.append(
                problem(
                    people_source,
                    person.row,
                    "kode_jabatan",
                    person.position_code,
                    "Jabatan tidak ada di berkas jabatan maupun di basis data.",
                )
            )
        owner = known.email_owners.get(person.email or "")
        if owner and owner != person.nip:
            problems.append(
                problem(
                    people_source,
                    person.row,
                    "email",
                    person.email or "",
                    f"E-mail ini sudah dipakai pegawai lain (NIP {owner}).",
                )
            )
    problems.sort(key=lambda p: (p.source, p.row or 0))
    return depths, problems


def _mentorship_problems(files: _Files, known: _Known) -> list[Problem]:
    """Unknown people, and periods overlapping a stored mentorship of the same pair that the file keeps."""
    source = files.sources.get("mentorships", "")
    nips = known.people.keys() | {p.nip for p in files.people}
    replaced = {m.key for m in files.mentorships}
    kept_by_pair: dict[tuple[str, str], list[Mentorship]] = {}
    for key, link in known.mentorships.items():
        if key not in replaced:
            kept_by_pair.setdefault(key[:2], []).append(link)
    problems: list[Problem] = []
    for mentorship in files.mentorships:
        for column, nip in (("nip_mentor", mentorship.mentor_nip), ("nip_mentee", mentorship.mentee_nip)):
            if nip not in nips:
                reason = "Pegawai dengan NIP ini tidak ada di berkas pegawai maupun di basis data."
                problems.append(problem(source, mentorship.row, column, nip, reason))
        pair = (mentorship.mentor_nip, mentorship.mentee_nip)
        for link in kept_by_pair.get(pair, ()):
            if mentorship.overlaps(link.starts_on, link.ends_on):
                ends = f"selesai {link.ends_on:%d/%m/%Y}" if link.ends_on else "tanpa tanggal selesai"
                reason = (
                    "Masa bimbingan tumpang tindih dengan bimbingan tersimpan "
                    f"(mulai {link.starts_on:%d/%m/%Y}, {ends}); untuk mengakhirinya, tambahkan baris "
                    "bimbingan itu dengan tanggal selesai baru di berkas ini."
                )
                problems.append(problem(source, mentorship.row, "mulai", f"{mentorship.starts_on}", reason))
                break
    return problems


def _final_depths(files: _Files, known: _Known) -> tuple[dict[str, int], dict[str, str]]:
    """Each unit's depth in the tree as the import leaves it, and the cycles (code -> "A → B → A")."""
    parent_of: dict[str, str | None] = {
        code: known.unit_codes.get(unit.parent_id) if unit.parent_id else None
        for code, unit in known.units.items()
    }
    if "kode_induk" in files.columns.get("units", frozenset()):
        parent_of.update({u.code: u.parent_code for u in files.units})
    else:
        parent_of.update({u.code: None for u in files.units if u.code not in parent_of})
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
        "head_nip": (known.nips.get(current.head_id) if current.head_id else None, unit.head_nip),
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


def _person_roles(person: PersonRecord, current: Person | None, files: _Files) -> frozenset[str]:
    """The file's roles, plus any role an import never takes away (admin), plus `mentor` for named mentors."""
    kept = current.roles & ROLES_KEPT_ON_IMPORT if current else frozenset()
    as_mentor = {Role.MENTOR.value} if person.nip in files.mentor_nips else set()
    return person.roles | kept | as_mentor


def _person_changes(person: PersonRecord, files: _Files, known: _Known) -> dict[str, Any]:
    current = known.people[person.nip]
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
        "roles": (current.roles, _person_roles(person, current, files)),
        "active": (current.active, person.active),
        "locale": (current.locale, person.locale),
    }
    changes = _changed(wanted, files.columns["people"], PERSON_FIELD_COLUMNS)
    since = person.unit_since or (files.today if "unit_code" in changes else current.unit_since)
    if since != current.unit_since:
        changes["unit_since"] = since
    return changes


def _new_person_values(person: PersonRecord, files: _Files) -> dict[str, Any]:
    return {
        "name": person.name,
        "id_kind": person.id_kind,
        "email": person.email,
        "unit_code": person.unit_code,
        "position_code": person.position_code,
        "employment": person.employment,
        "roles": _person_roles(person, None, files),
        "active": person.active,
        "locale": person.locale,
        "unit_since": person.unit_since or (files.today if person.unit_code else None),
    }


def _count(files: _Files, known: _Known) -> dict[str, KindCounts]:
    """Created / updated / unchanged per kind, computed without writing (the dry run's answer)."""
    counts: dict[str, KindCounts] = {}
    for kind, records, existing, changes in (
        ("units", files.units, known.units, _unit_changes),
        ("positions", files.positions, known.positions, _position_changes),
        ("people", files.people, known.people, _person_changes),
        ("mentorships", files.mentorships, known.mentorships, _mentorship_changes),
    ):
        if kind not in files.sources:
            continue
        created = updated = unchanged = 0
        for r in records:
            if _key(r) not in existing:
                created += 1
            elif changes(r, files, known):  # type: ignore[arg-type]  # each kind's change function takes that kind's records
                updated += 1
            else:
                unchanged += 1
        counts[kind] = KindCounts(created=created, updated=updated, unchanged=unchanged)
    if "mentorships" in counts:
        counts["mentorships"] = replace(
            counts["mentorships"], roles_granted=len(_mentors_lacking_role(files, known))
        )
    return counts


def _key(record: UnitRecord | PositionRecord | PersonRecord | MentorshipRecord) -> str | MentorshipKey:
    if isinstance(record, MentorshipRecord):
        return record.key
    return record.nip if isinstance(record, PersonRecord) else record.code


def _mentorship_changes(mentorship: MentorshipRecord, files: _Files, known: _Known) -> dict[str, Any]:
    """A changed end date, the only field of a stored mentorship that its key does not fix."""
    wanted = {"ends_on": (known.mentorships[mentorship.key].ends_on, mentorship.ends_on)}
    return _changed(wanted, files.columns["mentorships"], MENTORSHIP_FIELD_COLUMNS)


def _mentors_lacking_role(files: _Files, known: _Known) -> frozenset[str]:
    """Named mentors holding the `mentor` role neither in the database nor by their row of the people file."""
    file_roles = {p.nip: p.roles for p in files.people} if "peran" in files.columns.get("people", ()) else {}
    return frozenset(
        nip
        for nip in files.mentor_nips
        if Role.MENTOR.value not in file_roles.get(nip, ())
        and not (nip in known.people and known.people[nip].has_role(Role.MENTOR))
    )


def _apply(session: Session, files: _Files, known: _Known, depths: Mapping[str, int]) -> None:
    """Write in dependency order: positions, unit tree, people, unit heads (who may be new people), then
    mentors' roles and mentorships."""
    unit_changes = {u.code: _unit_changes(u, files, known) for u in files.units if u.code in known.units}
    _apply_positions(session, files, known)
    _apply_units(session, files.units, known, depths, unit_changes)
    _apply_people(session, files, known)
    _apply_heads(files.units, known, unit_changes)
    _grant_mentor_roles(files, known)
    _apply_mentorships(session, files, known)


def _apply_positions(session: Session, files: _Files, known: _Known) -> None:
    new: list[Position] = []
    for position in files.positions:
        if position.code not in known.positions:
            new.append(
                Position(code=position.code, name=position.name, kind=position.kind, grade=position.grade)
            )
            continue
        for name, value in _position_changes(position, files, known).items():
            setattr(known.positions[position.code], name, value)
    session.add_all(new)
    session.flush()
    for created in new:
        known.positions[created.code] = created
        known.position_codes[created.id] = created.code


def _apply_units(
    session: Session,
    units: Sequence[UnitRecord],
    known: _Known,
    depths: Mapping[str, int],
    changes: Mapping[str, Mapping[str, Any]],
) -> None:
    """New units first (for ids), then parents before children so each parent's path is final when used."""
    new = [Unit(code=u.code, name=u.name) for u in units if u.code not in known.units]
    session.add_all(new)
    session.flush()
    for created in new:
        known.units[created.code] = created
        known.unit_codes[created.id] = created.code
    for unit in sorted(units, key=lambda u: depths[u.code]):
        target = known.units[unit.code]
        if "name" in changes.get(unit.code, {}):
            target.name = unit.name
        if unit.code not in changes or "parent_code" in changes[unit.code]:
            _move(session, target, known.units[unit.parent_code] if unit.parent_code else None, known)


def _move(session: Session, unit: Unit, parent: Unit | None, known: _Known) -> None:
    """Place `unit`; mirror the subtree's new paths onto units already in memory (no reload, no UPDATE)."""
    old_path, old_depth = unit.path, unit.depth
    place_unit(session, unit, parent)
    if not old_path or old_path == unit.path:
        return
    shift = unit.depth - old_depth
    for other in known.units.values():
        if other is not unit and other.path.startswith(old_path):
            set_committed_value(other, "path", unit.path + other.path[len(old_path) :])
            set_committed_value(other, "depth", other.depth + shift)


def _apply_people(session: Session, files: _Files, known: _Known) -> None:
    """New people get no password: an administrator issues activation later."""
    new: list[Person] = []
    for person in files.people:
        current = known.people.get(person.nip)
        values = _person_changes(person, files, known) if current else _new_person_values(person, files)
        target = current or Person(nip=person.nip)
        for name, value in values.items():
            _assign_person(target, name, value, known)
        if current is None:
            new.append(target)
    session.add_all(new)
    session.flush()
    for created in new:
        known.people[created.nip] = created
        known.nips[created.id] = created.nip


def _assign_person(person: Person, name: str, value: Any, known: _Known) -> None:
    """Set one changed field, translating codes to ids and role names to role rows."""
    if name == "unit_code":
        person.unit_id = known.units[value].id if value else None
    elif name == "position_code":
        person.position_id = known.positions[value].id if value else None
    elif name == "roles":
        person.set_roles(set(value))
    else:
        setattr(person, name, value)


def _grant_mentor_roles(files: _Files, known: _Known) -> None:
    """A mentor must hold the `mentor` role to see their mentees; people-file rows already include it."""
    for nip in files.mentor_nips:
        mentor = known.people[nip]
        if not mentor.has_role(Role.MENTOR):
            mentor.set_roles(set(mentor.roles) | {Role.MENTOR.value})


def _apply_mentorships(session: Session, files: _Files, known: _Known) -> None:
    """Upsert keyed on (mentor, mentee, start): a stored mentorship only ever gets a changed end date."""
    new: list[Mentorship] = []
    for mentorship in files.mentorships:
        current = known.mentorships.get(mentorship.key)
        if current is None:
            new.append(
                Mentorship(
                    mentor_id=known.people[mentorship.mentor_nip].id,
                    mentee_id=known.people[mentorship.mentee_nip].id,
                    starts_on=mentorship.starts_on,
                    ends_on=mentorship.ends_on,
                )
            )
            continue
        for name, value in _mentorship_changes(mentorship, files, known).items():
            setattr(current, name, value)
    session.add_all(new)


def _apply_heads(
    units: Sequence[UnitRecord], known: _Known, changes: Mapping[str, Mapping[str, Any]]
) -> None:
    """Heads last: a head may be someone this same import has just created."""
    for unit in units:
        existing = changes.get(unit.code)
        if ("head_nip" in existing) if existing is not None else unit.head_nip is not None:
            known.units[unit.code].head_id = known.people[unit.head_nip].id if unit.head_nip else None
