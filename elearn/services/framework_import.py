"""Applying framework and SKJ files (`elearn.competency.files`) to the database: all or nothing, idempotent.

Every check runs before the first write, so one bad row refuses the whole file and nothing changes. A framework
file adds or updates technical competencies kept by administrators (`source` = "admin"); a code that the
national dictionary or a course owns is refused at its row, since the next seed or course sync would overwrite
it. An SKJ file gives each position it names exactly the standard it lists (competencies it leaves out are
removed from that position); positions it does not name keep theirs. The standings of the people holding a
changed position are rebuilt in the same transaction. Only what differs is written, so importing a file twice
changes nothing the second time. The caller commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session, selectinload

from elearn.competency.dictionary import CompetencyDefinition, CompetencyLevel
from elearn.competency.files import CompetencyFile, FrameworkRecord, StandardRecord
from elearn.models import Competency, Person, Position, PositionStandard
from elearn.orgdata.problems import Problem
from elearn.services import audit
from elearn.services.bulk import chunks, insert_rows
from elearn.services.competency import ADMIN_SOURCE, DICTIONARY_SOURCE, upsert_competencies
from elearn.services.competency_standing import refresh_standings

# Ids per IN list and per refresh_standings call: small enough for any database's parameter limit.
ID_CHUNK = 900
STANDARD_TABLE = PositionStandard.metadata.tables[PositionStandard.__tablename__]


@dataclass(frozen=True)
class FrameworkCounts:
    """How many competencies a framework file creates, updates or leaves unchanged."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class StandardCounts:
    """How many standard lines an SKJ file creates, changes, removes or leaves alone, over how many positions
    (and how many of those positions' standards change)."""

    positions: int = 0
    positions_changed: int = 0
    created: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class FrameworkImportReport:
    """The outcome of a framework or SKJ import (or of its dry run)."""

    kind: str
    source: str
    counts: FrameworkCounts | StandardCounts
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    dry_run: bool
    row_count: int = 0

    @property
    def refused(self) -> bool:
        """Any problem refuses the whole import."""
        return bool(self.problems)

    @property
    def applied(self) -> bool:
        """Whether the database was changed (the caller still commits)."""
        return not self.refused and not self.dry_run


def _report(
    parsed: CompetencyFile[FrameworkRecord] | CompetencyFile[StandardRecord],
    counts: FrameworkCounts | StandardCounts,
    problems: Iterable[Problem],
    dry_run: bool,
) -> FrameworkImportReport:
    return FrameworkImportReport(
        kind=parsed.kind,
        source=parsed.source,
        counts=counts,
        problems=(*parsed.problems, *problems),
        warnings=parsed.warnings,
        dry_run=dry_run,
        row_count=parsed.row_count,
    )


# The framework.


def import_framework(
    session: Session,
    parsed: CompetencyFile[FrameworkRecord],
    *,
    dry_run: bool = False,
    actor: Person | None = None,
    ip: str | None = None,
) -> FrameworkImportReport:
    """Check a framework file against the database, then (unless refused or a dry run) write it and audit it."""
    if parsed.refused:
        return _report(parsed, FrameworkCounts(), (), dry_run)
    records = parsed.records
    owners = {
        code: (source, kind)
        for code, source, kind in session.execute(select(Competency.code, Competency.source, Competency.kind))
    }
    by_lower = {code.lower(): code for code in owners}
    problems = list(_framework_problems(parsed.source, records, owners, by_lower))
    if problems:
        return _report(parsed, FrameworkCounts(), problems, dry_run)
    stored = {
        row.code: row
        for chunk in chunks([r.code for r in records if r.code in owners], ID_CHUNK)
        for row in session.scalars(
            select(Competency).where(Competency.code.in_(chunk)).options(selectinload(Competency.levels))
        )
    }
    created = sum(1 for r in records if r.code not in stored)
    updated = sum(1 for r in records if r.code in stored and _differs(stored[r.code], r))
    counts = FrameworkCounts(created=created, updated=updated, unchanged=len(records) - created - updated)
    report = _report(parsed, counts, (), dry_run)
    if report.applied:
        if created or updated:
            upsert_competencies(session, (definition_of(r) for r in records), source=ADMIN_SOURCE)
        audit.record(
            session,
            actor=actor,
            action="import-framework",
            ip=ip,
            files={"competencies": parsed.source},
            counts={"competencies": vars(counts)},
        )
        session.flush()
    return report


def _framework_problems(
    source: str,
    records: Iterable[FrameworkRecord],
    owners: Mapping[str, tuple[str, str]],
    by_lower: Mapping[str, str],
) -> Iterable[Problem]:
    """Codes owned by the dictionary or a course, and codes differing from a stored one only in case."""
    for record in records:
        owner = owners.get(record.code)
        if owner is None:
            similar = by_lower.get(record.code.lower())
            if similar is not None:
                yield record.origin.problem(
                    source,
                    "kode",
                    record.code,
                    f"Kode ini hanya berbeda huruf besar/kecil dengan kompetensi {similar} yang sudah ada; "
                    "tulis kodenya persis sama, atau pakai kode lain.",
                )
            continue
        owner_source, kind = owner
        if owner_source == DICTIONARY_SOURCE:
            yield record.origin.problem(
                source,
                "kode",
                record.code,
                f"Kode ini milik kompetensi {kind.replace('_', ' ')} dari kamus nasional, yang tidak dapat "
                "diubah lewat impor; pakai kode lain untuk kompetensi teknis.",
            )
        elif owner_source != ADMIN_SOURCE:
            yield record.origin.problem(
                source,
                "kode",
                record.code,
                f"Kode ini didefinisikan oleh kursus '{owner_source}'; ubah kompetensinya di berkas kursus "
                "itu, atau pakai kode lain.",
            )


def definition_of(record: FrameworkRecord) -> CompetencyDefinition:
    """A framework record as the definition the competency upsert writes."""
    return technical_definition(
        code=record.code,
        name=record.name,
        definition=record.definition,
        levels={level.level: (level.description, level.indicators) for level in record.levels},
    )


def technical_definition(
    *, code: str, name: str, definition: str, levels: Mapping[int, tuple[str, tuple[str, ...]]]
) -> CompetencyDefinition:
    """A technical competency kept by administrators, as a definition."""
    return CompetencyDefinition(
        code=code,
        kind="technical",
        name=name,
        name_en="",
        definition=definition,
        levels={
            number: CompetencyLevel(level=number, description=description, indicators=indicators)
            for number, (description, indicators) in levels.items()
        },
    )


def _differs(stored: Competency, record: FrameworkRecord) -> bool:
    """Whether writing the record would change the stored competency (the upsert's comparison)."""
    levels = {level.level: (level.description, list(level.indicators)) for level in record.levels}
    return (stored.name, stored.definition, stored.name_en) != (record.name, record.definition, None) or {
        level.level: (level.description, list(level.indicators)) for level in stored.levels
    } != levels


# Position standards (SKJ).


@dataclass
class _StandardPlan:
    """What writing an SKJ file will do, decided while comparing it with the database."""

    new: list[dict[str, int]] = field(default_factory=list)
    changed: list[dict[str, int]] = field(default_factory=list)
    removed: list[dict[str, int]] = field(default_factory=list)
    changed_positions: set[int] = field(default_factory=set)
    unchanged: int = 0


def import_standards(
    session: Session,
    parsed: CompetencyFile[StandardRecord],
    *,
    dry_run: bool = False,
    actor: Person | None = None,
    ip: str | None = None,
) -> FrameworkImportReport:
    """Check an SKJ file against the database, then (unless refused or a dry run) write it, rebuild the standings
    of the people holding a changed position, and audit it."""
    if parsed.refused:
        return _report(parsed, StandardCounts(), (), dry_run)
    records = parsed.records
    positions: dict[str, int] = {}
    for chunk in chunks({r.position_code for r in records}, ID_CHUNK):
        positions.update(
            session.execute(select(Position.code, Position.id).where(Position.code.in_(chunk))).all()
        )
    competencies: dict[str, int] = dict(session.execute(select(Competency.code, Competency.id)).all())
    problems = list(_standard_problems(parsed.source, records, positions, competencies))
    if problems:
        return _report(parsed, StandardCounts(), problems, dry_run)
    plan = _plan_standards(session, records, positions, competencies)
    counts = StandardCounts(
        positions=len(positions),
        positions_changed=len(plan.changed_positions),
        created=len(plan.new),
        updated=len(plan.changed),
        removed=len(plan.removed),
        unchanged=plan.unchanged,
    )
    report = _report(parsed, counts, (), dry_run)
    if report.applied:
        _write_standards(session, plan)
        for chunk in chunks(sorted(plan.changed_positions), ID_CHUNK):
            refresh_standings(session, position_ids=chunk)
        audit.record(
            session,
            actor=actor,
            action="import-standards",
            ip=ip,
            files={"standards": parsed.source},
            counts={"standards": vars(counts)},
        )
        session.flush()
        session.expire_all()
    return report


def _standard_problems(
    source: str,
    records: Iterable[StandardRecord],
    positions: Mapping[str, int],
    competencies: Mapping[str, int],
) -> Iterable[Problem]:
    """Positions and competencies the database does not know."""
    by_lower = {code.lower(): code for code in competencies}
    for record in records:
        if record.position_code not in positions:
            yield record.origin.problem(
                source,
                "kode_jabatan",
                record.position_code,
                "Jabatan dengan kode ini tidak ada di basis data; impor jabatannya lebih dahulu "
                "(berkas jabatan pada impor data organisasi).",
            )
        if record.competency_code not in competencies:
            similar = by_lower.get(record.competency_code.lower())
            hint = f" (maksudnya {similar}? huruf besar/kecil dibedakan)" if similar else ""
            yield record.origin.problem(
                source,
                "kode_kompetensi",
                record.competency_code,
                f"Kompetensi dengan kode ini tidak ada di kamus kompetensi{hint}; impor kerangka kompetensi "
                "teknis lebih dahulu.",
            )


def _plan_standards(
    session: Session,
    records: Iterable[StandardRecord],
    positions: Mapping[str, int],
    competencies: Mapping[str, int],
) -> _StandardPlan:
    """Compare each named position's listed standard with its stored one."""
    wanted: dict[tuple[int, int], int] = {
        (positions[r.position_code], competencies[r.competency_code]): r.level for r in records
    }
    stored: dict[tuple[int, int], int] = {}
    for chunk in chunks(sorted(set(positions.values())), ID_CHUNK):
        rows = select(
            PositionStandard.position_id, PositionStandard.competency_id, PositionStandard.required_level
        ).where(PositionStandard.position_id.in_(chunk))
        stored.update(((p, c), level) for p, c, level in session.execute(rows))
    plan = _StandardPlan()
    for (position_id, competency_id), level in wanted.items():
        row = {"position_id": position_id, "competency_id": competency_id, "required_level": level}
        current = stored.get((position_id, competency_id))
        if current is None:
            plan.new.append(row)
        elif current != level:
            plan.changed.append(row)
        else:
            plan.unchanged += 1
            continue
        plan.changed_positions.add(position_id)
    for position_id, competency_id in stored.keys() - wanted.keys():
        plan.removed.append({"position_id": position_id, "competency_id": competency_id})
        plan.changed_positions.add(position_id)
    plan.removed.sort(key=lambda row: (row["position_id"], row["competency_id"]))
    return plan


def _write_standards(session: Session, plan: _StandardPlan) -> None:
    """Removed lines, changed levels (executemany by primary key), then new lines."""
    by_key = (STANDARD_TABLE.c.position_id == bindparam("p")) & (
        STANDARD_TABLE.c.competency_id == bindparam("c")
    )
    for chunk in chunks(plan.removed, ID_CHUNK):
        session.execute(
            delete(STANDARD_TABLE).where(by_key),
            [{"p": row["position_id"], "c": row["competency_id"]} for row in chunk],
        )
    for chunk in chunks(plan.changed, ID_CHUNK):
        session.execute(
            update(STANDARD_TABLE).where(by_key).values(required_level=bindparam("level")),
            [{"p": r["position_id"], "c": r["competency_id"], "level": r["required_level"]} for r in chunk],
        )
    insert_rows(session, STANDARD_TABLE, plan.new)
