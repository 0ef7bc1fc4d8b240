"""Configuration: one documented table, safe defaults, production refuses to run without a secret."""

from pathlib import Path

import pytest

from elearn.app import create_app
from elearn.config import SETTINGS, configuration_markdown, load_settings

ROOT = Path(__file__).resolve().parents[2]


def test_configuration_doc_matches_settings_table():
    assert (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8") == configuration_markdown()


def test_every_setting_is_prefixed_and_explained():
    assert all(s.name.startswith("ELEARN_") and s.why for s in SETTINGS)


def test_environment_overrides_default_with_parsed_type():
    settings = load_settings({"ELEARN_JP_TARGET": "24", "ELEARN_PRODUCTION": "true"})
    assert settings["ELEARN_JP_TARGET"] == 24
    assert settings["ELEARN_PRODUCTION"] is True
    assert load_settings({})["ELEARN_JP_MINUTES"] == 45


def test_production_without_secret_key_refuses_to_start(tmp_path, monkeypatch):
    monkeypatch.setenv("ELEARN_PRODUCTION", "1")
    monkeypatch.delenv("ELEARN_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="ELEARN_SECRET_KEY"):
        create_app({"ELEARN_DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})


def test_development_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("ELEARN_SECRET_KEY", raising=False)
    monkeypatch.delenv("ELEARN_PRODUCTION", raising=False)
    from flask import Flask

    from elearn import ELearn

    def make() -> Flask:
        app = Flask("host", instance_path=str(tmp_path / "instance"))
        app.config["ELEARN_DATABASE_URL"] = f"sqlite:///{tmp_path}/y.db"
        ELearn(app)
        return app

    first, second = make(), make()
    assert first.config["SECRET_KEY"] and first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert (tmp_path / "instance" / "secret_key").stat().st_mode & 0o077 == 0


def test_default_database_is_sqlite_in_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("ELEARN_DATABASE_URL", raising=False)
    from flask import Flask

    from elearn import ELearn

    app = Flask("host", instance_path=str(tmp_path / "inst"))
    app.config["SECRET_KEY"] = "x"
    ELearn(app)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/inst/elearn.sqlite3"
    with app.app_context():
        engine = app.extensions["elearn"].db.engine
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15000
        engine.dispose()


def test_request_bodies_larger_than_import_limit_are_refused(app, client):
    limit = app.config["MAX_CONTENT_LENGTH"]
    assert limit == app.config["ELEARN_IMPORT_MAX_BYTES"] + 1024 * 1024
    response = client.post("/masuk", data=b"x" * (limit + 1), content_type="application/octet-stream")
    assert response.status_code == 413
