"""Admin pages."""

from __future__ import annotations

from flask import Blueprint, render_template

from elearn.auth import require_roles
from elearn.models import Role

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.before_request(require_roles(Role.ADMIN))


@bp.get("/")
def home() -> str:
    """The admin start page."""
    return render_template("elearn/admin/home.html")
