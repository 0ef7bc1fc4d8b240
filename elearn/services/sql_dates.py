"""Date arithmetic inside SQL, the same on SQLite and PostgreSQL, for set-based writes (one statement for 5,000
rows, never a loop in Python): `days_after(day, n)` and `later_of(a, b)`."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Date, Integer, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import SQLCoreOperations
from sqlalchemy.sql.functions import FunctionElement


class _DaysAfter(FunctionElement[date]):
    """A date `n` days after a date."""

    type = Date()
    inherit_cache = True
    name = "days_after"


class _LaterOf(FunctionElement[date]):
    """The later of two dates."""

    type = Date()
    inherit_cache = True
    name = "later_of"


def days_after(day: SQLCoreOperations[date] | date, days: int) -> ColumnElement[date]:
    """SQL: the date `days` days after `day` (a column, or a date bound as a parameter)."""
    return _DaysAfter(_as_date(day), literal(days, Integer))


def later_of(
    first: SQLCoreOperations[date] | date, second: SQLCoreOperations[date] | date
) -> ColumnElement[date]:
    """SQL: the later of two dates."""
    return _LaterOf(_as_date(first), _as_date(second))


def _as_date(day: SQLCoreOperations[date] | date) -> SQLCoreOperations[date]:
    return literal(day, Date) if isinstance(day, date) else day


@compiles(_DaysAfter)
def _days_after_sqlite(element: _DaysAfter, compiler: SQLCompiler, **kw: Any) -> str:
    """SQLite keeps dates as ISO text: `date(day, '+3 days')`."""
    day, days = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"date({day}, printf('%+d days', {days}))"


@compiles(_DaysAfter, "postgresql")
def _days_after_postgresql(element: _DaysAfter, compiler: SQLCompiler, **kw: Any) -> str:
    """PostgreSQL: date + integer is a date."""
    day, days = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(CAST({day} AS DATE) + CAST({days} AS INTEGER))"


@compiles(_LaterOf)
def _later_of_sqlite(element: _LaterOf, compiler: SQLCompiler, **kw: Any) -> str:
    """SQLite: ISO dates compare as text, and max() of two values is the scalar maximum."""
    first, second = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"max({first}, {second})"


@compiles(_LaterOf, "postgresql")
def _later_of_postgresql(element: _LaterOf, compiler: SQLCompiler, **kw: Any) -> str:
    first, second = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"greatest(CAST({first} AS DATE), CAST({second} AS DATE))"
