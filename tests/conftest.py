"""Test fixtures: every database test runs on SQLite and, when ELEARN_TEST_POSTGRES_URL is set, on PostgreSQL."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from elearn.db import Base

POSTGRES_URL = os.environ.get("ELEARN_TEST_POSTGRES_URL", "").strip()
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])


def sqlalchemy_postgres_url(url: str) -> str:
    """Use the psycopg 3 driver whatever scheme the variable was given with."""
    parsed = make_url(url)
    return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def pytest_sessionstart(session: pytest.Session) -> None:
    """A PostgreSQL URL that is set but does not answer fails the run; it never silently skips."""
    if not POSTGRES_URL:
        return
    try:
        engine = create_engine(sqlalchemy_postgres_url(POSTGRES_URL))
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
    except Exception as error:  # noqa: BLE001  (any failure to connect must stop the run)
        pytest.exit(f"ELEARN_TEST_POSTGRES_URL is set but PostgreSQL does not answer: {error}", returncode=3)


class ElearnClient(FlaskClient):
    """A browser-like test client: each request runs in its own app context (fresh `g` and database session, as
    in production, even though the test itself holds one), and forms can be posted with a real CSRF token."""

    def open(self, *args: object, **kwargs: object):  # noqa: ANN201
        """Run the request in a new app context, so nothing leaks between requests or from the test."""
        with self.application.app_context():
            return super().open(*args, **kwargs)

    def csrf_token(self) -> str:
        """Fetch the login page and read the CSRF token bound to this client's session."""
        with self.application.test_request_context():
            login_url = url_for("elearn.accounts.login")
        page = self.get(login_url).get_data(as_text=True)
        match = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert match, "no CSRF token on the login page"
        return match.group(1)

    def post_form(self, url: str, data: dict[str, object] | None = None, **kwargs: object):  # noqa: ANN201
        """POST `data` with this session's CSRF token added."""
        payload = dict(data or {})
        payload.setdefault("csrf_token", self.csrf_token())
        return self.post(url, data=payload, **kwargs)


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One migrated database per backend for the whole session (migrations are exercised every run)."""
    if request.param == "sqlite":
        url = "sqlite:///" + str(tmp_path_factory.mktemp("db") / "elearn-test.sqlite3")
    else:
        url = sqlalchemy_postgres_url(POSTGRES_URL)
        _drop_elearn_tables(url)
    app = _make_app(url, Path(tmp_path_factory.mktemp("instance")))
    with app.app_context():
        from elearn.migrate import upgrade

        upgrade()
        app.extensions["elearn"].db.engine.dispose()
    yield url


def _drop_elearn_tables(url: str) -> None:
    """Start PostgreSQL runs from an empty elearn schema, whatever a previous run left."""
    engine = create_engine(url)
    with engine.begin() as connection:
        names = connection.scalars(
            text(
                "select tablename from pg_tables where schemaname = current_schema() and tablename like 'elearn%'"
            )
        ).all()
        for name in names:
            connection.execute(text(f'drop table if exists "{name}" cascade'))
        connection.execute(text("drop table if exists alembic_version_elearn"))
    engine.dispose()


def _make_app(url: str, instance: Path, **config: object) -> Flask:
    from elearn.app import create_app

    settings = {
        "TESTING": True,
        "ELEARN_DATABASE_URL": url,
        "SECRET_KEY": "test-secret-key",
        "ELEARN_COURSES_DIR": str(instance / "courses"),
    }
    settings.update(config)
    app = create_app(settings)
    app.instance_path = str(instance)
    app.test_client_class = ElearnClient
    return app


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """A fresh app on the session's database; every elearn table is emptied afterwards."""
    app = _make_app(database_url, tmp_path)
    with app.app_context():
        yield app
        db = app.extensions["elearn"].db
        db.session.remove()
        empty_tables(db.engine)
        db.engine.dispose()


def empty_tables(engine) -> None:  # noqa: ANN001
    """Remove every row (cycles between tables make ordered deletes fragile, so constraints are bypassed).

    On PostgreSQL, DELETE with foreign-key triggers off (`session_replication_role`, a superuser's setting, as in
    CI) and the sequences set back costs about 8 ms; TRUNCATE, which gives each table and index a new file, about
    250 ms per test. Without superuser rights it falls back to TRUNCATE."""
    names = [t.name for t in Base.metadata.tables.values()]
    if engine.dialect.name == "postgresql":
        try:
            with engine.begin() as connection:
                connection.execute(text("set local session_replication_role = replica"))
                for name in names:
                    connection.execute(text(f'delete from "{name}"'))
                connection.execute(
                    text(
                        "select setval(c.oid, 1, false) from pg_class c"
                        " where c.relkind = 'S' and c.relname like 'elearn%'"
                    )
                )
            return
        except DBAPIError:
            pass
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(
                text("truncate " + ", ".join(f'"{n}"' for n in names) + " restart identity cascade")
            )
        else:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            for name in names:
                connection.execute(text(f'delete from "{name}"'))
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")


@pytest.fixture
def session(app: Flask) -> Session:
    """The database session the app uses."""
    return app.extensions["elearn"].db.session


@pytest.fixture
def client(app: Flask) -> ElearnClient:
    """A browser-like client for the app."""
    return app.test_client()  # type: ignore[return-value]
