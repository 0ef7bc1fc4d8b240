"""Administrator pages: the admin start page."""

from __future__ import annotations

from flask import render_template

from elearn.admin import bp


@bp.get("/")
def home() -> str:
    """The admin start page."""
    return render_template("elearn/admin/home.html")
