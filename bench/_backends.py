"""What the benchmarks share: the databases to run on, a migrated app per database, and a stopwatch.

SQLite (a temporary file) always; PostgreSQL too when ELEARN_TEST_POSTGRES_URL is set. Its elearn tables are
dropped first, so point it at a scratch database.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from elearn.app import create_app
from elearn.db import Base
from elearn.migrate import upgrade

_Result = TypeVar("_Result")


@dataclass(frozen=True)
class Backend:
    """One database to benchmark on: a label for the report, its URL, and an instance folder for the app."""

    label: str
    url: str
    instance: Path


def backends(scratch: Path) -> Iterator[Backend]:
    """SQLite in `scratch`, then the scratch PostgreSQL database if one is configured (emptied on the way)."""
    yield Backend("SQLite", "sqlite:///" + str(scratch / "bench.sqlite3"), scratch / "instance-sqlite")
    postgres = os.environ.get("ELEARN_TEST_POSTGRES_URL", "").strip()
    if postgres:
        yield Backend("PostgreSQL", _empty_postgres(postgres), scratch / "instance-postgres")


@contextmanager
def migrated_session(backend: Backend) -> Iterator[Session]:
    """A session on the backend's freshly migrated database, inside an app context; the pool closes after."""
    app = create_app({"ELEARN_DATABASE_URL": backend.url, "SECRET_KEY": "bench"})
    app.instance_path = str(backend.instance)
    with app.app_context():
        upgrade()
        try:
            yield app.extensions["elearn"].db.session
        finally:
            app.extensions["elearn"].db.engine.dispose()


def timed(action: Callable[[], _Result]) -> tuple[float, _Result]:
    """Seconds an action took, and its result."""
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def _empty_postgres(raw_url: str) -> str:
    """Drop elearn's tables in the scratch database and return a psycopg 3 URL to it."""
    url = make_url(raw_url).set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    engine = create_engine(url)
    Base.metadata.drop_all(engine)
    with engine.begin() as connection:
        connection.execute(text("drop table if exists alembic_version_elearn"))
    engine.dispose()
    return url
