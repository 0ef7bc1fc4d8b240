"""One person's competencies as their profile shows them: attained against the standard of their position, the
evidence behind each level, the gaps, JPM, and the courses that would close the gaps.

Reads the summary rows (`AttainedCompetency`) kept by the evidence service, never recomputes from completions; a
handful of statements whatever the history holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, Select, select
from sqlalchemy.orm import Session, aliased

from elearn.competency.recommend import CourseOffer, Recommendation, recommend
from elearn.competency.standard import Bands, JpmBand, gap, jpm
from elearn.models import (
    AttainedCompetency,
    Competency,
    CompetencyEvidence,
    Course,
    CourseCompetency,
    CourseVersion,
    Person,
    PositionStandard,
)
from elearn.services.catalog import published_versions
from elearn.services.progress import completed_course_ids

HISTORY_LIMIT = 100
PREREQUISITE_DEPTH = 5


@dataclass(frozen=True)
class EvidenceEntry:
    """One piece of evidence as the history lists it and as a level's explanation names it."""

    id: int
    code: str
    name: str
    level: int
    achieved_on: date
    expires_on: date | None
    source: str
    course_title: str | None
    version_number: int | None
    recorded_by: str | None
    note: str
    withdrawn: bool


@dataclass(frozen=True)
class CompetencyLine:
    """One competency of the profile: what the position requires (None: not in its standard) and what the person
    attained, with the evidence that level rests on."""

    code: str
    name: str
    kind: str
    required: int | None
    attained: int
    since: date | None
    valid_until: date | None
    evidence: EvidenceEntry | None

    @property
    def gap(self) -> int:
        """Levels still missing against the standard (0 outside it)."""
        return gap(self.required or 0, self.attained)


@dataclass(frozen=True)
class CompetencyProfile:
    """Everything the competency profile page shows about one person."""

    person: Person
    lines: tuple[CompetencyLine, ...]
    jpm: Decimal | None
    band: JpmBand | None
    history: tuple[EvidenceEntry, ...]
    recommendations: tuple[Recommendation, ...]

    @property
    def standard(self) -> tuple[CompetencyLine, ...]:
        """The competencies the position's standard requires."""
        return tuple(line for line in self.lines if line.required is not None)

    @property
    def beyond_standard(self) -> tuple[CompetencyLine, ...]:
        """Competencies attained that the position does not require."""
        return tuple(line for line in self.lines if line.required is None)

    @property
    def gaps(self) -> int:
        """How many competencies are below standard."""
        return sum(1 for line in self.lines if line.gap)


def profile_of(
    session: Session, person: Person, *, bands: Bands, recommendations: int = 5
) -> CompetencyProfile:
    """The profile of `person` (whose position is loaded or loadable), with up to `recommendations` courses."""
    required = _standard_of(session, person.position_id)
    attained = _attained_of(session, person.id)
    codes = sorted(set(required) | set(attained), key=lambda code: (code not in required, code))
    lines = tuple(_line(code, required.get(code), attained.get(code)) for code in codes)
    required_levels = {code: row[2] for code, row in required.items()}
    attained_levels = {code: line.attained for code, line in zip(codes, lines, strict=True)}
    score = jpm(required_levels, attained_levels)
    return CompetencyProfile(
        person=person,
        lines=lines,
        jpm=score,
        band=None if score is None else bands.band(score),
        history=tuple(_history_of(session, person.id)),
        recommendations=tuple(
            recommendations_for(session, person.id, required_levels, attained_levels, limit=recommendations)
        ),
    )


def recommended_courses(session: Session, person: Person, *, limit: int) -> list[Recommendation]:
    """The courses that would close `person`'s gaps ("recommended for you" in the catalogue)."""
    required = {code: row[2] for code, row in _standard_of(session, person.position_id).items()}
    if not required:
        return []
    attained = {code: row[2].level for code, row in _attained_of(session, person.id).items()}
    return recommendations_for(session, person.id, required, attained, limit=limit)


def recommendations_for(
    session: Session, person_id: int, required: dict[str, int], attained: dict[str, int], *, limit: int
) -> list[Recommendation]:
    """Published courses closing the person's gaps (see `elearn.competency.recommend`), prerequisites first."""
    below = [code for code, level in required.items() if attained.get(code, 0) < level]
    if not below or limit <= 0:
        return []
    offers = _offers(session, published_versions().where(CourseVersion.id.in_(_proving(below))))
    wanted = {slug for _id, offer in offers.values() for slug in offer.prerequisites} - set(offers)
    for _round in range(PREREQUISITE_DEPTH):
        if not wanted:
            break
        found = _offers(session, published_versions().where(Course.slug.in_(wanted)))
        offers.update(found)
        wanted = {slug for _id, offer in found.values() for slug in offer.prerequisites} - set(offers)
    course_ids = {slug: course_id for slug, (course_id, _offer) in offers.items()}
    done = completed_course_ids(session, person_id=person_id, course_ids=course_ids.values())
    completed = {slug for slug, course_id in course_ids.items() if course_id in done}
    return recommend(
        required, attained, [offer for _id, offer in offers.values()], completed=completed, limit=limit
    )


def _proving(codes: Sequence[str]) -> Select[*tuple[Any, ...]]:
    """Versions that prove one of `codes` (at any level: `recommend` checks the level)."""
    return select(CourseCompetency.version_id).where(CourseCompetency.competency_code.in_(codes))


def _offers(session: Session, versions: Select[*tuple[Any, ...]]) -> dict[str, tuple[int, CourseOffer]]:
    """Slug -> (course id, offer) for the versions selected, with what each proves (two statements)."""
    rows = session.execute(
        versions.with_only_columns(
            CourseVersion.id,
            CourseVersion.course_id,
            Course.slug,
            CourseVersion.title,
            CourseVersion.jp,
            CourseVersion.prerequisites,
        )
    ).all()
    if not rows:
        return {}
    proves: dict[int, dict[str, int]] = {}
    for version_id, code, level in session.execute(
        select(CourseCompetency.version_id, CourseCompetency.competency_code, CourseCompetency.level).where(
            CourseCompetency.version_id.in_([row.id for row in rows])
        )
    ):
        proves.setdefault(version_id, {})[code] = level
    return {
        row.slug: (
            row.course_id,
            CourseOffer(
                slug=row.slug,
                title=row.title,
                jp=row.jp,
                proves=proves.get(row.id, {}),
                prerequisites=tuple(row.prerequisites or ()),
            ),
        )
        for row in rows
    }


def _standard_of(session: Session, position_id: int | None) -> dict[str, tuple[str, str, int]]:
    """Code -> (name, kind, required level) of the position's standard."""
    if position_id is None:
        return {}
    rows = session.execute(
        select(Competency.code, Competency.name, Competency.kind, PositionStandard.required_level)
        .join(PositionStandard, PositionStandard.competency_id == Competency.id)
        .where(PositionStandard.position_id == position_id)
    )
    return {code: (name, kind, level) for code, name, kind, level in rows}


def _attained_of(
    session: Session, person_id: int
) -> dict[str, tuple[str, str, AttainedCompetency, EvidenceEntry]]:
    """Code -> (name, kind, summary row, the evidence it rests on) of every competency the person attained."""
    rows = session.execute(
        _evidence_columns()
        .add_columns(Competency.kind, AttainedCompetency)
        .join(AttainedCompetency, AttainedCompetency.evidence_id == CompetencyEvidence.id)
        .where(AttainedCompetency.person_id == person_id)
    )
    return {row.code: (row.name, row.kind, row.AttainedCompetency, _entry(row)) for row in rows}


def _history_of(session: Session, person_id: int) -> Iterable[EvidenceEntry]:
    """The person's evidence, newest first (withdrawn included, so the history explains itself)."""
    rows = session.execute(
        _evidence_columns()
        .where(CompetencyEvidence.person_id == person_id)
        .order_by(CompetencyEvidence.achieved_on.desc(), CompetencyEvidence.id.desc())
        .limit(HISTORY_LIMIT)
    )
    return [_entry(row) for row in rows]


def _evidence_columns() -> Select[*tuple[Any, ...]]:
    """Evidence with its competency, course version and recorder, as `_entry` reads it."""
    recorder = aliased(Person)
    return (
        select(
            CompetencyEvidence.id,
            Competency.code,
            Competency.name,
            CompetencyEvidence.level,
            CompetencyEvidence.achieved_on,
            CompetencyEvidence.expires_on,
            CompetencyEvidence.source,
            CourseVersion.title.label("course_title"),
            CourseVersion.number.label("version_number"),
            recorder.name.label("recorded_by"),
            CompetencyEvidence.note,
            CompetencyEvidence.withdrawn_at,
        )
        .join(Competency, Competency.id == CompetencyEvidence.competency_id)
        .outerjoin(CourseVersion, CourseVersion.id == CompetencyEvidence.version_id)
        .outerjoin(recorder, recorder.id == CompetencyEvidence.recorded_by_id)
    )


def _entry(row: Row[Any]) -> EvidenceEntry:
    return EvidenceEntry(
        id=row.id,
        code=row.code,
        name=row.name,
        level=row.level,
        achieved_on=row.achieved_on,
        expires_on=row.expires_on,
        source=row.source,
        course_title=row.course_title,
        version_number=row.version_number,
        recorded_by=row.recorded_by,
        note=row.note or "",
        withdrawn=row.withdrawn_at is not None,
    )


def _line(
    code: str,
    standard: tuple[str, str, int] | None,
    attained: tuple[str, str, AttainedCompetency, EvidenceEntry] | None,
) -> CompetencyLine:
    name, kind = standard[:2] if standard else attained[:2] if attained else (code, "")
    summary = attained[2] if attained else None
    return CompetencyLine(
        code=code,
        name=name,
        kind=kind,
        required=standard[2] if standard else None,
        attained=summary.level if summary else 0,
        since=summary.since if summary else None,
        valid_until=summary.valid_until if summary else None,
        evidence=attained[3] if attained else None,
    )
