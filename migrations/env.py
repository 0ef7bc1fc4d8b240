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
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode rebuilds a table by copy, drop and rename; with foreign keys enforced, dropping the old
            # table would cascade-delete every row that refers to it. Checked again before committing.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
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
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration left rows whose foreign keys point nowhere: {broken[:5]}")
        connection.commit()
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")


if context.is_offline_mode():
    raise SystemExit("elearn migrations run online only (flask db upgrade / flask elearn upgrade).")
run_migrations_online()
