"""What the evidence tests share: the one-lesson course that proves M.05 level 2 and M.03 level 1, a person whose
position requires M.05 level 3 and M.03 level 1, completing it through the progress service, and the rows the
summaries hold."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from elearn.courses.journey import CourseOutline
from elearn.models import (
    AttainedCompetency,
    Competency,
    CompetencyEvidence,
    CompetencyStanding,
    Course,
    Person,
    Position,
    PositionStandard,
)
from elearn.services import progress
from elearn.services.outlines import load_outline
from tests.factories import make_person, make_position
from tests.web.ledger_support import COURSE, sync_certificate_course

COMPLETED_AT = datetime(2026, 5, 2, 3, 0, tzinfo=UTC)


@dataclass
class EvidenceWorld:
    """The course's outline, its two competencies, and a person in a position with a standard."""

    outline: CourseOutline
    m05: Competency
    m03: Competency
    position: Position
    person: Person


def build_evidence_world(session: Session) -> EvidenceWorld:
    sync_certificate_course(session)
    version_id = session.scalar(select(Course.current_version_id).where(Course.slug == COURSE))
    assert version_id is not None
    m05, m03 = (
        session.scalars(select(Competency).where(Competency.code == code)).one() for code in ("M.05", "M.03")
    )
    position = make_position(session)
    session.add_all(
        [
            PositionStandard(position_id=position.id, competency_id=m05.id, required_level=3),
            PositionStandard(position_id=position.id, competency_id=m03.id, required_level=1),
        ]
    )
    person = make_person(session, name="Siti Rahmawati")
    person.position_id = position.id
    session.commit()
    return EvidenceWorld(load_outline(session, version_id), m05, m03, position, person)


def complete(
    session: Session, world: EvidenceWorld, person: Person | None = None, *, at: datetime = COMPLETED_AT
) -> Any:
    """Read the course's only lesson: the completion and everything it implies, in the session's transaction."""
    outline = world.outline
    return progress.complete_module(
        session,
        person_id=(person or world.person).id,
        outline=outline,
        module=outline.modules[0],
        now=at,
        timezone=UTC,
    )


def attained_rows(session: Session, person: Person) -> dict[str, tuple[Any, ...]]:
    """code -> (level, since, evidence id, valid until)."""
    rows = session.execute(
        select(
            Competency.code,
            AttainedCompetency.level,
            AttainedCompetency.since,
            AttainedCompetency.evidence_id,
            AttainedCompetency.valid_until,
        )
        .join(Competency, Competency.id == AttainedCompetency.competency_id)
        .where(AttainedCompetency.person_id == person.id)
    )
    return {code: tuple(rest) for code, *rest in rows}


def evidence_rows(session: Session, person: Person) -> list[CompetencyEvidence]:
    session.expire_all()
    return list(
        session.scalars(
            select(CompetencyEvidence)
            .where(CompetencyEvidence.person_id == person.id)
            .order_by(CompetencyEvidence.id)
        )
    )


def standing_of(session: Session, person: Person) -> tuple[int, int, int, Decimal] | None:
    row = session.execute(
        select(
            CompetencyStanding.required_total,
            CompetencyStanding.attained_total,
            CompetencyStanding.gaps,
            CompetencyStanding.jpm,
        ).where(CompetencyStanding.person_id == person.id)
    ).one_or_none()
    return None if row is None else (row[0], row[1], row[2], Decimal(row[3]))
