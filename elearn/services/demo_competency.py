"""The demo's competency standards (SKJ) per position, so profiles, gaps and JPM have something to measure.

Managerial and socio-cultural requirements follow the kind of position (higher for structural heads, as in
PermenPAN-RB 38/2017's examples); technical ones only where the demo catalogue defines the competency.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from elearn.models import Competency, Position, PositionStandard
from elearn.services.competency_standing import refresh_standings

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
