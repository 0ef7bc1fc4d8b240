"""INSERT ... ON CONFLICT DO NOTHING on SQLite and PostgreSQL: a row that another request inserted first is kept,
never duplicated, and the caller learns whether this statement inserted it."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from elearn.db import Base


def insert_if_absent(
    session: Session, model: type[Base], values: dict[str, Any], *, returning: str = "id"
) -> Any:
    """Insert a `model` row of `values` unless a unique constraint already holds such a row; the new row's
    `returning` column, or None when the row was there already (the database decides, so concurrent callers
    insert exactly once)."""
    table = cast(Table, model.__table__)  # a mapped class's table is a Table
    dialect = session.get_bind().dialect.name
    builder = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = builder(table).values(**values).on_conflict_do_nothing().returning(table.c[returning])
    return session.execute(statement).scalar_one_or_none()
