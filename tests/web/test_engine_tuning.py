"""elearn tunes its own SQLite engine and leaves every other engine in the process as it was."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, text

from elearn.app import create_app


def _pragmas(engine) -> tuple[int, str]:  # noqa: ANN001
    with engine.connect() as connection:
        foreign_keys = connection.execute(text("PRAGMA foreign_keys")).scalar_one()
        journal = connection.execute(text("PRAGMA journal_mode")).scalar_one()
    return foreign_keys, journal


def test_elearn_engine_gets_its_sqlite_settings(tmp_path: Path) -> None:
    app = create_app({"ELEARN_DATABASE_URL": f"sqlite:///{tmp_path / 'own.sqlite3'}", "SECRET_KEY": "x"})
    with app.app_context():
        engine = app.extensions["elearn"].db.engine
        assert _pragmas(engine) == (1, "wal")
        engine.dispose()


def test_host_engine_in_same_process_keeps_sqlite_defaults(tmp_path: Path) -> None:
    app = create_app({"ELEARN_DATABASE_URL": f"sqlite:///{tmp_path / 'own.sqlite3'}", "SECRET_KEY": "x"})
    host_engine = create_engine(f"sqlite:///{tmp_path / 'host.sqlite3'}")
    with app.app_context():
        app.extensions["elearn"].db.engine.connect().close()
    assert _pragmas(host_engine) == (0, "delete")
    host_engine.dispose()
