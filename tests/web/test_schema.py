"""The models and the migrations describe the same schema, on every backend."""

import uuid
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from elearn.app import create_app
from elearn.certificates.serial import normalise
from elearn.db import Base, include_in_migrations
from elearn.migrate import upgrade


def test_models_and_migrations_agree(app):
    engine = app.extensions["elearn"].db.engine
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "include_name": include_in_migrations},
        )
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_migrations_record_their_own_version_table(app):
    names = inspect(app.extensions["elearn"].db.engine).get_table_names()
    assert "alembic_version_elearn" in names
    assert "alembic_version" not in names


@pytest.fixture
def empty_database_url(database_url: str, tmp_path) -> Iterator[str]:
    """A brand-new empty database of the session's backend (a scratch PostgreSQL database is dropped after)."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        yield f"sqlite:///{tmp_path}/empty.sqlite3"
        return
    name = f"elearn_empty_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'create database "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'drop database if exists "{name}"'))
        admin.dispose()


def test_flask_db_upgrade_builds_schema_on_empty_database(empty_database_url):
    """`flask db upgrade` on an empty database of the same backend builds every elearn table."""
    app = create_app({"ELEARN_DATABASE_URL": empty_database_url, "SECRET_KEY": "x"})
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        engine = app.extensions["elearn"].db.engine
        tables = set(inspect(engine).get_table_names())
        engine.dispose()
    assert {t for t in Base.metadata.tables} <= tables


def test_closed_set_migration_keeps_existing_data(empty_database_url):
    """An existing database (schema of the previous release, with data) upgrades, orphan codes included."""
    app = create_app({"ELEARN_DATABASE_URL": empty_database_url, "SECRET_KEY": "x"})
    with app.app_context():
        upgrade("f51e5c15555e")
        engine = app.extensions["elearn"].db.engine
        with engine.begin() as connection:
            connection.execute(
                text(
                    "insert into elearn_course (id, slug, code, created_at, updated_at) "
                    "values (1, 'lama', 'L-1', '2026-01-01', '2026-01-01')"
                )
            )
            connection.execute(
                text(
                    "insert into elearn_course_version (id, course_id, number, source_hash, title, summary, "
                    "language, jp, prerequisites, completion_rule, owners, overview_html, created_at) values "
                    "(1, 1, 1, 'h', 'Lama', '', 'id', 2, '[]', '{}', '[]', '', '2026-01-01')"
                )
            )
            connection.execute(
                text(
                    "insert into elearn_course_competency (version_id, competency_code, level) "
                    "values (1, 'T.HILANG.01', 3)"
                )
            )
        upgrade()
        with engine.connect() as connection:
            kept = connection.execute(text("select level from elearn_course_competency")).scalar_one()
            placeholder = connection.execute(
                text("select source from elearn_competency where code = 'T.HILANG.01'")
            ).scalar_one()
        engine.dispose()
    assert (kept, placeholder) == (3, "migration")


def _model_checks() -> dict[str, set[str]]:
    """Table -> names of the CHECK constraints the models declare (with the naming convention applied)."""
    from sqlalchemy import CheckConstraint

    checks: dict[str, set[str]] = {}
    for table in Base.metadata.tables.values():
        names = {str(c.name) for c in table.constraints if isinstance(c, CheckConstraint)}
        if names:
            checks[table.name] = names
    return checks


def test_migrations_create_every_check_constraint_of_the_models(app):
    """Alembic's comparison ignores CHECK constraints, so this test compares their names on the database."""
    inspector = inspect(app.extensions["elearn"].db.engine)
    expected = _model_checks()
    found = {
        table: {str(check["name"]) for check in inspector.get_check_constraints(table)} for table in expected
    }
    assert "ck_elearn_person_role_role_allowed" in expected["elearn_person_role"]
    assert found == expected


def test_database_refuses_a_value_outside_a_closed_set(app, session):
    from sqlalchemy.exc import IntegrityError

    from tests.factories import make_person

    person = make_person(session)
    session.commit()
    with pytest.raises(IntegrityError):
        session.execute(
            text("insert into elearn_person_role (person_id, role) values (:id, 'superuser')"),
            {"id": person.id},
        )
        session.flush()
    session.rollback()


def test_completions_recorded_before_certificates_get_one_on_upgrade(empty_database_url):
    """The certificate migration certifies every existing completion, copying holder, course and competencies."""
    app = create_app({"ELEARN_DATABASE_URL": empty_database_url, "SECRET_KEY": "x"})
    with app.app_context():
        upgrade("86c1fe1bb210")
        engine = app.extensions["elearn"].db.engine
        with engine.begin() as connection:
            for statement in (
                "insert into elearn_person (id, nip, id_kind, name, employment, active, session_version, "
                "created_at, updated_at) values (1, '198503122010012001', 'nip', 'Siti Rahmawati', 'PNS', true, 1, "
                "'2026-01-01', '2026-01-01')",
                "insert into elearn_competency (id, code, kind, name, definition, source) "
                "values (1, 'M.05', 'manajerial', 'Pelayanan Publik', '', 'dictionary')",
                "insert into elearn_course (id, slug, code, created_at, updated_at) "
                "values (1, 'lama', 'L-1', '2026-01-01', '2026-01-01')",
                "insert into elearn_course_version (id, course_id, number, source_hash, title, summary, language, "
                "jp, prerequisites, completion_rule, owners, overview_html, created_at) values "
                "(1, 1, 2, 'h', 'Kursus Lama', '', 'id', 2, '[]', '{}', '[]', '', '2026-01-01')",
                "insert into elearn_course_competency (version_id, competency_code, level) values (1, 'M.05', 2)",
                "insert into elearn_completion (id, person_id, course_id, version_id, completed_at, jp) "
                "values (1, 1, 1, 1, '2026-03-04 05:06:07', 2)",
            ):
                connection.execute(text(statement))
        upgrade()
        with engine.connect() as connection:
            row = connection.execute(
                text(
                    "select serial, holder_name, holder_nip, course_title, version_number, jp, issued_at, "
                    "competencies from elearn_certificate where completion_id = 1"
                )
            ).one()
        engine.dispose()
    assert normalise(row.serial) == row.serial
    assert (row.holder_name, row.holder_nip, row.course_title, row.version_number) == (
        "Siti Rahmawati",
        "198503122010012001",
        "Kursus Lama",
        2,
    )
    assert str(row.issued_at).startswith("2026-03-04 05:06:07")
    competencies = (
        row.competencies if isinstance(row.competencies, list) else __import__("json").loads(row.competencies)
    )
    assert competencies == [{"code": "M.05", "name": "Pelayanan Publik", "name_en": None, "level": 2}]
