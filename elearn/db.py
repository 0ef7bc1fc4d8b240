"""Declarative base, stable constraint names, UTC timestamps and engine tuning shared by every model."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import CheckConstraint, DateTime, MetaData
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

TABLE_PREFIX = "elearn_"

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Store naive UTC, hand back aware UTC: identical behaviour on SQLite and PostgreSQL."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    """Base of every elearn model; its metadata holds only elearn's own tables."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def one_of(column: str, values: Iterable[str]) -> CheckConstraint:
    """The database refuses any value of `column` outside a closed set (NULL stays allowed where the column is)."""
    allowed = ", ".join("'" + value.replace("'", "''") + "'" for value in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=f"{column}_allowed")


def utcnow() -> datetime:
    """The current time, aware, in UTC (the only clock models use)."""
    return datetime.now(UTC)


# Name-search indexes only PostgreSQL gets, and only where pg_trgm can be had (migration 2f6b3c9d4e71): no model
# declares them, so the schema comparison leaves them alone.
POSTGRESQL_SEARCH_INDEXES = frozenset(
    {"ix_elearn_person_name_trgm", "ix_elearn_person_email_trgm", "ix_elearn_person_nip_prefix"}
)


def include_in_migrations(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic compares and migrates elearn's own tables only, so a host's schema in the same database is untouched;
    the PostgreSQL-only search indexes are the migration's business, not the models'."""
    if type_ == "index":
        return name not in POSTGRESQL_SEARCH_INDEXES
    return type_ != "table" or bool(name and name.startswith(TABLE_PREFIX))


def tune_sqlite(dbapi_connection: Any, connection_record: Any) -> None:
    """SQLite: enforce foreign keys, wait for locks, and let readers work while one writer writes.

    A "connect" listener of elearn's own engine only (`elearn.extension`): a host's other engines keep their
    settings.
    """
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def begin_write(session: Any) -> None:
    """Start the session's transaction as a writer on SQLite (`BEGIN IMMEDIATE`), so a read-then-write unit of work
    waits for the write lock up front instead of failing when another writer committed after its reads.

    Call it before the unit of work's first read; PostgreSQL needs nothing here (row locks and unique constraints
    do the job), and a transaction already writing is left as it is.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    if not connection.connection.driver_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
