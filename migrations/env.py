"""Alembic environment for elearn's tables only: its own version table, batch mode for SQLite, host tables untouched."""

from __future__ import annotations

from alembic import context
from flask import current_app

import elearn.models  # noqa: F401  (registers every table on the metadata)
from elearn.db import Base, include_in_migrations

VERSION_TABLE = "alembic_version_elearn"


def run_migrations_online() -> None:
    """Run against the engine of the database elearn uses in the current app."""
    engine = current_app.extensions["elearn"].db.engine
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            version_table=VERSION_TABLE,
            render_as_batch=True,
            compare_type=True,
            include_name=include_in_migrations,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


if context.is_offline_mode():
    raise SystemExit("elearn migrations run online only (flask db upgrade / flask elearn upgrade).")
run_migrations_online()
