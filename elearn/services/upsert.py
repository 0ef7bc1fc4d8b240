"""INSERT ... ON CONFLICT DO NOTHING on SQLite and PostgreSQL: a row that another request inserted first is kept,
never duplicated, and the caller learns whether (or how many) this statement inserted."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import CursorResult, Executable, Select, Table
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


def insert_select_if_absent(
    session: Session, model: type[Base], columns: Sequence[str], rows: Select[*tuple[Any, ...]]
) -> int:
    """INSERT ... SELECT `rows` into `model`'s `columns`, skipping every row a unique constraint or index already
    holds; returns how many rows were inserted (one statement, however many rows)."""
    table = cast(Table, model.__table__)  # a mapped class's table is a Table
    dialect = session.get_bind().dialect.name
    builder = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return rows_affected(session, builder(table).from_select(list(columns), rows).on_conflict_do_nothing())


def rows_affected(session: Session, statement: Executable) -> int:
    """Run an INSERT, UPDATE or DELETE and return how many rows it changed.

    psycopg reports the count only while the cursor is open, so SQLAlchemy is asked to read it before closing.
    """
    result = cast(
        CursorResult[Any], session.execute(statement, execution_options={"preserve_rowcount": True})
    )
    return max(result.rowcount or 0, 0)
