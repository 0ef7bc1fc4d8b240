"""Mentor pages."""

from __future__ import annotations

from flask import Blueprint, render_template

from elearn.auth import require_roles
from elearn.models import Role

bp = Blueprint("mentor", __name__, url_prefix="/mentor")
bp.before_request(require_roles(Role.MENTOR))


@bp.get("/")
def home() -> str:
    """The mentor start page."""
    return render_template("elearn/mentor/home.html")
