"""A small host portal ("Portal Kepegawaian") that mounts elearn under /belajar, inside the portal's own layout.

Run it:
    export FLASK_APP=examples.host_app:create_host_app
    flask elearn upgrade && flask create-portal-user && flask run

The portal keeps its own SQLAlchemy object, its own table, its own sign-in for its own pages and its own layout;
elearn shares the portal's database (its tables are prefixed `elearn_` and migrated by `flask elearn upgrade`).
"""

from __future__ import annotations

import os
from functools import wraps
from typing import Any

from flask import Flask, redirect, render_template, request, session, url_for
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash
from werkzeug.wrappers import Response

from elearn import ELearn


class PortalBase(DeclarativeBase):
    """The portal's own models (not elearn's)."""


db = SQLAlchemy(model_class=PortalBase)


class PortalUser(db.Model):  # type: ignore[name-defined,misc]
    """A portal account, unrelated to elearn's accounts."""

    __tablename__ = "portal_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))


def portal_login_required(view: Any) -> Any:
    """The portal's own guard for its own pages."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if "portal_user" not in session:
            return redirect(url_for("portal_login"))
        return view(*args, **kwargs)

    return wrapper


def create_host_app(config: dict[str, Any] | None = None) -> Flask:
    """The portal: its routes, then elearn mounted at /belajar with the portal's layout."""
    app = Flask(__name__, template_folder="templates")
    app.config.update(
        SECRET_KEY=os.environ.get("PORTAL_SECRET_KEY", "portal-development-key"),
        SQLALCHEMY_DATABASE_URI=os.environ.get("PORTAL_DATABASE_URL", "sqlite:///portal.sqlite3"),
        ELEARN_BASE_TEMPLATE="portal/elearn_layout.html",
    )
    app.config.update(config or {})
    db.init_app(app)
    ELearn(app, db=db, url_prefix="/belajar")

    @app.get("/")
    def portal_home() -> str:
        return render_template("portal/home.html")

    @app.route("/login", methods=["GET", "POST"])
    def portal_login() -> str | Response:
        error = None
        if request.method == "POST":
            user = db.session.scalar(
                select(PortalUser).where(PortalUser.username == request.form["username"])
            )
            if user and check_password_hash(user.password_hash, request.form["password"]):
                session["portal_user"] = user.username
                return redirect(url_for("portal_dashboard"))
            error = "Nama pengguna atau kata sandi salah."
        return render_template("portal/login.html", error=error)

    @app.get("/dasbor")
    @portal_login_required
    def portal_dashboard() -> str:
        return render_template("portal/dashboard.html", username=session["portal_user"])

    @app.cli.command("create-portal-user")
    def create_portal_user() -> None:
        """Create the portal's own tables and one portal user (username `admin`)."""
        db.create_all()
        db.session.add(PortalUser(username="admin", password_hash=generate_password_hash("portal-demo-only")))
        db.session.commit()

    return app
