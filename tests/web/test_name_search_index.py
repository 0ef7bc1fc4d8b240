"""Name search on PostgreSQL goes through indexes (trigrams for "contains", a pattern index for "NIP starts
with"), and the migration still succeeds, without the trigram indexes, where pg_trgm cannot be created."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.engine import make_url

from elearn.app import create_app
from elearn.migrate import upgrade
from elearn.models import Person
from elearn.services.directory import listed, matching_text
from tests.factories import make_person


@pytest.fixture
def postgresql_only(database_url: str) -> str:
    if make_url(database_url).get_backend_name() != "postgresql":
        pytest.skip("PostgreSQL only: these indexes do not exist on SQLite (the postgresql run covers them)")
    return database_url


def test_the_list_search_is_answered_by_the_indexes(postgresql_only, session):
    make_person(session, name="Siti Rahmawati", email="siti@salatiga.go.id")
    session.commit()
    statement = listed(matching_text(select(Person), "rahma")).limit(21)
    sql = statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
    # Only bitmap scans allowed: a plan exists only if every arm of the OR has an index that answers it.
    for scan in ("seqscan", "indexscan", "indexonlyscan"):
        session.execute(text(f"SET LOCAL enable_{scan} = off"))
    plan = "\n".join(session.scalars(text(f"EXPLAIN {sql}")))
    session.rollback()
    for index in ("ix_elearn_person_name_trgm", "ix_elearn_person_email_trgm", "ix_elearn_person_nip_prefix"):
        assert index in plan, plan
    assert "Seq Scan" not in plan and "disable" not in plan, plan


NO_EXTENSION_NAME = "elearn_test_no_extensions"


@pytest.fixture
def database_without_extension_rights(postgresql_only: str) -> Iterator[str]:
    """A database whose login role may create tables but not extensions, emptied before and after.

    It is kept between runs rather than dropped: DROP DATABASE forces a checkpoint, which after the rest of the
    suite took 40 s; DROP OWNED empties it in milliseconds."""
    url = make_url(postgresql_only)
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        known = {"name": NO_EXTENSION_NAME}
        if connection.scalar(text("select 1 from pg_database where datname = :name"), known) is None:
            connection.execute(text(f'create database "{NO_EXTENSION_NAME}"'))
        if connection.scalar(text("select 1 from pg_roles where rolname = :name"), known) is None:
            connection.execute(text(f'create role "{NO_EXTENSION_NAME}" login'))
    admin.dispose()
    inside = create_engine(url.set(database=NO_EXTENSION_NAME), isolation_level="AUTOCOMMIT")

    def empty() -> None:
        with inside.connect() as connection:
            connection.execute(text(f'drop owned by "{NO_EXTENSION_NAME}"'))

    empty()
    with inside.connect() as connection:
        connection.execute(text(f'grant usage, create on schema public to "{NO_EXTENSION_NAME}"'))
    try:
        yield url.set(database=NO_EXTENSION_NAME, username=NO_EXTENSION_NAME, password=None).render_as_string(
            hide_password=False
        )
    finally:
        empty()
        inside.dispose()


def test_without_pg_trgm_the_upgrade_skips_the_trigram_indexes_and_search_still_works(
    database_without_extension_rights,
):
    app = create_app({"ELEARN_DATABASE_URL": database_without_extension_rights, "SECRET_KEY": "x"})
    with app.app_context():
        upgrade()
        session = app.extensions["elearn"].db.session
        make_person(session, name="Siti Rahmawati")
        session.commit()
        found = session.scalars(listed(matching_text(select(Person), "rahma"))).all()
        engine = app.extensions["elearn"].db.engine
        indexes = {index["name"] for index in inspect(engine).get_indexes("elearn_person")}
        session.remove()
        engine.dispose()
    assert [person.name for person in found] == ["Siti Rahmawati"]
    assert {"ix_elearn_person_name_id", "ix_elearn_person_nip_prefix"} <= indexes
    assert not indexes & {"ix_elearn_person_name_trgm", "ix_elearn_person_email_trgm"}
