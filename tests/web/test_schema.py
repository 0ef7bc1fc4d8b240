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
