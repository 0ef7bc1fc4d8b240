"""Competency summaries on the scope world (units R > A > A1 and R > B), written directly as the engine would keep
them: a position with a standard (C1 at 3, C2 at 2), attained levels, standings and JP of this year.

| person | unit | attained | JPM | gaps | JP this year |
|---|---|---|---|---|---|
| Siti (in_a) | A | C1 3, C2 1 | 80.00 | 1 | 12 course + 10 external = 22 |
| Budi (in_a1) | A1 | C1 2 | 40.00 | 2 | 5 |
| Agus (in_b) | B | C1 5, C2 2 | 100.00 | 0 | 30 |
| Kepala Dinas A | A | (no position) | - | - | - |
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from elearn.models import (
    AttainedCompetency,
    Competency,
    CompetencyEvidence,
    CompetencyStanding,
    JpSummary,
    Person,
    Position,
    PositionStandard,
)
from elearn.state import clock
from tests.factories import make_person, make_position, make_unit
from tests.statements import page_statements
from tests.web.scope_world import World, build_world

SINCE = date(2026, 5, 2)


@dataclass(frozen=True)
class CompetencyWorld:
    """The scope world with two competencies, one position standard and the summaries above."""

    world: World
    c1: Competency
    c2: Competency
    position: Position


def add_competency(session: Session, code: str, name: str) -> Competency:
    """A technical competency."""
    competency = Competency(code=code, kind="teknis", name=name, source="test")
    session.add(competency)
    session.flush()
    return competency


def attain(
    session: Session, person: Person, competency: Competency, level: int, *, since: date = SINCE
) -> None:
    """An assessed evidence and the attained level it gives."""
    evidence = CompetencyEvidence(
        person_id=person.id,
        competency_id=competency.id,
        level=level,
        achieved_on=since,
        source="assessment",
        recorded_by_id=person.id,
    )
    session.add(evidence)
    session.flush()
    session.add(
        AttainedCompetency(
            person_id=person.id,
            competency_id=competency.id,
            level=level,
            since=since,
            evidence_id=evidence.id,
        )
    )


def stand(
    session: Session, person: Person, position: Position, *, required: int, attained: int, gaps: int
) -> None:
    """A standing row, JPM from the totals."""
    person.position_id = position.id
    session.add(
        CompetencyStanding(
            person_id=person.id,
            position_id=position.id,
            required_total=required,
            attained_total=attained,
            gaps=gaps,
            jpm=(Decimal(100) * attained / required).quantize(Decimal("0.01")),
        )
    )


def earn_jp(
    session: Session, person: Person, *, course: int, external: int = 0, year: int | None = None
) -> None:
    """A JP summary row of `year` (this year of the office by default)."""
    session.add(
        JpSummary(
            person_id=person.id,
            year=year or clock().today().year,
            course_jp=Decimal(course),
            external_jp=Decimal(external),
            pending_jp=Decimal(0),
        )
    )


def build_competency_world(session: Session) -> CompetencyWorld:
    """The world of the table above, committed."""
    world = build_world(session)
    c1 = add_competency(session, "T.01", "Pengelolaan Arsip")
    c2 = add_competency(session, "T.02", "Pelayanan Kependudukan")
    position = make_position(session, "P1")
    session.add_all(
        [
            PositionStandard(position_id=position.id, competency_id=c1.id, required_level=3),
            PositionStandard(position_id=position.id, competency_id=c2.id, required_level=2),
        ]
    )
    attain(session, world.in_a, c1, 3)
    attain(session, world.in_a, c2, 1)
    attain(session, world.in_a1, c1, 2)
    attain(session, world.in_b, c1, 5)
    attain(session, world.in_b, c2, 2)
    stand(session, world.in_a, position, required=5, attained=4, gaps=1)
    stand(session, world.in_a1, position, required=5, attained=2, gaps=2)
    stand(session, world.in_b, position, required=5, attained=5, gaps=0)
    earn_jp(session, world.in_a, course=12, external=10)
    earn_jp(session, world.in_a1, course=5)
    earn_jp(session, world.in_b, course=30)
    session.commit()
    return CompetencyWorld(world=world, c1=c1, c2=c2, position=position)


def grow(session: Session, cw: CompetencyWorld, count: int) -> None:
    """`count` more people under A1, each in a new sub-unit, with a standing, both competencies and JP."""
    for n in range(count):
        person = make_person(session, unit=make_unit(session, f"A1-{n}", parent=cw.world.a1))
        stand(session, person, cw.position, required=5, attained=n % 5, gaps=1)
        attain(session, person, cw.c1, 1 + n % 5)
        attain(session, person, cw.c2, 1 + n % 2)
        earn_jp(session, person, course=10 * n)
    session.commit()


def statements_before_and_after_growth(
    app, client, session: Session, cw: CompetencyWorld, url: str
) -> tuple[int, int]:  # noqa: ANN001
    """How many statements one GET of `url` sends, then again after `grow` added eight people and units."""
    client.get(url)  # warm caches (course outlines, translations) that a first request fills
    before = len(page_statements(app, client, url))
    grow(session, cw, 8)
    return before, len(page_statements(app, client, url))


# Reading the pages and downloads over HTTP


def body(client, url: str) -> str:  # noqa: ANN001
    """The page at `url`, which must answer 200."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def csv_rows(client, url: str) -> list[list[str]]:  # noqa: ANN001
    """The rows of the CSV download at `url` (header first)."""
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def xlsx_sheet(client, url: str) -> str:  # noqa: ANN001
    """The XML of the first sheet of the XLSX download at `url`, with its shared strings."""
    response = client.get(url)
    assert response.status_code == 200, url
    data = response.get_data()
    assert data[:2] == b"PK"
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    shared = archive.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in names else ""
    return archive.read("xl/worksheets/sheet1.xml").decode() + shared
