"""The demo's competency standards (SKJ) per position, so profiles, gaps and JPM have something to measure.

Managerial and socio-cultural requirements follow the kind of position (higher for structural heads, as in
PermenPAN-RB 38/2017's examples); technical ones only where the demo catalogue defines the competency.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from elearn.models import Competency, CompetencyEvidence, Person, Position, PositionStandard, Unit
from elearn.services.competency_evidence import recompute_all
from elearn.services.competency_standing import refresh_standings

ASSESSED_SHARE = 0.8
ASSESSOR_UNIT = "BKPSDM"

# kind of position -> (competency code, required level)
STANDARDS_BY_KIND: dict[str, tuple[tuple[str, int], ...]] = {
    "struktural": (
        ("M.01", 4),
        ("M.02", 4),
        ("M.03", 3),
        ("M.04", 4),
        ("M.05", 3),
        ("M.06", 4),
        ("M.07", 3),
        ("M.08", 4),
        ("SK.01", 3),
    ),
    "fungsional": (("M.01", 3), ("M.02", 3), ("M.03", 3), ("M.05", 3), ("M.07", 2), ("SK.01", 2)),
    "pelaksana": (("M.01", 2), ("M.03", 2), ("M.05", 2), ("M.07", 2), ("SK.01", 2)),
}
TECHNICAL_BY_POSITION: dict[str, tuple[tuple[str, int], ...]] = {
    "PRANKOM": (("T.TIK.01", 3),),
    "ADMKEP": (("T.TIK.01", 2),),
}


def seed_demo_standards(session: Session) -> int:
    """Give every demo position without a standard its SKJ; returns how many positions got one."""
    known: dict[str, int] = {
        code: id_ for code, id_ in session.execute(select(Competency.code, Competency.id))
    }
    having = set(session.scalars(select(PositionStandard.position_id).distinct()))
    given: list[int] = []
    for position in session.scalars(select(Position).order_by(Position.code)):
        if position.id in having:
            continue
        wanted = STANDARDS_BY_KIND.get(position.kind, ()) + TECHNICAL_BY_POSITION.get(position.code, ())
        rows = [
            PositionStandard(position_id=position.id, competency_id=known[code], required_level=level)
            for code, level in wanted
            if code in known
        ]
        if rows:
            session.add_all(rows)
            given.append(position.id)
    session.flush()
    if given:
        refresh_standings(session, position_ids=given)
    return len(given)


def seed_demo_assessments(session: Session, *, today: date, seed: int = 2026) -> int:
    """Once: assessment-centre results for most demo people, around their standard (some above, many below), so
    gaps, JPM bands and talent searches show variety; then levels and standings from a full recompute."""
    if session.scalar(select(exists().where(CompetencyEvidence.source == "assessment"))):
        return 0
    assessor = session.scalar(
        select(Person).join(Unit, Unit.head_id == Person.id).where(Unit.code == ASSESSOR_UNIT)
    )
    if assessor is None:
        return 0
    rng = random.Random(seed)
    standards: dict[int | None, list[tuple[int, int]]] = {}
    for position_id, competency_id, level in session.execute(
        select(PositionStandard.position_id, PositionStandard.competency_id, PositionStandard.required_level)
    ):
        standards.setdefault(position_id, []).append((competency_id, level))
    people = session.execute(
        select(Person.id, Person.position_id).where(Person.position_id.is_not(None)).order_by(Person.id)
    ).all()
    rows = []
    for person_id, held in people:
        if rng.random() > ASSESSED_SHARE:
            continue
        for competency_id, required in standards.get(held, ()):
            if rng.random() < 0.75:
                achieved_on = today - timedelta(days=rng.randint(30, 700))
                rows.append(
                    CompetencyEvidence(
                        person_id=person_id,
                        competency_id=competency_id,
                        level=min(5, max(1, required + rng.choice((-2, -1, -1, 0, 0, 0, 1)))),
                        achieved_on=achieved_on,
                        source="assessment",
                        recorded_by_id=assessor.id,
                        note=f"Asesmen kompetensi BKPSDM {achieved_on.year}",
                    )
                )
    session.add_all(rows)
    session.flush()
    recompute_all(session, today=today)
    return len(rows)
