"""The Flask extension: `ELearn(app)` or `ELearn().init_app(app, url_prefix="/belajar")` mounts elearn in any app."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask
from flask_babel import Babel
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import event

from elearn import auth, events, form_tokens, i18n
from elearn.blueprints import build_blueprint
from elearn.cli import elearn_cli
from elearn.clock import Clock
from elearn.config import ensure_secret_key, load_settings
from elearn.db import tune_sqlite
from elearn.learner.quizzes import CSRF_EXEMPT_VIEWS
from elearn.state import EXTENSION_NAME, ElearnState


class ELearn:
    """Registers elearn's blueprints, CLI, templates, static files, translations and database on an app."""

    def __init__(
        self, app: Flask | None = None, *, db: SQLAlchemy | None = None, url_prefix: str | None = None
    ):
        self._db = db
        self._url_prefix = url_prefix
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask, *, url_prefix: str | None = None, db: SQLAlchemy | None = None) -> None:
        """Configure `app` for elearn; a host's own SQLAlchemy, Babel and CSRF objects are reused when present."""
        for key, value in load_settings().items():
            app.config.setdefault(key, value)
        prefix = url_prefix if url_prefix is not None else self._url_prefix
        prefix = app.config["ELEARN_URL_PREFIX"] if prefix is None else prefix
        app.config["ELEARN_URL_PREFIX"] = prefix.rstrip("/")
        _configure_secret_key(app)
        database = _configure_database(app, db or self._db)
        app.extensions[EXTENSION_NAME] = ElearnState(
            db=database,
            url_prefix=app.config["ELEARN_URL_PREFIX"],
            clock=Clock(ZoneInfo(app.config["ELEARN_TIMEZONE"])),
        )
        _tune_own_engine(app, database)
        events.install(database.session)

        if "csrf" not in app.extensions:
            CSRFProtect(app)
        for (
            view
        ) in CSRF_EXEMPT_VIEWS:  # checked by each attempt's own token instead (elearn/learner/quizzes.py)
            app.extensions["csrf"].exempt(view)
        if "babel" in app.extensions:
            app.extensions["babel"].translation_directories.append(str(i18n.TRANSLATIONS_DIR))
        else:
            Babel(
                app,
                locale_selector=i18n.select_locale,
                default_translation_directories=str(i18n.TRANSLATIONS_DIR),
            )
        _configure_cookies(app)
        # Werkzeug refuses bigger request bodies before they are read (CSV uploads are the largest legitimate ones).
        if app.config.get("MAX_CONTENT_LENGTH") is None:
            app.config["MAX_CONTENT_LENGTH"] = app.config["ELEARN_IMPORT_MAX_BYTES"] + 1024 * 1024
        auth.init_login(app)
        app.register_blueprint(build_blueprint(), url_prefix=app.config["ELEARN_URL_PREFIX"] or None)
        form_tokens.exempt_checked_views(app)
        app.cli.add_command(elearn_cli)


def _configure_secret_key(app: Flask) -> None:
    """Use ELEARN_SECRET_KEY; in development fall back to a key kept in the instance folder."""
    if app.config.get("ELEARN_SECRET_KEY"):
        app.config["SECRET_KEY"] = app.config["ELEARN_SECRET_KEY"]
    if app.config.get("SECRET_KEY"):
        return
    if app.config["ELEARN_PRODUCTION"]:
        raise RuntimeError("ELEARN_SECRET_KEY must be set in production (ELEARN_PRODUCTION=1).")
    app.config["SECRET_KEY"] = ensure_secret_key(Path(app.instance_path))


def _configure_database(app: Flask, db: SQLAlchemy | None) -> SQLAlchemy:
    """Share the host's SQLAlchemy object when it has one; otherwise bring elearn's own."""
    if db is None and "sqlalchemy" in app.extensions:
        return app.extensions["sqlalchemy"]
    if db is not None:
        return db
    url = app.config.get("ELEARN_DATABASE_URL") or app.config.get("SQLALCHEMY_DATABASE_URI")
    if not url:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        url = "sqlite:///" + str(Path(app.instance_path) / "elearn.sqlite3")
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", _engine_options(url))
    own = SQLAlchemy()
    own.init_app(app)
    return own


def _tune_own_engine(app: Flask, database: SQLAlchemy) -> None:
    """Attach elearn's SQLite settings to the engine elearn uses, and to no other engine in the process."""
    with app.app_context():
        engine = database.engine
    if engine.dialect.name == "sqlite" and not event.contains(engine, "connect", tune_sqlite):
        event.listen(engine, "connect", tune_sqlite)


def _engine_options(url: str) -> dict[str, Any]:
    """SQLite waits for the writer instead of failing; PostgreSQL connections are checked before use."""
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": 15}}
    return {"pool_pre_ping": True}


def _configure_cookies(app: Flask) -> None:
    """HttpOnly, SameSite=Lax session and remember cookies, Secure in production (served over HTTPS).

    Flask ships defaults for the session cookie (SameSite unset, not Secure), so those are raised to the safe
    value unless the host already chose a stricter one.
    """
    secure = bool(app.config["ELEARN_PRODUCTION"])
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    if not app.config.get("SESSION_COOKIE_SAMESITE"):
        app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["SESSION_COOKIE_SECURE"] = app.config.get("SESSION_COOKIE_SECURE") or secure
    app.config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    app.config.setdefault("REMEMBER_COOKIE_SAMESITE", "Lax")
    app.config.setdefault("REMEMBER_COOKIE_SECURE", secure)
