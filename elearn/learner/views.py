"""Employee pages: the home page every signed-in person lands on, showing their own record."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from elearn.auth import require_roles
from elearn.services.directory import current_mentors_of
from elearn.state import clock, db_session

bp = Blueprint("learner", __name__)
bp.before_request(require_roles())


@bp.get("/")
def home() -> str:
    """The signed-in person's own profile, their current mentors and links to the role areas they hold."""
    me = current_user._get_current_object()
    mentors = db_session().scalars(current_mentors_of(me, today=clock().today())).all()
    return render_template("elearn/learner/home.html", me=me, mentors=mentors)
