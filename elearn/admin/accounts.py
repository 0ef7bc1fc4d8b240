"""Administrator account actions: issuing a one-time activation link and code (also the password reset)."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, make_response, render_template, request
from flask_login import current_user
from werkzeug.wrappers import Response

from elearn import scope, security
from elearn.accounts.links import activation_code_page, activation_link
from elearn.admin.blueprint import bp
from elearn.services import accounts
from elearn.state import clock, db_session


@bp.post("/orang/<int:person_id>/aktivasi")
def issue_activation(person_id: int) -> Response:
    """Issue a fresh link and code for a person in the admin's scope and show them this once; older ones stop."""
    session = db_session()
    admin = current_user._get_current_object()
    person = scope.visible_person_or_404(session, admin, person_id, today=clock().today())
    hours = current_app.config["ELEARN_ACTIVATION_HOURS"]
    try:
        issued = accounts.issue_activation(
            session, person=person, issued_by=admin, valid_for=timedelta(hours=hours), ip=request.remote_addr
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
