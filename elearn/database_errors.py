"""Describing a database failure without the data that caused it.

A driver's message may quote the row it refused (PostgreSQL: `DETAIL: Key (email)=(budi@...) already exists`)
and SQLAlchemy's adds the statement's parameters, so neither is shown to an administrator nor logged: only the
error class, the SQLSTATE or SQLite error code, and the constraint and table names, which hold no personal data.
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, SQLAlchemyError


def describe_database_error(error: SQLAlchemyError) -> str:
    """`IntegrityError, SQLSTATE 23505, uq_elearn_person_email` or `OperationalError, SQLITE_BUSY`."""
    parts = [type(error).__name__]
    original = error.orig if isinstance(error, DBAPIError) else None
    sqlstate = getattr(original, "sqlstate", None)
    if sqlstate:
        parts.append(f"SQLSTATE {sqlstate}")
    sqlite_code = getattr(original, "sqlite_errorname", None)
    if sqlite_code:
        parts.append(str(sqlite_code))
    diagnostics = getattr(original, "diag", None)
    for name in ("constraint_name", "table_name"):
        value = getattr(diagnostics, name, None)
        if value:
            parts.append(str(value))
    return ", ".join(parts)
