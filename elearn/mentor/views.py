"""Mentor pages: the mentor's current mentees and one mentee; past mentees and everyone else are a 404."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from elearn.auth import require_roles
from elearn.listing import paginate
from elearn.models import Role
from elearn.scope import mentees_of, person_among_or_404
from elearn.services.directory import listed
from elearn.state import clock, db_session

bp = Blueprint("mentor", __name__, url_prefix="/mentor")
bp.before_request(require_roles(Role.MENTOR))


@bp.get("/")
def home() -> str:
    """The mentor's current mentees, paged."""
    pagination = paginate(listed(mentees_of(current_user._get_current_object(), today=clock().today())))
    return render_template("elearn/mentor/home.html", pagination=pagination)


@bp.get("/mentee/<int:person_id>")
def person(person_id: int) -> str:
    """One current mentee."""
    mentees = mentees_of(current_user._get_current_object(), today=clock().today())
    mentee = person_among_or_404(db_session(), mentees, person_id)
    return render_template("elearn/mentor/person.html", person=mentee)
