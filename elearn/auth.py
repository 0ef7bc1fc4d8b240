"""Who is signed in: Flask-Login wiring whose session ids die with logout, and the blueprints' role guard."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, abort
from flask_login import LoginManager, current_user
from sqlalchemy import select

from elearn.models import Person


def init_login(app: Flask) -> None:
    """Install Flask-Login (or reuse the host's manager) and load people by id and session version."""
    manager: LoginManager = getattr(app, "login_manager", None) or LoginManager(app)
    manager.login_view = "elearn.accounts.login"
    manager.login_message = None
    manager.session_protection = "basic"
    manager.user_loader(load_person)


def load_person(user_id: str) -> Person | None:
    """Resolve "<id>:<session_version>"; a cookie captured before logout carries a stale version and fails."""
    from elearn.extension import db_session

    person_id, _, version = user_id.partition(":")
    if not (person_id.isdigit() and version.isdigit()):
        return None
    person = db_session().scalar(select(Person).where(Person.id == int(person_id)))
    if person is None or not person.active or person.session_version != int(version):
        return None
    return person


def require_roles(*roles: str) -> Callable[[], None]:
    """A `before_request` guard: signed in, and holding one of `roles`; anything else answers 404 or login."""

    def guard() -> None:
        if not current_user.is_authenticated:
            from flask import current_app

            return current_app.login_manager.unauthorized()
        if roles and not (current_user.roles & set(roles)):
            abort(404)
        return None

    return guard
