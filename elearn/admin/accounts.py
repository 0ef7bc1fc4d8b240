"""Administrator account actions: a one-time activation link and code (also the password reset), lifting a lock."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from elearn import scope, security
from elearn.accounts.links import activation_code_page, activation_link
from elearn.admin.blueprint import bp
from elearn.models import Person
from elearn.services import accounts, login_throttle
from elearn.state import clock, db_session


def _admin() -> Person:
    """The signed-in administrator as a model object (the proxy is not a Person)."""
    return current_user._get_current_object()


@bp.post("/orang/<int:person_id>/aktivasi")
def issue_activation(person_id: int) -> Response:
    """Issue a fresh link and code for a person in the admin's scope and show them this once; older ones stop."""
    session = db_session()
    admin = _admin()
    person = scope.visible_person_or_404(session, admin, person_id, today=clock().today())
    hours = current_app.config["ELEARN_ACTIVATION_HOURS"]
    try:
        issued = accounts.issue_activation(
            session,
            person=person,
            issued_by=admin,
            valid_for=timedelta(hours=hours),
            ip=request.remote_addr,
            now=clock().now(),
        )
    except accounts.AccountError:
        return make_response(
            render_template("elearn/admin/activation_issued.html", person=person, issued=None), 409
        )
    session.commit()
    response = make_response(
        render_template(
            "elearn/admin/activation_issued.html",
            person=person,
            issued=issued,
            link=activation_link(issued.token),
            code_page=activation_code_page(),
            hours=hours,
        )
    )
    return security.forbid_caching(response)


def login_locks(person: Person) -> login_throttle.AccountLocks:
    """Whether `person` is refused at sign-in right now, for the admin's person page (one query)."""
    return login_throttle.account_locks(
        db_session(),
        account_key=person.nip,
        policy=login_throttle.ThrottlePolicy.from_config(current_app.config),
        now=clock().now(),
    )


@bp.post("/orang/<int:person_id>/buka-kunci")
def lift_login_lock(person_id: int) -> Response:
    """Let a person whose account is throttled sign in again at once, from every address (audited)."""
    session = db_session()
    person = scope.visible_person_or_404(session, _admin(), person_id, today=clock().today())
    if login_locks(person).locked:
        accounts.lift_lock(session, person=person, lifted_by=_admin(), ip=request.remote_addr)
        session.commit()
        flash(
            _("Kunci masuk untuk %(name)s dibuka; ia bisa masuk lagi sekarang.", name=person.name), "success"
        )
    else:
        flash(_("Akun %(name)s tidak sedang terkunci.", name=person.name), "info")
    return redirect(url_for("elearn.admin.person", person_id=person.id))
