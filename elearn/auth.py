"""Who is signed in: Flask-Login wiring whose session ids die with logout, and the blueprints' role guard."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Response, abort, current_app
from flask.typing import ResponseReturnValue
from flask_login import LoginManager, current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from elearn.assets import is_static_request
from elearn.models import Person
from elearn.state import db_session


def init_login(app: Flask) -> None:
    """Install Flask-Login and load people by id and session version.

    A host whose own Flask-Login already loads its users would silently lose them to elearn's loader, so that case is
    refused with an explanation instead (docs/architecture.md).
    """
    manager: LoginManager | None = getattr(app, "login_manager", None)
    if manager is not None and manager._user_callback not in (None, load_person):
        raise RuntimeError(
            "elearn signs people in with its own Flask-Login user loader, and this app already has one. "
            "Keep the host's sign-in separate from Flask-Login (see examples/host_app.py)."
        )
    manager = manager or StaticBlindLoginManager(app)
    manager.login_view = "elearn.accounts.login"
    manager.login_message = None
    manager.session_protection = "basic"
    manager.user_loader(load_person)


class StaticBlindLoginManager(LoginManager):
    """Flask-Login, except that its remember-cookie hook does not run for static files.

    The hook reads the session on every response, and since Flask 3.1 any read adds `Vary: Cookie`, which would
    make every browser and proxy cache a stylesheet once per visitor.
    """

    def _update_remember_cookie(self, response: Response) -> Response:
        if is_static_request():
            return response
        return super()._update_remember_cookie(response)


def load_person(user_id: str) -> Person | None:
    """Resolve "<id>:<session_version>"; a cookie captured before logout carries a stale version and fails."""
    person_id, _, version = user_id.partition(":")
    if not (person_id.isdigit() and version.isdigit()):
        return None
    person = db_session().scalar(
        select(Person).options(joinedload(Person.role_rows)).where(Person.id == int(person_id))
    )
    if person is None or not person.active or person.session_version != int(version):
        return None
    return person


def require_roles(*roles: str) -> Callable[[], ResponseReturnValue | None]:
    """A `before_request` guard: signed in, and holding one of `roles`; anything else answers 404 or login."""

    def guard() -> ResponseReturnValue | None:
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]  # set by Flask-Login
        if roles and not (current_user.roles & set(roles)):
            abort(404)
        return None

    return guard
