"""Supervisor pages."""

from __future__ import annotations

from flask import Blueprint, render_template

from elearn.auth import require_roles
from elearn.models import Role

bp = Blueprint("supervisor", __name__, url_prefix="/atasan")
bp.before_request(require_roles(Role.SUPERVISOR))


@bp.get("/")
def home() -> str:
    """The supervisor start page."""
    return render_template("elearn/supervisor/home.html")
