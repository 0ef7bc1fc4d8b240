"""Employee pages: the home page every signed-in person lands on."""

from __future__ import annotations

from flask import Blueprint, render_template

from elearn.auth import require_roles

bp = Blueprint("learner", __name__)
bp.before_request(require_roles())


@bp.get("/")
def home() -> str:
    """The signed-in person's start page."""
    return render_template("elearn/learner/home.html")
