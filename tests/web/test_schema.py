"""The models and the migrations describe the same schema, on every backend."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from elearn.db import Base, include_in_migrations


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


def test_flask_db_upgrade_builds_schema_on_empty_database(database_url, tmp_path):
    """`flask db upgrade` on an empty database of the same backend builds every elearn table."""
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from elearn.app import create_app

    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        name = f"elearn_empty_{uuid.uuid4().hex[:8]}"
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'create database "{name}"'))
        empty_url = url.set(database=name).render_as_string(hide_password=False)
    else:
        admin, name = None, None
        empty_url = f"sqlite:///{tmp_path}/empty.sqlite3"
    try:
        app = create_app({"ELEARN_DATABASE_URL": empty_url, "SECRET_KEY": "x"})
        result = app.test_cli_runner().invoke(args=["db", "upgrade"])
        assert result.exit_code == 0, result.output
        with app.app_context():
            engine = app.extensions["elearn"].db.engine
            tables = set(inspect(engine).get_table_names())
            engine.dispose()
        assert {t for t in Base.metadata.tables} <= tables
    finally:
        if admin is not None:
            with admin.connect() as connection:
                connection.execute(text(f'drop database if exists "{name}"'))
            admin.dispose()
