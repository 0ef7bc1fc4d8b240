"""Talent search on PostgreSQL reads each criterion as a range of the (competency, level, person) index."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from elearn.models import Person
from elearn.services.competency_overview import CompetencyHead, Criterion, talent_rows
from tests.web.competency_world import build_competency_world


@pytest.fixture
def postgresql_only(database_url: str) -> str:
    if make_url(database_url).get_backend_name() != "postgresql":
        pytest.skip("PostgreSQL only: the plan is PostgreSQL's (the postgresql run covers it)")
    return database_url


def test_talent_search_starts_from_the_competency_level_index(postgresql_only, session):
    cw = build_competency_world(session)
    head = CompetencyHead(cw.c1.id, cw.c1.code, cw.c1.name, None)
    statement = talent_rows(select(Person), [Criterion(head, 3)]).order_by(Person.name, Person.id).limit(51)
    sql = statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
    session.execute(text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(session.scalars(text(f"EXPLAIN {sql}")))
    session.rollback()
    assert "ix_elearn_attained_competency_competency_level" in plan, plan
