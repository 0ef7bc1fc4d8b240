"""Persisting competency definitions: the national dictionary once, and technical ones that courses define.

Both upserts write only what differs, so calling them on every sync costs reads, never writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from elearn.competency.dictionary import CompetencyDefinition, load_dictionary
from elearn.models import Competency, CompetencyKind, CompetencyLevel

DICTIONARY_SOURCE = "dictionary"
# Technical competencies that administrators keep (the admin page and the framework import).
ADMIN_SOURCE = "admin"

_MODEL_KIND = {
    "managerial": CompetencyKind.MANAJERIAL,
    "socio_cultural": CompetencyKind.SOSIAL_KULTURAL,
    "technical": CompetencyKind.TEKNIS,
}


@dataclass(frozen=True)
class CompetencyConflict:
    """A course tried to define a code that another source (the dictionary or another course) already owns."""

    code: str
    owner: str


def known_competency_codes(session: Session) -> frozenset[str]:
    """Every competency code the database knows, so a course may refer to it."""
    return frozenset(session.scalars(select(Competency.code)))


def seed_dictionary(session: Session, definitions: Mapping[str, CompetencyDefinition] | None = None) -> int:
    """Bring the managerial and socio-cultural dictionary into the tables; returns how many rows changed."""
    entries = load_dictionary() if definitions is None else definitions
    changed, _conflicts = _upsert(session, entries.values(), source=DICTIONARY_SOURCE, may_take_over=True)
    return changed


def upsert_course_competencies(
    session: Session, slug: str, definitions: Iterable[CompetencyDefinition]
) -> tuple[CompetencyConflict, ...]:
    """Store the technical competencies a course defines (`source` = its slug); others' codes clash."""
    _changed, conflicts = _upsert(session, definitions, source=slug, may_take_over=False)
    return conflicts


def upsert_competencies(session: Session, definitions: Iterable[CompetencyDefinition], *, source: str) -> int:
    """Store definitions owned by `source` (codes another source owns are left alone); how many rows changed."""
    changed, _conflicts = _upsert(session, definitions, source=source, may_take_over=False)
    return changed


def _upsert(
    session: Session, definitions: Iterable[CompetencyDefinition], *, source: str, may_take_over: bool
) -> tuple[int, tuple[CompetencyConflict, ...]]:
    """Insert missing definitions and update differing ones; leave equal rows untouched."""
    wanted = {definition.code: definition for definition in definitions}
    if not wanted:
        return 0, ()
    existing = {
        row.code: row
        for row in session.scalars(
            select(Competency).where(Competency.code.in_(wanted)).options(selectinload(Competency.levels))
        )
    }
    changed = 0
    conflicts: list[CompetencyConflict] = []
    for code, definition in wanted.items():
        row = existing.get(code)
        if row is not None and row.source != source and not may_take_over:
            conflicts.append(CompetencyConflict(code=code, owner=row.source))
            continue
        if row is None:
            row = Competency(code=code)
            session.add(row)
        changed += _apply(row, definition, source=source)
    session.flush()
    return changed, tuple(conflicts)


def _apply(row: Competency, definition: CompetencyDefinition, *, source: str) -> int:
    """Copy a definition onto its row only where a value differs (equal rows stay clean); 1 if it changed."""
    fields = {
        "kind": _MODEL_KIND[definition.kind].value,
        "name": definition.name,
        "name_en": definition.name_en or None,
        "definition": definition.definition,
        "source": source,
    }
    changed = False
    for name, value in fields.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    current = {level.level: level for level in row.levels}
    for level in definition.levels.values():
        indicators = list(level.indicators)
        stored = current.pop(level.level, None)
        if stored is None:
            row.levels.append(
                CompetencyLevel(level=level.level, description=level.description, indicators=indicators)
            )
            changed = True
        elif (stored.description, stored.indicators) != (level.description, indicators):
            stored.description, stored.indicators = level.description, indicators
            changed = True
    for stale in current.values():
        row.levels.remove(stale)
        changed = True
    return int(changed)
