"""Each person's standing against their position's standard (SKJ), rebuilt set-based in SQL for whoever changed.

JPM = sum(attained level capped at the required one) / sum(required levels) x 100, the same rule as the pure
`elearn.competency` core; the summary lets dashboards read one row per person instead of counting evidence.
"""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal

from sqlalchemy import (
    ColumnElement,
    Numeric,
    SQLColumnExpression,
    case,
    delete,
    false,
    func,
    insert,
    literal,
    or_,
    select,
    true,
    union,
)
from sqlalchemy.orm import Session

from elearn.models import AttainedCompetency, CompetencyStanding, Person, PositionStandard


def refresh_standings(
    session: Session,
    *,
    person_ids: Collection[int] | None = None,
    position_ids: Collection[int] | None = None,
) -> None:
    """Rebuild the standing of the people in `person_ids` and of everyone holding (or having held, in the summary)
    a position in `position_ids`; with neither given, of everyone. Call it in the transaction of the change, with
    at most a few thousand ids (chunk larger sets: SQLite binds each id)."""
    everyone = person_ids is None and position_ids is None
    people = _chosen(Person.id, Person.position_id, person_ids, position_ids, everyone)
    stale = _chosen(
        CompetencyStanding.person_id, CompetencyStanding.position_id, person_ids, position_ids, everyone
    )
    if everyone:
        session.execute(delete(CompetencyStanding))
    else:
        # One indexed list of whose rows go (an OR of the two conditions would scan every standing).
        affected = union(select(CompetencyStanding.person_id).where(stale), select(Person.id).where(people))
        session.execute(delete(CompetencyStanding).where(CompetencyStanding.person_id.in_(affected)))
    attained = func.coalesce(AttainedCompetency.level, 0)
    required = PositionStandard.required_level
    capped = case((attained < required, attained), else_=required)
    required_total = func.sum(required)
    attained_total = func.sum(capped)
    rows = (
        select(
            Person.id,
            Person.position_id,
            required_total,
            attained_total,
            func.sum(case((attained < required, 1), else_=0)),
            func.round(literal(Decimal(100), Numeric(12, 4)) * attained_total / required_total, 2),
        )
        .join(PositionStandard, PositionStandard.position_id == Person.position_id)
        .outerjoin(
            AttainedCompetency,
            (AttainedCompetency.person_id == Person.id)
            & (AttainedCompetency.competency_id == PositionStandard.competency_id),
        )
        .where(people)
        .group_by(Person.id, Person.position_id)
    )
    session.execute(
        insert(CompetencyStanding).from_select(
            ["person_id", "position_id", "required_total", "attained_total", "gaps", "jpm"], rows
        )
    )


def _chosen(
    person_column: SQLColumnExpression[int],
    position_column: SQLColumnExpression[int] | SQLColumnExpression[int | None],
    person_ids: Collection[int] | None,
    position_ids: Collection[int] | None,
    everyone: bool,
) -> ColumnElement[bool]:
    """Rows of the people or positions asked for (all rows when nothing was asked for)."""
    if everyone:
        return true()
    conditions = []
    if person_ids:
        conditions.append(person_column.in_(person_ids))
    if position_ids:
        conditions.append(position_column.in_(position_ids))
    return or_(*conditions) if conditions else false()
