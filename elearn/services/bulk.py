"""Set-based INSERT and UPDATE of many rows, fast at 300,000 rows on both databases.

PostgreSQL gets one statement per chunk whose rows arrive as arrays (`INSERT ... SELECT unnest(...)`,
`UPDATE ... FROM (SELECT unnest(...))`): a short query psycopg parses once, values bound in binary, ids back
through RETURNING. (A multi-row VALUES list costs psycopg a placeholder scan of 10,000 parameters per
statement, executemany costs a round trip per row, and looking new rows up again by key misleads the planner,
whose statistics do not know the rows inserted in this transaction.) SQLite, in process, gets executemany and
multi-row INSERT ... RETURNING. Python-side column defaults (`default=utcnow`) are filled in here, since a
statement built from arrays bypasses them; they are evaluated once per chunk.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Table, bindparam, func, insert, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from sqlalchemy.sql.schema import ColumnDefault

# Rows per statement: bounds the memory of one batch of parameters.
WRITE_CHUNK = 1000


def chunks(values: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Values in lists of at most `size`."""
    chunk: list[Any] = []
    for value in values:
        chunk.append(value)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@contextmanager
def index_lookups(session: Session) -> Iterator[None]:
    """Within the block, PostgreSQL looks rows up by index whatever its statistics say.

    Without statistics (a table filled by a large import, before autovacuum analyses it, or with autovacuum off)
    the planner guesses that an IN list of a few hundred keys matches a third of the table and scans all of it,
    once per chunk: a repeated import of 300,000 people then spent 100 s scanning. The setting is local to the
    transaction, and reset when the block ends normally.
    """
    on_postgresql = session.get_bind().dialect.name == "postgresql"
    if on_postgresql:
        session.execute(text("SET LOCAL enable_seqscan = off"))
    yield
    if on_postgresql:
        session.execute(text("RESET enable_seqscan"))


def insert_rows(
    session: Session, table: Table, rows: Iterable[Mapping[str, Any]], *, returning: Sequence[str] = ()
) -> list[tuple[Any, ...]]:
    """Insert `rows` (dicts with the same keys), a chunk at a time; the `returning` columns of every new row."""
    found: list[tuple[Any, ...]] = []
    on_postgresql = session.get_bind().dialect.name == "postgresql"
    for chunk in chunks(rows, WRITE_CHUNK):
        if on_postgresql:
            result = session.execute(_unnest_insert(table, chunk, returning))
        elif returning:
            result = session.execute(insert(table).returning(*(table.c[n] for n in returning)), chunk)
        else:
            session.execute(insert(table), chunk)
            continue
        if returning:
            found.extend(tuple(row) for row in result)
    return found


def update_rows(session: Session, table: Table, changes: Iterable[tuple[int, Mapping[str, Any]]]) -> None:
    """Set new values by primary key `id`: one statement per chunk of rows changing the same columns."""
    by_columns: dict[tuple[str, ...], list[tuple[int, Mapping[str, Any]]]] = {}
    for row_id, values in changes:
        by_columns.setdefault(tuple(sorted(values)), []).append((row_id, values))
    on_postgresql = session.get_bind().dialect.name == "postgresql"
    for columns, rows in by_columns.items():
        for chunk in chunks(rows, WRITE_CHUNK):
            if on_postgresql:
                session.execute(_unnest_update(table, columns, chunk))
            else:
                statement = (
                    update(table)
                    .where(table.c.id == bindparam("row_id"))
                    .values({name: bindparam(f"new_{name}") for name in columns})
                )
                params = [{"row_id": i, **{f"new_{n}": v[n] for n in columns}} for i, v in chunk]
                session.execute(statement, params)


def _unnest_insert(table: Table, rows: list[Mapping[str, Any]], returning: Sequence[str]) -> Any:
    """INSERT INTO table (columns) SELECT unnest(:column_1), unnest(:column_2), ... [RETURNING ...]."""
    values = _with_defaults(table, rows)
    names = list(values)
    arrays = select(*(func.unnest(_array(table, name, values[name])) for name in names))
    statement = insert(table).from_select(names, arrays)
    return statement.returning(*(table.c[n] for n in returning)) if returning else statement


def _unnest_update(table: Table, columns: tuple[str, ...], rows: list[tuple[int, Mapping[str, Any]]]) -> Any:
    """UPDATE table SET column = new.column FROM (SELECT unnest(:ids) AS id, unnest(:column) ...) WHERE id."""
    new = select(
        func.unnest(_array(table, "id", [row_id for row_id, _ in rows])).label("row_id"),
        *(
            func.unnest(_array(table, name, [v[name] for _, v in rows])).label(f"new_{name}")
            for name in columns
        ),
    ).subquery("new")
    return (
        update(table)
        .where(table.c.id == new.c.row_id)
        .values({name: new.c[f"new_{name}"] for name in columns})
    )


def _array(table: Table, name: str, values: list[Any]) -> Any:
    """One column's values as a typed array parameter (its type's bind processing applies to each item)."""
    return bindparam(f"{name}_values", values, type_=ARRAY(table.c[name].type))


def _with_defaults(table: Table, rows: list[Mapping[str, Any]]) -> dict[str, list[Any]]:
    """Column name -> the chunk's values, with each Python-side default a column has and the rows omit."""
    given = list(rows[0])
    values = {name: [row[name] for row in rows] for name in given}
    for column in table.columns:
        default = column.default
        if column.name in values or not isinstance(default, ColumnDefault):
            continue
        if default.is_scalar:
            values[column.name] = [default.arg] * len(rows)
        elif default.is_callable:
            values[column.name] = [default.arg(None)] * len(rows)  # SQLAlchemy wraps it to take a context
    return values
