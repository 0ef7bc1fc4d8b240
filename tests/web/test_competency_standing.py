"""The standing summary: JPM, totals and gaps per person, rebuilt for whoever changed and nobody else."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from elearn.models import (
    AttainedCompetency,
    Competency,
    CompetencyEvidence,
    CompetencyStanding,
    PositionStandard,
)
from elearn.services.competency_standing import refresh_standings
from tests.factories import make_person, make_position


def _competencies(session: Session, count: int) -> list[Competency]:
    found = [
        Competency(code=f"T.{n:02}", kind="teknis", name=f"Teknis {n}", source="test") for n in range(count)
    ]
    session.add_all(found)
    session.flush()
    return found


def _attain(session: Session, person_id: int, competency: Competency, level: int) -> None:
    evidence = CompetencyEvidence(
        person_id=person_id,
        competency_id=competency.id,
        level=level,
        achieved_on=date(2026, 5, 2),
        source="assessment",
        recorded_by_id=person_id,
    )
    session.add(evidence)
    session.flush()
    session.add(
        AttainedCompetency(
            person_id=person_id,
            competency_id=competency.id,
            level=level,
            since=date(2026, 5, 2),
            evidence_id=evidence.id,
        )
    )
    session.flush()


def _standing(session: Session, person_id: int) -> tuple[int, int, int, Decimal] | None:
    row = session.execute(
        select(
            CompetencyStanding.required_total,
            CompetencyStanding.attained_total,
            CompetencyStanding.gaps,
            CompetencyStanding.jpm,
        ).where(CompetencyStanding.person_id == person_id)
    ).one_or_none()
    return None if row is None else tuple(row)  # type: ignore[return-value]


def test_jpm_caps_each_competency_at_its_required_level(session: Session) -> None:
    first, second, third = _competencies(session, 3)
    position = make_position(session)
    session.add_all(
        PositionStandard(position_id=position.id, competency_id=c.id, required_level=level)
        for c, level in ((first, 3), (second, 3), (third, 2))
    )
    person = make_person(session)
    person.position_id = position.id
    session.flush()
    _attain(session, person.id, first, 5)  # capped at 3
    _attain(session, person.id, second, 1)  # a gap of 2
    refresh_standings(session, person_ids=[person.id])
    assert _standing(session, person.id) == (8, 4, 2, Decimal("50.00"))


def test_refresh_touches_only_the_people_and_positions_asked_for(session: Session) -> None:
    (competency,) = _competencies(session, 1)
    position, other_position = make_position(session), make_position(session)
    for held in (position, other_position):
        session.add(PositionStandard(position_id=held.id, competency_id=competency.id, required_level=3))
    mover, stayer = make_person(session), make_person(session)
    mover.position_id = stayer.position_id = position.id
    session.flush()
    _attain(session, mover.id, competency, 2)
    refresh_standings(session)
    assert _standing(session, mover.id) == (3, 2, 1, Decimal("66.67"))
    assert _standing(session, stayer.id) == (3, 0, 1, Decimal("0.00"))

    mover.position_id = None
    _attain(session, stayer.id, competency, 3)
    session.flush()
    refresh_standings(session, position_ids=[position.id])
    assert _standing(session, mover.id) is None, "no position, no standing"
    assert _standing(session, stayer.id) == (3, 3, 0, Decimal("100.00"))

    session.execute(
        PositionStandard.__table__.delete().where(PositionStandard.position_id == position.id)  # type: ignore[attr-defined]
    )
    refresh_standings(session, person_ids=[mover.id])
    assert _standing(session, stayer.id) == (3, 3, 0, Decimal("100.00")), "not asked for: untouched"
    refresh_standings(session, position_ids=[position.id])
    assert _standing(session, stayer.id) is None, "a position without a standard gives no standing"
