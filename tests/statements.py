"""Counting the SQL statements a block sends, so a page's budget holds whatever the number of rows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from sqlalchemy import event


@contextmanager
def counted_statements(app: Flask) -> Iterator[list[str]]:
    """Every SQL statement elearn's engine executes while the block runs (SQLAlchemy's before_cursor_execute)."""
    engine = app.extensions["elearn"].db.engine
    statements: list[str] = []

    def note(connection, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", note)


def page_statements(app: Flask, client, url: str) -> list[str]:  # noqa: ANN001
    """The statements of one GET of `url`, which must answer 200."""
    with counted_statements(app) as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return statements
